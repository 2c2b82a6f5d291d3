//! `rolelint why WHO CAPABILITY --board NAME`: the offline Permission Helper. Shows, project
//! by project, which grant, holder and role membership gives or denies each permission the
//! capability needs. Exit 0 when WHO can, 1 when not, 2 on bad input.
use crate::cli::{WhyArgs, WhyFormat};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::text::Text;
use crate::diagnostics::Severity;
use crate::document::holder::Holder;
use crate::error::Fatal;
use crate::jira::derive::{self, Node, Outcome};
use crate::jira::subject::Level;
use crate::jira::words as w;
use crate::pipeline;
use crate::Outcome as Exit;
use std::fmt::Write as _;

pub fn run(args: &WhyArgs) -> Result<Exit, Fatal> {
    let who = match Holder::parse(&args.who) {
        Ok(h @ (Holder::Group(_) | Holder::Role(_) | Holder::User(_))) => h,
        _ => {
            let who = &args.who;
            return Err(Fatal::msg(w::WhyNotASubject { who }.text()));
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
        let errors = &errors.to_string();
        errln!("{}", w::WhyRepositoryErrors { errors }.text());
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
        let name = &args.board;
        return Err(Fatal::msg(unknown(
            w::WhyNoBoard { name }.text(),
            name,
            &names,
        )));
    };
    let Some(cap) = model.capability(&args.capability) else {
        let ids: Vec<&str> = model
            .capabilities
            .iter()
            .map(|c| c.id.get_ref().as_str())
            .collect();
        let name = &args.capability;
        return Err(Fatal::msg(unknown(
            w::WhyNoCapability { name }.text(),
            name,
            &ids,
        )));
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

/// `sentence` ("no board named `X`") with a did-you-mean, or the known names when few.
fn unknown(sentence: Text, name: &str, known: &[&str]) -> String {
    let mut m = String::from(sentence);
    match did_you_mean(name, known.iter().copied()) {
        Some(suggestion) => m.push_str(&w::WhyDidYouMean { suggestion }.text()),
        None if !known.is_empty() && known.len() <= 30 => {
            let names = &known.join(", ");
            m.push_str(&w::WhyKnown { names }.text());
        }
        None => {}
    }
    m
}

fn human(who: &Holder, label: &str, id: &str, board: &str, complex: bool, o: &Outcome) -> String {
    let verdict = match o.guaranteed {
        Level::Always => w::WhyCan::TEXT,
        Level::Sometimes => w::WhyCanForSomeIssues::TEXT,
        Level::Never if o.possible > Level::Never => w::WhyCanInSomeProjects::TEXT,
        Level::Never => w::WhyCannot::TEXT,
    };
    // Names come from the documents: each value is shown inert (one line, no control
    // sequence).
    let (who, board) = (who.to_string(), esc(board));
    let who = esc(&who);
    let capability = &esc(label);
    let mut s = String::from(
        w::WhyHeadline {
            who: &who,
            verdict,
            capability,
            board: &board,
        }
        .text(),
    );
    s.push('\n');
    if complex {
        let _ = writeln!(s, "{}", w::WhyComplexFilter::TEXT);
    }
    let _ = writeln!(
        s,
        "\n{}",
        w::WhyNeeds {
            capability: &esc(id)
        }
        .text()
    );
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
            let verdict = word(o);
            let head = match (all, projects.is_empty()) {
                (true, true) => w::WhyAllOf { verdict }.text(),
                (false, true) => w::WhyAnyOf { verdict }.text(),
                (true, false) => w::WhyAllOfPerIssue { verdict }.text(),
                (false, false) => w::WhyAnyOfPerIssue { verdict }.text(),
            };
            let _ = writeln!(s, "{pad}{head}");
            for p in projects {
                let verdict = derive::verdict_text(p);
                let verdict = &esc(&verdict);
                let _ = writeln!(s, "{pad}  {}", w::WhyIssueOf { verdict }.text());
            }
            if *omitted > 0 {
                let count = &omitted.to_string();
                let _ = writeln!(s, "{pad}  {}", w::WhyMoreProjects { count }.text());
            }
            for c in children {
                node(s, c, depth + 1);
            }
        }
        Node::Atom { needs, lines, .. } => {
            let (needs, verdict) = (&esc(needs), word(o));
            let _ = writeln!(s, "{pad}{}", w::WhyRequirement { needs, verdict }.text());
            for l in lines {
                let (subject, level) = (&esc(&l.subject), l.level.word());
                let _ = writeln!(s, "{pad}  {}", w::WhyLine { subject, level }.text());
                for p in &l.held.paths {
                    for step in &p.steps {
                        let _ = writeln!(s, "{pad}    {}", esc(step));
                    }
                }
                if l.held.paths.is_empty() {
                    if let Some(d) = &l.detail {
                        let _ = writeln!(s, "{pad}    {}", esc(d));
                    } else if !l.granted_to.is_empty() {
                        let holders = &l
                            .granted_to
                            .iter()
                            .map(|h| format!("`{}`", esc(&h.to_string())))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let _ = writeln!(s, "{pad}    {}", w::WhyGrantedOnlyTo { holders }.text());
                    } else if l.project.is_some() {
                        let _ = writeln!(s, "{pad}    {}", w::WhyGrantsNobody::TEXT);
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
        (Level::Never, Level::Always) => w::WhyOnlyInSomeProjects::TEXT,
        (Level::Never, Level::Sometimes) => w::WhySometimesInSomeProjects::TEXT,
        (g, _) => g.word(),
    }
}
