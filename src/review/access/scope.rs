//! What a change can reach: the projects and boards whose facts may differ between two
//! models. Building only those on both sides gives the same diff as building everything
//! (the facts of any other scope are equal on both sides), at the cost of the change. The
//! projects of reached boards are read as inputs (their facts are equal on both sides);
//! boards changed themselves (their projects, admins, kind or workflow) are marked for
//! judging every subject.
//!
//! A project's facts follow from its document (scheme name, roles, workflow), its
//! scheme's grants, and the members of the groups those name; a board's capabilities from
//! its projects, its admins, the global permissions, the capability definitions and the
//! platform. A group's members change for the group and every group that contains it.
//! When in doubt (two documents of one name, other capabilities or platform) everything is
//! built.
use crate::access::{Only, Part};
use crate::document::holder::{Holder, SpannedHolder};
use crate::document::permission_scheme::Grant;
use crate::jira::capability::Req;
use crate::jira::Model;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

/// The scopes whose facts may differ between `a` and `b`.
pub fn reach(a: &Model, b: &Model) -> Only {
    if a.platform != b.platform || !same_capabilities(a, b) {
        return Only::All;
    }
    let (Some(ka), Some(kb)) = (Keys::of(a), Keys::of(b)) else {
        return Only::All;
    };
    let groups = changed_groups(a, b);
    let touches = |holders: &[SpannedHolder]| {
        (holders.iter())
            .any(|h| matches!(&h.holder, Holder::Group(g) if groups.contains(g.as_str())))
    };
    let grants_touch = |grants: &[Grant]| grants.iter().any(|g| touches(&g.holders));
    let global = !same_globals(a, b)
        || (a.globals.iter().chain(&b.globals)).any(|g| grants_touch(&g.grants));
    let scheme_dirty = |name: &str| match (a.scheme(name), b.scheme(name)) {
        (Some(x), Some(y)) => {
            !same_grants(&x.grants, &y.grants) || grants_touch(&x.grants) || grants_touch(&y.grants)
        }
        (None, None) => false,
        _ => true,
    };
    let mut schemes: FxHashMap<&str, bool> = FxHashMap::default();
    let mut projects: FxHashSet<String> = FxHashSet::default();
    // Projects whose workflow differs: a capability may name it (not a permission fact).
    let mut reworked: FxHashSet<&str> = FxHashSet::default();
    for key in ka.projects.keys().chain(kb.projects.keys()) {
        let (pa, pb) = (ka.projects.get(key), kb.projects.get(key));
        let dirty = match (pa, pb) {
            (Some(&x), Some(&y)) => {
                let (x, y) = (&a.projects[x], &b.projects[y]);
                if x.simplified != y.simplified {
                    reworked.insert(key);
                }
                let roles_touch = |p: &crate::document::project::Project| {
                    p.roles.iter().any(|r| touches(&r.members))
                };
                x.permission_scheme.get_ref() != y.permission_scheme.get_ref()
                    || x.simplified != y.simplified
                    || !same_roles(x, y)
                    || roles_touch(x)
                    || roles_touch(y)
                    || *schemes
                        .entry(x.permission_scheme.get_ref().as_str())
                        .or_insert_with(|| scheme_dirty(x.permission_scheme.get_ref()))
            }
            _ => true,
        };
        if dirty {
            projects.insert(key.to_string());
        }
    }
    // Complex boards cover every project of their side: compared and extended as a whole
    // (one key set per side) instead of copying thousands of keys per board.
    let same_keys = ka.projects.len() == kb.projects.len()
        && ka.projects.keys().all(|k| kb.projects.contains_key(k));
    let dirty_in = [
        projects
            .iter()
            .any(|k| ka.projects.contains_key(k.as_str())),
        projects
            .iter()
            .any(|k| kb.projects.contains_key(k.as_str())),
    ];
    let mut boards: FxHashSet<String> = FxHashSet::default();
    let mut board_projects: FxHashSet<String> = FxHashSet::default();
    let mut every = [false, false];
    let mut every_subject: FxHashSet<String> = FxHashSet::default();
    for name in ka.boards.keys().chain(kb.boards.keys()) {
        let sides = [(a, ka.boards.get(name)), (b, kb.boards.get(name))];
        let covered: Vec<Cover> = (sides.iter())
            .map(|(m, i)| i.map_or(Cover::Listed(BTreeSet::new()), |&i| Cover::of(m, i)))
            .collect();
        let admins: Vec<Vec<&Holder>> = (sides.iter())
            .map(|(m, i)| {
                i.map(|&i| m.boards[i].board.admins.iter().map(|h| &h.holder).collect())
                    .unwrap_or_default()
            })
            .collect();
        let kinds: Vec<Option<(bool, Option<&String>)>> = (sides.iter())
            .map(|(m, i)| {
                i.map(|&i| {
                    let v = &m.boards[i];
                    (
                        v.complex(),
                        v.board.board_type.as_ref().map(|t| t.get_ref()),
                    )
                })
            })
            .collect();
        let same_cover = match (&covered[0], &covered[1]) {
            (Cover::Every, Cover::Every) => same_keys,
            (Cover::Listed(x), Cover::Listed(y)) => x == y,
            (Cover::Every, Cover::Listed(l)) | (Cover::Listed(l), Cover::Every) => {
                let all = if matches!(covered[0], Cover::Every) {
                    &ka
                } else {
                    &kb
                };
                l.len() == all.projects.len() && all.projects.keys().all(|k| l.contains(k))
            }
        };
        let reaches_dirty = (covered.iter().enumerate()).any(|(side, c)| match c {
            Cover::Every => dirty_in[side],
            Cover::Listed(l) => l.iter().any(|k| projects.contains(*k)),
        });
        let reworked_in = (covered.iter().enumerate()).any(|(side, c)| match c {
            Cover::Every => [&ka, &kb][side]
                .projects
                .keys()
                .any(|k| reworked.contains(k)),
            Cover::Listed(l) => l.iter().any(|k| reworked.contains(*k)),
        });
        // Changed itself, not only through its projects' permissions: every subject's
        // verdict may change, not only those whose permissions do.
        let redefined = kinds[0] != kinds[1]
            || !same_cover
            || admins[0] != admins[1]
            || (admins.iter().flatten())
                .any(|h| matches!(h, Holder::Group(g) if groups.contains(g.as_str())))
            || reworked_in;
        if redefined {
            every_subject.insert(name.to_string());
        }
        if global || redefined || reaches_dirty {
            boards.insert(name.to_string());
            for (side, c) in covered.iter().enumerate() {
                match c {
                    Cover::Every => every[side] = true,
                    Cover::Listed(l) => board_projects.extend(l.iter().map(|k| k.to_string())),
                }
            }
        }
    }
    for (side, k) in [&ka, &kb].into_iter().enumerate() {
        if every[side] {
            board_projects.extend(k.projects.keys().map(|k| k.to_string()));
        }
    }
    board_projects.retain(|k| !projects.contains(k));
    Only::Part(Part {
        projects,
        boards,
        inputs: board_projects,
        subjects: None,
        every_subject,
    })
}

