//! `plurum export` / `plurum import`: everything in the store as JSON Lines, one record a
//! line, tagged by `type`. The same serde types write and read each line, so a round trip
//! is lossless by construction; import is idempotent by id.

use std::collections::HashSet;
use std::io::{BufRead, Write};

use crate::ops::Location;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::{
    Artifact, ArtifactMeta, Attempt, BATCH_SIZE, Breakthrough, ContextStructured, DeadEnd,
    Experience, ExperienceContent, Gotcha, Metrics, NewExperience, Outcome, Status, Visibility,
    content_json,
};
use crate::model::feedback::{OutcomeReport, Vote};
use crate::model::session::{Contribution, Entry, InboxEvent, Session};
use crate::ops::Plurum;
use crate::ops::embedding::{META_DIM, META_MODEL, claim_model};
use crate::store;

pub const EXPORT_FORMAT: &str = "plurum-export";
pub const EXPORT_VERSION: u32 = 1;

/// One line of an export.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Line {
    Header(Header),
    Agent(Agent),
    Experience(Box<ExperienceLine>),
    OutcomeReport(OutcomeReport),
    Vote(Vote),
    Session(Session),
    SessionEntry(Entry),
    SessionContribution(Contribution),
    InboxEvent(InboxEvent),
    SyncLink(crate::store::SyncRow),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub schema_version: i64,
    pub exported_at: String,
}

/// An experience as exported: the record fields plus its content in the API's request
/// shape, artifacts with their code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExperienceLine {
    pub id: String,
    pub short_id: String,
    pub session_id: Option<String>,
    pub agent_id: String,
    pub goal: String,
    pub domain: Option<String>,
    pub tools_used: Vec<String>,
    pub dead_ends: Vec<DeadEnd>,
    pub breakthroughs: Vec<Breakthrough>,
    pub gotchas: Vec<Gotcha>,
    pub context: Option<String>,
    pub artifacts: Vec<Artifact>,
    pub attempts: Vec<Attempt>,
    pub solution: Option<String>,
    pub tags: Vec<String>,
    pub confidence: Option<f64>,
    pub context_structured: Option<ContextStructured>,
    pub outcome: Option<Outcome>,
    pub visibility: Visibility,
    pub status: Status,
    #[serde(flatten)]
    pub metrics: Metrics,
    pub origin: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Set on an experience `plurum merge` archived into another (absent otherwise, and in
    /// exports older than merges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

impl ExperienceLine {
    fn of(e: Experience, artifacts: Vec<Artifact>) -> ExperienceLine {
        let c = e.content;
        ExperienceLine {
            id: e.id,
            short_id: e.short_id,
            session_id: e.session_id,
            agent_id: e.agent_id,
            goal: c.goal,
            domain: c.domain,
            tools_used: c.tools_used,
            dead_ends: c.dead_ends,
            breakthroughs: c.breakthroughs,
            gotchas: c.gotchas,
            context: c.context,
            artifacts,
            attempts: c.attempts,
            solution: c.solution,
            tags: c.tags,
            confidence: c.confidence,
            context_structured: c.context_structured,
            outcome: c.outcome,
            visibility: c.visibility,
            status: e.status,
            metrics: e.metrics,
            origin: e.origin,
            created_at: e.created_at,
            updated_at: e.updated_at,
            merged_into: e.merged_into,
        }
    }

    fn into_record(self) -> (Experience, Vec<Artifact>) {
        let content = ExperienceContent {
            goal: self.goal,
            domain: self.domain,
            tools_used: self.tools_used,
            dead_ends: self.dead_ends,
            breakthroughs: self.breakthroughs,
            gotchas: self.gotchas,
            context: self.context,
            attempts: self.attempts,
            solution: self.solution,
            tags: self.tags,
            confidence: self.confidence,
            context_structured: self.context_structured,
            outcome: self.outcome,
            visibility: self.visibility,
        };
        let artifacts_meta = self
            .artifacts
            .iter()
            .enumerate()
            .map(|(i, a)| ArtifactMeta::of(i, a))
            .collect();
        let e = Experience {
            seq: 0,
            id: self.id,
            short_id: self.short_id,
            session_id: self.session_id,
            agent_id: self.agent_id,
            content,
            artifacts: artifacts_meta,
            status: self.status,
            metrics: self.metrics,
            origin: self.origin,
            created_at: self.created_at,
            updated_at: self.updated_at,
            merged_into: self.merged_into,
        };
        (e, self.artifacts)
    }
}

/// Counts of what an export wrote or an import added and skipped.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub agents: usize,
    pub experiences: usize,
    pub outcome_reports: usize,
    pub votes: usize,
    pub sessions: usize,
    pub session_entries: usize,
    pub session_contributions: usize,
    pub inbox_events: usize,
    pub sync_links: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub added: Counts,
    /// Records already in the store (same id), left as they were.
    pub skipped: Counts,
    /// Agents whose username was taken by a different agent here, renamed on the way in.
    pub renamed_agents: Vec<String>,
    /// Experiences added without a vector (no model to embed them, or vectors of another
    /// model than the store's): found by keyword until a reindex gives them one.
    pub without_vector: usize,
    /// Records whose text held control characters plurum no longer takes (written before
    /// the rule): carried with each replaced by U+FFFD, named here ("experience ID: goal").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub control_characters_replaced: Vec<String>,
    /// Records carried although they hold what looks like a credential of a format the
    /// secret scan added after they were stored (see `model::secrets::carried_note`), one
    /// line each: "line 12 (experience ab12cd34): carried although it holds what looks like
    /// a github fine-grained token; nothing new can be published with it".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// How many of the new experiences likely duplicate one already there (counted, not
    /// listed: `plurum duplicates` lists them); absent when nothing new came in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likely_duplicates: Option<crate::ops::duplicates::DuplicateCount>,
    /// The new experiences' seqs, for that count.
    #[serde(skip)]
    pub(crate) new_seqs: Vec<i64>,
}

