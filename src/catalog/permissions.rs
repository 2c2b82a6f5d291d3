//! The Jira permission-key catalogue (`policies/catalog/jira-permissions.toml`): which keys
//! exist, whether they are project or global permissions, and on which platform.
use crate::config::Platform;
use crate::diagnostics::suggest::did_you_mean;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::sync::OnceLock;

/// The built-in catalogue file.
pub const JIRA_PERMISSIONS: (&str, &str) = (
    "<builtin>/policies/catalog/jira-permissions.toml",
    include_str!("../../policies/catalog/jira-permissions.toml"),
);

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Permission {
    pub key: String,
    pub name: String,
    pub scope: Scope,
    pub platforms: Vec<Platform>,
    pub category: String,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Project,
    Global,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Global => "global",
        }
    }
}

#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "kebab-case")]
pub struct PermissionCatalog {
    #[serde(default)]
    pub permission: Vec<Permission>,
    /// Key → index into `permission`: every grant of every scheme is looked up.
    #[serde(skip)]
    by_key: FxHashMap<String, usize>,
}

/// Why a key is not usable where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    Unknown { suggestion: Option<String> },
    OtherPlatform { only_on: &'static str },
    WrongScope { is: &'static str },
}

pub fn platform_name(p: Platform) -> &'static str {
    match p {
        Platform::Cloud => "Cloud",
        Platform::DataCenter => "Data Center",
    }
}

impl PermissionCatalog {
    /// The embedded catalogue (a malformed built-in file gives an empty catalogue; a test guards it).
    pub fn builtin() -> &'static Self {
        static CAT: OnceLock<PermissionCatalog> = OnceLock::new();
        CAT.get_or_init(|| {
            let mut cat: Self = toml::from_str(JIRA_PERMISSIONS.1).unwrap_or_default();
            for (i, p) in cat.permission.iter().enumerate() {
                cat.by_key.entry(p.key.clone()).or_insert(i); // the first entry of a key wins
            }
            cat
        })
    }

    pub fn get(&self, key: &str) -> Option<&Permission> {
        self.by_key.get(key).map(|&i| &self.permission[i])
    }

    /// Display name of a key (`Manage sprints`), or the key itself when unknown.
    pub fn name<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map_or(key, |p| p.name.as_str())
    }

    /// Check a key for `scope` on `platform`.
    pub fn check(
        &self,
        key: &str,
        scope: Scope,
        platform: Platform,
    ) -> Result<&Permission, KeyProblem> {
        let Some(p) = self.get(key) else {
            let candidates = self
                .permission
                .iter()
                .filter(|p| p.scope == scope && p.platforms.contains(&platform))
                .map(|p| p.key.as_str());
            return Err(KeyProblem::Unknown {
                suggestion: did_you_mean(key, candidates).map(str::to_string),
            });
        };
        if p.scope != scope {
            return Err(KeyProblem::WrongScope {
                is: p.scope.as_str(),
            });
        }
        if !p.platforms.contains(&platform) {
            let only_on = p
                .platforms
                .first()
                .copied()
                .map_or("no platform", platform_name);
            return Err(KeyProblem::OtherPlatform { only_on });
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses_and_knows_platforms() {
        let c = PermissionCatalog::builtin();
        assert!(c.permission.len() > 40, "catalogue did not parse");
        assert!(c
            .check("BROWSE_PROJECTS", Scope::Project, Platform::Cloud)
            .is_ok());
        assert_eq!(
            c.check(
                "START_STOP_SPRINTS_PERMISSION",
                Scope::Project,
                Platform::Cloud
            )
            .err(),
            Some(KeyProblem::OtherPlatform {
                only_on: "Data Center"
            })
        );
        assert_eq!(
            c.check("EDIT_WORKFLOW", Scope::Project, Platform::DataCenter)
                .err(),
            Some(KeyProblem::OtherPlatform { only_on: "Cloud" })
        );
        assert_eq!(
            c.check("ADMINISTER", Scope::Project, Platform::Cloud).err(),
            Some(KeyProblem::WrongScope { is: "global" })
        );
        // S10 lists Browse Archive among the Data Center *global* permissions.
        assert!(c
            .check("BROWSE_ARCHIVE", Scope::Global, Platform::DataCenter)
            .is_ok());
        assert_eq!(
            c.check("BROWSE_ARCHIVE", Scope::Project, Platform::DataCenter)
                .err(),
            Some(KeyProblem::WrongScope { is: "global" })
        );
        assert_eq!(
            c.check("BROWSE_PROJECT", Scope::Project, Platform::Cloud)
                .err(),
            Some(KeyProblem::Unknown {
                suggestion: Some("BROWSE_PROJECTS".into())
            })
        );
    }

    /// Every Data Center-only key with the scope its source gives (S5/S10 global permission
    /// lists, S6/S14 sprint permissions, S9 key list): a new one must be checked and added here.
    #[test]
    fn data_center_only_keys_have_the_scope_of_their_source() {
        let c = PermissionCatalog::builtin();
        let mut dc_only: Vec<(&str, Scope)> = c
            .permission
            .iter()
            .filter(|p| p.platforms == [Platform::DataCenter])
            .map(|p| (p.key.as_str(), p.scope))
            .collect();
        dc_only.sort_by_key(|(k, _)| *k);
        assert_eq!(
            dc_only,
            [
                ("BROWSE_ARCHIVE", Scope::Global),
                ("EDIT_SPRINT_NAME_AND_GOAL_PERMISSION", Scope::Project),
                ("RESTORE_ISSUES", Scope::Project),
                ("START_STOP_SPRINTS_PERMISSION", Scope::Project),
                ("SYSTEM_ADMIN", Scope::Global),
                ("USE", Scope::Global),
            ]
        );
    }
}
