//! How a model's authors meant it to be run, read from its sentence-transformers files:
//! `modules.json` (which modules, in order), `1_Pooling/config.json` (mean, CLS or max),
//! `sentence_bert_config.json` (`max_seq_length`, `do_lower_case`) and
//! `config_sentence_transformers.json` (`prompts`: the text put before a query or a
//! document). A model plurum cannot run as written (a Dense layer, a pooling it lacks) is
//! refused with the reason, never run another way.
//!
//! Why it matters: bge-small-en-v1.5 is trained for CLS pooling and e5 for `query: ` /
//! `passage: ` prefixes; run with mean pooling and no prefix they still give vectors, only
//! worse ones, and nothing says so.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// Longest input, in tokens, when the model does not say (all-MiniLM-L6-v2's
/// `max_seq_length`; its tokenizer.json says 128, its sentence-transformers files 256).
pub const DEFAULT_MAX_TOKENS: usize = 256;

/// How token vectors become one text vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pooling {
    /// The mean of the token vectors (all-MiniLM-L6-v2, e5).
    Mean,
    /// The first token's ([CLS]) vector (bge).
    Cls,
    /// The largest value of each dimension over the tokens.
    Max,
}

impl std::fmt::Display for Pooling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Pooling::Mean => "mean",
            Pooling::Cls => "cls",
            Pooling::Max => "max",
        })
    }
}

/// Where a setting came from, for `plurum model status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The model's sentence-transformers files.
    Model,
    /// plurum's config file or environment.
    Config,
    /// Neither said: plurum's default.
    Default,
}

/// The text put before what is embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Prefixes {
    /// Before a search query (`query` prompt).
    pub query: Option<String>,
    /// Before an experience's text (`document`, else `passage`, else `corpus` prompt).
    pub document: Option<String>,
    pub origin: Option<Origin>,
}

impl Prefixes {
    /// Prefixes given in plurum's config (`query_prefix` / `document_prefix`), which win
    /// over the model's own: a model that declares none can be given them.
    pub fn with_overrides(mut self, query: Option<&str>, document: Option<&str>) -> Prefixes {
        if query.is_some() || document.is_some() {
            if let Some(q) = query {
                self.query = Some(q.to_string()).filter(|q| !q.is_empty());
            }
            if let Some(d) = document {
                self.document = Some(d.to_string()).filter(|d| !d.is_empty());
            }
            self.origin = Some(Origin::Config);
        }
        self
    }

    /// `text` as the model expects a query.
    pub fn query_text(&self, text: &str) -> String {
        format!("{}{text}", self.query.as_deref().unwrap_or(""))
    }

    /// `text` as the model expects a document.
    pub fn document_text(&self, text: &str) -> String {
        format!("{}{text}", self.document.as_deref().unwrap_or(""))
    }
}

/// Everything plurum applies around a local model's forward pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipe {
    pub pooling: Pooling,
    /// Whether the model ends in a `Normalize` module. plurum stores unit vectors either way
    /// (search ranks by cosine, which the length does not change).
    pub normalize: bool,
    /// Longest input in tokens, [CLS] and [SEP] included; the rest of a text is ignored.
    pub max_tokens: usize,
    /// `do_lower_case`: texts are lowercased before tokenizing.
    pub lowercase: bool,
    /// The model's own prompts (plurum's config may override them: see `Embedder`).
    #[serde(skip)]
    pub prefixes: Prefixes,
    /// Where pooling and normalisation came from: the model's files, or plurum's default
    /// (mean, normalised) for a directory without `modules.json`.
    pub origin: Origin,
}

