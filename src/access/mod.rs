//! The effective access of a repository: who holds which project permission, global
//! permission and board capability, and how. `rolelint access` lists it; `rolelint review`
//! diffs two of them (before and after a change).
//!
//! Built from the resolved Jira [`Model`](crate::jira::Model) with the same derivations as
//! `rolelint why`: group membership and role coverage from [`crate::jira::subject`],
//! capabilities from [`crate::jira::derive::evaluate`]. A test walks every subject, project,
//! permission, board and capability of fixture repositories and checks both agree.
//!
//! Grants that reach every user (`anyone`, `application-role[:NAME]`) and dynamic holders
//! (`reporter`, `assignee`, `project-lead`, custom fields) are facts of that holder only:
//! [`Access::effective`] folds them into any subject's answer, so the model stays linear in
//! the repository instead of copying them to every group and user.
mod build;
mod capabilities;
pub mod csv;
pub mod human;
pub mod json;
pub mod query;

pub use build::{build, build_only};
pub use query::{Filter, Row, Rows};

use crate::document::holder::Holder;
use crate::jira::subject::Level;
use rustc_hash::FxHashSet;
use std::fmt;

/// The scopes a build computes: all of them, or the global permissions and a [`Part`]
/// (`rolelint review` builds only what a change can reach).
#[derive(Debug, Clone, Default)]
pub enum Only {
    #[default]
    All,
    Part(Part),
}

/// Part of a repository's access: the facts of some projects and boards.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// Projects whose facts are kept.
    pub projects: FxHashSet<String>,
    /// Boards whose capability facts are kept.
    pub boards: FxHashSet<String>,
    /// Further projects whose permission facts are computed only to judge `boards` (a
    /// board's capabilities follow from its projects' permissions), then dropped.
    pub inputs: FxHashSet<String>,
    /// When set, capabilities are judged only for these subjects (and the baseline every
    /// logged-in user gets), except on the boards of `every_subject`: the subjects of any
    /// other fact are left out of `boards`.
    pub subjects: Option<FxHashSet<Holder>>,
    /// Boards judged for every subject whatever `subjects` says.
    pub every_subject: FxHashSet<String>,
}

impl Only {
    /// The facts of this project are kept.
    pub fn project(&self, key: &str) -> bool {
        match self {
            Only::All => true,
            Only::Part(p) => p.projects.contains(key),
        }
    }

    /// The facts of this project are needed, kept or only to judge boards.
    pub fn reads(&self, key: &str) -> bool {
        match self {
            Only::All => true,
            Only::Part(p) => p.projects.contains(key) || p.inputs.contains(key),
        }
    }

    pub fn board(&self, name: &str) -> bool {
        match self {
            Only::All => true,
            Only::Part(p) => p.boards.contains(name),
        }
    }

    /// The subjects capabilities on this board are judged for (`None`: every subject).
    pub fn judged(&self, board: &str) -> Option<&FxHashSet<Holder>> {
        match self {
            Only::All => None,
            Only::Part(p) if p.every_subject.contains(board) => None,
            Only::Part(p) => p.subjects.as_ref(),
        }
    }
}

/// Where a fact holds. Ordered: global, then projects by key, then boards by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Project(String),
    Board(String),
}

/// What is held: a permission key (project or global) or a board capability id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Permission(String),
    Capability(String),
}

/// One way a fact is held. Ordered, so a fact's ways are sorted and comparable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// A grant: of permission scheme `scheme` (`None`: the global permissions), to
    /// `holder` as written; when `holder` is a project role, `member` is the role member
    /// (group or user) that covers the subject. `groups`: the nested groups from the granted
    /// group (or role member) down to the subject, outermost first (empty when the subject
    /// is the granted holder itself).
    Grant {
        scheme: Option<String>,
        holder: Holder,
        member: Option<Holder>,
        groups: Vec<String>,
    },
    /// The subject is the board's administrator (directly or through `groups`).
    BoardAdmin { admin: Holder, groups: Vec<String> },
    /// A capability: derived from the permissions its requirements name in the board's
    /// projects (`rolelint why WHO CAPABILITY --board NAME` shows the derivation).
    Derived,
}

/// One (subject, scope, item) with how surely it holds and every way it is held.
///
/// `guaranteed`: for every issue of the scope; `possible`: for some issue (a board
/// capability judged per project may hold in some projects of the board only). For a
/// permission both are equal: `always`, or `sometimes` through dynamic holders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fact {
    pub subject: Holder,
    pub scope: Scope,
    pub item: Item,
    pub guaranteed: Level,
    pub possible: Level,
    /// Sorted, deduplicated, never empty.
    pub via: Vec<Via>,
}

impl Fact {
    pub fn as_ref(&self) -> FactRef<'_> {
        FactRef {
            subject: &self.subject,
            scope: &self.scope,
            item: &self.item,
            guaranteed: self.guaranteed,
            possible: self.possible,
            via: &self.via,
        }
    }
}

/// A [`Fact`] borrowed from an [`Access`] (no copy of its names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactRef<'a> {
    pub subject: &'a Holder,
    pub scope: &'a Scope,
    pub item: &'a Item,
    pub guaranteed: Level,
    pub possible: Level,
    /// Sorted, deduplicated, never empty.
    pub via: &'a [Via],
}

impl<'a> FactRef<'a> {
    /// The identity diffs compare on (two models hold the "same" fact when these match).
    pub fn key(&self) -> (&'a Holder, &'a Scope, &'a Item) {
        (self.subject, self.scope, self.item)
    }

