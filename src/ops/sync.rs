//! Joining a remote collective: `push` sends this store's public, published experiences and
//! its feedback on shared ones; `pull` brings remote experiences in, searchable offline.
//!
//! Both are resumable. Every step is recorded in `sync_map` in its own transaction, so a push
//! or pull killed midway and run again neither loses nor repeats anything. A remote create
//! carries the local id, which `plurum serve` uses to make a retried create return the first
//! one; the hosted API has no such key, so there a create whose answer was lost may repeat
//! (the `pending` state marks exactly those).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::input::parse_experience;
use crate::model::experience::{
    ArtifactMeta, Experience, Metrics, NewExperience, Status, content_json,
};
use crate::ops::Plurum;
use crate::remote::Remote;
use crate::store::{self, SyncRow};

/// Experiences fetched and written per transaction when pulling.
const PULL_BATCH: usize = 32;

#[derive(Debug, Clone, Default, Serialize)]
pub struct PushReport {
    pub remote: String,
    /// Created on the remote (as drafts) in this run.
    pub created: usize,
    /// Published on the remote in this run.
    pub published: usize,
    pub outcome_reports_sent: usize,
    pub votes_sent: usize,
    /// Experiences the secret scan stopped from leaving this machine.
    pub refused: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PullReport {
    pub remote: String,
    /// New experiences brought in.
    pub added: usize,
    /// Known experiences whose counters were refreshed.
    pub updated: usize,
    /// Remote items looked at.
    pub seen: usize,
    /// Experiences brought in although they hold what looks like a credential of a format
    /// the secret scan added after the remote stored them (see
    /// `model::secrets::carried_note`), one line each. Push never sends them back.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// How many of the new experiences likely duplicate one already here (`plurum
    /// duplicates` lists them); absent when nothing new came in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likely_duplicates: Option<crate::ops::duplicates::DuplicateCount>,
}

fn link(remote: &str, experience_id: &str, state: &str) -> SyncRow {
    SyncRow {
        remote: remote.to_string(),
        experience_id: experience_id.to_string(),
        remote_id: None,
        remote_short_id: None,
        state: state.to_string(),
        remote_success_count: 0,
        remote_failure_count: 0,
        remote_upvotes: 0,
        remote_downvotes: 0,
        sent_success: None,
        sent_vote: None,
        updated_at: store::now(),
    }
}

/// The API's create body for a stored experience, plus its id (the idempotency key).
fn create_body(e: &Experience, artifacts: &[crate::model::experience::Artifact]) -> Value {
    let mut body = content_json(&NewExperience {
        content: e.content.clone(),
        artifacts: artifacts.to_vec(),
    });
    body["id"] = json!(e.id);
    body
}

impl Plurum {
    /// Sends every public, published experience made here that the remote lacks (create, then
    /// publish), then this store's outcome reports and votes on experiences the remote has.
    pub fn push(
        &self,
        remote: &Remote,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<PushReport> {
        remote.require_key()?;
        let url = remote.url.clone();
        let mut report = PushReport {
            remote: url.clone(),
            ..PushReport::default()
        };
        let queue = self.store.read(|tx| tx.to_push(&url))?;
        let total = queue.len();
        for (i, (id, existing)) in queue.into_iter().enumerate() {
            progress("pushing", i, total);
            let (e, artifacts) = self.store.read(|tx| {
                let e = tx
                    .experience_by_id(&id)?
                    .ok_or_else(|| Error::not_found("Experience", &id))?;
                let a = tx.artifacts(&id)?;
                Ok((e, a))
            })?;
            let body = create_body(&e, &artifacts);
            // Nothing that looks like a credential leaves the machine, even if it got in.
            if crate::model::secrets::find_secret(&body, "").is_some() {
                report.refused.push(e.short_id.clone());
                continue;
            }
            let mut row = existing.unwrap_or_else(|| link(&url, &id, "pending"));
            if row.state == "pending" {
                self.store.write(|tx| tx.put_sync_row(&row))?;
                let created = remote
                    .post("/experiences", &body)
                    .map_err(|err| remote.fail(&format!("creating {}", e.short_id), err))?;
                row.remote_id = created["id"].as_str().map(str::to_string);
                row.remote_short_id = created["short_id"].as_str().map(str::to_string);
                if row.remote_id.is_none() {
                    return Err(Error::Remote(format!(
                        "{url} answered a create without an id"
                    )));
                }
                row.state = "created".into();
                row.updated_at = store::now();
                self.store.write(|tx| tx.put_sync_row(&row))?;
                report.created += 1;
                // Created on the remote, not yet published there.
                crate::test_pause::reached("push-created");
            }
            if row.state == "created" {
                let handle = row
                    .remote_short_id
                    .clone()
                    .or(row.remote_id.clone())
                    .unwrap_or_default();
                match remote.post(&format!("/experiences/{handle}/publish"), &json!({})) {
                    Ok(_) => {}
                    // Published by an earlier run whose answer was lost.
                    Err(err)
                        if err.status == Some(422)
                            && err.detail.contains("current status: published") => {}
                    Err(err) => return Err(remote.fail(&format!("publishing {}", e.short_id), err)),
                }
                row.state = "published".into();
                row.updated_at = store::now();
                self.store.write(|tx| tx.put_sync_row(&row))?;
                report.published += 1;
                crate::test_pause::reached("push-published");
            }
        }
        progress("pushing", total, total);
        self.push_feedback(remote, &mut report)?;
        Ok(report)
    }

    /// Sends this store's latest outcome report and vote on each shared experience, where
    /// they differ from what was sent before (the remote keeps one of each per agent).
    fn push_feedback(&self, remote: &Remote, report: &mut PushReport) -> Result<()> {
        let links = self.store.read(|tx| tx.linked_sync_rows(&remote.url))?;
        for mut row in links {
            let (outcome, vote) = self
                .store
                .read(|tx| tx.latest_feedback(&row.experience_id))?;
            let handle = row.remote_id.clone().unwrap_or_default();
            let mut changed = false;
            if let Some((success, body)) = outcome
                && row.sent_success != Some(success)
            {
                let mut body = body;
                if let Some(obj) = body.as_object_mut() {
                    obj.retain(|_, v| !v.is_null());
                }
                if crate::model::secrets::find_secret(&body, "").is_none() {
                    remote
                        .post(&format!("/experiences/{handle}/outcome"), &body)
                        .map_err(|e| remote.fail("sending an outcome report", e))?;
                    row.sent_success = Some(success);
                    report.outcome_reports_sent += 1;
                    changed = true;
                }
            }
            if let Some(vote) = vote
                && row.sent_vote.as_deref() != Some(vote.as_str())
            {
                remote
                    .post(
                        &format!("/experiences/{handle}/vote"),
                        &json!({"vote_type": vote}),
                    )
                    .map_err(|e| remote.fail("sending a vote", e))?;
                row.sent_vote = Some(vote);
                report.votes_sent += 1;
                changed = true;
            }
            if changed {
                row.updated_at = store::now();
                self.store.write(|tx| {
                    tx.put_sync_row(&row)?;
                    super::feedback::recount(tx, &row.experience_id)?;
                    Ok(())
                })?;
            }
        }
        Ok(())
    }

    /// Brings remote experiences in: new ones with full content (embedded here, searchable
    /// offline), known ones with fresh counters. `query` pulls the remote's search results
    /// instead of its newest experiences. Local reports and votes are never overwritten.
    pub fn pull(
        &self,
        remote: &Remote,
        query: Option<&str>,
        limit: usize,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<PullReport> {
        let url = remote.url.clone();
        let mut report = PullReport {
            remote: url.clone(),
            ..PullReport::default()
        };
        // The remote's summaries (list or search items carry the counters).
        let mut items: Vec<Value> = Vec::new();
        match query {
            Some(q) => {
                let found = remote
                    .post(
                        "/experiences/search",
                        &json!({"query": q, "limit": limit.clamp(1, 50)}),
                    )
                    .map_err(|e| remote.fail("searching", e))?;
                items.extend(found["results"].as_array().cloned().unwrap_or_default());
            }
            None => {
                let mut offset = 0;
                while items.len() < limit {
                    let page_size = (limit - items.len()).min(100);
                    let page = remote
                        .get(&format!("/experiences?limit={page_size}&offset={offset}"))
                        .map_err(|e| remote.fail("listing experiences", e))?;
                    let page_items = page["items"].as_array().cloned().unwrap_or_default();
                    offset += page_items.len();
                    let more =
                        page["has_more"].as_bool().unwrap_or(false) && !page_items.is_empty();
                    items.extend(page_items);
                    progress("listing", items.len(), limit);
                    if !more {
                        break;
                    }
                }
            }
        }
        report.seen = items.len();

        // Known ones: refresh the remote's counters. New ones: fetch in full.
        let mut new_ids = Vec::new();
        for item in &items {
            let Some(remote_id) = item["id"].as_str() else {
                continue;
            };
            let known = self.store.read(|tx| {
                Ok(match tx.sync_row_by_remote_id(&url, remote_id)? {
                    Some(row) => Some(row),
                    // The same id here without a link: an experience that came by export/import.
                    None => tx.experience_by_id(remote_id)?.map(|_| {
                        let mut row = link(&url, remote_id, "pulled");
                        row.remote_id = Some(remote_id.to_string());
                        row.remote_short_id = item["short_id"].as_str().map(str::to_string);
                        row
                    }),
                })
            })?;
            match known {
                Some(mut row) => {
                    set_remote_counts(&mut row, item);
                    self.store.write(|tx| {
                        tx.put_sync_row(&row)?;
                        super::feedback::recount(tx, &row.experience_id)?;
                        Ok(())
                    })?;
                    report.updated += 1;
                }
                None => new_ids.push(remote_id.to_string()),
            }
        }
        let total = new_ids.len();
        let mut new_seqs = Vec::new();
        for (b, batch) in new_ids.chunks(PULL_BATCH).enumerate() {
            let mut details = Vec::with_capacity(batch.len());
            for (i, id) in batch.iter().enumerate() {
                // Per item: fetching each one is the slow part, not the batch's write.
                progress("pulling", b * PULL_BATCH + i, total);
                match remote.get(&format!("/experiences/{id}")) {
                    Ok(d) => details.push(d),
                    // Archived or made private since it was listed.
                    Err(e) if e.status == Some(404) => continue,
                    Err(e) => return Err(remote.fail(&format!("fetching {id}"), e)),
                }
            }
            let seqs = self.store_pulled(&url, details, &mut report.warnings)?;
            report.added += seqs.len();
            new_seqs.extend(seqs);
            crate::test_pause::reached("pull-batch-committed");
        }
        progress("pulling", total, total);
        report.likely_duplicates = self.count_likely_duplicates(&new_seqs)?;
        Ok(report)
    }

    /// Writes pulled experiences (one transaction for the batch, links included). Those
    /// holding what the secret scan refused before its newer formats are left out; those
    /// holding only a newer format are carried, each named in `warnings`.
    fn store_pulled(
        &self,
        url: &str,
        details: Vec<Value>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<i64>> {
        let mut records = Vec::with_capacity(details.len());
        for d in &details {
            // The remote's detail is the API shape: read it as a create request would be read,
            // without the local length rules (the remote's assembler may bypass them).
            let mut body = d.clone();
            if let Some(attempts) = body.get("attempts_json").cloned() {
                body["attempts"] = attempts;
            }
            let goal_ok = d["goal"]
                .as_str()
                .is_some_and(|g| g.trim().chars().count() >= 10);
            if !goal_ok {
                body["goal"] = json!(format!(
                    "{} (from {url})",
                    d["goal"].as_str().unwrap_or("untitled")
                ));
            }
            let parsed = match parse_experience(&body, "") {
                Ok(p) => p.experience,
                Err(_) => continue,
            };
            // Stored on the remote before: refused only for what the scan refused then.
            let scanned = content_json(&parsed);
            if crate::model::secrets::find_secret_legacy(&scanned, "").is_some() {
                continue;
            }
            let short = d["short_id"].as_str().or(d["id"].as_str()).unwrap_or("?");
            warnings.extend(crate::model::secrets::carried_note(
                &scanned,
                &format!("experience {short} from {url}"),
            ));
            records.push((d, parsed));
        }
        let contents: Vec<&crate::model::experience::ExperienceContent> =
            records.iter().map(|(_, p)| &p.content).collect();
        let vectors = self.embed_contents(&contents)?;
        self.store.write(|tx| {
            let vectors = match &vectors {
                Some(v) if self.claim_vectors(tx)? => Some(v),
                _ => None,
            };
            let mut added = Vec::new();
            for (i, (d, parsed)) in records.iter().enumerate() {
                let id = d["id"].as_str().unwrap_or_default().to_string();
                if tx.experience_by_id(&id)?.is_some() {
                    continue;
                }
                let author = ensure_remote_author(tx, d["agent_id"].as_str().unwrap_or_default())?;
                let now = store::now();
                let mut e = Experience {
                    seq: 0,
                    id: id.clone(),
                    short_id: d["short_id"]
                        .as_str()
                        .filter(|s| s.len() == 8)
                        .map(str::to_string)
                        .unwrap_or_else(crate::model::ids::new_short_id),
                    session_id: None,
                    agent_id: author.id,
                    content: parsed.content.clone(),
                    artifacts: parsed
                        .artifacts
                        .iter()
                        .enumerate()
                        .map(|(i, a)| ArtifactMeta::of(i, a))
                        .collect(),
                    status: Status::Published,
                    metrics: Metrics::default(),
                    origin: Some(url.to_string()),
                    created_at: d["created_at"].as_str().unwrap_or(&now).to_string(),
                    updated_at: d["updated_at"].as_str().unwrap_or(&now).to_string(),
                    merged_into: None,
                };
                let vector = vectors.map(|v| v[i].as_slice());
                super::with_fresh_short_id(
                    &mut e,
                    |e| &mut e.short_id,
                    |e| tx.insert_experience(e, &parsed.artifacts, vector),
                )?;
                let mut row = link(url, &e.id, "pulled");
                row.remote_id = Some(id);
                row.remote_short_id = d["short_id"].as_str().map(str::to_string);
                set_remote_counts(&mut row, d);
                tx.put_sync_row(&row)?;
                super::feedback::recount(tx, &e.id)?;
                added.push(e.seq);
            }
            Ok(added)
        })
    }
}

fn set_remote_counts(row: &mut SyncRow, item: &Value) {
    let n = |k: &str| item[k].as_i64().unwrap_or(0).max(0);
    row.remote_success_count = n("success_count");
    row.remote_failure_count = n("failure_count");
    row.remote_upvotes = n("upvotes");
    row.remote_downvotes = n("downvotes");
    row.updated_at = store::now();
}

/// The local stand-in for a remote author (so ownership and the agent's other experiences
/// line up across pulls).
fn ensure_remote_author(conn: &dyn crate::store::Tx, remote_agent_id: &str) -> Result<Agent> {
    let id = uuid::Uuid::parse_str(remote_agent_id)
        .map(|u| u.hyphenated().to_string())
        .unwrap_or_else(|_| crate::model::ids::new_uuid());
    if let Some(a) = conn.agent_by_id(&id)? {
        return Ok(a);
    }
    let username = format!("remote-{}", &id[..8]);
    let agent = Agent::without_key(id.clone(), "remote agent", &username, store::now());
    conn.insert_agent(&agent)?;
    Ok(agent)
}

/// How many experiences are linked to a remote, per state (for `plurum remote show`).
pub fn link_counts(plurum: &Plurum, remote: &str) -> Result<HashMap<String, i64>> {
    plurum.store.read(|tx| tx.sync_state_counts(remote))
}

impl Plurum {
    /// `plurum search --remote`: searches here and asks the remote too, then merges the two
    /// by re-ranking the union here. Remote scores come from another index (and often another
    /// model), so they are not compared: each remote hit's goal, domain, tools and tags are
    /// embedded with the local model for the vector arm, and the keyword arm standardises each
    /// side's scores on its own; the union is fused and ordered as a local search is. Hits
    /// already in this store stay local; the others carry `origin`.
    pub fn search_with_remote(
        &self,
        viewer: &Agent,
        q: &crate::model::search::SearchQuery,
        remote: &Remote,
    ) -> Result<crate::model::search::SearchResults> {
        use crate::model::search::Hit;
        use crate::search::fusion::{self, Fused};
        let mut results = self.search(viewer, q)?;
        let body = json!({
            "query": q.query, "domain": q.domain, "tools": q.tools, "tags": q.tags,
            "min_quality": q.min_quality, "limit": q.limit,
        });
        // Local-first: a remote that is down or failing costs its hits, not the local answer.
        let found = match remote.post("/experiences/search", &body) {
            Ok(found) => found,
            Err(e) => {
                results.remote_error = Some(remote.fail("searching", e).to_string());
                return Ok(results);
            }
        };
        let items = found["results"].as_array().cloned().unwrap_or_default();
        let mut fresh: Vec<Experience> = Vec::new();
        for item in &items {
            let Some(id) = item["id"].as_str() else {
                continue;
            };
            let here = results.hits.iter().any(|h| h.experience.id == id)
                || self.store.read(|tx| {
                    Ok(tx.experience_by_id(id)?.is_some()
                        || tx.sync_row_by_remote_id(&remote.url, id)?.is_some())
                })?;
            if !here {
                fresh.push(remote_hit_experience(item, &remote.url));
            }
        }
        if fresh.is_empty() {
            return Ok(results);
        }
        let similarities: Option<Vec<f64>> = match (results.semantic, self.vector_status()?) {
            (true, crate::ops::embedding::VectorStatus::Ready(embedder)) => {
                let texts: Vec<String> = fresh
                    .iter()
                    .map(|e| crate::model::experience::views::embedding_text(&e.content))
                    .collect();
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let made = embedder
                    .embed_query(&crate::model::search::query_embedding_text(q))
                    .and_then(|query| Ok((query, embedder.embed_documents(&refs, &mut |_| {})?)));
                self.embedding.soften(made)?.ok().map(|(query, vectors)| {
                    vectors
                        .iter()
                        .map(|v| v.iter().zip(&query).map(|(a, b)| f64::from(a * b)).sum())
                        .collect()
                })
            }
            _ => None,
        };
        // Re-fuse the union here with the same fusion as a local search. The vector arm: local
        // cosine similarity of every hit, one list. The keyword arm: each side's matches in
        // its own order, standardised on its own (bm25 scores of two indexes are not
        // comparable, but each side's best is its best).
        let fresh_keyword: Vec<(String, f64)> = {
            let mut k: Vec<(String, f64)> = items
                .iter()
                .filter_map(|item| {
                    let id = item["id"].as_str()?;
                    fresh.iter().any(|e| e.id == id).then_some(())?;
                    let score = item["keyword_rank"].as_f64().filter(|r| *r > 0.0)?;
                    Some((id.to_string(), score))
                })
                .collect();
            k.sort_by(|a, b| b.1.total_cmp(&a.1));
            k
        };
        let mut local_keyword: Vec<(String, f64)> = results
            .hits
            .iter()
            .filter_map(|h| Some((h.experience.id.clone(), h.keyword?.score)))
            .collect();
        local_keyword.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut vector: Vec<(String, f64)> = Vec::new();
        if let Some(sims) = &similarities {
            vector.extend(
                results
                    .hits
                    .iter()
                    .filter_map(|h| Some((h.experience.id.clone(), h.vector?.score))),
            );
            vector.extend(fresh.iter().zip(sims).map(|(e, s)| (e.id.clone(), *s)));
            vector.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
        let mut everyone: Vec<Experience> = std::mem::take(&mut results.hits)
            .into_iter()
            .map(|h| h.experience)
            .collect();
        everyone.extend(fresh);
        let mut fused: std::collections::HashMap<String, Fused<String>> =
            fusion::fuse_lists(&[&vector], &[&local_keyword, &fresh_keyword])
                .into_iter()
                .map(|f| (f.key.clone(), f))
                .collect();
        results.hits = everyone
            .into_iter()
            .map(|e| {
                // A remote hit neither arm ranked (keyword-only, no word matched there).
                let f = fused
                    .remove(&e.id)
                    .unwrap_or_else(|| Fused::unranked(e.id.clone()));
                Hit::new(e, f.vector, f.keyword, f.combined)
            })
            .collect();
        crate::model::search::order(&mut results.hits);
        results.hits.truncate(q.limit);
        Ok(results)
    }
}

/// A remote search result as an experience (the search projection has no dead ends,
/// solution or artifacts; `plurum pull --query` brings those in).
fn remote_hit_experience(item: &Value, url: &str) -> Experience {
    let text = |k: &str| item[k].as_str().map(str::to_string);
    let list = |k: &str| -> Vec<String> {
        item[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let n = |k: &str| item[k].as_i64().unwrap_or(0).max(0);
    let now = store::now();
    Experience {
        seq: 0,
        id: text("id").unwrap_or_default(),
        short_id: text("short_id").unwrap_or_default(),
        session_id: None,
        agent_id: text("agent_id").unwrap_or_default(),
        content: crate::model::experience::ExperienceContent {
            domain: text("domain"),
            tools_used: list("tools_used"),
            tags: list("tags"),
            confidence: item["confidence"].as_f64(),
            outcome: text("outcome").and_then(|o| crate::model::experience::Outcome::parse(&o)),
            ..crate::model::experience::ExperienceContent::with_goal(
                text("goal").unwrap_or_default(),
            )
        },
        artifacts: Vec::new(),
        status: Status::Published,
        metrics: Metrics::from_counts(
            n("success_count"),
            n("failure_count"),
            n("upvotes"),
            n("downvotes"),
        ),
        origin: Some(url.to_string()),
        created_at: text("created_at").unwrap_or_else(|| now.clone()),
        updated_at: text("updated_at").unwrap_or(now),
        merged_into: None,
    }
}
