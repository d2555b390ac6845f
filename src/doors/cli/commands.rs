//! One function per command: call the library, then print JSON or text.

use std::io::Write;

use serde_json::Value;

use super::args::*;
use super::output::Output;
use super::{Cli, open, publish, render};
use crate::atomic_file::{AtomicFile, Readers};
use crate::doors::api;
use crate::error::{Error, Result};
use crate::ops::{Location, Plurum};

use crate::model::experience::{AcquireMode, Status, VoteType};
use crate::model::feedback::OutcomeInput;
use crate::model::search::SearchQuery;
use crate::ops::experiences::ListFilter;

pub fn dispatch(cli: &Cli, out: &Output) -> Result<()> {
    if let Command::Completions { shell } = &cli.command {
        return completions(*shell, out);
    }
    if let Command::Skill = &cli.command {
        let text = include_str!("../../skill.md").trim_end();
        if out.json {
            out.json(api::skill(text));
        } else {
            out.text(text);
        }
        return Ok(());
    }
    if let Command::Eval {
        dir,
        max_queries,
        database,
    } = &cli.command
    {
        return eval(cli, dir, *max_queries, database.as_deref(), out);
    }
    if let Command::Hook { host, event } = &cli.command {
        return super::hooks::hook(cli, *host, *event);
    }
    if let Command::Hooks(cmd) = &cli.command {
        return super::hooks::hooks(cli, cmd, out);
    }
    if let Command::Copy { from, .. } = &cli.command {
        copy_source_exists(cli, from.as_deref())?;
    }
    let plurum = open(cli, out)?;
    let agent = cli.global.agent.as_deref();
    let result = match &cli.command {
        Command::Publish(args) => publish_cmd(&plurum, agent, args, out),
        Command::Search(args) => search(&plurum, agent, args, out),
        Command::Similar { id, limit } => similar(&plurum, agent, id, *limit, out),
        Command::Reindex { force, .. } => reindex(&plurum, *force, out),
        Command::Model(cmd) => model(&plurum, cmd, out),
        Command::Show { id } => show(&plurum, agent, id, out),
        Command::Duplicates { min_similarity } => duplicates(&plurum, agent, *min_similarity, out),
        Command::Merge {
            keep,
            others,
            dry_run,
        } => merge(&plurum, agent, keep, others, *dry_run, out),
        Command::List(args) => list(&plurum, agent, args, out),
        Command::Artifact { id, index } => artifact(&plurum, agent, id, *index, out),
        Command::Acquire { id, mode } => acquire(&plurum, agent, id, (*mode).into(), out),
        Command::Outcome(args) => outcome(&plurum, agent, args, out),
        Command::Vote { id, direction } => vote(&plurum, agent, id, (*direction).into(), out),
        Command::Experience(ExperienceCommand::Publish { id }) => {
            let actor = plurum.acting_agent(agent)?;
            let e = plurum.publish_draft(&actor, id)?;
            detail_or(
                out,
                &e,
                format!("Published {} {}", e.short_id, e.content.goal),
            )
        }
        Command::Experience(ExperienceCommand::Archive { id }) => {
            let actor = plurum.acting_agent(agent)?;
            let e = plurum.archive(&actor, id)?;
            detail_or(
                out,
                &e,
                format!("Archived {} {}", e.short_id, e.content.goal),
            )
        }
        Command::Export { file } => export(&plurum, file.as_ref(), out),
        Command::Copy { from, to } => copy(&plurum, from.as_deref(), to.as_deref(), out),
        Command::Import { file } => import(&plurum, file, out),
        Command::Agents => agents(&plurum, out),
        Command::Doctor { fix, .. } => doctor(&plurum, *fix, out),
        Command::Backup { file } => {
            let bytes = plurum.backup(file)?;
            if out.json {
                out.json(api::backup(file, bytes));
            } else {
                out.text(format!(
                    "Backed up the store to {} ({bytes} bytes).",
                    file.display()
                ));
            }
            Ok(())
        }
        Command::Session(cmd) => {
            super::sessions::run(&plurum, &plurum.acting_agent(agent)?, cmd, out)
        }
        Command::Inbox(args) => {
            super::sessions::inbox(&plurum, &plurum.acting_agent(agent)?, args, out)
        }
        Command::Pulse => super::sessions::pulse(&plurum, out),
        Command::Push => super::remote::push(&plurum, out),
        Command::Pull { query, limit } => {
            super::remote::pull(&plurum, query.as_deref(), *limit, out)
        }
        Command::Sync { limit } => super::remote::sync(&plurum, *limit, out),
        Command::Remote(cmd) => super::remote::remote(&plurum, cmd, out),
        Command::Agent(cmd) => super::remote::agent(&plurum, cmd, out),
        Command::Serve {
            addr,
            no_rate_limits,
            rate_limits,
            request_timeout,
            body_timeout,
            database: _,
        } => {
            let options = crate::doors::http::ServeOptions {
                addr: *addr,
                rate_limits: !no_rate_limits,
                limit_overrides: rate_limits.clone(),
                timeouts: crate::doors::http::Timeouts {
                    request: std::time::Duration::from_secs_f64(*request_timeout),
                    body: std::time::Duration::from_secs_f64(*body_timeout),
                },
            };
            return crate::doors::http::run(plurum, options);
        }
        Command::Hook { .. } | Command::Hooks(_) => unreachable!("answered before the store opens"),
        Command::Mcp => {
            let actor = plurum.acting_agent(agent)?;
            return crate::doors::mcp::serve_stdio(plurum, actor);
        }
        Command::Eval { .. } => unreachable!("handled above"),
        Command::Completions { .. } | Command::Skill => unreachable!("handled above"),
    };
    if let Some(notice) = plurum.semantic_notice() {
        out.notice(notice);
    }
    result
}

