//! The store file: export/import round trips, refusing files that are not ours, and many
//! processes writing at once without a lock error or a lost update.

use crate::common;

use std::collections::BTreeMap;

use common::{Env, PgDatabase, Server, sample, sha256_file};
use serde_json::{Value, json};

/// An export's records keyed by type and id, without the header's timestamp.
fn records(export: &str) -> BTreeMap<String, Value> {
    export
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] != "header")
        .map(|v| {
            (
                format!(
                    "{}:{}",
                    v["type"].as_str().unwrap(),
                    v["id"].as_str().unwrap()
                ),
                v,
            )
        })
        .collect()
}

/// Every record of `env`'s store, read back through a full export.
fn store_records(env: &Env) -> BTreeMap<String, Value> {
    let file = env.path("records.jsonl");
    env.json(&["export", file.to_str().unwrap()]);
    records(&std::fs::read_to_string(&file).unwrap())
}

/// An import or copy run again added nothing.
fn assert_added_nothing(summary: &Value) {
    assert!(
        summary["added"]
            .as_object()
            .unwrap()
            .values()
            .all(|n| n == 0),
        "{summary}"
    );
}

fn populate(env: &Env) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..4 {
        let mut e = sample(&format!("Round-trip experience number {i} about ECS"));
        if i == 1 {
            e["visibility"] = json!("private");
        }
        ids.push(env.publish(&e)["short_id"].as_str().unwrap().to_string());
    }
    let file = env.path("draft.json");
    std::fs::write(&file, sample("A draft that also travels").to_string()).unwrap();
    env.json(&[
        "--agent",
        "drafter",
        "publish",
        "--draft",
        "--file",
        file.to_str().unwrap(),
    ]);
    env.json(&[
        "--agent",
        "alice",
        "outcome",
        &ids[0],
        "--success",
        "--time-ms",
        "1200",
        "--env",
        r#"{"os": "linux"}"#,
    ]);
    env.json(&[
        "--agent",
        "bob",
        "outcome",
        &ids[0],
        "--failure",
        "--error",
        "timeout",
    ]);
    env.json(&["--agent", "alice", "vote", &ids[0], "up"]);
    env.json(&["--agent", "bob", "vote", &ids[2], "down"]);
    env.json(&["experience", "archive", &ids[3]]);
    ids
}

