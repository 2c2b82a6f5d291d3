//! The Access section: the permissions and board capabilities a change grants and removes,
//! from the effective access ([`crate::access`]) of both sides.
//!
//! A fact is gained when the head's own fact of a (subject, scope, item) gives more than the
//! subject held in the base, counting what every user gets (`anyone`, application roles,
//! dynamic holders); lost the other way round. A group gaining what `anyone` already had
//! gains nothing. Each changed fact carries the changes that cause it ([`cause`]); facts
//! alike in subject, cause, level and marks are merged into one [`Entry`] listing their
//! scopes and items, then entries alike but for the subject into one listing the subjects:
//! one scheme edit that reaches forty projects and a group of ten is one entry.
pub mod cause;
pub mod scope;

pub use cause::Cause;

use crate::access::{self, is_universal, Access, FactRef, Item, Scope, Via};
use crate::catalog::permissions::{PermissionCatalog, Sensitive};
use crate::document::holder::Holder;
use crate::jira::subject::Level;
use crate::jira::Model;
use cause::{Index, Pair};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::hash::Hash;

/// How surely a fact holds: (guaranteed, possible); see [`access::Fact`].
pub type Levels = (Level, Level);

const NONE: Levels = (Level::Never, Level::Never);

/// Why an entry is listed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Held by `anyone` or by any logged-in user (`application-role`).
    Public,
    /// An administrative permission (the catalogue's `sensitive = "admin"`).
    Admin,
    /// A permission that deletes other people's work (`sensitive = "delete"`).
    Delete,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Public => "public",
            Mark::Admin => "admin",
            Mark::Delete => "delete",
        }
    }
}

/// Facts gained (or lost) alike: every subject holds every item in every scope, because
/// of the causes. Lists are sorted; `subjects`, `items`, `scopes` and `causes` never empty.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Sorted: public, admin, delete.
    pub marks: Vec<Mark>,
    pub subjects: Vec<Holder>,
    pub items: Vec<Item>,
    pub scopes: Vec<Scope>,
    /// The levels before and after (effective: with what every user gets).
    pub from: Levels,
    pub to: Levels,
    pub causes: Vec<Cause>,
}

#[derive(Debug, Default)]
pub struct AccessChange {
    /// Marked entries first (public, then admin, then delete), then by subject.
    pub gained: Vec<Entry>,
    pub lost: Vec<Entry>,
    /// (subject, scope, item) facts gained and lost, before merging into entries.
    pub facts_gained: usize,
    pub facts_lost: usize,
}

impl AccessChange {
    /// The access of `head` compared with the access of `base`, built on both sides for
    /// the scopes the change can reach only ([`scope::reach`]), and the capabilities on
    /// boards only for the subjects whose permissions the change moves ([`moved`]).
    pub fn between(base: &Model, head: &Model) -> Self {
        let mut only = scope::reach(base, head);
        crate::console::timing::lap(&match &only {
            access::Only::All => "review: the change reaches every scope".to_string(),
            access::Only::Part(p) => format!(
                "review: the change reaches {} projects, {} boards ({} changed themselves), reading {} more projects",
                p.projects.len(),
                p.boards.len(),
                p.every_subject.len(),
                p.inputs.len()
            ),
        });
        if let access::Only::Part(part) = &mut only {
            if !part.boards.is_empty() {
                let permissions = access::Only::Part(access::Part {
                    projects: part.projects.clone(),
                    ..access::Part::default()
                });
                let (a, b) = rayon::join(
                    || access::build_only(base, &permissions),
                    || access::build_only(head, &permissions),
                );
                part.subjects = moved(&a, &b);
                crate::console::timing::lap(&format!(
                    "review: permissions of {} subjects move",
                    part.subjects
                        .as_ref()
                        .map_or(a.subjects.len().max(b.subjects.len()), |s| s.len())
                ));
            }
        }
        let (a, b) = rayon::join(
            || access::build_only(base, &only),
            || access::build_only(head, &only),
        );
        crate::console::timing::lap("review: access of both sides");
        let change = Self::of(base, &a, head, &b);
        crate::console::timing::lap("review: access compared");
        change
    }

