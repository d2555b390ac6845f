//! This store's place on a remote collective: which remote it syncs with, the agent
//! registered there and that agent's key, all kept in the config file (written with mode
//! 0600, since it may hold a key).
//!
//! These are operations like any other, so a front door only parses and renders: the CLI's
//! `remote` and `agent` commands call them, and nothing else writes the config file's
//! remote part.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::config::{Config, RemoteConfig};
use crate::error::{Error, Result};
use crate::ops::Plurum;
use crate::remote::Remote;

pub use crate::remote::RemoteSettings;

/// What `plurum remote show` reports: where the remote is, the key, and what is shared.
#[derive(Debug, Clone)]
pub struct RemoteStatus {
    pub settings: RemoteSettings,
    /// Experiences linked to this remote, by sync state (`published`, `pulled`, ...).
    pub links: std::collections::HashMap<String, i64>,
}

/// An agent just registered on the remote, its key saved to the config file.
#[derive(Debug, Clone)]
pub struct RemoteRegistration {
    pub remote: String,
    /// The remote's answer for `id` and `name`, as it gave them.
    pub id: Value,
    pub name: Value,
    pub username: String,
    pub api_key_prefix: String,
    pub saved_to: PathBuf,
}

/// A key rotated on the remote and saved to the config file.
#[derive(Debug, Clone)]
pub struct RotatedKey {
    pub api_key_prefix: String,
    pub saved_to: PathBuf,
    /// `PLURUM_API_KEY` is set and overrides the saved key, so it needs the new one too.
    pub overridden_by_env: bool,
}

impl Plurum {
    /// Where the remote is and how to sign in. The config file is read afresh each time:
    /// `agent register` may have just written a key.
    pub fn remote_settings(&self) -> Result<RemoteSettings> {
        let config = Config::load(&self.options().paths.config_file)?;
        Ok(RemoteSettings::resolve(&config))
    }

    /// Makes `url` the remote this store syncs with; returns it as saved (no trailing `/`).
    pub fn set_remote_url(&self, url: &str) -> Result<String> {
        let url = url.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Error::invalid(
                "url",
                format!("{url:?} is not an http(s) URL"),
            ));
        }
        self.save_remote(|r| r.url = Some(url.clone()))?;
        Ok(url)
    }

    /// The remote's settings and how many experiences this store shares with it.
    pub fn remote_status(&self) -> Result<RemoteStatus> {
        let settings = self.remote_settings()?;
        let links = crate::ops::sync::link_counts(self, &settings.url)?;
        Ok(RemoteStatus { settings, links })
    }

    /// Registers an agent on the remote and saves the remote and its key in the config file.
    pub fn register_remote_agent(&self, name: &str, username: &str) -> Result<RemoteRegistration> {
        let settings = self.remote_settings()?;
        let remote = Remote::new(&settings);
        let answer = remote
            .post(
                "/agents/register",
                &json!({"name": name, "username": username}),
            )
            .map_err(|e| match e.status {
                Some(409) => Error::Conflict(e.detail),
                Some(422) => Error::invalid("username", e.detail),
                _ => remote.fail("registering", e),
            })?;
        let key = api_key_in(&answer, &settings.url)?;
        self.save_remote(|r| {
            r.url = Some(settings.url.clone());
            r.api_key = Some(key.clone());
        })?;
        Ok(RemoteRegistration {
            remote: settings.url,
            id: answer["id"].clone(),
            name: answer["name"].clone(),
            username: username.to_string(),
            api_key_prefix: crate::model::agent::key_prefix(&key),
            saved_to: self.options().paths.config_file.clone(),
        })
    }

    /// The remote, and its profile of the agent the configured key belongs to.
    pub fn remote_whoami(&self) -> Result<(String, Value)> {
        let remote = Remote::new(&self.remote_settings()?);
        remote.require_key()?;
        let me = remote
            .get("/agents/me")
            .map_err(|e| remote.fail("asking who the key belongs to", e))?;
        Ok((remote.url, me))
    }

    /// A new key from the remote (the old one stops working there), saved to the config file.
    pub fn rotate_remote_key(&self) -> Result<RotatedKey> {
        let settings = self.remote_settings()?;
        let remote = Remote::new(&settings);
        remote.require_key()?;
        let answer = remote
            .post("/agents/me/rotate-key", &json!({}))
            .map_err(|e| remote.fail("rotating the key", e))?;
        let key = api_key_in(&answer, &settings.url)?;
        self.save_remote(|r| r.api_key = Some(key.clone()))?;
        Ok(RotatedKey {
            api_key_prefix: crate::model::agent::key_prefix(&key),
            saved_to: self.options().paths.config_file.clone(),
            overridden_by_env: settings.key_source == Some("PLURUM_API_KEY"),
        })
    }

    /// Changes the remote part of the config file, keeping the rest as it is.
    fn save_remote(&self, change: impl FnOnce(&mut RemoteConfig)) -> Result<()> {
        let path = &self.options().paths.config_file;
        let mut config = Config::load(path)?;
        let mut remote = config.remote.take().unwrap_or_default();
        change(&mut remote);
        config.remote = Some(remote);
        config.save(path)
    }
}

/// The `api_key` of a register or rotate answer; a remote that gives none is failing.
fn api_key_in(answer: &Value, url: &str) -> Result<String> {
    answer["api_key"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::Remote(format!("{url} gave no api_key")))
}

impl Plurum {
    /// A client of the configured remote collective, for work that may take a while (push,
    /// pull, account calls): retries with backoff.
    pub fn remote(&self) -> Result<Remote> {
        Ok(Remote::new(&self.remote_settings()?))
    }

    /// A client for a question someone waits on beside a local answer (`search --remote`):
    /// short timeouts, no retries.
    pub fn interactive_remote(&self) -> Result<Remote> {
        Ok(Remote::interactive(&self.remote_settings()?))
    }
}
