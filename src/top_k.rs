//! The `k` nearest of many: a bounded heap of (distance, seq), shared by every exact
//! vector scan (SQLite's pages, a matrix in memory) so that they rank and break ties alike.

use std::collections::BinaryHeap;

/// The `k` smallest (distance, seq) pairs seen, ties broken by the smaller seq.
pub struct TopK {
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
    pub fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    pub fn push(&mut self, distance: f32, seq: i64) {
        let item = (OrderedDistance(distance), seq);
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if self.heap.peek().is_some_and(|worst| item < *worst) {
            self.heap.pop();
            self.heap.push(item);
        }
    }

    /// (seq, L2 distance), nearest first.
    pub fn into_sorted(self) -> Vec<(i64, f64)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|(d, seq)| (seq, f64::from(d.0).sqrt()))
            .collect()
    }
}
