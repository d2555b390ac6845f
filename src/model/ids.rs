//! Identifiers: a UUID plus an 8-character lower-case hex short id, as the hosted service
//! generates them, and the parsing of what a user may type to name one.

use crate::error::{Error, Result};

/// A new random (v4) UUID in canonical lower-case form.
pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A new random short id: 8 lower-case hex characters (32 random bits).
pub fn new_short_id() -> String {
    let bytes = uuid::Uuid::new_v4();
    bytes.as_bytes()[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a user or client typed to name an experience or session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdRef {
    /// A full UUID (any form `uuid` parses), canonicalised.
    Uuid(String),
    /// Exactly 8 characters: a short id (matched case-insensitively; ours are lower-case).
    Short(String),
    /// 4 to 7 hex characters: an unambiguous short-id prefix.
    Prefix(String),
}

impl IdRef {
    /// Parses an identifier; `None` when it cannot name anything.
    pub fn parse(input: &str) -> Option<IdRef> {
        let s = input.trim();
        if let Ok(uuid) = uuid::Uuid::parse_str(s) {
            return Some(IdRef::Uuid(uuid.hyphenated().to_string()));
        }
        if s.len() == 8 && s.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(IdRef::Short(s.to_ascii_lowercase()));
        }
        if (4..8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(IdRef::Prefix(s.to_ascii_lowercase()));
        }
        None
    }
}

/// What an identifier names, for the messages of [`resolve`].
#[derive(Debug, Clone, Copy)]
pub struct Named {
    /// With its article, as in "is not an experience id" ("an experience", "a session").
    pub noun: &'static str,
    /// The plural, as in "matches 2 experiences".
    pub plural: &'static str,
    /// The resource a not-found error names ("Experience", "Session").
    pub resource: &'static str,
    /// The input field a malformed or ambiguous identifier is reported against.
    pub field: &'static str,
}

/// The one thing an identifier names: `candidates` gives those the identifier matches that
/// the caller may see (so the existence of the others never leaks), `short_id` how each is
/// shown when a prefix matches several. One rule and one set of messages for experiences
/// and sessions alike.
pub fn resolve<T>(
    id: &str,
    named: Named,
    candidates: impl FnOnce(&IdRef) -> Result<Vec<T>>,
    short_id: impl Fn(&T) -> &str,
) -> Result<T> {
    let Some(idref) = IdRef::parse(id) else {
        return Err(Error::invalid(
            named.field,
            format!(
                "{id:?} is not {} id: give a UUID, an 8-character short id, or 4+ of its first characters",
                named.noun
            ),
        ));
    };
    let mut found = candidates(&idref)?;
    match found.len() {
        0 => Err(Error::not_found(named.resource, id)),
        1 => Ok(found.remove(0)),
        n => {
            let shown: Vec<&str> = found.iter().take(5).map(&short_id).collect();
            Err(Error::invalid(
                named.field,
                format!(
                    "{id:?} matches {n} {} ({}{}); give more characters",
                    named.plural,
                    shown.join(", "),
                    if n > 5 { ", …" } else { "" }
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_eight_lower_hex() {
        for _ in 0..100 {
            let s = new_short_id();
            assert_eq!(s.len(), 8);
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
            );
        }
    }

    #[test]
    fn parses_every_form() {
        let u = new_uuid();
        assert_eq!(IdRef::parse(&u), Some(IdRef::Uuid(u.clone())));
        assert_eq!(
            IdRef::parse(&u.to_uppercase().replace('-', "")),
            Some(IdRef::Uuid(u))
        );
        assert_eq!(
            IdRef::parse("3F9A0C1E"),
            Some(IdRef::Short("3f9a0c1e".into()))
        );
        assert_eq!(IdRef::parse("3f9a"), Some(IdRef::Prefix("3f9a".into())));
        assert_eq!(IdRef::parse("3f9"), None);
        assert_eq!(IdRef::parse("xyz!"), None);
        assert_eq!(IdRef::parse("zzzzz"), None);
    }
}