fn write_line(out: &mut dyn Write, line: &Line) -> Result<()> {
    serde_json::to_writer(&mut *out, line).map_err(|e| {
        if e.is_io() {
            // Keep the kind: the CLI ends quietly when the reader went away (broken pipe).
            Error::Io(e.into())
        } else {
            Error::other(format!("export: {e}"))
        }
    })?;
    out.write_all(b"\n")?;
    Ok(())
}

impl Plurum {
    /// Writes every record in the store, from one consistent snapshot.
    pub fn export(&self, out: &mut dyn Write) -> Result<Counts> {
        self.store.read(|tx| {
            let mut counts = Counts::default();
            write_line(
                out,
                &Line::Header(Header {
                    format: EXPORT_FORMAT.into(),
                    version: EXPORT_VERSION,
                    schema_version: store::SCHEMA_VERSION,
                    exported_at: store::now(),
                }),
            )?;
            for agent in tx.agents()? {
                write_line(out, &Line::Agent(agent))?;
                counts.agents += 1;
            }
            tx.each_session(&mut |s| {
                counts.sessions += 1;
                write_line(out, &Line::Session(s))
            })?;
            tx.each_experience(&mut |e| {
                let artifacts = tx.artifacts(&e.id)?;
                counts.experiences += 1;
                write_line(
                    out,
                    &Line::Experience(Box::new(ExperienceLine::of(e, artifacts))),
                )
            })?;
            tx.each_report(&mut |r| {
                counts.outcome_reports += 1;
                write_line(out, &Line::OutcomeReport(r))
            })?;
            tx.each_vote(&mut |v| {
                counts.votes += 1;
                write_line(out, &Line::Vote(v))
            })?;
            tx.each_entry(&mut |e| {
                counts.session_entries += 1;
                write_line(out, &Line::SessionEntry(e))
            })?;
            tx.each_contribution(&mut |c| {
                counts.session_contributions += 1;
                write_line(out, &Line::SessionContribution(c))
            })?;
            tx.each_event(&mut |e| {
                counts.inbox_events += 1;
                write_line(out, &Line::InboxEvent(e))
            })?;
            tx.each_sync_row(&mut |l| {
                counts.sync_links += 1;
                write_line(out, &Line::SyncLink(l))
            })?;
            out.flush()?;
            Ok(counts)
        })
    }

    /// Reads an export. Every line is parsed and checked before anything is written; then
    /// records whose id is already here are skipped, the rest added (experiences embedded
    /// and written in batches). Running it twice adds nothing the second time.
    ///
    /// The input is read twice, so memory stays bounded whatever its size: the first pass
    /// checks every line and keeps what is small (agents, sessions, reports, votes, and the
    /// experiences' ids), the second writes the experiences a batch at a time. A stream is
    /// spooled to a temporary file for that; [`Plurum::import_file`] reads a file in place.
    pub fn import(
        &self,
        input: &mut dyn BufRead,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        let mut spool = tempfile::tempfile()?;
        std::io::copy(input, &mut spool)?;
        self.import_reusing(spool, progress, None)
    }

