//! Join the Jira documents into a [`Model`], reporting what does not fit: unknown or
//! wrong-platform permission keys, duplicate names, dangling references, board filters that
//! disagree with `projects`, complex filters.
use super::capability::{AtomKind, Capability};
use super::model::{BoardProject, BoardView, Model, Subjects};
use crate::catalog::permissions::{platform_name, KeyProblem, PermissionCatalog, Scope};
use crate::config::Platform;
use crate::diagnostics::checks;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::suggest::{Budget, RUN_BUDGET};
use crate::diagnostics::Diagnostic;
use crate::document::board::{Board, Complexity, Filter, FilterProject};
use crate::document::global_permissions::GlobalPermissions;
use crate::document::groups::Groups;
use crate::document::permission_scheme::{Grant, PermissionScheme};
use crate::document::project::Project;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The Jira documents of a run, as loaded.
#[derive(Debug, Default)]
pub struct JiraDocs {
    pub schemes: Vec<PermissionScheme>,
    pub globals: Vec<GlobalPermissions>,
    pub projects: Vec<Project>,
    pub boards: Vec<Board>,
    pub groups: Vec<Groups>,
}

impl JiraDocs {
    pub fn is_empty(&self) -> bool {
        self.schemes.is_empty()
            && self.globals.is_empty()
            && self.projects.is_empty()
            && self.boards.is_empty()
            && self.groups.is_empty()
    }
}

