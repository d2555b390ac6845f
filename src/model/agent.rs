//! Agents: who publishes, reports and votes. Several agents can share one store; the
//! acting agent is named with `--agent NAME` / `PLURUM_AGENT`, or defaults to `local`.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The agent a store acts as when none is named.
pub const DEFAULT_AGENT: &str = "local";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_hash: Option<String>,
    pub api_key_prefix: Option<String>,
    pub is_active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub last_active_at: Option<String>,
    pub last_inbox_check: Option<String>,
}

static USERNAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$").expect("valid pattern"));

/// Checks a username against the hosted service's rule: 3–50 characters, lower-case letters,
/// digits, `_` and `-`, starting and ending with a letter or digit.
pub fn validate_username(username: &str, field: &str) -> Result<()> {
    let n = username.chars().count();
    if !(3..=50).contains(&n) || !USERNAME.is_match(username) {
        return Err(Error::invalid(
            field,
            format!(
                "{username:?} is not a valid agent name: use 3-50 lower-case letters, digits, '_' or '-', starting and ending with a letter or digit"
            ),
        ));
    }
    Ok(())
}

/// The hosted service's username normaliser (reference §3.1 check-username): trim,
/// lower-case, runs of other characters become `-`, strip non-alphanumeric ends, cut to 50.
pub fn normalize_username(raw: &str) -> String {
    let lower = raw.trim().to_lowercase();
    let mut out = String::new();
    let mut in_run = false;
    for c in lower.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    let trimmed = out.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    trimmed.chars().take(50).collect()
}

/// The prefix of every Plurum API key.
pub const KEY_PREFIX: &str = "plrm_live_";

/// A new API key: `plrm_live_` + 43 URL-safe base64 characters (32 random bytes), as the
/// hosted service issues them (reference §1.2).
pub fn generate_key() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Keys are stored only as this hash (lower-case hex SHA-256).
pub fn key_hash(key: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(key.as_bytes()))
}

/// What may be shown of a key later: its first 16 characters.
pub fn key_prefix(key: &str) -> String {
    format!("{}...", key.chars().take(16).collect::<String>())
}

impl Agent {
    /// An active agent with no key yet, created at `now`.
    pub fn without_key(id: String, name: &str, username: &str, now: String) -> Agent {
        Agent {
            id,
            name: name.to_string(),
            username: username.to_string(),
            api_key_hash: None,
            api_key_prefix: None,
            is_active: true,
            created_at: now.clone(),
            updated_at: now,
            last_active_at: None,
            last_inbox_check: None,
        }
    }

    /// The viewer of an unauthenticated request: sees only public, published experiences.
    pub fn anonymous() -> Agent {
        Agent::without_key(String::new(), "anonymous", "anonymous", String::new())
    }

    pub fn is_anonymous(&self) -> bool {
        self.id.is_empty()
    }
}

/// An agent as others see it (`GET /agents/{id}`): who, and how much they contributed.
#[derive(Debug, Clone)]
pub struct AgentProfile {
    pub agent: Agent,
    pub stats: AgentStats,
}

/// How much an agent has contributed, and the feedback their experiences received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgentStats {
    /// Public experiences, published or verified.
    pub experiences_published: i64,
    pub outcome_reports: i64,
    pub votes: i64,
    /// Public sessions.
    pub sessions: i64,
    pub reports_received: i64,
    pub successes_received: i64,
}

const ADJECTIVES: &[&str] = &[
    "swift", "calm", "bold", "bright", "clever", "quiet", "brave", "keen", "lucid", "nimble",
    "stellar", "cosmic", "amber", "cobalt", "verdant", "sly", "wry", "deft", "vivid", "lunar",
];
const NOUNS: &[&str] = &[
    "otter", "falcon", "cedar", "comet", "harbor", "lynx", "maple", "raven", "delta", "quartz",
    "willow", "ember", "pike", "heron", "birch", "onyx", "vector", "atlas", "cipher", "magnet",
];

/// Up to 8 distinct, valid username candidates for a seed, the hosted way (reference §3.1):
/// the seed, `seed-noun`, `seedNN`, then `adjective-noun-NNN`.
pub fn username_candidates(seed: &str) -> Vec<String> {
    let random = |n: u32| -> u32 {
        u32::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..4].try_into().unwrap()) % n
    };
    let mut out: Vec<String> = Vec::new();
    let push = |c: String, out: &mut Vec<String>| {
        if validate_username(&c, "username").is_ok() && !out.contains(&c) {
            out.push(c);
        }
    };
    if seed.chars().count() >= 3 {
        push(seed.to_string(), &mut out);
        push(format!("{seed}-{}", NOUNS[random(20) as usize]), &mut out);
        push(format!("{seed}{}", 10 + random(90)), &mut out);
    }
    while out.len() < 8 {
        let c = format!(
            "{}-{}-{}",
            ADJECTIVES[random(20) as usize],
            NOUNS[random(20) as usize],
            10 + random(990)
        );
        push(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_the_hosted_service() {
        assert_eq!(normalize_username("  Hermes Bot!! "), "hermes-bot");
        assert_eq!(normalize_username("___"), "");
        assert_eq!(normalize_username("A_b-9"), "a_b-9");
    }

    #[test]
    fn username_rule() {
        assert!(validate_username("local", "agent").is_ok());
        assert!(validate_username("agent-7", "agent").is_ok());
        assert!(validate_username("no", "agent").is_err());
        assert!(validate_username("Upper", "agent").is_err());
        assert!(validate_username("-dash", "agent").is_err());
    }
}
