//! SQL for search: who may be found (eligibility), the FTS5 keyword arm's queries, and the
//! rows a search returns. The search itself (query parsing, the vector scan, fusion) is in
//! `crate::search`; sqlite-vec's storage is read in `sqlite_vec`.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::error::Result;
use crate::store::SearchTx;
use crate::store::{Eligibility, KeywordQuery, sql};

/// A parsed keyword query in FTS5's syntax: each term quoted (so no word is read as an
/// operator), any of them matching.
fn fts5(query: &KeywordQuery) -> String {
    query
        .terms
        .iter()
        .map(|words| format!("\"{}\"", words.join(" ")))
        .collect::<Vec<_>>()
        .join(" OR ")
}

impl SearchTx for Connection {
    fn eligible_seqs(&self, elig: &Eligibility) -> Result<HashSet<i64>> {
        let mut args = Vec::new();
        let filter = sql::eligible(&mut args, elig);
        let mut stmt =
            self.prepare_cached(&format!("SELECT e.seq FROM experiences e WHERE {filter}"))?;
        Ok(stmt
            .query_map(params_from_iter(args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
    fn keep_eligible(
        &self,
        candidates: Vec<(i64, f64)>,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let seqs: Vec<SqlValue> = candidates
            .iter()
            .map(|(seq, _)| SqlValue::Integer(*seq))
            .collect();
        let mut args = vec![SqlValue::Null];
        let filter = sql::eligible(&mut args, elig);
        // One cached statement whatever the candidates: they are bound as an array, and the
        // CROSS JOIN makes SQLite look each one up by seq (with `e.seq IN rarray(?1)` it cannot
        // tell the array is small and scans the whole table instead).
        let mut stmt = self.prepare_cached(&format!(
            "SELECT e.seq FROM rarray(?1) AS c CROSS JOIN experiences e ON e.seq = c.value
             WHERE {filter}"
        ))?;
        stmt.raw_bind_parameter(1, std::rc::Rc::new(seqs))?;
        for (i, arg) in args.iter().enumerate().skip(1) {
            stmt.raw_bind_parameter(i + 1, arg)?;
        }
        let mut rows = stmt.raw_query();
        let mut ok = HashSet::with_capacity(candidates.len());
        while let Some(row) = rows.next()? {
            ok.insert(row.get::<_, i64>(0)?);
        }
        Ok(candidates
            .into_iter()
            .filter(|(seq, _)| ok.contains(seq))
            .collect())
    }
    fn keyword_ranked(&self, query: &KeywordQuery, depth: usize) -> Result<Vec<(i64, f64)>> {
        let mut stmt = self.prepare_cached(&format!(
            "SELECT rowid, -bm25(experience_fts, {}) AS score
             FROM experience_fts WHERE experience_fts MATCH ?1
             ORDER BY score DESC, rowid LIMIT ?2",
            sql::fts5_column_weights()
        ))?;
        let rows = stmt.query_map(rusqlite::params![fts5(query), depth as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        let mut args = vec![SqlValue::Text(fts5(query)), SqlValue::Integer(k as i64)];
        let filter = sql::eligible(&mut args, elig);
        let statement = format!(
            "SELECT f.rowid, -bm25(experience_fts, {}) AS score
             FROM experience_fts f JOIN experiences e ON e.seq = f.rowid
             WHERE experience_fts MATCH ?1 AND {filter}
             ORDER BY score DESC, f.rowid LIMIT ?2",
            sql::fts5_column_weights()
        );
        let mut stmt = self.prepare_cached(&statement)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn experience_vector(&self, seq: i64) -> Result<Option<Vec<f32>>> {
        let bytes: Option<Vec<u8>> = self
            .prepare_cached("SELECT embedding FROM experience_vectors WHERE rowid = ?1")?
            .query_row([seq], |r| r.get(0))
            .optional()?;
        Ok(bytes.as_deref().map(super::columns::vector_from_blob))
    }
    fn experiences_by_seq(
        &self,
        seqs: &[i64],
    ) -> Result<HashMap<i64, crate::model::experience::Experience>> {
        let mut out = HashMap::with_capacity(seqs.len());
        for &seq in seqs {
            if let Some(e) = super::experiences::by_seq(self, seq)? {
                out.insert(seq, e);
            }
        }
        Ok(out)
    }
    fn walk_vectors(
        &self,
        dim: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut crate::store::VectorVisitor,
    ) -> Result<()> {
        super::sqlite_vec::walk_vectors(self, dim, only, visit)
    }
    fn keeps_vector_codes(&self) -> bool {
        true
    }
    fn walk_vector_codes(
        &self,
        len: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut crate::store::CodeVisitor,
    ) -> Result<()> {
        super::vector_codes::walk(self, len, only, visit)
    }
    fn vectors_of(&self, seqs: &[i64], dim: usize) -> Result<(Vec<i64>, Vec<f32>)> {
        super::sqlite_vec::vectors_of(self, seqs, dim)
    }
    /// An exact scan of the vector pages, skipping the ineligible before any distance.
    fn nearest(
        &self,
        query: &[f32],
        k: usize,
        elig: Option<&Eligibility>,
    ) -> Result<Vec<(i64, f64)>> {
        let only = elig.map(|e| self.eligible_seqs(e)).transpose()?;
        if only.as_ref().is_some_and(HashSet::is_empty) {
            return Ok(Vec::new());
        }
        super::sqlite_vec::scan_vectors(self, query, k, only.as_ref())
    }
}
