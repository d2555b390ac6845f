//! SQL for search: who may be found (eligibility), the exact vector arm over sqlite-vec, and
//! the FTS5 keyword arm.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::error::Result;

/// vec0 refuses a `k` above this.
const VEC0_MAX_K: usize = 4096;

/// Which experiences a search may return (reference §4.3, plus the docs' promises).
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    pub viewer: String,
    pub domain: Option<String>,
    pub tags: Vec<String>,
    pub tools: Vec<String>,
    pub min_quality: f64,
    pub include_quarantined: bool,
    /// Leave this experience out (the source of `similar`).
    pub exclude_seq: Option<i64>,
    /// Only the author's public experiences count (similar, session matching).
    pub public_only: bool,
}

impl Eligibility {
    /// True when only the always-present conditions apply, so nearly every row qualifies.
    fn is_broad(&self) -> bool {
        self.domain.is_none()
            && self.tags.is_empty()
            && self.tools.is_empty()
            && self.min_quality <= 0.0
    }

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

fn vector_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Cosine similarity of two unit vectors from their L2 distance.
pub fn similarity_from_l2(distance: f64) -> f64 {
    1.0 - distance * distance / 2.0
}

/// The `k` eligible experiences nearest to `query` (a unit vector), as (seq, L2 distance),
/// nearest first. Exact: the filter is applied before the top `k` is cut, never after.
///
/// When only the default conditions apply, nearly every vector is eligible, so it is far
/// cheaper to take the `k'` nearest of all vectors and keep the eligible ones than to hand
/// sqlite-vec a list of every eligible rowid; if at least `k` survive, they are exactly the
/// top `k` eligible ones (any closer eligible vector would be among the `k'` nearest).
/// Otherwise, and whenever a selective filter applies, the eligible rowids go into the
/// KNN query itself (`rowid IN (...)`), which sqlite-vec applies before ranking.
pub fn nearest(
    conn: &Connection,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let q = vector_bytes(query);
    if elig.is_broad() {
        let mut depth = (k * 2 + 16).min(VEC0_MAX_K);
        loop {
            let candidates = knn_unfiltered(conn, &q, depth)?;
            let exhausted = candidates.len() < depth;
            let kept = keep_eligible(conn, candidates, elig)?;
            if kept.len() >= k || exhausted {
                return Ok(kept.into_iter().take(k).collect());
            }
            if depth == VEC0_MAX_K {
                break;
            }
            depth = (depth * 8).min(VEC0_MAX_K);
        }
    }
    let mut args = vec![SqlValue::Blob(q), SqlValue::Integer(k as i64)];
    let filter = elig.sql(&mut args);
    let sql = format!(
        "SELECT rowid, distance FROM experience_vectors
         WHERE embedding MATCH ?1 AND k = ?2
           AND rowid IN (SELECT e.seq FROM experiences e WHERE {filter})
         ORDER BY distance"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn knn_unfiltered(conn: &Connection, q: &[u8], k: usize) -> Result<Vec<(i64, f64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, distance FROM experience_vectors WHERE embedding MATCH ?1 AND k = ?2 ORDER BY distance",
    )?;
    let rows = stmt.query_map(rusqlite::params![q, k as i64], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps the candidates that are eligible, in their order.
fn keep_eligible(
    conn: &Connection,
    candidates: Vec<(i64, f64)>,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let mut args = Vec::new();
    let filter = elig.sql(&mut args);
    let ids: Vec<String> = candidates.iter().map(|(seq, _)| seq.to_string()).collect();
    let sql = format!(
        "SELECT e.seq FROM experiences e WHERE e.seq IN ({}) AND {filter}",
        ids.join(",")
    );
    let mut stmt = conn.prepare(&sql)?;
    let ok: std::collections::HashSet<i64> = stmt
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(candidates
        .into_iter()
        .filter(|(seq, _)| ok.contains(seq))
        .collect())
}

/// Column weights of the keyword index (goal, tags, domain, solution, context, lessons):
/// the goal and the tags say most about what an experience is for.
const BM25_WEIGHTS: &str = "10.0, 10.0, 4.0, 4.0, 2.0, 2.0";

/// The `k` best keyword matches among eligible experiences, as (seq, bm25), best first.
/// bm25 is negated so larger is better.
pub fn keyword(
    conn: &Connection,
    fts_query: &str,
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let mut args = vec![
        SqlValue::Text(fts_query.to_string()),
        SqlValue::Integer(k as i64),
    ];
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
    Ok(bytes.map(|b| {
        b.chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }))
}

/// Loads experiences by seq, keyed by seq.
pub fn experiences_by_seq(
    conn: &Connection,
    seqs: &[i64],
) -> Result<HashMap<i64, crate::experience::Experience>> {
    let mut out = HashMap::with_capacity(seqs.len());
    for &seq in seqs {
        if let Some(e) = super::experiences::by_seq(conn, seq)? {
            out.insert(seq, e);
        }
    }
    Ok(out)
}

/// Words too common to say anything about a document; dropping them keeps OR queries fast
/// (bm25 is computed for every match) and rankings sharp.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "get",
    "got",
    "use",
    "using",
    "used",
    "anyone",
    "way",
    "want",
    "need",
];

/// Most terms a keyword query keeps.
const MAX_TERMS: usize = 32;

/// Queries with this many terms or fewer (but at least three) only keyword-match documents
/// holding two or more of them. One shared common word ("web", "build") is weak evidence,
/// and in a small store it would top the keyword arm and, through fusion, outrank the right
/// semantic match. Longer queries are plain OR: bm25 already favours multi-term matches.
const MIN_MATCH_TWO_UP_TO: usize = 8;

/// Turns a user's query into an FTS5 query: significant words (stopwords dropped) OR-ed, or
/// for short queries any two of them AND-ed; `"quoted phrases"` kept as phrases; `-word`
/// excluded. `None` when nothing searchable is left.
pub fn fts_query(query: &str) -> Option<String> {
    let mut include: Vec<String> = Vec::new();
    let mut exclude: Vec<String> = Vec::new();
    let mut rest = query;
    // Phrases first.
    let mut unquoted = String::new();
    while let Some(start) = rest.find('"') {
        unquoted.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('"') {
            Some(end) => {
                let words = words(&after[..end]);
                if !words.is_empty() {
                    include.push(format!("\"{}\"", words.join(" ")));
                }
                rest = &after[end + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    unquoted.push_str(rest);
    let mut plain = Vec::new();
    for token in unquoted.split_whitespace() {
        if let Some(negated) = token.strip_prefix('-').filter(|t| !t.is_empty()) {
            exclude.extend(words(negated));
        } else {
            plain.extend(words(token));
        }
    }
    let significant: Vec<String> = plain
        .iter()
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    let chosen = if significant.is_empty() {
        plain
    } else {
        significant
    };
    // One term per stem: "builds" and "build" are the same word to the porter tokenizer.
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut stems = Vec::new();
    for w in chosen {
        let stem = stemmer.stem(&w).into_owned();
        if !stems.contains(&stem) {
            stems.push(stem);
            include.push(format!("\"{w}\""));
        }
    }
    include.truncate(MAX_TERMS);
    if include.is_empty() {
        return None;
    }
    let mut q = if (3..=MIN_MATCH_TWO_UP_TO).contains(&include.len()) {
        let mut pairs = Vec::new();
        for (i, a) in include.iter().enumerate() {
            for b in &include[i + 1..] {
                pairs.push(format!("({a} AND {b})"));
            }
        }
        pairs.join(" OR ")
    } else {
        include.join(" OR ")
    };
    if !exclude.is_empty() {
        let ex: Vec<String> = exclude.iter().map(|w| format!("\"{w}\"")).collect();
        q = format!("({q}) NOT ({})", ex.join(" OR "));
    }
    Some(q)
}

/// Lower-cased alphanumeric words (FTS5's unicode61 splits on the same boundaries).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries() {
        assert_eq!(
            fts_query("deploy FastAPI").unwrap(),
            r#""deploy" OR "fastapi""#
        );
        assert_eq!(
            fts_query("How do I deploy FastAPI to ECS?").unwrap(),
            r#"("deploy" AND "fastapi") OR ("deploy" AND "ecs") OR ("fastapi" AND "ecs")"#
        );
        assert_eq!(
            fts_query(r#"postgres "connection pool" -pgbouncer"#).unwrap(),
            r#"("connection pool" OR "postgres") NOT ("pgbouncer")"#
        );
        assert_eq!(fts_query("the and").unwrap(), r#""the" OR "and""#);
        assert_eq!(fts_query("?!"), None);
        assert_eq!(fts_query("builds of the build").unwrap(), r#""builds""#);
        let long = "one two three four five six seven eight nine";
        assert_eq!(fts_query(long).unwrap().matches(" OR ").count(), 8);
    }
}
