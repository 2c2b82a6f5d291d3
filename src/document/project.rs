//! `kind = "jira-project"`: one project, its permission scheme and project-role members.
use super::holder::{self, Allowed, SpannedHolder};
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::Diagnostic;
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
    /// Jira's numeric project id (`GET /rest/api/3/project/{key}` → `id`), so filters
    /// that name projects by id (`project = 10000`) resolve.
    #[serde(default)]
    id: Option<Spanned<i64>>,
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
    /// Jira's numeric project id, when the document gives it.
    pub id: Option<Spanned<u64>>,
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
            let allowed = super::backticked(&["simplified", "classic"]);
            diags.push(
                says::NotOneOf {
                    key: "workflow",
                    allowed: &allowed,
                    value: other,
                }
                .at(file, w.span()),
            );
            None
        }
    });
    let id = raw.id.and_then(|id| match u64::try_from(*id.get_ref()) {
        Ok(n) if n > 0 => Some(Spanned::new(id.span(), n)),
        _ => {
            let value = id.get_ref().to_string();
            diags.push(says::BadProjectId { value: &value }.at(file, id.span()));
            None
        }
    });
    let mut roles: Vec<RoleMembers> = raw
        .roles
        .into_iter()
        .map(|(role, items)| {
            let context = || {
                says::MembersOfRole {
                    role: role.get_ref(),
                }
                .text()
                .into()
            };
            let members = holder::parse_list(file, &items, Allowed::GroupOrUser, &context, diags);
            RoleMembers { role, members }
        })
        .collect();
    roles.sort_by_key(|r| r.role.span().start);
    Some(Project {
        file,
        key: raw.key,
        name: raw.name,
        id,
        permission_scheme: raw.permission_scheme,
        simplified,
        roles,
    })
}
