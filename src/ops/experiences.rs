//! Experiences: create (singly or in bulk), read, list, artifacts, acquire, publish, archive.

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::duplicates::{Created, IfDuplicate};
use crate::model::ids::{new_short_id, new_uuid};
use crate::ops::Plurum;
use crate::ops::duplicates::Probe;
use crate::store;

use crate::model::experience::*;
/// The filters of a list, as the store takes them.
pub use crate::store::ListFilter;

impl Plurum {
    /// Creates experiences authored by `actor`, published unless `draft`. Every item is
    /// secret-scanned before anything is written; then they are embedded in batches of
    /// `BATCH_SIZE` and written in one transaction: all of them, or none (a bulk publish
    /// that fails, on a full disk say, leaves nothing half written). Returned in input order.
    /// `progress` gets the number of items done so far, as they are embedded and written.
    ///
    /// Each item is checked for likely duplicates among what `actor` can see (earlier items
    /// of the same call included) unless `if_duplicate` is `None` (loading a benchmark's
    /// corpus); with [`IfDuplicate::Skip`] an item with one is not stored, and its answer is
    /// the existing experience.
    pub fn create_experiences(
        &self,
        actor: &Agent,
        items: Vec<NewExperience>,
        draft: bool,
        if_duplicate: Option<IfDuplicate>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Created>> {
        let bulk = items.len() > 1;
        for (i, item) in items.iter().enumerate() {
            let root = if bulk {
                format!("[{i}]")
            } else {
                String::new()
            };
            crate::model::text::screen(&content_json(item), &root)?;
        }
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let status = if draft {
            Status::Draft
        } else {
            Status::Published
        };
        // Embedded batch by batch (the model's memory stays bounded), kept until the write.
        let mut vectors: Option<Vec<Vec<f32>>> = Some(Vec::with_capacity(items.len()));
        for (b, batch) in items.chunks(BATCH_SIZE).enumerate() {
            let contents: Vec<&ExperienceContent> = batch.iter().map(|e| &e.content).collect();
            let before = b * BATCH_SIZE;
            match self.embed_contents_with(&contents, &mut |n| progress(before + n))? {
                Some(v) => {
                    if let Some(all) = vectors.as_mut() {
                        all.extend(v);
                    }
                }
                None => vectors = None,
            }
        }
        crate::test_pause::reached("experience-create");
        let created = self.store.write(|tx| {
            let claimed = match &vectors {
                Some(v) => v.len() == items.len() && self.claim_vectors(tx)?,
                None => false,
            };
            let vectors = vectors.as_ref().filter(|_| claimed);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let vector = vectors.as_ref().map(|v| v[i].as_slice());
                let mut probe = Probe {
                    content: &item.content,
                    vector,
                    lesson_vector: None,
                };
                let possible_duplicates = match if_duplicate {
                    Some(_) => self.likely_duplicates(tx, &actor.id, &mut probe, None, true)?,
                    None => Vec::new(),
                };
                if if_duplicate == Some(IfDuplicate::Skip)
                    && let Some(first) = possible_duplicates.first()
                    && let Some(existing) = tx.experience_by_id(&first.id)?
                {
                    out.push(Created {
                        experience: existing,
                        created: false,
                        possible_duplicates,
                    });
                    continue;
                }
                let mut e = new_record(actor, item, status);
                super::with_fresh_short_id(
                    &mut e,
                    |e| &mut e.short_id,
                    |e| tx.insert_experience(e, &item.artifacts, vector),
                )?;
                if let Some(l) = &probe.lesson_vector {
                    tx.set_lesson_vector(e.seq, l)?;
                }
                out.push(Created {
                    experience: e,
                    created: true,
                    possible_duplicates,
                });
            }
            tx.touch_agent(&actor.id, &store::now())?;
            Ok(out)
        })?;
        crate::test_pause::reached("experience-created");
        progress(created.len());
        Ok(created)
    }

    pub fn create_experience(
        &self,
        actor: &Agent,
        item: NewExperience,
        draft: bool,
        if_duplicate: IfDuplicate,
    ) -> Result<Created> {
        let mut out =
            self.create_experiences(actor, vec![item], draft, Some(if_duplicate), &mut |_| {})?;
        Ok(out.remove(0))
    }

