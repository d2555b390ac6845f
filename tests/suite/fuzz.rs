//! Bad input, generated: property tests (proptest) over every JSON input path — experiences,
//! session entry content, import lines and the HTTP bodies of `plurum serve`. Whatever comes
//! in: no panic, a clear error naming the field, and no partial write.
//!
//! Bounded for CI, with a fixed seed (PLURUM_FUZZ_SEED explores another one). PLURUM_FUZZ_CASES
//! (200 by default) sets the case counts, see `Cases`: by default 800 inputs per in-process
//! parser property, 50 bulk publishes and 50 damaged imports through the binary, 100 HTTP
//! bodies. The README states these numbers; `the_readme_states_the_case_counts` pins them.

use crate::common;

use common::{Env, Server, sample};
use plurum::Error;
use plurum::model::session::EntryType;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};

/// PLURUM_FUZZ_CASES when it is not set.
const DEFAULT_CASES: u32 = 200;

/// How many cases each kind of property runs, from PLURUM_FUZZ_CASES.
struct Cases {
    /// In-process parsers (cheap): 4x.
    parser: u32,
    /// A run of the binary or two per case (bulk publish, import): a quarter.
    binary: u32,
    /// HTTP bodies against one running `plurum serve`: half.
    http: u32,
}

fn cases_for(base: u32) -> Cases {
    Cases {
        parser: base * 4,
        binary: (base / 4).max(1),
        http: (base / 2).max(1),
    }
}

fn cases() -> Cases {
    cases_for(
        std::env::var("PLURUM_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_CASES),
    )
}

/// The README says how many cases run by default; it must say what the code does.
#[test]
fn the_readme_states_the_case_counts() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let c = cases_for(DEFAULT_CASES);
    let expected = format!(
        "`PLURUM_FUZZ_CASES` ({DEFAULT_CASES} by default) sets the counts: {} inputs per parser property, {} bulk publishes and {} damaged imports through the binary, {} HTTP bodies",
        c.parser, c.binary, c.binary, c.http
    );
    assert!(
        readme.contains(&expected),
        "the README's Reliability section should say: {expected}"
    );
}

