//! The three hosts plurum wires itself into, as their documentation describes them (checked
//! in tests/fixtures/hooks/NOTES.md): where each keeps its MCP servers and its hooks, the
//! names of its events, the units of its timeouts, and how a hook's answer must look.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::config_file::Format;

/// A coding agent that runs hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Host {
    /// Claude Code
    ClaudeCode,
    /// OpenAI Codex CLI
    Codex,
    /// Gemini CLI
    Gemini,
}

/// Where a host's configuration is written: the user's, or the project's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Scope {
    #[default]
    User,
    Project,
}

/// What a hook is for, whatever the host calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookEvent {
    /// The session begins: the directive and the project's experiences
    SessionStart,
    /// The user sent a prompt: confident matches for it (--recall)
    Prompt,
    /// A tool ran: a failure is captured (--capture)
    ToolResult,
    /// The agent is about to stop: the reminder to close captured work (--capture)
    Stop,
    /// The context is about to be compacted: the reminder, to the user (--capture)
    PreCompact,
    /// The session ended: captured work is closed into a private draft (--capture)
    SessionEnd,
}

/// Which install option a hook comes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Always,
    Recall,
    Capture,
}

/// One hook a host runs: its event name there, ours, its matcher and its time limit.
#[derive(Debug, Clone, Copy)]
pub struct Registration {
    pub host_event: &'static str,
    pub event: HookEvent,
    pub needs: Needs,
    /// Seconds; written in the host's unit.
    pub timeout_secs: u64,
}

const fn reg(host_event: &'static str, event: HookEvent, needs: Needs, t: u64) -> Registration {
    Registration {
        host_event,
        event,
        needs,
        timeout_secs: t,
    }
}

use HookEvent::*;
use Needs::*;

const CLAUDE_CODE: &[Registration] = &[
    reg("SessionStart", SessionStart, Always, 10),
    reg("UserPromptSubmit", Prompt, Recall, 10),
    // A failed tool fires PostToolUseFailure, not PostToolUse.
    reg("PostToolUseFailure", ToolResult, Capture, 10),
    reg("Stop", Stop, Capture, 10),
    reg("PreCompact", PreCompact, Capture, 10),
    // SessionEnd's default limit is 1.5 s; closing a session embeds it.
    reg("SessionEnd", SessionEnd, Capture, 15),
];

const CODEX: &[Registration] = &[
    reg("SessionStart", SessionStart, Always, 10),
    reg("UserPromptSubmit", Prompt, Recall, 10),
    // PostToolUse also fires after a Bash command that exits non-zero.
    reg("PostToolUse", ToolResult, Capture, 10),
    reg("Stop", Stop, Capture, 10),
    reg("PreCompact", PreCompact, Capture, 10),
    // Codex caps SessionEnd at 3 s.
    reg("SessionEnd", SessionEnd, Capture, 3),
];

const GEMINI: &[Registration] = &[
    reg("SessionStart", SessionStart, Always, 10),
    reg("BeforeAgent", Prompt, Recall, 10),
    reg("AfterTool", ToolResult, Capture, 10),
    reg("AfterAgent", Stop, Capture, 10),
    reg("PreCompress", PreCompact, Capture, 10),
    reg("SessionEnd", SessionEnd, Capture, 15),
];

/// A configuration file a host reads, and where in it plurum writes.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub format: Format,
}

impl Host {
    pub const ALL: [Host; 3] = [Host::ClaudeCode, Host::Codex, Host::Gemini];