pub fn build(
    docs: JiraDocs,
    capabilities: Vec<Capability>,
    platform: Platform,
    diags: &mut Vec<Diagnostic>,
) -> Model {
    if docs.is_empty() && capabilities.is_empty() {
        // A roles-only run: no need to load the permission catalogue.
        return Model {
            platform,
            ..Model::default()
        };
    }
    let cat = PermissionCatalog::builtin();
    let scheme_diags: Vec<Vec<Diagnostic>> = docs
        .schemes
        .par_iter()
        .map(|s| {
            let mut d = Vec::new();
            check_keys(cat, s.file, &s.grants, Scope::Project, platform, &mut d);
            d
        })
        .collect();
    diags.extend(scheme_diags.into_iter().flatten());
    for g in &docs.globals {
        check_keys(cat, g.file, &g.grants, Scope::Global, platform, diags);
    }
    check_capabilities(cat, &capabilities, platform, diags);
    let mut model = Model {
        platform,
        capabilities,
        ..Model::default()
    };
    let mut firsts = Firsts::default();
    for s in docs.schemes {
        if unique(
            &mut model.scheme_index,
            &mut firsts,
            s.name.get_ref(),
            model.schemes.len(),
            s.file,
            s.name.span(),
            "scheme",
            diags,
        ) {
            model.schemes.push(s);
        }
    }
    model.globals = docs.globals;
    for g in docs.groups {
        for group in g.groups {
            let entry = model
                .groups
                .entry(group.name.get_ref().clone())
                .or_default();
            entry.extend(
                group
                    .members
                    .into_iter()
                    .map(|m| (m.holder, Location::new(g.file, m.span))),
            );
        }
    }
    let mut keys: FxHashMap<String, usize> = FxHashMap::default();
    // Names for did-you-mean, listed once, and the comparisons suggestions may cost.
    let mut scheme_names: Option<Vec<String>> = None;
    let mut budget = Budget::new(RUN_BUDGET);
    for p in docs.projects {
        let i = model.projects.len();
        if !unique(
            &mut keys,
            &mut firsts,
            &p.key.get_ref().to_lowercase(),
            i,
            p.file,
            p.key.span(),
            "project key",
            diags,
        ) {
            continue;
        }
        if let Some(id) = &p.id {
            let seen = model.project_ids.get(id.get_ref()).copied();
            match seen {
                Some(first) => {
                    let other = &model.projects[first];
                    let mut d = checks::DUPLICATE_NAME
                        .at(
                            p.file,
                            id.span(),
                            format!(
                                "project `{}` has the id of project `{}`",
                                p.key.get_ref(),
                                other.key.get_ref()
                            ),
                        )
                        .with_label("duplicate project id");
                    if let Some(first_id) = &other.id {
                        d = d.with_secondary(
                            Location::new(other.file, first_id.span()),
                            "first defined here",
                        );
                    }
                    diags.push(d);
                }
                None => {
                    model.project_ids.insert(*id.get_ref(), i);
                }
            }
        }
        model
            .project_index
            .insert(p.key.get_ref().to_lowercase(), i);
        model
            .project_index
            .entry(p.name.get_ref().to_lowercase())
            .or_insert(i);
        // The first project of a name, unless that one's key is the name: a second project
        // of the same name is then the one a key could be confused with (RL028).
        let name = p.name.get_ref().to_lowercase();
        let named = model.name_index.entry(name.clone()).or_insert(i);
        if model
            .projects
            .get(*named)
            .is_some_and(|n| n.key.get_ref().to_lowercase() == name)
        {
            *named = i;
        }
        let scheme = model
            .scheme_index
            .get(p.permission_scheme.get_ref())
            .copied();
        if scheme.is_none() {
            let names = scheme_names.get_or_insert_with(|| {
                model
                    .schemes
                    .iter()
                    .map(|s| s.name.get_ref().clone())
                    .collect()
            });
            diags.push(unresolved(
                p.file,
                p.permission_scheme.span(),
                "permission scheme",
                p.permission_scheme.get_ref(),
                names,
                &mut budget,
            ));
        }
        model.project_scheme.push(scheme);
        model.projects.push(p);
    }
    let mut board_names: FxHashMap<String, usize> = FxHashMap::default();
    let mut boards = Vec::with_capacity(docs.boards.len());
    for b in docs.boards {
        if unique(
            &mut board_names,
            &mut firsts,
            b.name.get_ref(),
            boards.len(),
            b.file,
            b.name.span(),
            "board",
            diags,
        ) {
            boards.push(b);
        }
    }
    model.subjects = subjects(&model, &boards);
    // Boards resolve against the finished projects independently: in parallel, each with
    // its share of the suggestion budget (so what is suggested does not depend on timing).
    let names = Names {
        projects: model
            .projects
            .iter()
            .map(|p| p.key.get_ref().as_str())
            .collect(),
        capabilities: model
            .capabilities
            .iter()
            .map(|c| c.id.get_ref().as_str())
            .collect(),
    };
    let share = RUN_BUDGET / boards.len().max(1);
    let views: Vec<(BoardView, Vec<Diagnostic>)> = boards
        .into_par_iter()
        .map(|b| {
            let mut d = Vec::new();
            let mut budget = Budget::new(share);
            let view = board_view(&model, &names, b, &mut budget, &mut d);
            check_expectations(&model, &names, &view.board, &mut budget, &mut d);
            (view, d)
        })
        .collect();
    drop(names);
    for (view, d) in views {
        diags.extend(d);
        model.boards.push(view);
    }
    model
}

