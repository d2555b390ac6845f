-- plurum store schema for PostgreSQL, version 2: rate-limit windows shared by every
-- `plurum serve` on this database (src/store/postgres/rate_limits.rs), so that a budget
-- such as 8 searches a minute is 8 in total however many servers answer. SQLite's store
-- has no twin: one SQLite store has one server, which counts in memory.
--
-- One row per (bucket, caller, path): a fixed window that began at started_at and has
-- admitted `count` requests (count = limit + 1 marks a refusal). Rows of windows long over
-- are deleted now and then by the servers.

CREATE TABLE plurum_rate_windows (
    key        text COLLATE "C" PRIMARY KEY,
    started_at timestamptz NOT NULL,
    count      integer NOT NULL
);
CREATE INDEX plurum_rate_windows_started ON plurum_rate_windows (started_at);

INSERT INTO plurum_schema_migrations (version) VALUES (2);
