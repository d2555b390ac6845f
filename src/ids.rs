//! Identifiers: a UUID plus an 8-character lower-case hex short id, as the hosted service
//! generates them, and the parsing of what a user may type to name one.

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