/// Each name's index, or `None` when two documents share a key or name.
struct Keys<'m> {
    projects: FxHashMap<&'m str, usize>,
    boards: FxHashMap<&'m str, usize>,
}

impl<'m> Keys<'m> {
    fn of(m: &'m Model) -> Option<Self> {
        let projects: FxHashMap<&str, usize> = (m.projects.iter().enumerate())
            .map(|(i, p)| (p.key.get_ref().as_str(), i))
            .collect();
        let boards: FxHashMap<&str, usize> = (m.boards.iter().enumerate())
            .map(|(i, b)| (b.board.name.get_ref().as_str(), i))
            .collect();
        let schemes: FxHashSet<&str> = m
            .schemes
            .iter()
            .map(|s| s.name.get_ref().as_str())
            .collect();
        (projects.len() == m.projects.len()
            && boards.len() == m.boards.len()
            && schemes.len() == m.schemes.len())
        .then_some(Keys { projects, boards })
    }
}

/// The projects a board covers on one side: every project of the model (a complex
/// filter), or the keys it lists.
enum Cover<'m> {
    Every,
    Listed(BTreeSet<&'m str>),
}

impl<'m> Cover<'m> {
    fn of(m: &'m Model, board: usize) -> Self {
        let view = &m.boards[board];
        if view.complex() && view.project_count() == m.projects.len() {
            return Cover::Every;
        }
        Cover::Listed(
            (view.projects())
                .map(|(p, _)| m.projects[p].key.get_ref().as_str())
                .collect(),
        )
    }
}

/// Groups whose direct members differ, and every group containing one (on either side).
fn changed_groups<'m>(a: &'m Model, b: &'m Model) -> FxHashSet<&'m str> {
    let members = |m: &'m Model, g: &str| -> Option<Vec<&'m Holder>> {
        m.groups.get(g).map(|v| v.iter().map(|(h, _)| h).collect())
    };
    let mut out: FxHashSet<&str> = (a.groups.keys().chain(b.groups.keys()))
        .filter(|g| members(a, g) != members(b, g))
        .map(String::as_str)
        .collect();
    let mut todo: Vec<&str> = out.iter().copied().collect();
    while let Some(g) = todo.pop() {
        for m in [a, b] {
            for parent in m.groups_of(&Holder::Group(crate::diagnostics::text::name(g))) {
                if let Some((k, _)) = m.groups.get_key_value(parent) {
                    if out.insert(k.as_str()) {
                        todo.push(k.as_str());
                    }
                }
            }
        }
    }
    out
}

fn holders(h: &[SpannedHolder]) -> impl Iterator<Item = &Holder> + '_ {
    h.iter().map(|h| &h.holder)
}

fn same_grants(x: &[Grant], y: &[Grant]) -> bool {
    x.len() == y.len()
        && x.iter().zip(y).all(|(g, h)| {
            g.permission.get_ref() == h.permission.get_ref()
                && holders(&g.holders).eq(holders(&h.holders))
        })
}

fn same_globals(a: &Model, b: &Model) -> bool {
    a.globals.len() == b.globals.len()
        && (a.globals.iter().zip(&b.globals)).all(|(x, y)| same_grants(&x.grants, &y.grants))
}

fn same_roles(
    x: &crate::document::project::Project,
    y: &crate::document::project::Project,
) -> bool {
    x.roles.len() == y.roles.len()
        && x.roles.iter().zip(&y.roles).all(|(r, s)| {
            r.role.get_ref() == s.role.get_ref() && holders(&r.members).eq(holders(&s.members))
        })
}

fn same_capabilities(a: &Model, b: &Model) -> bool {
    a.capabilities.len() == b.capabilities.len()
        && (a.capabilities.iter().zip(&b.capabilities))
            .all(|(x, y)| x.id.get_ref() == y.id.get_ref() && same_req(&x.requires, &y.requires))
}

fn same_req(x: &Req, y: &Req) -> bool {
    match (x, y) {
        (Req::AllOf(a), Req::AllOf(b)) | (Req::AnyOf(a), Req::AnyOf(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(p, q)| same_req(p, q))
        }
        (Req::Atom(p), Req::Atom(q)) => p.kind == q.kind && p.platform == q.platform,
        _ => false,
    }
}
