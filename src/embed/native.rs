//! plurum's own BERT forward pass: the same maths as candle-transformers' `BertModel` (and
//! checked against it and against sentence-transformers in tests/suite/embed.rs), shaped for
//! sentence embedding on a CPU.
//!
//! Why not `BertModel` itself (kept as the reference engine, [`super::candle`]): it pads
//! every batch to its longest text and runs attention over a mask, allocates a fresh tensor
//! for every op, and its GELU and exp are slow; on two cores it reached under half of
//! PyTorch's throughput. This pass:
//! - packs the texts of a batch back to back with no padding: the linear layers run on
//!   exactly the real tokens and attention runs per text, so no mask is needed;
//! - multiplies with the `gemm` crate (candle's own CPU matmul, with its AVX-512 kernels
//!   enabled) directly on strided views, so Q, K, V and the per-head outputs are never
//!   copied or transposed;
//! - reads the weight matrices in place from the memory-mapped safetensors file (loading
//!   copies only biases and norms: a search process starts fast);
//! - fuses biases, GELU, residual adds and layer norms into passes over the rows a matmul
//!   just wrote ([`super::kernels`]), and reuses one set of scratch buffers per worker.

use std::ops::Range;
use std::path::Path;

use gemm::Parallelism;
use memmap2::Mmap;
use safetensors::{Dtype, SafeTensors};

use super::kernels;
use super::recipe::Pooling;
use crate::error::{Error, Result};

/// The parts of a BERT `config.json` this pass needs.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub eps: f32,
    pub max_positions: usize,
    pub vocab: usize,
}

/// A weight matrix: the byte range of its float32 values in the mapped file.
type Param = Range<usize>;

struct Layer {
    q_w: Param,
    k_w: Param,
    v_w: Param,
    /// Q, K and V biases back to back, as the fused qkv rows hold them.
    qkv_b: Vec<f32>,
    out_w: Param,
    out_b: Vec<f32>,
    ln1_g: Vec<f32>,
    ln1_b: Vec<f32>,
    ffn_in_w: Param,
    ffn_in_b: Vec<f32>,
    ffn_out_w: Param,
    ffn_out_b: Vec<f32>,
    ln2_g: Vec<f32>,
    ln2_b: Vec<f32>,
}

pub(crate) struct NativeBert {
    pub shape: Shape,
    /// The safetensors file; every `Param` is a range of it.
    map: Mmap,
    net: Net,
}

struct Net {
    words: Param,
    /// `position_embeddings[p] + token_type_embeddings[0]` (every text is segment 0).
    pos_type: Vec<f32>,
    emb_ln_g: Vec<f32>,
    emb_ln_b: Vec<f32>,
    layers: Vec<Layer>,
}

/// Per-worker buffers, grown on demand and reused across batches (no allocation per op).
#[derive(Default)]
pub(crate) struct Scratch {
    x: Vec<f32>,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    ffn: Vec<f32>,
    scores: Vec<f32>,
}

fn grow(v: &mut Vec<f32>, n: usize) -> &mut [f32] {
    if v.len() < n {
        v.resize(n, 0.0);
    }
    &mut v[..n]
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Invalid {
        message: format!("{}: {message}", path.display()),
        field: Some("model".into()),
    }
}

/// Why a model cannot run on this pass (it then runs on candle's `BertModel`).
pub(crate) type Unsupported = String;

/// The tensors of one file, with or without a `bert.` (any `<prefix>.`) key prefix.
struct Tensors<'a> {
    st: SafeTensors<'a>,
    base: usize,
    prefix: String,
}

impl Tensors<'_> {
    /// Where a float32 tensor of the given shape lies in the file (4-byte aligned).
    fn param(&self, name: &str, shape: &[usize]) -> std::result::Result<Range<usize>, Unsupported> {
        let full = format!("{}{name}", self.prefix);
        let view = self
            .st
            .tensor(&full)
            .map_err(|_| format!("no tensor {full}"))?;
        if view.shape() != shape {
            return Err(format!(
                "tensor {full} has shape {:?}, config.json implies {shape:?}",
                view.shape()
            ));
        }
        if view.dtype() != Dtype::F32 {
            return Err(format!("tensor {full} is {:?}, not F32", view.dtype()));
        }
        let start = view.data().as_ptr() as usize - self.base;
        if !start.is_multiple_of(4) {
            return Err(format!("tensor {full} is not 4-byte aligned in the file"));
        }
        Ok(start..start + view.data().len())
    }

    fn owned(
        &self,
        map: &[u8],
        name: &str,
        shape: &[usize],
    ) -> std::result::Result<Vec<f32>, Unsupported> {
        Ok(floats(&map[self.param(name, shape)?]).to_vec())
    }
}

