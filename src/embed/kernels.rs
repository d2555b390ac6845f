//! Element-wise kernels of the BERT forward pass: bias + GELU, bias + residual layer norm,
//! row softmax, and the exp / erf they need.
//!
//! Why our own: candle's exact GELU and exp were ~7 % each of a batch profile, and its ops
//! each make a new tensor. These work in place on rows the matmuls just wrote, fused so
//! every value is read once. They are plain scalar Rust that LLVM auto-vectorises, built
//! per CPU level by [`multiversion!`] (see [`crate::simd`]).

use crate::simd::{LANES, max, multiversion, sum};

/// e^x, Cephes' single-precision polynomial (relative error ~2e-7), branch-free and with no
/// float-to-int cast (Rust's saturating `as` does not vectorise), so a loop over it compiles
/// to straight SIMD. Inputs below -87 flush to ~0 (softmax and erf only need that).
#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    // Adding then subtracting 1.5 x 2^23 rounds to an integer and leaves that integer in the
    // low mantissa bits of the sum.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    // x = n ln2 + r, |r| <= ln2/2; ln2 split in two so r keeps its precision.
    let shifted = x * std::f32::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let p = p * r * r + r + 1.0;
    // Scale by 2^n by building the float's exponent directly.
    let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    p * f32::from_bits(n_bits.wrapping_add(127) << 23)
}

/// erf(x), Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7; what PyTorch's
/// vectorised CPU GELU uses too).
#[inline(always)]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let mut p = 1.061_405_4;
    p = p * t - 1.453_152;
    p = p * t + 1.421_413_8;
    p = p * t - 0.284_496_74;
    p = p * t + 0.254_829_6;
    let y = 1.0 - p * t * exp(-a * a);
    y.copysign(x)
}

/// GELU as BERT defines it (the exact, erf-based form).
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

multiversion! {
    /// `rows[r][j] += bias[j]` for every row (rows is row-major with `bias.len()` columns).
    pub fn add_bias(rows: &mut [f32], bias: &[f32]) {
        for row in rows.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v += b;
            }
        }
    }
}

multiversion! {
    /// rows = GELU(rows + bias), row by row: the first feed-forward layer's epilogue.
    pub fn bias_gelu(rows: &mut [f32], bias: &[f32]) {
        for row in rows.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v = gelu(*v + b);
            }
        }
    }
}

/// LayerNorm of one row in place: two passes (mean, then centred squares) as PyTorch does,
/// so there is no cancellation.
#[inline(always)]
fn normalize(row: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let n = row.len() as f32;
    let mean = sum(row) / n;
    let mut acc = [0.0f32; LANES];
    let chunks = row.chunks_exact(LANES);
    let mut tail = 0.0;
    for &v in chunks.remainder() {
        tail += (v - mean) * (v - mean);
    }
    for c in chunks {
        for i in 0..LANES {
            acc[i] += (c[i] - mean) * (c[i] - mean);
        }
    }
    let var = (acc.iter().sum::<f32>() + tail) / n;
    let rstd = 1.0 / (var + eps).sqrt();
    for ((v, g), b) in row.iter_mut().zip(gamma).zip(beta) {
        *v = (*v - mean) * rstd * g + b;
    }
}

multiversion! {
    /// rows = LayerNorm(rows + bias) with `gamma`, `beta`: the epilogue after each residual
    /// add (the matmul already accumulated into the residual rows).
    pub fn bias_layer_norm(rows: &mut [f32], bias: &[f32], gamma: &[f32], beta: &[f32], eps: f32) {
        for row in rows.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v += b;
            }
            normalize(row, gamma, beta, eps);
        }
    }
}

multiversion! {
    /// rows = LayerNorm(rows) (no bias): the embedding layer's norm.
    pub fn layer_norm(rows: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
        for row in rows.chunks_exact_mut(gamma.len()) {
            normalize(row, gamma, beta, eps);
        }
    }
}

multiversion! {
    /// softmax(scale × row) of each row of `cols` values, in place (attention scores, with
    /// the 1/sqrt(head size) scale folded in).
    pub fn softmax_rows(rows: &mut [f32], cols: usize, scale: f32) {
        for row in rows.chunks_exact_mut(cols) {
            let m = max(row);
            for v in row.iter_mut() {
                *v = exp((*v - m) * scale);
            }
            let inv = 1.0 / sum(row);
            for v in row.iter_mut() {
                *v *= inv;
            }
        }
    }
}

