//! `kind = "align-role"`: one Jira Align system role and its enabled toggles.
use super::table::{string, strings, Common};
use super::toggle_tree::{normalize, same_name, Node, NodeValue};
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAlignRole {
    #[allow(dead_code)]
    kind: String,
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    license: Option<Spanned<String>>,
    #[serde(default)]
    connector_default: Vec<Spanned<String>>,
    #[serde(default)]
    toggles: Option<Spanned<NodeValue>>,
}

impl RawAlignRole {
    /// Read a well-formed role straight from the parsed table, as serde would, without
    /// serde's per-value machinery (roles are most of a repository). `None` for anything
    /// unusual: the serde path then produces the exact diagnostic.
    pub fn from_table(table: &DeTable<'_>) -> Option<Self> {
        let mut common = Common::default();
        let (mut license, mut connector_default, mut toggles) = (None, Vec::new(), None);
        for (key, value) in table.iter() {
            let key = key.get_ref().as_ref();
            if common.take(key, value)? {
                continue;
            }
            match key {
                "license" => license = Some(string(value)?),
                "connector-default" => connector_default = strings(value)?,
                "toggles" => toggles = Some(node_value(value)?),
                _ => return None,
            }
        }
        Some(Self {
            kind: common.kind?,
            name: common.name?,
            description: common.description,
            license,
            connector_default,
            toggles,
        })
    }
}

