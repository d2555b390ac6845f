//! SQL for the vector table itself: its size, what lacks a vector, rebuilding it for a
//! model of another dimension. Counts and lookups read vec0's rowid table
//! ([`sqlite_vec::ROWIDS`]), which is cheap where the virtual table is scanned.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::sqlite_vec::{self, ROWIDS};
use crate::error::Result;
use crate::store::{VectorMethod, VectorTx};

/// Records that the vector table changed, so processes holding a copy of it in memory
/// (search's vector cache) reload it. Every write to the table calls this.
pub fn bump_version(conn: &Connection) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO store_meta (key, value) VALUES ('vectors_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    )?
    .execute([])?;
    Ok(())
}

/// The vectors, counted row by row (for `doctor`; a search reads [`kept_counts`]).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(&format!("SELECT count(*) FROM {ROWIDS}"), [], |r| r.get(0))?)
}

/// The kept counts of experiences and of vectors (`store_counts`).
fn kept_counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT n FROM store_counts WHERE name = 'experiences'),
                    (SELECT n FROM store_counts WHERE name = 'vectors')",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            ))
        })?)
}

/// Adds `by` to the kept count of vectors (every vector write calls this).
pub fn count_vectors(conn: &Connection, by: i64) -> Result<()> {
    conn.prepare_cached("UPDATE store_counts SET n = n + ?1 WHERE name = 'vectors'")?
        .execute([by])?;
    Ok(())
}

/// Sets the kept counts from the rows (after a rebuild, and by `doctor --fix`).
pub fn recount(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO store_counts (name, n) VALUES
             ('experiences', (SELECT count(*) FROM experiences)), ('vectors', ?1)
         ON CONFLICT (name) DO UPDATE SET n = excluded.n",
        [count(conn)?],
    )?;
    Ok(())
}

/// How many kept counts disagree with the rows.
pub fn stale_counts(conn: &Connection) -> Result<i64> {
    let (experiences, vectors) = kept_counts(conn)?;
    let real: i64 = conn.query_row("SELECT count(*) FROM experiences", [], |r| r.get(0))?;
    Ok(i64::from(experiences != real) + i64::from(vectors != count(conn)?))
}

impl VectorTx for Connection {
    fn recreate_vector_table(&self, dim: usize) -> Result<()> {
        self.execute_batch(&format!(
            "DROP TABLE IF EXISTS experience_vectors;
             {}
             DELETE FROM session_vectors;
             DELETE FROM experience_lesson_vectors;
             UPDATE store_counts SET n = 0 WHERE name = 'vectors';",
            sqlite_vec::create_table_sql(dim)
        ))?;
        super::vector_codes::clear(self)?;
        bump_version(self)
    }
    fn lesson_vectors(&self, seqs: &[i64]) -> Result<HashMap<i64, Vec<f32>>> {
        let mut stmt =
            self.prepare_cached("SELECT embedding FROM experience_lesson_vectors WHERE seq = ?1")?;
        let mut out = HashMap::new();
        for &seq in seqs {
            if let Some(bytes) = stmt
                .query_row([seq], |r| r.get::<_, Vec<u8>>(0))
                .optional()?
            {
                out.insert(seq, super::columns::vector_from_blob(&bytes));
            }
        }
        Ok(out)
    }
    fn set_lesson_vector(&self, seq: i64, vector: &[f32]) -> Result<()> {
        self.prepare_cached(
            "INSERT OR REPLACE INTO experience_lesson_vectors (seq, embedding) VALUES (?1, ?2)",
        )?
        .execute(rusqlite::params![
            seq,
            super::columns::vector_to_blob(vector)
        ])?;
        Ok(())
    }
    fn clear_lesson_vector(&self, seq: i64) -> Result<()> {
        self.prepare_cached("DELETE FROM experience_lesson_vectors WHERE seq = ?1")?
            .execute([seq])?;
        Ok(())
    }
    fn vector_fingerprint(&self) -> Result<(i64, i64)> {
        Ok(self
            .prepare_cached(&format!(
                "SELECT (SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'vectors_version'),
                        (SELECT max(rowid) FROM {ROWIDS})"
            ))?
            .query_row([], |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                ))
            })?)
    }
    fn vector_count(&self) -> Result<i64> {
        count(self)
    }
    fn seqs_missing_vectors(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT e.seq FROM experiences e
             WHERE e.seq > ?1 AND NOT EXISTS (SELECT 1 FROM {ROWIDS} r WHERE r.rowid = e.seq)
             ORDER BY e.seq LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after_seq, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn count_missing_vectors(&self) -> Result<i64> {
        Ok(self.query_row(
            &format!(
                "SELECT count(*) FROM experiences e
                 WHERE NOT EXISTS (SELECT 1 FROM {ROWIDS} r WHERE r.rowid = e.seq)"
            ),
            [],
            |r| r.get(0),
        )?)
    }
    fn has_vector(&self, seq: i64) -> Result<bool> {
        Ok(self
            .prepare_cached(&format!("SELECT count(*) FROM {ROWIDS} WHERE rowid = ?1"))?
            .query_row([seq], |r| r.get::<_, i64>(0))?
            > 0)
    }
    fn vector_coverage(&self) -> Result<Option<f64>> {
        let (experiences, vectors) = kept_counts(self)?;
        if vectors >= experiences {
            return Ok(None);
        }
        let (searchable, missing): (i64, i64) = self
            .prepare_cached(&format!(
                "SELECT count(*),
                        coalesce(sum(NOT EXISTS (SELECT 1 FROM {ROWIDS} r WHERE r.rowid = e.seq)), 0)
                 FROM experiences e WHERE e.status IN {searchable}",
                searchable = crate::store::sql::searchable_statuses()
            ))?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if missing == 0 || searchable == 0 {
            return Ok(None);
        }
        Ok(Some((searchable - missing) as f64 / searchable as f64))
    }
    fn seqs_after(&self, after_seq: i64, limit: usize) -> Result<Vec<i64>> {
        let mut stmt = self
            .prepare_cached("SELECT seq FROM experiences WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![after_seq, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn vector_method(&self) -> Result<VectorMethod> {
        Ok(VectorMethod {
            method:
                "quantised sign-bit codes, the best candidates rescored with their float32 vectors"
                    .into(),
            approximate: true,
            reason: None,
            index_missing: false,
        })
    }
    /// The codes are the index, kept with every write (and rebuilt by `doctor --fix`).
    fn build_vector_index(&self) -> Result<bool> {
        Ok(false)
    }
}