/// A runner with a fixed seed (reproducible in CI) and no failure files.
fn runner(cases: u32) -> TestRunner {
    let seed: u64 = std::env::var("PLURUM_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1e55);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Draws `n` values (for the tests that run processes and check state between cases).
fn draw<S: Strategy>(strategy: S, n: u32) -> Vec<S::Value> {
    let mut r = runner(n);
    (0..n)
        .map(|_| strategy.new_tree(&mut r).expect("generate").current())
        .collect()
}

/// Text with control characters in it: NUL, ESC and their kin among letters.
fn controls() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('\0'),
            Just('\u{1}'),
            Just('\u{1b}'),
            Just('\u{1f}'),
            Just('\t'),
            proptest::char::range('a', 'z')
        ],
        1..20,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ]{1,30}",
        "\\PC{0,40}",
        controls(),
        "[a-zA-Z0-9 ]{1000,2100}",
        Just("sk-".to_string() + &"A".repeat(24)),
        Just("postgres://admin:hunter22@db.internal:5432/app".to_string()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        text().prop_map(Value::from),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The fields the fuzzer edits: every field the parser knows, plus `id` (which an export
/// line carries) and one it does not know.
fn fields() -> Vec<&'static str> {
    plurum::model::experience::input::KNOWN_FIELDS
        .iter()
        .copied()
        .chain(["id", "unknown_field"])
        .collect()
}

/// A valid experience with a few fields replaced by anything, removed, or nested garbage
/// inside lists: the inputs most likely to reach deep into the parser.
fn near_valid_experience() -> impl Strategy<Value = Value> {
    let edit = (
        prop::sample::select(fields()),
        prop_oneof![
            3 => any_json().prop_map(Some),
            1 => Just(None),
            2 => prop::collection::vec(any_json(), 1..3).prop_map(|v| Some(Value::Array(v))),
        ],
    );
    prop::collection::vec(edit, 1..4).prop_map(|edits| {
        let mut v = sample("A near-valid experience about fuzzing parsers");
        for (field, value) in edits {
            match value {
                Some(x) => v[field] = x,
                None => {
                    v.as_object_mut().unwrap().remove(field);
                }
            }
        }
        v
    })
}

fn experience_input() -> impl Strategy<Value = Value> {
    prop_oneof![3 => near_valid_experience(), 1 => any_json()]
}

/// The contract for every refusal: an input error with a field path and a message.
fn assert_clear(e: &Error, input: &Value) {
    match e {
        Error::Invalid { field, message } => {
            assert!(
                field.as_deref().is_some_and(|f| !f.is_empty()),
                "no field in {message:?} for {input}"
            );
            assert!(!message.is_empty());
        }
        other => panic!("not an input error: {other:?} for {input}"),
    }
}

#[test]
fn the_experience_parser_never_panics_and_always_names_the_field() {
    let accepted = std::cell::Cell::new(0);
    runner(cases().parser)
        .run(&experience_input(), |v| {
            match plurum::model::experience::input::parse_experience(&v, "") {
                Ok(_) => accepted.set(accepted.get() + 1),
                Err(e) => assert_clear(&e, &v),
            }
            Ok(())
        })
        .unwrap();
    let accepted = accepted.get();
    // The generator must reach both outcomes, or it tests nothing.
    assert!(accepted > 0, "every generated experience was refused");
}

#[test]
fn entry_content_is_validated_per_type_without_panics() {
    let types = prop::sample::select(vec![
        EntryType::Update,
        EntryType::DeadEnd,
        EntryType::Breakthrough,
        EntryType::Gotcha,
        EntryType::Artifact,
        EntryType::Note,
    ]);
    let content = prop_oneof![
        any_json(),
        prop::collection::btree_map(
            prop::sample::select(vec![
                "what",
                "why",
                "insight",
                "detail",
                "importance",
                "warning",
                "context",
                "language",
                "code",
                "description",
                "text",
            ]),
            leaf(),
            0..5,
        )
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
    ];
    runner(cases().parser)
        .run(&(types, content), |(t, c)| {
            if let Err(e) = plurum::model::session::validate_entry(t, &c) {
                assert_clear(&e, &c);
            }
            Ok(())
        })
        .unwrap();
}

/// Bulk publish through the binary: all of a file or none of it.
#[test]
fn a_bulk_publish_writes_all_or_nothing() {
    let env = Env::new();
    // A quarter of the batches are valid throughout (a goal of any printable text), so both
    // outcomes are reached whatever the seed: a batch of near-valid inputs is almost always
    // refused somewhere.
    let valid = "[a-zA-Z0-9 ]{1,60}".prop_map(|goal| sample(&format!("Fuzzed goal {goal}")));
    let batches = draw(
        prop_oneof![
            1 => prop::collection::vec(valid, 1..5),
            3 => prop::collection::vec(experience_input(), 1..5),
        ],
        cases().binary,
    );
    let mut total = 0;
    let (mut ok, mut refused) = (0, 0);
    for (i, batch) in batches.iter().enumerate() {
        let file = env.path(&format!("batch{i}.json"));
        std::fs::write(&file, serde_json::to_string(batch).unwrap()).unwrap();
        let out = env
            .cmd_without_model()
            .args(["--json", "publish", "--file", file.to_str().unwrap()])
            .output()
            .unwrap();
        match out.status.code() {
            Some(0) => {
                total += batch.len() as i64;
                ok += 1;
            }
            Some(2 | 4) => {
                let err = common::parse(&out.stderr);
                assert!(
                    err["detail"].as_str().is_some_and(|d| !d.is_empty()),
                    "{err}"
                );
                refused += 1;
            }
            other => panic!(
                "batch {i}: exit {other:?}\n{}\n{}",
                String::from_utf8_lossy(&out.stderr),
                serde_json::to_string(batch).unwrap()
            ),
        }
        let listed = common::parse(
            &env.cmd_without_model()
                .args(["--json", "list", "--limit", "1"])
                .output()
                .unwrap()
                .stdout,
        );
        assert_eq!(listed["total"], total, "batch {i} wrote part of itself");
    }
    assert!(
        ok > 0 && refused > 0,
        "ok {ok}, refused {refused}: the generator is one-sided"
    );
}

/// Import lines: a real export with one line damaged at random imports completely or not
/// at all, and the error names the line.
#[test]
fn a_damaged_import_line_is_refused_by_line_and_writes_nothing() {
    let source = Env::new();
    for i in 0..4 {
        source.json(&[
            "publish",
            "--goal",
            &format!("Source experience number {i} for import fuzzing"),
            "--tag",
            "fuzz",
        ]);
    }
    let export = source.path("export.jsonl");
    source.json(&["export", export.to_str().unwrap()]);
    let lines: Vec<String> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let damage = (
        0..lines.len(),
        prop_oneof![
            any_json().prop_map(|v| v.to_string()),
            (0usize..200).prop_map(|cut| format!("cut:{cut}")),
            (prop::sample::select(fields()), any_json()).prop_map(|(f, v)| format!("set:{f}:{v}")),
        ],
    );
    let (mut ok, mut refused) = (0, 0);
    for (i, (line, how)) in draw(damage, cases().binary).into_iter().enumerate() {
        let mut damaged = lines.clone();
        damaged[line] = if let Some(cut) = how.strip_prefix("cut:") {
            let cut: usize = cut.parse().unwrap();
            damaged[line].chars().take(cut).collect()
        } else if let Some(rest) = how.strip_prefix("set:") {
            let (field, value) = rest.split_once(':').unwrap();
            let mut v: Value = serde_json::from_str(&damaged[line]).unwrap();
            v[field] = serde_json::from_str(value).unwrap();
            v.to_string()
        } else {
            how.clone()
        };
        let file = source.path(&format!("damaged{i}.jsonl"));
        std::fs::write(&file, damaged.join("\n")).unwrap();
        let target = Env::new();
        let out = target
            .cmd_without_model()
            .args(["--json", "import", file.to_str().unwrap()])
            .output()
            .unwrap();
        let listed = common::parse(
            &target
                .cmd_without_model()
                .args(["--json", "list"])
                .output()
                .unwrap()
                .stdout,
        );
        match out.status.code() {
            Some(0) => {
                ok += 1;
                assert!(listed["total"].as_i64().unwrap() >= 3, "{listed}");
            }
            Some(2 | 4) => {
                refused += 1;
                let err = common::parse(&out.stderr);
                assert!(err["detail"].as_str().unwrap().contains("line"), "{err}");
                assert_eq!(
                    listed["total"], 0,
                    "a refused import wrote something: {err}"
                );
            }
            other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
    assert!(refused > 0, "no damaged line was refused (ok {ok})");
}

common::both_backends!(serve_answers_every_body_with_a_2xx_or_a_clear_4xx);

/// HTTP bodies: whatever a client sends, `plurum serve` answers 2xx or a 4xx with a JSON
/// error, never a 5xx or a dropped connection; refused creates write nothing. On both
/// stores (PostgreSQL refuses text SQLite takes, so the rules above them must not).
fn serve_answers_every_body_with_a_2xx_or_a_clear_4xx(backend: common::Backend) {
    let server = Server::start_on(backend);
    let key = ureq::post(&format!("{}/api/v1/agents/register", server.url))
        .send_json(json!({"name": "Fuzzer", "username": "fuzzer"}))
        .unwrap()
        .into_json::<Value>()
        .unwrap()["api_key"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |path: &str, body: &str| -> (u16, String) {
        let result = ureq::post(&format!("{}/api/v1{path}", server.url))
            .set("Authorization", &format!("Bearer {key}"))
            .set("Content-Type", "application/json")
            .send_string(body);
        match result {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
            Err(e) => panic!("POST {path}: the connection failed: {e}"),
        }
    };
    let (_, created) = post(
        "/experiences",
        &sample("The experience fuzzed requests point at").to_string(),
    );
    let eid = serde_json::from_str::<Value>(&created).unwrap()["short_id"]
        .as_str()
        .unwrap()
        .to_string();
    post(&format!("/experiences/{eid}/publish"), "{}");
    let (_, opened) = post(
        "/sessions",
        &json!({"topic": "Fuzzing the session routes"}).to_string(),
    );
    let sid = serde_json::from_str::<Value>(&opened).unwrap()["session"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let routes = vec![
        "/experiences".to_string(),
        "/experiences/search".to_string(),
        "/sessions".to_string(),
        format!("/sessions/{sid}/entries"),
        format!("/experiences/{eid}/outcome"),
        format!("/experiences/{eid}/vote"),
        format!("/experiences/{eid}/acquire"),
        format!("/sessions/{sid}/contribute"),
    ];
    let body = prop_oneof![
        3 => experience_input().prop_map(|v| v.to_string()),
        1 => any_json().prop_map(|v| v.to_string()),
        1 => "\\PC{0,60}",
        1 => any_json().prop_map(|v| {
            let s = v.to_string();
            s.chars().take(s.chars().count() / 2).collect::<String>()
        }),
    ];
    let mut created_count = 1;
    for (route, body) in draw((prop::sample::select(routes), body), cases().http) {
        let (status, text) = post(&route, &body);
        assert!(
            status < 500,
            "{route} answered {status} to {body:?}: {text}"
        );
        if status >= 400 {
            let err: Value = serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{route} {status}: not JSON: {text}"));
            assert!(
                err["detail"].is_string() || err["error"].is_string(),
                "{text}"
            );
        } else if route == "/experiences" {
            created_count += 1;
        }
    }
    let page: Value = ureq::get(&format!("{}/api/v1/experiences?limit=1", server.url))
        .set("Authorization", &format!("Bearer {key}"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(
        page["total"], created_count,
        "refused creates wrote something"
    );
    assert_eq!(
        ureq::get(&format!("{}/health", server.url))
            .call()
            .unwrap()
            .status(),
        200
    );
}
