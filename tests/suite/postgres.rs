//! `plurum serve --database postgres://…`: what only the Postgres store has. A database
//! from a newer plurum or an unreachable one is refused at start with a clear error, and one
//! from an older plurum is migrated with its data; two server processes on one database keep
//! exact counters under concurrent feedback, share rate limits and give the same search
//! results; filters never truncate results; an outage, a real Postgres restart and kill -9
//! of one server are survived; `doctor --database` checks the vector index and the kept
//! keyword counts on both pgvector versions. (Every HTTP test of serve.rs also runs on
//! Postgres: `serve::NAME::postgres`; the search arms' own tests run on both pgvector
//! versions: `search::NAME::postgres` and `search::NAME::postgres_exact`.)

use std::io::Write;
use std::process::Output;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{self, Backend, ClosedPort, Env, PgDatabase, PrivatePostgres, Server, sample};

/// One HTTP call: the status and the JSON body.
fn call(
    server: &Server,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let reply = common::call(server, method, path, key, body);
    (reply.status, reply.body)
}

fn register(server: &Server, username: &str) -> String {
    let (status, body) = call(
        server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": username, "username": username})),
    );
    assert_eq!(status, 201, "{body}");
    body["api_key"].as_str().unwrap().to_string()
}

fn publish(server: &Server, key: &str, body: &Value) -> String {
    common::create_and_publish(server, key, body)["short_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An up-vote by `key`'s agent; asserts it is accepted.
fn up_vote(server: &Server, key: &str, short: &str) -> Value {
    let (status, vote) = call(
        server,
        "POST",
        &format!("/experiences/{short}/vote"),
        Some(key),
        Some(&json!({"vote_type": "up"})),
    );
    assert_eq!(status, 200, "{vote}");
    vote
}

/// How many of these experience ids the server's database holds.
fn stored(server: &Server, ids: &[String]) -> usize {
    let n: i64 = server
        .database
        .as_ref()
        .expect("a Postgres server")
        .client()
        .query_one(
            "SELECT count(*) FROM experiences WHERE id = ANY($1)",
            &[&ids],
        )
        .unwrap()
        .get(0);
    n as usize
}

/// `plurum serve` run to its end (it should refuse to start), with a deadline.
fn serve_once(env: &Env, args: &[&str], database_env: Option<&str>) -> Output {
    let mut cmd = env.cmd();
    if let Some(url) = database_env {
        cmd.env("PLURUM_DATABASE_URL", url);
    }
    let mut child = cmd
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("plurum serve did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_database_from_a_newer_plurum_or_another_program_is_refused() {
    let database = PgDatabase::create();
    // A first start creates the schema.
    drop(Server::launch_on(&database));
    database
        .client()
        .batch_execute("INSERT INTO plurum_schema_migrations (version) VALUES (99)")
        .unwrap();
    let env = Env::new();
    let out = serve_once(&env, &["--database", &database.url], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("newer plurum") && stderr.contains("schema version 99"),
        "{stderr}"
    );
    // Nothing was changed.
    let versions: i64 = database
        .client()
        .query_one("SELECT count(*) FROM plurum_schema_migrations", &[])
        .unwrap()
        .get(0);
    // Every version this plurum applied, plus the newer one: nothing more, nothing less.
    assert_eq!(versions, plurum::store::postgres::SCHEMA_VERSION as i64 + 1);

    // A database with tables of its own is not touched.
    let foreign = PgDatabase::create();
    foreign
        .client()
        .batch_execute("CREATE TABLE invoices (id int)")
        .unwrap();
    let out = serve_once(&env, &["--database", &foreign.url], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("not a plurum store"), "{stderr}");
    let tables: i64 = foreign
        .client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}

/// Servers started at the same moment on an empty database: the migrations run once, under
/// an advisory lock. The first stops itself (a test pause point) while it holds the lock,
/// before creating anything; the second is seen waiting for that lock; then both start, and
/// the schema is there once.
#[test]
fn servers_started_at_once_on_an_empty_database_migrate_it_once() {
    let database = std::sync::Arc::new(PgDatabase::create());
    let mut first = Server::spawn(
        Some(database.clone()),
        &["--no-rate-limits"],
        &[(common::PAUSE_AT, "postgres-migrations-locked")],
    );
    common::wait_paused(&first.child, "the first server, holding the migration lock");
    let mut second = Server::spawn(Some(database.clone()), &["--no-rate-limits"], &[]);
    // The second waits on the advisory lock (Postgres says so), not on anything else.
    let mut admin = database.client();
    let deadline = std::time::Instant::now() + Duration::from_secs(600);
    loop {
        let waiting: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
                 WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = $1",
                &[&database.name],
            )
            .unwrap()
            .get(0);
        if waiting == 1 {
            break;
        }
        assert!(
            second.child.try_wait().unwrap().is_none(),
            "the second server exited while the first held the lock"
        );
        assert!(
            !std::fs::read_to_string(&second.log)
                .unwrap_or_default()
                .contains("plurum serve: http://"),
            "the second server started while the first held the migration lock"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the second server never waited for the migration lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let tables: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        tables, 0,
        "the first server created tables before its pause point"
    );
    common::resume(first.child.id());
    first.wait_started();
    second.wait_started();
    let versions: Vec<i32> = admin
        .query(
            "SELECT version FROM plurum_schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        versions,
        (1..=plurum::store::postgres::SCHEMA_VERSION).collect::<Vec<_>>()
    );
    // Both serve the one store.
    let key = register(&first, "pg-started-at-once");
    let short = publish(
        &second,
        &key,
        &sample("Migrate a database once from two servers"),
    );
    let (status, _) = call(&first, "GET", &format!("/experiences/{short}"), None, None);
    assert_eq!(status, 200);
}

/// A database of an older plurum is brought up to date at start, its data kept: one at
/// schema version 3 (made by turning a current one back: the keyword postings without the
/// document length, no kept keyword counts, no vector index) searches exactly as before
/// once serve has applied migrations 4 to 7 (and tokenised its documents again).
#[test]
fn an_older_schema_is_migrated_at_start_and_keeps_its_data() {
    let database = PgDatabase::create();
    let mut server = Server::launch_on(&database);
    let key = register(&server, "pg-upgrade");
    for goal in [
        "Pin Docker base images by digest",
        "Rotate TLS certificates on a load balancer",
        "Cache Docker layers in CI builds",
    ] {
        publish(&server, &key, &sample(goal));
    }
    let keyword_scores = |server: &Server| {
        hits(
            server,
            &json!({"query": "docker images digest certificates"}),
        )
        .iter()
        .map(|h| {
            format!(
                "{} {:.9} {:.9}",
                h["short_id"].as_str().unwrap(),
                h["keyword_rank"].as_f64().unwrap(),
                h["similarity"].as_f64().unwrap()
            )
        })
        .collect::<Vec<_>>()
    };
    let before = keyword_scores(&server);
    assert_eq!(before.len(), 3, "{before:?}");
    server.kill();

    let version = |c: &mut postgres::Client| -> i32 {
        c.query_one("SELECT max(version) FROM plurum_schema_migrations", &[])
            .unwrap()
            .get(0)
    };
    let mut client = database.client();
    assert_eq!(
        version(&mut client),
        plurum::store::postgres::SCHEMA_VERSION
    );
    client
        .batch_execute(
            "DROP TABLE keyword_retokenise;
             DROP TABLE experience_lesson_vectors;
             ALTER TABLE experiences DROP COLUMN merged_into;
             DROP TRIGGER experience_lengths_counted_in ON experience_lengths;
             DROP TRIGGER experience_lengths_counted_change ON experience_lengths;
             DROP TRIGGER experience_lengths_counted_out ON experience_lengths;
             DROP TABLE keyword_lexeme_docs, keyword_totals;
             DROP INDEX IF EXISTS experience_vectors_hnsw;
             CREATE TABLE terms_v3 (
                 lexeme text NOT NULL,
                 seq    bigint NOT NULL REFERENCES experiences(seq) ON DELETE CASCADE,
                 tf     double precision NOT NULL,
                 PRIMARY KEY (lexeme, seq));
             INSERT INTO terms_v3 SELECT lexeme, seq, tf FROM experience_terms;
             DROP TABLE experience_terms;
             ALTER TABLE terms_v3 RENAME TO experience_terms;
             CREATE INDEX experience_terms_seq ON experience_terms (seq);
             DROP FUNCTION plurum_terms_inserted, plurum_terms_deleted, plurum_add_totals,
                 plurum_lengths_inserted, plurum_lengths_updated, plurum_lengths_deleted,
                 plurum_count_shard;
             DELETE FROM plurum_schema_migrations WHERE version >= 4;",
        )
        .unwrap();
    assert_eq!(version(&mut client), 3);

    server.restart();
    assert_eq!(
        version(&mut client),
        plurum::store::postgres::SCHEMA_VERSION
    );
    assert_eq!(keyword_scores(&server), before);
    // And it keeps indexing (and counting) as the current version does.
    publish(&server, &key, &sample("Sign Docker images with cosign"));
    assert_eq!(keyword_scores(&server).len(), 4);
}

#[test]
fn an_unreachable_database_is_a_clear_error_and_the_flag_wins_over_the_environment() {
    let env = Env::new();
    let closed = ClosedPort::new();
    let port = closed.port;
    let url = format!("postgres://plurum:hunter2@127.0.0.1:{port}/nowhere");
    let good = PgDatabase::create();
    // The flag names the unreachable database; the environment a good one: the flag wins.
    let out = serve_once(&env, &["--database", &url], Some(&good.url));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot connect to the database postgres://plurum:***@127.0.0.1:{port}/nowhere"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
    // The environment alone is used when there is no flag.
    let out = serve_once(&env, &[], Some(&url));
    assert_eq!(out.status.code(), Some(1));
}

/// (success, failure, up, down, quality) of an experience as a server reports it.
fn counters(server: &Server, short: &str) -> (i64, i64, i64, i64, f64) {
    let (status, e) = call(server, "GET", &format!("/experiences/{short}"), None, None);
    assert_eq!(status, 200, "{e}");
    (
        e["success_count"].as_i64().unwrap(),
        e["failure_count"].as_i64().unwrap(),
        e["upvotes"].as_i64().unwrap(),
        e["downvotes"].as_i64().unwrap(),
        e["quality_score"].as_f64().unwrap(),
    )
}

#[test]
fn two_servers_on_one_database_keep_exact_counters_under_16_concurrent_writers() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let author = register(&a, "pg-author");
    let shorts: Vec<String> = (0..3)
        .map(|i| {
            publish(
                &a,
                &author,
                &sample(&format!("Shared experience number {i} on Fargate")),
            )
        })
        .collect();
    const WRITERS: usize = 16;
    let keys: Vec<String> = (0..WRITERS)
        .map(|i| register(if i % 2 == 0 { &a } else { &b }, &format!("pg-writer-{i}")))
        .collect();
    // Writer i's final word on experience j: success unless (i + j) % 3 == 0; an up vote
    // unless (i + j) % 4 == 0. Each writer first reports the opposite through one server,
    // then its final report through the other, and votes through either.
    let success = |i: usize, j: usize| !(i + j).is_multiple_of(3);
    let up = |i: usize, j: usize| !(i + j).is_multiple_of(4);
    std::thread::scope(|scope| {
        for (i, key) in keys.iter().enumerate() {
            let (a, b, shorts) = (&a, &b, &shorts);
            scope.spawn(move || {
                let (first, second) = if i % 2 == 0 { (a, b) } else { (b, a) };
                for (j, short) in shorts.iter().enumerate() {
                    for (server, ok) in [(first, !success(i, j)), (second, success(i, j))] {
                        let (status, body) = call(
                            server,
                            "POST",
                            &format!("/experiences/{short}/outcome"),
                            Some(key),
                            Some(&json!({"success": ok})),
                        );
                        assert_eq!(status, 201, "{body}");
                    }
                    let vote = if up(i, j) { "up" } else { "down" };
                    let (status, body) = call(
                        if j % 2 == 0 { first } else { second },
                        "POST",
                        &format!("/experiences/{short}/vote"),
                        Some(key),
                        Some(&json!({"vote_type": vote})),
                    );
                    assert_eq!(status, 200, "{body}");
                }
            });
        }
    });
    for (j, short) in shorts.iter().enumerate() {
        let s = (0..WRITERS).filter(|&i| success(i, j)).count() as i64;
        let u = (0..WRITERS).filter(|&i| up(i, j)).count() as i64;
        let (f, d) = (WRITERS as i64 - s, WRITERS as i64 - u);
        let quality = plurum::model::quality::quality_score(s, s + f, u, d);
        for server in [&a, &b] {
            let (gs, gf, gu, gd, gq) = counters(server, short);
            assert_eq!((gs, gf, gu, gd), (s, f, u, d), "experience {j}");
            assert!((gq - quality).abs() < 1e-12, "quality {gq} != {quality}");
        }
    }
}

/// The hits of a search (anonymous), asserting it is answered.
fn hits(server: &Server, body: &Value) -> Vec<Value> {
    let (status, r) = call(server, "POST", "/experiences/search", None, Some(body));
    assert_eq!(status, 200, "{r}");
    r["results"].as_array().unwrap().clone()
}

fn search(server: &Server, body: &Value) -> Vec<(String, String)> {
    hits(server, body)
        .iter()
        .map(|h| {
            (
                h["short_id"].as_str().unwrap().to_string(),
                format!("{:.9}", h["combined_score"].as_f64().unwrap_or(-1.0)),
            )
        })
        .collect()
}

#[test]
fn search_through_either_server_is_the_same_and_filters_never_truncate() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let key_a = register(&a, "pg-search-a");
    let key_b = register(&b, "pg-search-b");
    // 24 experiences about Docker images; only 4 of them (the least similar to the query)
    // carry the tag `rare` and the tool `podman`.
    let mut rare = Vec::new();
    for i in 0..24 {
        let mut body = sample(&format!("Pin Docker base images by digest, variant {i}"));
        if i % 6 == 5 {
            body["goal"] = json!(format!(
                "Rotate TLS certificates on a load balancer, case {i}"
            ));
            body["tags"] = json!(["rare", "tls"]);
            body["tools_used"] = json!(["podman"]);
        }
        let (server, key) = if i % 2 == 0 {
            (&a, &key_a)
        } else {
            (&b, &key_b)
        };
        let short = publish(server, key, &body);
        if i % 6 == 5 {
            rare.push(short);
        }
    }
    for query in [
        json!({"query": "pin docker base image by digest", "limit": 10}),
        json!({"query": "docker image digests", "limit": 5, "domain": "deployment"}),
        json!({"query": "certificates", "limit": 10}),
    ] {
        let from_a = search(&a, &query);
        assert!(!from_a.is_empty(), "{query}");
        assert_eq!(from_a, search(&b, &query), "{query}");
    }
    // A filter is applied before the top k is cut: all four rare ones come back, though
    // twenty others are nearer to the query.
    for filters in [
        json!({"tags": ["rare"]}),
        json!({"tools": ["podman"]}),
        json!({"tags": ["rare"], "tools": ["podman"]}),
    ] {
        let mut body = json!({"query": "pin docker base image by digest", "limit": 4});
        body.as_object_mut()
            .unwrap()
            .extend(filters.as_object().unwrap().clone());
        for server in [&a, &b] {
            let mut got: Vec<String> = search(server, &body).into_iter().map(|(s, _)| s).collect();
            got.sort();
            let mut want = rare.clone();
            want.sort();
            assert_eq!(got, want, "{body}");
        }
    }
}

#[test]
fn an_outage_of_the_database_answers_503_and_serving_resumes_after_it() {
    let server = Server::start_on(Backend::Postgres);
    let database = server.database.clone().unwrap();
    let key = register(&server, "pg-outage");
    let short = publish(&server, &key, &sample("Survive a database restart"));
    // The database goes away: no new connections, every open one cut (as a restart does).
    let mut admin = database.admin_client();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {0} ALLOW_CONNECTIONS false;
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}';",
            database.name
        ))
        .unwrap();
    let started = std::time::Instant::now();
    for (method, path, body) in [
        ("GET", format!("/experiences/{short}"), None),
        ("GET", "/experiences".to_string(), None),
        (
            "POST",
            "/experiences/search".to_string(),
            Some(json!({"query": "database restart"})),
        ),
        (
            "POST",
            format!("/experiences/{short}/vote"),
            Some(json!({"vote_type": "up"})),
        ),
    ] {
        let (status, answer) = call(&server, method, &path, Some(&key), body.as_ref());
        assert_eq!(status, 503, "{method} {path}: {answer}");
        let detail = answer["detail"].as_str().unwrap();
        assert!(detail.contains("database"), "{detail}");
        assert_eq!(answer["error"], answer["detail"]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "503s took {:?}",
        started.elapsed()
    );
    // Back again: the same server process answers, with everything written before.
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {} ALLOW_CONNECTIONS true",
            database.name
        ))
        .unwrap();
    // Serving resumes by itself, within seconds.
    let (status, e) = until_served(&server, &format!("/experiences/{short}"));
    assert_eq!(
        (status, &e["goal"]),
        (200, &json!("Survive a database restart"))
    );
    up_vote(&server, &register(&server, "pg-after"), &short);
}

