//! The secret scan: nothing that looks like a live credential is ever written.
//!
//! Every string value of a JSON document is searched (object keys are not) for the six key
//! formats the hosted service rejects (reference §5.1), PEM private keys, and credentials
//! embedded in connection strings (`scheme://user:password@host`). Obvious placeholders
//! (`YOUR_API_KEY`, `<password>`, `${DB_PASSWORD}`, `AKIAIOSFODNN7EXAMPLE`, `xxxx…`) pass.
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

/// `scheme://user:password@host`; the password is checked against the placeholders below.
static URL_CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]+:([^\s/@]+)@[^\s/@]+").expect("valid pattern")
});

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
        .any(|c| !is_placeholder(&c[1]))
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
