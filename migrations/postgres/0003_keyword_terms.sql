-- plurum store schema for PostgreSQL, version 3: what the keyword arm needs to rank by BM25,
-- as SQLite's FTS5 does.
--
-- Postgres ranks text matches with ts_rank/ts_rank_cd, which weigh how often and how close
-- the words occur in a document but not how rare they are in the collection. On SciFact
-- (train split, 809 claims) that cost the keyword arm 0.27 nDCG@10 against FTS5's bm25
-- (0.43 against 0.70) and hybrid search 0.10. BM25 needs each word's weighted frequency in
-- each document and each document's length; they are kept here, written with the keyword
-- document (store/postgres/experiences.rs, index_keywords), and summed at query time
-- (store/postgres/search.rs). Word frequencies carry the column weights of the document's
-- labels, as FTS5's bm25 weights its columns: A (goal, tags) 10, B (domain, solution) 4,
-- C (context, lessons) 2.

CREATE TABLE experience_terms (
    lexeme text NOT NULL,
    seq    bigint NOT NULL REFERENCES experiences(seq) ON DELETE CASCADE,
    tf     double precision NOT NULL,
    PRIMARY KEY (lexeme, seq)
);
CREATE INDEX experience_terms_seq ON experience_terms (seq);

-- Tokens in the keyword document (all positions of all its words).
CREATE TABLE experience_lengths (
    seq    bigint PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
    length double precision NOT NULL
);

-- The documents indexed before this version.
INSERT INTO experience_terms (lexeme, seq, tf)
SELECT u.lexeme, f.seq,
       sum(CASE w WHEN 'A' THEN 10 WHEN 'B' THEN 4 WHEN 'C' THEN 2 ELSE 1 END)
FROM experience_fts f, unnest(f.document) u, unnest(u.weights) w
GROUP BY u.lexeme, f.seq;
INSERT INTO experience_lengths (seq, length)
SELECT f.seq, (SELECT count(*) FROM unnest(f.document) u, unnest(u.positions) p)
FROM experience_fts f;

INSERT INTO plurum_schema_migrations (version) VALUES (3);
