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