    /// `import` of the file at `path`: read where it is when it is a regular file (no copy
    /// of a large export on a disk that may not hold two), spooled when it is a pipe.
    pub fn import_file(
        &self,
        path: &std::path::Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
        if file.metadata()?.is_file() {
            self.import_reusing(file, progress, None)
        } else {
            self.import(&mut std::io::BufReader::new(file), progress)
        }
    }

    /// `import` of a file that can be read twice, taking the vectors of experiences from
    /// `known` where it has them (made by its model from the same text) instead of
    /// embedding them again.
    fn import_reusing(
        &self,
        mut file: std::fs::File,
        progress: &mut dyn FnMut(usize, usize),
        known: Option<&KnownVectors>,
    ) -> Result<ImportSummary> {
        use std::io::Seek;
        file.rewind()?;
        let mut replaced = Vec::new();
        let mut held = Held::default();
        each_line(
            &mut std::io::BufReader::new(&mut file),
            Some(&mut replaced),
            &mut |n, line| {
                match line {
                    Line::Header(h) => {
                        if h.format != EXPORT_FORMAT || h.version > EXPORT_VERSION {
                            return Err(Error::invalid(
                                format!("line {n}"),
                                format!(
                                    "not a plurum export this version can read (format {:?}, version {})",
                                    h.format, h.version
                                ),
                            ));
                        }
                    }
                    Line::Agent(a) => held.agents.push((n, a)),
                    Line::Experience(e) => {
                        if let Some(note) = check_experience(n, &e)? {
                            held.carried.push((n, note));
                        }
                        held.experience_agents
                            .entry(e.agent_id.clone())
                            .or_insert(n);
                        if let Some(sid) = &e.session_id {
                            held.experience_sessions.entry(sid.clone()).or_insert(n);
                        }
                        held.experience_ids.insert(e.id);
                        held.experiences += 1;
                    }
                    Line::OutcomeReport(r) => held.reports.push((n, r)),
                    Line::Vote(v) => held.votes.push((n, v)),
                    Line::Session(x) => held.journal.sessions.push((n, x)),
                    Line::SessionEntry(x) => held.journal.entries.push((n, x)),
                    Line::SessionContribution(x) => held.journal.contributions.push((n, x)),
                    Line::InboxEvent(x) => held.journal.events.push((n, x)),
                    Line::SyncLink(x) => held.journal.links.push((n, x)),
                }
                Ok(())
            },
        )?;
        let mut carried = self.check_import(&held)?;
        let Held {
            agents,
            reports,
            votes,
            journal,
            experiences: total,
            carried: carried_experiences,
            ..
        } = held;
        carried.extend(carried_experiences);
        carried.sort_by_key(|(n, _)| *n);

        let mut summary = ImportSummary {
            control_characters_replaced: replaced,
            warnings: carried.into_iter().map(|(_, note)| note).collect(),
            ..ImportSummary::default()
        };
        // Agents first: everything else refers to them. Same id: skip; same username but a
        // different id (another machine's `local`): rename and keep the id.
        self.store.write(|tx| {
            for (_, mut a) in agents {
                if tx.agent_by_id(&a.id)?.is_some() {
                    summary.skipped.agents += 1;
                } else {
                    if tx.agent_by_username(&a.username)?.is_some() {
                        let renamed = format!("{}-{}", a.username, &a.id[..4]);
                        summary
                            .renamed_agents
                            .push(format!("{} -> {renamed}", a.username));
                        a.username = renamed;
                    }
                    tx.insert_agent(&a)?;
                    summary.added.agents += 1;
                }
            }
            Ok(())
        })?;

        // Sessions next: experiences assembled from them refer to them.
        self.store.write(|tx| {
            for (_, session) in &journal.sessions {
                if tx.session_by_id(&session.id)?.is_some() {
                    summary.skipped.sessions += 1;
                } else {
                    super::with_fresh_short_id(
                        &mut session.clone(),
                        |s| &mut s.short_id,
                        |s| tx.insert_session(s),
                    )?;
                    summary.added.sessions += 1;
                }
            }
            Ok(())
        })?;

        progress(0, total);
        let mut done = 0;
        // The second pass: the experiences, a batch at a time.
        let mut batch = Vec::with_capacity(BATCH_SIZE);
        file.rewind()?;
        each_line(
            &mut std::io::BufReader::new(&mut file),
            None,
            &mut |_, line| {
                if let Line::Experience(e) = line {
                    batch.push(*e);
                    if batch.len() == BATCH_SIZE {
                        self.import_batch(&batch, known, &mut summary, &mut done, total, progress)?;
                        batch.clear();
                    }
                }
                Ok(())
            },
        )?;
        if !batch.is_empty() {
            self.import_batch(&batch, known, &mut summary, &mut done, total, progress)?;
        }

        // Reports and votes, then recount what they touched (local experiences only: a
        // pulled experience's counters are the remote's).
        self.store
            .write(|tx| {
                let mut touched = HashSet::new();
                for (_, r) in &reports {
                    if tx.insert_report_if_new(r)? {
                        summary.added.outcome_reports += 1;
                        touched.insert(r.experience_id.clone());
                    } else {
                        summary.skipped.outcome_reports += 1;
                    }
                }
                for (_, v) in &votes {
                    if tx.insert_vote(v)? {
                        summary.added.votes += 1;
                        touched.insert(v.experience_id.clone());
                    } else {
                        summary.skipped.votes += 1;
                    }
                }
                for (_, e) in &journal.entries {
                    let added = tx.insert_entry(e)?;
                    count(
                        &mut summary.added.session_entries,
                        &mut summary.skipped.session_entries,
                        added,
                    );
                }
                for (_, c) in &journal.contributions {
                    let added = tx.insert_contribution(c)?;
                    count(
                        &mut summary.added.session_contributions,
                        &mut summary.skipped.session_contributions,
                        added,
                    );
                }
                for (_, e) in &journal.events {
                    let added = tx.insert_event(e)?;
                    count(
                        &mut summary.added.inbox_events,
                        &mut summary.skipped.inbox_events,
                        added,
                    );
                }
                for (_, l) in &journal.links {
                    if tx.experience_by_id(&l.experience_id)?.is_some() {
                        let added = tx.insert_sync_row_if_new(l)?;
                        count(
                            &mut summary.added.sync_links,
                            &mut summary.skipped.sync_links,
                            added,
                        );
                        if added {
                            touched.insert(l.experience_id.clone());
                        }
                    }
                }
                for id in touched {
                    super::feedback::recount(tx, &id)?;
                }
                Ok(())
            })
            .map_err(|e| kept_before(e, &summary, total))?;
        self.embed_session_topics()?;
        summary.likely_duplicates =
            self.count_likely_duplicates(&std::mem::take(&mut summary.new_seqs))?;
        Ok(summary)
    }

