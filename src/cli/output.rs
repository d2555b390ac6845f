//! Where output goes: one JSON document on stdout for agents, readable text for people,
//! errors and notices on stderr, progress bars only on a terminal.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::error::Error;

pub struct Output {
    pub json: bool,
    pub stdout_terminal: bool,
    pub stderr_terminal: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output {
            json,
            stdout_terminal: std::io::stdout().is_terminal(),
            stderr_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Prompts only when a person is there to answer: stdin and stderr are terminals.
    pub fn can_prompt(&self) -> bool {
        !self.json && std::io::stdin().is_terminal() && self.stderr_terminal
    }

    pub fn progress_allowed(&self) -> bool {
        self.stderr_terminal
    }

    /// Prints the JSON document of a command, tagged with the contract's schema version.
    pub fn json(&self, value: Value) {
        let value = crate::api::versioned(value);
        let mut stdout = std::io::stdout().lock();
        let _ = serde_json::to_writer_pretty(&mut stdout, &value);
        let _ = writeln!(stdout);
    }

    /// Prints human text on stdout.
    pub fn text(&self, text: impl AsRef<str>) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", text.as_ref());
    }

    /// A notice for people (and agents' logs) on stderr.
    pub fn notice(&self, text: impl AsRef<str>) {
        eprintln!("{}", text.as_ref());
    }

    pub fn error(&self, e: &Error) {
        if self.json {
            Self::print_json_error(e);
        } else {
            eprintln!("error: {e}");
        }
    }

    pub fn print_json_error(e: &Error) {
        let mut stderr = std::io::stderr().lock();
        let _ = serde_json::to_writer(&mut stderr, &e.to_json());
        let _ = writeln!(stderr);
    }

    /// A progress bar on stderr when it is a terminal; hidden otherwise.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if !self.progress_allowed() || len < 2 {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>10} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        bar
    }
}
