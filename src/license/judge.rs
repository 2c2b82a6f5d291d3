//! Judging the license a role *actually* consumes, from a normal `check` run.
//!
//! The same ceiling rules `check` reports decide the class, so `license` and `check` can
//! never disagree. Which rules matter is read from the rules themselves, not from a list
//! of codes: a rule whose `where` selects roles treated as integrated (`treated-as =
//! "integrated"`, or `connector-default = true`, since a connector default is always
//! treated as integrated) holds a role to the integrated maximum; one whose `where`
//! selects external roles holds it to the external (Ideation-only) ceiling.
//!
//! - treated as integrated, no active finding of those rules → Integrated;
//!   with one → Full, and the toggles named in the findings are the reasons;
//! - treated as external, no active finding of the external rules → External (no
//!   license: external users only use the Ideas portal); with one → Full;
//! - treated as full → Full;
//! - no document for the role → Unknown (counted as Full, flagged);
//! - a document with an active error of a built-in check (RL005 for a toggle, group or
//!   section written under two spellings, ...), or two documents defining the role's name
//!   → Unreliable (counted as Full, with the errors or documents as reasons): `check` does
//!   not read such a role as written, so neither can the ceiling judgement.
//!
//! "Active" means what it means for `check`: a finding suppressed inline or by an
//! `[[exception]]` (which needs a reason) does not change the class, and neither does a
//! rule switched off in `rolelint.toml`. A severity lowered to warning still counts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::checks;
use crate::diagnostics::source::FileId;
use crate::diagnostics::{Diagnostic, Severity};
use crate::evaluate::rules::{TreatedAs, Where};
use crate::pipeline::Run;

use super::count::{role_key, RoleJudgement};

/// The judgement of every role document in a run, by normalised role name.
#[derive(Debug, Default)]
pub struct RoleJudge {
    roles: HashMap<String, JudgedRole>,
}

/// One role document and its judgement.
#[derive(Debug, Clone)]
pub struct JudgedRole {
    /// As written in the document.
    pub name: String,
    /// Display path of the document.
    pub file: String,
    pub treated_as: TreatedAs,
    pub judgement: RoleJudgement,
}

/// True when `where` can only select roles of class `class`.
fn selects(w: &Where, class: TreatedAs) -> bool {
    match class {
        TreatedAs::Integrated => {
            w.treated_as == Some(TreatedAs::Integrated)
                || (w.treated_as.is_none() && w.connector_default == Some(true))
        }
        TreatedAs::External => w.treated_as == Some(TreatedAs::External),
        TreatedAs::Full => false,
    }
}

/// Codes of the rules that hold a role of class `class` to its ceiling.
pub fn ceiling_codes(run: &Run, class: TreatedAs) -> BTreeSet<String> {
    run.workspace
        .set
        .rules
        .iter()
        .filter(|r| r.kind.selects().is_some_and(|w| selects(w, class)))
        .map(|r| r.meta.code.clone())
        .collect()
}

impl RoleJudge {
    /// Judge every role document of `run`.
    pub fn from_run(run: &Run) -> Self {
        let integrated = ceiling_codes(run, TreatedAs::Integrated);
        let external = ceiling_codes(run, TreatedAs::External);
        let mut roles: HashMap<String, JudgedRole> = HashMap::new();
        let mut files: HashMap<String, Vec<String>> = HashMap::new();
        // Each role reads the findings of its own file: grouped once, not scanned per role.
        let mut by_file: HashMap<FileId, Vec<&Diagnostic>> = HashMap::new();
        for d in run.diagnostics.iter().filter(|d| d.is_active()) {
            by_file.entry(d.location.file).or_default().push(d);
        }
        for view in &run.workspace.roles {
            let name = view.name.get_ref().clone();
            let key = role_key(&name);
            let file = run.sources.display(view.file).to_string();
            files.entry(key.clone()).or_default().push(file.clone());
            if roles.contains_key(&key) {
                continue; // ambiguous: judged below
            }
            let codes = match view.treated_as {
                TreatedAs::Integrated => &integrated,
                TreatedAs::External => &external,
                TreatedAs::Full => &BTreeSet::new(),
            };
            let found = by_file.get(&view.file).map_or(&[][..], Vec::as_slice);
            let reasons = reasons(found, &name, codes);
            let errors = document_errors(run, view.file, found);
            let judgement = match view.treated_as {
                _ if !errors.is_empty() => RoleJudgement::Unreliable {
                    reasons: errors.into_iter().chain(reasons).collect(),
                },
                TreatedAs::Integrated if reasons.is_empty() => RoleJudgement::Integrated,
                TreatedAs::External if reasons.is_empty() => RoleJudgement::External,
                t => RoleJudgement::Full {
                    declared_integrated: t == TreatedAs::Integrated,
                    reasons,
                },
            };
            roles.insert(
                key,
                JudgedRole {
                    name,
                    file,
                    treated_as: view.treated_as,
                    judgement,
                },
            );
        }
        // Jira Align has one role of a name: with two documents, which one the users have is
        // not known, so neither judgement can be trusted.
        for (key, mut files) in files.into_iter().filter(|(_, f)| f.len() > 1) {
            if let Some(role) = roles.get_mut(&key) {
                files.sort();
                let listed: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
                let reason = format!(
                    "{} documents define a role named `{}` ({}; RL007)",
                    files.len(),
                    role.name,
                    listed.join(", ")
                );
                let mut reasons = vec![reason];
                if let RoleJudgement::Full { reasons: r, .. }
                | RoleJudgement::Unreliable { reasons: r } = &role.judgement
                {
                    reasons.extend(r.iter().cloned());
                }
                role.judgement = RoleJudgement::Unreliable { reasons };
            }
        }
        RoleJudge { roles }
    }

