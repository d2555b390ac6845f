//! `plurum hooks install|uninstall|status`: plurum's MCP server and hooks written into a
//! host's own configuration files, merged with what is there.
//!
//! What install adds is recognisable on its own (the MCP server `plurum` running
//! `… mcp`; hook commands holding `hook --host HOST`), and what it had to create (a file,
//! an object, a switch) is recorded in a manifest under plurum's data folder, so uninstall
//! removes exactly that and nothing else. Every file changed is backed up there first.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::config_file::{ConfigFile, Doc, Format, object_at, remove_if_empty};
use super::hosts::{Host, Needs, Scope, event_word};
use crate::error::{Error, Result};

/// What to install.
#[derive(Debug, Clone)]
pub struct Plan {
    pub host: Host,
    pub scope: Scope,
    pub recall: bool,
    pub capture: bool,
    /// The program and the global options every command starts with
    /// (`/abs/plurum --db /abs/store.db --agent NAME`), each one word.
    pub prefix: Vec<String>,
    pub home: PathBuf,
    /// The project's folder (`--scope project`).
    pub root: PathBuf,
    /// plurum's data folder: the manifest and backups.
    pub data_dir: PathBuf,
}

/// One file's part in an install.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    pub path: PathBuf,
    /// Install created the file.
    pub created_file: bool,
    /// Objects install created in it (JSON pointers; TOML tables as `/a/b`).
    pub created: Vec<String>,
    /// Switches install set (pointers); uninstall removes them.
    pub switches: Vec<String>,
    /// The file as it was before install last changed it.
    pub backup: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    files: Vec<FileRecord>,
}

impl Manifest {
    fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("hooks").join("installed.json")
    }

    fn load(data_dir: &Path) -> Manifest {
        std::fs::read(Self::path(data_dir))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn save(&self, data_dir: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("serialisable") + "\n";
        ConfigFile::write(&Self::path(data_dir), &text)
    }

    fn record(&mut self, path: &Path) -> &mut FileRecord {
        if let Some(i) = self.files.iter().position(|f| f.path == path) {
            return &mut self.files[i];
        }
        self.files.push(FileRecord {
            path: path.to_path_buf(),
            ..Default::default()
        });
        self.files.last_mut().expect("just pushed")
    }
}

/// What install or uninstall did to one file.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub path: PathBuf,
    /// created, updated, unchanged, removed (the file), or absent.
    pub action: &'static str,
    pub backup: Option<PathBuf>,
}

/// The shell form of `words`: each word bare when it is plain, quoted otherwise.
pub fn command_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| crate::ops::shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// True for a hook command plurum installed for `host`.
pub fn is_our_command(host: Host, command: &str) -> bool {
    command.contains(&format!(" hook --host {} ", host.id()))
}

/// True for an MCP server entry that runs `plurum … mcp`.
fn is_our_server(entry: &Value) -> bool {
    let program = entry.get("command").and_then(Value::as_str).unwrap_or("");
    let last_arg = entry
        .get("args")
        .and_then(Value::as_array)
        .and_then(|a| a.last())
        .and_then(Value::as_str);
    program_is_plurum(program) && last_arg == Some("mcp")
}

fn program_is_plurum(program: &str) -> bool {
    Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("plurum"))
}

/// The server name plurum registers under.
pub const SERVER_NAME: &str = "plurum";

