//! Eligibility when nearly everything is eligible: rank first, filter the best few after.

use crate::error::Result;
use crate::store::{Eligibility, Tx};

/// The best `k` eligible of a ranking that `ranked(depth)` gives the top `depth` of, for
/// when nearly everything is eligible: takes a little more than `k`, keeps the eligible
/// ones, and looks deeper only if too few survive. Exact: the first `k` eligible entries of
/// the whole ranking are always among the first `depth` once `k` of those are eligible.
pub(super) fn top_eligible(
    conn: &dyn Tx,
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
        let mut kept = conn.keep_eligible(candidates, elig)?;
        if kept.len() < k {
            kept.extend(conn.keep_eligible(rest, elig)?);
        }
        if kept.len() >= k || exhausted {
            kept.truncate(k);
            return Ok(kept);
        }
        depth *= 8;
    }
}
