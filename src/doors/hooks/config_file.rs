//! A host's configuration file (JSON or TOML), edited the way its owner would edit it: every
//! key, value and order we do not touch stays as it was, the indentation of a JSON file is
//! kept, comments and layout of a TOML file are kept (`toml_edit`), the write is atomic, a
//! symlinked file is written through its link, and a file that does not parse is refused
//! untouched, naming the line.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::atomic_file::{AtomicFile, Readers};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

/// A parsed configuration file.
pub enum Doc {
    Json(JsonDoc),
    Toml(toml_edit::DocumentMut),
}

/// A JSON document and how its file was laid out.
pub struct JsonDoc {
    pub value: Value,
    indent: String,
    trailing_newline: bool,
}

pub struct ConfigFile {
    /// The path as the host names it.
    pub path: PathBuf,
    /// The content as read; `None` when there was no file.
    pub original: Option<String>,
    pub doc: Doc,
}

impl ConfigFile {
    /// Reads and parses `path`; a missing file is an empty document.
    pub fn load(path: &Path, format: Format) -> Result<ConfigFile> {
        let original = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Error::other(format!("cannot read {}: {e}", path.display())));
            }
        };
        let text = original.as_deref().unwrap_or("");
        let doc = match format {
            Format::Json => Doc::Json(parse_json(path, text)?),
            Format::Toml => Doc::Toml(text.parse::<toml_edit::DocumentMut>().map_err(|e| {
                let at = e
                    .span()
                    .map(|s| format!(" at line {}", line_of(text, s.start)))
                    .unwrap_or_default();
                Error::invalid(
                    path.display().to_string(),
                    format!(
                        "is not valid TOML{at} ({}); it was left untouched",
                        e.message()
                    ),
                )
            })?),
        };
        Ok(ConfigFile {
            path: path.to_path_buf(),
            original,
            doc,
        })
    }

    /// The content this document would be written as.
    pub fn render(&self) -> String {
        match &self.doc {
            Doc::Json(d) => d.render(),
            Doc::Toml(d) => d.to_string(),
        }
    }

    /// True when writing would change the file (or create it).
    pub fn changed(&self) -> bool {
        let rendered = self.render();
        match &self.original {
            Some(text) => *text != rendered,
            None => !self.is_empty(),
        }
    }

    /// True when the document holds nothing.
    pub fn is_empty(&self) -> bool {
        match &self.doc {
            Doc::Json(d) => d.value.as_object().is_none_or(Map::is_empty),
            Doc::Toml(d) => d.as_table().is_empty() && d.to_string().trim().is_empty(),
        }
    }

    pub fn json(&mut self) -> &mut Value {
        match &mut self.doc {
            Doc::Json(d) => &mut d.value,
            Doc::Toml(_) => unreachable!("a TOML file edited as JSON"),
        }
    }

    pub fn toml(&mut self) -> &mut toml_edit::DocumentMut {
        match &mut self.doc {
            Doc::Toml(d) => d,
            Doc::Json(_) => unreachable!("a JSON file edited as TOML"),
        }
    }

    /// Writes `content` in place of the file, atomically, through a symlink, keeping the
    /// file's permissions (a host's file may hold its tokens).
    pub fn write(path: &Path, content: &str) -> Result<()> {
        let real = real_path(path);
        if let Some(dir) = real.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::other(format!("cannot create {}: {e}", dir.display())))?;
        }
        let permissions = std::fs::metadata(&real).ok().map(|m| m.permissions());
        let mut file = AtomicFile::create(&real, Readers::Default)
            .map_err(|e| Error::other(format!("cannot write {}: {e}", real.display())))?;
        use std::io::Write;
        file.file().write_all(content.as_bytes())?;
        if let Some(p) = permissions {
            file.file().set_permissions(p)?;
        }
        file.commit()
            .map_err(|e| Error::other(format!("cannot write {}: {e}", real.display())))?;
        Ok(())
    }

    /// Removes the file (through a symlink, the file it points to stays: the link goes).
    pub fn remove(path: &Path) -> Result<()> {
        match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::other(format!(
                "cannot remove {}: {e}",
                path.display()
            ))),
        }
    }
}

