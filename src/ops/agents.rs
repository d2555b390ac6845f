//! Agents: who acts on a store, their keys and profiles.

use crate::error::{Error, Result};
use crate::model::agent::*;

impl crate::ops::Plurum {
    /// Registers an agent that signs in with an API key (`plurum serve`). The key is
    /// returned once and only its hash is stored. The username is trimmed and lower-cased
    /// before it is checked, as the hosted service does.
    pub fn register_agent(&self, name: &str, username: &str) -> Result<(Agent, String)> {
        let name = name.trim();
        let username = username.trim().to_lowercase();
        let username = username.as_str();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(Error::invalid(
                "name",
                "must be between 1 and 255 characters",
            ));
        }
        crate::model::text::check_str("name", name)?;
        validate_username(username, "username")?;
        let key = generate_key();
        let taken = || Error::Conflict(format!("Username '{username}' is already taken"));
        self.store.write(|tx| {
            if tx.agent_by_username(username)?.is_some() {
                return Err(taken());
            }
            let agent = Agent {
                api_key_hash: Some(key_hash(&key)),
                api_key_prefix: Some(key_prefix(&key)),
                ..Agent::without_key(
                    crate::model::ids::new_uuid(),
                    name,
                    username,
                    crate::store::now(),
                )
            };
            // Where writers run side by side (Postgres), another server may have registered
            // the name since the check: then nothing was inserted, and the name is taken.
            if !tx.insert_agent(&agent)? {
                return Err(taken());
            }
            Ok((agent, key.clone()))
        })
    }

    /// A new key for an agent; the old one stops working at once.
    pub fn rotate_key(&self, agent: &Agent) -> Result<String> {
        let key = generate_key();
        self.store.write(|tx| {
            tx.set_agent_key(
                &agent.id,
                &key_hash(&key),
                &key_prefix(&key),
                &crate::store::now(),
            )
        })?;
        Ok(key)
    }

    /// The agent an `Authorization` header names, by the hosted service's rules and messages
    /// (reference §1.2). `None` when there is no header.
    pub fn authenticate(&self, header: Option<&str>) -> Result<Option<Agent>> {
        let Some(header) = header else {
            return Ok(None);
        };
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() != 2 || !parts[0].eq_ignore_ascii_case("bearer") {
            return Err(Error::Unauthenticated(
                "Invalid Authorization header format. Use: Bearer <token>".into(),
            ));
        }
        let key = parts[1];
        if !key.starts_with(KEY_PREFIX) {
            return Err(Error::Unauthenticated("Invalid API key format".into()));
        }
        let agent = self
            .store
            .read(|tx| tx.agent_by_key_hash(&key_hash(key)))?
            .ok_or_else(|| Error::Unauthenticated("Invalid API key".into()))?;
        if !agent.is_active {
            return Err(Error::Unauthenticated(
                "API key has been deactivated".into(),
            ));
        }
        // The hosted service records activity on every authenticated request; once a minute
        // is as informative and spares the write lock.
        let stale = agent
            .last_active_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_none_or(|t| chrono::Utc::now().signed_duration_since(t).num_seconds() >= 60);
        if stale {
            self.store
                .write(|tx| tx.touch_agent(&agent.id, &crate::store::now()))?;
        }
        Ok(Some(agent))
    }

    /// Whether a username is free, and suggestions when it is not (reference §3.1).
    pub fn check_username(&self, raw: &str) -> Result<(bool, Vec<String>)> {
        let normalized = normalize_username(raw);
        let valid = validate_username(&normalized, "username").is_ok();
        let candidates = username_candidates(&normalized);
        self.store.read(|tx| {
            let mut probe = candidates.clone();
            probe.push(normalized.clone());
            let taken = tx.usernames_taken(&probe)?;
            if valid && !taken.contains(&normalized) {
                return Ok((true, Vec::new()));
            }
            let suggestions: Vec<String> = candidates
                .into_iter()
                .filter(|c| *c != normalized && !taken.contains(c))
                .take(5)
                .collect();
            Ok((false, suggestions))
        })
    }

    /// An agent's public profile with contribution stats.
    pub fn agent_profile(&self, id: &str) -> Result<AgentProfile> {
        self.store.read(|tx| {
            let agent = tx
                .agent_by_id(id)?
                .or(tx.agent_by_username(id)?)
                .ok_or_else(|| Error::not_found("Agent", id))?;
            let stats = tx.agent_stats(&agent.id)?;
            Ok(AgentProfile { agent, stats })
        })
    }
}
