//! The keyword arm: bm25 ranking of the parsed query ([`super::query`]) among the eligible
//! experiences.
//!
//! By default the ranking is bounded ([`crate::bm25`]): the rarest terms choose the rows and
//! the common ones are scored only on those, read in rounds until the rest cannot matter.
//! The top results are the full ranking's, score for score and tie for tie. `exact` ranks
//! every match by the index's own bm25 instead, to check the bounded path against.

use super::eligible::top_eligible;
use crate::bm25::TermOrder;
use crate::error::Result;
use crate::store::{Eligibility, KeywordPlan, KeywordQuery, KeywordStats, Tx};

/// The `k` best keyword matches among eligible experiences, as (seq, bm25), best first.
/// bm25 is negated so larger is better.
///
/// With only the default conditions the ranking runs on the index alone and eligibility is
/// checked for the best few (as the vector arm does); joining every match to its experience
/// first cost as much again as the ranking (measured: 71 ms against 46 ms for a query with
/// 35,000 matches among 100,000 experiences).
pub fn keyword(
    conn: &dyn Tx,
    query: &KeywordQuery,
    k: usize,
    elig: &Eligibility,
    exact: bool,
) -> Result<Vec<(i64, f64)>> {
    let stats = if exact {
        None
    } else {
        conn.keyword_stats(query)?
    };
    match (stats, elig.is_broad()) {
        (None, true) => top_eligible(conn, k, elig, |depth| {
            conn.keyword_ranked(query, None, depth)
        }),
        (None, false) => conn.keyword_eligible(query, None, k, elig),
        (Some(stats), true) => top_eligible(conn, k, elig, |depth| {
            bounded(&stats, depth, |plan| {
                conn.keyword_ranked(query, Some(plan), depth)
            })
        }),
        (Some(stats), false) => bounded(&stats, k, |plan| {
            conn.keyword_eligible(query, Some(plan), k, elig)
        }),
    }
}

/// The `depth` best by bm25, reading the terms rarest first: `rank` ranks the rows that hold
/// any of a plan's essential terms; when the `depth`-th score it finds is at least what the
/// other terms could give a row holding none of them, that ranking is the full one.
/// Otherwise the essential terms grow (to what that score requires, or, with fewer than
/// `depth` rows found, to twice the rows), and it ranks again. A larger set of rows only
/// raises the `depth`-th score, so the rounds are few: one to three for most queries.
fn bounded(
    stats: &KeywordStats,
    depth: usize,
    mut rank: impl FnMut(KeywordPlan) -> Result<Vec<(i64, f64)>>,
) -> Result<Vec<(i64, f64)>> {
    if depth == 0 {
        return Ok(Vec::new());
    }
    let order = TermOrder::new(stats.rows, &stats.docs);
    let all = order.order.len();
    let mut essential = order.holding(depth as i64, 1.min(all));
    loop {
        let hits = rank(KeywordPlan {
            docs: &stats.docs,
            essential: &order.order[..essential],
        })?;
        if essential == all {
            return Ok(hits);
        }
        essential = if hits.len() < depth {
            let rows = (2 * order.held(essential)).max(depth as i64);
            order.holding(rows, essential + 1)
        } else {
            let needed = order.essential_for(hits[depth - 1].1, essential);
            if needed == essential {
                return Ok(hits);
            }
            needed
        };
    }
}
