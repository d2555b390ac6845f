//! The HTTP plumbing every route shares: who is calling, the request body, query
//! parameters, running library calls off the async threads, and errors as the hosted API
//! writes them (reference §1.2–1.3).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::rate_limit::{Bucket, Limiter};
use crate::doors::args::Args;
use crate::error::Error;
use crate::model::agent::Agent;
use crate::ops::Plurum;

/// What every handler gets: the store, the rate limiter and the body timeout.
#[derive(Clone)]
pub(crate) struct AppState {
    pub plurum: Arc<Plurum>,
    pub limiter: Arc<Limiter>,
    /// How long a request body may send nothing (`--body-timeout`), for the 408's message.
    pub body_timeout: std::time::Duration,
}

impl AppState {
    /// Runs a library call on the blocking pool: SQLite and the embedding model block.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Plurum) -> crate::Result<T> + Send + 'static,
    {
        let plurum = Arc::clone(&self.plurum);
        match tokio::task::spawn_blocking(move || f(&plurum)).await {
            Ok(result) => result.map_err(ApiError::from),
            Err(join) => Err(ApiError::from(Error::other(format!(
                "request handler failed: {join}"
            )))),
        }
    }
}

/// An error response. Library errors keep the hosted envelope `{detail, error, details}`;
/// the few transport-level ones (413, 429, 404/405 routes) use the hosted bodies verbatim.
#[derive(Debug)]
pub(crate) enum ApiError {
    App(Error),
    Raw {
        status: StatusCode,
        body: Value,
        retry_after: Option<u64>,
    },
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::App(e)
    }
}

impl ApiError {
    pub fn raw(status: StatusCode, body: Value) -> ApiError {
        ApiError::Raw {
            status,
            body,
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(e) => {
                let status = StatusCode::from_u16(e.http_status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                // A 5xx never carries the database's (or any internal) text to the client:
                // the server's log has it, the client a plain envelope.
                let body = if status.is_server_error() {
                    tracing::error!(error = %e, "request failed");
                    crate::doors::api::error_message(if status == StatusCode::SERVICE_UNAVAILABLE {
                        "The database is unavailable or busy; try again shortly"
                    } else {
                        "Internal server error; the server's log has the details"
                    })
                } else {
                    crate::doors::api::error(&e)
                };
                (status, axum::Json(body)).into_response()
            }
            ApiError::Raw {
                status,
                body,
                retry_after,
            } => {
                let mut response = (status, axum::Json(body)).into_response();
                if let Some(secs) = retry_after {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                }
                response
            }
        }
    }
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// A JSON response with a status.
pub(crate) fn reply(status: StatusCode, body: Value) -> ApiResult {
    Ok((status, axum::Json(body)).into_response())
}

pub(crate) fn ok(body: Value) -> ApiResult {
    reply(StatusCode::OK, body)
}

pub(crate) fn created(body: Value) -> ApiResult {
    reply(StatusCode::CREATED, body)
}

/// The caller of a request. Authentication runs before anything else (so a write with a bad
/// body and no key is a 401, not a 422); routes that only read treat a failed check as
/// anonymous, as the hosted service does.
pub(crate) struct Caller {
    auth: Result<Option<Agent>, Error>,
    client_ip: String,
    path: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("").to_string());
        let auth = match header {
            None => Ok(None),
            Some(h) => {
                let plurum = Arc::clone(&state.plurum);
                tokio::task::spawn_blocking(move || plurum.authenticate(Some(&h)))
                    .await
                    .unwrap_or_else(|e| Err(Error::other(e)))
            }
        };
        let client_ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(Caller {
            auth,
            client_ip,
            path: parts.uri.path().to_string(),
        })
    }
}

impl Caller {
    /// The authenticated agent, or the hosted service's 401 for why there is none.
    pub fn agent(&self) -> Result<Agent, ApiError> {
        match &self.auth {
            Ok(Some(agent)) => Ok(agent.clone()),
            Ok(None) => Err(Error::Unauthenticated("Missing Authorization header".into()).into()),
            Err(Error::Unauthenticated(m)) => Err(Error::Unauthenticated(m.clone()).into()),
            // The store could not be asked (its database is down): 503, as for any request.
            Err(e) if e.http_status() == 503 => Err(Error::Unavailable(e.to_string()).into()),
            Err(e) => Err(Error::other(e.to_string()).into()),
        }
    }