pub fn install(plan: &Plan) -> Result<Vec<Change>> {
    let mut manifest = Manifest::load(&plan.data_dir);
    let hooks = plan.host.hooks_target(plan.scope, &plan.home, &plan.root);
    let mcp = plan.host.mcp_target(plan.scope, &plan.home, &plan.root);
    // Parse every file before changing any: a broken one stops the install untouched.
    let mut files = vec![ConfigFile::load(&mcp.path, mcp.format)?];
    if hooks.path != mcp.path {
        files.push(ConfigFile::load(&hooks.path, hooks.format)?);
    }
    let mut program_args: Vec<String> = plan.prefix[1..].to_vec();
    program_args.push("mcp".into());
    let server = plan.host.mcp_entry(&plan.prefix[0], &program_args);
    let mut changes = Vec::new();
    for mut file in files {
        let mut created = Vec::new();
        let mut switches = Vec::new();
        if file.path == mcp.path {
            add_server(&mut file, &server, &mut created)?;
            if plan.host == Host::Codex {
                set_codex_switch(&mut file, &mut created, &mut switches);
            }
        }
        if file.path == hooks.path {
            add_hooks(&mut file, plan, &mut created)?;
            if plan.host == Host::Gemini {
                set_gemini_switch(&mut file, &mut created, &mut switches);
            }
            // An event list an earlier install created and this one emptied goes.
            let mut earlier = manifest
                .files
                .iter()
                .find(|f| f.path == file.path)
                .map(|f| f.created.clone())
                .unwrap_or_default();
            earlier.retain(|p| !created.contains(p));
            remove_if_empty(file.json(), &earlier);
        }
        let action = match (&file.original, file.changed()) {
            (_, false) => "unchanged",
            (None, true) => "created",
            (Some(_), true) => "updated",
        };
        let mut backup = None;
        if file.changed() {
            if let Some(original) = &file.original {
                backup = Some(write_backup(&plan.data_dir, &file.path, original)?);
            }
            ConfigFile::write(&file.path, &file.render())?;
            let record = manifest.record(&file.path);
            if file.original.is_none() {
                record.created_file = true;
            }
            for c in created {
                if !record.created.contains(&c) {
                    record.created.push(c);
                }
            }
            for s in switches {
                if !record.switches.contains(&s) {
                    record.switches.push(s);
                }
            }
            if backup.is_some() {
                record.backup = backup.clone();
            }
        }
        changes.push(Change {
            path: file.path.clone(),
            action,
            backup,
        });
    }
    manifest.save(&plan.data_dir)?;
    Ok(changes)
}

pub fn uninstall(
    host: Host,
    scope: Scope,
    home: &Path,
    root: &Path,
    data_dir: &Path,
) -> Result<Vec<Change>> {
    let mut manifest = Manifest::load(data_dir);
    let hooks = host.hooks_target(scope, home, root);
    let mcp = host.mcp_target(scope, home, root);
    let mut targets = vec![mcp.clone()];
    if hooks.path != mcp.path {
        targets.push(hooks.clone());
    }
    let mut files = Vec::new();
    for t in &targets {
        files.push(ConfigFile::load(&t.path, t.format)?);
    }
    let mut changes = Vec::new();
    for mut file in files {
        if file.original.is_none() {
            changes.push(Change {
                path: file.path.clone(),
                action: "absent",
                backup: None,
            });
            continue;
        }
        let record = manifest
            .files
            .iter()
            .find(|f| f.path == file.path)
            .cloned()
            .unwrap_or_default();
        if file.path == mcp.path {
            remove_server(&mut file);
        }
        if file.path == hooks.path {
            remove_hooks(&mut file, host);
        }
        for s in &record.switches {
            remove_pointer(&mut file, s);
        }
        match &mut file.doc {
            Doc::Json(d) => remove_if_empty(&mut d.value, &record.created),
            Doc::Toml(d) => remove_empty_tables(d, &record.created),
        }
        let action = if !file.changed() {
            "unchanged"
        } else if record.created_file && file.is_empty() {
            ConfigFile::remove(&file.path)?;
            "removed"
        } else {
            // Back to the very bytes of the backup when nothing else changed since.
            let content = match record
                .backup
                .as_deref()
                .and_then(|b| std::fs::read_to_string(b).ok())
            {
                Some(before) if same_content(&file, &before) => before,
                _ => file.render(),
            };
            ConfigFile::write(&file.path, &content)?;
            "updated"
        };
        if action != "unchanged" {
            manifest.files.retain(|f| f.path != file.path);
        }
        changes.push(Change {
            path: file.path.clone(),
            action,
            backup: None,
        });
    }
    manifest.save(data_dir)?;
    Ok(changes)
}

/// True when `before` parses to what `file` now holds.
fn same_content(file: &ConfigFile, before: &str) -> bool {
    match &file.doc {
        Doc::Json(d) => serde_json::from_str::<Value>(before).is_ok_and(|v| v == d.value),
        Doc::Toml(d) => before
            .parse::<toml::Table>()
            .ok()
            .zip(d.to_string().parse::<toml::Table>().ok())
            .is_some_and(|(a, b)| a == b),
    }
}

