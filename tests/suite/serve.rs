//! `plurum serve` over real HTTP: a real server process on a free loopback port with its own
//! store and the real model, driven the way the hosted API's clients drive it (the plugins'
//! calls, curl from the seeds), plus everything a misbehaving client can throw at it.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Backend, Reply, Server, both_backends, call, register, sample};

// Each runs against both stores: NAME::sqlite and NAME::postgres.
both_backends!(
    the_rest_api_answers_like_the_hosted_service,
    secrets_and_bad_input_are_refused_with_the_field_and_nothing_is_written,
    a_retried_create_with_the_same_id_makes_no_duplicate,
    the_session_loop_and_the_inbox_work_over_http,
    rate_limits_answer_429_with_retry_after_and_are_configurable,
    profiles_sessions_similar_and_artifacts_answer_over_http,
    filters_and_private_items_over_http,
    api_keys_are_stored_only_as_hashes,
    default_budgets_count_per_agent_and_off_lifts_one,
    #[cfg(unix)]
    sigterm_finishes_the_requests_in_flight_and_loses_nothing,
    the_agent_plugins_work_unchanged,
    a_vote_says_whether_it_was_created_changed_or_withdrawn,
    control_characters_are_refused_alike_naming_the_field,
);
use serde_json::{Value, json};

/// Whatever the server sends until it closes the connection or goes quiet for 10 s.
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

/// Creates and publishes an experience, returning its short id.
fn publish(server: &Server, key: &str, body: &Value) -> String {
    let created = common::create_and_publish(server, key, body);
    assert_eq!(created["status"], "draft");
    created["short_id"].as_str().unwrap().to_string()
}

