//! Sentence embeddings: an [`Embedder`] runs either a local BERT model in process or an
//! OpenAI-compatible endpoint (`endpoint`), and puts the model's prefixes before queries
//! and documents.
//!
//! A local model is found (`resolve`), loaded ([`Embedder::load`]) and run the way
//! sentence-transformers runs it, as its files say (`recipe`: mean, CLS or max pooling,
//! maximum length, lowercasing, prompts); vectors are L2-normalised. The forward pass is
//! plurum's own (`native`: unpadded batches, AVX-512 matmuls, fused kernels) wherever the
//! model allows, and candle-transformers' `BertModel` (`candle`) otherwise; the two agree
//! to within float rounding (tests/suite/embed.rs).

mod candle;
mod endpoint;
mod kernels;
mod native;
mod recipe;
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

pub use endpoint::{DEFAULT_TIMEOUT as DEFAULT_ENDPOINT_TIMEOUT, EndpointOptions, Patience};
pub use recipe::{DEFAULT_MAX_TOKENS, Origin, Pooling, Prefixes, Recipe};

use crate::error::{Error, Result};
use endpoint::Endpoint;

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

/// What makes vectors: a local model or an endpoint, with the prefixes put before queries
/// and documents. The HTTP server shares one across threads.
pub struct Embedder {
    backend: Backend,
    prefixes: Prefixes,
}

enum Backend {
    Local(Box<LocalModel>),
    Endpoint(Endpoint),
}

/// A BERT model run in process.
struct LocalModel {
    model_id: String,
    tokenizer: Tokenizer,
    cfg: candle::BertConfig,
    engine: Engine,
    /// Why the native engine is not in use, when it is not.
    fallback_reason: Option<String>,
    recipe: Recipe,
}

// The HTTP server shares one embedder across threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Embedder>();
};

impl Embedder {
    /// Loads a local model on the native engine, or on candle's where the native one cannot
    /// run it (see [`Embedder::fallback_reason`]), with the prefixes its files declare.
    pub fn load(model: &ResolvedModel) -> Result<Embedder> {
        Self::load_engine(model, EngineKind::Native)
    }

    /// Loads a local model on the engine asked for (`Native` still falls back to candle's
    /// for a model it cannot run).
    pub fn load_engine(model: &ResolvedModel, want: EngineKind) -> Result<Embedder> {
        let local = LocalModel::load(model, want)?;
        Ok(Embedder {
            prefixes: local.recipe.prefixes.clone(),
            backend: Backend::Local(Box::new(local)),
        })
    }

    /// An OpenAI-compatible endpoint (no request is made until something is embedded).
    pub fn endpoint(options: EndpointOptions) -> Embedder {
        Embedder {
            backend: Backend::Endpoint(Endpoint::new(options)),
            prefixes: Prefixes::default(),
        }
    }

    /// The prefixes plurum's config gives (`query_prefix`, `document_prefix`), over the
    /// model's own.
    pub fn with_prefixes(mut self, query: Option<&str>, document: Option<&str>) -> Embedder {
        self.prefixes = self.prefixes.with_overrides(query, document);
        self
    }

    /// The id recorded with its vectors: the model's id, or an endpoint's model name.
    pub fn model_id(&self) -> &str {
        match &self.backend {
            Backend::Local(m) => &m.model_id,
            Backend::Endpoint(e) => &e.options().model,
        }
    }

    /// The vectors' dimension if known without a request (always, for a local model).
    pub fn known_dim(&self) -> Option<usize> {
        match &self.backend {
            Backend::Local(m) => Some(m.cfg.hidden),
            Backend::Endpoint(e) => e.known_dim(),
        }
    }

    /// The vectors' dimension (384 for MiniLM), asking an endpoint if not yet known.
    pub fn dimension(&self) -> Result<usize> {
        match &self.backend {
            Backend::Local(m) => Ok(m.cfg.hidden),
            Backend::Endpoint(e) => e.dimension(),
        }
    }

    pub fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    /// How a local model is run (pooling, length, normalisation); `None` for an endpoint.
    pub fn recipe(&self) -> Option<&Recipe> {
        match &self.backend {
            Backend::Local(m) => Some(&m.recipe),
            Backend::Endpoint(_) => None,
        }
    }

    /// The endpoint's settings, when vectors come from one.
    pub fn endpoint_options(&self) -> Option<&EndpointOptions> {
        match &self.backend {
            Backend::Local(_) => None,
            Backend::Endpoint(e) => Some(e.options()),
        }
    }

    /// The forward pass in use; `None` for an endpoint.
    pub fn engine(&self) -> Option<EngineKind> {
        match &self.backend {
            Backend::Local(m) => Some(m.engine()),
            Backend::Endpoint(_) => None,
        }
    }

