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
