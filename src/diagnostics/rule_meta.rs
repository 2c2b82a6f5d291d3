//! What a user reads about a rule or a built-in check: one type for both, whether it comes
//! from a policy entry or from `policies/checks.toml`. `rolelint rules --json` prints it;
//! codes users write (configuration, command line, suppressions) are validated against it.
use crate::diagnostics::source::Location;
use crate::diagnostics::{Diagnostic, Severity};
use serde::{Deserialize, Serialize, Serializer};

/// Everything about a rule a user reads. Serialised as `rolelint rules --json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    #[serde(serialize_with = "severity_word")]
    pub severity: Severity,
    /// The rule type, or `document check`.
    #[serde(rename = "type")]
    pub rule_type: String,
    pub summary: String,
    /// The message template (empty for checks: each finding says what it found).
    pub message: String,
    pub help: String,
    /// Where the rule comes from; `None` for checks.
    pub source: Option<RuleSource>,
    pub suppressible: bool,
    pub example_fail: Vec<String>,
    pub example_pass: Vec<String>,
    /// The repository policy file defining the rule; `None` for built-in rules and checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_file: Option<String>,
    #[serde(skip)]
    pub note: Option<String>,
    #[serde(skip)]
    pub supersedes: Vec<String>,
    /// The name of the policy defining the rule.
    #[serde(skip)]
    pub policy: String,
}

fn severity_word<S: Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// Where a rule comes from: the citation users see in `explain`.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSource {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

impl RuleMeta {
    /// A finding of this rule with its message template filled in.
    pub fn finding(&self, location: &Location, vars: &[(&str, &str)]) -> Diagnostic {
        let mut d = Diagnostic::new(
            &self.code,
            &self.name,
            self.severity,
            crate::diagnostics::fill(&self.message, vars),
            location.file,
            location.span.clone(),
        )
        .with_help(crate::diagnostics::fill(&self.help, vars));
        if let Some(n) = &self.note {
            d = d.with_note(crate::diagnostics::fill(n, vars));
        }
        d
    }
}

/// The rule `id` names: its code (any case) or its name.
pub fn find<'a>(ids: &'a [RuleMeta], id: &str) -> Option<&'a RuleMeta> {
    ids.iter()
        .find(|r| r.code.eq_ignore_ascii_case(id) || r.name == id)
}

/// True when `id` is a code, a name, or (when `prefix_ok`) a prefix of some code.
pub fn is_known(ids: &[RuleMeta], id: &str, prefix_ok: bool) -> bool {
    find(ids, id).is_some()
        || (prefix_ok
            && !id.is_empty()
            && ids.iter().any(|r| {
                r.code
                    .to_ascii_uppercase()
                    .starts_with(&id.to_ascii_uppercase())
            }))
}

/// `did you mean `AL101`?` for a misspelt code or name.
pub fn suggestion(ids: &[RuleMeta], id: &str) -> Option<String> {
    let candidates = ids.iter().flat_map(|r| [r.code.as_str(), r.name.as_str()]);
    crate::diagnostics::suggest::did_you_mean(id, candidates)
        .map(|s| format!("did you mean `{s}`?"))
}
