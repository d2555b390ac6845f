//! `plurum serve` over real HTTP: a real server process on a free loopback port with its own
//! store and the real model, driven the way the hosted API's clients drive it (the plugins'
//! calls, curl from the seeds), plus everything a misbehaving client can throw at it.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{Server, sample};
use serde_json::{Value, json};

/// One HTTP call: the status, the JSON body (null when there is none) and a header.
struct Reply {
    status: u16,
    body: Value,
    retry_after: Option<String>,
}

fn call(
    server: &Server,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let url = if path.starts_with('/')
        && !path.starts_with("/api/")
        && path != "/"
        && path != "/health"
    {
        format!("{}/api/v1{path}", server.url)
    } else {
        format!("{}{path}", server.url)
    };
    let mut req = ureq::request(method, &url);
    if let Some(k) = key {
        req = req.set("Authorization", &format!("Bearer {k}"));
    }
    let result = match body {
        Some(b) => req.send_json(b.clone()),
        None => req.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let status = response.status();
    let retry_after = response.header("Retry-After").map(str::to_string);
    let text = response.into_string().unwrap();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        retry_after,
    }
}

/// Whatever the server sends until it closes the connection or goes quiet for 5 s.
fn read_response(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
            break;
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

fn register(server: &Server, username: &str) -> String {
    let r = call(
        server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": format!("Agent {username}"), "username": username})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["api_key"].as_str().unwrap().to_string()
}

/// Creates and publishes an experience, returning its short id.
fn publish(server: &Server, key: &str, body: &Value) -> String {
    let created = call(server, "POST", "/experiences", Some(key), Some(body));
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["status"], "draft");
    let short = created.body["short_id"].as_str().unwrap().to_string();
    let published = call(
        server,
        "POST",
        &format!("/experiences/{short}/publish"),
        Some(key),
        None,
    );
    assert_eq!(published.status, 200, "{}", published.body);
    short
}

#[test]
fn the_rest_api_answers_like_the_hosted_service() {
    let server = Server::start();

    let health = call(&server, "GET", "/health", None, None);
    assert_eq!(
        (health.status, &health.body["status"]),
        (200, &json!("healthy"))
    );
    assert_eq!(
        call(&server, "GET", "/", None, None).body["health"],
        "/health"
    );

    // Registration: the key is shown once, looks like the hosted one, and works.
    let key = register(&server, "alpha-agent");
    assert!(key.starts_with("plrm_live_") && key.len() == 53, "{key}");
    let me = call(&server, "GET", "/agents/me", Some(&key), None);
    assert_eq!(
        (me.status, &me.body["username"]),
        (200, &json!("alpha-agent"))
    );
    assert_eq!(me.body["api_key_prefix"], format!("{}...", &key[..16]));
    assert!(
        !me.body.to_string().contains(&key),
        "the key must never be echoed back"
    );
    let taken = call(
        &server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": "x", "username": "alpha-agent"})),
    );
    assert_eq!(taken.status, 409);
    assert_eq!(
        taken.body["detail"],
        "Username 'alpha-agent' is already taken"
    );
    let check = call(
        &server,
        "GET",
        "/agents/check-username?username=Alpha%20Agent",
        None,
        None,
    );
    assert_eq!(check.body["available"], false);
    assert!(!check.body["suggestions"].as_array().unwrap().is_empty());
    assert_eq!(
        call(
            &server,
            "GET",
            "/agents/check-username?username=fresh-name",
            None,
            None
        )
        .body["available"],
        true
    );

    // Authentication failures carry the hosted messages, and come before body validation.
    for (header, detail) in [
        (None, "Missing Authorization header"),
        (
            Some("Token abc"),
            "Invalid Authorization header format. Use: Bearer <token>",
        ),
        (Some("Bearer sk-nope"), "Invalid API key format"),
        (
            Some("Bearer plrm_live_doesnotexist0000000000"),
            "Invalid API key",
        ),
    ] {
        let mut req = ureq::post(&format!("{}/api/v1/experiences", server.url));
        if let Some(h) = header {
            req = req.set("Authorization", h);
        }
        let err = req.send_string("{not json").unwrap_err();
        let ureq::Error::Status(status, response) = err else {
            panic!("transport error")
        };
        let body: Value = response.into_json().unwrap();
        assert_eq!((status, body["detail"].as_str().unwrap()), (401, detail));
    }

    // Create yields a draft that only its author sees; publish makes it public.
    let created = call(
        &server,
        "POST",
        "/experiences",
        Some(&key),
        Some(&sample("Pin Docker base images by digest in CI")),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let short = created.body["short_id"].as_str().unwrap().to_string();
    assert_eq!(created.body["status"], "draft");
    assert_eq!(
        call(&server, "GET", &format!("/experiences/{short}"), None, None).status,
        404
    );
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/experiences/{short}"),
            Some(&key),
            None
        )
        .status,
        200
    );
    let other = register(&server, "beta-agent");
    let not_mine = call(
        &server,
        "POST",
        &format!("/experiences/{short}/publish"),
        Some(&other),
        None,
    );
    assert_eq!(
        not_mine.status, 404,
        "another agent cannot even see the draft"
    );
    assert_eq!(
        call(
            &server,
            "POST",
            &format!("/experiences/{short}/publish"),
            Some(&key),
            None
        )
        .status,
        200
    );
    let again = call(
        &server,
        "POST",
        &format!("/experiences/{short}/publish"),
        Some(&key),
        None,
    );
    assert_eq!(again.status, 422);
    assert_eq!(
        again.body["detail"],
        "Can only publish draft experiences, current status: published"
    );
    let archive = call(
        &server,
        "POST",
        &format!("/experiences/{short}/archive"),
        Some(&other),
        None,
    );
    assert_eq!(
        (archive.status, &archive.body["detail"]),
        (403, &json!("You don't own this experience"))
    );

    // Public reads: the detail carries artifacts inline, with code.
    let detail = call(&server, "GET", &format!("/experiences/{short}"), None, None);
    assert_eq!(detail.status, 200);
    assert!(
        detail.body["artifacts"][0]["code"]
            .as_str()
            .unwrap()
            .contains("FROM python")
    );
    let page = call(&server, "GET", "/experiences?limit=1", None, None).body;
    assert_eq!(
        (page["total"].as_i64(), page["has_more"].as_bool()),
        (Some(1), Some(false))
    );
    let missing = call(&server, "GET", "/experiences/0000ffff", None, None);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body["details"],
        json!({"resource": "Experience", "identifier": "0000ffff"})
    );

    // Search: flat results with the plugins' fields.
    let found = call(
        &server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": "docker image digest pinning"})),
    );
    assert_eq!(found.status, 200, "{}", found.body);
    let hit = &found.body["results"][0];
    assert_eq!(hit["short_id"], short.as_str());
    assert!(hit["similarity"].as_f64().unwrap() > 0.3);
    assert!(hit.get("trust_score").is_some());
    assert_eq!(found.body["total_found"], 1);
    assert_eq!(found.body["semantic"], true);
    let bad = call(
        &server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": "x"})),
    );
    assert_eq!(
        (bad.status, &bad.body["details"]["field"]),
        (422, &json!("query"))
    );

    // Feedback as the plugins send it: outcome 201, vote 200, quality recomputed.
    let report = call(
        &server,
        "POST",
        &format!("/experiences/{short}/outcome"),
        Some(&other),
        Some(&json!({"success": true, "context_notes": "worked on arm64 too"})),
    );
    assert_eq!(report.status, 201, "{}", report.body);
    assert_eq!(report.body["success"], true);
    let vote = call(
        &server,
        "POST",
        &format!("/experiences/{short}/vote"),
        Some(&other),
        Some(&json!({"vote_type": "up"})),
    );
    assert_eq!(vote.status, 200);
    let scored = call(&server, "GET", &format!("/experiences/{short}"), None, None).body;
    let expected = plurum::quality::quality_score(1, 1, 1, 0);
    assert!(
        (scored["quality_score"].as_f64().unwrap() - expected).abs() < 1e-12,
        "{scored}"
    );
    let missing_field = call(
        &server,
        "POST",
        &format!("/experiences/{short}/outcome"),
        Some(&other),
        Some(&json!({"notes": "no success"})),
    );
    assert_eq!(
        (
            missing_field.status,
            &missing_field.body["details"]["field"]
        ),
        (422, &json!("success"))
    );

    // Acquire with each mode.
    for mode in ["summary", "checklist", "decision_tree", "full"] {
        let got = call(
            &server,
            "POST",
            &format!("/experiences/{short}/acquire"),
            Some(&other),
            Some(&json!({"mode": mode})),
        );
        assert_eq!((got.status, &got.body["mode"]), (200, &json!(mode)));
    }
    let bad_mode = call(
        &server,
        "POST",
        &format!("/experiences/{short}/acquire"),
        Some(&other),
        Some(&json!({"mode": "haiku"})),
    );
    assert_eq!(
        (bad_mode.status, &bad_mode.body["details"]["field"]),
        (422, &json!("mode"))
    );
}

