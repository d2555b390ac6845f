//! The JSON document of every operation, shaped as the hosted REST API's response for the
//! same operation. The CLI's `--json`, `plurum serve` and the MCP tools all answer with these,
//! so the three front doors cannot drift apart.
//!
//! Each document is a struct that borrows from what the operation returned: its fields, in
//! their order, are the document's keys (serde_json keeps struct order, and the crate turns on
//! `preserve_order` so a `Value` keeps it too). Renaming a field here renames a key of the
//! contract, which `schemas/` and `tests/suite/contract.rs` pin; the CLI's text output reads
//! the operations' typed values, never these documents.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::agent::{Agent, AgentProfile, key_prefix};
use crate::model::duplicates::{Created, DuplicateHit};
use crate::model::experience::views::{AcquireContent, Checklist, Decision};
use crate::model::experience::{
    Acquired, Artifact, ArtifactMeta, Attempt, Breakthrough, ContextStructured, DeadEnd,
    Experience, Gotcha, Metrics, Outcome, Page, Status, Visibility,
};
use crate::model::feedback::{Feedback, OutcomeReport, VoteAction, VoteResult};
use crate::model::search::ArmScore;
use crate::model::search::{Hit, SearchResults, Timings};
use crate::model::session::{
    ActiveAgent, Closed, Contribution, Entry, Inbox, InboxEvent, Opened, Pulse, Session,
    SessionStatus,
};
use crate::ops::remote_account::RemoteSettings;
use crate::ops::remote_account::{RemoteRegistration, RotatedKey};
use crate::ops::sync::{PullReport, PushReport};
use crate::ops::transfer::Counts;

/// The version of the JSON contract; bumped on any breaking change of a shape.
pub const SCHEMA_VERSION: u32 = 1;

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("plain data serialises")
}

mod agents;
mod experiences;
mod feedback;
mod files;
mod remote;
mod search;
mod server;
mod sessions;

pub use agents::*;
pub use experiences::*;
pub use feedback::*;
pub use files::*;
pub use remote::*;
pub use search::*;
pub use server::*;
pub use sessions::*;

// ---- Envelopes ---------------------------------------------------------------------------

#[derive(Serialize)]
struct Envelope<'a> {
    detail: &'a str,
    error: &'a str,
    details: Map<String, Value>,
}

fn envelope(message: &str, details: Map<String, Value>) -> Value {
    to_value(&Envelope {
        detail: message,
        error: message,
        details,
    })
}

/// The hosted API's error envelope `{detail, error, details}`: the message twice (the
/// service's clients read either key) and, where there is one, what it is about.
pub fn error(e: &Error) -> Value {
    let mut details = Map::new();
    match e {
        Error::NotFound {
            resource,
            identifier,
        } => {
            details.insert("resource".into(), resource.to_string().into());
            details.insert("identifier".into(), identifier.to_string().into());
        }
        Error::Invalid {
            field: Some(field), ..
        } => {
            details.insert("field".into(), field.to_string().into());
        }
        _ => {}
    }
    envelope(&e.to_string(), details)
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
