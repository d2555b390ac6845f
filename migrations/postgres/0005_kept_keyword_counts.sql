-- plurum store schema for PostgreSQL, version 5: the keyword arm's statistics are kept as
-- the postings change, instead of counted at every search.
--
-- BM25 needs how many documents there are, their average length, and how many hold each
-- query word. Version 4 counted them per search: count(*) and avg(length) over every
-- document, count(*) over each word's postings (a word in half of a million documents
-- is half a million index entries read per search). Kept here instead, by triggers on the
-- tables they summarise, so every writer (index_keywords, a cascade from a deleted
-- experience, a rebuild) keeps them right in its own transaction.
--
-- Many `plurum serve` processes write at once: a single counter row per word (or one row
-- for the totals) would make every writer that indexes a common word queue behind the
-- others until they commit. So each count is split over 16 shards and a writer adds to the
-- shard of its connection (its backend pid modulo 16); a reader sums the shards. Rows are
-- locked in word order, so two writers on one shard wait rather than deadlock.

CREATE FUNCTION plurum_count_shard() RETURNS smallint
    LANGUAGE sql VOLATILE AS $$ SELECT (pg_backend_pid() % 16)::smallint $$;

-- How many documents hold each lexeme (the sum over its shards).
CREATE TABLE keyword_lexeme_docs (
    lexeme text     NOT NULL,
    shard  smallint NOT NULL,
    docs   bigint   NOT NULL,
    PRIMARY KEY (lexeme, shard)
);

-- How many documents there are, and their lengths summed (the sums over the shards).
CREATE TABLE keyword_totals (
    shard  smallint PRIMARY KEY,
    docs   bigint           NOT NULL,
    length double precision NOT NULL
);

CREATE FUNCTION plurum_terms_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO keyword_lexeme_docs AS k (lexeme, shard, docs)
    SELECT lexeme, plurum_count_shard(), count(*) FROM inserted GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme, shard) DO UPDATE SET docs = k.docs + excluded.docs;
    RETURN NULL;
END $$;

CREATE FUNCTION plurum_terms_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO keyword_lexeme_docs AS k (lexeme, shard, docs)
    SELECT lexeme, plurum_count_shard(), -count(*) FROM deleted GROUP BY lexeme ORDER BY lexeme
    ON CONFLICT (lexeme, shard) DO UPDATE SET docs = k.docs + excluded.docs;
    RETURN NULL;
END $$;

CREATE TRIGGER experience_terms_counted_in AFTER INSERT ON experience_terms
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION plurum_terms_inserted();
CREATE TRIGGER experience_terms_counted_out AFTER DELETE ON experience_terms
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION plurum_terms_deleted();

-- docs and length added to this connection's shard (either may be negative).
CREATE FUNCTION plurum_add_totals(docs bigint, length double precision) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO keyword_totals AS k (shard, docs, length)
    VALUES (plurum_count_shard(), docs, length)
    ON CONFLICT (shard) DO UPDATE SET docs = k.docs + excluded.docs, length = k.length + excluded.length
$$;

CREATE FUNCTION plurum_lengths_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM plurum_add_totals(count(*), coalesce(sum(length), 0)) FROM inserted HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION plurum_lengths_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM plurum_add_totals(0, change)
    FROM (SELECT (SELECT coalesce(sum(length), 0) FROM inserted)
                 - (SELECT coalesce(sum(length), 0) FROM deleted) AS change) c
    WHERE change <> 0;
    RETURN NULL;
END $$;

CREATE FUNCTION plurum_lengths_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM plurum_add_totals(-count(*), -coalesce(sum(length), 0)) FROM deleted HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE TRIGGER experience_lengths_counted_in AFTER INSERT ON experience_lengths
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION plurum_lengths_inserted();
CREATE TRIGGER experience_lengths_counted_change AFTER UPDATE ON experience_lengths
    REFERENCING OLD TABLE AS deleted NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION plurum_lengths_updated();
CREATE TRIGGER experience_lengths_counted_out AFTER DELETE ON experience_lengths
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION plurum_lengths_deleted();

-- The documents indexed before this version.
INSERT INTO keyword_lexeme_docs (lexeme, shard, docs)
SELECT lexeme, 0, count(*) FROM experience_terms GROUP BY lexeme;
INSERT INTO keyword_totals (shard, docs, length)
SELECT 0, count(*), coalesce(sum(length), 0) FROM experience_lengths;

INSERT INTO plurum_schema_migrations (version) VALUES (5);
