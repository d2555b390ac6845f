//! The quantised copy of the vectors ([`crate::vector_code`]): the table
//! `experience_vector_codes`, one row per block of [`BLOCK`] consecutive seqs, holding a
//! bitmap of the slots that have a code and the codes themselves, slot `seq % BLOCK`.
//!
//! Why blocks: the vector arm's first pass reads every code, and a row per experience would
//! make that a million row steps at a million experiences (about 100 ms in SQLite alone);
//! a thousand rows of 48 KiB read at the speed of memory. A code is written with its vector,
//! in the same transaction ([`put`]), so the two never disagree but through a bug or an older
//! store; `plurum doctor` counts such codes ([`stale_count`]) and `--fix` rebuilds them from
//! the vectors ([`rebuild`]), as the migration that added the table did.

use std::collections::{BTreeMap, HashSet};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::vector_code::{code_len, encode_into};

/// Seqs a row holds.
pub const BLOCK: usize = 1024;

/// Bytes of a row's bitmap of present slots.
const PRESENT_BYTES: usize = BLOCK / 8;

fn block_of(seq: i64) -> (i64, usize) {
    let seq = seq.max(0) as u64;
    ((seq / BLOCK as u64) as i64, (seq % BLOCK as u64) as usize)
}

/// Stores the code of `seq`'s vector (replacing any).
pub fn put(conn: &Connection, seq: i64, vector: &[f32]) -> Result<()> {
    let len = code_len(vector.len());
    let (block, slot) = block_of(seq);
    let mut code = vec![0u8; len];
    encode_into(vector, &mut code);
    // A block written for another dimension (a model change that kept the rows) is reset.
    let stored_len: Option<i64> = conn
        .prepare_cached("SELECT length(codes) FROM experience_vector_codes WHERE block = ?1")?
        .query_row([block], |r| r.get(0))
        .optional()?;
    if stored_len.is_some_and(|l| l != (BLOCK * len) as i64) {
        conn.prepare_cached("DELETE FROM experience_vector_codes WHERE block = ?1")?
            .execute([block])?;
    }
    conn.prepare_cached(
        "INSERT INTO experience_vector_codes (block, present, codes)
         VALUES (?1, zeroblob(?2), zeroblob(?3)) ON CONFLICT (block) DO NOTHING",
    )?
    .execute(params![block, PRESENT_BYTES as i64, (BLOCK * len) as i64])?;
    let mut codes = conn.blob_open(MAIN_DB, "experience_vector_codes", "codes", block, false)?;
    codes.write_at(&code, slot * len)?;
    drop(codes);
    set_present(conn, block, slot, true)
}

fn set_present(conn: &Connection, block: i64, slot: usize, on: bool) -> Result<()> {
    let mut present =
        conn.blob_open(MAIN_DB, "experience_vector_codes", "present", block, false)?;
    let mut byte = [0u8];
    present.read_at_exact(&mut byte, slot / 8)?;
    let bit = 1 << (slot % 8);
    byte[0] = if on { byte[0] | bit } else { byte[0] & !bit };
    present.write_at(&byte, slot / 8)?;
    Ok(())
}

/// Drops every code.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM experience_vector_codes", [])?;
    Ok(())
}

/// Calls `visit` with each row's codes (`BLOCK` codes of `len` bytes, absent slots zero)
/// and (slot, seq) of the wanted ones: present, and in `only` when it is given.
pub fn walk(
    conn: &Connection,
    len: usize,
    only: Option<&HashSet<i64>>,
    after: i64,
    mut visit: impl FnMut(&[u8], &[(usize, i64)]),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT block, present, codes FROM experience_vector_codes WHERE block >= ?1 ORDER BY block",
    )?;
    let mut rows = stmt.query([after.max(0) / BLOCK as i64])?;
    let mut slots = Vec::with_capacity(BLOCK);
    while let Some(row) = rows.next()? {
        let block: i64 = row.get(0)?;
        let (present, codes) = match (row.get_ref(1)?, row.get_ref(2)?) {
            (ValueRef::Blob(p), ValueRef::Blob(c)) => (p, c),
            _ => (&[][..], &[][..]),
        };
        if present.len() != PRESENT_BYTES || codes.len() != BLOCK * len {
            return Err(Error::other(format!(
                "vector code block {block} does not fit {len}-byte codes (run `plurum doctor --fix`)"
            )));
        }
        slots.clear();
        for (i, &byte) in present.iter().enumerate() {
            let mut bits = byte;
            while bits != 0 {
                let slot = i * 8 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let seq = block * BLOCK as i64 + slot as i64;
                if seq > after && only.is_none_or(|set| set.contains(&seq)) {
                    slots.push((slot, seq));
                }
            }
        }
        if !slots.is_empty() {
            visit(codes, &slots);
        }
    }
    Ok(())
}