#[test]
fn secrets_and_bad_input_are_refused_with_the_field_and_nothing_is_written() {
    let server = Server::start();
    let key = register(&server, "careful-agent");
    let before =
        call(&server, "GET", "/experiences?limit=1", Some(&key), None).body["total"].clone();

    let secret = "ghp_".to_string() + &"a1B2c3D4e5".repeat(4);
    let mut leaky = sample("Deploy with a token that should never be shared");
    leaky["artifacts"][0]["code"] = json!(format!("export GITHUB_TOKEN={secret}"));
    let refused = call(&server, "POST", "/experiences", Some(&key), Some(&leaky));
    assert_eq!(refused.status, 422);
    assert_eq!(refused.body["details"]["field"], "artifacts[0].code");
    assert!(
        !refused.body.to_string().contains(&secret),
        "the secret must not be echoed"
    );

    let short_goal = call(
        &server,
        "POST",
        "/experiences",
        Some(&key),
        Some(&json!({"goal": "short"})),
    );
    assert_eq!(
        (short_goal.status, &short_goal.body["details"]["field"]),
        (422, &json!("goal"))
    );
    let wrong_type = call(
        &server,
        "POST",
        "/experiences",
        Some(&key),
        Some(&json!({"goal": "A perfectly fine goal", "tags": "not-a-list"})),
    );
    assert_eq!(
        (wrong_type.status, &wrong_type.body["details"]["field"]),
        (422, &json!("tags"))
    );

    // Malformed JSON, a JSON array, an empty body.
    for raw in ["{\"goal\": ", "[1, 2]", ""] {
        let err = ureq::post(&format!("{}/api/v1/experiences", server.url))
            .set("Authorization", &format!("Bearer {key}"))
            .set("Content-Type", "application/json")
            .send_string(raw)
            .unwrap_err();
        let ureq::Error::Status(status, response) = err else {
            panic!("transport error")
        };
        let body: Value = response.into_json().unwrap();
        assert_eq!(status, 422, "{raw:?}: {body}");
        assert!(body["detail"].as_str().is_some(), "{body}");
    }

    // Over 5 MiB: 413 with the hosted body before the body is read, whether the size is
    // declared or the body is streamed in chunks; the server keeps serving.
    let addr = server.url.trim_start_matches("http://").to_string();
    let mut declared = TcpStream::connect(&addr).unwrap();
    write!(
        declared,
        "POST /api/v1/experiences HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        6 * 1024 * 1024
    )
    .unwrap();
    let answer = read_response(&mut declared);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.ends_with(r#"{"detail":"Request body too large"}"#),
        "{answer}"
    );
    let mut chunked = TcpStream::connect(&addr).unwrap();
    write!(
        chunked,
        "POST /api/v1/experiences HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    // Read while writing: the answer comes before the body is all sent.
    let mut reader = chunked.try_clone().unwrap();
    let answer = std::thread::spawn(move || read_response(&mut reader));
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..6 {
        if write!(chunked, "{:x}\r\n", chunk.len()).is_err()
            || chunked.write_all(&chunk).is_err()
            || chunked.write_all(b"\r\n").is_err()
        {
            break; // the server answered and closed early: fine
        }
    }
    let answer = answer.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // Unknown routes and methods.
    let nowhere = call(&server, "GET", "/no/such/route", None, None);
    assert_eq!(
        (nowhere.status, nowhere.body),
        (404, json!({"detail": "Not Found"}))
    );
    let wrong_method = call(&server, "DELETE", "/experiences", Some(&key), None);
    assert_eq!(
        (wrong_method.status, wrong_method.body),
        (405, json!({"detail": "Method Not Allowed"}))
    );

    let after =
        call(&server, "GET", "/experiences?limit=1", Some(&key), None).body["total"].clone();
    assert_eq!(before, after, "a refused request wrote something");
    assert_eq!(call(&server, "GET", "/health", None, None).status, 200);
}

#[test]
fn a_retried_create_with_the_same_id_makes_no_duplicate() {
    let server = Server::start();
    let key = register(&server, "retry-agent");
    let mut body = sample("Retry a create whose answer was lost on the way");
    let id = "6f1c2a4e-93b1-4d7e-8a55-0c2d1e3f4a5b";
    body["id"] = json!(id);
    let first = call(&server, "POST", "/experiences", Some(&key), Some(&body));
    let second = call(&server, "POST", "/experiences", Some(&key), Some(&body));
    assert_eq!((first.status, second.status), (201, 201));
    assert_eq!(first.body["id"], id);
    assert_eq!(first.body["short_id"], second.body["short_id"]);
    let page = call(&server, "GET", "/experiences?limit=100", Some(&key), None).body;
    assert_eq!(page["total"], 1);
    // Another agent cannot claim that id.
    let thief = register(&server, "other-agent");
    assert_eq!(
        call(&server, "POST", "/experiences", Some(&thief), Some(&body)).status,
        409
    );
}

#[test]
fn the_session_loop_and_the_inbox_work_over_http() {
    let server = Server::start();
    let owner = register(&server, "session-owner");
    let helper = register(&server, "session-helper");
    publish(
        &server,
        &owner,
        &sample("Deploy FastAPI on ECS Fargate behind an ALB"),
    );

    let opened = call(
        &server,
        "POST",
        "/sessions",
        Some(&owner),
        Some(
            &json!({"topic": "Deploying a FastAPI service to ECS Fargate", "domain": "deployment", "tools_used": ["docker"]}),
        ),
    );
    assert_eq!(opened.status, 201, "{}", opened.body);
    let sid = opened.body["session"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        opened.body["matching_experiences"][0]["goal"],
        "Deploy FastAPI on ECS Fargate behind an ALB"
    );

    for (entry_type, content) in [
        (
            "dead_end",
            json!({"what": "Fargate Spot", "why": "interrupted too often"}),
        ),
        (
            "breakthrough",
            json!({"insight": "Use on-demand capacity for the API", "detail": "Spot only for workers", "importance": "high"}),
        ),
        (
            "gotcha",
            json!({"warning": "ALB idle timeout is 60 s", "context": "long polling"}),
        ),
        (
            "artifact",
            json!({"language": "yaml", "code": "capacityProviderStrategy: FARGATE", "description": "service"}),
        ),
        ("note", json!({"text": "Took two hours"})),
    ] {
        let logged = call(
            &server,
            "POST",
            &format!("/sessions/{sid}/entries"),
            Some(&owner),
            Some(&json!({"entry_type": entry_type, "content": content})),
        );
        assert_eq!(logged.status, 201, "{entry_type}: {}", logged.body);
    }
    let bad = call(
        &server,
        "POST",
        &format!("/sessions/{sid}/entries"),
        Some(&owner),
        Some(&json!({"entry_type": "dead_end", "content": {"why": "no what"}})),
    );
    assert_eq!(bad.status, 422);
    let foreign = call(
        &server,
        "POST",
        &format!("/sessions/{sid}/entries"),
        Some(&helper),
        Some(&json!({"entry_type": "note", "content": {"text": "not my session"}})),
    );
    assert_eq!(foreign.status, 403);

    // Another agent contributes; the owner's inbox hears of it.
    let contributed = call(
        &server,
        "POST",
        &format!("/sessions/{sid}/contribute"),
        Some(&helper),
        Some(
            &json!({"contribution_type": "warning", "content": {"text": "Watch the ALB timeout"}}),
        ),
    );
    assert_eq!(contributed.status, 201, "{}", contributed.body);
    let inbox = call(&server, "GET", "/pulse/inbox", Some(&owner), None).body;
    assert_eq!(inbox["has_activity"], true);
    let event = inbox["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "contribution_received")
        .expect("contribution event")
        .clone();
    let marked = call(
        &server,
        "POST",
        "/pulse/inbox/mark-read",
        Some(&owner),
        Some(&json!({"event_ids": [event["id"]]})),
    );
    assert_eq!(marked.body["marked_read"], 1);
    let listed = call(
        &server,
        "GET",
        &format!("/sessions/{sid}/contributions"),
        Some(&owner),
        None,
    )
    .body;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let closed = call(
        &server,
        "POST",
        &format!("/sessions/{sid}/close"),
        Some(&owner),
        Some(&json!({"outcome": "success"})),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.body["session"]["status"], "closed");
    let draft = &closed.body["experience_draft"];
    assert_eq!(draft["status"], "published", "a public session publishes");
    let twice = call(
        &server,
        "POST",
        &format!("/sessions/{sid}/close"),
        Some(&owner),
        Some(&json!({})),
    );
    assert_eq!(twice.status, 422);

    // The assembled experience is found by search, and the pulse shows the session.
    let found = call(
        &server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": "FastAPI on Fargate spot interruptions"})),
    )
    .body;
    assert!(
        found["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == draft["id"]),
        "{found}"
    );
    let pulse = call(&server, "GET", "/pulse/status", None, None).body;
    assert!(
        pulse["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == sid.as_str()),
        "{pulse}"
    );
}

#[test]
fn rate_limits_answer_429_with_retry_after_and_are_configurable() {
    let server = Server::start_with(&["--rate-limit", "search=2/minute"]);
    let body = json!({"query": "anything at all"});
    for _ in 0..2 {
        assert_eq!(
            call(&server, "POST", "/experiences/search", None, Some(&body)).status,
            200
        );
    }
    let limited = call(&server, "POST", "/experiences/search", None, Some(&body));
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.body,
        json!({"error": "Rate limit exceeded: 2 per 1 minute"})
    );
    let wait: u64 = limited.retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Other buckets keep their own budgets (the hosted defaults).
    assert_eq!(call(&server, "GET", "/experiences", None, None).status, 200);

    let bad = common::Env::new().run(&["serve", "--rate-limit", "searches=1/minute"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown bucket"));
}

#[test]
fn slow_and_broken_clients_do_not_stall_the_server() {
    let server = Server::start();
    let addr = server.url.trim_start_matches("http://").to_string();
    // A client that sends half a request and stalls, and one that sends garbage.
    let mut stalled = TcpStream::connect(&addr).unwrap();
    stalled
        .write_all(
            b"POST /api/v1/experiences HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"go",
        )
        .unwrap();
    let mut garbage = TcpStream::connect(&addr).unwrap();
    garbage
        .write_all(b"\x00\x01 NOT HTTP AT ALL\r\n\r\n")
        .unwrap();
    garbage
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let answer = read_response(&mut garbage);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
        "{answer:?}"
    );
    // Meanwhile everyone else is served.
    for _ in 0..5 {
        assert_eq!(call(&server, "GET", "/health", None, None).status, 200);
    }
    drop(stalled);
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_requests_in_flight_and_loses_nothing() {
    let mut server = Server::start();
    let key = register(&server, "busy-agent");
    let url = server.url.clone();
    // Four writers create experiences as fast as they can while the server is told to stop.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, key) = (url.clone(), key.clone());
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in 0..200 {
                    let body = sample(&format!(
                        "Writer {w} experience number {i} about graceful shutdown"
                    ));
                    match ureq::post(&format!("{url}/api/v1/experiences"))
                        .set("Authorization", &format!("Bearer {key}"))
                        .send_json(body)
                    {
                        Ok(r) => acknowledged.push(
                            r.into_json::<Value>().unwrap()["id"]
                                .as_str()
                                .unwrap()
                                .to_string(),
                        ),
                        Err(_) => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "plurum serve exited with {status} on SIGTERM"
    );
    let acknowledged: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        !acknowledged.is_empty(),
        "no request was served before the signal"
    );

    // Every acknowledged create is in the store, exactly once.
    server.restart();
    let page = call(
        &server,
        "GET",
        "/experiences?limit=100&offset=0",
        Some(&key),
        None,
    )
    .body;
    let total = page["total"].as_u64().unwrap() as usize;
    assert!(
        total >= acknowledged.len(),
        "{total} stored < {} acknowledged",
        acknowledged.len()
    );
    for id in acknowledged.iter().take(50) {
        assert_eq!(
            call(
                &server,
                "GET",
                &format!("/experiences/{id}"),
                Some(&key),
                None
            )
            .status,
            200
        );
    }
    let doctor = server.env.json_with_model(&["doctor"]);
    assert_eq!(doctor["healthy"], true, "{doctor}");
}

/// The Hermes and OpenClaw plugins' calls, payload for payload (reference §6.1–6.2).
#[test]
fn the_agent_plugins_work_unchanged() {
    let server = Server::start();
    // register: check the seed, take it (lower-cased) or the first suggestion.
    let check = call(
        &server,
        "GET",
        "/agents/check-username?username=hermes",
        None,
        None,
    )
    .body;
    assert_eq!(check["available"], true);
    let registered = call(
        &server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": "Hermes", "username": "hermes"})),
    );
    assert_eq!(registered.status, 201);
    for field in ["id", "name", "api_key"] {
        assert!(registered.body[field].is_string(), "register lacks {field}");
    }
    let key = registered.body["api_key"].as_str().unwrap().to_string();
    let taken = call(
        &server,
        "GET",
        "/agents/check-username?username=hermes",
        None,
        None,
    )
    .body;
    assert_eq!(taken["available"], false);
    assert!(taken["suggestions"][0].is_string());
    assert_eq!(
        call(&server, "GET", "/agents/me", Some(&key), None).body["username"],
        "hermes"
    );

    // publish: the plugin's exact body, then publish by short_id.
    let body = json!({
        "goal": "Fix flaky pytest fixtures that leak database state",
        "solution": "Use yield fixtures with explicit rollback",
        "context": "pytest 8, PostgreSQL 16",
        "dead_ends": [{"what": "Adding sleeps in teardown", "why": ""}],
        "gotchas": [{"warning": "Session-scoped fixtures leak between modules"}],
        "tags": ["pytest", "postgres"],
        "domain": "testing",
        "artifacts": [{"language": "python", "code": "@pytest.fixture\ndef db():\n    yield conn\n    conn.rollback()\n"}],
    });
    let short = publish(&server, &key, &body);

    // search: {query, limit}; the fields the plugins keep are all there.
    let found = call(
        &server,
        "POST",
        "/experiences/search",
        Some(&key),
        Some(
            &json!({"query": "pytest fixtures leaking database state between tests", "limit": 10}),
        ),
    )
    .body;
    let hit = &found["results"][0];
    assert!(hit["similarity"].as_f64().unwrap() >= 0.4, "{hit}");
    for field in [
        "id",
        "short_id",
        "goal",
        "domain",
        "tags",
        "trust_score",
        "rerank_score",
        "success_count",
        "success_rate",
        "quality_score",
        "created_at",
    ] {
        assert!(
            hit.get(field).is_some_and(|v| !v.is_null()),
            "search hit lacks {field}: {hit}"
        );
    }
    assert_eq!(found["total_found"], 1);

    // get_experience / get_artifact read the detail's artifacts.
    let detail = call(
        &server,
        "GET",
        &format!("/experiences/{short}"),
        Some(&key),
        None,
    )
    .body;
    assert_eq!(detail["artifacts"][0]["language"], "python");
    assert!(
        detail["artifacts"][0]["code"]
            .as_str()
            .unwrap()
            .contains("rollback")
    );

    // report_outcome with partial, vote, archive without a body.
    let partial = call(
        &server,
        "POST",
        &format!("/experiences/{short}/outcome"),
        Some(&key),
        Some(&json!({"success": false, "context_notes": "outcome=partial | worked after a retry"})),
    );
    assert_eq!(partial.status, 201);
    assert_eq!(
        call(
            &server,
            "POST",
            &format!("/experiences/{short}/vote"),
            Some(&key),
            Some(&json!({"vote_type": "down"}))
        )
        .status,
        200
    );
    let archived = call(
        &server,
        "POST",
        &format!("/experiences/{short}/archive"),
        Some(&key),
        None,
    );
    assert_eq!(
        (archived.status, &archived.body["status"]),
        (200, &json!("archived"))
    );
    let gone = call(
        &server,
        "POST",
        "/experiences/search",
        None,
        Some(&json!({"query": "pytest fixtures leaking database state"})),
    )
    .body;
    assert_eq!(gone["total_found"], 0, "archived experiences are not found");
}

/// The docs' promise, kept on purpose (README, "Differences, on purpose"): the same vote a
/// second time withdraws it, the other vote changes it; every answer says which happened.
#[test]
fn a_vote_says_whether_it_was_created_changed_or_withdrawn() {
    let server = Server::start();
    let author = register(&server, "vote-author");
    let voter = register(&server, "vote-voter");
    let short = publish(
        &server,
        &author,
        &sample("Pin Docker base images by digest for reproducible builds"),
    );
    let path = format!("/experiences/{short}/vote");
    let vote = |kind: &str| {
        let r = call(
            &server,
            "POST",
            &path,
            Some(&voter),
            Some(&json!({"vote_type": kind})),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    };
    let counts = |body: &Value| {
        (
            body["experience"]["upvotes"].as_i64().unwrap(),
            body["experience"]["downvotes"].as_i64().unwrap(),
        )
    };
    let first = vote("up");
    assert_eq!(first["action"], "created", "{first}");
    assert_eq!(first["vote_type"], "up");
    assert_eq!(counts(&first), (1, 0));
    let changed = vote("down");
    assert_eq!(changed["action"], "changed", "{changed}");
    assert_eq!(changed["vote_type"], "down");
    assert_eq!(counts(&changed), (0, 1));
    // A client retrying a lost response sends the same vote again: that withdraws it.
    let withdrawn = vote("down");
    assert_eq!(withdrawn["action"], "withdrawn", "{withdrawn}");
    assert_eq!(counts(&withdrawn), (0, 0));
    let detail = call(&server, "GET", &format!("/experiences/{short}"), None, None).body;
    assert_eq!(
        (detail["upvotes"].as_i64(), detail["downvotes"].as_i64()),
        (Some(0), Some(0))
    );
    // And voting again after a withdrawal creates a fresh vote.
    assert_eq!(vote("up")["action"], "created");
}
