//! `rolelint why WHO CAPABILITY --board NAME`: the offline Permission Helper. Shows, project
//! by project, which grant, holder and role membership gives or denies each permission the
//! capability needs. Exit 0 when WHO can, 1 when not, 2 on bad input.
use crate::cli::{WhyArgs, WhyFormat};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Severity;
use crate::document::holder::Holder;
use crate::error::Fatal;
use crate::jira::derive::{self, Node, Outcome};
use crate::jira::subject::Level;
use crate::pipeline;
use crate::Outcome as Exit;
use std::fmt::Write as _;

pub fn run(args: &WhyArgs) -> Result<Exit, Fatal> {
    let who = match Holder::parse(&args.who) {
        Ok(h @ (Holder::Group(_) | Holder::Role(_) | Holder::User(_))) => h,
        _ => {
            return Err(Fatal::msg(format!(
                "`{}` is not a subject: use `group:NAME`, `role:NAME` or `user:ACCOUNT`",
                args.who
            )))
        }
    };
    let mut sources = SourceMap::new();
    let (config, root) = super::check::load_config(args.config.as_deref(), &[], &mut sources)?;
    let run = pipeline::check_repository(&root, config, sources)?;
    let errors = run
        .diagnostics
        .iter()
        .filter(|d| d.is_active() && d.severity == Severity::Error)
        .count();
    if errors > 0 {
        errln!("note: the repository has {errors} error(s); `rolelint check` shows them");
    }
    let model = &run.workspace.jira;
    if !model.subjects.knows(&who) {
        // Every answer about it would be a plain "cannot", and most likely a typo's.
        return Err(Fatal::msg(model.subjects.unknown_sentence(&who)));
    }
    let Some(board) = model.board(&args.board) else {
        let names: Vec<&str> = model
            .boards
            .iter()
            .map(|b| b.board.name.get_ref().as_str())
            .collect();
        return Err(Fatal::msg(unknown("board", &args.board, &names)));
    };
    let Some(cap) = model.capability(&args.capability) else {
        let ids: Vec<&str> = model
            .capabilities
            .iter()
            .map(|c| c.id.get_ref().as_str())
            .collect();
        return Err(Fatal::msg(unknown("capability", &args.capability, &ids)));
    };
    let o = derive::evaluate(
        model,
        board,
        cap,
        &who,
        usize::MAX,
        &derive::LevelCache::default(),
    );
    let text = match args.format {
        WhyFormat::Human => human(
            &who,
            &cap.label,
            cap.id.get_ref(),
            board.board.name.get_ref(),
            board.complex(),
            &o,
        ),
        WhyFormat::Json => {
            let v = serde_json::json!({
                "version": 1,
                "who": who.to_string(),
                "capability": cap.id.get_ref(),
                "board": board.board.name.get_ref(),
                "complex-filter": board.complex(),
                "can": o.guaranteed == Level::Always,
                "result": o,
            });
            serde_json::to_string_pretty(&v)
                .map_err(|e| Fatal::msg(format!("cannot write JSON: {e}")))?
                + "\n"
        }
    };
    out!("{text}");
    Ok(if o.guaranteed == Level::Always {
        Exit::Clean
    } else {
        Exit::Violations
    })
}

fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    let mut m = format!("no {what} named `{name}`");
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => {
            let _ = write!(m, "; did you mean `{s}`?");
        }
        None if !known.is_empty() && known.len() <= 30 => {
            let _ = write!(m, "; known: {}", known.join(", "));
        }
        None => {}
    }
    m
}

fn human(who: &Holder, label: &str, id: &str, board: &str, complex: bool, o: &Outcome) -> String {
    let verdict = match o.guaranteed {
        Level::Always => "can",
        Level::Sometimes => "can only for some issues",
        Level::Never if o.possible > Level::Never => "can only in some projects",
        Level::Never => "cannot",
    };
    // Names come from the documents: each value is shown inert (one line, no control
    // sequence).
    let (who, board) = (who.to_string(), esc(board));
    let who = esc(&who);
    let mut s = format!("`{who}` {verdict} {} on board `{board}`\n", esc(label));
    if complex {
        s.push_str("(the board's filter is complex: every project in the repository counts)\n");
    }
    let _ = writeln!(s, "\n{} needs:", esc(id));
    node(&mut s, o, 1);
    s
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    crate::report::shown::text(s)
}

fn node(s: &mut String, o: &Outcome, depth: usize) {
    let pad = "  ".repeat(depth);
    match &o.node {
        Node::AllOf { children, .. } | Node::AnyOf { children, .. } if children.len() == 1 => {
            node(s, &children[0], depth);
        }
        Node::AllOf {
            children,
            projects,
            omitted,
        }
        | Node::AnyOf {
            children,
            projects,
            omitted,
        } => {
            let all = matches!(o.node, Node::AllOf { .. });
            // Parts judged per issue combine project by project: say so, and give each
            // project's combined verdict before the parts.
            let same = if projects.is_empty() {
                ""
            } else {
                ", in the project of the issue"
            };
            let _ = writeln!(
                s,
                "{pad}{} of{same}: {}",
                if all { "all" } else { "any" },
                word(o)
            );
            for p in projects {
                let _ = writeln!(s, "{pad}  an issue of {}", esc(&derive::verdict_text(p)));
            }
            if *omitted > 0 {
                let _ = writeln!(s, "{pad}  ({omitted} more projects not shown)");
            }
            for c in children {
                node(s, c, depth + 1);
            }
        }
        Node::Atom { needs, lines, .. } => {
            let _ = writeln!(s, "{pad}{}: {}", esc(needs), word(o));
            for l in lines {
                let _ = writeln!(s, "{pad}  {}: {}", esc(&l.subject), l.level.word());
                for p in &l.held.paths {
                    for step in &p.steps {
                        let _ = writeln!(s, "{pad}    {}", esc(step));
                    }
                }
                if l.held.paths.is_empty() {
                    if let Some(d) = &l.detail {
                        let _ = writeln!(s, "{pad}    {}", esc(d));
                    } else if !l.granted_to.is_empty() {
                        let _ = writeln!(
                            s,
                            "{pad}    granted only to {}, none of which includes it",
                            l.granted_to
                                .iter()
                                .map(|h| format!("`{}`", esc(&h.to_string())))
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    } else if l.subject.starts_with("project") {
                        let _ = writeln!(s, "{pad}    the scheme grants it to nobody");
                    }
                }
            }
        }
    }
}

/// A requirement's verdict: "yes", "no", "sometimes", or "only in some projects" when it
/// holds for the issues of some projects of the board and not of others.
fn word(o: &Outcome) -> &'static str {
    match (o.guaranteed, o.possible) {
        (Level::Never, Level::Always) => "only in some projects",
        (Level::Never, Level::Sometimes) => "sometimes, in some projects",
        (g, _) => g.word(),
    }
}
