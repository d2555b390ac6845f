//! SQL for search: who may be found (eligibility), the exact vector arm over sqlite-vec's
//! storage, and the FTS5 keyword arm.

use std::collections::{BinaryHeap, HashMap, HashSet};

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, MAIN_DB, OptionalExtension, params_from_iter};

use crate::error::{Error, Result};

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

/// Cosine similarity of two unit vectors from their L2 distance.
pub fn similarity_from_l2(distance: f64) -> f64 {
    1.0 - distance * distance / 2.0
}

/// The `k` eligible experiences nearest to `query` (a unit vector), as (seq, L2 distance),
/// nearest first. Exact: the filter is applied before the top `k` is cut, never after.
///
/// When only the default conditions apply, nearly every vector is eligible, so it is far
/// cheaper to take the `k'` nearest of all vectors and keep the eligible ones than to list
/// every eligible experience first; if at least `k` survive, they are exactly the top `k`
/// eligible ones (any closer eligible vector would be among the `k'` nearest). Otherwise,
/// and whenever a selective filter applies, the eligible experiences are listed by SQL and
/// the scan skips every other vector before computing its distance.
pub fn nearest(
    conn: &Connection,
    cache: &VectorCache,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let matrix = cache.matrix(conn, query.len())?;
    let scan = |depth: usize, only: Option<&HashSet<i64>>| match &matrix {
        Some(m) => Ok(m.nearest(query, depth, only)),
        None => scan_vectors(conn, query, depth, only),
    };
    if elig.is_broad() {
        return top_eligible(conn, k, elig, |depth| scan(depth, None));
    }
    let mut args = Vec::new();
    let filter = elig.sql(&mut args);
    let mut stmt =
        conn.prepare_cached(&format!("SELECT e.seq FROM experiences e WHERE {filter}"))?;
    let eligible: HashSet<i64> = stmt
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if eligible.is_empty() {
        return Ok(Vec::new());
    }
    scan(k, Some(&eligible))
}

/// The vector table's storage, which the scan reads directly: sqlite-vec 0.1.9 keeps
/// vectors in chunks (pinned in Cargo.toml; `vec0_and_the_scan_agree` in tests/suite/search.rs
/// checks the two against each other). A chunk row holds a validity bitmap and the rowids
/// of its slots; its vectors are one blob of `size × dim` native-endian float32.
const VECTOR_CHUNKS: &str = "experience_vectors_chunks";
const VECTOR_BLOBS: &std::ffi::CStr = c"experience_vectors_vector_chunks00";

/// Vectors read from a chunk blob at a time: 128 × 384 floats is 192 KiB, which stays in
/// the core's L2 cache while its distances are computed (measured at 100,000 vectors: 32 a
/// piece 36.6 ms, 128 a piece 34.5 ms).
const SCAN_PIECE: usize = 128;

/// The exact nearest `k` vectors to `query` among those whose rowid is in `only` (all when
/// `None`), as (seq, L2 distance), nearest first.
///
/// Why not vec0's own `MATCH`: it copies each 1,024-vector chunk into a buffer before
/// computing distances and then picks the chunk's top k by k passes over it, about 2.4x
/// the time of a bare scan at 100,000 vectors. This reads each chunk in cache-sized pieces
/// straight into the distance kernel and keeps a bounded heap, so the scan runs at about
/// the speed of memory (scripts/bench.sh reports the ratio).
pub fn scan_vectors(
    conn: &Connection,
    query: &[f32],
    k: usize,
    only: Option<&HashSet<i64>>,
) -> Result<Vec<(i64, f64)>> {
    let mut top = TopK::new(k);
    if k == 0 || query.is_empty() {
        return Ok(Vec::new());
    }
    let mut distances = [0f32; SCAN_PIECE];
    walk_vectors(conn, query.len(), only, |floats, slots| {
        let n = floats.len() / query.len();
        crate::simd::l2_squared_rows(query, floats, &mut distances[..n]);
        for &(i, seq) in slots {
            top.push(distances[i], seq);
        }
    })?;
    Ok(top.into_sorted())
}

