//! Decoding and encoding the column types plurum stores as text or bytes: JSON documents,
//! enums by name, and vectors. One definition for every table's rows.

use rusqlite::Row;
use rusqlite::types::Type;

/// A JSON column.
pub(super) fn json<T: serde::de::DeserializeOwned>(r: &Row, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    from_json(i, &text)
}

/// A JSON column that may be NULL.
pub(super) fn optional_json<T: serde::de::DeserializeOwned>(
    r: &Row,
    i: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| from_json(i, &t)).transpose()
}

fn from_json<T: serde::de::DeserializeOwned>(i: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// A value as a JSON column.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// An enum column stored by name, read with the enum's `parse`.
pub(super) fn parsed<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            Type::Text,
            format!("unexpected value {text:?}").into(),
        )
    })
}

/// A vector as stored (and as sqlite-vec takes it): little-endian float32.
pub(super) fn vector_to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A stored vector read back.
pub(super) fn vector_from_blob(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// SQLite's bound values for the shared conditions of `store::sql`: `?n` placeholders.
impl crate::store::sql::Binder for Vec<rusqlite::types::Value> {
    fn dialect(&self) -> crate::store::sql::Dialect {
        crate::store::sql::Dialect::Sqlite
    }
    fn bind(&mut self, value: crate::store::sql::Value) -> String {
        use crate::store::sql::Value;
        self.push(match value {
            Value::Text(t) => rusqlite::types::Value::Text(t),
            Value::Real(r) => rusqlite::types::Value::Real(r),
            Value::Integer(i) => rusqlite::types::Value::Integer(i),
        });
        format!("?{}", self.len())
    }
}