fn the_rest_api_answers_like_the_hosted_service(backend: Backend) {
    let server = Server::start_on(backend);

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
    let expected = plurum::model::quality::quality_score(1, 1, 1, 0);
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

fn secrets_and_bad_input_are_refused_with_the_field_and_nothing_is_written(backend: Backend) {
    let server = Server::start_on(backend);
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

fn a_retried_create_with_the_same_id_makes_no_duplicate(backend: Backend) {
    let server = Server::start_on(backend);
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

fn the_session_loop_and_the_inbox_work_over_http(backend: Backend) {
    let server = Server::start_on(backend);
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

fn rate_limits_answer_429_with_retry_after_and_are_configurable(backend: Backend) {
    let server = Server::start_on_with(backend, &["--rate-limit", "search=2/minute"]);
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

/// Asserts the hosted 404 envelope for `resource` `identifier`.
fn assert_not_found(r: &Reply, resource: &str, identifier: &str) {
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(
        r.body["details"],
        json!({"resource": resource, "identifier": identifier}),
        "{}",
        r.body
    );
    assert_eq!(r.body["detail"], r.body["error"]);
}

/// Asserts a 422 whose envelope names `field`.
fn assert_invalid(r: &Reply, field: &str) {
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["details"]["field"], field, "{}", r.body);
}

/// The routes the plugins do not call: an agent's profile, the session list, one session,
/// its update and abandon, similar experiences, and artifacts one by one.
fn profiles_sessions_similar_and_artifacts_answer_over_http(backend: Backend) {
    let server = Server::start_on(backend);
    let owner_reg = call(
        &server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": "Route Owner", "username": "route-owner"})),
    );
    assert_eq!(owner_reg.status, 201, "{}", owner_reg.body);
    let owner = owner_reg.body["api_key"].as_str().unwrap().to_string();
    let owner_id = owner_reg.body["id"].as_str().unwrap().to_string();
    let other = register(&server, "route-other");

    // Experiences: one with two artifacts, two more public ones, one private, one without
    // artifacts.
    let mut digest = sample("Pin Docker base images by digest in CI");
    digest["artifacts"] = json!([
        {"language": "dockerfile", "code": "FROM python:3.11-slim@sha256:abc\nRUN pip install .", "description": "pinned base"},
        {"language": "bash", "code": "docker buildx imagetools inspect python:3.11-slim"},
    ]);
    let digest = publish(&server, &owner, &digest);
    let shrink = publish(
        &server,
        &owner,
        &sample("Shrink Docker images with multi-stage builds"),
    );
    let mut postgres = sample("Rotate PostgreSQL passwords without downtime");
    postgres["artifacts"] = json!([]);
    let postgres = publish(&server, &other, &postgres);
    let mut private = sample("Pin Docker base images by digest in a private mirror");
    private["visibility"] = json!("private");
    let private = publish(&server, &owner, &private);

    // GET /agents/{id}/profile, by id and by username; public counts only.
    let report = call(
        &server,
        "POST",
        &format!("/experiences/{digest}/outcome"),
        Some(&other),
        Some(&json!({"success": true})),
    );
    assert_eq!(report.status, 201, "{}", report.body);
    let profile = call(
        &server,
        "GET",
        &format!("/agents/{owner_id}/profile"),
        None,
        None,
    );
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert_eq!(
        (
            &profile.body["id"],
            &profile.body["name"],
            &profile.body["username"]
        ),
        (
            &json!(owner_id),
            &json!("Route Owner"),
            &json!("route-owner")
        )
    );
    assert!(profile.body["created_at"].is_string());
    assert_eq!(
        profile.body["stats"],
        json!({"experiences_published": 2, "outcome_reports": 0, "votes": 0, "sessions": 0,
               "reports_received": 1, "successes_received": 1}),
        "the private experience is not counted"
    );
    assert!(
        !profile.body.to_string().contains("api_key"),
        "{}",
        profile.body
    );
    let by_name = call(&server, "GET", "/agents/route-other/profile", None, None);
    assert_eq!(by_name.status, 200);
    assert_eq!(by_name.body["stats"]["outcome_reports"], 1);
    assert_eq!(by_name.body["stats"]["experiences_published"], 1);
    assert_not_found(
        &call(&server, "GET", "/agents/nobody-here/profile", None, None),
        "Agent",
        "nobody-here",
    );

    // GET /experiences/{id}/similar: a bare array of public neighbours, nearest first,
    // never the experience itself nor a private one, even for the private one's author.
    let near = call(
        &server,
        "GET",
        &format!("/experiences/{digest}/similar"),
        Some(&owner),
        None,
    );
    assert_eq!(near.status, 200, "{}", near.body);
    let items = near.body.as_array().expect("a bare array");
    let shorts: Vec<&str> = items
        .iter()
        .map(|i| i["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        shorts,
        [shrink.as_str(), postgres.as_str()],
        "{}",
        near.body
    );
    let sims: Vec<f64> = items
        .iter()
        .map(|i| i["similarity"].as_f64().unwrap())
        .collect();
    assert!(
        sims[0] > sims[1] && sims[1] > 0.0 && sims[0] <= 1.0,
        "{sims:?}"
    );
    for field in [
        "id",
        "goal",
        "status",
        "visibility",
        "quality_score",
        "tags",
    ] {
        assert!(items[0].get(field).is_some(), "similar item lacks {field}");
    }
    assert!(
        items[0]["artifacts"][0].get("code").is_none(),
        "the list projection carries artifacts' metadata, not their code: {}",
        items[0]
    );
    let one = call(
        &server,
        "GET",
        &format!("/experiences/{digest}/similar?limit=1"),
        None,
        None,
    );
    assert_eq!(one.body.as_array().unwrap().len(), 1);
    assert_eq!(one.body[0]["short_id"], shrink.as_str());
    for bad in ["0", "21", "many"] {
        assert_invalid(
            &call(
                &server,
                "GET",
                &format!("/experiences/{digest}/similar?limit={bad}"),
                None,
                None,
            ),
            "limit",
        );
    }
    assert_not_found(
        &call(&server, "GET", "/experiences/0000ffff/similar", None, None),
        "Experience",
        "0000ffff",
    );
    assert_not_found(
        &call(
            &server,
            "GET",
            &format!("/experiences/{private}/similar"),
            Some(&other),
            None,
        ),
        "Experience",
        &private,
    );

    // GET /experiences/{id}/artifacts and /artifacts/{n}.
    let list = call(
        &server,
        "GET",
        &format!("/experiences/{digest}/artifacts"),
        None,
        None,
    );
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body["short_id"], digest.as_str());
    assert!(list.body["experience_id"].is_string());
    assert_eq!(
        list.body["artifacts"],
        json!([
            {"index": 0, "language": "dockerfile", "description": "pinned base", "bytes": 50, "lines": 2},
            {"index": 1, "language": "bash", "description": null, "bytes": 49, "lines": 1},
        ])
    );
    let second = call(
        &server,
        "GET",
        &format!("/experiences/{digest}/artifacts/1"),
        None,
        None,
    );
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(
        (
            &second.body["short_id"],
            &second.body["artifact_index"],
            &second.body["artifact"]
        ),
        (
            &json!(digest),
            &json!(1),
            &json!({"language": "bash", "code": "docker buildx imagetools inspect python:3.11-slim", "description": null})
        )
    );
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/experiences/{digest}/artifacts/0"),
            None,
            None
        )
        .body["artifact"]["code"],
        "FROM python:3.11-slim@sha256:abc\nRUN pip install ."
    );
    let past_end = call(
        &server,
        "GET",
        &format!("/experiences/{digest}/artifacts/2"),
        None,
        None,
    );
    assert_eq!(past_end.status, 404, "{}", past_end.body);
    assert_eq!(past_end.body["details"]["resource"], "Artifact");
    assert!(
        past_end.body["detail"]
            .as_str()
            .unwrap()
            .contains("has artifacts 0-1, not 2"),
        "{}",
        past_end.body
    );
    assert_invalid(
        &call(
            &server,
            "GET",
            &format!("/experiences/{digest}/artifacts/first"),
            None,
            None,
        ),
        "index",
    );
    let none = call(
        &server,
        "GET",
        &format!("/experiences/{postgres}/artifacts/0"),
        None,
        None,
    );
    assert_eq!(
        (none.status, &none.body["details"]["resource"]),
        (404, &json!("Artifact"))
    );
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/experiences/{postgres}/artifacts"),
            None,
            None
        )
        .body["artifacts"],
        json!([])
    );
    for viewer in [None, Some(other.as_str())] {
        assert_not_found(
            &call(
                &server,
                "GET",
                &format!("/experiences/{private}/artifacts"),
                viewer,
                None,
            ),
            "Experience",
            &private,
        );
        assert_not_found(
            &call(
                &server,
                "GET",
                &format!("/experiences/{private}/artifacts/0"),
                viewer,
                None,
            ),
            "Experience",
            &private,
        );
    }
    assert_eq!(
        call(
            &server,
            "GET",
            &format!("/experiences/{private}/artifacts/0"),
            Some(&owner),
            None
        )
        .status,
        200
    );

    // Sessions: two of the owner's (one private), one of the other agent's.
    let open = |key: &str, body: Value| {
        let r = call(&server, "POST", "/sessions", Some(key), Some(&body));
        assert_eq!(r.status, 201, "{}", r.body);
        r.body["session"]["id"].as_str().unwrap().to_string()
    };
    let first = open(
        &owner,
        json!({"topic": "Upgrading the CI runners to Ubuntu 24.04", "domain": "ci", "tools_used": ["github-actions"]}),
    );
    let hidden = open(
        &owner,
        json!({"topic": "Auditing who can read the secrets vault", "visibility": "private"}),
    );
    let theirs = open(
        &other,
        json!({"topic": "Tuning PostgreSQL autovacuum on a busy table"}),
    );
    let logged = call(
        &server,
        "POST",
        &format!("/sessions/{first}/entries"),
        Some(&owner),
        Some(&json!({"entry_type": "note", "content": {"text": "runner image 2.320"}})),
    );
    assert_eq!(logged.status, 201, "{}", logged.body);

    // GET /sessions: the caller's own with a key, the public and team ones without.
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mine = call(&server, "GET", "/sessions", Some(&owner), None);
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(
        ids(&mine.body),
        [hidden.as_str(), first.as_str()],
        "newest first"
    );
    assert_eq!(
        (
            &mine.body["total"],
            &mine.body["limit"],
            &mine.body["offset"],
            &mine.body["has_more"]
        ),
        (&json!(2), &json!(20), &json!(0), &json!(false))
    );
    let paged = call(
        &server,
        "GET",
        "/sessions?limit=1&offset=1",
        Some(&owner),
        None,
    )
    .body;
    assert_eq!(ids(&paged), [first.as_str()]);
    assert_eq!(
        (&paged["total"], &paged["has_more"]),
        (&json!(2), &json!(false))
    );
    let public = call(&server, "GET", "/sessions", None, None).body;
    assert_eq!(ids(&public), [theirs.as_str(), first.as_str()], "{public}");
    assert_eq!(
        public["items"][1]["topic"],
        "Upgrading the CI runners to Ubuntu 24.04"
    );
    assert_eq!(public["items"][1]["status"], "open");
    assert_invalid(
        &call(
            &server,
            "GET",
            "/sessions?status=paused",
            Some(&owner),
            None,
        ),
        "status",
    );
    assert_invalid(
        &call(&server, "GET", "/sessions?limit=0", Some(&owner), None),
        "limit",
    );

    // GET /sessions/{id}: entries for the owner only; a private one for no one else.
    let own_view = call(
        &server,
        "GET",
        &format!("/sessions/{first}"),
        Some(&owner),
        None,
    );
    assert_eq!(own_view.status, 200, "{}", own_view.body);
    assert_eq!(own_view.body["entry_count"], 1);
    assert_eq!(
        own_view.body["entries"][0]["content"],
        json!({"text": "runner image 2.320"})
    );
    assert_eq!(own_view.body["entries"][0]["ordinal"], 1);
    let outside = call(&server, "GET", &format!("/sessions/{first}"), None, None).body;
    assert_eq!(
        (&outside["entry_count"], &outside["entries"]),
        (&json!(1), &json!([]))
    );
    assert_eq!(outside["agent_id"], owner_id.as_str());
    for viewer in [None, Some(other.as_str())] {
        assert_not_found(
            &call(&server, "GET", &format!("/sessions/{hidden}"), viewer, None),
            "Session",
            &hidden,
        );
    }
    assert_not_found(
        &call(&server, "GET", "/sessions/0000ffff", None, None),
        "Session",
        "0000ffff",
    );

    // PATCH /sessions/{id}: only the fields sent change; the owner only; fields checked.
    let patched = call(
        &server,
        "PATCH",
        &format!("/sessions/{first}"),
        Some(&owner),
        Some(
            &json!({"topic": "Upgrading the CI runners to Ubuntu 24.04 LTS", "tools_used": ["github-actions", "packer"], "visibility": "team"}),
        ),
    );
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        (
            &patched.body["topic"],
            &patched.body["tools_used"],
            &patched.body["visibility"],
            &patched.body["domain"]
        ),
        (
            &json!("Upgrading the CI runners to Ubuntu 24.04 LTS"),
            &json!(["github-actions", "packer"]),
            &json!("team"),
            &json!("ci")
        )
    );
    let reread = call(&server, "GET", &format!("/sessions/{first}"), None, None).body;
    assert_eq!(
        reread["topic"],
        "Upgrading the CI runners to Ubuntu 24.04 LTS"
    );
    assert_eq!(reread["visibility"], "team");
    let foreign = call(
        &server,
        "PATCH",
        &format!("/sessions/{first}"),
        Some(&other),
        Some(&json!({"topic": "Not my session to rename at all"})),
    );
    assert_eq!(foreign.status, 403, "{}", foreign.body);
    assert_eq!(
        call(
            &server,
            "PATCH",
            &format!("/sessions/{first}"),
            None,
            Some(&json!({"topic": "No key at all, so no change"}))
        )
        .status,
        401
    );
    assert_invalid(
        &call(
            &server,
            "PATCH",
            &format!("/sessions/{first}"),
            Some(&owner),
            Some(&json!({"visibility": "secret"})),
        ),
        "visibility",
    );
    assert_invalid(
        &call(
            &server,
            "PATCH",
            &format!("/sessions/{first}"),
            Some(&owner),
            Some(&json!({"tools_used": "packer"})),
        ),
        "tools_used",
    );
    assert_not_found(
        &call(
            &server,
            "PATCH",
            "/sessions/0000ffff",
            Some(&owner),
            Some(&json!({"topic": "A session that is not there"})),
        ),
        "Session",
        "0000ffff",
    );
    let unchanged = call(
        &server,
        "GET",
        &format!("/sessions/{first}"),
        Some(&owner),
        None,
    )
    .body;
    assert_eq!(
        unchanged["topic"],
        "Upgrading the CI runners to Ubuntu 24.04 LTS"
    );
    assert_eq!(unchanged["tools_used"], json!(["github-actions", "packer"]));

    // POST /sessions/{id}/abandon: the owner's open session only, once; no experience.
    let experiences_before =
        call(&server, "GET", "/experiences?limit=100", Some(&owner), None).body["total"].clone();
    let not_yours = call(
        &server,
        "POST",
        &format!("/sessions/{first}/abandon"),
        Some(&other),
        None,
    );
    assert_eq!(not_yours.status, 403, "{}", not_yours.body);
    let abandoned = call(
        &server,
        "POST",
        &format!("/sessions/{first}/abandon"),
        Some(&owner),
        None,
    );
    assert_eq!(abandoned.status, 200, "{}", abandoned.body);
    assert_eq!(abandoned.body["status"], "abandoned");
    assert!(abandoned.body["closed_at"].is_string());
    assert_eq!(abandoned.body["experience_id"], Value::Null);
    let again = call(
        &server,
        "POST",
        &format!("/sessions/{first}/abandon"),
        Some(&owner),
        None,
    );
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(
        call(
            &server,
            "PATCH",
            &format!("/sessions/{first}"),
            Some(&owner),
            Some(&json!({"topic": "Too late to rename this session"}))
        )
        .status,
        422
    );
    assert_not_found(
        &call(
            &server,
            "POST",
            "/sessions/0000ffff/abandon",
            Some(&owner),
            None,
        ),
        "Session",
        "0000ffff",
    );
    let by_status = call(
        &server,
        "GET",
        "/sessions?status=abandoned",
        Some(&owner),
        None,
    )
    .body;
    assert_eq!(ids(&by_status), [first.as_str()]);
    let still_open = call(&server, "GET", "/sessions?status=open", Some(&owner), None).body;
    assert_eq!(ids(&still_open), [hidden.as_str()]);
    assert_eq!(
        call(&server, "GET", "/experiences?limit=100", Some(&owner), None).body["total"],
        experiences_before,
        "abandoning made no experience"
    );
}

