//! Evaluating a requirement tree for one subject on one board, project by project.
use super::*;
use crate::jira::words as w;

/// What every node of one evaluation shares.
pub(super) struct Cx<'a, 'm> {
    pub(super) model: &'m Model,
    pub(super) board: &'a BoardView,
    pub(super) who: &'a Holder,
    /// `who` with its groups, found once per evaluation (when a verdict needs it).
    pub(super) subject: OnceCell<subject::Subject<'a>>,
    pub(super) detail: usize,
    /// Board projects always spelled out (the ones that decide the verdict).
    pub(super) focus: Vec<usize>,
    pub(super) cache: &'a LevelCache<'m>,
}

impl<'a> Cx<'a, '_> {
    pub(super) fn subject(&self) -> &subject::Subject<'a> {
        self.subject
            .get_or_init(|| subject::Subject::new(self.model, self.who))
    }
}

pub(super) fn eval(cx: &Cx<'_, '_>, req: &Req) -> Outcome {
    match req {
        Req::AllOf(items) | Req::AnyOf(items) => {
            let all = matches!(req, Req::AllOf(_));
            let children: Vec<Outcome> = active(cx.model, items).map(|r| eval(cx, r)).collect();
            let parts: Vec<&PerProject> = children.iter().map(|c| &c.by_project).collect();
            let by_project = PerProject::combine(all, &parts);
            let (projects, omitted) = project_verdicts(cx, all, &children, &by_project);
            let node = if all {
                Node::AllOf {
                    children,
                    projects,
                    omitted,
                }
            } else {
                Node::AnyOf {
                    children,
                    projects,
                    omitted,
                }
            };
            Outcome {
                guaranteed: by_project.min(),
                possible: by_project.max(),
                by_project,
                node,
            }
        }
        Req::Atom(a) => atom(cx, a),
    }
}

