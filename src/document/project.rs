//! `kind = "jira-project"`: one project, its permission scheme and project-role members.
use super::holder::{self, Allowed, SpannedHolder};
use crate::checks;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawProject {
    #[allow(dead_code)]
    kind: String,
    key: Spanned<String>,
    name: Spanned<String>,
    permission_scheme: Spanned<String>,
    #[serde(default)]
    workflow: Option<Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// A project role and the groups and users in it for this project.
#[derive(Debug, Clone)]
pub struct RoleMembers {
    pub role: Spanned<String>,
    pub members: Vec<SpannedHolder>,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub file: FileId,
    pub key: Spanned<String>,
    pub name: Spanned<String>,
    pub permission_scheme: Spanned<String>,
    /// `Some(true)` for an Agile simplified workflow.
    pub simplified: Option<bool>,
    pub roles: Vec<RoleMembers>,
}

impl Project {
    pub fn role(&self, name: &str) -> Option<&RoleMembers> {
        self.roles.iter().find(|r| r.role.get_ref() == name)
    }
}

pub fn validate(file: FileId, raw: RawProject, diags: &mut Vec<Diagnostic>) -> Option<Project> {
    let simplified = raw.workflow.and_then(|w| match w.get_ref().as_str() {
        "simplified" => Some(true),
        "classic" => Some(false),
        other => {
            diags.push(
                checks::INVALID_VALUE
                    .at(
                        file,
                        w.span(),
                        "`workflow` must be one of `simplified`, `classic`",
                    )
                    .with_label(format!("`{other}` is not allowed here")),
            );
            None
        }
    });
    let mut roles: Vec<RoleMembers> = raw
        .roles
        .into_iter()
        .map(|(role, items)| {
            let context = || format!("the members of role `{}`", role.get_ref());
            let members = holder::parse_list(file, &items, Allowed::GroupOrUser, &context, diags);
            RoleMembers { role, members }
        })
        .collect();
    roles.sort_by_key(|r| r.role.span().start);
    Some(Project {
        file,
        key: raw.key,
        name: raw.name,
        permission_scheme: raw.permission_scheme,
        simplified,
        roles,
    })
}
