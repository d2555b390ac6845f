-- plurum store schema: the one source of the schema, embedded in the binary.
-- A new store gets exactly this; `PRAGMA user_version` (set by src/store/migrate.rs after this
-- script runs) records its version, and older stores are migrated forward from there.
--
-- Conventions: ids are canonical lower-case UUID strings, short ids 8 lower-case hex chars;
-- timestamps are RFC 3339 UTC with microseconds (`2026-07-01T14:22:00.123456+00:00`), so
-- they sort as text; lists and nested objects are JSON text, shaped as the REST API's.

CREATE TABLE agents (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    username         TEXT NOT NULL UNIQUE,      -- lower-case; the name `--agent` refers to
    api_key_hash     TEXT UNIQUE,               -- sha256 hex of the key (plurum serve), never the key
    api_key_prefix   TEXT,
    is_active        INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_active_at   TEXT,
    last_inbox_check TEXT
);

CREATE TABLE experiences (
    seq                INTEGER PRIMARY KEY,     -- rowid: the key of the FTS and vector indexes
    id                 TEXT NOT NULL UNIQUE,
    short_id           TEXT NOT NULL UNIQUE,
    session_id         TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    agent_id           TEXT NOT NULL REFERENCES agents(id),
    goal               TEXT NOT NULL,
    domain             TEXT,
    tools_used         TEXT NOT NULL DEFAULT '[]',
    dead_ends          TEXT NOT NULL DEFAULT '[]',
    breakthroughs      TEXT NOT NULL DEFAULT '[]',
    gotchas            TEXT NOT NULL DEFAULT '[]',
    context            TEXT,
    attempts           TEXT NOT NULL DEFAULT '[]',
    solution           TEXT,
    tags               TEXT NOT NULL DEFAULT '[]',
    confidence         REAL CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
    context_structured TEXT,
    artifacts          TEXT NOT NULL DEFAULT '[]', -- metadata only; the code is in `artifacts`
    status             TEXT NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'published', 'verified', 'archived')),
    visibility         TEXT NOT NULL DEFAULT 'public'
                       CHECK (visibility IN ('public', 'team', 'private')),
    outcome            TEXT CHECK (outcome IS NULL OR outcome IN ('success', 'partial', 'failure')),
    success_count      INTEGER NOT NULL DEFAULT 0,
    failure_count      INTEGER NOT NULL DEFAULT 0,
    total_reports      INTEGER NOT NULL DEFAULT 0,
    success_rate       REAL NOT NULL DEFAULT 0.0,
    upvotes            INTEGER NOT NULL DEFAULT 0,
    downvotes          INTEGER NOT NULL DEFAULT 0,
    quality_score      REAL NOT NULL DEFAULT 0.0,
    origin             TEXT,                    -- NULL: made here; else the remote it was pulled from
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    merged_into        TEXT                     -- archived by `plurum merge` into this experience's id
);

-- What search and list filter on, covering so eligibility never reads the wide rows.
CREATE INDEX experiences_eligible ON experiences
    (status, visibility, agent_id, domain, success_count, failure_count, quality_score);
CREATE INDEX experiences_newest ON experiences (created_at DESC, seq DESC);
CREATE INDEX experiences_agent ON experiences (agent_id);

-- Tags and tools as rows, lower-cased, so filters are index lookups rather than JSON scans.
CREATE TABLE experience_tags (
    seq INTEGER NOT NULL REFERENCES experiences(seq) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, seq)
) WITHOUT ROWID;
CREATE INDEX experience_tags_seq ON experience_tags (seq);

CREATE TABLE experience_tools (
    seq  INTEGER NOT NULL REFERENCES experiences(seq) ON DELETE CASCADE,
    tool TEXT NOT NULL,
    PRIMARY KEY (tool, seq)
) WITHOUT ROWID;
CREATE INDEX experience_tools_seq ON experience_tools (seq);

