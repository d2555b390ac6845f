//! Which characters plurum stores: any Unicode text except the C0 control characters other
//! than tab, newline and carriage return. NUL and its kin carry nothing an experience needs,
//! PostgreSQL cannot store NUL at all, and a rule applied at the input is the only way both
//! stores give the same answer (SQLite took them; PostgreSQL answered 500 with its own
//! message). Records stored before the rule (an old store, an export of one) are carried
//! with each such character replaced by U+FFFD, and named, never lost.

use serde_json::Value;

use crate::error::Error;

/// What replaces a refused character in a record carried from before the rule.
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for the characters no text may hold: C0 controls but tab, newline, carriage return.
pub fn is_refused(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// The path of the first string (or object key) in `value` holding a refused character.
pub fn find_control(value: &Value, root: &str) -> Option<String> {
    match value {
        Value::String(s) => s.chars().any(is_refused).then(|| root.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_control(item, &format!("{root}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let path = if root.is_empty() {
                key.clone()
            } else {
                format!("{root}.{key}")
            };
            if key.chars().any(is_refused) {
                return Some(path);
            }
            find_control(item, &path)
        }),
        _ => None,
    }
}

/// Refuses a document holding a refused character, naming the field.
pub fn check(value: &Value, root: &str) -> Result<(), Error> {
    match find_control(value, root) {
        Some(path) => Err(refused(&path)),
        None => Ok(()),
    }
}

/// Refuses one string holding a refused character, naming the field.
pub fn check_str(field: &str, text: &str) -> Result<(), Error> {
    if text.chars().any(is_refused) {
        Err(refused(field))
    } else {
        Ok(())
    }
}

fn refused(field: &str) -> Error {
    Error::invalid(
        field,
        "holds a control character (such as U+0000); text may hold tab, newline and carriage return, no other control characters",
    )
}

/// The gate every document about to be written passes: no refused character (named by its
/// path), then no secret (see `secrets`).
pub fn screen(value: &Value, root: &str) -> Result<(), Error> {
    check(value, root)?;
    crate::model::secrets::check(value, root)
}

/// Replaces every refused character in `value`'s strings with [`REPLACEMENT`]; returns the
/// paths it changed (for a record carried from before the rule).
pub fn scrub(value: &mut Value, root: &str) -> Vec<String> {
    let mut changed = Vec::new();
    scrub_into(value, root, &mut changed);
    changed
}

fn scrub_into(value: &mut Value, root: &str, changed: &mut Vec<String>) {
    match value {
        Value::String(s) if s.chars().any(is_refused) => {
            *s = s
                .chars()
                .map(|c| if is_refused(c) { REPLACEMENT } else { c })
                .collect();
            changed.push(root.to_string());
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                scrub_into(item, &format!("{root}[{i}]"), changed);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let path = if root.is_empty() {
                    key.clone()
                } else {
                    format!("{root}.{key}")
                };
                scrub_into(item, &path, changed);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tab_newline_and_return_pass_and_other_controls_do_not() {
        assert!(check(&json!({"goal": "a\tb\nc\r\nd é 😀"}), "").is_ok());
        for c in ['\0', '\u{1}', '\u{1b}', '\u{1f}'] {
            let doc = json!({"tags": ["ok", format!("bad{c}")]});
            let err = check(&doc, "").unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("tags[1]: holds a control character"),
                "{err}"
            );
        }
        // DEL and the C1 range are ordinary text here.
        assert!(check_str("goal", "\u{7f}\u{85}").is_ok());
        assert!(check_str("goal", "a\0b").is_err());
    }

    #[test]
    fn scrub_replaces_and_names_what_it_changed() {
        let mut doc = json!({"goal": "a\0b", "tags": ["fine", "x\u{7}"]});
        let changed = scrub(&mut doc, "");
        assert_eq!(changed, ["goal", "tags[1]"]);
        assert_eq!(
            doc,
            json!({"goal": "a\u{FFFD}b", "tags": ["fine", "x\u{FFFD}"]})
        );
        assert!(find_control(&doc, "").is_none());
    }
}
