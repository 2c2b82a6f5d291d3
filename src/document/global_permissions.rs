//! `kind = "jira-global-permissions"`: the instance's global permission grants
//! (`ADMINISTER`, `CREATE_SHARED_OBJECTS`, ...), held by `group:` or `anyone` only.
use super::holder::Allowed;
use super::permission_scheme::{grants, Grant};
use crate::diagnostics::source::FileId;
use crate::diagnostics::text::Text;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGlobal {
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    grants: BTreeMap<Spanned<Text>, Vec<Spanned<String>>>,
}

#[derive(Debug, Clone)]
pub struct GlobalPermissions {
    pub file: FileId,
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub grants: Vec<Grant>,
}

pub fn validate(
    file: FileId,
    raw: RawGlobal,
    diags: &mut Vec<Diagnostic>,
) -> Option<GlobalPermissions> {
    Some(GlobalPermissions {
        file,
        name: raw.name,
        description: raw.description,
        grants: grants(file, raw.grants, Allowed::GroupOrAnyone, diags),
    })
}