/// Checks the slices of out[m x n] = a[m x k] . w^T (w row-major [n x k], out rows
/// `out_stride` apart) against each other and returns n: what makes the unchecked matmuls
/// below memory-safe.
pub fn linear_shape(
    m: usize,
    a: &[f32],
    k: usize,
    w: &[f32],
    out: &[f32],
    out_stride: usize,
) -> usize {
    let n = w.len() / k;
    assert!(a.len() >= m * k && w.len() == n * k && n <= out_stride);
    assert!(m == 0 || out.len() >= (m - 1) * out_stride + n);
    n
}

/// Rows up to which [`linear_few_rows`] beats `gemm` (a search query is 5-30 tokens).
pub const FEW_ROWS: usize = 32;

/// out[m x n] (+)= a[m x k] . w^T for a few rows of `a` (m <= [`FEW_ROWS`]), or `false` when
/// this CPU or shape needs the general matmul instead.
///
/// Why: `gemm` packs the whole weight matrix into a freshly allocated buffer on every call,
/// which is nothing next to a batch's work but most of a one-query forward pass (and the
/// allocation page-faults in a fresh process). Here every row of `w` is a dot product with
/// every row of `a`; both are contiguous along k, `w` streams from memory once and `a` stays
/// in L1, so nothing is packed or allocated.
pub fn linear_few_rows(
    m: usize,
    a: &[f32],
    k: usize,
    w: &[f32],
    out: &mut [f32],
    out_stride: usize,
    accumulate: bool,
) -> bool {
    if m == 0 || m > FEW_ROWS || !k.is_multiple_of(16) {
        return false;
    }
    let n = linear_shape(m, a, k, w, out, out_stride);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F; the bounds were checked above.
        unsafe { few_rows_avx512(m, a, k, w, n, out, out_stride, accumulate) };
        return true;
    }
    false
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn few_rows_avx512(
    m: usize,
    a: &[f32],
    k: usize,
    w: &[f32],
    n: usize,
    out: &mut [f32],
    out_stride: usize,
    accumulate: bool,
) {
    use std::arch::x86_64::*;
    // A 4 x 4 block of outputs at a time: 16 accumulators, 4 + 4 registers of inputs. Rows
    // past the end repeat the last row (their sums are computed and dropped), so every
    // loop has constant bounds and the accumulators stay in registers.
    const B: usize = 4;
    let (ap, wp) = (a.as_ptr(), w.as_ptr());
    for n0 in (0..n).step_by(B) {
        let w_rows: [*const f32; B] =
            std::array::from_fn(|j| unsafe { wp.add((n0 + j).min(n - 1) * k) });
        for m0 in (0..m).step_by(B) {
            let a_rows: [*const f32; B] =
                std::array::from_fn(|i| unsafe { ap.add((m0 + i).min(m - 1) * k) });
            let mut acc = [[_mm512_setzero_ps(); B]; B];
            for kk in (0..k).step_by(16) {
                // SAFETY: kk + 16 <= k (k is a multiple of 16); rows are within a and w.
                let wv: [__m512; B] =
                    std::array::from_fn(|j| unsafe { _mm512_loadu_ps(w_rows[j].add(kk)) });
                for i in 0..B {
                    let av = unsafe { _mm512_loadu_ps(a_rows[i].add(kk)) };
                    for j in 0..B {
                        acc[i][j] = _mm512_fmadd_ps(av, wv[j], acc[i][j]);
                    }
                }
            }
            for i in 0..B.min(m - m0) {
                let row = &mut out[(m0 + i) * out_stride + n0..];
                for j in 0..B.min(n - n0) {
                    let sum = _mm512_reduce_add_ps(acc[i][j]);
                    row[j] = if accumulate { row[j] + sum } else { sum };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every build of a `multiversion!` kernel this CPU can run, as (level, function): the
    /// scalar build always, the AVX2 build where the CPU has AVX2 and FMA, the AVX-512 build
    /// where it has AVX-512. As `unsafe fn` pointers: calling one is sound only because the
    /// list holds the builds this CPU can run.
    macro_rules! builds {
        ($kernel:ident: $fnty:ty) => {{
            #[allow(unused_mut)]
            let mut v: Vec<(&str, $fnty)> = vec![("scalar", $kernel::scalar as $fnty)];
            #[cfg(target_arch = "x86_64")]
            {
                if crate::simd::has_avx2() {
                    v.push(("avx2", $kernel::avx2 as $fnty));
                }
                if crate::simd::has_avx512() {
                    v.push(("avx512", $kernel::avx512 as $fnty));
                }
            }
            v
        }};
    }

    /// The builds a kernel test must have run on this CPU (the scalar one everywhere).
    fn expected_levels() -> Vec<&'static str> {
        let mut levels = vec!["scalar"];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                levels.push("avx2");
            }
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512vl")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && levels.contains(&"avx2")
            {
                levels.push("avx512");
            }
        }
        levels
    }

    /// Deterministic values in [-scale, scale).
    fn values(n: usize, seed: u64, scale: f32) -> Vec<f32> {
        let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((s >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
            })
            .collect()
    }

    /// erf in f64 by its Maclaurin series (fine for |x| < 4).
    fn erf64(x: f64) -> f64 {
        let mut term = x;
        let mut s = x;
        let mut n = 0.0;
        while term.abs() > 1e-17 {
            n += 1.0;
            term *= -x * x / n;
            s += term / (2.0 * n + 1.0);
        }
        s * 2.0 / std::f64::consts::PI.sqrt()
    }

    fn gelu64(x: f64) -> f64 {
        0.5 * x * (1.0 + erf64(x / std::f64::consts::SQRT_2))
    }

    /// LayerNorm of one row in f64, the definition.
    fn layer_norm64(row: &[f64], gamma: &[f32], beta: &[f32], eps: f64) -> Vec<f64> {
        let n = row.len() as f64;
        let mean = row.iter().sum::<f64>() / n;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        row.iter()
            .zip(gamma)
            .zip(beta)
            .map(|((v, g), b)| (v - mean) / (var + eps).sqrt() * *g as f64 + *b as f64)
            .collect()
    }

    fn assert_close(got: &[f32], want: &[f64], tolerance: f64, what: &str) {
        assert_eq!(got.len(), want.len(), "{what}");
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (*g as f64 - w).abs() <= tolerance * w.abs().max(1.0),
                "{what}: [{i}] {g} vs {w}"
            );
        }
    }

    /// Row widths: the model's (384, 1536), and odd ones that leave a tail after the
    /// 16-lane chunks.
    const WIDTHS: [usize; 4] = [19, 37, 384, 1536];

    #[test]
    fn add_bias_every_build_matches_the_definition() {
        let builds = builds!(add_bias: unsafe fn(&mut [f32], &[f32]));
        for &(level, f) in &builds {
            for cols in WIDTHS {
                let rows = values(3 * cols, cols as u64, 4.0);
                let bias = values(cols, 7, 1.0);
                let want: Vec<f64> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, v)| *v as f64 + bias[i % cols] as f64)
                    .collect();
                let mut got = rows.clone();
                // SAFETY: `builds!` lists only the builds this CPU can run.
                unsafe { f(&mut got, &bias) };
                assert_close(&got, &want, 1e-6, &format!("add_bias {level} cols {cols}"));
            }
        }
        let levels: Vec<&str> = builds.iter().map(|b| b.0).collect();
        assert_eq!(levels, expected_levels());
    }

    #[test]
    fn bias_gelu_every_build_matches_the_definition() {
        let builds = builds!(bias_gelu: unsafe fn(&mut [f32], &[f32]));
        for &(level, f) in &builds {
            for cols in WIDTHS {
                let rows = values(3 * cols, cols as u64 + 1, 4.5);
                let bias = values(cols, 11, 0.5);
                let want: Vec<f64> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, v)| gelu64(*v as f64 + bias[i % cols] as f64))
                    .collect();
                let mut got = rows.clone();
                // SAFETY: `builds!` lists only the builds this CPU can run.
                unsafe { f(&mut got, &bias) };
                assert_close(&got, &want, 2e-6, &format!("bias_gelu {level} cols {cols}"));
            }
        }
        let levels: Vec<&str> = builds.iter().map(|b| b.0).collect();
        assert_eq!(levels, expected_levels());
    }

    #[test]
    fn layer_norms_every_build_match_the_definition() {
        type BiasNorm = unsafe fn(&mut [f32], &[f32], &[f32], &[f32], f32);
        type Norm = unsafe fn(&mut [f32], &[f32], &[f32], f32);
        let with_bias = builds!(bias_layer_norm: BiasNorm);
        let plain = builds!(layer_norm: Norm);
        let eps = 1e-12f32;
        for cols in WIDTHS {
            // Rows far from zero mean, as residual rows are: a one-pass variance would lose
            // them to cancellation.
            let rows: Vec<f32> = values(4 * cols, cols as u64 + 2, 3.0)
                .into_iter()
                .map(|v| v + 40.0)
                .collect();
            let bias = values(cols, 13, 1.0);
            let gamma: Vec<f32> = values(cols, 17, 0.5).iter().map(|g| g + 1.0).collect();
            let beta = values(cols, 19, 0.2);
            let biased: Vec<f64> = rows
                .iter()
                .enumerate()
                .map(|(i, v)| *v as f64 + bias[i % cols] as f64)
                .collect();
            let want_biased: Vec<f64> = biased
                .chunks(cols)
                .flat_map(|r| layer_norm64(r, &gamma, &beta, eps as f64))
                .collect();
            let unbiased: Vec<f64> = rows.iter().map(|v| *v as f64).collect();
            let want_plain: Vec<f64> = unbiased
                .chunks(cols)
                .flat_map(|r| layer_norm64(r, &gamma, &beta, eps as f64))
                .collect();
            for &(level, f) in &with_bias {
                let mut got = rows.clone();
                // SAFETY: `builds!` lists only the builds this CPU can run.
                unsafe { f(&mut got, &bias, &gamma, &beta, eps) };
                let what = format!("bias_layer_norm {level} cols {cols}");
                assert_close(&got, &want_biased, 2e-4, &what);
            }
            for &(level, f) in &plain {
                let mut got = rows.clone();
                // SAFETY: `builds!` lists only the builds this CPU can run.
                unsafe { f(&mut got, &gamma, &beta, eps) };
                let what = format!("layer_norm {level} cols {cols}");
                assert_close(&got, &want_plain, 2e-4, &what);
            }
        }
        for builds in [
            with_bias.iter().map(|b| b.0).collect::<Vec<_>>(),
            plain.iter().map(|b| b.0).collect(),
        ] {
            assert_eq!(builds, expected_levels());
        }
    }

    #[test]
    fn softmax_every_build_matches_the_definition() {
        let builds = builds!(softmax_rows: unsafe fn(&mut [f32], usize, f32));
        let scale = 0.125f32;
        for &(level, f) in &builds {
            for cols in WIDTHS {
                // Scores spread wide enough that some exponents underflow.
                let mut rows = values(3 * cols, cols as u64 + 3, 400.0);
                rows[1] = -1e4;
                let want: Vec<f64> = rows
                    .chunks(cols)
                    .flat_map(|r| {
                        let m = r.iter().fold(f64::MIN, |m, v| m.max(*v as f64));
                        let e: Vec<f64> = r
                            .iter()
                            .map(|v| ((*v as f64 - m) * scale as f64).exp())
                            .collect();
                        let s: f64 = e.iter().sum();
                        e.into_iter().map(move |v| v / s)
                    })
                    .collect();
                // SAFETY: `builds!` lists only the builds this CPU can run.
                unsafe { f(&mut rows, cols, scale) };
                let what = format!("softmax_rows {level} cols {cols}");
                for (i, (g, w)) in rows.iter().zip(&want).enumerate() {
                    assert!((*g as f64 - w).abs() < 1e-6, "{what}: [{i}] {g} vs {w}");
                }
                for row in rows.chunks(cols) {
                    let total: f32 = row.iter().sum();
                    assert!((total - 1.0).abs() < 1e-5, "{what}: a row sums to {total}");
                }
            }
        }
        let levels: Vec<&str> = builds.iter().map(|b| b.0).collect();
        assert_eq!(levels, expected_levels());
    }

    /// The dispatching functions run whichever build fits the CPU: they agree with the
    /// scalar build.
    #[test]
    fn the_dispatched_kernels_agree_with_the_scalar_builds() {
        let cols = 384;
        let rows = values(5 * cols, 23, 3.0);
        let bias = values(cols, 29, 1.0);
        let gamma: Vec<f32> = values(cols, 31, 0.5).iter().map(|g| g + 1.0).collect();
        let beta = values(cols, 37, 0.2);
        let run = |f: &dyn Fn(&mut [f32])| {
            let mut r = rows.clone();
            f(&mut r);
            r
        };
        let close = |a: &[f32], b: &[f32], what: &str| {
            let b: Vec<f64> = b.iter().map(|v| *v as f64).collect();
            assert_close(a, &b, 1e-5, what);
        };
        close(
            &run(&|r| add_bias(r, &bias)),
            &run(&|r| add_bias::scalar(r, &bias)),
            "add_bias",
        );
        close(
            &run(&|r| bias_gelu(r, &bias)),
            &run(&|r| bias_gelu::scalar(r, &bias)),
            "bias_gelu",
        );
        close(
            &run(&|r| bias_layer_norm(r, &bias, &gamma, &beta, 1e-12)),
            &run(&|r| bias_layer_norm::scalar(r, &bias, &gamma, &beta, 1e-12)),
            "bias_layer_norm",
        );
        close(
            &run(&|r| layer_norm(r, &gamma, &beta, 1e-12)),
            &run(&|r| layer_norm::scalar(r, &gamma, &beta, 1e-12)),
            "layer_norm",
        );
        close(
            &run(&|r| softmax_rows(r, cols, 0.125)),
            &run(&|r| softmax_rows::scalar(r, cols, 0.125)),
            "softmax_rows",
        );
    }

    /// The few-rows matmul has an AVX-512 build only: on such a CPU it must match the
    /// definition; elsewhere it must decline every shape (the caller then runs `gemm`) and
    /// leave the output alone.
    #[test]
    fn few_rows_linear_matches_the_definition_or_declines() {
        #[cfg(target_arch = "x86_64")]
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        #[cfg(not(target_arch = "x86_64"))]
        let avx512 = false;
        let (k, n) = (48, 11);
        let w: Vec<f32> = (0..n * k)
            .map(|i| ((i * 7) % 13) as f32 * 0.1 - 0.6)
            .collect();
        let mut checked = 0;
        for m in [1, 3, 4, 5, 17, FEW_ROWS] {
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 5) % 11) as f32 * 0.2 - 1.0)
                .collect();
            for accumulate in [false, true] {
                let stride = n + 3;
                let mut out = vec![1.5f32; m * stride];
                let ran = linear_few_rows(m, &a, k, &w, &mut out, stride, accumulate);
                assert_eq!(ran, avx512, "m {m}");
                for r in 0..m {
                    for c in 0..stride {
                        let got = out[r * stride + c];
                        let want = if c >= n || !ran {
                            1.5 // columns past n, and a declined call, leave out alone
                        } else {
                            let dot: f32 = (0..k).map(|i| a[r * k + i] * w[c * k + i]).sum();
                            dot + if accumulate { 1.5 } else { 0.0 }
                        };
                        assert!(
                            (got - want).abs() < 1e-4,
                            "m {m} [{r},{c}]: {got} vs {want}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 0);
        // Shapes it never takes, whatever the CPU.
        assert!(!linear_few_rows(
            FEW_ROWS + 1,
            &[0.0; 33 * 48],
            k,
            &w,
            &mut [0.0; 33 * 11],
            n,
            false
        ));
        assert!(!linear_few_rows(
            1,
            &[0.0; 40],
            40,
            &[0.0; 40 * 2],
            &mut [0.0; 2],
            2,
            false
        ));
    }

    #[test]
    fn exp_matches_std() {
        let mut x = -90.0f32;
        while x < 88.0 {
            let (a, b) = (exp(x), x.exp());
            assert!((a - b).abs() <= 3e-7 * b.max(1e-30), "exp({x}) {a} vs {b}");
            x += 0.0137;
        }
    }

    #[test]
    fn gelu_matches_erf_definition() {
        let mut x = -5.0f32;
        while x < 5.0 {
            let want = gelu64(x as f64);
            assert!((gelu(x) as f64 - want).abs() < 1e-6, "gelu({x})");
            x += 0.01;
        }
    }
}
