//! `/api/v1/sessions` and `/api/v1/pulse` (reference §3.3–3.4).

use axum::extract::{Path, State};
use serde_json::Value;

use super::plumbing::{ApiResult, AppState, Body, Caller, Query, created, ok};
use super::rate_limit::Bucket;
use crate::doors::{api, args};
use crate::error::Error;
use crate::model::experience::Visibility;
use crate::model::session::{ContributionType, SessionStatus, SessionUpdate};

pub(crate) async fn open(State(s): State<AppState>, caller: Caller, body: Body) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::SessionWrite).await?;
    let o = args::session_opening(&body.object()?)?;
    let opened = s
        .run(move |p| p.open_session(&actor, &o.topic, o.domain, o.tools_used, o.visibility))
        .await?;
    created(api::session_opened(&opened))
}

/// Signed in: the caller's own sessions; anonymous: public and team ones (reference §3.3).
pub(crate) async fn list(State(s): State<AppState>, caller: Caller, q: Query) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let status = match q.str("status") {
        None => None,
        Some(text) => Some(SessionStatus::parse(&text).ok_or_else(|| {
            Error::invalid(
                "status",
                format!(
                    "must be one of {}, got {text:?}",
                    SessionStatus::ALL.join(", ")
                ),
            )
        })?),
    };
    let limit = q.i64("limit", 20)?;
    let offset = q.i64("offset", 0)?;
    let viewer = caller.viewer();
    let page = s
        .run(move |p| p.list_sessions(&viewer, status, limit, offset))
        .await?;
    ok(api::page(&page, api::session))
}

pub(crate) async fn get(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let viewer = caller.viewer();
    let (session, entries, count) = s.run(move |p| p.session(&viewer, &id)).await?;
    ok(api::session_detail(&session, &entries, count))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    let f = body.object()?;
    let change = SessionUpdate {
        topic: f.str("topic")?,
        domain: f.str("domain")?,
        tools_used: f.optional_strings("tools_used")?,
        visibility: f.choice("visibility", Visibility::parse, Visibility::ALL)?,
    };
    let session = s
        .run(move |p| p.update_session(&actor, &id, change))
        .await?;
    ok(api::session(&session))
}

pub(crate) async fn log_entry(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::SessionEntry).await?;
    let (entry_type, content) = args::session_entry(&body.object()?)?;
    let entry = s
        .run(move |p| p.log_entry(&actor, &id, entry_type, &content))
        .await?;
    created(api::record(&entry))
}

pub(crate) async fn close(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::SessionWrite).await?;
    let outcome = args::session_outcome(&body.object()?)?;
    let closed = s
        .run(move |p| p.close_session(&actor, &id, outcome))
        .await?;
    ok(api::session_closed(&closed))
}

pub(crate) async fn abandon(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::SessionWrite).await?;
    let session = s.run(move |p| p.abandon_session(&actor, &id)).await?;
    ok(api::session(&session))
}

pub(crate) async fn contribute(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    let f = body.object()?;
    let kind = f.required_choice(
        "contribution_type",
        ContributionType::parse,
        ContributionType::ALL,
    )?;
    let content = f.raw("content").cloned().unwrap_or(Value::Null);
    let c = s
        .run(move |p| p.contribute(&actor, &id, kind, content))
        .await?;
    created(api::record(&c))
}

/// A bare array, oldest first, as the hosted service answers.
pub(crate) async fn contributions(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let actor = caller.agent()?;
    let items = s.run(move |p| p.contributions(&actor, &id)).await?;
    ok(api::record(&items))
}

pub(crate) async fn pulse_status(State(s): State<AppState>) -> ApiResult {
    ok(api::pulse(&s.run(|p| p.pulse()).await?))
}

pub(crate) async fn inbox(State(s): State<AppState>, caller: Caller, q: Query) -> ApiResult {
    let actor = caller.agent()?;
    let limit = q.i64("limit", 20)?;
    let unread_only = q.bool("unread")?;
    ok(api::inbox(
        &s.run(move |p| p.inbox(&actor, unread_only, limit)).await?,
    ))
}

pub(crate) async fn mark_read(State(s): State<AppState>, caller: Caller, body: Body) -> ApiResult {
    let actor = caller.agent()?;
    let f = body.object()?;
    let all = f.bool("mark_all")?.unwrap_or(false);
    let ids = f.optional_strings("event_ids")?;
    let marked = s
        .run(move |p| match (all, ids) {
            (true, _) => p.mark_read(&actor, None),
            (false, Some(ids)) => p.mark_read(&actor, Some(&ids)),
            (false, None) => Ok(0),
        })
        .await?;
    ok(api::marked_read(marked))
}
