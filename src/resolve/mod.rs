//! Resolve: join loaded documents into one model. Catalogue extensions and level
//! renamings apply, roles are expanded into the toggles they actually enable, rule
//! parameters are checked against the catalogue, and disabled rules drop out.
use crate::catalog::ToggleCatalog;
use crate::config::Config;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::align_role::{AlignRole, LicenseIntent, Subs};
use crate::document::toggle_tree::normalize;
use crate::document::{CatalogueDoc, Document};
use crate::evaluate::policy::RuleMeta;
use crate::evaluate::policy::{PolicyDoc, Rule};
use crate::evaluate::rules::{DeclaredRule, ResolveCx, Resolved, TreatedAs};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use toml::Spanned;

/// Everything evaluation needs.
pub struct Workspace {
    pub config: Config,
    pub catalog: Arc<ToggleCatalog>,
    /// Every role: its name and the class it is held to (the toggle trees are checked while
    /// loading and not kept; see `pipeline`).
    pub roles: Vec<RoleView>,
    /// The active rules, each resolved against the catalogue and configuration.
    pub rules: Vec<ActiveRule>,
    /// Jira permission schemes, projects, boards and groups, joined.
    pub jira: crate::jira::Model,
    /// Every rule and check id, disabled rules included (validating user-written codes).
    pub known_rules: Vec<RuleMeta>,
    /// Roles `[align] integrated-roles` names, normalised.
    integrated: FxHashSet<String>,
    /// Capabilities from the policies, until the Jira model is built.
    capabilities: Vec<crate::jira::capability::Capability>,
    /// Codes of the rules whose findings no output shows (see [`Workspace::skip_rules`]).
    skipped: FxHashSet<String>,
}

/// An active rule: as its policy declares it, and as it runs.
#[derive(Debug)]
pub struct ActiveRule {
    pub meta: RuleMeta,
    pub kind: Arc<dyn DeclaredRule>,
    /// The rule's table in its policy file.
    pub location: Location,
    /// `None` when its parameters do not resolve (reported): the rule does not run.
    pub resolved: Option<Resolved>,
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

/// Is this document part of what role checks depend on (a policy or a catalogue)?
pub fn shapes_role_checks(doc: &Document) -> bool {
    matches!(doc, Document::Policy(_) | Document::AlignCatalogue(_))
}

impl Workspace {
    /// The workspace role checks need: catalogue, rules, ceilings, from the policy and
    /// catalogue documents among `docs` (other kinds are ignored here; see [`Workspace::finish`]).
    pub fn prepare(docs: Vec<Document>, config: Config, diags: &mut Vec<Diagnostic>) -> Self {
        let mut policies: Vec<PolicyDoc> = Vec::new();
        let mut catalogues: Vec<Arc<CatalogueDoc>> = Vec::new();
        for doc in docs {
            match doc {
                Document::AlignCatalogue(c) => catalogues.push(c),
                Document::Policy(p) => policies.push(p),
                _ => {}
            }
        }
        let capabilities = policies
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.capabilities))
            .collect();
        let terminology = config.align.terminology.iter();
        let catalog = ToggleCatalog::of(
            &catalogues,
            terminology.map(|(k, v)| (k.as_str(), v.get_ref().as_str())),
        );
        let known_rules = crate::diagnostics::checks::all()
            .iter()
            .cloned()
            .chain(
                policies
                    .iter()
                    .flat_map(|p| &p.rules)
                    .map(|r| r.meta.clone()),
            )
            .collect();
        let rules = active_rules(policies, &config, diags);
        let rules = resolve_rules(rules, &catalog, &config, diags);
        let integrated = config
            .align
            .integrated_roles
            .iter()
            .map(|n| normalize(n.get_ref()))
            .collect();
        Workspace {
            config,
            catalog,
            roles: Vec::new(),
            rules,
            jira: crate::jira::Model::default(),
            known_rules,
            integrated,
            capabilities,
            skipped: FxHashSet::default(),
        }
    }

    /// Leave out of evaluation every rule whose findings `overrides` and `[severity]`
    /// drop (`--select`, `--ignore`, `off`): they would be built only to be thrown away.
    /// Rules an `[[exception]]` names still run (see [`Workspace::run_named`]).
    pub fn skip_rules(&mut self, overrides: &crate::config::Overrides) {
        self.skipped = self
            .rules
            .iter()
            .filter(|r| {
                overrides.drops(&self.config, &r.meta.code, &r.meta.name, &r.meta.rule_type)
            })
            .map(|r| r.meta.code.clone())
            .collect();
        let named: Vec<String> = self
            .config
            .exception
            .iter()
            .map(|x| x.get_ref().code.get_ref().clone())
            .collect();
        self.run_named(&named);
    }

    /// Run again the skipped rules that `codes` (what suppressions name: codes in any case,
    /// or names) refer to, so that whether a suppression is used stays exact. True when
    /// one of them judges roles (their findings must then be computed again).
    pub fn run_named(&mut self, codes: &[String]) -> bool {
        if self.skipped.is_empty() || codes.is_empty() {
            return false;
        }
        let mut roles_again = false;
        for r in &self.rules {
            let named = codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&r.meta.code) || *c == r.meta.name);
            if named && self.skipped.remove(&r.meta.code) {
                roles_again |=
                    matches!(r.resolved, Some(crate::evaluate::rules::Resolved::Role(_)));
            }
        }
        roles_again
    }

    /// Does [`Workspace::skip_rules`] leave any rule out?
    pub fn skips_any(&self) -> bool {
        !self.skipped.is_empty()
    }

    /// Is this rule run (not skipped by [`Workspace::skip_rules`])?
    pub fn evaluates(&self, meta: &crate::evaluate::policy::RuleMeta) -> bool {
        self.skipped.is_empty() || !self.skipped.contains(&meta.code)
    }

    /// A role's identity and class under this workspace's configuration.
    pub fn view(&self, role: &AlignRole) -> RoleView {
        let key = normalize(role.name.get_ref());
        RoleView {
            name: role.name.clone(),
            file: role.file,
            license: role.license(),
            connector_default: role.connector_default.clone(),
            treated_as: treated_as(role, &key, &self.integrated),
            key,
        }
    }

    /// Add the checked roles and join the Jira documents among `docs`.
    pub fn finish(
        &mut self,
        docs: Vec<Document>,
        roles: Vec<RoleView>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut jira_docs = crate::jira::build::JiraDocs::default();
        for doc in docs {
            match doc {
                Document::JiraScheme(s) => jira_docs.schemes.push(s),
                Document::JiraGlobal(g) => jira_docs.globals.push(g),
                Document::JiraProject(p) => jira_docs.projects.push(p),
                Document::JiraBoard(b) => jira_docs.boards.push(b),
                Document::JiraGroups(g) => jira_docs.groups.push(g),
                Document::AlignRole(_) | Document::AlignCatalogue(_) | Document::Policy(_) => {}
            }
        }
        let capabilities = std::mem::take(&mut self.capabilities);
        self.jira =
            crate::jira::build::build(jira_docs, capabilities, self.config.jira.platform, diags);
        crate::console::timing::lap("jira model");
        duplicate_roles(&roles, diags);
        self.roles = roles;
    }
}

