//! Where plurum keeps things, and the optional config file.
//!
//! Data (the store, imported models) lives in the platform's data directory
//! (`~/.local/share/plurum` on Linux, via `directories`), the config file in the config
//! directory (`~/.config/plurum/config.toml`). `PLURUM_HOME` puts both in one folder,
//! which is handy for portable setups and tests.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_file::{AtomicFile, Readers};
use crate::error::{Error, Result};

/// Default embedding model (384 dimensions).
pub const DEFAULT_MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2";

#[derive(Debug, Clone)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
}

impl Paths {
    pub fn discover() -> Result<Paths> {
        if let Some(home) = std::env::var_os("PLURUM_HOME").filter(|v| !v.is_empty()) {
            let home = PathBuf::from(home);
            return Ok(Paths {
                config_file: home.join("config.toml"),
                data_dir: home,
            });
        }
        let dirs = directories::ProjectDirs::from("", "", "plurum").ok_or_else(|| {
            Error::other("cannot find a home directory; set PLURUM_HOME or pass --db")
        })?;
        Ok(Paths {
            data_dir: dirs.data_dir().to_path_buf(),
            config_file: dirs.config_dir().join("config.toml"),
        })
    }

    pub fn default_db(&self) -> PathBuf {
        self.data_dir.join("plurum.db")
    }

    /// Models copied in with `plurum model import` live here, one folder per model id.
    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }

    pub fn imported_model_dir(&self, model_id: &str) -> PathBuf {
        self.models_dir().join(model_id.replace('/', "--"))
    }
}

/// The config file. Every key is optional; flags and environment variables win over it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Directory holding config.json, tokenizer.json and model.safetensors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_dir: Option<PathBuf>,
    /// Hugging Face model id (default: sentence-transformers/all-MiniLM-L6-v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    /// Never touch the network for models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offline: Option<bool>,
    /// Put before every search query / every experience's text when embedding, over the
    /// model's own prompts (for a model that declares none, e.g. `query: ` for e5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_prefix: Option<String>,
    /// An OpenAI-compatible embedding endpoint (`POST {url}/embeddings`); setting it
    /// replaces the local model (PLURUM_EMBEDDING_URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_url: Option<String>,
    /// The endpoint's model name, also the id recorded for its vectors
    /// (PLURUM_EMBEDDING_MODEL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_model: Option<String>,
    /// Sent as `Authorization: Bearer …` (PLURUM_EMBEDDING_API_KEY); never printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_api_key: Option<String>,
    /// Asked of the endpoint (OpenAI's `dimensions`) and checked against its answers
    /// (PLURUM_EMBEDDING_DIMENSIONS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_dimensions: Option<usize>,
    /// Seconds a query's embedding may take before search goes keyword-only (default 2;
    /// PLURUM_EMBEDDING_TIMEOUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedding_timeout: Option<f64>,
    /// The acting agent when neither --agent nor PLURUM_AGENT is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteConfig>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

impl Config {
    /// Reads the config file; a missing file is an empty config, a malformed one an error.
    pub fn load(path: &Path) -> Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| Error::Invalid {
                message: format!("config file {}: {}", path.display(), e.message()),
                field: Some("config".into()),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::other(format!(
                "cannot read config file {}: {e}",
                path.display()
            ))),
        }
    }

    /// Writes the config file readable by the user alone (it may hold an API key).
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = toml::to_string_pretty(self).map_err(Error::other)?;
        let mut file = AtomicFile::create(path, Readers::Owner)?;
        std::io::Write::write_all(file.file(), text.as_bytes())?;
        file.commit()?;
        Ok(())
    }
}

impl Config {
    /// The embedding endpoint from the environment (PLURUM_EMBEDDING_URL, _MODEL, _API_KEY,
    /// _DIMENSIONS, _TIMEOUT) over this file's `embedding_*` keys; `None` when no URL is set.
    pub fn embedding_endpoint(&self) -> Result<Option<crate::embed::EndpointOptions>> {
        let env = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(url) = env("PLURUM_EMBEDDING_URL").or_else(|| self.embedding_url.clone()) else {
            return Ok(None);
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::Invalid {
                message: format!("embedding_url must be an http:// or https:// URL, not {url:?}"),
                field: Some("embedding_url".into()),
            });
        }
        let model = env("PLURUM_EMBEDDING_MODEL")
            .or_else(|| self.embedding_model.clone())
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| Error::Invalid {
                message: "an embedding endpoint needs its model name: set embedding_model in \
                          the config file or PLURUM_EMBEDDING_MODEL"
                    .into(),
                field: Some("embedding_model".into()),
            })?;
        let dimensions = match env("PLURUM_EMBEDDING_DIMENSIONS") {
            Some(d) => Some(d.parse().ok().filter(|&d: &usize| d > 0).ok_or_else(|| {
                Error::Invalid {
                    message: format!(
                        "PLURUM_EMBEDDING_DIMENSIONS must be a positive whole number, not {d:?}"
                    ),
                    field: Some("embedding_dimensions".into()),
                }
            })?),
            None => self.embedding_dimensions,
        };
        if dimensions == Some(0) {
            return Err(Error::Invalid {
                message: "embedding_dimensions must be positive".into(),
                field: Some("embedding_dimensions".into()),
            });
        }
        let timeout = match env("PLURUM_EMBEDDING_TIMEOUT") {
            Some(t) => Some(t.parse::<f64>().map_err(|_| Error::Invalid {
                message: format!("PLURUM_EMBEDDING_TIMEOUT must be a number of seconds, not {t:?}"),
                field: Some("embedding_timeout".into()),
            })?),
            None => self.embedding_timeout,
        };
        let timeout = match timeout {
            None => crate::embed::DEFAULT_ENDPOINT_TIMEOUT,
            Some(t) if t > 0.0 && t <= 600.0 => std::time::Duration::from_secs_f64(t),
            Some(t) => {
                return Err(Error::Invalid {
                    message: format!(
                        "embedding_timeout must be between 0 and 600 seconds, not {t}"
                    ),
                    field: Some("embedding_timeout".into()),
                });
            }
        };
        Ok(Some(crate::embed::EndpointOptions {
            url,
            model,
            api_key: env("PLURUM_EMBEDDING_API_KEY").or_else(|| self.embedding_api_key.clone()),
            dimensions,
            timeout,
        }))
    }
}

/// True when an environment variable is set to a truthy value (1, true, yes, on).
pub fn env_flag(name: &str) -> bool {
    std::env::var(name)
        .map(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            )
        })
        .unwrap_or(false)
}
