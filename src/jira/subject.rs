//! Does a `who` (`group:`, `role:` or `user:`) hold a permission in a project? Through the
//! same holder, a project role whose members include it, `anyone`, any logged-in user, or a
//! group it belongs to (nested groups followed, cycle-safe). The answer carries its
//! derivation so messages and `rolelint why` can show it.
use super::words as w;
use super::Model;
use crate::diagnostics::source::{FileId, Location};
use crate::document::holder::{Holder, SpannedHolder};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// How surely a subject holds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Never,
    /// Only through dynamic holders (reporter, assignee, project lead, custom fields).
    Sometimes,
    Always,
}

impl Level {
    pub fn word(self) -> &'static str {
        use crate::jira::words as w;
        match self {
            Self::Never => w::LevelNever::TEXT,
            Self::Sometimes => w::LevelSometimes::TEXT,
            Self::Always => w::LevelAlways::TEXT,
        }
    }
}

/// One way the subject gets (or may get) the permission.
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    pub level: Level,
    /// The grant's holder as written.
    pub holder: String,
    /// Human steps: the grant, then the memberships.
    pub steps: Vec<String>,
    #[serde(skip)]
    pub location: Location,
}

/// All the ways a subject holds a permission; `level` is the best of them.
#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub level: Level,
    pub paths: Vec<Path>,
}

/// A `who` with the groups it belongs to, computed once and reused for every project
/// of a board (the hot path of board expectations).
pub struct Subject<'a> {
    pub who: &'a Holder,
    /// Usually a handful: a linear scan beats hashing on this hot path.
    groups: Vec<&'a str>,
}

impl<'a> Subject<'a> {
    pub fn new(model: &'a Model, who: &'a Holder) -> Self {
        Self {
            who,
            groups: model.groups_of(who).into_iter().collect(),
        }
    }

    /// Is the subject covered by a member entry (`group:` or `user:`)?
    fn covered(&self, member: &Holder) -> bool {
        match member {
            Holder::Group(g) => {
                matches!(self.who, Holder::Group(w) if w == g) || self.groups.contains(&g.as_str())
            }
            Holder::User(_) => member == self.who,
            _ => false,
        }
    }
}

/// Is `who` (transitively) a member of group `group`?
pub fn is_in_group(model: &Model, who: &Holder, group: &str) -> bool {
    matches!(who, Holder::Group(g) if g == group) || model.groups_of(who).contains(group)
}

/// How surely the subject holds project permission `key` in `project`, without the derivation.
pub fn level(model: &Model, subject: &Subject, project: usize, key: &str) -> Level {
    match model.scheme_of(project) {
        Some(scheme) => level_in(model, subject, project, scheme.holders(key)),
        None => Level::Never,
    }
}

/// [`level`] given the holders the project's scheme grants the permission to.
pub fn level_in(
    model: &Model,
    subject: &Subject,
    project: usize,
    holders: &[SpannedHolder],
) -> Level {
    let mut best = Level::Never;
    for h in holders {
        let l = match &h.holder {
            Holder::Anyone | Holder::ApplicationRole(_) => Level::Always,
            m @ (Holder::Group(_) | Holder::User(_)) => {
                if subject.covered(m) {
                    Level::Always
                } else {
                    Level::Never
                }
            }
            role @ Holder::Role(r) => {
                let member = matches!(subject.who, Holder::Role(_)) && role == subject.who
                    || model.projects[project]
                        .role(r)
                        .is_some_and(|rm| rm.members.iter().any(|m| subject.covered(&m.holder)));
                if member {
                    Level::Always
                } else {
                    Level::Never
                }
            }
            _ => Level::Sometimes,
        };
        best = best.max(l);
        if best == Level::Always {
            break;
        }
    }
    best
}

/// Who gets one permission in which project, inverted: the verdicts of one `who` over every
/// project (a board with a complex filter spans them all) then cost a few look-ups instead
/// of scanning every project's grants. Agrees with [`level_in`] project by project (tested).
pub struct Grantees<'m> {
    /// Per project: the level whoever asks (`anyone`, application roles, dynamic holders).
    base: Vec<Level>,
    /// Group → the projects granting it directly or through a project role it is in.
    groups: FxHashMap<&'m str, Vec<usize>>,
    /// User → the same.
    users: FxHashMap<&'m str, Vec<usize>>,
    /// Project role → the projects granting that role.
    roles: FxHashMap<&'m str, Vec<usize>>,
}

