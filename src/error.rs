//! One error type for the whole library. Every front door maps it the same way:
//! the CLI to an exit code, `plurum serve` to an HTTP status, MCP to a tool error.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or request was malformed (exit 2).
    #[error("{0}")]
    Usage(String),

    /// The named resource does not exist or is not readable by the caller (exit 3, HTTP 404).
    #[error("{resource} not found: {identifier}")]
    NotFound {
        resource: &'static str,
        identifier: String,
    },

    /// Input failed validation; `field` is the path of the offending value (exit 4, HTTP 422).
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },

    /// The caller may not do this, e.g. archive another agent's experience (exit 5, HTTP 403).
    #[error("{0}")]
    Forbidden(String),

    /// The resource already exists, e.g. a taken username (exit 6, HTTP 409).
    #[error("{0}")]
    Conflict(String),

    /// The resource is in a state that does not allow this, e.g. publishing a published
    /// experience or logging to a closed session (exit 6; HTTP 422 as the hosted API does).
    #[error("{0}")]
    StateConflict(String),

    /// A remote collective could not be reached or answered with an error (exit 7).
    #[error("{0}")]
    Remote(String),

    /// The caller has no valid credentials (HTTP 401; exit 5 on the CLI).
    #[error("{0}")]
    Unauthenticated(String),

    /// A failure the store's database reported, sorted by the backend that met it (each
    /// backend maps its own driver's errors; nothing above the store names a driver).
    #[error("database error: {message}")]
    Store {
        failure: StoreFailure,
        message: String,
    },

    /// The store's database cannot be reached now (HTTP 503; exit 1): retry later.
    #[error("{0}")]
    Unavailable(String),

    #[error("{0}")]
    Io(#[from] std::io::Error),

    #[error("{0}")]
    Other(String),
}

/// What kind of failure a store's database reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFailure {
    /// Worth running again as it is: a serialization failure, a deadlock, a lock held too
    /// long (HTTP 503).
    Transient,
    /// A constraint the data broke (a duplicate key, a foreign key).
    Constraint,
    /// The short id drawn for a new record is another's: draw another (see
    /// `ops::with_fresh_short_id`).
    ShortIdTaken,
    /// The store cannot be written: a read-only file or database.
    ReadOnly,
    /// The disk or file system refused the write (full, a size limit, an I/O error).
    Full,
    /// Anything else.
    Other,
}

/// The message the hosted API uses when the secret scan fires.
pub const SECRET_MESSAGE: &str =
    "Potential API key detected; remove credentials before submitting.";

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        let field = field.into();
        Error::Invalid {
            message: format!("{field}: {message}"),
            field: Some(field),
        }
    }

    pub fn secret(field: impl Into<String>) -> Self {
        let field = field.into();
        Error::Invalid {
            message: format!("{SECRET_MESSAGE} (field: {field})"),
            field: Some(field),
        }
    }

    pub fn not_found(resource: &'static str, identifier: impl Into<String>) -> Self {
        Error::NotFound {
            resource,
            identifier: identifier.into(),
        }
    }

    pub fn other(message: impl std::fmt::Display) -> Self {
        Error::Other(message.to_string())
    }

    /// What a store answers when a new record's short id is another's (nothing written;
    /// the caller draws another).
    pub fn short_id_taken(short_id: &str) -> Self {
        Error::Store {
            failure: StoreFailure::ShortIdTaken,
            message: format!("short id {short_id} is taken"),
        }
    }

    /// The same error with `note` added to its message (its kind, exit code and HTTP status
    /// unchanged): for failures whose plain message would not tell the whole story.
    pub fn noting(self, note: &str) -> Self {
        let add = |m: String| format!("{m}; {note}");
        match self {
            Error::Usage(m) => Error::Usage(add(m)),
            Error::Invalid { message, field } => Error::Invalid {
                message: add(message),
                field,
            },
            Error::Forbidden(m) => Error::Forbidden(add(m)),
            Error::Conflict(m) => Error::Conflict(add(m)),
            Error::StateConflict(m) => Error::StateConflict(add(m)),
            Error::Remote(m) => Error::Remote(add(m)),
            Error::Unauthenticated(m) => Error::Unauthenticated(add(m)),
            Error::Other(m) => Error::Other(add(m)),
            Error::Unavailable(m) => Error::Unavailable(add(m)),
            Error::Store { failure, message } => Error::Store {
                failure,
                message: add(message),
            },
            other @ Error::Io(_) => Error::Other(add(other.to_string())),
            not_found @ Error::NotFound { .. } => not_found,
        }
    }

    /// Exit codes are part of the contract with agents; see the README.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::NotFound { .. } => 3,
            Error::Invalid { .. } => 4,
            Error::Forbidden(_) | Error::Unauthenticated(_) => 5,
            Error::Conflict(_) | Error::StateConflict(_) => 6,
            Error::Remote(_) => 7,
            Error::Store { .. } | Error::Unavailable(_) | Error::Io(_) | Error::Other(_) => 1,
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Error::Usage(_) | Error::Invalid { .. } | Error::StateConflict(_) => 422,
            Error::NotFound { .. } => 404,
            Error::Forbidden(_) => 403,
            Error::Conflict(_) => 409,
            Error::Unauthenticated(_) => 401,
            Error::Remote(_) => 502,
            Error::Unavailable(_)
            | Error::Store {
                failure: StoreFailure::Transient,
                ..
            } => 503,
            Error::Store { .. } | Error::Io(_) | Error::Other(_) => 500,
        }
    }
}
