//! Resolve: join the loaded Jira documents into one model ([`model`]), give each role its
//! identity and class ([`view`]) and expand it into the toggles it actually enables under
//! the catalogue ([`expand`]).
use crate::catalog::ToggleCatalog;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::align_role::{AlignRole, LicenseIntent, Subs};
use crate::document::toggle_tree::normalize;
use crate::document::Document;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::borrow::Cow;
use toml::Spanned;

/// The license class a role is held to (from its declaration, connectors and config).
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TreatedAs {
    Integrated,
    Full,
    External,
}

/// A role's identity and the license class it is held to.
#[derive(Debug, Clone)]
pub struct RoleView {
    pub name: Spanned<String>,
    /// The name as Jira Align compares names (case and spacing ignored).
    pub key: String,
    pub file: FileId,
    pub license: Option<LicenseIntent>,
    pub connector_default: Vec<Spanned<String>>,
    pub treated_as: TreatedAs,
}

impl RoleView {
    /// "the Jira connector" / "the Jira and ADO connectors".
    pub fn connectors(&self) -> String {
        let names: Vec<&str> = self
            .connector_default
            .iter()
            .map(|c| if c.get_ref() == "ado" { "ADO" } else { "Jira" })
            .collect();
        match names.as_slice() {
            [] => "no connector".to_string(),
            [one] => format!("the {one} connector"),
            many => format!("the {} connectors", many.join(" and ")),
        }
    }
}

/// One toggle a role enables, directly or through an overall toggle.
#[derive(Debug, Clone)]
pub struct Enabled<'a> {
    /// Catalogue entry, or `None` for a name the catalogue does not know.
    pub toggle: Option<usize>,
    /// `Team > Manage > Stories` (catalogue spelling when known). Borrowed from the
    /// catalogue: two threads sharing one reference count per toggle would contend.
    pub path: Cow<'a, str>,
    /// Borrowed from the role: thousands of toggles are expanded per second.
    pub subs: &'a Subs,
    /// The toggle's key in the role file, or the `"all"` that turned it on.
    pub location: Location,
    pub overall: Option<Overall>,
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Overall {
    pub path: String,
    pub location: Location,
}

/// A role's identity and class: `integrated` holds the roles `[align] integrated-roles`
/// names, normalised.
pub fn view(role: &AlignRole, integrated: &FxHashSet<String>) -> RoleView {
    let key = normalize(role.name.get_ref());
    RoleView {
        name: role.name.clone(),
        file: role.file,
        license: role.license(),
        connector_default: role.connector_default.clone(),
        treated_as: treated_as(role, &key, integrated),
        key,
    }
}

/// Join the Jira documents among `docs` into the model, with the capabilities the
/// policies define.
pub fn model(
    docs: Vec<Document>,
    capabilities: Vec<crate::jira::capability::Capability>,
    platform: crate::config::Platform,
    diags: &mut Vec<Diagnostic>,
) -> crate::jira::Model {
    let mut jira_docs = crate::jira::build::JiraDocs::default();
    for doc in docs {
        match doc {
            Document::JiraScheme(s) => jira_docs.schemes.push(s),
            Document::JiraGlobal(g) => jira_docs.globals.push(g),
            Document::JiraProject(p) => jira_docs.projects.push(p),
            Document::JiraBoard(b) => jira_docs.boards.push(b),
            Document::JiraGroups(g) => jira_docs.groups.push(g),
            Document::AlignRole(_) | Document::AlignCatalogue(_) => {}
        }
    }
    crate::jira::build::build(jira_docs, capabilities, platform, diags)
}

/// Two roles of the same name (as Jira Align compares names).
pub fn duplicate_roles(roles: &[RoleView], diags: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<&str, Location> = FxHashMap::default();
    for r in roles {
        let key = r.key.as_str();
        let here = Location::new(r.file, r.name.span());
        match seen.get(key) {
            Some(first) => diags.push(
                says::DuplicateRole {
                    name: r.name.get_ref(),
                }
                .at(r.file, r.name.span())
                .with_secondary(first.clone(), says::FirstDefinedHere.text()),
            ),
            None => {
                seen.insert(key, here);
            }
        }
    }
}

fn treated_as(role: &AlignRole, key: &str, integrated: &FxHashSet<String>) -> TreatedAs {
    if role.license() == Some(LicenseIntent::Integrated)
        || !role.connector_default.is_empty()
        || integrated.contains(key)
    {
        TreatedAs::Integrated
    } else if role.license() == Some(LicenseIntent::External) {
        TreatedAs::External
    } else {
        TreatedAs::Full
    }
}

/// What an overall toggle enables of each toggle beneath it.
static ALL: Subs = Subs::All;

