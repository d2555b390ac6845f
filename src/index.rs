//! Keeping the vector index honest: the embedding model is loaded once, lazily, the first
//! time something needs a vector; a store holds vectors of exactly one model (recorded in
//! `store_meta`); when no model can be had, plurum carries on keyword-only and says why.

use std::sync::{Arc, OnceLock};

use rusqlite::Connection;

use crate::app::Plurum;
use crate::embed::{Embedder, ModelOptions};
use crate::error::Result;
use crate::experience::{ExperienceContent, views::embedding_text};
use crate::store;

pub const META_MODEL: &str = "embedding_model";
pub const META_DIM: &str = "embedding_dim";

/// The embedding model, loaded at most once per process.
pub struct EmbeddingState {
    options: ModelOptions,
    loaded: OnceLock<std::result::Result<Arc<Embedder>, String>>,
}

impl EmbeddingState {
    pub fn new(options: ModelOptions) -> EmbeddingState {
        EmbeddingState {
            options,
            loaded: OnceLock::new(),
        }
    }

    /// The model, or the reason there is none (with how to fix it).
    pub fn get(&self) -> std::result::Result<Arc<Embedder>, String> {
        self.loaded
            .get_or_init(|| {
                let model = crate::embed::resolve(&self.options).map_err(|u| format!("{u}"))?;
                Embedder::load(&model).map(Arc::new).map_err(|e| {
                    format!(
                        "cannot load the embedding model from {}: {e}",
                        model.dir.display()
                    )
                })
            })
            .clone()
    }

    /// The reason semantic search is off, if the model was tried and could not be had.
    pub fn failure(&self) -> Option<String> {
        match self.loaded.get() {
            Some(Err(reason)) => Some(reason.clone()),
            _ => None,
        }
    }
}

/// Whether vectors can be written and searched right now.
#[derive(Clone)]
pub enum VectorStatus {
    /// The model is loaded and matches the store's vectors.
    Ready(Arc<Embedder>),
    /// No model: keyword-only.
    NoModel(String),
    /// The store's vectors come from another model; `plurum reindex` converts them.
    Mismatch {
        store_model: String,
        loaded_model: String,
    },
}

impl Plurum {
    /// Whether vectors can be used, loading the model if that has not been tried yet.
    pub fn vector_status(&self) -> Result<VectorStatus> {
        let embedder = match self.embedding.get() {
            Ok(e) => e,
            Err(reason) => return Ok(VectorStatus::NoModel(reason)),
        };
        let recorded = self.store.meta(META_MODEL)?;
        Ok(match recorded {
            Some(model) if model != embedder.model_id() => VectorStatus::Mismatch {
                store_model: model,
                loaded_model: embedder.model_id().to_string(),
            },
            _ => VectorStatus::Ready(embedder),
        })
    }

    /// Embeds the texts of experiences about to be written, or `None` when vectors cannot be
    /// written now (the experiences are still stored and searchable by keyword; `plurum
    /// reindex` adds their vectors later).
    pub(crate) fn embed_contents(
        &self,
        contents: &[&ExperienceContent],
    ) -> Result<Option<Vec<Vec<f32>>>> {
        let VectorStatus::Ready(embedder) = self.vector_status()? else {
            return Ok(None);
        };
        let texts: Vec<String> = contents.iter().map(|c| embedding_text(c)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Ok(Some(embedder.embed_many(&refs, &mut |_| {})?))
    }

    /// Records, on the writing transaction, which model the store's vectors belong to.
    pub(crate) fn note_vectors_written(&self, conn: &Connection, written: bool) -> Result<()> {
        if !written {
            return Ok(());
        }
        let Ok(embedder) = self.embedding.get() else {
            return Ok(());
        };
        if store::meta_get(conn, META_MODEL)?.is_none() {
            store::meta_set(conn, META_MODEL, embedder.model_id())?;
            store::meta_set(conn, META_DIM, &embedder.dim().to_string())?;
        }
        Ok(())
    }

    /// A one-line explanation when semantic search is unavailable, for stderr.
    pub fn semantic_notice(&self) -> Option<String> {
        self.embedding
            .failure()
            .map(|reason| format!("warning: semantic search is off, keyword search only: {reason}"))
    }
}
