//! The secret scan: nothing that looks like a live credential is ever written, and captured
//! text (a failing command's output) is redacted before it is kept.
//!
//! One table, [`FORMATS`], names every shape the scan knows, each with a class:
//! - **distinctive** ([`Class::Distinctive`]): a provider's key format (OpenAI, Anthropic,
//!   GitHub, Slack, Stripe, Google, Hugging Face, GitLab, npm, AWS, plurum), PEM private
//!   keys, and credentials embedded in connection strings (`scheme://user:password@host`).
//!   A document holding one is refused ([`check`], [`find_secret`]) and captured text has it
//!   redacted ([`redact`]).
//! - **generic** ([`Class::Generic`]): shapes that usually carry a credential but prove
//!   nothing on their own (`Authorization: Bearer …`, JWTs, `password=…`, `--password …`,
//!   `mysql -p…`, `token=…`, `api_key=…`): redacted in captured text, never a reason to
//!   refuse a document.
//!
//! The formats marked `legacy` are what the scan refused before the table grew (the hosted
//! service's six key formats, reference §5.1, PEM keys and URL credentials): moving a record
//! stored before (`import`, `copy`, `pull`) refuses only those ([`Scope::Legacy`]) and
//! carries a record holding only a newer format, naming it ([`carried_note`]); nothing new
//! can be published with one ([`Scope::Publish`]).
//!
//! Every string value of a JSON document is searched (object keys are not). Obvious
//! placeholders (`YOUR_API_KEY`, `<password>`, `${DB_PASSWORD}`, `AKIAIOSFODNN7EXAMPLE`,
//! `xxxx…`) pass. Local development defaults pass too: a connection string whose password
//! equals its user name or is a well-known container default (`LOCAL_DEFAULT_PASSWORDS`),
//! pointing at a local host (`localhost`, 127.0.0.0/8, `::1`, or a bare service name such as
//! `db`), as in `postgres://postgres:postgres@localhost:5432/test` (see `is_local_default`).
//! A hit reports the field path only; the secret itself is never echoed.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::error::Error;

/// Whether a format refuses a document or is only redacted from captured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A provider's format (or a PEM key, or a URL credential): refused at publish and
    /// redacted in captured text.
    Distinctive,
    /// A shape that often carries a credential (`password=…`, `Bearer …`): redacted in
    /// captured text only, never a reason to refuse.
    Generic,
}

/// Which distinctive formats a check refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What the scan refused before the table grew (the formats marked `legacy`): for
    /// records stored before, moved by `import`, `copy` and `pull`.
    Legacy,
    /// Every distinctive format: for anything written or sent anew (publish, session
    /// entries, outcome reports, push).
    Publish,
}

/// How a format's matches are judged and which part of them is the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Judge {
    /// A provider key: the whole match (or its `s` group), judged as the token it sits in,
    /// so `sk-YOUR_KEY_HERE_…` counts as a placeholder.
    Key,
    /// A PEM private-key block: never a placeholder; redacted through its END line.
    Pem,
    /// `scheme://user:password@host`: the password (group 2), unless a placeholder or a
    /// local development default.
    Url,
    /// The `s` group of a `key=value` or header shape, unless a placeholder or too plain
    /// to be a credential (see [`Strength`]).
    Value(Strength),
}

/// How random a value must look to be taken for a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Anything but a placeholder (a password may be `hunter2`).
    Any,
    /// Letters and digits, or inner punctuation (`abc.def`), at least 6 characters.
    Token,
    /// At least 8 characters, with a letter and a digit (`max_tokens: 4096` is not one).
    Random,
    /// Upper case, lower case and a digit (an AWS secret; a 40-hex SHA-1 is not one).
    Mixed,
}

/// One format the scan knows.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// What a redaction calls it: `[REDACTED openai key]`.
    pub name: &'static str,
    pub class: Class,
    /// Refused before the table grew: moving a record stored before still refuses it.
    pub legacy: bool,
    /// The regular expression (case-sensitive unless it says `(?i)`); a group named `s`,
    /// when there is one, is the secret, the rest its context.
    pub pattern: &'static str,
    judge: Judge,
}

