//! The fourth front door: a coding agent's hooks (`plurum hook --host HOST EVENT`, the
//! host's JSON on stdin), and the commands that install them (`plurum hooks`).
//!
//! A hook never blocks or breaks its host: whatever goes wrong (no store, a locked store,
//! no model, input that is not what the host documents), it exits 0 having printed
//! nothing, and says why in one line of `hooks/hooks.log` under plurum's data folder.
//! What it prints is the host's documented JSON (`hosts::Host::render`).

pub mod config_file;
pub mod hosts;
pub mod install;
mod state;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::ops::hooks::Brief;
use crate::ops::{OpenOptions, Plurum};
use hosts::{HookEvent, Host, Input, Reply};

/// How long a hook waits for another process's lock on the store.
pub const LOCK_WAIT: Duration = Duration::from_millis(100);
/// The longest line a hook writes about one experience.
const LINE_WIDTH: usize = 200;
/// The log is cut back to nothing when it grows past this.
const LOG_LIMIT: u64 = 1 << 20;

/// How the hook reaches the store: the options of its command line, and the words that
/// start every plurum command it tells the agent about.
pub struct HookContext {
    pub options: OpenOptions,
    pub agent: Option<String>,
    /// `/abs/plurum --db … --agent …`, as a shell command prefix.
    pub command: String,
}

/// Runs one hook: reads `stdin`, answers on stdout. Always exit code 0.
pub fn run(host: Host, event: HookEvent, stdin: &[u8], cx: &HookContext) -> Option<String> {
    let data_dir = cx.options.paths.data_dir.clone();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        answer(host, event, stdin, cx)
    }));
    let reply = match outcome {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => {
            log(&data_dir, host, event, &e.to_string());
            Reply::Nothing
        }
        Err(_) => {
            log(&data_dir, host, event, "the hook panicked");
            Reply::Nothing
        }
    };
    let host_event = host
        .registrations()
        .iter()
        .find(|r| r.event == event)
        .map(|r| r.host_event)
        .unwrap_or("");
    host.render(host_event, &reply)
}

/// One line in the hook log, with the time; the log starts over when it grows too big.
fn log(data_dir: &Path, host: Host, event: HookEvent, message: &str) {
    use std::io::Write;
    let path = data_dir.join("hooks").join("hooks.log");
    let _ = std::fs::create_dir_all(path.parent().expect("a folder"));
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > LOG_LIMIT) {
        let _ = std::fs::remove_file(&path);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let line = message.replace('\n', " ");
        let _ = writeln!(
            f,
            "{} {} {}: {line}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            host.id(),
            hosts::event_word(event)
        );
    }
}

