//! Sentence embeddings in process: find the model files (`resolve`), load them
//! ([`Embedder::load`]) and embed texts the way sentence-transformers does for
//! all-MiniLM-L6-v2: BERT, attention-masked mean pooling over at most 256 tokens, L2
//! normalisation. The forward pass is plurum's own (`native`: unpadded batches, AVX-512
//! matmuls, fused kernels) wherever the model allows, and candle-transformers' `BertModel`
//! (`candle`) otherwise; the two agree to within float rounding (tests/suite/embed.rs).

mod candle;
mod kernels;
mod native;
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

/// Tokens per forward pass of the native engine in [`Embedder::embed_many`]: big enough
/// that the matmuls run at full speed, small enough that a batch's activations mostly stay
/// in the caches. Measured on 2 cores, 300 SciFact passages: 256 → 63 texts/s, 512 → 68,
/// 1024 → 72, 2048 → 68, 4096 → 66.
const BATCH_TOKENS: usize = 1024;

/// Texts per forward pass of the candle engine (measured on 2 cores: 16 beat 32 and 64).
const CANDLE_BATCH_TEXTS: usize = 16;

/// Which forward pass embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// plurum's own pass (the default wherever the model allows).
    Native,
    /// candle-transformers' `BertModel`: the reference, and the fallback.
    Candle,
}

impl std::fmt::Display for EngineKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EngineKind::Native => "native",
            EngineKind::Candle => "candle",
        })
    }
}

enum Engine {
    Native {
        bert: native::NativeBert,
        /// Scratch buffers of finished forward passes, for the next one to reuse.
        scratch: Mutex<Vec<native::Scratch>>,
    },
    Candle(candle::CandleBert),
}

pub struct Embedder {
    model_id: String,
    tokenizer: Tokenizer,
    cfg: candle::BertConfig,
    engine: Engine,
    /// Why the native engine is not in use, when it is not.
    fallback_reason: Option<String>,
    max_tokens: usize,
}

// The HTTP server shares one embedder across threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Embedder>();
};

impl Embedder {
    /// Loads the model on the native engine, or on candle's where the native one cannot run
    /// it (see [`Embedder::fallback_reason`]).
    pub fn load(model: &ResolvedModel) -> Result<Embedder> {
        Self::load_engine(model, EngineKind::Native)
    }

    /// Loads the model on the engine asked for (`Native` still falls back to candle's for a
    /// model it cannot run).
    pub fn load_engine(model: &ResolvedModel, want: EngineKind) -> Result<Embedder> {
        let cfg = candle::BertConfig::from_file(&model.config)?;
        let mut fallback_reason = None;
        let mut engine = None;
        if want == EngineKind::Native {
            let loaded = match cfg.native_shape() {
                Ok(shape) => native::NativeBert::load(shape, &model.weights)?,
                Err(why) => Err(why),
            };
            match loaded {
                Ok(bert) => {
                    engine = Some(Engine::Native {
                        bert,
                        scratch: Mutex::new(Vec::new()),
                    })
                }
                Err(why) => fallback_reason = Some(why),
            }
        }
        let engine = match engine {
            Some(e) => e,
            None => Engine::Candle(candle::CandleBert::load(&cfg, &model.weights)?),
        };
        let mut tokenizer = Tokenizer::from_file(&model.tokenizer).map_err(|e| Error::Invalid {
            message: format!("{}: not a usable tokenizer: {e}", model.tokenizer.display()),
            field: Some("model".into()),
        })?;
        let max_tokens = MAX_TOKENS.min(cfg.max_positions);
        // The shipped tokenizer.json pads to 128 and truncates at 128: no padding here (each
        // engine batches texts its own way) and truncation at 256 tokens
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
            cfg,
            engine,
            fallback_reason,
            max_tokens,
        })
    }

    /// The forward pass in use.
    pub fn engine(&self) -> EngineKind {
        match self.engine {
            Engine::Native { .. } => EngineKind::Native,
            Engine::Candle(_) => EngineKind::Candle,
        }
    }

    /// Why the native engine could not run this model, when it could not.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback_reason.as_deref()
    }

    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Embedding dimension (384 for MiniLM).
    pub fn dim(&self) -> usize {
        self.cfg.hidden
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
        let vocab = self.cfg.vocab as u32;
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

    /// Runs the model on a few texts: one batch, `par` saying how its matmuls use the cores.
    fn run(&self, texts: &[&[u32]], par: Parallelism) -> Result<Vec<f32>> {
        match &self.engine {
            Engine::Native { bert, scratch } => {
                let pool = || scratch.lock().unwrap_or_else(|e| e.into_inner());
                let mut s = pool().pop().unwrap_or_default();
                let mut out = vec![0.0; texts.len() * self.dim()];
                bert.embed(texts, &mut s, par, &mut out);
                pool().push(s);
                Ok(out)
            }
            Engine::Candle(bert) => bert.embed(texts),
        }
    }

    /// One L2-normalised embedding (a search query), on this thread: for a query's few
    /// tokens, spreading the matmuls over the cores costs more than it saves (measured: 6.5
    /// ms on one core, 14 ms over two).
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let ids = self.tokenize(&[text])?;
        self.run(&[&ids[0]], Parallelism::None)
    }

    /// Embeddings of `texts`, in their order. Texts are sorted by token count and cut into
    /// batches of similar length (about `BATCH_TOKENS` tokens each on the native engine),
    /// which worker threads, one per core, take in turn; `progress` is called on this thread
    /// with the number of texts done so far.
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
        let batches: Vec<&[usize]> = match self.engine {
            Engine::Native { .. } => {
                let mut batches = Vec::new();
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
                batches
            }
            Engine::Candle(_) => order.chunks(CANDLE_BATCH_TEXTS).collect(),
        };

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
        let seqs =
            |batch: &[usize]| -> Vec<&[u32]> { batch.iter().map(|&i| ids[i].as_slice()).collect() };

        let workers = cores().min(batches.len());
        if workers <= 1 || self.engine() == EngineKind::Candle {
            // candle spreads each op over the cores itself.
            let par = Parallelism::Rayon(cores());
            for batch in &batches {
                deliver(batch, self.run(&seqs(batch), par)?);
            }
            return Ok(out);
        }
        // Data-parallel: each worker runs whole batches single-threaded, which beats
        // splitting every matmul across cores (no synchronisation per op).
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::channel();
            for _ in 0..workers {
                let tx = tx.clone();
                let (next, batches, seqs) = (&next, &batches, &seqs);
                scope.spawn(move || {
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        let Some(batch) = batches.get(b) else { break };
                        let result = self.run(&seqs(batch), Parallelism::None);
                        if tx.send((b, result)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (b, vectors) in rx {
                deliver(batches[b], vectors?);
            }
            Ok::<(), Error>(())
        })?;
        Ok(out)
    }
}

/// Cores to use (the number the OS gives this process).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
