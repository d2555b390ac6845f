//! Outcome reports and votes: recorded, and the experience's counters recounted.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::{Metrics, VoteType};
use crate::model::feedback::*;
use crate::ops::Plurum;
use crate::ops::experiences::resolve_following_merges as resolve;
use crate::store;

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
            id: crate::model::ids::new_uuid(),
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
        crate::model::text::screen(&payload, "")?;
        // Feedback on one experience is where concurrent writers meet: the store may run
        // this again after a conflict (see Store::write_retrying).
        self.store.write_retrying(|tx| {
            let mut e = resolve(tx, actor, id)?;
            let report = tx.upsert_report(&OutcomeReport {
                experience_id: e.id.clone(),
                ..report.clone()
            })?;
            e.metrics = recount(tx, &e.id)?;
            Ok(Feedback {
                record: report,
                experience: e,
            })
        })
    }

    /// Votes as `actor`: a first vote counts, the same vote again withdraws it, the other
    /// vote replaces it.
    pub fn vote(&self, actor: &Agent, id: &str, vote_type: VoteType) -> Result<VoteResult> {
        self.store.write_retrying(|tx| {
            let mut e = resolve(tx, actor, id)?;
            // What this vote does depends on the agent's vote before it: read that under the
            // experience's lock, so the same vote sent through two servers at once is a
            // vote and its withdrawal, in some order, as it is on one.
            tx.lock_experience(&e.id)?;
            let now = store::now();
            let (vote, action) = match tx.vote_of(&e.id, &actor.id)? {
                None => {
                    let vote = Vote {
                        id: crate::model::ids::new_uuid(),
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
            e.metrics = recount(tx, &e.id)?;
            Ok(VoteResult {
                vote,
                action,
                experience: e,
            })
        })
    }
}

/// Recounts an experience's reports and votes from scratch (this store's, plus the rest of
/// any collective it is shared with, which each link to a remote carries) and stores the
/// counters and the quality score derived from them (reference §4.5-4.7). Under the
/// experience's lock, so that writers recounting the same experience take turns.
pub(crate) fn recount(tx: &dyn store::Tx, experience_id: &str) -> Result<Metrics> {
    tx.lock_experience(experience_id)?;
    let counts = tx
        .sync_rows_of(experience_id)?
        .iter()
        .fold(tx.feedback_counts(experience_id)?, |sum, link| {
            sum + link.others_feedback()
        });
    let metrics = Metrics::from_counts(counts.success, counts.failure, counts.up, counts.down);
    tx.set_experience_metrics(experience_id, &metrics)?;
    Ok(metrics)
}
