//! The command-line front door: parse, call the library, print. No logic of its own beyond
//! gathering input and rendering output.

mod args;
mod commands;
mod output;
mod publish;
mod remote;
mod render;
mod sessions;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Parser;

pub use args::Cli;
use output::Output;

use crate::app::{OpenOptions, Plurum};
use crate::error::{Error, Result};

/// Runs the CLI with the process's arguments; returns the exit code.
pub fn run() -> i32 {
    run_with(std::env::args_os())
}

pub fn run_with(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let json_wanted = args.iter().any(|a| a == "--json") || crate::config::env_flag("PLURUM_JSON");
    let cli = match Cli::try_parse_from(&args) {
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
                let message = e
                    .kind()
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string());
                let detail = e
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or(&message)
                    .trim_start_matches("error: ")
                    .to_string();
                Output::print_json_error(&Error::Usage(detail));
            } else {
                let _ = e.print();
            }
            return 2;
        }
    };
    let out = Output::new(cli.global.json);
    match commands::dispatch(&cli, &out) {
        Ok(()) => 0,
        Err(e) => {
            out.error(&e);
            e.exit_code()
        }
    }
}

/// Opens the store the global options name.
pub(crate) fn open(cli: &Cli, out: &Output) -> Result<Plurum> {
    let mut options = OpenOptions::from_env()?;
    if let Some(db) = &cli.global.db {
        options.db = db.clone();
    }
    if let Some(dir) = &cli.global.model_dir {
        options.model.model_dir = Some(dir.clone());
    }
    if cli.global.offline {
        options.model.offline = true;
    }
    options.model.progress = out.progress_allowed();
    Plurum::open(options)
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