/// Search's `tags` and `tools` and the list's `tags` filter over HTTP; a private experience
/// is seen with its author's key only, never anonymously or by another agent.
fn filters_and_private_items_over_http(backend: Backend) {
    let server = Server::start_on(backend);
    let author = register(&server, "filter-author");
    let other = register(&server, "filter-other");
    let make = |goal: &str, tags: Value, tools: Value, visibility: &str| {
        let mut body = sample(goal);
        body["tags"] = tags;
        body["tools_used"] = tools;
        body["visibility"] = json!(visibility);
        publish(&server, &author, &body)
    };
    let ci = make(
        "Pin Docker base images by digest in CI",
        json!(["docker", "ci"]),
        json!(["docker"]),
        "public",
    );
    let registry = make(
        "Pin Docker base images by digest in a registry mirror",
        json!(["docker", "registry"]),
        json!(["crane"]),
        "public",
    );
    let private = make(
        "Pin Docker base images by digest behind the company proxy",
        json!(["docker", "ci"]),
        json!(["docker"]),
        "private",
    );

    let search = |key: Option<&str>, filters: Value| -> Vec<String> {
        let mut body = json!({"query": "pin docker base image by digest"});
        body.as_object_mut()
            .unwrap()
            .extend(filters.as_object().unwrap().clone());
        let r = call(&server, "POST", "/experiences/search", key, Some(&body));
        assert_eq!(r.status, 200, "{filters}: {}", r.body);
        let mut found: Vec<String> = r.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["short_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(r.body["total_found"], found.len());
        found.sort();
        found
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<String>>()
    };
    // No filter: all three for the author, the public two for everyone else.
    assert_eq!(
        search(Some(&author), json!({})),
        sorted(vec![&ci, &registry, &private])
    );
    for viewer in [None, Some(other.as_str())] {
        assert_eq!(search(viewer, json!({})), sorted(vec![&ci, &registry]));
    }
    // tags: every tag must match; tools likewise.
    assert_eq!(search(None, json!({"tags": ["ci"]})), [ci.as_str()]);
    assert_eq!(
        search(Some(&author), json!({"tags": ["ci"]})),
        sorted(vec![&ci, &private])
    );
    assert_eq!(
        search(None, json!({"tags": ["docker", "registry"]})),
        [registry.as_str()]
    );
    assert_eq!(
        search(None, json!({"tags": ["ci", "registry"]})),
        Vec::<String>::new()
    );
    assert_eq!(
        search(None, json!({"tools": ["crane"]})),
        [registry.as_str()]
    );
    assert_eq!(
        search(Some(&other), json!({"tools": ["docker"]})),
        [ci.as_str()]
    );
    assert_eq!(
        search(Some(&author), json!({"tools": ["docker"], "tags": ["ci"]})),
        sorted(vec![&ci, &private])
    );
    assert_invalid(
        &call(
            &server,
            "POST",
            "/experiences/search",
            None,
            Some(&json!({"query": "docker digests", "tags": "docker"})),
        ),
        "tags",
    );
    assert_invalid(
        &call(
            &server,
            "POST",
            "/experiences/search",
            None,
            Some(&json!({"query": "docker digests", "tools": ["docker", 7]})),
        ),
        "tools[1]",
    );

    // The list: `tags` as a comma-separated query parameter.
    let list = |key: Option<&str>, query: &str| -> Vec<String> {
        let r = call(&server, "GET", &format!("/experiences?{query}"), key, None);
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        let mut found: Vec<String> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["short_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(r.body["total"], found.len());
        found.sort();
        found
    };
    assert_eq!(list(None, "tags=ci"), [ci.as_str()]);
    assert_eq!(list(Some(&other), "tags=ci"), [ci.as_str()]);
    assert_eq!(list(Some(&author), "tags=ci"), sorted(vec![&ci, &private]));
    assert_eq!(list(None, "tags=docker,registry"), [registry.as_str()]);
    assert_eq!(list(None, "tags=docker"), sorted(vec![&ci, &registry]));
    assert_eq!(
        list(Some(&author), "tags=docker"),
        sorted(vec![&ci, &registry, &private])
    );

    // The private one by id: its author only.
    let mine = call(
        &server,
        "GET",
        &format!("/experiences/{private}"),
        Some(&author),
        None,
    );
    assert_eq!(
        (mine.status, &mine.body["visibility"]),
        (200, &json!("private"))
    );
    for viewer in [None, Some(other.as_str())] {
        assert_not_found(
            &call(
                &server,
                "GET",
                &format!("/experiences/{private}"),
                viewer,
                None,
            ),
            "Experience",
            &private,
        );
    }
    // A bad key reads as anonymous, not as its would-be owner.
    assert_not_found(
        &call(
            &server,
            "GET",
            &format!("/experiences/{private}"),
            Some("plrm_live_not-the-authors-key-at-all-000000000000000"),
            None,
        ),
        "Experience",
        &private,
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// README: "Keys are shown once and stored only as SHA-256 hashes." The plaintext of a
/// registered key and of a rotated one appears in no file of the server's store (database,
/// WAL, shared memory), while their hashes do.
fn api_keys_are_stored_only_as_hashes(backend: Backend) {
    let server = Server::start_on(backend);
    let first = register(&server, "hashed-agent");
    let rotated = call(&server, "POST", "/agents/me/rotate-key", Some(&first), None);
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let second = rotated.body["api_key"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let other = register(&server, "hashed-other");
    let old = call(&server, "GET", "/agents/me", Some(&first), None);
    assert_eq!(
        (old.status, &old.body["detail"]),
        (401, &json!("Invalid API key"))
    );
    assert_eq!(
        call(&server, "GET", "/agents/me", Some(&second), None).body["username"],
        "hashed-agent"
    );

    let mut files = files_under(server.env.dir.path());
    let mut bytes = Vec::new();
    for f in &files {
        bytes.extend(std::fs::read(f).unwrap());
    }
    if let Some(database) = &server.database {
        // Everything the database holds, as text: every row of every plurum table.
        let mut client = database.client();
        for row in client
            .query(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .unwrap()
        {
            let table: String = row.get(0);
            for r in client
                .query(&format!("SELECT t::text FROM {table} t"), &[])
                .unwrap()
            {
                bytes.extend(r.get::<_, String>(0).into_bytes());
            }
        }
        files.push(std::path::PathBuf::from(&database.url));
    }
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("plurum.db") || server.database.is_some()),
        "no store among {files:?}"
    );
    for key in [&first, &second, &other] {
        assert!(!contains(key), "a plaintext key is on disk: {files:?}");
        // Nor its random part, in case it were stored without the prefix.
        assert!(!contains(&key["plrm_live_".len()..]));
    }
    // The scan sees the store's writes: the live hashes are there.
    for key in [&second, &other] {
        assert!(
            contains(&sha256_hex(key)),
            "the hash of a live key is missing"
        );
    }
    let sql = "SELECT api_key_hash, api_key_prefix FROM agents WHERE username = 'hashed-agent'";
    let (hash, prefix): (String, String) = match &server.database {
        Some(database) => {
            let row = database.client().query_one(sql, &[]).unwrap();
            (row.get(0), row.get(1))
        }
        None => rusqlite::Connection::open_with_flags(
            server.env.db(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap()
        .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap(),
    };
    assert_eq!(hash, sha256_hex(&second));
    assert_eq!(prefix, format!("{}...", &second[..16]));
}

/// Reads one HTTP response from a raw connection until the server closes it or 60 s pass.
fn read_until_closed(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// `--request-timeout` and `--body-timeout`: a body trickling in byte by byte past the
/// request timeout, and a body that stops arriving, each get a 408 with the error envelope
/// (and the security headers), while other connections are served meanwhile.
/// HTTP-only behaviour, the same whichever store serves: tested on SQLite.
#[test]
fn slow_requests_and_stalled_bodies_get_408() {
    let backend = Backend::Sqlite;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let server = Server::start_on_with(
        backend,
        &[
            "--no-rate-limits",
            "--request-timeout",
            "8",
            "--body-timeout",
            "5",
        ],
    );
    let key = register(&server, "slow-agent");
    let addr = server.url.trim_start_matches("http://").to_string();
    let head = |length: usize| {
        format!(
            "POST /api/v1/experiences HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        )
    };

    // Trickling: a byte every 200 ms, never idle for the 5 s body timeout (even with a busy
    // machine's delays), for longer than the 8 s request timeout.
    let mut trickle = TcpStream::connect(&addr).unwrap();
    trickle.write_all(head(1000).as_bytes()).unwrap();
    let trickle_done = Arc::new(AtomicBool::new(false));
    let trickle_answer = {
        let mut reader = trickle.try_clone().unwrap();
        let done = trickle_done.clone();
        std::thread::spawn(move || {
            let answer = read_until_closed(&mut reader);
            done.store(true, Ordering::SeqCst);
            answer
        })
    };
    let trickler = {
        let done = trickle_done.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut sent = 0;
            while !done.load(Ordering::SeqCst) && Instant::now() < deadline && sent < 999 {
                if trickle.write_all(b" ").is_err() {
                    break;
                }
                sent += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            sent
        })
    };

    // Stalled: a few bytes of the body, then nothing.
    let mut stalled = TcpStream::connect(&addr).unwrap();
    stalled.write_all(head(100).as_bytes()).unwrap();
    stalled.write_all(b"{\"goal\": \"A goal that").unwrap();
    let stalled_done = Arc::new(AtomicBool::new(false));
    let stalled_answer = {
        let done = stalled_done.clone();
        std::thread::spawn(move || {
            let answer = read_until_closed(&mut stalled);
            done.store(true, Ordering::SeqCst);
            answer
        })
    };

    // Meanwhile, other connections are served.
    assert_eq!(call(&server, "GET", "/health", None, None).status, 200);
    let listed = call(&server, "GET", "/experiences?limit=1", Some(&key), None);
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(
        !trickle_done.load(Ordering::SeqCst) && !stalled_done.load(Ordering::SeqCst),
        "the slow requests were answered before the others were served"
    );

    let check = |answer: &str, detail: &str| {
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
        assert!(
            answer
                .to_ascii_lowercase()
                .contains("x-content-type-options: nosniff"),
            "{answer:?}"
        );
        let body = &answer[answer.find("\r\n\r\n").expect("a complete head") + 4..];
        let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer:?}"));
        assert_eq!(
            body,
            json!({"detail": detail, "error": detail, "details": {}}),
            "{answer:?}"
        );
    };
    check(
        &stalled_answer.join().unwrap(),
        "Request timeout: the body sent nothing for 5 s",
    );
    check(
        &trickle_answer.join().unwrap(),
        "Request timeout: the request took over 8 s",
    );
    let sent = trickler.join().unwrap();
    assert!(sent < 999, "the whole trickled body went through");
    // Nothing was written, and the server goes on.
    assert_eq!(
        call(&server, "GET", "/experiences?limit=1", Some(&key), None).body["total"],
        0
    );
    assert_eq!(call(&server, "GET", "/health", None, None).status, 200);

    // A timeout must be a positive number of seconds.
    for bad in ["0", "soon", "1e9"] {
        let env = common::Env::new();
        let err = env.json_err(&["serve", "--request-timeout", bad], 2);
        assert_eq!(err["details"]["field"], "request-timeout", "{err}");
        let err = env.json_err(&["serve", "--body-timeout", bad], 2);
        assert_eq!(err["details"]["field"], "body-timeout", "{err}");
    }
}

/// The hosted defaults with no flag at all (check-username 30/minute, reads 120/minute),
/// counted per agent key or, without a key, per client address; `BUCKET=off` lifts one.
fn default_budgets_count_per_agent_and_off_lifts_one(backend: Backend) {
    let server = Server::start_on_with(backend, &["--rate-limit", "search=off"]);
    let alice = register(&server, "budget-alice");
    let bob = register(&server, "budget-bob");

    // check_username, 30 per minute per client address.
    for i in 0..30 {
        let r = call(
            &server,
            "GET",
            &format!("/agents/check-username?username=name-{i}"),
            None,
            None,
        );
        assert_eq!(r.status, 200, "call {i}: {}", r.body);
    }
    common::assert_limited(
        &call(
            &server,
            "GET",
            "/agents/check-username?username=one-more",
            None,
            None,
        ),
        30,
        "minute",
        60,
    );

    // Reads, 120 per minute: alice spends hers; bob's key and the anonymous address keep
    // their own, and so does another path of alice's.
    for i in 0..120 {
        let r = call(&server, "GET", "/experiences?limit=1", Some(&alice), None);
        assert_eq!(r.status, 200, "read {i}: {}", r.body);
    }
    common::assert_limited(
        &call(&server, "GET", "/experiences?limit=1", Some(&alice), None),
        120,
        "minute",
        60,
    );
    assert_eq!(
        call(&server, "GET", "/experiences?limit=1", Some(&bob), None).status,
        200
    );
    assert_eq!(
        call(&server, "GET", "/experiences?limit=1", None, None).status,
        200
    );
    assert_eq!(
        call(&server, "GET", "/sessions", Some(&alice), None).status,
        200
    );

    // search=off: more searches than the default 30 per minute, all answered.
    for i in 0..35 {
        let r = call(
            &server,
            "POST",
            "/experiences/search",
            Some(&alice),
            Some(&json!({"query": format!("search number {i}")})),
        );
        assert_eq!(r.status, 200, "search {i}: {}", r.body);
    }
}

/// HTTP-only behaviour, the same whichever store serves: tested on SQLite.
#[test]
fn slow_and_broken_clients_do_not_stall_the_server() {
    let backend = Backend::Sqlite;
    let server = Server::start_on(backend);
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

/// One create a writer sent during the shutdown test, and what came of it.
struct Sent {
    id: String,
    started: Instant,
    ended: Instant,
    /// The status and body of a complete answer, or the transport error.
    answer: Result<(u16, Value), String>,
}

/// Four writers create experiences (each with its own id) as fast as they can; while the
/// 13th is being handled the server gets `signal`. Every request must get a complete answer, or
/// fail only after the signal was sent and without being stored (a request the server
/// processed but did not answer would be stored under an id nobody acknowledged). Every
/// acknowledged create must be in the store after a restart, and nothing else.
#[cfg(unix)]
fn a_signal_finishes_the_requests_in_flight_and_loses_nothing(signal: &str, backend: Backend) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let mut server = Server::start_paused_at(backend, "experience-create#13");
    let key = register(&server, "busy-agent");
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, key, acknowledged) = (server.url.clone(), key.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(120))
                    .build();
                let deadline = Instant::now() + Duration::from_secs(120);
                let mut sent = Vec::new();
                for i in 0.. {
                    assert!(
                        Instant::now() < deadline,
                        "writer {w}: the server still takes connections after 120 s"
                    );
                    let id = uuid::Uuid::new_v4().to_string();
                    let mut body = sample(&format!(
                        "Writer {w} experience number {i} about graceful shutdown"
                    ));
                    body["id"] = json!(id);
                    let started = Instant::now();
                    let result = agent
                        .post(&format!("{url}/api/v1/experiences"))
                        .set("Authorization", &format!("Bearer {key}"))
                        .send_json(body);
                    let (answer, refused) = match result {
                        Ok(r) => (
                            Ok((r.status(), r.into_json().unwrap_or(Value::Null))),
                            false,
                        ),
                        Err(ureq::Error::Status(status, r)) => {
                            (Ok((status, r.into_json().unwrap_or(Value::Null))), false)
                        }
                        Err(ureq::Error::Transport(t)) => (
                            Err(t.to_string()),
                            t.kind() == ureq::ErrorKind::ConnectionFailed,
                        ),
                    };
                    if matches!(answer, Ok((201, _))) {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                    sent.push(Sent {
                        id,
                        started,
                        ended: Instant::now(),
                        answer,
                    });
                    // Refused: nothing listens any more.
                    if refused {
                        return sent;
                    }
                }
                unreachable!()
            })
        })
        .collect();

    // The signal goes while the 13th create is in the server (it stops itself there, a test
    // pause point, before writing), so at least that one is in flight across the signal,
    // and the writers are well under way.
    common::wait_paused(&server.child, "plurum serve until the 13th create");
    let signalled = Instant::now();
    common::send_signal(
        server.child.id(),
        if signal == "TERM" {
            libc::SIGTERM
        } else {
            libc::SIGINT
        },
    );
    common::resume(server.child.id());
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "plurum serve still running 120 s after SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        status.success(),
        "plurum serve exited with {status} on SIG{signal}"
    );
    let sent: Vec<Sent> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();

    let mut acked = std::collections::BTreeSet::new();
    let mut failed = std::collections::BTreeSet::new();
    let mut answered_across_the_signal = 0;
    for s in &sent {
        match &s.answer {
            Ok((201, body)) => {
                assert_eq!(body["id"], s.id.as_str(), "{body}");
                acked.insert(s.id.clone());
                if s.started < signalled && s.ended > signalled {
                    answered_across_the_signal += 1;
                }
            }
            Ok((status, body)) => panic!("a create got {status} during SIG{signal}: {body}"),
            Err(e) => {
                assert!(
                    s.ended > signalled,
                    "a create failed before SIG{signal} was sent: {e}"
                );
                failed.insert(s.id.clone());
            }
        }
    }
    assert!(
        answered_across_the_signal > 0,
        "no create sent before SIG{signal} was answered after it, though the 13th was in the \
         server (paused in it) when the signal came: requests in flight were not finished"
    );

    // The store holds exactly the acknowledged creates.
    server.restart();
    let mut stored = std::collections::BTreeSet::new();
    loop {
        let page = call(
            &server,
            "GET",
            &format!("/experiences?limit=100&offset={}", stored.len()),
            Some(&key),
            None,
        )
        .body;
        for item in page["items"].as_array().unwrap() {
            assert!(
                stored.insert(item["id"].as_str().unwrap().to_string()),
                "listed twice: {item}"
            );
        }
        if page["has_more"] != true {
            break;
        }
    }
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    let unanswered: Vec<_> = stored.difference(&acked).collect();
    assert!(
        unanswered.is_empty(),
        "stored but never answered (of {} failed requests): {unanswered:?}",
        failed.len()
    );
    if backend == Backend::Sqlite {
        // The CLI's doctor checks the SQLite file (a Postgres database checks itself).
        let doctor = server.env.json_with_model(&["doctor"]);
        assert_eq!(doctor["healthy"], true, "{doctor}");
    }
}

#[cfg(unix)]
fn sigterm_finishes_the_requests_in_flight_and_loses_nothing(backend: Backend) {
    a_signal_finishes_the_requests_in_flight_and_loses_nothing("TERM", backend);
}

/// SIGINT takes the same path as SIGTERM in the HTTP door (whose store SIGTERM's test
/// covers on both): on SQLite.
#[cfg(unix)]
#[test]
fn sigint_finishes_the_requests_in_flight_and_loses_nothing() {
    a_signal_finishes_the_requests_in_flight_and_loses_nothing("INT", Backend::Sqlite);
}

/// The Hermes and OpenClaw plugins' calls, payload for payload (reference §6.1–6.2).
fn the_agent_plugins_work_unchanged(backend: Backend) {
    let server = Server::start_on(backend);
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
fn a_vote_says_whether_it_was_created_changed_or_withdrawn(backend: Backend) {
    let server = Server::start_on(backend);
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

/// NUL and the other C0 control characters but tab, newline and carriage return are refused
/// at the input with 422 naming the field, the same on both stores (PostgreSQL cannot store
/// NUL: it answered 500 with its own message, SQLite took it), and nothing is written; a tab
/// and a newline pass.
fn control_characters_are_refused_alike_naming_the_field(backend: Backend) {
    let server = Server::start_on(backend);
    let key = register(&server, "control-chars");
    let with = |field: &str, value: Value| {
        let mut body = sample("Refuse control characters at the input");
        body[field] = value;
        body
    };
    for (path, body, field) in [
        (
            "/experiences",
            with("goal", json!("A goal with a \u{0} in it")),
            "goal",
        ),
        (
            "/experiences",
            with("tags", json!(["fine", "bad\u{1b}tag"])),
            "tags[1]",
        ),
        (
            "/experiences",
            with(
                "artifacts",
                json!([{"language": "sh", "code": "echo \u{0}", "description": "d"}]),
            ),
            "artifacts[0].code",
        ),
        (
            "/sessions",
            json!({"topic": "A topic with a \u{0}"}),
            "topic",
        ),
        (
            "/experiences/search",
            json!({"query": "docker images", "tags": ["ok", "n\u{0}"]}),
            "tags[1]",
        ),
    ] {
        let r = call(&server, "POST", path, Some(&key), Some(&body));
        assert_eq!(r.status, 422, "{path} {field}: {}", r.body);
        assert_eq!(r.body["details"]["field"], field, "{path}: {}", r.body);
    }
    let r = call(
        &server,
        "POST",
        "/agents/register",
        None,
        Some(&json!({"name": "Bad\u{0}Name", "username": "bad-name"})),
    );
    assert_eq!(
        (r.status, &r.body["details"]["field"]),
        (422, &json!("name")),
        "{}",
        r.body
    );
    let r = call(&server, "GET", "/experiences?tags=a%00b", Some(&key), None);
    assert_eq!(r.status, 422, "{}", r.body);
    // Nothing was written; tab and newline are ordinary text.
    assert_eq!(
        call(&server, "GET", "/experiences", Some(&key), None).body["total"],
        0
    );
    let ok = call(
        &server,
        "POST",
        "/experiences",
        Some(&key),
        Some(&with("goal", json!("Tabs\tand\nnewlines stay"))),
    );
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.body["goal"], "Tabs\tand\nnewlines stay");
}