fn check_keys(
    cat: &PermissionCatalog,
    file: FileId,
    grants: &[Grant],
    scope: Scope,
    platform: Platform,
    diags: &mut Vec<Diagnostic>,
) {
    for g in grants {
        let key = g.permission.get_ref();
        match cat.check(key, scope, platform) {
            Ok(_) => {}
            Err(KeyProblem::Unknown { suggestion }) => {
                let mut d = checks::UNKNOWN_PERMISSION
                    .at(file, g.permission.span(), format!("unknown {} permission key `{key}`", scope.as_str()))
                    .with_label("not in the permission catalogue");
                if let Some(s) = suggestion {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
            Err(KeyProblem::WrongScope { is }) => diags.push(
                checks::UNKNOWN_PERMISSION
                    .at(file, g.permission.span(), format!("`{key}` is a {is} permission, not a {} one", scope.as_str()))
                    .with_label(format!("{is} permission"))
                    .with_help(if is == "global" {
                        "grant it in the `jira-global-permissions` document"
                    } else {
                        "grant it in a `jira-permission-scheme` document"
                    }),
            ),
            Err(KeyProblem::OtherPlatform { only_on }) => diags.push(
                checks::PERMISSION_NOT_ON_PLATFORM
                    .at(file, g.permission.span(), format!("`{key}` exists only on Jira {only_on}, and this repository is for Jira {}", platform_name(platform)))
                    .with_label(format!("{only_on} only"))
                    .with_note("`[jira] platform` in rolelint.toml sets the platform (default `cloud`)"),
            ),
        }
    }
}

/// Capability atoms must name catalogue keys (atoms for the other platform are skipped).
fn check_capabilities(
    cat: &PermissionCatalog,
    caps: &[Capability],
    platform: Platform,
    diags: &mut Vec<Diagnostic>,
) {
    for c in caps {
        for a in c.requires.atoms() {
            if a.platform.is_some_and(|p| p != platform) {
                continue;
            }
            let (key, scope) = match &a.kind {
                AtomKind::EveryBoardProject(k) | AtomKind::IssueProject(k) => (k, Scope::Project),
                AtomKind::Global(k) => (k, Scope::Global),
                _ => continue,
            };
            if cat.check(key, scope, platform).is_err() {
                diags.push(
                    checks::INVALID_POLICY
                        .at(a.location.file, a.location.span.clone(), format!("capability `{}` needs `{key}`, not a {} permission on this platform", c.id.get_ref(), scope.as_str()))
                        .with_label("unknown permission key"),
                );
            }
        }
    }
}

/// Where each name was first defined, for the "first defined here" label of duplicates.
type Firsts = FxHashMap<(&'static str, String), Location>;

#[allow(clippy::too_many_arguments)]
fn unique(
    seen: &mut FxHashMap<String, usize>,
    firsts: &mut Firsts,
    key: &str,
    index: usize,
    file: FileId,
    span: std::ops::Range<usize>,
    what: &'static str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if seen.contains_key(key) {
        let mut d = checks::DUPLICATE_NAME
            .at(file, span, format!("another {what} is also named `{key}`"))
            .with_label(format!("duplicate {what}"));
        if let Some(first) = firsts.get(&(what, key.to_string())) {
            d = d.with_secondary(first.clone(), "first defined here");
        }
        diags.push(d);
        return false;
    }
    seen.insert(key.to_string(), index);
    firsts.insert((what, key.to_string()), Location::new(file, span));
    true
}

pub fn unresolved<S: AsRef<str>>(
    file: FileId,
    span: std::ops::Range<usize>,
    what: &str,
    name: &str,
    known: &[S],
    budget: &mut Budget,
) -> Diagnostic {
    let mut d = checks::UNRESOLVED_REFERENCE
        .at(
            file,
            span,
            format!("no {what} named `{name}` in the repository"),
        )
        .with_label(format!("unknown {what}"));
    if let Some(s) = budget.did_you_mean(name, known) {
        d = d.with_help(format!("did you mean `{s}`?"));
    }
    d
}

/// The names unknown references are compared with, listed once for all boards.
struct Names<'a> {
    projects: Vec<&'a str>,
    capabilities: Vec<&'a str>,
}

/// The capability ids an `[[expect]]` may name, for a finding about one it does not know
/// (the CLI's help does not list them: a repository's policies may add their own).
fn capability_ids_note(ids: &[&str]) -> String {
    let listed: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    format!("the capability ids: {}", listed.join(", "))
}

fn board_view(
    model: &Model,
    names: &Names,
    board: Board,
    budget: &mut Budget,
    diags: &mut Vec<Diagnostic>,
) -> BoardView {
    let file = board.file;
    let mut resolve = |name: &str, span: std::ops::Range<usize>, diags: &mut Vec<Diagnostic>| {
        let found = model.project(name);
        if found.is_none() {
            let known = &names.projects;
            diags.push(unresolved(
                file,
                span.clone(),
                "project",
                name,
                known,
                budget,
            ));
        }
        found.map(|project| BoardProject {
            project,
            location: Location::new(file, span),
        })
    };
    let listed: Option<Vec<BoardProject>> = board.projects.as_ref().map(|l| {
        l.get_ref()
            .iter()
            .filter_map(|p| resolve(p.get_ref(), p.span(), diags))
            .collect()
    });
    let mut complex = false;
    let from_filter: Option<Vec<BoardProject>> = match &board.filter {
        Some((f, Filter::Known(refs))) => {
            if refs.is_empty() {
                diags.push(
                    checks::BOARD_FILTER_MISMATCH
                        .at(file, f.span(), "the filter matches no project")
                        .with_label("its project clauses exclude each other")
                        .with_note("every issue is in one project, so `project = A AND project = B` matches nothing"),
                );
            }
            for r in refs {
                if let Some(d) = name_is_another_key(model, file, &r.name) {
                    diags.push(d);
                }
            }
            Some(
                refs.iter()
                    .filter_map(|r| resolve_filter_project(model, names, file, r, budget, diags))
                    .collect(),
            )
        }
        Some((_, Filter::Complex { why, span })) => {
            complex = true;
            let (reason, label) = match why {
                Complexity::TopLevelOr => (
                    "it has an `OR` at the top level",
                    "this OR lets issues of any project in",
                ),
                Complexity::NoProjectClause => {
                    ("it has no project clause", "no `project = ...` restriction")
                }
                Complexity::ProjectNotLiteral => (
                    "its project clause names no project literally",
                    "a function or `EMPTY`: Jira knows these projects only when it runs the query",
                ),
            };
            diags.push(
                checks::COMPLEX_BOARD_FILTER
                    .at(file, span.clone(), format!("the filter of board `{}` is complex: {reason}", board.name.get_ref()))
                    .with_label(label)
                    .with_note("Jira cannot tell the board's projects, so sprint actions need Manage Sprints in every project of the instance; rolelint checks them against every project in the repository"),
            );
            None
        }
        _ => None,
    };
    if let (Some(list), Some(filt), Some(l)) = (&listed, &from_filter, &board.projects) {
        let mut a: Vec<usize> = list.iter().map(|p| p.project).collect();
        let mut b: Vec<usize> = filt.iter().map(|p| p.project).collect();
        a.sort_unstable();
        a.dedup();
        b.sort_unstable();
        b.dedup();
        if a != b {
            let keys = |v: &[usize]| {
                v.iter()
                    .map(|&i| format!("`{}`", model.projects[i].key.get_ref()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut d = checks::BOARD_FILTER_MISMATCH
                .at(
                    file,
                    l.span(),
                    "`projects` disagrees with the board's filter",
                )
                .with_label(format!(
                    "lists {}",
                    if a.is_empty() {
                        "nothing".into()
                    } else {
                        keys(&a)
                    }
                ))
                .with_note(format!(
                    "the filter guarantees {}",
                    if b.is_empty() {
                        "no project".into()
                    } else {
                        keys(&b)
                    }
                ));
            if let Some((f, _)) = &board.filter {
                d = d.with_secondary(Location::new(file, f.span()), "the filter");
            }
            diags.push(d);
        }
    }
    if complex {
        let at = Location::new(
            file,
            board
                .filter
                .as_ref()
                .map_or(board.name.span(), |(f, _)| f.span()),
        );
        BoardView::spanning_all(board, model.projects.len(), at)
    } else {
        BoardView::listing(board, from_filter.or(listed).unwrap_or_default())
    }
}

/// A project value of a filter. An unquoted number is a project id first (as Jira reads
/// it), then a key or name; a name that does not resolve is reported at the value.
fn resolve_filter_project(
    model: &Model,
    names: &Names,
    file: FileId,
    r: &FilterProject,
    budget: &mut Budget,
    diags: &mut Vec<Diagnostic>,
) -> Option<BoardProject> {
    let name = r.name.get_ref();
    let id = name.parse::<u64>().ok();
    let by_id = || id.and_then(|id| model.project_by_id(id));
    let found = if r.numeric {
        by_id().or_else(|| model.project(name))
    } else {
        model.project(name).or_else(by_id)
    };
    if let Some(project) = found {
        return Some(BoardProject {
            project,
            location: Location::new(file, r.name.span()),
        });
    }
    diags.push(match id {
        Some(id) => checks::UNRESOLVED_REFERENCE
            .at(file, r.name.span(), format!("no project with id `{id}` in the repository"))
            .with_label("unknown project id")
            .with_help(format!("add `id = {id}` to the `jira-project` document of that project (Jira shows it in GET /rest/api/3/project/{{key}})")),
        None => unresolved(file, r.name.span(), "project", name, &names.projects, budget),
    });
    None
}

/// Every group, role and user the documents name (`[[expect]] who` aside).
fn subjects(model: &Model, boards: &[Board]) -> Subjects {
    let mut out = Subjects::default();
    let grants = (model.schemes.iter().flat_map(|s| &s.grants))
        .chain(model.globals.iter().flat_map(|g| &g.grants));
    for g in grants {
        for h in &g.holders {
            out.add(&h.holder);
        }
    }
    for p in &model.projects {
        for r in &p.roles {
            out.add_role(r.role.get_ref());
            for m in &r.members {
                out.add(&m.holder);
            }
        }
    }
    for (group, members) in &model.groups {
        out.add_group(group);
        for (m, _) in members {
            out.add(m);
        }
    }
    for b in boards {
        for a in &b.admins {
            out.add(&a.holder);
        }
    }
    out
}

/// A filter value that is one project's key and another project's name (RL028): Atlassian's
/// KB lists it among the causes of blocked sprint actions (jira-permissions-notes §3.3, 5).
fn name_is_another_key(
    model: &Model,
    file: FileId,
    value: &toml::Spanned<String>,
) -> Option<Diagnostic> {
    let (keyed, named) = model.key_and_other_name(value.get_ref())?;
    let (keyed, named) = (&model.projects[keyed], &model.projects[named]);
    let (key, other) = (keyed.key.get_ref(), named.key.get_ref());
    Some(
        checks::PROJECT_NAME_IS_ANOTHER_KEY
            .at(
                file,
                value.span(),
                format!(
                    "`{}` is the key of project `{key}` and the name of project `{other}`",
                    value.get_ref()
                ),
            )
            .with_label(format!("read as project `{key}`"))
            .with_secondary(
                Location::new(named.file, named.name.span()),
                format!("project `{other}` is named `{}`", named.name.get_ref()),
            )
            .with_note("Atlassian's KB on sprints that cannot be managed lists a project whose name is another project's key among the causes")
            .with_help(format!("rename project `{other}` so that its name is no other project's key")),
    )
}

fn check_expectations(
    model: &Model,
    names: &Names,
    board: &Board,
    budget: &mut Budget,
    diags: &mut Vec<Diagnostic>,
) {
    let ids = &names.capabilities;
    for e in &board.expect {
        let who = &e.who.holder;
        if !model.subjects.knows(who) {
            let mut d = checks::UNKNOWN_SUBJECT
                .at(
                    board.file,
                    e.who.span.clone(),
                    format!("`{who}` is named nowhere else in the repository"),
                )
                .with_label("no grant, role membership, group or board admin names it");
            if let Some(s) = model.subjects.suggestion(who) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
        for c in e.can.iter().chain(&e.cannot) {
            if model.capability(c.get_ref()).is_none() {
                diags.push(
                    unresolved(board.file, c.span(), "capability", c.get_ref(), ids, budget)
                        .with_note(capability_ids_note(ids)),
                );
            }
        }
    }
}