    /// [`Self::between`] given both models' access.
    pub fn of(base: &Model, a: &Access, head: &Model, b: &Access) -> Self {
        let (ia, ib) = (Index::new(base), Index::new(head));
        let gain = Pair {
            now: &ib,
            other: &ia,
            gained: true,
        };
        let loss = Pair {
            now: &ia,
            other: &ib,
            gained: false,
        };
        let mut gained = Merge::default();
        let mut lost = Merge::default();
        for c in changed(a, b) {
            let (pair, merge) = if c.gained {
                (&gain, &mut gained)
            } else {
                (&loss, &mut lost)
            };
            let f = c.fact;
            let mut causes: Vec<Cause> = (c.new_ways.iter())
                .map(|v| pair.cause(f.subject, f.scope, f.item, v))
                .collect();
            causes.sort();
            causes.dedup();
            merge.add(f, c.from, c.to, causes);
        }
        AccessChange {
            facts_gained: gained.facts,
            facts_lost: lost.facts,
            gained: gained.entries(),
            lost: lost.entries(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.gained.is_empty() && self.lost.is_empty()
    }

    /// Any gained entry with this mark.
    pub fn gains(&self, mark: Mark) -> bool {
        self.gained.iter().any(|e| e.marks.contains(&mark))
    }
}

/// The levels a fact gives, compared by what is possible first.
fn rank(l: Levels) -> (Level, Level) {
    (l.1, l.0)
}

/// One fact that changed, from the side that holds more of it.
struct Changed<'a> {
    gained: bool,
    fact: FactRef<'a>,
    from: Levels,
    to: Levels,
    /// The ways of `fact` the other side does not have (all of them when it has none).
    new_ways: Vec<&'a Via>,
}

/// Every fact that changed between `a` (base) and `b` (head), in the models' order: a
/// merge of the two sorted fact lists, on ids mapped to the union of both tables.
fn changed<'a>(a: &'a Access, b: &'a Access) -> Vec<Changed<'a>> {
    let (sa, sb) = union_ranks(&a.subjects, &b.subjects);
    let (ca, cb) = union_ranks(&a.scopes, &b.scopes);
    let (ta, tb) = union_ranks(&a.items, &b.items);
    let key_a = |i: usize| {
        let p = &a.facts[i];
        (
            sa[p.subject as usize],
            ca[p.scope as usize],
            ta[p.item as usize],
        )
    };
    let key_b = |i: usize| {
        let p = &b.facts[i];
        (
            sb[p.subject as usize],
            cb[p.scope as usize],
            tb[p.item as usize],
        )
    };
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.facts.len() || j < b.facts.len() {
        let order = match (i < a.facts.len(), j < b.facts.len()) {
            (true, true) => key_a(i).cmp(&key_b(j)),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let x = (order != Ordering::Greater).then(|| a.at(&a.facts[i]));
        let y = (order != Ordering::Less).then(|| b.at(&b.facts[j]));
        i += usize::from(x.is_some());
        j += usize::from(y.is_some());
        let (lx, ly) = (x.map_or(NONE, levels), y.map_or(NONE, levels));
        if lx == ly {
            continue;
        }
        let Some(subject) = x.or(y).map(|f| f.subject) else {
            continue;
        };
        let effective = |side: &Access, f: Option<FactRef<'_>>, own: Levels| match f {
            Some(f) if !is_universal(subject) => side.level(f.subject, f.scope, f.item),
            _ => own,
        };
        let (from, to) = (effective(a, x.or(y), lx), effective(b, x.or(y), ly));
        let gained = rank(ly) > rank(lx);
        let (fact, other) = if gained {
            // Nothing new when the base already held it through what every user gets.
            if rank(ly) <= rank(from) {
                continue;
            }
            (y, x)
        } else {
            // Nothing lost when the head still holds it that way.
            if rank(lx) <= rank(to) {
                continue;
            }
            (x, y)
        };
        let Some(fact) = fact else { continue };
        let theirs = other.map_or(&[][..], |o| o.via);
        let mut new_ways: Vec<&Via> = fact.via.iter().filter(|v| !theirs.contains(v)).collect();
        if new_ways.is_empty() {
            new_ways = fact.via.iter().collect();
        }
        out.push(Changed {
            gained,
            fact,
            from,
            to,
            new_ways,
        });
    }
    out
}

/// The subjects whose own facts differ in level between `a` and `b` (the ways do not
/// matter to a capability's verdict), or `None` when one of them is a universal holder:
/// what every user gets moves every subject's verdicts.
///
/// A board's capabilities for a subject follow from the permissions it holds in the board's
/// projects and globally, what every user gets, and the board itself: on a board that did
/// not change itself, only these subjects' verdicts can differ between the two sides.
fn moved(a: &Access, b: &Access) -> Option<rustc_hash::FxHashSet<Holder>> {
    let (sa, sb) = union_ranks(&a.subjects, &b.subjects);
    let (ca, cb) = union_ranks(&a.scopes, &b.scopes);
    let (ta, tb) = union_ranks(&a.items, &b.items);
    let key = |side: &Access, s: &[u32], c: &[u32], t: &[u32], i: usize| {
        let p = &side.facts[i];
        (
            s[p.subject as usize],
            c[p.scope as usize],
            t[p.item as usize],
        )
    };
    let mut out = rustc_hash::FxHashSet::default();
    let (mut i, mut j) = (0, 0);
    while i < a.facts.len() || j < b.facts.len() {
        let order = match (i < a.facts.len(), j < b.facts.len()) {
            (true, true) => key(a, &sa, &ca, &ta, i).cmp(&key(b, &sb, &cb, &tb, j)),
            (true, false) => Ordering::Less,
            _ => Ordering::Greater,
        };
        let x = (order != Ordering::Greater).then(|| a.at(&a.facts[i]));
        let y = (order != Ordering::Less).then(|| b.at(&b.facts[j]));
        i += usize::from(x.is_some());
        j += usize::from(y.is_some());
        if x.map(levels) == y.map(levels) {
            continue;
        }
        let Some(subject) = x.or(y).map(|f| f.subject) else {
            continue;
        };
        if is_universal(subject) {
            return None;
        }
        out.insert(subject.clone());
    }
    Some(out)
}

fn levels(f: FactRef<'_>) -> Levels {
    (f.guaranteed, f.possible)
}

/// Each value's position in the sorted union of two sorted, deduplicated tables.
fn union_ranks<T: Ord>(a: &[T], b: &[T]) -> (Vec<u32>, Vec<u32>) {
    let (mut ra, mut rb) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    let (mut i, mut j, mut rank) = (0, 0, 0u32);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                ra.push(rank);
                rb.push(rank);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                ra.push(rank);
                i += 1;
            }
            (Some(_), None) => {
                ra.push(rank);
                i += 1;
            }
            _ => {
                rb.push(rank);
                j += 1;
            }
        }
        rank += 1;
    }
    (ra, rb)
}

