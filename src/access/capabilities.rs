//! Board capability facts, judged by [`derive::evaluate`] (what `rolelint why` runs).
//!
//! Per board and capability: the verdict of a subject with no membership at all (what every
//! logged-in user gets, a fact of `application-role`), then the verdict of each subject that
//! holds, itself, a permission the capability names in one of the board's projects, a
//! global permission it names, or the board's administration. Any other subject gets the
//! baseline (verdicts only grow with memberships), so it needs no fact of its own.
use super::build::Facts;
use super::{is_universal, Item, Only, Scope, Via};
use crate::document::holder::Holder;
use crate::jira::capability::{AtomKind, Capability};
use crate::jira::derive::{self, LevelCache};
use crate::jira::model::BoardView;
use crate::jira::subject::Level;
use crate::jira::Model;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};

/// (subject, board index, capability index, guaranteed, possible): 16 bytes, for there
/// are millions of them on a large repository.
type Verdict = (u32, u32, u32, Level, Level);

pub(super) fn add(model: &Model, f: &mut Facts, only: &Only) {
    let no_board = matches!(only, Only::Part(p) if p.boards.is_empty());
    if model.capabilities.is_empty() || model.boards.is_empty() || no_board {
        return;
    }
    // The permissions capabilities name, and who holds each where (own facts only).
    let keys = project_keys(model);
    let globals = named(model, |k| match k {
        AtomKind::Global(k) => Some(k),
        _ => None,
    });
    let holders = holders_by_scope(f, &keys, &globals);
    let project_scope: Vec<Option<u32>> = (model.projects.iter())
        .map(|p| {
            let scope = Scope::Project(p.key.get_ref().clone());
            holders.scope_ids.get(&scope).copied()
        })
        .collect();
    // Every board admin and its members become subjects up front, so that verdicts carry ids.
    let everyone = f.subjects.id(&Holder::ApplicationRole(None));
    let admins: Vec<BTreeSet<u32>> = (model.boards.iter())
        .map(|b| {
            (b.board.admins.iter())
                .flat_map(|a| with_members(model, &a.holder))
                .map(|h| f.subjects.id(&h))
                .collect()
        })
        .collect();
    // Per board: the subjects judged on it (`None`: every subject).
    let restricted: Option<FxHashSet<u32>> = match only {
        Only::Part(p) => p
            .subjects
            .as_ref()
            .map(|set| set.iter().filter_map(|h| f.subjects.get(h)).collect()),
        Only::All => None,
    };
    let judged: Vec<Option<&FxHashSet<u32>>> = (model.boards.iter())
        .map(|b| only.judged(b.board.name.get_ref()).and(restricted.as_ref()))
        .collect();
    let cx = Cx {
        model,
        everyone,
        judged: &judged,
        admins: &admins,
        holders: &holders,
        project_scope: &project_scope,
        subjects: &f.subjects.values,
        cache: LevelCache::default(),
        only,
    };
    let mut verdicts: Vec<Verdict> = (0..model.boards.len())
        .into_par_iter()
        .filter(|&b| !model.boards[b].complex() && cx.wanted(b))
        .flat_map_iter(|b| cx.listed_board(b))
        .collect();
    verdicts.extend(cx.complex_boards());
    // Millions of verdicts on a large repository, over a few thousand boards and a few
    // capabilities: each board and capability interned once.
    let via = f.vias.id(&Via::Derived);
    let mut scopes: Vec<Option<u32>> = vec![None; model.boards.len()];
    let mut items: Vec<Option<u32>> = vec![None; model.capabilities.len()];
    f.raw.reserve(verdicts.len());
    for (s, b, c, g, p) in verdicts {
        let (b, c) = (b as usize, c as usize);
        let scope = *scopes[b].get_or_insert_with(|| {
            (f.scopes).id(&Scope::Board(model.boards[b].board.name.get_ref().clone()))
        });
        let item = *items[c].get_or_insert_with(|| {
            (f.items).id(&Item::Capability(
                model.capabilities[c].id.get_ref().clone(),
            ))
        });
        f.raw.push((s, scope, item, via, g, p));
    }
}

/// The project permissions capabilities name.
pub(super) fn project_keys(model: &Model) -> FxHashSet<&str> {
    named(model, |k| match k {
        AtomKind::EveryBoardProject(k) | AtomKind::IssueProject(k) => Some(k),
        _ => None,
    })
}

