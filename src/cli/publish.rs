//! Gathering experiences to publish: from JSON files or stdin, from flags, or from prompts.
//! Every route builds the API's request JSON and goes through the same parser.

use serde_json::{Value, json};

use super::args::PublishArgs;
use super::output::Output;
use crate::error::{Error, Result};
use crate::experience::NewExperience;
use crate::experience::input::parse_experience;

/// What to publish, and whether the input was a collection (which decides the output shape).
pub struct Gathered {
    pub items: Vec<NewExperience>,
    pub bulk: bool,
}

pub fn gather(args: &PublishArgs, out: &Output) -> Result<Gathered> {
    let (values, bulk) = if !args.file.is_empty() {
        read_files(args)?
    } else if args.goal.is_some() {
        (vec![from_flags(args)?], false)
    } else if out.can_prompt() {
        (vec![prompt()?], false)
    } else {
        return Err(Error::Usage(
            "nothing to publish: pass --file FILE (--file - reads stdin), or --goal with other flags".into(),
        ));
    };
    let mut items = Vec::with_capacity(values.len());
    let mut ignored = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let prefix = if bulk {
            format!("[{i}]")
        } else {
            String::new()
        };
        let parsed = parse_experience(value, &prefix)?;
        ignored.extend(parsed.ignored_fields);
        items.push(parsed.experience);
    }
    if !ignored.is_empty() {
        ignored.truncate(10);
        out.notice(format!(
            "warning: ignoring unknown field(s): {}",
            ignored.join(", ")
        ));
    }
    if items.is_empty() {
        return Err(Error::invalid("file", "holds no experiences"));
    }
    Ok(Gathered { items, bulk })
}

