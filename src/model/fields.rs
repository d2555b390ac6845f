//! Reading the fields of a JSON object: the one reader of every JSON input plurum takes (an
//! HTTP body, an MCP tool's arguments, an experience document, a session entry's content),
//! so that every door trims, de-duplicates and words its refusals alike.
//!
//! The rules: a field that is absent or `null` is not given; required text is trimmed, and
//! optional text that is blank is not given either (otherwise it is kept as written); a list
//! of strings is trimmed, with blanks and repeats dropped, order kept. Every refusal is
//! [`Error::invalid`] naming the field's path (`[3].tags[1]` in a bulk file), worded one way:
//! "is required", "must not be empty", "must be a string, got a number", "must be one of …".

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The fields of one JSON object, and the path that names them in messages.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    map: Cow<'a, Map<String, Value>>,
    prefix: String,
}

impl Fields<'static> {
    /// Fields owned (the arguments of an MCP tool call).
    pub fn new(fields: Map<String, Value>) -> Fields<'static> {
        Fields {
            map: Cow::Owned(fields),
            prefix: String::new(),
        }
    }

    /// A request body as fields: `null` (an empty body) counts as `{}`, since every such
    /// request either has defaults for all its fields or names the missing one.
    pub fn from_body(body: Value) -> Result<Fields<'static>> {
        match body {
            Value::Null => Ok(Fields::default()),
            Value::Object(fields) => Ok(Fields::new(fields)),
            other => Err(wrong_type("body", "a JSON object", &other)),
        }
    }
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object; `path` names it (and prefixes its
    /// fields' paths).
    pub fn of(value: &'a Value, path: &str) -> Result<Fields<'a>> {
        match value {
            Value::Object(map) => Ok(Fields {
                map: Cow::Borrowed(map),
                prefix: path.to_string(),
            }),
            other => Err(wrong_type(
                if path.is_empty() { "body" } else { path },
                "an object",
                other,
            )),
        }
    }

    /// The path of one field, for messages.
    pub fn path(&self, key: &str) -> String {
        join(&self.prefix, key)
    }

    /// The names of the fields given.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.map.keys()
    }

    /// The fields as one JSON object.
    pub fn to_value(&self) -> Value {
        Value::Object(self.map.clone().into_owned())
    }

    /// A field as given, whatever its type.
    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Optional text, kept as written; blank counts as not given.
    pub fn str(&self, key: &str) -> Result<Option<String>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(wrong_type(&self.path(key), "a string", other)),
        }
    }

    /// Optional text, or "" when not given (the hosted service's defaults).
    pub fn str_or_empty(&self, key: &str) -> Result<String> {
        Ok(self.str(key)?.unwrap_or_default())
    }

    /// Text that must be given and not blank, trimmed.
    pub fn required_str(&self, key: &str) -> Result<String> {
        match self.raw(key) {
            None => Err(Error::invalid(self.path(key), "is required")),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(Error::invalid(self.path(key), "must not be empty"))
            }
            Some(Value::String(s)) => Ok(s.trim().to_string()),
            Some(other) => Err(wrong_type(&self.path(key), "a string", other)),
        }
    }

    /// Text that must be given and not blank, kept as written (code, whose indentation
    /// matters).
    pub fn required_verbatim(&self, key: &str) -> Result<String> {
        match self.raw(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            _ => self.required_str(key),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(&self.path(key), "true or false", other)),
        }
    }

    pub fn required_bool(&self, key: &str) -> Result<bool> {
        self.bool(key)?
            .ok_or_else(|| Error::invalid(self.path(key), "is required (true or false)"))
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(&self.path(key), "an integer", v)),
        }
    }

    pub fn required_int(&self, key: &str) -> Result<i64> {
        self.int(key)?
            .ok_or_else(|| Error::invalid(self.path(key), "is required"))
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| wrong_type(&self.path(key), "a number", v)),
        }
    }

    /// A list of strings; not given is empty. Trimmed, blanks and repeats dropped; a wrong
    /// item is named by its index (`tags[2]`).
    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        let path = self.path(key);
        let items = match self.raw(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(wrong_type(&path, "a list of strings", other)),
        };
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let s = match item {
                Value::String(s) => s.trim(),
                other => return Err(wrong_type(&format!("{path}[{i}]"), "a string", other)),
            };
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
        Ok(out)
    }

    /// A list of strings that may be left out, as distinct from an empty one (a change
    /// that leaves the field alone versus one that clears it).
    pub fn optional_strings(&self, key: &str) -> Result<Option<Vec<String>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(_) => self.strings(key).map(Some),
        }
    }

    /// A list whose items `item` reads (given the item and its path); not given is empty.
    pub fn list<T>(&self, key: &str, item: fn(&Value, &str) -> Result<T>) -> Result<Vec<T>> {
        let path = self.path(key);
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| item(v, &format!("{path}[{i}]")))
                .collect(),
            Some(other) => Err(wrong_type(&path, "a list", other)),
        }
    }

    /// One of a closed set of strings (`parse`, after trimming), naming the allowed ones
    /// when it is not.
    pub fn choice<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<Option<T>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => parse(s.trim()).map(Some).ok_or_else(|| {
                Error::invalid(
                    self.path(key),
                    format!("must be one of {}, got {s:?}", allowed.join(", ")),
                )
            }),
        }
    }

    /// [`Fields::choice`] for a field that must be given; the message lists the choices.
    pub fn required_choice<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<T> {
        self.choice(key, parse, allowed)?.ok_or_else(|| {
            Error::invalid(
                self.path(key),
                format!("is required: one of {}", allowed.join(", ")),
            )
        })
    }
}