    /// Writes one batch of an import's experiences in a transaction of its own (those
    /// already here skipped), counting into `summary` and `done`. An import that fails
    /// part-way keeps the batches before it, so the error says so rather than the store's
    /// "nothing was written".
    fn import_batch(
        &self,
        batch: &[ExperienceLine],
        known: Option<&KnownVectors>,
        summary: &mut ImportSummary,
        done: &mut usize,
        total: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<()> {
        let stays = |err: Error, summary: &ImportSummary| kept_before(err, summary, total);
        let existing: HashSet<String> = self
            .store
            .read(|tx| {
                let mut found = HashSet::new();
                for e in batch {
                    if tx.experience_by_id(&e.id)?.is_some() {
                        found.insert(e.id.clone());
                    }
                }
                Ok(found)
            })
            .map_err(|e| stays(e, summary))?;
        let fresh: Vec<(Experience, Vec<Artifact>)> = batch
            .iter()
            .filter(|e| !existing.contains(&e.id))
            .map(|e| e.clone().into_record())
            .collect();
        summary.skipped.experiences += batch.len() - fresh.len();
        let before = *done + batch.len() - fresh.len();
        let vectors = self
            .vectors_for(&fresh, known, &mut |n| progress(before + n, total))
            .map_err(|e| stays(e, summary))?;
        let added = self.store.write(|tx| {
            // The model whose vectors these are must be the store's (or become it).
            let claimed = vectors.iter().any(Option::is_some)
                && match known {
                    Some(k) => claim_model(tx, &k.model, k.dim)?,
                    None => self.claim_vectors(tx)?,
                };
            let (mut added, mut without_vector) = (0, 0);
            let mut seqs = Vec::new();
            for (i, (e, artifacts)) in fresh.iter().enumerate() {
                // Another process may have imported it meanwhile.
                if tx.experience_by_id(&e.id)?.is_some() {
                    continue;
                }
                let mut e = e.clone();
                let vector = vectors[i].as_deref().filter(|_| claimed);
                if vector.is_none() {
                    without_vector += 1;
                }
                super::with_fresh_short_id(
                    &mut e,
                    |e| &mut e.short_id,
                    |e| tx.insert_experience(e, artifacts, vector),
                )?;
                if e.merged_into.is_none() {
                    seqs.push(e.seq);
                }
                added += 1;
            }
            Ok((added, without_vector, seqs))
        });
        let (added, without_vector, seqs) = added.map_err(|e| stays(e, summary))?;
        summary.new_seqs.extend(seqs);
        summary.added.experiences += added;
        summary.without_vector += without_vector;
        summary.skipped.experiences += fresh.len() - added;
        *done += batch.len();
        progress(*done, total);
        Ok(())
    }

    /// Checks what the first pass of an import held, before anything is written: ids
    /// well-formed, references resolvable within the file or the store, content free of
    /// secrets (each experience was checked on its own as it was read: [`check_experience`]).
    /// Records stored before are refused only for the secrets the scan refused then
    /// (`secrets::check_legacy`); those holding a format added since are carried, and
    /// returned here (line, warning).
    fn check_import(&self, held: &Held) -> Result<Vec<(usize, String)>> {
        let mut carried = Vec::new();
        let Held {
            agents,
            reports,
            votes,
            journal,
            experience_ids: file_experiences,
            experience_agents,
            experience_sessions,
            ..
        } = held;
        let file_agents: HashSet<&str> = agents.iter().map(|(_, a)| a.id.as_str()).collect();
        let file_sessions: HashSet<&str> = journal
            .sessions
            .iter()
            .map(|(_, s)| s.id.as_str())
            .collect();
        self.store.read(|tx| {
            let agent_known = |id: &str| -> Result<bool> { Ok(file_agents.contains(id) || tx.agent_by_id(id)?.is_some()) };
            let session_known = |id: &str| -> Result<bool> { Ok(file_sessions.contains(id) || tx.session_by_id(id)?.is_some()) };
            for (n, s) in &journal.sessions {
                check_uuid(&s.id, *n, "id")?;
                if !agent_known(&s.agent_id)? {
                    return Err(Error::invalid(format!("line {n}.agent_id"), format!("agent {} is neither in the file nor in the store", s.agent_id)));
                }
                let scanned = serde_json::json!({"topic": s.topic, "domain": s.domain, "tools_used": s.tools_used});
                crate::model::secrets::check_legacy(&scanned, &format!("line {n}"))?;
                carried.extend(carried_note(*n, "session", &s.short_id, &scanned));
            }
            let mut sessions: Vec<(&String, &usize)> = experience_sessions.iter().collect();
            sessions.sort_by_key(|(_, n)| **n);
            for (sid, n) in sessions {
                if !session_known(sid)? {
                    return Err(Error::invalid(format!("line {n}.session_id"), format!("session {sid} is neither in the file nor in the store")));
                }
            }
            for (n, e) in &journal.entries {
                check_uuid(&e.id, *n, "id")?;
                if !session_known(&e.session_id)? {
                    return Err(Error::invalid(format!("line {n}.session_id"), format!("session {} is neither in the file nor in the store", e.session_id)));
                }
                crate::model::session::validate_entry(e.entry_type, &e.content).map_err(|err| prefix_error(err, *n))?;
                crate::model::secrets::check_legacy(&e.content, &format!("line {n}.content"))?;
                carried.extend(carried_note(*n, "session entry", &e.id, &e.content));
            }
            for (n, c) in &journal.contributions {
                check_uuid(&c.id, *n, "id")?;
                if !session_known(&c.session_id)? || !agent_known(&c.contributor_agent_id)? {
                    return Err(Error::invalid(format!("line {n}"), "refers to a session or agent that is neither in the file nor in the store"));
                }
                crate::model::secrets::check_legacy(&c.content, &format!("line {n}.content"))?;
                carried.extend(carried_note(*n, "session contribution", &c.id, &c.content));
            }
            for (n, e) in &journal.events {
                check_uuid(&e.id, *n, "id")?;
                if !agent_known(&e.target_agent_id)? {
                    return Err(Error::invalid(format!("line {n}.target_agent_id"), "is neither in the file nor in the store"));
                }
            }
            for (n, a) in agents {
                check_uuid(&a.id, *n, "id")?;
                crate::model::agent::validate_username(&a.username, &format!("line {n}.username"))?;
            }
            let mut authors: Vec<(&String, &usize)> = experience_agents.iter().collect();
            authors.sort_by_key(|(_, n)| **n);
            for (agent_id, n) in authors {
                if !agent_known(agent_id)? {
                    return Err(Error::invalid(format!("line {n}.agent_id"), format!("agent {agent_id} is neither in the file nor in the store")));
                }
            }
            let refs = reports.iter().map(|(n, r)| (*n, &r.id, &r.experience_id, &r.agent_id))
                .chain(votes.iter().map(|(n, v)| (*n, &v.id, &v.experience_id, &v.agent_id)));
            for (n, id, experience_id, agent_id) in refs {
                check_uuid(id, n, "id")?;
                if !file_experiences.contains(experience_id.as_str()) && tx.experience_by_id(experience_id)?.is_none() {
                    return Err(Error::invalid(format!("line {n}.experience_id"), format!("experience {experience_id} is neither in the file nor in the store")));
                }
                if !agent_known(agent_id)? {
                    return Err(Error::invalid(format!("line {n}.agent_id"), format!("agent {agent_id} is neither in the file nor in the store")));
                }
            }
            for (n, v) in votes {
                if v.vote_type.is_none() {
                    return Err(Error::invalid(format!("line {n}.vote_type"), "must be up or down"));
                }
            }
            for (n, r) in reports {
                let payload = serde_json::json!({"error_message": r.error_message, "context_notes": r.context_notes, "env_fingerprint": r.env_fingerprint});
                crate::model::secrets::check_legacy(&payload, &format!("line {n}"))?;
                carried.extend(carried_note(*n, "outcome report", &r.id, &payload));
            }
            Ok(())
        })?;
        Ok(carried)
    }
}

/// The checks of one experience line that need nothing else: its ids, its fields, its
/// content free of the secrets the scan refused when it was stored (see
/// [`Plurum::check_import`]). Run as the first pass of an import reads it; the warning of a
/// line carried although it holds a format added since, if it does.
fn check_experience(n: usize, e: &ExperienceLine) -> Result<Option<String>> {
    check_uuid(&e.id, n, "id")?;
    if e.short_id.is_empty()
        || e.short_id.len() > 16
        || !e.short_id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(Error::invalid(
            format!("line {n}.short_id"),
            "must be 1-16 letters or digits",
        ));
    }
    if e.goal.trim().is_empty() {
        return Err(Error::invalid(
            format!("line {n}.goal"),
            "must not be empty",
        ));
    }
    if let Some(c) = e.confidence.filter(|c| !(0.0..=1.0).contains(c)) {
        return Err(Error::invalid(
            format!("line {n}.confidence"),
            format!("must be between 0 and 1, got {c}"),
        ));
    }
    let m = &e.metrics;
    if [
        m.success_count,
        m.failure_count,
        m.total_reports,
        m.upvotes,
        m.downvotes,
    ]
    .iter()
    .any(|c| *c < 0)
    {
        return Err(Error::invalid(
            format!("line {n}"),
            "counters must not be negative",
        ));
    }
    let (record, artifacts) = e.clone().into_record();
    let scanned = NewExperience {
        content: record.content,
        artifacts,
    };
    let scanned = content_json(&scanned);
    crate::model::secrets::check_legacy(&scanned, &format!("line {n}"))?;
    Ok(carried_note(n, "experience", &e.short_id, &scanned).map(|(_, note)| note))
}

