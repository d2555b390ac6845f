//! The vector arm: the nearest neighbours of a query vector among the eligible experiences.
//!
//! By default in three steps, where the store keeps the vectors' quantised codes (SQLite,
//! [`crate::vector_code`]): the first pass ranks every eligible code by Hamming distance to
//! the query's code (from SQLite's pages, or from a copy in memory in a process that
//! searches more than once) and shortlists [`HAMMING_OVERSAMPLE`] times the candidates asked
//! for; the query's tables ([`vector_code::QueryTables`]) rank the shortlist and keep
//! [`TABLE_OVERSAMPLE`] times; and the float32 vectors of those are read and ranked
//! exactly. The result is the exact one unless a true neighbour falls out of a shortlist
//! (the bench reports how often: recall against `--exact`). `exact` asks for the plain
//! scan of every float32 vector instead. Postgres ranks in the database either way.

use std::collections::HashSet;

use super::eligible::top_eligible;
use crate::error::Result;
use crate::store::{Eligibility, Tx};
use crate::top_k::TopK;
use crate::vector_code;

/// Cosine similarity of two unit vectors from their L2 distance.
pub fn similarity_from_l2(distance: f64) -> f64 {
    1.0 - distance * distance / 2.0
}

/// Candidates the Hamming pass shortlists, as a multiple of those asked for (and at least
/// [`MIN_HAMMING`]).
pub const HAMMING_OVERSAMPLE: usize = 64;
const MIN_HAMMING: usize = 2000;
/// Candidates whose float32 vectors are read, as a multiple of those asked for (and at least
/// [`MIN_RESCORED`]).
pub const TABLE_OVERSAMPLE: usize = 8;
const MIN_RESCORED: usize = 120;
/// ...and at least this many times the square root of the number of vectors: measured on
/// SciFact-derived stores (each abstract copied with noise, so a true neighbour has a crowd
/// of near-equals), 8 × 30 candidates found 0.998 of the exact top 10 at 100,000 vectors but
/// 0.907 at 1,000,000, where the nearest abstract alone has 193 copies to tell apart.
const RESCORED_PER_SQRT: f64 = 2.0;

/// The `k` eligible experiences nearest to `query` (a unit vector), as (seq, L2 distance),
/// nearest first. The filter is applied before the top `k` is cut, never after.
///
/// When only the default conditions apply, nearly every vector is eligible, so it is far
/// cheaper to take the `k'` nearest of all vectors and keep the eligible ones than to list
/// every eligible experience first; if at least `k` survive, they are the top `k` eligible
/// ones (any closer eligible vector would be among the `k'` nearest). Otherwise, and
/// whenever a selective filter applies, the eligible experiences are listed by SQL and the
/// scan skips every other vector before computing its distance.
pub fn nearest(
    conn: &dyn Tx,
    cache: Option<&VectorCache>,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
    exact: bool,
) -> Result<Vec<(i64, f64)>> {
    nearest_with(conn, cache, query, k, elig, exact, Effort::Search)
}

/// How hard [`nearest_with`] works to return exactly the exact scan's top `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// Search: enough candidates rescored that the top `k` is the exact one but for rare
    /// crowds (the bench's recall against `--exact`).
    Search,
    /// The duplicate check: only the few candidates the query's tables rank best are
    /// rescored (`k` × [`CLOSE_OVERSAMPLE`]). A near-duplicate is far closer than the crowd,
    /// so it is among them; the order of the far ones does not matter.
    Close,
}

/// Candidates rescored by [`Effort::Close`], as a multiple of those asked for.
pub const CLOSE_OVERSAMPLE: usize = 3;

