//! Decoding the columns plurum keeps as text (JSON documents, enums by name) from Postgres
//! rows, and the dynamic argument lists that filters build. The twin of sqlite/columns.rs:
//! the schema keeps the same text formats in both backends, so the same decoding applies.

use postgres::types::ToSql;

use crate::error::{Error, Result};

/// A JSON text column.
pub(super) fn json<T: serde::de::DeserializeOwned>(text: &str, column: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::other(format!("column {column}: {e}")))
}

/// A JSON text column that may be NULL.
pub(super) fn optional_json<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    column: &str,
) -> Result<Option<T>> {
    text.map(|t| json(&t, column)).transpose()
}

/// A value as a JSON column.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// An enum column stored by name.
pub(super) fn parsed<T>(text: &str, column: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(text).ok_or_else(|| Error::other(format!("column {column}: unexpected value {text:?}")))
}

/// Arguments of a query whose conditions are built at run time: `push` binds a value and
/// returns its placeholder (`$n`).
#[derive(Default)]
pub(super) struct Args(Vec<Box<dyn ToSql + Sync>>);

impl Args {
    pub fn push(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.0.push(Box::new(v));
        format!("${}", self.0.len())
    }

    pub fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0
            .iter()
            .map(|b| b.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

/// Postgres's bound values for the shared conditions of `store::sql`: `$n` placeholders.
impl crate::store::sql::Binder for Args {
    fn dialect(&self) -> crate::store::sql::Dialect {
        crate::store::sql::Dialect::Postgres
    }
    fn bind(&mut self, value: crate::store::sql::Value) -> String {
        use crate::store::sql::Value;
        match value {
            Value::Text(t) => self.push(t),
            Value::Real(r) => self.push(r),
            Value::Integer(i) => self.push(i),
        }
    }
}
