//! A ceiling's allow tree resolved against the toggle catalogue: which toggles the maximum
//! allows, with how many sub-toggles, and where each is written (resolve time; the check
//! reads it for every role).
use crate::catalog::ToggleCatalog;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::toggle_tree::{Node, NodeValue};
use crate::evaluate::rules::at;
use rustc_hash::FxHashMap;
use std::ops::Range;
use toml::Spanned;

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
            diags.push(says::AllowNotATable.at(file, tree.span()));
            return;
        };
        for s in sections {
            let Some(section) = catalog.section(s.name.get_ref()).map(str::to_string) else {
                let section = s.name.get_ref();
                diags.push(says::AllowUnknownSection { section }.at(file, s.name.span()));
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
                    let section = section.as_str();
                    diags.push(says::AllowSectionList { section }.at(file, s.value.span()));
                }
            }
        }
    }

    fn add_group(
        &mut self,
        file: FileId,
        section: &str,
        g: &Node,
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
                        let toggle = t.name.get_ref();
                        let d = says::AllowUnknownToggle {
                            section,
                            group,
                            toggle,
                        };
                        diags.push(d.at(file, t.name.span()));
                        continue;
                    };
                    let Some(limit) = leaf_limit(t.value.get_ref()) else {
                        diags.push(says::AllowLeafShape.at(file, t.value.span()));
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
                diags.push(says::AllowGroupList { section, group }.at(file, g.value.span()));
            }
            _ => {
                diags.push(says::AllowUnknownGroup { section, group }.at(file, g.name.span()));
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