#[test]
fn a_postgres_restart_or_stall_is_survived_without_restarting_serve() {
    // A server of this test's own: the shared one must stay up for the other tests.
    let pg = PrivatePostgres::start();
    let server = Server::launch_on_url(&pg.url, "plurum_test");
    let key = register(&server, "pg-restart");
    let voter = register(&server, "pg-restart-voter");
    let short = publish(&server, &key, &sample("Outlive a Postgres restart"));
    up_vote(&server, &voter, &short);

    pg.stop();
    // While Postgres is down: 503 naming the database at once (a refused connection), never
    // a hang.
    for (method, path, body) in [
        ("GET", format!("/experiences/{short}"), None),
        (
            "POST",
            "/experiences/search".to_string(),
            Some(json!({"query": "postgres restart"})),
        ),
        (
            "POST",
            "/experiences".to_string(),
            Some(sample("Written while Postgres is down")),
        ),
    ] {
        let started = std::time::Instant::now();
        let (status, answer) = call(&server, method, &path, Some(&key), body.as_ref());
        assert_eq!(status, 503, "{method} {path}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains("database"),
            "{answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{method} {path} took {:?}",
            started.elapsed()
        );
    }

    pg.start_again();
    // The same process, never restarted, serves again once the pool has reconnected.
    let (status, body) = until_served(&server, &format!("/experiences/{short}"));
    assert_eq!(status, 200, "{body}");
    let mut server = server;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "plurum serve exited during the restart"
    );
    // Everything acknowledged before is there; nothing refused during the outage was
    // written; new writes go through.
    let (successes, failures, up, down, _) = counters(&server, &short);
    assert_eq!((successes, failures, up, down), (0, 0, 1, 0));
    let (status, list) = call(&server, "GET", "/experiences?limit=100", Some(&key), None);
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    up_vote(&server, &register(&server, "pg-restart-after"), &short);
    assert_eq!(counters(&server, &short).2, 2);
    let hits = search(&server, &json!({"query": "Outlive a Postgres restart"}));
    assert_eq!(hits.first().map(|h| h.0.as_str()), Some(short.as_str()));

    // A database that takes connections and never answers (every process of the server
    // stopped, as a wedged or paused server): each request is answered 503 long before the
    // stall ends (the client gives up after 120 s, which would fail the test), never held
    // until the database is back. The server's own limit is 5 s per connection check.
    pg.freeze();
    for (method, path, body) in [
        ("GET", format!("/experiences/{short}"), None),
        (
            "POST",
            "/experiences".to_string(),
            Some(sample("Written while Postgres stalls")),
        ),
    ] {
        let started = std::time::Instant::now();
        let (status, answer) = call(&server, method, &path, Some(&key), body.as_ref());
        assert_eq!(
            status, 503,
            "{method} {path} while the database stalls: {answer}"
        );
        assert!(
            answer["detail"].as_str().unwrap().contains("database"),
            "{answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{method} {path} took {:?} while the database stalled",
            started.elapsed()
        );
        // The figure, past the harness's capture, for the logs.
        let _ = writeln!(
            std::io::stderr(),
            "stall: {method} {path} answered 503 after {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    pg.thaw();
    let (status, body) = until_served(&server, &format!("/experiences/{short}"));
    assert_eq!(status, 200, "{body}");
    up_vote(&server, &register(&server, "pg-after-stall"), &short);
    assert_eq!(counters(&server, &short).2, 3);
    let (_, list) = call(&server, "GET", "/experiences?limit=100", Some(&key), None);
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "a write refused during the stall was stored: {list}"
    );
}