const fn format(
    name: &'static str,
    class: Class,
    legacy: bool,
    pattern: &'static str,
    judge: Judge,
) -> Format {
    Format {
        name,
        class,
        legacy,
        pattern,
        judge,
    }
}

use Class::{Distinctive, Generic};

/// Every format, in priority order: where two match at one place, the earlier names the
/// redaction. Provider formats follow gitleaks' rules (github.com/gitleaks/gitleaks,
/// `config/gitleaks.toml`).
pub const FORMATS: &[Format] = &[
    // The hosted service's six formats, as it matches them (reference §5.1).
    format(
        "openai key",
        Distinctive,
        true,
        r"sk-[A-Za-z0-9]{20,}",
        Judge::Key,
    ),
    format(
        "anthropic key",
        Distinctive,
        true,
        r"sk-ant-[A-Za-z0-9\-]{20,}",
        Judge::Key,
    ),
    format(
        "github token",
        Distinctive,
        true,
        r"ghp_[A-Za-z0-9]{36,}",
        Judge::Key,
    ),
    format(
        "github oauth token",
        Distinctive,
        true,
        r"gho_[A-Za-z0-9]{36,}",
        Judge::Key,
    ),
    format(
        "plurum key",
        Distinctive,
        true,
        r"plrm_live_[A-Za-z0-9\-_]{10,}",
        Judge::Key,
    ),
    format(
        "aws access key id",
        Distinctive,
        true,
        r"AKIA[0-9A-Z]{16}",
        Judge::Key,
    ),
    // Added since: carried when a record stored before holds one, refused anew.
    format(
        "openai key",
        Distinctive,
        false,
        r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}",
        Judge::Key,
    ),
    format(
        "github fine-grained token",
        Distinctive,
        false,
        r"github_pat_[A-Za-z0-9_]{82}",
        Judge::Key,
    ),
    format(
        "github app token",
        Distinctive,
        false,
        r"gh[su]_[A-Za-z0-9]{36,}",
        Judge::Key,
    ),
    format(
        "github refresh token",
        Distinctive,
        false,
        r"ghr_[A-Za-z0-9]{36,}",
        Judge::Key,
    ),
    format(
        "slack token",
        Distinctive,
        false,
        r"xox[abprs]-[0-9]{8,}-[0-9A-Za-z\-]{10,}",
        Judge::Key,
    ),
    format(
        "stripe key",
        Distinctive,
        false,
        r"(?:sk|rk)_live_[0-9A-Za-z]{16,}",
        Judge::Key,
    ),
    format(
        "google api key",
        Distinctive,
        false,
        r"AIza[0-9A-Za-z_\-]{35}",
        Judge::Key,
    ),
    format(
        "hugging face token",
        Distinctive,
        false,
        r"\bhf_[A-Za-z]{34}\b",
        Judge::Key,
    ),
    format(
        "gitlab token",
        Distinctive,
        false,
        r"\bglpat-[0-9A-Za-z_\-]{20,}",
        Judge::Key,
    ),
    format(
        "npm token",
        Distinctive,
        false,
        r"\bnpm_[A-Za-z0-9]{36}\b",
        Judge::Key,
    ),
    // An AWS secret access key is 40 characters of base64 that only its context tells
    // apart: after its variable's name, or beside an access key id.
    format(
        "aws secret access key",
        Distinctive,
        false,
        r#"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*[:=]\s*["']?(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        Judge::Value(Strength::Mixed),
    ),
    format(
        "aws secret access key",
        Distinctive,
        false,
        r"(?:AKIA|ASIA)[0-9A-Z]{16}[^A-Za-z0-9/+]{1,10}(?:[A-Za-z_]{1,40}[^A-Za-z0-9/+]{1,10})?(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
        Judge::Value(Strength::Mixed),
    ),
    // A PEM private-key block with a real body (a header alone or `...` is documentation).
    format(
        "private key",
        Distinctive,
        true,
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,200}?[A-Za-z0-9+/]{40,}",
        Judge::Pem,
    ),
    // `scheme://user:password@host`.
    format(
        "url password",
        Distinctive,
        true,
        r"[A-Za-z][A-Za-z0-9+.\-]*://([^\s:/@]+):([^\s/@]+)@([^\s/@]+)",
        Judge::Url,
    ),
    // Generic shapes: redacted from captured text, never refused.
    format(
        "jwt",
        Generic,
        false,
        r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]*",
        Judge::Key,
    ),
    format(
        "bearer token",
        Generic,
        false,
        r"(?i:\bbearer)\s+(?P<s>[A-Za-z0-9\-._~+/]+=*)",
        Judge::Value(Strength::Token),
    ),
    format(
        "password",
        Generic,
        false,
        r#"(?i:password|passwd)["']?\s*[=:]\s*["']?(?P<s>[^\s"'`&;,]+)"#,
        Judge::Value(Strength::Any),
    ),
    format(
        "password",
        Generic,
        false,
        r#"--(?i:password|passwd)\s+["']?(?P<s>[^\s"'`&;,\-][^\s"'`&;,]*)"#,
        Judge::Value(Strength::Any),
    ),
    format(
        "password",
        Generic,
        false,
        r#"\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n|;&]*?\s-p(?P<s>[^\s"'`&;,|]+)"#,
        Judge::Value(Strength::Any),
    ),
    format(
        "api key",
        Generic,
        false,
        r#"(?i:api[_\-]?key|access[_\-]?key|secret[_\-]?key)["']?\s*[=:]\s*["']?(?P<s>[^\s"'`&;,]+)"#,
        Judge::Value(Strength::Random),
    ),
    format(
        "token",
        Generic,
        false,
        r#"(?i:token)["']?\s*[=:]\s*["']?(?P<s>[^\s"'`&;,]+)"#,
        Judge::Value(Strength::Random),
    ),
    format(
        "secret",
        Generic,
        false,
        r#"(?i:secret)["']?\s*[=:]\s*["']?(?P<s>[^\s"'`&;,]+)"#,
        Judge::Value(Strength::Random),
    ),
];

