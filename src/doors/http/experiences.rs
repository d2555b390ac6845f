//! `/api/v1/experiences` (reference §3.2): each handler checks the caller and the rate limit,
//! reads its input, and makes one library call; the JSON comes from `crate::doors::api`.

use axum::extract::{Path, State};
use serde_json::Value;

use super::plumbing::{ApiResult, AppState, Body, Caller, Query, created, ok};
use super::rate_limit::Bucket;
use crate::doors::api;
use crate::error::Error;
use crate::model::duplicates::IfDuplicate;
use crate::model::experience::input::parse_experience;
use crate::model::experience::{AcquireMode, Status, VoteType};
use crate::model::feedback::OutcomeInput;
use crate::model::limits;
use crate::ops::experiences::ListFilter;

/// Creates a draft, as the hosted service does; publishing is a second call. A client-given
/// `"id"` makes the create idempotent (what `plurum push` relies on after a lost answer).
pub(crate) async fn create(State(s): State<AppState>, caller: Caller, body: Body) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::ExperienceWrite).await?;
    let value = body.json()?;
    if !value.is_object() {
        return Err(Error::invalid("body", "must be a JSON object with at least a goal").into());
    }
    let client_id = match value.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => return Err(Error::invalid("id", "must be a UUID string").into()),
    };
    let if_duplicate = match value.get("if_duplicate") {
        None | Some(Value::Null) => IfDuplicate::Publish,
        Some(Value::String(text)) => IfDuplicate::parse(text).ok_or_else(|| {
            Error::invalid(
                "if_duplicate",
                format!(
                    "must be one of {}, got {text:?}",
                    IfDuplicate::ALL.join(", ")
                ),
            )
        })?,
        Some(_) => {
            return Err(Error::invalid("if_duplicate", "must be \"publish\" or \"skip\"").into());
        }
    };
    let item = parse_experience(&value, "")?.experience;
    let c = s
        .run(move |p| match client_id {
            Some(id) => p.create_with_id(&actor, item, &id, true, if_duplicate),
            None => p.create_experience(&actor, item, true, if_duplicate),
        })
        .await?;
    // 201 for a new experience (and for a create retried with its id, answered as the first
    // was); 200 when nothing was stored because a likely duplicate was (`if_duplicate`).
    if c.created {
        created(api::created_experience(&c))
    } else {
        ok(api::created_experience(&c))
    }
}

pub(crate) async fn search(State(s): State<AppState>, caller: Caller, body: Body) -> ApiResult {
    caller.limit(&s, Bucket::Search).await?;
    let viewer = caller.viewer();
    let f = body.object()?;
    let q = crate::doors::args::search_query(&f)?;
    // `include_archived` is accepted and ignored, as the hosted service does.
    f.bool("include_archived")?;
    let results = s.run(move |p| p.search(&viewer, &q)).await?;
    ok(api::search(&results, false))
}

pub(crate) async fn list(State(s): State<AppState>, caller: Caller, q: Query) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let status = match q.str("status") {
        None => None,
        Some(text) => Some(Status::parse(&text).ok_or_else(|| {
            Error::invalid(
                "status",
                format!("must be one of {}, got {text:?}", Status::ALL.join(", ")),
            )
        })?),
    };
    let filter = ListFilter {
        viewer: caller.viewer().id,
        status,
        include_archived: q.bool("include_archived")?,
        domain: q.str("domain"),
        tags: q
            .str("tags")
            .map(|t| {
                t.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        author: None,
        limit: q.i64("limit", 20)?,
        offset: q.i64("offset", 0)?,
        ..Default::default()
    };
    let page = s.run(move |p| p.list_experiences(&filter)).await?;
    ok(api::experience_page(&page))
}

pub(crate) async fn get(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let viewer = caller.viewer();
    let (e, artifacts) = s
        .run(move |p| p.experience_with_artifacts(&viewer, &id))
        .await?;
    ok(api::experience_with_code(&e, &artifacts))
}

/// A bare array, as the hosted service answers.
pub(crate) async fn similar(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Query,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let viewer = caller.viewer();
    let limit = q.i64("limit", 5)?;
    let limit = limits::SIMILAR_RESULTS.count("limit", limit)?;
    let (source, near) = s.run(move |p| p.similar(&viewer, &id, limit)).await?;
    ok(api::similar(&source, &near)["items"].take())
}

pub(crate) async fn acquire(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::Acquire).await?;
    let mode = body
        .object()?
        .choice("mode", AcquireMode::parse, AcquireMode::ALL)?
        .unwrap_or(AcquireMode::Full);
    ok(api::acquired(
        &s.run(move |p| p.acquire(&actor, &id, mode)).await?,
    ))
}

pub(crate) async fn publish(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::ExperienceWrite).await?;
    let e = s.run(move |p| p.publish_draft(&actor, &id)).await?;
    ok(api::experience(&e))
}

pub(crate) async fn archive(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::ExperienceWrite).await?;
    let e = s.run(move |p| p.archive(&actor, &id)).await?;
    ok(api::experience(&e))
}

/// `POST /experiences/{keep}/merge` with `{"others": [...], "dry_run": false}`: only the
/// owner of every experience named may merge on a server.
pub(crate) async fn merge(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::ExperienceWrite).await?;
    let f = body.object()?;
    let others = f.strings("others")?;
    let dry_run = f.bool("dry_run")?.unwrap_or(false);
    let merged = s
        .run(move |p| {
            p.merge(
                &actor,
                &id,
                &others,
                crate::ops::merge::MergeRights::OwnerOfAll,
                dry_run,
            )
        })
        .await?;
    ok(api::merged(&merged))
}

pub(crate) async fn outcome(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::Feedback).await?;
    let f = body.object()?;
    let input = OutcomeInput {
        success: f.required_bool("success")?,
        execution_time_ms: f.int("execution_time_ms")?,
        error_message: f.str("error_message")?,
        context_notes: f.str("context_notes")?,
        env_fingerprint: f.raw("env_fingerprint").cloned(),
    };
    let report = s.run(move |p| p.report_outcome(&actor, &id, input)).await?;
    created(api::outcome(&report))
}

pub(crate) async fn vote(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Body,
) -> ApiResult {
    let actor = caller.agent()?;
    caller.limit(&s, Bucket::Feedback).await?;
    let vote_type = body
        .object()?
        .required_choice("vote_type", VoteType::parse, VoteType::ALL)?;
    let result = s.run(move |p| p.vote(&actor, &id, vote_type)).await?;
    ok(api::vote(&result))
}

/// The artifacts' metadata (an addition to the hosted API, as `plurum artifact ID`).
pub(crate) async fn artifacts(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let viewer = caller.viewer();
    let e = s.run(move |p| p.experience(&viewer, &id)).await?;
    ok(api::artifact_list(&e))
}

/// One artifact with its code (an addition, as `plurum artifact ID N`).
pub(crate) async fn artifact(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, index)): Path<(String, String)>,
) -> ApiResult {
    caller.limit(&s, Bucket::Read).await?;
    let viewer = caller.viewer();
    let index: usize = index.parse().map_err(|_| {
        Error::invalid(
            "index",
            format!("must be a whole number from 0, got {index:?}"),
        )
    })?;
    let (e, a) = s.run(move |p| p.artifact(&viewer, &id, index)).await?;
    ok(api::artifact(&e, index, &a))
}
