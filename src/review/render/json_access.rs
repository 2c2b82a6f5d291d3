//! The Access section in `review --format json`: every entry in full (no caps), names as
//! the documents spell them, causes tagged by `kind`.
use crate::access::{Item, Scope};
use crate::jira::subject::Level;
use crate::review::access::{AccessChange, Cause, Entry, Levels};
use serde::Serialize;

#[derive(Serialize)]
pub struct AccessOut<'a> {
    facts_gained: usize,
    facts_lost: usize,
    gained: Vec<EntryOut<'a>>,
    lost: Vec<EntryOut<'a>>,
}

impl<'a> AccessOut<'a> {
    pub fn of(a: &'a AccessChange) -> Self {
        AccessOut {
            facts_gained: a.facts_gained,
            facts_lost: a.facts_lost,
            gained: a.gained.iter().map(EntryOut::of).collect(),
            lost: a.lost.iter().map(EntryOut::of).collect(),
        }
    }
}

#[derive(Serialize)]
struct LevelsOut {
    guaranteed: Level,
    possible: Level,
}

impl From<Levels> for LevelsOut {
    fn from((guaranteed, possible): Levels) -> Self {
        LevelsOut {
            guaranteed,
            possible,
        }
    }
}

#[derive(Serialize)]
struct EntryOut<'a> {
    /// `public`, `admin`, `delete`.
    marks: Vec<&'static str>,
    subjects: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    permissions: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    capabilities: Vec<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    global: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    projects: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    boards: Vec<&'a str>,
    from: LevelsOut,
    to: LevelsOut,
    causes: Vec<CauseOut<'a>>,
}

impl<'a> EntryOut<'a> {
    fn of(e: &'a Entry) -> Self {
        let (mut permissions, mut capabilities) = (Vec::new(), Vec::new());
        for i in &e.items {
            match i {
                Item::Permission(k) => permissions.push(k.as_str()),
                Item::Capability(c) => capabilities.push(c.as_str()),
            }
        }
        let (mut global, mut projects, mut boards) = (false, Vec::new(), Vec::new());
        for s in &e.scopes {
            match s {
                Scope::Global => global = true,
                Scope::Project(k) => projects.push(k.as_str()),
                Scope::Board(b) => boards.push(b.as_str()),
            }
        }
        EntryOut {
            marks: e.marks.iter().map(|m| m.as_str()).collect(),
            subjects: e.subjects.iter().map(ToString::to_string).collect(),
            permissions,
            capabilities,
            global,
            projects,
            boards,
            from: e.from.into(),
            to: e.to.into(),
            causes: e.causes.iter().map(CauseOut::of).collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum CauseOut<'a> {
    SchemeSwitch {
        project: &'a str,
        from: Option<&'a str>,
        to: Option<&'a str>,
    },
    SchemeGrant {
        scheme: &'a str,
        holder: String,
    },
    GlobalGrant {
        holder: String,
    },
    RoleMember {
        project: &'a str,
        role: &'a str,
        member: String,
    },
    GroupMember {
        group: &'a str,
        member: String,
    },
    BoardProjects {
        board: &'a str,
        added: &'a [String],
        removed: &'a [String],
    },
    BoardAdmins {
        board: &'a str,
    },
    Permissions {
        board: &'a str,
    },
}

impl<'a> CauseOut<'a> {
    fn of(c: &'a Cause) -> Self {
        match c {
            Cause::SchemeSwitch { project, from, to } => CauseOut::SchemeSwitch {
                project,
                from: from.as_deref(),
                to: to.as_deref(),
            },
            Cause::SchemeGrant { scheme, holder } => CauseOut::SchemeGrant {
                scheme,
                holder: holder.to_string(),
            },
            Cause::GlobalGrant { holder } => CauseOut::GlobalGrant {
                holder: holder.to_string(),
            },
            Cause::RoleMember {
                project,
                role,
                member,
            } => CauseOut::RoleMember {
                project,
                role,
                member: member.to_string(),
            },
            Cause::GroupMember { group, member } => CauseOut::GroupMember {
                group,
                member: member.to_string(),
            },
            Cause::BoardProjects {
                board,
                added,
                removed,
            } => CauseOut::BoardProjects {
                board,
                added,
                removed,
            },
            Cause::BoardAdmins { board } => CauseOut::BoardAdmins { board },
            Cause::Permissions { board } => CauseOut::Permissions { board },
        }
    }
}