fn detail_or(out: &Output, e: &crate::model::experience::Experience, text: String) -> Result<()> {
    if out.json {
        out.json(api::experience(e));
    } else {
        out.text(text);
    }
    Ok(())
}

fn completions(shell: clap_complete::Shell, out: &Output) -> Result<()> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    // Into memory first: clap_complete panics when its writer fails (`| head -1`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "plurum", &mut script);
    if out.json {
        let script = String::from_utf8(script).map_err(Error::other)?;
        out.json(api::completions(&shell.to_string(), &script));
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(())
}

fn publish_cmd(
    plurum: &Plurum,
    agent: Option<&str>,
    args: &PublishArgs,
    out: &Output,
) -> Result<()> {
    let gathered = publish::gather(args, out)?;
    let actor = plurum.acting_agent(agent)?;
    let bar = out.progress(gathered.items.len() as u64, "publishing");
    let total = gathered.items.len();
    let draft = gathered.draft;
    let created = plurum.create_experiences(
        &actor,
        gathered.items,
        draft,
        Some(args.if_duplicate.into()),
        &mut |n| bar.set(n, total),
    )?;
    bar.finish();
    let verb = if draft { "Drafted" } else { "Published" };
    // Likely duplicates go to stderr whatever the format, so an agent reading --json and a
    // person reading the table both hear of them: each one for a single publish, a count
    // for a bulk one (its JSON lists them per item).
    if !gathered.bulk {
        if let Some(notice) = render::duplicates_notice(&created[0]) {
            out.notice(notice);
        }
    } else {
        let with = created
            .iter()
            .filter(|c| c.created && !c.possible_duplicates.is_empty())
            .count();
        if with > 0 {
            out.notice(format!(
                "note: {with} of the {} experiences published have likely duplicates (possible_duplicates in --json); `{}` lists the groups",
                created.len(),
                plurum.command("duplicates")
            ));
        }
    }
    if gathered.bulk {
        if out.json {
            out.json(api::created(&created));
        } else {
            for c in &created {
                let e = &c.experience;
                let note = if c.created {
                    ""
                } else {
                    "  (skipped: a duplicate of this one)"
                };
                out.text(format!("{}  {}{note}", e.short_id, e.id));
            }
            let stored = created.iter().filter(|c| c.created).count();
            let skipped = created.len() - stored;
            out.notice(match skipped {
                0 => format!("{verb} {stored} experiences."),
                n => format!("{verb} {stored} experiences; skipped {n} likely duplicates."),
            });
        }
        return Ok(());
    }
    let c = &created[0];
    let e = &c.experience;
    if out.json {
        out.json(api::created_experience(c));
    } else if c.created {
        out.text(format!(
            "{verb} {}  {}\n{}",
            e.short_id, e.content.goal, e.id
        ));
    } else {
        out.text(format!(
            "Not stored: {} already holds this lesson  {}\n{}",
            e.short_id, e.content.goal, e.id
        ));
    }
    Ok(())
}