    /// Why the native engine could not run this model, when it could not.
    pub fn fallback_reason(&self) -> Option<&str> {
        match &self.backend {
            Backend::Local(m) => m.fallback_reason.as_deref(),
            Backend::Endpoint(_) => None,
        }
    }

    /// A search query's vector, prefixed as the model expects. On one thread: for a
    /// query's few tokens, spreading the matmuls over the cores costs more than it saves
    /// (measured: 6.5 ms on one core, 14 ms over two).
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        self.embed_one(self.prefixes.query_text(text))
    }

    /// One document's vector, prefixed as the model expects.
    pub fn embed_document(&self, text: &str) -> Result<Vec<f32>> {
        self.embed_one(self.prefixes.document_text(text))
    }

    fn embed_one(&self, text: String) -> Result<Vec<f32>> {
        match &self.backend {
            Backend::Local(m) => m.embed_one(&text),
            Backend::Endpoint(e) => Ok(e
                .embed(&[text], Patience::Interactive)?
                .pop()
                .expect("one vector per text")),
        }
    }

    /// Documents' vectors, in their order; `progress` is called with the number done.
    pub fn embed_documents(
        &self,
        texts: &[&str],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>> {
        self.embed_documents_with(texts, Patience::Interactive, progress)
    }

    /// [`Embedder::embed_documents`], with an endpoint given the patience of the work.
    pub fn embed_documents_with(
        &self,
        texts: &[&str],
        patience: Patience,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>> {
        let texts: Vec<String> = texts
            .iter()
            .map(|t| self.prefixes.document_text(t))
            .collect();
        match &self.backend {
            Backend::Local(m) => {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                m.embed_many(&refs, progress)
            }
            Backend::Endpoint(e) => {
                let vectors = e.embed(&texts, patience)?;
                progress(vectors.len());
                Ok(vectors)
            }
        }
    }

    /// Longest input in tokens of a local model; the rest of a text is ignored.
    pub fn max_tokens(&self) -> Option<usize> {
        self.recipe().map(|r| r.max_tokens)
    }
}

impl LocalModel {
    fn load(model: &ResolvedModel, want: EngineKind) -> Result<LocalModel> {
        let cfg = candle::BertConfig::from_file(&model.config)?;
        let recipe = Recipe::read(&model.dir, cfg.max_positions)?;
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
        // A tokenizer.json may pad or truncate at its own length (all-MiniLM-L6-v2's says 128):
        // no padding here (each engine batches texts its own way) and truncation at the
        // model's max_seq_length, [CLS] and [SEP] included, as sentence-transformers does.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: recipe.max_tokens,
                ..Default::default()
            }))
            .map_err(|e| Error::other(format!("tokenizer truncation: {e}")))?;
        Ok(LocalModel {
            model_id: model.model_id.clone(),
            tokenizer,
            cfg,
            engine,
            fallback_reason,
            recipe,
        })
    }

    fn engine(&self) -> EngineKind {
        match self.engine {
            Engine::Native { .. } => EngineKind::Native,
            Engine::Candle(_) => EngineKind::Candle,
        }
    }

    fn dim(&self) -> usize {
        self.cfg.hidden
    }

    /// Token ids of each text, truncated, checked against the vocabulary.
    fn tokenize(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>> {
        let lowered: Vec<String>;
        let texts = if self.recipe.lowercase {
            lowered = texts.iter().map(|t| t.to_lowercase()).collect();
            lowered.iter().map(String::as_str).collect()
        } else {
            texts.to_vec()
        };
        let encodings = if texts.len() == 1 {
            self.tokenizer.encode(texts[0], true).map(|e| vec![e])
        } else {
            self.tokenizer.encode_batch(texts, true)
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
                bert.embed(texts, self.recipe.pooling, &mut s, par, &mut out);
                pool().push(s);
                Ok(out)
            }
            Engine::Candle(bert) => bert.embed(texts, self.recipe.pooling),
        }
    }

    /// One L2-normalised embedding, on this thread.
    fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        let ids = self.tokenize(&[text])?;
        self.run(&[&ids[0]], Parallelism::None)
    }

    /// Embeddings of `texts`, in their order. Texts are sorted by token count and cut into
    /// batches of similar length (about `BATCH_TOKENS` tokens each on the native engine),
    /// which worker threads, one per core, take in turn; `progress` is called on this thread
    /// with the number of texts done so far.
    fn embed_many(&self, texts: &[&str], progress: &mut dyn FnMut(usize)) -> Result<Vec<Vec<f32>>> {
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