    /// The judgement for a role name from the People export.
    pub fn judge(&self, role: &str) -> RoleJudgement {
        self.roles
            .get(&role_key(role))
            .map_or(RoleJudgement::Unknown, |r| r.judgement.clone())
    }

    /// The document for a role name, if the repository has one.
    pub fn get(&self, role: &str) -> Option<&JudgedRole> {
        self.roles.get(&role_key(role))
    }

    /// Every judged role by its key ([`role_key`] of its name), in no order.
    pub fn by_key(&self) -> impl Iterator<Item = (&str, &JudgedRole)> {
        self.roles.iter().map(|(k, r)| (k.as_str(), r))
    }

    /// The document for a role key ([`role_key`] of a name), if the repository has one.
    pub fn get_key(&self, key: &str) -> Option<&JudgedRole> {
        self.roles.get(key)
    }

    /// Every judged role, sorted by name.
    pub fn roles(&self) -> Vec<&JudgedRole> {
        let mut v: Vec<&JudgedRole> = self.roles.values().collect();
        // One key per role, not two per comparison (ten thousand roles on a large repository).
        v.sort_by_cached_key(|r| (role_key(&r.name), r.file.clone()));
        v
    }
}

/// The checks that say a document is not read as written. Not the suppression checks
/// (RL09x): a suppression without a reason changes nothing the role enables.
static READING_CHECKS: &[&crate::diagnostics::checks::Check] = &[
    &checks::TOML_SYNTAX,
    &checks::UNKNOWN_KEY,
    &checks::UNKNOWN_KIND,
    &checks::MISSING_KIND,
    &checks::INVALID_VALUE,
    &checks::NOT_UTF8,
    &checks::DUPLICATE_NAME,
    &checks::UNKNOWN_TOGGLE,
];

/// The active document errors (reading checks, e.g. RL005 for a toggle written under two
/// spellings) in a role's file, as "RL005 at `roles/x.toml:9`: toggle `backlog` is listed
/// twice". Such a document is not read as written, so its ceiling judgement cannot be
/// trusted.
fn document_errors(run: &Run, file: FileId, found: &[&Diagnostic]) -> Vec<String> {
    let mut out: Vec<String> = found
        .iter()
        .filter(|d| {
            d.severity == Severity::Error && READING_CHECKS.iter().any(|c| c.code == d.code())
        })
        .map(|d| {
            let (line, _) = run.sources.line_col(file, d.location.span.start);
            let at = format!("{}:{line}", run.sources.display(file));
            format!("{} at `{at}`: {}", d.code(), d.message)
        })
        .collect();
    out.dedup();
    out
}

