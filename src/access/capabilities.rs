//! Board capability facts, judged by [`explain::evaluate`] (what `rolelint why` runs).
//!
//! Per board and capability: the verdict of a subject with no membership at all (what every
//! logged-in user gets, a fact of `application-role`), then the verdict of each subject that
//! holds, itself, a permission the capability names in one of the board's projects, a
//! global permission it names, or the board's administration. Any other subject gets the
//! baseline (verdicts only grow with memberships), so it needs no fact of its own.
use super::build::Facts;
use super::{is_universal, Item, Scope, Via};
use crate::document::holder::Holder;
use crate::jira::capability::{AtomKind, Capability};
use crate::jira::explain::{self, LevelCache};
use crate::jira::model::BoardView;
use crate::jira::subject::Level;
use crate::jira::Model;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// (subject, board index, capability index, guaranteed, possible).
type Verdict = (Holder, usize, usize, Level, Level);

pub(super) fn add(model: &Model, f: &mut Facts) {
    if model.capabilities.is_empty() || model.boards.is_empty() {
        return;
    }
    // The permissions capabilities name, and who holds each where (own facts only).
    let mut keys: FxHashSet<&str> = FxHashSet::default();
    let mut globals: FxHashSet<&str> = FxHashSet::default();
    for c in &model.capabilities {
        for a in c.requires.atoms() {
            match &a.kind {
                AtomKind::EveryBoardProject(k) | AtomKind::IssueProject(k) => {
                    keys.insert(k);
                }
                AtomKind::Global(k) => {
                    globals.insert(k);
                }
                _ => {}
            }
        }
    }
    let holders = holders_by_scope(f, &keys, &globals);
    let project_scope: Vec<Option<u32>> = (model.projects.iter())
        .map(|p| {
            let scope = Scope::Project(p.key.get_ref().clone());
            holders.scope_ids.get(&scope).copied()
        })
        .collect();
    let cache = LevelCache::default();
    let nobody = Holder::Anyone; // a subject in no group and no role
    let verdicts: Vec<Vec<Verdict>> = (0..model.boards.len())
        .into_par_iter()
        .map(|b| {
            let board = &model.boards[b];
            let candidates = candidates(model, board, &holders, &project_scope, f);
            let mut out = Vec::new();
            for (c, cap) in model.capabilities.iter().enumerate() {
                let base = verdict(model, board, cap, &nobody, &cache);
                if base.1 > Level::Never {
                    out.push((Holder::ApplicationRole(None), b, c, base.0, base.1));
                }
                for who in &candidates {
                    let v = verdict(model, board, cap, who, &cache);
                    if v != base {
                        out.push((who.clone(), b, c, v.0, v.1));
                    }
                }
            }
            out
        })
        .collect();
    for (who, b, c, g, p) in verdicts.into_iter().flatten() {
        let s = f.subjects.id(&who);
        let scope = f
            .scopes
            .id(&Scope::Board(model.boards[b].board.name.get_ref().clone()));
        let item = f
            .items
            .id(&Item::Capability(model.capabilities[c].id.get_ref().clone()));
        let via = f.vias.id(&Via::Derived);
        f.raw.push((s, scope, item, via, g, p));
    }
}

fn verdict<'m>(
    model: &'m Model,
    board: &BoardView,
    cap: &Capability,
    who: &Holder,
    cache: &LevelCache<'m>,
) -> (Level, Level) {
    let o = explain::evaluate(model, board, cap, who, 0, cache);
    (o.guaranteed, o.possible)
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

/// The subjects whose verdict on `board` may differ from the baseline, in a fixed order.
fn candidates(
    model: &Model,
    board: &BoardView,
    holders: &Holders,
    project_scope: &[Option<u32>],
    f: &Facts,
) -> Vec<Holder> {
    let mut ids: FxHashSet<u32> = FxHashSet::default();
    let mut add = |scope: u32, items: &[u32]| {
        for item in items {
            if let Some(s) = holders.by.get(&(scope, *item)) {
                ids.extend(s.iter().copied());
            }
        }
    };
    for (p, _) in board.projects() {
        if let Some(scope) = project_scope.get(p).copied().flatten() {
            add(scope, &holders.project_items);
        }
    }
    if let Some((scope, items)) = &holders.global_items {
        add(*scope, items);
    }
    let mut out: Vec<Holder> = ids
        .into_iter()
        .map(|id| f.subjects.values[id as usize].clone())
        .collect();
    // Board admins and whoever is in them (a subject holding no permission may still
    // configure the board).
    for a in &board.board.admins {
        out.extend(with_members(model, &a.holder));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `h` and, for a group, every member of it, nested ones included (cycle-safe).
fn with_members(model: &Model, h: &Holder) -> Vec<Holder> {
    let mut out = vec![h.clone()];
    let mut i = 0;
    while i < out.len() {
        if let Holder::Group(g) = &out[i] {
            for (m, _) in model.groups.get(g).map_or(&[][..], Vec::as_slice) {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
        }
        i += 1;
    }
    out
}
