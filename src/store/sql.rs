//! The SQL both stores write alike: the conditions that carry a rule (who may find an
//! experience, who may read one, the list filters, what an identifier names, the keyword
//! weights), built once here for either dialect. Each backend binds the values in its own
//! driver's types through [`Binder`], so a rule changes in one place for both.

use super::{Eligibility, ListFilter};
use crate::model::experience::types::Status;
use crate::model::ids::IdRef;
use crate::model::quality::QUARANTINE_FAILURES;
use crate::model::session::SessionStatus;

/// The two SQL dialects plurum speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value a condition binds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Real(f64),
    Integer(i64),
}

/// A backend's list of bound values: it takes each value the fragments bind and answers
/// with the placeholder that stands for it (`?3`, `$3`).
pub trait Binder {
    fn dialect(&self) -> Dialect;
    fn bind(&mut self, value: Value) -> String;
}

/// `column = value`, ignoring case (a domain is matched so).
fn eq_nocase(b: &mut dyn Binder, column: &str, value: &str) -> String {
    let p = b.bind(Value::Text(value.to_string()));
    match b.dialect() {
        Dialect::Sqlite => format!("{column} = {p} COLLATE NOCASE"),
        Dialect::Postgres => format!("lower({column}) = lower({p})"),
    }
}

/// The statuses search finds, as an SQL list: `('published', 'verified')`.
pub fn searchable_statuses() -> String {
    let quoted: Vec<String> = Status::SEARCHABLE
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", quoted.join(", "))
}

/// Readable by `viewer` (reference §2.8; `Experience::readable_by` in Rust): the author, or
/// anyone when public and published. A condition over the `experiences` alias `e`.
pub fn readable(b: &mut dyn Binder, viewer: &str) -> String {
    let viewer = b.bind(Value::Text(viewer.to_string()));
    format!(
        "(e.agent_id = {viewer} OR (e.visibility = 'public' AND e.status IN {}))",
        searchable_statuses()
    )
}

/// Which experiences a search may return (reference §4.3, plus the docs' promises): a
/// condition over `experiences e`.
pub fn eligible(b: &mut dyn Binder, elig: &Eligibility) -> String {
    let mut c = vec![if elig.own_drafts {
        let viewer = b.bind(Value::Text(elig.viewer.clone()));
        format!(
            "(e.status IN {} OR (e.status = '{}' AND e.agent_id = {viewer}))",
            searchable_statuses(),
            Status::Draft.as_str()
        )
    } else {
        format!("e.status IN {}", searchable_statuses())
    }];
    if elig.public_only {
        c.push("e.visibility = 'public'".into());
    } else {
        let viewer = b.bind(Value::Text(elig.viewer.clone()));
        c.push(format!(
            "(e.visibility = 'public' OR e.agent_id = {viewer})"
        ));
    }
    if !elig.include_quarantined {
        // `model::quality::is_quarantined`, in SQL.
        c.push(format!(
            "NOT (e.failure_count >= {QUARANTINE_FAILURES} AND e.success_count = 0)"
        ));
    }
    if elig.min_quality > 0.0 {
        let q = b.bind(Value::Real(elig.min_quality));
        c.push(format!("e.quality_score >= {q}"));
    }
    if let Some(domain) = &elig.domain {
        c.push(eq_nocase(b, "e.domain", domain));
    }
    tagged(b, &elig.tags, &mut c);
    for tool in &elig.tools {
        let t = b.bind(Value::Text(tool.to_lowercase()));
        c.push(format!(
            "e.seq IN (SELECT seq FROM experience_tools WHERE tool = {t})"
        ));
    }
    if let Some(seq) = elig.exclude_seq {
        let s = b.bind(Value::Integer(seq));
        c.push(format!("e.seq <> {s}"));
    }
    c.join(" AND ")
}

/// The experiences `plurum list` and `GET /experiences` show (reference §3.2): a condition
/// over `experiences e`.
pub fn listed(b: &mut dyn Binder, f: &ListFilter) -> String {
    let mut c = vec![readable(b, &f.viewer)];
    if let Some(status) = f.status {
        let s = b.bind(Value::Text(status.as_str().into()));
        c.push(format!("e.status = {s}"));
    }
    if !f.include_archived {
        c.push(format!("e.status <> '{}'", Status::Archived.as_str()));
    }
    if let Some(domain) = &f.domain {
        c.push(eq_nocase(b, "e.domain", domain));
    }
    tagged(b, &f.tags, &mut c);
    if let Some(author) = &f.author {
        let a = b.bind(Value::Text(author.clone()));
        c.push(format!("e.agent_id = {a}"));
    }
    if !f.about_any.is_empty() {
        let words: Vec<String> = f
            .about_any
            .iter()
            .map(|w| b.bind(Value::Text(w.to_lowercase())))
            .collect();
        let words = words.join(", ");
        c.push(format!(
            "(e.seq IN (SELECT seq FROM experience_tags WHERE tag IN ({words})) \
             OR e.seq IN (SELECT seq FROM experience_tools WHERE tool IN ({words})))"
        ));
    }
    c.join(" AND ")
}

