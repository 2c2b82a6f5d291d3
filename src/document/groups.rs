//! `kind = "jira-groups"`: optional group membership (`"name" = ["user:alice", "group:other"]`),
//! so a `who` can be resolved through the groups it belongs to, nested groups included.
use super::holder::{self, Allowed, SpannedHolder};
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGroups {
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    groups: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: Spanned<String>,
    pub members: Vec<SpannedHolder>,
}

#[derive(Debug, Clone)]
pub struct Groups {
    pub file: FileId,
    pub description: Option<String>,
    pub groups: Vec<Group>,
}

pub fn validate(file: FileId, raw: RawGroups, diags: &mut Vec<Diagnostic>) -> Option<Groups> {
    let groups = raw
        .groups
        .into_iter()
        .map(|(name, items)| {
            let context = || {
                says::MembersOfGroup {
                    group: name.get_ref(),
                }
                .text()
                .into()
            };
            let members = holder::parse_list(file, &items, Allowed::GroupOrUser, &context, diags);
            Group { name, members }
        })
        .collect();
    Some(Groups {
        file,
        description: raw.description,
        groups,
    })
}