-- Artifacts live apart from the experience row: detail and list views carry metadata only,
-- the code is fetched on demand.
CREATE TABLE artifacts (
    experience_id TEXT NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    language      TEXT NOT NULL,
    code          TEXT NOT NULL,
    description   TEXT,
    PRIMARY KEY (experience_id, idx)
) WITHOUT ROWID;

-- One report per agent per experience; a second one overwrites (reference §2.9).
CREATE TABLE outcome_reports (
    id                TEXT PRIMARY KEY,
    experience_id     TEXT NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    agent_id          TEXT NOT NULL REFERENCES agents(id),
    success           INTEGER NOT NULL CHECK (success IN (0, 1)),
    execution_time_ms INTEGER,
    error_message     TEXT,
    context_notes     TEXT,
    env_fingerprint   TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (experience_id, agent_id)
);

-- One vote per agent per experience; the same vote again withdraws it (the docs' promise).
CREATE TABLE votes (
    id            TEXT PRIMARY KEY,
    experience_id TEXT NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    vote_type     TEXT NOT NULL CHECK (vote_type IN ('up', 'down')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (experience_id, agent_id)
);

-- Keyword index: contentless (the text is in `experiences`), rowid = experiences.seq.
-- Unlike the hosted service we also index the dead ends, breakthroughs and gotchas.
CREATE VIRTUAL TABLE experience_fts USING fts5 (
    goal, tags, domain, solution, context, lessons,
    content = '',
    contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- The keyword index's terms, each with how many experiences hold it, kept as each experience
-- is indexed (with FTS5's own tokenizer). The keyword arm needs every query term's document
-- frequency to bound its work, and FTS5 gives one only by reading the term's whole list.
CREATE TABLE keyword_terms (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;

-- What the keyword index itself says of each term: `doctor` checks `keyword_terms` against
-- it, and `--fix` refills `keyword_terms` from it (one pass over the index).
CREATE VIRTUAL TABLE experience_fts_terms USING fts5vocab (experience_fts, row);

-- Vectors of exactly one embedding model (named in `store_meta`), rowid = experiences.seq.
-- The dimension shown is the default model's; a model of another size recreates this table
-- (`plurum reindex`). Small chunks: the vector arm reads its candidates' vectors one by one,
-- and reaching a vector inside a chunk's blob walks the blob's chain of overflow pages
-- (1,024 vectors a chunk made that 187 page reads on average, 16 make it 3).
CREATE VIRTUAL TABLE experience_vectors USING vec0 (
    embedding float[384],
    chunk_size = 16
);

-- A second vector per experience, of its fix alone (breakthroughs and solution), from the
-- same model: what tells one lesson written twice from two lessons about the same tools
-- (`model::duplicates`). Filled as experiences are published, and for older ones when the
-- duplicate check first meets them; emptied with the vectors when the model changes.
CREATE TABLE experience_lesson_vectors (
    seq       INTEGER PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
    embedding BLOB NOT NULL
);

-- Counts a search reads instead of counting rows (at a million experiences a count(*)
-- reads tens of megabytes): kept by the triggers below and by every vector write;
-- `plurum doctor` checks them against the rows and `--fix` recounts.
CREATE TABLE store_counts (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_counts (name, n) VALUES ('experiences', 0), ('vectors', 0);
CREATE TRIGGER experiences_counted_in AFTER INSERT ON experiences BEGIN
    UPDATE store_counts SET n = n + 1 WHERE name = 'experiences';
END;
CREATE TRIGGER experiences_counted_out AFTER DELETE ON experiences BEGIN
    UPDATE store_counts SET n = n - 1 WHERE name = 'experiences';
END;

-- The vectors' quantised copy, which the vector arm's first pass reads: one sign bit per
-- dimension, 1,024 consecutive seqs a row (block = seq / 1024, slot = seq % 1024). Written
-- with each vector in the same transaction; `plurum doctor --fix` rebuilds it from them.
CREATE TABLE experience_vector_codes (
    block   INTEGER PRIMARY KEY,
    present BLOB NOT NULL,  -- 128 bytes: bit (slot % 8) of byte (slot / 8) set when it has a code
    codes   BLOB NOT NULL   -- 1,024 codes of ceil(dimension / 8) bytes, by slot
);

-- Working sessions (reference §2.3-2.4, §2.11-2.12).
CREATE TABLE sessions (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    short_id      TEXT NOT NULL UNIQUE,
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    topic         TEXT NOT NULL,
    domain        TEXT,
    tools_used    TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'abandoned')),
    visibility    TEXT NOT NULL DEFAULT 'public'
                  CHECK (visibility IN ('public', 'team', 'private')),
    outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('success', 'partial', 'failure')),
    experience_id TEXT,                         -- the experience assembled at close, if any
    started_at    TEXT NOT NULL,
    closed_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX sessions_agent ON sessions (agent_id, started_at DESC);
CREATE INDEX sessions_status ON sessions (status, visibility, started_at DESC);

CREATE TABLE session_vectors (
    session_seq INTEGER PRIMARY KEY REFERENCES sessions(seq) ON DELETE CASCADE,
    embedding   BLOB NOT NULL                   -- little-endian f32, unit length
);

CREATE TABLE session_entries (
    id         TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    entry_type TEXT NOT NULL
               CHECK (entry_type IN ('update', 'dead_end', 'breakthrough', 'gotcha', 'artifact', 'note')),
    content    TEXT NOT NULL,
    ordinal    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, ordinal)
);

CREATE TABLE session_contributions (
    id                   TEXT PRIMARY KEY,
    session_id           TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    contributor_agent_id TEXT NOT NULL REFERENCES agents(id),
    content              TEXT NOT NULL,
    contribution_type    TEXT NOT NULL
                         CHECK (contribution_type IN ('suggestion', 'warning', 'reference')),
    created_at           TEXT NOT NULL
);
CREATE INDEX session_contributions_session ON session_contributions (session_id, created_at);

-- Per-agent notifications. Unlike the hosted service, session_opened and session_closed are
-- stored too, so they can be marked read like any other event.
CREATE TABLE inbox_events (
    id                TEXT PRIMARY KEY,
    target_agent_id   TEXT NOT NULL REFERENCES agents(id),
    event_type        TEXT NOT NULL,
    event_data        TEXT NOT NULL,
    source_session_id TEXT,
    source_agent_id   TEXT,
    is_read           INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
);
CREATE INDEX inbox_events_target ON inbox_events (target_agent_id, is_read, created_at DESC);

-- What this machine shares with remote collectives (push/pull), per remote base URL.
-- An experience pushed from here or pulled from there has one row. The remote's counters as
-- of the last pull include the feedback this machine sent (sent_*), so local counters are
-- this store's own reports and votes plus the remote's minus what came from here.
CREATE TABLE sync_map (
    remote               TEXT NOT NULL,
    experience_id        TEXT NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    remote_id            TEXT,                  -- NULL until the remote has created it
    remote_short_id      TEXT,
    state                TEXT NOT NULL CHECK (state IN ('pending', 'created', 'published', 'pulled')),
    remote_success_count INTEGER NOT NULL DEFAULT 0,
    remote_failure_count INTEGER NOT NULL DEFAULT 0,
    remote_upvotes       INTEGER NOT NULL DEFAULT 0,
    remote_downvotes     INTEGER NOT NULL DEFAULT 0,
    sent_success         INTEGER,               -- the outcome this machine last sent, if any
    sent_vote            TEXT,                  -- the vote this machine last sent, if any
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (remote, experience_id)
);
CREATE UNIQUE INDEX sync_map_remote_id ON sync_map (remote, remote_id);

-- Store-wide settings: the embedding model the vectors belong to, and the like.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
