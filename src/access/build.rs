//! Build the [`Access`] model of a resolved Jira [`Model`].
//!
//! Facts are collected as small tuples of interned ids (a repository of 2,000 projects has
//! about a million of them), sorted by the rank of each id's value, then merged into one
//! [`Fact`] per (subject, scope, item).
use super::{capabilities, Access, Item, Only, Packed, Scope, Via};
use crate::document::holder::{Holder, SpannedHolder};
use crate::jira::subject::Level;
use crate::jira::Model;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::Hash;

/// Values of one kind, each stored once; ids are indexes.
pub(super) struct Interner<T> {
    pub values: Vec<T>,
    ids: FxHashMap<T, u32>,
}

impl<T: Clone + Eq + Hash + Ord> Interner<T> {
    fn new() -> Self {
        Self {
            values: Vec::new(),
            ids: FxHashMap::default(),
        }
    }

    /// The id of `v` when it has one.
    pub fn get(&self, v: &T) -> Option<u32> {
        self.ids.get(v).copied()
    }

    pub fn id(&mut self, v: &T) -> u32 {
        if let Some(&id) = self.ids.get(v) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.clone());
        self.ids.insert(v.clone(), id);
        id
    }

    /// Each id's position in the sorted values: sorting ids by rank sorts by value.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.values.len() as u32).collect();
        order.sort_unstable_by(|a, b| self.values[*a as usize].cmp(&self.values[*b as usize]));
        let mut rank = vec![0; order.len()];
        for (r, id) in order.into_iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    }
}

/// One raw fact: ids of subject, scope, item, way; the two levels.
pub(super) type Raw = (u32, u32, u32, u32, Level, Level);

/// The interned values and the raw facts of one build.
pub(super) struct Facts {
    pub subjects: Interner<Holder>,
    pub scopes: Interner<Scope>,
    pub items: Interner<Item>,
    pub vias: Interner<Via>,
    pub raw: Vec<Raw>,
    /// Group name → every member, direct or nested (groups and users), with the groups in
    /// between, outermost first. Cycle-safe.
    members: FxHashMap<String, Vec<(u32, Vec<String>)>>,
    /// Scopes read only to judge boards ([`Part::inputs`](super::Part::inputs)).
    inputs: FxHashSet<u32>,
    /// When every board is judged for some subjects only: those subjects, the only ones
    /// whose facts in `inputs` matter.
    judged: Option<FxHashSet<u32>>,
}

/// The effective access of `model`.
pub fn build(model: &Model) -> Access {
    build_only(model, &Only::All)
}

/// The facts of `model` in the scopes `only` names (and every global one).
pub fn build_only(model: &Model, only: &Only) -> Access {
    let mut f = Facts {
        subjects: Interner::new(),
        scopes: Interner::new(),
        items: Interner::new(),
        vias: Interner::new(),
        raw: Vec::new(),
        members: FxHashMap::default(),
        inputs: FxHashSet::default(),
        judged: None,
    };
    if let Only::Part(p) = only {
        if p.every_subject.is_empty() {
            f.judged =
                (p.subjects.as_ref()).map(|set| set.iter().map(|h| f.subjects.id(h)).collect());
        }
    }
    let named = capabilities::project_keys(model);
    for (p, project) in model.projects.iter().enumerate() {
        let Some(scheme) = model.scheme_of(p) else {
            continue;
        };
        let key = project.key.get_ref();
        if !only.reads(key) {
            continue;
        }
        // A project read only to judge boards: the permissions capabilities name suffice.
        let input = !only.project(key);
        let scope = f.scopes.id(&Scope::Project(key.clone()));
        if input {
            f.inputs.insert(scope);
        }
        let name = Some(scheme.name.get_ref().clone());
        for grant in &scheme.grants {
            if input && !named.contains(grant.permission.get_ref().as_str()) {
                continue;
            }
            // `holds` reads the first grant of a key; so does this.
            if !std::ptr::eq(
                scheme.holders(grant.permission.get_ref()),
                &grant.holders[..],
            ) {
                continue;
            }
            let item = f
                .items
                .id(&Item::Permission(grant.permission.get_ref().to_string()));
            for h in &grant.holders {
                f.grant(model, Some(p), &name, h, scope, item);
            }
        }
    }
    let global = f.scopes.id(&Scope::Global);
    for g in &model.globals {
        for (i, grant) in g.grants.iter().enumerate() {
            let key = grant.permission.get_ref();
            if g.grants[..i].iter().any(|e| e.permission.get_ref() == key) {
                continue; // `holds_global` reads the first grant of a key per document
            }
            let item = f.items.id(&Item::Permission(key.to_string()));
            for h in &grant.holders {
                f.grant(model, None, &None, h, global, item);
            }
        }
    }
    crate::console::timing::lap(&format!("access: permission facts ({} raw)", f.raw.len()));
    capabilities::add(model, &mut f, only);
    if !f.inputs.is_empty() {
        let inputs = std::mem::take(&mut f.inputs);
        f.raw.retain(|r| !inputs.contains(&r.1));
    }
    crate::console::timing::lap(&format!(
        "access: capability facts ({} raw, {} subjects, {} vias)",
        f.raw.len(),
        f.subjects.values.len(),
        f.vias.values.len()
    ));
    let access = f.finish();
    crate::console::timing::lap("access: sorted");
    access
}