    pub fn to_fact(&self) -> Fact {
        Fact {
            subject: self.subject.clone(),
            scope: self.scope.clone(),
            item: self.item.clone(),
            guaranteed: self.guaranteed,
            possible: self.possible,
            via: self.via.to_vec(),
        }
    }
}

/// One fact as ids into the tables of its [`Access`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    pub subject: u32,
    pub scope: u32,
    pub item: u32,
    /// Index into `via_sets`.
    pub via: u32,
    pub guaranteed: Level,
    pub possible: Level,
}

/// The effective access of one repository: one fact per (subject, scope, item), sorted by
/// them. Subjects sort by holder form (`anyone`, groups, roles, users, then the dynamic and
/// application-role holders; [`Holder`]'s order), then by name; scopes: global, projects by
/// key, boards by name ([`Scope`]'s order); items: permissions, then capabilities.
///
/// Stored as sorted tables of names and facts of ids (a 2,000-project repository has
/// millions of facts): ids order like the values they stand for.
#[derive(Debug, Default)]
pub struct Access {
    pub(crate) subjects: Vec<Holder>,
    pub(crate) scopes: Vec<Scope>,
    pub(crate) items: Vec<Item>,
    pub(crate) via_sets: Vec<Vec<Via>>,
    pub(crate) facts: Vec<Packed>,
}

/// Holders whose grants reach every user: folded into each subject's effective access.
pub fn is_universal(h: &Holder) -> bool {
    matches!(h, Holder::Anyone | Holder::ApplicationRole(_)) || h.is_dynamic()
}

impl Access {
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    pub(crate) fn at(&self, p: &Packed) -> FactRef<'_> {
        FactRef {
            subject: &self.subjects[p.subject as usize],
            scope: &self.scopes[p.scope as usize],
            item: &self.items[p.item as usize],
            guaranteed: p.guaranteed,
            possible: p.possible,
            via: &self.via_sets[p.via as usize],
        }
    }

    /// Every fact, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = FactRef<'_>> + '_ {
        self.facts.iter().map(|p| self.at(p))
    }

    /// The facts of exactly this subject (its own grants, not the universal ones), in order.
    pub fn of(&self, subject: &Holder) -> impl Iterator<Item = FactRef<'_>> + '_ {
        self.facts[self.range_of(subject)]
            .iter()
            .map(|p| self.at(p))
    }

    /// Where the facts of exactly this subject lie in `facts`.
    pub(crate) fn range_of(&self, subject: &Holder) -> std::ops::Range<usize> {
        match self.subjects.binary_search(subject) {
            Ok(id) => {
                let id = id as u32;
                let start = self.facts.partition_point(|f| f.subject < id);
                start..start + self.facts[start..].partition_point(|f| f.subject == id)
            }
            Err(_) => 0..0,
        }
    }

    /// The fact of (subject, scope, item), its own only.
    pub fn get(&self, subject: &Holder, scope: &Scope, item: &Item) -> Option<FactRef<'_>> {
        let s = self.subjects.binary_search(subject).ok()? as u32;
        let c = self.scopes.binary_search(scope).ok()? as u32;
        let i = self.items.binary_search(item).ok()? as u32;
        let at = self
            .facts
            .binary_search_by(|f| (f.subject, f.scope, f.item).cmp(&(s, c, i)))
            .ok()?;
        Some(self.at(&self.facts[at]))
    }

    /// How surely `subject` holds `item` in `scope`, counting the universal holders:
    /// (guaranteed, possible). What `rolelint why` answers for a group, role or user.
    pub fn level(&self, subject: &Holder, scope: &Scope, item: &Item) -> (Level, Level) {
        let mut best = (Level::Never, Level::Never);
        for s in std::iter::once(subject).chain(self.universal_subjects()) {
            if let Some(f) = self.get(s, scope, item) {
                best = (best.0.max(f.guaranteed), best.1.max(f.possible));
            }
        }
        best
    }

    /// Every subject with at least one fact, in order.
    pub fn subjects(&self) -> &[Holder] {
        &self.subjects
    }

    /// The subjects whose facts every user shares (`anyone`, application roles, dynamic
    /// holders), in order.
    pub fn universal_subjects(&self) -> impl Iterator<Item = &Holder> + '_ {
        self.subjects.iter().filter(|s| is_universal(s))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Global => f.write_str("global"),
            Self::Project(k) => write!(f, "project {k}"),
            Self::Board(b) => write!(f, "board {b}"),
        }
    }
}

impl Item {
    pub fn id(&self) -> &str {
        match self {
            Self::Permission(k) | Self::Capability(k) => k,
        }
    }
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chain = |f: &mut fmt::Formatter<'_>, groups: &[String]| {
            for g in groups {
                write!(f, " > group:{g}")?;
            }
            Ok(())
        };
        match self {
            Self::Grant {
                scheme,
                holder,
                member,
                groups,
            } => {
                match scheme {
                    Some(s) => write!(f, "scheme `{s}` grants `{holder}`")?,
                    None => write!(f, "global permissions grant `{holder}`")?,
                }
                if let Some(m) = member {
                    write!(f, " > {m}")?;
                }
                chain(f, groups)
            }
            Self::BoardAdmin { admin, groups } => {
                write!(f, "board admin `{admin}`")?;
                chain(f, groups)
            }
            Self::Derived => f.write_str("derived from its permissions (see `rolelint why`)"),
        }
    }
}

#[cfg(test)]
mod tests;
