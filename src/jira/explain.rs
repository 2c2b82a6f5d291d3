//! Evaluate a capability for a `who` on a board, project by project, keeping the whole
//! derivation: the tree `rolelint why` prints and `[[expect]]` findings summarise.
//!
//! A requirement "in the project of the issue" is judged for an issue of each project of the
//! board, and `all-of` / `any-of` combine those verdicts project by project: Schedule Issues
//! in one project and Edit Issues in another let the subject rank no issue at all.
use super::capability::{Atom, AtomKind, Capability, Req};
use super::model::{BoardView, Model};
use super::subject::{self, Grantees, Held, Level};
use crate::diagnostics::source::Location;
use crate::document::holder::Holder;
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
    /// The verdict for an issue of each project of the board.
    #[serde(skip)]
    pub by_project: PerProject,
    #[serde(flatten)]
    pub node: Node,
}

/// A requirement's verdict: one for the whole board, or one for an issue of each project
/// of the board (indexed like the board's projects).
#[derive(Debug, Clone)]
pub enum PerProject {
    Board(Level),
    Each(Arc<[Level]>),
}

impl PerProject {
    /// The verdict for an issue of the board's `i`th project.
    pub fn at(&self, i: usize) -> Level {
        match self {
            Self::Board(l) => *l,
            Self::Each(v) => v.get(i).copied().unwrap_or(Level::Never),
        }
    }

    /// For every issue (a board without projects has none to act on).
    fn min(&self) -> Level {
        match self {
            Self::Board(l) => *l,
            Self::Each(v) => v.iter().copied().min().unwrap_or(Level::Never),
        }
    }

    /// For some issue.
    fn max(&self) -> Level {
        match self {
            Self::Board(l) => *l,
            Self::Each(v) => v.iter().copied().max().unwrap_or(Level::Never),
        }
    }

    /// The first project whose issues get at least `floor`.
    fn first_at_least(&self, floor: Level) -> Option<usize> {
        match self {
            Self::Board(_) => None,
            Self::Each(v) => v.iter().position(|l| *l >= floor),
        }
    }

