//! SQL for the vector table itself (Postgres): its size, what lacks a vector, recreating
//! it for a model of another dimension (the template in migrations/postgres/0001), and its
//! HNSW index where the server's pgvector can serve filtered searches from one.

use postgres::Transaction;

use super::PgTx;
use crate::error::Result;
use crate::store::{VectorMethod, VectorTx};

/// The HNSW index of `experience_vectors` (L2 distance, as the search ranks by).
pub(super) const INDEX: &str = "experience_vectors_hnsw";

/// The largest dimension pgvector indexes as `vector` (its HNSW and IVFFlat limit).
const MAX_INDEXED_DIMENSION: usize = 2000;

/// Whether pgvector `version` can serve the default vector search from an HNSW index over
/// `dim`-dimensional vectors; why not, when it cannot. Iterative index scans (0.8.0) are
/// what keep a filtered search complete: without them the index hands over its
/// `ef_search` nearest and the filter may leave fewer than asked for, so an older pgvector
/// ranks exactly.
pub(super) fn index_support(version: &str, dim: usize) -> std::result::Result<(), String> {
    let numbers: Vec<u32> = version
        .split(['.', '-'])
        .map_while(|n| n.parse().ok())
        .collect();
    if numbers.len() < 2 || (numbers[0], numbers[1]) < (0, 8) {
        return Err(format!(
            "pgvector {version} has no iterative index scans (0.8.0 added them), so a filtered search could come back short from an index"
        ));
    }
    if dim > MAX_INDEXED_DIMENSION {
        return Err(format!(
            "pgvector indexes vectors of at most {MAX_INDEXED_DIMENSION} dimensions, and these have {dim}"
        ));
    }
    Ok(())
}

/// The server's pgvector version, the vector column's dimension, and whether the index is
/// there.
fn index_facts(c: &mut Transaction) -> Result<(String, usize, bool)> {
    let r = c.query_one(
        &format!(
            "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),
                    (SELECT atttypmod FROM pg_attribute
                     WHERE attrelid = 'experience_vectors'::regclass AND attname = 'embedding'),
                    to_regclass('{INDEX}') IS NOT NULL"
        ),
        &[],
    )?;
    let version: Option<String> = r.get(0);
    let dim: Option<i32> = r.get(1);
    Ok((
        version.unwrap_or_default(),
        usize::try_from(dim.unwrap_or(0)).unwrap_or(0),
        r.get(2),
    ))
}

/// Whether the default search can use the index: it is there (and so supported).
pub(super) fn has_index(c: &mut Transaction) -> Result<bool> {
    Ok(
        c.query_one(&format!("SELECT to_regclass('{INDEX}') IS NOT NULL"), &[])?
            .get(0),
    )
}

/// Builds the index if the server supports it and it is missing; true when built.
pub(super) fn ensure_index(c: &mut Transaction) -> Result<bool> {
    let (version, dim, exists) = index_facts(c)?;
    if exists || index_support(&version, dim).is_err() {
        return Ok(false);
    }
    // m 32 and ef_construction 200, not pgvector's 16 and 64: where many experiences are
    // near-copies of each other (a collective's repeated lessons; the scale bench's noisy
    // copies), each node's 16 links all go to its own cluster and a search cannot leave a
    // cluster it entered. Measured at 100,000 on off-cluster queries (the sum of two
    // stored vectors): recall@10 at ef_search 400 was 0.89 with 16/64 and 0.985 with
    // 32/200; building took 79 s.
    c.batch_execute(&format!(
        "CREATE INDEX {INDEX} ON experience_vectors USING hnsw (embedding vector_l2_ops)
         WITH (m = 32, ef_construction = 200)"
    ))?;
    Ok(true)
}

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
             DELETE FROM session_vectors;
             DELETE FROM experience_lesson_vectors;",
            create_table_sql(dim)
        ))?;
        ensure_index(c)?;
        bump_version(c)
    }
    fn lesson_vectors(&self, seqs: &[i64]) -> Result<std::collections::HashMap<i64, Vec<f32>>> {
        let c = &mut self.tx();
        let seqs = seqs.to_vec();
        Ok(c.query(
            "SELECT seq, embedding FROM experience_lesson_vectors WHERE seq = ANY($1)",
            &[&seqs],
        )?
        .iter()
        .map(|r| (r.get::<_, i64>(0), r.get::<_, Vec<f32>>(1)))
        .collect())
    }
    fn set_lesson_vector(&self, seq: i64, vector: &[f32]) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "INSERT INTO experience_lesson_vectors (seq, embedding) VALUES ($1, $2)
             ON CONFLICT (seq) DO UPDATE SET embedding = excluded.embedding",
            &[&seq, &vector.to_vec()],
        )?;
        Ok(())
    }
    fn clear_lesson_vector(&self, seq: i64) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "DELETE FROM experience_lesson_vectors WHERE seq = $1",
            &[&seq],
        )?;
        Ok(())
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
    fn vector_method(&self) -> Result<VectorMethod> {
        let (version, dim, exists) = self.with(index_facts)?;
        let exact = |reason| VectorMethod {
            method: format!("every vector compared in the database (pgvector {version})"),
            approximate: false,
            reason,
            index_missing: false,
        };
        Ok(match index_support(&version, dim) {
            Err(reason) => exact(Some(reason)),
            Ok(()) if !exists => VectorMethod {
                index_missing: true,
                ..exact(Some(format!("the HNSW index {INDEX} is missing")))
            },
            Ok(()) => VectorMethod {
                method: format!("HNSW index (pgvector {version}), iterative scans under filters"),
                approximate: true,
                reason: None,
                index_missing: false,
            },
        })
    }
    fn build_vector_index(&self) -> Result<bool> {
        self.with(ensure_index)
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

#[cfg(test)]
mod tests {
    use super::index_support;

    #[test]
    fn an_index_serves_from_pgvector_0_8_and_up_to_2000_dimensions() {
        assert!(index_support("0.8.0", 384).is_ok());
        assert!(index_support("0.8.5", 2000).is_ok());
        assert!(index_support("0.10.1", 1024).is_ok());
        assert!(index_support("1.0.0", 768).is_ok());
        let old = index_support("0.6.2", 384).unwrap_err();
        assert!(old.contains("0.6.2") && old.contains("iterative"), "{old}");
        assert!(index_support("0.7.4", 384).is_err());
        assert!(index_support("", 384).is_err());
        let wide = index_support("0.8.5", 3072).unwrap_err();
        assert!(wide.contains("3072") && wide.contains("2000"), "{wide}");
    }
}
