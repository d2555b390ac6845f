//! SQL for search: who may be found (eligibility), the FTS5 keyword arm's queries, and the
//! rows a search returns. The search itself (query parsing, the vector scan, fusion) is in
//! `crate::search`; sqlite-vec's storage is read in `sqlite_vec`.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::fts5::{BM25, plan_blob};
use crate::error::Result;
use crate::store::SearchTx;
use crate::store::{Eligibility, KeywordPlan, KeywordQuery, KeywordStats, sql};

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

fn quoted(words: &[String]) -> String {
    format!("\"{}\"", words.join(" "))
}

/// A bounded ranking's FTS5 query and `plurum_bm25`'s plan: `(E) AND (E OR C)`, where E are
/// the essential terms and C the others. FTS5 walks the rows of E and, for each, moves the
/// lists of C to it (a seek through their page index, not a read of every entry), so C is
/// looked at only where E is; the second E only lets a row with no term of C through. The
/// plan tells `plurum_bm25` which phrase stands for which term, and counts each term once.
fn bounded(query: &KeywordQuery, plan: &KeywordPlan) -> (String, Vec<u8>) {
    let n = query.terms.len();
    let essential = plan.essential;
    if essential.len() >= n {
        let phrases: Vec<Option<usize>> = (0..n).map(Some).collect();
        return (fts5(query), plan_blob(plan.docs, &phrases));
    }
    let others: Vec<usize> = (0..n).filter(|i| !essential.contains(i)).collect();
    let list = |ids: &[usize]| {
        ids.iter()
            .map(|&i| quoted(&query.terms[i]))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let expression = format!(
        "({}) AND ({} OR {})",
        list(essential),
        list(essential),
        list(&others)
    );
    let mut phrases: Vec<Option<usize>> = vec![None; essential.len()];
    phrases.extend(essential.iter().chain(&others).map(|&i| Some(i)));
    (expression, plan_blob(plan.docs, &phrases))
}

/// The keyword index's row count, from FTS5's own totals record (row 1 of its data table:
/// the number of rows, then each column's token count, as varints).
fn keyword_rows(conn: &Connection) -> Result<i64> {
    let record: Option<Vec<u8>> = conn
        .prepare_cached("SELECT block FROM experience_fts_data WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(record.map_or(0, |r| read_varint(&r) as i64))
}

/// SQLite's varint (which FTS5 uses): big-endian, seven bits a byte, the ninth byte whole.
fn read_varint(bytes: &[u8]) -> u64 {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return (value << 8) | u64::from(b);
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            break;
        }
    }
    value
}

/// The FTS5 query, the score's SQL, and `plurum_bm25`'s plan (bound as ?3) when there is
/// one. Without a plan: FTS5's own bm25 over every match.
fn scoring(query: &KeywordQuery, plan: Option<&KeywordPlan>) -> (String, String, Option<Vec<u8>>) {
    let weights = sql::fts5_column_weights();
    match plan {
        None => (
            fts5(query),
            format!("-bm25(experience_fts, {weights})"),
            None,
        ),
        Some(plan) => {
            let (expression, blob) = bounded(query, plan);
            (
                expression,
                format!("{BM25}(experience_fts, {weights}, ?3)"),
                Some(blob),
            )
        }
    }
}

impl SearchTx for Connection {
    fn keyword_stats(&self, query: &KeywordQuery) -> Result<Option<KeywordStats>> {
        let mut lookup = self.prepare_cached("SELECT docs FROM keyword_terms WHERE term = ?1")?;
        let tokenizer = super::fts5::Tokenizer::new(self)?;
        let mut docs = Vec::with_capacity(query.terms.len());
        for words in &query.terms {
            // A phrase of several tokens is counted by matching it, which is what bounding
            // avoids: such a query is ranked in full.
            let [word] = words.as_slice() else {
                return Ok(None);
            };
            let tokens = tokenizer.terms(&[word])?;
            let (Some(token), 1) = (tokens.first(), tokens.len()) else {
                return Ok(None);
            };
            docs.push(
                lookup
                    .query_row([token], |r| r.get(0))
                    .optional()?
                    .unwrap_or(0),
            );
        }
        Ok(Some(KeywordStats {
            rows: keyword_rows(self)?,
            docs,
        }))
    }

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
    fn keyword_ranked(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        depth: usize,
    ) -> Result<Vec<(i64, f64)>> {
        let (expression, score, blob) = scoring(query, plan.as_ref());
        let mut stmt = self.prepare_cached(&format!(
            "SELECT rowid, {score} AS score
             FROM experience_fts WHERE experience_fts MATCH ?1
             ORDER BY score DESC, rowid LIMIT ?2"
        ))?;
        let mut args = vec![SqlValue::Text(expression), SqlValue::Integer(depth as i64)];
        args.extend(blob.map(SqlValue::Blob));
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        let (expression, score, blob) = scoring(query, plan.as_ref());
        let mut args = vec![SqlValue::Text(expression), SqlValue::Integer(k as i64)];
        args.extend(blob.map(SqlValue::Blob));
        let filter = sql::eligible(&mut args, elig);
        let statement = format!(
            "SELECT f.rowid, {score} AS score
             FROM experience_fts f JOIN experiences e ON e.seq = f.rowid
             WHERE experience_fts MATCH ?1 AND {filter}
             ORDER BY score DESC, f.rowid LIMIT ?2"
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
        super::vector_codes::walk(self, len, only, i64::MIN, visit)
    }
    fn walk_vector_codes_after(
        &self,
        len: usize,
        after: i64,
        visit: &mut crate::store::CodeVisitor,
    ) -> Result<()> {
        super::vector_codes::walk(self, len, None, after, visit)
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
        _exact: bool,
    ) -> Result<Vec<(i64, f64)>> {
        let only = elig.map(|e| self.eligible_seqs(e)).transpose()?;
        if only.as_ref().is_some_and(HashSet::is_empty) {
            return Ok(Vec::new());
        }
        super::sqlite_vec::scan_vectors(self, query, k, only.as_ref())
    }
}