    /// `all-of` (the weakest part) or `any-of` (the strongest) of `parts`, project by project.
    fn combine(all: bool, parts: &[&PerProject]) -> Self {
        let pick = |a: Level, b: Level| if all { a.min(b) } else { a.max(b) };
        let unit = if all { Level::Always } else { Level::Never };
        // The board-wide parts fold once; the per-project ones element by element.
        let board = parts.iter().fold(unit, |acc, p| match p {
            Self::Board(l) => pick(acc, *l),
            Self::Each(_) => acc,
        });
        let mut each = parts.iter().filter_map(|p| match p {
            Self::Each(v) => Some(v),
            Self::Board(_) => None,
        });
        let Some(first) = each.next() else {
            return Self::Board(board);
        };
        if board == unit && parts.len() == 1 {
            return Self::Each(first.clone()); // a lone part: shared, not copied
        }
        let mut out: Vec<Level> = first.iter().map(|l| pick(board, *l)).collect();
        for v in each {
            for (o, l) in out.iter_mut().zip(v.iter()) {
                *o = pick(*o, *l);
            }
        }
        Self::Each(out.into())
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Node {
    AllOf {
        children: Vec<Outcome>,
        /// The combined verdict for an issue of each project, when it differs by project.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        projects: Vec<ProjectVerdict>,
        #[serde(skip_serializing_if = "is_zero")]
        omitted: usize,
    },
    AnyOf {
        children: Vec<Outcome>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        projects: Vec<ProjectVerdict>,
        #[serde(skip_serializing_if = "is_zero")]
        omitted: usize,
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

/// An `all-of` / `any-of` judged for an issue of one project: which parts it lacks there.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectVerdict {
    /// `project `OPS` (scheme `Operations Scheme`)`.
    pub subject: String,
    pub level: Level,
    /// Short names of the parts not (always) held there ("Edit Issues").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lacking: Vec<String>,
}

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
    /// The board's project this row is about (an index into the board's projects).
    #[serde(skip)]
    pub project: Option<usize>,
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
    let verdict = cache.shared(board, cap, who, 0, || {
        evaluate_with(model, board, cap, who, 0, Vec::new(), cache)
    });
    if detail == 0 {
        return verdict;
    }
    explain(model, board, cap, who, detail, cache, &verdict)
}

/// The derivation of `verdict` (an [`evaluate`] with `detail` 0), spelling out at most
/// `detail` projects of each verdict and always the projects that decide it: the first where
/// the capability holds best (what breaks a `cannot`) and the first where it fails.
pub fn explain<'m>(
    model: &'m Model,
    board: &BoardView,
    cap: &Capability,
    who: &Holder,
    detail: usize,
    cache: &LevelCache<'m>,
    verdict: &Outcome,
) -> Outcome {
    let focus = match &verdict.by_project {
        PerProject::Board(_) => Vec::new(),
        PerProject::Each(v) => [
            v.iter().position(|l| *l == verdict.possible),
            v.iter().position(|l| *l == verdict.guaranteed),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    cache.shared(board, cap, who, detail, || {
        evaluate_with(model, board, cap, who, detail, focus, cache)
    })
}

fn evaluate_with<'m>(
    model: &'m Model,
    board: &BoardView,
    cap: &Capability,
    who: &Holder,
    detail: usize,
    focus: Vec<usize>,
    cache: &LevelCache<'m>,
) -> Outcome {
    let cx = Cx {
        model,
        board,
        who,
        subject: OnceCell::new(),
        detail,
        focus,
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
    /// Board projects always spelled out (the ones that decide the verdict).
    focus: Vec<usize>,
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
    /// (who, capability id, detail) → its evaluation on a complex board, for capabilities
    /// that name nothing of the board itself (every complex board has the same projects).
    verdicts: Mutex<FxHashMap<(Holder, String, usize), Outcome>>,
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

    /// The evaluation of `cap` for `who` on `board`, shared by every complex board when it
    /// cannot differ between them: no requirement about the board itself (its admins, its
    /// project count, its workflow, whose text names the board).
    fn shared(
        &self,
        board: &BoardView,
        cap: &Capability,
        who: &Holder,
        detail: usize,
        compute: impl FnOnce() -> Outcome,
    ) -> Outcome {
        let shared = board.complex()
            && (cap.requires.atoms().iter()).all(|a| {
                matches!(
                    a.kind,
                    AtomKind::EveryBoardProject(_)
                        | AtomKind::IssueProject(_)
                        | AtomKind::Global(_)
                )
            });
        if !shared {
            return compute();
        }
        let id = (who.clone(), cap.id.get_ref().clone(), detail);
        if let Some(o) = lock(&self.verdicts).get(&id) {
            return o.clone();
        }
        let o = compute(); // outside the lock, like `levels`
        lock(&self.verdicts).insert(id, o.clone());
        o
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
fn shown(cx: &Cx<'_, '_>, levels: &[Level]) -> Vec<usize> {
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
fn project_verdicts(
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
fn short(o: &Outcome) -> String {
    match &o.node {
        Node::Atom { short, .. } => short.clone(),
        Node::AllOf { children, .. } | Node::AnyOf { children, .. } => {
            let all = matches!(o.node, Node::AllOf { .. });
            let names: Vec<String> = children.iter().map(short).collect();
            format!(
                "{} of {}",
                if all { "all" } else { "one" },
                names.join(", ")
            )
        }
    }
}

/// Requirements that apply on the configured platform.
fn active<'a>(model: &'a Model, items: &'a [Req]) -> impl Iterator<Item = &'a Req> {
    items.iter().filter(move |r| match r {
        Req::Atom(a) => a.platform.is_none_or(|p| p == model.platform),
        _ => true,
    })
}

/// "project `OPS` (scheme `Operations Scheme`)" for the board's `i`th project, and why it
/// grants nothing when its scheme is missing.
fn project_subject(model: &Model, board: &BoardView, i: usize) -> (String, Option<String>) {
    let project = &model.projects[board.project(i).0];
    match model.scheme_of(board.project(i).0) {
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
    }
}

fn project_line(model: &Model, board: &BoardView, i: usize, who: &Holder, key: &str) -> Line {
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

fn atom(cx: &Cx<'_, '_>, a: &Atom) -> Outcome {
    let (model, board, who, detail) = (cx.model, cx.board, cx.who, cx.detail);
    let fixed = |needs: String, short: &str, ok: bool, subject: String| {
        let level = if ok { Level::Always } else { Level::Never };
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
                    "in every project of the board"
                } else {
                    "in the project of the issue"
                };
                (format!("{name} (`{key}`) {scope}"), name, scope.to_string())
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
            let name = model.permission_name(key);
            let held = subject::holds_global(model, who, key);
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                by_project: PerProject::Board(held.level),
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
            Outcome {
                guaranteed: held.level,
                possible: held.level,
                by_project: PerProject::Board(held.level),
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
                        project: None,
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

fn so(o: &Outcome, floor: Level, at: Option<usize>) -> String {
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use Level::{Always as A, Never as N, Sometimes as S};

    fn each(v: &[Level]) -> PerProject {
        PerProject::Each(v.into())
    }

    fn levels(p: &PerProject) -> Vec<Level> {
        (0..2).map(|i| p.at(i)).collect()
    }

    #[test]
    fn all_of_and_any_of_combine_project_by_project() {
        let (schedule, edit) = (each(&[A, N]), each(&[N, A]));
        let all = PerProject::combine(true, &[&schedule, &edit]);
        assert_eq!(levels(&all), [N, N]);
        assert_eq!((all.min(), all.max()), (N, N));
        let any = PerProject::combine(false, &[&schedule, &edit]);
        assert_eq!((any.min(), any.max()), (A, A));
        // A board-wide part bounds every project.
        let mixed = PerProject::combine(true, &[&PerProject::Board(S), &each(&[A, N])]);
        assert_eq!(levels(&mixed), [S, N]);
        let boardwide = PerProject::combine(true, &[&PerProject::Board(A), &PerProject::Board(S)]);
        assert!(matches!(boardwide, PerProject::Board(S)));
        // No project: no issue to act on.
        let empty = PerProject::combine(true, &[&each(&[])]);
        assert_eq!((empty.min(), empty.max()), (N, N));
    }
}
