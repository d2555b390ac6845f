//! Readable text for people at a terminal: tables and detail views.

use std::io::IsTerminal;

use comfy_table::{
    Cell, ColumnConstraint, ContentArrangement, Row, Table, presets::UTF8_FULL_CONDENSED,
};
use console::style;

use crate::model::experience::{Artifact, Experience, Page};

/// A table of one-line rows. On a terminal, comfy-table sizes the columns to its width and
/// a cell too long for its column is cut with `…` (rather than wrapped over many lines);
/// on a narrow terminal the columns marked optional are left out first.
pub struct Grid {
    table: Table,
    /// Each column's widest cell (header included), in terminal columns.
    widths: Vec<usize>,
    /// Columns that may be left out on a narrow terminal, the first to go first.
    optional: Vec<usize>,
}

/// Room a long column (a goal, a topic) keeps before optional columns are left out.
const FLEX_MIN: usize = 24;

impl Grid {
    pub fn add_row(&mut self, cells: Vec<String>) -> &mut Self {
        for (i, cell) in cells.iter().enumerate() {
            let width = console::measure_text_width(cell);
            match self.widths.get_mut(i) {
                Some(w) => *w = (*w).max(width),
                None => self.widths.push(width),
            }
        }
        let mut row = Row::from(cells);
        row.max_height(1);
        self.table.add_row(row);
        self
    }

    /// Marks columns to leave out when the terminal is too narrow, least needed first.
    pub fn optional(mut self, columns: &[usize]) -> Self {
        self.optional = columns.to_vec();
        self
    }
}

impl std::fmt::Display for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The width comfy-table lays the table out in: the terminal's, when stdout is one.
        let Some(width) = self.table.width().map(usize::from) else {
            return self.table.fmt(f);
        };
        // A column takes its width, a border and two spaces of padding; long ones count
        // as FLEX_MIN, since the table cuts them to what is left.
        let need = |hidden: &[usize]| -> usize {
            1 + self
                .widths
                .iter()
                .enumerate()
                .filter(|(i, _)| !hidden.contains(i))
                .map(|(_, w)| (*w).min(FLEX_MIN) + 3)
                .sum::<usize>()
        };
        let mut hidden = Vec::new();
        for &column in &self.optional {
            if need(&hidden) <= width {
                break;
            }
            hidden.push(column);
        }
        if hidden.is_empty() {
            return self.table.fmt(f);
        }
        let mut table = self.table.clone();
        for column in hidden {
            if let Some(c) = table.column_mut(column) {
                c.set_constraint(ColumnConstraint::Hidden);
            }
        }
        table.fmt(f)
    }
}

pub fn table(headers: &[&str]) -> Grid {
    let mut t = Table::new();
    let mut header = Row::from(headers.iter().map(Cell::new).collect::<Vec<_>>());
    header.max_height(1);
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_truncation_indicator("…")
        .set_header(header);
    Grid {
        table: t,
        widths: headers
            .iter()
            .map(|h| console::measure_text_width(h))
            .collect(),
        optional: Vec::new(),
    }
}