#[test]
fn a_deadlock_between_two_writers_is_rolled_back_and_run_again() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    let database = PgDatabase::create();
    let store = Arc::new(plurum::store::Store::open_postgres(&database.url).unwrap());
    let barrier = Arc::new(Barrier::new(2));
    let attempts = Arc::new(AtomicUsize::new(0));
    // Each writer locks one key, waits for the other to lock the other key, then wants the
    // other's: a deadlock, which Postgres breaks by rolling one of them back.
    let writers: Vec<_> = [("a", "b"), ("b", "a")]
        .into_iter()
        .map(|(first, second)| {
            let (store, barrier, attempts) = (store.clone(), barrier.clone(), attempts.clone());
            std::thread::spawn(move || {
                let mut mine = 0;
                store.write_retrying(|tx| {
                    mine += 1;
                    attempts.fetch_add(1, Ordering::SeqCst);
                    tx.set_meta(first, "1")?;
                    if mine == 1 {
                        barrier.wait();
                    }
                    tx.set_meta(second, first)?;
                    Ok(mine)
                })
            })
        })
        .collect();
    let runs: Vec<usize> = writers
        .into_iter()
        .map(|w| w.join().unwrap().expect("both writes succeed"))
        .collect();
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "one writer ran twice: {runs:?}"
    );
    assert!(runs.contains(&1) && runs.contains(&2), "{runs:?}");
    // The writer that ran again wrote last.
    let last = if runs[0] == 2 { "a" } else { "b" };
    let winner = store
        .read(|tx| tx.meta(if last == "a" { "b" } else { "a" }))
        .unwrap();
    assert_eq!(winner.as_deref(), Some(last));

    // A closure that cannot run again (Store::write) gets 503's error instead of a replay.
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = [("c", "d"), ("d", "c")]
        .into_iter()
        .map(|(first, second)| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                store.write(|tx| {
                    tx.set_meta(first, "1")?;
                    barrier.wait();
                    tx.set_meta(second, first)
                })
            })
        })
        .collect();
    let results: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(failed.len(), 1, "{results:?}");
    assert_eq!(failed[0].http_status(), 503, "{}", failed[0]);
}

