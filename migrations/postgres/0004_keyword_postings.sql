-- plurum store schema for PostgreSQL, version 4: the keyword arm reads its postings from one
-- index.
--
-- Version 3's BM25 query read each matching word's rows from the heap (one random page per
-- row: 58,000 pages for a five-word query over 100,000 experiences) and joined every match
-- to its document's length: 370 ms. With the length kept beside each word's frequency and
-- both in the index (INCLUDE), the postings come from an index-only scan: 70 ms for the
-- same query (the scores are the same).

CREATE TABLE experience_postings (
    lexeme text NOT NULL,
    seq    bigint NOT NULL REFERENCES experiences(seq) ON DELETE CASCADE,
    tf     double precision NOT NULL,
    -- The document's length (experience_lengths.length), as BM25 divides by it.
    length double precision NOT NULL
);
INSERT INTO experience_postings (lexeme, seq, tf, length)
SELECT t.lexeme, t.seq, t.tf, l.length
FROM experience_terms t JOIN experience_lengths l ON l.seq = t.seq;
DROP TABLE experience_terms;
ALTER TABLE experience_postings RENAME TO experience_terms;
CREATE UNIQUE INDEX experience_terms_postings ON experience_terms (lexeme, seq) INCLUDE (tf, length);
CREATE INDEX experience_terms_seq ON experience_terms (seq);

INSERT INTO plurum_schema_migrations (version) VALUES (4);
