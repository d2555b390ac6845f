//! Measuring search quality on a BEIR-layout collection (`corpus.jsonl[.gz]`, `queries.jsonl`,
//! `qrels/*.tsv`): load it into a scratch store through the normal write path, run every
//! judged query in each search mode, and report nDCG@10 as BEIR and MTEB compute it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::{ExperienceContent, NewExperience};
use crate::model::search::{SearchMode, SearchQuery};
use crate::ops::Plurum;

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub documents: usize,
    pub queries: usize,
    pub ndcg_at_10: ModeScores,
    /// Seconds spent loading (and embedding) the corpus.
    pub ingest_seconds: f64,
    /// Median in-process search latency per mode, milliseconds.
    pub median_ms: ModeScores,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ModeScores {
    pub keyword: f64,
    pub vector: f64,
    pub hybrid: f64,
}

struct Collection {
    /// (corpus id, title, text)
    docs: Vec<(String, String, String)>,
    /// (query id, text)
    queries: Vec<(String, String)>,
    /// query id -> relevant corpus id -> grade
    qrels: HashMap<String, HashMap<String, u32>>,
}

fn open_maybe_gz(path: &Path) -> Result<Box<dyn BufRead>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::new(reader)))
}

fn first_existing(dir: &Path, names: &[&str]) -> Result<PathBuf> {
    names
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} has none of {}",
                dir.display(),
                names.join(", ")
            ))
        })
}

fn load(dir: &Path, max_queries: Option<usize>) -> Result<Collection> {
    let mut docs = Vec::new();
    for line in open_maybe_gz(&first_existing(dir, &["corpus.jsonl", "corpus.jsonl.gz"])?)?.lines()
    {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| Error::invalid("corpus", e))?;
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        docs.push((text("_id"), text("title"), text("text")));
    }
    let qrels_path = first_existing(dir, &["qrels/test.tsv", "qrels/train.tsv", "qrels/dev.tsv"])?;
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in open_maybe_gz(&qrels_path)?.lines().skip(1) {
        let line = line?;
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 3 {
            let grade: u32 = cols[2].trim().parse().unwrap_or(0);
            if grade > 0 {
                qrels
                    .entry(cols[0].to_string())
                    .or_default()
                    .insert(cols[1].to_string(), grade);
            }
        }
    }
    let mut queries = Vec::new();
    for line in open_maybe_gz(&first_existing(
        dir,
        &["queries.jsonl", "queries.jsonl.gz"],
    )?)?
    .lines()
    {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| Error::invalid("queries", e))?;
        let id = v["_id"].as_str().unwrap_or_default().to_string();
        if qrels.contains_key(&id) {
            queries.push((id, v["text"].as_str().unwrap_or_default().to_string()));
        }
    }
    if let Some(max) = max_queries {
        queries.truncate(max);
    }
    Ok(Collection {
        docs,
        queries,
        qrels,
    })
}

/// nDCG@10 of one ranking: gain 2^rel − 1, discount log2(rank + 1).
pub fn ndcg_at_10(ranked: &[String], relevant: &HashMap<String, u32>) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| {
            let rel = *relevant.get(id).unwrap_or(&0) as f64;
            (2f64.powf(rel) - 1.0) / ((i + 2) as f64).log2()
        })
        .sum();
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, rel)| (2f64.powf(*rel as f64) - 1.0) / ((i + 2) as f64).log2())
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

impl Plurum {
    /// Loads a BEIR collection into this (scratch) store and scores every search mode.
    pub fn evaluate_beir(
        &self,
        dir: &Path,
        max_queries: Option<usize>,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<EvalReport> {
        let c = load(dir, max_queries)?;
        let agent: Agent = self.agent("beir-eval")?;
        // Each document becomes an experience: the title as its goal, the text as its context.
        let items: Vec<NewExperience> = c
            .docs
            .iter()
            .map(|(_, title, text)| NewExperience {
                content: ExperienceContent {
                    context: Some(text.clone()),
                    ..ExperienceContent::with_goal(title.clone())
                },
                artifacts: Vec::new(),
            })
            .collect();
        let t = Instant::now();
        let total = items.len();
        let created = self.create_experiences(&agent, items, false, None, &mut |n| {
            progress("loading", n, total)
        })?;
        let ingest_seconds = t.elapsed().as_secs_f64();
        let doc_of: HashMap<String, String> = created
            .iter()
            .zip(&c.docs)
            .map(|(e, (doc_id, _, _))| (e.experience.id.clone(), doc_id.clone()))
            .collect();

        let mut ndcg = ModeScores::default();
        let mut median = ModeScores::default();
        for mode in [SearchMode::Keyword, SearchMode::Vector, SearchMode::Hybrid] {
            let mut sum = 0.0;
            let mut times = Vec::with_capacity(c.queries.len());
            for (i, (qid, text)) in c.queries.iter().enumerate() {
                let mut q = SearchQuery::new(text.chars().take(1000).collect::<String>());
                q.mode = mode;
                let t = Instant::now();
                let results = self.search(&agent, &q)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                if mode != SearchMode::Keyword && !results.semantic {
                    return Err(Error::other(format!(
                        "vector search is unavailable: {}",
                        results.semantic_reason.unwrap_or_default()
                    )));
                }
                let ranked: Vec<String> = results
                    .hits
                    .iter()
                    .filter_map(|h| doc_of.get(&h.experience.id).cloned())
                    .collect();
                sum += ndcg_at_10(&ranked, &c.qrels[qid]);
                progress(&format!("{mode:?}").to_lowercase(), i + 1, c.queries.len());
            }
            times.sort_by(f64::total_cmp);
            let score = sum / c.queries.len().max(1) as f64;
            let med = times.get(times.len() / 2).copied().unwrap_or(0.0);
            match mode {
                SearchMode::Keyword => (ndcg.keyword, median.keyword) = (score, med),
                SearchMode::Vector => (ndcg.vector, median.vector) = (score, med),
                SearchMode::Hybrid => (ndcg.hybrid, median.hybrid) = (score, med),
            }
        }
        Ok(EvalReport {
            documents: c.docs.len(),
            queries: c.queries.len(),
            ndcg_at_10: ndcg,
            ingest_seconds,
            median_ms: median,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_matches_hand_computation() {
        let rel: HashMap<String, u32> = [("a".to_string(), 1), ("b".to_string(), 1)].into();
        let perfect = ndcg_at_10(&["a".into(), "b".into(), "c".into()], &rel);
        assert!((perfect - 1.0).abs() < 1e-12);
        // Relevant at ranks 2 and 3: (1/log2 3 + 1/log2 4) / (1 + 1/log2 3).
        let got = ndcg_at_10(&["c".into(), "a".into(), "b".into()], &rel);
        let want = (1.0 / 3f64.log2() + 0.5) / (1.0 + 1.0 / 3f64.log2());
        assert!((got - want).abs() < 1e-12);
        assert_eq!(ndcg_at_10(&["x".into()], &rel), 0.0);
    }
}