/// Calls `visit` with each piece of vec0's storage that holds a wanted vector: the piece's
/// `dim`-float rows, and (row in the piece, rowid) of the wanted ones (valid slots whose
/// rowid is in `only`, or all valid slots).
fn walk_vectors(
    conn: &Connection,
    dim: usize,
    only: Option<&HashSet<i64>>,
    mut visit: impl FnMut(&[f32], &[(usize, i64)]),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT chunk_id, size, validity, rowids FROM {VECTOR_CHUNKS} ORDER BY chunk_id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut piece = vec![0f32; SCAN_PIECE * dim];
    let mut slots = Vec::with_capacity(SCAN_PIECE);
    while let Some(row) = rows.next()? {
        let chunk_id: i64 = row.get(0)?;
        let size = usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0);
        let (validity, rowids) = match (row.get_ref(2)?, row.get_ref(3)?) {
            (ValueRef::Blob(v), ValueRef::Blob(r)) => (v, r),
            _ => (&[][..], &[][..]),
        };
        if validity.len() * 8 < size || rowids.len() != size * 8 {
            return Err(Error::other(format!(
                "vector chunk {chunk_id} is malformed (run `plurum doctor --fix`)"
            )));
        }
        let mut blob = None;
        for start in (0..size).step_by(SCAN_PIECE) {
            let n = SCAN_PIECE.min(size - start);
            slots.clear();
            for i in 0..n {
                let slot = start + i;
                if validity[slot / 8] >> (slot % 8) & 1 == 0 {
                    continue;
                }
                let seq =
                    i64::from_ne_bytes(rowids[slot * 8..slot * 8 + 8].try_into().expect("8 bytes"));
                if only.is_none_or(|set| set.contains(&seq)) {
                    slots.push((i, seq));
                }
            }
            if slots.is_empty() {
                continue;
            }
            let blob = match &mut blob {
                Some(b) => b,
                None => blob.insert(conn.blob_open(
                    MAIN_DB,
                    VECTOR_BLOBS,
                    c"vectors",
                    chunk_id,
                    true,
                )?),
            };
            let floats = &mut piece[..n * dim];
            // SAFETY: any bit pattern is a valid f32, and the byte view covers exactly the
            // floats' memory; vec0 stores native-endian float32.
            let bytes = unsafe {
                std::slice::from_raw_parts_mut(floats.as_mut_ptr().cast::<u8>(), n * dim * 4)
            };
            blob.read_at_exact(bytes, start * dim * 4)?;
            visit(floats, &slots);
        }
    }
    Ok(())
}

/// Every vector of the store as one matrix in memory, kept by a process that searches more
/// than once (`plurum serve`, `plurum mcp`, a bench): its vector arm is then a plain scan of
/// memory instead of a walk through SQLite's pages. A one-shot `plurum search` never builds
/// it (copying the vectors out would cost more than the one scan it needs).
///
/// It is checked against the store on every search, in the search's own read transaction,
/// by the store's vector version (bumped by every write to the vector table) and the
/// highest vector rowid, and reloaded when either moved.
#[derive(Default)]
pub struct VectorCache {
    state: std::sync::Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    searches: u64,
    matrix: Option<std::sync::Arc<Matrix>>,
}

struct Matrix {
    fingerprint: (i64, i64),
    dim: usize,
    seqs: Vec<i64>,
    values: Vec<f32>,
}

/// Largest matrix a process keeps (1 GiB: 700,000 vectors of 384 dimensions).
const CACHE_MAX_BYTES: usize = 1 << 30;

/// Rows of the matrix scored per call of the distance kernel.
const MATRIX_BLOCK: usize = 256;

impl VectorCache {
    /// The matrix for this search, when this process has searched before and the vectors
    /// fit; loaded (or reloaded) here if it is missing or stale.
    fn matrix(&self, conn: &Connection, dim: usize) -> Result<Option<std::sync::Arc<Matrix>>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.searches += 1;
        if state.searches < 2 {
            return Ok(None);
        }
        let fingerprint = super::vectors::fingerprint(conn)?;
        if let Some(m) = &state.matrix
            && m.fingerprint == fingerprint
            && m.dim == dim
        {
            return Ok(Some(m.clone()));
        }
        // Reload into the old matrix's memory when no search still holds it: faulting in
        // fresh pages for every reload would cost as much as the reload itself.
        let (mut seqs, mut values) = match state.matrix.take().map(std::sync::Arc::try_unwrap) {
            Some(Ok(old)) => (old.seqs, old.values),
            _ => (Vec::new(), Vec::new()),
        };
        let count = usize::try_from(super::vectors::count(conn)?).unwrap_or(0);
        if count * dim * 4 > CACHE_MAX_BYTES {
            return Ok(None);
        }
        seqs.clear();
        values.clear();
        seqs.reserve(count);
        values.reserve(count * dim);
        walk_vectors(conn, dim, None, |floats, slots| {
            for &(i, seq) in slots {
                seqs.push(seq);
                values.extend_from_slice(&floats[i * dim..(i + 1) * dim]);
            }
        })?;
        let matrix = std::sync::Arc::new(Matrix {
            fingerprint,
            dim,
            seqs,
            values,
        });
        state.matrix = Some(matrix.clone());
        Ok(Some(matrix))
    }
}

impl Matrix {
    /// [`scan_vectors`] over the matrix.
    fn nearest(&self, query: &[f32], k: usize, only: Option<&HashSet<i64>>) -> Vec<(i64, f64)> {
        let mut top = TopK::new(k);
        let mut distances = vec![0f32; MATRIX_BLOCK];
        for (block, rows) in self.values.chunks(MATRIX_BLOCK * self.dim).enumerate() {
            let n = rows.len() / self.dim;
            crate::simd::l2_squared_rows(query, rows, &mut distances[..n]);
            let seqs = &self.seqs[block * MATRIX_BLOCK..block * MATRIX_BLOCK + n];
            for (&d, &seq) in distances[..n].iter().zip(seqs) {
                if only.is_none_or(|set| set.contains(&seq)) {
                    top.push(d, seq);
                }
            }
        }
        top.into_sorted()
    }
}

