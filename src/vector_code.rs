//! The quantised copy of a vector that the vector arm's first pass reads: one sign bit per
//! dimension (bit `i % 8` of byte `i / 8` is set when component `i` is positive), 1/32 of
//! the float32 vector. Hamming distance between two codes ranks vectors roughly as their
//! angle does; the first pass keeps many more candidates than it needs and the exact
//! float32 distance ranks those ([`crate::search::vector_scan`]).
//!
//! Why sign bits and not int8: the first pass must read every code, and at a million
//! vectors int8 is 384 MB to read per search (about 40 ms of scanning alone on this
//! project's machine), sign bits 48 MB (a few ms with `popcnt`), which also keeps a
//! million-vector store's codes in a long-lived process's memory. The price is
//! oversampling, measured in `scripts/bench.sh` as recall against `plurum search --exact`.

/// Bytes of the code of a `dim`-dimensional vector.
pub fn code_len(dim: usize) -> usize {
    dim.div_ceil(8)
}

/// The code of `vector`, written into `out` (`code_len(vector.len())` bytes).
pub fn encode_into(vector: &[f32], out: &mut [u8]) {
    out.fill(0);
    for (i, &x) in vector.iter().enumerate() {
        if x > 0.0 {
            out[i / 8] |= 1 << (i % 8);
        }
    }
}

/// The code of `vector`.
pub fn encode(vector: &[f32]) -> Vec<u8> {
    let mut out = vec![0u8; code_len(vector.len())];
    encode_into(vector, &mut out);
    out
}

crate::simd::multiversion! {
    /// The Hamming distance from `query` to each code in `codes` (consecutive codes of
    /// `query.len()` bytes), into `distances`.
    pub fn hamming_rows(query: &[u8], codes: &[u8], distances: &mut [u32]) {
        let len = query.len();
        for (code, d) in codes.chunks_exact(len).zip(distances.iter_mut()) {
            *d = hamming(query, code);
        }
    }
}

/// A float query's view of codes: how well each code's signs agree with the query's
/// components, weighted by their size (Σ qᵢ·±1, larger is nearer). Far closer to the true
/// ranking than Hamming distance, which weighs every component alike (measured on SciFact
/// vectors: the float32 rescoring of its best 16× the wanted candidates found 0.999 of the
/// exact top 10, Hamming's best 16× 0.979), but a table lookup per byte instead of one
/// `popcnt` per 8 bytes, so it ranks only what Hamming distance shortlisted.
pub struct QueryTables {
    /// For byte `j` of a code and each value `b` of it: Σ over its 8 bits of ±q[8j + t].
    tables: Vec<[f32; 256]>,
}

impl QueryTables {
    pub fn new(query: &[f32]) -> QueryTables {
        let tables = query
            .chunks(8)
            .map(|part| {
                let mut table = [0f32; 256];
                for (b, entry) in table.iter_mut().enumerate() {
                    *entry = part
                        .iter()
                        .enumerate()
                        .map(|(t, &q)| if b >> t & 1 == 1 { q } else { -q })
                        .sum();
                }
                table
            })
            .collect();
        QueryTables { tables }
    }

    /// The query's agreement with `code` (larger is nearer).
    pub fn score(&self, code: &[u8]) -> f32 {
        self.tables
            .iter()
            .zip(code)
            .map(|(table, &b)| table[usize::from(b)])
            .sum()
    }
}

/// The number of bits in which two codes of the same length differ.
#[inline(always)]
pub fn hamming(a: &[u8], b: &[u8]) -> u32 {
    let mut total = 0;
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let (a_tail, b_tail) = (a_words.remainder(), b_words.remainder());
    for (x, y) in a_words.zip(b_words) {
        let x = u64::from_le_bytes(x.try_into().expect("8 bytes"));
        let y = u64::from_le_bytes(y.try_into().expect("8 bytes"));
        total += (x ^ y).count_ones();
    }
    for (x, y) in a_tail.iter().zip(b_tail) {
        total += (x ^ y).count_ones();
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sign_bits_in_little_endian_bit_order() {
        let v = [0.5, -0.1, 0.0, 2.0, -3.0, 0.1, 0.1, -0.2, 0.3];
        assert_eq!(encode(&v), vec![0b0110_1001, 0b0000_0001]);
        assert_eq!(code_len(384), 48);
        assert_eq!(code_len(385), 49);
    }

    #[test]
    fn query_tables_score_the_signs_agreement() {
        let q = [0.5, -0.25, 0.125, 1.0, -1.0, 0.0, 0.75, 0.25, -0.5];
        let v = [1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 1.0, -1.0, -1.0];
        let want: f32 = q.iter().zip(&v).map(|(a, b)| a * b).sum();
        assert_eq!(QueryTables::new(&q).score(&encode(&v)), want);
    }

    #[test]
    fn hamming_counts_differing_bits_in_every_build() {
        let a: Vec<u8> = (0..49u8).map(|i| i.wrapping_mul(37)).collect();
        let b: Vec<u8> = (0..49u8).map(|i| i.wrapping_mul(91) ^ 0x5a).collect();
        let naive: u32 = a.iter().zip(&b).map(|(x, y)| (x ^ y).count_ones()).sum();
        assert_eq!(hamming(&a, &b), naive);
        let codes = [b.clone(), a.clone(), b.clone()].concat();
        let mut d = [0u32; 3];
        hamming_rows(&a, &codes, &mut d);
        assert_eq!(d, [naive, 0, naive]);
        let mut s = [0u32; 3];
        hamming_rows::scalar(&a, &codes, &mut s);
        assert_eq!(s, d);
    }
}