/// [`FORMATS`]' patterns, compiled, in the same order.
static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    FORMATS
        .iter()
        .map(|f| Regex::new(f.pattern).expect("valid pattern"))
        .collect()
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

/// One match of a format: the byte range that is the secret.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    format: usize,
}

/// The end of the token a key starting at `from` sits in (letters, digits, `_`, `-`).
fn token_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(text.len(), |i| from + i)
}

/// The end of a PEM block whose match ends at `m_end`: through its END line, or through the
/// base64 that follows when it has none.
fn pem_end(text: &str, m_end: usize) -> usize {
    if let Some(i) = text[m_end..].find("-----END ") {
        let after = m_end + i + "-----END ".len();
        if let Some(j) = text[after..].find("-----") {
            return after + j + "-----".len();
        }
    }
    text[m_end..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\n' | '\r')))
        .map_or(text.len(), |i| m_end + i)
}

/// Words that stand where a password would in code and its errors, holding none.
const NOT_VALUES: &[&str] = &[
    "str",
    "string",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "undefined",
    "required",
    "optional",
    "bytes",
    "secretstr",
];

/// Does a value look enough like a credential for its format?
fn strong_enough(value: &str, strength: Strength) -> bool {
    let has = |f: fn(&char) -> bool| value.chars().any(|c| f(&c));
    let letter = has(char::is_ascii_alphabetic);
    let digit = has(char::is_ascii_digit);
    match strength {
        // A type or a keyword in code (`password: str`, `password=None`) is not a value.
        Strength::Any => !NOT_VALUES.contains(&value.to_ascii_lowercase().as_str()),
        Strength::Token => {
            value.len() >= 6
                && ((letter && digit)
                    || value
                        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
                        .contains(['.', '-', '_', '~', '+', '/']))
        }
        Strength::Random => value.len() >= 8 && letter && digit,
        Strength::Mixed => has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && digit,
    }
}

/// Every match of format `index` in `text` that is not a placeholder.
fn hits_of(text: &str, index: usize, out: &mut Vec<Hit>) {
    let format = &FORMATS[index];
    for c in COMPILED[index].captures_iter(text) {
        let m = c.get(0).expect("a match");
        let hit = |start, end| Hit {
            start,
            end,
            format: index,
        };
        match format.judge {
            Judge::Key => {
                let part = c.name("s").unwrap_or(m);
                let end = token_end(text, part.end());
                if !is_placeholder(&text[part.start()..end]) {
                    out.push(hit(part.start(), end));
                }
            }
            Judge::Pem => out.push(hit(m.start(), pem_end(text, m.end()))),
            Judge::Url => {
                if !is_placeholder(&c[2]) && !is_local_default(&c[1], &c[2], &c[3]) {
                    let password = c.get(2).expect("a password");
                    out.push(hit(password.start(), password.end()));
                }
            }
            Judge::Value(strength) => {
                let Some(value) = c.name("s") else { continue };
                // A sentence's full stop is not part of the value.
                let trimmed = value.as_str().trim_end_matches('.');
                if trimmed.is_empty()
                    || trimmed.starts_with("[REDACTED")
                    || is_placeholder(trimmed)
                    || !strong_enough(trimmed, strength)
                {
                    continue;
                }
                out.push(hit(value.start(), value.start() + trimmed.len()));
            }
        }
    }
}

/// Is format `f` refused in `scope`?
fn refused_in(f: &Format, scope: Scope) -> bool {
    f.class == Class::Distinctive && (scope == Scope::Publish || f.legacy)
}

/// The names of the formats refused in `scope` that `text` holds, in table order, each once.
pub fn secret_names(text: &str, scope: Scope) -> Vec<&'static str> {
    let mut names = Vec::new();
    let mut hits = Vec::new();
    for (i, f) in FORMATS.iter().enumerate() {
        if !refused_in(f, scope) {
            continue;
        }
        hits.clear();
        hits_of(text, i, &mut hits);
        if !hits.is_empty() && !names.contains(&f.name) {
            names.push(f.name);
        }
    }
    names
}

