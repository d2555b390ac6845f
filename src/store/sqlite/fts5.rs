//! FTS5's C interface where rusqlite offers none, for the bounded keyword arm:
//!
//! - [`Tokenizer`]: the keyword index's own tokenizer (`porter unicode61
//!   remove_diacritics 2`), so each term's document frequency can be kept as an experience
//!   is indexed (FTS5 only gives it by reading the term's whole list: 11 ms for a term held
//!   by half of a million experiences).
//! - `plurum_bm25`, registered on every connection ([`register`]): FTS5's own `bm25()`,
//!   formula and floating-point order alike, but given the terms' document frequencies
//!   instead of counting them per query, and told which of the query's phrases stand for
//!   which term, so a query written as `(rare) AND (rare OR common)` scores exactly as the
//!   plain `rare OR common` would (see `search.rs`).

use std::collections::BTreeSet;
use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use rusqlite::Connection;
use rusqlite::ffi;

use crate::bm25::{B, K1, idf};
use crate::error::{Error, Result};

/// The ranking function's name in SQL.
pub const BM25: &str = "plurum_bm25";

/// The keyword index's tokenizer and its arguments, as `schema.sql` declares them.
const TOKENIZER: &std::ffi::CStr = c"porter";
const TOKENIZER_ARGS: [&std::ffi::CStr; 3] = [c"unicode61", c"remove_diacritics", c"2"];

/// The connection's `fts5_api`, through `SELECT fts5(?1)` as FTS5's documentation says.
fn api(conn: &Connection) -> Result<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    // SAFETY: the statement is prepared, bound, stepped and finalised on this connection's
    // handle, which outlives it; the bound pointer is written during the step only.
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let sql = c"SELECT fts5(?1)";
        if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, ptr::null_mut())
            != ffi::SQLITE_OK
        {
            return Err(Error::other("FTS5 is not available in this SQLite"));
        }
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
    }
    if api.is_null() {
        return Err(Error::other("FTS5 is not available in this SQLite"));
    }
    Ok(api)
}

/// The keyword index's tokenizer, made once for a batch of texts (an experience's columns,
/// a query's words) and deleted when dropped.
pub struct Tokenizer {
    tokenizer: *mut ffi::fts5_tokenizer_v2,
    instance: *mut ffi::Fts5Tokenizer,
}

impl Tokenizer {
    /// FTS5's `porter` tokenizer with the index's arguments, from this connection's registry.
    pub fn new(conn: &Connection) -> Result<Tokenizer> {
        let api = api(conn)?;
        // SAFETY: FTS5's registry on this connection hands out the tokenizer module; the
        // instance it creates lives until `drop`.
        unsafe {
            let mut user_data: *mut c_void = ptr::null_mut();
            let mut tokenizer: *mut ffi::fts5_tokenizer_v2 = ptr::null_mut();
            let find = (*api).xFindTokenizer_v2.expect("fts5_api version 3");
            if find(api, TOKENIZER.as_ptr(), &mut user_data, &mut tokenizer) != ffi::SQLITE_OK {
                return Err(Error::other("FTS5's porter tokenizer is missing"));
            }
            let mut args: Vec<*const c_char> = TOKENIZER_ARGS.iter().map(|a| a.as_ptr()).collect();
            let mut instance: *mut ffi::Fts5Tokenizer = ptr::null_mut();
            let create = (*tokenizer).xCreate.expect("a tokenizer creates");
            if create(
                user_data,
                args.as_mut_ptr(),
                args.len() as c_int,
                &mut instance,
            ) != ffi::SQLITE_OK
            {
                return Err(Error::other("FTS5's porter tokenizer cannot be created"));
            }
            Ok(Tokenizer {
                tokenizer,
                instance,
            })
        }
    }

