//! The change that causes a gained or lost fact: the first link of the fact's way (a
//! [`Via`] of the side that holds it) that the other side does not have. A way is the
//! project's scheme, the scheme's grant, the role membership, then the nested group
//! memberships down to the subject; a board capability follows from the board's projects
//! and admins, or from the permissions in them.
use crate::access::{Item, Scope, Via};
use crate::document::holder::Holder;
use crate::jira::Model;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

/// One change of the repository. Direction-neutral: the entry it explains says whether
/// access is gained or lost, so "scheme S grants it to H" reads "no longer grants" there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// Project `project` uses scheme `to` instead of `from` (`None`: no project, or a scheme
    /// name that resolves to no scheme).
    SchemeSwitch {
        project: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Permission scheme `scheme` grants (the entry's permissions) to `holder`.
    SchemeGrant { scheme: String, holder: Holder },
    /// The global permissions grant (the entry's permissions) to `holder`.
    GlobalGrant { holder: Holder },
    /// Project role `role` of `project` has member `member`.
    RoleMember {
        project: String,
        role: String,
        member: Holder,
    },
    /// Group `group` has member `member`.
    GroupMember { group: String, member: Holder },
    /// Board `board` covers other projects (its `projects` or its filter changed);
    /// `added` and `removed` are project keys, base to head.
    BoardProjects {
        board: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Board `board` has other admins.
    BoardAdmins { board: String },
    /// A capability that follows from the permission changes in board `board`'s projects.
    Permissions { board: String },
}

/// A model with the look-ups causes need.
pub struct Index<'m> {
    model: &'m Model,
    projects: FxHashMap<&'m str, usize>,
    boards: FxHashMap<&'m str, usize>,
    /// (group, direct member).
    links: FxHashSet<(&'m str, &'m Holder)>,
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        Index {
            model,
            projects: (model.projects.iter().enumerate())
                .map(|(i, p)| (p.key.get_ref().as_str(), i))
                .collect(),
            boards: (model.boards.iter().enumerate())
                .rev() // the first board of a name wins, as `Model::board` finds it
                .map(|(i, b)| (b.board.name.get_ref().as_str(), i))
                .collect(),
            links: (model.groups.iter())
                .flat_map(|(g, members)| members.iter().map(move |(m, _)| (g.as_str(), m)))
                .collect(),
        }
    }

    fn scheme_name(&self, project: &str) -> Option<&'m str> {
        let p = *self.projects.get(project)?;
        self.model.scheme_of(p).map(|s| s.name.get_ref().as_str())
    }

    fn grants(&self, scheme: Option<&str>, key: &str, holder: &Holder) -> bool {
        match scheme {
            Some(name) => self
                .model
                .scheme(name)
                .is_some_and(|s| s.holders(key).iter().any(|h| &h.holder == holder)),
            None => self.model.globals.iter().any(|g| {
                (g.grants.iter().find(|gr| gr.permission.get_ref() == key))
                    .is_some_and(|gr| gr.holders.iter().any(|h| &h.holder == holder))
            }),
        }
    }

    fn in_role(&self, project: &str, role: &str, member: &Holder) -> bool {
        (self.projects.get(project))
            .and_then(|&p| self.model.projects[p].role(role))
            .is_some_and(|r| r.members.iter().any(|m| &m.holder == member))
    }

    fn board_projects(&self, board: &str) -> Option<BTreeSet<&'m str>> {
        let b = &self.model.boards[*self.boards.get(board)?];
        Some(
            b.projects()
                .map(|(p, _)| self.model.projects[p].key.get_ref().as_str())
                .collect(),
        )
    }

    fn board_admins(&self, board: &str) -> Option<BTreeSet<&'m Holder>> {
        let b = &self.model.boards[*self.boards.get(board)?];
        Some(b.board.admins.iter().map(|a| &a.holder).collect())
    }
}

/// The two sides of a fact: `now` holds it (through `via`), `other` does not (or less);
/// `gained`: `now` is the head.
pub struct Pair<'a, 'm> {
    pub now: &'a Index<'m>,
    pub other: &'a Index<'m>,
    pub gained: bool,
}

