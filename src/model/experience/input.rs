//! Reading an experience from the API's request shape (reference §3.2 create), with
//! validation as §2.5 and errors that name the offending field by its path.
//!
//! Lenient where the docs are: dead ends, breakthroughs and gotchas may be plain strings,
//! and `why`/`detail` may be omitted. Strict where a mistake is certain: wrong types, empty
//! required text, out-of-range numbers, unknown enum values.

use serde_json::{Map, Value};

use super::types::*;
use crate::error::{Error, Result};

/// Largest accepted experience, as the hosted API's request-body limit (5 MiB).
pub const MAX_EXPERIENCE_BYTES: usize = 5 * 1024 * 1024;
pub const GOAL_CHARS: (usize, usize) = (10, 2000);
pub const DOMAIN_MAX_CHARS: usize = 100;
pub const LANGUAGE_CHARS: (usize, usize) = (1, 50);

/// The top-level fields an experience may have; any other is ignored with a warning.
pub const KNOWN_FIELDS: &[&str] = &[
    "goal",
    "domain",
    "tools_used",
    "dead_ends",
    "breakthroughs",
    "gotchas",
    "context",
    "artifacts",
    "attempts",
    "solution",
    "tags",
    "confidence",
    "context_structured",
    "outcome",
    "visibility",
];

/// A parsed experience plus the top-level keys that were ignored (so callers can warn).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub experience: NewExperience,
    pub ignored_fields: Vec<String>,
}

/// Parses one experience. `prefix` is prepended to field paths (e.g. `[3]` in a bulk file).
pub fn parse_experience(value: &Value, prefix: &str) -> Result<Parsed> {
    let at = |key: &str| join(prefix, key);
    let map = as_object(
        value,
        if prefix.is_empty() {
            "experience"
        } else {
            prefix
        },
    )?;
    let size = serde_json::to_vec(value).map(|v| v.len()).unwrap_or(0);
    if size > MAX_EXPERIENCE_BYTES {
        let field = if prefix.is_empty() {
            "experience".to_string()
        } else {
            prefix.to_string()
        };
        return Err(Error::invalid(
            field,
            format!("is {size} bytes; the limit is 5 MiB"),
        ));
    }

    let goal = required_text(map, "goal", prefix)?;
    check_chars(&goal, GOAL_CHARS, &at("goal"))?;
    let domain = optional_text(map, "domain", prefix)?;
    if let Some(d) = &domain {
        check_chars(d, (1, DOMAIN_MAX_CHARS), &at("domain"))?;
    }

    let content = ExperienceContent {
        goal,
        domain,
        tools_used: string_list(map, "tools_used", prefix)?,
        dead_ends: list(map, "dead_ends", prefix, dead_end)?,
        breakthroughs: list(map, "breakthroughs", prefix, breakthrough)?,
        gotchas: list(map, "gotchas", prefix, gotcha)?,
        context: optional_text(map, "context", prefix)?,
        attempts: list(map, "attempts", prefix, attempt)?,
        solution: optional_text(map, "solution", prefix)?,
        tags: string_list(map, "tags", prefix)?,
        confidence: confidence(map, prefix)?,
        context_structured: match map.get("context_structured") {
            None | Some(Value::Null) => None,
            Some(v) => Some(context_structured(v, &at("context_structured"))?),
        },
        outcome: optional_enum(map, "outcome", prefix, Outcome::parse, Outcome::ALL)?,
        visibility: optional_enum(
            map,
            "visibility",
            prefix,
            Visibility::parse,
            Visibility::ALL,
        )?
        .unwrap_or(Visibility::Public),
    };
    let artifacts = list(map, "artifacts", prefix, artifact)?;
    let ignored_fields = map
        .keys()
        .filter(|k| !KNOWN_FIELDS.contains(&k.as_str()))
        .map(|k| at(k))
        .collect();
    Ok(Parsed {
        experience: NewExperience { content, artifacts },
        ignored_fields,
    })
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else if key.starts_with('[') {
        format!("{prefix}{key}")
    } else {
        format!("{prefix}.{key}")
    }
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn as_object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Error::invalid(
            path,
            format!("expected an object, got {}", type_name(value)),
        )
    })
}

pub(crate) fn check_chars(text: &str, (min, max): (usize, usize), path: &str) -> Result<()> {
    let n = text.chars().count();
    if n < min || n > max {
        return Err(Error::invalid(
            path,
            format!("must be between {min} and {max} characters, got {n}"),
        ));
    }
    Ok(())
}

/// A string that must be present and not blank; stored trimmed.
pub(crate) fn required_text(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<String> {
    match map.get(key) {
        None | Some(Value::Null) => Err(Error::invalid(join(prefix, key), "is required")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(Error::invalid(join(prefix, key), "must not be empty"))
        }
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(v) => Err(Error::invalid(
            join(prefix, key),
            format!("expected a string, got {}", type_name(v)),
        )),
    }
}

/// A string that may be absent, null or empty (all meaning "none"). Kept as written.
pub(crate) fn optional_text(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(Error::invalid(
            join(prefix, key),
            format!("expected a string, got {}", type_name(v)),
        )),
    }
}