/// Collect rules from every policy, dropping disabled ones; duplicate codes or names are errors.
fn active_rules(
    policies: Vec<PolicyDoc>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Rule> {
    let disabled: Vec<&str> = config
        .policies
        .disable
        .iter()
        .map(|d| d.get_ref().as_str())
        .collect();
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut out = Vec::new();
    for rule in policies.into_iter().flat_map(|p| p.rules) {
        let mut clash = None;
        for id in [&rule.meta.code, &rule.meta.name] {
            if let Some(first) = seen.get(&id.to_lowercase()) {
                clash = Some((id.clone(), first.clone()));
            }
        }
        if let Some((id, first)) = clash {
            diags.push(
                says::RuleDefinedTwice { rule: &id }
                    .at(rule.location.file, rule.location.span.clone())
                    .with_secondary(first, says::FirstDefinedHere.text()),
            );
            continue;
        }
        seen.insert(rule.meta.code.to_lowercase(), rule.location.clone());
        seen.insert(rule.meta.name.to_lowercase(), rule.location.clone());
        if disabled
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&rule.meta.code) || *d == rule.meta.name)
        {
            continue;
        }
        out.push(rule);
    }
    out
}

/// Resolve every active rule; each keeps what it resolved to.
fn resolve_rules(
    rules: Vec<Rule>,
    catalog: &ToggleCatalog,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ActiveRule> {
    let cx = ResolveCx {
        catalog,
        config,
        rules: &rules,
    };
    let resolved: Vec<Option<Resolved>> =
        rules.iter().map(|r| r.kind.resolve(&cx, diags)).collect();
    rules
        .into_iter()
        .zip(resolved)
        .map(|(r, resolved)| ActiveRule {
            meta: r.meta,
            kind: r.kind,
            location: r.location,
            resolved,
        })
        .collect()
}

fn duplicate_roles(roles: &[RoleView], diags: &mut Vec<Diagnostic>) {
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
