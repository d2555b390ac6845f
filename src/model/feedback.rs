//! Outcome reports and votes: one of each per agent per experience. Counters and the
//! quality score are recomputed in the same transaction as the change.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::experience::{Experience, Metrics, Outcome, VoteType};

/// A stored outcome report, shaped as the API's report row (reference §3.2 outcome).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeReport {
    pub id: String,
    pub experience_id: String,
    pub agent_id: String,
    pub success: bool,
    pub execution_time_ms: Option<i64>,
    pub error_message: Option<String>,
    pub context_notes: Option<String>,
    pub env_fingerprint: Option<Value>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a reporter sends.
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub success: bool,
    pub execution_time_ms: Option<i64>,
    pub error_message: Option<String>,
    pub context_notes: Option<String>,
    pub env_fingerprint: Option<Value>,
}

impl OutcomeInput {
    /// A report from a three-way outcome and a note, as the Plurum agent plugins send it:
    /// `partial` counts as not a success (as the hosted service counts it), and the note
    /// keeps which outcome it was (`outcome=partial | note`), as the plugins write it.
    pub fn from_outcome(outcome: Outcome, note: Option<String>) -> OutcomeInput {
        let note = note.filter(|n| !n.trim().is_empty());
        let context_notes = match (outcome, note) {
            (Outcome::Success, note) => note,
            (other, Some(note)) => Some(format!("outcome={other} | {note}")),
            (other, None) => Some(format!("outcome={other}")),
        };
        OutcomeInput {
            success: outcome == Outcome::Success,
            context_notes,
            ..OutcomeInput::default()
        }
    }
}

/// A vote row. `vote_type` is `None` only in the response to a withdrawn vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    pub id: String,
    pub experience_id: String,
    pub agent_id: String,
    pub vote_type: Option<VoteType>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a vote did: the docs promise that the same vote twice withdraws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteAction {
    Created,
    Changed,
    Withdrawn,
}

#[derive(Debug, Clone)]
pub struct Feedback<T> {
    pub record: T,
    pub experience: Experience,
}

#[derive(Debug, Clone)]
pub struct VoteResult {
    pub vote: Vote,
    pub action: VoteAction,
    pub experience: Experience,
}

pub fn blank_to_none(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

impl Metrics {
    pub fn rank_factor(&self) -> f64 {
        crate::model::quality::rank_factor(
            self.success_count,
            self.failure_count,
            self.upvotes,
            self.downvotes,
        )
    }

    pub fn is_quarantined(&self) -> bool {
        crate::model::quality::is_quarantined(self.success_count, self.failure_count)
    }
}
