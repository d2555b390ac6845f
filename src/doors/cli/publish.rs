//! Gathering experiences to publish: from JSON files or stdin, from flags, or from prompts.
//! Every route builds the API's request JSON and goes through the same parser.

use serde_json::{Value, json};

use super::args::PublishArgs;
use super::output::Output;
use crate::error::{Error, Result};
use crate::model::experience::NewExperience;
use crate::model::experience::input::parse_experience;

/// What to publish, and whether the input was a collection (which decides the output shape).
pub struct Gathered {
    pub items: Vec<NewExperience>,
    pub bulk: bool,
    /// Keep as a draft (asked at the prompts; `--draft` otherwise).
    pub draft: bool,
}

pub fn gather(args: &PublishArgs, out: &Output) -> Result<Gathered> {
    let mut draft = args.draft;
    let (values, bulk) = if !args.file.is_empty() {
        read_files(args)?
    } else if args.goal.is_some() {
        (vec![from_flags(args)?], false)
    } else if out.can_prompt() {
        let (value, as_draft) = prompt(args.draft)?;
        draft = as_draft;
        (vec![value], false)
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
    Ok(Gathered { items, bulk, draft })
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
        "outcome": a.outcome.map(|o| crate::model::experience::Outcome::from(o).as_str()),
        "visibility": a.visibility.map(|v| crate::model::experience::Visibility::from(v).as_str()),
        "confidence": a.confidence,
    }))
}

/// While the prompts run: Ctrl-C (which arrives as SIGINT, also when dialoguer reads keys
/// in raw mode) says so, shows the cursor again and ends with the shell's Ctrl-C code, 130;
/// leaving the prompts any other way shows the cursor too. Nothing is written before the
/// last confirm, so there is nothing to undo.
struct PromptGuard {
    #[cfg(unix)]
    previous: libc::sighandler_t,
}

const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

#[cfg(unix)]
extern "C" fn on_interrupt(_: libc::c_int) {
    const MESSAGE: &[u8] = b"\ncancelled; nothing was written\n";
    // Only async-signal-safe calls here: write(2) and _exit(2).
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::write(2, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
        libc::_exit(130);
    }
}

impl PromptGuard {
    fn new() -> PromptGuard {
        #[cfg(unix)]
        {
            let handler = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the handler only makes async-signal-safe calls.
            let previous = unsafe { libc::signal(libc::SIGINT, handler) };
            PromptGuard { previous }
        }
        #[cfg(not(unix))]
        PromptGuard {}
    }
}

impl Drop for PromptGuard {
    fn drop(&mut self) {
        let _ = console::Term::stderr().show_cursor();
        #[cfg(unix)]
        unsafe {
            libc::signal(libc::SIGINT, self.previous);
        }
    }
}

/// The language of a code file, guessed from its name (the prompt's default).
fn language_of(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name == "dockerfile" || name.starts_with("dockerfile.") {
        return "dockerfile".into();
    }
    if name == "makefile" {
        return "makefile".into();
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "sh" | "bash" => "bash",
        "py" => "python",
        "rs" => "rust",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" => "typescript",
        "yml" | "yaml" => "yaml",
        "md" => "markdown",
        "rb" => "ruby",
        "" => "text",
        other => other,
    }
    .to_string()
}

