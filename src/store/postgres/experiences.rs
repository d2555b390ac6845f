//! SQL for experiences, their artifacts, tags, tools and index rows (Postgres). Same
//! semantics as sqlite/experiences.rs. An insert takes its seq back with `RETURNING seq`;
//! a short-id collision is detected with `ON CONFLICT DO NOTHING` (a failed statement would
//! abort the whole Postgres transaction) and answered as taken, for ops to draw another.

use postgres::{Row, Transaction};

use super::columns::{Args, json, optional_json, parsed, to_json};
use super::{PgTx, visit};
use crate::error::{Error, Result};
use crate::model::experience::types::*;
use crate::model::experience::views::fts_document;
use crate::model::ids::IdRef;
use crate::store::ListFilter;
use crate::store::{ExperienceTx, sql};

pub(super) const COLUMNS: &str = "seq, id, short_id, session_id, agent_id, goal, domain, \
    tools_used, dead_ends, breakthroughs, gotchas, context, attempts, solution, tags, \
    confidence, context_structured, artifacts, status, visibility, outcome, success_count, \
    failure_count, total_reports, success_rate, upvotes, downvotes, quality_score, origin, \
    created_at, updated_at, merged_into";

/// `COLUMNS` over the alias `e`.
fn e_columns() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("e.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn from_row(r: &Row) -> Result<Experience> {
    let outcome: Option<String> = r.get(20);
    let text = |i: usize| -> String { r.get(i) };
    Ok(Experience {
        seq: r.get(0),
        id: r.get(1),
        short_id: r.get(2),
        session_id: r.get(3),
        agent_id: r.get(4),
        content: ExperienceContent {
            goal: r.get(5),
            domain: r.get(6),
            tools_used: json(&text(7), "tools_used")?,
            dead_ends: json(&text(8), "dead_ends")?,
            breakthroughs: json(&text(9), "breakthroughs")?,
            gotchas: json(&text(10), "gotchas")?,
            context: r.get(11),
            attempts: json(&text(12), "attempts")?,
            solution: r.get(13),
            tags: json(&text(14), "tags")?,
            confidence: r.get(15),
            context_structured: optional_json(r.get(16), "context_structured")?,
            outcome: outcome.as_deref().and_then(Outcome::parse),
            visibility: parsed(&text(19), "visibility", Visibility::parse)?,
        },
        artifacts: json(&text(17), "artifacts")?,
        status: parsed(&text(18), "status", Status::parse)?,
        metrics: Metrics {
            success_count: r.get(21),
            failure_count: r.get(22),
            total_reports: r.get(23),
            success_rate: r.get(24),
            upvotes: r.get(25),
            downvotes: r.get(26),
            quality_score: r.get(27),
        },
        origin: r.get(28),
        created_at: r.get(29),
        updated_at: r.get(30),
        merged_into: r.get(31),
    })
}

/// Writes the keyword-index document of an experience (replacing any: SQLite's FTS5 table
/// takes a second row, but rebuild_keywords always empties it first, so replace is the
/// same). Its postings follow in [`index_postings`], for many experiences at once.
pub fn store_document(c: &mut Transaction, seq: i64, ct: &ExperienceContent) -> Result<()> {
    let doc = fts_document(ct);
    c.execute(
        "INSERT INTO experience_fts (seq, document)
         VALUES ($1, plurum_fts_document($2, $3, $4, $5, $6, $7))
         ON CONFLICT (seq) DO UPDATE SET document = excluded.document",
        &[
            &seq,
            &doc.goal,
            &doc.tags,
            &doc.domain,
            &doc.solution,
            &doc.context,
            &doc.lessons,
        ],
    )?;
    Ok(())
}

