//! A BERT encoder forward pass over the safetensors weights, for sentence embeddings.
//!
//! Why not candle's `BertModel`: it pads every batch to its longest text and runs
//! attention over a mask, allocates a new tensor per op, and its GELU/exp are slow; it
//! reached about a third of PyTorch's throughput here. This pass does the same maths
//! (checked against sentence-transformers to cosine >= 0.999 in tests/embed.rs) but:
//! - packs the texts of a batch back to back with no padding: the linear layers run on
//!   exactly the real tokens and attention runs per text, so no mask is needed;
//! - uses the `gemm` crate (candle's own CPU matmul) directly on strided views, so Q, K, V
//!   and the per-head outputs are never copied or transposed;
//! - fuses biases, GELU, residual adds and layer norms into the matmul epilogues
//!   ([`super::kernels`]) and reuses one set of scratch buffers per worker.

use std::path::Path;

use gemm::Parallelism;
use memmap2::Mmap;
use safetensors::{Dtype, SafeTensors};

use super::kernels;
use crate::error::{Error, Result};

/// The parts of a Hugging Face `config.json` a BERT encoder needs.
#[derive(Debug, Clone)]
pub(crate) struct BertConfig {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    pub eps: f32,
    pub max_positions: usize,
    pub vocab: usize,
}

impl BertConfig {
    pub fn from_file(path: &Path) -> Result<BertConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| invalid(path, format!("not valid JSON: {e}")))?;
        let get = |key: &str| -> Result<usize> {
            v.get(key)
                .and_then(|x| x.as_u64())
                .map(|x| x as usize)
                .ok_or_else(|| invalid(path, format!("missing or non-integer \"{key}\"")))
        };
        let act = v
            .get("hidden_act")
            .and_then(|x| x.as_str())
            .unwrap_or("gelu");
        if act != "gelu" {
            return Err(invalid(
                path,
                format!("hidden_act \"{act}\" is not supported (only \"gelu\")"),
            ));
        }
        let pos = v
            .get("position_embedding_type")
            .and_then(|x| x.as_str())
            .unwrap_or("absolute");
        if pos != "absolute" {
            return Err(invalid(
                path,
                format!("position_embedding_type \"{pos}\" is not supported"),
            ));
        }
        let cfg = BertConfig {
            hidden: get("hidden_size")?,
            layers: get("num_hidden_layers")?,
            heads: get("num_attention_heads")?,
            intermediate: get("intermediate_size")?,
            eps: v
                .get("layer_norm_eps")
                .and_then(|x| x.as_f64())
                .unwrap_or(1e-12) as f32,
            max_positions: get("max_position_embeddings")?,
            vocab: get("vocab_size")?,
        };
        if cfg.heads == 0 || cfg.hidden % cfg.heads != 0 {
            return Err(invalid(
                path,
                "hidden_size is not a multiple of num_attention_heads",
            ));
        }
        Ok(cfg)
    }
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Invalid {
        message: format!("{}: {message}", path.display()),
        field: Some("model".into()),
    }
}

struct Layer {
    /// Q, K and V stacked into one [3H, H] weight so one matmul makes all three; the Q
    /// rows (and bias) are pre-scaled by 1/sqrt(head_dim) so the scores need no scaling.
    qkv_w: Vec<f32>,
    qkv_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
    ln1_g: Vec<f32>,
    ln1_b: Vec<f32>,
    ffn_in_w: Vec<f32>,
    ffn_in_b: Vec<f32>,
    ffn_out_w: Vec<f32>,
    ffn_out_b: Vec<f32>,
    ln2_g: Vec<f32>,
    ln2_b: Vec<f32>,
}

/// The word-embedding table is most of the file (47 MB of MiniLM's 91 MB) but a text only
/// needs a few rows: read them straight from the mapped file instead of copying it all.
enum WordTable {
    Mapped { offset: usize },
    Owned(Vec<f32>),
}