/// The toggles behind the active findings of `codes` on one role, as
/// "`Team > Track > Sprint Health` (AL111)", sorted by path.
fn reasons<'d>(found: &[&'d Diagnostic], role: &str, codes: &BTreeSet<String>) -> Vec<String> {
    let prefix = format!("{role}/");
    let mut by_path: BTreeMap<String, BTreeSet<&'d str>> = BTreeMap::new();
    for d in found {
        if !codes.contains(d.code().as_str()) {
            continue;
        }
        // Ceiling and forbid-toggle findings name their toggle in the subject:
        // `role/Section > Group > Toggle`, or `role/Section/all` for an overall toggle.
        let path = match d.subject().strip_prefix(&prefix) {
            Some(rest) => match rest.strip_suffix("/all") {
                Some(overall) => format!("`{overall}` overall toggle"),
                None => format!("`{rest}`"),
            },
            None => d.message.to_string(),
        };
        by_path.entry(path).or_default().insert(d.code());
    }
    by_path
        .into_iter()
        .map(|(path, codes)| {
            let codes: Vec<&str> = codes.into_iter().collect();
            format!("{path} ({})", codes.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::Overrides;
    use crate::pipeline::check_texts;

    const POLICY: &str = r#"
kind = "policy"
name = "local"

[[rule]]
code = "ZZ001"
name = "no-burndowns-anywhere"
type = "forbid-toggle"
severity = "warning"
summary = "s"
message = "role `{role}` enables `{toggle}`"
help = "h"
source = { title = "test" }
toggles = ["Team > Track > Burndowns"]

[[rule]]
code = "ZZ002"
name = "no-stories-for-integrated"
type = "forbid-toggle"
severity = "info"
summary = "s"
message = "role `{role}` enables `{toggle}`"
help = "h"
source = { title = "test" }
where = { treated-as = "integrated" }
toggles = ["Team > Manage > Stories"]
"#;

    fn role(name: &str, license: &str, toggles: &str) -> String {
        format!("kind = \"align-role\"\nname = \"{name}\"\nlicense = \"{license}\"\n\n{toggles}")
    }

    fn judge_of(docs: &[(&str, String)]) -> (RoleJudge, Run) {
        let docs: Vec<(String, String)> = docs
            .iter()
            .map(|(n, t)| ((*n).to_string(), t.clone()))
            .collect();
        let run = check_texts(&docs, Config::default(), &Overrides::default());
        (RoleJudge::from_run(&run), run)
    }

    #[test]
    fn the_rule_set_comes_from_where_not_from_codes() {
        let (judge, run) = judge_of(&[
            ("policy.toml", POLICY.to_string()),
            (
                "a.toml",
                role(
                    "Team  member",
                    "integrated",
                    "[toggles.Team.Track]\nBurndowns = []\n",
                ),
            ),
            (
                "b.toml",
                role(
                    "Storyteller",
                    "integrated",
                    "[toggles.Team.Manage]\nStories = []\n",
                ),
            ),
            (
                "c.toml",
                role("Boss", "full", "[toggles.Team.Manage]\nStories = []\n"),
            ),
        ]);
        let problems: Vec<String> = run
            .diagnostics
            .iter()
            .filter(|d| d.code().starts_with("RL"))
            .map(|d| d.message.to_string())
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
        let codes = ceiling_codes(&run, TreatedAs::Integrated);
        for code in ["AL101", "AL102", "AL103", "AL111", "ZZ002"] {
            assert!(codes.contains(code), "{code} missing from {codes:?}");
        }
        for code in ["AL110", "AL120", "ZZ001"] {
            assert!(
                !codes.contains(code),
                "{code} should not judge integrated roles"
            );
        }
        assert!(ceiling_codes(&run, TreatedAs::External).contains("AL120"));
        // ZZ001 fires (a warning) but does not select integrated roles: still Integrated.
        assert!(run.diagnostics.iter().any(|d| d.code() == "ZZ001"));
        assert_eq!(judge.judge("TEAM MEMBER"), RoleJudgement::Integrated);
        // ZZ002 is only `info`, yet the toggle still costs a Full license.
        assert_eq!(
            judge.judge("storyteller"),
            RoleJudgement::Full {
                declared_integrated: true,
                reasons: vec!["`Team > Manage > Stories` (ZZ002)".into()],
            }
        );
        assert_eq!(
            judge.judge("Boss"),
            RoleJudgement::Full {
                declared_integrated: false,
                reasons: vec![],
            }
        );
        assert_eq!(judge.judge("Nobody"), RoleJudgement::Unknown);
    }

    #[test]
    fn overall_toggles_and_external_roles() {
        let (judge, _) = judge_of(&[
            (
                "a.toml",
                role("Trap", "integrated", "[toggles]\nTeam = \"all\"\n"),
            ),
            (
                "b.toml",
                role(
                    "Ideas",
                    "external",
                    "[toggles.Enterprise.Strategy]\nIdeation = \"all\"\n",
                ),
            ),
            (
                "c.toml",
                role(
                    "Ideas Plus",
                    "external",
                    "[toggles.Team.Team]\n\"Team Room\" = []\n",
                ),
            ),
        ]);
        match judge.judge("Trap") {
            RoleJudgement::Full {
                declared_integrated: true,
                reasons,
            } => assert!(
                reasons
                    .iter()
                    .any(|r| r.starts_with("`Team` overall toggle (")),
                "{reasons:?}"
            ),
            other => panic!("expected Full, got {other:?}"),
        }
        assert_eq!(judge.judge("ideas"), RoleJudgement::External);
        assert!(matches!(
            judge.judge("Ideas Plus"),
            RoleJudgement::Full {
                declared_integrated: false,
                ..
            }
        ));
    }

    #[test]
    fn a_suppression_without_reason_does_not_make_a_role_unreadable() {
        let (judge, run) = judge_of(&[(
            "a.toml",
            role(
                "Member",
                "integrated",
                "[toggles.Team.Manage]\n# rolelint: allow(AL110)\nStories = []\n",
            ),
        )]);
        assert!(run.diagnostics.iter().any(|d| d.code() == "RL090"));
        assert_eq!(judge.judge("member"), RoleJudgement::Integrated);
        let (judge, _) = judge_of(&[(
            "a.toml",
            role(
                "Member",
                "integrated",
                "[toggles.Team.Manage]\nStories = []\nstories = []\n",
            ),
        )]);
        assert!(matches!(
            judge.judge("member"),
            RoleJudgement::Unreliable { reasons } if reasons.len() == 1 && reasons[0].starts_with("RL005 at `a.toml:")
        ));
    }
}