/// The float32 values of a 4-byte aligned little-endian byte range.
fn floats(bytes: &[u8]) -> &[f32] {
    // SAFETY: every caller's range was checked 4-byte aligned (relative to the mapping,
    // which is page aligned) and a multiple of 4 long; f32 has no invalid bit patterns.
    let (head, body, tail) = unsafe { bytes.align_to::<f32>() };
    assert!(head.is_empty() && tail.is_empty(), "misaligned weights");
    body
}

impl NativeBert {
    /// Loads the model, or says why this pass cannot run it (not an error: the caller falls
    /// back to candle's `BertModel`). Errors are for files that cannot be read at all.
    pub fn load(
        shape: Shape,
        weights: &Path,
    ) -> Result<std::result::Result<NativeBert, Unsupported>> {
        if !cfg!(target_endian = "little") {
            return Ok(Err("big-endian CPU".into()));
        }
        let file = std::fs::File::open(weights)
            .map_err(|e| Error::other(format!("cannot open {}: {e}", weights.display())))?;
        // SAFETY: the file is only read. Model files are never rewritten in place (the HF
        // cache and `plurum model import` both replace files by rename), which is what makes
        // mapping them sound; candle makes the same assumption.
        let map = unsafe { Mmap::map(&file) }
            .map_err(|e| Error::other(format!("cannot map {}: {e}", weights.display())))?;
        let st = SafeTensors::deserialize(&map)
            .map_err(|e| invalid(weights, format!("not a safetensors file: {e}")))?;
        let Some(word_key) = st
            .names()
            .into_iter()
            .find(|n| n.ends_with("embeddings.word_embeddings.weight"))
            .map(str::to_string)
        else {
            return Err(invalid(
                weights,
                "no embeddings.word_embeddings.weight tensor",
            ));
        };
        let t = Tensors {
            base: map.as_ptr() as usize,
            prefix: word_key
                .strip_suffix("embeddings.word_embeddings.weight")
                .unwrap_or_default()
                .to_string(),
            st,
        };
        let (h, i) = (shape.hidden, shape.intermediate);
        let build = || -> std::result::Result<Net, Unsupported> {
            let words = t.param("embeddings.word_embeddings.weight", &[shape.vocab, h])?;
            let mut pos_type = t.owned(
                &map,
                "embeddings.position_embeddings.weight",
                &[shape.max_positions, h],
            )?;
            let types_key = format!("{}embeddings.token_type_embeddings.weight", t.prefix);
            if let Ok(types) = t.st.tensor(&types_key) {
                let n = types.shape().first().copied().unwrap_or(0);
                let ty = t.owned(&map, "embeddings.token_type_embeddings.weight", &[n, h])?;
                for row in pos_type.chunks_exact_mut(h) {
                    for (p, y) in row.iter_mut().zip(&ty[..h]) {
                        *p += y;
                    }
                }
            }
            let norm = |name: &str| -> std::result::Result<(Vec<f32>, Vec<f32>), Unsupported> {
                // Old TF-converted checkpoints call the norm's parameters gamma and beta.
                let g = t
                    .owned(&map, &format!("{name}.weight"), &[h])
                    .or_else(|_| t.owned(&map, &format!("{name}.gamma"), &[h]))?;
                let b = t
                    .owned(&map, &format!("{name}.bias"), &[h])
                    .or_else(|_| t.owned(&map, &format!("{name}.beta"), &[h]))?;
                Ok((g, b))
            };
            let (emb_ln_g, emb_ln_b) = norm("embeddings.LayerNorm")?;
            let mut layers = Vec::with_capacity(shape.layers);
            for l in 0..shape.layers {
                let p = format!("encoder.layer.{l}.");
                let param = |name: &str, s: &[usize]| t.param(&format!("{p}{name}"), s);
                let owned = |name: &str, s: &[usize]| t.owned(&map, &format!("{p}{name}"), s);
                let mut qkv_b = owned("attention.self.query.bias", &[h])?;
                qkv_b.extend(owned("attention.self.key.bias", &[h])?);
                qkv_b.extend(owned("attention.self.value.bias", &[h])?);
                let (ln1_g, ln1_b) = norm(&format!("{p}attention.output.LayerNorm"))?;
                let (ln2_g, ln2_b) = norm(&format!("{p}output.LayerNorm"))?;
                layers.push(Layer {
                    q_w: param("attention.self.query.weight", &[h, h])?,
                    k_w: param("attention.self.key.weight", &[h, h])?,
                    v_w: param("attention.self.value.weight", &[h, h])?,
                    qkv_b,
                    out_w: param("attention.output.dense.weight", &[h, h])?,
                    out_b: owned("attention.output.dense.bias", &[h])?,
                    ln1_g,
                    ln1_b,
                    ffn_in_w: param("intermediate.dense.weight", &[i, h])?,
                    ffn_in_b: owned("intermediate.dense.bias", &[i])?,
                    ffn_out_w: param("output.dense.weight", &[h, i])?,
                    ffn_out_b: owned("output.dense.bias", &[h])?,
                    ln2_g,
                    ln2_b,
                });
            }
            Ok(Net {
                words,
                pos_type,
                emb_ln_g,
                emb_ln_b,
                layers,
            })
        };
        let net = build();
        drop(t); // it borrows `map`, which moves into the model below
        let net = match net {
            Ok(net) => net,
            Err(why) => return Ok(Err(why)),
        };
        // Map the layers' pages now, in one call, rather than fault them in one by one
        // during the first forward pass (most of a one-query process's embedding time).
        // Only a hint: where the kernel cannot, the pages fault in as usual.
        let layers = net
            .layers
            .iter()
            .flat_map(|l| [&l.q_w, &l.k_w, &l.v_w, &l.out_w, &l.ffn_in_w, &l.ffn_out_w]);
        let (lo, hi) = layers.fold((usize::MAX, 0), |(lo, hi), r| {
            (lo.min(r.start), hi.max(r.end))
        });
        if lo < hi {
            let page = lo / 4096 * 4096;
            let _ = map.advise_range(memmap2::Advice::PopulateRead, page, hi - page);
        }
        Ok(Ok(NativeBert { shape, map, net }))
    }
}

