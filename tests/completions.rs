//! The checked-in completion scripts must match what the CLI generates today.

use std::process::Command;

#[test]
fn checked_in_completions_match_the_cli() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (shell, file) in [
        ("bash", "plurum.bash"),
        ("zsh", "_plurum"),
        ("fish", "plurum.fish"),
        ("elvish", "plurum.elv"),
        ("powershell", "_plurum.ps1"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_plurum"))
            .env_clear()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(!out.stdout.is_empty(), "{shell}");
        let path = format!("{root}/completions/{file}");
        let checked_in = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            checked_in == out.stdout,
            "completions/{file} is stale: run scripts/gen-completions.sh and commit the result"
        );
    }
}