#[test]
fn rate_limits_are_shared_by_the_servers_on_one_database() {
    let limit = ["--rate-limit", "search=8/minute"];
    let a = Server::start_on_with(Backend::Postgres, &limit);
    let b = Server::start_sharing(&a, &limit);
    let body = json!({"query": "pin docker base images"});
    let statuses: Vec<u16> = (0..12)
        .map(|i| {
            let server = if i % 2 == 0 { &a } else { &b };
            call(server, "POST", "/experiences/search", None, Some(&body)).0
        })
        .collect();
    // 8 a minute in total, whichever server answers: not 8 each.
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        8,
        "{statuses:?}"
    );
    assert!(statuses[8..].iter().all(|&s| s == 429), "{statuses:?}");
    // Another bucket is untouched.
    assert_eq!(call(&b, "GET", "/experiences", None, None).0, 200);
}

/// The same request sent through each of two servers at the same moment (both threads
/// released by one barrier), as a client retrying through a load balancer may: the
/// (status, body) answers, in the servers' order.
fn at_once(
    servers: [&Server; 2],
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Vec<(u16, Value)> {
    let barrier = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        let sends: Vec<_> = servers
            .into_iter()
            .map(|server| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    call(server, method, path, key, body)
                })
            })
            .collect();
        sends.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// GETs `path` until the server answers something other than 503 (the database is back
