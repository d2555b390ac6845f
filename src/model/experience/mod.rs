//! Experiences: the record, its content, the rules for new ones (input), and the views
//! made of one (acquire modes, the text that is embedded and indexed).

pub mod input;
pub mod types;
pub mod views;

use serde_json::Value;

pub use types::*;

/// Experiences embedded per call of the model in a bulk publish or import, and written per
/// transaction in an import: large enough to amortise the commit, small enough that other
/// processes' writes interleave with a long import (which resumes where it stopped).
pub const BATCH_SIZE: usize = 256;

/// A page of a list, as the API's envelope (reference §1.4).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl<T> Page<T> {
    pub fn has_more(&self) -> bool {
        self.offset + self.limit < self.total
    }
}

/// What `acquire` returns: the experience, its artifacts' code, and the content of the mode
/// asked for (`content.mode()`).
#[derive(Debug, Clone)]
pub struct Acquired {
    pub experience: Experience,
    pub artifacts: Vec<Artifact>,
    pub content: views::AcquireContent,
}

/// The API-shaped JSON of a new experience's content, which the secret scan walks.
pub fn content_json(e: &NewExperience) -> Value {
    let c = &e.content;
    serde_json::json!({
        "goal": c.goal, "domain": c.domain, "tools_used": c.tools_used,
        "dead_ends": c.dead_ends, "breakthroughs": c.breakthroughs, "gotchas": c.gotchas,
        "context": c.context, "artifacts": e.artifacts, "attempts": c.attempts,
        "solution": c.solution, "tags": c.tags, "confidence": c.confidence,
        "context_structured": c.context_structured, "outcome": c.outcome,
        "visibility": c.visibility,
    })
}
