//! Schema creation and forward migrations for Postgres, the twin of sqlite/migrate.rs.
//!
//! Several `plurum serve` processes may start at once on one database, so the runner takes
//! a transaction-scoped advisory lock first: one of them applies the migrations, the others
//! wait and then find nothing to do. The version is `max(version)` of
//! `plurum_schema_migrations` (each file records its own); a newer version is refused, and
//! so is a database that holds other tables but no plurum_schema_migrations (not ours).

use postgres::Client;

use crate::error::{Error, Result};

/// The migrations, in order: `MIGRATIONS[i]` takes the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_initial.sql"),
    include_str!("../../../migrations/postgres/0002_rate_limits.sql"),
    include_str!("../../../migrations/postgres/0003_keyword_terms.sql"),
    include_str!("../../../migrations/postgres/0004_keyword_postings.sql"),
    include_str!("../../../migrations/postgres/0005_kept_keyword_counts.sql"),
    include_str!("../../../migrations/postgres/0006_merges.sql"),
    include_str!("../../../migrations/postgres/0007_keyword_tokens.sql"),
];

/// The version from which the vector table has its HNSW index where pgvector allows one.
/// The index's statement depends on the server's pgvector and the table's dimension, so it
/// is built here rather than in a migration's SQL ([`super::vectors::ensure_index`]).
const INDEXED_VECTORS: i32 = 5;

/// The schema version this plurum brings a Postgres store to.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// The advisory-lock key of plurum's migrations ("PLRM" and a 1).
const LOCK_KEY: i64 = 0x504C_524D_0000_0001;

pub fn migrate(client: &mut Client, location: &str) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
    crate::test_pause::reached("postgres-migrations-locked");
    let ours: bool = tx
        .query_one(
            "SELECT to_regclass('plurum_schema_migrations') IS NOT NULL",
            &[],
        )?
        .get(0);
    let version: i32 = if ours {
        tx.query_one(
            "SELECT coalesce(max(version), 0) FROM plurum_schema_migrations",
            &[],
        )?
        .get(0)
    } else {
        let tables: i64 = tx
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )?
            .get(0);
        if tables > 0 {
            return Err(Error::Invalid {
                message: format!(
                    "the database {location} has tables but is not a plurum store; refusing to touch it"
                ),
                field: Some("database".into()),
            });
        }
        0
    };
    if version > SCHEMA_VERSION {
        return Err(Error::Invalid {
            message: format!(
                "the database {location} was written by a newer plurum (schema version {version}; this plurum knows {SCHEMA_VERSION}); upgrade plurum to use it. Nothing was changed."
            ),
            field: Some("database".into()),
        });
    }
    for sql in &MIGRATIONS[version as usize..] {
        tx.batch_execute(sql)?;
    }
    if version < INDEXED_VECTORS {
        super::vectors::ensure_index(&mut tx)?;
    }
    tx.commit()?;
    Ok(())
}