/// [`nearest`], with the effort asked for.
pub fn nearest_with(
    conn: &dyn Tx,
    cache: Option<&VectorCache>,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
    exact: bool,
    effort: Effort,
) -> Result<Vec<(i64, f64)>> {
    let two_pass = !exact && conn.keeps_vector_codes();
    let codes = match cache {
        Some(cache) if two_pass => cache.codes(conn, query.len())?,
        _ => None,
    };
    let query_code = vector_code::encode(query);
    let tables = vector_code::QueryTables::new(query);
    // How many codes the pass meets, at most: the copy in memory knows; otherwise the
    // highest seq with a vector (cheap to read).
    let population = match &codes {
        Some(c) => c.seqs.len(),
        None if two_pass => usize::try_from(conn.vector_fingerprint()?.1).unwrap_or(0),
        None => 0,
    };
    let rescored_for_size = (RESCORED_PER_SQRT * (population as f64).sqrt()) as usize;
    let rank = |depth: usize, elig: Option<&Eligibility>| {
        if !two_pass {
            return conn.nearest(query, depth, elig, exact);
        }
        let only = elig.map(|e| conn.eligible_seqs(e)).transpose()?;
        if only.as_ref().is_some_and(HashSet::is_empty) {
            // Nothing eligible: no distance worth computing.
            return Ok(Vec::new());
        }
        // Oversampled from what the caller asked for, not from the depth a broad search
        // reaches for (a little more than `k`, to make up for the ineligible), and from the
        // store's size: the more vectors, the more of them crowd a true neighbour's code.
        let rescored = match effort {
            Effort::Search => (k * TABLE_OVERSAMPLE)
                .max(depth)
                .max(MIN_RESCORED)
                .max(rescored_for_size),
            Effort::Close => (k * CLOSE_OVERSAMPLE).max(depth),
        };
        let room = (k * HAMMING_OVERSAMPLE).max(rescored * 4).max(MIN_HAMMING);
        let mut shortlist = Shortlist::new(&tables, room);
        match &codes {
            Some(c) => c.first_pass(&query_code, &mut shortlist, only.as_ref()),
            None => first_pass(conn, &query_code, &mut shortlist, only.as_ref())?,
        };
        let candidates = shortlist.best(rescored);
        rescore(conn, query, &candidates, depth)
    };
    if elig.is_broad() {
        return top_eligible(conn, k, elig, |depth| rank(depth, None));
    }
    rank(k, Some(elig))
}

/// The Hamming pass over the store's pages.
fn first_pass(
    conn: &dyn Tx,
    query_code: &[u8],
    shortlist: &mut Shortlist,
    only: Option<&HashSet<i64>>,
) -> Result<()> {
    let len = query_code.len();
    let mut distances = Vec::new();
    conn.walk_vector_codes(len, only, &mut |codes, slots| {
        distances.resize(codes.len() / len, 0);
        vector_code::hamming_rows(query_code, codes, &mut distances);
        for &(slot, seq) in slots {
            shortlist.offer(distances[slot], seq, || {
                &codes[slot * len..(slot + 1) * len]
            });
        }
    })
}

/// The codes nearest by Hamming distance, each scored by the query's tables as it enters
/// (a few tens of thousands of entries in a pass over a million codes).
struct Shortlist<'a> {
    tables: &'a vector_code::QueryTables,
    room: usize,
    heap: std::collections::BinaryHeap<Entry>,
}

/// Ordered by (Hamming distance, seq): the worst on top of the heap.
struct Entry {
    hamming: u32,
    seq: i64,
    score: f32,
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.hamming, self.seq) == (other.hamming, other.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.hamming, self.seq).cmp(&(other.hamming, other.seq))
    }
}

impl<'a> Shortlist<'a> {
    fn new(tables: &'a vector_code::QueryTables, room: usize) -> Shortlist<'a> {
        Shortlist {
            tables,
            room,
            heap: std::collections::BinaryHeap::with_capacity(room + 1),
        }
    }

    #[inline]
    fn offer<'c>(&mut self, hamming: u32, seq: i64, code: impl FnOnce() -> &'c [u8]) {
        if self.heap.len() >= self.room
            && self
                .heap
                .peek()
                .is_some_and(|worst| (hamming, seq) >= (worst.hamming, worst.seq))
        {
            return;
        }
        let score = self.tables.score(code());
        self.heap.push(Entry {
            hamming,
            seq,
            score,
        });
        if self.heap.len() > self.room {
            self.heap.pop();
        }
    }

    /// The `n` entries the query's tables score highest (ties by the smaller seq).
    fn best(self, n: usize) -> Vec<i64> {
        let mut entries = self.heap.into_vec();
        entries.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq)));
        entries.truncate(n);
        entries.into_iter().map(|e| e.seq).collect()
    }
}

/// The `k` of `candidates` nearest to `query` by their float32 vectors: the same kernel and
/// tie-break as the exact scan, so a candidate set holding the true top `k` gives exactly
/// the exact scan's answer.
fn rescore(conn: &dyn Tx, query: &[f32], candidates: &[i64], k: usize) -> Result<Vec<(i64, f64)>> {
    let dim = query.len();
    let (seqs, values) = conn.vectors_of(candidates, dim)?;
    let mut distances = vec![0f32; seqs.len()];
    crate::simd::l2_squared_rows(query, &values, &mut distances);
    let mut top = TopK::new(k);
    for (&d, &seq) in distances.iter().zip(&seqs) {
        top.push(d, seq);
    }
    Ok(top.into_sorted())
}

