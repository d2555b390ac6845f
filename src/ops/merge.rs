//! `plurum merge KEEP OTHER...`: folds near-duplicates into one experience, in one
//! transaction, losing nobody's evidence. The rules of what moves are `model::merge`.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::views::{embedding_text, lesson_text};
use crate::model::experience::{Experience, Status, Visibility};
use crate::model::merge::{self, Added, Winner};
use crate::ops::Plurum;
use crate::ops::embedding::VectorStatus;
use crate::ops::feedback::recount;
use crate::store::{self, Tx};

/// The most experiences one merge folds in.
pub const MAX_OTHERS: usize = 100;

/// Who may merge: on a server, only the owner of every experience involved; locally, the
/// acting agent must own the kept one (the others may be anyone's, pulled from a remote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRights {
    OwnerOfAll,
    OwnerOfKept,
}

/// What a merge did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    /// The kept experience, as it is after the merge.
    #[serde(skip)]
    pub keep: Experience,
    /// The experiences folded in (archived, `merged_into` the kept one).
    #[serde(skip)]
    pub others: Vec<Experience>,
    pub added: Added,
    pub moved: FeedbackMoves,
    pub dry_run: bool,
}

/// Outcome reports and votes a merge moved to the kept experience, and those it dropped
/// because the same agent's other one stands (the later report; one vote per agent).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FeedbackMoves {
    pub outcome_reports: usize,
    pub votes: usize,
    pub outcome_reports_superseded: usize,
    pub votes_superseded: usize,
}

impl Plurum {
    /// Folds each of `others` into `keep`: lessons and artifacts `keep` lacks are added,
    /// outcome reports and votes move under the one-per-agent rules, counters are
    /// recounted, and each other is archived with `merged_into`. All in one transaction.
    /// With `dry_run`, the same is worked out and rolled back.
    pub fn merge(
        &self,
        actor: &Agent,
        keep: &str,
        others: &[String],
        rights: MergeRights,
        dry_run: bool,
    ) -> Result<Merged> {
        if others.is_empty() {
            return Err(Error::invalid(
                "others",
                "name at least one experience to merge",
            ));
        }
        if others.len() > MAX_OTHERS {
            return Err(Error::invalid(
                "others",
                format!(
                    "at most {MAX_OTHERS} experiences in one merge, got {}",
                    others.len()
                ),
            ));
        }
        if dry_run {
            // Worked out and counted on one snapshot; nothing is written.
            return self.store.read(|tx| {
                let planned = plan(tx, actor, keep, others, rights)?;
                let mut moved = FeedbackMoves::default();
                for o in &planned.others {
                    count_moves(tx, &planned.keep.id, &o.id, &mut moved)?;
                }
                Ok(Merged {
                    keep: planned.keep,
                    others: planned.others,
                    added: planned.added,
                    moved,
                    dry_run: true,
                })
            });
        }
        // The kept experience's new texts are embedded before the write (the model must not
        // run while the store is locked); the write checks they are still what it makes.
        let preview = self
            .store
            .read(|tx| plan(tx, actor, keep, others, rights))?;
        let vectors = if preview.added.any() {
            self.embed_merged(&preview.keep)?
        } else {
            None
        };
        crate::test_pause::reached("merge-start");
        self.store.write(|tx| {
            let mut planned = plan(tx, actor, keep, others, rights)?;
            let now = store::now();
            let k = &mut planned.keep;
            if planned.added.any() {
                k.updated_at = now.clone();
                let before = tx
                    .experience_by_id(&k.id)?
                    .ok_or_else(|| Error::not_found("Experience", k.id.clone()))?;
                tx.rewrite_lessons(k, &before.content, &planned.new_code)?;
                match &vectors {
                    Some((text, whole, lesson)) if *text == embedding_text(&k.content) => {
                        tx.set_experience_vector(k.seq, whole)?;
                        match lesson {
                            Some(l) => tx.set_lesson_vector(k.seq, l)?,
                            None => tx.clear_lesson_vector(k.seq)?,
                        }
                    }
                    _ => tx.clear_lesson_vector(k.seq)?,
                }
            }
            let mut moved = FeedbackMoves::default();
            for o in &planned.others {
                move_feedback(tx, &k.id, &o.id, &mut moved)?;
                crate::test_pause::reached("merge-midway");
                tx.mark_merged(&o.id, &k.id, &now)?;
                recount(tx, &o.id)?;
            }
            k.metrics = recount(tx, &k.id)?;
            tx.touch_agent(&actor.id, &now)?;
            let others = planned
                .others
                .iter()
                .map(|o| tx.experience_by_id(&o.id))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
            Ok(Merged {
                keep: planned.keep.clone(),
                others,
                added: planned.added,
                moved,
                dry_run: false,
            })
        })
    }

    /// The kept experience's new whole-text and fix vectors, with the text they are of.
    fn embed_merged(&self, keep: &Experience) -> Result<Option<MergedVectors>> {
        let VectorStatus::Ready(embedder) = self.vector_status()? else {
            return Ok(None);
        };
        let text = embedding_text(&keep.content);
        let mut texts = vec![text.as_str()];
        let lesson_text = lesson_text(&keep.content);
        texts.extend(lesson_text.as_deref());
        // An endpoint that cannot answer now: the merge goes on, and `reindex` adds vectors.
        let Ok(mut made) = self
            .embedding
            .soften(embedder.embed_documents(&texts, &mut |_| {}))?
        else {
            return Ok(None);
        };
        let lesson = lesson_text.and_then(|_| made.pop());
        let whole = made.pop().expect("one vector per text");
        Ok(Some((text, whole, lesson)))
    }
}