impl<'m> Grantees<'m> {
    pub fn new(model: &'m Model, key: &str) -> Self {
        let mut g = Self {
            base: vec![Level::Never; model.projects.len()],
            groups: FxHashMap::default(),
            users: FxHashMap::default(),
            roles: FxHashMap::default(),
        };
        let holders: Vec<&[SpannedHolder]> = model.schemes.iter().map(|s| s.holders(key)).collect();
        for (p, scheme) in model.project_scheme.iter().enumerate() {
            for h in scheme
                .and_then(|s| holders.get(s))
                .copied()
                .unwrap_or_default()
            {
                match &h.holder {
                    Holder::Anyone | Holder::ApplicationRole(_) => g.base[p] = Level::Always,
                    m @ (Holder::Group(_) | Holder::User(_)) => g.add_member(m, p),
                    Holder::Role(r) => {
                        g.roles.entry(r.as_str()).or_default().push(p);
                        for m in model.projects[p].role(r).map_or(&[][..], |rm| &rm.members) {
                            g.add_member(&m.holder, p);
                        }
                    }
                    _ => g.base[p] = g.base[p].max(Level::Sometimes),
                }
            }
        }
        g
    }

    fn add_member(&mut self, member: &'m Holder, project: usize) {
        let (map, name) = match member {
            Holder::Group(name) => (&mut self.groups, name),
            Holder::User(name) => (&mut self.users, name),
            _ => return, // no other form covers a subject
        };
        map.entry(name.as_str()).or_default().push(project);
    }

    /// The subject's level in every project of the model, indexed like `Model::projects`.
    pub fn levels(&self, subject: &Subject) -> Vec<Level> {
        let mut out = self.base.clone();
        let mut grant = |projects: Option<&Vec<usize>>| {
            for &p in projects.map_or(&[][..], Vec::as_slice) {
                out[p] = Level::Always;
            }
        };
        match subject.who {
            Holder::Group(g) => grant(self.groups.get(g.as_str())),
            Holder::User(u) => grant(self.users.get(u.as_str())),
            Holder::Role(r) => grant(self.roles.get(r.as_str())),
            _ => {}
        }
        for g in &subject.groups {
            grant(self.groups.get(g));
        }
        out
    }
}

/// If `who` is (transitively) a member of group `group`, the chain of memberships.
pub fn in_group(model: &Model, who: &Holder, group: &str) -> Option<Vec<String>> {
    if matches!(who, Holder::Group(g) if g == group) {
        return Some(Vec::new());
    }
    if !is_in_group(model, who, group) {
        return None;
    }
    // Breadth-first from `group` down through its member groups; `parent` records the way.
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut queue = VecDeque::from([group.to_string()]);
    let mut seen = std::collections::HashSet::from([group.to_string()]);
    while let Some(g) = queue.pop_front() {
        for (member, _) in model.groups.get(&g).map_or(&[][..], Vec::as_slice) {
            if member == who {
                let who = &who.to_string();
                let mut chain = vec![w::InGroup { who, group: &g }.text().into()];
                let mut cur = g.clone();
                while let Some(p) = parent.get(&cur) {
                    let (group, parent) = (cur.as_str(), p.as_str());
                    chain.push(w::GroupInGroup { group, parent }.text().into());
                    cur = p.clone();
                }
                return Some(chain);
            }
            if let Holder::Group(inner) = member {
                if seen.insert(inner.to_string()) {
                    parent.insert(inner.to_string(), g.clone());
                    queue.push_back(inner.to_string());
                }
            }
        }
    }
    None
}

/// Is `who` covered by a member entry (`group:` or `user:`) of a list (role, admins)?
pub fn covered_by(model: &Model, who: &Holder, member: &Holder) -> Option<Vec<String>> {
    match member {
        Holder::Group(g) => in_group(model, who, g),
        Holder::User(_) if member == who => Some(Vec::new()),
        _ => None,
    }
}

