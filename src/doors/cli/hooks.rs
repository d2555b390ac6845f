//! `plurum hooks install|uninstall|status` and `plurum hook`: the command line of
//! `crate::doors::hooks`.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::args::{Cli, HooksCommand};
use super::output::Output;
use crate::doors::hooks::hosts::{HookEvent, Host, Scope};
use crate::doors::hooks::install::{self, Plan};
use crate::doors::hooks::{self as door, HookContext};
use crate::error::{Error, Result};
use crate::ops::OpenOptions;

/// `plurum hook --host HOST EVENT`: whatever happens, exit 0; the answer (if any) on stdout.
pub fn hook(cli: &Cli, host: Host, event: HookEvent) -> Result<()> {
    let mut options = match OpenOptions::from_env() {
        Ok(o) => o,
        // Not even a data folder to log to: say nothing, as a hook must.
        Err(_) => return Ok(()),
    };
    if let Some(db) = &cli.global.db {
        options.db = db.clone();
    }
    if let Some(dir) = &cli.global.model_dir {
        options.model.model_dir = Some(dir.clone());
    }
    if cli.global.offline {
        options.model.offline = true;
    }
    // A hook never downloads a model: no model means keyword search.
    options.model.offline = true;
    options.model.progress = false;
    let mut stdin = Vec::new();
    let _ = std::io::stdin().take(16 << 20).read_to_end(&mut stdin);
    let cx = HookContext {
        options,
        agent: cli.global.agent.clone(),
        command: install::command_line(&prefix(cli)),
    };
    if let Some(answer) = door::run(host, event, &stdin, &cx) {
        println!("{answer}");
    }
    Ok(())
}

/// The program and the global options the user chose, each one word, paths absolute: what
/// every command plurum writes into a host starts with.
fn prefix(cli: &Cli) -> Vec<String> {
    let program = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_else(|_| "plurum".into());
    let mut words = vec![program];
    if let Some(db) = &cli.global.db {
        words.push("--db".into());
        words.push(absolute(db).to_string_lossy().to_string());
    }
    if let Some(agent) = &cli.global.agent {
        words.push("--agent".into());
        words.push(agent.clone());
    }
    if let Some(dir) = &cli.global.model_dir {
        words.push("--model-dir".into());
        words.push(absolute(dir).to_string_lossy().to_string());
    }
    words
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn home() -> Result<PathBuf> {
    directories::BaseDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .ok_or_else(|| Error::other("cannot find the home folder ($HOME)"))
}

pub fn hooks(cli: &Cli, cmd: &HooksCommand, out: &Output) -> Result<()> {
    let options = OpenOptions::from_env()?;
    let data_dir = options.paths.data_dir.clone();
    let home = home()?;
    let root = door::project_root(&std::env::current_dir()?);
    match cmd {
        HooksCommand::Install {
            host,
            scope,
            recall,
            capture,
        } => {
            if let Some(db) = &cli.global.db
                && !db.exists()
            {
                out.notice(format!(
                    "note: no store at {} yet; the hooks stay silent until one exists",
                    db.display()
                ));
            }
            let plan = Plan {
                host: *host,
                scope: *scope,
                recall: *recall,
                capture: *capture,
                prefix: prefix(cli),
                home: home.clone(),
                root: root.clone(),
                data_dir,
            };
            let changes = install::install(&plan)?;
            let status = install::status(*host, *scope, &home, &root);
            report(out, "installed", *host, &changes, &status);
        }
        HooksCommand::Uninstall { host, scope } => {
            let changes = install::uninstall(*host, *scope, &home, &root, &data_dir)?;
            let status = install::status(*host, *scope, &home, &root);
            report(out, "uninstalled", *host, &changes, &status);
        }
        HooksCommand::Status => {
            let mut all = Vec::new();
            for host in Host::ALL {
                for scope in [Scope::User, Scope::Project] {
                    all.push(install::status(host, scope, &home, &root));
                }
            }
            if out.json {
                out.json(json!({"hosts": all}));
            } else {
                for s in &all {
                    let what = if s.hooks.is_empty() && !s.mcp_server {
                        "not installed".to_string()
                    } else {
                        format!(
                            "MCP server {} in {}; hooks {} in {}",
                            if s.mcp_server {
                                "registered"
                            } else {
                                "missing"
                            },
                            s.mcp_file.display(),
                            if s.hooks.is_empty() {
                                "none".to_string()
                            } else {
                                s.hooks.join(", ")
                            },
                            s.hooks_file.display()
                        )
                    };
                    out.text(format!("{} ({}): {what}", title(s.host), s.scope));
                    for n in &s.notes {
                        out.text(format!("  note: {n}"));
                    }
                }
            }
        }
    }
    Ok(())
}

fn title(id: &str) -> &'static str {
    Host::ALL
        .iter()
        .find(|h| h.id() == id)
        .map(|h| h.title())
        .unwrap_or("?")
}

fn report(
    out: &Output,
    verb: &str,
    host: Host,
    changes: &[install::Change],
    status: &install::Status,
) {
    if out.json {
        out.json(json!({
            "host": host.id(),
            "scope": status.scope,
            "action": verb,
            "files": changes,
            "mcp_server": status.mcp_server,
            "hooks": status.hooks,
            "notes": status.notes,
        }));
        return;
    }
    out.text(format!("{} ({}): {verb}", host.title(), status.scope));
    for c in changes {
        let backup = c
            .backup
            .as_ref()
            .map(|b| format!(" (backup: {})", b.display()))
            .unwrap_or_default();
        out.text(format!("  {} {}{backup}", c.action, c.path.display()));
    }
    if !status.hooks.is_empty() {
        out.text(format!("  hooks: {}", status.hooks.join(", ")));
    }
    for n in &status.notes {
        out.text(format!("  note: {n}"));
    }
}
