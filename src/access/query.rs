//! The facts `rolelint access` shows: filtered, and for `--who` folded with what every user
//! gets.
use super::{is_universal, Access, Fact, FactRef, Item, Only, Part, Scope};
use crate::document::holder::Holder;
use crate::jira::Model;

/// What to show. Scopes (`project`, `board`) combine with "or", items (`permission`,
/// `capability`) with "or", and the three dimensions (who, scope, item) with "and".
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub who: Option<Holder>,
    /// A project key as the repository spells it.
    pub project: Option<String>,
    pub board: Option<String>,
    pub permission: Option<String>,
    pub capability: Option<String>,
}

/// A fact as shown: for `--who`, the subject's own fact merged with the universal ones.
pub type Row<'a> = FactRef<'a>;

impl Filter {
    fn scope(&self, s: &Scope) -> bool {
        if self.project.is_none() && self.board.is_none() {
            return true;
        }
        match s {
            Scope::Project(k) => self.project.as_ref() == Some(k),
            Scope::Board(b) => self.board.as_ref() == Some(b),
            Scope::Global => false,
        }
    }

    fn item(&self, i: &Item) -> bool {
        if self.permission.is_none() && self.capability.is_none() {
            return true;
        }
        match i {
            Item::Permission(k) => self.permission.as_ref() == Some(k),
            Item::Capability(c) => self.capability.as_ref() == Some(c),
        }
    }

    fn keeps(&self, f: &FactRef<'_>) -> bool {
        self.scope(f.scope) && self.item(f.item)
    }

    /// What a build needs for the rows this filter selects: the projects and boards it can
    /// show (a board's projects are read to judge it). A subject's rows fold in the
    /// universal holders' facts, and which subjects exist is asked of the whole model, so
    /// `--who` builds everything.
    pub fn only(&self, model: &Model) -> Only {
        if self.who.is_some() {
            return Only::All;
        }
        let keys = || model.projects.iter().map(|p| p.key.get_ref().clone());
        let scoped = self.project.is_some() || self.board.is_some();
        let items = self.permission.is_some() || self.capability.is_some();
        let permissions = !items || self.permission.is_some();
        let capabilities = !items || self.capability.is_some();
        let projects: rustc_hash::FxHashSet<String> = match (permissions, scoped) {
            (false, _) => Default::default(),
            (true, true) => self.project.iter().cloned().collect(),
            (true, false) => keys().collect(),
        };
        let boards: rustc_hash::FxHashSet<String> = match (capabilities, scoped) {
            (false, _) => Default::default(),
            (true, true) => self.board.iter().cloned().collect(),
            (true, false) => (model.boards.iter())
                .map(|b| b.board.name.get_ref().clone())
                .collect(),
        };
        let inputs = if boards.is_empty() {
            Default::default()
        } else {
            keys().filter(|k| !projects.contains(k)).collect()
        };
        Only::Part(Part {
            projects,
            boards,
            inputs,
            subjects: None,
            every_subject: Default::default(),
        })
    }
}

/// The rows a filter selects, sorted like the model (subject, scope, item): indexes into
/// the facts of an [`Access`] (an unfiltered answer is millions of facts, none copied), or a
/// subject's effective rows (its own facts merged with the universal ones).
pub enum Rows<'a> {
    Picked { access: &'a Access, facts: Vec<u32> },
    Merged(&'a [Fact]),
}

impl<'a> Rows<'a> {
    pub fn len(&self) -> usize {
        match self {
            Rows::Picked { facts, .. } => facts.len(),
            Rows::Merged(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th row (`i < len`).
    pub fn get(&self, i: usize) -> Row<'a> {
        match self {
            Rows::Picked { access, facts } => access.at(&access.facts[facts[i] as usize]),
            Rows::Merged(rows) => rows[i].as_ref(),
        }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Row<'a>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The rows `filter` selects, sorted like the model (subject, scope, item).
///
/// Rows are indexes into `access`, or borrow from `merged` (a subject's effective rows,
/// which merge its own facts with the universal ones).
pub fn select<'a>(access: &'a Access, filter: &Filter, merged: &'a mut Vec<Fact>) -> Rows<'a> {
    let range = match &filter.who {
        None => 0..access.facts.len(),
        Some(who) if is_universal(who) => access.range_of(who),
        Some(who) => {
            *merged = effective(access, who, filter);
            return Rows::Merged(merged);
        }
    };
    let facts = (range.start as u32..range.end as u32)
        .filter(|&i| filter.keeps(&access.at(&access.facts[i as usize])))
        .collect();
    Rows::Picked { access, facts }
}

/// `who`'s own facts and the universal ones, one row per (scope, item) with the best
/// levels and every way.
fn effective(access: &Access, who: &Holder, filter: &Filter) -> Vec<Fact> {
    let mut rows: Vec<Fact> = Vec::new();
    for s in std::iter::once(who).chain(access.universal_subjects()) {
        rows.extend(
            access
                .of(s)
                .filter(|f| filter.keeps(f))
                .map(|f| f.to_fact()),
        );
    }
    rows.sort_by(|a, b| (&a.scope, &a.item).cmp(&(&b.scope, &b.item)));
    let mut out: Vec<Fact> = Vec::with_capacity(rows.len());
    for mut r in rows {
        r.subject = who.clone();
        match out.last_mut() {
            Some(last) if last.scope == r.scope && last.item == r.item => {
                last.guaranteed = last.guaranteed.max(r.guaranteed);
                last.possible = last.possible.max(r.possible);
                last.via.append(&mut r.via);
                last.via.sort();
                last.via.dedup();
            }
            _ => out.push(r),
        }
    }
    out
}
