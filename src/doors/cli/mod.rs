//! The command-line front door: parse, call the library, print. No logic of its own beyond
//! gathering input and rendering output.

// The doc comments in args.rs are the CLI's --help text, written for a terminal, where
// `[SESSION]` is an optional argument and a URL is plain text, not rustdoc links.
#[allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls)]
mod args;
mod commands;
mod hooks;
mod output;
mod publish;
mod remote;
mod render;
mod sessions;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;
use output::Output;

use crate::error::{Error, Result};
use crate::ops::{OpenOptions, Plurum};

/// Runs the CLI with the process's arguments; returns the exit code.
pub fn run() -> i32 {
    run_with(std::env::args_os())
}

pub fn run_with(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let json_wanted = args.iter().any(|a| a == "--json") || crate::config::env_flag("PLURUM_JSON");
    let parsed = ignore_empty_env(Cli::command())
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                };
            }
            if json_wanted {
                Output::print_json_value(&usage_error_json(&e));
            } else {
                let _ = e.print();
            }
            return 2;
        }
    };
    let out = Output::new(cli.global.json);
    match commands::dispatch(&cli, &out) {
        Ok(()) => 0,
        // The reader went away (`plurum export | head`): end quietly, as `cat` does.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            out.error(&e);
            e.exit_code()
        }
    }
}

/// True when the error is stdout's reader having gone away.
pub(crate) fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// An environment variable set to the empty string counts as unset (`PLURUM_JSON= plurum
/// list`), as it does for the variables plurum reads itself.
fn ignore_empty_env(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|arg| {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|value| value.is_empty());
        if empty { arg.env(None) } else { arg }
    })
    .mut_subcommands(ignore_empty_env)
}

/// The error envelope of a command line clap refused: the whole message on one line (the
/// usage and help hints left off), and `details.field` naming the argument when there is one.
fn usage_error_json(e: &clap::Error) -> serde_json::Value {
    use clap::error::{ContextKind, ContextValue};
    let rendered = e.to_string();
    let mut detail = String::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        if !detail.is_empty() {
            detail.push_str(if detail.ends_with(':') || line.starts_with('[') {
                " "
            } else {
                "; "
            });
        }
        detail.push_str(line);
    }
    if detail.is_empty() {
        detail = e
            .kind()
            .as_str()
            .unwrap_or("invalid command line")
            .to_string();
    }
    let mut value = crate::doors::api::error(&Error::Usage(detail));
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        Some(ContextValue::Strings(v)) => v.first().map(String::as_str),
        _ => None,
    };
    if let Some(field) = arg.map(field_name).filter(|f| !f.is_empty()) {
        value["details"]["field"] = serde_json::Value::String(field);
    }
    value
}

/// `--limit <LIMIT>` -> `limit`, `<QUERY>...` -> `query`, `<--success|--failure>` ->
/// `success|failure`: the argument's name as the flags spell it.
fn field_name(rendered: &str) -> String {
    let rendered = rendered.trim();
    let name = if let Some(inner) = rendered.strip_prefix('<') {
        inner.trim_end_matches("...").trim_end_matches('>')
    } else {
        rendered.split([' ', '=']).next().unwrap_or(rendered)
    };
    name.split('|')
        .map(|part| part.trim().trim_start_matches('-').to_lowercase())
        .collect::<Vec<_>>()
        .join("|")
}

/// Opens the store the global options name.
pub(crate) fn open(cli: &Cli, out: &Output) -> Result<Plurum> {
    let mut options = OpenOptions::from_env()?;
    // --db or PLURUM_DB (clap reads both): a folder that does not exist is a typo, not a
    // request for a new empty store. Only the default location is created.
    if let Some(db) = &cli.global.db {
        check_db_folder(db)?;
        options.db = db.clone();
    }
    if let Some(dir) = &cli.global.model_dir {
        options.model.model_dir = Some(dir.clone());
    }
    if cli.global.offline {
        options.model.offline = true;
    }
    options.model.progress = out.progress_allowed();
    options.upgrade_progress = match cli.command {
        // A server's output is its log.
        args::Command::Serve { .. } => crate::store::UpgradeProgress::logged(),
        _ => out.upgrade_progress(),
    };
    if let args::Command::Serve { database, .. }
    | args::Command::Reindex { database, .. }
    | args::Command::Doctor { database, .. } = &cli.command
    {
        options.database_url = database.clone().filter(|u| !u.is_empty());
    }
    Plurum::open(options)
}

/// A store path named on the command line must be in a folder that exists.
fn check_db_folder(db: &std::path::Path) -> Result<()> {
    match db.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) if !folder.is_dir() => Err(Error::Usage(format!(
            "the folder of the store does not exist: {} (from --db or PLURUM_DB; create it first, or fix the path)",
            folder.display()
        ))),
        _ => Ok(()),
    }
}

/// Reads a file, or stdin for `-`.
pub(crate) fn read_input(path: &PathBuf) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
    }
    Ok(bytes)
}
