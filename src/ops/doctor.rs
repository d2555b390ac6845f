//! `plurum doctor`: is the store sound, and are its indexes complete and consistent?
//! `--fix` rebuilds the keyword and vector indexes, embeds what lacks a vector, and vacuums.

use serde::Serialize;

use crate::error::Result;
use crate::ops::Plurum;
use crate::ops::embedding::{META_DIM, META_MODEL};
use crate::store;

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// True when nothing below needs attention.
    pub healthy: bool,
    /// The store's schema version (SQLite's `PRAGMA user_version`, or Postgres' migrations),
    /// not the JSON contract's.
    pub store_schema_version: i64,
    /// `["ok"]`, or what SQLite's integrity check found.
    pub integrity: Vec<String>,
    pub indexes: store::IndexCounts,
    /// How the vector arm searches this store, and why not better where it cannot.
    pub vector_search: store::VectorMethod,
    pub model: ModelCheck,
    pub files: Files,
    /// What needs attention, in words.
    pub problems: Vec<String>,
    /// What `--fix` did.
    pub fixed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelCheck {
    pub store_model: Option<String>,
    pub store_dimension: Option<usize>,
    pub available_model: Option<String>,
    pub mismatch: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Files {
    pub store: String,
    pub store_bytes: u64,
    pub wal_bytes: u64,
    /// Space `VACUUM` would give back.
    pub reclaimable_bytes: i64,
}

fn size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

impl Plurum {
    pub fn doctor(&self, fix: bool) -> Result<Diagnosis> {
        let mut fixed = Vec::new();
        if fix {
            let dim: usize = self
                .store
                .meta(META_DIM)?
                .and_then(|d| d.parse().ok())
                .unwrap_or(384);
            let (keywords, vectors) = self
                .store
                .write(|tx| Ok((tx.rebuild_keywords()?, tx.rebuild_vectors(dim)?)))?;
            fixed.push(format!(
                "rebuilt the keyword index ({keywords} experiences)"
            ));
            fixed.push(format!(
                "rebuilt the vector index and its quantised codes ({vectors} vectors kept)"
            ));
            if matches!(
                self.vector_status()?,
                crate::ops::embedding::VectorStatus::Ready(_)
            ) {
                let r = self.reindex(false, &mut |_, _| {})?;
                if r.embedded > 0 {
                    fixed.push(format!(
                        "embedded {} experiences that had no vector",
                        r.embedded
                    ));
                }
            }
            let before = self.store.read(|tx| tx.file_facts())?;
            self.store.backend().vacuum()?;
            fixed.push(format!(
                "vacuumed ({} free pages given back)",
                before.free_pages
            ));
        }

        let (integrity, indexes, vector_search, facts, store_model, store_dim) =
            self.store.read(|tx| {
                Ok((
                    tx.integrity_problems()?,
                    tx.index_counts()?,
                    tx.vector_method()?,
                    tx.file_facts()?,
                    tx.meta(META_MODEL)?,
                    tx.meta(META_DIM)?.and_then(|d| d.parse().ok()),
                ))
            })?;
        let status = self.model_status()?;
        let available = status.available.then(|| status.model_id.clone());
        let mismatch = matches!((&store_model, &available), (Some(s), Some(a)) if s != a);

        let (fix, reindex) = (self.command("doctor --fix"), self.command("reindex"));
        let mut problems = Vec::new();
        if integrity != ["ok"] {
            problems.push(format!("integrity check failed: {}", integrity.join("; ")));
        }
        if indexes.orphan_keyword_rows > 0 || indexes.missing_keyword_rows > 0 {
            problems.push(format!(
                "keyword index: {} orphan rows, {} experiences missing (run `{fix}`)",
                indexes.orphan_keyword_rows, indexes.missing_keyword_rows
            ));
        }
        if indexes.orphan_vectors > 0 {
            problems.push(format!(
                "{} orphan vectors (run `{fix}`)",
                indexes.orphan_vectors
            ));
        }
        if indexes.stale_counts > 0 {
            problems.push(format!(
                "{} of the store's kept counts disagree with its rows (run `{fix}`)",
                indexes.stale_counts
            ));
        }
        if indexes.stale_vector_codes > 0 {
            problems.push(format!(
                "{} quantised vector codes are missing or out of date, so those experiences may be missed by search (run `{fix}`)",
                indexes.stale_vector_codes
            ));
        }
        if indexes.stale_keyword_terms > 0 {
            problems.push(format!(
                "{} keyword terms have a kept document frequency that disagrees with the keyword index, so keyword ranking may be off (run `{fix}`)",
                indexes.stale_keyword_terms
            ));
        }
        if indexes.keyword_documents_pending > 0 {
            problems.push(format!(
                "{} experiences still have an older plurum's keyword tokens, so words in Chinese, Japanese or Korean (and words with accents) may not find them yet: a server on this database tokenises them again in batches (`plurum serve` resumes it; `{fix}` does it at once)",
                indexes.keyword_documents_pending
            ));
        }
        if vector_search.index_missing {
            problems.push(format!(
                "the vector index is missing, so every search compares the query with every vector (run `{fix}`)"
            ));
        }
        if indexes.missing_vectors > 0 {
            problems.push(format!(
                "{} experiences have no vector (run `{reindex}`)",
                indexes.missing_vectors
            ));
        }
        if mismatch {
            problems.push(format!(
                "the store's vectors are from {} but the model here is {} (run `{reindex}`)",
                store_model.clone().unwrap_or_default(),
                available.clone().unwrap_or_default()
            ));
        }
        let path = self.options.db.as_path();
        let wal = path.with_file_name(format!(
            "{}-wal",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("plurum.db")
        ));
        let (store_schema_version, files) = match &self.options.database_url {
            Some(_) => (
                i64::from(store::postgres::SCHEMA_VERSION),
                Files {
                    store: self.store.location(),
                    store_bytes: u64::try_from(facts.pages * facts.page_size).unwrap_or(0),
                    wal_bytes: 0,
                    reclaimable_bytes: 0,
                },
            ),
            None => (
                store::SCHEMA_VERSION,
                Files {
                    store: path.display().to_string(),
                    store_bytes: size(path),
                    wal_bytes: size(&wal),
                    reclaimable_bytes: facts.free_pages * facts.page_size,
                },
            ),
        };
        Ok(Diagnosis {
            healthy: problems.is_empty(),
            store_schema_version,
            integrity,
            indexes,
            vector_search,
            model: ModelCheck {
                store_model,
                store_dimension: store_dim,
                available_model: available,
                mismatch,
            },
            files,
            problems,
            fixed,
        })
    }

    /// A consistent copy of the store at `dest`, while other processes keep writing.
    pub fn backup(&self, dest: &std::path::Path) -> Result<u64> {
        if dest.exists() && dest.is_dir() {
            return Err(crate::Error::Usage(format!(
                "{} is a directory",
                dest.display()
            )));
        }
        self.store.backend().backup(dest)?;
        Ok(size(dest))
    }
}
