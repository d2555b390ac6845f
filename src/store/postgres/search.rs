//! SQL for search (Postgres): who may be found (one eligibility condition, shared by every
//! query below), the keyword arm as a tsquery ranked by `ts_rank_cd`, and the vector arm in
//! SQL. Unlike SQLite, where scanning the vectors in process beats sqlite-vec's own search,
//! here the vectors live in another process: pgvector ranks them where they are
//! ([`nearest`]), exactly (no approximate index), with eligibility in the WHERE clause so it
//! applies before the top k is cut.

use std::collections::{HashMap, HashSet};

use postgres::Transaction;

use super::columns::Args;
use crate::error::Result;
use crate::model::experience::Experience;
use crate::store::{Eligibility, KeywordQuery, SCAN_PIECE};

/// An `Eligibility` as a condition over `experiences e`, binding its values in `args`.
/// The twin of sqlite/search.rs's; every eligibility-filtered query uses it.
pub(super) fn condition(elig: &Eligibility, args: &mut Args) -> String {
    let mut c = vec!["e.status IN ('published', 'verified')".to_string()];
    if elig.public_only {
        c.push("e.visibility = 'public'".into());
    } else {
        let viewer = args.push(elig.viewer.clone());
        c.push(format!(
            "(e.visibility = 'public' OR e.agent_id = {viewer})"
        ));
    }
    if !elig.include_quarantined {
        c.push("NOT (e.failure_count >= 3 AND e.success_count = 0)".into());
    }
    if elig.min_quality > 0.0 {
        let q = args.push(elig.min_quality);
        c.push(format!("e.quality_score >= {q}"));
    }
    if let Some(domain) = &elig.domain {
        let d = args.push(domain.clone());
        c.push(format!("lower(e.domain) = lower({d})"));
    }
    for tag in &elig.tags {
        let t = args.push(tag.to_lowercase());
        c.push(format!(
            "e.seq IN (SELECT seq FROM experience_tags WHERE tag = {t})"
        ));
    }
    for tool in &elig.tools {
        let t = args.push(tool.to_lowercase());
        c.push(format!(
            "e.seq IN (SELECT seq FROM experience_tools WHERE tool = {t})"
        ));
    }
    if let Some(seq) = elig.exclude_seq {
        let s = args.push(seq);
        c.push(format!("e.seq <> {s}"));
    }
    c.join(" AND ")
}

pub fn eligible_seqs(c: &mut Transaction, elig: &Eligibility) -> Result<HashSet<i64>> {
    let mut args = Args::default();
    let filter = condition(elig, &mut args);
    Ok(c.query(
        &format!("SELECT e.seq FROM experiences e WHERE {filter}"),
        &args.refs(),
    )?
    .iter()
    .map(|r| r.get(0))
    .collect())
}

