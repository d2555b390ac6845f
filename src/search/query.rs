//! Keyword queries: what a user typed, turned into the terms the keyword arm looks for.

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
                let words = words(&after[..end]);
                if !words.is_empty() {
                    include.push(words);
                }
                rest = &after[end + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    unquoted.push_str(rest);
    let plain = words(&unquoted);
    let significant: Vec<String> = plain
        .iter()
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    let chosen = if significant.is_empty() {
        plain
    } else {
        significant
    };
    // One term per stem: "builds" and "build" are the same word to the porter tokenizer.
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut stems = Vec::new();
    for w in chosen {
        let stem = stemmer.stem(&w).into_owned();
        if !stems.contains(&stem) {
            stems.push(stem);
            include.push(vec![w]);
        }
    }
    include.truncate(MAX_TERMS);
    if include.is_empty() {
        return None;
    }
    Some(KeywordQuery { terms: include })
}

/// Lower-cased alphanumeric words (FTS5's unicode61 splits on the same boundaries).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
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
    }
}
