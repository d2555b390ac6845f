//! Keyword search in Chinese, Japanese and Korean, and French typed without its accents,
//! with no model: words taken from inside unspaced text find their experience first, on
//! SQLite through the CLI (`--mode keyword`) and through `plurum serve` on SQLite and
//! PostgreSQL; a store of the version before is migrated (SQLite at opening, PostgreSQL in
//! batches after start, without holding a second server back) and then finds them too.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, Backend, Env, PgDatabase, Server, both_backends, call, register};

both_backends!(a_server_without_a_model_finds_words_inside_unspaced_text);

/// (name, experience): Chinese, Japanese and Korean, with English and French among them.
fn corpus() -> Vec<(&'static str, Value)> {
    let exp = |goal: &str, solution: &str, tags: &[&str]| {
        json!({
            "goal": goal,
            "solution": solution,
            "tags": tags,
            "domain": "debugging",
            "outcome": "success",
        })
    };
    vec![
        (
            "zh-cache",
            exp(
                "修复Docker构建缓存每次都失效的问题",
                "把依赖安装放在复制源代码之前，使层缓存保持有效",
                &["docker"],
            ),
        ),
        (
            "zh-pool",
            exp(
                "数据库连接池耗尽导致请求超时",
                "调大连接池，并在查询结束后立即释放连接",
                &["postgres"],
            ),
        ),
        (
            "zh-lock",
            exp(
                "用互斥锁保护多线程共享的计数器",
                "在读写计数器前后加锁和解锁",
                &["rust"],
            ),
        ),
        (
            "ja-pod",
            exp(
                "Kubernetesのポッドが再起動を繰り返す問題を調べる",
                "メモリ制限を引き上げ、OOMKilledの記録を確認した",
                &["kubernetes"],
            ),
        ),
        (
            "ja-venv",
            exp(
                "Pythonの仮想環境でパッケージのバージョンが衝突する",
                "依存関係をロックファイルで固定した",
                &["python"],
            ),
        ),
        (
            "ko-leak",
            exp(
                "자바스크립트 애플리케이션의 메모리 누수를 찾는 방법",
                "힙 스냅샷을 비교해서 분리된 DOM 노드를 찾았다",
                &["javascript"],
            ),
        ),
        (
            "ko-image",
            exp(
                "도커 이미지 크기를 줄이는 방법",
                "멀티 스테이지 빌드로 불필요한 파일을 제거했다",
                &["docker"],
            ),
        ),
        (
            "en-layers",
            exp(
                "Cache Docker layers in CI builds",
                "Copy the lock file and install dependencies before copying the sources",
                &["docker", "ci"],
            ),
        ),
        (
            "en-leak",
            exp(
                "Find a memory leak in a Node.js service",
                "Compare heap snapshots and look for detached DOM nodes",
                &["nodejs"],
            ),
        ),
        (
            "fr-accents",
            exp(
                "Gérer les caractères accentués dans les requêtes SQL",
                "Utiliser une collation insensible aux accents pour les comparaisons",
                &["sql"],
            ),
        ),
        (
            "fr-compose",
            exp(
                "Déployer une application avec Docker Compose",
                "Décrire chaque service et ses volumes dans un seul fichier",
                &["docker"],
            ),
        ),
    ]
}

/// (query, the experience expected first): two-character and longer words from inside
/// unspaced text, one character alone, Latin inside a run, French without accents.
const FIRST: &[(&str, &str)] = &[
    ("缓存失效", "zh-cache"),
    ("构建缓存", "zh-cache"),
    ("层缓存", "zh-cache"),
    ("连接池", "zh-pool"),
    ("超时", "zh-pool"),
    ("锁", "zh-lock"),
    ("计数器", "zh-lock"),
    ("再起動", "ja-pod"),
    ("ポッド", "ja-pod"),
    ("仮想環境", "ja-venv"),
    ("衝突", "ja-venv"),
    ("누수", "ko-leak"),
    ("메모리 누수", "ko-leak"),
    ("스냅샷", "ko-leak"),
    ("이미지 크기", "ko-image"),
    ("caracteres accentues", "fr-accents"),
    ("deployer compose", "fr-compose"),
    ("memory leak", "en-leak"),
];

/// Latin words glued to a run are words of their own: found among the results.
const AMONG: &[(&str, &str)] = &[("docker", "zh-cache"), ("OOMKilled", "ja-pod")];

