//! SQL for search (Postgres): who may be found (one eligibility condition, shared by every
//! query below), the keyword arm ranked by BM25 (as FTS5's bm25), and the vector arm in
//! SQL. Unlike SQLite, where scanning the vectors in process beats sqlite-vec's own search,
//! here the vectors live in another process: pgvector ranks them where they are
//! ([`nearest`]), exactly (no approximate index), with eligibility in the WHERE clause so it
//! applies before the top k is cut.

use std::collections::{HashMap, HashSet};

use postgres::Transaction;

use super::PgTx;
use super::columns::Args;
use crate::bm25::{B, K1};
use crate::error::Result;
use crate::model::experience::Experience;
use crate::store::SearchTx;
use crate::store::{Eligibility, KeywordPlan, KeywordQuery, KeywordStats, SCAN_PIECE, sql};

/// The JOIN and WHERE that keep only the rows of `rows` (an alias with a `seq`) that `elig`
/// admits; nothing of either when `None` (every row counts).
fn join_eligible(rows: &str, elig: Option<&Eligibility>, args: &mut Args) -> (String, String) {
    match elig {
        Some(elig) => (
            format!("JOIN experiences e ON e.seq = {rows}.seq"),
            format!("WHERE {}", sql::eligible(args, elig)),
        ),
        None => (String::new(), String::new()),
    }
}

/// The hits of one keyword query term in SQL: (seq, idf, weighted term frequency, document
/// length) rows. A word is looked up in `experience_terms` by its stem (an index-only
/// scan); a quoted phrase matches through the tsvector index (`phraseto_tsquery`, its words
/// in order), with a frequency of 1.
struct Terms {
    /// `SELECT seq, idf, tf, length …` branches, joined by `UNION ALL`.
    hits: String,
    /// The average document length, BM25's `avgdl`.
    average_length: f64,
}

/// Binds the query's terms with their inverse document frequencies (FTS5's bm25 idf:
/// ln((N − n + 0.5) / (n + 0.5)), at least 1e-6), looked up in the index first. `None` when
/// no term has a stem (nothing to match).
fn terms(c: &mut Transaction, query: &KeywordQuery, args: &mut Args) -> Result<Option<Terms>> {
    let stats = c.query_one(
        "SELECT count(*), coalesce(avg(length), 1)::float8 FROM experience_lengths",
        &[],
    )?;
    let (docs, average_length): (i64, f64) = (stats.get(0), stats.get(1));
    let idf = |n: i64| crate::bm25::idf(docs, n);
    let words: Vec<String> = query
        .terms
        .iter()
        .filter(|t| t.len() == 1)
        .map(|t| t[0].clone())
        .collect();
    let mut branches = Vec::new();
    if !words.is_empty() {
        // Each word's stem, and how many documents hold it.
        let stems: Vec<(String, i64)> = c
            .query(
                "SELECT s.lexeme,
                        (SELECT count(*) FROM experience_terms t WHERE t.lexeme = s.lexeme)
                 FROM (SELECT DISTINCT u.lexeme
                       FROM unnest($1::text[]) w, unnest(to_tsvector('plurum', w)) u) s",
                &[&words],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        if !stems.is_empty() {
            let lexemes = args.push(stems.iter().map(|s| s.0.clone()).collect::<Vec<_>>());
            let idfs = args.push(stems.iter().map(|s| idf(s.1)).collect::<Vec<f64>>());
            branches.push(format!(
                "SELECT t.seq, w.idf, t.tf, t.length
                 FROM unnest({lexemes}::text[], {idfs}::float8[]) AS w(lexeme, idf)
                 JOIN experience_terms t ON t.lexeme = w.lexeme"
            ));
        }
    }
    for phrase in query.terms.iter().filter(|t| t.len() > 1) {
        let text = phrase.join(" ");
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM experience_fts
                 WHERE document @@ phraseto_tsquery('plurum', $1::text)",
                &[&text],
            )?
            .get(0);
        let p = args.push(text);
        let w = args.push(idf(n));
        branches.push(format!(
            "SELECT f.seq, {w}::float8, 1.0::float8, l.length
             FROM experience_fts f JOIN experience_lengths l ON l.seq = f.seq
             WHERE f.document @@ phraseto_tsquery('plurum', {p}::text)"
        ));
    }
    if branches.is_empty() {
        return Ok(None);
    }
    Ok(Some(Terms {
        hits: branches.join(" UNION ALL "),
        average_length: average_length.max(1.0),
    }))
}

