//! SQL for search (Postgres): who may be found (one eligibility condition, shared by every
//! query below), the keyword arm ranked by BM25 (as FTS5's bm25, bounded as SQLite's is by
//! [`crate::bm25`] with the counts kept by triggers), and the vector arm in SQL. Unlike
//! SQLite, where the vectors are scanned in process, here they live in another process:
//! pgvector ranks them where they are (`nearest`), through an HNSW index where the
//! server's pgvector can keep a filtered search complete, with eligibility in the WHERE
//! clause so it applies before the top k is cut.

use std::collections::{HashMap, HashSet};

use postgres::Transaction;

use super::PgTx;
use super::columns::Args;
use crate::bm25::{B, K1};
use crate::error::Result;
use crate::model::experience::Experience;
use crate::store::SearchTx;
use crate::store::{Eligibility, KeywordPlan, KeywordQuery, KeywordStats, SCAN_PIECE, sql};

/// Candidates pgvector's HNSW search keeps while it walks the graph (`hnsw.ef_search`, 40 by
/// default). On the SciFact-derived stores of `scripts/bench.sh scale` (clusters of noisy
/// copies, hard for a graph) 200 gave the exact top 10 0.949 of the time; 400, with the
/// denser graph [`super::vectors::ensure_index`] builds, is what the bench reports now.
const EF_SEARCH: usize = 400;
/// pgvector's largest `hnsw.ef_search`; a deeper search ranks exactly.
const MAX_EF_SEARCH: usize = 1000;

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

/// How many documents the keyword index holds and their average length, from the counts
/// kept by migrations/postgres/0005's triggers (summed over their shards).
fn totals(c: &mut Transaction) -> Result<(i64, f64)> {
    let r = c.query_one(
        "SELECT coalesce(sum(docs), 0)::bigint, coalesce(sum(length), 0)::float8 FROM keyword_totals",
        &[],
    )?;
    let (docs, length): (i64, f64) = (r.get(0), r.get(1));
    Ok((docs, if docs > 0 { length / docs as f64 } else { 1.0 }))
}

/// Each word's distinct stems, in the word's order (none for a word of punctuation alone).
fn word_lexemes(c: &mut Transaction, words: &[String]) -> Result<Vec<Vec<String>>> {
    let mut out = vec![Vec::new(); words.len()];
    for r in c.query(
        "SELECT w.i, u.lexeme
         FROM unnest($1::text[]) WITH ORDINALITY AS w(word, i),
              unnest(to_tsvector('plurum', w.word)) u
         ORDER BY w.i, u.lexeme",
        &[&words],
    )? {
        let (i, lexeme): (i64, String) = (r.get(0), r.get(1));
        out[(i - 1) as usize].push(lexeme);
    }
    Ok(out)
}