/// Like `optional_text` but an absent value becomes "" (the hosted service's defaults).
fn text_or_empty(map: &Map<String, Value>, key: &str, prefix: &str) -> Result<String> {
    Ok(optional_text(map, key, prefix)?.unwrap_or_default())
}

fn optional_enum<T>(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<Option<T>> {
    match optional_text(map, key, prefix)? {
        None => Ok(None),
        Some(s) => parse(s.trim()).map(Some).ok_or_else(|| {
            Error::invalid(
                join(prefix, key),
                format!("must be one of {}, got {s:?}", all.join(", ")),
            )
        }),
    }
}

/// A list of non-blank strings: trimmed, empties dropped, duplicates removed, order kept.
pub(crate) fn string_list(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
) -> Result<Vec<String>> {
    let path = join(prefix, key);
    let items = match map.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(v) => {
            return Err(Error::invalid(
                path,
                format!("expected a list of strings, got {}", type_name(v)),
            ));
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = item.as_str().ok_or_else(|| {
            Error::invalid(
                format!("{path}[{i}]"),
                format!("expected a string, got {}", type_name(item)),
            )
        })?;
        let s = s.trim();
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    Ok(out)
}

fn list<T>(
    map: &Map<String, Value>,
    key: &str,
    prefix: &str,
    parse_item: fn(&Value, &str) -> Result<T>,
) -> Result<Vec<T>> {
    let path = join(prefix, key);
    match map.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| parse_item(item, &format!("{path}[{i}]")))
            .collect(),
        Some(v) => Err(Error::invalid(
            path,
            format!("expected a list, got {}", type_name(v)),
        )),
    }
}

/// A list item given as a bare string means its main field.
fn string_item(value: &Value, path: &str) -> Result<Option<String>> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err(Error::invalid(path, "must not be empty")),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Object(_) => Ok(None),
        v => Err(Error::invalid(
            path,
            format!("expected a string or an object, got {}", type_name(v)),
        )),
    }
}

pub(crate) fn dead_end(value: &Value, path: &str) -> Result<DeadEnd> {
    if let Some(what) = string_item(value, path)? {
        return Ok(DeadEnd {
            what,
            why: String::new(),
        });
    }
    let map = as_object(value, path)?;
    Ok(DeadEnd {
        what: required_text(map, "what", path)?,
        why: text_or_empty(map, "why", path)?,
    })
}

pub(crate) fn breakthrough(value: &Value, path: &str) -> Result<Breakthrough> {
    if let Some(insight) = string_item(value, path)? {
        return Ok(Breakthrough {
            insight,
            detail: String::new(),
            importance: "medium".into(),
        });
    }
    let map = as_object(value, path)?;
    let importance = optional_enum(map, "importance", path, Importance::parse, Importance::ALL)?
        .unwrap_or(Importance::Medium);
    Ok(Breakthrough {
        insight: required_text(map, "insight", path)?,
        detail: text_or_empty(map, "detail", path)?,
        importance: importance.as_str().to_string(),
    })
}

pub(crate) fn gotcha(value: &Value, path: &str) -> Result<Gotcha> {
    if let Some(warning) = string_item(value, path)? {
        return Ok(Gotcha {
            warning,
            context: None,
        });
    }
    let map = as_object(value, path)?;
    Ok(Gotcha {
        warning: required_text(map, "warning", path)?,
        context: optional_text(map, "context", path)?,
    })
}

pub(crate) fn artifact(value: &Value, path: &str) -> Result<Artifact> {
    let map = as_object(value, path)?;
    let language = required_text(map, "language", path)?;
    check_chars(&language, LANGUAGE_CHARS, &join(path, "language"))?;
    let code = match map.get("code") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => {
            return Err(Error::invalid(join(path, "code"), "must not be empty"));
        }
        None | Some(Value::Null) => return Err(Error::invalid(join(path, "code"), "is required")),
        Some(v) => {
            return Err(Error::invalid(
                join(path, "code"),
                format!("expected a string, got {}", type_name(v)),
            ));
        }
    };
    Ok(Artifact {
        language,
        code,
        description: optional_text(map, "description", path)?,
    })
}

fn attempt(value: &Value, path: &str) -> Result<Attempt> {
    let map = as_object(value, path)?;
    let dead_end = match map.get("dead_end") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            return Err(Error::invalid(
                join(path, "dead_end"),
                format!("expected true or false, got {}", type_name(v)),
            ));
        }
    };
    Ok(Attempt {
        action: required_text(map, "action", path)?,
        outcome: text_or_empty(map, "outcome", path)?,
        dead_end,
        insight: optional_text(map, "insight", path)?,
    })
}

fn context_structured(value: &Value, path: &str) -> Result<ContextStructured> {
    let map = as_object(value, path)?;
    Ok(ContextStructured {
        tools_used: string_list(map, "tools_used", path)?,
        environment: optional_text(map, "environment", path)?,
        constraints: optional_text(map, "constraints", path)?,
    })
}

