//! `type = "ceiling"`: every enabled toggle and sub-toggle of a selected role must lie
//! inside the `allow` tree.
//!
//! The allow tree mirrors the role tree; a leaf is `[]` (no sub-toggles), `["A"]` (only
//! these), `"all"`, or `{ except = ["A"] }`. `applies-to` picks what is reported:
//! `toggles` (each toggle set directly), `overall-toggles` (one finding per section or
//! group switched on with `"all"`, listing what it drags in) or `both` (the default).
//! `allow-from` reuses another ceiling's tree; `allow-when` extends it when a
//! configuration flag is set (`integrated-allows-ideation`).
mod allow_index;

pub use allow_index::{AllowIndex, AllowLeaf, Limit};

use crate::diagnostics::text::{Interner, Text as Phrase};
use super::{Entry, ResolveCx, Resolved, RoleCheck, RuleType, TreatedAs, Where};
use crate::catalog::ToggleCatalog;
use crate::config::Config;
use crate::diagnostics::fix::{Edit, Fix};
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::{fill, Diagnostic};
use crate::document::align_role::Subs;
use crate::document::toggle_tree::{same_name, NodeValue};
use crate::evaluate::policy::RuleMeta;
use crate::resolve::{Enabled, RoleView};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Configuration flags `allow-when` may name.
pub const FLAGS: &[&str] = &["integrated-allows-ideation"];

/// The parameters of a ceiling entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default, rename = "where")]
    pub where_: Option<Where>,
    #[serde(default)]
    pub allow: Option<Spanned<NodeValue>>,
    #[serde(default)]
    pub allow_from: Option<Spanned<String>>,
    #[serde(default)]
    pub allow_when: BTreeMap<Spanned<String>, Spanned<NodeValue>>,
    #[serde(default)]
    pub applies_to: Option<Spanned<String>>,
}

/// The wording of a ceiling's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub unknown_label: Phrase,
    pub unknown_note: Phrase,
    pub unknown_note_suggestion: Phrase,
    pub not_allowed_label: Phrase,
    pub maximum_here: Phrase,
    pub leaf_here: Phrase,
    pub subs_off_one: Phrase,
    pub subs_off_many: Phrase,
    pub all_but_none_allowed: Phrase,
    pub all_but_some_allowed: Phrase,
    pub all_but_except: Phrase,
    pub overall_label: Phrase,
    pub overall_note: Phrase,
    pub overall_more: Phrase,
}

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
    pub text: Text,
}

/// A ceiling resolved: its allow tree (after `allow-from` and `allow-when`) as an index.
#[derive(Debug)]
struct Active {
    where_: Where,
    applies_to: AppliesTo,
    index: AllowIndex,
    text: Text,
    /// `text.maximum_here`, one copy for every finding.
    maximum_here: crate::diagnostics::text::Text,
    /// Labels and notes built per finding, kept once per distinct text.
    texts: Interner,
}

