//! Everything that knows how sqlite-vec lays out the vector table inside the store file.
//!
//! `experience_vectors` is a `vec0` virtual table. Going through its SQL interface costs:
//! `count(*)` and rowid lookups scan the virtual table, and its `MATCH` is 2.4x slower than
//! a bare scan of its storage ([`walk_vectors`]). So plurum reads vec0's shadow tables directly, and
//! those are sqlite-vec's internals, not its interface: they can change in any release.
//! That is why sqlite-vec is pinned exactly (`=0.1.9` in Cargo.toml), why every internal
//! name lives in this file and nowhere else, and why `vec0_and_the_scan_agree`
//! (tests/suite/search.rs) checks the direct reading against vec0's own KNN. Upgrading
//! sqlite-vec means checking this file against the new release and running that test.

use std::collections::HashSet;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, MAIN_DB};

use crate::error::{Error, Result};

/// vec0's shadow table of rowids: one row per stored vector, an ordinary indexed table
/// (cheap to count and to probe, where the virtual table itself is scanned).
pub const ROWIDS: &str = "experience_vectors_rowids";

/// vec0's chunk table: a chunk row holds a validity bitmap and the rowids of its slots.
const CHUNKS: &str = "experience_vectors_chunks";

/// vec0's vector storage: per chunk, one blob of `size × dim` native-endian float32.
const VECTOR_BLOBS: &std::ffi::CStr = c"experience_vectors_vector_chunks00";

/// Makes sqlite-vec available on every connection this process opens.
pub(super) fn register() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        #[allow(clippy::missing_transmute_annotations)]
        rusqlite::ffi::sqlite3_auto_extension(Some(std::mem::transmute(
            ::sqlite_vec::sqlite3_vec_init as *const (),
        )));
    });
}

/// Vectors per vec0 chunk. vec0 keeps a chunk's vectors in one blob, and reading one vector
/// from the middle of a blob walks the chain of overflow pages up to it: with vec0's default
/// of 1,024 (1.5 MiB, 375 pages of 4 KiB) reading the vector arm's few hundred candidates
/// took 40 ms at 100,000 experiences; with 16 (24 KiB) a read walks 3 pages on average,
/// and the full scan, which reads every page once either way, costs about the same.
pub const CHUNK_SIZE: usize = 16;

/// The statement that creates the vector table for `dim`-dimensional vectors.
pub fn create_table_sql(dim: usize) -> String {
    format!(
        "CREATE VIRTUAL TABLE experience_vectors USING vec0 (embedding float[{dim}], chunk_size = {CHUNK_SIZE});"
    )
}

/// Rebuilds the vector table for `dim`-dimensional vectors, with this plurum's chunk size,
/// keeping the vector of every live experience: copied out into a plain table by a
/// sequential read of vec0's storage ([`walk_vectors`]), then back into a fresh table, so
/// memory stays flat whatever the store's size (SQLite spills the transaction's pages to
/// the WAL). Returns how many vectors were kept.
pub fn rebuild_table(conn: &Connection, dim: usize) -> Result<usize> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS experience_vectors_moving;
         CREATE TABLE experience_vectors_moving (seq INTEGER PRIMARY KEY, embedding BLOB NOT NULL);",
    )?;
    // Vectors of another dimension cannot move into the new table: they are dropped.
    if table_dim(conn)? == dim {
        let mut insert = conn.prepare(
            "INSERT INTO experience_vectors_moving (seq, embedding)
             SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM experiences WHERE seq = ?1)",
        )?;
        let mut failure = None;
        walk_vectors(conn, dim, None, |floats, slots| {
            for &(i, seq) in slots {
                if failure.is_some() {
                    return;
                }
                let bytes: Vec<u8> = floats[i * dim..(i + 1) * dim]
                    .iter()
                    .flat_map(|x| x.to_le_bytes())
                    .collect();
                if let Err(e) = insert.execute(rusqlite::params![seq, bytes]) {
                    failure = Some(e);
                }
            }
        })?;
        if let Some(e) = failure {
            return Err(e.into());
        }
    }
    conn.execute_batch(&format!(
        "DROP TABLE experience_vectors;
         {}",
        create_table_sql(dim)
    ))?;
    // Row by row, not one INSERT … SELECT: the new chunks reuse the dropped table's pages,
    // and one statement over every row would keep each reused page's old content in its
    // statement journal (measured: 1.6 GB of memory at a million vectors).
    {
        let mut rows =
            conn.prepare("SELECT seq, embedding FROM experience_vectors_moving ORDER BY seq")?;
        let mut insert =
            conn.prepare("INSERT INTO experience_vectors (rowid, embedding) VALUES (?1, ?2)")?;
        let mut rows = rows.query([])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let embedding: Vec<u8> = row.get(1)?;
            insert.execute(rusqlite::params![seq, embedding])?;
        }
    }
    conn.execute_batch("DROP TABLE experience_vectors_moving")?;
    super::vectors::count(conn).map(|n| usize::try_from(n).unwrap_or(0))
}