fn node_value(v: &Spanned<DeValue<'_>>) -> Option<Spanned<NodeValue>> {
    let value = match v.get_ref() {
        DeValue::String(s) if s == "all" => NodeValue::All,
        DeValue::Array(_) => NodeValue::List(strings(v)?),
        DeValue::Table(t) => NodeValue::Table(
            t.iter()
                .map(|(k, v)| {
                    Some(Node {
                        name: Spanned::new(k.span(), k.get_ref().to_string()),
                        value: node_value(v)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    };
    Some(Spanned::new(v.span(), value))
}

/// The license a role declares it is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicenseIntent {
    Integrated,
    Full,
    External,
}

impl LicenseIntent {
    pub const NAMES: &'static [&'static str] = &["integrated", "full", "external"];

    fn parse(s: &str) -> Option<Self> {
        match s {
            "integrated" => Some(Self::Integrated),
            "full" => Some(Self::Full),
            "external" => Some(Self::External),
            _ => None,
        }
    }
}

/// Connectors that can assign a default system role to the users they create.
pub const CONNECTORS: &[&str] = &["jira", "ado"];

#[derive(Debug)]
pub struct AlignRole {
    pub file: FileId,
    pub name: Spanned<String>,
    pub description: Option<String>,
    pub license: Option<Spanned<LicenseIntent>>,
    pub connector_default: Vec<Spanned<String>>,
    pub sections: Vec<Section>,
}

/// `[toggles.<section>]`, or `<section> = "all"` (the overall toggle).
#[derive(Debug)]
pub struct Section {
    pub name: Spanned<String>,
    /// Span of `"all"` when the overall toggle is switched on directly.
    pub all: Option<Range<usize>>,
    pub groups: Vec<Group>,
}

#[derive(Debug)]
pub struct Group {
    pub name: Spanned<String>,
    pub all: Option<Range<usize>>,
    pub toggles: Vec<Toggle>,
}

#[derive(Debug)]
pub struct Toggle {
    pub name: Spanned<String>,
    pub value_span: Range<usize>,
    pub subs: Subs,
}

/// The enabled sub-toggles of a toggle.
#[derive(Debug, Clone)]
pub enum Subs {
    All,
    Only(Vec<Spanned<String>>),
}

impl AlignRole {
    pub fn license(&self) -> Option<LicenseIntent> {
        self.license.as_ref().map(|l| *l.get_ref())
    }
}

pub fn validate(file: FileId, raw: RawAlignRole, diags: &mut Vec<Diagnostic>) -> Option<AlignRole> {
    let license = raw.license.and_then(|l| {
        let span = l.span();
        match LicenseIntent::parse(l.get_ref()) {
            Some(intent) => Some(Spanned::new(span, intent)),
            None => {
                diags.push(invalid_choice(
                    file,
                    span,
                    "license",
                    l.get_ref(),
                    LicenseIntent::NAMES,
                ));
                None
            }
        }
    });
    let mut connector_default = Vec::new();
    for c in raw.connector_default {
        let lower = c.get_ref().to_lowercase();
        if CONNECTORS.contains(&lower.as_str()) {
            connector_default.push(Spanned::new(c.span(), lower));
        } else {
            diags.push(invalid_choice(
                file,
                c.span(),
                "connector-default",
                c.get_ref(),
                CONNECTORS,
            ));
        }
    }
    let sections = match raw.toggles {
        None => Vec::new(),
        Some(t) => match t.into_inner() {
            NodeValue::Table(nodes) => sections(file, nodes, diags),
            other => {
                let found = other.describe();
                diags.push(says::TogglesShape { found }.at(file, 0..0));
                Vec::new()
            }
        },
    };
    Some(AlignRole {
        file,
        name: raw.name,
        description: raw.description,
        license,
        connector_default,
        sections,
    })
}

fn invalid_choice(
    file: FileId,
    span: Range<usize>,
    key: &str,
    value: &str,
    allowed: &[&str],
) -> Diagnostic {
    let allowed_list = super::backticked(allowed);
    let mut d = says::NotOneOf {
        key,
        allowed: &allowed_list,
        value,
    }
    .at(file, span);
    if let Some(s) = did_you_mean(value, allowed.iter().copied()) {
        d = d.with_help(says::DidYouMean { suggestion: s }.text());
    }
    d
}

fn sections(file: FileId, nodes: Vec<Node>, diags: &mut Vec<Diagnostic>) -> Vec<Section> {
    let mut out = Vec::new();
    let twice = |name: &str, span| says::SectionTwice { name }.at(file, span);
    for node in dedup(file, nodes, twice, diags) {
        let span = node.value.span();
        let (all, groups) = match node.value.into_inner() {
            NodeValue::All => (Some(span), Vec::new()),
            NodeValue::Table(children) => (None, groups(file, children, diags)),
            other => {
                let (name, found) = (node.name.get_ref().as_str(), other.describe());
                diags.push(says::SectionShape { name, found }.at(file, span));
                continue;
            }
        };
        out.push(Section {
            name: node.name,
            all,
            groups,
        });
    }
    out
}

fn groups(file: FileId, nodes: Vec<Node>, diags: &mut Vec<Diagnostic>) -> Vec<Group> {
    let mut out = Vec::new();
    let twice = |name: &str, span| says::GroupTwice { name }.at(file, span);
    for node in dedup(file, nodes, twice, diags) {
        let span = node.value.span();
        let (all, toggles) = match node.value.into_inner() {
            NodeValue::All => (Some(span), Vec::new()),
            NodeValue::Table(children) => (None, toggles(file, children, diags)),
            other => {
                let (name, found) = (node.name.get_ref().as_str(), other.describe());
                diags.push(says::GroupShape { name, found }.at(file, span));
                continue;
            }
        };
        out.push(Group {
            name: node.name,
            all,
            toggles,
        });
    }
    out
}

fn toggles(file: FileId, nodes: Vec<Node>, diags: &mut Vec<Diagnostic>) -> Vec<Toggle> {
    let mut out = Vec::new();
    let twice = |name: &str, span| says::ToggleTwice { name }.at(file, span);
    for node in dedup(file, nodes, twice, diags) {
        let value_span = node.value.span();
        let subs = match node.value.into_inner() {
            NodeValue::All => Subs::All,
            NodeValue::List(items) => Subs::Only(dedup_subs(file, items, diags)),
            other => {
                let (name, found) = (node.name.get_ref().as_str(), other.describe());
                diags.push(says::ToggleShape { name, found }.at(file, value_span));
                continue;
            }
        };
        out.push(Toggle {
            name: node.name,
            value_span,
            subs,
        });
    }
    out
}

/// Names that differ only in case or spacing are the same toggle in Jira Align.
/// Up to this many names, earlier names are scanned without allocating; beyond it (a role
/// may list 100,000 toggles) a map keeps the check linear.
const SCAN_LIMIT: usize = 32;

/// `nodes` without those named like an earlier one, each reported by `twice(name, span)`.
fn dedup(
    file: FileId,
    nodes: Vec<Node>,
    twice: impl Fn(&str, Range<usize>) -> Diagnostic,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Node> {
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut out: Vec<Node> = Vec::with_capacity(nodes.len());
    let small = nodes.len() <= SCAN_LIMIT;
    for node in nodes {
        let first = if small {
            out.iter()
                .find(|n| same_name(n.name.get_ref(), node.name.get_ref()))
                .map(|n| n.name.span())
        } else {
            let key = normalize(node.name.get_ref());
            let first = seen.get(&key).cloned();
            seen.entry(key).or_insert_with(|| node.name.span());
            first
        };
        if let Some(first) = first {
            diags.push(twice(node.name.get_ref(), node.name.span()).with_secondary(
                crate::diagnostics::source::Location::new(file, first.clone()),
                says::FirstListedHere.text(),
            ));
            continue;
        }
        out.push(node);
    }
    out
}

fn dedup_subs(
    file: FileId,
    items: Vec<Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Spanned<String>> {
    let mut seen = HashSet::new();
    let small = items.len() <= SCAN_LIMIT;
    let mut out: Vec<Spanned<String>> = Vec::with_capacity(items.len());
    for item in items {
        let repeated = if small {
            out.iter().any(|s| same_name(s.get_ref(), item.get_ref()))
        } else {
            !seen.insert(normalize(item.get_ref()))
        };
        if repeated {
            diags.push(
                says::SubToggleTwice {
                    name: item.get_ref(),
                }
                .at(file, item.span()),
            );
            continue;
        }
        out.push(item);
    }
    out
}
