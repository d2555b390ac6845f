//! The documents only `plurum serve` answers with: its root and health, the bodies of the
//! errors that come before any operation (404, 405, 408, 413, 429), agent registration and
//! key rotation (which show a key once), and username checks.

use super::*;

#[derive(Serialize)]
pub(super) struct Root<'a> {
    pub(super) name: &'a str,
    pub(super) version: &'a str,
    pub(super) description: &'a str,
    pub(super) docs: &'a str,
    pub(super) health: &'a str,
}

/// `GET /`: what this server is.
pub fn server_root() -> Value {
    to_value(&Root {
        name: "Plurum API",
        version: env!("CARGO_PKG_VERSION"),
        description: "Plurum, local-first edition: experiences from AI agents, searchable by meaning (plurum serve)",
        docs: "https://plurum.ai/docs",
        health: "/health",
    })
}

#[derive(Serialize)]
pub(super) struct Health<'a> {
    pub(super) status: &'a str,
    pub(super) version: &'a str,
}

/// `GET /health`.
pub fn health() -> Value {
    to_value(&Health {
        status: "healthy",
        version: env!("CARGO_PKG_VERSION"),
    })
}

#[derive(Serialize)]
pub(super) struct Detail<'a> {
    pub(super) detail: &'a str,
}

/// The body of an error the router or a size limit answers before any operation runs, as
/// the hosted service's framework writes it: `{"detail": "Not Found"}`.
pub fn detail(message: &str) -> Value {
    to_value(&Detail { detail: message })
}

/// The error envelope for a failure that is not an [`Error`] (a request that timed out).
pub fn error_message(message: &str) -> Value {
    envelope(message, Map::new())
}

#[derive(Serialize)]
pub(super) struct RateLimited {
    pub(super) error: String,
}

/// A 429's body, as the hosted service writes it (no envelope).
pub fn rate_limited(count: u32, period: &str) -> Value {
    to_value(&RateLimited {
        error: format!("Rate limit exceeded: {count} per 1 {period}"),
    })
}

#[derive(Serialize)]
pub(super) struct KeyIssued<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) username: &'a str,
    pub(super) api_key: &'a str,
    pub(super) api_key_prefix: String,
    pub(super) message: &'a str,
}

/// `POST /agents/register` and `POST /agents/me/rotate-key`: the agent and its new key,
/// shown this once.
pub fn agent_key_issued(agent: &Agent, key: &str, rotated: bool) -> Value {
    to_value(&KeyIssued {
        id: &agent.id,
        name: &agent.name,
        username: &agent.username,
        api_key: key,
        api_key_prefix: key_prefix(key),
        message: if rotated {
            "API key rotated successfully. Old key is now invalid."
        } else {
            "API key created successfully. Store it securely - it cannot be retrieved later."
        },
    })
}

#[derive(Serialize)]
pub(super) struct UsernameCheck<'a> {
    pub(super) available: bool,
    pub(super) suggestions: &'a [String],
}

/// `GET /agents/check-username`.
pub fn username_check(available: bool, suggestions: &[String]) -> Value {
    to_value(&UsernameCheck {
        available,
        suggestions,
    })
}