/// The warning of a record carried although it holds what looks like a credential of a
/// format added since it was stored, with its line: "line 12 (experience ab12cd34): …".
fn carried_note(
    n: usize,
    kind: &str,
    id: &str,
    scanned: &serde_json::Value,
) -> Option<(usize, String)> {
    let id: String = id.chars().take(8).collect();
    crate::model::secrets::carried_note(scanned, &format!("line {n} ({kind} {id})"))
        .map(|note| (n, note))
}

/// An import's error after some batches were written: it says they stay.
fn kept_before(err: Error, summary: &ImportSummary, total: usize) -> Error {
    let added = &summary.added;
    if added.experiences + added.agents + added.sessions == 0 {
        return err;
    }
    err.noting(&format!(
        "that was the failing batch only: {} of {total} experiences ({} agents, {} sessions) \
         were imported before it and stay; running the same import again adds the rest",
        added.experiences, added.agents, added.sessions
    ))
}

/// What the first pass of an import keeps: every record but the experiences, of which it
/// keeps the ids and what they refer to (with the first line that does).
#[derive(Default)]
struct Held {
    agents: Vec<(usize, Agent)>,
    reports: Vec<(usize, OutcomeReport)>,
    votes: Vec<(usize, Vote)>,
    journal: Journal,
    experiences: usize,
    experience_ids: HashSet<String>,
    experience_agents: std::collections::HashMap<String, usize>,
    experience_sessions: std::collections::HashMap<String, usize>,
    /// Experiences carried although they hold a format the secret scan added since: (line,
    /// warning).
    carried: Vec<(usize, String)>,
}