fn answer(host: Host, event: HookEvent, stdin: &[u8], cx: &HookContext) -> Result<Reply> {
    let value: serde_json::Value = serde_json::from_slice(stdin)
        .map_err(|e| Error::Usage(format!("the host's input is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(Error::Usage("the host's input is not a JSON object".into()));
    }
    let input = Input::parse(host, &value);
    // Nothing to do before the store is opened: most tool runs succeed.
    if event == HookEvent::ToolResult && input.failure.is_none() {
        return Ok(Reply::Nothing);
    }
    if event == HookEvent::Stop && input.stop_hook_active {
        return Ok(Reply::Nothing);
    }
    if cx.options.database_url.is_none() && !cx.options.db.exists() {
        return Err(Error::other(format!(
            "no store at {} (create one with `plurum publish`, or install the hooks with --db)",
            cx.options.db.display()
        )));
    }
    let mut options = cx.options.clone();
    options.busy_timeout = Some(LOCK_WAIT);
    let plurum = Plurum::open(options)?;
    let agent = plurum.acting_agent(cx.agent.as_deref())?;
    let cwd = input
        .cwd
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let states = state::States::new(&cx.options.paths.data_dir, host);
    match event {
        HookEvent::SessionStart => {
            let words = project_words(&cwd);
            let briefs = plurum.project_briefing(&agent, &words)?;
            if let Some(id) = &input.session_id {
                states.update(id, |s| s.shown.extend(briefs.iter().map(|b| b.id.clone())))?;
            }
            Ok(Reply::Context(directive(&cx.command, &briefs)))
        }
        HookEvent::Prompt => {
            let Some(prompt) = input.prompt.as_deref() else {
                return Ok(Reply::Nothing);
            };
            let id = input.session_id.clone().unwrap_or_default();
            let seen = states.load(&id).shown.into_iter().collect();
            let briefs = plurum.recall(&agent, prompt, &seen)?;
            if briefs.is_empty() {
                return Ok(Reply::Nothing);
            }
            if !id.is_empty() {
                states.update(&id, |s| s.shown.extend(briefs.iter().map(|b| b.id.clone())))?;
            }
            Ok(Reply::Context(recalled(&cx.command, &briefs)))
        }
        HookEvent::ToolResult => {
            let (what, output) = input.failure.clone().expect("checked above");
            let id = input.session_id.clone().unwrap_or_else(|| "unknown".into());
            capture(&plurum, &agent, &states, host, &id, &cwd, &what, &output)?;
            Ok(Reply::Nothing)
        }
        HookEvent::Stop | HookEvent::PreCompact => {
            let Some(id) = &input.session_id else {
                return Ok(Reply::Nothing);
            };
            let st = states.load(id);
            if st.reminded {
                return Ok(Reply::Nothing);
            }
            let Some(session) = st.session.as_deref() else {
                return Ok(Reply::Nothing);
            };
            let entries = match plurum.open_entries(&agent, session)? {
                Some(n) if n > 0 => n,
                _ => return Ok(Reply::Nothing),
            };
            let text = reminder(&cx.command, session, entries);
            if event == HookEvent::PreCompact {
                // No channel reaches the agent here: the user is told, the agent still will be.
                return Ok(Reply::TellUser(text));
            }
            states.update(id, |s| s.reminded = true)?;
            Ok(Reply::HoldStop(text))
        }
        HookEvent::SessionEnd => {
            let Some(id) = &input.session_id else {
                return Ok(Reply::Nothing);
            };
            if let Some(session) = states.load(id).session {
                match plurum.open_entries(&agent, &session)? {
                    Some(n) if n > 0 => {
                        plurum.close_session(&agent, &session, None)?;
                    }
                    Some(_) => {
                        plurum.abandon_session(&agent, &session)?;
                    }
                    None => {}
                }
            }
            states.forget(id);
            Ok(Reply::Nothing)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn capture(
    plurum: &Plurum,
    agent: &Agent,
    states: &state::States,
    host: Host,
    id: &str,
    cwd: &Path,
    what: &str,
    output: &str,
) -> Result<()> {
    // Held across open-and-log, so two failures at once open one session.
    let _lock = states.lock(id)?;
    let st = states.load(id);
    let open = match st.session.as_deref() {
        Some(s) => plurum.open_entries(agent, s)?.map(|_| s.to_string()),
        None => None,
    };
    let session = match open {
        Some(s) => s,
        None => {
            let folder = project_root(cwd)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "a project".into());
            let short: String = id.chars().take(8).collect();
            let topic = format!("Work in {folder} ({} session {short})", host.title());
            let tools = project_words(cwd).into_iter().skip(1).take(10).collect();
            let s = plurum.open_capture_session(agent, &topic, tools)?;
            states.update_locked(id, |st| {
                st.session = Some(s.clone());
                st.reminded = false;
            })?;
            s
        }
    };
    plurum.capture_failure(agent, &session, what, output)
}

/// The words the project holding `cwd` shows (`crate::model::project`): its root is the git
/// work tree holding `cwd` (a host may run in a subfolder), else `cwd`.
pub fn project_words(cwd: &Path) -> Vec<String> {
    let cwd = &project_root(cwd);
    let folder = cwd.file_name().map(|n| n.to_string_lossy().to_string());
    let remote = git_remote(cwd);
    let present: Vec<&str> = crate::model::project::MARKERS
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| match m.strip_suffix('/') {
            Some(dir) => cwd.join(dir).is_dir(),
            None => cwd.join(m).is_file(),
        })
        .collect();
    crate::model::project::project_words(folder.as_deref(), remote.as_deref(), &present)
}

/// The URL of the `origin` remote (or the first one) in `.git/config`, read directly: a
/// hook cannot wait for a `git` process.
fn git_remote(cwd: &Path) -> Option<String> {
    let mut dir: Option<&Path> = Some(cwd);
    while let Some(d) = dir {
        let config = d.join(".git").join("config");
        if let Ok(text) = std::fs::read_to_string(&config) {
            let mut section = String::new();
            let mut first = None;
            for line in text.lines().map(str::trim) {
                if line.starts_with('[') {
                    section = line.to_string();
                } else if let Some(url) = line.strip_prefix("url").map(str::trim_start)
                    && let Some(url) = url.strip_prefix('=')
                    && section.starts_with("[remote ")
                {
                    if section == "[remote \"origin\"]" {
                        return Some(url.trim().to_string());
                    }
                    first.get_or_insert(url.trim().to_string());
                }
            }
            return first;
        }
        dir = d.parent();
    }
    None
}

/// What the session-start hook says: how to use plurum here, and the project's experiences.
pub fn directive(command: &str, briefs: &[Brief]) -> String {
    let mut text = String::from(
        "plurum: experiences that agents published (goal, dead ends, breakthroughs, gotchas, code) are searchable on this machine. \
         Before fresh work on a non-trivial task, search them (MCP tool plurum_search; shell: `plurum search \"<the task>\"`), \
         apply a match (plurum_acquire; `plurum acquire ID --mode checklist`) and report whether it worked \
         (plurum_report_outcome; `plurum outcome ID --success` or `--failure`). \
         After non-trivial work, publish what you learned (plurum_publish; `plurum publish --file EXPERIENCE.json`).",
    );
    if command != "plurum" {
        text.push_str(&format!(" In the shell, `plurum` is `{command}`."));
    }
    if !briefs.is_empty() {
        text.push_str("\nExperiences for this project:");
        for b in briefs {
            text.push_str("\n- ");
            text.push_str(&b.line(LINE_WIDTH));
        }
    }
    text
}

/// What the prompt hook says when experiences match.
pub fn recalled(command: &str, briefs: &[Brief]) -> String {
    let mut text = format!(
        "plurum has experiences that match this request (read one with plurum_acquire or `{command} acquire ID --mode checklist`):"
    );
    for b in briefs {
        text.push_str("\n- ");
        text.push_str(&b.line(LINE_WIDTH));
    }
    text
}

/// The reminder to close captured work into an experience.
pub fn reminder(command: &str, session: &str, entries: i64) -> String {
    let runs = if entries == 1 { "run" } else { "runs" };
    format!(
        "plurum captured {entries} failing tool {runs} of this session in private session {session}. \
         If you solved something worth keeping, log the fix and close the session into an experience: \
         `{command} session log {session} breakthrough --insight \"<what worked>\" --detail \"<how>\"`, then \
         `{command} session close {session} --outcome success` (MCP: plurum_session_log, then plurum_session_close with \
         session_id {session}). If not, just stop: when the session ends it is kept as a private draft."
    )
}

/// The default folder a `--scope project` install writes to: the git work tree holding
/// `cwd`, or `cwd` itself.
pub fn project_root(cwd: &Path) -> PathBuf {
    let mut dir: Option<&Path> = Some(cwd);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    cwd.to_path_buf()
}
