//! The arrows in `src/` point one way: no part uses a part that uses it back, however far
//! round. A part is a top-level module (`error`, `config`, `ops`…) or a file or folder
//! directly inside a top-level folder (`store/records`, `store/sqlite`, `doors/http`); the
//! files of one such folder may use each other. Read from the source text: every `crate::`
//! path (grouped `use crate::{a, b::c}` included) and every `super::` that leaves a part.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The part a source file belongs to, e.g. `store/sqlite` for `src/store/sqlite/search.rs`.
fn part_of(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [file] => file.clone(),
        [folder, own] if own == "mod" => folder.clone(),
        [folder, child, ..] => format!("{folder}/{child}"),
        [] => unreachable!(),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and string literals' contents (a `crate::` in a doc
/// comment or a message is not a use).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        let mut kept = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !in_string && c == '/' && chars.get(i + 1) == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' {
                in_string = !in_string;
            } else if !in_string {
                kept.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            i += 1;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Every module path this code names from the crate's root: `crate::a::b…` and the items of
/// `crate::{a::b, c}` groups, as their first two segments.
fn crate_paths(code: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::`, `my_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            for item in split_top(&group[..end]) {
                out.push(first_two(item.trim()));
            }
        } else {
            out.push(first_two(rest));
        }
    }
    out
}

fn matching_brace(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

fn split_top(text: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0, 0, Vec::new());
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn first_two(path: &str) -> (String, Option<String>) {
    let first = ident(path);
    let rest = &path[first.len()..];
    let second = rest.strip_prefix("::").map(ident).filter(|s| !s.is_empty());
    (first, second)
}

#[test]
fn no_part_of_src_uses_a_part_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rel = |p: &Path| p.strip_prefix(&src).unwrap().to_path_buf();

    // The crate's modules: top-level files and folders, and each folder's children.
    let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut top: BTreeSet<String> = BTreeSet::new();
    for f in &files {
        let r = rel(f);
        let names: Vec<String> = r
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        top.insert(names[0].clone());
        if names.len() >= 2 && names[1] != "mod" {
            children
                .entry(names[0].clone())
                .or_default()
                .insert(names[1].clone());
        }
    }
    // lib.rs's re-exports: `crate::Plurum` is ops, `crate::Error` is error.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for line in code_only(&lib).lines() {
        if let Some(rest) = line.trim().strip_prefix("pub use ") {
            let module = ident(rest);
            for name in rest
                .split(['{', '}', ',', ';', ':'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                reexports.insert(name.to_string(), module.clone());
            }
        }
    }
    let target = |first: &str, second: Option<&str>| -> Option<String> {
        let first = if top.contains(first) {
            first.to_string()
        } else {
            reexports.get(first)?.clone()
        };
        Some(match second {
            Some(s) if children.get(&first).is_some_and(|c| c.contains(s)) => {
                format!("{first}/{s}")
            }
            _ => first,
        })
    };

    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let r = rel(f);
        let from = part_of(&r);
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        let mut uses: Vec<String> = crate_paths(&code)
            .into_iter()
            .filter_map(|(a, b)| target(&a, b.as_deref()))
            .collect();
        // `super::x` from a folder's mod.rs or a top-level folder's child leaves the part.
        let folder: Vec<String> = r
            .parent()
            .map(|p| p.iter().map(|s| s.to_string_lossy().to_string()).collect())
            .unwrap_or_default();
        let is_mod = r.file_name().is_some_and(|n| n == "mod.rs");
        let parent_module: Vec<String> = if is_mod {
            folder[..folder.len().saturating_sub(1)].to_vec()
        } else {
            folder.clone()
        };
        if parent_module.len() == 1 && code.contains("super::") {
            let mut rest = code.as_str();
            while let Some(at) = rest.find("super::") {
                rest = &rest[at + "super::".len()..];
                let name = ident(rest);
                let parent = &parent_module[0];
                uses.push(if children.get(parent).is_some_and(|c| c.contains(&name)) {
                    format!("{parent}/{name}")
                } else {
                    parent.clone()
                });
            }
        }
        for to in uses {
            if to != from {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }

    // A cycle, if any: depth-first search with the path on the stack.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    let nodes: Vec<String> = edges.keys().cloned().collect();
    for node in &nodes {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0
            && let Some(cycle) = visit(node, &edges, &mut state, &mut Vec::new())
        {
            panic!(
                "an import cycle in src/: {}\n(the parts and what they use: {edges:#?})",
                cycle.join(" -> ")
            );
        }
    }
    // The check sees the layers it is meant to see.
    let uses = |from: &str, to: &str| {
        edges.get(from).is_some_and(|e| {
            e.iter()
                .any(|t| t == to || t.starts_with(&format!("{to}/")))
        })
    };
    assert!(uses("doors/http", "ops"), "{edges:#?}");
    assert!(uses("ops/search", "store"), "{edges:#?}");
    assert!(!uses("error", "store"), "{edges:#?}");
}