/// Reads one object, a JSON array, or a stream of objects (JSON Lines, or pretty-printed
/// objects one after another) from each file.
fn read_files(args: &PublishArgs) -> Result<(Vec<Value>, bool)> {
    let mut values = Vec::new();
    let mut collection = args.file.len() > 1;
    for path in &args.file {
        let bytes = super::read_input(path)?;
        let name = if path.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        if let Err(e) = std::str::from_utf8(&bytes) {
            return Err(Error::invalid(
                "file",
                format!("{name} is not valid UTF-8 (at byte {})", e.valid_up_to()),
            ));
        }
        let mut in_file = Vec::new();
        for value in serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>() {
            let value = value.map_err(|e| {
                Error::invalid(
                    "file",
                    format!(
                        "{name} is not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                )
            })?;
            in_file.push(value);
        }
        match in_file.len() {
            0 => return Err(Error::invalid("file", format!("{name} is empty"))),
            1 => match in_file.pop() {
                Some(Value::Array(items)) => {
                    collection = true;
                    values.extend(items);
                }
                Some(v) => values.push(v),
                None => {}
            },
            _ => {
                collection = true;
                values.extend(in_file);
            }
        }
    }
    Ok((values, collection))
}

/// Splits "A :: B" into its two halves (B may be absent).
fn split_pair(text: &str) -> (String, Option<String>) {
    match text.split_once("::") {
        Some((a, b)) => (
            a.trim().to_string(),
            Some(b.trim().to_string()).filter(|b| !b.is_empty()),
        ),
        None => (text.trim().to_string(), None),
    }
}

fn from_flags(a: &PublishArgs) -> Result<Value> {
    let dead_ends: Vec<Value> = a
        .dead_ends
        .iter()
        .map(|d| {
            let (what, why) = split_pair(d);
            json!({"what": what, "why": why.unwrap_or_default()})
        })
        .collect();
    let breakthroughs: Vec<Value> = a
        .breakthroughs
        .iter()
        .map(|b| {
            let (insight, detail) = split_pair(b);
            json!({"insight": insight, "detail": detail.unwrap_or_default()})
        })
        .collect();
    let gotchas: Vec<Value> = a
        .gotchas
        .iter()
        .map(|g| {
            let (warning, context) = split_pair(g);
            json!({"warning": warning, "context": context})
        })
        .collect();
    Ok(json!({
        "goal": a.goal, "domain": a.domain, "context": a.context, "solution": a.solution,
        "tags": a.tags, "tools_used": a.tools, "dead_ends": dead_ends,
        "breakthroughs": breakthroughs, "gotchas": gotchas,
        "outcome": a.outcome.map(|o| crate::experience::Outcome::from(o).as_str()),
        "visibility": a.visibility.map(|v| crate::experience::Visibility::from(v).as_str()),
        "confidence": a.confidence,
    }))
}

/// Asks for an experience field by field (only ever on a terminal).
fn prompt() -> Result<Value> {
    use dialoguer::{Confirm, Input, Select, theme::ColorfulTheme};
    let theme = ColorfulTheme::default();
    let io = |e: dialoguer::Error| Error::other(format!("prompt: {e}"));
    let ask = |label: &str, required: bool| -> Result<String> {
        Input::<String>::with_theme(&theme)
            .with_prompt(label)
            .allow_empty(!required)
            .interact_text()
            .map_err(io)
    };
    let ask_list = |label: &str| -> Result<Vec<String>> {
        let mut items = Vec::new();
        loop {
            let item = ask(&format!("{label} (empty to finish)"), false)?;
            if item.trim().is_empty() {
                return Ok(items);
            }
            items.push(item);
        }
    };
    eprintln!("New experience (Ctrl-C to cancel). Use \"A :: B\" to add a why/detail/context.");
    let goal = Input::<String>::with_theme(&theme)
        .with_prompt("Goal (what was the task?)")
        .validate_with(|g: &String| -> std::result::Result<(), String> {
            let n = g.trim().chars().count();
            if (10..=2000).contains(&n) {
                Ok(())
            } else {
                Err(format!("10-2000 characters, got {n}"))
            }
        })
        .interact_text()
        .map_err(io)?;
    let domain = ask("Domain (e.g. deployment, databases)", false)?;
    let context = ask("Context (setup, versions, constraints)", false)?;
    let dead_ends: Vec<Value> = ask_list("Dead end: WHAT :: WHY")?
        .iter()
        .map(|d| {
            let (what, why) = split_pair(d);
            json!({"what": what, "why": why.unwrap_or_default()})
        })
        .collect();
    let breakthroughs: Vec<Value> = ask_list("Breakthrough: INSIGHT :: DETAIL")?
        .iter()
        .map(|b| {
            let (insight, detail) = split_pair(b);
            json!({"insight": insight, "detail": detail.unwrap_or_default()})
        })
        .collect();
    let gotchas: Vec<Value> = ask_list("Gotcha: WARNING :: CONTEXT")?
        .iter()
        .map(|g| {
            let (warning, context) = split_pair(g);
            json!({"warning": warning, "context": context})
        })
        .collect();
    let solution = ask("Solution (what worked)", false)?;
    let tags: Vec<String> = ask("Tags (comma-separated)", false)?
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let outcomes = ["success", "partial", "failure", "(none)"];
    let outcome = Select::with_theme(&theme)
        .with_prompt("Outcome")
        .items(outcomes)
        .default(0)
        .interact()
        .map_err(io)?;
    let visibilities = ["public", "private"];
    let visibility = Select::with_theme(&theme)
        .with_prompt("Visibility")
        .items(visibilities)
        .default(0)
        .interact()
        .map_err(io)?;
    if !Confirm::with_theme(&theme)
        .with_prompt("Save it?")
        .default(true)
        .interact()
        .map_err(io)?
    {
        return Err(Error::Usage("cancelled; nothing was written".into()));
    }
    Ok(json!({
        "goal": goal, "domain": domain, "context": context, "dead_ends": dead_ends,
        "breakthroughs": breakthroughs, "gotchas": gotchas, "solution": solution, "tags": tags,
        "outcome": if outcome < 3 { Some(outcomes[outcome]) } else { None },
        "visibility": visibilities[visibility],
    }))
}
