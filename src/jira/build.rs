//! Join the Jira documents into a [`Model`], reporting what does not fit: unknown or
//! wrong-platform permission keys, duplicate names, dangling references, board filters that
//! disagree with `projects`, complex filters.
use super::capability::{AtomKind, Capability};
use super::model::{BoardProject, BoardView, Model, Subjects};
use crate::catalog::permissions::{platform_name, KeyProblem, PermissionCatalog, Scope};
use crate::config::Platform;
use crate::diagnostics::says;
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
            ("scheme", |name, file, span| {
                says::DuplicateScheme { name }.at(file, span)
            }),
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
            ("project key", |name, file, span| {
                says::DuplicateProjectKey { name }.at(file, span)
            }),
            diags,
        ) {
            continue;
        }
        if let Some(id) = &p.id {
            let seen = model.project_ids.get(id.get_ref()).copied();
            match seen {
                Some(first) => {
                    let other = &model.projects[first];
                    let (project, other_key) = (p.key.get_ref(), other.key.get_ref());
                    let mut d = says::DuplicateProjectId {
                        project,
                        other: other_key,
                    }
                    .at(p.file, id.span());
                    if let Some(first_id) = &other.id {
                        d = d.with_secondary(
                            Location::new(other.file, first_id.span()),
                            says::FirstDefinedHere.text(),
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
            let name = p.permission_scheme.get_ref();
            let d = says::UnknownScheme { name }.at(p.file, p.permission_scheme.span());
            diags.push(with_suggestion(d, name, names, &mut budget));
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
            ("board", |name, file, span| {
                says::DuplicateBoard { name }.at(file, span)
            }),
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
                let scope = scope.as_str();
                let mut d = says::UnknownPermissionKey { scope, key }.at(file, g.permission.span());
                if let Some(s) = suggestion {
                    d = d.with_help(says::DidYouMean { suggestion: &s }.text());
                }
                diags.push(d);
            }
            Err(KeyProblem::WrongScope { is }) => {
                let scope = scope.as_str();
                diags.push(if is == "global" {
                    says::GlobalNotInScheme { key, is, scope }.at(file, g.permission.span())
                } else {
                    says::SchemeKeyInGlobals { key, scope, is }.at(file, g.permission.span())
                })
            }
            Err(KeyProblem::OtherPlatform { only_on }) => diags.push(
                says::OnlyOnOtherPlatform {
                    key,
                    only_on,
                    platform: platform_name(platform),
                }
                .at(file, g.permission.span()),
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
                let (capability, scope) = (c.id.get_ref().as_str(), scope.as_str());
                diags.push(
                    says::CapabilityNeedsUnknownKey {
                        capability,
                        key,
                        scope,
                    }
                    .at(a.location.file, a.location.span.clone()),
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
    (what, duplicate): (&'static str, Duplicate),
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if seen.contains_key(key) {
        let mut d = duplicate(key, file, span);
        if let Some(first) = firsts.get(&(what, key.to_string())) {
            d = d.with_secondary(first.clone(), says::FirstDefinedHere.text());
        }
        diags.push(d);
        return false;
    }
    seen.insert(key.to_string(), index);
    firsts.insert((what, key.to_string()), Location::new(file, span));
    true
}

/// A duplicate's finding: `(name, file, span)`.
type Duplicate = fn(&str, FileId, std::ops::Range<usize>) -> Diagnostic;

/// `d` (an unresolved `name`) with a did-you-mean among `known`, when one is close.
pub fn with_suggestion<S: AsRef<str>>(
    d: Diagnostic,
    name: &str,
    known: &[S],
    budget: &mut Budget,
) -> Diagnostic {
    match budget.did_you_mean(name, known) {
        Some(s) => d.with_help(says::DidYouMean { suggestion: s }.text()),
        None => d,
    }
}

/// The names unknown references are compared with, listed once for all boards.
struct Names<'a> {
    projects: Vec<&'a str>,
    capabilities: Vec<&'a str>,
}

/// The capability ids an `[[expect]]` may name, for a finding about one it does not know
/// (the CLI's help does not list them: a repository's policies may add their own).
fn capability_ids_note(ids: &[&str]) -> crate::diagnostics::text::Text {
    let ids = crate::document::backticked(ids);
    says::CapabilityIds { ids: &ids }.text()
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
            let d = says::UnknownProject { name }.at(file, span.clone());
            diags.push(with_suggestion(d, name, known, budget));
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
                diags.push(says::FilterMatchesNoProject.at(file, f.span()));
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
            let board = board.name.get_ref().as_str();
            let span = span.clone();
            diags.push(match why {
                Complexity::TopLevelOr => says::FilterTopLevelOr { board }.at(file, span),
                Complexity::NoProjectClause => says::FilterNoProjectClause { board }.at(file, span),
                Complexity::ProjectNotLiteral => {
                    says::FilterProjectNotLiteral { board }.at(file, span)
                }
            });
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
            let (listed, guaranteed) = (keys(&a), keys(&b));
            let mut d = match (a.is_empty(), b.is_empty()) {
                (false, false) => says::ProjectsDisagree {
                    listed: &listed,
                    guaranteed: &guaranteed,
                }
                .at(file, l.span()),
                (true, false) => says::ProjectsDisagreeListsNothing {
                    guaranteed: &guaranteed,
                }
                .at(file, l.span()),
                (false, true) => {
                    says::ProjectsDisagreeFilterNone { listed: &listed }.at(file, l.span())
                }
                (true, true) => says::ProjectsDisagreeBothEmpty.at(file, l.span()),
            };
            if let Some((f, _)) = &board.filter {
                d = d.with_secondary(Location::new(file, f.span()), says::TheFilter.text());
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
        Some(id) => says::UnknownProjectId {
            id: &id.to_string(),
        }
        .at(file, r.name.span()),
        None => {
            let d = says::UnknownProject { name }.at(file, r.name.span());
            with_suggestion(d, name, &names.projects, budget)
        }
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
    let (value_text, name) = (value.get_ref().as_str(), named.name.get_ref().as_str());
    Some(
        says::NameIsAnotherKey {
            value: value_text,
            key,
            other,
        }
        .at(file, value.span())
        .with_secondary(
            Location::new(named.file, named.name.span()),
            says::ProjectIsNamed { other, name }.text(),
        ),
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
            let who = who.to_string();
            let mut d = says::UnknownSubject { who: &who }.at(board.file, e.who.span.clone());
            if let Some(s) = model.subjects.suggestion(&e.who.holder) {
                d = d.with_help(
                    says::DidYouMean {
                        suggestion: &s.to_string(),
                    }
                    .text(),
                );
            }
            diags.push(d);
        }
        for c in e.can.iter().chain(&e.cannot) {
            if model.capability(c.get_ref()).is_none() {
                let name = c.get_ref();
                let d = says::UnknownCapability { name }.at(board.file, c.span());
                diags.push(
                    with_suggestion(d, name, ids, budget).with_note(capability_ids_note(ids)),
                );
            }
        }
    }
}
