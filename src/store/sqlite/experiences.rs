//! SQL for experiences, their artifacts, tags, tools and index rows.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::columns::{json, optional_json, parsed, to_json, vector_to_blob};
use crate::error::{Error, Result};
use crate::model::experience::types::*;
use crate::model::experience::views::fts_document;
use crate::model::ids::IdRef;
use crate::store::ListFilter;
use crate::store::{ExperienceTx, sql};

const COLUMNS: &str = "seq, id, short_id, session_id, agent_id, goal, domain, tools_used, \
    dead_ends, breakthroughs, gotchas, context, attempts, solution, tags, confidence, \
    context_structured, artifacts, status, visibility, outcome, success_count, failure_count, \
    total_reports, success_rate, upvotes, downvotes, quality_score, origin, created_at, updated_at, merged_into";

pub fn from_row(r: &Row) -> rusqlite::Result<Experience> {
    let outcome: Option<String> = r.get(20)?;
    Ok(Experience {
        seq: r.get(0)?,
        id: r.get(1)?,
        short_id: r.get(2)?,
        session_id: r.get(3)?,
        agent_id: r.get(4)?,
        content: ExperienceContent {
            goal: r.get(5)?,
            domain: r.get(6)?,
            tools_used: json(r, 7)?,
            dead_ends: json(r, 8)?,
            breakthroughs: json(r, 9)?,
            gotchas: json(r, 10)?,
            context: r.get(11)?,
            attempts: json(r, 12)?,
            solution: r.get(13)?,
            tags: json(r, 14)?,
            confidence: r.get(15)?,
            context_structured: optional_json(r, 16)?,
            outcome: outcome.as_deref().and_then(Outcome::parse),
            visibility: parsed(r, 19, Visibility::parse)?,
        },
        artifacts: json(r, 17)?,
        status: parsed(r, 18, Status::parse)?,
        metrics: Metrics {
            success_count: r.get(21)?,
            failure_count: r.get(22)?,
            total_reports: r.get(23)?,
            success_rate: r.get(24)?,
            upvotes: r.get(25)?,
            downvotes: r.get(26)?,
            quality_score: r.get(27)?,
        },
        origin: r.get(28)?,
        created_at: r.get(29)?,
        updated_at: r.get(30)?,
        merged_into: r.get(31)?,
    })
}

pub fn is_unique_violation(err: &rusqlite::Error, column: &str) -> bool {
    matches!(err, rusqlite::Error::SqliteFailure(e, Some(msg))
        if e.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains(column))
}

/// Writes the keyword-index row of an experience, and counts it in its terms' document
/// frequencies (`keyword_terms`), in the caller's transaction.
pub fn index_keywords(conn: &Connection, seq: i64, c: &ExperienceContent) -> Result<()> {
    let doc = fts_document(c);
    let mut count = conn.prepare_cached(
        "INSERT INTO keyword_terms (term, docs) VALUES (?1, 1)
         ON CONFLICT (term) DO UPDATE SET docs = docs + 1",
    )?;
    for term in terms(conn, &doc)? {
        count.execute([term])?;
    }
    index_keywords_only(conn, seq, &doc)
}

/// The distinct terms FTS5's tokenizer makes of a keyword-index document (what
/// `keyword_terms` counts once per document).
fn terms(
    conn: &Connection,
    doc: &crate::model::experience::views::FtsDocument,
) -> Result<std::collections::BTreeSet<String>> {
    let texts = [
        doc.goal.as_str(),
        doc.tags.as_str(),
        doc.domain.as_str(),
        doc.solution.as_str(),
        doc.context.as_str(),
        doc.lessons.as_str(),
    ];
    super::fts5::Tokenizer::new(conn)?.terms(&texts)
}

/// Takes an experience's keyword-index row out, and its terms out of their document
/// frequencies: the reverse of [`index_keywords`] for the content it was indexed with.
fn unindex_keywords(conn: &Connection, seq: i64, c: &ExperienceContent) -> Result<()> {
    conn.prepare_cached("DELETE FROM experience_fts WHERE rowid = ?1")?
        .execute([seq])?;
    let mut uncount =
        conn.prepare_cached("UPDATE keyword_terms SET docs = docs - 1 WHERE term = ?1")?;
    let mut forget =
        conn.prepare_cached("DELETE FROM keyword_terms WHERE term = ?1 AND docs <= 0")?;
    for term in terms(conn, &fts_document(c))? {
        uncount.execute([&term])?;
        forget.execute([&term])?;
    }
    Ok(())
}

/// Writes the keyword-index row alone (a rebuild, which recounts the terms afterwards).
pub fn index_keywords_only(
    conn: &Connection,
    seq: i64,
    doc: &crate::model::experience::views::FtsDocument,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO experience_fts (rowid, goal, tags, domain, solution, context, lessons)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq,
        doc.goal,
        doc.tags,
        doc.domain,
        doc.solution,
        doc.context,
        doc.lessons
    ])?;
    Ok(())
}