fn write_backup(data_dir: &Path, path: &Path, content: &str) -> Result<PathBuf> {
    let name: String = path
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let backup = data_dir
        .join("hooks")
        .join("backups")
        .join(format!("{stamp}{name}"));
    ConfigFile::write(&backup, content)?;
    Ok(backup)
}

fn add_server(file: &mut ConfigFile, server: &Value, created: &mut Vec<String>) -> Result<()> {
    match &mut file.doc {
        Doc::Json(d) => {
            let servers = object_at(&mut d.value, &["mcpServers"], created)?;
            if servers.get(SERVER_NAME) != Some(server) {
                servers.insert(SERVER_NAME.into(), server.clone());
            }
        }
        Doc::Toml(doc) => {
            let servers = toml_table(doc.as_table_mut(), "mcp_servers", "/mcp_servers", created)?;
            servers.set_implicit(true);
            let mut entry = toml_edit::Table::new();
            entry.insert(
                "command",
                toml_edit::value(server["command"].as_str().unwrap_or("")),
            );
            let mut args = toml_edit::Array::new();
            for a in server["args"].as_array().into_iter().flatten() {
                args.push(a.as_str().unwrap_or(""));
            }
            entry.insert("args", toml_edit::value(args));
            let same = servers
                .get(SERVER_NAME)
                .and_then(|t| t.as_table())
                .is_some_and(|t| t.to_string() == entry.to_string());
            if !same {
                servers.insert(SERVER_NAME, toml_edit::Item::Table(entry));
            }
        }
    }
    Ok(())
}

fn toml_table<'a>(
    parent: &'a mut toml_edit::Table,
    key: &str,
    pointer: &str,
    created: &mut Vec<String>,
) -> Result<&'a mut toml_edit::Table> {
    if !parent.contains_key(key) {
        parent.insert(key, toml_edit::Item::Table(toml_edit::Table::new()));
        created.push(pointer.to_string());
    }
    parent[key]
        .as_table_mut()
        .ok_or_else(|| Error::invalid(key.to_string(), "is not a TOML table"))
}

fn remove_server(file: &mut ConfigFile) {
    match &mut file.doc {
        Doc::Json(d) => {
            if let Some(servers) = d.value.get_mut("mcpServers").and_then(Value::as_object_mut)
                && servers.get(SERVER_NAME).is_some_and(is_our_server)
            {
                servers.shift_remove(SERVER_NAME);
            }
        }
        Doc::Toml(doc) => {
            if let Some(servers) = doc.get_mut("mcp_servers").and_then(|s| s.as_table_mut()) {
                let ours = servers
                    .get(SERVER_NAME)
                    .and_then(|t| t.as_table())
                    .is_some_and(|t| {
                        let program = t.get("command").and_then(|c| c.as_str()).unwrap_or("");
                        let last = t
                            .get("args")
                            .and_then(|a| a.as_array())
                            .and_then(|a| a.iter().last())
                            .and_then(|v| v.as_str());
                        program_is_plurum(program) && last == Some("mcp")
                    });
                if ours {
                    servers.remove(SERVER_NAME);
                }
            }
        }
    }
}

/// Codex before 0.124 runs hooks only with `[features] codex_hooks = true` (later versions
/// accept the key as an alias of `hooks`, on by default).
fn set_codex_switch(file: &mut ConfigFile, created: &mut Vec<String>, switches: &mut Vec<String>) {
    let doc = file.toml();
    let features = match toml_table(doc.as_table_mut(), "features", "/features", created) {
        Ok(t) => t,
        Err(_) => return,
    };
    if !features.contains_key("codex_hooks") && !features.contains_key("hooks") {
        features.insert("codex_hooks", toml_edit::value(true));
        switches.push("/features/codex_hooks".into());
    }
}

/// Gemini CLI 0.19-0.26 ran hooks only with them enabled in `hooks` (later versions skip
/// the key and run hooks unless `hooksConfig.enabled` is false).
fn set_gemini_switch(file: &mut ConfigFile, created: &mut Vec<String>, switches: &mut Vec<String>) {
    if let Ok(hooks) = object_at(file.json(), &["hooks"], created)
        && !hooks.contains_key("enabled")
    {
        hooks.insert("enabled".into(), Value::Bool(true));
        switches.push("/hooks/enabled".into());
    }
}

