//! SQL for agents (Postgres). Same semantics as sqlite/agents.rs; idempotent inserts use
//! `ON CONFLICT DO NOTHING`, so two servers registering the same name cannot both win.

use postgres::{Row, Transaction};

use super::PgTx;
use crate::error::Result;
use crate::model::agent::{Agent, AgentStats};
use crate::store::AgentTx;

const COLUMNS: &str = "id, name, username, api_key_hash, api_key_prefix, is_active, created_at, \
                       updated_at, last_active_at, last_inbox_check";

fn from_row(r: &Row) -> Agent {
    Agent {
        id: r.get(0),
        name: r.get(1),
        username: r.get(2),
        api_key_hash: r.get(3),
        api_key_prefix: r.get(4),
        is_active: r.get(5),
        created_at: r.get(6),
        updated_at: r.get(7),
        last_active_at: r.get(8),
        last_inbox_check: r.get(9),
    }
}

fn one_by(c: &mut Transaction, column: &str, value: &str) -> Result<Option<Agent>> {
    Ok(c.query_opt(
        &format!("SELECT {COLUMNS} FROM agents WHERE {column} = $1"),
        &[&value],
    )?
    .map(|r| from_row(&r)))
}

impl AgentTx for PgTx<'_> {
    fn agent_by_username(&self, username: &str) -> Result<Option<Agent>> {
        self.with(|c| one_by(c, "username", username))
    }
    fn agent_by_id(&self, id: &str) -> Result<Option<Agent>> {
        self.with(|c| one_by(c, "id", id))
    }
    fn agent_by_key_hash(&self, hash: &str) -> Result<Option<Agent>> {
        self.with(|c| one_by(c, "api_key_hash", hash))
    }
    fn insert_agent(&self, a: &Agent) -> Result<bool> {
        let c = &mut self.tx();
        let n = c.execute(
            &format!(
                "INSERT INTO agents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT DO NOTHING"
            ),
            &[
                &a.id,
                &a.name,
                &a.username,
                &a.api_key_hash,
                &a.api_key_prefix,
                &a.is_active,
                &a.created_at,
                &a.updated_at,
                &a.last_active_at,
                &a.last_inbox_check,
            ],
        )?;
        Ok(n == 1)
    }
    fn agents(&self) -> Result<Vec<Agent>> {
        let c = &mut self.tx();
        Ok(c.query(
            &format!("SELECT {COLUMNS} FROM agents ORDER BY created_at, id"),
            &[],
        )?
        .iter()
        .map(from_row)
        .collect())
    }
    fn touch_agent(&self, id: &str, at: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE agents SET last_active_at = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }
    fn set_agent_inbox_checked(&self, id: &str, at: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE agents SET last_inbox_check = $2 WHERE id = $1",
            &[&id, &at],
        )?;
        Ok(())
    }
    fn set_agent_key(&self, id: &str, hash: &str, prefix: &str, at: &str) -> Result<()> {
        let c = &mut self.tx();
        c.execute(
            "UPDATE agents SET api_key_hash = $2, api_key_prefix = $3, updated_at = $4 WHERE id = $1",
            &[&id, &hash, &prefix, &at],
        )?;
        Ok(())
    }
    fn usernames_taken(&self, usernames: &[String]) -> Result<Vec<String>> {
        let c = &mut self.tx();
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let names = usernames.to_vec();
        Ok(c.query(
            "SELECT username FROM agents WHERE username = ANY($1)",
            &[&names],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
    }
    fn agent_stats(&self, id: &str) -> Result<AgentStats> {
        let c = &mut self.tx();
        let r = c.query_one(
            &format!("SELECT
                (SELECT count(*) FROM experiences WHERE agent_id = $1
                    AND status IN {searchable} AND visibility = 'public'),
                (SELECT count(*) FROM outcome_reports WHERE agent_id = $1),
                (SELECT count(*) FROM votes WHERE agent_id = $1),
                (SELECT count(*) FROM sessions WHERE agent_id = $1 AND visibility = 'public'),
                (SELECT coalesce(sum(total_reports), 0)::bigint FROM experiences WHERE agent_id = $1),
                (SELECT coalesce(sum(success_count), 0)::bigint FROM experiences WHERE agent_id = $1)", searchable = crate::store::sql::searchable_statuses()),
            &[&id],
        )?;
        Ok(AgentStats {
            experiences_published: r.get(0),
            outcome_reports: r.get(1),
            votes: r.get(2),
            sessions: r.get(3),
            reports_received: r.get(4),
            successes_received: r.get(5),
        })
    }
    fn agents_active_since(&self, since: &str) -> Result<Vec<(String, String, String)>> {
        let c = &mut self.tx();
        Ok(c.query(
            "SELECT id, username, last_active_at FROM agents
             WHERE last_active_at >= $1 ORDER BY last_active_at DESC",
            &[&since],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
    }
    fn agent_count(&self) -> Result<i64> {
        self.with(|c| Ok(c.query_one("SELECT count(*) FROM agents", &[])?.get(0)))
    }
}