impl Recipe {
    /// The recipe in `dir`'s sentence-transformers files, for a model of `max_positions`
    /// positions. A directory without them gets all-MiniLM-L6-v2's recipe.
    pub fn read(dir: &Path, max_positions: usize) -> Result<Recipe> {
        let mut recipe = Recipe {
            pooling: Pooling::Mean,
            normalize: true,
            max_tokens: DEFAULT_MAX_TOKENS,
            lowercase: false,
            prefixes: Prefixes::default(),
            origin: Origin::Default,
        };
        if let Some(modules) = read_json(dir, "modules.json")? {
            recipe.origin = Origin::Model;
            recipe.normalize = false;
            let modules = modules
                .as_array()
                .ok_or_else(|| refuse(dir, "modules.json is not a list of modules"))?;
            let mut pooling = None;
            for (i, module) in modules.iter().enumerate() {
                let kind = module.get("type").and_then(Value::as_str).unwrap_or("");
                let path = module.get("path").and_then(Value::as_str).unwrap_or("");
                match (i, kind.rsplit('.').next().unwrap_or("")) {
                    (0, "Transformer") => {}
                    (_, "Pooling") if pooling.is_none() => {
                        pooling = Some(read_pooling(dir, path)?);
                    }
                    (_, "Normalize") if pooling.is_some() => recipe.normalize = true,
                    _ => {
                        return Err(refuse(
                            dir,
                            format!(
                                "module {} ({kind}{}) is not one plurum can run; it runs a \
                                 Transformer, then Pooling, then optionally Normalize",
                                i,
                                if path.is_empty() {
                                    String::new()
                                } else {
                                    format!(" in {path}/")
                                }
                            ),
                        ));
                    }
                }
            }
            recipe.pooling =
                pooling.ok_or_else(|| refuse(dir, "modules.json has no Pooling module"))?;
        }
        if let Some(st) = read_json(dir, "sentence_bert_config.json")? {
            if let Some(n) = st.get("max_seq_length").and_then(Value::as_u64) {
                recipe.max_tokens = n as usize;
            }
            recipe.lowercase = st
                .get("do_lower_case")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        }
        recipe.max_tokens = recipe.max_tokens.clamp(1, max_positions.max(1));
        if let Some(st) = read_json(dir, "config_sentence_transformers.json")? {
            let prompts = st.get("prompts").and_then(Value::as_object);
            let prompt = |name: &str| {
                prompts
                    .and_then(|p| p.get(name))
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
            };
            let query = prompt("query");
            let document = prompt("document")
                .or_else(|| prompt("passage"))
                .or_else(|| prompt("corpus"));
            if query.is_some() || document.is_some() {
                recipe.prefixes = Prefixes {
                    query,
                    document,
                    origin: Some(Origin::Model),
                };
            }
        }
        Ok(recipe)
    }
}

/// The sentence-transformers files a model directory's recipe is read from.
pub const RECIPE_FILES: [&str; 4] = [
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
];

/// The recipe files `dir` holds, relative to it: those above, and the config of each
/// module `modules.json` names (copied along by `plurum model import`).
pub fn recipe_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = RECIPE_FILES.iter().map(|f| f.to_string()).collect();
    if let Ok(Some(Value::Array(modules))) = read_json(dir, "modules.json") {
        for m in modules {
            if let Some(path) = m.get("path").and_then(Value::as_str)
                && !path.is_empty()
                && !path.contains("..")
            {
                files.push(format!("{path}/config.json"));
            }
        }
    }
    files.sort();
    files.dedup();
    files.retain(|f| dir.join(f).is_file());
    files
}