/// Session records of an import.
#[derive(Default)]
struct Journal {
    sessions: Vec<(usize, Session)>,
    entries: Vec<(usize, Entry)>,
    contributions: Vec<(usize, Contribution)>,
    events: Vec<(usize, InboxEvent)>,
    links: Vec<(usize, crate::store::SyncRow)>,
}

fn count(added: &mut usize, skipped: &mut usize, was_added: bool) {
    if was_added {
        *added += 1;
    } else {
        *skipped += 1;
    }
}

/// Puts `line N.` in front of a field path.
fn prefix_error(err: Error, line: usize) -> Error {
    match err {
        Error::Invalid {
            field: Some(f),
            message,
        } => Error::Invalid {
            message: format!("line {line}.{message}"),
            field: Some(format!("line {line}.{f}")),
        },
        other => other,
    }
}

fn check_uuid(id: &str, line: usize, field: &str) -> Result<()> {
    match uuid::Uuid::parse_str(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(()),
        _ => Err(Error::invalid(
            format!("line {line}.{field}"),
            format!("{id:?} is not a lower-case UUID"),
        )),
    }
}

/// Reads one record, naming the offending field's path on failure.
fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value, n: usize) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            format!("line {n}")
        } else {
            format!("line {n}.{path}")
        };
        Error::invalid(field, e.inner().to_string())
    })
}

