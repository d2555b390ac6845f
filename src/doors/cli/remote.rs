//! The remote commands: push, pull, sync, remote settings and the remote identity.

use super::args::{AgentCommand, RemoteCommand};
use super::output::Output;
use crate::doors::api;
use crate::error::{Error, Result};
use crate::ops::Plurum;
use crate::ops::remote_account::RemoteStatus;

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
    let remote = plurum.remote()?;
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
    let remote = plurum.remote()?;
    let bar = progress(out);
    let mut tick = ticker(&bar);
    let report = plurum.pull(&remote, query, limit, &mut tick)?;
    bar.finish();
    super::commands::note_warnings(out, &report.warnings);
    super::commands::note_duplicates(out, report.likely_duplicates.as_ref());
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
    let remote = plurum.remote()?;
    let bar = progress(out);
    let mut tick = ticker(&bar);
    let pulled = plurum.pull(&remote, None, limit, &mut tick)?;
    let pushed = plurum.push(&remote, &mut tick)?;
    bar.finish();
    super::commands::note_warnings(out, &pulled.warnings);
    super::commands::note_duplicates(out, pulled.likely_duplicates.as_ref());
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

pub fn remote(plurum: &Plurum, cmd: &RemoteCommand, out: &Output) -> Result<()> {
    match cmd {
        RemoteCommand::Set { url } => {
            let url = plurum.set_remote_url(url)?;
            if out.json {
                out.json(api::remote_set(&url));
            } else {
                out.text(format!("Remote set to {url}."));
            }
        }
        RemoteCommand::Show => {
            let RemoteStatus { settings: s, links } = plurum.remote_status()?;
            if out.json {
                out.json(api::remote_show(&s, &links));
            } else {
                out.text(format!(
                    "remote   {}\napi key  {}\nshared   {} pushed, {} pulled",
                    s.url,
                    match (&s.api_key, s.key_source) {
                        (Some(k), Some(src)) =>
                            format!("{} (from {src})", crate::model::agent::key_prefix(k)),
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
    match cmd {
        AgentCommand::Register { name, username } => {
            let r = plurum.register_remote_agent(name, username)?;
            if out.json {
                out.json(api::agent_registered(&r));
            } else {
                out.text(format!(
                    "Registered {} on {}. Its API key ({}) is saved in {} (readable by you alone).",
                    r.username,
                    r.remote,
                    r.api_key_prefix,
                    r.saved_to.display()
                ));
            }
        }
        AgentCommand::Whoami => {
            let (remote, me) = plurum.remote_whoami()?;
            if out.json {
                out.json(me);
            } else {
                out.text(format!(
                    "{} ({}) on {}, key {}",
                    me["username"].as_str().unwrap_or("?"),
                    me["name"].as_str().unwrap_or("?"),
                    remote,
                    me["api_key_prefix"].as_str().unwrap_or("?")
                ));
            }
        }
        AgentCommand::RotateKey => {
            let rotated = plurum.rotate_remote_key()?;
            if rotated.overridden_by_env {
                out.notice(
                    "note: PLURUM_API_KEY is set and overrides the config file; update it too",
                );
            }
            if out.json {
                out.json(api::key_saved(&rotated));
            } else {
                out.text(format!(
                    "Rotated: the new key {} is saved; the old one no longer works.",
                    rotated.api_key_prefix
                ));
            }
        }
    }
    Ok(())
}
