//! `plurum serve`: the Plurum REST API (`/api/v1`) over a store, compatible with the hosted
//! service as `../shared/reference/plurum-api-behaviour.md` describes it, so the existing
//! plugins, curl and `plurum push`/`pull` on other machines work against it unchanged.
//!
//! axum on tokio; every library call runs on the blocking pool (SQLite and the embedding
//! model block), so slow requests never stall the others. The rest of plurum stays
//! synchronous: the runtime exists only inside `run`.

mod agents;
mod experiences;
mod plumbing;
pub mod rate_limit;
mod sessions;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

use crate::error::{Error, Result};
use crate::ops::Plurum;
use plumbing::AppState;
use rate_limit::{Bucket, Limit, Limiter};

/// The hosted service's request body limit (reference §5.2).
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// A request (body included) that takes longer than this gets a 408: a slow or stalled
/// client cannot hold a connection and its handler forever (`--request-timeout`).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// A request body that sends nothing for this long gets a 408 (`--body-timeout`).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of `plurum serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (loopback unless told otherwise).
    pub addr: SocketAddr,
    /// Apply the hosted service's per-agent rate limits (reference §5.3).
    pub rate_limits: bool,
    /// Per-bucket changes to the defaults (`--rate-limit search=100/minute`).
    pub limit_overrides: Vec<(Bucket, Option<Limit>)>,
    /// How long a request and its body may take before they get a 408.
    pub timeouts: Timeouts,
}

/// How long a request may take before it gets a 408.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// The whole request, body included (`--request-timeout`).
    pub request: Duration,
    /// A request body that sends nothing for this long (`--body-timeout`).
    pub body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            request: REQUEST_TIMEOUT,
            body: BODY_TIMEOUT,
        }
    }
}

/// The API's routes over a store (public so tests and embedders can mount it).
pub fn router(plurum: Arc<Plurum>, limiter: Arc<Limiter>, timeouts: Timeouts) -> Router {
    use agents as a;
    use experiences as e;
    use sessions as s;
    let api = Router::new()
        .route("/agents/register", post(a::register))
        .route("/agents/check-username", get(a::check_username))
        .route("/agents/me", get(a::me))
        .route("/agents/me/rotate-key", post(a::rotate_key))
        .route("/agents/{id}/profile", get(a::profile))
        .route("/experiences", post(e::create).get(e::list))
        .route("/experiences/search", post(e::search))
        .route("/experiences/{id}", get(e::get))
        .route("/experiences/{id}/similar", get(e::similar))
        .route("/experiences/{id}/acquire", post(e::acquire))
        .route("/experiences/{id}/publish", post(e::publish))
        .route("/experiences/{id}/archive", post(e::archive))
        .route("/experiences/{id}/merge", post(e::merge))
        .route("/experiences/{id}/outcome", post(e::outcome))
        .route("/experiences/{id}/vote", post(e::vote))
        .route("/experiences/{id}/artifacts", get(e::artifacts))
        .route("/experiences/{id}/artifacts/{index}", get(e::artifact))
        .route("/sessions", post(s::open).get(s::list))
        .route("/sessions/{id}", get(s::get).patch(s::update))
        .route("/sessions/{id}/entries", post(s::log_entry))
        .route("/sessions/{id}/close", post(s::close))
        .route("/sessions/{id}/abandon", post(s::abandon))
        .route("/sessions/{id}/contribute", post(s::contribute))
        .route("/sessions/{id}/contributions", get(s::contributions))
        .route("/pulse/status", get(s::pulse_status))
        .route("/pulse/inbox", get(s::inbox))
        .route("/pulse/inbox/mark-read", post(s::mark_read));
    Router::new()
        .route("/", get(root))
        .route("/health", get(health))
        .nest("/api/v1", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyTimeoutLayer::new(timeouts.body))
        // Inside the security headers, so a 408 carries them too, and answered with the
        // error envelope (tower-http's timeout layer answers with an empty body).
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| async move {
                match tokio::time::timeout(timeouts.request, next.run(request)).await {
                    Ok(response) => response,
                    Err(_) => (
                        StatusCode::REQUEST_TIMEOUT,
                        axum::Json(crate::doors::api::error_message(&format!(
                            "Request timeout: the request took over {} s",
                            timeouts.request.as_secs_f64()
                        ))),
                    )
                        .into_response(),
                }
            },
        ))
        .layer(axum::middleware::map_response(security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                // Microseconds: when two servers answered one request each, their logs tell
                // whether the two overlapped.
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(AppState {
            plurum,
            limiter,
            body_timeout: timeouts.body,
        })
}

/// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
pub fn run(plurum: Plurum, options: ServeOptions) -> Result<()> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("plurum-serve")
        .build()
        .map_err(|e| Error::other(format!("cannot start the async runtime: {e}")))?;
    // Load the model before taking requests, so the first search is not the slow one and
    // the start-up line can say whether search is semantic.
    let semantic = match plurum.vector_status()? {
        crate::ops::embedding::VectorStatus::Ready(e) => {
            format!("semantic + keyword, {}", e.model_id())
        }
        crate::ops::embedding::VectorStatus::NoModel(why) => format!("keyword only: {why}"),
        crate::ops::embedding::VectorStatus::Mismatch(why) => {
            format!("keyword only: {why}; run `{}`", plurum.command("reindex"))
        }
    };
    let db = plurum.store().location();
    let plurum = Arc::new(plurum);
    // Held until the runtime is gone: the store (a Postgres pool's clients, each with a
    // runtime of its own) must not be dropped inside the async context, where tokio forbids
    // dropping a runtime.
    let keep = Arc::clone(&plurum);
    let limiter = Arc::new(if options.rate_limits {
        Limiter::new(&options.limit_overrides)
    } else {
        Limiter::disabled()
    });
    let app = router(plurum, limiter, options.timeouts);
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.addr)))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "plurum serve: http://{addr}/api/v1 over {} (search: {semantic}; rate limits {}). Ctrl-C stops.",
            db,
            if options.rate_limits { "on" } else { "off" },
        );
        if !addr.ip().is_loopback() {
            eprintln!(
                "plurum serve: listening beyond this machine; reads are public, writes need an agent key."
            );
        }
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Error::other(format!("server error: {e}")))?;
        eprintln!("plurum serve: stopped; every finished request is in the store.");
        Ok(())
    });
    drop(runtime);
    drop(keep);
    result
}

/// Logs go to stderr; `PLURUM_LOG` (or `RUST_LOG`) sets the filter, default one line per
/// request.
fn init_logging() {
    // An empty variable counts as unset.
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let filter = var("PLURUM_LOG")
        .or_else(|| var("RUST_LOG"))
        .unwrap_or_else(|| "warn,plurum=info,tower_http=info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    eprintln!("plurum serve: shutting down after the requests in flight...");
}

async fn root() -> Response {
    axum::Json(crate::doors::api::server_root()).into_response()
}

async fn health() -> Response {
    axum::Json(crate::doors::api::health()).into_response()
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(crate::doors::api::detail("Not Found")),
    )
        .into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(crate::doors::api::detail("Method Not Allowed")),
    )
        .into_response()
}

/// The hosted service's response headers (reference §1.1).
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}
