//! The argument reader of the front doors: the fields of a JSON object (an HTTP request
//! body, an MCP tool's arguments) read by the model's one reader
//! ([`crate::model::fields`]), and the requests more than one door takes as JSON, read once.
//!
//! Every refusal is [`crate::Error::invalid`] naming the field, which HTTP answers with a
//! 422 and MCP with a tool error carrying the same envelope.

use serde_json::Value;

use crate::error::Result;
use crate::model::experience::{Outcome, Visibility};
use crate::model::session::EntryType;

/// The fields of a JSON object (an HTTP body, an MCP tool's arguments), read by the model's
/// one reader ([`crate::model::fields`]), so the doors and the document parsers agree.
pub type Args = crate::model::fields::Fields<'static>;

/// A search request, read the same way by every door that takes one as JSON (the HTTP API's
/// body, the MCP tool's arguments): `query` and the optional `limit`, `tags`, `tools`,
/// `domain`, `min_quality`, `include_quarantined`, `exact`.
pub fn search_query(a: &Args) -> Result<crate::model::search::SearchQuery> {
    let mut q = crate::model::search::SearchQuery::new(a.required_str("query")?);
    if let Some(limit) = a.int("limit")? {
        q.limit = crate::model::limits::SEARCH_RESULTS.count("limit", limit)?;
    }
    q.tags = a.strings("tags")?;
    q.tools = a.strings("tools")?;
    q.domain = a.str("domain")?;
    q.min_quality = a.number("min_quality")?.unwrap_or(0.0);
    q.include_quarantined = a.bool("include_quarantined")?.unwrap_or(false);
    q.exact = a.bool("exact")?.unwrap_or(false);
    Ok(q)
}

/// A session to open, as the HTTP API's body and the MCP tool's arguments give it: `topic`,
/// and the optional `domain`, `tools_used` and `visibility` (public by default).
pub struct SessionOpening {
    pub topic: String,
    pub domain: Option<String>,
    pub tools_used: Vec<String>,
    pub visibility: Visibility,
}

pub fn session_opening(a: &Args) -> Result<SessionOpening> {
    Ok(SessionOpening {
        topic: a.required_str("topic")?,
        domain: a.str("domain")?,
        tools_used: a.strings("tools_used")?,
        visibility: a
            .choice("visibility", Visibility::parse, Visibility::ALL)?
            .unwrap_or(Visibility::Public),
    })
}

/// A session entry to log: its `entry_type` and its `content` (checked by the operation
/// against the type's fields).
pub fn session_entry(a: &Args) -> Result<(EntryType, Value)> {
    Ok((
        a.required_choice("entry_type", EntryType::parse, EntryType::ALL)?,
        a.raw("content").cloned().unwrap_or(Value::Null),
    ))
}

/// How a session ended, when the request says (`outcome`).
pub fn session_outcome(a: &Args) -> Result<Option<Outcome>> {
    a.choice("outcome", Outcome::parse, Outcome::ALL)
}