/// Checks every query against `search` (query → result ids, best first) and `ids` (name →
/// id).
fn check(ids: &[(&str, String)], search: impl Fn(&str) -> Vec<String>) {
    let id = |name: &str| ids.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    let name = |id: &str| {
        ids.iter()
            .find(|(_, i)| i == id)
            .map_or("?", |(n, _)| *n)
            .to_string()
    };
    for (query, expected) in FIRST {
        let found = search(query);
        assert_eq!(
            found.first(),
            Some(&id(expected)),
            "{query:?} should find {expected} first, found {:?}",
            found.iter().map(|i| name(i)).collect::<Vec<_>>()
        );
    }
    for (query, expected) in AMONG {
        let found = search(query);
        assert!(
            found.contains(&id(expected)),
            "{query:?} should find {expected}, found {:?}",
            found.iter().map(|i| name(i)).collect::<Vec<_>>()
        );
    }
}

fn publish_without_model(env: &Env, experience: &Value) -> String {
    let file = env.path(&format!("exp-{}.json", fastrand::u32(..)));
    std::fs::write(&file, experience.to_string()).unwrap();
    let out = env
        .cmd_without_model()
        .args(["--json", "publish", "--file", file.to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_ok(&out, &["publish"]);
    common::parse(&out.stdout)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn cli_search(env: &Env, query: &str) -> Vec<String> {
    let out = env
        .cmd_without_model()
        .args([
            "--json", "search", "--mode", "keyword", "--limit", "20", query,
        ])
        .output()
        .unwrap();
    common::assert_ok(&out, &["search", query]);
    result_ids(&common::parse(&out.stdout))
}

/// A search answer's result ids, best first.
fn result_ids(reply: &Value) -> Vec<String> {
    reply["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Publishes the corpus by `publish`: (name, id) of each experience.
fn publish_corpus(publish: impl Fn(&Value) -> String) -> Vec<(&'static str, String)> {
    corpus()
        .iter()
        .map(|(name, e)| (*name, publish(e)))
        .collect()
}

#[test]
fn the_cli_without_a_model_finds_words_inside_unspaced_text() {
    let env = Env::new();
    let ids = publish_corpus(|e| publish_without_model(&env, e));
    check(&ids, |q| cli_search(&env, q));
}

fn server_search(server: &Server, query: &str) -> Vec<String> {
    let r = call(
        server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": query, "limit": 20})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    result_ids(&r.body)
}

fn publish_to(server: &Server, key: &str, experience: &Value) -> String {
    common::create_and_publish(server, key, experience)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// No model: an empty model setting, offline, an empty Hugging Face cache.
const NO_MODEL: &[(&str, &str)] = &[("PLURUM_MODEL_DIR", "")];

fn a_server_without_a_model_finds_words_inside_unspaced_text(backend: Backend) {
    let database = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(std::sync::Arc::new(PgDatabase::create())),
    };
    let mut server = Server::spawn(database, &["--no-rate-limits"], NO_MODEL);
    server.wait_started();
    let key = register(&server, "polyglot");
    let ids = publish_corpus(|e| publish_to(&server, &key, e));
    let r = call(
        &server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": "缓存"})),
    );
    assert_eq!(
        r.body["semantic"], false,
        "no model, keyword search only: {}",
        r.body
    );
    check(&ids, |q| server_search(&server, q));
}

/// Makes a keyword document as the version before indexed it on SQLite: the raw text,
/// which FTS5's unicode61 splits on spaces and punctuation only.
const SQLITE_RAW_DOCUMENTS: &str = "
    DELETE FROM experience_fts WHERE rowid IN (SELECT seq FROM experiences);
    INSERT INTO experience_fts (rowid, goal, tags, domain, solution, context, lessons)
        SELECT seq, goal, (SELECT group_concat(value, ' ') FROM json_each(tags)),
               coalesce(domain, ''), coalesce(solution, ''), coalesce(context, ''), ''
        FROM experiences;
    DELETE FROM keyword_terms;
    INSERT INTO keyword_terms (term, docs) SELECT term, doc FROM experience_fts_terms;
    PRAGMA user_version = 4;";

#[test]
fn a_sqlite_store_of_the_version_before_is_indexed_again_at_opening() {
    let env = Env::new();
    let ids = publish_corpus(|e| publish_without_model(&env, e));
    let english = ["docker layers", "heap snapshots", "memory leak nodes"];
    let before: Vec<Vec<String>> = english.iter().map(|q| cli_search(&env, q)).collect();
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch(SQLITE_RAW_DOCUMENTS).unwrap();
        // As the version before saw it: nothing found inside unspaced text.
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM experience_fts WHERE experience_fts MATCH '\"缓存\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 0);
    }
    // Opened without a model: the migration needs none.
    check(&ids, |q| cli_search(&env, q));
    for (q, was) in english.iter().zip(&before) {
        assert_eq!(&cli_search(&env, q), was, "{q}");
    }
    let doctor = common::parse(
        &env.cmd_without_model()
            .args(["--json", "doctor"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        doctor["store_schema_version"],
        plurum::store::SCHEMA_VERSION,
        "{doctor}"
    );
    assert_eq!(doctor["indexes"]["stale_keyword_terms"], 0, "{doctor}");
    assert_eq!(doctor["indexes"]["missing_keyword_rows"], 0, "{doctor}");
}

/// A Postgres store of the version before (6: the raw text tokenised by Postgres' own
/// parser, accents kept) is tokenised again in batches after start: a second server started
/// while the first holds a batch starts and serves at once, and once the batches are done
/// every word is found.
#[test]
fn a_postgres_store_of_the_version_before_is_tokenised_again_without_holding_servers_back() {
    let database = PgDatabase::create();
    let mut server = Server::spawn(Some(database.borrowed()), &["--no-rate-limits"], NO_MODEL);
    server.wait_started();
    let key = register(&server, "polyglot");
    let ids = publish_corpus(|e| publish_to(&server, &key, e));
    server.kill();
    let mut client = database.client();
    client
        .batch_execute(
            "UPDATE experience_fts f
                 SET document = plurum_fts_document(e.goal, '', coalesce(e.domain, ''),
                                                    coalesce(e.solution, ''), '', '')
                 FROM experiences e WHERE e.seq = f.seq;
             DELETE FROM experience_terms;
             INSERT INTO experience_terms (lexeme, seq, tf, length)
                 SELECT u.lexeme, f.seq,
                        sum(CASE w WHEN 'A' THEN 10 WHEN 'B' THEN 4 WHEN 'C' THEN 2 ELSE 1 END),
                        (SELECT count(*) FROM unnest(f.document) u2, unnest(u2.positions) p)
                 FROM experience_fts f, unnest(f.document) u, unnest(u.weights) w
                 GROUP BY u.lexeme, f.seq;
             UPDATE experience_lengths l
                 SET length = (SELECT count(*) FROM experience_fts f, unnest(f.document) u,
                                   unnest(u.positions) p WHERE f.seq = l.seq);
             DROP TABLE keyword_retokenise;
             DELETE FROM plurum_schema_migrations WHERE version = 7;",
        )
        .unwrap();
    let raw: i64 = client
        .query_one(
            "SELECT count(*) FROM experience_terms WHERE lexeme = '缓存'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(raw, 0, "the version before had no pairs");

    // The first server stops inside its first batch, holding the work's row.
    let shared = database.borrowed();
    let first = Server::spawn(
        Some(shared.clone()),
        &["--no-rate-limits"],
        &[
            NO_MODEL[0],
            (common::PAUSE_AT, "postgres-retokenise-locked"),
        ],
    );
    common::wait_paused(&first.child, "the first server, inside a batch");
    let mut second = Server::spawn(Some(shared), &["--no-rate-limits"], NO_MODEL);
    second.wait_started();
    assert_eq!(
        server_search(&second, "Cache Docker layers").first(),
        Some(&ids[7].1)
    );
    let left: i64 = client
        .query_one("SELECT count(*) FROM keyword_retokenise", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 1, "the work waits for the server holding it");
    let doctor = |env: &Env| {
        common::parse(
            &env.cmd_without_model()
                .args(["--json", "doctor", "--database", &database.url])
                .output()
                .unwrap()
                .stdout,
        )
    };
    let env = Env::new();
    let pending = doctor(&env);
    assert_eq!(
        pending["indexes"]["keyword_documents_pending"],
        ids.len(),
        "{pending}"
    );
    assert_eq!(pending["healthy"], false, "{pending}");
    common::resume(first.child.id());
    let deadline = Instant::now() + Duration::from_secs(300);
    while client
        .query_one("SELECT count(*) FROM keyword_retokenise", &[])
        .unwrap()
        .get::<_, i64>(0)
        > 0
    {
        assert!(
            Instant::now() < deadline,
            "the keyword index was not tokenised again within 300 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    check(&ids, |q| server_search(&second, q));
    let done = doctor(&env);
    assert_eq!(done["indexes"]["keyword_documents_pending"], 0, "{done}");
    // The server that did the work says so in its log.
    let log = std::fs::read_to_string(&first.log).unwrap();
    let line = format!(
        "tokenising the keyword index again: {n} of {n} experiences",
        n = ids.len()
    );
    assert!(log.contains(&line), "{line:?} not in the log:\n{log}");
    let versions: i32 = client
        .query_one("SELECT max(version) FROM plurum_schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(versions, plurum::store::postgres::SCHEMA_VERSION);
    drop(first);
}