/// One agent's sessions (`plurum session list`), of one status when given.
pub fn own_sessions(b: &mut dyn Binder, agent_id: &str, status: Option<SessionStatus>) -> String {
    let agent = b.bind(Value::Text(agent_id.to_string()));
    with_status(b, format!("agent_id = {agent}"), status)
}

/// The sessions anyone may list (`GET /sessions/public`): public and team ones.
pub fn public_sessions(b: &mut dyn Binder, status: Option<SessionStatus>) -> String {
    with_status(b, "visibility IN ('public', 'team')".to_string(), status)
}

fn with_status(b: &mut dyn Binder, filter: String, status: Option<SessionStatus>) -> String {
    match status {
        Some(s) => format!(
            "{filter} AND status = {}",
            b.bind(Value::Text(s.as_str().into()))
        ),
        None => filter,
    }
}

/// One condition per tag: the experience carries it (tags are stored lower-case).
fn tagged(b: &mut dyn Binder, tags: &[String], c: &mut Vec<String>) {
    for tag in tags {
        let t = b.bind(Value::Text(tag.to_lowercase()));
        c.push(format!(
            "e.seq IN (SELECT seq FROM experience_tags WHERE tag = {t})"
        ));
    }
}

/// The end of a query (`WHERE …`) finding the rows an identifier may name in a table with
/// `id` and `short_id` columns: one row for a UUID or a short id, up to 50 for a prefix.
/// Short ids are lower-case hex, so every id with prefix p sorts in [p, p || 'g').
pub fn named(b: &mut dyn Binder, id: &IdRef) -> String {
    match id {
        IdRef::Uuid(u) => format!("WHERE id = {}", b.bind(Value::Text(u.clone()))),
        IdRef::Short(s) => format!("WHERE short_id = {}", b.bind(Value::Text(s.clone()))),
        IdRef::Prefix(p) => {
            let p = b.bind(Value::Text(p.clone()));
            format!("WHERE short_id >= {p} AND short_id < {p} || 'g' LIMIT 50")
        }
    }
}

/// How much a word counts in the keyword ranking by the field it is in: the goal and the
/// tags say most about what an experience is for. (SQLite's FTS5 columns and Postgres's
/// tsvector labels A, B, C carry these fields, in this order.)
pub const GOAL_AND_TAGS_WEIGHT: u32 = 10;
pub const DOMAIN_AND_SOLUTION_WEIGHT: u32 = 4;
pub const CONTEXT_AND_LESSONS_WEIGHT: u32 = 2;

/// FTS5's `bm25()` column weights, in the keyword index's column order (goal, tags, domain,
/// solution, context, lessons).
pub fn fts5_column_weights() -> String {
    let (a, b, c) = (
        GOAL_AND_TAGS_WEIGHT,
        DOMAIN_AND_SOLUTION_WEIGHT,
        CONTEXT_AND_LESSONS_WEIGHT,
    );
    format!("{a}.0, {a}.0, {b}.0, {b}.0, {c}.0, {c}.0")
}

/// A tsvector label's weight, as SQL over the label expression `label`.
pub fn tsvector_label_weight(label: &str) -> String {
    format!(
        "CASE {label} WHEN 'A' THEN {GOAL_AND_TAGS_WEIGHT} WHEN 'B' THEN {DOMAIN_AND_SOLUTION_WEIGHT} \
         WHEN 'C' THEN {CONTEXT_AND_LESSONS_WEIGHT} ELSE 1 END"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Args(Dialect, Vec<Value>);
    impl Binder for Args {
        fn dialect(&self) -> Dialect {
            self.0
        }
        fn bind(&mut self, value: Value) -> String {
            self.1.push(value);
            match self.0 {
                Dialect::Sqlite => format!("?{}", self.1.len()),
                Dialect::Postgres => format!("${}", self.1.len()),
            }
        }
    }

    #[test]
    fn one_rule_in_either_dialect() {
        let elig = Eligibility {
            viewer: "me".into(),
            domain: Some("Infra".into()),
            tags: vec!["Docker".into()],
            ..Default::default()
        };
        let mut lite = Args(Dialect::Sqlite, Vec::new());
        let mut pg = Args(Dialect::Postgres, Vec::new());
        let (l, p) = (eligible(&mut lite, &elig), eligible(&mut pg, &elig));
        assert!(
            l.starts_with("e.status IN ('published', 'verified')"),
            "{l}"
        );
        assert!(l.contains("e.domain = ?2 COLLATE NOCASE"), "{l}");
        assert!(p.contains("lower(e.domain) = lower($2)"), "{p}");
        assert!(l.contains("NOT (e.failure_count >= 3 AND e.success_count = 0)"));
        assert_eq!(lite.1, pg.1);
        assert_eq!(lite.1[2], Value::Text("docker".into()));
        assert_eq!(fts5_column_weights(), "10.0, 10.0, 4.0, 4.0, 2.0, 2.0");
        let mut a = Args(Dialect::Postgres, Vec::new());
        assert_eq!(
            named(&mut a, &IdRef::Prefix("ab".into())),
            "WHERE short_id >= $1 AND short_id < $1 || 'g' LIMIT 50"
        );
    }
}
