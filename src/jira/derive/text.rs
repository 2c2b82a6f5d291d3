//! The sentences findings and `rolelint why` make of an evaluation; their words are the
//! phrases of `policies/derivations.toml` ([`crate::jira::words`]).
use super::*;
use crate::jira::words as w;

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
            let parts = &names.join(", ");
            let need = if all {
                w::NeededTogether { parts }.text()
            } else {
                w::OneNeeded { parts }.text()
            };
            let mut failing: Vec<String> = projects
                .iter()
                .filter(|p| p.level < Level::Always)
                .map(|p| {
                    let lacking = &p.lacking.join(", ");
                    w::Lacks {
                        subject: &p.subject,
                        lacking,
                    }
                    .text()
                    .into()
                })
                .collect();
            if *omitted > 0 {
                let count = &omitted.to_string();
                let projects = &projects_word(*omitted);
                failing.push(w::MoreNotShown { count, projects }.text().into());
            }
            let failing = &failing.join("; ");
            w::NeedInIssueProject {
                need: &need,
                failing,
            }
            .text()
            .into()
        }
        Node::AllOf { children, .. } | Node::AnyOf { children, .. } => children
            .iter()
            .find(|c| c.guaranteed < Level::Always)
            .map_or_else(|| w::NoRequirementApplies.text().into(), why_not),
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
                        (_, Some(d)) => d.clone().into(),
                        (Level::Sometimes, _) => {
                            let holders = &l
                                .held
                                .paths
                                .iter()
                                .map(|p| format!("`{}`", p.holder))
                                .collect::<Vec<_>>()
                                .join(", ");
                            w::OnlyDynamic { holders }.text()
                        }
                        _ if l.project.is_some() => w::GrantsNobody.text(),
                        _ => w::GrantsNot.text(),
                    };
                    let subject = &l.subject;
                    w::MissingLine { subject, how: &how }.text().into()
                })
                .collect();
            if lines.is_empty() && *omitted == 0 {
                return w::NoProject { needs }.text().into();
            }
            if *omitted_missing > 0 {
                let count = &omitted_missing.to_string();
                let projects = &projects_word(*omitted_missing);
                missing.push(w::AndMore { count, projects }.text().into());
            }
            let need = if scope.is_empty() {
                w::IsNeeded { short }.text()
            } else {
                w::IsNeededScope { short, scope }.text()
            };
            let missing = &missing.join("; ");
            w::NeedMissing {
                need: &need,
                missing,
            }
            .text()
            .into()
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
                    Some(p) => w::GrantsTo {
                        subject: &l.subject,
                        short,
                        holder: &p.holder,
                        via: &via(&p.steps),
                    }
                    .text()
                    .into(),
                    None => w::SubjectShort {
                        subject: &l.subject,
                        short,
                    }
                    .text()
                    .into(),
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
        let steps = &steps[1..].join(", ");
        w::Via { steps }.text().into()
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
            let what = &if matches!(o.node, Node::AllOf { .. }) {
                w::AllInIssueProject.text()
            } else {
                w::OneInIssueProject.text()
            };
            for p in projects {
                let verdict = &verdict_text(p);
                out.push(w::IssueOf { what, verdict }.text().into());
            }
            if *omitted > 0 {
                let count = &omitted.to_string();
                let projects = &projects_word(*omitted);
                out.push(
                    w::MoreProjectsWhy {
                        what,
                        count,
                        projects,
                    }
                    .text()
                    .into(),
                );
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
                        .unwrap_or_else(|| w::NothingGrants.text().into()),
                };
                out.push(
                    w::AtomLine {
                        needs,
                        subject: &l.subject,
                        level: l.level.word(),
                        because: &because,
                    }
                    .text()
                    .into(),
                );
            }
            if *omitted > 0 {
                let granting = &(omitted - omitted_missing).to_string();
                out.push(
                    w::AtomMore {
                        needs,
                        count: &omitted.to_string(),
                        projects: &projects_word(*omitted),
                        missing: &omitted_missing.to_string(),
                        granting,
                    }
                    .text()
                    .into(),
                );
            }
        }
    }
}

/// "project" or "projects", as `n` needs.
pub(super) fn projects_word(n: usize) -> crate::diagnostics::text::Text {
    if n == 1 {
        w::ProjectOne.text()
    } else {
        w::ProjectMany.text()
    }
}

/// "project `AAA` (scheme `S`): no, lacks Edit Issues".
pub fn verdict_text(p: &ProjectVerdict) -> String {
    let (subject, level) = (&p.subject, &p.level.word());
    if p.lacking.is_empty() {
        w::Verdict { subject, level }.text().into()
    } else {
        let lacking = &p.lacking.join(", ");
        w::VerdictLacking {
            subject,
            level,
            lacking,
        }
        .text()
        .into()
    }
}
