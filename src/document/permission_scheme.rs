//! `kind = "jira-permission-scheme"`: one Jira permission scheme, permission key → holders.
//!
//! Keys are checked against the permission catalogue later (in `jira::build`), because
//! whether a key exists depends on `[jira] platform` in `rolelint.toml`.
use super::holder::{self, Allowed, Holder, SpannedHolder};
use super::table::{strings, Common};
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::text::Text;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawScheme {
    #[allow(dead_code)]
    kind: String,
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    grants: BTreeMap<Spanned<Text>, Vec<Spanned<String>>>,
    /// `[group-ids]`: group name → Jira group id, for the scheme's `group:` holders
    /// (`rolelint import jira-scheme` fills it; Atlassian recommends ids, names change).
    #[serde(default)]
    group_ids: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl RawScheme {
    /// A well-formed scheme read straight from the parsed table (see [`super::table`]).
    pub fn from_table(table: &DeTable<'_>) -> Option<Self> {
        let mut common = Common::default();
        let mut grants = BTreeMap::new();
        for (key, value) in table.iter() {
            let key = key.get_ref().as_ref();
            if common.take(key, value)? {
                continue;
            }
            let ("grants", DeValue::Table(table)) = (key, value.get_ref()) else {
                return None;
            };
            for (k, v) in table.iter() {
                let key = crate::diagnostics::text::name(k.get_ref());
                grants.insert(Spanned::new(k.span(), key), strings(v)?);
            }
        }
        Some(Self {
            kind: common.kind?,
            name: common.name?,
            description: common.description,
            grants,
            group_ids: BTreeMap::new(),
        })
    }
}

/// One permission key and the holders it is granted to.
#[derive(Debug, Clone)]
pub struct Grant {
    /// A permission key: one shared copy per distinct key ([`crate::diagnostics::text::name`]).
    pub permission: Spanned<Text>,
    pub holders: Vec<SpannedHolder>,
}

/// A permission scheme (also the shape of `jira-global-permissions`).
#[derive(Debug, Clone)]
pub struct PermissionScheme {
    pub file: FileId,
    pub name: Spanned<String>,
    pub description: Option<String>,
    pub grants: Vec<Grant>,
}

impl PermissionScheme {
    /// The holders of `permission` (empty when the scheme does not grant it).
    pub fn holders(&self, permission: &str) -> &[SpannedHolder] {
        self.grants
            .iter()
            .find(|g| g.permission.get_ref() == permission)
            .map_or(&[], |g| g.holders.as_slice())
    }
}

/// Parse `[grants]`: each list's holders, duplicates reported.
pub fn grants(
    file: FileId,
    raw: BTreeMap<Spanned<Text>, Vec<Spanned<String>>>,
    allowed: Allowed,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Grant> {
    let mut out: Vec<Grant> = raw
        .into_iter()
        .map(|(permission, items)| {
            let context = || {
                says::GrantsOf {
                    permission: permission.get_ref(),
                }
                .text()
                .into()
            };
            let holders = holder::parse_list(file, &items, allowed, &context, diags);
            Grant {
                permission,
                holders,
            }
        })
        .collect();
    // Document order, not key order: findings then follow the file top to bottom.
    out.sort_by_key(|g| g.permission.span().start);
    out
}

pub fn validate(
    file: FileId,
    raw: RawScheme,
    diags: &mut Vec<Diagnostic>,
) -> Option<PermissionScheme> {
    let grants = grants(file, raw.grants, Allowed::Any, diags);
    check_group_ids(file, &raw.group_ids, &grants, diags);
    Some(PermissionScheme {
        file,
        name: raw.name,
        description: raw.description,
        grants,
    })
}

/// `[group-ids]`: each name is a group the scheme grants something, each id is not blank
/// and belongs to one name only (two names with one id are one group renamed).
fn check_group_ids(
    file: FileId,
    ids: &BTreeMap<Spanned<String>, Spanned<String>>,
    grants: &[Grant],
    diags: &mut Vec<Diagnostic>,
) {
    if ids.is_empty() {
        return;
    }
    let granted: std::collections::HashSet<&str> = grants
        .iter()
        .flat_map(|g| &g.holders)
        .filter_map(|h| match &h.holder {
            Holder::Group(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut names_of: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    for (name, id) in ids {
        if !granted.contains(name.get_ref().as_str()) {
            let group = name.get_ref();
            diags.push(says::GroupIdOfNoGrant { group }.at(file, name.span()));
        }
        let value = id.get_ref().trim();
        if value.is_empty() {
            diags.push(says::BlankGroupId.at(file, id.span()));
            continue;
        }
        if let Some(first) = names_of.insert(value, name) {
            let (first_name, second) = (first.get_ref(), name.get_ref());
            diags.push(
                says::GroupsShareId {
                    first: first_name,
                    second,
                }
                .at(file, id.span())
                .with_secondary(
                    crate::diagnostics::source::Location::new(file, first.span()),
                    says::TheOtherName.text(),
                ),
            );
        }
    }
}
