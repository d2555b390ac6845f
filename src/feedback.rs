//! Outcome reports and votes: one of each per agent per experience. Counters and the
//! quality score are recomputed in the same transaction as the change.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::agent::Agent;
use crate::app::Plurum;
use crate::error::{Error, Result};
use crate::experience::{Experience, Metrics, Outcome, VoteType, resolve};
use crate::store;

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

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

impl Plurum {
    /// Records `actor`'s outcome for an experience, replacing any earlier report of theirs.
    pub fn report_outcome(
        &self,
        actor: &Agent,
        id: &str,
        input: OutcomeInput,
    ) -> Result<Feedback<OutcomeReport>> {
        if let Some(ms) = input.execution_time_ms.filter(|ms| *ms < 0) {
            return Err(Error::invalid(
                "execution_time_ms",
                format!("must not be negative, got {ms}"),
            ));
        }
        let env_fingerprint = match input.env_fingerprint {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) if m.is_empty() => None,
            Some(v @ Value::Object(_)) => Some(v),
            Some(_) => return Err(Error::invalid("env_fingerprint", "expected an object")),
        };
        let now = store::now();
        let report = OutcomeReport {
            id: crate::ids::new_uuid(),
            experience_id: String::new(),
            agent_id: actor.id.clone(),
            success: input.success,
            execution_time_ms: input.execution_time_ms,
            error_message: blank_to_none(input.error_message),
            context_notes: blank_to_none(input.context_notes),
            env_fingerprint,
            created_at: now.clone(),
            updated_at: now,
        };
        let payload = json!({
            "error_message": report.error_message, "context_notes": report.context_notes,
            "env_fingerprint": report.env_fingerprint,
        });
        crate::secrets::check(&payload, "")?;
        self.store.write(|tx| {
            let mut e = resolve(tx, actor, id)?;
            let report = tx.upsert_report(&OutcomeReport {
                experience_id: e.id.clone(),
                ..report
            })?;
            e.metrics = tx.recount_feedback(&e.id)?;
            Ok(Feedback {
                record: report,
                experience: e,
            })
        })
    }

    /// Votes as `actor`: a first vote counts, the same vote again withdraws it, the other
    /// vote replaces it.
    pub fn vote(&self, actor: &Agent, id: &str, vote_type: VoteType) -> Result<VoteResult> {
        self.store.write(|tx| {
            let mut e = resolve(tx, actor, id)?;
            let now = store::now();
            let (vote, action) = match tx.vote_of(&e.id, &actor.id)? {
                None => {
                    let vote = Vote {
                        id: crate::ids::new_uuid(),
                        experience_id: e.id.clone(),
                        agent_id: actor.id.clone(),
                        vote_type: Some(vote_type),
                        created_at: now.clone(),
                        updated_at: now,
                    };
                    tx.insert_vote(&vote)?;
                    (vote, VoteAction::Created)
                }
                Some(old) if old.vote_type == Some(vote_type) => {
                    tx.delete_vote(&old.id)?;
                    (
                        Vote {
                            vote_type: None,
                            updated_at: now,
                            ..old
                        },
                        VoteAction::Withdrawn,
                    )
                }
                Some(old) => {
                    tx.change_vote(&old.id, vote_type, &now)?;
                    (
                        Vote {
                            vote_type: Some(vote_type),
                            updated_at: now,
                            ..old
                        },
                        VoteAction::Changed,
                    )
                }
            };
            e.metrics = tx.recount_feedback(&e.id)?;
            Ok(VoteResult {
                vote,
                action,
                experience: e,
            })
        })
    }
}

impl Metrics {
    pub fn rank_factor(&self) -> f64 {
        crate::quality::rank_factor(
            self.success_count,
            self.failure_count,
            self.upvotes,
            self.downvotes,
        )
    }
}