/// The experience with this seq.
pub fn by_seq(conn: &Connection, seq: i64) -> Result<Option<Experience>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM experiences WHERE seq = ?1"))?
        .query_row([seq], from_row)
        .optional()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM experiences", [], |r| r.get(0))?)
}

impl ExperienceTx for Connection {
    fn set_experience_metrics(&self, id: &str, m: &Metrics) -> Result<()> {
        self.prepare_cached(
            "UPDATE experiences SET success_count = ?2, failure_count = ?3, total_reports = ?4,
                success_rate = ?5, upvotes = ?6, downvotes = ?7, quality_score = ?8
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            m.success_count,
            m.failure_count,
            m.total_reports,
            m.success_rate,
            m.upvotes,
            m.downvotes,
            m.quality_score
        ])?;
        Ok(())
    }
    /// Inserts an experience with its artifacts, tag and tool rows, keyword index row and
    /// (when given) vector, all on the caller's transaction. Returns the new `seq`; a short id
    /// that is taken is [`StoreFailure::ShortIdTaken`], with nothing written.
    fn insert_experience(
        &self,
        e: &mut Experience,
        artifacts: &[Artifact],
        vector: Option<&[f32]>,
    ) -> Result<i64> {
        let c = &e.content;
        let result = self.execute(
            "INSERT INTO experiences (id, short_id, session_id, agent_id, goal, domain, tools_used,
                dead_ends, breakthroughs, gotchas, context, attempts, solution, tags, confidence,
                context_structured, artifacts, status, visibility, outcome, success_count,
                failure_count, total_reports, success_rate, upvotes, downvotes, quality_score,
                origin, created_at, updated_at, merged_into)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
            params![
                e.id,
                e.short_id,
                e.session_id,
                e.agent_id,
                c.goal,
                c.domain,
                to_json(&c.tools_used),
                to_json(&c.dead_ends),
                to_json(&c.breakthroughs),
                to_json(&c.gotchas),
                c.context,
                to_json(&c.attempts),
                c.solution,
                to_json(&c.tags),
                c.confidence,
                c.context_structured.as_ref().map(to_json),
                to_json(&e.artifacts),
                e.status.as_str(),
                c.visibility.as_str(),
                c.outcome.map(|o| o.as_str()),
                e.metrics.success_count,
                e.metrics.failure_count,
                e.metrics.total_reports,
                e.metrics.success_rate,
                e.metrics.upvotes,
                e.metrics.downvotes,
                e.metrics.quality_score,
                e.origin,
                e.created_at,
                e.updated_at,
                e.merged_into
            ],
        );
        match result {
            Ok(_) => {}
            Err(err) if is_unique_violation(&err, "experiences.short_id") => {
                return Err(Error::short_id_taken(&e.short_id));
            }
            Err(err) if is_unique_violation(&err, "experiences.id") => {
                return Err(Error::Conflict(format!(
                    "experience {} already exists",
                    e.id
                )));
            }
            Err(err) => return Err(err.into()),
        }
        let seq = self.last_insert_rowid();
        e.seq = seq;

        let mut tag_stmt = self
            .prepare_cached("INSERT OR IGNORE INTO experience_tags (seq, tag) VALUES (?1, ?2)")?;
        for tag in &c.tags {
            tag_stmt.execute(params![seq, tag.to_lowercase()])?;
        }
        let mut tool_stmt = self
            .prepare_cached("INSERT OR IGNORE INTO experience_tools (seq, tool) VALUES (?1, ?2)")?;
        for tool in &c.tools_used {
            tool_stmt.execute(params![seq, tool.to_lowercase()])?;
        }
        let mut art_stmt = self.prepare_cached(
            "INSERT INTO artifacts (experience_id, idx, language, code, description) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, a) in artifacts.iter().enumerate() {
            art_stmt.execute(params![e.id, i as i64, a.language, a.code, a.description])?;
        }
        index_keywords(self, seq, c)?;
        if let Some(v) = vector {
            self.set_experience_vector(seq, v)?;
        }
        Ok(seq)
    }
    fn rewrite_lessons(
        &self,
        e: &Experience,
        before: &ExperienceContent,
        added: &[Artifact],
    ) -> Result<()> {
        let c = &e.content;
        self.execute(
            "UPDATE experiences SET dead_ends = ?2, breakthroughs = ?3, gotchas = ?4,
                artifacts = ?5, updated_at = ?6
             WHERE id = ?1",
            params![
                e.id,
                to_json(&c.dead_ends),
                to_json(&c.breakthroughs),
                to_json(&c.gotchas),
                to_json(&e.artifacts),
                e.updated_at
            ],
        )?;
        let first = e.artifacts.len() - added.len();
        let mut art_stmt = self.prepare_cached(
            "INSERT INTO artifacts (experience_id, idx, language, code, description) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, a) in added.iter().enumerate() {
            art_stmt.execute(params![
                e.id,
                (first + i) as i64,
                a.language,
                a.code,
                a.description
            ])?;
        }
        unindex_keywords(self, e.seq, before)?;
        index_keywords(self, e.seq, c)
    }
    fn mark_merged(&self, id: &str, into: &str, at: &str) -> Result<()> {
        self.execute(
            "UPDATE experiences SET status = ?2, merged_into = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, Status::Archived.as_str(), into, at],
        )?;
        Ok(())
    }
    fn set_experience_vector(&self, seq: i64, vector: &[f32]) -> Result<()> {
        let bytes = vector_to_blob(vector);
        let highest: i64 = self
            .prepare_cached(&format!(
                "SELECT coalesce(max(rowid), 0) FROM {}",
                super::sqlite_vec::ROWIDS
            ))?
            .query_row([], |r| r.get(0))?;
        let replaced = self
            .prepare_cached("DELETE FROM experience_vectors WHERE rowid = ?1")?
            .execute([seq])?;
        self.prepare_cached("INSERT INTO experience_vectors (rowid, embedding) VALUES (?1, ?2)")?
            .execute(params![seq, bytes])?;
        if replaced == 0 {
            super::vectors::count_vectors(self, 1)?;
        }
        super::vector_codes::put(self, seq, vector)?;
        // An append moves only the highest rowid (`vector_fingerprint`): a copy in memory
        // reads the new codes; anything else makes it reload.
        if replaced > 0 || seq <= highest {
            super::vectors::bump_version(self)?;
        }
        Ok(())
    }
    fn experience_by_seq(&self, seq: i64) -> Result<Option<Experience>> {
        by_seq(self, seq)
    }
    fn experience_by_id(&self, id: &str) -> Result<Option<Experience>> {
        Ok(self
            .prepare_cached(&format!("SELECT {COLUMNS} FROM experiences WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?)
    }
    fn experiences_named(&self, id: &IdRef) -> Result<Vec<Experience>> {
        let mut args = Vec::new();
        let clause = sql::named(&mut args, id);
        let mut stmt =
            self.prepare_cached(&format!("SELECT {COLUMNS} FROM experiences {clause}"))?;
        let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn list_experiences(&self, f: &ListFilter) -> Result<(Vec<Experience>, i64)> {
        let mut args: Vec<SqlValue> = Vec::new();
        let filter = sql::listed(&mut args, f);
        let total: i64 = self.query_row(
            &format!("SELECT count(*) FROM experiences e WHERE {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        args.push(SqlValue::Integer(f.limit));
        args.push(SqlValue::Integer(f.offset));
        let sql = format!(
            "SELECT {} FROM experiences e WHERE {filter} ORDER BY {} LIMIT ?{} OFFSET ?{}",
            COLUMNS
                .split(", ")
                .map(|c| format!("e.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", "),
            f.order_by(),
            args.len() - 1,
            args.len()
        );
        let mut stmt = self.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?;
        Ok((rows.collect::<rusqlite::Result<_>>()?, total))
    }
    fn each_experience(&self, each: &mut dyn FnMut(Experience) -> Result<()>) -> Result<()> {
        let mut stmt = self.prepare(&format!("SELECT {COLUMNS} FROM experiences ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(from_row(row)?)?;
        }
        Ok(())
    }
    fn set_experience_status(&self, id: &str, status: Status) -> Result<()> {
        self.execute(
            "UPDATE experiences SET status = ?2 WHERE id = ?1",
            params![id, status.as_str()],
        )?;
        Ok(())
    }
    fn artifacts(&self, experience_id: &str) -> Result<Vec<Artifact>> {
        let mut stmt = self.prepare_cached(
            "SELECT language, code, description FROM artifacts WHERE experience_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([experience_id], |r| {
            Ok(Artifact {
                language: r.get(0)?,
                code: r.get(1)?,
                description: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn artifact(&self, experience_id: &str, index: usize) -> Result<Option<Artifact>> {
        Ok(self
            .query_row(
                "SELECT language, code, description FROM artifacts WHERE experience_id = ?1 AND idx = ?2",
                params![experience_id, index as i64],
                |r| Ok(Artifact { language: r.get(0)?, code: r.get(1)?, description: r.get(2)? }),
            )
            .optional()?)
    }
    fn experience_count(&self) -> Result<i64> {
        count(self)
    }
    fn lock_experience(&self, _id: &str) -> Result<()> {
        Ok(()) // write transactions are BEGIN IMMEDIATE: one at a time already
    }
}