/// Expand a role's tree into the toggles it enables, following overall toggles.
pub fn expand<'a>(role: &'a AlignRole, catalog: &'a ToggleCatalog) -> Vec<Enabled<'a>> {
    let file = role.file;
    let mut out = Vec::new();
    let mut name_key = String::new();
    for s in &role.sections {
        let written_section = s.name.get_ref().as_str();
        let entry = catalog.section_entry(written_section);
        let section_key = entry.map(|(key, _)| key);
        let section = entry.map_or(written_section, |(_, name)| name);
        if let Some(all) = &s.all {
            let overall = Overall {
                path: section.to_string(),
                location: Location::new(file, all.clone()),
            };
            match section_key {
                Some(_) => out.extend(overall_items(catalog, section, None, &overall)),
                None => out.push(unknown(
                    catalog,
                    file,
                    s.name.span(),
                    &[written_section, "", ""],
                    section,
                )),
            }
            continue;
        }
        if section_key.is_none() {
            // A misspelt section is one finding at its name (in the table header or dotted
            // key), where the fix renames it, not one per toggle beneath it.
            if s.groups
                .iter()
                .any(|g| g.all.is_some() || !g.toggles.is_empty())
            {
                let parts = [written_section, "", ""];
                out.push(unknown(catalog, file, s.name.span(), &parts, section));
            }
            continue;
        }
        let exact_section = catalog.exact_section(written_section);
        for g in &s.groups {
            let group = g.name.get_ref().as_str();
            let exact_group = exact_section.and_then(|e| e.get(group));
            // A misspelt group with a close catalogue name: one finding at its name, as for
            // sections. Without one, each toggle is reported (it may live in another group).
            let known = exact_group.is_some() || catalog.has_group(section, group);
            let misspelt = (!known)
                .then(|| group_suggestion(catalog, section, group))
                .flatten();
            if let Some(suggestion) = misspelt {
                if g.all.is_some() || !g.toggles.is_empty() {
                    out.push(Enabled {
                        toggle: None,
                        path: Cow::Owned(format!("{section} > {group}")),
                        subs: &ALL,
                        location: Location::new(file, g.name.span()),
                        overall: None,
                        suggestion: Some(suggestion),
                    });
                }
                continue;
            }
            // Normalised only when a toggle is not spelled as the catalogue spells it.
            let mut group_key = None;
            if let Some(all) = &g.all {
                let path = format!("{section} > {group}");
                if section_key.is_some() && catalog.has_group(section, group) {
                    let overall = Overall {
                        path,
                        location: Location::new(file, all.clone()),
                    };
                    out.extend(overall_items(catalog, section, Some(group), &overall));
                } else {
                    out.push(unknown(
                        catalog,
                        file,
                        g.name.span(),
                        &[written_section, group, ""],
                        &path,
                    ));
                }
                continue;
            }
            for t in &g.toggles {
                let name = t.name.get_ref().as_str();
                let location = Location::new(file, t.name.span());
                let found = match exact_group.and_then(|e| e.get(name)) {
                    Some(&id) => Some(id),
                    None => {
                        crate::document::toggle_tree::normalize_into(&mut name_key, name);
                        let group_key = group_key.get_or_insert_with(|| normalize(group));
                        section_key.and_then(|sk| catalog.get_norm(sk, group_key, &name_key))
                    }
                };
                out.push(match found {
                    Some(id) => Enabled {
                        toggle: Some(id),
                        path: Cow::Borrowed(&catalog.get(id).path),
                        subs: &t.subs,
                        location,
                        overall: None,
                        suggestion: None,
                    },
                    None => Enabled {
                        toggle: None,
                        path: Cow::Owned(format!("{section} > {group} > {name}")),
                        subs: &t.subs,
                        location,
                        overall: None,
                        suggestion: catalog
                            .lookup(written_section, group, name)
                            .err()
                            .and_then(|u| u.suggestion),
                    },
                });
            }
        }
    }
    out
}

fn overall_items<'a>(
    catalog: &'a ToggleCatalog,
    section: &str,
    group: Option<&str>,
    overall: &Overall,
) -> Vec<Enabled<'a>> {
    catalog
        .under(section, group)
        .into_iter()
        .map(|id| Enabled {
            toggle: Some(id),
            path: Cow::Borrowed(&catalog.get(id).path),
            subs: &ALL,
            location: overall.location.clone(),
            overall: Some(overall.clone()),
            suggestion: None,
        })
        .collect()
}

/// `Section > Group` for a misspelt group of a known section, when one group is close.
fn group_suggestion(catalog: &ToggleCatalog, section: &str, group: &str) -> Option<String> {
    let close = catalog
        .close_names(crate::catalog::toggles::Level::Groups(section), group)
        .closest?;
    Some(format!("{section} > {close}"))
}

fn unknown(
    catalog: &ToggleCatalog,
    file: FileId,
    span: std::ops::Range<usize>,
    parts: &[&str; 3],
    path: &str,
) -> Enabled<'static> {
    let suggestion = catalog
        .lookup(parts[0], parts[1], parts[2])
        .err()
        .and_then(|u| u.suggestion);
    Enabled {
        toggle: None,
        path: Cow::Owned(path.to_string()),
        subs: &ALL,
        location: Location::new(file, span),
        overall: None,
        suggestion,
    }
}
