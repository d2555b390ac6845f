//! The session, inbox and pulse commands.

use serde_json::{Value, json};

use super::args::{InboxAction, InboxArgs, LogArgs, SessionCommand};
use super::output::Output;
use super::render;
use crate::doors::api;
use crate::error::{Error, Result};
use crate::model::agent::Agent;
use crate::model::experience::Visibility;
use crate::ops::Plurum;

use crate::model::session::{EntryType, SessionUpdate};

pub fn run(plurum: &Plurum, actor: &Agent, cmd: &SessionCommand, out: &Output) -> Result<()> {
    match cmd {
        SessionCommand::Open {
            topic,
            domain,
            tools,
            private,
        } => {
            let visibility = if *private {
                Visibility::Private
            } else {
                Visibility::Public
            };
            let opened = plurum.open_session(
                actor,
                &topic.join(" "),
                domain.clone(),
                tools.clone(),
                visibility,
            )?;
            if out.json {
                out.json(api::session_opened(&opened));
            } else {
                // The id alone on stdout, so `SID=$(plurum session open ...)` works; the rest for people.
                out.text(&opened.session.id);
                out.notice(render::opened(&opened));
            }
        }
        SessionCommand::Log(args) => {
            let (session, entry_type) = log_target(args)?;
            let content = log_content(args, entry_type)?;
            let entry = plurum.log_entry(actor, &session, entry_type, &content)?;
            if out.json {
                out.json(api::record(&entry));
            } else {
                out.text(format!(
                    "Logged {} #{} to session {}.",
                    entry.entry_type,
                    entry.ordinal,
                    short(&session)
                ));
            }
        }
        SessionCommand::Close { session, outcome } => {
            let closed = plurum.close_session(actor, session, outcome.map(Into::into))?;
            if out.json {
                out.json(api::session_closed(&closed));
            } else {
                match &closed.experience {
                    Some(e) => out.text(format!(
                        "Closed session {}. {} experience {}: {}",
                        closed.session.short_id,
                        if e.status == crate::model::experience::Status::Published {
                            "Published"
                        } else {
                            "Drafted (private session)"
                        },
                        e.short_id,
                        e.content.goal
                    )),
                    None => out.text(format!(
                        "Closed session {}. It had no entries, so no experience was made.",
                        closed.session.short_id
                    )),
                }
            }
        }
        SessionCommand::Abandon { session } => {
            let s = plurum.abandon_session(actor, session)?;
            if out.json {
                out.json(api::session(&s));
            } else {
                out.text(format!(
                    "Abandoned session {}; its entries are kept, no experience was made.",
                    s.short_id
                ));
            }
        }
        SessionCommand::List {
            status,
            limit,
            offset,
        } => {
            let page = plurum.list_sessions(actor, status.map(Into::into), *limit, *offset)?;
            if out.json {
                out.json(api::page(&page, api::session));
            } else {
                out.text(render::sessions(&page));
            }
        }
        SessionCommand::Show { session } => {
            let (s, entries, count) = plurum.session(actor, session)?;
            if out.json {
                out.json(api::session_detail(&s, &entries, count));
            } else {
                out.text(render::session(&s, &entries, count));
            }
        }
        SessionCommand::Update {
            session,
            topic,
            domain,
            tools,
            visibility,
        } => {
            let change = SessionUpdate {
                topic: topic.clone(),
                domain: domain.clone(),
                tools_used: if tools.is_empty() {
                    None
                } else {
                    Some(tools.clone())
                },
                visibility: visibility.map(Into::into),
            };
            let s = plurum.update_session(actor, session, change)?;
            if out.json {
                out.json(api::session(&s));
            } else {
                out.text(format!("Updated session {}: {}", s.short_id, s.topic));
            }
        }
        SessionCommand::Contribute {
            session,
            kind,
            text,
            content,
        } => {
            let content = match (text, content) {
                (Some(t), _) => json!({"text": t}),
                (None, Some(c)) => serde_json::from_str(c)
                    .map_err(|e| Error::invalid("content", format!("is not valid JSON: {e}")))?,
                (None, None) => return Err(Error::Usage("give --text or --content".into())),
            };
            let c = plurum.contribute(actor, session, (*kind).into(), content)?;
            if out.json {
                out.json(api::record(&c));
            } else {
                out.text(format!(
                    "Contributed a {} to session {}.",
                    c.contribution_type,
                    short(session)
                ));
            }
        }
        SessionCommand::Contributions { session } => {
            let items = plurum.contributions(actor, session)?;
            if out.json {
                out.json(api::contributions(&items));
            } else {
                out.text(render::contributions(&items));
            }
        }
    }
    Ok(())
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// `[SESSION] TYPE`: the session is optional when PLURUM_SESSION names it.
fn log_target(args: &LogArgs) -> Result<(String, EntryType)> {
    let parse_type = |t: &str| {
        EntryType::parse(t).ok_or_else(|| {
            Error::Usage(format!(
                "unknown entry type {t:?}: use one of {}",
                EntryType::ALL.join(", ")
            ))
        })
    };
    match args.target.as_slice() {
        [session, t] => Ok((session.clone(), parse_type(t)?)),
        [t] => {
            let session = std::env::var("PLURUM_SESSION")
                .ok()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    Error::Usage(
                        "which session? give it before the type, or set PLURUM_SESSION".into(),
                    )
                })?;
            Ok((session, parse_type(t)?))
        }
        _ => Err(Error::Usage("expected [SESSION] TYPE".into())),
    }
}

