//! Tokenising the stored keyword documents again after the tokens' rule changed (migration
//! 0007, [`crate::model::keyword_tokens`]), in batches after the migrations' lock is
//! released: at a million experiences the whole rebuild takes many minutes, and the other
//! instances starting on the database must not wait for it.
//!
//! `keyword_retokenise` holds one row, the last seq done, while work remains. A batch is one
//! transaction that locks that row (`SKIP LOCKED`: an instance that finds it taken leaves the
//! work to the one holding it), writes the next experiences' documents and postings (the
//! kept counts follow through their triggers) and moves the row on; the last one deletes it.
//! A process that stops part way leaves the row where its last batch committed, and the next
//! instance to start resumes there. Meanwhile search answers from the documents as they
//! are: English words are tokenised almost as before, so only text in the newly handled
//! scripts (and words with accents) is found once its batch is done.

use postgres::Client;

use crate::error::Result;
use crate::store::UpgradeProgress;

const WHAT: &str = "tokenising the keyword index again";

/// True when documents remain to be tokenised again.
pub(super) fn pending(client: &mut Client) -> Result<bool> {
    Ok(client
        .query_opt("SELECT 1 FROM keyword_retokenise", &[])?
        .is_some())
}

/// How many experiences still wait for their new tokens.
pub(super) fn left(c: &mut postgres::Transaction) -> Result<i64> {
    Ok(c.query_one(
        "SELECT count(*) FROM experiences
         WHERE seq > (SELECT coalesce(max(after), 9223372036854775807) FROM keyword_retokenise)",
        &[],
    )?
    .get(0))
}

/// Does the work on its own thread with this connection, reporting as it goes; a failure is
/// logged (the next start resumes).
pub(super) fn spawn(mut client: Client, location: String, progress: UpgradeProgress) {
    std::thread::spawn(move || {
        if let Err(e) = run(&mut client, &progress) {
            tracing::warn!(
                "tokenising the keyword index of {location} again stopped: {e}; the next start resumes it"
            );
        }
    });
}

/// Batches until none remain or another instance holds the work.
fn run(client: &mut Client, progress: &UpgradeProgress) -> Result<()> {
    let total: i64 = client
        .query_one("SELECT count(*) FROM experiences", &[])?
        .get(0);
    let mut done: Option<u64> = None;
    loop {
        let mut tx = client.transaction()?;
        let Some(row) = tx.query_opt(
            "SELECT after FROM keyword_retokenise FOR UPDATE SKIP LOCKED",
            &[],
        )?
        else {
            return Ok(());
        };
        let after: i64 = row.get(0);
        crate::test_pause::reached("postgres-retokenise-locked");
        // Counted once (a resumed run starts part way), then added to batch by batch.
        let done_before = match done {
            Some(d) => d,
            None => {
                let d: i64 = tx
                    .query_one(
                        "SELECT count(*) FROM experiences WHERE seq <= $1",
                        &[&after],
                    )?
                    .get(0);
                d as u64
            }
        };
        let page = super::experiences::page_after(&mut tx, after)?;
        let Some(last) = page.last().map(|e| e.seq) else {
            tx.execute("DELETE FROM keyword_retokenise", &[])?;
            tx.commit()?;
            progress.report(WHAT, done_before, done_before.max(total as u64));
            return Ok(());
        };
        for e in &page {
            super::experiences::store_document(&mut tx, e.seq, &e.content)?;
        }
        let seqs: Vec<i64> = page.iter().map(|e| e.seq).collect();
        super::experiences::index_postings(&mut tx, &seqs)?;
        tx.execute("UPDATE keyword_retokenise SET after = $1", &[&last])?;
        tx.commit()?;
        let now = done_before + page.len() as u64;
        done = Some(now);
        progress.report(WHAT, now, now.max(total as u64));
    }
}