fn remove_pointer(file: &mut ConfigFile, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    match &mut file.doc {
        Doc::Json(d) => {
            if let Some(Value::Object(m)) = d.value.pointer_mut(parent) {
                m.shift_remove(key);
            }
        }
        Doc::Toml(doc) => {
            let mut table = doc.as_table_mut();
            for part in parent.split('/').filter(|p| !p.is_empty()) {
                match table.get_mut(part).and_then(|t| t.as_table_mut()) {
                    Some(t) => table = t,
                    None => return,
                }
            }
            table.remove(key);
        }
    }
}

fn remove_empty_tables(doc: &mut toml_edit::DocumentMut, created: &[String]) {
    let mut pointers: Vec<&String> = created.iter().collect();
    pointers.sort_by_key(|p| std::cmp::Reverse(p.matches('/').count()));
    for pointer in pointers {
        let parts: Vec<&str> = pointer.split('/').filter(|p| !p.is_empty()).collect();
        remove_empty_table(doc.as_table_mut(), &parts);
    }
}

/// Removes the table at `path` under `table` if it is empty.
fn remove_empty_table(table: &mut toml_edit::Table, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            if table
                .get(last)
                .and_then(|t| t.as_table())
                .is_some_and(|t| t.is_empty())
            {
                table.remove(last);
            }
        }
        [first, rest @ ..] => {
            if let Some(t) = table.get_mut(first).and_then(|t| t.as_table_mut()) {
                remove_empty_table(t, rest);
            }
        }
    }
}

/// Adds one hook per registration the plan asks for, unless the same command is there.
fn add_hooks(file: &mut ConfigFile, plan: &Plan, created: &mut Vec<String>) -> Result<()> {
    let host = plan.host;
    let wanted: Vec<_> = host
        .registrations()
        .iter()
        .filter(|r| match r.needs {
            Needs::Always => true,
            Needs::Recall => plan.recall,
            Needs::Capture => plan.capture,
        })
        .collect();
    let root = file.json();
    // An option left out of this install removes the hooks an earlier install added for it.
    let keep: Vec<String> = wanted.iter().map(|r| hook_command(plan, r.event)).collect();
    strip_hooks(root, host, |c| keep.iter().any(|k| k == c));
    for r in wanted {
        let command = hook_command(plan, r.event);
        let events = object_at(root, &["hooks"], created)?;
        if !events.contains_key(r.host_event) {
            events.insert(r.host_event.into(), Value::Array(Vec::new()));
            created.push(format!("/hooks/{}", r.host_event));
        }
        let groups = events[r.host_event]
            .as_array_mut()
            .ok_or_else(|| Error::invalid(format!("hooks.{}", r.host_event), "is not a list"))?;
        let present = groups.iter().any(|g| {
            g.get("hooks").and_then(Value::as_array).is_some_and(|hs| {
                hs.iter()
                    .any(|h| h.get("command").and_then(Value::as_str) == Some(&command))
            })
        });
        if !present {
            let mut group = Map::new();
            group.insert(
                "hooks".into(),
                Value::Array(vec![host.hook_entry(r, &command)]),
            );
            groups.push(Value::Object(group));
        }
    }
    Ok(())
}

/// The command a host runs for `event`.
pub fn hook_command(plan: &Plan, event: super::hosts::HookEvent) -> String {
    let mut words = plan.prefix.clone();
    words.extend([
        "hook".into(),
        "--host".into(),
        plan.host.id().into(),
        event_word(event).into(),
    ]);
    command_line(&words)
}

/// Removes plurum's hooks for `host` from a hooks document, except those `keep` accepts,
/// with any group and event list that held only them.
fn strip_hooks(root: &mut Value, host: Host, keep: impl Fn(&str) -> bool) {
    let Some(events) = root.get_mut("hooks").and_then(Value::as_object_mut) else {
        return;
    };
    for (_, groups) in events.iter_mut() {
        let Some(groups) = groups.as_array_mut() else {
            continue;
        };
        groups.retain_mut(|g| {
            let Some(hs) = g.get_mut("hooks").and_then(Value::as_array_mut) else {
                return true;
            };
            let before = hs.len();
            hs.retain(|h| {
                let c = h.get("command").and_then(Value::as_str).unwrap_or("");
                !is_our_command(host, c) || keep(c)
            });
            !(before > 0 && hs.is_empty())
        });
    }
}