impl Facts {
    /// The facts one holder of a grant gives, in `project` (`None`: global).
    fn grant(
        &mut self,
        model: &Model,
        project: Option<usize>,
        scheme: &Option<String>,
        h: &SpannedHolder,
        scope: u32,
        item: u32,
    ) {
        let via = |member: Option<&Holder>, groups: &[String]| Via::Grant {
            scheme: scheme.clone(),
            holder: h.holder.clone(),
            member: member.cloned(),
            groups: groups.to_vec(),
        };
        match &h.holder {
            Holder::Group(g) => self.members_of(model, g, scope, item, &|groups| via(None, groups)),
            Holder::User(_) => {
                let s = self.subjects.id(&h.holder);
                self.push(s, scope, item, &via(None, &[]), Level::Always);
            }
            Holder::Role(r) => {
                let s = self.subjects.id(&h.holder);
                self.push(s, scope, item, &via(None, &[]), Level::Always);
                let members = project
                    .and_then(|p| model.projects[p].role(r))
                    .map_or(&[][..], |rm| &rm.members);
                for m in members {
                    match &m.holder {
                        Holder::Group(g) => self.members_of(model, g, scope, item, &|groups| {
                            via(Some(&m.holder), groups)
                        }),
                        Holder::User(_) => {
                            let s = self.subjects.id(&m.holder);
                            self.push(s, scope, item, &via(Some(&m.holder), &[]), Level::Always);
                        }
                        _ => {} // role members are groups or users
                    }
                }
            }
            other => {
                let level = if other.is_dynamic() {
                    Level::Sometimes
                } else {
                    Level::Always
                };
                let s = self.subjects.id(other);
                self.push(s, scope, item, &via(None, &[]), level);
            }
        }
    }

    /// A fact for group `g` and every member of it, nested ones included.
    fn members_of(
        &mut self,
        model: &Model,
        g: &str,
        scope: u32,
        item: u32,
        via: &dyn Fn(&[String]) -> Via,
    ) {
        if !self.members.contains_key(g) {
            let expanded = expand(model, g, &mut self.subjects);
            self.members.insert(g.to_string(), expanded);
        }
        let members = self.members.get(g).map_or(&[][..], Vec::as_slice);
        // Members come breadth-first, so those reached through the same chain of groups are
        // neighbours: one way is made and interned per chain, not per member.
        let mut ways: Vec<(u32, u32)> = Vec::with_capacity(members.len());
        let mut last: Option<(&[String], u32)> = None;
        for (s, chain) in members {
            if !self.wanted(*s, scope) {
                continue;
            }
            let id = match last {
                Some((c, id)) if c == chain.as_slice() => id,
                _ => {
                    let id = self.vias.id(&via(chain));
                    last = Some((chain, id));
                    id
                }
            };
            ways.push((*s, id));
        }
        for (s, v) in ways {
            self.push_way(s, scope, item, v, Level::Always);
        }
    }

    /// The fact of `subject` in `scope` serves the build (see [`Facts::judged`]).
    fn wanted(&self, subject: u32, scope: u32) -> bool {
        match &self.judged {
            Some(judged) if self.inputs.contains(&scope) => judged.contains(&subject),
            _ => true,
        }
    }

    pub(super) fn push(&mut self, subject: u32, scope: u32, item: u32, via: &Via, level: Level) {
        if !self.wanted(subject, scope) {
            return;
        }
        let via = self.vias.id(via);
        self.push_way(subject, scope, item, via, level);
    }

    /// [`Facts::push`] with the way already interned (its subject already wanted).
    fn push_way(&mut self, subject: u32, scope: u32, item: u32, via: u32, level: Level) {
        self.raw.push((subject, scope, item, via, level, level));
    }