/// Asks for an experience field by field (only ever on a terminal), shows it, and asks
/// before anything is written. Returns the experience and whether to keep it as a draft.
fn prompt(draft_flag: bool) -> Result<(Value, bool)> {
    use dialoguer::{Confirm, Input, Select, theme::ColorfulTheme};
    let _guard = PromptGuard::new();
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
    let comma_list = |text: String| -> Vec<String> {
        text.split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let _ = console::Term::stderr().write_line(
        "New experience (Ctrl-C to cancel). Use \"A :: B\" to add a why/detail/context.",
    );
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
    let tools = comma_list(ask("Tools used (comma-separated)", false)?);
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
    let mut artifacts = Vec::new();
    loop {
        let file = Input::<String>::with_theme(&theme)
            .with_prompt("Artifact: a code file to attach (empty to finish)")
            .allow_empty(true)
            .validate_with(|f: &String| -> std::result::Result<(), String> {
                let f = f.trim();
                if f.is_empty() || std::path::Path::new(f).is_file() {
                    Ok(())
                } else {
                    Err(format!("no such file: {f}"))
                }
            })
            .interact_text()
            .map_err(io)?;
        let file = file.trim();
        if file.is_empty() {
            break;
        }
        let path = std::path::PathBuf::from(file);
        let code = String::from_utf8(super::read_input(&path)?)
            .map_err(|_| Error::invalid("artifacts", format!("{file} is not UTF-8 text")))?;
        let language = Input::<String>::with_theme(&theme)
            .with_prompt("  Language")
            .default(language_of(&path))
            .interact_text()
            .map_err(io)?;
        let description = ask("  Description (what it is)", false)?;
        artifacts.push(json!({
            "language": language.trim(), "code": code,
            "description": Some(description.trim()).filter(|d| !d.is_empty()),
        }));
    }
    let tags = comma_list(ask("Tags (comma-separated)", false)?);
    let outcomes = ["success", "partial", "failure", "(none)"];
    let outcome = Select::with_theme(&theme)
        .with_prompt("Outcome")
        .items(outcomes)
        .default(0)
        .interact()
        .map_err(io)?;
    let visibilities = ["public", "team", "private"];
    let visibility = Select::with_theme(&theme)
        .with_prompt("Visibility")
        .items(visibilities)
        .default(0)
        .interact()
        .map_err(io)?;
    let draft = draft_flag
        || Confirm::with_theme(&theme)
            .with_prompt("Keep it as a draft (publish later)?")
            .default(false)
            .interact()
            .map_err(io)?;
    let value = json!({
        "goal": goal, "domain": domain, "context": context, "tools_used": tools,
        "dead_ends": dead_ends, "breakthroughs": breakthroughs, "gotchas": gotchas,
        "solution": solution, "artifacts": artifacts, "tags": tags,
        "outcome": if outcome < 3 { Some(outcomes[outcome]) } else { None },
        "visibility": visibilities[visibility],
    });
    let _ = console::Term::stderr().write_line(&preview(&value, draft));
    if !Confirm::with_theme(&theme)
        .with_prompt(if draft {
            "Save it as a draft?"
        } else {
            "Publish it?"
        })
        .default(true)
        .interact()
        .map_err(io)?
    {
        return Err(Error::Usage("cancelled; nothing was written".into()));
    }
    Ok((value, draft))
}

/// What the prompts gathered, as it will be written.
fn preview(v: &Value, draft: bool) -> String {
    let text = |key: &str| v[key].as_str().unwrap_or_default().trim().to_string();
    let list = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect()
    };
    let pair = |item: &Value, a: &str, b: &str| -> String {
        let first = item[a].as_str().unwrap_or_default();
        match item[b].as_str().filter(|s| !s.is_empty()) {
            Some(second) => format!("{first} :: {second}"),
            None => first.to_string(),
        }
    };
    let mut lines = vec![String::new(), console::style("Preview").bold().to_string()];
    lines.push(format!("  goal        {}", text("goal")));
    for (label, key) in [
        ("domain", "domain"),
        ("context", "context"),
        ("solution", "solution"),
    ] {
        let value = text(key);
        if !value.is_empty() {
            lines.push(format!("  {label:<11} {value}"));
        }
    }
    for (label, key) in [("tools", "tools_used"), ("tags", "tags")] {
        let items = list(key);
        if !items.is_empty() {
            lines.push(format!("  {label:<11} {}", items.join(", ")));
        }
    }
    for (label, key, a, b) in [
        ("dead end", "dead_ends", "what", "why"),
        ("breakthrough", "breakthroughs", "insight", "detail"),
        ("gotcha", "gotchas", "warning", "context"),
    ] {
        for item in v[key].as_array().into_iter().flatten() {
            lines.push(format!("  {label:<11} {}", pair(item, a, b)));
        }
    }
    for a in v["artifacts"].as_array().into_iter().flatten() {
        let code = a["code"].as_str().unwrap_or_default();
        lines.push(format!(
            "  artifact    {} ({} lines){}",
            a["language"].as_str().unwrap_or_default(),
            code.lines().count(),
            a["description"]
                .as_str()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ));
    }
    lines.push(format!(
        "  outcome     {}",
        v["outcome"].as_str().unwrap_or("(none)")
    ));
    lines.push(format!("  visibility  {}", text("visibility")));
    lines.push(format!(
        "  status      {}",
        if draft { "draft" } else { "published" }
    ));
    lines.join("\n")
}