/// How `who` matches one holder of a grant in `project` (for role holders).
fn match_holder(
    model: &Model,
    who: &Holder,
    h: &SpannedHolder,
    project: Option<usize>,
) -> Option<(Level, Vec<String>)> {
    let holder = &h.holder;
    match holder {
        Holder::Anyone => Some((Level::Always, vec![w::Anyone::TEXT.into()])),
        Holder::ApplicationRole(None) => Some((Level::Always, vec![w::AnyLoggedIn::TEXT.into()])),
        Holder::ApplicationRole(Some(app)) => {
            let holder = &holder.to_string();
            let step = w::ApplicationAccess { holder, app }.text();
            Some((Level::Always, vec![step.into()]))
        }
        Holder::Group(_) | Holder::User(_) => {
            covered_by(model, who, holder).map(|c| (Level::Always, c))
        }
        Holder::Role(r) => {
            if who == holder {
                return Some((Level::Always, Vec::new()));
            }
            let p = &model.projects[project?];
            let role = p.role(r)?;
            role.members.iter().find_map(|m| {
                let chain = covered_by(model, who, &m.holder)?;
                let step = w::RoleIncludes {
                    key: p.key.get_ref(),
                    role: r,
                    member: &m.holder.to_string(),
                };
                let mut steps = vec![step.text().into()];
                steps.extend(chain);
                Some((Level::Always, steps))
            })
        }
        dynamic => {
            let holder = &dynamic.to_string();
            Some((
                Level::Sometimes,
                vec![w::DynamicHolder { holder }.text().into()],
            ))
        }
    }
}

fn collect(
    model: &Model,
    who: &Holder,
    holders: &[SpannedHolder],
    file: FileId,
    project: Option<usize>,
    grant: &dyn Fn(&Holder) -> String,
) -> Held {
    let mut paths = Vec::new();
    for h in holders {
        if let Some((level, chain)) = match_holder(model, who, h, project) {
            let mut steps = vec![grant(&h.holder)];
            steps.extend(chain);
            paths.push(Path {
                level,
                holder: h.holder.to_string(),
                steps,
                location: Location::new(file, h.span.clone()),
            });
        }
    }
    // Ordinary grants first: they decide, dynamic ones only add "sometimes".
    paths.sort_by_key(|p| std::cmp::Reverse(p.level));
    let level = paths.first().map_or(Level::Never, |p| p.level);
    Held { level, paths }
}

/// Does `who` hold project permission `key` in project `project`?
pub fn holds(model: &Model, who: &Holder, project: usize, key: &str) -> Held {
    let Some(scheme) = model.scheme_of(project) else {
        return Held {
            level: Level::Never,
            paths: Vec::new(),
        };
    };
    let name = model.permission_name(key);
    let grant = |h: &Holder| {
        let (scheme, holder) = (scheme.name.get_ref().as_str(), &h.to_string());
        w::SchemeGrants {
            scheme,
            name: &name,
            holder,
        }
        .text()
        .into()
    };
    collect(
        model,
        who,
        scheme.holders(key),
        scheme.file,
        Some(project),
        &grant,
    )
}

/// Does `who` hold global permission `key`?
pub fn holds_global(model: &Model, who: &Holder, key: &str) -> Held {
    let name = model.permission_name(key);
    let mut all = Held {
        level: Level::Never,
        paths: Vec::new(),
    };
    for g in &model.globals {
        let Some(grant) = g.grants.iter().find(|gr| gr.permission.get_ref() == key) else {
            continue;
        };
        let text = |h: &Holder| {
            let holder = &h.to_string();
            w::GlobalsGrant {
                name: &name,
                holder,
            }
            .text()
            .into()
        };
        let held = collect(model, who, &grant.holders, g.file, None, &text);
        all.level = all.level.max(held.level);
        all.paths.extend(held.paths);
    }
    all
}

/// Is `who` an admin of the board?
pub fn is_board_admin(model: &Model, who: &Holder, admins: &[SpannedHolder], file: FileId) -> Held {
    let text = |h: &Holder| -> String {
        let holder = &h.to_string();
        w::AdminsInclude { holder }.text().into()
    };
    let _ = model;
    let mut paths = Vec::new();
    for a in admins {
        if let Some(chain) = covered_by(model, who, &a.holder) {
            let mut steps = vec![text(&a.holder)];
            steps.extend(chain);
            paths.push(Path {
                level: Level::Always,
                holder: a.holder.to_string(),
                steps,
                location: Location::new(file, a.span.clone()),
            });
        }
    }
    let level = if paths.is_empty() {
        Level::Never
    } else {
        Level::Always
    };
    Held { level, paths }
}
