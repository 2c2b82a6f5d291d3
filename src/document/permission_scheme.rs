//! `kind = "jira-permission-scheme"`: one Jira permission scheme, permission key → holders.
//!
//! Keys are checked against the permission catalogue later (in `jira::build`), because
//! whether a key exists depends on `[jira] platform` in `rolelint.toml`.
use super::holder::{self, Allowed, SpannedHolder};
use super::table::{strings, Common};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
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
    grants: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
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
                grants.insert(Spanned::new(k.span(), k.get_ref().to_string()), strings(v)?);
            }
        }
        Some(Self {
            kind: common.kind?,
            name: common.name?,
            description: common.description,
            grants,
        })
    }
}

/// One permission key and the holders it is granted to.
#[derive(Debug, Clone)]
pub struct Grant {
    pub permission: Spanned<String>,
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
    raw: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    allowed: Allowed,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Grant> {
    let mut out: Vec<Grant> = raw
        .into_iter()
        .map(|(permission, items)| {
            let context = || format!("the grants of `{}`", permission.get_ref());
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
    Some(PermissionScheme {
        file,
        name: raw.name,
        description: raw.description,
        grants: grants(file, raw.grants, Allowed::Any, diags),
    })
}