/// The file a path names, its symlinks followed (the path itself when it does not exist).
fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn parse_json(path: &Path, text: &str) -> Result<JsonDoc> {
    if text.trim().is_empty() {
        return Ok(JsonDoc {
            value: Value::Object(Map::new()),
            indent: "  ".into(),
            trailing_newline: true,
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid(
            path.display().to_string(),
            format!(
                "is not valid JSON at line {} column {} ({e}); it was left untouched",
                e.line(),
                e.column()
            ),
        )
    })?;
    if !value.is_object() {
        return Err(Error::invalid(
            path.display().to_string(),
            "holds JSON that is not an object; it was left untouched",
        ));
    }
    Ok(JsonDoc {
        value,
        indent: detect_indent(text),
        trailing_newline: text.ends_with('\n'),
    })
}

/// The indentation of a JSON file: the leading whitespace of its first indented line.
fn detect_indent(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(|l| &l[..l.len() - l.trim_start().len()])
        .find(|ws| !ws.is_empty())
        .unwrap_or("  ")
        .to_string()
}

impl JsonDoc {
    fn render(&self) -> String {
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.indent.as_bytes());
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        serde::Serialize::serialize(&self.value, &mut ser).expect("a JSON value serialises");
        let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
        if self.trailing_newline {
            text.push('\n');
        }
        text
    }
}

/// The object at `path` under `root`, created (and its creation recorded in `created`, as a
/// JSON pointer) where missing.
pub fn object_at<'a>(
    root: &'a mut Value,
    path: &[&str],
    created: &mut Vec<String>,
) -> Result<&'a mut Map<String, Value>> {
    let mut here = root;
    let mut pointer = String::new();
    for key in path {
        pointer.push('/');
        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        let map = here
            .as_object_mut()
            .ok_or_else(|| Error::invalid(pointer.clone(), "is not a JSON object"))?;
        if !map.contains_key(*key) {
            map.insert(key.to_string(), Value::Object(Map::new()));
            created.push(pointer.clone());
        }
        here = map.get_mut(*key).expect("just ensured");
    }
    here.as_object_mut()
        .ok_or_else(|| Error::invalid(pointer, "is not a JSON object"))
}

/// Removes, deepest first, the containers named in `created` that are now empty.
pub fn remove_if_empty(root: &mut Value, created: &[String]) {
    let mut pointers: Vec<&String> = created.iter().collect();
    pointers.sort_by_key(|p| std::cmp::Reverse(p.matches('/').count()));
    for pointer in pointers {
        let empty = match root.pointer(pointer) {
            Some(Value::Object(m)) => m.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            _ => false,
        };
        if !empty {
            continue;
        }
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer starts with /");
        let key = key.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Object(m)) = root.pointer_mut(parent) {
            m.shift_remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_order_and_indentation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let text = "{\n    \"z\": 1,\n    \"a\": [\n        true\n    ]\n}\n";
        std::fs::write(&path, text).unwrap();
        let mut f = ConfigFile::load(&path, Format::Json).unwrap();
        assert_eq!(f.render(), text);
        assert!(!f.changed());
        let mut created = Vec::new();
        object_at(f.json(), &["hooks", "x"], &mut created).unwrap();
        assert_eq!(created, ["/hooks", "/hooks/x"]);
        assert!(f.changed());
        remove_if_empty(f.json(), &created);
        assert_eq!(f.render(), text);
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("s.json");
        std::fs::write(&json, "{\n  \"a\": 1,\n  \"b\": \n}\n").unwrap();
        let e = ConfigFile::load(&json, Format::Json).err().unwrap();
        assert!(e.to_string().contains("line 4"), "{e}");
        let toml = dir.path().join("c.toml");
        std::fs::write(&toml, "a = 1\nb = = 2\n").unwrap();
        let e = ConfigFile::load(&toml, Format::Toml).err().unwrap();
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