impl RuleType for Ceiling {
    const NAME: &'static str = "ceiling";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let file = entry.file;
        let allow = match (p.allow, p.allow_from) {
            (Some(tree), None) => AllowSource::Tree(tree),
            (None, Some(from)) => AllowSource::From(from),
            (Some(tree), Some(_)) => {
                diags.push(says::AllowAndAllowFrom.at(file, tree.span()));
                return None;
            }
            (None, None) => {
                diags.push(says::CeilingAllowsNothing.at(file, entry.type_span.clone()));
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
                diags.push(says::CeilingAppliesTo { value: other }.at(file, span));
                return None;
            }
        };
        for flag in p.allow_when.keys() {
            if !FLAGS.contains(&flag.get_ref().as_str()) {
                let flag_name = flag.get_ref();
                diags.push(says::UnknownAllowWhenFlag { flag: flag_name }.at(file, flag.span()));
            }
        }
        Some(Self {
            where_: p.where_.unwrap_or_default(),
            allow,
            allow_when: p.allow_when.into_iter().collect(),
            applies_to,
            file,
            text,
        })
    }

    /// The allow tree as an index; `allow-from` reads the named ceiling's tree (that
    /// ceiling reports its own tree's problems).
    fn resolve(&self, cx: &ResolveCx<'_>, diags: &mut Vec<Diagnostic>) -> Option<Resolved> {
        let index = match &self.allow {
            AllowSource::Tree(tree) => self.index(tree, cx, diags),
            AllowSource::From(from) => {
                let Some((target, tree)) = tree_named(cx, from.get_ref()) else {
                    let name = from.get_ref();
                    diags.push(says::AllowFromUnknown { name }.at(self.file, from.span()));
                    return None;
                };
                let mut index = target.index(tree, cx, &mut Vec::new());
                self.add_flags(&mut index, cx.catalog, cx.config, diags);
                index
            }
        };
        Some(Resolved::Role(Box::new(Active {
            where_: self.where_.clone(),
            applies_to: self.applies_to,
            index,
            text: self.text.clone(),
            maximum_here: self.text.maximum_here.clone(),
            texts: Interner::default(),
        })))
    }

    fn selects(&self) -> Option<&Where> {
        Some(&self.where_)
    }
}

