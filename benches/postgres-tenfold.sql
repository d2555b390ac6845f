-- The scale bench's Postgres store of 1,000,000 experiences, made from the one of 100,000
-- (`plurum copy --to` moves about 100 experiences a second into Postgres: the million would
-- take hours). Run by benches/scale.rs, statement by statement, in a copy of database
-- scale_100000 (CREATE DATABASE scale_1000000 TEMPLATE scale_100000).
--
-- Every experience gets nine copies, as the SQLite store of 1,000,000 is built: the same
-- text (so the same keyword rows), the vector with a little noise (uniform in ±0.03 per
-- component, then normalised), new ids. The keyword counts are recounted as migration 5
-- fills them, and the HNSW index is built once at the end, as `doctor --fix` builds it.
SET maintenance_work_mem = '4GB';
SET max_parallel_maintenance_workers = 1;

DROP INDEX IF EXISTS experience_vectors_hnsw;
ALTER TABLE experience_terms DISABLE TRIGGER USER;
ALTER TABLE experience_lengths DISABLE TRIGGER USER;

CREATE TEMP TABLE copies AS
SELECT e.seq AS original, r.n AS copy,
       nextval(pg_get_serial_sequence('experiences', 'seq')) AS seq
FROM experiences e, generate_series(1, 9) AS r(n);

-- Ids a store accepts (an export of this store must import): a lower-case UUID from the
-- original's id and the copy's number, and an 8-hex-digit short id from the new seq (moved
-- out of the way where an original's random short id happens to be the same).
ALTER TABLE copies ADD COLUMN id text, ADD COLUMN short_id text;
UPDATE copies c SET id = md5(e.id || '-' || c.copy)::uuid::text,
                    short_id = lpad(to_hex(c.seq), 8, '0')
FROM experiences e WHERE e.seq = c.original;
UPDATE copies c SET short_id = lpad(to_hex(c.seq + 3000000000), 8, '0')
WHERE EXISTS (SELECT 1 FROM experiences o WHERE o.short_id = c.short_id);

INSERT INTO experiences (seq, id, short_id, session_id, agent_id, goal, domain, tools_used,
    dead_ends, breakthroughs, gotchas, context, attempts, solution, tags, confidence,
    context_structured, artifacts, status, visibility, outcome, success_count, failure_count,
    total_reports, success_rate, upvotes, downvotes, quality_score, origin, created_at,
    updated_at)
OVERRIDING SYSTEM VALUE
SELECT c.seq, c.id, c.short_id, e.session_id, e.agent_id, e.goal,
    e.domain, e.tools_used, e.dead_ends, e.breakthroughs, e.gotchas, e.context, e.attempts,
    e.solution, e.tags, e.confidence, e.context_structured, e.artifacts, e.status,
    e.visibility, e.outcome, e.success_count, e.failure_count, e.total_reports,
    e.success_rate, e.upvotes, e.downvotes, e.quality_score, e.origin, e.created_at,
    e.updated_at
FROM copies c JOIN experiences e ON e.seq = c.original;

INSERT INTO experience_tags (seq, tag)
SELECT c.seq, t.tag FROM copies c JOIN experience_tags t ON t.seq = c.original;
INSERT INTO experience_tools (seq, tool)
SELECT c.seq, t.tool FROM copies c JOIN experience_tools t ON t.seq = c.original;
INSERT INTO experience_fts (seq, document)
SELECT c.seq, f.document FROM copies c JOIN experience_fts f ON f.seq = c.original;
INSERT INTO experience_lengths (seq, length)
SELECT c.seq, l.length FROM copies c JOIN experience_lengths l ON l.seq = c.original;
INSERT INTO experience_terms (lexeme, seq, tf, length)
SELECT t.lexeme, c.seq, t.tf, t.length FROM copies c JOIN experience_terms t ON t.seq = c.original;
INSERT INTO experience_vectors (seq, embedding)
SELECT c.seq,
       l2_normalize((SELECT array_agg(x + (random() - 0.5) * 0.06 ORDER BY i)
                     FROM unnest(v.embedding::real[]) WITH ORDINALITY AS u(x, i))::vector)
FROM copies c JOIN experience_vectors v ON v.seq = c.original;

ALTER TABLE experience_terms ENABLE TRIGGER USER;
ALTER TABLE experience_lengths ENABLE TRIGGER USER;
DELETE FROM keyword_lexeme_docs;
DELETE FROM keyword_totals;
INSERT INTO keyword_lexeme_docs (lexeme, shard, docs)
SELECT lexeme, 0, count(*) FROM experience_terms GROUP BY lexeme;
INSERT INTO keyword_totals (shard, docs, length)
SELECT 0, count(*), coalesce(sum(length), 0) FROM experience_lengths;
INSERT INTO store_meta (key, value) VALUES ('vectors_version', '1')
ON CONFLICT (key) DO UPDATE SET value = (store_meta.value::bigint + 1)::text;

-- As src/store/postgres/vectors.rs builds it.
CREATE INDEX experience_vectors_hnsw ON experience_vectors USING hnsw (embedding vector_l2_ops)
    WITH (m = 32, ef_construction = 200);
VACUUM ANALYZE;