    /// The name on plurum's command line.
    pub fn id(self) -> &'static str {
        match self {
            Host::ClaudeCode => "claude-code",
            Host::Codex => "codex",
            Host::Gemini => "gemini",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Host::ClaudeCode => "Claude Code",
            Host::Codex => "Codex",
            Host::Gemini => "Gemini CLI",
        }
    }

    /// The hooks plurum installs, in the host's own event names. Timeouts leave room for
    /// a cold start (the model is loaded for a prompt's search); a hook answers in well
    /// under a second.
    pub fn registrations(self) -> &'static [Registration] {
        match self {
            Host::ClaudeCode => CLAUDE_CODE,
            Host::Codex => CODEX,
            Host::Gemini => GEMINI,
        }
    }

    /// The hook definition the host's file holds for one registration.
    pub fn hook_entry(self, r: &Registration, command: &str) -> Value {
        match self {
            // Gemini counts in milliseconds and names each hook (its trust list and
            // `/hooks enable|disable` use the name).
            Host::Gemini => json!({
                "name": format!("plurum-{}", event_word(r.event)),
                "type": "command",
                "command": command,
                "timeout": r.timeout_secs * 1000,
            }),
            _ => json!({"type": "command", "command": command, "timeout": r.timeout_secs}),
        }
    }

    /// The MCP server entry that runs `plurum mcp`.
    pub fn mcp_entry(self, program: &str, args: &[String]) -> Value {
        json!({"command": program, "args": args})
    }

    /// Where the host keeps its MCP servers, for `scope` (`root`: the project's folder).
    pub fn mcp_target(self, scope: Scope, home: &Path, root: &Path) -> Target {
        let (path, format) = match (self, scope) {
            (Host::ClaudeCode, Scope::User) => (claude_home_file(home), Format::Json),
            (Host::ClaudeCode, Scope::Project) => (root.join(".mcp.json"), Format::Json),
            (Host::Codex, Scope::User) => (codex_home(home).join("config.toml"), Format::Toml),
            (Host::Codex, Scope::Project) => (root.join(".codex/config.toml"), Format::Toml),
            (Host::Gemini, _) => (self.hooks_target(scope, home, root).path, Format::Json),
        };
        Target { path, format }
    }

    /// Where the host keeps its hooks (JSON, `{"hooks": {Event: [{matcher, hooks}]}}` in all
    /// three).
    pub fn hooks_target(self, scope: Scope, home: &Path, root: &Path) -> Target {
        let path = match (self, scope) {
            (Host::ClaudeCode, Scope::User) => claude_dir(home).join("settings.json"),
            (Host::ClaudeCode, Scope::Project) => root.join(".claude/settings.json"),
            (Host::Codex, Scope::User) => codex_home(home).join("hooks.json"),
            (Host::Codex, Scope::Project) => root.join(".codex/hooks.json"),
            (Host::Gemini, Scope::User) => home.join(".gemini/settings.json"),
            (Host::Gemini, Scope::Project) => root.join(".gemini/settings.json"),
        };
        Target {
            path,
            format: Format::Json,
        }
    }

    /// Whether the user must approve new hooks or servers in the host before they run.
    pub fn approval_note(self, scope: Scope) -> &'static str {
        match (self, scope) {
            (Host::ClaudeCode, Scope::Project) => {
                "Claude Code asks you to approve the project's MCP server from .mcp.json on its next start; older versions also ask you to review changed hooks in /hooks"
            }
            (Host::ClaudeCode, Scope::User) => {
                "older Claude Code versions ask you to review changed hooks in /hooks before they run"
            }
            (Host::Codex, _) => {
                "Codex runs a new or changed hook only after you trust it: open /hooks in Codex and trust the plurum hooks (project hooks also need the project trusted)"
            }
            (Host::Gemini, Scope::Project) => {
                "Gemini CLI warns once about each new project hook before it runs it; hooks need Gemini CLI 0.27 or later (or tools.enableHooks on 0.19-0.26)"
            }
            (Host::Gemini, Scope::User) => {
                "hooks need Gemini CLI 0.27 or later (or tools.enableHooks on 0.19-0.26)"
            }
        }
    }

    /// A hook's answer, as the host documents it: context to add at session start or with a
    /// prompt, a stop held back with a reason, or a message for the user.
    pub fn render(self, reg_event: &str, reply: &Reply) -> Option<String> {
        let value = match reply {
            Reply::Nothing => return None,
            Reply::Context(text) => json!({
                "hookSpecificOutput": {"hookEventName": reg_event, "additionalContext": text}
            }),
            Reply::HoldStop(reason) => match self {
                // AfterAgent's "deny" sends the reason back as a new prompt.
                Host::Gemini => json!({"decision": "deny", "reason": reason}),
                _ => json!({"decision": "block", "reason": reason}),
            },
            Reply::TellUser(text) => json!({"systemMessage": text}),
        };
        Some(value.to_string())
    }
}

/// What a hook answers, before the host's format is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Nothing,
    Context(String),
    HoldStop(String),
    TellUser(String),
}