pub(crate) struct Bert {
    pub cfg: BertConfig,
    map: Mmap,
    words: WordTable,
    /// position_embeddings[p] + token_type_embeddings[0] (every text is segment 0).
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

/// The weights of one file, with or without a `bert.` (any `<prefix>.`) key prefix.
struct Tensors<'a> {
    st: SafeTensors<'a>,
    prefix: String,
    path: &'a Path,
}

impl Tensors<'_> {
    fn get(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
        let full = format!("{}{name}", self.prefix);
        let view = self.st.tensor(&full).or_else(|_| {
            // Old TF-converted checkpoints call the layer norm parameters gamma/beta.
            let alt = full
                .strip_suffix("LayerNorm.weight")
                .map(|p| format!("{p}LayerNorm.gamma"))
                .or_else(|| {
                    full.strip_suffix("LayerNorm.bias")
                        .map(|p| format!("{p}LayerNorm.beta"))
                })
                .ok_or_else(|| invalid(self.path, format!("missing tensor {full}")))?;
            self.st
                .tensor(&alt)
                .map_err(|_| invalid(self.path, format!("missing tensor {full}")))
        })?;
        if view.shape() != shape {
            return Err(invalid(
                self.path,
                format!(
                    "tensor {full} has shape {:?}, config.json implies {shape:?}",
                    view.shape()
                ),
            ));
        }
        to_f32(view.dtype(), view.data())
            .ok_or_else(|| invalid(self.path, format!("tensor {full}: unsupported dtype")))
    }
}

fn to_f32(dtype: Dtype, data: &[u8]) -> Option<Vec<f32>> {
    Some(match dtype {
        Dtype::F32 => data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        Dtype::F16 => data
            .chunks_exact(2)
            .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect(),
        Dtype::BF16 => data
            .chunks_exact(2)
            .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect(),
        _ => return None,
    })
}