/// Does this string hold something that `scope` refuses?
pub fn contains_secret_in(text: &str, scope: Scope) -> bool {
    let mut hits = Vec::new();
    FORMATS.iter().enumerate().any(|(i, f)| {
        refused_in(f, scope) && {
            hits.clear();
            hits_of(text, i, &mut hits);
            !hits.is_empty()
        }
    })
}

/// Does this string contain something that looks like a live credential (any distinctive
/// format: what publishing refuses)?
pub fn contains_secret(text: &str) -> bool {
    contains_secret_in(text, Scope::Publish)
}

/// Finds the path of the first string value holding what `scope` refuses, e.g.
/// `artifacts[0].code`. `root` prefixes the path.
pub fn find_secret_in(value: &Value, root: &str, scope: Scope) -> Option<String> {
    match value {
        Value::String(s) => contains_secret_in(s, scope).then(|| root.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_secret_in(item, &format!("{root}[{i}]"), scope)),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if root.is_empty() {
                key.clone()
            } else {
                format!("{root}.{key}")
            };
            find_secret_in(item, &path, scope)
        }),
        _ => None,
    }
}

/// Finds the path of the first string value holding a secret (every distinctive format),
/// e.g. `artifacts[0].code`. `root` prefixes the path (`experience` on the HTTP API, empty
/// on the CLI).
pub fn find_secret(value: &Value, root: &str) -> Option<String> {
    find_secret_in(value, root, Scope::Publish)
}

/// [`find_secret`] with only the formats refused before the table grew: for records stored
/// before, moved by `import`, `copy` and `pull`.
pub fn find_secret_legacy(value: &Value, root: &str) -> Option<String> {
    find_secret_in(value, root, Scope::Legacy)
}

/// Refuses a document that holds what `scope` refuses, naming the field and never the
/// secret.
pub fn check_in(value: &Value, root: &str, scope: Scope) -> Result<(), Error> {
    match find_secret_in(value, root, scope) {
        Some(path) => Err(Error::secret(path)),
        None => Ok(()),
    }
}

/// Refuses a document that holds a secret, naming the field and never the secret.
pub fn check(value: &Value, root: &str) -> Result<(), Error> {
    check_in(value, root, Scope::Publish)
}

/// [`check`] for a record stored before: refuses only what the scan refused before the
/// table grew (see [`carried_note`] for the rest).
pub fn check_legacy(value: &Value, root: &str) -> Result<(), Error> {
    check_in(value, root, Scope::Legacy)
}