    /// The distinct terms FTS5 indexes for these texts.
    pub fn terms(&self, texts: &[&str]) -> Result<BTreeSet<String>> {
        let mut terms = BTreeSet::new();
        // SAFETY: the instance is alive (`self`); the callback's context is `terms`, alive
        // for the whole call.
        unsafe {
            let tokenize = (*self.tokenizer).xTokenize.expect("a tokenizer tokenizes");
            for text in texts {
                let rc = tokenize(
                    self.instance,
                    (&mut terms as *mut BTreeSet<String>).cast(),
                    ffi::FTS5_TOKENIZE_DOCUMENT,
                    text.as_ptr().cast(),
                    text.len() as c_int,
                    ptr::null(),
                    0,
                    Some(collect_token),
                );
                if rc != ffi::SQLITE_OK {
                    return Err(Error::other(format!("FTS5's tokenizer failed ({rc})")));
                }
            }
        }
        Ok(terms)
    }
}

impl Drop for Tokenizer {
    fn drop(&mut self) {
        // SAFETY: the instance was created by this module's xCreate and is deleted once.
        unsafe {
            if let Some(delete) = (*self.tokenizer).xDelete {
                delete(self.instance);
            }
        }
    }
}

unsafe extern "C" fn collect_token(
    ctx: *mut c_void,
    _flags: c_int,
    token: *const c_char,
    len: c_int,
    _start: c_int,
    _end: c_int,
) -> c_int {
    // SAFETY: `ctx` is the `BTreeSet` `Tokenizer::terms` passed; the token is `len` bytes.
    unsafe {
        let terms = &mut *ctx.cast::<BTreeSet<String>>();
        let bytes = std::slice::from_raw_parts(token.cast::<u8>(), len.max(0) as usize);
        terms.insert(String::from_utf8_lossy(bytes).into_owned());
    }
    ffi::SQLITE_OK
}

/// Registers `plurum_bm25` on this connection.
pub fn register(conn: &Connection) -> Result<()> {
    let api = api(conn)?;
    let name = std::ffi::CString::new(BM25).expect("no NUL");
    // SAFETY: FTS5 copies the name; the function has no user data to free.
    let rc = unsafe {
        let create = (*api).xCreateFunction.expect("fts5_api creates functions");
        create(api, name.as_ptr(), ptr::null_mut(), Some(bm25), None)
    };
    if rc != ffi::SQLITE_OK {
        return Err(Error::other(format!("cannot register {BM25} ({rc})")));
    }
    Ok(())
}

/// What `plurum_bm25`'s last argument says, and what follows from it, worked out once per
/// query (FTS5's auxiliary data) as `bm25()` does.
struct Plan {
    /// Per query term: its inverse document frequency.
    idf: Vec<f64>,
    /// Per phrase of the MATCH expression: the query term it stands for, or none (a phrase
    /// that is there only to choose the rows).
    term_of_phrase: Vec<Option<usize>>,
    avgdl: f64,
    /// Per query term: its weighted frequency in the current row (reused row to row).
    freq: Vec<f64>,
}

/// Encodes `plurum_bm25`'s last argument: each query term's document frequency, then each
/// phrase's term (−1 for none), as little-endian i64 after their two counts.
pub fn plan_blob(docs: &[i64], term_of_phrase: &[Option<usize>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 * (2 + docs.len() + term_of_phrase.len()));
    out.extend_from_slice(&(docs.len() as i64).to_le_bytes());
    for d in docs {
        out.extend_from_slice(&d.to_le_bytes());
    }
    out.extend_from_slice(&(term_of_phrase.len() as i64).to_le_bytes());
    for t in term_of_phrase {
        out.extend_from_slice(&t.map_or(-1, |t| t as i64).to_le_bytes());
    }
    out
}

fn parse_plan(blob: &[u8]) -> Option<(Vec<i64>, Vec<Option<usize>>)> {
    let mut words = blob
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")));
    let n_terms = usize::try_from(words.next()?).ok()?;
    let docs: Vec<i64> = words.by_ref().take(n_terms).collect();
    let n_phrases = usize::try_from(words.next()?).ok()?;
    let phrases: Vec<Option<usize>> = words
        .by_ref()
        .take(n_phrases)
        .map(|t| usize::try_from(t).ok())
        .collect();
    (docs.len() == n_terms
        && phrases.len() == n_phrases
        && phrases.iter().flatten().all(|&t| t < n_terms))
    .then_some((docs, phrases))
}