/// Writes what BM25 needs of the stored documents of `seqs` (migrations/postgres/0003,
/// 0004): each document's length, and each word's frequency, weighted by the label of the
/// field it is in, with that length beside it.
///
/// Set-based, for a whole transaction's experiences at once, because the triggers that keep
/// the keyword counts (0005) run once per statement: one statement for 256 experiences adds
/// to each word's count once, where a statement per experience updated a common word's
/// count row 256 times in one transaction (each update a new row version to step over).
pub fn index_postings(c: &mut Transaction, seqs: &[i64]) -> Result<()> {
    if seqs.is_empty() {
        return Ok(());
    }
    c.execute(
        "INSERT INTO experience_lengths (seq, length)
         SELECT f.seq, (SELECT count(*) FROM unnest(f.document) u, unnest(u.positions) p)
         FROM experience_fts f WHERE f.seq = ANY($1)
         ON CONFLICT (seq) DO UPDATE SET length = excluded.length",
        &[&seqs],
    )?;
    c.execute("DELETE FROM experience_terms WHERE seq = ANY($1)", &[&seqs])?;
    c.execute(
        &format!(
            "INSERT INTO experience_terms (lexeme, seq, tf, length)
             SELECT u.lexeme, f.seq,
                    sum({}),
                    (SELECT length FROM experience_lengths WHERE seq = f.seq)
             FROM experience_fts f, unnest(f.document) u, unnest(u.weights) w
             WHERE f.seq = ANY($1)
             GROUP BY u.lexeme, f.seq",
            sql::tsvector_label_weight("w")
        ),
        &[&seqs],
    )?;
    Ok(())
}

/// How many experiences `each_experience` reads at a time.
const PAGE: i64 = 1_000;

/// The next page of experiences after `after` (a seq), in seq order.
pub(super) fn page_after(c: &mut Transaction, after: i64) -> Result<Vec<Experience>> {
    c.query(
        &format!("SELECT {COLUMNS} FROM experiences WHERE seq > $1 ORDER BY seq LIMIT $2"),
        &[&after, &PAGE],
    )?
    .iter()
    .map(from_row)
    .collect()
}

fn artifact_from_row(r: &Row) -> Artifact {
    Artifact {
        language: r.get(0),
        code: r.get(1),
        description: r.get(2),
    }
}

pub fn count(c: &mut Transaction) -> Result<i64> {
    Ok(c.query_one("SELECT count(*) FROM experiences", &[])?.get(0))
}

pub(super) fn set_vector(c: &mut Transaction, seq: i64, vector: &[f32]) -> Result<()> {
    let v = pgvector::Vector::from(vector.to_vec());
    c.execute(
        "INSERT INTO experience_vectors (seq, embedding) VALUES ($1, $2)
         ON CONFLICT (seq) DO UPDATE SET embedding = excluded.embedding",
        &[&seq, &v],
    )?;
    super::vectors::bump_version(c)
}