    /// Sort by value, merge the ways of each (subject, scope, item), keep the best levels.
    fn finish(mut self) -> Access {
        let (rs, rc, ri, rv) = (
            self.subjects.ranks(),
            self.scopes.ranks(),
            self.items.ranks(),
            self.vias.ranks(),
        );
        for r in &mut self.raw {
            *r = (
                rs[r.0 as usize],
                rc[r.1 as usize],
                ri[r.2 as usize],
                rv[r.3 as usize],
                r.4,
                r.5,
            );
        }
        // Millions of facts on a large repository: sorted on every core.
        self.raw = by_subject(self.raw, rs.len());
        self.raw.dedup_by_key(|r| (r.0, r.1, r.2, r.3));
        let subjects: Vec<Holder> = sorted(self.subjects.values);
        let vias: Vec<Via> = sorted(self.vias.values);
        // Only subjects with a fact stay (ids renumbered in order).
        let mut used = vec![u32::MAX; subjects.len()];
        let mut kept: Vec<Holder> = Vec::new();
        // Way sets looked up by slice: most facts have one way, and a set is allocated
        // only the first time it is met (millions of facts, thousands of sets).
        let mut set_ids: FxHashMap<Box<[u32]>, u32> = FxHashMap::default();
        let mut single: Vec<Option<u32>> = vec![None; vias.len()];
        let mut via_sets: Vec<Vec<Via>> = Vec::new();
        let mut facts: Vec<Packed> = Vec::with_capacity(self.raw.len());
        let mut set: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < self.raw.len() {
            let r = self.raw[i];
            let mut end = i + 1;
            while end < self.raw.len()
                && self.raw[end].0 == r.0
                && self.raw[end].1 == r.1
                && self.raw[end].2 == r.2
            {
                end += 1;
            }
            let group = &self.raw[i..end];
            set.clear();
            set.extend(group.iter().map(|g| g.3));
            // One way (every capability fact, most grants): found by index, not by hash.
            let known = match set[..] {
                [one] => single[one as usize],
                _ => set_ids.get(set.as_slice()).copied(),
            };
            let via = match known {
                Some(id) => id,
                None => {
                    let id = via_sets.len() as u32;
                    via_sets.push(set.iter().map(|v| vias[*v as usize].clone()).collect());
                    match set[..] {
                        [one] => single[one as usize] = Some(id),
                        _ => {
                            set_ids.insert(set.as_slice().into(), id);
                        }
                    }
                    id
                }
            };
            if used[r.0 as usize] == u32::MAX {
                used[r.0 as usize] = kept.len() as u32;
                kept.push(subjects[r.0 as usize].clone());
            }
            facts.push(Packed {
                subject: used[r.0 as usize],
                scope: r.1,
                item: r.2,
                via,
                guaranteed: group.iter().map(|g| g.4).max().unwrap_or(Level::Never),
                possible: group.iter().map(|g| g.5).max().unwrap_or(Level::Never),
            });
            i = end;
        }
        Access {
            subjects: kept,
            scopes: sorted(self.scopes.values),
            items: sorted(self.items.values),
            via_sets,
            facts,
        }
    }
}

/// `raw` sorted, its subjects being ranks below `subjects`: first placed by subject (one
/// counting pass), then each subject's facts sorted on its own, on every core. Thousands of
/// small sorts that fit in cache instead of one sort of millions.
fn by_subject(raw: Vec<Raw>, subjects: usize) -> Vec<Raw> {
    let mut starts = vec![0usize; subjects + 1];
    for r in &raw {
        starts[r.0 as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut out: Vec<Raw> = vec![(0, 0, 0, 0, Level::Never, Level::Never); raw.len()];
    let mut next = starts.clone();
    for r in raw {
        let at = &mut next[r.0 as usize];
        out[*at] = r;
        *at += 1;
    }
    let mut buckets: Vec<&mut [Raw]> = Vec::with_capacity(subjects);
    let mut rest: &mut [Raw] = &mut out;
    for w in starts.windows(2) {
        let (bucket, tail) = rest.split_at_mut(w[1] - w[0]);
        buckets.push(bucket);
        rest = tail;
    }
    buckets.par_iter_mut().for_each(|b| b.sort_unstable());
    out
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v
}

/// Group `g` itself and every member, direct or through nested groups, each with the
/// groups between `g` and it (breadth-first: the shortest chain). Cycle-safe.
fn expand(model: &Model, g: &str, subjects: &mut Interner<Holder>) -> Vec<(u32, Vec<String>)> {
    let root = Holder::Group(crate::diagnostics::text::name(g));
    let mut out = vec![(subjects.id(&root), Vec::new())];
    let mut seen = std::collections::HashSet::from([root]);
    let mut queue = std::collections::VecDeque::from([(g.to_string(), Vec::<String>::new())]);
    while let Some((group, chain)) = queue.pop_front() {
        for (member, _) in model.groups.get(&group).map_or(&[][..], Vec::as_slice) {
            if !seen.insert(member.clone()) {
                continue;
            }
            out.push((subjects.id(member), chain.clone()));
            if let Holder::Group(inner) = member {
                let mut deeper = chain.clone();
                deeper.push(inner.to_string());
                queue.push_back((inner.to_string(), deeper));
            }
        }
    }
    out
}
