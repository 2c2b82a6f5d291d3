//! `kind = "jira-permission-scheme"`: one Jira permission scheme, permission key → holders.
//!
//! Keys are checked against the permission catalogue later (in `jira::build`), because
//! whether a key exists depends on `[jira] platform` in `rolelint.toml`.
use super::holder::{self, Allowed, SpannedHolder};
use super::table::{string, strings};
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
        let mut raw = Self {
            kind: String::new(),
            name: Spanned::new(0..0, String::new()),
            description: None,
            grants: BTreeMap::new(),
        };
        let (mut named, mut kinded) = (false, false);
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "kind" => {
                    raw.kind = string(value)?.into_inner();
                    kinded = true;
                }
                "name" => {
                    raw.name = string(value)?;
                    named = true;
                }
                "description" => raw.description = Some(string(value)?.into_inner()),
                "grants" => {
                    let DeValue::Table(grants) = value.get_ref() else {
                        return None;
                    };
                    for (k, v) in grants.iter() {
                        let permission = Spanned::new(k.span(), k.get_ref().to_string());
                        raw.grants.insert(permission, strings(v)?);
                    }
                }
                _ => return None,
            }
        }
        (named && kinded).then_some(raw)
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
