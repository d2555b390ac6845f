//! How an experience is shown: the API's projections (reference §2.6), the acquire
//! compression modes (§4.9), and the texts the search indexes are built from (§4.1, §4.2).

use serde_json::{Map, Value, json};

use super::types::*;

/// The list projection, in the API's field order.
pub fn list_json(e: &Experience) -> Map<String, Value> {
    let c = &e.content;
    let m = &e.metrics;
    let mut out = Map::new();
    out.insert("id".into(), json!(e.id));
    out.insert("short_id".into(), json!(e.short_id));
    out.insert("session_id".into(), json!(e.session_id));
    out.insert("agent_id".into(), json!(e.agent_id));
    out.insert("goal".into(), json!(c.goal));
    out.insert("domain".into(), json!(c.domain));
    out.insert("tools_used".into(), json!(c.tools_used));
    out.insert("status".into(), json!(e.status));
    out.insert("visibility".into(), json!(c.visibility));
    out.insert("outcome".into(), json!(c.outcome));
    out.insert("success_count".into(), json!(m.success_count));
    out.insert("failure_count".into(), json!(m.failure_count));
    out.insert("total_reports".into(), json!(m.total_reports));
    out.insert("success_rate".into(), json!(m.success_rate));
    out.insert("upvotes".into(), json!(m.upvotes));
    out.insert("downvotes".into(), json!(m.downvotes));
    out.insert("quality_score".into(), json!(m.quality_score));
    out.insert("created_at".into(), json!(e.created_at));
    out.insert("updated_at".into(), json!(e.updated_at));
    out.insert("tags".into(), json!(c.tags));
    out.insert("confidence".into(), json!(c.confidence));
    out.insert("artifacts".into(), json!(e.artifacts));
    if let Some(origin) = &e.origin {
        out.insert("origin".into(), json!(origin));
    }
    out
}

/// The detail projection. `artifacts` is metadata unless the caller passes the full
/// artifacts (the HTTP API does, as the hosted service returns code inline).
pub fn detail_json(e: &Experience, full_artifacts: Option<&[Artifact]>) -> Map<String, Value> {
    let c = &e.content;
    let mut out = list_json(e);
    out.insert("dead_ends".into(), json!(c.dead_ends));
    out.insert("breakthroughs".into(), json!(c.breakthroughs));
    out.insert("gotchas".into(), json!(c.gotchas));
    out.insert("context".into(), json!(c.context));
    let artifacts = match full_artifacts {
        Some(full) => json!(full),
        None => json!(e.artifacts),
    };
    // Re-insert so `artifacts` sits where the detail projection puts it.
    out.shift_remove("artifacts");
    out.insert("artifacts".into(), artifacts);
    out.insert("attempts_json".into(), json!(c.attempts));
    out.insert("solution".into(), json!(c.solution));
    out.insert("context_structured".into(), json!(c.context_structured));
    out
}

/// Python's `{:.0%}`: whole percent, ties to even (0.125 → "12%").
fn whole_percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// The `content` object of `acquire` (reference §4.9).
pub fn acquire_content(e: &Experience, mode: AcquireMode, artifacts: &[Artifact]) -> Value {
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
            json!({"summary": parts.join(" ")})
        }
        AcquireMode::Checklist => json!({
            "do": c.breakthroughs.iter().map(|b| format!("{}: {}", b.insight, b.detail)).collect::<Vec<_>>(),
            "dont": c.dead_ends.iter().map(|d| format!("{} - {}", d.what, d.why)).collect::<Vec<_>>(),
            "watch": c.gotchas.iter().map(|g| g.warning.clone()).collect::<Vec<_>>(),
        }),
        AcquireMode::DecisionTree => {
            let mut decisions = Vec::new();
            for b in &c.breakthroughs {
                decisions.push(json!({
                    "condition": format!("If working on: {}", c.goal),
                    "action": b.insight, "detail": b.detail, "type": "do",
                }));
            }
            for d in &c.dead_ends {
                decisions.push(json!({
                    "condition": format!("If considering: {}", d.what),
                    "action": "Avoid this approach", "detail": d.why, "type": "avoid",
                }));
            }
            for g in &c.gotchas {
                let condition = match g.context.as_deref() {
                    Some(ctx) if !ctx.is_empty() => ctx.to_string(),
                    _ => format!("When: {}", c.goal),
                };
                decisions.push(json!({
                    "condition": condition,
                    "action": format!("Watch out: {}", g.warning), "detail": "", "type": "warning",
                }));
            }
            json!({"decisions": decisions})
        }
        AcquireMode::Full => json!({
            "goal": c.goal,
            "domain": c.domain,
            "tools_used": c.tools_used,
            "outcome": c.outcome,
            "dead_ends": c.dead_ends,
            "breakthroughs": c.breakthroughs,
            "gotchas": c.gotchas,
            "context": c.context,
            "artifacts": artifacts,
            "success_rate": e.metrics.success_rate,
            "total_reports": e.metrics.total_reports,
            "trust_score": e.metrics.quality_score,
            "attempts": c.attempts,
            "solution": c.solution,
            "tags": c.tags,
            "confidence": c.confidence,
            "context_structured": c.context_structured,
        }),
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

/// The columns of the keyword index: goal, tags, domain, solution, context, and the
/// lessons (dead ends, breakthroughs, gotchas), which the hosted service leaves out.
pub struct FtsDocument {
    pub goal: String,
    pub tags: String,
    pub domain: String,
    pub solution: String,
    pub context: String,
    pub lessons: String,
}

pub fn fts_document(c: &ExperienceContent) -> FtsDocument {
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
    FtsDocument {
        goal: c.goal.clone(),
        tags: c.tags.join(" "),
        domain: c.domain.clone().unwrap_or_default(),
        solution: c.solution.clone().unwrap_or_default(),
        context: c.context.clone().unwrap_or_default(),
        lessons: lessons.join("\n"),
    }
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
