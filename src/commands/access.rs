//! `rolelint access`: the effective access of the repository, offline. Who holds which
//! permission in which project (through which scheme, role and group), which global
//! permissions, and which board capabilities on which boards. Exit 0 with an answer (even
//! "no access matches"), 2 on bad input.
use crate::access::{self, Filter};
use crate::catalog::PermissionCatalog;
use crate::cli::{AccessArgs, AccessFormat};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Severity;
use crate::document::holder::Holder;
use crate::error::Fatal;
use crate::inert::bounded;
use crate::jira::Model;
use crate::pipeline;
use crate::Outcome;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;

pub fn run(args: &AccessArgs) -> Result<Outcome, Fatal> {
    let who = match &args.who {
        None => None,
        Some(w) => Some(Holder::parse(w).map_err(|_| {
            Fatal::msg(format!(
                "`{}` is not a subject: use `group:NAME`, `role:NAME`, `user:ACCOUNT`, `anyone`, `application-role[:NAME]` or a dynamic holder such as `reporter`",
                bounded(w, 80)
            ))
        })?),
    };
    let mut sources = SourceMap::new();
    let (config, root) = super::check::load_config(args.config.as_deref(), &[], &mut sources)?;
    // Access follows from the Jira documents alone: roles are not parsed, no rule runs.
    let run = pipeline::model_of_repository(&root, config, sources)?;
    let errors = (run.diagnostics.iter())
        .filter(|d| d.is_active() && d.severity == Severity::Error)
        .count();
    if errors > 0 {
        errln!("note: {errors} error(s) in the files this answer reads (not read as written); `rolelint check` shows them");
    }
    let model = &run.workspace.jira;
    // With `--who`, everything (its rows fold in what every user gets); otherwise only
    // what the filter can show.
    let everything = who.as_ref().map(|w| {
        let access = access::build(model);
        known(model, &access, w).map(|()| access)
    });
    let everything = everything.transpose()?;
    let filter = resolve(args, who, model)?;
    let access = everything.unwrap_or_else(|| access::build_only(model, &filter.only(model)));
    let mut merged = Vec::new();
    let rows = access::query::select(&access, &filter, &mut merged);
    crate::console::timing::lap("access: rows selected");
    let folded = filter
        .who
        .as_ref()
        .is_some_and(|w| !access::is_universal(w));
    // Written as rendered: an unfiltered JSON or CSV answer runs to hundreds of megabytes.
    let mut out = std::io::BufWriter::new(crate::console::Stdout);
    match args.format {
        AccessFormat::Human => out.write_all(access::human::render(&rows, folded).as_bytes()),
        AccessFormat::Json => access::json::write(&mut out, &rows, &filter),
        AccessFormat::Csv => access::csv::write(&mut out, &rows),
    }
    .and_then(|()| out.flush())
    .map_err(crate::console::write_failed)?;
    crate::console::timing::lap("access: written");
    // The process ends right after this (as after `check`): freeing millions of facts and
    // the model of a large repository one by one would only add to the wall time.
    std::mem::forget(rows);
    std::mem::forget(access);
    std::mem::forget(merged);
    std::mem::forget(run);
    Ok(Outcome::Clean)
}

/// `who` is a subject of the repository (checked first, before the other filters).
fn known(model: &Model, access: &access::Access, who: &Holder) -> Result<(), Fatal> {
    let known = subjects(model, access);
    if known.contains(who) {
        return Ok(());
    }
    let names: Vec<String> = known.iter().map(ToString::to_string).collect();
    Err(unknown(
        "subject",
        &who.to_string(),
        names.iter().map(String::as_str),
    ))
}

/// The filter with every value checked against the repository (canonical spellings).
fn resolve(args: &AccessArgs, who: Option<Holder>, model: &Model) -> Result<Filter, Fatal> {
    let project = match &args.project {
        None => None,
        Some(p) => match model.project(p) {
            Some(i) => Some(model.projects[i].key.get_ref().clone()),
            None => {
                let keys = model.projects.iter().map(|p| p.key.get_ref().as_str());
                return Err(unknown("project", p, keys));
            }
        },
    };
    if let Some(b) = &args.board {
        if model.board(b).is_none() {
            let names = model.boards.iter().map(|b| b.board.name.get_ref().as_str());
            return Err(unknown("board", b, names));
        }
    }
    if let Some(k) = &args.permission {
        let cat = PermissionCatalog::builtin();
        if cat.get(k).is_none() {
            let keys = cat.permission.iter().map(|p| p.key.as_str());
            return Err(unknown("permission", k, keys));
        }
    }
    if let Some(c) = &args.capability {
        if model.capability(c).is_none() {
            let ids = model.capabilities.iter().map(|c| c.id.get_ref().as_str());
            return Err(unknown("capability", c, ids));
        }
    }
    Ok(Filter {
        who,
        project,
        board: args.board.clone(),
        permission: args.permission.clone(),
        capability: args.capability.clone(),
    })
}

/// Every subject the repository names: with facts, in groups, in roles, among board admins.
fn subjects(model: &Model, access: &access::Access) -> BTreeSet<Holder> {
    let mut out: BTreeSet<Holder> = access.subjects().iter().cloned().collect();
    for (g, members) in &model.groups {
        out.insert(Holder::Group(crate::diagnostics::text::name(g)));
        out.extend(members.iter().map(|(m, _)| m.clone()));
    }
    for p in &model.projects {
        for r in &p.roles {
            out.insert(Holder::Role(crate::diagnostics::text::name(
                r.role.get_ref(),
            )));
            out.extend(r.members.iter().map(|m| m.holder.clone()));
        }
    }
    for b in &model.boards {
        out.extend(b.board.admins.iter().map(|a| a.holder.clone()));
    }
    out
}

/// "no board named `X`; did you mean `Y`?" (the list of names when short and nothing is close).
fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a str> + Clone) -> Fatal {
    let mut m = format!("no {what} named `{}` in the repository", bounded(name, 80));
    match did_you_mean(name, known.clone()) {
        Some(s) => {
            let _ = write!(m, "; did you mean `{}`?", bounded(s, 80));
        }
        None => {
            let all: Vec<&str> = known.collect();
            if !all.is_empty() && all.len() <= 12 {
                let shown: Vec<String> = all
                    .iter()
                    .map(|s| format!("`{}`", bounded(s, 80)))
                    .collect();
                let _ = write!(m, "; known: {}", shown.join(", "));
            }
        }
    }
    Fatal::msg(m)
}