/// The keyword arm: BM25 over the weighted term frequencies (FTS5's formula), best first,
/// among the experiences `filter` (a condition over `e`) admits; `None` admits all.
fn bm25(
    c: &mut Transaction,
    query: &KeywordQuery,
    limit: usize,
    elig: Option<&Eligibility>,
) -> Result<Vec<(i64, f64)>> {
    let mut args = Args::default();
    let Some(terms) = terms(c, query, &mut args)? else {
        return Ok(Vec::new());
    };
    let avg = args.push(terms.average_length);
    let limit = args.push(limit as i64);
    let (join, filter) = join_eligible("h", elig, &mut args);
    Ok(c.query(
        &format!(
            "SELECT h.seq,
                    sum(h.idf * h.tf * {k1_1} / (h.tf + {K1} * ({one_b} + {B} * h.length / {avg})))
                        AS score
             FROM ({hits}) AS h(seq, idf, tf, length) {join}
             {filter}
             GROUP BY h.seq
             ORDER BY score DESC, h.seq LIMIT {limit}",
            hits = terms.hits,
            k1_1 = K1 + 1.0,
            one_b = 1.0 - B,
        ),
        &args.refs(),
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

impl SearchTx for PgTx<'_> {
    fn eligible_seqs(&self, elig: &Eligibility) -> Result<HashSet<i64>> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let filter = sql::eligible(&mut args, elig);
        Ok(c.query(
            &format!("SELECT e.seq FROM experiences e WHERE {filter}"),
            &args.refs(),
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }
    fn keep_eligible(
        &self,
        candidates: Vec<(i64, f64)>,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        let c = &mut self.tx();
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let mut args = Args::default();
        let seqs = args.push(candidates.iter().map(|(s, _)| *s).collect::<Vec<i64>>());
        let filter = sql::eligible(&mut args, elig);
        let ok: HashSet<i64> = c
            .query(
                &format!("SELECT e.seq FROM experiences e WHERE e.seq = ANY({seqs}) AND {filter}"),
                &args.refs(),
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(candidates
            .into_iter()
            .filter(|(seq, _)| ok.contains(seq))
            .collect())
    }
    fn keyword_stats(&self, _query: &KeywordQuery) -> Result<Option<KeywordStats>> {
        Ok(None)
    }
    fn keyword_ranked(
        &self,
        query: &KeywordQuery,
        _plan: Option<KeywordPlan>,
        depth: usize,
    ) -> Result<Vec<(i64, f64)>> {
        self.with(|c| bm25(c, query, depth, None))
    }
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        _plan: Option<KeywordPlan>,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        self.with(|c| bm25(c, query, k, Some(elig)))
    }
    fn experience_vector(&self, seq: i64) -> Result<Option<Vec<f32>>> {
        let c = &mut self.tx();
        Ok(c.query_opt(
            "SELECT embedding FROM experience_vectors WHERE seq = $1",
            &[&seq],
        )?
        .map(|r| r.get::<_, pgvector::Vector>(0).to_vec()))
    }
    fn experiences_by_seq(&self, seqs: &[i64]) -> Result<HashMap<i64, Experience>> {
        let c = &mut self.tx();
        let seqs = seqs.to_vec();
        let rows = c.query(
            &format!(
                "SELECT {} FROM experiences WHERE seq = ANY($1)",
                super::experiences::COLUMNS
            ),
            &[&seqs],
        )?;
        let mut out = HashMap::with_capacity(rows.len());
        for r in &rows {
            let e = super::experiences::from_row(r)?;
            out.insert(e.seq, e);
        }
        Ok(out)
    }
    /// The `k` experiences nearest to `query` among those `elig` admits (all when `None`), as
    /// (seq, L2 distance): exact (a scan, no HNSW/IVFFlat index), eligibility applied before
    /// the cut. Without conditions the scan reads the vectors alone (67 ms at 100,000 against
    /// 125 ms joined to `experiences`), so the search layer asks for a few more than it needs
    /// and filters those ([`crate::search`]'s `top_eligible`) when nearly all are eligible.
    fn nearest(
        &self,
        query: &[f32],
        k: usize,
        elig: Option<&Eligibility>,
    ) -> Result<Vec<(i64, f64)>> {
        let c = &mut self.tx();
        let mut args = Args::default();
        let v = args.push(pgvector::Vector::from(query.to_vec()));
        let limit = args.push(k as i64);
        let (join, filter) = join_eligible("v", elig, &mut args);
        Ok(c.query(
            &format!(
                "SELECT v.seq, (v.embedding <-> {v})::float8 AS distance
                 FROM experience_vectors v {join}
                 {filter}
                 ORDER BY distance, v.seq LIMIT {limit}"
            ),
            &args.refs(),
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    }
    /// Every stored vector (of the wanted seqs), in seq order, handed to `visit` in pieces of
    /// at most [`SCAN_PIECE`]: what the in-process scan reads when a caller wants it.
    fn walk_vectors(
        &self,
        dim: usize,
        only: Option<&HashSet<i64>>,
        visit: &mut crate::store::VectorVisitor,
    ) -> Result<()> {
        let c = &mut self.tx();
        let rows = match only {
            Some(set) => {
                let seqs: Vec<i64> = set.iter().copied().collect();
                c.query(
                    "SELECT seq, embedding FROM experience_vectors WHERE seq = ANY($1) ORDER BY seq",
                    &[&seqs],
                )?
            }
            None => c.query(
                "SELECT seq, embedding FROM experience_vectors ORDER BY seq",
                &[],
            )?,
        };
        let mut piece = Vec::with_capacity(SCAN_PIECE * dim);
        let mut slots = Vec::with_capacity(SCAN_PIECE);
        for r in &rows {
            let v: pgvector::Vector = r.get(1);
            let v = v.as_slice();
            if v.len() != dim {
                continue;
            }
            slots.push((slots.len(), r.get::<_, i64>(0)));
            piece.extend_from_slice(v);
            if slots.len() == SCAN_PIECE {
                visit(&piece, &slots);
                piece.clear();
                slots.clear();
            }
        }
        if !slots.is_empty() {
            visit(&piece, &slots);
        }
        Ok(())
    }
    /// Postgres keeps no codes: its vector arm ranks in the database ([`Self::nearest`]).
    fn keeps_vector_codes(&self) -> bool {
        false
    }
    fn walk_vector_codes(
        &self,
        _len: usize,
        _only: Option<&HashSet<i64>>,
        _visit: &mut crate::store::CodeVisitor,
    ) -> Result<()> {
        Ok(())
    }
    fn vectors_of(&self, seqs: &[i64], dim: usize) -> Result<(Vec<i64>, Vec<f32>)> {
        let c = &mut self.tx();
        let mut found = Vec::with_capacity(seqs.len());
        let mut values = Vec::with_capacity(seqs.len() * dim);
        for r in c.query(
            "SELECT seq, embedding FROM experience_vectors WHERE seq = ANY($1)",
            &[&seqs],
        )? {
            let v: pgvector::Vector = r.get(1);
            if v.as_slice().len() == dim {
                found.push(r.get::<_, i64>(0));
                values.extend_from_slice(v.as_slice());
            }
        }
        Ok((found, values))
    }
}
