//! `type = "ceiling"`: every enabled toggle and sub-toggle of a selected role must lie
//! inside the `allow` tree.
//!
//! The allow tree mirrors the role tree; a leaf is `[]` (no sub-toggles), `["A"]` (only
//! these), `"all"`, or `{ except = ["A"] }`. `applies-to` picks what is reported:
//! `toggles` (each toggle set directly), `overall-toggles` (one finding per section or
//! group switched on with `"all"`, listing what it drags in) or `both` (the default).
//! `allow-from` reuses another ceiling's tree; `allow-when` extends it when a
//! configuration flag is set (`integrated-allows-ideation`).
use super::{at, policy_error, Params, Where};
use crate::catalog::ToggleCatalog;
use crate::config::Config;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::align_role::Subs;
use crate::document::toggle_tree::{same_name, NodeValue};
use crate::evaluate::policy::RuleMeta;
use crate::report::fix::{Edit, Fix};
use crate::resolve::{Enabled, RoleView};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

pub const PARAMS: &[&str] = &["where", "allow", "allow-from", "allow-when", "applies-to"];

/// Configuration flags `allow-when` may name.
pub const FLAGS: &[&str] = &["integrated-allows-ideation"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliesTo {
    Toggles,
    OverallToggles,
    Both,
}

#[derive(Debug, Clone)]
pub enum AllowSource {
    Tree(Spanned<NodeValue>),
    /// Code or name of another ceiling rule.
    From(Spanned<String>),
}

#[derive(Debug, Clone)]
pub struct Ceiling {
    pub where_: Where,
    pub allow: AllowSource,
    pub allow_when: Vec<(Spanned<String>, Spanned<NodeValue>)>,
    pub applies_to: AppliesTo,
    pub file: FileId,
}

impl Ceiling {
    pub fn build(
        file: FileId,
        type_span: Range<usize>,
        p: &Params,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let allow = match (&p.allow, &p.allow_from) {
            (Some(tree), None) => AllowSource::Tree(tree.clone()),
            (None, Some(from)) => AllowSource::From(from.clone()),
            (Some(tree), Some(_)) => {
                let msg = "a ceiling takes `allow` or `allow-from`, not both".to_string();
                diags.push(policy_error(file, tree.span(), msg, "remove one of them"));
                return None;
            }
            (None, None) => {
                let msg = "a ceiling needs an `allow` tree or `allow-from`".to_string();
                diags.push(policy_error(
                    file,
                    type_span,
                    msg,
                    "this ceiling allows nothing",
                ));
                return None;
            }
        };
        let applies_to = match p
            .applies_to
            .as_ref()
            .map(|a| (a.get_ref().as_str(), a.span()))
        {
            None | Some(("both", _)) => AppliesTo::Both,
            Some(("toggles", _)) => AppliesTo::Toggles,
            Some(("overall-toggles", _)) => AppliesTo::OverallToggles,
            Some((other, span)) => {
                let msg = format!("unknown `applies-to` value `{other}`");
                diags.push(policy_error(
                    file,
                    span,
                    msg,
                    "expected `toggles`, `overall-toggles` or `both`",
                ));
                return None;
            }
        };
        for (flag, _) in &p.allow_when {
            if !FLAGS.contains(&flag.get_ref().as_str()) {
                let msg = format!(
                    "unknown configuration flag `{}` in `allow-when`",
                    flag.get_ref()
                );
                diags.push(policy_error(
                    file,
                    flag.span(),
                    msg,
                    "expected `integrated-allows-ideation`",
                ));
            }
        }
        Some(Self {
            where_: p
                .where_
                .as_ref()
                .map(|w| w.get_ref().clone())
                .unwrap_or_default(),
            allow,
            allow_when: p.allow_when.clone(),
            applies_to,
            file,
        })
    }
}

/// How many sub-toggles a maximum allows on one toggle.
#[derive(Debug, Clone)]
pub enum Limit {
    NoSubs,
    Only(Vec<String>),
    All,
    Except(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct AllowLeaf {
    pub limit: Limit,
    pub location: Location,
}

/// A ceiling's allow tree resolved against the catalogue.
#[derive(Debug, Clone, Default)]
pub struct AllowIndex {
    /// Catalogue entry → what the maximum allows on it.
    pub leaves: FxHashMap<usize, AllowLeaf>,
    /// Where the tree is defined ("maximum defined here").
    pub location: Option<Location>,
}

impl AllowIndex {
    /// Add a tree's leaves, reporting paths outside the catalogue.
    pub fn add_tree(
        &mut self,
        file: FileId,
        tree: &Spanned<NodeValue>,
        catalog: &ToggleCatalog,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.location.get_or_insert_with(|| at(file, tree.span()));
        let NodeValue::Table(sections) = tree.get_ref() else {
            let msg = "`allow` must be a table of sections".to_string();
            diags.push(policy_error(file, tree.span(), msg, "expected a table"));
            return;
        };
        for s in sections {
            let Some(section) = catalog.section(s.name.get_ref()).map(str::to_string) else {
                let msg = format!(
                    "section `{}` is not in the toggle catalogue",
                    s.name.get_ref()
                );
                diags.push(policy_error(file, s.name.span(), msg, "unknown section"));
                continue;
            };
            match s.value.get_ref() {
                NodeValue::All => self.add_all(file, s.value.span(), catalog.under(&section, None)),
                NodeValue::Table(groups) => {
                    for g in groups {
                        self.add_group(file, &section, g, catalog, diags);
                    }
                }
                NodeValue::List(_) => {
                    let msg = format!("section `{section}` takes a table of groups or \"all\"");
                    diags.push(policy_error(file, s.value.span(), msg, "found a list"));
                }
            }
        }
    }

    fn add_group(
        &mut self,
        file: FileId,
        section: &str,
        g: &crate::document::toggle_tree::Node,
        catalog: &ToggleCatalog,
        diags: &mut Vec<Diagnostic>,
    ) {
        let group = g.name.get_ref();
        match g.value.get_ref() {
            NodeValue::All if catalog.has_group(section, group) => {
                self.add_all(file, g.value.span(), catalog.under(section, Some(group)))
            }
            NodeValue::Table(toggles) if catalog.has_group(section, group) => {
                for t in toggles {
                    let Ok(id) = catalog.lookup(section, group, t.name.get_ref()) else {
                        let msg = format!(
                            "toggle `{section} > {group} > {}` is not in the toggle catalogue",
                            t.name.get_ref()
                        );
                        diags.push(policy_error(file, t.name.span(), msg, "unknown toggle"));
                        continue;
                    };
                    let Some(limit) = leaf_limit(t.value.get_ref()) else {
                        let msg = "an allowed toggle takes `[]`, a list of sub-toggles, \"all\" or `{ except = [...] }`".to_string();
                        diags.push(policy_error(file, t.value.span(), msg, "unexpected value"));
                        continue;
                    };
                    self.leaves.insert(
                        id,
                        AllowLeaf {
                            limit,
                            location: at(file, t.name.span().start..t.value.span().end),
                        },
                    );
                }
            }
            NodeValue::List(_) => {
                let msg =
                    format!("group `{section} > {group}` takes a table of toggles or \"all\"");
                diags.push(policy_error(file, g.value.span(), msg, "found a list"));
            }
            _ => {
                let msg = format!("group `{section} > {group}` is not in the toggle catalogue");
                diags.push(policy_error(file, g.name.span(), msg, "unknown group"));
            }
        }
    }

    fn add_all(&mut self, file: FileId, span: Range<usize>, ids: Vec<usize>) {
        for id in ids {
            let leaf = AllowLeaf {
                limit: Limit::All,
                location: at(file, span.clone()),
            };
            self.leaves.insert(id, leaf);
        }
    }
}

fn leaf_limit(value: &NodeValue) -> Option<Limit> {
    Some(match value {
        NodeValue::All => Limit::All,
        NodeValue::List(l) if l.is_empty() => Limit::NoSubs,
        NodeValue::List(l) => Limit::Only(l.iter().map(|s| s.get_ref().clone()).collect()),
        NodeValue::Table(t) => match t.as_slice() {
            [node] if node.name.get_ref() == "except" => match node.value.get_ref() {
                NodeValue::List(l) => {
                    Limit::Except(l.iter().map(|s| s.get_ref().clone()).collect())
                }
                _ => return None,
            },
            _ => return None,
        },
    })
}

/// Why one enabled toggle is beyond the ceiling.
enum Excess {
    Unknown {
        suggestion: Option<String>,
    },
    NotAllowed,
    /// `keep`: the sub-toggles that may stay on, when that can be said without the catalogue.
    Subs {
        label: String,
        leaf: Location,
        keep: Option<Vec<String>>,
    },
}

fn excess(item: &Enabled, index: &AllowIndex) -> Option<Excess> {
    let Some(id) = item.toggle else {
        return Some(Excess::Unknown {
            suggestion: item.suggestion.clone(),
        });
    };
    let Some(leaf) = index.leaves.get(&id) else {
        return Some(Excess::NotAllowed);
    };
    let subs_label = |names: Vec<&str>| {
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let plural = if names.len() == 1 {
            "sub-toggle"
        } else {
            "sub-toggles"
        };
        format!("{plural} {list} must stay off")
    };
    let on_names = |subs: &Subs| match subs {
        Subs::Only(on) => on.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>(),
        Subs::All => Vec::new(),
    };
    let label = match (&leaf.limit, item.subs) {
        (Limit::All, _) => return None,
        (Limit::NoSubs, Subs::All) => {
            "\"all\" turns on every sub-toggle; the maximum allows none".to_string()
        }
        (Limit::NoSubs, Subs::Only(on)) if !on.is_empty() => {
            subs_label(on.iter().map(|s| s.get_ref().as_str()).collect())
        }
        (Limit::Only(_), Subs::All) => {
            "\"all\" turns on sub-toggles beyond the maximum".to_string()
        }
        (Limit::Only(allowed), Subs::Only(on)) => {
            let extra: Vec<&str> = on
                .iter()
                .map(|s| s.get_ref().as_str())
                .filter(|s| !contains(allowed, s))
                .collect();
            if extra.is_empty() {
                return None;
            }
            subs_label(extra)
        }
        (Limit::Except(off), Subs::All) => {
            let names: Vec<String> = off.iter().map(|s| format!("`{s}`")).collect();
            format!(
                "\"all\" also turns on {}, which must stay off",
                names.join(", ")
            )
        }
        (Limit::Except(off), Subs::Only(on)) => {
            let bad: Vec<&str> = on
                .iter()
                .map(|s| s.get_ref().as_str())
                .filter(|s| contains(off, s))
                .collect();
            if bad.is_empty() {
                return None;
            }
            subs_label(bad)
        }
        _ => return None,
    };
    // Which sub-toggles may stay on: worked out only once something is beyond the maximum.
    let keep = match (&leaf.limit, item.subs) {
        (Limit::NoSubs, _) => Some(Vec::new()),
        (Limit::Only(allowed), Subs::All) => Some(allowed.clone()),
        (Limit::Only(allowed), on) => Some(
            on_names(on)
                .into_iter()
                .filter(|s| contains(allowed, s))
                .collect(),
        ),
        (Limit::Except(off), on @ Subs::Only(_)) => Some(
            on_names(on)
                .into_iter()
                .filter(|s| !contains(off, s))
                .collect(),
        ),
        _ => None,
    };
    Some(Excess::Subs {
        label,
        leaf: leaf.location.clone(),
        keep,
    })
}

fn contains(list: &[String], name: &str) -> bool {
    list.iter().any(|s| same_name(s, name))
}

/// Check one role against a resolved ceiling.
pub fn check(
    c: &Ceiling,
    index: &AllowIndex,
    meta: &RuleMeta,
    role: &RoleView,
    enabled: &[Enabled],
    catalog: &ToggleCatalog,
    out: &mut Vec<Diagnostic>,
) {
    if !c.where_.matches(role) {
        return;
    }
    let role_name = role.name.get_ref().as_str();
    let connectors = role.connectors();
    if c.applies_to != AppliesTo::OverallToggles {
        for item in enabled.iter().filter(|e| e.overall.is_none()) {
            let Some(why) = excess(item, index) else {
                continue;
            };
            let vars = [
                ("role", role_name),
                ("toggle", &*item.path),
                ("connectors", connectors.as_str()),
            ];
            let mut d = meta
                .finding(&item.location, &vars)
                .with_subject(format!("{role_name}/{}", item.path));
            d = match why {
                Excess::Unknown { suggestion } => {
                    let fix = crate::report::fix::rename_unknown(item, catalog)
                        .unwrap_or_else(|| Fix::unsafe_(Edit::RemoveKey));
                    let mut d = d
                        .with_label("not a known toggle, so not within the maximum")
                        .with_fix(Some(fix));
                    let note = match suggestion {
                        Some(s) => format!(
                            "`{}` is not in the toggle catalogue; did you mean `{s}`?",
                            item.path
                        ),
                        None => format!("`{}` is not in the toggle catalogue", item.path),
                    };
                    d = d.with_note(note);
                    d
                }
                Excess::NotAllowed => {
                    let d = d
                        .with_label("not part of the maximum")
                        .with_fix(Some(Fix::unsafe_(Edit::RemoveKey)));
                    match &index.location {
                        Some(l) => d.with_secondary(l.clone(), "maximum defined here"),
                        None => d,
                    }
                }
                Excess::Subs { label, leaf, keep } => d
                    .with_label(label)
                    .with_fix(keep.map(|k| Fix::unsafe_(Edit::SetStrings(k))))
                    .with_secondary(leaf, format!("maximum for `{}` defined here", item.path)),
            };
            out.push(d);
        }
    }
    if c.applies_to != AppliesTo::Toggles {
        check_overall(index, meta, role, enabled, &connectors, out);
    }
}

/// One finding per overall toggle that drags in anything beyond the ceiling.
fn check_overall(
    index: &AllowIndex,
    meta: &RuleMeta,
    role: &RoleView,
    enabled: &[Enabled],
    connectors: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut groups: BTreeMap<(usize, String), (Location, Vec<&str>)> = BTreeMap::new();
    for item in enabled {
        let Some(overall) = &item.overall else {
            continue;
        };
        if excess(item, index).is_some() {
            groups
                .entry((overall.location.span.start, overall.path.clone()))
                .or_insert_with(|| (overall.location.clone(), Vec::new()))
                .1
                .push(&*item.path);
        }
    }
    let role_name = role.name.get_ref().as_str();
    for ((_, path), (location, items)) in groups {
        let count = items.len().to_string();
        let vars = [
            ("role", role_name),
            ("toggle", path.as_str()),
            ("count", count.as_str()),
            ("connectors", connectors),
        ];
        let shown: Vec<String> = items.iter().take(8).map(|i| format!("`{i}`")).collect();
        let more = if items.len() > 8 {
            format!(" and {} more", items.len() - 8)
        } else {
            String::new()
        };
        let mut d = meta
            .finding(&location, &vars)
            .with_subject(format!("{role_name}/{path}/all"))
            .with_label(format!(
                "the overall toggle turns on everything beneath `{path}`"
            ))
            .with_note(format!("beyond the maximum: {}{more}", shown.join(", ")));
        if let Some(l) = &index.location {
            d = d.with_secondary(l.clone(), "maximum defined here");
        }
        out.push(d);
    }
}

/// Resolve every ceiling's allow tree (following `allow-from`) against the catalogue.
pub fn resolve_all(
    rules: &[&crate::evaluate::policy::Rule],
    catalog: &ToggleCatalog,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> FxHashMap<String, AllowIndex> {
    let mut out: FxHashMap<String, AllowIndex> = FxHashMap::default();
    for rule in rules {
        let super::RuleKind::Ceiling(c) = &rule.kind else {
            continue;
        };
        if let AllowSource::Tree(tree) = &c.allow {
            let mut index = AllowIndex::default();
            index.add_tree(c.file, tree, catalog, diags);
            add_flags(c, &mut index, catalog, config, diags);
            out.insert(rule.meta.code.clone(), index);
        }
    }
    // The first ceiling with a tree of each code and name: one look-up per `allow-from`.
    let mut trees: FxHashMap<&str, &str> = FxHashMap::default();
    for rule in rules {
        if matches!(&rule.kind, super::RuleKind::Ceiling(t) if matches!(t.allow, AllowSource::Tree(_)))
        {
            for id in [&rule.meta.code, &rule.meta.name] {
                trees.entry(id.as_str()).or_insert(rule.meta.code.as_str());
            }
        }
    }
    for rule in rules {
        let super::RuleKind::Ceiling(c) = &rule.kind else {
            continue;
        };
        if let AllowSource::From(from) = &c.allow {
            let target = trees.get(from.get_ref().as_str());
            match target.and_then(|code| out.get(*code)).cloned() {
                Some(mut index) => {
                    add_flags(c, &mut index, catalog, config, diags);
                    out.insert(rule.meta.code.clone(), index);
                }
                None => {
                    let msg = format!(
                        "`allow-from` names `{}`, which is not a ceiling with an `allow` tree",
                        from.get_ref()
                    );
                    diags.push(policy_error(c.file, from.span(), msg, "no such ceiling"));
                }
            }
        }
    }
    out
}

fn add_flags(
    c: &Ceiling,
    index: &mut AllowIndex,
    catalog: &ToggleCatalog,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    for (flag, tree) in &c.allow_when {
        let on = match flag.get_ref().as_str() {
            "integrated-allows-ideation" => config.align.integrated_allows_ideation,
            _ => false,
        };
        if on {
            let location = index.location.clone();
            index.add_tree(c.file, tree, catalog, diags);
            index.location = location;
        }
    }
}
