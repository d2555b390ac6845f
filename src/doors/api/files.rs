//! Store files (backup, export) and the CLI's own documents (skill, completions).

use super::*;

/// `backup`: where the copy went and its size.
pub fn backup(file: &Path, bytes: u64) -> Value {
    #[derive(Serialize)]
    struct Backup<'a> {
        file: &'a Path,
        bytes: u64,
    }
    to_value(&Backup { file, bytes })
}

/// `export FILE`: where it went and how many records of each kind.
pub fn exported(file: &Path, counts: &Counts) -> Value {
    #[derive(Serialize)]
    struct Exported<'a> {
        file: &'a Path,
        exported: &'a Counts,
    }
    to_value(&Exported {
        file,
        exported: counts,
    })
}

/// `skill`: the agents' guide, as Markdown.
pub fn skill(text: &str) -> Value {
    #[derive(Serialize)]
    struct Skill<'a> {
        format: &'static str,
        text: &'a str,
    }
    to_value(&Skill {
        format: "markdown",
        text,
    })
}

/// `completions`: a shell's completion script.
pub fn completions(shell: &str, script: &str) -> Value {
    #[derive(Serialize)]
    struct Completions<'a> {
        shell: &'a str,
        script: &'a str,
    }
    to_value(&Completions { shell, script })
}