impl ExperienceTx for PgTx<'_> {
    fn set_experience_metrics(&self, id: &str, m: &Metrics) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE experiences SET success_count = $2, failure_count = $3, total_reports = $4,
                success_rate = $5, upvotes = $6, downvotes = $7, quality_score = $8
             WHERE id = $1",
            &[
                &id,
                &m.success_count,
                &m.failure_count,
                &m.total_reports,
                &m.success_rate,
                &m.upvotes,
                &m.downvotes,
                &m.quality_score,
            ],
        )?;
        Ok(())
    }
    /// Inserts an experience with all its rows; a short id that is taken is
    /// `StoreFailure::ShortIdTaken`, with nothing written (`ON CONFLICT DO NOTHING` leaves the
    /// transaction usable).
    fn insert_experience(
        &self,
        e: &mut Experience,
        artifacts: &[Artifact],
        vector: Option<&[f32]>,
    ) -> Result<i64> {
        let c = &mut self.tx();
        let seq: i64 = {
            let ct = &e.content;
            let row = c.query_opt(
                "INSERT INTO experiences (id, short_id, session_id, agent_id, goal, domain, tools_used,
                    dead_ends, breakthroughs, gotchas, context, attempts, solution, tags, confidence,
                    context_structured, artifacts, status, visibility, outcome, success_count,
                    failure_count, total_reports, success_rate, upvotes, downvotes, quality_score,
                    origin, created_at, updated_at, merged_into)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                    $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)
                 ON CONFLICT DO NOTHING
                 RETURNING seq",
                &[
                    &e.id,
                    &e.short_id,
                    &e.session_id,
                    &e.agent_id,
                    &ct.goal,
                    &ct.domain,
                    &to_json(&ct.tools_used),
                    &to_json(&ct.dead_ends),
                    &to_json(&ct.breakthroughs),
                    &to_json(&ct.gotchas),
                    &ct.context,
                    &to_json(&ct.attempts),
                    &ct.solution,
                    &to_json(&ct.tags),
                    &ct.confidence,
                    &ct.context_structured.as_ref().map(to_json),
                    &to_json(&e.artifacts),
                    &e.status.as_str(),
                    &ct.visibility.as_str(),
                    &ct.outcome.map(|o| o.as_str()),
                    &e.metrics.success_count,
                    &e.metrics.failure_count,
                    &e.metrics.total_reports,
                    &e.metrics.success_rate,
                    &e.metrics.upvotes,
                    &e.metrics.downvotes,
                    &e.metrics.quality_score,
                    &e.origin,
                    &e.created_at,
                    &e.updated_at,
                    &e.merged_into,
                ],
            )?;
            match row {
                Some(row) => row.get(0),
                None => {
                    let id_taken = c
                        .query_opt("SELECT 1 FROM experiences WHERE id = $1", &[&e.id])?
                        .is_some();
                    return Err(if id_taken {
                        Error::Conflict(format!("experience {} already exists", e.id))
                    } else {
                        Error::short_id_taken(&e.short_id)
                    });
                }
            }
        };
        e.seq = seq;
        let c_ = &e.content;
        for tag in &c_.tags {
            c.execute(
                "INSERT INTO experience_tags (seq, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&seq, &tag.to_lowercase()],
            )?;
        }
        for tool in &c_.tools_used {
            c.execute(
                "INSERT INTO experience_tools (seq, tool) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&seq, &tool.to_lowercase()],
            )?;
        }
        for (i, a) in artifacts.iter().enumerate() {
            c.execute(
                "INSERT INTO artifacts (experience_id, idx, language, code, description)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&e.id, &(i as i64), &a.language, &a.code, &a.description],
            )?;
        }
        store_document(c, seq, &e.content)?;
        if let Some(v) = vector {
            set_vector(c, seq, v)?;
        }
        self.unindexed.borrow_mut().push(seq);
        Ok(seq)
    }
    fn set_experience_vector(&self, seq: i64, vector: &[f32]) -> Result<()> {
        self.with(|c| set_vector(c, seq, vector))
    }
    fn rewrite_lessons(
        &self,
        e: &Experience,
        _before: &ExperienceContent,
        added: &[Artifact],
    ) -> Result<()> {
        {
            let c = &mut self.tx();
            let ct = &e.content;
            c.execute(
                "UPDATE experiences SET dead_ends = $2, breakthroughs = $3, gotchas = $4,
                    artifacts = $5, updated_at = $6
                 WHERE id = $1",
                &[
                    &e.id,
                    &to_json(&ct.dead_ends),
                    &to_json(&ct.breakthroughs),
                    &to_json(&ct.gotchas),
                    &to_json(&e.artifacts),
                    &e.updated_at,
                ],
            )?;
            let first = e.artifacts.len() - added.len();
            for (i, a) in added.iter().enumerate() {
                c.execute(
                    "INSERT INTO artifacts (experience_id, idx, language, code, description)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[
                        &e.id,
                        &((first + i) as i64),
                        &a.language,
                        &a.code,
                        &a.description,
                    ],
                )?;
            }
            // The document is replaced; its postings are rewritten with the others pending
            // (index_postings replaces an experience's postings, and the triggers adjust the
            // kept counts by what it takes out and puts in).
            store_document(c, e.seq, ct)?;
        }
        self.unindexed.borrow_mut().push(e.seq);
        Ok(())
    }
    fn mark_merged(&self, id: &str, into: &str, at: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE experiences SET status = $2, merged_into = $3, updated_at = $4 WHERE id = $1",
            &[&id, &Status::Archived.as_str(), &into, &at],
        )?;
        Ok(())
    }
    fn experience_by_seq(&self, seq: i64) -> Result<Option<Experience>> {
        let c = &mut self.tx();
        c.query_opt(
            &format!("SELECT {COLUMNS} FROM experiences WHERE seq = $1"),
            &[&seq],
        )?
        .map(|r| from_row(&r))
        .transpose()
    }
    fn experience_by_id(&self, id: &str) -> Result<Option<Experience>> {
        let c = &mut self.tx();
        c.query_opt(
            &format!("SELECT {COLUMNS} FROM experiences WHERE id = $1"),
            &[&id],
        )?
        .map(|r| from_row(&r))
        .transpose()
    }
    fn experiences_named(&self, id: &IdRef) -> Result<Vec<Experience>> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let clause = sql::named(&mut args, id);
        c.query(
            &format!("SELECT {COLUMNS} FROM experiences {clause}"),
            &args.refs(),
        )?
        .iter()
        .map(from_row)
        .collect()
    }
    fn list_experiences(&self, f: &ListFilter) -> Result<(Vec<Experience>, i64)> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let filter = sql::listed(&mut args, f);
        let total: i64 = c
            .query_one(
                &format!("SELECT count(*) FROM experiences e WHERE {filter}"),
                &args.refs(),
            )?
            .get(0);
        let limit = args.push(f.limit);
        let offset = args.push(f.offset);
        let rows = c.query(
            &format!(
                "SELECT {} FROM experiences e WHERE {filter}
                 ORDER BY {} LIMIT {limit} OFFSET {offset}",
                e_columns(),
                f.order_by()
            ),
            &args.refs(),
        )?;
        Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
    }
    /// A page at a time (a million experiences do not fit in memory at once), each page read
    /// before `each` sees it, so `each` may use the transaction.
    fn each_experience(&self, each: &mut dyn FnMut(Experience) -> Result<()>) -> Result<()> {
        let mut after = i64::MIN;
        loop {
            let page = self.with(|c| page_after(c, after))?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.seq;
            visit(page, each)?;
        }
    }
    fn set_experience_status(&self, id: &str, status: Status) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE experiences SET status = $2 WHERE id = $1",
            &[&id, &status.as_str()],
        )?;
        Ok(())
    }
    fn artifacts(&self, experience_id: &str) -> Result<Vec<Artifact>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT language, code, description FROM artifacts WHERE experience_id = $1 ORDER BY idx",
            &[&experience_id],
        )?
        .iter()
        .map(artifact_from_row)
        .collect())
    }
    fn artifact(&self, experience_id: &str, index: usize) -> Result<Option<Artifact>> {
        let c = &mut self.tx();
        Ok(c.query_opt(
            "SELECT language, code, description FROM artifacts WHERE experience_id = $1 AND idx = $2",
            &[&experience_id, &(index as i64)],
        )?
        .map(|r| artifact_from_row(&r)))
    }
    fn experience_count(&self) -> Result<i64> {
        self.with(count)
    }
    /// `FOR NO KEY UPDATE` (the lock the UPDATE of the counters takes anyway) rather than
    /// `FOR UPDATE`: inserting a report or vote takes a `KEY SHARE` lock on the experience
    /// for its foreign key, which `FOR UPDATE` would wait for, so two writers holding one
    /// each would deadlock; `FOR NO KEY UPDATE` does not conflict with it, and still
    /// serialises the writers that take it.
    fn lock_experience(&self, experience_id: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "SELECT 1 FROM experiences WHERE id = $1 FOR NO KEY UPDATE",
            &[&experience_id],
        )?;
        Ok(())
    }
}
