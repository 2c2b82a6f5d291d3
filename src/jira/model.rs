//! The joined Jira documents with their look-up indexes.
use super::capability::Capability;
use crate::config::Platform;
use crate::diagnostics::source::Location;
use crate::diagnostics::text::Text;
use crate::document::board::Board;
use crate::document::global_permissions::GlobalPermissions;
use crate::document::holder::Holder;
use crate::document::permission_scheme::PermissionScheme;
use crate::document::project::Project;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// Everything the Jira rules and `why` need.
#[derive(Debug, Default)]
pub struct Model {
    pub platform: Platform,
    pub schemes: Vec<PermissionScheme>,
    pub globals: Vec<GlobalPermissions>,
    pub projects: Vec<Project>,
    /// The scheme of each project (index into `schemes`), when it resolves.
    pub project_scheme: Vec<Option<usize>>,
    pub boards: Vec<BoardView>,
    /// Group name → its direct members (merged over every `jira-groups` file).
    pub groups: BTreeMap<String, Vec<(Holder, Location)>>,
    pub capabilities: Vec<Capability>,
    pub(crate) scheme_index: FxHashMap<String, usize>,
    pub(crate) project_index: FxHashMap<String, usize>,
    /// Project id (`id` of `jira-project`) → project.
    pub(crate) project_ids: FxHashMap<u64, usize>,
    /// Lower-cased project name → the first project of that name (preferring one whose key
    /// is not that name).
    pub(crate) name_index: FxHashMap<String, usize>,
    /// Member → the groups listing it directly (the reverse of `groups`), built on first use.
    pub(crate) member_of: std::sync::OnceLock<FxHashMap<Holder, Vec<String>>>,
    /// Every group, project role and user some document names.
    pub subjects: Subjects,
}

/// The groups, project roles and users the repository names anywhere: in a grant (scheme
/// or global permissions), a project role (its name and members), a `jira-groups` document
/// (its groups and their members) or a board's `admins`. A `who` named nowhere else is
/// most likely misspelt: rolelint knows nothing it holds.
#[derive(Debug, Default)]
pub struct Subjects {
    groups: FxHashSet<Text>,
    roles: FxHashSet<Text>,
    users: FxHashSet<Text>,
}

impl Subjects {
    /// Record a holder named by some document.
    pub fn add(&mut self, h: &Holder) {
        match h {
            Holder::Group(n) => self.add_group(n),
            Holder::Role(n) => self.add_role(n),
            Holder::User(n) => {
                self.users.insert(n.clone());
            }
            _ => {}
        }
    }

    pub fn add_group(&mut self, name: &str) {
        self.groups.insert(crate::diagnostics::text::name(name));
    }

    pub fn add_role(&mut self, name: &str) {
        self.roles.insert(crate::diagnostics::text::name(name));
    }

    /// Is a group, role or user named somewhere? Other holder forms always count as known.
    pub fn knows(&self, h: &Holder) -> bool {
        match h {
            Holder::Group(n) => self.groups.contains(n),
            Holder::Role(n) => self.roles.contains(n),
            Holder::User(n) => self.users.contains(n),
            _ => true,
        }
    }

    /// The closest named subject of the same form (`group:platform-sms`), if one is close.
    pub fn suggestion(&self, h: &Holder) -> Option<Holder> {
        let (names, make): (&FxHashSet<Text>, fn(Text) -> Holder) = match h {
            Holder::Group(_) => (&self.groups, Holder::Group),
            Holder::Role(_) => (&self.roles, Holder::Role),
            Holder::User(_) => (&self.users, Holder::User),
            _ => return None,
        };
        let (Holder::Group(n) | Holder::Role(n) | Holder::User(n)) = h else {
            return None;
        };
        crate::diagnostics::suggest::did_you_mean(n, names.iter().map(Text::as_str))
            .map(|s| make(crate::diagnostics::text::name(s)))
    }

    /// "`group:stakeholdrs` is named nowhere in the repository (no grant, role membership,
    /// group or board admin names it); did you mean `group:stakeholders`?"
    pub fn unknown_sentence(&self, h: &Holder) -> String {
        use crate::jira::words as w;
        let mut m: String = w::WhyUnknownSubject {
            who: &h.to_string(),
        }
        .text()
        .into();
        if let Some(s) = self.suggestion(h) {
            m.push_str(
                &w::WhyDidYouMean {
                    suggestion: &s.to_string(),
                }
                .text(),
            );
        }
        m
    }
}

