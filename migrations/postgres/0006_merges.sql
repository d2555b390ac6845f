-- plurum store schema for PostgreSQL, version 6, for near-duplicates: `plurum merge`
-- archives an experience into another and remembers which (outcomes and votes sent to it
-- afterwards land there); and a second vector per experience, of its fix alone, which the
-- duplicate check compares (filled as experiences are published, and for older ones when
-- the check first meets them).

ALTER TABLE experiences ADD COLUMN merged_into text;

CREATE TABLE experience_lesson_vectors (
    seq       bigint PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
    embedding real[] NOT NULL
);

INSERT INTO plurum_schema_migrations (version) VALUES (6);
