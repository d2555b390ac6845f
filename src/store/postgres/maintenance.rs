//! SQL for keeping a Postgres store healthy. Postgres checks its own pages (checksums, WAL),
//! so there is no `PRAGMA integrity_check` to run: the integrity check reports the index
//! consistency the store can see; file facts are the database's size in blocks.

use super::PgTx;
use crate::error::Result;
use crate::store::MaintenanceTx;
use crate::store::{FileFacts, IndexCounts};

impl MaintenanceTx for PgTx<'_> {
    fn integrity_problems(&self) -> Result<Vec<String>> {
        let c = &mut self.tx();
        // A query over every table fails if the database cannot read it.
        c.query_one(
            "SELECT (SELECT count(*) FROM experiences), (SELECT count(*) FROM agents)",
            &[],
        )?;
        Ok(vec!["ok".to_string()])
    }
    fn index_counts(&self) -> Result<IndexCounts> {
        self.index_pending()?;
        let c = &mut self.tx();
        let r = c.query_one(
            "SELECT (SELECT count(*) FROM experiences),
                    (SELECT count(*) FROM experience_fts),
                    (SELECT count(*) FROM experience_fts f
                      WHERE NOT EXISTS (SELECT 1 FROM experiences e WHERE e.seq = f.seq)),
                    (SELECT count(*) FROM experiences e
                      WHERE NOT EXISTS (SELECT 1 FROM experience_fts f WHERE f.seq = e.seq)),
                    (SELECT count(*) FROM experience_vectors),
                    (SELECT count(*) FROM experience_vectors v
                      WHERE NOT EXISTS (SELECT 1 FROM experiences e WHERE e.seq = v.seq))",
            &[],
        )?;
        Ok(IndexCounts {
            experiences: r.get(0),
            keyword_rows: r.get(1),
            orphan_keyword_rows: r.get(2),
            missing_keyword_rows: r.get(3),
            vectors: r.get(4),
            orphan_vectors: r.get(5),
            missing_vectors: super::vectors::count_missing(c)?,
            stale_counts: 0,
            stale_keyword_terms: stale_keyword_counts(c)?,
            stale_vector_codes: 0,
            keyword_documents_pending: super::retokenise::left(c)?,
        })
    }
    fn file_facts(&self) -> Result<FileFacts> {
        let c = &mut self.tx();
        let r = c.query_one(
            "SELECT current_setting('block_size')::bigint,
                    pg_database_size(current_database())",
            &[],
        )?;
        let (page_size, bytes): (i64, i64) = (r.get(0), r.get(1));
        Ok(FileFacts {
            page_size,
            pages: bytes / page_size.max(1),
            free_pages: 0,
        })
    }
    fn rebuild_keywords(&self) -> Result<usize> {
        let c = &mut self.tx();
        c.execute("DELETE FROM experience_fts", &[])?;
        c.execute("DELETE FROM experience_terms", &[])?;
        c.execute("DELETE FROM experience_lengths", &[])?;
        // Whatever the kept counts held (the triggers took the deleted rows off), they start
        // again from nothing: indexing each experience below counts it in.
        c.execute("DELETE FROM keyword_lexeme_docs", &[])?;
        c.execute("DELETE FROM keyword_totals", &[])?;
        // Every document below gets the current tokens: no batches left to run.
        c.execute("DELETE FROM keyword_retokenise", &[])?;
        // A page at a time: a million experiences do not fit in memory at once.
        let (mut after, mut count) = (i64::MIN, 0);
        loop {
            let page = super::experiences::page_after(c, after)?;
            let Some(last) = page.last() else {
                return Ok(count);
            };
            after = last.seq;
            for e in &page {
                super::experiences::store_document(c, e.seq, &e.content)?;
            }
            let seqs: Vec<i64> = page.iter().map(|e| e.seq).collect();
            super::experiences::index_postings(c, &seqs)?;
            count += page.len();
        }
    }
    fn rebuild_vectors(&self, dim: usize) -> Result<usize> {
        let c = &mut self.tx();
        // In the database, not through this process: a million vectors are 1.5 GB.
        c.batch_execute(&format!(
            "CREATE TEMP TABLE kept_vectors ON COMMIT DROP AS
                 SELECT v.seq, v.embedding FROM experience_vectors v
                 WHERE v.seq IN (SELECT seq FROM experiences);
             DROP TABLE experience_vectors; {}",
            super::vectors::create_table_sql(dim)
        ))?;
        let kept = c.execute(
            "INSERT INTO experience_vectors (seq, embedding) SELECT seq, embedding FROM kept_vectors",
            &[],
        )? as usize;
        c.batch_execute("DROP TABLE kept_vectors")?;
        // After the rows: building the graph once is faster than growing it row by row.
        super::vectors::ensure_index(c)?;
        super::vectors::bump_version(c)?;
        c.execute(
            "DELETE FROM session_vectors WHERE session_seq NOT IN (SELECT seq FROM sessions)",
            &[],
        )?;
        Ok(kept)
    }
    fn meta(&self, key: &str) -> Result<Option<String>> {
        let c = &mut self.tx();
        Ok(
            c.query_opt("SELECT value FROM store_meta WHERE key = $1", &[&key])?
                .map(|r| r.get(0)),
        )
    }
    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "INSERT INTO store_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }
}

/// Lexemes whose kept document count (migrations/postgres/0005) disagrees with the postings,
/// plus one if the kept totals disagree with the lengths: what a trigger dropped or a hand
/// edit broke. A full pass over the postings, as `doctor` makes.
fn stale_keyword_counts(c: &mut postgres::Transaction) -> Result<i64> {
    let r = c.query_one(
        "SELECT (SELECT count(*)
                 FROM (SELECT lexeme, count(*) AS docs FROM experience_terms GROUP BY lexeme) t
                 FULL JOIN (SELECT lexeme, sum(docs) AS docs FROM keyword_lexeme_docs
                            GROUP BY lexeme HAVING sum(docs) <> 0) k USING (lexeme)
                 WHERE t.docs IS DISTINCT FROM k.docs),
                (SELECT (count(*), coalesce(sum(length), 0)::float8)
                        IS DISTINCT FROM
                        ((SELECT coalesce(sum(docs), 0) FROM keyword_totals),
                         (SELECT coalesce(sum(length), 0)::float8 FROM keyword_totals))
                 FROM experience_lengths)",
        &[],
    )?;
    let (terms, totals): (i64, bool) = (r.get(0), r.get(1));
    Ok(terms + i64::from(totals))
}