/// How many documents hold each of `lexemes` (kept counts; a lexeme no document holds is
/// absent).
fn lexeme_docs(c: &mut Transaction, lexemes: &[String]) -> Result<HashMap<String, i64>> {
    Ok(c.query(
        "SELECT lexeme, sum(docs)::bigint FROM keyword_lexeme_docs
             WHERE lexeme = ANY($1) GROUP BY lexeme",
        &[&lexemes],
    )?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

/// Binds the query's terms with their inverse document frequencies (FTS5's bm25 idf:
/// ln((N − n + 0.5) / (n + 0.5)), at least 1e-6). `None` when no term has a stem (nothing
/// to match). With `essential` (indexes into the query's terms, which are then single words
/// of one stem each: [`SearchTx::keyword_stats`]), only the rows holding one of those terms
/// are scored, by every term.
fn terms(
    c: &mut Transaction,
    query: &KeywordQuery,
    essential: Option<&[usize]>,
    args: &mut Args,
) -> Result<Option<Terms>> {
    let (docs, average_length) = totals(c)?;
    let idf = |n: i64| crate::bm25::idf(docs, n);
    let words: Vec<String> = query
        .terms
        .iter()
        .filter(|t| t.len() == 1)
        .map(|t| t[0].clone())
        .collect();
    let per_word = word_lexemes(c, &words)?;
    let mut lexemes: Vec<String> = Vec::new();
    for l in per_word.iter().flatten() {
        if !lexemes.contains(l) {
            lexemes.push(l.clone());
        }
    }
    let mut branches = Vec::new();
    if !lexemes.is_empty() {
        let counts = lexeme_docs(c, &lexemes)?;
        let idfs: Vec<f64> = lexemes
            .iter()
            .map(|l| idf(counts.get(l).copied().unwrap_or(0)))
            .collect();
        let chosen: Option<Vec<String>> = essential.map(|essential| {
            essential
                .iter()
                .filter_map(|&i| per_word.get(i)?.first().cloned())
                .collect()
        });
        let docs_of =
            |ls: &[String]| -> i64 { ls.iter().map(|l| counts.get(l).copied().unwrap_or(0)).sum() };
        let all_postings = docs_of(&lexemes);
        let lexeme_count = lexemes.len() as i64;
        let lexemes = args.push(lexemes);
        let idfs = args.push(idfs);
        branches.push(match chosen {
            // Few candidates (the rows of the rare words): each is looked up under every
            // word of the query, a probe of the (lexeme, seq) index, instead of reading
            // every row of the common words and keeping those of the candidates. A probe
            // costs about what four rows of a read cost; OFFSET 0 keeps the planner from
            // turning the lookups back into that read. (GROUP BY, not DISTINCT: the planner
            // reads the candidates from the index then, not from the table's pages.)
            Some(chosen) if docs_of(&chosen) * lexeme_count * 4 < all_postings => {
                let chosen = args.push(chosen);
                format!(
                    "SELECT c.seq, w.idf, t.tf, t.length
                     FROM (SELECT p.seq FROM experience_terms p
                           WHERE p.lexeme = ANY({chosen}::text[]) GROUP BY p.seq) AS c,
                          unnest({lexemes}::text[], {idfs}::float8[]) AS w(lexeme, idf),
                          LATERAL (SELECT t.tf, t.length FROM experience_terms t
                                   WHERE t.lexeme = w.lexeme AND t.seq = c.seq OFFSET 0) AS t"
                )
            }
            // Otherwise every row of the query's words is read, kept when it is a
            // candidate's (or always, unbounded).
            chosen => {
                let restrict = match chosen {
                    Some(chosen) => {
                        let chosen = args.push(chosen);
                        format!(
                            " AND t.seq IN (SELECT p.seq FROM experience_terms p WHERE p.lexeme = ANY({chosen}::text[]))"
                        )
                    }
                    None => String::new(),
                };
                format!(
                    "SELECT t.seq, w.idf, t.tf, t.length
                     FROM unnest({lexemes}::text[], {idfs}::float8[]) AS w(lexeme, idf)
                     JOIN experience_terms t ON t.lexeme = w.lexeme{restrict}"
                )
            }
        });
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
/// among the experiences `filter` (a condition over `e`) admits; `None` admits all. With a
/// plan, only the rows holding one of its essential terms are ranked.
///
/// Each word's part is summed as `numeric` (exact, so in any order): a float sum depends on
/// the order the plan hands the rows over, and two documents of the same text would score
/// a last bit apart, so that ties between them (broken by `seq`) fell differently in the
/// bounded and the exact query.
fn bm25(
    c: &mut Transaction,
    query: &KeywordQuery,
    plan: Option<KeywordPlan>,
    limit: usize,
    elig: Option<&Eligibility>,
) -> Result<Vec<(i64, f64)>> {
    let mut args = Args::default();
    let Some(terms) = terms(c, query, plan.map(|p| p.essential), &mut args)? else {
        return Ok(Vec::new());
    };
    let avg = args.push(terms.average_length);
    let limit = args.push(limit as i64);
    let (join, filter) = join_eligible("h", elig, &mut args);
    Ok(c.query(
        &format!(
            "SELECT h.seq,
                    sum((h.idf * h.tf * {k1_1} / (h.tf + {K1} * ({one_b} + {B} * h.length / {avg})))::numeric)::float8
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
    /// The kept counts, when every term is a word of one stem and no two share a stem (the
    /// bounded ranking scores term by term; anything else is ranked in full).
    fn keyword_stats(&self, query: &KeywordQuery) -> Result<Option<KeywordStats>> {
        self.index_pending()?;
        self.with(|c| {
            let mut words = Vec::with_capacity(query.terms.len());
            for term in &query.terms {
                let [word] = term.as_slice() else {
                    return Ok(None);
                };
                words.push(word.clone());
            }
            let mut lexemes = Vec::with_capacity(words.len());
            for stems in word_lexemes(c, &words)? {
                match stems.as_slice() {
                    [stem] if !lexemes.contains(stem) => lexemes.push(stem.clone()),
                    _ => return Ok(None),
                }
            }
            let counts = lexeme_docs(c, &lexemes)?;
            Ok(Some(KeywordStats {
                rows: totals(c)?.0,
                docs: lexemes
                    .iter()
                    .map(|l| counts.get(l).copied().unwrap_or(0))
                    .collect(),
            }))
        })
    }
    fn keyword_ranked(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        depth: usize,
    ) -> Result<Vec<(i64, f64)>> {
        self.index_pending()?;
        self.with(|c| bm25(c, query, plan, depth, None))
    }
    fn keyword_eligible(
        &self,
        query: &KeywordQuery,
        plan: Option<KeywordPlan>,
        k: usize,
        elig: &Eligibility,
    ) -> Result<Vec<(i64, f64)>> {
        self.index_pending()?;
        self.with(|c| bm25(c, query, plan, k, Some(elig)))
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
    /// (seq, L2 distance), eligibility applied before the cut.
    ///
    /// By default through the HNSW index where the store has one ([`super::vectors`]):
    /// pgvector walks the graph with [`EF_SEARCH`] candidates, and under a filter its
    /// iterative scan goes on walking until `k` eligible rows are found (or
    /// `hnsw.max_scan_tuples` are seen). Should it come back with fewer than `k`, the
    /// exact ranking answers instead, so a selective filter never truncates the results.
    ///
    /// The exact ranking scans every eligible vector: its ORDER BY is an expression no
    /// index matches, so the planner cannot hand it to the HNSW index. Without conditions
    /// the scan reads the vectors alone (67 ms at 100,000 against 125 ms joined to
    /// `experiences`), so the search layer asks for a few more than it needs and filters
    /// those ([`crate::search`]'s `top_eligible`) when nearly all are eligible.
    fn nearest(
        &self,
        query: &[f32],
        k: usize,
        elig: Option<&Eligibility>,
        exact: bool,
    ) -> Result<Vec<(i64, f64)>> {
        let c = &mut self.tx();
        let run = |c: &mut Transaction, order: &str| -> Result<Vec<(i64, f64)>> {
            let mut args = Args::default();
            let v = args.push(pgvector::Vector::from(query.to_vec()));
            let limit = args.push(k as i64);
            let (join, filter) = join_eligible("v", elig, &mut args);
            let order = order.replace("{v}", &v);
            let mut hits: Vec<(i64, f64)> = c
                .query(
                    &format!(
                        "SELECT v.seq, (v.embedding <-> {v})::float8
                         FROM experience_vectors v {join}
                         {filter}
                         ORDER BY {order} LIMIT {limit}"
                    ),
                    &args.refs(),
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            hits.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            Ok(hits)
        };
        if !exact && k <= MAX_EF_SEARCH && super::vectors::has_index(c)? {
            c.batch_execute(&format!(
                "SET LOCAL hnsw.ef_search = {}; SET LOCAL hnsw.iterative_scan = strict_order",
                EF_SEARCH.max(k)
            ))?;
            let hits = run(c, "v.embedding <-> {v}")?;
            if hits.len() == k {
                return Ok(hits);
            }
        }
        run(c, "(v.embedding <-> {v}) + 0, v.seq")
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
    fn walk_vector_codes_after(
        &self,
        _len: usize,
        _after: i64,
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