    /// Creates an experience under the id the client chose (what `push` sends), or returns
    /// the one already stored under it, so a create retried after a lost answer never makes
    /// a duplicate. The flag says whether it was created now.
    pub fn create_with_id(
        &self,
        actor: &Agent,
        item: NewExperience,
        id: &str,
        draft: bool,
        if_duplicate: IfDuplicate,
    ) -> Result<Created> {
        let id = uuid::Uuid::parse_str(id)
            .map_err(|_| Error::invalid("id", format!("{id:?} is not a UUID")))?
            .to_string();
        let existing = |tx: &dyn crate::store::Tx| -> Result<Option<Experience>> {
            match tx.experience_by_id(&id)? {
                Some(e) if e.agent_id == actor.id => Ok(Some(e)),
                Some(_) => Err(Error::Conflict(format!(
                    "Experience {id} already exists and belongs to another agent"
                ))),
                None => Ok(None),
            }
        };
        // A create retried with its id answers as the first one did: created (by it).
        let again = |experience| Created {
            experience,
            created: true,
            possible_duplicates: Vec::new(),
        };
        if let Some(e) = self.store.read(|tx| existing(tx))? {
            return Ok(again(e));
        }
        crate::model::text::screen(&content_json(&item), "")?;
        let vectors = self.embed_contents(&[&item.content])?;
        let status = if draft {
            Status::Draft
        } else {
            Status::Published
        };
        crate::test_pause::reached("experience-create");
        let created = self.store.write(|tx| {
            // Another request with the same id may have won the race meanwhile.
            if let Some(e) = existing(tx)? {
                return Ok(again(e));
            }
            let vector = match &vectors {
                Some(v) if self.claim_vectors(tx)? => Some(v[0].as_slice()),
                _ => None,
            };
            let mut probe = Probe {
                content: &item.content,
                vector,
                lesson_vector: None,
            };
            let possible_duplicates =
                self.likely_duplicates(tx, &actor.id, &mut probe, None, true)?;
            if if_duplicate == IfDuplicate::Skip
                && let Some(first) = possible_duplicates.first()
                && let Some(experience) = tx.experience_by_id(&first.id)?
            {
                return Ok(Created {
                    experience,
                    created: false,
                    possible_duplicates,
                });
            }
            let mut e = new_record(actor, &item, status);
            e.id = id.clone();
            if let Err(err) = super::with_fresh_short_id(
                &mut e,
                |e| &mut e.short_id,
                |e| tx.insert_experience(e, &item.artifacts, vector),
            ) {
                // On a store where writers run side by side (Postgres), the other request
                // may have committed between the check above and this insert: answer with
                // what it stored, as the check would have.
                return match (err, existing(tx)?) {
                    (Error::Conflict(_), Some(e)) => Ok(again(e)),
                    (err, _) => Err(err),
                };
            }
            if let Some(l) = &probe.lesson_vector {
                tx.set_lesson_vector(e.seq, l)?;
            }
            tx.touch_agent(&actor.id, &store::now())?;
            Ok(Created {
                experience: e,
                created: true,
                possible_duplicates,
            })
        })?;
        crate::test_pause::reached("experience-created");
        Ok(created)
    }

    /// The experience `id` names, if `viewer` may read it.
    pub fn experience(&self, viewer: &Agent, id: &str) -> Result<Experience> {
        self.store.read(|tx| resolve_with_merged(tx, viewer, id))
    }

    pub fn list_experiences(&self, filter: &ListFilter) -> Result<Page<Experience>> {
        crate::model::limits::PAGE_SIZE.check("limit", filter.limit)?;
        if filter.offset < 0 {
            return Err(Error::invalid("offset", "must not be negative"));
        }
        crate::model::text::check(
            &serde_json::json!({"domain": filter.domain, "tags": filter.tags}),
            "",
        )?;
        let (items, total) = self.store.read(|tx| tx.list_experiences(filter))?;
        Ok(Page {
            items,
            total,
            limit: filter.limit,
            offset: filter.offset,
        })
    }

    /// An experience with its artifacts' code.
    pub fn experience_with_artifacts(
        &self,
        viewer: &Agent,
        id: &str,
    ) -> Result<(Experience, Vec<Artifact>)> {
        self.store.read(|tx| {
            let e = resolve_with_merged(tx, viewer, id)?;
            let artifacts = tx.artifacts(&e.id)?;
            Ok((e, artifacts))
        })
    }

    /// One artifact, code included (`index` counts from 0).
    pub fn artifact(
        &self,
        viewer: &Agent,
        id: &str,
        index: usize,
    ) -> Result<(Experience, Artifact)> {
        self.store.read(|tx| {
            let e = resolve(tx, viewer, id)?;
            match tx.artifact(&e.id, index)? {
                Some(a) => Ok((e, a)),
                None if e.artifacts.is_empty() => Err(Error::not_found(
                    "Artifact",
                    format!("{} has no artifacts", e.short_id),
                )),
                None => Err(Error::not_found(
                    "Artifact",
                    format!(
                        "{} has artifacts 0-{}, not {index}",
                        e.short_id,
                        e.artifacts.len() - 1
                    ),
                )),
            }
        })
    }

    /// An experience compressed for an agent to act on (reference §3.2 acquire).
    pub fn acquire(&self, viewer: &Agent, id: &str, mode: AcquireMode) -> Result<Acquired> {
        let (experience, artifacts) = self.experience_with_artifacts(viewer, id)?;
        let content = views::acquire_content(&experience, mode);
        Ok(Acquired {
            experience,
            artifacts,
            content,
        })
    }