/// The names of the distinctive formats added since the legacy set (refused at publish,
/// carried when a record stored before holds one) that `value`'s strings hold, in table
/// order, each once.
pub fn carried_formats(value: &Value) -> Vec<&'static str> {
    fn walk(value: &Value, names: &mut Vec<&'static str>) {
        match value {
            Value::String(s) => {
                let mut hits = Vec::new();
                for (i, f) in FORMATS.iter().enumerate() {
                    if f.class != Class::Distinctive || f.legacy || names.contains(&f.name) {
                        continue;
                    }
                    hits.clear();
                    hits_of(s, i, &mut hits);
                    if !hits.is_empty() {
                        names.push(f.name);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, names)),
            Value::Object(map) => map.values().for_each(|v| walk(v, names)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    walk(value, &mut names);
    names
}

/// "a github fine-grained token", "an openai key and a slack token".
pub fn describe(names: &[&str]) -> String {
    let one = |n: &&str| {
        let article = if n.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {n}")
    };
    let parts: Vec<String> = names.iter().map(one).collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The warning for a record stored before that is carried although it holds a format
/// added since (see [`carried_formats`]), or `None` when it holds none. `record` names it:
/// `line 12 (experience ab12cd34)`.
pub fn carried_note(value: &Value, record: &str) -> Option<String> {
    let names = carried_formats(value);
    (!names.is_empty()).then(|| {
        format!(
            "{record}: carried although it holds what looks like {}; nothing new can be \
             published with it",
            describe(&names)
        )
    })
}

/// Captured text with every credential-looking part replaced, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Redacted {
    /// The text, each hit replaced in place by `[REDACTED <name>]`.
    pub text: String,
    /// The names in the `[REDACTED …]` marks, in the order they first appear, each once.
    pub found: Vec<&'static str>,
}

/// Replaces each hit of every format (distinctive and generic, PEM keys and URL credentials
/// included) with `[REDACTED <name>]`, keeping the text around it: of a `key=value` or a
/// header, only the value. Placeholders are left alone, and so is a `[REDACTED …]` marker:
/// redacting twice gives the text redacting once gave.
pub fn redact(text: &str) -> Redacted {
    let mut hits = Vec::new();
    for i in 0..FORMATS.len() {
        hits_of(text, i, &mut hits);
    }
    // Earliest first; at one place, the table's order names it. A hit overlapping the one
    // before joins it, so every hit is covered whole under the first one's name.
    hits.sort_by_key(|h| (h.start, h.format));
    let mut spans: Vec<Hit> = Vec::new();
    for h in hits {
        match spans.last_mut() {
            Some(last) if h.start < last.end => last.end = last.end.max(h.end),
            _ => spans.push(h),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut found: Vec<&'static str> = Vec::new();
    let mut at = 0;
    for span in spans {
        let name = FORMATS[span.format].name;
        out.push_str(&text[at..span.start]);
        out.push_str(&format!("[REDACTED {name}]"));
        at = span.end;
        if !found.contains(&name) {
            found.push(name);
        }
    }
    out.push_str(&text[at..]);
    Redacted { text: out, found }
}

/// [`redact`] on every string value of a JSON document (object keys are left as they are);
/// returns the names found, each once.
pub fn redact_value(value: &mut Value) -> Vec<&'static str> {
    fn walk(value: &mut Value, found: &mut Vec<&'static str>) {
        match value {
            Value::String(s) => {
                let r = redact(s);
                if !r.found.is_empty() {
                    *s = r.text;
                    for name in r.found {
                        if !found.contains(&name) {
                            found.push(name);
                        }
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, found)),
            Value::Object(map) => map.values_mut().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &mut found);
    found
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

    /// Deterministic filler for fake keys, made at run time so the repository holds no
    /// literal key: `n` characters drawn from `alphabet`.
    fn fake(alphabet: &str, n: usize, seed: u64) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                chars[((state >> 33) % chars.len() as u64) as usize]
            })
            .collect()
    }

    const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWZabcdefghijkmnopqrstuvwz0123456789";
    const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWZ234567";
    const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWZabcdefghijkmnopqrstuvwz";
    const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWZabcdefghijkmnopqrstuvwz0123456789/+";
    const DIGITS: &str = "0123456789";

    /// A random-looking run with at least one upper-case letter, lower-case letter and digit.
    fn mixed(alphabet: &str, n: usize, seed: u64) -> String {
        format!("Q7k{}", fake(alphabet, n - 3, seed))
    }

    /// One (positive, placeholder) pair per entry of `FORMATS`, in the table's order.
    fn cases() -> Vec<(String, String)> {
        let x = |n: usize| "x".repeat(n);
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
            fake(BASE64, 64, 1)
        );
        vec![
            // openai key (legacy)
            (
                format!("export OPENAI_API_KEY=sk-{}", fake(ALNUM, 48, 2)),
                format!("sk-{}", x(24)),
            ),
            // anthropic key
            (
                format!(
                    "key sk-ant-api03-{}-{}",
                    fake(ALNUM, 40, 3),
                    fake(ALNUM, 20, 4)
                ),
                format!("sk-ant-api03-{}", x(30)),
            ),
            // github token
            (
                format!("ghp_{}", fake(ALNUM, 36, 5)),
                format!("ghp_{}", x(36)),
            ),
            // github oauth token
            (
                format!("gho_{}", fake(ALNUM, 36, 6)),
                format!("gho_{}", x(36)),
            ),
            // plurum key
            (
                format!("plrm_live_{}", fake(ALNUM, 24, 7)),
                "plrm_live_YOUR_KEY_HERE".into(),
            ),
            // aws access key id
            (
                format!("AKIA{}", fake(UPPER, 16, 8)),
                "AKIAIOSFODNN7EXAMPLE".into(),
            ),
            // openai key (project, service account, admin)
            (
                format!(
                    "{}{}_{}-{}",
                    ["sk-", "proj-"].concat(),
                    fake(ALNUM, 40, 9),
                    fake(ALNUM, 30, 10),
                    fake(ALNUM, 20, 11)
                ),
                format!("sk-proj-YOUR_OPENAI_KEY_{}", x(20)),
            ),
            // github fine-grained token
            (
                format!(
                    "{}{}_{}",
                    ["github", "_pat_"].concat(),
                    fake(ALNUM, 22, 12),
                    fake(ALNUM, 59, 13)
                ),
                format!("github_pat_{}", x(82)),
            ),
            // github app token
            (
                format!("ghs_{}", fake(ALNUM, 36, 14)),
                format!("ghu_{}", x(36)),
            ),
            // github refresh token
            (
                format!("ghr_{}", fake(ALNUM, 36, 15)),
                format!("ghr_{}", x(36)),
            ),
            // slack token
            (
                format!(
                    "xoxb-{}-{}-{}",
                    fake(DIGITS, 12, 16),
                    fake(DIGITS, 13, 17),
                    fake(ALNUM, 24, 18)
                ),
                format!("xoxb-000000000000-{}", x(24)),
            ),
            // stripe key
            (
                format!("{}{}", ["sk_", "live_"].concat(), fake(ALNUM, 24, 19)),
                format!("rk_live_{}", x(24)),
            ),
            // google api key
            (
                format!("key={}{}", "AI", ["za", &fake(ALNUM, 35, 20)].concat()),
                format!("AIzaSy{}", "X".repeat(33)),
            ),
            // hugging face token
            (
                format!("HF_TOKEN=hf_{}", fake(LETTERS, 34, 21)),
                format!("hf_{}", x(34)),
            ),
            // gitlab token
            (
                format!("glpat-{}", fake(ALNUM, 20, 22)),
                format!("glpat-{}", x(20)),
            ),
            // npm token
            (
                format!(
                    "//registry.npmjs.org/:_authToken=npm_{}",
                    fake(ALNUM, 36, 23)
                ),
                format!("npm_{}", x(36)),
            ),
            // aws secret access key, after its name
            (
                format!("aws_secret_access_key = {}", mixed(BASE64, 40, 24)),
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            ),
            // aws secret access key, beside its id
            (
                format!("ASIA{},{}\n", fake(UPPER, 16, 25), mixed(BASE64, 40, 26)),
                format!(
                    "ASIA{},wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    fake(UPPER, 16, 25)
                ),
            ),
            // private key
            (
                pem,
                "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----".into(),
            ),
            // url password
            (
                format!(
                    "DATABASE_URL=postgres://app:{}@db.internal:5432/app",
                    mixed(ALNUM, 12, 27)
                ),
                "postgres://app:<password>@db.internal/app".into(),
            ),
            // jwt
            (
                format!(
                    "eyJ{}.eyJ{}.{}",
                    fake(ALNUM, 20, 28),
                    fake(ALNUM, 40, 29),
                    fake(ALNUM, 43, 30)
                ),
                format!("eyJ{}.eyJ{}.{}", x(12), x(12), x(12)),
            ),
            // bearer token
            (
                format!(
                    "curl -H 'Authorization: Bearer {}' https://api.internal",
                    mixed(ALNUM, 32, 31)
                ),
                "curl -H \"Authorization: Bearer $API_TOKEN\" https://api.internal".into(),
            ),
            // password=
            (
                "PGPASSWORD=hunter2 psql -h db".into(),
                "PGPASSWORD=${DB_PASSWORD} psql -h db".into(),
            ),
            // --password value
            (
                "redis-cli --password hunter2 ping".into(),
                "redis-cli --password <password> ping".into(),
            ),
            // mysql -p
            (
                "mysql -u root -phunter2 app".into(),
                "mysql -u root -p$MYSQL_PWD app".into(),
            ),
            // api key
            (
                format!("api_key={}", mixed(ALNUM, 32, 32)),
                "api_key=YOUR_API_KEY".into(),
            ),
            // token
            (
                format!("access_token: {}", mixed(ALNUM, 32, 33)),
                "access_token: ${TOKEN}".into(),
            ),
            // secret
            (
                format!("client_secret=\"{}\"", mixed(ALNUM, 32, 34)),
                "client_secret=\"<secret>\"".into(),
            ),
        ]
    }

    fn hits_of_format(text: &str, index: usize) -> usize {
        let mut hits = Vec::new();
        hits_of(text, index, &mut hits);
        hits.len()
    }

    #[test]
    fn every_format_catches_a_key_and_lets_a_placeholder_pass() {
        let cases = cases();
        assert_eq!(cases.len(), FORMATS.len(), "one case per table entry");
        for (i, (positive, placeholder)) in cases.iter().enumerate() {
            let f = &FORMATS[i];
            assert!(
                hits_of_format(positive, i) > 0,
                "{} misses {positive}",
                f.name
            );
            assert_eq!(
                hits_of_format(placeholder, i),
                0,
                "{} takes {placeholder}",
                f.name
            );
            assert!(
                redact(positive).found.contains(&f.name),
                "{}: {positive}",
                f.name
            );
            assert!(
                !redact(placeholder).found.contains(&f.name),
                "{}: {placeholder}",
                f.name
            );
            // Distinctive formats refuse a document; generic ones never do.
            assert_eq!(
                contains_secret(positive),
                f.class == Class::Distinctive,
                "{}: {positive}",
                f.name
            );
            assert!(!contains_secret(placeholder), "{}: {placeholder}", f.name);
        }
    }

    #[test]
    fn the_legacy_scope_refuses_what_the_scan_refused_before_and_no_more() {
        for (i, (positive, _)) in cases().iter().enumerate() {
            let f = &FORMATS[i];
            if f.class == Class::Generic {
                continue;
            }
            assert!(contains_secret_in(positive, Scope::Publish), "{}", f.name);
            assert_eq!(
                contains_secret_in(positive, Scope::Legacy),
                f.legacy,
                "{}: {positive}",
                f.name
            );
            let doc = json!({"goal": "g", "artifacts": [{"code": positive}]});
            assert_eq!(find_secret(&doc, "").as_deref(), Some("artifacts[0].code"));
            if f.legacy {
                assert!(check_legacy(&doc, "line 3").is_err());
                assert!(carried_formats(&doc).is_empty(), "{}", f.name);
            } else {
                assert!(check_legacy(&doc, "line 3").is_ok(), "{}", f.name);
                assert_eq!(carried_formats(&doc), vec![f.name]);
            }
        }
    }

    #[test]
    fn a_carried_record_is_named_with_what_it_holds() {
        let pat = format!("{}{}", ["github", "_pat_"].concat(), fake(ALNUM, 82, 40));
        let slack = format!(
            "xoxp-{}-{}-{}",
            fake(DIGITS, 10, 41),
            fake(DIGITS, 10, 42),
            fake(ALNUM, 32, 43)
        );
        let doc = json!({"goal": "g", "tags": [pat], "solution": format!("token {slack}")});
        assert_eq!(
            carried_note(&doc, "line 12 (experience ab12cd34)").as_deref(),
            Some(
                "line 12 (experience ab12cd34): carried although it holds what looks like a \
                 github fine-grained token and a slack token; nothing new can be published with it"
            )
        );
        assert_eq!(
            carried_note(&json!({"goal": "password=hunter2"}), "x"),
            None
        );
        assert_eq!(describe(&["openai key"]), "an openai key");
        assert_eq!(describe(&["a", "b", "c"]), "an a, a b and a c");
    }

    #[test]
    fn redaction_keeps_the_text_around_each_hit() {
        let openai = format!("{}{}", ["sk-", "proj-"].concat(), fake(ALNUM, 40, 50));
        let jwt = format!(
            "eyJ{}.eyJ{}.{}",
            fake(ALNUM, 20, 51),
            fake(ALNUM, 30, 52),
            fake(ALNUM, 20, 53)
        );
        let text = format!(
            "$ OPENAI_API_KEY={openai} curl -H 'Authorization: Bearer {jwt}' -d password=hunter2 \
             https://api.internal\nError: 401 (token expired)"
        );
        let r = redact(&text);
        assert_eq!(
            r.text,
            "$ OPENAI_API_KEY=[REDACTED openai key] curl -H 'Authorization: Bearer [REDACTED jwt]' \
             -d password=[REDACTED password] https://api.internal\nError: 401 (token expired)"
        );
        assert_eq!(r.found, vec!["openai key", "jwt", "password"]);

        let url = format!(
            "git clone https://bot:{}@git.internal/x.git",
            mixed(ALNUM, 16, 54)
        );
        assert_eq!(
            redact(&url).text,
            "git clone https://bot:[REDACTED url password]@git.internal/x.git"
        );
        let pem = cases()[18].0.clone();
        let r = redact(&format!("before\n{pem}\nafter"));
        assert_eq!(r.text, "before\n[REDACTED private key]\nafter");
        // A key used as a password is named by its format.
        let ghp = format!("ghp_{}", fake(ALNUM, 36, 55));
        assert_eq!(
            redact(&format!("token={ghp}")).text,
            "token=[REDACTED github token]"
        );
        assert_eq!(
            redact(&format!("https://x:{ghp}@github.com")).text,
            "https://x:[REDACTED github token]@github.com"
        );
        let text = "def login(user: str, password: str = None) -> bool\n\
                    nothing to see: max_tokens: 4096, docker run -p 8080:80 -v $PWD:/app, \
                    Bearer tokens expire, commit 4f1c2a7e9b0d3c5a6f8e1d2c3b4a5f6e7d8c9b0a";
        assert_eq!(
            redact(text),
            Redacted {
                text: text.into(),
                found: vec![]
            }
        );
    }

    #[test]
    fn redaction_is_idempotent_and_its_marks_are_never_hits() {
        let mut all: Vec<String> = cases().into_iter().flat_map(|(p, h)| [p, h]).collect();
        all.push(all.join("\n"));
        for text in all {
            let once = redact(&text);
            assert!(!contains_secret(&once.text), "left a secret: {}", once.text);
            let twice = redact(&once.text);
            assert_eq!(twice.text, once.text);
            assert!(twice.found.is_empty(), "{:?} in {}", twice.found, once.text);
        }
        for name in FORMATS.iter().map(|f| f.name) {
            for text in [
                format!("[REDACTED {name}]"),
                format!("password=[REDACTED {name}]"),
                format!("Authorization: Bearer [REDACTED {name}]"),
                format!("api_key: \"[REDACTED {name}]\""),
                format!("postgres://app:[REDACTED {name}]@db.internal/app"),
            ] {
                assert_eq!(redact(&text).text, text);
                assert!(!contains_secret(&text), "{text}");
            }
        }
        let mut doc =
            json!({"what": "mysql -u root -phunter2", "n": 3, "list": ["ok", "password: hunter2"]});
        assert_eq!(redact_value(&mut doc), vec!["password"]);
        assert_eq!(
            doc,
            json!({"what": "mysql -u root -p[REDACTED password]", "n": 3, "list": ["ok", "password: [REDACTED password]"]})
        );
    }
}