fn remove_hooks(file: &mut ConfigFile, host: Host) {
    strip_hooks(file.json(), host, |_| false);
}

/// What is installed for one host and scope.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub host: &'static str,
    pub scope: &'static str,
    pub mcp_file: PathBuf,
    pub mcp_server: bool,
    pub hooks_file: PathBuf,
    /// Host event names that run plurum.
    pub hooks: Vec<String>,
    /// What the user must do in the host, or a switch that turns the hooks off.
    pub notes: Vec<String>,
}

/// True when the hooks file at `path` holds one of plurum's hooks for `host`.
fn has_our_hooks(host: Host, path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("hooks").cloned())
        .and_then(|h| h.as_object().cloned())
        .is_some_and(|events| {
            events
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .any(|g| {
                    g.get("hooks")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|h| h.get("command").and_then(Value::as_str))
                        .any(|c| is_our_command(host, c))
                })
        })
}

pub fn status(host: Host, scope: Scope, home: &Path, root: &Path) -> Status {
    let hooks_t = host.hooks_target(scope, home, root);
    let mcp_t = host.mcp_target(scope, home, root);
    let mut notes = Vec::new();
    let mut load = |path: &Path, format: Format| match ConfigFile::load(path, format) {
        Ok(f) => Some(f),
        Err(e) => {
            notes.push(e.to_string());
            None
        }
    };
    let mcp = load(&mcp_t.path, mcp_t.format);
    let hooks_file = load(&hooks_t.path, hooks_t.format);
    let mcp_server = match mcp.as_ref().map(|f| &f.doc) {
        Some(Doc::Json(d)) => d
            .value
            .pointer(&format!("/mcpServers/{SERVER_NAME}"))
            .is_some_and(is_our_server),
        Some(Doc::Toml(d)) => d
            .get("mcp_servers")
            .and_then(|s| s.get(SERVER_NAME))
            .and_then(|t| t.get("command"))
            .and_then(|c| c.as_str())
            .is_some_and(program_is_plurum),
        None => false,
    };
    let mut hooks = Vec::new();
    if let Some(Doc::Json(d)) = hooks_file.as_ref().map(|f| &f.doc)
        && let Some(events) = d.value.get("hooks").and_then(Value::as_object)
    {
        for (event, groups) in events {
            let ours = groups.as_array().into_iter().flatten().any(|g| {
                g.get("hooks")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|h| {
                        h.get("command")
                            .and_then(Value::as_str)
                            .is_some_and(|c| is_our_command(host, c))
                    })
            });
            if ours {
                hooks.push(event.clone());
            }
        }
        if host == Host::Gemini {
            if d.value.pointer("/hooksConfig/enabled") == Some(&Value::Bool(false)) {
                notes.push(format!(
                    "hooksConfig.enabled is false in {}: Gemini CLI runs no hooks",
                    hooks_t.path.display()
                ));
            }
            if d.value.pointer("/tools/enableHooks") == Some(&Value::Bool(false)) {
                notes.push(format!(
                    "tools.enableHooks is false in {}: Gemini CLI runs no hooks",
                    hooks_t.path.display()
                ));
            }
        }
    }
    if host == Host::Codex
        && let Some(Doc::Toml(d)) = mcp.as_ref().map(|f| &f.doc)
        && d.get("features")
            .and_then(|f| f.get("hooks"))
            .and_then(|h| h.as_bool())
            == Some(false)
    {
        notes.push(format!(
            "[features] hooks = false in {}: Codex runs no hooks",
            mcp_t.path.display()
        ));
    }
    if !hooks.is_empty() || mcp_server {
        notes.push(host.approval_note(scope).to_string());
    }
    let other = match scope {
        Scope::User => Scope::Project,
        Scope::Project => Scope::User,
    };
    let other_file = host.hooks_target(other, home, root).path;
    if !hooks.is_empty() && other_file != hooks_t.path && has_our_hooks(host, &other_file) {
        notes.push(format!(
            "plurum's hooks are also in {}: {} runs both, so each hook runs twice; uninstall one of them",
            other_file.display(),
            host.title()
        ));
    }
    Status {
        host: host.id(),
        scope: match scope {
            Scope::User => "user",
            Scope::Project => "project",
        },
        mcp_file: mcp_t.path,
        mcp_server,
        hooks_file: hooks_t.path,
        hooks,
        notes,
    }
}