unsafe extern "C" fn drop_plan(p: *mut c_void) {
    // SAFETY: set by `bm25` from a `Box<Plan>`.
    unsafe { drop(Box::from_raw(p.cast::<Plan>())) }
}

unsafe fn error(ctx: *mut ffi::sqlite3_context, message: &str) {
    // SAFETY: the length is the message's.
    unsafe {
        ffi::sqlite3_result_error(ctx, message.as_ptr().cast(), message.len() as c_int);
    }
}

/// `plurum_bm25(fts, weight..., plan)`: the row's bm25 score, larger is better (the
/// negation of what `bm25()` returns), with the column weights as `bm25()` takes them.
unsafe extern "C" fn bm25(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes a valid API, context and `n_val` values for the current row.
    unsafe {
        let api = &*api;
        if n_val < 1 {
            return error(ctx, "plurum_bm25: the plan argument is missing");
        }
        let values = std::slice::from_raw_parts(values, n_val as usize);
        let weights = &values[..values.len() - 1];
        let mut plan = api.xGetAuxdata.expect("aux")(fts, 0).cast::<Plan>();
        if plan.is_null() {
            let arg = values[values.len() - 1];
            let len = ffi::sqlite3_value_bytes(arg).max(0) as usize;
            let data = ffi::sqlite3_value_blob(arg).cast::<u8>();
            let blob = if data.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(data, len)
            };
            let Some((docs, term_of_phrase)) = parse_plan(blob) else {
                return error(ctx, "plurum_bm25: the plan argument is malformed");
            };
            if term_of_phrase.len() != api.xPhraseCount.expect("phrases")(fts) as usize {
                return error(
                    ctx,
                    "plurum_bm25: the plan does not match the query's phrases",
                );
            }
            let (mut rows, mut tokens) = (0i64, 0i64);
            if api.xRowCount.expect("rows")(fts, &mut rows) != ffi::SQLITE_OK
                || api.xColumnTotalSize.expect("sizes")(fts, -1, &mut tokens) != ffi::SQLITE_OK
            {
                return error(ctx, "plurum_bm25: cannot read the index's totals");
            }
            let boxed = Box::new(Plan {
                idf: docs.iter().map(|&d| idf(rows, d)).collect(),
                freq: vec![0.0; docs.len()],
                term_of_phrase,
                avgdl: tokens as f64 / rows as f64,
            });
            plan = Box::into_raw(boxed);
            if api.xSetAuxdata.expect("aux")(fts, plan.cast(), Some(drop_plan)) != ffi::SQLITE_OK {
                return error(ctx, "plurum_bm25: out of memory");
            }
        }
        let plan = &mut *plan;
        plan.freq.iter_mut().for_each(|f| *f = 0.0);
        let mut instances: c_int = 0;
        if api.xInstCount.expect("inst")(fts, &mut instances) != ffi::SQLITE_OK {
            return error(ctx, "plurum_bm25: cannot read the row's matches");
        }
        let inst = api.xInst.expect("inst");
        for i in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            if inst(fts, i, &mut phrase, &mut column, &mut offset) != ffi::SQLITE_OK {
                return error(ctx, "plurum_bm25: cannot read the row's matches");
            }
            if let Some(Some(term)) = plan.term_of_phrase.get(phrase as usize) {
                let w = match weights.get(column as usize) {
                    Some(&v) => ffi::sqlite3_value_double(v),
                    None => 1.0,
                };
                plan.freq[*term] += w;
            }
        }
        let mut length: c_int = 0;
        if api.xColumnSize.expect("size")(fts, -1, &mut length) != ffi::SQLITE_OK {
            return error(ctx, "plurum_bm25: cannot read the row's length");
        }
        let d = length as f64;
        // Term by term in the query's order, with bm25()'s operations in bm25()'s order, so
        // the score is bm25()'s to the last bit and ties break as the exact path breaks them.
        let mut score = 0.0;
        for (idf, f) in plan.idf.iter().zip(&plan.freq) {
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / plan.avgdl)));
        }
        ffi::sqlite3_result_double(ctx, score);
    }
}