/// The `k` smallest (distance, seq) pairs seen, ties broken by the smaller seq.
struct TopK {
    k: usize,
    heap: BinaryHeap<(OrderedDistance, i64)>,
}

/// A distance that orders totally (NaN last), for the heap.
#[derive(Clone, Copy, PartialEq)]
struct OrderedDistance(f32);
impl Eq for OrderedDistance {}
impl PartialOrd for OrderedDistance {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrderedDistance {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    fn push(&mut self, distance: f32, seq: i64) {
        let item = (OrderedDistance(distance), seq);
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if self.heap.peek().is_some_and(|worst| item < *worst) {
            self.heap.pop();
            self.heap.push(item);
        }
    }

    /// (seq, L2 distance), nearest first.
    fn into_sorted(self) -> Vec<(i64, f64)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|(d, seq)| (seq, f64::from(d.0).sqrt()))
            .collect()
    }
}

/// The best `k` eligible of a ranking that `ranked(depth)` gives the top `depth` of, for
/// when nearly everything is eligible: takes a little more than `k`, keeps the eligible
/// ones, and looks deeper only if too few survive. Exact: the first `k` eligible entries of
/// the whole ranking are always among the first `depth` once `k` of those are eligible.
fn top_eligible(
    conn: &Connection,
    k: usize,
    elig: &Eligibility,
    mut ranked: impl FnMut(usize) -> Result<Vec<(i64, f64)>>,
) -> Result<Vec<(i64, f64)>> {
    let mut depth = k * 2 + 16;
    loop {
        let mut candidates = ranked(depth)?;
        let exhausted = candidates.len() < depth;
        // Nearly all are eligible: look up just enough of them first, the rest if need be.
        let rest = candidates.split_off((k + 8).min(candidates.len()));
        let mut kept = keep_eligible(conn, candidates, elig)?;
        if kept.len() < k {
            kept.extend(keep_eligible(conn, rest, elig)?);
        }
        if kept.len() >= k || exhausted {
            kept.truncate(k);
            return Ok(kept);
        }
        depth *= 8;
    }
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

/// Column weights of the keyword index (goal, tags, domain, solution, context, lessons):
/// the goal and the tags say most about what an experience is for.
const BM25_WEIGHTS: &str = "10.0, 10.0, 4.0, 4.0, 2.0, 2.0";

/// The `k` best keyword matches among eligible experiences, as (seq, bm25), best first.
/// bm25 is negated so larger is better.
///
/// With only the default conditions the ranking runs on the index alone and eligibility is
/// checked for the best few (as the vector arm does); joining every match to its experience
/// first cost as much again as the ranking (measured: 71 ms against 46 ms for a query with
/// 35,000 matches among 100,000 experiences).
pub fn keyword(
    conn: &Connection,
    fts_query: &str,
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    if elig.is_broad() {
        return top_eligible(conn, k, elig, |depth| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT rowid, -bm25(experience_fts, {BM25_WEIGHTS}) AS score
                 FROM experience_fts WHERE experience_fts MATCH ?1
                 ORDER BY score DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(rusqlite::params![fts_query, depth as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        });
    }
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

/// Turns a user's query into an FTS5 query: significant words (stopwords dropped) OR-ed;
/// `"quoted phrases"` kept as phrases. bm25 already favours documents that hold more of the
/// words, and fusion weighs a weak keyword match by how far it trails the best one. (Short
/// queries once had to match two of their words: on SciFact that cost 0.027 nDCG@10 in the
/// keyword arm and 0.012 fused, and with score fusion it no longer helped the agent
/// questions.) A leading
/// `-` is part of what an agent pasted (`-Xmx1g`, `docker run -e`), not an exclusion: the
/// word is searched like any other. `None` when nothing searchable is left.
pub fn fts_query(query: &str) -> Option<String> {
    let mut include: Vec<String> = Vec::new();
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
    let plain = words(&unquoted);
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
    Some(include.join(" OR "))
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
            r#""deploy" OR "fastapi" OR "ecs""#
        );
        assert_eq!(
            fts_query(r#"postgres "connection pool" -pgbouncer"#).unwrap(),
            r#""connection pool" OR "postgres" OR "pgbouncer""#
        );
        // Pasted flags are words, not exclusions.
        assert_eq!(
            fts_query("OOMKilled with -Xmx1g").unwrap(),
            r#""oomkilled" OR "xmx1g""#
        );
        assert_eq!(fts_query("the and").unwrap(), r#""the" OR "and""#);
        assert_eq!(fts_query("?!"), None);
        assert_eq!(fts_query("builds of the build").unwrap(), r#""builds""#);
        let long = "one two three four five six seven eight nine";
        assert_eq!(fts_query(long).unwrap().matches(" OR ").count(), 8);
    }
}
