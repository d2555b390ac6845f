//! The JSON document of every operation, shaped as the hosted REST API's response for the
//! same operation. The CLI's `--json`, `plurum serve` and the MCP tools all answer with these,
//! so the three front doors cannot drift apart.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::experience::views::{detail_json, list_json};
use crate::experience::{Artifact, Experience, Page};
use crate::feedback::{Feedback, OutcomeReport, VoteResult, metrics_json};
use crate::search::{SearchResults, hit_json, results_json};
use crate::session::{Closed, Contribution, Opened, Session};

/// The version of the JSON contract; bumped on any breaking change of a shape.
pub const SCHEMA_VERSION: u32 = 1;

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("plain data serialises")
}

/// The detail projection (artifacts as metadata).
pub fn experience(e: &Experience) -> Value {
    Value::Object(detail_json(e, None))
}

/// The detail projection with each artifact's code inline, as the hosted `GET` returns it.
pub fn experience_with_code(e: &Experience, artifacts: &[Artifact]) -> Value {
    Value::Object(detail_json(e, Some(artifacts)))
}

/// The list envelope `{items, total, limit, offset, has_more}`.
pub fn page<T>(page: &Page<T>, item: impl Fn(&T) -> Value) -> Value {
    json!({
        "items": page.items.iter().map(item).collect::<Vec<_>>(),
        "total": page.total, "limit": page.limit, "offset": page.offset, "has_more": page.has_more(),
    })
}

/// What a bulk publish prints: each created experience's ids, in input order.
pub fn created(items: &[Experience]) -> Value {
    let ids: Vec<Value> = items
        .iter()
        .map(|e| json!({"id": e.id, "short_id": e.short_id}))
        .collect();
    json!({"created": ids})
}

pub fn experience_page(p: &Page<Experience>) -> Value {
    page(p, |e| Value::Object(list_json(e)))
}

pub fn search(r: &SearchResults, explain: bool) -> Value {
    results_json(r, explain)
}

pub fn similar(source: &Experience, near: &[(Experience, f64)]) -> Value {
    let items: Vec<Value> = near
        .iter()
        .map(|(e, sim)| {
            let mut m = list_json(e);
            m.insert("similarity".into(), json!(sim));
            Value::Object(m)
        })
        .collect();
    json!({"experience_id": source.id, "short_id": source.short_id, "items": items})
}

pub fn artifact(e: &Experience, index: usize, a: &Artifact) -> Value {
    json!({"experience_id": e.id, "short_id": e.short_id, "artifact_index": index, "artifact": a})
}

pub fn artifact_list(e: &Experience) -> Value {
    json!({"experience_id": e.id, "short_id": e.short_id, "artifacts": e.artifacts})
}

/// The report row, plus the experience's counters after it (an addition to the API's row).
pub fn outcome(f: &Feedback<OutcomeReport>) -> Value {
    let mut v = to_value(&f.record);
    v["experience"] = metrics_json(&f.experience);
    v
}

/// The vote row, plus what the vote did and the counters after it.
pub fn vote(r: &VoteResult) -> Value {
    let mut v = to_value(&r.vote);
    v["action"] = json!(r.action);
    v["experience"] = metrics_json(&r.experience);
    v
}

pub fn session(s: &Session) -> Value {
    to_value(s)
}

/// `{session, matching_experiences, active_sessions}` (reference §3.3 open).
pub fn session_opened(o: &Opened) -> Value {
    let matching: Vec<Value> = o
        .matching_experiences
        .iter()
        .map(|h| {
            let mut m: Map<String, Value> = detail_json(&h.experience, None);
            for (k, v) in hit_json(h, o.semantic, false) {
                m.entry(k).or_insert(v);
            }
            Value::Object(m)
        })
        .collect();
    let active: Vec<Value> = o
        .active_sessions
        .iter()
        .map(|(s, similarity)| {
            json!({
                "id": s.id, "short_id": s.short_id, "agent_id": s.agent_id, "topic": s.topic,
                "domain": s.domain, "tools_used": s.tools_used, "similarity": similarity,
                "started_at": s.started_at,
            })
        })
        .collect();
    json!({"session": o.session, "matching_experiences": matching, "active_sessions": active})
}

/// `{session, experience_draft?}` (reference §3.3 close); the experience is absent when the
/// session had no entries.
pub fn session_closed(c: &Closed) -> Value {
    let mut v = json!({"session": c.session});
    if let Some(e) = &c.experience {
        v["experience_draft"] = experience(e);
    }
    v
}

/// A session with its entry count and entries (entries only for the owner).
pub fn session_detail(s: &Session, entries: &[crate::session::Entry], count: i64) -> Value {
    let mut v = to_value(s);
    v["entry_count"] = json!(count);
    v["entries"] = to_value(&entries);
    v
}

pub fn contributions(items: &[Contribution]) -> Value {
    json!({"total": items.len(), "items": items})
}

/// Any serialisable record (entry, contribution, report) as it is.
pub fn record<T: Serialize>(r: &T) -> Value {
    to_value(r)
}

/// The error envelope `{detail, error, details}`.
pub fn error(e: &Error) -> Value {
    e.to_json()
}

/// Puts `schema_version` first in a document (objects only).
pub fn versioned(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            // A document with a field of this name would silently lose it.
            debug_assert!(!map.contains_key("schema_version"), "field name collides");
            let mut out = Map::with_capacity(map.len() + 1);
            out.insert("schema_version".into(), SCHEMA_VERSION.into());
            out.extend(map);
            Value::Object(out)
        }
        other => other,
    }
}