    /// The agent if the key checks out, else the anonymous viewer.
    pub fn viewer(&self) -> Agent {
        match &self.auth {
            Ok(Some(agent)) => agent.clone(),
            _ => Agent::anonymous(),
        }
    }

    /// Counts this request against a bucket: per agent when signed in, else per client
    /// address, and per concrete path as the hosted service counts (reference §5.3).
    /// On a store that keeps rate-limit windows (Postgres), the count is there, shared by
    /// every server on it.
    pub async fn limit(&self, state: &AppState, bucket: Bucket) -> Result<(), ApiError> {
        let key = match &self.auth {
            Ok(Some(agent)) => format!("agent:{}", agent.id),
            _ => format!("ip:{}", self.client_ip),
        };
        if state.plurum.rate_windows().is_none() {
            return state.limiter.check(bucket, &key, &self.path);
        }
        let Some(limit) = state.limiter.limit_of(bucket) else {
            return Ok(());
        };
        let window = format!("{}|{key}|{}", bucket.name(), self.path);
        let plurum = Arc::clone(&state.plurum);
        let (admitted, wait) = tokio::task::spawn_blocking(move || match plurum.rate_windows() {
            Some(windows) => windows.count(&window, limit.count, limit.period.duration()),
            None => Ok((true, 0)),
        })
        .await
        .unwrap_or_else(|e| Err(Error::other(e)))?;
        if admitted {
            Ok(())
        } else {
            Err(super::rate_limit::refusal(limit, wait))
        }
    }
}

/// The request body: at most the configured size (a larger one is a 413 before anything else
/// happens); its JSON is parsed only when the handler asks, after authentication.
pub(crate) struct Body(Bytes);

impl FromRequest<AppState> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let too_large = || {
            ApiError::raw(
                StatusCode::PAYLOAD_TOO_LARGE,
                crate::doors::api::detail("Request body too large"),
            )
        };
        // A declared size over the limit is refused before a byte of the body is read.
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > super::MAX_BODY_BYTES as u64) {
            return Err(too_large());
        }
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(too_large())
            }
            // The body stopped arriving (`--body-timeout`): a 408, not a bad body.
            Err(rejection) if body_timed_out(&rejection) => Err(ApiError::raw(
                StatusCode::REQUEST_TIMEOUT,
                crate::doors::api::error_message(&format!(
                    "Request timeout: the body sent nothing for {} s",
                    state.body_timeout.as_secs_f64()
                )),
            )),
            Err(rejection) => Err(Error::invalid("body", rejection.body_text()).into()),
        }
    }
}

/// Whether reading the body failed because it stopped arriving (the request body timeout).
fn body_timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

impl Body {
    /// The body as any JSON value; an empty body is `null`.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.0.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&self.0)
            .map_err(|e| Error::invalid("body", format!("is not valid JSON: {e}")).into())
    }

    /// The body as the fields of a JSON object, read by the doors' one argument reader.
    pub fn object(&self) -> Result<Args, ApiError> {
        Ok(Args::from_body(self.json()?)?)
    }
}

/// Query-string parameters, with the same typed access.
pub(crate) struct Query(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e| Error::invalid("query", e.body_text()).into())
    }
}

impl Query {
    pub fn str(&self, key: &str) -> Option<String> {
        self.0.get(key).filter(|v| !v.is_empty()).cloned()
    }

    pub fn i64(&self, key: &str, default: i64) -> Result<i64, ApiError> {
        match self.0.get(key) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| Error::invalid(key, format!("must be an integer, got {v:?}")).into()),
        }
    }

    pub fn bool(&self, key: &str) -> Result<bool, ApiError> {
        match self.0.get(key).map(|v| v.to_ascii_lowercase()) {
            None => Ok(false),
            Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => Ok(true),
            Some(v) if ["false", "0", "no", "off"].contains(&v.as_str()) => Ok(false),
            Some(v) => Err(Error::invalid(key, format!("must be true or false, got {v:?}")).into()),
        }
    }
}
