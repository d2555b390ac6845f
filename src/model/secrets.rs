//! The secret scan: nothing that looks like a live credential is ever written.
//!
//! Every string value of a JSON document is searched (object keys are not) for the six key
//! formats the hosted service rejects (reference §5.1), PEM private keys, and credentials
//! embedded in connection strings (`scheme://user:password@host`). Obvious placeholders
//! (`YOUR_API_KEY`, `<password>`, `${DB_PASSWORD}`, `AKIAIOSFODNN7EXAMPLE`, `xxxx…`) pass.
//! Local development defaults pass too: a connection string whose password equals its user
//! name or is a well-known container default (`LOCAL_DEFAULT_PASSWORDS`), pointing at a local
//! host (`localhost`, 127.0.0.0/8, `::1`, or a bare service name such as `db`), as in
//! `postgres://postgres:postgres@localhost:5432/test` (see `is_local_default`).
//! A hit reports the field path only; the secret itself is never echoed.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::error::Error;

/// The hosted service's six provider key formats, case-sensitive.
static KEY_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"sk-[A-Za-z0-9]{20,}",
        r"sk-ant-[A-Za-z0-9\-]{20,}",
        r"ghp_[A-Za-z0-9]{36,}",
        r"gho_[A-Za-z0-9]{36,}",
        r"plrm_live_[A-Za-z0-9\-_]{10,}",
        r"AKIA[0-9A-Z]{16}",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid pattern"))
    .collect()
});

/// A PEM private-key block with a real body (a header alone or `...` is documentation).
static PEM_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/]{40,}")
        .expect("valid pattern")
});

/// `scheme://user:password@host`; the password is checked against the placeholders below,
/// and the whole credential against the local development defaults.
static URL_CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z][A-Za-z0-9+.\-]*://([^\s:/@]+):([^\s/@]+)@([^\s/@]+)")
        .expect("valid pattern")
});

/// Passwords that local containers and tutorials ship with. Not secrets when they point at a
/// local host (`is_local_default`); anywhere else they are refused like any other password.
pub const LOCAL_DEFAULT_PASSWORDS: &[&str] = &[
    "postgres",
    "guest",
    "root",
    "admin",
    "password",
    "secret",
    "test",
    "dev",
    "mysql",
    "mariadb",
    "rabbitmq",
    "redis",
    "mongo",
    "minioadmin",
    "keycloak",
    "airflow",
    "docker",
    "user",
    "pass",
];

/// True for a host that can only be this machine or a container beside it: `localhost` (and
/// `*.localhost`), 127.0.0.0/8, `::1`, or a bare service name with no dots (`db`, `postgres`).
fn is_local_host(host_port: &str) -> bool {
    let host = match host_port.strip_prefix('[') {
        // [::1]:5432
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    // Stop at whatever ends the host in prose or code: quotes, brackets, query strings.
    let host: &str = host
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':')))
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let lower = host.to_ascii_lowercase();
    if lower.is_empty() {
        return false;
    }
    if lower == "localhost" || lower.ends_with(".localhost") || lower == "::1" {
        return true;
    }
    if let Ok(ip) = lower.parse::<std::net::Ipv4Addr>() {
        return ip.is_loopback();
    }
    !lower.contains('.') && !lower.contains(':')
}

/// A local development default: the password is the user name or a well-known default, and
/// the host is local. `postgres://postgres:postgres@localhost:5432/test` passes;
/// `postgres://app:Xk39vLq8@localhost` and `postgres://postgres:postgres@db.example.com` do not.
pub fn is_local_default(user: &str, password: &str, host: &str) -> bool {
    let lower = password.to_ascii_lowercase();
    (password == user || LOCAL_DEFAULT_PASSWORDS.contains(&lower.as_str())) && is_local_host(host)
}

/// Words that are conventionally placeholders rather than values.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "pw",
    "secret",
    "token",
    "changeme",
    "redacted",
    "hidden",
    "example",
    "placeholder",
    "dummy",
    "test",
];

/// True when a matched credential is clearly a placeholder, not a live secret.
fn is_placeholder(candidate: &str) -> bool {
    let lower = candidate.to_ascii_lowercase();
    let wrapped =
        |open: char, close: char| candidate.starts_with(open) && candidate.ends_with(close);
    if wrapped('<', '>') || wrapped('{', '}') || wrapped('[', ']') || wrapped('(', ')') {
        return true;
    }
    if candidate.starts_with('$') || candidate.starts_with("%(") || candidate == "%s" {
        return true;
    }
    if [
        "your",
        "example",
        "placeholder",
        "redacted",
        "changeme",
        "xxxx",
        "****",
        "....",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) {
        return true;
    }
    // SHOUTING_SNAKE_CASE names an environment variable rather than holding a value.
    if candidate.len() >= 3
        && candidate
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_')
        && candidate.contains('_')
    {
        return true;
    }
    // A run of one or two repeated characters (`xxxxxxxx`, `00000000`) is filler.
    let mut distinct: Vec<char> = candidate.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() <= 2
}

