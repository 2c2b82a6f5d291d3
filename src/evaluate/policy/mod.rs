//! Policies: `kind = "policy"` documents holding declarative rules.
//!
//! Every user-facing word of a rule (code, name, severity, message, help,
//! source, examples, and the phrases of its findings in `text`, over its type's in
//! `policies/rule-types.toml`) lives in policy data; rule types only add mechanics.
pub mod builtin;
pub mod fields;
pub mod set;

pub use crate::diagnostics::rule_meta::{RuleMeta, RuleSource};
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::{Diagnostic, Severity};
use crate::evaluate::rules::{self, DeclaredRule};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
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

/// A rule entry's own keys; every other key is a parameter of its type (see [`take_params`]).
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
}

fn yes() -> bool {
    true
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

#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    /// Shared: the built-in rules are read once per process and copied into every run
    /// (`crate::load::Builtins::parse`).
    pub kind: Arc<dyn DeclaredRule>,
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

/// Parse a `kind = "policy"` document (routed here by its kind, `document::kind`): its
/// entries read, each rule built by its type. `None` with the reasons in `diags` when it
/// is no policy.
pub fn parse(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Option<PolicyDoc> {
    let (kind, mut table) = crate::document::read_table(file, text, diags)?;
    // Only a policy is routed here: the kind lexer reads `kind` as the parser does.
    if kind != "policy" {
        return None;
    }
    // Each rule's parameters are read by its rule type, not with the entry.
    let params = take_params(&mut table);
    crate::document::two_phase(
        (file, "policy", table, diags),
        crate::document::no_fast_path,
        |raw, d| validate(file, raw, params, d),
    )
}

/// The keys a rule entry takes itself (the rest are its type's parameters).
pub fn entry_keys() -> &'static [&'static str] {
    fields::of::<RawRule>()
}

/// Each rule's parameters, by where its table starts.
pub type ParamTables<'a> = FxHashMap<usize, Spanned<DeTable<'a>>>;

/// Take every key that is not an entry key out of each `[[rule]]` table of a policy: the
/// entry is read as [`RawRule`], the parameters by its rule type (see [`rules::build`]).
pub fn take_params<'a>(policy: &mut Spanned<DeTable<'a>>) -> ParamTables<'a> {
    let mut out = ParamTables::default();
    let Some(rules) = policy.get_mut().get_mut("rule") else {
        return out;
    };
    let DeValue::Array(rules) = rules.get_mut() else {
        return out;
    };
    let keys = entry_keys();
    for rule in rules.iter_mut() {
        let span = rule.span();
        let DeValue::Table(table) = rule.get_mut() else {
            continue;
        };
        let mut params = DeTable::new();
        let all = std::mem::replace(table, DeTable::new());
        for (k, v) in all {
            if belongs_to_entry(keys, k.get_ref()) {
                table.insert(k, v);
            } else {
                params.insert(k, v);
            }
        }
        out.insert(span.start, Spanned::new(span, params));
    }
    out
}

/// An entry key, or a key that reads like a misspelt one and is no parameter: the entry
/// reports it (a missing required key stops validation, and the misspelling is the reason).
fn belongs_to_entry(keys: &[&str], key: &str) -> bool {
    let param = key == "text" || rules::TYPES.iter().any(|t| (t.params)().contains(&key));
    keys.contains(&key)
        || (!param
            && crate::diagnostics::suggest::did_you_mean(key, keys.iter().copied()).is_some())
}

pub fn validate(
    file: FileId,
    raw: RawPolicy,
    mut params: ParamTables<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<PolicyDoc> {
    let policy_name = raw.name.clone().unwrap_or_default();
    let mut rules_out = Vec::new();
    for spanned in raw.rule {
        let span = spanned.span();
        let r = spanned.into_inner();
        let before = diags.len();
        let severity = Severity::parse(r.severity.get_ref());
        if severity.is_none() {
            diags.push(says::InvalidRuleSeverity.at(file, r.severity.span()));
        }
        check_code_and_name(file, &r, diags);
        let table = params
            .remove(&span.start)
            .unwrap_or_else(|| Spanned::new(span.clone(), DeTable::new()));
        let kind = rules::build(file, &r.rule_type, table, diags);
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
                rule_type: kind.type_name().to_string(),
                summary: r.summary,
                message: r.message,
                help: r.help,
                source: Some(r.source),
                suppressible: r.suppressible,
                example_fail: r.example_fail.documents(),
                example_pass: r.example_pass.documents(),
                policy_file: None,
                note: r.note,
                supersedes: r.supersedes.into_iter().map(Spanned::into_inner).collect(),
                policy: policy_name.clone(),
                texts: Default::default(),
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
        diags.push(says::BadRuleCode { code }.at(file, r.code.span()));
    }
    let name = r.name.get_ref();
    let kebab = !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !kebab {
        diags.push(says::BadRuleName { name }.at(file, r.name.span()));
    }
}
