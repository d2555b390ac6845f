//! The checked-in completion scripts must match what the CLI generates today, and
//! `--json completions SHELL` wraps the same script in one document.

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
        let out = Command::new(env!("CARGO_BIN_EXE_plurum"))
            .env_clear()
            .args(["--json", "completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "--json {shell}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("--json completions {shell} is not one JSON document: {e}"));
        assert_eq!(doc["schema_version"], 1);
        assert_eq!(doc["shell"], shell);
        assert_eq!(
            doc["script"].as_str().map(str::as_bytes),
            Some(&checked_in[..]),
            "--json completions {shell}: the script differs from the text form"
        );
    }
}