/// Which of `levels` (one per board project) to spell out: the first `detail` of each
/// verdict (missing, held) and the focus projects. Stops as soon as all are found: a complex
/// board has every project of the repository.
pub(super) fn shown(cx: &Cx<'_, '_>, levels: &[Level]) -> Vec<usize> {
    let last_focus = cx.focus.iter().copied().max();
    let (mut no, mut yes) = (0, 0);
    let mut out = Vec::new();
    for (i, l) in levels.iter().enumerate() {
        if no >= cx.detail && yes >= cx.detail && last_focus.is_none_or(|f| i > f) {
            break;
        }
        let counter = if *l < Level::Always {
            &mut no
        } else {
            &mut yes
        };
        *counter += 1;
        if *counter <= cx.detail || cx.focus.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The per-project verdicts of a combination whose parts differ by project.
pub(super) fn project_verdicts(
    cx: &Cx<'_, '_>,
    all: bool,
    children: &[Outcome],
    by_project: &PerProject,
) -> (Vec<ProjectVerdict>, usize) {
    let PerProject::Each(levels) = by_project else {
        return (Vec::new(), 0);
    };
    if cx.detail == 0 || children.len() < 2 {
        return (Vec::new(), 0);
    }
    // Worth spelling out when the verdict differs by project, or when combining per project
    // changes it: parts each held somewhere but never together (all-of), or alternatives
    // that together cover every project (any-of).
    let uniform = levels.windows(2).all(|w| w[0] == w[1]);
    let surprising = if all {
        children.iter().map(|c| c.possible).min() > Some(by_project.max())
    } else {
        children.iter().map(|c| c.guaranteed).max() < Some(by_project.min())
    };
    if uniform && !surprising {
        return (Vec::new(), 0);
    }
    let shown = shown(cx, levels);
    let verdicts = shown
        .iter()
        .map(|&i| {
            let level = levels[i];
            let lacking = if level == Level::Always {
                Vec::new()
            } else {
                children
                    .iter()
                    .filter(|c| c.by_project.at(i) < Level::Always)
                    .map(short)
                    .collect()
            };
            ProjectVerdict {
                subject: project_subject(cx.model, cx.board, i).0,
                level,
                lacking,
            }
        })
        .collect();
    (verdicts, levels.len() - shown.len())
}

/// A requirement's short name for lists ("Edit Issues", "one of ...").
pub(super) fn short(o: &Outcome) -> String {
    match &o.node {
        Node::Atom { short, .. } => short.clone(),
        Node::AllOf { children, .. } | Node::AnyOf { children, .. } => {
            let all = matches!(o.node, Node::AllOf { .. });
            let names: Vec<String> = children.iter().map(short).collect();
            let parts = &names.join(", ");
            if all {
                w::AllOf { parts }.text().into()
            } else {
                w::OneOf { parts }.text().into()
            }
        }
    }
}

/// Requirements that apply on the configured platform.
pub(super) fn active<'a>(model: &'a Model, items: &'a [Req]) -> impl Iterator<Item = &'a Req> {
    items.iter().filter(move |r| match r {
        Req::Atom(a) => a.platform.is_none_or(|p| p == model.platform),
        _ => true,
    })
}

/// "project `OPS` (scheme `Operations Scheme`)" for the board's `i`th project, and why it
/// grants nothing when its scheme is missing.
pub(super) fn project_subject(
    model: &Model,
    board: &BoardView,
    i: usize,
) -> (String, Option<String>) {
    let project = &model.projects[board.project(i).0];
    let key = project.key.get_ref();
    match model.scheme_of(board.project(i).0) {
        Some(s) => {
            let scheme = s.name.get_ref();
            let subject = w::SubjectProjectOnScheme { key, scheme }.text();
            (subject.into(), None)
        }
        None => {
            let scheme = project.permission_scheme.get_ref();
            let subject = w::SubjectProject { key }.text();
            (
                subject.into(),
                Some(w::SchemeMissing { scheme }.text().into()),
            )
        }
    }
}

pub(super) fn project_line(
    model: &Model,
    board: &BoardView,
    i: usize,
    who: &Holder,
    key: &str,
) -> Line {
    let (p, at) = board.project(i);
    let held = subject::holds(model, who, p, key);
    let (subject, detail) = project_subject(model, board, i);
    Line {
        subject,
        level: held.level,
        held,
        detail,
        granted_to: model
            .scheme_of(p)
            .map(|s| {
                s.holders(key)
                    .iter()
                    .map(|h| h.holder.to_string())
                    .collect()
            })
            .unwrap_or_default(),
        location: Some(at.clone()),
        project: Some(i),
    }
}

/// A verdict-only atom (`detail` 0: thousands per run): its level, no text.
fn bare(level: Level) -> Outcome {
    Outcome {
        guaranteed: level,
        possible: level,
        by_project: PerProject::Board(level),
        node: Node::Atom {
            needs: String::new(),
            short: String::new(),
            scope: String::new(),
            lines: Vec::new(),
            omitted: 0,
            omitted_missing: 0,
        },
    }
}

pub(super) fn atom(cx: &Cx<'_, '_>, a: &Atom) -> Outcome {
    let (model, board, who, detail) = (cx.model, cx.board, cx.who, cx.detail);
    let fixed = |needs: String, short: &str, ok: bool, subject: String| {
        let level = if ok { Level::Always } else { Level::Never };
        if detail == 0 {
            return bare(level);
        }
        Outcome {
            guaranteed: level,
            possible: level,
            by_project: PerProject::Board(level),
            node: Node::Atom {
                needs,
                short: short.to_string(),
                scope: String::new(),
                lines: vec![Line {
                    subject,
                    level,
                    held: Held {
                        level,
                        paths: Vec::new(),
                    },
                    detail: None,
                    granted_to: Vec::new(),
                    location: None,
                    project: None,
                }],
                omitted: 0,
                omitted_missing: 0,
            },
        }
    };
    match &a.kind {
        AtomKind::EveryBoardProject(key) | AtomKind::IssueProject(key) => {
            let every = matches!(a.kind, AtomKind::EveryBoardProject(_));
            // Verdicts for every project are cheap; derivations only for the ones shown.
            let levels = cx.cache.levels(cx, key);
            let (lines, omitted, omitted_missing) = if detail == 0 {
                (Vec::new(), 0, 0) // a verdict only: thousands per run on complex boards
            } else {
                let lines: Vec<Line> = (shown(cx, &levels).iter())
                    .map(|&i| project_line(model, board, i, who, key))
                    .collect();
                let missing = levels.iter().filter(|l| **l < Level::Always).count();
                let shown_missing = lines.iter().filter(|l| l.level < Level::Always).count();
                let omitted = levels.len() - lines.len();
                (lines, omitted, missing - shown_missing)
            };
            // A verdict-only evaluation (`detail` 0: thousands per run) needs no text.
            let (needs, short, scope) = if detail == 0 {
                (String::new(), String::new(), String::new())
            } else {
                let name = model.permission_name(key);
                let scope = if every {
                    w::ScopeEveryProject::TEXT
                } else {
                    w::ScopeIssueProject::TEXT
                };
                let needs = w::NeedsPermission {
                    name: &name,
                    key,
                    scope,
                };
                (needs.text().into(), name, scope.to_string())
            };
            let by_project = if every {
                // One missing project blocks the action everywhere.
                PerProject::Board(levels.iter().copied().min().unwrap_or(Level::Never))
            } else {
                PerProject::Each(levels)
            };
            Outcome {
                guaranteed: by_project.min(),
                possible: by_project.max(),
                by_project,
                node: Node::Atom {
                    needs,
                    short,
                    scope,
                    lines,
                    omitted,
                    omitted_missing,
                },
            }
        }
        AtomKind::Global(key) => {
            let held = subject::holds_global(model, who, key);
            if detail == 0 {
                return bare(held.level);
            }
            let name = model.permission_name(key);
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                by_project: PerProject::Board(held.level),
                node: Node::Atom {
                    needs: w::NeedsGlobal { name: &name, key }.text().into(),
                    short: name,
                    scope: w::ScopeGlobal::TEXT.into(),
                    lines: vec![Line {
                        subject: w::SubjectGlobals::TEXT.into(),
                        level: held.level,
                        held,
                        detail: None,
                        granted_to: Vec::new(),
                        location: None,
                        project: None,
                    }],
                    omitted: 0,
                    omitted_missing: 0,
                },
            }
        }
        AtomKind::BoardAdmin => {
            let b = &board.board;
            let held = subject::is_board_admin(model, who, &b.admins, b.file);
            if detail == 0 {
                return bare(held.level);
            }
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                by_project: PerProject::Board(held.level),
                node: Node::Atom {
                    needs: w::NeedsBoardAdmin::TEXT.into(),
                    short: w::NeedsBoardAdmin::TEXT.into(),
                    scope: String::new(),
                    lines: vec![Line {
                        subject: w::SubjectBoard {
                            board: b.name.get_ref(),
                        }
                        .text()
                        .into(),
                        level: held.level,
                        held,
                        detail: None,
                        granted_to: Vec::new(),
                        location: Some(Location::new(b.file, b.name.span())),
                        project: None,
                    }],
                    omitted: 0,
                    omitted_missing: 0,
                },
            }
        }
        AtomKind::BoardSingleProject => {
            let n = board.project_count();
            let (name, count) = (board.board.name.get_ref().as_str(), &n.to_string());
            let subject = if n == 1 {
                w::BoardProjectsOne { board: name, count }.text()
            } else {
                w::BoardProjectsMany { board: name, count }.text()
            };
            fixed(
                w::NeedsSingleProject::TEXT.into(),
                w::ShortSingleProject::TEXT,
                n == 1 && !board.complex(),
                subject.into(),
            )
        }
        AtomKind::SimplifiedWorkflow => {
            let all = board.project_count() > 0
                && (board.projects()).all(|(p, _)| model.projects[p].simplified == Some(true));
            let name = board.board.name.get_ref().as_str();
            let subject = if all {
                w::BoardSimplified { board: name }.text()
            } else {
                w::BoardNotSimplified { board: name }.text()
            };
            fixed(
                w::NeedsSimplified::TEXT.into(),
                w::ShortSimplified::TEXT,
                all,
                subject.into(),
            )
        }
    }
}
