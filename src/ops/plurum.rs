//! `Plurum`: an open store plus everything the operations need (settings, the embedding
//! model once loaded). The CLI, `plurum serve` and `plurum mcp` all call its methods; each
//! concept module (experience, feedback, search, session, transfer, sync) adds its own
//! `impl Plurum` block.

use std::path::PathBuf;

use crate::config::{Config, Paths};
use crate::error::{Error, Result};
use crate::model::agent::{Agent, DEFAULT_AGENT, validate_username};
use crate::store::{self, Store};

/// How to open a store. Built by the front doors from flags, environment and config file.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub db: PathBuf,
    /// A Postgres database URL: when set, the store is that database rather than the SQLite
    /// file `db` (`plurum serve --database`; the CLI's other commands leave it unset).
    pub database_url: Option<String>,
    pub paths: Paths,
    pub config: Config,
    /// Model settings, already merged from flags, environment and config file.
    pub model: crate::embed::ModelOptions,
    /// How long to wait for another process's lock on a SQLite store, when shorter than
    /// the store's default (a host's hook must not hold up its host).
    pub busy_timeout: Option<std::time::Duration>,
    /// Where opening the store reports a long upgrade's progress.
    pub upgrade_progress: crate::store::UpgradeProgress,
}

/// Where a store is: a file (SQLite) or a Postgres database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a database; anything else is a file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else {
            Location::File(PathBuf::from(text))
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => write!(f, "{}", crate::store::postgres::redact(url)),
        }
    }
}

/// `word` as one shell word: as it is when it is plain, in single quotes otherwise.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

impl OpenOptions {
    /// The same settings, for the store at `location`.
    pub fn at(&self, location: &Location) -> OpenOptions {
        let mut options = self.clone();
        match location {
            Location::File(path) => {
                options.db = path.clone();
                options.database_url = None;
            }
            Location::Postgres(url) => options.database_url = Some(url.clone()),
        }
        options
    }

    /// Where these settings open a store.
    pub fn location(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::Postgres(url.clone()),
            None => Location::File(self.db.clone()),
        }
    }

    /// Settings from the environment and config file alone (no flags).
    pub fn from_env() -> Result<OpenOptions> {
        let paths = Paths::discover()?;
        let config = Config::load(&paths.config_file)?;
        let db = std::env::var_os("PLURUM_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| paths.default_db());
        let model = crate::embed::ModelOptions {
            model_id: config
                .model_id
                .clone()
                .unwrap_or_else(|| crate::config::DEFAULT_MODEL_ID.to_string()),
            model_dir: std::env::var_os("PLURUM_MODEL_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| config.model_dir.clone()),
            imported_root: paths.models_dir(),
            offline: crate::config::env_flag("PLURUM_OFFLINE")
                || crate::config::env_flag("HF_HUB_OFFLINE")
                || config.offline.unwrap_or(false),
            progress: false,
            endpoint: config.embedding_endpoint()?,
            query_prefix: config.query_prefix.clone(),
            document_prefix: config.document_prefix.clone(),
        };
        Ok(OpenOptions {
            db,
            database_url: None,
            paths,
            config,
            model,
            busy_timeout: None,
            upgrade_progress: crate::store::UpgradeProgress::silent(),
        })
    }
}

pub struct Plurum {
    pub(crate) store: Store,
    pub(crate) options: OpenOptions,
    pub(crate) embedding: crate::ops::embedding::EmbeddingState,
    /// The vectors in memory, for a process that searches more than once (on a store where
    /// that is worth it).
    pub(crate) vector_cache: Option<crate::search::vector_scan::VectorCache>,
}

impl Plurum {
    pub fn open(options: OpenOptions) -> Result<Plurum> {
        let store = match &options.database_url {
            Some(url) => Store::open_postgres_reporting(url, &options.upgrade_progress)?,
            None => {
                Store::open_reporting(&options.db, options.busy_timeout, &options.upgrade_progress)?
            }
        };
        let embedding = crate::ops::embedding::EmbeddingState::new(options.model.clone());
        let vector_cache = store
            .backend()
            .worth_caching_vectors()
            .then(Default::default);
        Ok(Plurum {
            store,
            options,
            embedding,
            vector_cache,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The rate-limit windows the store keeps for `plurum serve`, shared by every server on
    /// it; `None` when each server counts in its own memory.
    pub fn rate_windows(&self) -> Option<&dyn crate::store::RateWindows> {
        self.store.backend().rate_windows()
    }

    pub fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// The command line that runs `command` (e.g. `reindex`) on this store, for hints: a
    /// hint must work for the store at hand, not for the default one. `--db PATH` for a file
    /// other than the default, `--database URL` for Postgres (a password shown as `***`,
    /// never printed; the hint says so).
    pub fn command(&self, command: &str) -> String {
        match &self.options.database_url {
            Some(url) => {
                let shown = crate::store::postgres::redact(url);
                let note = if shown != *url {
                    " (with the password in place of ***)"
                } else {
                    ""
                };
                format!("plurum {command} --database {}{note}", shell_word(&shown))
            }
            None if self.options.db != self.options.paths.default_db() => format!(
                "plurum --db {} {command}",
                shell_word(&self.options.db.to_string_lossy())
            ),
            None => format!("plurum {command}"),
        }
    }

    /// The local agent with this name, created on first use.
    pub fn agent(&self, username: &str) -> Result<Agent> {
        validate_username(username, "agent")?;
        if let Some(agent) = self.store.read(|tx| tx.agent_by_username(username))? {
            return Ok(agent);
        }
        let unsaved = Agent::without_key(
            crate::model::ids::new_uuid(),
            username,
            username,
            store::now(),
        );
        if self.store.read_only() {
            // A reader of a read-only store: it sees what is public, and any write it tries
            // is refused by the store, so it need not exist in it.
            return Ok(unsaved);
        }
        self.store.write(|tx| {
            let agent = unsaved;
            // Another process may have created it meanwhile; either way read it back.
            tx.insert_agent(&agent)?;
            tx.agent_by_username(username)?
                .ok_or_else(|| Error::other("agent vanished after insert"))
        })
    }

    /// The acting agent: the name given, else the config file's, else `local`.
    pub fn acting_agent(&self, name: Option<&str>) -> Result<Agent> {
        let name = name
            .map(str::to_string)
            .or_else(|| self.options.config.agent.clone())
            .unwrap_or_else(|| DEFAULT_AGENT.to_string());
        self.agent(&name)
    }

    pub fn agents(&self) -> Result<Vec<Agent>> {
        self.store.read(|tx| tx.agents())
    }
}