/// `key` under `prefix`: `goal`, `[3].goal`, `dead_ends[0].why`.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else if key.starts_with('[') {
        format!("{prefix}{key}")
    } else {
        format!("{prefix}.{key}")
    }
}

/// What a JSON value is, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The refusal of a value of the wrong type.
pub fn wrong_type(path: &str, expected: &str, got: &Value) -> Error {
    Error::invalid(path, format!("must be {expected}, got {}", type_name(got)))
}

/// Refuses text whose length in characters is outside `(min, max)`.
pub fn check_chars(text: &str, (min, max): (usize, usize), path: &str) -> Result<()> {
    let n = text.chars().count();
    if n < min || n > max {
        return Err(Error::invalid(
            path,
            format!("must be between {min} and {max} characters, got {n}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(v: Value) -> Fields<'static> {
        Fields::from_body(v).unwrap()
    }

    fn field_and_message(e: Error) -> (String, String) {
        match e {
            Error::Invalid {
                field: Some(field),
                message,
            } => (field, message),
            other => panic!("not an invalid-input error: {other:?}"),
        }
    }

    #[test]
    fn required_text_is_trimmed_and_blank_or_missing_is_refused_by_name() {
        let a = fields(json!({"topic": "   ", "query": null}));
        let (field, message) = field_and_message(a.required_str("topic").unwrap_err());
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("topic", "topic: must not be empty")
        );
        for key in ["query", "absent"] {
            let (field, message) = field_and_message(a.required_str(key).unwrap_err());
            assert_eq!(field, key);
            assert_eq!(message, format!("{key}: is required"));
        }
        assert_eq!(
            fields(json!({"topic": " x "}))
                .required_str("topic")
                .unwrap(),
            "x"
        );
        assert_eq!(a.str("topic").unwrap(), None);
    }

    #[test]
    fn wrong_types_name_the_field_and_what_came() {
        let a = fields(json!({"query": 42, "tags": ["a", 3], "limit": 1.5, "on": "yes"}));
        let (field, message) = field_and_message(a.str("query").unwrap_err());
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("query", "query: must be a string, got a number")
        );
        let (field, _) = field_and_message(a.strings("tags").unwrap_err());
        assert_eq!(field, "tags[1]");
        let (field, message) = field_and_message(a.int("limit").unwrap_err());
        assert_eq!(
            (field.as_str(), message.as_str()),
            ("limit", "limit: must be an integer, got a number")
        );
        assert!(a.bool("on").is_err());
        assert_eq!(a.number("limit").unwrap(), Some(1.5));
    }

    #[test]
    fn lists_are_trimmed_without_blanks_or_repeats_and_paths_carry_the_prefix() {
        let doc = json!({"tags": [" a", "b", "a ", "  "], "n": "x"});
        let f = Fields::of(&doc, "[2]").unwrap();
        assert_eq!(f.strings("tags").unwrap(), ["a", "b"]);
        let (field, _) = field_and_message(f.int("n").unwrap_err());
        assert_eq!(field, "[2].n");
    }

    #[test]
    fn a_body_must_be_an_object_and_empty_is_no_fields() {
        assert!(Fields::from_body(Value::Null).unwrap().raw("x").is_none());
        let (field, _) = field_and_message(Fields::from_body(json!([1])).unwrap_err());
        assert_eq!(field, "body");
    }

    #[test]
    fn choices_are_trimmed_and_list_what_is_allowed() {
        let parse = |s: &str| (s == "up" || s == "down").then(|| s.to_string());
        assert_eq!(
            fields(json!({"vote": " up "}))
                .choice("vote", parse, &["up", "down"])
                .unwrap(),
            Some("up".to_string())
        );
        let a = fields(json!({"vote": "sideways"}));
        let (_, message) = field_and_message(a.choice("vote", parse, &["up", "down"]).unwrap_err());
        assert!(message.contains("must be one of up, down"), "{message}");
        let (_, message) = field_and_message(
            fields(json!({}))
                .required_choice("vote", parse, &["up", "down"])
                .unwrap_err(),
        );
        assert!(
            message.contains("is required: one of up, down"),
            "{message}"
        );
    }
}
