//! Numeric loops that run at the speed of the CPU they land on: the embedding kernels and
//! the vector scan are written as plain scalar Rust that LLVM auto-vectorises, and
//! [`multiversion!`] compiles each one for AVX-512, for AVX2+FMA and for the baseline target,
//! picking the best the CPU has at run time, so one binary is both portable and fast.
//! Reductions keep sixteen independent partial sums so they vectorise without fast-math.

/// Defines `pub fn $name(...)` (optionally `-> $ret`) that runs an AVX-512 or AVX2+FMA
/// build of `$body` when the CPU has one, and a module of the same name holding each build:
/// `$name::avx512` and `$name::avx2` (x86-64 only; call them only where
/// [`has_avx512`] / [`has_avx2`] say the CPU can) and `$name::scalar` (the baseline
/// target's build, which runs anywhere), so tests can check every build on any CPU.
macro_rules! multiversion {
    ($(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                if $crate::simd::has_avx512() {
                    // SAFETY: the CPU supports the features `avx512` was compiled for.
                    return unsafe { $name::avx512($($arg),*) };
                }
                if $crate::simd::has_avx2() {
                    // SAFETY: the CPU supports the features `avx2` was compiled for.
                    return unsafe { $name::avx2($($arg),*) };
                }
            }
            $name::scalar($($arg),*)
        }

        /// The builds of the function of the same name, one per CPU level.
        #[allow(dead_code)]
        pub(crate) mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[inline(always)]
            pub(crate) fn scalar($($arg: $ty),*) -> $ret $body

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma,popcnt")]
            pub(crate) fn avx512($($arg: $ty),*) -> $ret { scalar($($arg),*) }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma,popcnt")]
            pub(crate) fn avx2($($arg: $ty),*) -> $ret { scalar($($arg),*) }
        }
    };
    ($(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $crate::simd::multiversion! {
            $(#[$meta])* pub fn $name($($arg: $ty),*) -> () $body
        }
    };
}
pub(crate) use multiversion;

/// The CPU runs the AVX-512 builds of [`multiversion!`] (x86-64 only).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && has_avx2()
}

/// The CPU runs the AVX2+FMA builds of [`multiversion!`] (x86-64 only).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
        && std::arch::is_x86_feature_detected!("popcnt")
}

/// Partial sums a reduction keeps: one AVX-512 register of f32.
pub(crate) const LANES: usize = 16;

/// Sum with sixteen partial sums instead of a serial chain.
#[inline(always)]
pub(crate) fn sum(x: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for c in chunks {
        for i in 0..LANES {
            acc[i] += c[i];
        }
    }
    acc.iter().sum::<f32>() + tail.iter().sum::<f32>()
}

#[inline(always)]
pub(crate) fn max(x: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for c in chunks {
        for i in 0..LANES {
            acc[i] = if c[i] > acc[i] { c[i] } else { acc[i] };
        }
    }
    acc.iter()
        .chain(tail)
        .fold(f32::NEG_INFINITY, |m, &v| m.max(v))
}

/// Squared L2 distance of two vectors of equal length.
#[inline(always)]
pub(crate) fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| (x - y) * (x - y))
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..LANES {
            let d = x[i] - y[i];
            acc[i] += d * d;
        }
    }
    acc.iter().sum::<f32>() + tail
}

multiversion! {
    /// `out[i]` = squared L2 distance between `query` and row i of `rows` (row-major, rows of
    /// `query.len()` values): the inner loop of the exact vector scan.
    pub fn l2_squared_rows(query: &[f32], rows: &[f32], out: &mut [f32]) {
        for (row, o) in rows.chunks_exact(query.len()).zip(out.iter_mut()) {
            *o = l2_squared(query, row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every build of the scan's kernel this CPU can run (the scalar one on any CPU)
    /// matches the definition.
    #[test]
    fn l2_rows_match_the_definition_in_every_build() {
        type Rows = unsafe fn(&[f32], &[f32], &mut [f32]);
        #[allow(unused_mut)]
        let mut builds: Vec<(&str, Rows)> = vec![
            ("scalar", l2_squared_rows::scalar as Rows),
            ("dispatched", l2_squared_rows as Rows),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            if has_avx2() {
                builds.push(("avx2", l2_squared_rows::avx2 as Rows));
            }
            if has_avx512() {
                builds.push(("avx512", l2_squared_rows::avx512 as Rows));
            }
        }
        for (level, f) in builds {
            for dim in [1, 15, 16, 17, 384] {
                let q: Vec<f32> = (0..dim).map(|i| (i as f32 * 0.37).sin()).collect();
                let rows: Vec<f32> = (0..dim * 5).map(|i| (i as f32 * 0.11).cos()).collect();
                let mut out = vec![0.0; 5];
                // SAFETY: the list holds only the builds this CPU can run.
                unsafe { f(&q, &rows, &mut out) };
                for (r, got) in rows.chunks(dim).zip(&out) {
                    let want: f64 = q
                        .iter()
                        .zip(r)
                        .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
                        .sum();
                    assert!(
                        (*got as f64 - want).abs() < 1e-4 * want.max(1.0),
                        "{level} dim {dim}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