fn named<'m>(
    model: &'m Model,
    key: impl Fn(&'m AtomKind) -> Option<&'m String>,
) -> FxHashSet<&'m str> {
    (model.capabilities.iter())
        .flat_map(|c| c.requires.atoms())
        .filter_map(|a| key(&a.kind))
        .map(String::as_str)
        .collect()
}

/// What a subject holds itself on a board that its verdict depends on: (scope, item)
/// pairs of named permissions, and whether it administers the board.
type Profile = (Vec<(u32, u32)>, bool);

/// What every board's evaluation shares.
struct Cx<'m> {
    model: &'m Model,
    /// The id of `application-role` (any logged-in user): the baseline's subject.
    everyone: u32,
    /// Per board: its admins and their members.
    admins: &'m [BTreeSet<u32>],
    /// Per board: the subjects judged on it (`None`: every subject).
    judged: &'m [Option<&'m FxHashSet<u32>>],
    holders: &'m Holders,
    project_scope: &'m [Option<u32>],
    subjects: &'m [Holder],
    cache: LevelCache<'m>,
    only: &'m Only,
}

impl<'m> Cx<'m> {
    fn wanted(&self, b: usize) -> bool {
        self.only.board(self.model.boards[b].board.name.get_ref())
    }

    fn judges(&self, b: usize, subject: u32) -> bool {
        self.judged[b].is_none_or(|set| set.contains(&subject))
    }

    /// A board over the projects it names. A subject's verdict depends only on what it
    /// holds itself in those projects (of the permissions capabilities name), which global
    /// permissions it holds, and whether it administers the board: subjects alike in these
    /// (a group and its members, mostly) are judged once.
    fn listed_board(&self, b: usize) -> Vec<Verdict> {
        let board = &self.model.boards[b];
        let mut profiles: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        let mut note = |scope: u32, items: &[u32]| {
            for &item in items {
                for &s in self
                    .holders
                    .by
                    .get(&(scope, item))
                    .map_or(&[][..], Vec::as_slice)
                {
                    profiles.entry(s).or_default().push((scope, item));
                }
            }
        };
        for (p, _) in board.projects() {
            if let Some(scope) = self.project_scope.get(p).copied().flatten() {
                note(scope, &self.holders.project_items);
            }
        }
        if let Some((scope, items)) = &self.holders.global_items {
            note(*scope, items);
        }
        let admins = &self.admins[b];
        let mut alike: BTreeMap<Profile, Vec<u32>> = BTreeMap::new();
        for &who in admins {
            profiles.entry(who).or_default();
        }
        profiles.retain(|&s, _| self.judges(b, s));
        for (s, mut profile) in profiles {
            profile.sort_unstable();
            profile.dedup();
            alike
                .entry((profile, admins.contains(&s)))
                .or_default()
                .push(s);
        }
        let mut out = Vec::new();
        for (c, cap) in self.model.capabilities.iter().enumerate() {
            let base = self.verdict(board, cap, &NOBODY);
            if base.1 > Level::Never {
                out.push((self.everyone, b as u32, c as u32, base.0, base.1));
            }
            for whos in alike.values() {
                // The same verdict whoever of them is asked: the first, for determinism.
                let Some(first) = whos.iter().map(|&w| &self.subjects[w as usize]).min() else {
                    continue;
                };
                let v = self.verdict(board, cap, first);
                if v != base {
                    out.extend(whos.iter().map(|&w| (w, b as u32, c as u32, v.0, v.1)));
                }
            }
        }
        out
    }

