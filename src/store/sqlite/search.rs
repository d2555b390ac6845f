//! SQL for search: who may be found (eligibility), the FTS5 keyword arm's queries, and the
//! rows a search returns. The search itself (query parsing, the vector scan, fusion) is in
//! `crate::search`; sqlite-vec's storage is read in `sqlite_vec`.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::error::Result;
use crate::store::{Eligibility, KeywordQuery};

/// An `Eligibility` as an SQL condition.
trait SqlCondition {
    fn sql(&self, args: &mut Vec<SqlValue>) -> String;
}

impl SqlCondition for Eligibility {
    /// The condition over `experiences e`, appending its arguments to `args`.
    fn sql(&self, args: &mut Vec<SqlValue>) -> String {
        let mut arg = |v: SqlValue| {
            args.push(v);
            format!("?{}", args.len())
        };
        let mut c = vec!["e.status IN ('published', 'verified')".to_string()];
        if self.public_only {
            c.push("e.visibility = 'public'".into());
        } else {
            let viewer = arg(SqlValue::Text(self.viewer.clone()));
            c.push(format!(
                "(e.visibility = 'public' OR e.agent_id = {viewer})"
            ));
        }
        if !self.include_quarantined {
            c.push("NOT (e.failure_count >= 3 AND e.success_count = 0)".into());
        }
        if self.min_quality > 0.0 {
            let q = arg(SqlValue::Real(self.min_quality));
            c.push(format!("e.quality_score >= {q}"));
        }
        if let Some(domain) = &self.domain {
            let d = arg(SqlValue::Text(domain.clone()));
            c.push(format!("e.domain = {d} COLLATE NOCASE"));
        }
        for tag in &self.tags {
            let t = arg(SqlValue::Text(tag.to_lowercase()));
            c.push(format!(
                "e.seq IN (SELECT seq FROM experience_tags WHERE tag = {t})"
            ));
        }
        for tool in &self.tools {
            let t = arg(SqlValue::Text(tool.to_lowercase()));
            c.push(format!(
                "e.seq IN (SELECT seq FROM experience_tools WHERE tool = {t})"
            ));
        }
        if let Some(seq) = self.exclude_seq {
            let s = arg(SqlValue::Integer(seq));
            c.push(format!("e.seq <> {s}"));
        }
        c.join(" AND ")
    }
}

/// The eligible experiences' seqs, listed by SQL (for a selective filter, which the vector
/// scan then applies before computing any distance).
pub fn eligible_seqs(conn: &Connection, elig: &Eligibility) -> Result<HashSet<i64>> {
    let mut args = Vec::new();
    let filter = elig.sql(&mut args);
    let mut stmt =
        conn.prepare_cached(&format!("SELECT e.seq FROM experiences e WHERE {filter}"))?;
    Ok(stmt
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Keeps the candidates that are eligible, in their order.
pub fn keep_eligible(
    conn: &Connection,
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
    let filter = elig.sql(&mut args);
    // One cached statement whatever the candidates: they are bound as an array, and the
    // CROSS JOIN makes SQLite look each one up by seq (with `e.seq IN rarray(?1)` it cannot
    // tell the array is small and scans the whole table instead).
    let mut stmt = conn.prepare_cached(&format!(
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

/// Column weights of the keyword index (goal, tags, domain, solution, context, lessons):
/// the goal and the tags say most about what an experience is for.
const BM25_WEIGHTS: &str = "10.0, 10.0, 4.0, 4.0, 2.0, 2.0";

/// The `depth` best keyword matches of the whole index, as (seq, bm25), best first, with no
/// eligibility condition: the index alone ranks them (for a broad search, which checks
/// eligibility of the best few afterwards). bm25 is negated so larger is better.
pub fn keyword_ranked(
    conn: &Connection,
    query: &KeywordQuery,
    depth: usize,
) -> Result<Vec<(i64, f64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, -bm25(experience_fts, {BM25_WEIGHTS}) AS score
         FROM experience_fts WHERE experience_fts MATCH ?1
         ORDER BY score DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(rusqlite::params![fts5(query), depth as i64], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `k` best keyword matches among eligible experiences, as (seq, bm25), best first:
/// every match joined to its experience and filtered before the ranking is cut.
pub fn keyword_eligible(
    conn: &Connection,
    query: &KeywordQuery,
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let mut args = vec![SqlValue::Text(fts5(query)), SqlValue::Integer(k as i64)];
    let filter = elig.sql(&mut args);
    let sql = format!(
        "SELECT f.rowid, -bm25(experience_fts, {BM25_WEIGHTS}) AS score
         FROM experience_fts f JOIN experiences e ON e.seq = f.rowid
         WHERE experience_fts MATCH ?1 AND {filter}
         ORDER BY score DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored vector of an experience, if it has one.
pub fn vector_of(conn: &Connection, seq: i64) -> Result<Option<Vec<f32>>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT embedding FROM experience_vectors WHERE rowid = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(bytes.as_deref().map(super::columns::vector_from_blob))
}

/// Loads experiences by seq, keyed by seq.
pub fn experiences_by_seq(
    conn: &Connection,
    seqs: &[i64],
) -> Result<HashMap<i64, crate::model::experience::Experience>> {
    let mut out = HashMap::with_capacity(seqs.len());
    for &seq in seqs {
        if let Some(e) = super::experiences::by_seq(conn, seq)? {
            out.insert(seq, e);
        }
    }
    Ok(out)
}