impl Bert {
    pub fn load(config: &Path, weights: &Path) -> Result<Bert> {
        let cfg = BertConfig::from_file(config)?;
        let file = std::fs::File::open(weights)
            .map_err(|e| Error::other(format!("cannot open {}: {e}", weights.display())))?;
        // SAFETY: the file is only read. Model files are never rewritten in place (the HF
        // cache and `plurum model import` both replace files by rename), which is what makes
        // mapping them sound; this is the same assumption candle makes.
        let map = unsafe { Mmap::map(&file) }
            .map_err(|e| Error::other(format!("cannot map {}: {e}", weights.display())))?;
        let st = SafeTensors::deserialize(&map)
            .map_err(|e| invalid(weights, format!("not a safetensors file: {e}")))?;
        let word_key = st
            .names()
            .into_iter()
            .find(|n| n.ends_with("embeddings.word_embeddings.weight"))
            .ok_or_else(|| invalid(weights, "no embeddings.word_embeddings.weight tensor"))?
            .to_string();
        let prefix = word_key
            .strip_suffix("embeddings.word_embeddings.weight")
            .unwrap_or_default()
            .to_string();
        let t = Tensors {
            st,
            prefix,
            path: weights,
        };
        let (h, i) = (cfg.hidden, cfg.intermediate);

        let wv = t.st.tensor(&word_key).expect("listed above");
        if wv.shape() != [cfg.vocab, h] {
            return Err(invalid(
                weights,
                format!("{word_key} has shape {:?}", wv.shape()),
            ));
        }
        let words =
            if wv.dtype() == Dtype::F32 {
                WordTable::Mapped {
                    offset: wv.data().as_ptr() as usize - map.as_ptr() as usize,
                }
            } else {
                WordTable::Owned(to_f32(wv.dtype(), wv.data()).ok_or_else(|| {
                    invalid(weights, format!("tensor {word_key}: unsupported dtype"))
                })?)
            };
        let mut pos_type = t.get(
            "embeddings.position_embeddings.weight",
            &[cfg.max_positions, h],
        )?;
        let types = t.st.tensor(&format!(
            "{}embeddings.token_type_embeddings.weight",
            t.prefix
        ));
        if let Ok(types) = types {
            let n = types.shape().first().copied().unwrap_or(0);
            let ty = t.get("embeddings.token_type_embeddings.weight", &[n, h])?;
            for row in pos_type.chunks_exact_mut(h) {
                for (p, y) in row.iter_mut().zip(&ty[..h]) {
                    *p += y;
                }
            }
        }
        let emb_ln_g = t.get("embeddings.LayerNorm.weight", &[h])?;
        let emb_ln_b = t.get("embeddings.LayerNorm.bias", &[h])?;

        let scale = 1.0 / ((h / cfg.heads) as f32).sqrt();
        let mut layers = Vec::with_capacity(cfg.layers);
        for l in 0..cfg.layers {
            let p = format!("encoder.layer.{l}.");
            let get = |name: &str, shape: &[usize]| t.get(&format!("{p}{name}"), shape);
            let mut qkv_w = get("attention.self.query.weight", &[h, h])?;
            let mut qkv_b = get("attention.self.query.bias", &[h])?;
            qkv_w.iter_mut().for_each(|v| *v *= scale);
            qkv_b.iter_mut().for_each(|v| *v *= scale);
            qkv_w.extend(get("attention.self.key.weight", &[h, h])?);
            qkv_w.extend(get("attention.self.value.weight", &[h, h])?);
            qkv_b.extend(get("attention.self.key.bias", &[h])?);
            qkv_b.extend(get("attention.self.value.bias", &[h])?);
            layers.push(Layer {
                qkv_w,
                qkv_b,
                out_w: get("attention.output.dense.weight", &[h, h])?,
                out_b: get("attention.output.dense.bias", &[h])?,
                ln1_g: get("attention.output.LayerNorm.weight", &[h])?,
                ln1_b: get("attention.output.LayerNorm.bias", &[h])?,
                ffn_in_w: get("intermediate.dense.weight", &[i, h])?,
                ffn_in_b: get("intermediate.dense.bias", &[i])?,
                ffn_out_w: get("output.dense.weight", &[h, i])?,
                ffn_out_b: get("output.dense.bias", &[h])?,
                ln2_g: get("output.LayerNorm.weight", &[h])?,
                ln2_b: get("output.LayerNorm.bias", &[h])?,
            });
        }
        drop(t);
        Ok(Bert {
            cfg,
            map,
            words,
            pos_type,
            emb_ln_g,
            emb_ln_b,
            layers,
        })
    }

    /// Adds word embedding row `id` to `out`.
    fn add_word(&self, id: usize, out: &mut [f32]) {
        let h = self.cfg.hidden;
        match &self.words {
            WordTable::Mapped { offset } => {
                let start = offset + id * h * 4;
                let bytes = &self.map[start..start + h * 4];
                for (o, b) in out.iter_mut().zip(bytes.chunks_exact(4)) {
                    *o += f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                }
            }
            WordTable::Owned(table) => {
                for (o, w) in out.iter_mut().zip(&table[id * h..(id + 1) * h]) {
                    *o += w;
                }
            }
        }
    }