fn show(plurum: &Plurum, agent: Option<&str>, id: &str, out: &Output) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let e = plurum.experience(&actor, id)?;
    if out.json {
        out.json(api::experience(&e));
    } else {
        out.text(render::detail(&e));
    }
    Ok(())
}

fn list(plurum: &Plurum, agent: Option<&str>, args: &ListArgs, out: &Output) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let status = args.status.map(Status::from);
    let filter = ListFilter {
        viewer: actor.id.clone(),
        status,
        include_archived: args.include_archived || status == Some(Status::Archived),
        domain: args.domain.clone(),
        tags: args.tags.clone(),
        author: args.mine.then(|| actor.id.clone()),
        limit: args.limit,
        offset: args.offset,
        ..Default::default()
    };
    let page = plurum.list_experiences(&filter)?;
    if out.json {
        out.json(api::experience_page(&page));
    } else {
        out.text(render::list(&page));
    }
    Ok(())
}

fn artifact(
    plurum: &Plurum,
    agent: Option<&str>,
    id: &str,
    index: Option<usize>,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let Some(index) = index else {
        let e = plurum.experience(&actor, id)?;
        if out.json {
            out.json(api::artifact_list(&e));
        } else if e.artifacts.is_empty() {
            out.text(format!("{} has no artifacts.", e.short_id));
        } else {
            let mut t = render::table(&["#", "language", "description", "lines", "bytes"]);
            for a in &e.artifacts {
                t.add_row(vec![
                    a.index.to_string(),
                    a.language.clone(),
                    render::truncate(a.description.as_deref().unwrap_or_default(), 60),
                    a.lines.to_string(),
                    a.bytes.to_string(),
                ]);
            }
            out.text(format!(
                "{t}\nPrint one with `plurum artifact {} N`.",
                e.short_id
            ));
        }
        return Ok(());
    };
    let (e, a) = plurum.artifact(&actor, id, index)?;
    if out.json {
        out.json(api::artifact(&e, index, &a));
    } else if out.stdout_terminal {
        out.text(render::artifact(&e, index, &a));
    } else {
        // Piped: the code alone, so `plurum artifact ID 0 > file` just works.
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(a.code.as_bytes())?;
        if !a.code.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn acquire(
    plurum: &Plurum,
    agent: Option<&str>,
    id: &str,
    mode: AcquireMode,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let acquired = plurum.acquire(&actor, id, mode)?;
    if out.json {
        out.json(api::acquired(&acquired));
    } else {
        out.text(render::acquire(&acquired));
    }
    Ok(())
}

fn outcome(plurum: &Plurum, agent: Option<&str>, args: &OutcomeArgs, out: &Output) -> Result<()> {
    let env_fingerprint = match &args.env {
        None => None,
        Some(text) => Some(
            serde_json::from_str::<Value>(text)
                .map_err(|e| Error::invalid("env", format!("is not valid JSON: {e}")))?,
        ),
    };
    let actor = plurum.acting_agent(agent)?;
    let input = OutcomeInput {
        success: args.success,
        execution_time_ms: args.time_ms,
        error_message: args.error.clone(),
        context_notes: args.notes.clone(),
        env_fingerprint,
    };
    let result = plurum.report_outcome(&actor, &args.id, input)?;
    if out.json {
        out.json(api::outcome(&result));
    } else {
        let e = &result.experience;
        out.text(format!(
            "Reported {} on {} as {}. Quality now {}.",
            if result.record.success {
                "success"
            } else {
                "failure"
            },
            e.short_id,
            actor.username,
            render::quality_line(e)
        ));
    }
    Ok(())
}

fn vote(
    plurum: &Plurum,
    agent: Option<&str>,
    id: &str,
    vote_type: VoteType,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let result = plurum.vote(&actor, id, vote_type)?;
    if out.json {
        out.json(api::vote(&result));
    } else {
        use crate::model::feedback::VoteAction::*;
        let what = match result.action {
            Created => format!("Voted {vote_type} on"),
            Changed => format!("Changed your vote to {vote_type} on"),
            Withdrawn => "Withdrew your vote on".to_string(),
        };
        out.text(format!(
            "{what} {}. Quality now {}.",
            result.experience.short_id,
            render::quality_line(&result.experience)
        ));
    }
    Ok(())
}

fn export(plurum: &Plurum, file: Option<&std::path::PathBuf>, out: &Output) -> Result<()> {
    match file {
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            plurum.export(&mut stdout)?;
        }
        Some(path) => {
            // Written beside the target and renamed, so a failed export never leaves half a file.
            let mut file = AtomicFile::create(path, Readers::Default)
                .map_err(|e| Error::Usage(format!("cannot write {}: {e}", path.display())))?;
            let counts = {
                let mut w = std::io::BufWriter::new(file.file());
                let counts = plurum.export(&mut w)?;
                w.flush()?;
                counts
            };
            file.commit()?;
            if out.json {
                out.json(api::exported(path, &counts));
            } else {
                out.text(format!(
                    "Exported {} experiences, {} outcome reports, {} votes, {} agents to {}.",
                    counts.experiences,
                    counts.outcome_reports,
                    counts.votes,
                    counts.agents,
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

fn import(plurum: &Plurum, file: &std::path::Path, out: &Output) -> Result<()> {
    let bar = out.progress(0, "importing");
    let summary = if file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        let mut reader = stdin.lock();
        plurum.import(&mut reader, &mut |done, total| bar.set(done, total))?
    } else {
        plurum.import_file(file, &mut |done, total| bar.set(done, total))?
    };
    bar.finish();
    note_replaced(out, &summary.control_characters_replaced);
    note_warnings(out, &summary.warnings);
    note_duplicates(out, summary.likely_duplicates.as_ref());
    for rename in &summary.renamed_agents {
        out.notice(format!("note: agent username taken here, renamed {rename}"));
    }
    if out.json {
        out.json(api::record(&summary));
    } else {
        let a = &summary.added;
        let s = &summary.skipped;
        out.text(format!(
            "Imported {} experiences, {} outcome reports, {} votes, {} agents ({} experiences already here).",
            a.experiences, a.outcome_reports, a.votes, a.agents, s.experiences
        ));
    }
    Ok(())
}

/// Names on stderr the records carried with control characters replaced.
fn note_replaced(out: &Output, replaced: &[String]) {
    for record in replaced {
        out.notice(format!(
            "note: {record}: control characters replaced with U+FFFD (plurum stores no text with them)"
        ));
    }
}

/// Prints each warning of a report on stderr (records carried although they hold a secret
/// format added since they were stored).
pub(super) fn note_warnings(out: &Output, warnings: &[String]) {
    for warning in warnings {
        out.notice(format!("warning: {warning}"));
    }
}

/// One line on stderr when new experiences that came in likely duplicate others (in text
/// mode: the JSON document carries the count as `likely_duplicates`).
pub(super) fn note_duplicates(
    out: &Output,
    count: Option<&crate::ops::duplicates::DuplicateCount>,
) {
    if out.json {
        return;
    }
    if let Some(d) = count.filter(|d| d.likely > 0) {
        out.notice(format!(
            "note: {} of the {} new experiences checked likely duplicate one already here; {}",
            d.likely, d.checked, d.hint
        ));
    }
}

/// The source of a copy must exist: without `--from` it is this store, and opening it would
/// create an empty one (a copy of nothing that says it succeeded).
fn copy_source_exists(cli: &Cli, from: Option<&str>) -> Result<()> {
    let source = match from.map(Location::parse) {
        Some(Location::File(path)) => path,
        Some(Location::Postgres(_)) => return Ok(()),
        None => match &cli.global.db {
            Some(db) => db.clone(),
            None => crate::ops::OpenOptions::from_env()?.db,
        },
    };
    if source.is_file() {
        Ok(())
    } else {
        Err(Error::not_found("Store", source.display().to_string()))
    }
}

fn copy(plurum: &Plurum, from: Option<&str>, to: Option<&str>, out: &Output) -> Result<()> {
    let (from, to) = (from.map(Location::parse), to.map(Location::parse));
    let bar = out.progress(0, "copying");
    let copied = plurum.copy(from.as_ref(), to.as_ref(), &mut |done, total| {
        bar.set(done, total)
    })?;
    bar.finish();
    let source = &copied.summary;
    if source.added.experiences + source.skipped.experiences == 0 {
        out.notice(format!(
            "warning: {} holds no experiences; there was nothing to copy",
            copied.from
        ));
    }
    if let Some(hint) = &copied.hint {
        out.notice(format!("note: {hint}"));
    }
    note_replaced(out, &copied.summary.control_characters_replaced);
    note_warnings(out, &copied.summary.warnings);
    note_duplicates(out, copied.summary.likely_duplicates.as_ref());
    for rename in &copied.summary.renamed_agents {
        out.notice(format!(
            "note: agent username taken there, renamed {rename}"
        ));
    }
    if out.json {
        out.json(api::record(&copied));
    } else {
        let (a, s) = (&copied.summary.added, &copied.summary.skipped);
        out.text(format!(
            "Copied {} experiences, {} outcome reports, {} votes, {} sessions, {} agents from {} to {} ({} experiences were there already).",
            a.experiences, a.outcome_reports, a.votes, a.sessions, a.agents, copied.from, copied.to, s.experiences
        ));
    }
    Ok(())
}

fn agents(plurum: &Plurum, out: &Output) -> Result<()> {
    let agents = plurum.agents()?;
    if out.json {
        out.json(api::agents(&agents));
    } else {
        let mut t = render::table(&["username", "name", "id", "created"]);
        for a in &agents {
            t.add_row(vec![
                a.username.clone(),
                a.name.clone(),
                a.id.clone(),
                a.created_at.get(..10).unwrap_or("").to_string(),
            ]);
        }
        out.text(t.to_string());
    }
    Ok(())
}

fn search(plurum: &Plurum, agent: Option<&str>, args: &SearchArgs, out: &Output) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let query = SearchQuery {
        query: args.query.join(" "),
        tags: args.tags.clone(),
        domain: args.domain.clone(),
        tools: args.tools.clone(),
        min_quality: args.min_quality,
        limit: args.limit,
        include_quarantined: args.include_quarantined,
        exact: args.exact,
        mode: args.mode.into(),
    };
    let results = if args.remote {
        let remote = plurum.interactive_remote()?;
        plurum.search_with_remote(&actor, &query, &remote)?
    } else {
        plurum.search(&actor, &query)?
    };
    // Say when meaning could not be searched, or not everywhere (the model's own absence is
    // said once, by `dispatch`).
    match (&results.semantic_reason, results.vector_coverage) {
        (None, Some(coverage)) => out.notice(format!(
            "warning: only {:.0}% of the searchable experiences have a vector; the others are found by keyword only until `{}` runs",
            (coverage * 100.0).floor(),
            plurum.command("reindex")
        )),
        (Some(reason), _)
            if query.mode != crate::model::search::SearchMode::Keyword
                && plurum.semantic_notice().is_none() =>
        {
            out.notice(format!(
                "warning: semantic search is off, keyword search only: {reason}"
            ))
        }
        _ => {}
    }
    if let Some(error) = &results.remote_error {
        out.notice(format!(
            "warning: {error}; these are the local results only"
        ));
    }
    if out.json {
        out.json(api::search(&results, args.explain));
    } else {
        out.text(render::search(&results, args.explain));
    }
    Ok(())
}

fn duplicates(
    plurum: &Plurum,
    agent: Option<&str>,
    min_similarity: f64,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let bar = out.progress(0, "comparing");
    let found = plurum.duplicate_clusters(&actor, min_similarity, &mut |done, total| {
        bar.set(done, total)
    })?;
    bar.finish();
    if out.json {
        out.json(api::duplicate_clusters(&found));
    } else {
        out.text(render::clusters(&found));
    }
    Ok(())
}

fn merge(
    plurum: &Plurum,
    agent: Option<&str>,
    keep: &str,
    others: &[String],
    dry_run: bool,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let merged = plurum.merge(
        &actor,
        keep,
        others,
        crate::ops::merge::MergeRights::OwnerOfKept,
        dry_run,
    )?;
    if out.json {
        out.json(api::merged(&merged));
    } else {
        out.text(render::merged(&merged));
    }
    Ok(())
}

fn similar(
    plurum: &Plurum,
    agent: Option<&str>,
    id: &str,
    limit: usize,
    out: &Output,
) -> Result<()> {
    let actor = plurum.acting_agent(agent)?;
    let (source, near) = plurum.similar(&actor, id, limit)?;
    if out.json {
        out.json(api::similar(&source, &near));
    } else if near.is_empty() {
        out.text(format!(
            "Nothing close to {} (cosine ≥ 0.5).",
            source.short_id
        ));
    } else {
        let mut t = render::table(&["id", "goal", "similarity", "quality"]);
        for (e, sim) in &near {
            t.add_row(vec![
                e.short_id.clone(),
                render::truncate(&e.content.goal, 60),
                format!("{sim:.2}"),
                format!("{:.2}", e.metrics.quality_score),
            ]);
        }
        out.text(t.to_string());
    }
    Ok(())
}

fn reindex(plurum: &Plurum, force: bool, out: &Output) -> Result<()> {
    let bar = out.progress(0, "embedding");
    let report = plurum.reindex(force, &mut |done, total| bar.set(done, total))?;
    bar.finish();
    if out.json {
        out.json(api::record(&report));
    } else {
        let replaced = report
            .replaced_model
            .as_ref()
            .map(|m| format!(" (replacing vectors of {m})"))
            .unwrap_or_default();
        out.text(format!(
            "Embedded {} experiences with {} ({} dimensions){replaced}; {} experiences in the store.",
            report.embedded, report.model, report.dimension, report.total_experiences
        ));
    }
    Ok(())
}

fn model(plurum: &Plurum, cmd: &ModelCommand, out: &Output) -> Result<()> {
    match cmd {
        ModelCommand::Status => {}
        ModelCommand::Embed { texts, query } => {
            let made = plurum.embed_texts(texts, *query)?;
            if out.json {
                out.json(api::record(&made));
            } else {
                out.text(render::embedded(&made, texts));
            }
            return Ok(());
        }
        ModelCommand::Import { dir } => {
            let model = plurum.import_model(dir)?;
            out.notice(format!(
                "Imported {} into {}",
                model.model_id,
                model.dir.display()
            ));
        }
        ModelCommand::Fetch => {
            let model = plurum.fetch_model()?;
            out.notice(format!(
                "Downloaded {} into {}",
                model.model_id,
                model.dir.display()
            ));
        }
    }
    let status = plurum.model_status()?;
    if out.json {
        out.json(api::record(&status));
    } else {
        out.text(render::model_status(&status, &plurum.command("reindex")));
    }
    Ok(())
}

/// Runs the BEIR evaluation in a scratch store that is deleted afterwards.
fn eval(
    cli: &Cli,
    dir: &std::path::Path,
    max_queries: Option<usize>,
    database: Option<&str>,
    out: &Output,
) -> Result<()> {
    let scratch = tempfile::tempdir()?;
    let mut options = crate::ops::OpenOptions::from_env()?;
    options.db = scratch.path().join("eval.db");
    options.database_url = database.map(str::to_string);
    if let Some(d) = &cli.global.model_dir {
        options.model.model_dir = Some(d.clone());
    }
    options.model.offline |= cli.global.offline;
    let plurum = Plurum::open(options)?;
    let bar = out.progress(0, "eval");
    let report = plurum.evaluate_beir(dir, max_queries, &mut |stage, done, total| {
        bar.stage(stage);
        bar.set(done, total);
    })?;
    bar.finish();
    if out.json {
        out.json(api::record(&report));
    } else {
        let n = &report.ndcg_at_10;
        let m = &report.median_ms;
        out.text(format!(
            "{} documents, {} judged queries, loaded in {:.1} s\n\nnDCG@10   keyword {:.4}   vector {:.4}   hybrid {:.4}\nmedian    keyword {:.1} ms   vector {:.1} ms   hybrid {:.1} ms",
            report.documents, report.queries, report.ingest_seconds, n.keyword, n.vector, n.hybrid, m.keyword, m.vector, m.hybrid
        ));
    }
    Ok(())
}

fn doctor(plurum: &Plurum, fix: bool, out: &Output) -> Result<()> {
    let d = plurum.doctor(fix)?;
    if out.json {
        out.json(api::record(&d));
    } else {
        let i = &d.indexes;
        let mut lines = vec![
            if let Location::Postgres(_) = Location::parse(&d.files.store) {
                format!(
                    "store      {} ({} bytes)",
                    d.files.store, d.files.store_bytes
                )
            } else {
                format!(
                    "store      {} ({} bytes, WAL {} bytes, {} reclaimable)",
                    d.files.store,
                    d.files.store_bytes,
                    d.files.wal_bytes,
                    d.files.reclaimable_bytes
                )
            },
            format!("schema     version {}", d.store_schema_version),
            format!("integrity  {}", d.integrity.join("; ")),
            format!(
                "keywords   {} rows for {} experiences ({} orphan, {} missing)",
                i.keyword_rows, i.experiences, i.orphan_keyword_rows, i.missing_keyword_rows
            ),
            format!(
                "vectors    {} ({} orphan, {} missing)",
                i.vectors, i.orphan_vectors, i.missing_vectors
            ),
            format!(
                "search     {}{}",
                d.vector_search.method,
                d.vector_search
                    .reason
                    .as_ref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
            format!(
                "model      store: {}; here: {}",
                d.model
                    .store_model
                    .clone()
                    .unwrap_or_else(|| "none yet".into()),
                d.model
                    .available_model
                    .clone()
                    .unwrap_or_else(|| "not available".into())
            ),
        ];
        lines.extend(d.fixed.iter().map(|f| format!("fixed      {f}")));
        if d.healthy {
            lines.push("healthy".into());
        } else {
            lines.extend(d.problems.iter().map(|p| format!("problem    {p}")));
        }
        out.text(lines.join("\n"));
    }
    if !d.healthy && d.integrity != ["ok"] {
        return Err(Error::other("the store failed its integrity check"));
    }
    Ok(())
}