/// The event's name on plurum's command line.
pub fn event_word(e: HookEvent) -> &'static str {
    match e {
        HookEvent::SessionStart => "session-start",
        HookEvent::Prompt => "prompt",
        HookEvent::ToolResult => "tool-result",
        HookEvent::Stop => "stop",
        HookEvent::PreCompact => "pre-compact",
        HookEvent::SessionEnd => "session-end",
    }
}

/// `~/.claude`, or `$CLAUDE_CONFIG_DIR`.
fn claude_dir(home: &Path) -> PathBuf {
    std::env::var_os("CLAUDE_CONFIG_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".claude"))
}

/// `~/.claude.json` (user-scope MCP servers), or `$CLAUDE_CONFIG_DIR/.claude.json`.
fn claude_home_file(home: &Path) -> PathBuf {
    match std::env::var_os("CLAUDE_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join(".claude.json"),
        None => home.join(".claude.json"),
    }
}

/// `~/.codex`, or `$CODEX_HOME`.
fn codex_home(home: &Path) -> PathBuf {
    std::env::var_os("CODEX_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".codex"))
}

/// What the host's input says, whatever host sent it.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub session_id: Option<String>,
    pub cwd: Option<PathBuf>,
    pub hook_event_name: Option<String>,
    pub prompt: Option<String>,
    pub stop_hook_active: bool,
    /// A tool run that failed: what ran, and its output.
    pub failure: Option<(String, String)>,
}

impl Input {
    /// Reads a host's JSON. Unknown fields are ignored; a field of the wrong type counts as
    /// absent.
    pub fn parse(host: Host, value: &Value) -> Input {
        let s = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
        let event = s("hook_event_name");
        Input {
            session_id: s("session_id").filter(|v| !v.is_empty()),
            cwd: s("cwd").map(PathBuf::from),
            prompt: s("prompt"),
            stop_hook_active: value
                .get("stop_hook_active")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            failure: failure(host, event.as_deref(), value),
            hook_event_name: event,
        }
    }
}

/// The failing tool run a tool-result event reports, if it reports one.
fn failure(host: Host, event: Option<&str>, v: &Value) -> Option<(String, String)> {
    let tool = v.get("tool_name").and_then(Value::as_str).unwrap_or("tool");
    let input = v.get("tool_input");
    let command = input
        .and_then(|i| i.get("command"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let what = match &command {
        Some(c) => format!("`{c}` failed"),
        None => format!("{tool} failed"),
    };
    let response = v.get("tool_response");
    let output = match host {
        Host::ClaudeCode => {
            if event != Some("PostToolUseFailure") {
                return None;
            }
            if v.get("is_interrupt").and_then(Value::as_bool) == Some(true) {
                return None;
            }
            v.get("error").map(text_of).unwrap_or_default()
        }
        Host::Codex => {
            let text = response.map(text_of).unwrap_or_default();
            let failed = exit_code(&text).is_some_and(|c| c != 0)
                || response
                    .and_then(|r| r.get("exit_code"))
                    .and_then(Value::as_i64)
                    .is_some_and(|c| c != 0);
            if !failed {
                return None;
            }
            text
        }
        Host::Gemini => {
            let r = response?;
            let text = r
                .get("llmContent")
                .map(text_of)
                .unwrap_or_else(|| text_of(r));
            let error = r.get("error").filter(|e| !e.is_null());
            let failed = error.is_some() || exit_code(&text).is_some_and(|c| c != 0);
            if !failed {
                return None;
            }
            match error.and_then(|e| e.get("message")).and_then(Value::as_str) {
                Some(m) if !text.contains(m) => format!("{m}\n{text}"),
                _ => text,
            }
        }
    };
    Some((what, output))
}

/// A value as text: a string as it is, anything else as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The exit code a tool's output reports: `Exit code 1` (Claude Code), `Process exited
/// with code 1` (Codex), `Exit Code: 1` (Gemini CLI).
fn exit_code(text: &str) -> Option<i64> {
    static CODE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\bexit(?:ed)?(?: with)? code:?\s*(-?\d+)").expect("valid pattern")
    });
    CODE.captures(text).and_then(|c| c[1].parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_in_each_hosts_words() {
        assert_eq!(exit_code("Exit code 1\nerror: x"), Some(1));
        assert_eq!(exit_code("Process exited with code 101"), Some(101));
        assert_eq!(exit_code("Output: x\nExit Code: 2"), Some(2));
        assert_eq!(exit_code("all good"), None);
    }
}