type MergedVectors = (String, Vec<f32>, Option<Vec<f32>>);

/// A merge worked out on a transaction: the kept experience with the others' lessons
/// folded in, the artifacts' code to add, and the others.
#[derive(Debug, Clone)]
pub struct Planned {
    keep: Experience,
    new_code: Vec<crate::model::experience::Artifact>,
    others: Vec<Experience>,
    added: Added,
}

fn plan(
    tx: &dyn Tx,
    actor: &Agent,
    keep: &str,
    others: &[String],
    rights: MergeRights,
) -> Result<Planned> {
    let mut k = crate::ops::experiences::resolve(tx, actor, keep)?;
    if k.agent_id != actor.id {
        return Err(Error::Forbidden(format!(
            "you don't own {}: merge into an experience of yours",
            k.short_id
        )));
    }
    if let Some(into) = &k.merged_into {
        return Err(Error::StateConflict(format!(
            "{} was itself merged into {into}: merge into that one",
            k.short_id
        )));
    }
    if k.status == Status::Archived {
        return Err(Error::StateConflict(format!(
            "{} is archived: merge into a live experience",
            k.short_id
        )));
    }
    let keep_code = tx.artifacts(&k.id)?;
    let mut all_code = keep_code.clone();
    let mut new_code = Vec::new();
    let mut folded: Vec<Experience> = Vec::new();
    let mut added = Added::default();
    for name in others {
        let o = crate::ops::experiences::resolve(tx, actor, name)?;
        if o.id == k.id {
            return Err(Error::invalid(
                "others",
                format!(
                    "{} is the experience kept; it cannot be merged into itself",
                    o.short_id
                ),
            ));
        }
        if folded.iter().any(|f| f.id == o.id) {
            return Err(Error::invalid(
                "others",
                format!("{} is named twice", o.short_id),
            ));
        }
        if let Some(into) = &o.merged_into {
            return Err(Error::StateConflict(format!(
                "{} was already merged into {into}",
                o.short_id
            )));
        }
        if rights == MergeRights::OwnerOfAll && o.agent_id != actor.id {
            return Err(Error::Forbidden(format!(
                "you don't own {}: on a server only the owner of both may merge",
                o.short_id
            )));
        }
        if o.content.visibility != Visibility::Public && o.agent_id != actor.id {
            return Err(Error::not_found("Experience", name.clone()));
        }
        let code = tx.artifacts(&o.id)?;
        let (a, fresh) = merge::fold_lessons(&mut k, &all_code, &o.content, &code);
        added += a;
        all_code.extend(fresh.iter().cloned());
        new_code.extend(fresh);
        folded.push(o);
    }
    Ok(Planned {
        keep: k,
        new_code,
        others: folded,
        added,
    })
}

/// Moves the reports and votes on `other` to `keep`, one of each per agent.
fn move_feedback(tx: &dyn Tx, keep: &str, other: &str, moved: &mut FeedbackMoves) -> Result<()> {
    tx.lock_experience(keep)?;
    tx.lock_experience(other)?;
    let (kept_reports, kept_votes) = tx.feedback_on(keep)?;
    let (reports, votes) = tx.feedback_on(other)?;
    for r in reports {
        match kept_reports.iter().find(|k| k.agent_id == r.agent_id) {
            None => {
                tx.move_report(&r.id, keep)?;
                moved.outcome_reports += 1;
            }
            Some(k) => {
                moved.outcome_reports_superseded += 1;
                if merge::later_wins(&k.updated_at, &r.updated_at) == Winner::Other {
                    tx.delete_report(&k.id)?;
                    tx.move_report(&r.id, keep)?;
                } else {
                    tx.delete_report(&r.id)?;
                }
            }
        }
    }
    for v in votes {
        let Some(vote_type) = v.vote_type else {
            continue;
        };
        match kept_votes.iter().find(|k| k.agent_id == v.agent_id) {
            Some(k) if k.vote_type.is_some() => {
                moved.votes_superseded += 1;
                let kept = (k.vote_type.unwrap_or(vote_type), k.updated_at.as_str());
                if merge::vote_wins(kept, (vote_type, &v.updated_at)) == Winner::Other {
                    tx.delete_vote(&k.id)?;
                    tx.move_vote(&v.id, keep)?;
                } else {
                    tx.delete_vote(&v.id)?;
                }
            }
            _ => {
                tx.move_vote(&v.id, keep)?;
                moved.votes += 1;
            }
        }
    }
    Ok(())
}

/// [`move_feedback`]'s counts, without moving anything (a dry run).
fn count_moves(tx: &dyn Tx, keep: &str, other: &str, moved: &mut FeedbackMoves) -> Result<()> {
    let (kept_reports, kept_votes) = tx.feedback_on(keep)?;
    let (reports, votes) = tx.feedback_on(other)?;
    for r in reports {
        if kept_reports.iter().any(|k| k.agent_id == r.agent_id) {
            moved.outcome_reports_superseded += 1;
        } else {
            moved.outcome_reports += 1;
        }
    }
    for v in votes.iter().filter(|v| v.vote_type.is_some()) {
        if kept_votes.iter().any(|k| k.agent_id == v.agent_id) {
            moved.votes_superseded += 1;
        } else {
            moved.votes += 1;
        }
    }
    Ok(())
}
