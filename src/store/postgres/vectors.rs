//! SQL for the vector table itself (Postgres): its size, what lacks a vector, recreating
//! it for a model of another dimension (the template in migrations/postgres/0001).

use postgres::Transaction;

use super::PgTx;
use crate::error::Result;
use crate::store::VectorTx;

/// The statements that (re)create the vector table for `dim`-dimensional vectors.
pub(super) fn create_table_sql(dim: usize) -> String {
    format!(
        "CREATE TABLE experience_vectors (
            seq       bigint PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
            embedding vector({dim}) NOT NULL
        );"
    )
}

pub fn bump_version(c: &mut Transaction) -> Result<()> {
    c.execute(
        "INSERT INTO store_meta (key, value) VALUES ('vectors_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = (store_meta.value::bigint + 1)::text",
        &[],
    )?;
    Ok(())
}

pub fn count(c: &mut Transaction) -> Result<i64> {
    Ok(c.query_one("SELECT count(*) FROM experience_vectors", &[])?
        .get(0))
}

pub(super) fn count_missing(c: &mut Transaction) -> Result<i64> {
    Ok(c.query_one(
        "SELECT count(*) FROM experiences e
         WHERE NOT EXISTS (SELECT 1 FROM experience_vectors v WHERE v.seq = e.seq)",
        &[],
    )?
    .get(0))
}

impl VectorTx for PgTx<'_> {
    fn recreate_vector_table(&self, dim: usize) -> Result<()> {
        let c = &mut self.tx();
        c.batch_execute(&format!(
            "DROP TABLE IF EXISTS experience_vectors;
             {}
             DELETE FROM session_vectors;",
            create_table_sql(dim)
        ))?;
        bump_version(c)
    }
    fn vector_fingerprint(&self) -> Result<(i64, i64)> {
        let c = &mut self.tx();
        let r = c.query_one(
            "SELECT (SELECT value::bigint FROM store_meta WHERE key = 'vectors_version'),
                    (SELECT max(seq) FROM experience_vectors)",
            &[],
        )?;
        Ok((
            r.get::<_, Option<i64>>(0).unwrap_or(0),
            r.get::<_, Option<i64>>(1).unwrap_or(0),
        ))
    }
    fn vector_count(&self) -> Result<i64> {
        self.with(count)
    }
    fn seqs_missing_vectors(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT e.seq FROM experiences e
             WHERE e.seq > $1 AND NOT EXISTS (SELECT 1 FROM experience_vectors v WHERE v.seq = e.seq)
             ORDER BY e.seq LIMIT $2",
            &[&after_seq, &(limit as i64)],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }
    fn count_missing_vectors(&self) -> Result<i64> {
        self.with(|c| count_missing(c))
    }
    fn has_vector(&self, seq: i64) -> Result<bool> {
        let c = &mut self.tx();
        Ok(
            c.query_opt("SELECT 1 FROM experience_vectors WHERE seq = $1", &[&seq])?
                .is_some(),
        )
    }
    fn vector_coverage(&self) -> Result<Option<f64>> {
        let c = &mut self.tx();
        let r = c.query_one(
            "SELECT (SELECT count(*) FROM experience_vectors), (SELECT count(*) FROM experiences)",
            &[],
        )?;
        let (vectors, experiences): (i64, i64) = (r.get(0), r.get(1));
        if vectors >= experiences {
            return Ok(None);
        }
        let r = c.query_one(
            &format!(
                "SELECT count(*),
                    count(*) FILTER (WHERE NOT EXISTS
                        (SELECT 1 FROM experience_vectors v WHERE v.seq = e.seq))
             FROM experiences e WHERE e.status IN {searchable}",
                searchable = crate::store::sql::searchable_statuses()
            ),
            &[],
        )?;
        let (searchable, missing): (i64, i64) = (r.get(0), r.get(1));
        if missing == 0 || searchable == 0 {
            return Ok(None);
        }
        Ok(Some((searchable - missing) as f64 / searchable as f64))
    }
    fn seqs_after(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT seq FROM experiences WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after_seq, &(limit as i64)],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }
}