/// Values stored once; ids are indexes (for grouping keys that hash cheaply).
struct Interner<T> {
    values: Vec<T>,
    ids: FxHashMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: Vec::new(),
            ids: FxHashMap::default(),
        }
    }
}

impl<T: Clone + Eq + Hash> Interner<T> {
    fn id(&mut self, v: T) -> u32 {
        if let Some(&id) = self.ids.get(&v) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.clone());
        self.ids.insert(v, id);
        id
    }
}

/// Changed facts of one direction, merged in three steps (see the module's comment).
#[derive(Default)]
struct Merge<'a> {
    facts: usize,
    causes: Interner<Vec<Cause>>,
    /// (subject, item, from, to, causes) → scopes.
    by_item: FxHashMap<(&'a Holder, &'a Item, Levels, Levels, u32), Vec<&'a Scope>>,
}

impl<'a> Merge<'a> {
    fn add(&mut self, f: FactRef<'a>, from: Levels, to: Levels, causes: Vec<Cause>) {
        self.facts += 1;
        let c = self.causes.id(causes);
        (self
            .by_item
            .entry((f.subject, f.item, from, to, c))
            .or_default())
        .push(f.scope);
    }

    fn entries(self) -> Vec<Entry> {
        let cat = PermissionCatalog::builtin();
        let mut scope_sets: Interner<Vec<&'a Scope>> = Interner::default();
        // (subject, scopes, from, to, causes, item mark) → items.
        type ByScopes<'a> = (&'a Holder, u32, Levels, Levels, u32, Option<Sensitive>);
        let mut by_scopes: FxHashMap<ByScopes<'a>, Vec<&'a Item>> = FxHashMap::default();
        for ((subject, item, from, to, c), mut scopes) in self.by_item {
            scopes.sort_unstable();
            let s = scope_sets.id(scopes);
            let mark = match item {
                Item::Permission(k) => cat.sensitive(k),
                Item::Capability(_) => None,
            };
            (by_scopes
                .entry((subject, s, from, to, c, mark))
                .or_default())
            .push(item);
        }
        let mut item_sets: Interner<Vec<&'a Item>> = Interner::default();
        // (items, scopes, from, to, causes, item mark, public) → subjects.
        type BySubjects = (u32, u32, Levels, Levels, u32, Option<Sensitive>, bool);
        let mut by_subjects: FxHashMap<BySubjects, Vec<&'a Holder>> = FxHashMap::default();
        for ((subject, s, from, to, c, mark), mut items) in by_scopes {
            items.sort_unstable();
            let i = item_sets.id(items);
            let public = matches!(subject, Holder::Anyone | Holder::ApplicationRole(_));
            (by_subjects
                .entry((i, s, from, to, c, mark, public))
                .or_default())
            .push(subject);
        }
        let mut out: Vec<Entry> = by_subjects
            .into_iter()
            .map(|((i, s, from, to, c, mark, public), mut subjects)| {
                subjects.sort_unstable();
                let mut marks = Vec::new();
                if public {
                    marks.push(Mark::Public);
                }
                marks.extend(mark.map(|m| match m {
                    Sensitive::Admin => Mark::Admin,
                    Sensitive::Delete => Mark::Delete,
                }));
                Entry {
                    marks,
                    subjects: subjects.into_iter().cloned().collect(),
                    items: item_sets.values[i as usize]
                        .iter()
                        .map(|&x| x.clone())
                        .collect(),
                    scopes: scope_sets.values[s as usize]
                        .iter()
                        .map(|&x| x.clone())
                        .collect(),
                    from,
                    to,
                    causes: self.causes.values[c as usize].clone(),
                }
            })
            .collect();
        out.sort_by(|x, y| {
            (x.marks.is_empty(), &x.marks, x).cmp(&(y.marks.is_empty(), &y.marks, y))
        });
        out
    }
}

#[cfg(test)]
mod tests;