/// Reads `1_Pooling/config.json` (or wherever `modules.json` puts it).
fn read_pooling(dir: &Path, path: &str) -> Result<Pooling> {
    let file = format!("{}/config.json", if path.is_empty() { "." } else { path });
    let config = read_json(dir, &file)?.ok_or_else(|| refuse(dir, format!("{file} is missing")))?;
    let on = |key: &str| config.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut modes = Vec::new();
    for (key, mode) in [
        ("pooling_mode_cls_token", Some(Pooling::Cls)),
        ("pooling_mode_mean_tokens", Some(Pooling::Mean)),
        ("pooling_mode_max_tokens", Some(Pooling::Max)),
        ("pooling_mode_mean_sqrt_len_tokens", None),
        ("pooling_mode_weightedmean_tokens", None),
        ("pooling_mode_lasttoken", None),
    ] {
        if on(key) {
            modes.push((key, mode));
        }
    }
    // `include_prompt: false` pools without the prompt's tokens, which plurum does not do.
    if config.get("include_prompt").and_then(Value::as_bool) == Some(false) {
        return Err(refuse(
            dir,
            format!("{file} pools without the prompt's tokens (include_prompt: false)"),
        ));
    }
    match modes.as_slice() {
        [(_, Some(mode))] => Ok(*mode),
        [(key, None)] => Err(refuse(dir, format!("{file} asks for {key}"))),
        [] => Err(refuse(dir, format!("{file} turns on no pooling mode"))),
        _ => Err(refuse(
            dir,
            format!(
                "{file} concatenates several poolings ({})",
                modes.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

fn read_json(dir: &Path, name: &str) -> Result<Option<Value>> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| refuse(dir, format!("{name} is not valid JSON: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::other(format!("cannot read {}: {e}", path.display()))),
    }
}

fn refuse(dir: &Path, why: impl std::fmt::Display) -> Error {
    Error::Invalid {
        message: format!(
            "plurum cannot run the model in {} as its authors meant: {why}",
            dir.display()
        ),
        field: Some("model".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const MODULES: &str = r#"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
        {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
        {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]"#;

    #[test]
    fn a_directory_without_sentence_transformers_files_runs_as_minilm() {
        let dir = dir_with(&[]);
        let r = Recipe::read(dir.path(), 512).unwrap();
        assert_eq!(
            (r.pooling, r.normalize, r.max_tokens),
            (Pooling::Mean, true, 256)
        );
        assert_eq!(r.origin, Origin::Default);
        assert_eq!(r.prefixes, Prefixes::default());
    }

    #[test]
    fn cls_pooling_length_and_prompts_are_read() {
        let dir = dir_with(&[
            ("modules.json", MODULES),
            (
                "1_Pooling/config.json",
                r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#,
            ),
            (
                "sentence_bert_config.json",
                r#"{"max_seq_length": 1024, "do_lower_case": true}"#,
            ),
            (
                "config_sentence_transformers.json",
                r#"{"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": null}"#,
            ),
        ]);
        let r = Recipe::read(dir.path(), 512).unwrap();
        assert_eq!(r.pooling, Pooling::Cls);
        assert!(r.normalize && r.lowercase);
        assert_eq!(r.max_tokens, 512, "capped by the model's positions");
        assert_eq!(r.prefixes.query.as_deref(), Some("query: "));
        assert_eq!(r.prefixes.document.as_deref(), Some("passage: "));
        assert_eq!(r.prefixes.query_text("x"), "query: x");
        let over = r.prefixes.with_overrides(Some("q: "), None);
        assert_eq!(
            (over.query.as_deref(), over.document.as_deref()),
            (Some("q: "), Some("passage: "))
        );
        assert_eq!(over.origin, Some(Origin::Config));
    }

    #[test]
    fn what_plurum_cannot_run_is_refused_with_the_reason() {
        let dense = MODULES.replace("models.Normalize", "models.Dense");
        let dir = dir_with(&[
            ("modules.json", &dense),
            (
                "1_Pooling/config.json",
                r#"{"pooling_mode_mean_tokens": true}"#,
            ),
        ]);
        let e = Recipe::read(dir.path(), 512).unwrap_err().to_string();
        assert!(e.contains("Dense") && e.contains("2_Normalize"), "{e}");

        for (config, says) in [
            (
                r#"{"pooling_mode_mean_sqrt_len_tokens": true}"#,
                "pooling_mode_mean_sqrt_len_tokens",
            ),
            (
                r#"{"pooling_mode_cls_token": true, "pooling_mode_max_tokens": true}"#,
                "concatenates",
            ),
            (r#"{"pooling_mode_cls_token": false}"#, "no pooling mode"),
            (
                r#"{"pooling_mode_mean_tokens": true, "include_prompt": false}"#,
                "include_prompt",
            ),
        ] {
            let dir = dir_with(&[("modules.json", MODULES), ("1_Pooling/config.json", config)]);
            let e = Recipe::read(dir.path(), 512).unwrap_err().to_string();
            assert!(e.contains(says), "{config}: {e}");
        }
    }
}
