//! The remote commands: push, pull, sync, remote settings and the remote identity.

use serde_json::json;

use super::args::{AgentCommand, RemoteCommand};
use super::output::Output;
use crate::api;
use crate::app::Plurum;
use crate::config::{Config, RemoteConfig};
use crate::error::{Error, Result};
use crate::remote::{Remote, RemoteSettings};

/// The remote collective as configured, for `plurum search --remote`: asked beside the
/// local search, so it gets a short deadline and no retries.
pub fn configured_remote(plurum: &Plurum) -> Result<Remote> {
    Ok(Remote::interactive(&settings(plurum)?))
}

fn settings(plurum: &Plurum) -> Result<RemoteSettings> {
    // Re-read the file: `agent register` may have just written a key.
    let config = Config::load(&plurum.options().paths.config_file)?;
    Ok(RemoteSettings::resolve(&config))
}

/// A spinner while the remote is asked, then a bar per stage (listing, pulling, pushing).
fn progress(out: &Output) -> super::output::Progress {
    out.progress(0, "contacting the remote")
}

fn ticker(bar: &super::output::Progress) -> impl FnMut(&str, usize, usize) + '_ {
    move |stage: &str, done: usize, total: usize| {
        bar.stage(stage);
        bar.set(done, total);
    }
}

pub fn push(plurum: &Plurum, out: &Output) -> Result<()> {
    let remote = Remote::new(&settings(plurum)?);
    let bar = progress(out);
    let mut tick = ticker(&bar);
    let report = plurum.push(&remote, &mut tick)?;
    bar.finish();
    if out.json {
        out.json(api::record(&report));
    } else {
        out.text(format!(
            "Pushed to {}: {} created, {} published, {} outcome reports and {} votes sent.",
            report.remote,
            report.created,
            report.published,
            report.outcome_reports_sent,
            report.votes_sent
        ));
    }
    if !report.refused.is_empty() {
        return Err(Error::invalid(
            "experience",
            format!(
                "{} experience(s) hold something that looks like a credential and stayed here: {}",
                report.refused.len(),
                report.refused.join(", ")
            ),
        ));
    }
    Ok(())
}

pub fn pull(plurum: &Plurum, query: Option<&str>, limit: usize, out: &Output) -> Result<()> {
    if limit == 0 {
        return Err(Error::invalid("limit", "must be at least 1"));
    }
    let remote = Remote::new(&settings(plurum)?);
    let bar = progress(out);
    let mut tick = ticker(&bar);
    let report = plurum.pull(&remote, query, limit, &mut tick)?;
    bar.finish();
    if out.json {
        out.json(api::record(&report));
    } else {
        out.text(format!(
            "Pulled from {}: {} new experiences, {} refreshed ({} looked at).",
            report.remote, report.added, report.updated, report.seen
        ));
    }
    Ok(())
}

pub fn sync(plurum: &Plurum, limit: usize, out: &Output) -> Result<()> {
    let remote = Remote::new(&settings(plurum)?);
    let bar = progress(out);
    let mut tick = ticker(&bar);
    let pulled = plurum.pull(&remote, None, limit, &mut tick)?;
    let pushed = plurum.push(&remote, &mut tick)?;
    bar.finish();
    if out.json {
        out.json(api::synced(&pulled, &pushed));
    } else {
        out.text(format!(
            "Synced with {}: pulled {} new and refreshed {}; pushed {} new, sent {} reports and {} votes.",
            remote.url, pulled.added, pulled.updated, pushed.published, pushed.outcome_reports_sent, pushed.votes_sent
        ));
    }
    Ok(())
}

/// Writes the remote part of the config file (mode 0600: it may hold a key).
fn save_remote(plurum: &Plurum, change: impl FnOnce(&mut RemoteConfig)) -> Result<()> {
    let path = &plurum.options().paths.config_file;
    let mut config = Config::load(path)?;
    let mut remote = config.remote.take().unwrap_or_default();
    change(&mut remote);
    config.remote = Some(remote);
    config.save(path)
}

