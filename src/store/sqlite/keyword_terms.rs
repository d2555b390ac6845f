//! `keyword_terms`: each keyword-index term's document frequency, kept as experiences are
//! indexed (`experiences::index_keywords`), checked and refilled from FTS5's own view of
//! the index (`experience_fts_terms`, an fts5vocab table).

use rusqlite::Connection;

use crate::error::Result;

/// Refills `keyword_terms` from the index: one pass over it (about 3 s at a million
/// experiences), where counting term by term as each row is rewritten would be 100 million
/// updates.
pub fn refill(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM keyword_terms;
         INSERT INTO keyword_terms (term, docs) SELECT term, doc FROM experience_fts_terms;",
    )?;
    Ok(())
}

/// How many terms `keyword_terms` counts wrongly, lacks, or holds though the index does
/// not: 0 in a healthy store.
pub fn stale_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM (SELECT term, doc FROM experience_fts_terms
                                       EXCEPT SELECT term, docs FROM keyword_terms))
              + (SELECT count(*) FROM (SELECT term FROM keyword_terms
                                       EXCEPT SELECT term FROM experience_fts_terms))",
        [],
        |r| r.get(0),
    )?)
}