#[test]
fn export_import_round_trip_is_lossless_and_import_is_idempotent() {
    let a = Env::new();
    populate(&a);
    let file = a.path("export.jsonl");
    let summary = a.json(&["export", file.to_str().unwrap()]);
    assert_eq!(summary["exported"]["experiences"], 5);
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(
        exported
            .lines()
            .next()
            .unwrap()
            .contains("\"plurum-export\"")
    );

    let b = Env::new();
    let first = b.json(&["import", file.to_str().unwrap()]);
    let added = &first["added"];
    assert_eq!(
        (added["agents"].as_i64(), added["experiences"].as_i64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        (added["outcome_reports"].as_i64(), added["votes"].as_i64()),
        (Some(2), Some(2))
    );
    let second = b.json(&["import", file.to_str().unwrap()]);
    assert_added_nothing(&second);
    assert_eq!(second["skipped"]["experiences"], 5);

    assert_eq!(records(&exported), store_records(&b));

    // Stdout export equals file export (minus the header's time).
    let out = a.run(&["export"]);
    assert_eq!(
        records(&String::from_utf8(out.stdout).unwrap()),
        records(&exported)
    );

    // The imported store answers like the original: artifacts, private items, counters.
    let alice_view = b.json(&["--agent", "local", "list", "--include-archived"]);
    assert_eq!(
        alice_view["total"], 4,
        "local sees its 4 incl. private and archived, not the other agent's draft"
    );
    let top = records(&exported)
        .into_values()
        .find(|v| v["type"] == "experience" && v["total_reports"] == 2)
        .unwrap();
    let shown = b.json(&["show", top["id"].as_str().unwrap()]);
    assert_eq!(shown["success_count"], 1);
    assert_eq!(shown["quality_score"], top["quality_score"]);
    let art = b.json(&["artifact", top["id"].as_str().unwrap(), "0"]);
    assert_eq!(art["artifact"]["code"], top["artifacts"][0]["code"]);
}

/// README: `plurum import -` reads the export from stdin. A whole export piped in (agents,
/// experiences with their artifacts, reports, votes, a draft, an archived and a private one)
/// arrives record for record, and piping it again adds nothing.
#[test]
fn import_dash_reads_the_export_from_stdin() {
    let a = Env::new();
    populate(&a);
    let out = a.run(&["export"]);
    common::assert_ok(&out, &["export"]);
    let export = String::from_utf8(out.stdout).unwrap();

    let b = Env::new();
    let out = b.run_stdin(&["--json", "import", "-"], &export);
    common::assert_ok(&out, &["import -"]);
    let first = common::parse(&out.stdout);
    let added = &first["added"];
    assert_eq!(
        (
            added["agents"].as_i64(),
            added["experiences"].as_i64(),
            added["outcome_reports"].as_i64(),
            added["votes"].as_i64()
        ),
        (Some(4), Some(5), Some(2), Some(2)),
        "{first}"
    );
    assert_eq!(records(&export), store_records(&b));

    let out = b.run_stdin(&["--json", "import", "-"], &export);
    common::assert_ok(&out, &["import - again"]);
    assert_added_nothing(&common::parse(&out.stdout));
    assert_eq!(records(&export), store_records(&b));
}

/// `plurum copy` between two store files and from an export: everything arrives, a second
/// run adds nothing, and what cannot be a target or a source is refused, naming the field.
#[test]
fn copy_moves_a_whole_store_and_a_second_run_adds_nothing() {
    let a = Env::new();
    populate(&a);
    let original = a.path("a.jsonl");
    a.json(&["export", original.to_str().unwrap()]);
    let exported = || records(&std::fs::read_to_string(&original).unwrap());

    // This store into a new file, twice.
    let b = Env::new();
    let to_b = b.db();
    let first = a.json(&["copy", "--to", to_b.to_str().unwrap()]);
    assert_eq!(first["added"]["experiences"], 5, "{first}");
    assert_eq!(first["to"], to_b.to_str().unwrap());
    let second = a.json(&["copy", "--to", to_b.to_str().unwrap()]);
    assert_added_nothing(&second);
    assert_eq!(second["skipped"]["experiences"], 5);
    assert_eq!(store_records(&b), exported());

    // Another store file, and an export, into this store.
    for source in [to_b.to_str().unwrap(), original.to_str().unwrap()] {
        let c = Env::new();
        let copied = c.json(&["copy", "--from", source]);
        assert_eq!(copied["added"]["experiences"], 5, "{copied}");
        assert_eq!(store_records(&c), exported());
    }

    // Refused, with nothing written: the same store twice, a file that is not a store as
    // the target, a source that is not there.
    let same = a.json_err(&["copy", "--to", a.db().to_str().unwrap()], 4);
    assert_eq!(same["details"]["field"], "to", "{same}");
    let notes = a.path("notes.txt");
    std::fs::write(&notes, "my notes").unwrap();
    let not_store = a.json_err(&["copy", "--to", notes.to_str().unwrap()], 4);
    assert_eq!(not_store["details"]["field"], "to", "{not_store}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");
    let nowhere = a.path("nowhere.db");
    let missing = a.json_err(&["copy", "--from", nowhere.to_str().unwrap()], 3);
    assert!(
        missing["detail"]
            .as_str()
            .unwrap()
            .contains(nowhere.to_str().unwrap()),
        "{missing}"
    );
    assert!(!nowhere.exists());
}

/// The source of `plurum copy` must exist: without `--db` (or `--from`) it is the default
/// store, and a copy from a store that is not there is exit 3 naming it, with nothing
/// created on either side (it once made an empty store and said "Copied 0 experiences").
/// A store that exists but holds nothing is copied with a warning.
#[test]
fn copy_needs_a_source_that_exists_and_says_when_it_holds_nothing() {
    let a = Env::new();
    let target = a.path("target.db");
    for with_db in [true, false] {
        let mut cmd = a.cmd();
        if !with_db {
            // The default store, under PLURUM_HOME.
            cmd.env_remove("PLURUM_DB");
        }
        let out = cmd
            .args(["--json", "copy", "--to", target.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        let named = if with_db {
            a.db()
        } else {
            a.home().join("plurum.db")
        };
        assert!(stderr.contains(named.to_str().unwrap()), "{stderr}");
        assert!(!named.exists(), "the missing source was created");
        assert!(!target.exists(), "the target was created");
    }

    // An existing store with no experiences: copied (its agent), and said.
    a.json(&["agents"]);
    let out = a
        .cmd()
        .args(["copy", "--to", target.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("holds no experiences"), "{stderr}");
}

/// `plurum copy` moves a whole store into a Postgres database and back out without losing a
/// record (experiences, reports, votes, drafts, archived and private ones, agents, a closed
/// session with its entries, a contribution and the inbox events it made); a second run
/// adds nothing; an export goes in too; and a server on the database serves what arrived.
#[test]
fn copy_moves_a_store_into_postgres_and_back_out_losslessly() {
    let pg = PgDatabase::create();
    let a = Env::new();
    populate(&a);
    let sid = a.json_with_model(&[
        "--agent",
        "alice",
        "session",
        "open",
        "Move a team's store to Postgres",
    ])["session"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    a.json_with_model(&[
        "--agent",
        "alice",
        "session",
        "log",
        &sid,
        "update",
        "--text",
        "Exported the SQLite store",
    ]);
    a.json_with_model(&[
        "--agent",
        "alice",
        "session",
        "log",
        &sid,
        "gotcha",
        "--warning",
        "pgvector needs a superuser once",
        "--context",
        "CREATE EXTENSION",
    ]);
    a.json_with_model(&[
        "--agent",
        "bob",
        "session",
        "contribute",
        &sid,
        "--type",
        "suggestion",
        "--text",
        "Use plurum copy",
    ]);
    a.json_with_model(&[
        "--agent",
        "alice",
        "session",
        "close",
        &sid,
        "--outcome",
        "success",
    ]);
    let original = a.path("a.jsonl");
    a.json(&["export", original.to_str().unwrap()]);
    let exported = records(&std::fs::read_to_string(&original).unwrap());
    for kind in [
        "session",
        "session_entry",
        "session_contribution",
        "inbox_event",
        "outcome_report",
        "vote",
    ] {
        assert!(
            exported.keys().any(|k| k.starts_with(&format!("{kind}:"))),
            "the store to move holds no {kind}"
        );
    }

    // In, twice: everything, then nothing.
    let into = a.json(&["copy", "--to", &pg.url]);
    assert_eq!(into["added"]["experiences"], 6, "{into}");
    assert_eq!(into["added"]["sessions"], 1, "{into}");
    let again = a.json(&["copy", "--to", &pg.url]);
    assert_added_nothing(&again);

    // A server on the database answers for what arrived.
    let server = Server::launch_on(&pg);
    let top = exported
        .values()
        .find(|v| v["type"] == "experience" && v["total_reports"] == 2)
        .unwrap();
    let shown = server.get(&format!("/experiences/{}", top["id"].as_str().unwrap()));
    assert_eq!(shown["quality_score"], top["quality_score"], "{shown}");
    drop(server);

    // Out, into a new store file: the same records.
    let b = Env::new();
    let out = b.json(&["copy", "--from", &pg.url]);
    assert_eq!(out["added"]["experiences"], 6, "{out}");
    assert_eq!(store_records(&b), exported);

    // An export goes straight in.
    let pg2 = PgDatabase::create();
    let c = Env::new();
    let from_export = c.json(&[
        "copy",
        "--from",
        original.to_str().unwrap(),
        "--to",
        &pg2.url,
    ]);
    assert_eq!(from_export["added"]["experiences"], 6, "{from_export}");
    let d = Env::new();
    d.json(&["copy", "--from", &pg2.url]);
    assert_eq!(store_records(&d), exported);
}

/// Moving a store does not embed every experience again when the target's model made the
/// source's vectors: they travel with it. (A vector set by hand in the source, one the
/// model would never make, arrives unchanged, in another file and in Postgres.)
#[test]
fn copy_carries_the_vectors_along_when_both_sides_use_one_model() {
    use plurum::store::Store;
    let a = Env::new();
    let ids: Vec<String> = ["Carry vectors along", "Do not embed twice"]
        .iter()
        .map(|goal| a.publish(&sample(goal))["id"].as_str().unwrap().to_string())
        .collect();
    let marker: Vec<f32> = (0..384).map(|i| if i == 7 { 1.0 } else { 0.0 }).collect();
    let vector_of = |store: &Store, id: &str| {
        store
            .read(|tx| {
                let e = tx.experience_by_id(id)?.expect("the experience is there");
                tx.experience_vector(e.seq)
            })
            .unwrap()
            .expect("the experience has a vector")
    };
    let source = Store::open(&a.db()).unwrap();
    source
        .write(|tx| {
            let e = tx.experience_by_id(&ids[0])?.unwrap();
            tx.set_experience_vector(e.seq, &marker)
        })
        .unwrap();
    let other = vector_of(&source, &ids[1]);

    let pg = PgDatabase::create();
    let b = Env::new();
    let c = Env::new();
    // With the model loaded, and without it: the vectors are the store's, not the model's.
    for (target, with_model) in [
        (b.db().to_str().unwrap(), true),
        (pg.url.as_str(), true),
        (c.db().to_str().unwrap(), false),
    ] {
        let mut cmd = if with_model {
            a.cmd()
        } else {
            a.cmd_without_model()
        };
        let out = cmd
            .args(["--json", "copy", "--to", target])
            .output()
            .unwrap();
        common::assert_ok(&out, &["copy", target]);
        let copied = common::parse(&out.stdout);
        assert_eq!(copied["without_vector"], 0, "{copied}");
        assert!(copied.get("hint").is_none(), "{copied}");
        let store = if target.starts_with("postgres") {
            Store::open_postgres(target).unwrap()
        } else {
            Store::open(std::path::Path::new(target)).unwrap()
        };
        assert_eq!(vector_of(&store, &ids[0]), marker, "into {target}");
        assert_eq!(vector_of(&store, &ids[1]), other, "into {target}");
    }

    // A target whose vectors are another model's keeps them; the experiences arrive without
    // one, and the copy says so and what to run there.
    let d = Env::new();
    d.json(&["agents"]);
    Store::open(&d.db())
        .unwrap()
        .write(|tx| tx.set_meta("embedding_model", "someone/else"))
        .unwrap();
    let out = a
        .cmd_without_model()
        .args(["copy", "--to", d.db().to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("2 of the experiences copied have no vector")
            && stderr.contains(&format!("plurum --db {} reindex", d.db().display())),
        "{stderr}"
    );
}

#[test]
fn importing_into_a_store_with_its_own_local_agent_renames_the_incoming_one() {
    let a = Env::new();
    a.publish(&sample("Made by the local agent of machine A"));
    let file = a.path("a.jsonl");
    a.json(&["export", file.to_str().unwrap()]);

    let b = Env::new();
    b.publish(&sample("Made by the local agent of machine B"));
    let summary = b.json(&["import", file.to_str().unwrap()]);
    assert_eq!(summary["added"]["experiences"], 1);
    assert_eq!(summary["renamed_agents"].as_array().unwrap().len(), 1);
    let agents = b.json(&["agents"]);
    assert_eq!(agents["total"], 2);
    // B's local agent is still B's: it sees A's public experience, and owns only its own.
    assert_eq!(b.json(&["list", "--mine"])["total"], 1);
    assert_eq!(b.json(&["list"])["total"], 2);
}

#[test]
fn a_bad_import_line_names_the_line_and_writes_nothing() {
    let a = Env::new();
    populate(&a);
    let file = a.path("export.jsonl");
    a.json(&["export", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();

    let b = Env::new();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines
        .iter()
        .position(|l| l.contains("\"type\":\"vote\""))
        .unwrap();
    lines[n] = lines[n]
        .replace("\"vote_type\":\"up\"", "\"vote_type\":\"sideways\"")
        .replace("\"vote_type\":\"down\"", "\"vote_type\":\"sideways\"");
    let broken = b.path("broken.jsonl");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let err = b.json_err(&["import", broken.to_str().unwrap()], 4);
    assert_eq!(err["details"]["field"], format!("line {}.vote_type", n + 1));
    assert_eq!(b.json(&["agents"])["total"], 0, "nothing written");

    // A secret smuggled into an import is refused too.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines
        .iter()
        .position(|l| l.contains("\"type\":\"experience\""))
        .unwrap();
    lines[n] = lines[n].replace("Too many interruptions", "key AKIA2JFKE83NVL4QZP7W leaked");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let err = b.json_err(&["import", broken.to_str().unwrap()], 4);
    assert_eq!(
        err["details"]["field"],
        format!("line {}.dead_ends[0].why", n + 1)
    );
    assert!(!err.to_string().contains("AKIA2JFKE83NVL4QZP7W"));
    std::fs::write(&broken, "{\"type\": \"experience\", \"goal\": 3}\n").unwrap();
    b.json_err(&["import", broken.to_str().unwrap()], 4);
    std::fs::write(&broken, "not json\n").unwrap();
    assert_eq!(
        b.json_err(&["import", broken.to_str().unwrap()], 4)["details"]["field"],
        "line 1"
    );
    assert_eq!(b.json(&["agents"])["total"], 0, "nothing written");
}

#[test]
fn files_that_are_not_plurum_stores_are_refused_untouched() {
    let env = Env::new();
    // Not SQLite at all.
    let junk = env.path("notes.txt");
    std::fs::write(&junk, "these are my notes, not a database\n".repeat(200)).unwrap();
    let before = sha256_file(&junk);
    let out = env
        .cmd()
        .env("PLURUM_DB", &junk)
        .args(["--json", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a plurum store"));
    assert_eq!(sha256_file(&junk), before);

    // Someone else's SQLite database.
    let other = env.path("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('x');").unwrap();
    drop(conn);
    let before = sha256_file(&other);
    let out = env
        .cmd()
        .env("PLURUM_DB", &other)
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a plurum store"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sha256_file(&other), before);
    assert!(!env.path("other.db-wal").exists());

    // A store from a newer plurum.
    env.publish(&sample("An experience in a store that will look newer"));
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("PRAGMA user_version = 99;").unwrap();
    drop(conn);
    let before = sha256_file(&env.db());
    let out = env.run(&["list"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("newer plurum") && stderr.contains("99"),
        "{stderr}"
    );
    assert_eq!(sha256_file(&env.db()), before);
}

#[test]
fn a_new_store_is_created_with_the_schema_version() {
    let env = Env::new();
    env.json(&["list"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, plurum::store::SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// Eight processes of the real binary report outcomes and vote on the same experiences at
/// once, each in a pattern whose final state is known; the counters must come out exact and
/// no process may fail (in particular not with "database is locked").
#[test]
fn eight_processes_reporting_and_voting_at_once_lose_nothing() {
    const AGENTS: usize = 8;
    const ROUNDS: usize = 3;
    let env = Env::new();
    let ids: Vec<String> = (0..3)
        .map(|i| {
            env.publish(&sample(&format!(
                "Shared experience number {i} for the crowd"
            )))["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();

    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..AGENTS)
            .map(|a| {
                let (env, ids) = (&env, &ids);
                scope.spawn(move || {
                    let agent = format!("agent-{a}");
                    let mut failures = Vec::new();
                    let mut run = |args: &[&str]| {
                        let out = env
                            .cmd()
                            .args(["--agent", &agent])
                            .args(args)
                            .output()
                            .unwrap();
                        if !out.status.success() {
                            failures.push(format!(
                                "{args:?}: {}",
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                    };
                    for _ in 0..ROUNDS {
                        for id in ids {
                            // Final report: success for even agents, failure for odd ones.
                            run(&["outcome", id, "--failure"]);
                            if a % 2 == 0 {
                                run(&["outcome", id, "--success"]);
                            }
                            // Votes: a%3==0 withdraws (up, up), a%3==1 ends down, a%3==2 ends up.
                            run(&["vote", id, "up"]);
                            match a % 3 {
                                0 => run(&["vote", id, "up"]),
                                1 => run(&["vote", id, "down"]),
                                _ => {}
                            }
                            // Leave the vote state clean for the next round.
                            if a % 3 == 1 {
                                run(&["vote", id, "down"]);
                            } else if a % 3 == 2 {
                                run(&["vote", id, "up"]);
                            }
                        }
                    }
                    // The last round left every vote withdrawn; cast the final ones.
                    for id in ids {
                        match a % 3 {
                            1 => run(&["vote", id, "down"]),
                            2 => run(&["vote", id, "up"]),
                            _ => {}
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} commands failed, first: {}",
        failures.len(),
        failures[0]
    );

    let up = (0..AGENTS).filter(|a| a % 3 == 2).count() as i64;
    let down = (0..AGENTS).filter(|a| a % 3 == 1).count() as i64;
    let ok = (0..AGENTS).filter(|a| a % 2 == 0).count() as i64;
    for id in &ids {
        let e = env.json(&["show", id]);
        assert_eq!(e["total_reports"], AGENTS as i64, "{id}");
        assert_eq!(e["success_count"], ok);
        assert_eq!(e["failure_count"], AGENTS as i64 - ok);
        assert_eq!(
            (e["upvotes"].as_i64(), e["downvotes"].as_i64()),
            (Some(up), Some(down))
        );
        let expected = plurum::model::quality::quality_score(ok, AGENTS as i64, up, down);
        assert!((e["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12);
    }
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let reports: i64 = conn
        .query_row("SELECT count(*) FROM outcome_reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reports, (AGENTS * ids.len()) as i64);
}

/// A store written before plurum refused control characters may hold one (NUL here, which
/// PostgreSQL cannot store): `copy --to` a Postgres database carries that experience with
/// the character replaced by U+FFFD and names it on stderr; it is never lost, and a copy
/// that could never succeed is gone.
#[test]
fn copy_into_postgres_carries_text_with_control_characters_replaced() {
    let a = Env::new();
    let kept = a.publish(&sample("An older experience with a NUL in its goal"));
    a.publish(&sample("An ordinary experience beside it"));
    // As an older plurum could have stored it.
    rusqlite::Connection::open(a.db())
        .unwrap()
        .execute(
            "UPDATE experiences SET goal = 'Before' || char(0) || 'after' WHERE id = ?1",
            [kept["id"].as_str().unwrap()],
        )
        .unwrap();
    let pg = PgDatabase::create();
    let out = a
        .cmd()
        .args(["--json", "copy", "--to", &pg.url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let copied = common::parse(&out.stdout);
    assert_eq!(copied["added"]["experiences"], 2, "{copied}");
    let short = kept["short_id"].as_str().unwrap();
    assert_eq!(
        copied["control_characters_replaced"],
        json!([format!("experience {short}: goal")]),
        "{copied}"
    );
    assert!(
        stderr.contains(&format!("experience {short}: goal")),
        "{stderr}"
    );
    let goal: String = pg
        .client()
        .query_one(
            "SELECT goal FROM experiences WHERE id = $1",
            &[&kept["id"].as_str().unwrap()],
        )
        .unwrap()
        .get(0);
    assert_eq!(goal, "Before\u{FFFD}after");
}

/// A record arriving with a short id another record already holds is stored under a fresh
/// one, on both stores: each store only answers that the short id is taken, and the one rule
/// that draws another lives above them.
#[test]
fn an_arriving_record_whose_short_id_is_taken_gets_a_fresh_one() {
    let a = Env::new();
    let first = a.publish(&sample("The first holder of a short id"));
    let short = first["short_id"].as_str().unwrap().to_string();
    let export = a.path("a.jsonl");
    a.json(&["export", export.to_str().unwrap()]);
    let text = std::fs::read_to_string(&export).unwrap();
    // The export with its one experience given another id and goal, keeping the short id.
    let crafted = |id: &str, goal: &str| -> std::path::PathBuf {
        let lines: Vec<String> = text
            .lines()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                if v["type"] == "experience" {
                    v["id"] = json!(id);
                    v["goal"] = json!(goal);
                }
                v.to_string()
            })
            .collect();
        let file = a.path(&format!("{id}.jsonl"));
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        file
    };
    let second_id = "0bd3f8a5-5c0e-4a43-9e29-6cbcdf2e8a31";
    a.json(&[
        "import",
        crafted(
            second_id,
            "A second experience arriving with the same short id",
        )
        .to_str()
        .unwrap(),
    ]);
    assert_eq!(a.json(&["show", &short])["id"], first["id"]);
    let second = a.json(&["show", second_id]);
    let fresh = second["short_id"].as_str().unwrap();
    assert!(fresh != short && fresh.len() == 8, "{second}");

    // Postgres: the store above copied in, then a third record with the same short id.
    let b = Env::new();
    let third_id = "0bd3f8a5-5c0e-4a43-9e29-6cbcdf2e8a32";
    b.json(&[
        "import",
        crafted(
            third_id,
            "A third experience arriving with the same short id",
        )
        .to_str()
        .unwrap(),
    ]);
    assert_eq!(b.json(&["show", third_id])["short_id"], short.as_str());
    let pg = PgDatabase::create();
    for env in [&a, &b] {
        let out = env
            .cmd()
            .args(["--json", "copy", "--to", &pg.url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rows: BTreeMap<String, String> = pg
        .client()
        .query("SELECT id, short_id FROM experiences", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[first["id"].as_str().unwrap()], short);
    assert_eq!(rows[second_id], fresh);
    let third = &rows[third_id];
    assert!(
        third != &short && third != fresh && third.len() == 8,
        "{rows:?}"
    );
}
