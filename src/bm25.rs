//! bm25 as FTS5 computes it, and the bound that lets the keyword arm skip most of its work.
//!
//! A document's bm25 score is a sum over the query's terms of `idf · f(k1+1) / (f + K)`,
//! where `f` is the term's weighted frequency in the document and `K > 0` depends on the
//! document's length. Whatever `f` and `K` are, a term adds less than `idf · (k1+1)`. So once
//! the rarest terms have been read in full and the `depth`-th best score among the
//! documents holding them is θ, a document holding none of them scores less than the sum of
//! the other terms' bounds; when that sum is at most θ, no such document can enter the top
//! `depth`, and the common terms need only be scored on the documents the rare ones chose
//! (MaxScore, Turtle and Flood 1995). Common terms are where the work was: in the scale
//! bench's million experiences "cell" is in 488,186 of them, "aldh1" in 192.

/// bm25's constants, as FTS5 fixes them.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// FTS5's inverse document frequency: `ln((N - n + 0.5) / (n + 0.5))` over `rows` documents
/// of which `docs` hold the term, floored at 1e-6 (a term in more than half of them would
/// otherwise count against a match). Operation for operation as FTS5's C, so the scores
/// agree to the last bit.
pub fn idf(rows: i64, docs: i64) -> f64 {
    let idf = (((rows - docs) as f64 + 0.5) / (docs as f64 + 0.5)).ln();
    if idf <= 0.0 { 1e-6 } else { idf }
}

/// The query's terms, rarest first, and how much the ones not yet read can add.
#[derive(Debug, Clone)]
pub struct TermOrder {
    /// Indexes into the query's terms, by falling idf (ties: the query's order).
    pub order: Vec<usize>,
    /// `rest[e]`: the most a document can score from `order[e..]` (so `rest[len] = 0`).
    rest: Vec<f64>,
    /// `held[e]`: how many rows the terms `order[..e]` hold, a row counted once per term.
    held: Vec<i64>,
}

impl TermOrder {
    /// The order for terms held by `docs[i]` of `rows` documents each.
    pub fn new(rows: i64, docs: &[i64]) -> TermOrder {
        let idfs: Vec<f64> = docs.iter().map(|&d| idf(rows, d)).collect();
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by(|&a, &b| idfs[b].total_cmp(&idfs[a]).then(a.cmp(&b)));
        let mut rest = vec![0.0; order.len() + 1];
        for e in (0..order.len()).rev() {
            rest[e] = rest[e + 1] + idfs[order[e]] * (K1 + 1.0);
        }
        let mut held = vec![0; order.len() + 1];
        for e in 0..order.len() {
            held[e + 1] = held[e] + docs[order[e]];
        }
        TermOrder { order, rest, held }
    }

    /// How many rows the `e` rarest terms hold, a row counted once per term.
    pub fn held(&self, e: usize) -> i64 {
        self.held[e.min(self.order.len())]
    }

    /// The fewest rarest terms, at least `at_least`, that hold `rows` rows between them (all
    /// of them if they hold fewer): where a ranking that must find `rows` rows starts.
    pub fn holding(&self, rows: i64, at_least: usize) -> usize {
        (at_least..self.order.len())
            .find(|&e| self.held[e] >= rows)
            .unwrap_or(self.order.len())
    }

    /// How many of the rarest terms must be read in full so that a document holding none of
    /// them scores below `theta` (the `depth`-th best score found so far, or −∞ with fewer
    /// found): the smallest `e` with `rest[e] <= theta`, at least `at_least`. The margin
    /// covers rounding in the sums.
    pub fn essential_for(&self, theta: f64, at_least: usize) -> usize {
        (at_least..self.order.len())
            .find(|&e| self.rest[e] * (1.0 + 1e-9) <= theta)
            .unwrap_or(self.order.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_is_floored_for_terms_in_most_documents() {
        assert!(idf(1000, 10) > 4.0);
        assert_eq!(idf(1000, 600), 1e-6);
    }

    #[test]
    fn rarest_terms_come_first_and_the_bound_shrinks_as_they_are_read() {
        // Terms held by 500, 3 and 40 of 1,000 documents.
        let order = TermOrder::new(1000, &[500, 3, 40]);
        assert_eq!(order.order, vec![1, 2, 0]);
        let most = |docs| idf(1000, docs) * (K1 + 1.0);
        // Nothing found yet: every term must be read.
        assert_eq!(order.essential_for(f64::NEG_INFINITY, 1), 3);
        // A θ above the two commoner terms' bounds leaves only the rarest to read in full.
        assert_eq!(order.essential_for(most(40) + most(500) + 0.1, 1), 1);
        // Just below it, the next one is needed too.
        assert_eq!(order.essential_for(most(40) + most(500) - 0.1, 1), 2);
        // Never fewer than asked.
        assert_eq!(order.essential_for(1e9, 2), 2);
        // Rows held by the rarest first: 3, then 43, then 543.
        assert_eq!(order.holding(3, 1), 1);
        assert_eq!(order.holding(4, 1), 2);
        assert_eq!(order.holding(44, 1), 3);
        assert_eq!(order.holding(10_000, 1), 3);
        assert_eq!(order.held(2), 43);
    }
}
