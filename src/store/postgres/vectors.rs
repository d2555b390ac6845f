//! SQL for the vector table itself (Postgres): its size, what lacks a vector, recreating
//! it for a model of another dimension (the template in migrations/postgres/0001).

use postgres::Transaction;

use crate::error::Result;

/// The statements that (re)create the vector table for `dim`-dimensional vectors.
pub(super) fn create_table_sql(dim: usize) -> String {
    format!(
        "CREATE TABLE experience_vectors (
            seq       bigint PRIMARY KEY REFERENCES experiences(seq) ON DELETE CASCADE,
            embedding vector({dim}) NOT NULL
        );"
    )
}

pub fn recreate(c: &mut Transaction, dim: usize) -> Result<()> {
    c.batch_execute(&format!(
        "DROP TABLE IF EXISTS experience_vectors;
         {}
         DELETE FROM session_vectors;",
        create_table_sql(dim)
    ))?;
    bump_version(c)
}

pub fn bump_version(c: &mut Transaction) -> Result<()> {
    c.execute(
        "INSERT INTO store_meta (key, value) VALUES ('vectors_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = (store_meta.value::bigint + 1)::text",
        &[],
    )?;
    Ok(())
}

pub fn fingerprint(c: &mut Transaction) -> Result<(i64, i64)> {
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

pub fn count(c: &mut Transaction) -> Result<i64> {
    Ok(c.query_one("SELECT count(*) FROM experience_vectors", &[])?
        .get(0))
}

pub fn missing(c: &mut Transaction, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
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

pub fn count_missing(c: &mut Transaction) -> Result<i64> {
    Ok(c.query_one(
        "SELECT count(*) FROM experiences e
         WHERE NOT EXISTS (SELECT 1 FROM experience_vectors v WHERE v.seq = e.seq)",
        &[],
    )?
    .get(0))
}

pub fn has_vector(c: &mut Transaction, seq: i64) -> Result<bool> {
    Ok(
        c.query_opt("SELECT 1 FROM experience_vectors WHERE seq = $1", &[&seq])?
            .is_some(),
    )
}

pub fn coverage(c: &mut Transaction) -> Result<Option<f64>> {
    let r = c.query_one(
        "SELECT (SELECT count(*) FROM experience_vectors), (SELECT count(*) FROM experiences)",
        &[],
    )?;
    let (vectors, experiences): (i64, i64) = (r.get(0), r.get(1));
    if vectors >= experiences {
        return Ok(None);
    }
    let r = c.query_one(
        "SELECT count(*),
                count(*) FILTER (WHERE NOT EXISTS
                    (SELECT 1 FROM experience_vectors v WHERE v.seq = e.seq))
         FROM experiences e WHERE e.status IN ('published', 'verified')",
        &[],
    )?;
    let (searchable, missing): (i64, i64) = (r.get(0), r.get(1));
    if missing == 0 || searchable == 0 {
        return Ok(None);
    }
    Ok(Some((searchable - missing) as f64 / searchable as f64))
}

pub fn seqs_after(c: &mut Transaction, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
    Ok(c.query(
        "SELECT seq FROM experiences WHERE seq > $1 ORDER BY seq LIMIT $2",
        &[&after_seq, &(limit as i64)],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect())
}