/// and the pool has reconnected): waits on that event, for ten minutes at most.
fn until_served(server: &Server, path: &str) -> (u16, Value) {
    let deadline = std::time::Instant::now() + Duration::from_secs(600);
    loop {
        let (status, body) = call(server, "GET", path, None, None);
        if status != 503 || std::time::Instant::now() > deadline {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Whether the `nth` (from 0) `method uri` request that each of the two servers answered
/// was on both servers at the same time, by their logs (one machine's clock).
fn overlapped(servers: [&Server; 2], method: &str, uri: &str, nth: usize) -> bool {
    let spans: Vec<(f64, f64)> = servers
        .iter()
        .map(|server| {
            let r = server
                .requests()
                .into_iter()
                .filter(|r| r.method == method && r.uri == uri)
                .nth(nth)
                .unwrap_or_else(|| panic!("no {method} {uri} #{nth} in {}'s log", server.url));
            (r.start, r.end)
        })
        .collect();
    spans[0].0.max(spans[1].0) < spans[0].1.min(spans[1].1)
}

/// Runs `round` (which sends one request through each server at once and checks what came of
/// it, returning the request's method and path) until in `ROUNDS_OVERLAPPED` rounds the two
/// requests were on the servers at the same time, so the test has seen them meet. On a busy
/// machine one thread may be late, so a round may not overlap; the limit guards a test that
/// could never overlap.
fn until_requests_meet(
    what: &str,
    servers: [&Server; 2],
    mut round: impl FnMut(usize) -> (String, String),
) {
    const ROUNDS_OVERLAPPED: usize = 3;
    const MAX_ROUNDS: usize = 60;
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut met = 0;
    for n in 0..MAX_ROUNDS {
        let (method, uri) = round(n);
        let nth = seen.entry((method.clone(), uri.clone())).or_default();
        if overlapped(servers, &method, &uri, *nth) {
            met += 1;
        }
        *nth += 1;
        if met == ROUNDS_OVERLAPPED {
            return;
        }
    }
    panic!("{what}: the two requests met on the servers in only {met} of {MAX_ROUNDS} rounds");
}

/// How many experiences the server's database holds in all.
fn rows(server: &Server) -> usize {
    let n: i64 = server
        .database
        .as_ref()
        .unwrap()
        .client()
        .query_one("SELECT count(*) FROM experiences", &[])
        .unwrap()
        .get(0);
    n as usize
}

/// The same create (one client id) sent to two servers at the same moment, as a client
/// that retries through a load balancer may: both answer 201 with the one experience, and
/// the database holds it once.
#[test]
fn one_client_id_sent_to_two_servers_at_once_is_created_once() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let key = register(&a, "pg-twice");
    let mut ids = Vec::new();
    until_requests_meet("one client id", [&a, &b], |n| {
        let id = uuid_for(90, n);
        let mut body = sample(&format!("Sent twice at once, {id}"));
        body["id"] = json!(id);
        let replies = at_once([&a, &b], "POST", "/experiences", Some(&key), Some(&body));
        for (status, reply) in &replies {
            assert_eq!(*status, 201, "{id}: {reply}");
            assert_eq!(reply["id"], json!(id), "{reply}");
        }
        assert_eq!(replies[0].1["short_id"], replies[1].1["short_id"]);
        ids.push(id);
        // Every create so far once, and nothing else: the total, not a count by id (which
        // a unique column would keep right even if a create were stored twice).
        assert_eq!(rows(&a), ids.len(), "round {n}");
        ("POST".into(), "/api/v1/experiences".into())
    });
    assert_eq!(stored(&a, &ids), ids.len());
}

/// A session closed through two servers at the same moment is closed once: one answer
/// 200 with the experience it made, the other 422 (already closed), and one experience.
#[test]
fn a_session_closed_through_two_servers_at_once_makes_one_experience() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let key = register(&a, "pg-closer");
    until_requests_meet("session close", [&a, &b], |round| {
        let (status, opened) = call(
            &a,
            "POST",
            "/sessions",
            Some(&key),
            Some(
                &json!({"topic": format!("Close me once, round {round}"), "domain": "deployment"}),
            ),
        );
        assert_eq!(status, 201, "{opened}");
        let sid = opened["session"]["id"].as_str().unwrap().to_string();
        for (kind, content) in [
            (
                "breakthrough",
                json!({"insight": "One row lock per session", "detail": "FOR UPDATE"}),
            ),
            (
                "dead_end",
                json!({"what": "Checking the status first", "why": "both see it open"}),
            ),
        ] {
            let (status, logged) = call(
                &b,
                "POST",
                &format!("/sessions/{sid}/entries"),
                Some(&key),
                Some(&json!({"entry_type": kind, "content": content})),
            );
            assert_eq!(status, 201, "{logged}");
        }
        let path = format!("/sessions/{sid}/close");
        let mut statuses = at_once(
            [&a, &b],
            "POST",
            &path,
            Some(&key),
            Some(&json!({"outcome": "success"})),
        );
        statuses.sort_by_key(|(s, _)| *s);
        assert_eq!((statuses[0].0, statuses[1].0), (200, 422), "{statuses:?}");
        let made: i64 = a
            .database
            .as_ref()
            .unwrap()
            .client()
            .query_one(
                "SELECT count(*) FROM experiences WHERE session_id = $1",
                &[&sid],
            )
            .unwrap()
            .get(0);
        assert_eq!(made, 1, "round {round}");
        assert_eq!(rows(&a), round + 1, "round {round}");
        ("POST".into(), format!("/api/v1{path}"))
    });
}

/// One agent's same vote sent through two servers at the same moment is two votes in some
/// order, as on one server: one creates it, the other withdraws it, and none is left.
#[test]
fn the_same_vote_through_two_servers_at_once_is_created_then_withdrawn() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let author = register(&a, "pg-vote-author");
    let voter = register(&a, "pg-vote-twice");
    until_requests_meet("vote", [&a, &b], |round| {
        let short = publish(
            &a,
            &author,
            &sample(&format!("Voted twice at once, {round}")),
        );
        let path = format!("/experiences/{short}/vote");
        let mut actions: Vec<String> = at_once(
            [&a, &b],
            "POST",
            &path,
            Some(&voter),
            Some(&json!({"vote_type": "up"})),
        )
        .into_iter()
        .map(|(status, r)| {
            assert_eq!(status, 200, "{r}");
            r["action"].as_str().unwrap().to_string()
        })
        .collect();
        actions.sort();
        assert_eq!(actions, ["created", "withdrawn"], "round {round}");
        assert_eq!(counters(&a, &short).2, 0, "round {round}");
        ("POST".into(), format!("/api/v1{path}"))
    });
}