/// Hands every non-blank line of an export to `each`, parsed, with its number; the first
/// bad one is an error naming its line and field. Text written before the control-character
/// rule (see `model::text`) is carried with each such character replaced; `replaced`, when
/// given, names each record and field that changed.
fn each_line(
    input: &mut dyn BufRead,
    mut replaced: Option<&mut Vec<String>>,
    each: &mut dyn FnMut(usize, Line) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        n += 1;
        let text = std::str::from_utf8(&buf)
            .map_err(|_| Error::invalid(format!("line {n}"), "is not valid UTF-8"))?;
        if text.trim().is_empty() {
            continue;
        }
        let mut value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("line {n}"), format!("is not valid JSON: {e}")))?;
        let changed = crate::model::text::scrub(&mut value, "");
        if let Some(replaced) = replaced.as_deref_mut()
            && !changed.is_empty()
        {
            let kind = value["type"].as_str().unwrap_or("record").replace('_', " ");
            let id = value["short_id"]
                .as_str()
                .or(value["id"].as_str())
                .unwrap_or("?")
                .to_string();
            replaced.push(format!("{kind} {id}: {}", changed.join(", ")));
        }
        let line = match value.get("type").and_then(|t| t.as_str()) {
            Some("header") => Line::Header(typed(value, n)?),
            Some("agent") => Line::Agent(typed(value, n)?),
            Some("experience") => Line::Experience(Box::new(typed(value, n)?)),
            Some("outcome_report") => Line::OutcomeReport(typed(value, n)?),
            Some("vote") => Line::Vote(typed(value, n)?),
            Some("session") => Line::Session(typed(value, n)?),
            Some("session_entry") => Line::SessionEntry(typed(value, n)?),
            Some("session_contribution") => Line::SessionContribution(typed(value, n)?),
            Some("inbox_event") => Line::InboxEvent(typed(value, n)?),
            Some("sync_link") => Line::SyncLink(typed(value, n)?),
            other => {
                return Err(Error::invalid(
                    format!("line {n}.type"),
                    format!("unknown record type {other:?}"),
                ));
            }
        };
        each(n, line)?;
    }
    Ok(())
}

/// Where an import may find the vectors of experiences without embedding them: another
/// store's vectors, made by `model` (of `dim` dimensions) from the same text, looked up by
/// experience id a batch at a time. What it does not have (`None`) is embedded when this
/// process has that model loaded, and otherwise left for a reindex.
struct KnownVectors<'a> {
    model: String,
    dim: usize,
    lookup: &'a VectorLookup<'a>,
}

/// The vectors another store has for a batch of experience ids (`None` where it has none).
type VectorLookup<'a> = dyn Fn(&[&str]) -> Result<Vec<Option<Vec<f32>>>> + 'a;

