//! SQL for agents.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::agent::{Agent, AgentStats};
use crate::store::AgentTx;

const COLUMNS: &str = "id, name, username, api_key_hash, api_key_prefix, is_active, created_at, \
                       updated_at, last_active_at, last_inbox_check";

fn from_row(r: &Row) -> rusqlite::Result<Agent> {
    Ok(Agent {
        id: r.get(0)?,
        name: r.get(1)?,
        username: r.get(2)?,
        api_key_hash: r.get(3)?,
        api_key_prefix: r.get(4)?,
        is_active: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        last_active_at: r.get(8)?,
        last_inbox_check: r.get(9)?,
    })
}

impl AgentTx for Connection {
    fn agent_by_username(&self, username: &str) -> Result<Option<Agent>> {
        Ok(self
            .query_row(
                &format!("SELECT {COLUMNS} FROM agents WHERE username = ?1"),
                [username],
                from_row,
            )
            .optional()?)
    }
    fn agent_by_id(&self, id: &str) -> Result<Option<Agent>> {
        Ok(self
            .query_row(
                &format!("SELECT {COLUMNS} FROM agents WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?)
    }
    fn agent_by_key_hash(&self, hash: &str) -> Result<Option<Agent>> {
        Ok(self
            .query_row(
                &format!("SELECT {COLUMNS} FROM agents WHERE api_key_hash = ?1"),
                [hash],
                from_row,
            )
            .optional()?)
    }
    fn insert_agent(&self, a: &Agent) -> Result<bool> {
        let n = self.execute(
            &format!("INSERT OR IGNORE INTO agents ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                a.id, a.name, a.username, a.api_key_hash, a.api_key_prefix, a.is_active,
                a.created_at, a.updated_at, a.last_active_at, a.last_inbox_check
            ],
        )?;
        Ok(n == 1)
    }
    fn agents(&self) -> Result<Vec<Agent>> {
        let mut stmt = self.prepare(&format!(
            "SELECT {COLUMNS} FROM agents ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn touch_agent(&self, id: &str, at: &str) -> Result<()> {
        self.execute(
            "UPDATE agents SET last_active_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }
    fn set_agent_inbox_checked(&self, id: &str, at: &str) -> Result<()> {
        self.execute(
            "UPDATE agents SET last_inbox_check = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }
    fn set_agent_key(&self, id: &str, hash: &str, prefix: &str, at: &str) -> Result<()> {
        self.execute(
            "UPDATE agents SET api_key_hash = ?2, api_key_prefix = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, hash, prefix, at],
        )?;
        Ok(())
    }
    fn usernames_taken(&self, usernames: &[String]) -> Result<Vec<String>> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=usernames.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = self.prepare(&format!(
            "SELECT username FROM agents WHERE username IN ({})",
            marks.join(",")
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(usernames.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn agent_stats(&self, id: &str) -> Result<AgentStats> {
        let count =
            |sql: &str| -> rusqlite::Result<i64> { self.query_row(sql, [id], |r| r.get(0)) };
        Ok(AgentStats {
            experiences_published: count(&format!(
                "SELECT count(*) FROM experiences WHERE agent_id = ?1 AND status IN {searchable} AND visibility = 'public'",
                searchable = crate::store::sql::searchable_statuses()
            ))?,
            outcome_reports: count("SELECT count(*) FROM outcome_reports WHERE agent_id = ?1")?,
            votes: count("SELECT count(*) FROM votes WHERE agent_id = ?1")?,
            sessions: count(
                "SELECT count(*) FROM sessions WHERE agent_id = ?1 AND visibility = 'public'",
            )?,
            reports_received: count(
                "SELECT coalesce(sum(e.total_reports), 0) FROM experiences e WHERE e.agent_id = ?1",
            )?,
            successes_received: count(
                "SELECT coalesce(sum(e.success_count), 0) FROM experiences e WHERE e.agent_id = ?1",
            )?,
        })
    }
    fn agents_active_since(&self, since: &str) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, username, last_active_at FROM agents WHERE last_active_at >= ?1 ORDER BY last_active_at DESC",
        )?;
        let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn agent_count(&self) -> Result<i64> {
        Ok(self.query_row("SELECT count(*) FROM agents", [], |r| r.get(0))?)
    }
}
