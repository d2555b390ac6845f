//! Reading an experience from the API's request shape (reference §3.2 create), with
//! validation as §2.5 and errors that name the offending field by its path.
//!
//! Lenient where the docs are: dead ends, breakthroughs and gotchas may be plain strings,
//! and `why`/`detail` may be omitted. Strict where a mistake is certain: wrong types, empty
//! required text, out-of-range numbers, unknown enum values.

use serde_json::Value;

use super::types::*;
use crate::error::{Error, Result};
use crate::model::fields::{Fields, check_chars, wrong_type};

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
    let f = match value {
        Value::Object(_) => Fields::of(value, prefix)?,
        other => {
            let name = if prefix.is_empty() {
                "experience"
            } else {
                prefix
            };
            return Err(wrong_type(name, "an object", other));
        }
    };
    let size = serde_json::to_vec(value).map(|v| v.len()).unwrap_or(0);
    if size > MAX_EXPERIENCE_BYTES {
        let field = if prefix.is_empty() {
            "experience"
        } else {
            prefix
        };
        return Err(Error::invalid(
            field,
            format!("is {size} bytes; the limit is 5 MiB"),
        ));
    }

    let goal = f.required_str("goal")?;
    check_chars(&goal, GOAL_CHARS, &f.path("goal"))?;
    let domain = f.str("domain")?;
    if let Some(d) = &domain {
        check_chars(d, (1, DOMAIN_MAX_CHARS), &f.path("domain"))?;
    }

    let content = ExperienceContent {
        goal,
        domain,
        tools_used: f.strings("tools_used")?,
        dead_ends: f.list("dead_ends", dead_end)?,
        breakthroughs: f.list("breakthroughs", breakthrough)?,
        gotchas: f.list("gotchas", gotcha)?,
        context: f.str("context")?,
        attempts: f.list("attempts", attempt)?,
        solution: f.str("solution")?,
        tags: f.strings("tags")?,
        confidence: confidence(&f)?,
        context_structured: match f.raw("context_structured") {
            None => None,
            Some(v) => Some(context_structured(v, &f.path("context_structured"))?),
        },
        outcome: f.choice("outcome", Outcome::parse, Outcome::ALL)?,
        visibility: f
            .choice("visibility", Visibility::parse, Visibility::ALL)?
            .unwrap_or(Visibility::Public),
    };
    let artifacts = f.list("artifacts", artifact)?;
    let ignored_fields = f
        .keys()
        .filter(|k| !KNOWN_FIELDS.contains(&k.as_str()))
        .map(|k| f.path(k))
        .collect();
    Ok(Parsed {
        experience: NewExperience { content, artifacts },
        ignored_fields,
    })
}

/// A list item given as a bare string means its main field.
fn string_item(value: &Value, path: &str) -> Result<Option<String>> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err(Error::invalid(path, "must not be empty")),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Object(_) => Ok(None),
        v => Err(wrong_type(path, "a string or an object", v)),
    }
}

pub(crate) fn dead_end(value: &Value, path: &str) -> Result<DeadEnd> {
    if let Some(what) = string_item(value, path)? {
        return Ok(DeadEnd {
            what,
            why: String::new(),
        });
    }
    let f = Fields::of(value, path)?;
    Ok(DeadEnd {
        what: f.required_str("what")?,
        why: f.str_or_empty("why")?,
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
    let f = Fields::of(value, path)?;
    let importance = f
        .choice("importance", Importance::parse, Importance::ALL)?
        .unwrap_or(Importance::Medium);
    Ok(Breakthrough {
        insight: f.required_str("insight")?,
        detail: f.str_or_empty("detail")?,
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
    let f = Fields::of(value, path)?;
    Ok(Gotcha {
        warning: f.required_str("warning")?,
        context: f.str("context")?,
    })
}

pub(crate) fn artifact(value: &Value, path: &str) -> Result<Artifact> {
    let f = Fields::of(value, path)?;
    let language = f.required_str("language")?;
    check_chars(&language, LANGUAGE_CHARS, &f.path("language"))?;
    Ok(Artifact {
        language,
        code: f.required_verbatim("code")?,
        description: f.str("description")?,
    })
}

fn attempt(value: &Value, path: &str) -> Result<Attempt> {
    let f = Fields::of(value, path)?;
    Ok(Attempt {
        action: f.required_str("action")?,
        outcome: f.str_or_empty("outcome")?,
        dead_end: f.bool("dead_end")?.unwrap_or(false),
        insight: f.str("insight")?,
    })
}

fn context_structured(value: &Value, path: &str) -> Result<ContextStructured> {
    let f = Fields::of(value, path)?;
    Ok(ContextStructured {
        tools_used: f.strings("tools_used")?,
        environment: f.str("environment")?,
        constraints: f.str("constraints")?,
    })
}

fn confidence(f: &Fields) -> Result<Option<f64>> {
    match f.raw("confidence") {
        None => Ok(None),
        Some(v) if !v.is_number() => {
            Err(wrong_type(&f.path("confidence"), "a number from 0 to 1", v))
        }
        Some(v) => {
            let x = v.as_f64().unwrap_or(f64::NAN);
            if (0.0..=1.0).contains(&x) {
                Ok(Some(x))
            } else {
                Err(Error::invalid(
                    f.path("confidence"),
                    format!("must be between 0 and 1, got {v}"),
                ))
            }
        }
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