impl Pair<'_, '_> {
    /// The change that gives (or takes) `subject` `item` in `scope` through `via`.
    pub fn cause(&self, subject: &Holder, scope: &Scope, item: &Item, via: &Via) -> Cause {
        match via {
            Via::Grant {
                scheme,
                holder,
                member,
                groups,
            } => self.grant(
                subject,
                scope,
                item,
                scheme.as_deref(),
                holder,
                member,
                groups,
            ),
            Via::BoardAdmin { admin, groups } => match scope {
                Scope::Board(b)
                    if self
                        .other
                        .board_admins(b)
                        .is_some_and(|a| a.contains(admin)) =>
                {
                    self.chain(subject, admin, groups)
                        .unwrap_or_else(|| Cause::BoardAdmins { board: b.clone() })
                }
                _ => Cause::BoardAdmins {
                    board: board_name(scope),
                },
            },
            Via::Derived => self.board(&board_name(scope)),
        }
    }

    #[allow(clippy::too_many_arguments)] // the fields of one `Via::Grant`
    fn grant(
        &self,
        subject: &Holder,
        scope: &Scope,
        item: &Item,
        scheme: Option<&str>,
        holder: &Holder,
        member: &Option<Holder>,
        groups: &[String],
    ) -> Cause {
        let granted = || match scheme {
            Some(s) => Cause::SchemeGrant {
                scheme: s.to_string(),
                holder: holder.clone(),
            },
            None => Cause::GlobalGrant {
                holder: holder.clone(),
            },
        };
        if let Scope::Project(key) = scope {
            let there = self.other.scheme_name(key);
            if there != scheme {
                let (a, b) = (there.map(str::to_string), scheme.map(str::to_string));
                let (from, to) = if self.gained { (a, b) } else { (b, a) };
                return Cause::SchemeSwitch {
                    project: key.clone(),
                    from,
                    to,
                };
            }
        }
        if !self.other.grants(scheme, item.id(), holder) {
            return granted();
        }
        let top = match (holder, member, scope) {
            (Holder::Role(role), Some(m), Scope::Project(key)) => {
                if !self.other.in_role(key, role, m) {
                    return Cause::RoleMember {
                        project: key.clone(),
                        role: role.to_string(),
                        member: m.clone(),
                    };
                }
                m
            }
            _ => holder,
        };
        self.chain(subject, top, groups).unwrap_or_else(granted)
    }

    /// The first membership from `top` through `groups` down to `subject` that the other
    /// side lacks.
    fn chain(&self, subject: &Holder, top: &Holder, groups: &[String]) -> Option<Cause> {
        let Holder::Group(first) = top else {
            return None;
        };
        let mut parent = first.as_str();
        let missing = |parent: &str, child: Holder| {
            (!self.other.links.contains(&(parent, &child))).then(|| Cause::GroupMember {
                group: parent.to_string(),
                member: child,
            })
        };
        for g in groups {
            if let Some(c) = missing(parent, Holder::Group(crate::diagnostics::text::name(g))) {
                return Some(c);
            }
            parent = g;
        }
        if subject == top {
            return None;
        }
        missing(parent, subject.clone())
    }

    /// A capability's cause: the board's projects, its admins, or the permissions in it.
    fn board(&self, board: &str) -> Cause {
        let (now, other) = (
            self.now.board_projects(board),
            self.other.board_projects(board),
        );
        let (base, head) = if self.gained {
            (other, now)
        } else {
            (now, other)
        };
        let (base, head) = (base.unwrap_or_default(), head.unwrap_or_default());
        if base != head {
            return Cause::BoardProjects {
                board: board.to_string(),
                added: head.difference(&base).map(|s| s.to_string()).collect(),
                removed: base.difference(&head).map(|s| s.to_string()).collect(),
            };
        }
        if self.now.board_admins(board) != self.other.board_admins(board) {
            return Cause::BoardAdmins {
                board: board.to_string(),
            };
        }
        Cause::Permissions {
            board: board.to_string(),
        }
    }
}

fn board_name(scope: &Scope) -> String {
    match scope {
        Scope::Board(b) => b.clone(),
        other => other.to_string(),
    }
}
