//! The vector arm: the exact nearest neighbours of a query vector among the eligible
//! experiences, by a scan of every stored vector (from SQLite's pages, or from a copy in
//! memory in a process that searches more than once) and a bounded heap.

use std::collections::{BinaryHeap, HashSet};

use super::eligible::top_eligible;
use crate::error::Result;
use crate::store::{self, Eligibility, Tx};

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
    conn: &dyn Tx,
    cache: &VectorCache,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    if conn.ranks_vectors() {
        // The same two ways, in the database (Postgres).
        if elig.is_broad() {
            return top_eligible(conn, k, elig, |depth| conn.nearest(query, depth, None));
        }
        return conn.nearest(query, k, Some(elig));
    }
    let matrix = cache.matrix(conn, query.len())?;
    let scan = |depth: usize, only: Option<&HashSet<i64>>| match &matrix {
        Some(m) => Ok(m.nearest(query, depth, only)),
        None => scan_vectors(conn, query, depth, only),
    };
    if elig.is_broad() {
        return top_eligible(conn, k, elig, |depth| scan(depth, None));
    }
    let eligible = conn.eligible_seqs(elig)?;
    if eligible.is_empty() {
        return Ok(Vec::new());
    }
    scan(k, Some(&eligible))
}

/// The exact nearest `k` vectors to `query` among those whose rowid is in `only` (all when
/// `None`), as (seq, L2 distance), nearest first.
///
/// Why not vec0's own `MATCH`: it copies each 1,024-vector chunk into a buffer before
/// computing distances and then picks the chunk's top k by k passes over it, about 2.4x
/// the time of a bare scan at 100,000 vectors. This reads each chunk in cache-sized pieces
/// ([`Tx::walk_vectors`]) straight into the distance kernel and keeps a bounded
/// heap, so the scan runs at about the speed of memory (scripts/bench.sh reports the ratio).
pub fn scan_vectors(
    conn: &dyn Tx,
    query: &[f32],
    k: usize,
    only: Option<&HashSet<i64>>,
) -> Result<Vec<(i64, f64)>> {
    let mut top = TopK::new(k);
    if k == 0 || query.is_empty() {
        return Ok(Vec::new());
    }
    let mut distances = [0f32; store::SCAN_PIECE];
    conn.walk_vectors(query.len(), only, &mut |floats, slots| {
        let n = floats.len() / query.len();
        crate::simd::l2_squared_rows(query, floats, &mut distances[..n]);
        for &(i, seq) in slots {
            top.push(distances[i], seq);
        }
    })?;
    Ok(top.into_sorted())
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
    fn matrix(&self, conn: &dyn Tx, dim: usize) -> Result<Option<std::sync::Arc<Matrix>>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.searches += 1;
        if state.searches < 2 {
            return Ok(None);
        }
        let fingerprint = conn.vector_fingerprint()?;
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
        let count = usize::try_from(conn.vector_count()?).unwrap_or(0);
        if count * dim * 4 > CACHE_MAX_BYTES {
            return Ok(None);
        }
        seqs.clear();
        values.clear();
        seqs.reserve(count);
        values.reserve(count * dim);
        conn.walk_vectors(dim, None, &mut |floats, slots| {
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