    /// Boards with a complex filter all cover every project: a subject's verdict differs
    /// between them only through the board's own requirements (its admins). Each subject is
    /// judged once per capability, and once more where it administers the board.
    fn complex_boards(&self) -> Vec<Verdict> {
        let boards: Vec<usize> = (0..self.model.boards.len())
            .filter(|&b| self.model.boards[b].complex() && self.wanted(b))
            .collect();
        let Some(&first) = boards.first() else {
            return Vec::new();
        };
        let caps = &self.model.capabilities;
        let admins: Vec<&BTreeSet<u32>> = boards.iter().map(|&b| &self.admins[b]).collect();
        let base: Vec<Vec<(Level, Level)>> = (boards.iter())
            .map(|&b| {
                let board = &self.model.boards[b];
                caps.iter()
                    .map(|c| self.verdict(board, c, &NOBODY))
                    .collect()
            })
            .collect();
        let mut out: Vec<Verdict> = Vec::new();
        for (i, &b) in boards.iter().enumerate() {
            for (c, v) in base[i].iter().enumerate() {
                if v.1 > Level::Never {
                    out.push((self.everyone, b as u32, c as u32, v.0, v.1));
                }
            }
        }
        let mut who: BTreeSet<u32> = self.holders.by.values().flatten().copied().collect();
        who.extend(admins.iter().copied().flatten());
        let every = boards.iter().any(|&b| self.judged[b].is_none());
        let who: Vec<u32> = (who.into_iter())
            .filter(|&w| every || boards.iter().any(|&b| self.judges(b, w)))
            .collect();
        let per_subject: Vec<Vec<Verdict>> = who
            .par_iter()
            .map(|&w| {
                let subject = &self.subjects[w as usize];
                let mut out = Vec::new();
                for (c, cap) in caps.iter().enumerate() {
                    // (is an admin) → the verdict, judged on the first board of that kind.
                    let mut judged: [Option<(Level, Level)>; 2] = [None, None];
                    for (i, &b) in boards.iter().enumerate() {
                        let admin = admins[i].contains(&w);
                        let slot = usize::from(admin && !shareable(cap));
                        let v = *judged[slot].get_or_insert_with(|| {
                            let on = if slot == 0 && !shareable(cap) {
                                // a board it does not administer, when there is one
                                boards
                                    .iter()
                                    .zip(&admins)
                                    .find(|(_, a)| !a.contains(&w))
                                    .map_or(b, |(&b, _)| b)
                            } else if slot == 0 {
                                first
                            } else {
                                b
                            };
                            self.verdict(&self.model.boards[on], cap, subject)
                        });
                        if v != base[i][c] && self.judges(b, w) {
                            out.push((w, b as u32, c as u32, v.0, v.1));
                        }
                    }
                }
                out
            })
            .collect();
        out.extend(per_subject.into_iter().flatten());
        out
    }

    fn verdict(&self, board: &BoardView, cap: &Capability, who: &Holder) -> (Level, Level) {
        let o = derive::evaluate(self.model, board, cap, who, 0, &self.cache);
        (o.guaranteed, o.possible)
    }
}

/// A subject in no group and no role: what every logged-in user gets.
const NOBODY: Holder = Holder::Anyone;

/// Requirements about the projects and global permissions only: the same verdict on every
/// board of the same projects.
fn shareable(cap: &Capability) -> bool {
    (cap.requires.atoms().iter()).all(|a| {
        matches!(
            a.kind,
            AtomKind::EveryBoardProject(_) | AtomKind::IssueProject(_) | AtomKind::Global(_)
        )
    })
}

/// Who holds each named permission where: (scope id, item id) → subjects.
struct Holders {
    by: FxHashMap<(u32, u32), Vec<u32>>,
    scope_ids: FxHashMap<Scope, u32>,
    /// Item ids of the project permissions capabilities name.
    project_items: Vec<u32>,
    /// (global scope id, item ids of the global permissions capabilities name).
    global_items: Option<(u32, Vec<u32>)>,
}

fn holders_by_scope(f: &Facts, keys: &FxHashSet<&str>, globals: &FxHashSet<&str>) -> Holders {
    let wanted = |set: &FxHashSet<&str>| -> Vec<u32> {
        (f.items.values.iter().enumerate())
            .filter(|(_, i)| matches!(i, Item::Permission(k) if set.contains(k.as_str())))
            .map(|(id, _)| id as u32)
            .collect()
    };
    let project_items = wanted(keys);
    let global_ids = wanted(globals);
    let mut by: FxHashMap<(u32, u32), Vec<u32>> = FxHashMap::default();
    let named: FxHashSet<u32> = project_items.iter().chain(&global_ids).copied().collect();
    for r in &f.raw {
        if named.contains(&r.2) && !is_universal(&f.subjects.values[r.0 as usize]) {
            by.entry((r.1, r.2)).or_default().push(r.0);
        }
    }
    let scope_ids: FxHashMap<Scope, u32> = (f.scopes.values.iter().enumerate())
        .map(|(i, s)| (s.clone(), i as u32))
        .collect();
    let global_items = scope_ids.get(&Scope::Global).map(|&g| (g, global_ids));
    Holders {
        by,
        scope_ids,
        project_items,
        global_items,
    }
}

/// `h` and, for a group, every member of it, nested ones included (cycle-safe).
fn with_members(model: &Model, h: &Holder) -> Vec<Holder> {
    let mut out = vec![h.clone()];
    let mut i = 0;
    while i < out.len() {
        if let Holder::Group(g) = &out[i] {
            for (m, _) in model.groups.get(g.as_str()).map_or(&[][..], Vec::as_slice) {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
        }
        i += 1;
    }
    out
}