/// A long cell's text. On a terminal the whole text, on one line: the table cuts it to the
/// column's width. Piped, where no width is known, cut at `max` characters.
pub fn truncate(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if std::io::stdout().is_terminal() || text.chars().count() <= max {
        text
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn heading(text: &str) -> String {
    style(text).bold().underlined().to_string()
}

/// `0.43 (3/4 ok, ↑2 ↓0)`: the quality score with the evidence behind it.
pub fn quality_line(e: &Experience) -> String {
    let m = &e.metrics;
    format!(
        "{:.2} ({}/{} reports ok, ↑{} ↓{})",
        m.quality_score, m.success_count, m.total_reports, m.upvotes, m.downvotes
    )
}

pub fn list(page: &Page<Experience>) -> String {
    if page.items.is_empty() {
        return if page.total == 0 {
            "No experiences yet. Publish one with `plurum publish --file FILE`.".into()
        } else {
            format!(
                "No experiences at offset {} (total {}).",
                page.offset, page.total
            )
        };
    }
    let mut t = table(&[
        "id", "goal", "domain", "status", "quality", "reports", "created",
    ])
    .optional(&[6, 5, 3, 2]);
    for e in &page.items {
        t.add_row(vec![
            e.short_id.clone(),
            truncate(&e.content.goal, 60),
            e.content.domain.clone().unwrap_or_default(),
            e.status.to_string(),
            format!("{:.2}", e.metrics.quality_score),
            format!("{}/{}", e.metrics.success_count, e.metrics.total_reports),
            e.created_at.get(..10).unwrap_or(&e.created_at).to_string(),
        ]);
    }
    let shown_to = page.offset + page.items.len() as i64;
    let more = if page.has_more() {
        format!(" (next: --offset {shown_to})")
    } else {
        String::new()
    };
    format!(
        "{t}\n{}-{} of {}{more}",
        page.offset + 1,
        shown_to,
        page.total
    )
}

pub fn detail(e: &Experience) -> String {
    let c = &e.content;
    let mut out = Vec::new();
    out.push(format!(
        "{} {}",
        style(&e.short_id).cyan().bold(),
        style(&c.goal).bold()
    ));
    let mut facts = vec![
        format!("id {}", e.id),
        format!("status {}", e.status),
        format!("visibility {}", c.visibility),
    ];
    if let Some(d) = &c.domain {
        facts.push(format!("domain {d}"));
    }
    if let Some(o) = c.outcome {
        facts.push(format!("outcome {o}"));
    }
    if let Some(conf) = c.confidence {
        facts.push(format!("confidence {conf:.2}"));
    }
    out.push(facts.join(" · "));
    if let Some(into) = &e.merged_into {
        out.push(format!(
            "merged into {into}: its lessons, outcome reports and votes are there, and feedback sent here goes there"
        ));
    }
    out.push(format!("quality {}", quality_line(e)));
    if !c.tags.is_empty() {
        out.push(format!("tags: {}", c.tags.join(", ")));
    }
    if !c.tools_used.is_empty() {
        out.push(format!("tools: {}", c.tools_used.join(", ")));
    }
    if let Some(ctx) = &c.context {
        out.push(format!("\n{}\n{ctx}", heading("Context")));
    }
    if !c.dead_ends.is_empty() {
        out.push(format!("\n{}", heading("Dead ends")));
        for d in &c.dead_ends {
            out.push(if d.why.is_empty() {
                format!("  ✗ {}", d.what)
            } else {
                format!("  ✗ {} — {}", d.what, d.why)
            });
        }
    }
    if !c.breakthroughs.is_empty() {
        out.push(format!("\n{}", heading("Breakthroughs")));
        for b in &c.breakthroughs {
            let detail = if b.detail.is_empty() {
                String::new()
            } else {
                format!(" — {}", b.detail)
            };
            out.push(format!("  ✓ [{}] {}{detail}", b.importance, b.insight));
        }
    }
    if !c.gotchas.is_empty() {
        out.push(format!("\n{}", heading("Gotchas")));
        for g in &c.gotchas {
            match g.context.as_deref() {
                Some(ctx) if !ctx.is_empty() => out.push(format!("  ! {} ({ctx})", g.warning)),
                _ => out.push(format!("  ! {}", g.warning)),
            }
        }
    }
    if !c.attempts.is_empty() {
        out.push(format!("\n{}", heading("Attempts")));
        for a in &c.attempts {
            let mark = if a.dead_end { "✗" } else { "→" };
            out.push(format!("  {mark} {}: {}", a.action, a.outcome));
        }
    }
    if let Some(s) = &c.solution {
        out.push(format!("\n{}\n{s}", heading("Solution")));
    }
    if let Some(cs) = &c.context_structured {
        let mut parts = Vec::new();
        if let Some(env) = &cs.environment {
            parts.push(format!("environment: {env}"));
        }
        if let Some(con) = &cs.constraints {
            parts.push(format!("constraints: {con}"));
        }
        if !cs.tools_used.is_empty() {
            parts.push(format!("tools: {}", cs.tools_used.join(", ")));
        }
        if !parts.is_empty() {
            out.push(format!(
                "\n{}\n{}",
                heading("Environment"),
                parts.join("\n")
            ));
        }
    }
    if !e.artifacts.is_empty() {
        out.push(format!("\n{}", heading("Artifacts")));
        for a in &e.artifacts {
            out.push(format!(
                "  [{}] {} — {} ({} lines)  `plurum artifact {} {}`",
                a.index,
                a.language,
                a.description.as_deref().unwrap_or(""),
                a.lines,
                e.short_id,
                a.index
            ));
        }
    }
    out.push(format!("\ncreated {}", e.created_at));
    out.join("\n")
}

pub fn artifact(e: &Experience, index: usize, a: &Artifact) -> String {
    let title = match &a.description {
        Some(d) => format!("{} [{index}] {} — {d}", e.short_id, a.language),
        None => format!("{} [{index}] {}", e.short_id, a.language),
    };
    format!("{}\n{}", style(title).dim(), a.code.trim_end())
}

/// An acquired experience for reading, in the mode asked for.
pub fn acquire(a: &crate::model::experience::Acquired) -> String {
    use crate::model::experience::views::AcquireContent;
    let e = &a.experience;
    let title = || format!("{} {}", style(&e.short_id).cyan().bold(), e.content.goal);
    match &a.content {
        AcquireContent::Summary(summary) => summary.clone(),
        AcquireContent::Checklist(list) => {
            let mut out = vec![title()];
            for (title, items, mark) in [
                ("Do", &list.do_, "✓"),
                ("Don't", &list.dont, "✗"),
                ("Watch", &list.watch, "!"),
            ] {
                if !items.is_empty() {
                    out.push(format!("\n{}", heading(title)));
                    out.extend(items.iter().map(|i| format!("  {mark} {i}")));
                }
            }
            out.join("\n")
        }
        AcquireContent::DecisionTree(decisions) => {
            let mut out = vec![title()];
            for d in decisions {
                let detail = if d.detail.is_empty() {
                    String::new()
                } else {
                    format!("\n      {}", d.detail)
                };
                out.push(format!(
                    "  {} → {}{detail}",
                    d.condition,
                    style(&d.action).bold()
                ));
            }
            out.join("\n")
        }
        AcquireContent::Full => {
            let mut text = detail(e);
            for (i, artifact) in a.artifacts.iter().enumerate() {
                text.push_str(&format!(
                    "\n\n{}\n{}",
                    style(format!("[{i}] {}", artifact.language)).dim(),
                    artifact.code.trim_end()
                ));
            }
            text
        }
    }
}

pub fn search(r: &crate::model::search::SearchResults, explain: bool) -> String {
    let mut out = Vec::new();
    if r.hits.is_empty() {
        out.push(format!("Nothing found for {:?}.", r.query));
    } else {
        let mut headers = vec!["#", "id", "goal", "domain", "quality", "match"];
        if explain {
            headers.extend(["vector", "keyword", "fused", "factor"]);
        }
        // On a narrow terminal: the domain, then explain's fused score and factor, go first.
        let mut t = table(&headers).optional(&[3, 8, 9]);
        for (i, h) in r.hits.iter().enumerate() {
            let e = &h.experience;
            let matched = match (h.vector, h.keyword) {
                (Some(v), Some(_)) => format!("{:.2} + words", v.score),
                (Some(v), None) => format!("{:.2}", v.score),
                (None, Some(_)) => "words".to_string(),
                (None, None) => String::new(),
            };
            let mark = if h.confident(r.semantic) { "" } else { " ?" };
            // A remote hit not in this store (seq 0) says so; `pull` brings it here.
            let id = if e.seq == 0 && e.origin.is_some() {
                format!("{} (remote)", e.short_id)
            } else {
                e.short_id.clone()
            };
            let mut row = vec![
                format!("{}", i + 1),
                id,
                truncate(&e.content.goal, 56),
                e.content.domain.clone().unwrap_or_default(),
                format!("{:.2}", e.metrics.quality_score),
                format!("{matched}{mark}"),
            ];
            if explain {
                row.push(
                    h.vector
                        .map(|a| format!("#{} {:.3}", a.rank, a.score))
                        .unwrap_or_default(),
                );
                row.push(
                    h.keyword
                        .map(|a| format!("#{} {:.2}", a.rank, a.score))
                        .unwrap_or_default(),
                );
                row.push(format!("{:.3}", h.combined_score));
                row.push(format!("{:.2}", h.quality_factor));
            }
            t.add_row(row);
        }
        out.push(t.to_string());
        out.push("`?` marks a weak match. Read one with `plurum show ID` or `plurum acquire ID --mode checklist`.".into());
    }
    if explain {
        let t = &r.timings;
        out.push(format!(
            "timings: embed {:.1} ms, vector {:.1} ms, keyword {:.1} ms, fuse {:.1} ms",
            t.embed_ms, t.vector_ms, t.keyword_ms, t.fuse_ms
        ));
    }
    out.join("\n")
}

/// `plurum model embed`: how the texts were embedded, then one JSON array per text.
pub fn embedded(e: &crate::ops::embedding::Embedded, texts: &[String]) -> String {
    let mut out = vec![format!(
        "{} ({} dimensions), as {}s, prefix {}",
        e.model_id,
        e.dimension,
        e.input,
        e.prefix
            .as_ref()
            .map_or("none".to_string(), |p| format!("{p:?}"))
    )];
    for (text, v) in texts.iter().zip(&e.vectors) {
        out.push(format!("{text:?}"));
        out.push(serde_json::to_string(v).unwrap_or_default());
    }
    out.join("\n")
}

/// `reindex` is the command that reindexes this store (see `Plurum::command`).
pub fn model_status(s: &crate::ops::embedding::ModelStatus, reindex: &str) -> String {
    let mut out = Vec::new();
    if let Some(e) = &s.endpoint {
        out.push(format!(
            "endpoint   {}/embeddings (model {}{})",
            e.url.trim_end_matches('/'),
            e.model,
            if e.api_key_set { ", API key set" } else { "" }
        ));
        out.push(format!(
            "timeout    {} s per query (then keyword-only)",
            e.timeout_seconds
        ));
        if s.available {
            out.push(format!(
                "dimension  {}{}",
                s.dimension.unwrap_or(0),
                if e.dimensions.is_some() {
                    " (asked for: embedding_dimensions)"
                } else {
                    ""
                }
            ));
        } else if let Some(reason) = &s.reason {
            out.push(format!("why        not answering now: {reason}"));
        }
    } else if s.available {
        out.push(format!(
            "model      {} ({} dimensions)",
            s.model_id,
            s.dimension.unwrap_or(0)
        ));
        out.push(format!(
            "found in   {} ({})",
            s.dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            s.source.clone().unwrap_or_default()
        ));
        out.push(format!(
            "sha256     {}",
            s.sha256.clone().unwrap_or_default()
        ));
        if let Some(engine) = s.engine {
            out.push(match &s.engine_note {
                Some(why) => format!("engine     {engine} (the native pass cannot run it: {why})"),
                None => format!("engine     {engine}"),
            });
        }
        if let Some(r) = &s.recipe {
            let origin = match r.origin {
                crate::embed::Origin::Default => " (no modules.json: plurum's default)",
                _ => "",
            };
            out.push(format!(
                "pooling    {}, at most {} tokens{}{}{origin}",
                r.pooling,
                r.max_tokens,
                if r.lowercase { ", lowercased" } else { "" },
                if r.normalize {
                    ", normalised"
                } else {
                    ", normalised by plurum (the model has no Normalize module)"
                }
            ));
        }
    } else {
        out.push(format!("model      {} is not available", s.model_id));
        if let Some(reason) = &s.reason {
            out.push(format!("why        {reason}"));
        }
    }
    let p = &s.prefixes;
    if p.query.is_some() || p.document.is_some() {
        let shown = |t: &Option<String>| match t {
            Some(t) => format!("{t:?}"),
            None => "none".into(),
        };
        let origin = match p.origin {
            Some(crate::embed::Origin::Config) => "plurum's config",
            _ => "the model's prompts",
        };
        out.push(format!(
            "prefixes   query {}, document {} (from {origin})",
            shown(&p.query),
            shown(&p.document)
        ));
    } else if s.available {
        out.push("prefixes   none".into());
    }
    let st = &s.store;
    out.push(format!(
        "store      {} vectors for {} experiences ({} missing){}",
        st.vectors,
        st.experiences,
        st.missing,
        st.model
            .as_ref()
            .map(|m| format!(", model {m}"))
            .unwrap_or_default()
    ));
    if let (Some(store_model), true) = (&st.model, s.available)
        && (store_model != &s.model_id || st.dimension != s.dimension)
    {
        out.push(format!(
            "           the store's vectors are from another model or dimension: run `{reindex}`"
        ));
    }
    if st.missing > 0 && s.available {
        out.push(format!(
            "           run `{reindex}` to embed the missing ones"
        ));
    }
    out.join("\n")
}

pub fn opened(o: &crate::model::session::Opened) -> String {
    let s = &o.session;
    let mut out = vec![format!(
        "Opened session {} ({}): {}\nLog with `plurum session log {} TYPE ...`, or export PLURUM_SESSION={}",
        s.short_id, s.visibility, s.topic, s.short_id, s.id
    )];
    if o.matching_experiences.is_empty() {
        out.push("No experiences on this topic yet: yours may be the first.".into());
    } else {
        out.push("\nThe collective already knows:".into());
        let mut t = table(&["id", "goal", "quality", "similarity"]);
        for h in &o.matching_experiences {
            let e = &h.experience;
            t.add_row(vec![
                e.short_id.clone(),
                truncate(&e.content.goal, 60),
                format!("{:.2}", e.metrics.quality_score),
                format!("{:.2}", h.similarity()),
            ]);
        }
        out.push(t.to_string());
    }
    if !o.active_sessions.is_empty() {
        out.push("\nOther agents are working on something similar:".into());
        let mut t = table(&["session", "topic", "similarity"]);
        for (other, sim) in &o.active_sessions {
            t.add_row(vec![
                other.short_id.clone(),
                truncate(&other.topic, 60),
                format!("{sim:.2}"),
            ]);
        }
        out.push(t.to_string());
    }
    out.join("\n")
}

pub fn sessions(page: &Page<crate::model::session::Session>) -> String {
    if page.items.is_empty() {
        return "No sessions. Open one with `plurum session open TOPIC`.".into();
    }
    let mut t =
        table(&["id", "topic", "status", "outcome", "visibility", "started"]).optional(&[5, 4, 3]);
    for s in &page.items {
        t.add_row(vec![
            s.short_id.clone(),
            truncate(&s.topic, 56),
            s.status.to_string(),
            s.outcome.map(|o| o.to_string()).unwrap_or_default(),
            s.visibility.to_string(),
            s.started_at
                .get(..16)
                .unwrap_or(&s.started_at)
                .replace('T', " "),
        ]);
    }
    format!("{t}\n{} of {}", page.items.len(), page.total)
}

pub fn session(
    s: &crate::model::session::Session,
    entries: &[crate::model::session::Entry],
    count: i64,
) -> String {
    let mut out = vec![
        format!(
            "{} {}",
            style(&s.short_id).cyan().bold(),
            style(&s.topic).bold()
        ),
        format!(
            "id {} · {} · {} · started {}",
            s.id, s.status, s.visibility, s.started_at
        ),
    ];
    if let Some(e) = &s.experience_id {
        out.push(format!("experience {e}"));
    }
    if entries.is_empty() && count > 0 {
        out.push(format!("{count} entries (visible to its owner only)"));
    }
    for e in entries {
        let c = &e.content;
        let text = |k: &str| {
            c.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let line = match e.entry_type {
            crate::model::session::EntryType::DeadEnd => {
                format!("✗ {} — {}", text("what"), text("why"))
            }
            crate::model::session::EntryType::Breakthrough => format!(
                "✓ [{}] {} — {}",
                text("importance"),
                text("insight"),
                text("detail")
            ),
            crate::model::session::EntryType::Gotcha => {
                format!("! {} {}", text("warning"), text("context"))
            }
            crate::model::session::EntryType::Artifact => format!(
                "⌘ {} {} ({} lines)",
                text("language"),
                text("description"),
                text("code").lines().count()
            ),
            _ => text("text"),
        };
        out.push(format!(
            "  {:>3}. {:<12} {}",
            e.ordinal,
            e.entry_type.to_string(),
            line
        ));
    }
    out.join("\n")
}

pub fn contributions(items: &[crate::model::session::Contribution]) -> String {
    if items.is_empty() {
        return "No contributions yet.".into();
    }
    let mut t = table(&["type", "from", "content", "at"]);
    for c in items {
        let content = c
            .content
            .get("text")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| c.content.to_string());
        t.add_row(vec![
            c.contribution_type.to_string(),
            c.contributor_agent_id.get(..8).unwrap_or("").to_string(),
            truncate(&content, 70),
            c.created_at.get(..16).unwrap_or("").replace('T', " "),
        ]);
    }
    t.to_string()
}

pub fn inbox(inbox: &crate::model::session::Inbox) -> String {
    if inbox.events.is_empty() {
        return "Your inbox is empty.".into();
    }
    let mut t = table(&["event", "what", "session", "read", "at"]).optional(&[4, 2]);
    for e in &inbox.events {
        use crate::model::session::EventPayload;
        let payload = e.payload();
        let (what, session) = match &payload {
            EventPayload::ContributionReceived(c) => (
                format!(
                    "{}: {}",
                    c.contribution_type,
                    c.content["text"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| c.content.to_string())
                ),
                None,
            ),
            EventPayload::SessionClosed(d) => (
                format!(
                    "{}{}",
                    d.topic,
                    d.experience_short_id
                        .as_deref()
                        .map(|s| format!(" → experience {s}"))
                        .unwrap_or_default()
                ),
                Some(d.short_id.as_str()),
            ),
            EventPayload::SessionOpened(d) => (d.topic.clone(), Some(d.short_id.as_str())),
            EventPayload::Other(d) => (
                d["topic"].as_str().unwrap_or_default().to_string(),
                d["short_id"].as_str(),
            ),
        };
        t.add_row(vec![
            e.event_type.clone(),
            truncate(&what, 60),
            session
                .or(e.source_session_id.as_deref())
                .unwrap_or_default()
                .chars()
                .take(8)
                .collect(),
            if e.is_read { "yes".into() } else { "".into() },
            e.created_at.get(..16).unwrap_or("").replace('T', " "),
        ]);
    }
    format!(
        "{t}\n{} unread. Mark them read with `plurum inbox read --all`.",
        inbox.unread_count
    )
}

pub fn pulse(p: &crate::model::session::Pulse) -> String {
    let mut out = vec![format!(
        "{} agents, {} active in the last 15 minutes; {} open public sessions",
        p.total_agents,
        p.active_agents.len(),
        p.open_sessions()
    )];
    if !p.sessions.is_empty() {
        let mut t = table(&["session", "topic", "status", "outcome", "started"]).optional(&[4, 3]);
        for s in &p.sessions {
            t.add_row(vec![
                s.short_id.clone(),
                truncate(&s.topic, 56),
                s.status.to_string(),
                s.outcome.map(|o| o.to_string()).unwrap_or_default(),
                s.started_at.get(..16).unwrap_or("").replace('T', " "),
            ]);
        }
        out.push(t.to_string());
    }
    out.join("\n")
}

/// The lines a publish writes to stderr about an item's likely duplicates, if it has any:
/// each one's short id, score and goal, and what to do about them.
pub fn duplicates_notice(c: &crate::model::duplicates::Created) -> Option<String> {
    if c.possible_duplicates.is_empty() {
        return None;
    }
    let mut lines = vec![if c.created {
        format!("warning: likely duplicates of {}:", c.experience.short_id)
    } else {
        "skipped: a likely duplicate is already stored:".to_string()
    }];
    for d in &c.possible_duplicates {
        lines.push(format!(
            "  {}  {:.2}  {}",
            d.short_id,
            d.similarity,
            truncate(&d.goal, 90)
        ));
    }
    if c.created {
        lines.push(format!(
            "  compare them; `plurum merge KEEP {}` folds one into another",
            c.experience.short_id
        ));
    }
    Some(lines.join("\n"))
}

/// `plurum duplicates`: each group with the one to keep first, and the command that merges it.
pub fn clusters(found: &crate::ops::duplicates::Clusters) -> String {
    if found.clusters.is_empty() {
        return format!(
            "No likely duplicates among {} experiences (similarity ≥ {:.2}).",
            found.checked, found.min_similarity
        );
    }
    let mut out = Vec::new();
    for (i, c) in found.clusters.iter().enumerate() {
        let mut t = table(&["", "id", "goal", "reports", "votes", "quality"]);
        for (j, e) in c.members.iter().enumerate() {
            t.add_row(vec![
                if j == 0 { "keep".into() } else { String::new() },
                e.short_id.clone(),
                truncate(&e.content.goal, 60),
                e.metrics.total_reports.to_string(),
                (e.metrics.upvotes + e.metrics.downvotes).to_string(),
                format!("{:.2}", e.metrics.quality_score),
            ]);
        }
        let others: Vec<&str> = c.members[1..].iter().map(|e| e.short_id.as_str()).collect();
        out.push(format!(
            "Group {} (similarity {:.2}):\n{t}\n  plurum merge {} {}",
            i + 1,
            c.similarity,
            c.members[0].short_id,
            others.join(" ")
        ));
    }
    out.push(format!(
        "{} groups among {} experiences (similarity ≥ {:.2}). Merge keeps every lesson, report and vote; --dry-run shows what would move.",
        found.clusters.len(),
        found.checked,
        found.min_similarity
    ));
    out.join("\n\n")
}

/// `plurum merge`: what moved (or would).
pub fn merged(m: &crate::ops::merge::Merged) -> String {
    let others: Vec<&str> = m.others.iter().map(|e| e.short_id.as_str()).collect();
    let verb = if m.dry_run { "Would merge" } else { "Merged" };
    let a = &m.added;
    let f = &m.moved;
    let mut lines = vec![format!(
        "{verb} {} into {}  {}",
        others.join(", "),
        m.keep.short_id,
        m.keep.content.goal
    )];
    lines.push(format!(
        "  lessons added: {} dead ends, {} breakthroughs, {} gotchas, {} artifacts",
        a.dead_ends, a.breakthroughs, a.gotchas, a.artifacts
    ));
    lines.push(format!(
        "  feedback moved: {} outcome reports, {} votes ({} reports and {} votes by agents who had one on both: one stands)",
        f.outcome_reports, f.votes, f.outcome_reports_superseded, f.votes_superseded
    ));
    if m.dry_run {
        lines.push("  nothing was changed (--dry-run)".into());
    } else {
        let q = &m.keep.metrics;
        lines.push(format!(
            "  {}: {} reports, {} up, {} down, quality {:.2}; the others are archived and point to it",
            m.keep.short_id, q.total_reports, q.upvotes, q.downvotes, q.quality_score
        ));
    }
    lines.join("\n")
}