impl Ceiling {
    /// `tree` and this ceiling's `allow-when` trees whose flag is set.
    fn index(
        &self,
        tree: &Spanned<NodeValue>,
        cx: &ResolveCx<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> AllowIndex {
        let mut index = AllowIndex::default();
        index.add_tree(self.file, tree, cx.catalog, diags);
        self.add_flags(&mut index, cx.catalog, cx.config, diags);
        index
    }

    fn add_flags(
        &self,
        index: &mut AllowIndex,
        catalog: &ToggleCatalog,
        config: &Config,
        diags: &mut Vec<Diagnostic>,
    ) {
        for (flag, tree) in &self.allow_when {
            let on = match flag.get_ref().as_str() {
                "integrated-allows-ideation" => config.align.integrated_allows_ideation,
                _ => false,
            };
            if on {
                let location = index.location.clone();
                index.add_tree(self.file, tree, catalog, diags);
                index.location = location;
            }
        }
    }
}

/// The first active ceiling with an `allow` tree whose code or name is `id`.
fn tree_named<'a>(cx: &ResolveCx<'a>, id: &str) -> Option<(&'a Ceiling, &'a Spanned<NodeValue>)> {
    cx.rules.iter().find_map(|rule| {
        let c = rule.kind.as_any().downcast_ref::<Ceiling>()?;
        let AllowSource::Tree(tree) = &c.allow else {
            return None;
        };
        (rule.meta.code == id || rule.meta.name == id).then_some((c, tree))
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
        label: Phrase,
        leaf: Location,
        keep: Option<Vec<String>>,
    },
}

fn excess(item: &Enabled, index: &AllowIndex, text: &Text, texts: &Interner) -> Option<Excess> {
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
        let template = if names.len() == 1 {
            &text.subs_off_one
        } else {
            &text.subs_off_many
        };
        texts.text(fill(template, &[("subs", &list)]))
    };
    let on_names = |subs: &Subs| match subs {
        Subs::Only(on) => on.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>(),
        Subs::All => Vec::new(),
    };
    let label = match (&leaf.limit, item.subs) {
        (Limit::All, _) => return None,
        (Limit::NoSubs, Subs::All) => text.all_but_none_allowed.clone(),
        (Limit::NoSubs, Subs::Only(on)) if !on.is_empty() => {
            subs_label(on.iter().map(|s| s.get_ref().as_str()).collect())
        }
        (Limit::Only(_), Subs::All) => text.all_but_some_allowed.clone(),
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
            texts.text(fill(&text.all_but_except, &[("subs", &names.join(", "))]))
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

impl RoleCheck for Active {
    fn check(
        &self,
        meta: &RuleMeta,
        role: &RoleView,
        enabled: &[Enabled],
        catalog: &ToggleCatalog,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        if !self.where_.matches(role) {
            return false;
        }
        check(self, meta, role, enabled, catalog, out);
        role.treated_as == TreatedAs::Integrated
    }

    fn holds(&self, role: &RoleView) -> bool {
        self.where_.matches(role) && role.treated_as == TreatedAs::Integrated
    }
}

/// Check one role against a resolved ceiling.
fn check(
    c: &Active,
    meta: &RuleMeta,
    role: &RoleView,
    enabled: &[Enabled],
    catalog: &ToggleCatalog,
    out: &mut Vec<Diagnostic>,
) {
    let (index, text) = (&c.index, &c.text);
    let role_name = role.name.get_ref().as_str();
    let connectors = role.connectors();
    if c.applies_to != AppliesTo::OverallToggles {
        for item in enabled.iter().filter(|e| e.overall.is_none()) {
            let Some(why) = excess(item, index, text, &c.texts) else {
                continue;
            };
            let vars = [
                ("role", role_name),
                ("toggle", &*item.path),
                ("connectors", connectors.as_str()),
            ];
            let mut d = meta
                .finding(&item.location, &vars, &format!("{role_name}/{}", item.path));
            d = match why {
                Excess::Unknown { suggestion } => {
                    let fix = crate::evaluate::fixes::rename_unknown(item, catalog)
                        .unwrap_or_else(|| Fix::unsafe_(Edit::RemoveKey));
                    let note = match suggestion {
                        Some(s) => fill(
                            &text.unknown_note_suggestion,
                            &[("toggle", &item.path), ("suggestion", &s)],
                        ),
                        None => fill(&text.unknown_note, &[("toggle", &item.path)]),
                    };
                    d.with_label(text.unknown_label.clone())
                        .with_fix_in(fix, &c.texts)
                        .with_note_in(c.texts.text(note), &c.texts)
                }
                Excess::NotAllowed => {
                    let d = d
                        .with_label(text.not_allowed_label.clone())
                        .with_fix(Some(Fix::unsafe_(Edit::RemoveKey)));
                    match &index.location {
                        Some(l) => {
                            d.with_secondary_in(l.clone(), c.maximum_here.clone(), &c.texts)
                        }
                        None => d,
                    }
                }
                Excess::Subs { label, leaf, keep } => d
                    .with_label(label)
                    .with_fix(keep.map(|k| Fix::unsafe_(Edit::SetStrings(k))))
                    .with_secondary(leaf, c.texts.text(fill(&text.leaf_here, &[("toggle", &item.path)]))),
            };
            out.push(d);
        }
    }
    if c.applies_to != AppliesTo::Toggles {
        check_overall(c, meta, role, enabled, &connectors, out);
    }
}

/// One finding per overall toggle that drags in anything beyond the ceiling.
fn check_overall(
    c: &Active,
    meta: &RuleMeta,
    role: &RoleView,
    enabled: &[Enabled],
    connectors: &str,
    out: &mut Vec<Diagnostic>,
) {
    let (index, text) = (&c.index, &c.text);
    let mut groups: BTreeMap<(usize, String), (Location, Vec<&str>)> = BTreeMap::new();
    for item in enabled {
        let Some(overall) = &item.overall else {
            continue;
        };
        if excess(item, index, text, &c.texts).is_some() {
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
            fill(
                &text.overall_more,
                &[("count", &(items.len() - 8).to_string())],
            )
        } else {
            String::new()
        };
        let toggles = shown.join(", ");
        let note = fill(
            &text.overall_note,
            &[("toggles", &toggles), ("more", &more)],
        );
        let mut d = meta
            .finding(&location, &vars, &format!("{role_name}/{path}/all"))
            .with_label(c.texts.text(fill(&text.overall_label, &[("toggle", &path)])))
            .with_note(c.texts.text(note));
        if let Some(l) = &index.location {
            d = d.with_secondary_in(l.clone(), c.maximum_here.clone(), &c.texts);
        }
        out.push(d);
    }
}
