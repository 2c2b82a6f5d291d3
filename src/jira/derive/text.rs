//! The sentences findings and `rolelint why` make of an evaluation.
use super::*;

/// One sentence saying why a `can` fails (the first unmet requirement).
pub fn why_not(o: &Outcome) -> String {
    match &o.node {
        // Judged project by project: say which parts each failing project lacks.
        Node::AllOf {
            children,
            projects,
            omitted,
        }
        | Node::AnyOf {
            children,
            projects,
            omitted,
        } if !projects.is_empty() => {
            let all = matches!(o.node, Node::AllOf { .. });
            let names: Vec<String> = children.iter().map(short).collect();
            let need = if all {
                format!("{} are needed together", names.join(", "))
            } else {
                format!("one of {} is needed", names.join(", "))
            };
            let mut failing: Vec<String> = projects
                .iter()
                .filter(|p| p.level < Level::Always)
                .map(|p| format!("{} lacks {}", p.subject, p.lacking.join(", ")))
                .collect();
            if *omitted > 0 {
                failing.push(format!(
                    "and {omitted} more {} not shown",
                    plural(*omitted, "project", "projects")
                ));
            }
            format!("{need} in the project of the issue; {}", failing.join("; "))
        }
        Node::AllOf { children, .. } | Node::AnyOf { children, .. } => children
            .iter()
            .find(|c| c.guaranteed < Level::Always)
            .map_or_else(
                || "no requirement applies on this platform".to_string(),
                why_not,
            ),
        Node::Atom {
            needs,
            short,
            scope,
            lines,
            omitted,
            omitted_missing,
        } => {
            let mut missing: Vec<String> = lines
                .iter()
                .filter(|l| l.level < Level::Always)
                .map(|l| {
                    let how = match (l.level, &l.detail) {
                        (_, Some(d)) => d.clone(),
                        (Level::Sometimes, _) => format!(
                            "grants it only through dynamic holders ({})",
                            l.held
                                .paths
                                .iter()
                                .map(|p| format!("`{}`", p.holder))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ if l.subject.starts_with("project") => {
                            "grants it to nobody it belongs to".to_string()
                        }
                        _ => "no".to_string(),
                    };
                    format!("{} {how}", l.subject)
                })
                .collect();
            if lines.is_empty() && *omitted == 0 {
                return format!("{needs}, and the board has no project");
            }
            if *omitted_missing > 0 {
                missing.push(format!(
                    "and {omitted_missing} more {}",
                    plural(*omitted_missing, "project", "projects")
                ));
            }
            let need = if scope.is_empty() {
                format!("{short} is needed")
            } else {
                format!("{short} is needed {scope}")
            };
            format!("{need}; {}", missing.join("; "))
        }
    }
}

/// One sentence saying what lets the subject do it anyway (for a broken `cannot`): every
/// part, for an issue of one project where all of them hold.
pub fn why_so(o: &Outcome, floor: Level) -> String {
    so(o, floor, o.by_project.first_at_least(floor))
}

pub(super) fn so(o: &Outcome, floor: Level, at: Option<usize>) -> String {
    let level = |c: &Outcome| at.map_or(c.possible, |i| c.by_project.at(i));
    match &o.node {
        Node::AllOf { children, .. } => children
            .iter()
            .map(|c| so(c, floor, at))
            .collect::<Vec<_>>()
            .join("; "),
        Node::AnyOf { children, .. } => children
            .iter()
            .find(|c| level(c) >= floor)
            .map_or_else(String::new, |c| so(c, floor, at)),
        Node::Atom { short, lines, .. } => {
            let line = (at.and_then(|i| lines.iter().find(|l| l.project == Some(i))))
                .filter(|l| l.level >= floor)
                .or_else(|| lines.iter().find(|l| l.level >= floor))
                .or(lines.first());
            match line {
                Some(l) => match l.held.paths.first() {
                    Some(p) => format!(
                        "{} grants {short} to `{}`{}",
                        l.subject,
                        p.holder,
                        via(&p.steps)
                    ),
                    None => format!("{}: {short}", l.subject),
                },
                None => String::new(),
            }
        }
    }
}

pub(super) fn via(steps: &[String]) -> String {
    if steps.len() <= 1 {
        String::new()
    } else {
        format!(" ({})", steps[1..].join(", "))
    }
}

/// Derivation notes: one per atom row.
pub fn notes(o: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    walk(o, &mut out);
    out
}

pub(super) fn walk(o: &Outcome, out: &mut Vec<String>) {
    match &o.node {
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
            let what = if matches!(o.node, Node::AllOf { .. }) {
                "all of them in the project of the issue"
            } else {
                "one of them in the project of the issue"
            };
            for p in projects {
                out.push(format!("{what}: an issue of {}", verdict_text(p)));
            }
            if *omitted > 0 {
                out.push(format!(
                    "{what}: {omitted} more {} not shown; `rolelint why` lists every one",
                    plural(*omitted, "project", "projects")
                ));
            }
            children.iter().for_each(|c| walk(c, out))
        }
        Node::Atom {
            needs,
            lines,
            omitted,
            omitted_missing,
            ..
        } => {
            for l in lines {
                let because = match l.held.paths.first() {
                    Some(p) => p.steps.join("; "),
                    None => l
                        .detail
                        .clone()
                        .unwrap_or_else(|| "nothing grants it".into()),
                };
                out.push(format!(
                    "{needs}: {}: {}, {because}",
                    l.subject,
                    l.level.word()
                ));
            }
            if *omitted > 0 {
                let granting = omitted - omitted_missing;
                out.push(format!(
                    "{needs}: {omitted} more {} not shown ({omitted_missing} without it, {granting} with it); `rolelint why` lists every one",
                    plural(*omitted, "project", "projects")
                ));
            }
        }
    }
}

pub(super) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "project `AAA` (scheme `S`): no, lacks Edit Issues".
pub fn verdict_text(p: &ProjectVerdict) -> String {
    if p.lacking.is_empty() {
        format!("{}: {}", p.subject, p.level.word())
    } else {
        format!(
            "{}: {}, lacks {}",
            p.subject,
            p.level.word(),
            p.lacking.join(", ")
        )
    }
}