/// A board with the projects it covers.
#[derive(Debug)]
pub struct BoardView {
    pub board: Board,
    /// The projects the board lists or its filter names (none when the filter is complex).
    listed: Vec<BoardProject>,
    /// The filter is complex: the board counts every project of the repository (this
    /// many), all through the filter at this location. Not spelled out as a list: that
    /// would be every project once per such board.
    every: Option<(usize, Location)>,
}

impl BoardView {
    /// A board over the projects it names.
    pub fn listing(board: Board, listed: Vec<BoardProject>) -> Self {
        Self {
            board,
            listed,
            every: None,
        }
    }

    /// A board whose complex filter (at `at`) spans all `count` projects of the repository.
    pub fn spanning_all(board: Board, count: usize, at: Location) -> Self {
        Self {
            board,
            listed: Vec::new(),
            every: Some((count, at)),
        }
    }

    /// The filter is complex: the board covers every project of the repository.
    pub fn complex(&self) -> bool {
        self.every.is_some()
    }

    /// How many projects the board covers.
    pub fn project_count(&self) -> usize {
        match &self.every {
            Some((count, _)) => *count,
            None => self.listed.len(),
        }
    }

    /// The board's `i`th project (an index into `Model::projects`) and where it is named.
    pub fn project(&self, i: usize) -> (usize, &Location) {
        match &self.every {
            Some((_, at)) => (i, at),
            None => (self.listed[i].project, &self.listed[i].location),
        }
    }

    /// Every project of the board, in order, with where it is named.
    pub fn projects(&self) -> impl Iterator<Item = (usize, &Location)> + '_ {
        (0..self.project_count()).map(|i| self.project(i))
    }
}

/// One project of a board and where the board names it.
#[derive(Debug, Clone)]
pub struct BoardProject {
    pub project: usize,
    pub location: Location,
}

impl Model {
    pub fn scheme(&self, name: &str) -> Option<&PermissionScheme> {
        self.scheme_index.get(name).map(|&i| &self.schemes[i])
    }

    /// A project by key or name, ignoring case (as JQL does).
    pub fn project(&self, key_or_name: &str) -> Option<usize> {
        self.project_index.get(&key_or_name.to_lowercase()).copied()
    }

    /// A project by its numeric Jira id.
    pub fn project_by_id(&self, id: u64) -> Option<usize> {
        self.project_ids.get(&id).copied()
    }

    /// When `value` is one project's key and another project's name (ignoring case, as JQL
    /// does): (the project with that key, the project with that name).
    pub fn key_and_other_name(&self, value: &str) -> Option<(usize, usize)> {
        let value = value.to_lowercase();
        let named = *self.name_index.get(&value)?;
        let keyed = *self.project_index.get(&value)?;
        if self.projects[keyed].key.get_ref().to_lowercase() != value {
            return None; // only a name
        }
        (keyed != named).then_some((keyed, named))
    }

    pub fn scheme_of(&self, project: usize) -> Option<&PermissionScheme> {
        self.project_scheme
            .get(project)
            .copied()
            .flatten()
            .map(|i| &self.schemes[i])
    }

    pub fn board(&self, name: &str) -> Option<&BoardView> {
        self.boards.iter().find(|b| b.board.name.get_ref() == name)
    }

    pub fn capability(&self, id: &str) -> Option<&Capability> {
        self.capabilities.iter().find(|c| c.id.get_ref() == id)
    }

    /// Every group `who` belongs to, directly or through nested groups (cycle-safe).
    pub fn groups_of(&self, who: &Holder) -> FxHashSet<&str> {
        let parents = self.member_of.get_or_init(|| {
            let mut m: FxHashMap<Holder, Vec<String>> = FxHashMap::default();
            for (group, members) in &self.groups {
                for (member, _) in members {
                    m.entry(member.clone()).or_default().push(group.clone());
                }
            }
            m
        });
        let mut out = FxHashSet::default();
        let mut todo: Vec<Holder> = vec![who.clone()];
        while let Some(h) = todo.pop() {
            for g in parents.get(&h).map_or(&[][..], Vec::as_slice) {
                if out.insert(g.as_str()) {
                    todo.push(Holder::Group(crate::diagnostics::text::name(g)));
                }
            }
        }
        out
    }

    /// Display name of a permission key.
    pub fn permission_name(&self, key: &str) -> String {
        crate::catalog::PermissionCatalog::builtin()
            .get(key)
            .map_or_else(|| key.to_string(), |p| p.name.clone())
    }
}
