//! Evaluate a capability for a `who` on a board, project by project, keeping the whole
//! derivation: the tree `rolelint why` prints and `[[expect]]` findings summarise.
use super::capability::{Atom, AtomKind, Capability, Req};
use super::model::{BoardView, Model};
use super::subject::{self, Grantees, Held, Level};
use crate::document::holder::Holder;
use crate::source::Location;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cell::OnceCell;
use std::sync::{Arc, Mutex, OnceLock};

/// The answer for one requirement node.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Holds for every issue of the board, whoever reported or is assigned it.
    pub guaranteed: Level,
    /// Holds at least for some issue or in some project (what `cannot` must rule out).
    pub possible: Level,
    #[serde(flatten)]
    pub node: Node,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Node {
    AllOf {
        children: Vec<Outcome>,
    },
    AnyOf {
        children: Vec<Outcome>,
    },
    Atom {
        /// What is needed, e.g. "Manage sprints (`MANAGE_SPRINTS_PERMISSION`) in every project of the board".
        needs: String,
        /// Short name for reasons ("Manage sprints").
        #[serde(skip)]
        short: String,
        /// "in every project of the board", for reasons.
        #[serde(skip)]
        scope: String,
        lines: Vec<Line>,
        /// Projects evaluated but left out of `lines` (findings show a few, `why` all).
        #[serde(skip_serializing_if = "is_zero")]
        omitted: usize,
        /// How many of the omitted projects do not (always) grant it.
        #[serde(skip)]
        omitted_missing: usize,
    },
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How many projects of each verdict a finding spells out; `rolelint why` shows all.
pub const FINDING_DETAIL: usize = 3;

/// One row of an atom: a project (or the board, or the global permissions) and its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// `project `OPS` (scheme `Operations Scheme`)`.
    pub subject: String,
    pub level: Level,
    pub held: Held,
    /// Extra text when nothing grants (e.g. "the project has no scheme").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every holder the scheme grants the permission to (what an admin could join).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub granted_to: Vec<String>,
    #[serde(skip)]
    pub location: Option<Location>,
}

/// Evaluate `cap` for `who` on `board`, spelling out at most `detail` projects of each
/// verdict (every project is evaluated; a board with a complex filter has them all).
/// With `detail` 0 only the levels are meant to be read: project requirements carry no text.
pub fn evaluate<'m>(
    model: &'m Model,
    board: &BoardView,
    cap: &Capability,
    who: &Holder,
    detail: usize,
    cache: &LevelCache<'m>,
) -> Outcome {
    let cx = Cx {
        model,
        board,
        who,
        subject: OnceCell::new(),
        detail,
        cache,
    };
    eval(&cx, &cap.requires)
}

/// What every node of one evaluation shares.
struct Cx<'a, 'm> {
    model: &'m Model,
    board: &'a BoardView,
    who: &'a Holder,
    /// `who` with its groups, found once per evaluation (when a verdict needs it).
    subject: OnceCell<subject::Subject<'a>>,
    detail: usize,
    cache: &'a LevelCache<'m>,
}

/// Verdict look-ups shared by every evaluation of a run.
///
/// Boards with a complex filter span every project of the repository, so every such board
/// asks the same (who, permission) question over the same projects: answered once, from
/// each permission's grantees (found once per permission).
#[derive(Default)]
pub struct LevelCache<'m> {
    levels: Mutex<Levels>,
    /// Built once per permission: the other thread waits rather than building it again.
    grantees: Mutex<FxHashMap<String, Arc<OnceLock<Grantees<'m>>>>>,
}

/// (who, permission key) → the verdict in each project of a complex board.
type Levels = FxHashMap<(Holder, String), Arc<[Level]>>;

impl<'m> LevelCache<'m> {
    fn levels(&self, cx: &Cx<'_, 'm>, key: &str) -> Arc<[Level]> {
        if !cx.board.complex() {
            let subj = cx.subject();
            return (cx.board.projects())
                .map(|(project, _)| subject::level(cx.model, subj, project, key))
                .collect();
        }
        let id = (cx.who.clone(), key.to_string());
        if let Some(l) = lock(&self.levels).get(&id) {
            return l.clone();
        }
        // Computed outside the lock; two threads racing on one key do the work twice, once.
        let grantees = self.grantees(key);
        let grantees = grantees.get_or_init(|| Grantees::new(cx.model, key));
        let by_project = grantees.levels(cx.subject());
        // A complex board's projects are every project, in order.
        let levels: Arc<[Level]> = by_project.into();
        lock(&self.levels).insert(id, levels.clone());
        levels
    }

    fn grantees(&self, key: &str) -> Arc<OnceLock<Grantees<'m>>> {
        let mut map = lock(&self.grantees);
        if let Some(g) = map.get(key) {
            return g.clone();
        }
        map.entry(key.to_string()).or_default().clone()
    }
}

impl<'a> Cx<'a, '_> {
    fn subject(&self) -> &subject::Subject<'a> {
        self.subject
            .get_or_init(|| subject::Subject::new(self.model, self.who))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn eval(cx: &Cx<'_, '_>, req: &Req) -> Outcome {
    let model = cx.model;
    match req {
        Req::AllOf(items) | Req::AnyOf(items) => {
            let all = matches!(req, Req::AllOf(_));
            let children: Vec<Outcome> = active(model, items).map(|r| eval(cx, r)).collect();
            // all-of holds as surely as its weakest part, any-of as its strongest.
            let pick = |level: fn(&Outcome) -> Level| {
                let levels = children.iter().map(level);
                if all {
                    levels.min().unwrap_or(Level::Always)
                } else {
                    levels.max().unwrap_or(Level::Never)
                }
            };
            let (guaranteed, possible) = (pick(|c| c.guaranteed), pick(|c| c.possible));
            let node = if all {
                Node::AllOf { children }
            } else {
                Node::AnyOf { children }
            };
            Outcome {
                guaranteed,
                possible,
                node,
            }
        }
        Req::Atom(a) => atom(cx, a),
    }
}

