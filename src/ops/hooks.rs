//! What a coding agent's hooks ask of the store (`plurum hook EVENT`, see
//! `crate::doors::hooks`): experiences for the project at session start, confident matches
//! for a prompt, failing tool runs captured into a private session, and that session closed
//! into a private draft when the host's session ends. No LLM and no network: each is one
//! read or one small write.

use std::collections::HashSet;

use serde_json::json;

use crate::error::Result;
use crate::model::agent::Agent;
use crate::model::experience::{Experience, Status, Visibility};
use crate::model::search::{CONFIDENT_KEYWORD_Z, SearchQuery};
use crate::model::session::{EntryType, SessionStatus};
use crate::ops::Plurum;
use crate::store::ListFilter;

/// At most this many experiences at session start, and per prompt.
pub const HOOK_EXPERIENCES: usize = 3;
/// Candidates read at session start before the best are chosen.
const BRIEFING_CANDIDATES: i64 = 50;
/// How much of a failing tool's output a captured entry keeps.
pub const CAPTURED_LINES: usize = 8;
const CAPTURED_CHARS: usize = 1500;

/// One experience as a hook shows it: a line the agent can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub id: String,
    pub short_id: String,
    pub goal: String,
    /// The first step of its checklist: the first breakthrough, else the first dead end to
    /// avoid, else the first gotcha.
    pub first_step: Option<String>,
}

impl Brief {
    pub fn of(e: &Experience) -> Brief {
        let c = &e.content;
        let first_step = c
            .breakthroughs
            .first()
            .map(|b| b.insight.clone())
            .or_else(|| c.dead_ends.first().map(|d| format!("avoid: {}", d.what)))
            .or_else(|| c.gotchas.first().map(|g| format!("watch: {}", g.warning)));
        Brief {
            id: e.id.clone(),
            short_id: e.short_id.clone(),
            goal: c.goal.clone(),
            first_step,
        }
    }

    /// `[ab12cd34] goal — first step`, on one line of at most `width` characters.
    pub fn line(&self, width: usize) -> String {
        let mut line = format!("[{}] {}", self.short_id, one_line(&self.goal));
        if let Some(step) = &self.first_step {
            line.push_str(" — ");
            line.push_str(&one_line(step));
        }
        if line.chars().count() > width {
            line = line
                .chars()
                .take(width.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        line
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Plurum {
    /// The experiences to offer at the start of a session in a project that shows `words`
    /// (`crate::model::project::project_words`): published, readable by `viewer`, not
    /// quarantined, tagged with or using one of the words; those matching more words first,
    /// then by quality (`rank_factor`, where a new experience starts neutral), then newest.
    pub fn project_briefing(&self, viewer: &Agent, words: &[String]) -> Result<Vec<Brief>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let filter = ListFilter {
            viewer: viewer.id.clone(),
            status: Some(Status::Published),
            about_any: words.to_vec(),
            by_quality: true,
            limit: BRIEFING_CANDIDATES,
            ..Default::default()
        };
        let (candidates, _) = self.store.read(|tx| tx.list_experiences(&filter))?;
        let matched = |e: &Experience| {
            e.content
                .tags
                .iter()
                .chain(&e.content.tools_used)
                .filter(|t| words.contains(&t.to_lowercase()))
                .count()
        };
        let mut ranked: Vec<(usize, f64, usize, &Experience)> = candidates
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.metrics.is_quarantined())
            .map(|(i, e)| (matched(e), e.metrics.rank_factor(), i, e))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(ranked
            .into_iter()
            .take(HOOK_EXPERIENCES)
            .map(|(_, _, _, e)| Brief::of(e))
            .collect())
    }

    /// The experiences a prompt calls for: `confident` hits only (with no model, keyword
    /// hits that stand out as far as a confident one must), at most
    /// [`HOOK_EXPERIENCES`], none of those in `seen`.
    pub fn recall(
        &self,
        viewer: &Agent,
        prompt: &str,
        seen: &HashSet<String>,
    ) -> Result<Vec<Brief>> {
        let text: String = prompt.trim().chars().take(1000).collect();
        if !crate::model::search::long_enough(&text) {
            return Ok(Vec::new());
        }
        let mut q = SearchQuery::new(text);
        q.limit = HOOK_EXPERIENCES + seen.len().min(10);
        let results = self.search(viewer, &q)?;
        let semantic = results.semantic;
        Ok(results
            .hits
            .iter()
            .filter(|h| {
                if semantic {
                    h.confident(true)
                } else {
                    h.keyword
                        .is_some_and(|k| k.standardised >= CONFIDENT_KEYWORD_Z)
                }
            })
            .filter(|h| !seen.contains(&h.experience.id))
            .take(HOOK_EXPERIENCES)
            .map(|h| Brief::of(&h.experience))
            .collect())
    }

    /// Logs a failing tool run as a dead end of `session` (opened by the caller with
    /// [`Plurum::open_capture_session`]). `output` is redacted before anything is kept.
    pub fn capture_failure(
        &self,
        actor: &Agent,
        session: &str,
        what: &str,
        output: &str,
    ) -> Result<()> {
        let what = crate::model::secrets::redact(&first_chars(&one_line(what), 300)).text;
        let why = crate::model::secrets::redact(&first_lines(output)).text;
        self.log_entry(
            actor,
            session,
            EntryType::DeadEnd,
            &json!({"what": what, "why": why}),
        )?;
        Ok(())
    }

    /// A private session for a host's session: where its failing tool runs are captured.
    pub fn open_capture_session(
        &self,
        actor: &Agent,
        topic: &str,
        tools: Vec<String>,
    ) -> Result<String> {
        let topic = crate::model::secrets::redact(topic).text;
        let opened = self.open_session(actor, &topic, None, tools, Visibility::Private)?;
        Ok(opened.session.id)
    }

    /// How many entries `session` holds while it is open; `None` once it is closed or
    /// abandoned (the agent closed it itself) or gone.
    pub fn open_entries(&self, actor: &Agent, session: &str) -> Result<Option<i64>> {
        match self.session(actor, session) {
            Ok((s, _, count)) if s.status == SessionStatus::Open => Ok(Some(count)),
            Ok(_) | Err(crate::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The first [`CAPTURED_LINES`] non-empty lines of a tool's output, at most
/// [`CAPTURED_CHARS`] characters.
fn first_lines(output: &str) -> String {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(CAPTURED_LINES)
        .collect();
    first_chars(&lines.join("\n"), CAPTURED_CHARS)
}

fn first_chars(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        text.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_keeps_the_start_of_the_output() {
        let out = (1..20).map(|i| format!("line {i}\n\n")).collect::<String>();
        let kept = first_lines(&out);
        assert_eq!(kept.lines().count(), CAPTURED_LINES);
        assert!(kept.starts_with("line 1\nline 2"));
    }

    #[test]
    fn a_brief_is_one_line_of_bounded_width() {
        let b = Brief {
            id: "x".into(),
            short_id: "ab12cd34".into(),
            goal: "Fix the\nflaky build".into(),
            first_step: Some("pin the toolchain".into()),
        };
        assert_eq!(
            b.line(200),
            "[ab12cd34] Fix the flaky build — pin the toolchain"
        );
        assert_eq!(b.line(20).chars().count(), 20);
    }
}