impl NativeBert {
    fn weights(&self, p: &Param) -> &[f32] {
        floats(&self.map[p.clone()])
    }

    /// Pooled, L2-normalised embeddings of `texts` (token ids, each already truncated to at
    /// most `max_positions` and each id < vocab), written to `out` (texts x hidden). `par` is
    /// how the matmuls use the cores: `None` when the caller runs one batch per core,
    /// `Rayon(n)` to spread a single text over `n`.
    pub fn embed(
        &self,
        texts: &[&[u32]],
        pooling: Pooling,
        s: &mut Scratch,
        par: Parallelism,
        out: &mut [f32],
    ) {
        let sh = &self.shape;
        let net = &self.net;
        let (h, nh) = (sh.hidden, sh.heads);
        let dh = h / nh;
        let total: usize = texts.iter().map(|t| t.len()).sum();
        let longest = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        let x = grow(&mut s.x, total * h);
        let qkv = grow(&mut s.qkv, total * 3 * h);
        let ctx = grow(&mut s.ctx, total * h);
        let ffn = grow(&mut s.ffn, total * sh.intermediate);
        let scores = grow(&mut s.scores, longest * longest);

        // Embeddings: word + position + segment, then layer norm.
        let words = self.weights(&net.words);
        let mut rows = x.chunks_exact_mut(h);
        for ids in texts {
            for (pos, &id) in ids.iter().enumerate() {
                let dst = rows.next().expect("x has a row per token");
                let word = &words[id as usize * h..(id as usize + 1) * h];
                for ((d, p), w) in dst.iter_mut().zip(&net.pos_type[pos * h..]).zip(word) {
                    *d = p + w;
                }
            }
        }
        kernels::layer_norm(x, &net.emb_ln_g, &net.emb_ln_b, sh.eps);

        let scale = 1.0 / (dh as f32).sqrt();
        for layer in &net.layers {
            // Q, K and V of every token of every text, side by side in each qkv row.
            for (j, w) in [&layer.q_w, &layer.k_w, &layer.v_w].into_iter().enumerate() {
                linear(
                    total,
                    x,
                    h,
                    self.weights(w),
                    &mut qkv[j * h..],
                    3 * h,
                    false,
                    par,
                );
            }
            kernels::add_bias(qkv, &layer.qkv_b);

            // Attention, text by text and head by head, on strided views of qkv.
            let mut start = 0;
            for ids in texts {
                let len = ids.len();
                let sc = &mut scores[..len * len];
                for head in 0..nh {
                    let base = start * 3 * h + head * dh;
                    let rs = (3 * h) as isize;
                    // SAFETY: every access stays inside qkv rows start..start+len, inside
                    // sc, and inside this head's columns of ctx rows start..start+len.
                    unsafe {
                        // scores[i][j] = q_i . k_j: K's rows read as columns.
                        matmul(
                            (len, len, dh),
                            (sc.as_mut_ptr(), len as isize, 1),
                            (qkv[base..].as_ptr(), rs, 1),
                            (qkv[base + h..].as_ptr(), 1, rs),
                            false,
                            Parallelism::None,
                        );
                    }
                    kernels::softmax_rows(sc, len, scale);
                    unsafe {
                        // ctx_i = sum_j p_ij v_j, into this head's columns of ctx
                        matmul(
                            (len, dh, len),
                            (ctx[start * h + head * dh..].as_mut_ptr(), h as isize, 1),
                            (sc.as_ptr(), len as isize, 1),
                            (qkv[base + 2 * h..].as_ptr(), rs, 1),
                            false,
                            Parallelism::None,
                        );
                    }
                }
                start += len;
            }

            // Output projection accumulated onto the residual, then bias + layer norm.
            linear(total, ctx, h, self.weights(&layer.out_w), x, h, true, par);
            kernels::bias_layer_norm(x, &layer.out_b, &layer.ln1_g, &layer.ln1_b, sh.eps);

            // Feed-forward: GELU(x W1 + b1) W2 + b2, again accumulated onto the residual.
            let i = sh.intermediate;
            linear(
                total,
                x,
                h,
                self.weights(&layer.ffn_in_w),
                ffn,
                i,
                false,
                par,
            );
            kernels::bias_gelu(ffn, &layer.ffn_in_b);
            linear(
                total,
                ffn,
                i,
                self.weights(&layer.ffn_out_w),
                x,
                h,
                true,
                par,
            );
            kernels::bias_layer_norm(x, &layer.ffn_out_b, &layer.ln2_g, &layer.ln2_b, sh.eps);
        }

        // Pool each text's tokens (all real: nothing was padded), then L2 norm.
        let mut start = 0;
        for (ids, o) in texts.iter().zip(out.chunks_exact_mut(h)) {
            let rows = x[start * h..(start + ids.len()) * h].chunks_exact(h);
            start += ids.len();
            match pooling {
                Pooling::Mean => {
                    o.fill(0.0);
                    for row in rows {
                        for (a, v) in o.iter_mut().zip(row) {
                            *a += v;
                        }
                    }
                }
                Pooling::Cls => match rows.clone().next() {
                    Some(first) => o.copy_from_slice(first),
                    None => o.fill(0.0),
                },
                Pooling::Max => {
                    o.fill(if ids.is_empty() { 0.0 } else { f32::MIN });
                    for row in rows {
                        for (a, v) in o.iter_mut().zip(row) {
                            *a = a.max(*v);
                        }
                    }
                }
            }
            let norm = o.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            o.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// out[m x n] (+)= a[m x k] . w^T for a PyTorch linear weight `w` stored row-major [n x k];
/// `a` has `k` columns, `out` rows are `out_stride` apart (so a matmul can fill some columns
/// of wider rows). With `accumulate`, adds onto what `out` holds (the residual stream).
#[allow(clippy::too_many_arguments)]
fn linear(
    m: usize,
    a: &[f32],
    k: usize,
    w: &[f32],
    out: &mut [f32],
    out_stride: usize,
    accumulate: bool,
    par: Parallelism,
) {
    if kernels::linear_few_rows(m, a, k, w, out, out_stride, accumulate) {
        return;
    }
    let n = kernels::linear_shape(m, a, k, w, out, out_stride);
    // SAFETY: linear_shape checked the bounds; w's rows are read as the columns of w^T.
    unsafe {
        matmul(
            (m, n, k),
            (out.as_mut_ptr(), out_stride as isize, 1),
            (a.as_ptr(), k as isize, 1),
            (w.as_ptr(), 1, k as isize),
            accumulate,
            par,
        );
    }
}

/// dst[m x n] (+)= lhs[m x k] . rhs[k x n] on `gemm`, each matrix given as (first element,
/// row stride, column stride) in elements; with `accumulate` the product is added to dst.
///
/// # Safety
/// Every element the shapes and strides reach must lie inside the matrix's allocation.
unsafe fn matmul(
    (m, n, k): (usize, usize, usize),
    (dst, dst_rs, dst_cs): (*mut f32, isize, isize),
    (lhs, lhs_rs, lhs_cs): (*const f32, isize, isize),
    (rhs, rhs_rs, rhs_cs): (*const f32, isize, isize),
    accumulate: bool,
    par: Parallelism,
) {
    // SAFETY: the caller vouches for the bounds.
    unsafe {
        gemm::gemm(
            m, n, k, dst, dst_cs, dst_rs, accumulate, lhs, lhs_cs, lhs_rs, rhs, rhs_cs, rhs_rs,
            1.0, 1.0, false, false, false, par,
        );
    }
}