pub fn keep_eligible(
    c: &mut Transaction,
    candidates: Vec<(i64, f64)>,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let mut args = Args::default();
    let seqs = args.push(candidates.iter().map(|(s, _)| *s).collect::<Vec<i64>>());
    let filter = condition(elig, &mut args);
    let ok: HashSet<i64> = c
        .query(
            &format!("SELECT e.seq FROM experiences e WHERE e.seq = ANY({seqs}) AND {filter}"),
            &args.refs(),
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(candidates
        .into_iter()
        .filter(|(seq, _)| ok.contains(seq))
        .collect())
}

/// A parsed keyword query as a tsquery expression: each term a phrase
/// (`phraseto_tsquery`: its words joined by `<->`, stemmed as the documents are), any of
/// them matching (`||`). The words are bound as values, never spliced into the SQL.
fn tsquery(query: &KeywordQuery, args: &mut Args) -> String {
    query
        .terms
        .iter()
        .map(|words| {
            let p = args.push(words.join(" "));
            format!("phraseto_tsquery('plurum', {p}::text)")
        })
        .collect::<Vec<_>>()
        .join(" || ")
}

/// Weights of the labels D, C, B, A (migrations/postgres/0001_initial.sql): A goal and tags,
/// B domain and solution, C context and lessons; the ratios of SQLite's bm25 weights.
const RANK_WEIGHTS: &str = "'{0, 0.2, 0.4, 1.0}'::float4[]";

pub fn keyword_ranked(
    c: &mut Transaction,
    query: &KeywordQuery,
    depth: usize,
) -> Result<Vec<(i64, f64)>> {
    if query.terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let q = tsquery(query, &mut args);
    let limit = args.push(depth as i64);
    Ok(c.query(
        &format!(
            "SELECT f.seq, ts_rank_cd({RANK_WEIGHTS}, f.document, q.q)::float8 AS score
             FROM experience_fts f, (SELECT {q} AS q) q
             WHERE f.document @@ q.q
             ORDER BY score DESC, f.seq LIMIT {limit}"
        ),
        &args.refs(),
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

pub fn keyword_eligible(
    c: &mut Transaction,
    query: &KeywordQuery,
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    if query.terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let q = tsquery(query, &mut args);
    let limit = args.push(k as i64);
    let filter = condition(elig, &mut args);
    Ok(c.query(
        &format!(
            "SELECT f.seq, ts_rank_cd({RANK_WEIGHTS}, f.document, q.q)::float8 AS score
             FROM experience_fts f JOIN experiences e ON e.seq = f.seq, (SELECT {q} AS q) q
             WHERE f.document @@ q.q AND {filter}
             ORDER BY score DESC, f.seq LIMIT {limit}"
        ),
        &args.refs(),
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

/// The `k` eligible experiences nearest to `query`, as (seq, L2 distance), nearest first:
/// exact (a scan, no HNSW/IVFFlat index), eligibility applied before the cut.
pub fn nearest(
    c: &mut Transaction,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let mut args = Args::default();
    let v = args.push(pgvector::Vector::from(query.to_vec()));
    let limit = args.push(k as i64);
    let filter = condition(elig, &mut args);
    Ok(c.query(
        &format!(
            "SELECT v.seq, (v.embedding <-> {v})::float8 AS distance
             FROM experience_vectors v JOIN experiences e ON e.seq = v.seq
             WHERE {filter}
             ORDER BY distance, v.seq LIMIT {limit}"
        ),
        &args.refs(),
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

pub fn vector_of(c: &mut Transaction, seq: i64) -> Result<Option<Vec<f32>>> {
    Ok(c.query_opt(
        "SELECT embedding FROM experience_vectors WHERE seq = $1",
        &[&seq],
    )?
    .map(|r| r.get::<_, pgvector::Vector>(0).to_vec()))
}

pub fn experiences_by_seq(c: &mut Transaction, seqs: &[i64]) -> Result<HashMap<i64, Experience>> {
    let seqs = seqs.to_vec();
    let rows = c.query(
        &format!(
            "SELECT {} FROM experiences WHERE seq = ANY($1)",
            super::experiences::COLUMNS
        ),
        &[&seqs],
    )?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in &rows {
        let e = super::experiences::from_row(r)?;
        out.insert(e.seq, e);
    }
    Ok(out)
}

/// Every stored vector (of the wanted seqs), in seq order, handed to `visit` in pieces of
/// at most [`SCAN_PIECE`]: what the in-process scan reads when a caller wants it.
pub fn walk_vectors(
    c: &mut Transaction,
    dim: usize,
    only: Option<&HashSet<i64>>,
    visit: &mut crate::store::VectorVisitor,
) -> Result<()> {
    let rows = match only {
        Some(set) => {
            let seqs: Vec<i64> = set.iter().copied().collect();
            c.query(
                "SELECT seq, embedding FROM experience_vectors WHERE seq = ANY($1) ORDER BY seq",
                &[&seqs],
            )?
        }
        None => c.query(
            "SELECT seq, embedding FROM experience_vectors ORDER BY seq",
            &[],
        )?,
    };
    let mut piece = Vec::with_capacity(SCAN_PIECE * dim);
    let mut slots = Vec::with_capacity(SCAN_PIECE);
    for r in &rows {
        let v: pgvector::Vector = r.get(1);
        let v = v.as_slice();
        if v.len() != dim {
            continue;
        }
        slots.push((slots.len(), r.get::<_, i64>(0)));
        piece.extend_from_slice(v);
        if slots.len() == SCAN_PIECE {
            visit(&piece, &slots);
            piece.clear();
            slots.clear();
        }
    }
    if !slots.is_empty() {
        visit(&piece, &slots);
    }
    Ok(())
}