/// The dimension the vector table was created for, read from its definition.
pub fn table_dim(conn: &Connection) -> Result<usize> {
    let sql: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE name = 'experience_vectors'",
        [],
        |r| r.get(0),
    )?;
    sql.split_once("float[")
        .and_then(|(_, rest)| rest.split_once(']'))
        .and_then(|(n, _)| n.trim().parse().ok())
        .ok_or_else(|| {
            Error::other(format!(
                "cannot read the vector table's dimension from {sql:?}"
            ))
        })
}

/// Vectors read from a chunk blob at a time: 128 × 384 floats is 192 KiB, which stays in
/// the core's L2 cache while its distances are computed (measured at 100,000 vectors: 32 a
/// piece 36.6 ms, 128 a piece 34.5 ms).
pub const SCAN_PIECE: usize = 128;

/// Calls `visit` with each piece of vec0's storage that holds a wanted vector: the piece's
/// `dim`-float rows (at most [`SCAN_PIECE`] of them), and (row in the piece, rowid) of the
/// wanted ones (valid slots whose rowid is in `only`, or all valid slots). This is what the
/// vector scan reads instead of vec0's own `MATCH` (the measured reason is at
/// [`scan_vectors`]).
pub fn walk_vectors(
    conn: &Connection,
    dim: usize,
    only: Option<&HashSet<i64>>,
    mut visit: impl FnMut(&[f32], &[(usize, i64)]),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT chunk_id, size, validity, rowids FROM {CHUNKS} ORDER BY chunk_id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut piece = vec![0f32; SCAN_PIECE * dim];
    let mut slots = Vec::with_capacity(SCAN_PIECE);
    while let Some(row) = rows.next()? {
        let chunk_id: i64 = row.get(0)?;
        let size = usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0);
        let (validity, rowids) = match (row.get_ref(2)?, row.get_ref(3)?) {
            (ValueRef::Blob(v), ValueRef::Blob(r)) => (v, r),
            _ => (&[][..], &[][..]),
        };
        if validity.len() * 8 < size || rowids.len() != size * 8 {
            return Err(Error::other(format!(
                "vector chunk {chunk_id} is malformed (run `plurum doctor --fix`)"
            )));
        }
        let mut blob = None;
        for start in (0..size).step_by(SCAN_PIECE) {
            let n = SCAN_PIECE.min(size - start);
            slots.clear();
            for i in 0..n {
                let slot = start + i;
                if validity[slot / 8] >> (slot % 8) & 1 == 0 {
                    continue;
                }
                let seq =
                    i64::from_ne_bytes(rowids[slot * 8..slot * 8 + 8].try_into().expect("8 bytes"));
                if only.is_none_or(|set| set.contains(&seq)) {
                    slots.push((i, seq));
                }
            }
            if slots.is_empty() {
                continue;
            }
            let blob = match &mut blob {
                Some(b) => b,
                None => blob.insert(conn.blob_open(
                    MAIN_DB,
                    VECTOR_BLOBS,
                    c"vectors",
                    chunk_id,
                    true,
                )?),
            };
            let floats = &mut piece[..n * dim];
            // SAFETY: any bit pattern is a valid f32, and the byte view covers exactly the
            // floats' memory; vec0 stores native-endian float32.
            let bytes = unsafe {
                std::slice::from_raw_parts_mut(floats.as_mut_ptr().cast::<u8>(), n * dim * 4)
            };
            blob.read_at_exact(bytes, start * dim * 4)?;
            visit(floats, &slots);
        }
    }
    Ok(())
}

