//! Sentence embeddings in process: find the model files ([`resolve`]), load them
//! ([`Embedder::load`]) and embed texts the way sentence-transformers does for
//! all-MiniLM-L6-v2: BERT, attention-masked mean pooling over at most 256 tokens, L2
//! normalisation. The forward pass is our own ([`bert`]), over the same safetensors weights
//! candle would load, because it is 2-3x faster than candle's `BertModel` on a CPU.

mod bert;
mod kernels;
mod resolve;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use gemm::Parallelism;
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

/// Tokens per forward pass in [`Embedder::embed_many`]: enough rows to keep the matmuls
/// efficient, small enough that a worker's activations stay around 30 MB.
const BATCH_TOKENS: usize = 2048;

pub struct Embedder {
    model_id: String,
    tokenizer: Tokenizer,
    bert: bert::Bert,
    max_tokens: usize,
    /// Reusable activation buffers, one per concurrent caller or worker.
    scratch: Mutex<Vec<bert::Scratch>>,
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
        // No padding at all (texts are packed, see bert.rs) and truncation at 256 tokens
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
            scratch: Mutex::new(Vec::new()),
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

    /// Runs the model on a few texts with a pooled scratch buffer.
    fn run(&self, texts: &[&[u32]], par: Parallelism) -> Vec<f32> {
        let mut scratch = self
            .scratch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let mut out = vec![0.0; texts.len() * self.dim()];
        self.bert.embed(texts, &mut scratch, par, &mut out);
        self.scratch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(scratch);
        out
    }

    /// One L2-normalised embedding (a search query).
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let ids = self.tokenize(&[text])?;
        Ok(self.run(&[&ids[0]], Parallelism::None))
    }

    /// Embeddings of `texts`, in their order. Texts are sorted by token count and cut into
    /// batches of about [`BATCH_TOKENS`] tokens that worker threads (one per core) take in
    /// turn; `progress` is called on this thread with the number of texts done so far.
    pub fn embed_many(
        &self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let ids = self.tokenize(texts)?;
        // Longest first: the big batches start early and the short ones fill the end.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ids[i].len()));
        let mut batches: Vec<&[usize]> = Vec::new();
        let mut rest = &order[..];
        while !rest.is_empty() {
            let mut tokens = 0;
            let n = rest
                .iter()
                .take_while(|&&i| {
                    tokens += ids[i].len();
                    tokens <= BATCH_TOKENS
                })
                .count()
                .max(1);
            let (batch, tail) = rest.split_at(n);
            batches.push(batch);
            rest = tail;
        }

        let dim = self.dim();
        let mut out = vec![Vec::new(); texts.len()];
        let mut done = 0;
        let mut deliver = |batch: &[usize], vectors: Vec<f32>| {
            for (&i, v) in batch.iter().zip(vectors.chunks_exact(dim)) {
                out[i] = v.to_vec();
            }
            done += batch.len();
            progress(done);
        };
        let run_batch = |batch: &[usize]| {
            let seqs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            self.run(&seqs, Parallelism::None)
        };

        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(batches.len());
        if workers <= 1 {
            for batch in &batches {
                deliver(batch, run_batch(batch));
            }
        } else {
            // Data-parallel: each worker runs whole batches single-threaded, which beats
            // splitting every matmul across cores (no synchronisation per op).
            let next = AtomicUsize::new(0);
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::channel();
                for _ in 0..workers {
                    let tx = tx.clone();
                    let (next, batches, run_batch) = (&next, &batches, &run_batch);
                    scope.spawn(move || {
                        loop {
                            let b = next.fetch_add(1, Ordering::Relaxed);
                            let Some(batch) = batches.get(b) else { break };
                            if tx.send((b, run_batch(batch))).is_err() {
                                break;
                            }
                        }
                    });
                }
                drop(tx);
                for (b, vectors) in rx {
                    deliver(batches[b], vectors);
                }
            });
        }
        Ok(out)
    }
}