/// One username registered through two servers at the same moment: one gets it (201, and
/// its key works), the other is told it is taken (409); never two keys, one of them dead.
#[test]
fn one_username_registered_through_two_servers_at_once_goes_to_one() {
    let a = Server::start_on(Backend::Postgres);
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    until_requests_meet("register", [&a, &b], |round| {
        let username = format!("pg-race-{round}");
        let mut replies = at_once(
            [&a, &b],
            "POST",
            "/agents/register",
            None,
            Some(&json!({"name": username, "username": username})),
        );
        replies.sort_by_key(|(s, _)| *s);
        assert_eq!((replies[0].0, replies[1].0), (201, 409), "{replies:?}");
        let key = replies[0].1["api_key"].as_str().unwrap();
        for server in [&a, &b] {
            let (status, me) = call(server, "GET", "/agents/me", Some(key), None);
            assert_eq!((status, &me["username"]), (200, &json!(username)), "{me}");
        }
        ("POST".into(), "/api/v1/agents/register".into())
    });
}

/// kill -9 of one of two servers on one database while both take creates: every create
/// either server acknowledged (201) is stored exactly once, the other server keeps
/// answering throughout, creates whose answers the kill cut off are retried through it
/// without a duplicate, and a restarted server serves everything. The kill lands while a
/// write is in flight for certain: the server stops itself (a test pause point) right after
/// committing its 20th create and before answering it.
#[test]
fn kill_9_of_one_server_loses_no_acknowledged_write_and_the_other_keeps_serving() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut a = Server::start_paused_at(Backend::Postgres, "experience-created#20");
    let b = Server::start_sharing(&a, &["--no-rate-limits"]);
    let key = register(&b, "pg-killer");
    let acknowledged: Mutex<Vec<String>> = Mutex::new(Vec::new());
    // Each writer's first creates that the killed server failed (their answers cut off:
    // written or not), to be retried through the other server.
    let cut_off: Mutex<Vec<Value>> = Mutex::new(Vec::new());
    let (a_down, stop) = (AtomicBool::new(false), AtomicBool::new(false));
    let (mut refused_by_a, mut served_by_b_after) = (0, 0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let (a, b, key) = (&a, &b, &key);
                let (acknowledged, cut_off) = (&acknowledged, &cut_off);
                let (a_down, stop) = (&a_down, &stop);
                scope.spawn(move || {
                    let (mut refused, mut after) = (0, 0);
                    for n in 0.. {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        // Half the writers go to the server that will be killed.
                        let server = if w % 2 == 0 { a } else { b };
                        let down = a_down.load(Ordering::SeqCst);
                        let id = uuid_for(w, n);
                        let mut body = sample(&format!("Killed-server write {w}-{n} on ECS"));
                        body["id"] = json!(id);
                        let sent = ureq::post(&format!("{}/api/v1/experiences", server.url))
                            .set("Authorization", &format!("Bearer {key}"))
                            .timeout(Duration::from_secs(600))
                            .send_json(body.clone());
                        match sent {
                            Ok(r) if r.status() == 201 => {
                                acknowledged.lock().unwrap().push(id);
                                if down && w % 2 == 1 {
                                    after += 1;
                                }
                            }
                            Ok(r) => panic!("create answered {}", r.status()),
                            // Only the killed server may fail a request, and only once it is
                            // down (or while the kill lands).
                            Err(e) => {
                                assert_eq!(w % 2, 0, "the surviving server failed: {e}");
                                if refused < 3 {
                                    cut_off.lock().unwrap().push(body);
                                }
                                refused += 1;
                                std::thread::sleep(Duration::from_millis(20));
                            }
                        }
                    }
                    (refused, after)
                })
            })
            .collect();
        // Both take writes until the first stops itself with a committed create unanswered;
        // then kill -9.
        common::wait_paused(&a.child, "the first server until its 20th create");
        common::send_signal(a.child.id(), libc::SIGKILL);
        a_down.store(true, Ordering::SeqCst);
        let at_kill = acknowledged.lock().unwrap().len();
        let deadline = std::time::Instant::now() + Duration::from_secs(600);
        while acknowledged.lock().unwrap().len() < at_kill + 20 {
            assert!(
                std::time::Instant::now() < deadline,
                "the surviving server stalled"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::SeqCst);
        for w in workers {
            let (refused, after) = w.join().unwrap();
            refused_by_a += refused;
            served_by_b_after += after;
        }
    });
    assert!(refused_by_a > 0, "the killed server never failed a request");
    assert!(
        served_by_b_after > 0,
        "the other server took no write after the kill"
    );
    let mut acknowledged = acknowledged.into_inner().unwrap();
    // The kill landed with a write in flight: stored, never answered.
    let unanswered = rows(&b) - acknowledged.len();
    assert!(
        unanswered >= 1,
        "no write was in flight when the kill landed ({} rows, {} acknowledged)",
        rows(&b),
        acknowledged.len()
    );

    // A client retries what got no answer through the surviving server (as behind a load
    // balancer): each is created once, whether or not the killed server had written it.
    let cut_off = cut_off.into_inner().unwrap();
    assert!(cut_off.len() >= unanswered);
    for body in &cut_off {
        let (status, reply) = call(&b, "POST", "/experiences", Some(&key), Some(body));
        assert_eq!((status, &reply["id"]), (201, &body["id"]), "{reply}");
        acknowledged.push(body["id"].as_str().unwrap().to_string());
    }
    a.kill(); // reaps it
    a.restart();
    // In the database: each acknowledged create (the retried ones included) once, and
    // nothing else: the total, not a count by id (ids are unique by construction).
    assert_eq!(
        stored(&a, &acknowledged),
        acknowledged.len(),
        "acknowledged creates missing"
    );
    assert_eq!(
        rows(&a),
        acknowledged.len(),
        "rows beyond the acknowledged creates"
    );
    // Through either server, the restarted one included, each is there (drafts: the
    // author's key sees them).
    for server in [&a, &b] {
        for id in acknowledged.iter().step_by(7) {
            let (status, body) = call(
                server,
                "GET",
                &format!("/experiences/{id}"),
                Some(&key),
                None,
            );
            assert_eq!(status, 200, "{id}: {body}");
        }
    }
    // The keyword counts kept by triggers (sharded per connection) agree with the postings
    // after all those writers at once and the kill.
    let url = &a.database.as_ref().unwrap().url;
    let out = a
        .env
        .cmd_without_model()
        .args(["--json", "doctor", "--database", url])
        .output()
        .unwrap();
    common::assert_ok(&out, &["doctor --database"]);
    let d = common::parse(&out.stdout);
    assert_eq!(d["indexes"]["stale_keyword_terms"], 0, "{d}");
    assert_eq!(d["indexes"]["missing_keyword_rows"], 0, "{d}");
}

