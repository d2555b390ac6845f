//! Keeping the vector index honest: the embedding model is loaded once, lazily, the first
//! time something needs a vector; a store holds vectors of exactly one model and dimension
//! (recorded in `store_meta`); when no model can be had, or an embedding endpoint cannot
//! answer, plurum carries on keyword-only and says why; `reindex` converts a store to the
//! model at hand, in resumable batches.

use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use crate::embed::{Embedder, ModelOptions, Patience};
use crate::error::{Error, Result};
use crate::model::experience::{ExperienceContent, views::embedding_text};
use crate::ops::Plurum;

pub const META_MODEL: &str = "embedding_model";
pub const META_DIM: &str = "embedding_dim";

/// Experiences embedded per transaction by `reindex`: enough texts to sort by length and
/// batch well, few enough that an interruption loses little work.
pub const REINDEX_BATCH: usize = 256;

/// The embedding model, loaded at most once per process.
pub struct EmbeddingState {
    options: ModelOptions,
    loaded: OnceLock<std::result::Result<Arc<Embedder>, String>>,
    /// Why the last embedding an endpoint was asked for did not come (it may answer later).
    last_failure: Mutex<Option<String>>,
}

impl EmbeddingState {
    pub fn new(options: ModelOptions) -> EmbeddingState {
        EmbeddingState {
            options,
            loaded: OnceLock::new(),
            last_failure: Mutex::new(None),
        }
    }

    /// The model (or endpoint), or the reason there is none (with how to fix it).
    pub fn get(&self) -> std::result::Result<Arc<Embedder>, String> {
        let o = &self.options;
        self.loaded
            .get_or_init(|| {
                let embedder = match &o.endpoint {
                    Some(endpoint) => Embedder::endpoint(endpoint.clone()),
                    None => {
                        let model = crate::embed::resolve(o).map_err(|u| u.to_string())?;
                        Embedder::load(&model).map_err(|e| {
                            format!(
                                "cannot load the embedding model from {}: {e}",
                                model.dir.display()
                            )
                        })?
                    }
                };
                let embedder =
                    embedder.with_prefixes(o.query_prefix.as_deref(), o.document_prefix.as_deref());
                Ok(Arc::new(embedder))
            })
            .clone()
    }

    /// The reason semantic search is off, if the model was tried and could not be had, or
    /// the endpoint failed the last time it was asked.
    pub fn failure(&self) -> Option<String> {
        match self.loaded.get() {
            Some(Err(reason)) => Some(reason.clone()),
            _ => self.lock_failure().clone(),
        }
    }

