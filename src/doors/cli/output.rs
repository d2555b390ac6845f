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
        let value = crate::doors::api::versioned(value);
        // Buffered: stdout flushes at every newline, and a pretty-printed search is hundreds
        // of lines, each its own write(2) otherwise.
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = serde_json::to_writer_pretty(&mut stdout, &value);
        let _ = writeln!(stdout);
        let _ = stdout.flush();
    }

    /// Prints human text on stdout.
    pub fn text(&self, text: impl AsRef<str>) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", text.as_ref());
    }

    /// A notice for people (and agents' logs) on stderr.
    pub fn notice(&self, text: impl AsRef<str>) {
        // Not eprintln!: it panics when stderr's reader has gone away.
        let _ = writeln!(std::io::stderr().lock(), "{}", text.as_ref());
    }

    pub fn error(&self, e: &Error) {
        if self.json {
            Self::print_json_error(e);
        } else {
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
        }
    }

    pub fn print_json_error(e: &Error) {
        Self::print_json_value(&crate::doors::api::error(e));
    }

    /// An error envelope already built, as one line on stderr.
    pub fn print_json_value(envelope: &Value) {
        let mut stderr = std::io::stderr().lock();
        let _ = serde_json::to_writer(&mut stderr, envelope);
        let _ = writeln!(stderr);
    }

    /// Progress on stderr when it is a terminal (nothing at all otherwise): a spinner while
    /// the amount of work is unknown, a bar with count, rate and time left once it is known.
    /// `len` is the amount when known up front (0: not yet); under 2 items there is none.
    pub fn progress(&self, len: u64, what: &str) -> Progress {
        if !self.progress_allowed() || len == 1 {
            return Progress {
                bar: indicatif::ProgressBar::hidden(),
                counted: std::cell::Cell::new(true),
            };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("valid template"),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let progress = Progress {
            bar,
            counted: std::cell::Cell::new(false),
        };
        if len > 1 {
            progress.set(0, len as usize);
        }
        progress
    }
}

impl Output {
    /// A long upgrade of the store, as it is opened: a bar per stage on a terminal, nothing
    /// otherwise.
    pub fn upgrade_progress(&self) -> crate::store::UpgradeProgress {
        if !self.progress_allowed() {
            return crate::store::UpgradeProgress::silent();
        }
        let shown: std::sync::Mutex<Option<(String, indicatif::ProgressBar)>> = Default::default();
        crate::store::UpgradeProgress(std::sync::Arc::new(move |what, done, total| {
            let mut shown = shown.lock().unwrap_or_else(|e| e.into_inner());
            if shown.as_ref().is_none_or(|(w, _)| w != what) {
                if let Some((_, bar)) = shown.take() {
                    bar.finish_and_clear();
                }
                let bar = indicatif::ProgressBar::new(total).with_style(counted_style());
                bar.set_message(what.to_string());
                *shown = Some((what.to_string(), bar));
            }
            let (_, bar) = shown.as_ref().expect("shown above");
            bar.set_length(total);
            bar.set_position(done);
            if done >= total {
                bar.finish_and_clear();
            }
        }))
    }
}

/// A bar with count, rate and time left: every long command's, once its amount is known.
fn counted_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({rate}, {eta} left)")
        .expect("valid template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1}/s", state.per_sec());
            },
        )
        .progress_chars("=> ")
}

/// A progress display (possibly hidden); see [`Output::progress`].
pub struct Progress {
    bar: indicatif::ProgressBar,
    /// Whether it shows a bar already (rather than a spinner).
    counted: std::cell::Cell<bool>,
}

impl Progress {
    /// `done` of `total` items; a total of 0 keeps the spinner.
    pub fn set(&self, done: usize, total: usize) {
        if total == 0 {
            return;
        }
        if !self.counted.replace(true) {
            self.bar.set_style(counted_style());
            self.bar.reset_eta();
        }
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
    }

    /// What is being done now (a stage of a longer command).
    pub fn stage(&self, what: &str) {
        if self.bar.message() != what {
            self.bar.set_message(what.to_string());
            self.bar.reset_eta();
        }
    }

    /// Erases it, leaving the terminal as it was.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    /// Also on an error's way out: the error message then starts on a clean line.
    fn drop(&mut self) {
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}
