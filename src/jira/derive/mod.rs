//! Evaluate a capability for a `who` on a board, project by project, keeping the whole
//! derivation: the tree `rolelint why` prints and `[[expect]]` findings summarise.
//!
//! A requirement "in the project of the issue" is judged for an issue of each project of the
//! board, and `all-of` / `any-of` combine those verdicts project by project: Schedule Issues
//! in one project and Edit Issues in another let the subject rank no issue at all.
//!
//! Split by concern: the evaluation in [`eval`], the look-ups shared by a run's
//! evaluations in [`cache`], the sentences of findings and `why` in [`text`].
mod cache;
mod eval;
#[cfg(test)]
mod tests;
mod text;

use super::capability::{Atom, AtomKind, Capability, Req};
use super::model::{BoardView, Model};
use super::subject::{self, Grantees, Held, Level};
use crate::diagnostics::source::Location;
use crate::document::holder::Holder;
pub use cache::LevelCache;
use eval::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cell::OnceCell;
use std::sync::{Arc, Mutex, OnceLock};
pub use text::{notes, verdict_text, why_not, why_so};

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
