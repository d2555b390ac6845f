//! What a project shows of itself, as words an experience's tags or tools may hold: the
//! session-start hook offers experiences about these (`plurum hook session-start`).
//!
//! The words come from the project's folder name, its git remote's repository name, and the
//! marker files at its root (`Cargo.toml` says rust and cargo). Reading the folder is the
//! caller's job; this module only turns names into words, so the rule is testable and lives
//! in one place.

/// Marker files (or, ending in `/`, folders) at a project's root, and the languages and tools
/// each names. Lower-case, as tags and tools are stored.
pub const MARKERS: &[(&str, &[&str])] = &[
    ("Cargo.toml", &["rust", "cargo"]),
    ("package.json", &["javascript", "node", "npm"]),
    ("tsconfig.json", &["typescript"]),
    ("deno.json", &["deno", "typescript"]),
    ("bun.lockb", &["bun"]),
    ("pnpm-lock.yaml", &["pnpm"]),
    ("yarn.lock", &["yarn"]),
    ("pyproject.toml", &["python"]),
    ("requirements.txt", &["python", "pip"]),
    ("setup.py", &["python"]),
    ("uv.lock", &["uv", "python"]),
    ("poetry.lock", &["poetry", "python"]),
    ("Pipfile", &["pipenv", "python"]),
    ("go.mod", &["go"]),
    ("Gemfile", &["ruby", "bundler"]),
    ("pom.xml", &["java", "maven"]),
    ("build.gradle", &["java", "gradle"]),
    ("build.gradle.kts", &["kotlin", "gradle"]),
    ("composer.json", &["php", "composer"]),
    ("mix.exs", &["elixir"]),
    ("Package.swift", &["swift"]),
    ("CMakeLists.txt", &["cmake", "c++"]),
    ("meson.build", &["meson"]),
    ("Makefile", &["make"]),
    ("Dockerfile", &["docker"]),
    ("docker-compose.yml", &["docker", "docker-compose"]),
    ("docker-compose.yaml", &["docker", "docker-compose"]),
    ("compose.yaml", &["docker", "docker-compose"]),
    ("Chart.yaml", &["helm", "kubernetes"]),
    ("main.tf", &["terraform"]),
    ("flake.nix", &["nix"]),
    ("pubspec.yaml", &["dart", "flutter"]),
    ("stack.yaml", &["haskell"]),
    ("dune-project", &["ocaml"]),
    (".github/", &["github-actions"]),
    (".gitlab-ci.yml", &["gitlab-ci"]),
];

/// The words a project shows: the folder's name, the git remote's repository name, and the
/// marker files present (`present` holds the names of [`MARKERS`] found at the root), in
/// that order, lower-case, each once.
pub fn project_words(folder: Option<&str>, remote: Option<&str>, present: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        let w = w.trim().to_lowercase();
        if w.len() >= 2 && w.len() <= 100 && !words.contains(&w) {
            words.push(w);
        }
    };
    if let Some(folder) = folder {
        add(folder);
    }
    if let Some(name) = remote.and_then(repository_name) {
        add(&name);
    }
    for (marker, named) in MARKERS {
        if present.contains(marker) {
            named.iter().for_each(|w| add(w));
        }
    }
    words
}

/// The repository's name in a git remote URL: `git@github.com:acme/web-app.git` and
/// `https://github.com/acme/web-app` both give `web-app`.
pub fn repository_name(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let last = url.rsplit(['/', ':']).next()?;
    let name = last.strip_suffix(".git").unwrap_or(last);
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_from_folder_remote_and_markers_once_each() {
        let words = project_words(
            Some("Web-App"),
            Some("git@github.com:acme/web-app.git"),
            &["package.json", "Dockerfile", "tsconfig.json"],
        );
        assert_eq!(
            words,
            [
                "web-app",
                "javascript",
                "node",
                "npm",
                "typescript",
                "docker"
            ]
        );
    }

    #[test]
    fn repository_names_from_the_usual_remote_forms() {
        for url in [
            "https://github.com/acme/plurum.git",
            "https://github.com/acme/plurum/",
            "git@github.com:acme/plurum.git",
            "ssh://git@example.com/plurum",
        ] {
            assert_eq!(repository_name(url).as_deref(), Some("plurum"), "{url}");
        }
        assert_eq!(repository_name(""), None);
    }
}
