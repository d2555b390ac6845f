//! Keyword queries: what a user typed, turned into the terms the keyword arm looks for.

use crate::model::keyword_tokens::{Piece, pieces, run_tokens};
use crate::store::KeywordQuery;

/// Words too common to say anything about a document; dropping them keeps OR queries fast
/// (bm25 is computed for every match) and rankings sharp.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "get",
    "got",
    "use",
    "using",
    "used",
    "anyone",
    "way",
    "want",
    "need",
];

/// Most terms a keyword query keeps.
const MAX_TERMS: usize = 32;

/// Turns a user's query into a keyword query: significant words (stopwords dropped) OR-ed;
/// `"quoted phrases"` kept as phrases. bm25 already favours documents that hold more of the
/// words, and fusion weighs a weak keyword match by how far it trails the best one. (Short
/// queries once had to match two of their words: on SciFact that cost 0.027 nDCG@10 in the
/// keyword arm and 0.012 fused, and with score fusion it no longer helped the agent
/// questions.) A leading
/// `-` is part of what an agent pasted (`-Xmx1g`, `docker run -e`), not an exclusion: the
/// word is searched like any other. `None` when nothing searchable is left.
///
/// The words are the keyword index's own tokens ([`crate::model::keyword_tokens`]). A run of
/// Chinese, Japanese or Korean characters is searched as the phrase of its pairs OR each
/// pair: texts that hold the whole run rank first, and a long typed clause still finds texts
/// that share part of it.
pub fn keyword_query(query: &str) -> Option<KeywordQuery> {
    let mut include: Vec<Vec<String>> = Vec::new();
    let mut rest = query;
    // Phrases first.
    let mut unquoted = String::new();
    while let Some(start) = rest.find('"') {
        unquoted.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('"') {
            Some(end) => {
                let tokens = phrase_tokens(&after[..end]);
                if !tokens.is_empty() {
                    include.push(tokens);
                }
                rest = &after[end + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    unquoted.push_str(rest);
    let pieces = pieces(&unquoted);
    let has_runs = pieces.iter().any(|p| matches!(p, Piece::Run(_)));
    let significant = |w: &str| !STOPWORDS.contains(&w);
    // Stopwords alone are searched, unless something else is there to search.
    let keep_stopwords = !has_runs
        && !pieces
            .iter()
            .any(|p| matches!(p, Piece::Word(w) if significant(w)));
    // One term per stem: "builds" and "build" are the same word to the porter tokenizer.
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut stems = Vec::new();
    let add = |include: &mut Vec<Vec<String>>, term: Vec<String>| {
        if !include.contains(&term) {
            include.push(term);
        }
    };
    for piece in pieces {
        match piece {
            Piece::Word(w) if keep_stopwords || significant(&w) => {
                let stem = stemmer.stem(&w).into_owned();
                if !stems.contains(&stem) {
                    stems.push(stem);
                    add(&mut include, vec![w]);
                }
            }
            Piece::Word(_) => {}
            Piece::Run(run) => {
                let tokens = run_tokens(&run);
                if tokens.len() > 1 {
                    add(&mut include, tokens.clone());
                }
                for token in tokens {
                    add(&mut include, vec![token]);
                }
            }
        }
    }
    include.truncate(MAX_TERMS);
    if include.is_empty() {
        return None;
    }
    Some(KeywordQuery { terms: include })
}

/// A quoted phrase's tokens, in order (a run's pairs in place of the run).
fn phrase_tokens(text: &str) -> Vec<String> {
    pieces(text)
        .into_iter()
        .flat_map(|piece| match piece {
            Piece::Word(w) => vec![w],
            Piece::Run(run) => run_tokens(&run),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query as FTS5 would be given it, to read the cases at a glance.
    fn fts_query(query: &str) -> Option<String> {
        keyword_query(query).map(|q| {
            q.terms
                .iter()
                .map(|t| format!("\"{}\"", t.join(" ")))
                .collect::<Vec<_>>()
                .join(" OR ")
        })
    }

    #[test]
    fn fts_queries() {
        assert_eq!(
            fts_query("deploy FastAPI").unwrap(),
            r#""deploy" OR "fastapi""#
        );
        assert_eq!(
            fts_query("How do I deploy FastAPI to ECS?").unwrap(),
            r#""deploy" OR "fastapi" OR "ecs""#
        );
        assert_eq!(
            fts_query(r#"postgres "connection pool" -pgbouncer"#).unwrap(),
            r#""connection pool" OR "postgres" OR "pgbouncer""#
        );
        // Pasted flags are words, not exclusions.
        assert_eq!(
            fts_query("OOMKilled with -Xmx1g").unwrap(),
            r#""oomkilled" OR "xmx1g""#
        );
        assert_eq!(fts_query("the and").unwrap(), r#""the" OR "and""#);
        assert_eq!(fts_query("?!"), None);
        assert_eq!(fts_query("builds of the build").unwrap(), r#""builds""#);
        let long = "one two three four five six seven eight nine";
        assert_eq!(fts_query(long).unwrap().matches(" OR ").count(), 8);
        // Accents go as the index folds them.
        assert_eq!(fts_query("Caractères").unwrap(), r#""caracteres""#);
    }

    #[test]
    fn runs_are_the_phrase_of_their_pairs_or_each_pair() {
        assert_eq!(
            fts_query("缓存失效").unwrap(),
            r#""缓存 存失 失效" OR "缓存" OR "存失" OR "失效""#
        );
        // A two-character word is one pair; one character is itself.
        assert_eq!(
            fts_query("构建缓存 锁").unwrap(),
            r#""构建 建缓 缓存" OR "构建" OR "建缓" OR "缓存" OR "锁""#
        );
        assert_eq!(fts_query("누수").unwrap(), r#""누수""#);
        // Latin inside a run is a word of its own; stopwords give way to a run.
        assert_eq!(
            fts_query("the Docker的缓存").unwrap(),
            r#""docker" OR "的缓 缓存" OR "的缓" OR "缓存""#
        );
        assert_eq!(
            fts_query(r#""构建缓存" docker"#).unwrap(),
            r#""构建 建缓 缓存" OR "docker""#
        );
    }
}