    /// Mean-pooled, L2-normalised embeddings of `texts` (token ids, each already truncated
    /// to at most `max_positions` and each id < vocab), written to `out` (texts x hidden).
    pub fn embed(&self, texts: &[&[u32]], s: &mut Scratch, par: Parallelism, out: &mut [f32]) {
        let cfg = &self.cfg;
        let (h, nh) = (cfg.hidden, cfg.heads);
        let dh = h / nh;
        let total: usize = texts.iter().map(|t| t.len()).sum();
        let longest = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        let x = grow(&mut s.x, total * h);
        let qkv = grow(&mut s.qkv, total * 3 * h);
        let ctx = grow(&mut s.ctx, total * h);
        let ffn = grow(&mut s.ffn, total * cfg.intermediate);
        let scores = grow(&mut s.scores, longest * longest);

        // Embeddings: word + position + segment, then layer norm.
        let mut row = 0;
        for ids in texts {
            for (pos, &id) in ids.iter().enumerate() {
                let dst = &mut x[row * h..(row + 1) * h];
                dst.copy_from_slice(&self.pos_type[pos * h..(pos + 1) * h]);
                self.add_word(id as usize, dst);
                row += 1;
            }
        }
        kernels::layer_norm(x, &self.emb_ln_g, &self.emb_ln_b, cfg.eps);

        for layer in &self.layers {
            // Q, K, V for every token of every text at once.
            linear(total, x, &layer.qkv_w, qkv, false, par);
            kernels::add_bias(qkv, &layer.qkv_b);

            // Attention, text by text and head by head, on strided views of qkv.
            let mut start = 0;
            for ids in texts {
                let len = ids.len();
                let sc = &mut scores[..len * len];
                for head in 0..nh {
                    let base = start * 3 * h + head * dh;
                    let q = qkv[base..].as_ptr();
                    let k = qkv[base + h..].as_ptr();
                    let v = qkv[base + 2 * h..].as_ptr();
                    let rs = (3 * h) as isize;
                    // SAFETY: every access stays inside qkv rows start..start+len and
                    // inside sc / ctx rows of this text (strides and sizes computed above).
                    unsafe {
                        // scores[i][j] = q_i . k_j  (Q is pre-scaled by 1/sqrt(dh))
                        gemm::gemm(
                            len,
                            len,
                            dh,
                            sc.as_mut_ptr(),
                            1,
                            len as isize,
                            false,
                            q,
                            1,
                            rs,
                            k,
                            rs,
                            1,
                            0.0,
                            1.0,
                            false,
                            false,
                            false,
                            Parallelism::None,
                        );
                    }
                    kernels::softmax_rows(sc, len);
                    let dst = ctx[start * h + head * dh..].as_mut_ptr();
                    unsafe {
                        // ctx_i = sum_j p_ij v_j, written into this head's columns of ctx
                        gemm::gemm(
                            len,
                            dh,
                            len,
                            dst,
                            1,
                            h as isize,
                            false,
                            sc.as_ptr(),
                            1,
                            len as isize,
                            v,
                            1,
                            rs,
                            0.0,
                            1.0,
                            false,
                            false,
                            false,
                            Parallelism::None,
                        );
                    }
                }
                start += len;
            }

            // Output projection accumulated onto the residual, then bias + layer norm.
            linear(total, ctx, &layer.out_w, x, true, par);
            kernels::bias_layer_norm(x, &layer.out_b, &layer.ln1_g, &layer.ln1_b, cfg.eps);

            // Feed-forward: GELU(x W1 + b1) W2 + b2, again accumulated onto the residual.
            linear(total, x, &layer.ffn_in_w, ffn, false, par);
            kernels::bias_gelu(ffn, &layer.ffn_in_b);
            linear(total, ffn, &layer.ffn_out_w, x, true, par);
            kernels::bias_layer_norm(x, &layer.ffn_out_b, &layer.ln2_g, &layer.ln2_b, cfg.eps);
        }

        // Mean over each text's tokens (all real: nothing was padded), then L2 norm.
        let mut start = 0;
        for (ids, o) in texts.iter().zip(out.chunks_exact_mut(h)) {
            o.fill(0.0);
            for r in start..start + ids.len() {
                for (a, v) in o.iter_mut().zip(&x[r * h..(r + 1) * h]) {
                    *a += v;
                }
            }
            start += ids.len();
            let norm = o.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            o.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// out[m x n] (+)= a[m x k] . w^T for a PyTorch linear weight w stored row-major [n x k].
/// With `accumulate`, adds onto what `out` holds (the residual stream).
fn linear(m: usize, a: &[f32], w: &[f32], out: &mut [f32], accumulate: bool, par: Parallelism) {
    let k = a.len() / m;
    let n = w.len() / k;
    assert!(a.len() == m * k && out.len() == m * n && w.len() == n * k);
    // SAFETY: sizes checked above; gemm reads a and w and writes out within those bounds.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.as_ptr(),
            1,
            k as isize,
            w.as_ptr(),
            k as isize,
            1,
            1.0,
            1.0,
            false,
            false,
            false,
            par,
        );
    }
}