pub fn remote(plurum: &Plurum, cmd: &RemoteCommand, out: &Output) -> Result<()> {
    match cmd {
        RemoteCommand::Set { url } => {
            let url = url.trim().trim_end_matches('/').to_string();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::invalid(
                    "url",
                    format!("{url:?} is not an http(s) URL"),
                ));
            }
            save_remote(plurum, |r| r.url = Some(url.clone()))?;
            if out.json {
                out.json(api::remote_set(&url));
            } else {
                out.text(format!("Remote set to {url}."));
            }
        }
        RemoteCommand::Show => {
            let s = settings(plurum)?;
            let links = crate::sync::link_counts(plurum, &s.url)?;
            if out.json {
                out.json(api::remote_show(&s, &links));
            } else {
                out.text(format!(
                    "remote   {}\napi key  {}\nshared   {} pushed, {} pulled",
                    s.url,
                    match (&s.api_key, s.key_source) {
                        (Some(k), Some(src)) =>
                            format!("{} (from {src})", crate::agent::key_prefix(k)),
                        _ => "none: run `plurum agent register NAME USERNAME`".into(),
                    },
                    links.get("published").copied().unwrap_or(0),
                    links.get("pulled").copied().unwrap_or(0)
                ));
            }
        }
    }
    Ok(())
}

pub fn agent(plurum: &Plurum, cmd: &AgentCommand, out: &Output) -> Result<()> {
    let s = settings(plurum)?;
    let remote = Remote::new(&s);
    match cmd {
        AgentCommand::Register { name, username } => {
            let answer = remote
                .post(
                    "/agents/register",
                    &json!({"name": name, "username": username}),
                )
                .map_err(|e| match e.status {
                    Some(409) => Error::Conflict(e.detail),
                    Some(422) => Error::invalid("username", e.detail),
                    _ => remote.fail("registering", e),
                })?;
            let key = answer["api_key"]
                .as_str()
                .ok_or_else(|| Error::Remote(format!("{} gave no api_key", s.url)))?
                .to_string();
            save_remote(plurum, |r| {
                r.url = Some(s.url.clone());
                r.api_key = Some(key.clone());
            })?;
            if out.json {
                out.json(api::agent_registered(
                    &answer,
                    username,
                    &key,
                    &plurum.options().paths.config_file,
                ));
            } else {
                out.text(format!(
                    "Registered {username} on {}. Its API key ({}) is saved in {} (readable by you alone).",
                    s.url,
                    crate::agent::key_prefix(&key),
                    plurum.options().paths.config_file.display()
                ));
            }
        }
        AgentCommand::Whoami => {
            remote.require_key()?;
            let me = remote
                .get("/agents/me")
                .map_err(|e| remote.fail("asking who the key belongs to", e))?;
            if out.json {
                out.json(me);
            } else {
                out.text(format!(
                    "{} ({}) on {}, key {}",
                    me["username"].as_str().unwrap_or("?"),
                    me["name"].as_str().unwrap_or("?"),
                    s.url,
                    me["api_key_prefix"].as_str().unwrap_or("?")
                ));
            }
        }
        AgentCommand::RotateKey => {
            remote.require_key()?;
            let answer = remote
                .post("/agents/me/rotate-key", &json!({}))
                .map_err(|e| remote.fail("rotating the key", e))?;
            let key = answer["api_key"]
                .as_str()
                .ok_or_else(|| Error::Remote(format!("{} gave no api_key", s.url)))?
                .to_string();
            if s.key_source == Some("PLURUM_API_KEY") {
                out.notice(
                    "note: PLURUM_API_KEY is set and overrides the config file; update it too",
                );
            }
            save_remote(plurum, |r| r.api_key = Some(key.clone()))?;
            if out.json {
                out.json(api::key_saved(&key, &plurum.options().paths.config_file));
            } else {
                out.text(format!(
                    "Rotated: the new key {} is saved; the old one no longer works.",
                    crate::agent::key_prefix(&key)
                ));
            }
        }
    }
    Ok(())
}