fn confidence(map: &Map<String, Value>, prefix: &str) -> Result<Option<f64>> {
    let path = join(prefix, "confidence");
    match map.get("confidence") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if (0.0..=1.0).contains(&x) {
                Ok(Some(x))
            } else {
                Err(Error::invalid(
                    path,
                    format!("must be between 0 and 1, got {n}"),
                ))
            }
        }
        Some(v) => Err(Error::invalid(
            path,
            format!("expected a number from 0 to 1, got {}", type_name(v)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(value: Value) -> String {
        match parse_experience(&value, "").unwrap_err() {
            Error::Invalid { field, .. } => field.unwrap(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn accepts_the_full_request_shape() {
        let parsed = parse_experience(
            &json!({
                "goal": "Deploy Rust app to arm64 Kubernetes cluster",
                "domain": "infrastructure",
                "tools_used": ["rust", "kubernetes", "rust"],
                "outcome": "success",
                "attempts": [{"action": "cross", "outcome": "too big", "dead_end": true, "insight": "static"}],
                "solution": "Use cargo-zigbuild",
                "dead_ends": [{"what": "cross-compile", "why": "80MB"}, "plain string"],
                "breakthroughs": [{"insight": "zigbuild", "detail": "small", "importance": "high"}, {"insight": "x"}],
                "gotchas": ["arm64 limits", {"warning": "multi-arch", "context": "ghcr"}],
                "tags": ["rust", " arm64 ", ""],
                "confidence": 0.85,
                "context_structured": {"tools_used": ["shell"], "environment": "macOS", "constraints": null},
                "artifacts": [{"language": "bash", "code": "cargo zigbuild", "description": "cmd"}],
                "surprise": 1
            }),
            "",
        )
        .unwrap();
        let e = parsed.experience;
        assert_eq!(e.content.tools_used, vec!["rust", "kubernetes"]);
        assert_eq!(e.content.tags, vec!["rust", "arm64"]);
        assert_eq!(
            e.content.dead_ends[1],
            DeadEnd {
                what: "plain string".into(),
                why: "".into()
            }
        );
        assert_eq!(e.content.breakthroughs[1].importance, "medium");
        assert_eq!(
            e.content.gotchas[0],
            Gotcha {
                warning: "arm64 limits".into(),
                context: None
            }
        );
        assert_eq!(e.content.visibility, Visibility::Public);
        assert_eq!(e.artifacts.len(), 1);
        assert_eq!(parsed.ignored_fields, vec!["surprise"]);
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(field_of(json!({})), "goal");
        assert_eq!(field_of(json!({"goal": "short"})), "goal");
        assert_eq!(field_of(json!({"goal": 5})), "goal");
        let ok = "a perfectly fine goal";
        assert_eq!(
            field_of(json!({"goal": ok, "confidence": 1.5})),
            "confidence"
        );
        assert_eq!(field_of(json!({"goal": ok, "outcome": "meh"})), "outcome");
        assert_eq!(
            field_of(json!({"goal": ok, "visibility": "secret"})),
            "visibility"
        );
        assert_eq!(
            field_of(json!({"goal": ok, "dead_ends": [{"why": "x"}]})),
            "dead_ends[0].what"
        );
        assert_eq!(
            field_of(json!({"goal": ok, "dead_ends": [{"what": 1}]})),
            "dead_ends[0].what"
        );
        assert_eq!(
            field_of(
                json!({"goal": ok, "breakthroughs": [{"insight": "a", "importance": "huge"}]})
            ),
            "breakthroughs[0].importance"
        );
        assert_eq!(
            field_of(json!({"goal": ok, "artifacts": [{"language": "", "code": "x"}]})),
            "artifacts[0].language"
        );
        assert_eq!(
            field_of(json!({"goal": ok, "artifacts": [{"language": "x".repeat(51), "code": "x"}]})),
            "artifacts[0].language"
        );
        assert_eq!(
            field_of(json!({"goal": ok, "artifacts": [{"language": "sh"}]})),
            "artifacts[0].code"
        );
        assert_eq!(field_of(json!({"goal": ok, "tags": "rust"})), "tags");
        assert_eq!(field_of(json!({"goal": ok, "tags": ["a", 2]})), "tags[1]");
        assert_eq!(
            field_of(json!({"goal": ok, "domain": "d".repeat(101)})),
            "domain"
        );
        assert_eq!(field_of(json!({"goal": ok, "gotchas": [3]})), "gotchas[0]");
        assert_eq!(
            field_of(json!({"goal": ok, "context_structured": {"tools_used": "x"}})),
            "context_structured.tools_used"
        );
        assert_eq!(field_of(json!([1])), "experience");
    }

    #[test]
    fn bulk_prefix_is_kept() {
        let err = parse_experience(&json!({"goal": "tiny"}), "[3]").unwrap_err();
        assert!(err.to_string().starts_with("[3].goal:"), "{err}");
    }

    #[test]
    fn goal_length_counts_characters_not_bytes() {
        assert!(parse_experience(&json!({"goal": "ééééééééééé"}), "").is_ok());
        assert!(parse_experience(&json!({"goal": "é".repeat(2001)}), "").is_err());
    }
}