/// The exact nearest `k` vectors to `query` among those whose rowid is in `only` (all when
/// `None`), as (seq, L2 distance), nearest first.
///
/// Why not vec0's own `MATCH`: it copies each 1,024-vector chunk into a buffer before
/// computing distances and then picks the chunk's top k by k passes over it, about 2.4x
/// the time of a bare scan at 100,000 vectors. This reads each chunk in cache-sized pieces
/// ([`walk_vectors`]) straight into the distance kernel and keeps a bounded
/// heap, so the scan runs at about the speed of memory (scripts/bench.sh reports the ratio).
pub fn scan_vectors(
    conn: &Connection,
    query: &[f32],
    k: usize,
    only: Option<&HashSet<i64>>,
) -> Result<Vec<(i64, f64)>> {
    let mut top = crate::top_k::TopK::new(k);
    if k == 0 || query.is_empty() {
        return Ok(Vec::new());
    }
    let mut distances = [0f32; SCAN_PIECE];
    walk_vectors(conn, query.len(), only, |floats, slots| {
        let n = floats.len() / query.len();
        crate::simd::l2_squared_rows(query, floats, &mut distances[..n]);
        for &(i, seq) in slots {
            top.push(distances[i], seq);
        }
    })?;
    Ok(top.into_sorted())
}

/// The stored vectors of `seqs` (those that have one), as their seqs and their rows of
/// `dim` floats, read straight from vec0's storage by the rowid table's (chunk, offset):
/// the exact rescoring of the vector arm's candidates, a few hundred at a time.
pub fn vectors_of(conn: &Connection, seqs: &[i64], dim: usize) -> Result<(Vec<i64>, Vec<f32>)> {
    let mut places = Vec::with_capacity(seqs.len());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT chunk_id, chunk_offset FROM {ROWIDS} WHERE rowid = ?1"
    ))?;
    for &seq in seqs {
        let mut rows = stmt.query([seq])?;
        if let Some(row) = rows.next()? {
            places.push((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, seq));
        }
    }
    // In storage order, so one open blob serves each chunk's candidates.
    places.sort_unstable();
    let mut found = Vec::with_capacity(places.len());
    let mut values = vec![0f32; places.len() * dim];
    let mut blob: Option<(i64, rusqlite::blob::Blob)> = None;
    for (i, &(chunk_id, offset, seq)) in places.iter().enumerate() {
        let open = match &mut blob {
            Some((id, b)) if *id == chunk_id => b,
            Some((id, b)) => {
                b.reopen(chunk_id)?;
                *id = chunk_id;
                b
            }
            None => {
                let b = conn.blob_open(MAIN_DB, VECTOR_BLOBS, c"vectors", chunk_id, true)?;
                &mut blob.insert((chunk_id, b)).1
            }
        };
        let floats = &mut values[i * dim..(i + 1) * dim];
        // SAFETY: as in `walk_vectors`: any bit pattern is an f32, the view covers the floats.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(floats.as_mut_ptr().cast::<u8>(), dim * 4) };
        open.read_at_exact(bytes, usize::try_from(offset).unwrap_or(0) * dim * 4)?;
        found.push(seq);
    }
    Ok((found, values))
}
