//! How an experience is read: the acquire compression modes (reference §4.9), and the
//! texts the search indexes are built from (§4.1, §4.2). The JSON projections (list, detail,
//! search hit) are documents, made in `crate::doors::api`.

use super::types::*;

/// Python's `{:.0%}`: whole percent, ties to even (0.125 → "12%").
fn whole_percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// What `acquire` hands an agent, per mode (reference §4.9): the experience compressed to
/// what that mode needs. `Full` is the experience itself, code included, so it carries nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum AcquireContent {
    /// One paragraph: goal, the first insight and warning, the record.
    Summary(String),
    Checklist(Checklist),
    DecisionTree(Vec<Decision>),
    Full,
}

impl AcquireContent {
    pub fn mode(&self) -> AcquireMode {
        match self {
            AcquireContent::Summary(_) => AcquireMode::Summary,
            AcquireContent::Checklist(_) => AcquireMode::Checklist,
            AcquireContent::DecisionTree(_) => AcquireMode::DecisionTree,
            AcquireContent::Full => AcquireMode::Full,
        }
    }
}

/// What to do (the breakthroughs), what not to (the dead ends), what to watch (the gotchas).
#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    pub do_: Vec<String>,
    pub dont: Vec<String>,
    pub watch: Vec<String>,
}

/// One branch of the decision tree: when `condition`, `action`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub condition: String,
    pub action: String,
    pub detail: String,
    pub kind: DecisionKind,
}

/// Which lesson a decision comes from: a breakthrough, a dead end or a gotcha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    Do,
    Avoid,
    Warning,
}

impl DecisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Do => "do",
            DecisionKind::Avoid => "avoid",
            DecisionKind::Warning => "warning",
        }
    }
}

/// Compresses an experience for `acquire` (reference §4.9).
pub fn acquire_content(e: &Experience, mode: AcquireMode) -> AcquireContent {
    let c = &e.content;
    match mode {
        AcquireMode::Summary => {
            let mut parts = vec![format!("Goal: {}.", c.goal)];
            if let Some(b) = c.breakthroughs.first() {
                parts.push(format!("Key insight: {}.", b.insight));
            }
            if let Some(g) = c.gotchas.first() {
                parts.push(format!("Watch out: {}.", g.warning));
            }
            if e.metrics.total_reports > 0 {
                parts.push(format!(
                    "Success rate: {} ({} reports).",
                    whole_percent(e.metrics.success_rate),
                    e.metrics.total_reports
                ));
            }
            if let Some(outcome) = c.outcome {
                parts.push(format!("Outcome: {outcome}."));
            }
            AcquireContent::Summary(parts.join(" "))
        }
        AcquireMode::Checklist => AcquireContent::Checklist(Checklist {
            do_: c
                .breakthroughs
                .iter()
                .map(|b| format!("{}: {}", b.insight, b.detail))
                .collect(),
            dont: c
                .dead_ends
                .iter()
                .map(|d| format!("{} - {}", d.what, d.why))
                .collect(),
            watch: c.gotchas.iter().map(|g| g.warning.clone()).collect(),
        }),
        AcquireMode::DecisionTree => {
            let mut decisions = Vec::new();
            for b in &c.breakthroughs {
                decisions.push(Decision {
                    condition: format!("If working on: {}", c.goal),
                    action: b.insight.clone(),
                    detail: b.detail.clone(),
                    kind: DecisionKind::Do,
                });
            }
            for d in &c.dead_ends {
                decisions.push(Decision {
                    condition: format!("If considering: {}", d.what),
                    action: "Avoid this approach".into(),
                    detail: d.why.clone(),
                    kind: DecisionKind::Avoid,
                });
            }
            for g in &c.gotchas {
                let condition = match g.context.as_deref() {
                    Some(ctx) if !ctx.is_empty() => ctx.to_string(),
                    _ => format!("When: {}", c.goal),
                };
                decisions.push(Decision {
                    condition,
                    action: format!("Watch out: {}", g.warning),
                    detail: String::new(),
                    kind: DecisionKind::Warning,
                });
            }
            AcquireContent::DecisionTree(decisions)
        }
        AcquireMode::Full => AcquireContent::Full,
    }
}

