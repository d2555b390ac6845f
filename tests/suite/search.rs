//! Hybrid search with the real embedding model: meaning over wording, filters applied before
//! ranking, quality-aware order, the keyword-only fallback, model changes and reindex.

use crate::common;

use common::{Env, model_dir, sample};
use serde_json::{Value, json};

fn experience(goal: &str, domain: &str, tags: &[&str], tools: &[&str], body: &str) -> Value {
    json!({
        "goal": goal, "domain": domain, "tags": tags, "tools_used": tools, "context": body,
        "breakthroughs": [{"insight": body, "detail": "", "importance": "high"}],
    })
}

/// A small, varied store published with the real model.
fn corpus(env: &Env) -> Vec<String> {
    let items = vec![
        experience(
            "Make a Docker image for a Python web service smaller",
            "deployment",
            &["docker", "python"],
            &["docker"],
            "Multi-stage builds: compile wheels in a builder stage and copy only the virtualenv into a slim runtime image.",
        ),
        experience(
            "Stop PostgreSQL from running out of connections under load",
            "databases",
            &["postgres"],
            &["pgbouncer"],
            "Put PgBouncer in transaction pooling mode in front of the database and cap the application's pool size.",
        ),
        experience(
            "Speed up Rust compile times in continuous integration",
            "ci",
            &["rust", "ci"],
            &["cargo", "sccache"],
            "Cache the target directory keyed by Cargo.lock and use sccache; split debug info to cut link time.",
        ),
        experience(
            "Renew Let's Encrypt certificates automatically behind nginx",
            "networking",
            &["tls", "nginx"],
            &["certbot"],
            "Run certbot renew from a systemd timer with a deploy hook that reloads nginx.",
        ),
        experience(
            "Fix React state not updating after setState in a loop",
            "frontend",
            &["react"],
            &["react"],
            "Use the functional updater form so each update sees the previous state instead of a stale closure.",
        ),
        experience(
            "Publish a Python package to PyPI from GitHub Actions",
            "python-packaging",
            &["python", "pypi", "ci"],
            &["twine"],
            "Use trusted publishing with OIDC instead of storing an API token; build sdist and wheel with python -m build.",
        ),
    ];
    let file = env.path("corpus.json");
    std::fs::write(&file, Value::Array(items).to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--json", "publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish corpus"]);
    common::parse(&out.stdout)["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Publishes one experience with the real model (so it has a vector); its detail document.
fn publish_with_model(env: &Env, experience: &Value) -> Value {
    let file = env.path("one.json");
    std::fs::write(&file, experience.to_string()).unwrap();
    env.json_with_model(&["publish", "--file", file.to_str().unwrap()])
}

/// Publishes experiences (one object or an array) with no model at hand: no vectors.
fn publish_without_model(env: &Env, experiences: &Value) {
    let file = env.path("nomodel.json");
    std::fs::write(&file, experiences.to_string()).unwrap();
    let out = env
        .cmd_without_model()
        .args(["publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish without a model"]);
}

fn search(env: &Env, args: &[&str]) -> Value {
    env.json_with_model(&[&["search"], args].concat())
}

fn goals(results: &Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["goal"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn meaning_wins_over_wording() {
    let env = Env::new();
    corpus(&env);
    // No significant word of these queries appears in the experience they should find.
    let cases = [
        (
            "shrink my container image",
            "Make a Docker image for a Python web service smaller",
        ),
        (
            "too many clients connected to the db",
            "Stop PostgreSQL from running out of connections under load",
        ),
        (
            "builds of my crate are slow on the build server",
            "Speed up Rust compile times in continuous integration",
        ),
        (
            "https cert expired on my web server",
            "Renew Let's Encrypt certificates automatically behind nginx",
        ),
    ];
    for (query, expected) in cases {
        let r = search(&env, &[query]);
        assert_eq!(r["semantic"], true);
        assert_eq!(goals(&r)[0], expected, "query {query:?}");
        // (`confident` is calibrated on a realistic store: see the agent questions below.)
        let top = &r["results"][0];
        assert!(top["similarity"].as_f64().unwrap() > 0.3);
        assert_eq!(top["trust_score"], top["quality_score"]);
    }
}

#[test]
fn the_search_projection_carries_scores_and_no_content() {
    let env = Env::new();
    corpus(&env);
    let r = search(
        &env,
        &["postgres connection pooling", "--explain", "--limit", "3"],
    );
    assert_eq!(r["query"], "postgres connection pooling");
    assert_eq!(r["total_found"], 3);
    let top = &r["results"][0];
    for key in [
        "id",
        "short_id",
        "goal",
        "quality_score",
        "trust_score",
        "similarity",
        "keyword_rank",
        "combined_score",
        "rerank_score",
        "confident",
        "explain",
    ] {
        assert!(top.get(key).is_some(), "missing {key}");
    }
    for key in ["solution", "dead_ends", "context"] {
        assert!(
            top.get(key).is_none(),
            "search results must not carry {key}"
        );
    }
    // Matched by both arms at rank 1: the fused score is the logistic of the mean z-score.
    assert_eq!(top["explain"]["vector"]["rank"], 1);
    assert_eq!(top["explain"]["keyword"]["rank"], 1);
    let z = |arm: &str| top["explain"][arm]["z"].as_f64().unwrap();
    let fused = 1.0 / (1.0 + (-(0.5 * z("vector") + 0.5 * z("keyword"))).exp());
    assert!((top["combined_score"].as_f64().unwrap() - fused).abs() < 1e-12);
    assert!(fused > 0.5);
    assert_eq!(top["explain"]["quality_factor"], 1.0);
    assert!(r["timings_ms"]["vector"].as_f64().is_some());
}

/// The goals of a search's results, each with the rank each arm gave it (`--explain`).
fn explained(results: &Value) -> Vec<(String, Option<u64>, Option<u64>)> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["goal"].as_str().unwrap().to_string(),
                r["explain"]["vector"]["rank"].as_u64(),
                r["explain"]["keyword"]["rank"].as_u64(),
            )
        })
        .collect()
}

/// Each arm takes its candidates (CANDIDATES_PER_LIMIT × limit) among the experiences the
/// filters admit: an experience that ranks far below that depth in the whole store is still
/// found, by both arms, once a filter leaves it among the few that qualify. Filtering the
/// candidates after ranking would find nothing here.
#[test]
fn filters_apply_before_ranking() {
    let env = Env::new();
    let query = "make the docker image of a python web service smaller";
    let limit = 2;
    let depth = limit * plurum::model::search::CANDIDATES_PER_LIMIT;
    // Near-duplicates of the query: they outrank everything else in both arms.
    let near = 2 * depth;
    let mut items: Vec<Value> = (0..near)
        .map(|i| {
            experience(
                &format!("Make the Docker image of Python web service number {i} smaller"),
                "deployment",
                &["docker", "python"],
                &["docker"],
                "A smaller Docker image for the Python web service: multi-stage build, slim base image.",
            )
        })
        .collect();
    // Experiences that share none of the query's words, so bm25 finds its words rare.
    let unrelated = [
        "Rotate PostgreSQL logs daily",
        "Fix React state not updating after setState in a loop",
        "Renew Let's Encrypt certificates behind nginx",
        "Speed up Rust compile times in continuous integration",
        "Stop Kafka consumers from rebalancing too often",
        "Tune the JVM garbage collector for low pause times",
        "Debug flaky Selenium tests on CI",
        "Migrate a MySQL schema without downtime",
        "Cut AWS Lambda cold starts",
        "Recover a corrupted git repository",
        "Profile slow Elasticsearch queries",
        "Keep Redis memory under its maxmemory limit",
        "Speed up Jest test runs in a monorepo",
        "Resolve Terraform state lock errors",
        "Fix Kubernetes pods stuck in CrashLoopBackOff",
        "Reduce Go binary sizes for embedded devices",
        "Batch writes to DynamoDB under throttling",
        "Stream large CSV files in Node without running out of memory",
        "Configure Prometheus alerts for disk usage",
        "Fix timezone bugs in cron jobs",
    ];
    items.extend(
        unrelated
            .iter()
            .map(|g| experience(g, "misc", &["misc"], &[], "See the steps in the goal.")),
    );
    // What the filters below are after: each shares a word or two with the query.
    let react = "Serve a React single-page app from an nginx container image";
    let vue = "Host a Vue site's static files with Caddy in a container image";
    let mkdocs = "Publish MkDocs documentation as a static site image";
    let backup = "Back up PostgreSQL running in a Docker container";
    items.extend([
        experience(
            react,
            "frontend",
            &["react", "static-site"],
            &["nginx"],
            "Copy the build folder into nginx:alpine with a try_files fallback to index.html.",
        ),
        experience(
            vue,
            "frontend",
            &["vue", "static-site"],
            &["caddy"],
            "Caddy's file_server with the dist folder as root, and try_files for the router.",
        ),
        experience(
            mkdocs,
            "docs",
            &["static-site", "mkdocs"],
            &["mkdocs"],
            "mkdocs build in one stage, then the site folder copied into a web server stage.",
        ),
        experience(
            backup,
            "databases",
            &["postgres"],
            &["pg_dump"],
            "docker exec pg_dump with a custom-format dump, copied out of the container.",
        ),
    ]);
    let file = env.path("store.json");
    std::fs::write(&file, Value::Array(items).to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args(["--json", "publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish the store"]);

    // Unfiltered, every one of them ranks below each arm's candidate depth.
    let all = explained(&search(&env, &[query, "--limit", "50", "--explain"]));
    for goal in [react, vue, mkdocs, backup] {
        let (_, vector, keyword) = all
            .iter()
            .find(|(g, ..)| g == goal)
            .unwrap_or_else(|| panic!("{goal:?} not found at all: {all:?}"));
        let (vector, keyword) = (vector.unwrap(), keyword.unwrap());
        assert!(
            vector > depth as u64 && keyword > depth as u64,
            "{goal:?} ranks {vector} (vector) and {keyword} (keyword) unfiltered: the test needs \
             both below the candidate depth {depth}"
        );
    }

    // Filtered, each is found, and by both arms: neither filters after ranking.
    let filtered = |filters: &[&str]| -> Vec<String> {
        let limit = limit.to_string();
        let args = [
            &[query, "--limit", limit.as_str(), "--explain"][..],
            filters,
        ]
        .concat();
        let r = search(&env, &args);
        assert_eq!(r["semantic"], true, "{r}");
        explained(&r)
            .into_iter()
            .map(|(goal, vector, keyword)| {
                assert!(
                    vector.is_some(),
                    "{filters:?}: the vector arm missed {goal:?}"
                );
                assert!(
                    keyword.is_some(),
                    "{filters:?}: the keyword arm missed {goal:?}"
                );
                goal
            })
            .collect()
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // Domain (case-insensitive).
    assert_eq!(
        sorted(filtered(&["--domain", "FRONTEND"])),
        sorted(vec![vue.to_string(), react.to_string()])
    );
    // Tags: all must match (case-insensitive).
    assert_eq!(filtered(&["--tag", "static-site", "--tag", "VUE"]), [vue]);
    // Tools.
    assert_eq!(filtered(&["--tool", "mkdocs"]), [mkdocs]);
    assert_eq!(filtered(&["--tool", "pg_dump"]), [backup]);
    // Filters combine.
    assert_eq!(
        filtered(&["--domain", "frontend", "--tool", "nginx"]),
        [react]
    );
    assert!(filtered(&["--tag", "static-site", "--tool", "pg_dump"]).is_empty());
    assert!(filtered(&["--tag", "nope"]).is_empty());
    // The limit bounds results; filters never truncate below it when enough qualify.
    assert_eq!(filtered(&["--tag", "static-site"]).len(), limit);
    let static_sites = goals(&search(
        &env,
        &[query, "--limit", "50", "--tag", "static-site"],
    ));
    assert_eq!(
        sorted(static_sites),
        sorted(vec![react.into(), vue.into(), mkdocs.into()])
    );

    // A long-lived process (serve, mcp) keeps the vectors in memory from its second search
    // on: its vector arm filters before ranking too.
    let mut options = plurum::OpenOptions::from_env().unwrap();
    options.db = env.db();
    options.model.model_dir = Some(model_dir());
    options.model.offline = true;
    let plurum = plurum::Plurum::open(options).unwrap();
    let reader = plurum.agent("reader").unwrap();
    let mut q = plurum::model::search::SearchQuery::new(query);
    q.limit = limit;
    q.tools = vec!["caddy".into()];
    for _ in 0..3 {
        let r = plurum.search(&reader, &q).unwrap();
        let hits: Vec<(&str, bool, bool)> = r
            .hits
            .iter()
            .map(|h| {
                (
                    h.experience.content.goal.as_str(),
                    h.vector.is_some(),
                    h.keyword.is_some(),
                )
            })
            .collect();
        assert_eq!(hits, [(vue, true, true)]);
    }
}

#[test]
fn drafts_archived_private_and_quarantined_are_left_out() {
    let env = Env::new();
    let ids = corpus(&env);
    let query = ["Docker image Python web service smaller"];
    assert_eq!(
        goals(&search(&env, &query))[0],
        "Make a Docker image for a Python web service smaller"
    );

    // Archived: gone.
    env.json(&["experience", "archive", &ids[0]]);
    assert!(
        !goals(&search(&env, &query))
            .contains(&"Make a Docker image for a Python web service smaller".to_string())
    );

    // Private: found by its author, not by others. Drafts: by nobody.
    let mut private = sample("Private notes on shrinking Docker images for Python services");
    private["visibility"] = json!("private");
    let file = env.path("p.json");
    std::fs::write(&file, private.to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args([
            "--json",
            "--agent",
            "alice",
            "publish",
            "--file",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish private"]);
    let published = common::parse(&out.stdout);
    assert_eq!(published["visibility"], "private", "{published}");
    let mut draft = sample("Draft notes on shrinking Docker images for Python services");
    draft["goal"] = json!("Draft notes on shrinking Docker images for Python services");
    std::fs::write(&file, draft.to_string()).unwrap();
    let out = env
        .cmd()
        .env("PLURUM_MODEL_DIR", model_dir())
        .args([
            "--json",
            "--agent",
            "alice",
            "publish",
            "--draft",
            "--file",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish draft"]);
    let drafted = common::parse(&out.stdout);
    assert_eq!(drafted["status"], "draft", "{drafted}");
    let alice =
        goals(&env.json_with_model(&["--agent", "alice", "search", "shrinking Docker images"]));
    assert!(
        alice.contains(&"Private notes on shrinking Docker images for Python services".to_string())
    );
    assert!(!alice.iter().any(|g| g.starts_with("Draft")));
    let bob = goals(&env.json_with_model(&["--agent", "bob", "search", "shrinking Docker images"]));
    assert!(
        !bob.iter()
            .any(|g| g.starts_with("Private") || g.starts_with("Draft"))
    );

    // Quarantine: three failures and no success.
    for i in 0..3 {
        env.json(&[
            "--agent",
            &format!("tester-{i}"),
            "outcome",
            &ids[1],
            "--failure",
        ]);
    }
    let pg = ["postgres connections pgbouncer"];
    assert!(
        !goals(&search(&env, &pg))
            .contains(&"Stop PostgreSQL from running out of connections under load".to_string())
    );
    let with = goals(&search(
        &env,
        &[&pg[..], &["--include-quarantined"]].concat(),
    ));
    assert_eq!(
        with[0],
        "Stop PostgreSQL from running out of connections under load"
    );
    // One success lifts the quarantine.
    env.json(&["--agent", "tester-9", "outcome", &ids[1], "--success"]);
    assert!(
        goals(&search(&env, &pg))
            .contains(&"Stop PostgreSQL from running out of connections under load".to_string())
    );
}

#[test]
fn quality_moves_rankings_and_unrated_is_neutral() {
    let env = Env::new();
    // Two near-identical experiences: relevance alone cannot separate them much.
    let a = publish_with_model(
        &env,
        &experience(
            "Cache pip downloads in GitHub Actions",
            "ci",
            &["python", "ci"],
            &[],
            "Use actions/setup-python with cache: pip keyed on requirements.txt.",
        ),
    );
    let b = publish_with_model(
        &env,
        &experience(
            "Cache pip packages in GitHub Actions workflows",
            "ci",
            &["python", "ci"],
            &[],
            "Use actions/setup-python with cache: pip keyed on requirements files.",
        ),
    );
    let (a, b) = (
        a["short_id"].as_str().unwrap().to_string(),
        b["short_id"].as_str().unwrap().to_string(),
    );
    // (short id, relevance) of each result, best first.
    let order = |env: &Env| -> Vec<(String, f64)> {
        search(env, &["cache pip in github actions"])["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["short_id"].as_str().unwrap().to_string(),
                    r["combined_score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let before = order(&env);
    assert_eq!(before.len(), 2, "{before:?}");
    let ((loser, loser_relevance), (winner, winner_relevance)) =
        (before[0].clone(), before[1].clone());
    let mut both = [loser.clone(), winner.clone()];
    both.sort();
    let mut published = [a, b];
    published.sort();
    assert_eq!(both, published, "each experience once: {before:?}");
    // Unrated, relevance alone orders them.
    assert!(loser_relevance >= winner_relevance, "{before:?}");
    // The one that ranked second earns successes and up-votes; the first collects failures.
    for i in 0..3 {
        env.json(&[
            "--agent",
            &format!("user-{i}"),
            "outcome",
            &winner,
            "--success",
        ]);
        env.json(&["--agent", &format!("user-{i}"), "vote", &winner, "up"]);
    }
    env.json(&["--agent", "user-9", "outcome", &loser, "--failure"]);
    // Relevance has not moved; quality alone puts the less relevant one first.
    let after = order(&env);
    let ids: Vec<&str> = after.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, [winner.as_str(), loser.as_str()], "{after:?}");
    assert!((after[0].1 - winner_relevance).abs() < 1e-9, "{after:?}");
    assert!((after[1].1 - loser_relevance).abs() < 1e-9, "{after:?}");
    let r = search(&env, &["cache pip in github actions", "--explain"]);
    let factor = r["results"][0]["explain"]["quality_factor"]
        .as_f64()
        .unwrap();
    assert!(factor > 1.0);
    assert!(
        r["results"][1]["explain"]["quality_factor"]
            .as_f64()
            .unwrap()
            < 1.0
    );
    assert!(
        (r["results"][0]["rerank_score"].as_f64().unwrap()
            - r["results"][0]["combined_score"].as_f64().unwrap() * factor)
            .abs()
            < 1e-12
    );
}

#[test]
fn without_a_model_search_is_keyword_only_and_says_why() {
    let env = Env::new();
    publish_without_model(&env, &sample("Deploy FastAPI to AWS ECS with Docker"));
    let out = env
        .cmd_without_model()
        .args(["--json", "search", "fastapi ecs"])
        .output()
        .unwrap();
    common::assert_ok(&out, &["search without model"]);
    let r = common::parse(&out.stdout);
    assert_eq!(r["semantic"], false);
    let reason = r["semantic_reason"].as_str().unwrap();
    assert!(reason.contains("model"), "{reason}");
    assert_eq!(
        r["results"][0]["goal"],
        "Deploy FastAPI to AWS ECS with Docker"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("semantic search is off"))
        .collect();
    assert_eq!(warnings.len(), 1, "exactly one line on stderr: {stderr}");

    // Once a model is available, reindex gives the keyword-only experience its vector.
    let status = env.json_with_model(&["model", "status"]);
    assert_eq!(status["store"]["missing"], 1);
    let report = env.json_with_model(&["reindex"]);
    assert_eq!(report["embedded"], 1);
    let status = env.json_with_model(&["model", "status"]);
    assert_eq!(status["store"]["missing"], 0);
    assert_eq!(status["store"]["vectors"], 1);
    assert_eq!(status["dimension"], 384);
    assert_eq!(status["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        search(&env, &["container deployment on amazon"])["semantic"],
        true
    );
}

#[test]
fn a_store_of_another_model_needs_reindex() {
    let env = Env::new();
    corpus(&env);
    // Pretend the vectors came from another model.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE store_meta SET value = 'someone/other-model' WHERE key = 'embedding_model'",
        [],
    )
    .unwrap();
    drop(conn);
    let r = search(&env, &["docker image python"]);
    assert_eq!(r["semantic"], false);
    assert!(r["semantic_reason"].as_str().unwrap().contains("reindex"));
    assert!(
        !r["results"].as_array().unwrap().is_empty(),
        "keywords still work"
    );
    let report = env.json_with_model(&["reindex"]);
    assert_eq!(report["replaced_model"], "someone/other-model");
    assert_eq!(report["embedded"], 6);
    assert_eq!(
        search(&env, &["shrink my container image"])["semantic"],
        true
    );
    // A second reindex has nothing to do.
    assert_eq!(env.json_with_model(&["reindex"])["embedded"], 0);
    assert_eq!(env.json_with_model(&["reindex", "--force"])["embedded"], 6);
}

#[test]
fn similar_finds_neighbours_above_the_threshold() {
    let env = Env::new();
    let ids = corpus(&env);
    let near = publish_with_model(
        &env,
        &experience(
            "Reduce the size of Docker images for Python apps",
            "deployment",
            &["docker"],
            &[],
            "Build in one stage and copy the virtualenv into python:slim.",
        ),
    );
    let r = env.json_with_model(&["similar", near["short_id"].as_str().unwrap()]);
    let items = r["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], ids[0]);
    assert!(
        items
            .iter()
            .all(|i| i["similarity"].as_f64().unwrap() >= 0.5)
    );
    assert!(items.iter().all(|i| i["id"] != near["id"]));
    env.json_err(&["similar", &ids[0], "--limit", "21"], 4);
}

#[test]
fn bad_search_input_is_refused() {
    let env = Env::new();
    assert_eq!(
        env.json_err(&["search", "x"], 4)["details"]["field"],
        "query"
    );
    assert_eq!(
        env.json_err(&["search", "docker", "--limit", "0"], 4)["details"]["field"],
        "limit"
    );
    assert_eq!(
        env.json_err(&["search", "docker", "--limit", "51"], 4)["details"]["field"],
        "limit"
    );
    assert_eq!(
        env.json_err(&["search", "docker", "--min-quality", "1.5"], 4)["details"]["field"],
        "min_quality"
    );
}

/// The vector arm reads sqlite-vec's chunk storage itself (src/store/sqlite/sqlite_vec.rs): it must
/// find exactly what vec0's own KNN finds, with and without a rowid filter, across several
/// chunks and with deleted slots in them.
#[test]
fn vec0_and_the_scan_agree() {
    let env = Env::new();
    let store = plurum::store::sqlite::SqliteStore::open(&env.db()).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut unit_vector = move || {
        let v: Vec<f32> = (0..384)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            })
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
    };
    let bytes = |v: &[f32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    // 2,500 vectors fill three 1,024-slot chunks; every seventh is deleted again.
    let vectors: Vec<Vec<f32>> = (0..2500).map(|_| unit_vector()).collect();
    store
        .write(|tx| {
            for (i, v) in vectors.iter().enumerate() {
                tx.execute(
                    "INSERT INTO experience_vectors (rowid, embedding) VALUES (?1, ?2)",
                    rusqlite::params![i as i64 + 1, bytes(v)],
                )?;
            }
            tx.execute("DELETE FROM experience_vectors WHERE rowid % 7 = 0", [])?;
            Ok(())
        })
        .unwrap();
    let only: std::collections::HashSet<i64> = (1..=2500).filter(|r| r % 3 == 0).collect();
    let only_json = serde_json::to_string(&only.iter().collect::<Vec<_>>()).unwrap();
    for _ in 0..5 {
        let q = unit_vector();
        for filtered in [false, true] {
            let (scan, knn) = store
                .read(|tx| {
                    let scan = plurum::store::sqlite::scan_vectors(
                        tx,
                        &q,
                        40,
                        filtered.then_some(&only),
                    )?;
                    let sql = if filtered {
                        "SELECT rowid, distance FROM experience_vectors WHERE embedding MATCH ?1
                         AND k = 40 AND rowid IN (SELECT value FROM json_each(?2)) ORDER BY distance"
                    } else {
                        "SELECT rowid, distance FROM experience_vectors WHERE embedding MATCH ?1
                         AND k = 40 AND ?2 IS NOT NULL ORDER BY distance"
                    };
                    let mut stmt = tx.prepare(sql)?;
                    let knn: Vec<(i64, f64)> = stmt
                        .query_map(rusqlite::params![bytes(&q), only_json], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    Ok((scan, knn))
                })
                .unwrap();
            assert_eq!(scan.len(), 40);
            let ids = |hits: &[(i64, f64)]| hits.iter().map(|h| h.0).collect::<Vec<_>>();
            assert_eq!(ids(&scan), ids(&knn), "filtered: {filtered}");
            for ((_, a), (_, b)) in scan.iter().zip(&knn) {
                assert!((a - b).abs() < 1e-5, "distance {a} vs vec0's {b}");
            }
            assert!(
                scan.iter().all(|(r, _)| r % 7 != 0),
                "a deleted slot was found"
            );
            if filtered {
                assert!(scan.iter().all(|(r, _)| r % 3 == 0));
            }
        }
    }
}

/// Which store an in-process search test opens: the SQLite file, a database on the test
/// run's Postgres with pgvector 0.8.5 (its HNSW index), or one on the Postgres with pgvector
/// 0.6.2 (exact ranking).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Store {
    Sqlite,
    Postgres,
    PostgresExact,
}

/// Runs each named test (a `fn(Store)`) on the three stores, as `NAME::sqlite`,
/// `NAME::postgres` and `NAME::postgres_exact`.
macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::Store;
            #[test]
            fn sqlite() {
                super::$name(Store::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name(Store::Postgres)
            }
            #[test]
            fn postgres_exact() {
                super::$name(Store::PostgresExact)
            }
        }
    )*};
}

on_every_store!(
    the_default_vector_arm_equals_the_exact_scan_and_brute_force,
    the_bounded_keyword_arm_equals_bm25_over_every_match,
);

/// The store of `env` (or a fresh Postgres database, kept alive by the third value) opened
/// in this process, and an author to write as.
fn in_process(
    env: &Env,
    store: Store,
) -> (
    plurum::Plurum,
    plurum::model::agent::Agent,
    Option<common::PgDatabase>,
) {
    let database = match store {
        Store::Sqlite => None,
        Store::Postgres => Some(common::PgDatabase::create()),
        Store::PostgresExact => Some(common::PgDatabase::create_on(common::test_pg_exact_url())),
    };
    let mut options = plurum::OpenOptions::from_env().unwrap();
    options.db = env.db();
    options.database_url = database.as_ref().map(|d| d.url.clone());
    let plurum = plurum::Plurum::open(options).unwrap();
    let agent = plurum.agent("author").unwrap();
    let method = plurum.store().read(|tx| tx.vector_method()).unwrap();
    assert_eq!(
        method.approximate,
        store != Store::PostgresExact,
        "{store:?}: {method:?}"
    );
    (plurum, agent, database)
}

/// What a search by `viewer` admits with only the default conditions and, if given, a domain.
fn default_eligibility(
    viewer: &plurum::model::agent::Agent,
    domain: Option<&str>,
) -> plurum::store::Eligibility {
    plurum::store::Eligibility {
        viewer: viewer.id.clone(),
        domain: domain.map(str::to_string),
        tags: Vec::new(),
        tools: Vec::new(),
        min_quality: 0.0,
        include_quarantined: false,
        exclude_seq: None,
        public_only: false,
        own_drafts: false,
    }
}

/// The default vector arm against `--exact` and against a brute-force ranking computed
/// here, on a fixed store of 3,000 clustered vectors where near neighbours crowd each other,
/// with and without a selective filter. On SQLite (sign-bit codes first, float32 rescoring,
/// from the pages and from the codes kept in memory) and on pgvector 0.6.2 (exact): equal
/// ids in equal order. On pgvector 0.8.5 the HNSW index's graph is built with random levels,
/// so its answer is not fixed: at least 0.98 of the exact top 30 on average, every hit
/// admitted by the filter, never fewer hits than asked for.
fn the_default_vector_arm_equals_the_exact_scan_and_brute_force(store: Store) {
    use plurum::model::experience::Status;
    use plurum::ops::experiences::new_record;
    use plurum::search::vector_scan::{VectorCache, nearest};
    let env = Env::new();
    let (plurum, agent, _database) = in_process(&env, store);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let normalised = |v: Vec<f32>| {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / norm).collect::<Vec<f32>>()
    };
    let centres: Vec<Vec<f32>> = (0..40)
        .map(|_| (0..384).map(|_| uniform()).collect())
        .collect();
    let mut near = |centre: &[f32], noise: f32| {
        normalised(centre.iter().map(|c| c + noise * uniform()).collect())
    };
    let domains = ["alpha", "beta", "gamma"];
    let mut stored: Vec<(i64, &str, Vec<f32>)> = Vec::new();
    plurum
        .store()
        .write(|tx| {
            for i in 0..3000 {
                let v = near(&centres[i % centres.len()], 0.8);
                let domain = domains[i % 3];
                let content = plurum::model::experience::ExperienceContent {
                    domain: Some(domain.to_string()),
                    ..plurum::model::experience::ExperienceContent::with_goal(format!(
                        "synthetic experience {i}"
                    ))
                };
                let mut e = new_record(
                    &agent,
                    &plurum::model::experience::NewExperience {
                        content,
                        artifacts: Vec::new(),
                    },
                    Status::Published,
                );
                let seq = plurum::ops::with_fresh_short_id(
                    &mut e,
                    |e| &mut e.short_id,
                    |e| tx.insert_experience(e, &[], Some(&v)),
                )?;
                stored.push((seq, domain, v));
            }
            Ok(())
        })
        .unwrap();
    let brute_force = |q: &[f32], domain: Option<&str>| -> Vec<(i64, f64)> {
        let mut all: Vec<(f32, i64)> = stored
            .iter()
            .filter(|(_, d, _)| domain.is_none_or(|want| want == *d))
            .map(|(seq, _, v)| {
                let d: f32 = v.iter().zip(q).map(|(a, b)| (a - b) * (a - b)).sum();
                (d, *seq)
            })
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter()
            .take(30)
            .map(|(d, seq)| (seq, f64::from(d).sqrt()))
            .collect()
    };
    let cache = VectorCache::default();
    let ids = |hits: &[(i64, f64)]| hits.iter().map(|h| h.0).collect::<Vec<_>>();
    let mut compared = 0;
    let (mut found, mut wanted) = (0, 0);
    for round in 0..12 {
        let q = near(&centres[(round * 7) % centres.len()], 1.2);
        for domain in [None, Some("beta")] {
            let elig = default_eligibility(&agent, domain);
            let reference = brute_force(&q, domain);
            let (exact, pages, memory) = plurum
                .store()
                .read(|tx| {
                    Ok((
                        nearest(tx, None, &q, 30, &elig, true)?,
                        nearest(tx, None, &q, 30, &elig, false)?,
                        // The cache loads the codes from its second search on.
                        (0..2)
                            .map(|_| nearest(tx, Some(&cache), &q, 30, &elig, false))
                            .last()
                            .unwrap()?,
                    ))
                })
                .unwrap();
            assert_eq!(
                ids(&exact),
                ids(&reference),
                "--exact, round {round}, {domain:?}"
            );
            for ((_, a), (_, b)) in exact.iter().zip(&reference) {
                assert!((a - b).abs() < 1e-4, "distance {a} vs brute force {b}");
            }
            if let Some(d) = domain {
                let of_domain: std::collections::HashSet<i64> = stored
                    .iter()
                    .filter(|(_, sd, _)| *sd == d)
                    .map(|(seq, _, _)| *seq)
                    .collect();
                assert!(pages.iter().all(|(seq, _)| of_domain.contains(seq)));
                assert!(memory.iter().all(|(seq, _)| of_domain.contains(seq)));
            }
            compared += 1;
            if store == Store::Postgres {
                assert_eq!(pages.len(), 30, "round {round}, {domain:?}");
                let truth: std::collections::HashSet<i64> = ids(&exact).into_iter().collect();
                found += pages.iter().filter(|(seq, _)| truth.contains(seq)).count();
                wanted += 30;
                continue;
            }
            assert_eq!(
                ids(&pages),
                ids(&exact),
                "two passes over the pages, round {round}, {domain:?}"
            );
            assert_eq!(
                ids(&memory),
                ids(&exact),
                "two passes in memory, round {round}, {domain:?}"
            );
            assert_eq!(
                pages, exact,
                "the rescoring computes the exact scan's distances"
            );
        }
    }
    assert_eq!(compared, 24);
    if store == Store::Postgres {
        let recall = found as f64 / wanted as f64;
        assert!(recall >= 0.98, "HNSW recall@30 {recall}");
    }
}

/// A long-lived process (serve, mcp) keeps the vectors in memory after its first search;
/// what another process writes afterwards must still be found by its vector arm.
#[test]
fn vectors_kept_in_memory_follow_other_processes_writes() {
    let env = Env::new();
    corpus(&env);
    let mut options = plurum::OpenOptions::from_env().unwrap();
    options.db = env.db();
    options.model.model_dir = Some(model_dir());
    options.model.offline = true;
    let plurum = plurum::Plurum::open(options).unwrap();
    let reader = plurum.agent("reader").unwrap();
    let mut query =
        plurum::model::search::SearchQuery::new("make my laptop battery last longer on linux");
    query.mode = plurum::model::search::SearchMode::Vector;
    let goals = || -> Vec<String> {
        let r = plurum.search(&reader, &query).unwrap();
        assert!(r.semantic);
        r.hits
            .iter()
            .map(|h| h.experience.content.goal.clone())
            .collect()
    };
    let goal = "Extend laptop battery life under Linux";
    for _ in 0..3 {
        assert!(!goals().iter().any(|g| g == goal));
    }
    publish_with_model(
        &env,
        &experience(
            goal,
            "hardware",
            &["linux"],
            &[],
            "Install TLP, cap the CPU's turbo on battery and let powertop tune the USB devices.",
        ),
    );
    assert_eq!(
        goals()[0],
        goal,
        "the in-memory vectors missed a new experience"
    );
}

/// Floors for the agent questions below, a question's worth under what the search reaches
/// (56/57 first, MRR@10 0.985, 44 of 56 right answers confident; before score fusion:
/// 51/57 and 0.924, with 9 off-topic questions getting a confident hit).
const TOP1_FLOOR: f64 = 0.96;
const MRR_FLOOR: f64 = 0.96;
const CONFIDENT_FLOOR: f64 = 0.75;

/// Agent-style questions over the 50 examples (tests/fixtures/agent-questions.json): worded as
/// an agent meets the problem (symptoms, pasted errors, few shared words), each with one right
/// answer; and questions nothing in the store answers, several from the examples' own domains.
/// Guards what the search quality work must not lose: the right experience first, a high
/// MRR@10, and no `confident` hit for a question the store cannot answer. Asked through
/// one `plurum mcp` over the store (the model loaded once for 78 questions; its search tool
/// answers with the CLI's `--json` document).
#[test]
fn agent_questions_find_the_right_example_and_off_topic_is_never_confident() {
    let env = Env::new();
    let id_of: std::collections::HashMap<String, String> =
        common::examples_store(&env).into_iter().collect();
    assert_eq!(id_of.len(), 50);
    let mcp = common::Mcp::start(&env);
    let search = |_: &Env, args: &[&str]| -> Value {
        let (limit, question) = (args[1].parse::<u32>().unwrap(), args[2]);
        mcp.call("plurum_search", json!({"query": question, "limit": limit}))
    };
    let env = &env;

    let set: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/agent-questions.json").unwrap(),
    )
    .unwrap();
    let paraphrases = set["paraphrases"].as_array().unwrap();
    let off_topic = set["off_topic"].as_array().unwrap();
    assert!(paraphrases.len() >= 30 && off_topic.len() >= 10);

    let (mut first, mut reciprocal, mut misses, mut confident) = (0, 0.0, Vec::new(), 0);
    for p in paraphrases {
        let question = p["question"].as_str().unwrap();
        let expected = &id_of[p["expected"].as_str().unwrap()];
        let r = search(env, &["--limit", "10", question]);
        assert_eq!(r["semantic"], true);
        let ids: Vec<&str> = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        match ids.iter().position(|id| id == expected) {
            Some(0) => {
                first += 1;
                reciprocal += 1.0;
                if r["results"][0]["confident"] == true {
                    confident += 1;
                }
            }
            Some(i) => {
                reciprocal += 1.0 / (i + 1) as f64;
                misses.push(format!("#{} {question:?}", i + 1));
            }
            None => misses.push(format!("absent {question:?}")),
        }
    }
    let n = paraphrases.len() as f64;
    let (top1, mrr) = (first as f64 / n, reciprocal / n);
    eprintln!(
        "agent questions: top-1 {first}/{} = {top1:.3}, MRR@10 {mrr:.3}, right answers confident {confident}/{first}; misses: {misses:#?}",
        paraphrases.len()
    );
    assert!(top1 >= TOP1_FLOOR, "top-1 {top1:.3} < {TOP1_FLOOR}");
    assert!(mrr >= MRR_FLOOR, "MRR@10 {mrr:.3} < {MRR_FLOOR}");
    // `confident` must still mean something for the right answers, not only stay off for
    // the wrong ones.
    let confident_share = confident as f64 / first.max(1) as f64;
    assert!(
        confident_share >= CONFIDENT_FLOOR,
        "right answers confident {confident}/{first} < {CONFIDENT_FLOOR}"
    );

    let mut confident_off_topic = Vec::new();
    for q in off_topic {
        let question = q.as_str().unwrap();
        let r = search(env, &["--limit", "10", question]);
        for hit in r["results"].as_array().unwrap() {
            if hit["confident"] == true {
                confident_off_topic.push(format!("{question:?} -> {}", hit["goal"]));
            }
        }
    }
    assert!(
        confident_off_topic.is_empty(),
        "confident hits for questions nothing answers: {confident_off_topic:#?}"
    );
}

/// `plurum model status`'s count of the store's vectors and of experiences lacking one.
fn vector_counts(env: &Env) -> (i64, i64) {
    let status = env.json(&["model", "status"]);
    (
        status["store"]["vectors"].as_i64().unwrap(),
        status["store"]["missing"].as_i64().unwrap(),
    )
}

/// The store's vector version (`store_meta.vectors_version`): every vector written bumps
/// it, so it counts the vectors a reindex has committed so far.
fn vectors_version(env: &Env) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(env.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .unwrap();
    conn.query_row(
        "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'vectors_version'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// With the same model, `reindex --force` replaces vectors in place: interrupted (SIGINT, as
/// Ctrl-C) before its first batch is committed or between batches, every experience still
/// has a vector and search stays semantic. The signal lands at each point for certain: the
/// process stops itself there (a test pause point) until the signal has been sent.
#[test]
fn an_interrupted_reindex_force_keeps_every_vector() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    // Two batches of plurum::ops::embedding::REINDEX_BATCH.
    let batch = plurum::ops::embedding::REINDEX_BATCH as i64;
    let n = batch + 144;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            // Short texts: the model's time is most of this test's.
            experience(
                &format!("Lower latency of service {i}"),
                "performance",
                &["latency"],
                &[],
                "Cache the hot path.",
            )
        })
        .collect();
    publish_without_model(&env, &Value::Array(items));
    assert_eq!(env.json_with_model(&["reindex"])["embedded"], n);
    assert_eq!(vector_counts(&env), (n, 0));

    for (kill_point, pause, replaced_by_then) in [
        ("the store is open", "reindex-started", 0),
        ("a batch is committed", "reindex-batch-committed#1", batch),
    ] {
        let start = vectors_version(&env);
        let mut cmd = env.cmd();
        let child = common::default_sigint(&mut cmd)
            .env("PLURUM_MODEL_DIR", model_dir())
            .env(common::PAUSE_AT, pause)
            .args(["--json", "reindex", "--force"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        common::wait_paused(&child, &format!("reindex --force until {kill_point}"));
        common::send_signal(child.id(), libc::SIGINT);
        common::resume(child.id());
        let out = child.wait_with_output().unwrap();
        let replaced = vectors_version(&env) - start;
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGINT),
            "reindex --force, interrupted once {kill_point}, ended with {} ({replaced} of {n} \
             replaced): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            replaced, replaced_by_then,
            "replaced when interrupted once {kill_point}"
        );
        assert_eq!(
            vector_counts(&env),
            (n, 0),
            "after reindex --force interrupted once {kill_point} ({replaced} replaced)"
        );
        let r = search(&env, &["lower latency for service 7"]);
        assert_eq!(r["semantic"], true);
        assert!(r.get("vector_coverage").is_none(), "{r}");
        assert!(r["results"][0]["similarity"].as_f64().unwrap() > 0.3, "{r}");
        assert_eq!(r["results"][0]["confident"], true);
    }
    // A plain reindex has nothing left to do.
    assert_eq!(env.json_with_model(&["reindex"])["embedded"], 0);
}

/// Experiences without a vector (published while no model was there) are named: the JSON's
/// `vector_coverage` and one line on stderr pointing at `plurum reindex`.
#[test]
fn search_says_when_experiences_lack_a_vector() {
    let env = Env::new();
    let search_out = |env: &Env| {
        let out = env
            .cmd()
            .env("PLURUM_MODEL_DIR", model_dir())
            .args(["--json", "search", "docker image python"])
            .output()
            .unwrap();
        common::assert_ok(&out, &["search"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (common::parse(&out.stdout), stderr)
    };
    let publish_without_model = |goal: &str| publish_without_model(&env, &sample(goal));
    // The hint names this store (not the default one), as a command that runs as printed.
    let reindex = format!("`plurum --db {} reindex`", env.db().display());

    // None has a vector: search is keyword-only, and says why and what to run.
    publish_without_model("Ship a Python API in a small Docker image");
    publish_without_model("Speed up Docker builds of Python services with cache mounts");
    let (r, stderr) = search_out(&env);
    assert_eq!(r["semantic"], false, "{r}");
    assert!(
        r["semantic_reason"].as_str().unwrap().contains(&reindex),
        "{r}"
    );
    assert_eq!(r["vector_coverage"], 0.0);
    assert!(
        !r["results"].as_array().unwrap().is_empty(),
        "keywords still work"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(&reindex)).collect();
    assert_eq!(lines.len(), 1, "{stderr}");

    // Six with a vector, two without: semantic, with the coverage and one line on stderr.
    corpus(&env);
    let (r, stderr) = search_out(&env);
    assert_eq!(r["semantic"], true, "{r}");
    assert_eq!(r["vector_coverage"], 0.75, "{r}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(&reindex)).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("75%"), "{stderr}");

    // Reindexed: nothing to say.
    assert_eq!(env.json_with_model(&["reindex"])["embedded"], 2);
    let (r, stderr) = search_out(&env);
    assert_eq!(r["semantic"], true);
    assert!(r.get("vector_coverage").is_none(), "{r}");
    assert!(!stderr.contains("reindex"), "{stderr}");
}

/// With part of the store embedded (here one experience of sixteen), a `confident` hit ranks
/// above every hit that is not. The one experience with a vector answers the question in
/// other words (cosine 0.56, `confident`); fifteen without one share the question's words
/// but not its meaning. The vector arm's one candidate stands at its average (z 0), so fusion
/// alone ties it with the keyword matches and the older ones came first (a real store put
/// such a hit 14th). Embedded in full, the order is fusion's, unchanged.
#[test]
fn with_part_of_the_store_embedded_a_confident_hit_comes_first() {
    let env = Env::new();
    let noise: Vec<Value> = (0..15)
        .map(|i| {
            json!({
                "goal": format!("Kubernetes pod restarting: CrashLoopBackOff banner colours in release notes {i}"),
                "domain": "documentation",
            })
        })
        .collect();
    publish_without_model(&env, &Value::Array(noise));
    let answer = env.json_with_model(&["publish", "--file", &{
        let file = env.path("answer.json");
        let answer = json!({
            "goal": "Container in my k8s cluster dies and comes back again and again",
            "domain": "ops",
        });
        std::fs::write(&file, answer.to_string()).unwrap();
        file.to_str().unwrap().to_string()
    }]);
    let query = "Kubernetes pod keeps restarting with CrashLoopBackOff";
    let r = search(&env, &["--limit", "20", query]);
    assert_eq!(r["semantic"], true, "{r}");
    assert_eq!(r["vector_coverage"], 1.0 / 16.0, "{r}");
    let first = &r["results"][0];
    assert_eq!(first["id"], answer["id"], "{r:#}");
    assert_eq!(first["confident"], true, "{r:#}");
    // First because it is confident: fusion alone does not put it above the others.
    let others_best = r["results"].as_array().unwrap()[1..]
        .iter()
        .map(|h| h["rerank_score"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    assert!(
        first["rerank_score"].as_f64().unwrap() <= others_best,
        "the test no longer shows the partial-coverage rule: {r:#}"
    );

    // Embedded in full: fusion's order, whatever `confident` says.
    assert_eq!(env.json_with_model(&["reindex"])["embedded"], 15);
    let r = search(&env, &["--limit", "20", query]);
    assert!(r.get("vector_coverage").is_none(), "{r}");
    let scores: Vec<f64> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["rerank_score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

/// The bounded keyword arm (rarest terms choose the rows, the common ones are scored only on
/// those) gives the full ranking over every match (FTS5's own bm25 on SQLite: the same rows,
/// the same scores to the last bit, the same ties; Postgres' BM25 in SQL with the counts its
/// triggers keep), with and without a filter, for queries mixing words held by a handful of
/// experiences with words held by nearly all of them.
fn the_bounded_keyword_arm_equals_bm25_over_every_match(store: Store) {
    use plurum::model::experience::{ExperienceContent, NewExperience, Status};
    use plurum::ops::experiences::new_record;
    use plurum::search::keyword::keyword;
    use plurum::search::query::keyword_query;
    let env = Env::new();
    let (plurum, agent, _database) = in_process(&env, store);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    // Word i is drawn with probability ∝ 1/(i+1): w0 is in nearly every text, w299 in few.
    let vocabulary: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
    let weights: Vec<f64> = (0..300).map(|i| 1.0 / (i as f64 + 1.0)).collect();
    let total: f64 = weights.iter().sum();
    let word = |next: &mut dyn FnMut(usize) -> usize| {
        let mut x = next(1_000_000) as f64 / 1_000_000.0 * total;
        for (i, w) in weights.iter().enumerate() {
            x -= w;
            if x <= 0.0 {
                return vocabulary[i].clone();
            }
        }
        vocabulary[299].clone()
    };
    let text = |n: usize, next: &mut dyn FnMut(usize) -> usize| {
        (0..n).map(|_| word(next)).collect::<Vec<_>>().join(" ")
    };
    let domains = ["alpha", "beta", "gamma"];
    plurum
        .store()
        .write(|tx| {
            for i in 0..3000 {
                let goal_len = 4 + next(8);
                let solution_len = 10 + next(60);
                let content = ExperienceContent {
                    domain: Some(domains[i % 3].to_string()),
                    solution: Some(text(solution_len, &mut next)),
                    ..ExperienceContent::with_goal(text(goal_len, &mut next))
                };
                let mut e = new_record(
                    &agent,
                    &NewExperience {
                        content,
                        artifacts: Vec::new(),
                    },
                    Status::Published,
                );
                plurum::ops::with_fresh_short_id(
                    &mut e,
                    |e| &mut e.short_id,
                    |e| tx.insert_experience(e, &[], None),
                )?;
            }
            Ok(())
        })
        .unwrap();
    let mut compared = 0;
    let mut bounded_reads_fewer = false;
    for round in 0..40 {
        // Two to four rare words, and one to four common ones.
        let mut words: Vec<String> = (0..2 + next(3))
            .map(|_| format!("w{}", 120 + next(180)))
            .collect();
        words.extend((0..1 + next(4)).map(|_| format!("w{}", next(12))));
        let query = keyword_query(&words.join(" ")).unwrap();
        for domain in [None, Some("beta")] {
            let elig = default_eligibility(&agent, domain);
            for k in [5, 30] {
                let (exact, bounded, stats) = plurum
                    .store()
                    .read(|tx| {
                        Ok((
                            keyword(tx, &query, k, &elig, true)?,
                            keyword(tx, &query, k, &elig, false)?,
                            tx.keyword_stats(&query)?,
                        ))
                    })
                    .unwrap();
                assert!(!exact.is_empty(), "round {round}: {words:?} matches");
                if store == Store::Sqlite {
                    assert_eq!(
                        bounded, exact,
                        "round {round}, {words:?}, {domain:?}, k {k}: bounded against bm25()"
                    );
                } else {
                    // Postgres sums a row's terms in the order its plan meets them, so a
                    // score may differ in its last bits and equal scores may swap places.
                    assert_eq!(bounded.len(), exact.len());
                    let canonical = |hits: &[(i64, f64)]| {
                        let mut v: Vec<(i64, i64)> = hits
                            .iter()
                            .map(|(seq, score)| ((score * 1e9).round() as i64, *seq))
                            .collect();
                        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                        v
                    };
                    assert_eq!(
                        canonical(&bounded),
                        canonical(&exact),
                        "round {round}, {words:?}, {domain:?}, k {k}: bounded against full BM25"
                    );
                }
                let stats = stats.expect("the store keeps the terms' frequencies");
                assert_eq!(stats.rows, 3000);
                let order = plurum::bm25::TermOrder::new(stats.rows, &stats.docs);
                if order.essential_for(exact.last().unwrap().1, 1) < stats.docs.len() {
                    bounded_reads_fewer = true;
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 160);
    assert!(
        bounded_reads_fewer,
        "some query is answered without reading every term in full"
    );
}