/// A block being built in memory by [`rebuild`] and [`stale_count`].
struct Block {
    present: Vec<u8>,
    codes: Vec<u8>,
}

/// Every code derived anew from the stored vectors, in one pass over them: what the
/// migration that added the table and `doctor --fix` run. Memory: the codes themselves
/// (48 MB at a million 384-dimensional vectors). Returns how many codes were written.
pub fn rebuild(conn: &Connection, dim: usize) -> Result<usize> {
    let blocks = expected(conn, dim)?;
    clear(conn)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO experience_vector_codes (block, present, codes) VALUES (?1, ?2, ?3)",
    )?;
    let mut written = 0;
    for (block, b) in &blocks {
        written += b
            .present
            .iter()
            .map(|x| x.count_ones() as usize)
            .sum::<usize>();
        insert.execute(params![block, b.present, b.codes])?;
    }
    Ok(written)
}

/// The codes the stored vectors call for, by block.
fn expected(conn: &Connection, dim: usize) -> Result<BTreeMap<i64, Block>> {
    let len = code_len(dim);
    let mut blocks: BTreeMap<i64, Block> = BTreeMap::new();
    super::sqlite_vec::walk_vectors(conn, dim, None, |floats, slots| {
        for &(i, seq) in slots {
            let (block, slot) = block_of(seq);
            let b = blocks.entry(block).or_insert_with(|| Block {
                present: vec![0; PRESENT_BYTES],
                codes: vec![0; BLOCK * len],
            });
            b.present[slot / 8] |= 1 << (slot % 8);
            encode_into(
                &floats[i * dim..(i + 1) * dim],
                &mut b.codes[slot * len..(slot + 1) * len],
            );
        }
    })?;
    Ok(blocks)
}

/// How many codes disagree with the vectors: missing, left without a vector, or not the
/// code of their vector. Zero for a healthy store.
pub fn stale_count(conn: &Connection, dim: usize) -> Result<i64> {
    let len = code_len(dim);
    let mut expected = expected(conn, dim)?;
    let mut stale = 0i64;
    let mut stmt = conn.prepare("SELECT block, present, codes FROM experience_vector_codes")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let block: i64 = row.get(0)?;
        let present: Vec<u8> = row.get(1)?;
        let codes: Vec<u8> = row.get(2)?;
        let want = expected.remove(&block);
        if present.len() != PRESENT_BYTES || codes.len() != BLOCK * len {
            stale += present
                .iter()
                .map(|x| i64::from(x.count_ones()))
                .sum::<i64>()
                .max(1);
            stale += want.map_or(0, |w| ones(&w.present));
            continue;
        }
        let (want_present, want_codes) = match &want {
            Some(w) => (&w.present[..], &w.codes[..]),
            None => (&[0u8; PRESENT_BYTES][..], &[][..]),
        };
        for slot in 0..BLOCK {
            let has = present[slot / 8] >> (slot % 8) & 1 == 1;
            let should = want_present[slot / 8] >> (slot % 8) & 1 == 1;
            let differs = match (has, should) {
                (true, true) => {
                    codes[slot * len..(slot + 1) * len] != want_codes[slot * len..(slot + 1) * len]
                }
                (false, false) => false,
                _ => true,
            };
            stale += i64::from(differs);
        }
    }
    // Blocks of vectors with no row at all.
    stale += expected.values().map(|b| ones(&b.present)).sum::<i64>();
    Ok(stale)
}

fn ones(bits: &[u8]) -> i64 {
    bits.iter().map(|x| i64::from(x.count_ones())).sum()
}
