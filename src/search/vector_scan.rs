//! The vector arm: the exact nearest neighbours of a query vector among the eligible
//! experiences, by a scan of every stored vector (from SQLite's pages, or from a copy in
//! memory in a process that searches more than once) and a bounded heap.

use std::collections::HashSet;

use super::eligible::top_eligible;
use crate::error::Result;
use crate::store::{Eligibility, Tx};
use crate::top_k::TopK;

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
    cache: Option<&VectorCache>,
    query: &[f32],
    k: usize,
    elig: &Eligibility,
) -> Result<Vec<(i64, f64)>> {
    let matrix = match cache {
        Some(cache) => cache.matrix(conn, query.len())?,
        None => None,
    };
    let rank = |depth: usize, elig: Option<&Eligibility>| match &matrix {
        Some(m) => match elig.map(|e| conn.eligible_seqs(e)).transpose()? {
            // Nothing eligible: no distance worth computing (as SQLite's own scan).
            Some(only) if only.is_empty() => Ok(Vec::new()),
            only => Ok(m.nearest(query, depth, only.as_ref())),
        },
        None => conn.nearest(query, depth, elig),
    };
    if elig.is_broad() {
        return top_eligible(conn, k, elig, |depth| rank(depth, None));
    }
    rank(k, Some(elig))
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
    /// The exact scan of SQLite's pages (`store::sqlite::scan_vectors`), over the matrix.
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