/// A client id for writer `w`'s `n`th create (the API takes the client's UUID).
fn uuid_for(w: usize, n: usize) -> String {
    format!("00000000-0000-4000-8000-{:06x}{:06x}", w, n)
}

/// A store copied into Postgres without vectors (published where no model was) is served
/// keyword-only, and the reason names a command that works for that database: run as
/// printed (`plurum reindex --database URL`), it embeds every experience there, and the
/// same server's search is semantic at once.
#[test]
fn the_reindex_hint_of_a_postgres_store_runs_as_printed() {
    let a = Env::new();
    for goal in [
        "Pin Docker base images by digest",
        "Rotate TLS certificates on a load balancer",
        "Cache Docker layers in CI builds",
    ] {
        let out = a
            .cmd_without_model()
            .args(["--json", "publish", "--file", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(sample(goal).to_string().as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        common::assert_ok(&out, &["publish without a model"]);
    }
    let database = PgDatabase::create();
    let out = a
        .cmd_without_model()
        .args(["--json", "copy", "--to", &database.url])
        .output()
        .unwrap();
    common::assert_ok(&out, &["copy without a model"]);
    let copied = common::parse(&out.stdout);
    assert_eq!(copied["without_vector"], 3, "{copied}");
    let hint = copied["hint"].as_str().unwrap();
    let command = format!("plurum reindex --database {}", database.url);
    assert!(hint.contains(&command), "{hint}");

    let server = Server::launch_on(&database);
    let hits = |server: &Server| {
        call(
            server,
            "POST",
            "/experiences/search",
            None,
            Some(&json!({"query": "pin container images to a digest"})),
        )
        .1
    };
    let before = hits(&server);
    assert_eq!(before["semantic"], false, "{before}");
    assert!(
        before["semantic_reason"]
            .as_str()
            .unwrap()
            .contains(&command),
        "{before}"
    );
    // The command as printed (its words after `plurum`), with the model at hand.
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    let reindexed = a.json_with_model(&words);
    assert_eq!(reindexed["embedded"], 3, "{reindexed}");
    let after = hits(&server);
    assert_eq!(after["semantic"], true, "{after}");
    assert_eq!(
        after["results"][0]["goal"], "Pin Docker base images by digest",
        "{after}"
    );
}

/// `plurum doctor --database`: how the vector arm searches (the HNSW index on pgvector
/// 0.8.5; every vector compared, and why, on 0.6.2), the keyword counts the triggers keep
/// checked against the postings (right after a copy of many experiences), and `--fix`
/// putting right what was broken by hand: a lexeme's count and the totals changed, the
/// index dropped.
#[test]
fn doctor_checks_a_postgres_store_and_fix_rebuilds_its_counts_and_vector_index() {
    let a = Env::new();
    for goal in [
        "Pin Docker base images by digest",
        "Rotate TLS certificates on a load balancer",
        "Cache Docker layers in CI builds",
    ] {
        let out = a
            .cmd()
            .env("PLURUM_MODEL_DIR", common::model_dir())
            .args(["--json", "publish", "--file", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(sample(goal).to_string().as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        common::assert_ok(&out, &["publish"]);
    }
    for (admin, indexed) in [
        (common::test_pg_url(), true),
        (common::test_pg_exact_url(), false),
    ] {
        let database = PgDatabase::create_on(admin);
        let out = a
            .cmd_without_model()
            .args(["--json", "copy", "--to", &database.url])
            .output()
            .unwrap();
        common::assert_ok(&out, &["copy"]);
        let doctor = |fix: bool| {
            let mut args = vec!["--json", "doctor", "--database", &database.url];
            if fix {
                args.push("--fix");
            }
            let out = a.cmd_without_model().args(&args).output().unwrap();
            common::assert_ok(&out, &args);
            common::parse(&out.stdout)
        };
        let d = doctor(false);
        assert_eq!(d["healthy"], true, "{d}");
        assert_eq!(d["indexes"]["experiences"], 3, "{d}");
        assert_eq!(d["indexes"]["stale_keyword_terms"], 0, "{d}");
        let method = &d["vector_search"];
        assert_eq!(method["approximate"], indexed, "{d}");
        assert_eq!(method["index_missing"], false, "{d}");
        if indexed {
            assert!(method["method"].as_str().unwrap().contains("HNSW"), "{d}");
            assert_eq!(method["reason"], Value::Null, "{d}");
        } else {
            let reason = method["reason"].as_str().unwrap();
            assert!(
                reason.contains("0.6.2") && reason.contains("iterative"),
                "{d}"
            );
        }

        let mut client = database.client();
        client
            .batch_execute(
                "UPDATE keyword_lexeme_docs SET docs = docs + 2
                 WHERE lexeme = (SELECT min(lexeme) FROM keyword_lexeme_docs);
                 UPDATE keyword_totals SET docs = docs + 1;",
            )
            .unwrap();
        if indexed {
            client
                .batch_execute("DROP INDEX experience_vectors_hnsw")
                .unwrap();
        }
        let d = doctor(false);
        assert_eq!(d["healthy"], false, "{d}");
        assert_eq!(d["indexes"]["stale_keyword_terms"], 2, "{d}");
        let problems = d["problems"].to_string();
        assert!(problems.contains("kept document frequency"), "{d}");
        assert_eq!(d["vector_search"]["index_missing"], indexed, "{d}");
        assert_eq!(problems.contains("vector index is missing"), indexed, "{d}");

        let d = doctor(true);
        assert_eq!(d["healthy"], true, "{d}");
        assert_eq!(d["indexes"]["stale_keyword_terms"], 0, "{d}");
        assert_eq!(d["vector_search"]["approximate"], indexed, "{d}");
        assert_eq!(d["indexes"]["vectors"], 3, "{d}");
    }
}