impl Plurum {
    /// The vectors of `fresh` experiences about to be imported, one per experience: from
    /// `known` where it has them, the rest embedded when a model that may write them here is
    /// loaded (with `progress` counting both), `None` for the ones left without.
    fn vectors_for(
        &self,
        fresh: &[(Experience, Vec<Artifact>)],
        known: Option<&KnownVectors>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Option<Vec<f32>>>> {
        let mut found = match known {
            Some(k) if !fresh.is_empty() => {
                let ids: Vec<&str> = fresh.iter().map(|(e, _)| e.id.as_str()).collect();
                (k.lookup)(&ids)?
            }
            _ => vec![None; fresh.len()],
        };
        let missing: Vec<usize> = (0..fresh.len()).filter(|&i| found[i].is_none()).collect();
        let reused = fresh.len() - missing.len();
        progress(reused);
        // Only vectors of the model the known ones come from may join them.
        let model_fits = match (known, self.embedding.get()) {
            (Some(k), Ok(embedder)) => embedder.model_id() == k.model,
            (Some(_), Err(_)) => false,
            (None, _) => true,
        };
        if !missing.is_empty() && model_fits {
            let contents: Vec<&ExperienceContent> =
                missing.iter().map(|&i| &fresh[i].0.content).collect();
            if let Some(embedded) =
                self.embed_contents_with(&contents, &mut |n| progress(reused + n))?
            {
                for (i, v) in missing.into_iter().zip(embedded) {
                    found[i] = Some(v);
                }
            }
        }
        Ok(found)
    }
}

/// What `plurum copy` did: from where, to where, and what the target added and skipped.
#[derive(Debug, Clone, Serialize)]
pub struct Copied {
    pub from: String,
    pub to: String,
    /// What to run when some experiences arrived without a vector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(flatten)]
    pub summary: ImportSummary,
}

impl Plurum {
    /// Copies every record from `from` to `to` (each this store when `None`): a store file,
    /// a Postgres database, or (as a source) an export. Lossless and idempotent, as export
    /// and import are: running it again adds nothing; nothing is removed from either side.
    pub fn copy(
        &self,
        from: Option<&Location>,
        to: Option<&Location>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Copied> {
        let here = self.options.location();
        let from = from.unwrap_or(&here);
        let to = to.unwrap_or(&here);
        if from == to {
            return Err(Error::invalid(
                "to",
                format!("names the same store as the source ({from}); name two different stores"),
            ));
        }
        if let Location::File(path) = to
            && path.exists()
            && !crate::store::sqlite::is_store_file(path)?
        {
            return Err(Error::invalid(
                "to",
                format!(
                    "{} exists and is not a plurum store; it was left as it is",
                    path.display()
                ),
            ));
        }
        let opened;
        let target = if to == &here {
            self
        } else {
            opened = Plurum::open(self.options.at(to))?;
            &opened
        };
        let summary = match from {
            _ if from == &here => self.copy_into(target, progress)?,
            Location::File(path) if !path.is_file() => {
                return Err(Error::not_found("Store", path.display().to_string()));
            }
            Location::File(path) if !crate::store::sqlite::is_store_file(path)? => {
                // Not a store: read it as an export (the import says if it is not one).
                target.import_file(path, progress)?
            }
            _ => Plurum::open(self.options.at(from))?.copy_into(target, progress)?,
        };
        let hint = (summary.without_vector > 0).then(|| {
            format!(
                "{} of the experiences copied have no vector (no model here to embed them, or \
                 the target's vectors are of another model): they are found by keyword only \
                 until `{}` runs with the target's model",
                summary.without_vector,
                target.command("reindex")
            )
        });
        Ok(Copied {
            from: from.to_string(),
            to: to.to_string(),
            summary,
            hint,
        })
    }

    /// Copies every record of this store into `target` (another file, or a Postgres
    /// database): an export read straight back by `target`'s import, so it is as lossless
    /// and as idempotent as those are. Nothing is removed from either side.
    pub fn copy_into(
        &self,
        target: &Plurum,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        // Through a temporary file rather than memory: a large store's export is hundreds
        // of megabytes.
        let mut spool = tempfile::tempfile()?;
        {
            let mut w = std::io::BufWriter::new(&mut spool);
            self.export(&mut w)?;
            w.flush()?;
        }
        // The vectors travel with the experiences when the target's are of the model that
        // made this store's, or it has none yet, whether or not a model is loaded here:
        // re-embedding 100,000 experiences takes hours on a laptop's CPU.
        let source_model = self.store.read(|tx| {
            let model = tx.meta(META_MODEL)?;
            let dim = tx.meta(META_DIM)?.and_then(|d| d.parse::<usize>().ok());
            Ok(model
                .zip(dim)
                .filter(|_| tx.vector_count().is_ok_and(|n| n > 0)))
        })?;
        let target_model = target.store.meta(META_MODEL)?;
        let lookup = |ids: &[&str]| -> Result<Vec<Option<Vec<f32>>>> {
            self.store.read(|tx| {
                ids.iter()
                    .map(|id| match tx.experience_by_id(id)? {
                        Some(e) => tx.experience_vector(e.seq),
                        None => Ok(None),
                    })
                    .collect()
            })
        };
        let known = source_model
            .filter(|(model, _)| target_model.as_deref().is_none_or(|t| t == model))
            .map(|(model, dim)| KnownVectors {
                model,
                dim,
                lookup: &lookup,
            });
        target.import_reusing(spool, progress, known.as_ref())
    }
}
