//! `/api/v1/agents`: registration with an API key shown once, the caller's profile, key
//! rotation, username checks (reference §3.1).

use axum::extract::{Path, State};

use super::plumbing::{ApiResult, AppState, Body, Caller, Query, created, ok};
use super::rate_limit::Bucket;
use crate::doors::api;

pub(crate) async fn register(State(s): State<AppState>, caller: Caller, body: Body) -> ApiResult {
    caller.limit(&s, Bucket::Register).await?;
    let fields = body.object()?;
    let name = fields.required_str("name")?;
    let username = fields.required_str("username")?;
    let (agent, key) = s.run(move |p| p.register_agent(&name, &username)).await?;
    created(api::agent_key_issued(&agent, &key, false))
}

pub(crate) async fn me(caller: Caller) -> ApiResult {
    ok(api::agent(&caller.agent()?))
}

pub(crate) async fn rotate_key(State(s): State<AppState>, caller: Caller) -> ApiResult {
    let agent = caller.agent()?;
    let moved = agent.clone();
    let key = s.run(move |p| p.rotate_key(&moved)).await?;
    ok(api::agent_key_issued(&agent, &key, true))
}

pub(crate) async fn check_username(
    State(s): State<AppState>,
    caller: Caller,
    query: Query,
) -> ApiResult {
    caller.limit(&s, Bucket::CheckUsername).await?;
    let Some(username) = query.0.get("username").cloned() else {
        return Err(crate::Error::invalid("username", "is required").into());
    };
    let (available, suggestions) = s.run(move |p| p.check_username(&username)).await?;
    ok(api::username_check(available, &suggestions))
}

pub(crate) async fn profile(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    ok(api::agent_profile(
        &s.run(move |p| p.agent_profile(&id)).await?,
    ))
}
