//! Policies: `kind = "policy"` documents holding declarative rules.
//!
//! Every user-facing word of a rule (code, name, severity, message, help,
//! source, examples) lives in its policy entry; rule types only add mechanics.
pub mod builtin;

use crate::diagnostics::checks;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::{Diagnostic, Severity};
use crate::evaluate::rules::{self, RuleKind};
use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPolicy {
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    test: Vec<PolicyTest>,
    #[serde(default)]
    capability: Vec<Spanned<crate::jira::capability::RawCapability>>,
}

/// A rule entry: metadata plus the parameters of its type (each type takes its own subset).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRule {
    pub code: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub rule_type: Spanned<String>,
    pub severity: Spanned<String>,
    pub summary: String,
    pub message: String,
    pub help: String,
    #[serde(default)]
    pub note: Option<String>,
    pub source: RuleSource,
    #[serde(default = "yes")]
    pub suppressible: bool,
    #[serde(default)]
    pub supersedes: Vec<Spanned<String>>,
    #[serde(default)]
    pub example_fail: Examples,
    #[serde(default)]
    pub example_pass: Examples,
    // Parameters of the rule types (each type takes its own subset; see `rules::build`).
    #[serde(default, rename = "where")]
    pub where_: Option<Spanned<rules::Where>>,
    #[serde(default)]
    pub allow: Option<Spanned<crate::document::toggle_tree::NodeValue>>,
    #[serde(default)]
    pub allow_from: Option<Spanned<String>>,
    #[serde(default)]
    pub allow_when: std::collections::BTreeMap<
        Spanned<String>,
        Spanned<crate::document::toggle_tree::NodeValue>,
    >,
    #[serde(default)]
    pub applies_to: Option<Spanned<String>>,
    #[serde(default)]
    pub toggles: Vec<Spanned<String>>,
    #[serde(default)]
    pub permissions: Vec<Spanned<String>>,
    #[serde(default)]
    pub holders: Vec<Spanned<String>>,
    #[serde(default)]
    pub except_permissions: Vec<Spanned<String>>,
    #[serde(default)]
    pub permission: Option<Spanned<String>>,
    #[serde(default)]
    pub requires: Option<Spanned<String>>,
    #[serde(default)]
    pub max_projects: Option<Spanned<i64>>,
    #[serde(default)]
    pub dynamic: Option<Spanned<bool>>,
}

fn yes() -> bool {
    true
}

/// Where a rule comes from: the citation users see in `explain`.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSource {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// One example document, or several (cross-document rules need a small repository).
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(untagged)]
pub enum Examples {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl Examples {
    pub fn documents(&self) -> Vec<String> {
        match self {
            Self::None => Vec::new(),
            Self::One(s) => vec![s.clone()],
            Self::Many(v) => v.clone(),
        }
    }
}

/// A test case a policy file carries: documents and the codes they must produce.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyTest {
    pub name: String,
    pub documents: Vec<String>,
    #[serde(default)]
    pub expect: Vec<String>,
}

/// Everything about a rule a user reads.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub message: String,
    pub help: String,
    pub note: Option<String>,
    pub source: RuleSource,
    pub suppressible: bool,
    pub supersedes: Vec<String>,
    pub example_fail: Vec<String>,
    pub example_pass: Vec<String>,
    pub policy: String,
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

#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    pub kind: RuleKind,
    /// The rule's table in its policy file ("defined here" labels).
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct PolicyDoc {
    pub file: FileId,
    pub name: Option<String>,
    pub description: Option<String>,
    pub rules: Vec<Rule>,
    pub tests: Vec<PolicyTest>,
    /// `[[capability]]` entries: board functions and what they need (used by `expect` and `why`).
    pub capabilities: Vec<crate::jira::capability::Capability>,
}

pub fn validate(file: FileId, raw: RawPolicy, diags: &mut Vec<Diagnostic>) -> Option<PolicyDoc> {
    let policy_name = raw.name.clone().unwrap_or_default();
    let mut rules_out = Vec::new();
    for spanned in raw.rule {
        let span = spanned.span();
        let r = spanned.into_inner();
        let before = diags.len();
        let severity = Severity::parse(r.severity.get_ref());
        if severity.is_none() {
            diags.push(
                checks::INVALID_VALUE
                    .at(file, r.severity.span(), "invalid rule severity")
                    .with_label("expected `error`, `warning` or `info`"),
            );
        }
        check_code_and_name(file, &r, diags);
        let params = rules::Params {
            where_: r.where_,
            allow: r.allow,
            allow_from: r.allow_from,
            allow_when: r.allow_when.into_iter().collect(),
            applies_to: r.applies_to,
            toggles: r.toggles,
            permissions: r.permissions,
            holders: r.holders,
            except_permissions: r.except_permissions,
            permission: r.permission,
            requires: r.requires,
            max_projects: r.max_projects,
            dynamic: r.dynamic,
        };
        let kind = rules::build(file, &r.rule_type, params, diags);
        let (Some(severity), Some(kind)) = (severity, kind) else {
            continue;
        };
        if diags.len() > before {
            continue;
        }
        rules_out.push(Rule {
            meta: RuleMeta {
                code: r.code.into_inner(),
                name: r.name.into_inner(),
                severity,
                summary: r.summary,
                message: r.message,
                help: r.help,
                note: r.note,
                source: r.source,
                suppressible: r.suppressible,
                supersedes: r.supersedes.into_iter().map(Spanned::into_inner).collect(),
                example_fail: r.example_fail.documents(),
                example_pass: r.example_pass.documents(),
                policy: policy_name.clone(),
            },
            kind,
            location: Location::new(file, span),
        });
    }
    Some(PolicyDoc {
        file,
        name: raw.name,
        description: raw.description,
        rules: rules_out,
        tests: raw.test,
        capabilities: raw
            .capability
            .into_iter()
            .filter_map(|c| crate::jira::capability::validate(file, c, diags))
            .collect(),
    })
}

fn check_code_and_name(file: FileId, r: &RawRule, diags: &mut Vec<Diagnostic>) {
    let code = r.code.get_ref();
    let code_ok = code.len() >= 3
        && code.chars().take_while(|c| c.is_ascii_uppercase()).count() >= 2
        && code
            .chars()
            .skip_while(|c| c.is_ascii_uppercase())
            .all(|c| c.is_ascii_digit());
    if !code_ok {
        diags.push(
            checks::INVALID_POLICY
                .at(
                    file,
                    r.code.span(),
                    format!("rule code `{code}` is not of the form `AB123`"),
                )
                .with_label("upper-case letters followed by digits"),
        );
    }
    let name = r.name.get_ref();
    let kebab = !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !kebab {
        diags.push(
            checks::INVALID_POLICY
                .at(
                    file,
                    r.name.span(),
                    format!("rule name `{name}` is not kebab-case"),
                )
                .with_label("lower-case words joined by `-`"),
        );
    }
}