/// Requirements that apply on the configured platform.
fn active<'a>(model: &'a Model, items: &'a [Req]) -> impl Iterator<Item = &'a Req> {
    items.iter().filter(move |r| match r {
        Req::Atom(a) => a.platform.is_none_or(|p| p == model.platform),
        _ => true,
    })
}

fn project_line(model: &Model, board: &BoardView, i: usize, who: &Holder, key: &str) -> Line {
    let (p, at) = board.project(i);
    let project = &model.projects[p];
    let held = subject::holds(model, who, p, key);
    let (subject, detail) = match model.scheme_of(p) {
        Some(s) => (
            format!(
                "project `{}` (scheme `{}`)",
                project.key.get_ref(),
                s.name.get_ref()
            ),
            None,
        ),
        None => (
            format!("project `{}`", project.key.get_ref()),
            Some(format!(
                "its scheme `{}` is not in the repository",
                project.permission_scheme.get_ref()
            )),
        ),
    };
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
    }
}

fn atom(cx: &Cx<'_, '_>, a: &Atom) -> Outcome {
    let (model, board, who, detail) = (cx.model, cx.board, cx.who, cx.detail);
    let fixed = |needs: String, short: &str, ok: bool, subject: String| {
        let level = if ok { Level::Always } else { Level::Never };
        Outcome {
            guaranteed: level,
            possible: level,
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
            let (mut shown_no, mut shown_yes) = (0, 0);
            let lines: Vec<Line> = levels
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    let counter = if **l < Level::Always {
                        &mut shown_no
                    } else {
                        &mut shown_yes
                    };
                    *counter += 1;
                    *counter <= detail
                })
                .map(|(i, _)| project_line(model, board, i, who, key))
                .collect();
            let omitted = levels.len() - lines.len();
            let omitted_missing = shown_no.saturating_sub(detail);
            let min = levels.iter().copied().min().unwrap_or(Level::Never);
            let max = levels.iter().copied().max().unwrap_or(Level::Never);
            // A verdict-only evaluation (`detail` 0: thousands per run) needs no text.
            let (needs, short, scope) = if detail == 0 {
                (String::new(), String::new(), String::new())
            } else {
                let name = model.permission_name(key);
                let scope = if every {
                    "in every project of the board"
                } else {
                    "in the project of the issue"
                };
                (format!("{name} (`{key}`) {scope}"), name, scope.to_string())
            };
            Outcome {
                guaranteed: min,
                // For "every project" one missing project blocks the action everywhere.
                possible: if every { min } else { max },
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
            let name = model.permission_name(key);
            let held = subject::holds_global(model, who, key);
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                node: Node::Atom {
                    needs: format!("the global permission {name} (`{key}`)"),
                    short: name,
                    scope: "as a global permission".into(),
                    lines: vec![Line {
                        subject: "global permissions".into(),
                        level: held.level,
                        held,
                        detail: None,
                        granted_to: Vec::new(),
                        location: None,
                    }],
                    omitted: 0,
                    omitted_missing: 0,
                },
            }
        }
        AtomKind::BoardAdmin => {
            let b = &board.board;
            let held = subject::is_board_admin(model, who, &b.admins, b.file);
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                node: Node::Atom {
                    needs: "board administrator".into(),
                    short: "board administrator".into(),
                    scope: String::new(),
                    lines: vec![Line {
                        subject: format!("board `{}`", b.name.get_ref()),
                        level: held.level,
                        held,
                        detail: None,
                        granted_to: Vec::new(),
                        location: Some(Location::new(b.file, b.name.span())),
                    }],
                    omitted: 0,
                    omitted_missing: 0,
                },
            }
        }
        AtomKind::BoardSingleProject => {
            let n = board.project_count();
            fixed(
                "a board with exactly one project".into(),
                "a single-project board",
                n == 1 && !board.complex(),
                format!(
                    "board `{}` has {n} project{}",
                    board.board.name.get_ref(),
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
        AtomKind::SimplifiedWorkflow => {
            let all = board.project_count() > 0
                && (board.projects()).all(|(p, _)| model.projects[p].simplified == Some(true));
            fixed(
                "an Agile simplified workflow".into(),
                "a simplified workflow",
                all,
                format!(
                    "board `{}`: {}",
                    board.board.name.get_ref(),
                    if all {
                        "simplified workflow"
                    } else {
                        "not on a simplified workflow"
                    }
                ),
            )
        }
    }
}

/// One sentence saying why a `can` fails (the first unmet requirement).
pub fn why_not(o: &Outcome) -> String {
    match &o.node {
        Node::AllOf { children } | Node::AnyOf { children } => children
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

/// One sentence saying what lets the subject do it anyway (for a broken `cannot`).
pub fn why_so(o: &Outcome, floor: Level) -> String {
    match &o.node {
        Node::AllOf { children } => children
            .iter()
            .map(|c| why_so(c, floor))
            .collect::<Vec<_>>()
            .join("; "),
        Node::AnyOf { children } => children
            .iter()
            .find(|c| c.possible >= floor)
            .map_or_else(String::new, |c| why_so(c, floor)),
        Node::Atom { short, lines, .. } => {
            let line = lines.iter().find(|l| l.level >= floor).or(lines.first());
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

fn via(steps: &[String]) -> String {
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

fn walk(o: &Outcome, out: &mut Vec<String>) {
    match &o.node {
        Node::AllOf { children } | Node::AnyOf { children } => {
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