/// The entry content from `--content JSON` or the type's flags.
fn log_content(a: &LogArgs, t: EntryType) -> Result<Value> {
    if let Some(raw) = &a.content_json {
        return serde_json::from_str(raw)
            .map_err(|e| Error::invalid("content", format!("is not valid JSON: {e}")));
    }
    let code = match &a.code_file {
        Some(path) => Some(
            String::from_utf8(super::read_input(path)?)
                .map_err(|_| Error::invalid("code_file", "is not valid UTF-8"))?,
        ),
        None => a.code.clone(),
    };
    let given = |pairs: &[(&str, &Option<String>)]| -> Value {
        let mut m = serde_json::Map::new();
        for (k, v) in pairs {
            if let Some(v) = v {
                m.insert((*k).to_string(), json!(v));
            }
        }
        Value::Object(m)
    };
    Ok(match t {
        EntryType::Update | EntryType::Note => given(&[("text", &a.text)]),
        EntryType::DeadEnd => given(&[("what", &a.what), ("why", &a.why)]),
        EntryType::Breakthrough => given(&[
            ("insight", &a.insight),
            ("detail", &a.detail),
            ("importance", &a.importance),
        ]),
        EntryType::Gotcha => given(&[("warning", &a.warning), ("context", &a.context)]),
        EntryType::Artifact => given(&[
            ("language", &a.language),
            ("code", &code),
            ("description", &a.description),
        ]),
    })
}

pub fn inbox(plurum: &Plurum, actor: &Agent, args: &InboxArgs, out: &Output) -> Result<()> {
    match &args.action {
        Some(InboxAction::Read { all, ids }) => {
            let n = plurum.mark_read(actor, if *all { None } else { Some(ids.as_slice()) })?;
            if out.json {
                out.json(api::marked_read(n));
            } else {
                out.text(format!("Marked {n} event(s) read."));
            }
        }
        None => {
            let inbox = plurum.inbox(actor, args.unread, args.limit)?;
            if out.json {
                out.json(api::inbox(&inbox));
            } else {
                out.text(render::inbox(&inbox));
            }
        }
    }
    Ok(())
}

pub fn pulse(plurum: &Plurum, out: &Output) -> Result<()> {
    let pulse = plurum.pulse()?;
    if out.json {
        out.json(api::pulse(&pulse));
    } else {
        out.text(render::pulse(&pulse));
    }
    Ok(())
}