    /// Publishes a draft (owner only). The stored draft is secret-scanned again first.
    pub fn publish_draft(&self, actor: &Agent, id: &str) -> Result<Experience> {
        self.store.write(|tx| {
            let mut e = resolve(tx, actor, id)?;
            if e.agent_id != actor.id {
                return Err(Error::Forbidden("You don't own this experience".into()));
            }
            if e.status != Status::Draft {
                return Err(Error::StateConflict(format!(
                    "Can only publish draft experiences, current status: {}",
                    e.status
                )));
            }
            let artifacts = tx.artifacts(&e.id)?;
            let stored = NewExperience {
                content: e.content.clone(),
                artifacts,
            };
            crate::model::text::screen(&content_json(&stored), "")?;
            tx.set_experience_status(&e.id, Status::Published)?;
            e.status = Status::Published;
            Ok(e)
        })
    }

    /// Archives an experience (owner only); archiving twice changes nothing.
    pub fn archive(&self, actor: &Agent, id: &str) -> Result<Experience> {
        self.store.write(|tx| {
            let mut e = resolve(tx, actor, id)?;
            if e.agent_id != actor.id {
                return Err(Error::Forbidden("You don't own this experience".into()));
            }
            if e.status != Status::Archived {
                tx.set_experience_status(&e.id, Status::Archived)?;
                e.status = Status::Archived;
            }
            Ok(e)
        })
    }
}

/// A fresh stored record for a new experience: new ids, zero metrics, now (public for the
/// benches and tests that write records straight through the store).
pub fn new_record(actor: &Agent, item: &NewExperience, status: Status) -> Experience {
    let now = store::now();
    Experience {
        seq: 0,
        id: new_uuid(),
        short_id: new_short_id(),
        session_id: None,
        agent_id: actor.id.clone(),
        content: item.content.clone(),
        artifacts: item
            .artifacts
            .iter()
            .enumerate()
            .map(|(i, a)| ArtifactMeta::of(i, a))
            .collect(),
        status,
        metrics: Metrics::default(),
        origin: None,
        created_at: now.clone(),
        updated_at: now,
        merged_into: None,
    }
}

/// Finds the experience an identifier names among those `viewer` may read: a UUID, a short
/// id, or an unambiguous short-id prefix of 4+ characters. Others' unreadable experiences
/// are reported as not found, never as forbidden, so their existence does not leak.
pub(crate) fn resolve(conn: &dyn crate::store::Tx, viewer: &Agent, id: &str) -> Result<Experience> {
    crate::model::ids::resolve(
        id,
        EXPERIENCE,
        |idref| {
            Ok(conn
                .experiences_named(idref)?
                .into_iter()
                .filter(|e| e.readable_by(&viewer.id))
                .collect())
        },
        |e| e.short_id.as_str(),
    )
}

/// [`resolve`], also finding experiences merged into another (`plurum merge`) that were
/// public, and following them to the one that holds their lesson now: where feedback sent
/// to a merged experience's id lands.
pub(crate) fn resolve_following_merges(
    conn: &dyn crate::store::Tx,
    viewer: &Agent,
    id: &str,
) -> Result<Experience> {
    let e = resolve_with_merged(conn, viewer, id)?;
    let target = follow_merges(conn, e)?;
    if !target.readable_by(&viewer.id) {
        return Err(Error::not_found("Experience", id.to_string()));
    }
    Ok(target)
}

/// Follows `merged_into` from an experience to the one that holds its lesson now (a chain
/// when a kept experience was itself merged later).
fn follow_merges(conn: &dyn crate::store::Tx, mut e: Experience) -> Result<Experience> {
    for _ in 0..16 {
        let Some(next) = e.merged_into.clone() else {
            return Ok(e);
        };
        e = conn
            .experience_by_id(&next)?
            .ok_or_else(|| Error::not_found("Experience", next))?;
    }
    Ok(e)
}

/// [`resolve`], also finding public experiences merged into another (what `show` of a
/// merged experience's id answers with: the archived record, saying where it went).
pub(crate) fn resolve_with_merged(
    conn: &dyn crate::store::Tx,
    viewer: &Agent,
    id: &str,
) -> Result<Experience> {
    crate::model::ids::resolve(
        id,
        EXPERIENCE,
        |idref| {
            Ok(conn
                .experiences_named(idref)?
                .into_iter()
                .filter(|e| {
                    e.readable_by(&viewer.id)
                        || (e.merged_into.is_some() && e.content.visibility == Visibility::Public)
                })
                .collect())
        },
        |e| e.short_id.as_str(),
    )
}

/// How identifiers of experiences are named in messages.
const EXPERIENCE: crate::model::ids::Named = crate::model::ids::Named {
    noun: "an experience",
    plural: "experiences",
    resource: "Experience",
    field: "id",
};
