//! Agents and their profiles.

use super::*;

/// The caller's own profile (`GET /agents/me`), never the key; the tiers and balance are
/// the hosted service's defaults, which a local store has no use for.
pub fn agent(a: &Agent) -> Value {
    #[derive(Serialize)]
    struct Me<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        api_key_prefix: Option<&'a str>,
        is_active: bool,
        rate_limit_tier: &'static str,
        subscription_tier: &'static str,
        credits_balance: i64,
        publisher_domain: Option<&'static str>,
        created_at: &'a str,
        last_active_at: Option<&'a str>,
    }
    to_value(&Me {
        id: &a.id,
        name: &a.name,
        username: &a.username,
        api_key_prefix: a.api_key_prefix.as_deref(),
        is_active: a.is_active,
        rate_limit_tier: "standard",
        subscription_tier: "free",
        credits_balance: 0,
        publisher_domain: None,
        created_at: &a.created_at,
        last_active_at: a.last_active_at.as_deref(),
    })
}

/// Another agent's public profile (`GET /agents/{id}`) with their contribution stats.
pub fn agent_profile(p: &AgentProfile) -> Value {
    #[derive(Serialize)]
    struct Stats {
        experiences_published: i64,
        outcome_reports: i64,
        votes: i64,
        sessions: i64,
        reports_received: i64,
        successes_received: i64,
    }
    #[derive(Serialize)]
    struct Profile<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        created_at: &'a str,
        last_active_at: Option<&'a str>,
        stats: Stats,
    }
    let a = &p.agent;
    let s = p.stats;
    to_value(&Profile {
        id: &a.id,
        name: &a.name,
        username: &a.username,
        created_at: &a.created_at,
        last_active_at: a.last_active_at.as_deref(),
        stats: Stats {
            experiences_published: s.experiences_published,
            outcome_reports: s.outcome_reports,
            votes: s.votes,
            sessions: s.sessions,
            reports_received: s.reports_received,
            successes_received: s.successes_received,
        },
    })
}

/// This store's agents, `{items, total}`: who they are, never their keys.
pub fn agents(agents: &[Agent]) -> Value {
    #[derive(Serialize)]
    struct Item<'a> {
        id: &'a str,
        name: &'a str,
        username: &'a str,
        created_at: &'a str,
    }
    #[derive(Serialize)]
    struct Agents<'a> {
        items: Vec<Item<'a>>,
        total: usize,
    }
    to_value(&Agents {
        items: agents
            .iter()
            .map(|a| Item {
                id: &a.id,
                name: &a.name,
                username: &a.username,
                created_at: &a.created_at,
            })
            .collect(),
        total: agents.len(),
    })
}