/// Every stored code as one array in memory, kept by a process that searches more than
/// once (`plurum serve`, `plurum mcp`, a bench): its first pass is then a plain scan of
/// memory instead of a walk through SQLite's pages (48 MB at a million 384-dimensional
/// vectors). A one-shot `plurum search` never builds it (copying the codes out would cost
/// more than the one pass it needs).
///
/// It is checked against the store on every search, in the search's own read transaction,
/// by the store's vector version (bumped by every write to the vectors) and the highest
/// vector rowid, and reloaded when either moved.
#[derive(Default)]
pub struct VectorCache {
    state: std::sync::Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    searches: u64,
    codes: Option<std::sync::Arc<Codes>>,
}

struct Codes {
    fingerprint: (i64, i64),
    len: usize,
    seqs: Vec<i64>,
    codes: Vec<u8>,
}

/// Rows of the array scored per call of the distance kernel.
const CODES_BLOCK: usize = 1024;

impl VectorCache {
    /// The codes for this search, when this process has searched before; loaded (or
    /// reloaded) here if they are missing or stale.
    fn codes(&self, conn: &dyn Tx, dim: usize) -> Result<Option<std::sync::Arc<Codes>>> {
        let len = vector_code::code_len(dim);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.searches += 1;
        if state.searches < 2 {
            return Ok(None);
        }
        let fingerprint = conn.vector_fingerprint()?;
        if let Some(c) = &state.codes
            && c.fingerprint == fingerprint
            && c.len == len
        {
            return Ok(Some(c.clone()));
        }
        // Only appended to since (the version is the same, the highest rowid higher): add
        // the new codes after the others, which stay in seq order. A server that publishes
        // between searches reads a few blocks instead of every code.
        if let Some(c) = &state.codes
            && c.fingerprint.0 == fingerprint.0
            && c.fingerprint.1 < fingerprint.1
            && c.len == len
        {
            let mut grown = match state.codes.take().map(std::sync::Arc::try_unwrap) {
                Some(Ok(old)) => old,
                Some(Err(shared)) => Codes {
                    fingerprint: shared.fingerprint,
                    len: shared.len,
                    seqs: shared.seqs.clone(),
                    codes: shared.codes.clone(),
                },
                None => unreachable!("checked above"),
            };
            let after = grown.fingerprint.1;
            conn.walk_vector_codes_after(len, after, &mut |block, slots| {
                for &(slot, seq) in slots {
                    grown.seqs.push(seq);
                    grown
                        .codes
                        .extend_from_slice(&block[slot * len..(slot + 1) * len]);
                }
            })?;
            grown.fingerprint = fingerprint;
            let grown = std::sync::Arc::new(grown);
            state.codes = Some(grown.clone());
            return Ok(Some(grown));
        }
        // Reload into the old array's memory when no search still holds it: faulting in
        // fresh pages for every reload would cost as much as the reload itself.
        let (mut seqs, mut codes) = match state.codes.take().map(std::sync::Arc::try_unwrap) {
            Some(Ok(old)) => (old.seqs, old.codes),
            _ => (Vec::new(), Vec::new()),
        };
        seqs.clear();
        codes.clear();
        conn.walk_vector_codes(len, None, &mut |block, slots| {
            for &(slot, seq) in slots {
                seqs.push(seq);
                codes.extend_from_slice(&block[slot * len..(slot + 1) * len]);
            }
        })?;
        let loaded = std::sync::Arc::new(Codes {
            fingerprint,
            len,
            seqs,
            codes,
        });
        state.codes = Some(loaded.clone());
        Ok(Some(loaded))
    }
}

impl Codes {
    /// [`first_pass`], over memory.
    fn first_pass(
        &self,
        query_code: &[u8],
        shortlist: &mut Shortlist,
        only: Option<&HashSet<i64>>,
    ) {
        let len = self.len;
        let mut distances = vec![0u32; CODES_BLOCK];
        for (block, rows) in self.codes.chunks(CODES_BLOCK * len).enumerate() {
            let n = rows.len() / len;
            vector_code::hamming_rows(query_code, rows, &mut distances[..n]);
            let seqs = &self.seqs[block * CODES_BLOCK..block * CODES_BLOCK + n];
            for (i, (&d, &seq)) in distances[..n].iter().zip(seqs).enumerate() {
                if only.is_none_or(|set| set.contains(&seq)) {
                    shortlist.offer(d, seq, || &rows[i * len..(i + 1) * len]);
                }
            }
        }
    }
}
