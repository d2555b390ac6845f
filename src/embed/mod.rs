//! Sentence embeddings in process: find the model files ([`resolve`]), load them
//! ([`Embedder::load`]) and embed texts the way sentence-transformers does for
//! all-MiniLM-L6-v2: BERT, attention-masked mean pooling over at most 256 tokens, L2
//! normalisation. The forward pass is candle-transformers' `BertModel` ([`bert`]).

mod bert;
mod resolve;

use tokenizers::{Tokenizer, TruncationParams};

pub use resolve::{
    CONFIG_FILE, ModelOptions, ModelSource, PROBE_TIMEOUT, ResolvedModel, TOKENIZER_FILE,
    Unavailable, WEIGHTS_FILE, check_model_dir, fetch, fetch_with_cache, find_in_hf_cache,
    hf_cache_dir, import, resolve, resolve_with_cache, weights_sha256,
};

use crate::error::{Error, Result};

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2 (the shipped tokenizer.json
/// says 128; the reference vectors use 256). Longer texts are truncated, as there.
pub const MAX_TOKENS: usize = 256;

/// Texts per forward pass in [`Embedder::embed_many`]. Measured on 2 cores: 16 beat 32 and
/// 64 (the attention scores of a bigger batch fall out of cache).
const BATCH_TEXTS: usize = 16;

pub struct Embedder {
    model_id: String,
    tokenizer: Tokenizer,
    bert: bert::Bert,
    max_tokens: usize,
}

// The HTTP server shares one embedder across threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Embedder>();
};

impl Embedder {
    pub fn load(model: &ResolvedModel) -> Result<Embedder> {
        let bert = bert::Bert::load(&model.config, &model.weights)?;
        let mut tokenizer = Tokenizer::from_file(&model.tokenizer).map_err(|e| Error::Invalid {
            message: format!("{}: not a usable tokenizer: {e}", model.tokenizer.display()),
            field: Some("model".into()),
        })?;
        let max_tokens = MAX_TOKENS.min(bert.cfg.max_positions);
        // The shipped tokenizer.json pads to 128 and truncates at 128: no padding here (each
        // batch is padded to its longest text in bert.rs) and truncation at 256 tokens
        // including [CLS] and [SEP], as sentence-transformers does.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..Default::default()
            }))
            .map_err(|e| Error::other(format!("tokenizer truncation: {e}")))?;
        Ok(Embedder {
            model_id: model.model_id.clone(),
            tokenizer,
            bert,
            max_tokens,
        })
    }

    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Embedding dimension (384 for MiniLM).
    pub fn dim(&self) -> usize {
        self.bert.cfg.hidden
    }

    /// Longest input in tokens; the rest of a text is ignored.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Token ids of each text, truncated, checked against the vocabulary.
    fn tokenize(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>> {
        let encodings = if texts.len() == 1 {
            self.tokenizer.encode(texts[0], true).map(|e| vec![e])
        } else {
            self.tokenizer.encode_batch(texts.to_vec(), true)
        }
        .map_err(|e| Error::other(format!("tokenizing: {e}")))?;
        let vocab = self.bert.cfg.vocab as u32;
        encodings
            .into_iter()
            .map(|e| {
                let ids = e.get_ids().to_vec();
                match ids.iter().find(|&&id| id >= vocab) {
                    Some(id) => Err(Error::other(format!(
                        "tokenizer.json gives token id {id} but the model has {vocab}: \
                         they are not from the same model"
                    ))),
                    None => Ok(ids),
                }
            })
            .collect()
    }

    /// One L2-normalised embedding (a search query).
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let ids = self.tokenize(&[text])?;
        self.bert.embed(&[&ids[0]])
    }

    /// Embeddings of `texts`, in their order. Texts are sorted by token count and cut into
    /// batches of [`BATCH_TEXTS`], so a batch pads little; candle spreads each batch's
    /// matmuls over every core. `progress` is called with the number of texts done so far.
    pub fn embed_many(
        &self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let ids = self.tokenize(texts)?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let dim = self.dim();
        let mut out = vec![Vec::new(); texts.len()];
        let mut done = 0;
        for batch in order.chunks(BATCH_TEXTS) {
            let seqs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let vectors = self.bert.embed(&seqs)?;
            for (&i, v) in batch.iter().zip(vectors.chunks_exact(dim)) {
                out[i] = v.to_vec();
            }
            done += batch.len();
            progress(done);
        }
        Ok(out)
    }
}
