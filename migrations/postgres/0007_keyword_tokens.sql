-- plurum store schema for PostgreSQL, version 7: keyword documents made of plurum's own
-- tokens (src/model/keyword_tokens.rs), the same as the SQLite store's: runs of Han,
-- Hiragana, Katakana and Hangul as overlapping pairs of characters, accents folded (no
-- `unaccent` module needed), text split where SQLite's unicode61 splits it.
--
-- Every document indexed before must be tokenised again, which takes many minutes at a
-- million experiences: too long to hold the other instances behind the migrations' lock. So
-- this migration only records where that work stands; plurum does it after the lock is
-- released, a batch of experiences per transaction (store/postgres/retokenise.rs), whichever
-- instance takes the row first, and resumes after a restart.
CREATE TABLE keyword_retokenise (
    one   boolean PRIMARY KEY DEFAULT true CHECK (one),
    -- The last seq whose document has its new tokens.
    after bigint NOT NULL
);
INSERT INTO keyword_retokenise (after) SELECT 0 WHERE EXISTS (SELECT 1 FROM experiences);

INSERT INTO plurum_schema_migrations (version) VALUES (7);