/// The text an experience is embedded from, line for line as the hosted service builds it
/// (reference §4.1), so local and remote vectors come from identical text.
pub fn embedding_text(c: &ExperienceContent) -> String {
    let mut lines = vec![format!("Goal: {}", c.goal)];
    if !c.dead_ends.is_empty() {
        let items: Vec<String> = c
            .dead_ends
            .iter()
            .map(|d| format!("Tried {} but {}", d.what, d.why))
            .collect();
        lines.push(format!("Dead ends: {}", items.join("; ")));
    }
    if !c.breakthroughs.is_empty() {
        let items: Vec<String> = c
            .breakthroughs
            .iter()
            .map(|b| format!("{}: {}", b.insight, b.detail))
            .collect();
        lines.push(format!("Breakthroughs: {}", items.join("; ")));
    }
    if !c.gotchas.is_empty() {
        let items: Vec<&str> = c.gotchas.iter().map(|g| g.warning.as_str()).collect();
        lines.push(format!("Watch out for: {}", items.join("; ")));
    }
    if !c.attempts.is_empty() {
        let items: Vec<String> = c
            .attempts
            .iter()
            .map(|a| match a.insight.as_deref() {
                Some(i) if !i.is_empty() => format!("{}: {} (insight: {i})", a.action, a.outcome),
                _ => format!("{}: {}", a.action, a.outcome),
            })
            .collect();
        lines.push(format!("Attempts: {}", items.join("; ")));
    }
    if let Some(s) = c.solution.as_deref().filter(|s| !s.is_empty()) {
        lines.push(format!("Solution: {s}"));
    }
    if let Some(ctx) = c.context.as_deref().filter(|s| !s.is_empty()) {
        lines.push(format!("Context: {ctx}"));
    }
    if !c.tags.is_empty() {
        lines.push(format!("Tags: {}", c.tags.join(", ")));
    }
    lines.join("\n")
}

/// The text of an experience's fix alone: its breakthroughs and solution, embedded for the
/// duplicate check (`model::duplicates`); `None` when it states neither.
pub fn lesson_text(c: &ExperienceContent) -> Option<String> {
    let mut parts: Vec<String> = c
        .breakthroughs
        .iter()
        .map(|b| format!("{}: {}", b.insight, b.detail))
        .collect();
    if let Some(s) = c.solution.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(s.to_string());
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The columns of the keyword index: goal, tags, domain, solution, context, and the
/// lessons (dead ends, breakthroughs, gotchas), which the hosted service leaves out. Each
/// holds the tokens of [`crate::model::keyword_tokens`], separated by spaces: what both
/// stores index.
pub struct FtsDocument {
    pub goal: String,
    pub tags: String,
    pub domain: String,
    pub solution: String,
    pub context: String,
    pub lessons: String,
}

/// The texts each keyword-index column is made of, item by item: goal, tags, domain,
/// solution, context, lessons. The one list [`fts_document`] and [`fts_document_changed`]
/// read.
fn keyword_texts(c: &ExperienceContent) -> [Vec<String>; 6] {
    let one = |text: Option<&String>| text.cloned().into_iter().collect::<Vec<_>>();
    let mut lessons = Vec::new();
    for d in &c.dead_ends {
        lessons.push(format!("{} {}", d.what, d.why));
    }
    for b in &c.breakthroughs {
        lessons.push(format!("{} {}", b.insight, b.detail));
    }
    for g in &c.gotchas {
        lessons.push(format!(
            "{} {}",
            g.warning,
            g.context.as_deref().unwrap_or("")
        ));
    }
    [
        vec![c.goal.clone()],
        c.tags.clone(),
        one(c.domain.as_ref()),
        one(c.solution.as_ref()),
        one(c.context.as_ref()),
        lessons,
    ]
}

pub fn fts_document(c: &ExperienceContent) -> FtsDocument {
    // Item by item (tag by tag, lesson by lesson): a run's single characters follow its own
    // item.
    let [goal, tags, domain, solution, context, lessons] = keyword_texts(c).map(|items| {
        items
            .iter()
            .map(|i| crate::model::keyword_tokens::index_text(i))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    });
    FtsDocument {
        goal,
        tags,
        domain,
        solution,
        context,
        lessons,
    }
}

/// Whether the keyword document of `c` differs from the raw text an older store indexed
/// (see [`crate::model::keyword_tokens::differs_from_unicode61`]).
pub fn fts_document_changed(c: &ExperienceContent) -> bool {
    keyword_texts(c)
        .iter()
        .flatten()
        .any(|t| crate::model::keyword_tokens::differs_from_unicode61(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_like_python() {
        assert_eq!(whole_percent(0.125), "12%");
        assert_eq!(whole_percent(0.135), "14%");
        assert_eq!(whole_percent(2.0 / 3.0), "67%");
        assert_eq!(whole_percent(1.0), "100%");
    }
}
