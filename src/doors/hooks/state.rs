//! What a hook remembers about one host session between its runs: the experiences already
//! shown (never twice), the private session its failures go to, and whether the agent was
//! reminded to close it. A small JSON file per host session under plurum's data folder
//! (`hooks/sessions/`), removed when the session ends; files of sessions that never
//! ended are removed after a week.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config_file::ConfigFile;
use super::hosts::Host;
use crate::error::{Error, Result};

/// Files of host sessions older than this are someone else's past: removed.
const STALE: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub shown: Vec<String>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub reminded: bool,
}

pub struct States {
    dir: PathBuf,
    host: Host,
}

impl States {
    pub fn new(data_dir: &Path, host: Host) -> States {
        States {
            dir: data_dir.join("hooks").join("sessions"),
            host,
        }
    }

    /// The file of one host session. The host's id is untrusted text: anything but
    /// letters, digits, `-` and `_` becomes `_`, and it is cut to 100 characters.
    fn path(&self, id: &str, ext: &str) -> PathBuf {
        let safe: String = id
            .chars()
            .take(100)
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{}-{safe}.{ext}", self.host.id()))
    }

    pub fn load(&self, id: &str) -> State {
        std::fs::read(self.path(id, "json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Holds the session's lock until the guard is dropped.
    pub fn lock(&self, id: &str) -> Result<File> {
        std::fs::create_dir_all(&self.dir)?;
        let f = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path(id, "lock"))?;
        f.lock()
            .map_err(|e| Error::other(format!("cannot lock the hook state: {e}")))?;
        Ok(f)
    }

    /// Changes the session's state under its lock.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut State)) -> Result<()> {
        let _lock = self.lock(id)?;
        self.update_locked(id, change)
    }

    /// Changes the session's state; the caller holds its lock.
    pub fn update_locked(&self, id: &str, change: impl FnOnce(&mut State)) -> Result<()> {
        let mut state = self.load(id);
        change(&mut state);
        state.shown.dedup();
        let text = serde_json::to_string(&state).expect("serialisable");
        ConfigFile::write(&self.path(id, "json"), &text)?;
        self.sweep();
        Ok(())
    }

    /// Removes a session's files (it ended).
    pub fn forget(&self, id: &str) {
        let _ = std::fs::remove_file(self.path(id, "json"));
        let _ = std::fs::remove_file(self.path(id, "lock"));
    }

    /// Removes the files of sessions untouched for a week.
    fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE);
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}