    fn lock_failure(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.last_failure.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sorts an embedding's outcome: an endpoint that cannot answer now (`Error::Remote`)
    /// is `Ok(Err(reason))`, remembered for [`EmbeddingState::failure`], so the caller
    /// carries on without vectors; any other error stands.
    pub fn soften<T>(&self, outcome: Result<T>) -> Result<std::result::Result<T, String>> {
        match outcome {
            Ok(v) => {
                *self.lock_failure() = None;
                Ok(Ok(v))
            }
            Err(Error::Remote(reason)) => {
                *self.lock_failure() = Some(reason.clone());
                Ok(Err(reason))
            }
            Err(e) => Err(e),
        }
    }

    pub fn options(&self) -> &ModelOptions {
        &self.options
    }
}

/// Whether vectors can be written and searched right now.
#[derive(Clone)]
pub enum VectorStatus {
    /// The model is loaded and matches the store's vectors (or the store has none yet).
    Ready(Arc<Embedder>),
    /// No model: keyword-only.
    NoModel(String),
    /// The store's vectors come from another model, or have another dimension (the reason
    /// says which); `plurum reindex` converts them.
    Mismatch(String),
}

/// Why a store's vectors and a model's differ, for users: names both, and the dimensions
/// when the models' names are the same.
pub fn mismatch_reason(store: (&str, Option<usize>), loaded: (&str, Option<usize>)) -> String {
    let name = |(m, d): (&str, Option<usize>)| match d {
        Some(d) if store.0 == loaded.0 => format!("{m} ({d} dimensions)"),
        _ => m.to_string(),
    };
    format!(
        "the store's vectors come from {} but the model here is {}",
        name(store),
        name(loaded)
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct ReindexReport {
    pub model: String,
    pub dimension: usize,
    /// The model the store's vectors came from before, when it was a different one.
    pub replaced_model: Option<String>,
    pub embedded: usize,
    pub total_experiences: i64,
}

impl Plurum {
    /// Whether vectors can be used, loading the model if that has not been tried yet.
    pub fn vector_status(&self) -> Result<VectorStatus> {
        let embedder = match self.embedding.get() {
            Ok(e) => e,
            Err(reason) => return Ok(VectorStatus::NoModel(reason)),
        };
        let store_dim: Option<usize> = self.store.meta(META_DIM)?.and_then(|d| d.parse().ok());
        Ok(match self.store.meta(META_MODEL)? {
            Some(model)
                if model != embedder.model_id()
                    || embedder.known_dim().is_some_and(|d| Some(d) != store_dim) =>
            {
                VectorStatus::Mismatch(mismatch_reason(
                    (&model, store_dim),
                    (embedder.model_id(), embedder.known_dim()),
                ))
            }
            _ => VectorStatus::Ready(embedder),
        })
    }

    /// Embeds the texts of experiences about to be written, or `None` when vectors cannot be
    /// written now (the experiences are still stored and found by keyword; `plurum reindex`
    /// adds their vectors later).
    pub(crate) fn embed_contents(
        &self,
        contents: &[&ExperienceContent],
    ) -> Result<Option<Vec<Vec<f32>>>> {
        self.embed_contents_with(contents, &mut |_| {})
    }

    /// `embed_contents`, calling `progress` with the number of contents embedded so far as
    /// the model's batches finish (so a bulk write can show each item's progress).
    pub(crate) fn embed_contents_with(
        &self,
        contents: &[&ExperienceContent],
        progress: &mut dyn FnMut(usize),
    ) -> Result<Option<Vec<Vec<f32>>>> {
        if contents.is_empty() {
            return Ok(None);
        }
        let VectorStatus::Ready(embedder) = self.vector_status()? else {
            return Ok(None);
        };
        let texts: Vec<String> = contents.iter().map(|c| embedding_text(c)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // An endpoint that cannot answer now: stored without vectors, found later by reindex.
        Ok(self
            .embedding
            .soften(embedder.embed_documents(&refs, progress))?
            .ok())
    }

    /// On a write transaction about to store vectors: true when this process's model owns
    /// the store's vectors (claiming an empty store for it), false when another model does.
    pub(crate) fn claim_vectors(&self, conn: &dyn crate::store::Tx) -> Result<bool> {
        let Ok(embedder) = self.embedding.get() else {
            return Ok(false);
        };
        // Vectors were just made, so an endpoint's dimension is known.
        let Some(dim) = embedder.known_dim() else {
            return Ok(false);
        };
        claim_model(conn, embedder.model_id(), dim)
    }

    /// A one-line explanation when semantic search is unavailable, for stderr.
    pub fn semantic_notice(&self) -> Option<String> {
        self.embedding
            .failure()
            .map(|reason| format!("warning: semantic search is off, keyword search only: {reason}"))
    }

    /// Gives every experience a vector from the model at hand. If the store's vectors come
    /// from another model (or another dimension), they are all dropped first: they cannot be
    /// searched with this one. With the same model, `force` re-embeds every experience in
    /// place, each old vector staying until its replacement is written, so an interrupted
    /// `reindex --force` leaves every experience searchable. Work is committed in batches,
    /// so an interrupted reindex resumes where it stopped when run again.
    pub fn reindex(
        &self,
        force: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ReindexReport> {
        let embedder = self.embedding.get().map_err(|reason| {
            Error::other(format!("reindex needs the embedding model: {reason}"))
        })?;
        // An endpoint is asked once for its dimension before anything is dropped.
        let new_dim = embedder.dimension()?;
        let (replaced_model, in_place) = self.store.write(|tx| {
            let current = tx.meta(META_MODEL)?;
            let dim: Option<usize> = tx.meta(META_DIM)?.and_then(|d| d.parse().ok());
            let switch = current.as_deref() != Some(embedder.model_id()) || dim != Some(new_dim);
            if switch {
                tx.recreate_vector_table(new_dim)?;
                tx.set_meta(META_MODEL, embedder.model_id())?;
                tx.set_meta(META_DIM, &new_dim.to_string())?;
            }
            Ok((
                current.filter(|m| switch && m != embedder.model_id()),
                force && !switch,
            ))
        })?;

        let todo = self.store.read(|tx| {
            if in_place {
                tx.experience_count()
            } else {
                tx.count_missing_vectors()
            }
        })? as usize;
        progress(0, todo);
        crate::test_pause::reached("reindex-started");
        let mut embedded = 0;
        let mut after = 0;
        loop {
            let batch = self.store.read(|tx| {
                let seqs = if in_place {
                    tx.seqs_after(after, REINDEX_BATCH)?
                } else {
                    tx.seqs_missing_vectors(after, REINDEX_BATCH)?
                };
                let mut out = Vec::with_capacity(seqs.len());
                for seq in seqs {
                    if let Some(e) = tx.experience_by_seq(seq)? {
                        out.push(e);
                    }
                }
                Ok(out)
            })?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            let texts: Vec<String> = batch.iter().map(|e| embedding_text(&e.content)).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let vectors = embedder.embed_documents_with(&refs, Patience::Bulk, &mut |n| {
                progress(embedded + n, todo)
            })?;
            if vectors.iter().any(|v| v.len() != new_dim) {
                return Err(Error::Remote(format!(
                    "{} changed its vectors' dimension during reindex (from {new_dim})",
                    embedder.model_id()
                )));
            }
            embedded += self.store.write(|tx| {
                // Another process may have switched models or filled these in meanwhile.
                if tx.meta(META_MODEL)?.as_deref() != Some(embedder.model_id()) {
                    return Err(Error::Conflict(
                        "another process switched the store to a different model during reindex"
                            .into(),
                    ));
                }
                let mut n = 0;
                for (e, v) in batch.iter().zip(&vectors) {
                    // In place, the old vector is replaced in this same transaction.
                    if in_place || !tx.has_vector(e.seq)? {
                        tx.set_experience_vector(e.seq, v)?;
                        n += 1;
                    }
                }
                Ok(n)
            })?;
            progress(embedded, todo);
            crate::test_pause::reached("reindex-batch-committed");
        }
        self.embed_session_topics()?;
        let total_experiences = self.store.read(|tx| tx.experience_count())?;
        Ok(ReindexReport {
            model: embedder.model_id().to_string(),
            dimension: new_dim,
            replaced_model,
            embedded,
            total_experiences,
        })
    }
}

/// What `plurum model embed` prints: the vectors plurum makes, and how.
#[derive(Debug, Clone, Serialize)]
pub struct Embedded {
    pub model_id: String,
    pub dimension: usize,
    /// `query` or `document`: which prefix was put before each text.
    pub input: &'static str,
    pub prefix: Option<String>,
    /// One unit vector per text, in the order given.
    pub vectors: Vec<Vec<f32>>,
}

impl Plurum {
    /// The vectors of `texts` as plurum makes them for queries or for documents.
    pub fn embed_texts(&self, texts: &[String], as_query: bool) -> Result<Embedded> {
        let embedder = self
            .embedding
            .get()
            .map_err(|reason| Error::other(format!("no embedding model: {reason}")))?;
        let vectors = if as_query {
            texts
                .iter()
                .map(|t| embedder.embed_query(t))
                .collect::<Result<Vec<_>>>()?
        } else {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            embedder.embed_documents(&refs, &mut |_| {})?
        };
        let p = embedder.prefixes();
        Ok(Embedded {
            model_id: embedder.model_id().to_string(),
            dimension: vectors.first().map_or(0, Vec::len),
            input: if as_query { "query" } else { "document" },
            prefix: if as_query { &p.query } else { &p.document }.clone(),
            vectors,
        })
    }
}

/// What `plurum model status` reports.
#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    pub available: bool,
    /// The model's id, or an endpoint's model name (the id its vectors are recorded under).
    pub model_id: String,
    /// Where it was found: explicit directory, imported, Hugging Face cache, endpoint.
    pub source: Option<String>,
    pub dir: Option<std::path::PathBuf>,
    pub dimension: Option<usize>,
    /// The forward pass that embeds with it: native (plurum's own) or candle (`BertModel`).
    pub engine: Option<crate::embed::EngineKind>,
    /// Why the native forward pass cannot run this model, when it cannot.
    pub engine_note: Option<String>,
    pub sha256: Option<String>,
    /// How a local model is run, as its sentence-transformers files say (null for an
    /// endpoint, or a model that cannot be loaded).
    pub recipe: Option<crate::embed::Recipe>,
    /// What is put before queries and documents, and where that came from.
    pub prefixes: crate::embed::Prefixes,
    /// The embedding endpoint, when one makes the vectors (never its key).
    pub endpoint: Option<EndpointStatus>,
    /// Why it is not available, and how to fix that.
    pub reason: Option<String>,
    pub store: StoreVectors,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointStatus {
    /// `{url}/embeddings` is what is called; shown without credentials.
    pub url: String,
    pub model: String,
    pub api_key_set: bool,
    /// The dimension asked of it (`embedding_dimensions`), if any.
    pub dimensions: Option<usize>,
    pub timeout_seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoreVectors {
    pub model: Option<String>,
    pub dimension: Option<usize>,
    pub vectors: i64,
    pub experiences: i64,
    pub missing: i64,
}

impl Plurum {
    /// Where the model is (never downloading; an endpoint is asked for its dimension), and
    /// what the store's vectors are.
    pub fn model_status(&self) -> Result<ModelStatus> {
        let store = self.store.read(|tx| {
            Ok(StoreVectors {
                model: tx.meta(META_MODEL)?,
                dimension: tx.meta(META_DIM)?.and_then(|d| d.parse().ok()),
                vectors: tx.vector_count()?,
                experiences: tx.experience_count()?,
                missing: tx.count_missing_vectors()?,
            })
        })?;
        let mut options = self.embedding.options().clone();
        let prefixes = |e: Embedder| {
            e.with_prefixes(
                options.query_prefix.as_deref(),
                options.document_prefix.as_deref(),
            )
        };
        if let Some(endpoint) = options.endpoint.clone() {
            let embedder = prefixes(Embedder::endpoint(endpoint.clone()));
            // Asked, not assumed: the answer shows it is up and gives what is configured.
            let (dimension, reason) = match embedder.embed_document("plurum model status") {
                Ok(v) => (Some(v.len()), None),
                Err(e) => (None, Some(e.to_string())),
            };
            return Ok(ModelStatus {
                available: dimension.is_some(),
                model_id: endpoint.model.clone(),
                source: Some("endpoint".into()),
                dir: None,
                dimension,
                engine: None,
                engine_note: None,
                sha256: None,
                recipe: None,
                prefixes: embedder.prefixes().clone(),
                endpoint: Some(EndpointStatus {
                    url: endpoint.display_url(),
                    model: endpoint.model,
                    api_key_set: endpoint.api_key.is_some(),
                    dimensions: endpoint.dimensions,
                    timeout_seconds: endpoint.timeout.as_secs_f64(),
                }),
                reason,
                store,
            });
        }
        // Status only looks; it never downloads, offline or not.
        let offline = options.is_offline();
        options.offline = true;
        let model_id = options.model_id.clone();
        match crate::embed::resolve(&options) {
            Err(unavailable) => Ok(ModelStatus {
                available: false,
                source: None,
                dir: None,
                dimension: None,
                engine: None,
                engine_note: None,
                sha256: None,
                recipe: None,
                prefixes: crate::embed::Prefixes::default().with_overrides(
                    options.query_prefix.as_deref(),
                    options.document_prefix.as_deref(),
                ),
                endpoint: None,
                // Found nowhere: without offline mode, resolve's "offline mode is on" would
                // be untrue. (An explicit directory's own error stands.)
                reason: Some(if offline || options.model_dir.is_some() {
                    unavailable.to_string()
                } else {
                    format!(
                        "no local copy of the embedding model {model_id} (a search downloads it; \
                         `plurum model status` never does); {}",
                        unavailable.hint
                    )
                }),
                model_id,
                store,
            }),
            Ok(model) => {
                let (loaded, reason) = match Embedder::load(&model) {
                    Ok(e) => (Some(prefixes(e)), None),
                    Err(e) => (None, Some(format!("found but cannot be loaded: {e}"))),
                };
                let l = loaded.as_ref();
                Ok(ModelStatus {
                    available: loaded.is_some(),
                    model_id: model.model_id.clone(),
                    source: Some(model.source.to_string()),
                    sha256: Some(crate::embed::weights_sha256(&model)?),
                    dir: Some(model.dir),
                    dimension: l.and_then(Embedder::known_dim),
                    engine: l.and_then(Embedder::engine),
                    engine_note: l.and_then(|e| e.fallback_reason().map(str::to_string)),
                    recipe: l.and_then(|e| e.recipe().cloned()),
                    prefixes: l.map(|e| e.prefixes().clone()).unwrap_or_default(),
                    endpoint: None,
                    reason,
                    store,
                })
            }
        }
    }
}

impl Plurum {
    /// Copies a model folder into plurum's own models (`plurum model import DIR`).
    pub fn import_model(&self, dir: &std::path::Path) -> Result<crate::embed::ResolvedModel> {
        crate::embed::import(dir, &self.options.model)
    }

    /// Downloads the model into the Hugging Face cache (`plurum model fetch`).
    pub fn fetch_model(&self) -> Result<crate::embed::ResolvedModel> {
        crate::embed::fetch(&self.options.model)
    }
}

/// On a write transaction about to store vectors of `model`: true when the store's vectors
/// are that model's, or it has none yet (it becomes that model's store).
pub(crate) fn claim_model(tx: &dyn crate::store::Tx, model: &str, dim: usize) -> Result<bool> {
    match tx.meta(META_MODEL)? {
        Some(current) => {
            let table_dim: Option<usize> = tx.meta(META_DIM)?.and_then(|d| d.parse().ok());
            Ok(current == model && table_dim.is_none_or(|d| d == dim))
        }
        None => {
            let table_dim = tx
                .meta(META_DIM)?
                .and_then(|d| d.parse().ok())
                .unwrap_or(384);
            if dim != table_dim && tx.vector_count()? == 0 {
                tx.recreate_vector_table(dim)?;
            }
            tx.set_meta(META_MODEL, model)?;
            tx.set_meta(META_DIM, &dim.to_string())?;
            Ok(true)
        }
    }
}