/// Does this string contain something that looks like a live credential?
pub fn contains_secret(text: &str) -> bool {
    for pattern in KEY_PATTERNS.iter() {
        for m in pattern.find_iter(text) {
            // Judge the token the key sits in, so `sk-YOUR_KEY_HERE_…` counts as a placeholder.
            let end = text[m.end()..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .map_or(text.len(), |i| m.end() + i);
            if !is_placeholder(&text[m.start()..end]) {
                return true;
            }
        }
    }
    if PEM_KEY.is_match(text) {
        return true;
    }
    URL_CREDENTIAL
        .captures_iter(text)
        .any(|c| !is_placeholder(&c[2]) && !is_local_default(&c[1], &c[2], &c[3]))
}

/// Finds the path of the first string value holding a secret, e.g. `artifacts[0].code`.
/// `root` prefixes the path (`experience` on the HTTP API, empty on the CLI).
pub fn find_secret(value: &Value, root: &str) -> Option<String> {
    match value {
        Value::String(s) => contains_secret(s).then(|| root.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_secret(item, &format!("{root}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if root.is_empty() {
                key.clone()
            } else {
                format!("{root}.{key}")
            };
            find_secret(item, &path)
        }),
        _ => None,
    }
}

/// Refuses a document that holds a secret, naming the field and never the secret.
pub fn check(value: &Value, root: &str) -> Result<(), Error> {
    match find_secret(value, root) {
        Some(path) => Err(Error::secret(path)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_six_key_formats_are_caught() {
        let keys = [
            format!("sk-{}", "a1B2".repeat(6)),
            format!("sk-ant-api03-{}", "Zx9-".repeat(6)),
            format!("ghp_{}", "a1B2c3".repeat(6)),
            format!("gho_{}", "a1B2c3".repeat(6)),
            format!("plrm_live_{}", "Ab3-_x".repeat(3)),
            "AKIA2JFKE83NVL4QZP7W".to_string(),
        ];
        for key in keys {
            assert!(
                contains_secret(&format!("export KEY={key} # mine")),
                "{key}"
            );
        }
    }

    #[test]
    fn pem_keys_and_url_credentials_are_caught() {
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA1x".repeat(4)
        );
        assert!(contains_secret(&pem));
        assert!(contains_secret(
            "DATABASE_URL=postgres://app:s3cr3t-Pa55@db.internal:5432/app"
        ));
        assert!(contains_secret("redis://default:9fk2LmQ@cache:6379"));
    }

    #[test]
    fn placeholders_and_generic_text_pass() {
        for text in [
            "OPENAI_API_KEY=YOUR_OPENAI_API_KEY",
            "password=hunter2",
            "Authorization: Bearer this-is-an-example-token-value",
            "postgres://user:<password>@localhost/db",
            "postgres://user:${DB_PASSWORD}@localhost/db",
            "postgres://user:$PGPASSWORD@localhost/db",
            "mysql://root:PASSWORD@127.0.0.1/app",
            "postgres://app@db.internal:5432/app",
            "https://example.com/path?a=b",
            "AKIAIOSFODNN7EXAMPLE",
            "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
            "plrm_live_YOUR_KEY_HERE",
            "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
            "10.0.0.12 and 192.168.1.1",
        ] {
            assert!(!contains_secret(text), "{text}");
        }
    }

    #[test]
    fn local_development_defaults_pass_and_real_passwords_do_not() {
        // (text, is a secret)
        let table = [
            (
                "DATABASE_URL=postgres://postgres:postgres@localhost:5432/test",
                false,
            ),
            ("amqp://guest:guest@localhost:5672/", false),
            ("mysql://root:root@127.0.0.1:3306/app", false),
            ("mysql://root:mysql@127.0.0.53/app", false),
            ("redis://default:redis@[::1]:6379", false),
            ("postgres://app:app@db:5432/app", false),
            ("postgresql://postgres:postgres@postgres/test", false),
            ("mongodb://admin:admin@mongo:27017", false),
            ("amqp://guest:guest@rabbitmq:5672", false),
            ("s3://minioadmin:minioadmin@minio.localhost:9000", false),
            ("\"postgres://postgres:postgres@localhost\"", false),
            // A real-looking password, even to a local host.
            ("postgres://postgres:Xk39vLq8wQ@localhost:5432/test", true),
            ("postgres://app:s3cr3t-Pa55@db:5432/app", true),
            ("redis://default:9fk2LmQ@cache:6379", true),
            // A default password to a host that is not local.
            (
                "postgres://postgres:postgres@db.example.com:5432/test",
                true,
            ),
            ("amqp://guest:guest@10.0.0.5:5672/", true),
            ("amqp://guest:guest@rabbit.internal/", true),
            ("mysql://root:root@192.168.1.20/app", true),
            ("postgres://admin:admin@[2001:db8::1]:5432/app", true),
        ];
        for (text, secret) in table {
            assert_eq!(contains_secret(text), secret, "{text}");
        }
        assert!(is_local_host("localhost:5432"));
        assert!(is_local_host("127.1.2.3"));
        assert!(is_local_host("[::1]:6379"));
        assert!(is_local_host("db"));
        assert!(!is_local_host("db.internal"));
        assert!(!is_local_host("8.8.8.8"));
        assert!(!is_local_host(""));
    }

    #[test]
    fn paths_name_the_field_and_not_the_secret() {
        let secret = format!("ghp_{}", "a1B2c3D4e5".repeat(4));
        let doc = json!({
            "goal": "fine",
            "artifacts": [{"language": "sh", "code": format!("git clone https://{secret}@github.com/x")}],
        });
        assert_eq!(find_secret(&doc, "").as_deref(), Some("artifacts[0].code"));
        assert_eq!(
            find_secret(&doc, "experience").as_deref(),
            Some("experience.artifacts[0].code")
        );
        let err = check(&doc, "").unwrap_err();
        assert!(!err.to_string().contains(&secret));
        assert!(err.to_string().contains("artifacts[0].code"));
        let doc = json!({"tags": ["ok", "AKIA2JFKE83NVL4QZP7W"], "context_structured": {"environment": "x"}});
        assert_eq!(
            find_secret(&doc, "experience").as_deref(),
            Some("experience.tags[1]")
        );
    }
}
