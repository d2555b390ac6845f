//! The one argument reader of the front doors: typed access to the fields of a JSON object,
//! an HTTP request body or an MCP tool's arguments alike.
//!
//! Both doors once had their own reader and they drifted apart (one refused a blank
//! required string, the other let it through; their type errors read differently). One
//! reader gives one behaviour and one set of messages: every refusal is
//! [`Error::invalid`] naming the field, which HTTP answers with a 422 and MCP with a tool
//! error carrying the same envelope.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::experience::input::type_name;

/// The fields of a JSON object. A field that is absent or `null` counts as not given.
#[derive(Debug, Clone, Default)]
pub struct Args(Map<String, Value>);

impl Args {
    pub fn new(fields: Map<String, Value>) -> Args {
        Args(fields)
    }

    /// A request body as arguments: `null` (an empty body) counts as `{}`, since every such
    /// request either has defaults for all its fields or names the missing one.
    pub fn from_body(body: Value) -> Result<Args> {
        match body {
            Value::Null => Ok(Args::default()),
            Value::Object(fields) => Ok(Args(fields)),
            other => Err(Error::invalid(
                "body",
                format!("must be a JSON object, got {}", type_name(&other)),
            )),
        }
    }

    /// The fields as one JSON object, for readers of a whole document (an experience).
    pub fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// A field as given, whatever its type.
    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> Result<Option<String>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(wrong_type(key, "a string", other)),
        }
    }

    /// A string that must be given and not blank.
    pub fn required_str(&self, key: &str) -> Result<String> {
        self.str(key)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| required(key))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(key, "true or false", other)),
        }
    }

    pub fn required_bool(&self, key: &str) -> Result<bool> {
        self.bool(key)?
            .ok_or_else(|| Error::invalid(key, "is required (true or false)"))
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(key, "an integer", v)),
        }
    }

    pub fn required_int(&self, key: &str) -> Result<i64> {
        self.int(key)?.ok_or_else(|| required(key))
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| wrong_type(key, "a number", v)),
        }
    }

    /// A list of strings; absent is empty. A wrong item is named by its index (`tags[2]`).
    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(wrong_type(&format!("{key}[{i}]"), "a string", other)),
                })
                .collect(),
            Some(other) => Err(wrong_type(key, "a list of strings", other)),
        }
    }

    /// A list of strings that may be left out, as distinct from an empty one (a change
    /// that leaves the field alone versus one that clears it).
    pub fn optional_strings(&self, key: &str) -> Result<Option<Vec<String>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(_) => self.strings(key).map(Some),
        }
    }

    /// One of a closed set of strings (`parse`), naming the allowed ones when it is not.
    pub fn choice<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<Option<T>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => parse(&s).map(Some).ok_or_else(|| {
                Error::invalid(
                    key,
                    format!("must be one of {}, got {s:?}", allowed.join(", ")),
                )
            }),
        }
    }

    /// [`Args::choice`] for a field that must be given; the message lists the choices.
    pub fn required_choice<T>(
        &self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<T> {
        self.choice(key, parse, allowed)?.ok_or_else(|| {
            Error::invalid(key, format!("is required: one of {}", allowed.join(", ")))
        })
    }
}

fn required(key: &str) -> Error {
    Error::invalid(key, "is required")
}

fn wrong_type(key: &str, expected: &str, got: &Value) -> Error {
    Error::invalid(key, format!("must be {expected}, got {}", type_name(got)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(v: Value) -> Args {
        Args::from_body(v).unwrap()
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
    fn blank_and_missing_required_strings_are_refused_by_name() {
        let a = args(json!({"topic": "   ", "query": null}));
        for key in ["topic", "query", "absent"] {
            let (field, message) = field_and_message(a.required_str(key).unwrap_err());
            assert_eq!(field, key);
            assert_eq!(message, format!("{key}: is required"));
        }
        assert_eq!(
            args(json!({"topic": " x "})).required_str("topic").unwrap(),
            " x "
        );
    }

    #[test]
    fn wrong_types_name_the_field_and_what_came() {
        let a = args(json!({"query": 42, "tags": ["a", 3], "limit": 1.5, "on": "yes"}));
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
    fn a_body_must_be_an_object_and_empty_is_no_fields() {
        assert!(Args::from_body(Value::Null).unwrap().raw("x").is_none());
        let (field, _) = field_and_message(Args::from_body(json!([1])).unwrap_err());
        assert_eq!(field, "body");
    }

    #[test]
    fn choices_list_what_is_allowed() {
        let parse = |s: &str| (s == "up" || s == "down").then(|| s.to_string());
        let a = args(json!({"vote": "sideways"}));
        let (_, message) = field_and_message(a.choice("vote", parse, &["up", "down"]).unwrap_err());
        assert!(message.contains("must be one of up, down"), "{message}");
        let (_, message) = field_and_message(
            args(json!({}))
                .required_choice("vote", parse, &["up", "down"])
                .unwrap_err(),
        );
        assert!(
            message.contains("is required: one of up, down"),
            "{message}"
        );
    }
}

/// A search request, read the same way by every door that takes one as JSON (the HTTP API's
/// body, the MCP tool's arguments): `query` and the optional `limit`, `tags`, `tools`,
/// `domain`, `min_quality`, `include_quarantined`.
pub fn search_query(a: &Args) -> Result<crate::model::search::SearchQuery> {
    let mut q = crate::model::search::SearchQuery::new(a.required_str("query")?);
    if let Some(limit) = a.int("limit")? {
        q.limit = crate::model::limits::SEARCH_RESULTS.count("limit", limit)?;
    }
    q.tags = a.strings("tags")?;
    q.tools = a.strings("tools")?;
    q.domain = a.str("domain")?;
    q.min_quality = a.number("min_quality")?.unwrap_or(0.0);
    q.include_quarantined = a.bool("include_quarantined")?.unwrap_or(false);
    Ok(q)
}
