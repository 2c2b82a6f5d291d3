//! Rule types: a small, closed set with fixed semantics. Policies instantiate them.
pub mod board_expectation;
pub mod ceiling;
pub mod forbid_grant;
pub mod forbid_toggle;
pub mod require_pair;
pub mod scheme_reach;
pub mod uniform_on_board;

use crate::diagnostics::checks;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::toggle_tree::NodeValue;
use crate::resolve::RoleView;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// Every rule type, by its kebab-case name in policy files.
pub const RULE_TYPES: &[&str] = &[
    "ceiling",
    "forbid-toggle",
    "forbid-grant",
    "require-pair",
    "uniform-on-board",
    "scheme-reach",
    "board-expectation",
];

/// The parameters a rule entry may carry; `build` checks each type gets only its own.
#[derive(Default)]
pub struct Params {
    pub where_: Option<Spanned<Where>>,
    pub allow: Option<Spanned<NodeValue>>,
    pub allow_from: Option<Spanned<String>>,
    pub allow_when: Vec<(Spanned<String>, Spanned<NodeValue>)>,
    pub applies_to: Option<Spanned<String>>,
    pub toggles: Vec<Spanned<String>>,
    pub permissions: Vec<Spanned<String>>,
    pub holders: Vec<Spanned<String>>,
    pub except_permissions: Vec<Spanned<String>>,
    pub permission: Option<Spanned<String>>,
    pub requires: Option<Spanned<String>>,
    pub max_projects: Option<Spanned<i64>>,
    pub dynamic: Option<Spanned<bool>>,
}

impl Params {
    /// Spans of parameters that were given, by name.
    fn given(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut v = Vec::new();
        let mut add = |name, span: Option<Range<usize>>| {
            if let Some(s) = span {
                v.push((name, s));
            }
        };
        add("where", self.where_.as_ref().map(Spanned::span));
        add("allow", self.allow.as_ref().map(Spanned::span));
        add("allow-from", self.allow_from.as_ref().map(Spanned::span));
        add("allow-when", self.allow_when.first().map(|(k, _)| k.span()));
        add("applies-to", self.applies_to.as_ref().map(Spanned::span));
        add("toggles", self.toggles.first().map(Spanned::span));
        add("permissions", self.permissions.first().map(Spanned::span));
        add("holders", self.holders.first().map(Spanned::span));
        add(
            "except-permissions",
            self.except_permissions.first().map(Spanned::span),
        );
        add("permission", self.permission.as_ref().map(Spanned::span));
        add("requires", self.requires.as_ref().map(Spanned::span));
        add(
            "max-projects",
            self.max_projects.as_ref().map(Spanned::span),
        );
        add("dynamic", self.dynamic.as_ref().map(Spanned::span));
        v
    }
}

/// Which roles a rule applies to.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Where {
    #[serde(default)]
    pub treated_as: Option<TreatedAs>,
    #[serde(default)]
    pub connector_default: Option<bool>,
}

/// The license class a role is held to (from its declaration, connectors and config).
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TreatedAs {
    Integrated,
    Full,
    External,
}

impl Where {
    pub fn matches(&self, role: &RoleView) -> bool {
        self.treated_as.is_none_or(|t| t == role.treated_as)
            && self
                .connector_default
                .is_none_or(|c| c != role.connector_default.is_empty())
    }
}

/// A rule's type with its parameters.
#[derive(Debug, Clone)]
pub enum RuleKind {
    Ceiling(ceiling::Ceiling),
    ForbidToggle(forbid_toggle::ForbidToggle),
    ForbidGrant(forbid_grant::ForbidGrant),
    RequirePair(require_pair::RequirePair),
    UniformOnBoard(uniform_on_board::UniformOnBoard),
    SchemeReach(scheme_reach::SchemeReach),
    BoardExpectation(board_expectation::BoardExpectation),
}

impl RuleKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Ceiling(_) => "ceiling",
            Self::ForbidToggle(_) => "forbid-toggle",
            Self::ForbidGrant(_) => "forbid-grant",
            Self::RequirePair(_) => "require-pair",
            Self::UniformOnBoard(_) => "uniform-on-board",
            Self::SchemeReach(_) => "scheme-reach",
            Self::BoardExpectation(_) => "board-expectation",
        }
    }

    /// Does the rule judge roles (checked as each role loads) rather than the Jira model?
    pub fn judges_roles(&self) -> bool {
        matches!(self, Self::Ceiling(_) | Self::ForbidToggle(_))
    }
}

/// Build a rule of `rule_type` from its parameters, reporting missing or foreign ones.
pub fn build(
    file: FileId,
    rule_type: &Spanned<String>,
    params: Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<RuleKind> {
    let (accepted, kind): (&[&str], Option<RuleKind>) = match rule_type.get_ref().as_str() {
        "ceiling" => (
            ceiling::PARAMS,
            ceiling::Ceiling::build(file, rule_type.span(), &params, diags).map(RuleKind::Ceiling),
        ),
        "forbid-toggle" => (
            forbid_toggle::PARAMS,
            forbid_toggle::ForbidToggle::build(file, rule_type.span(), &params, diags)
                .map(RuleKind::ForbidToggle),
        ),
        "forbid-grant" => (
            forbid_grant::PARAMS,
            forbid_grant::ForbidGrant::build(file, rule_type.span(), &params, diags)
                .map(RuleKind::ForbidGrant),
        ),
        "require-pair" => (
            require_pair::PARAMS,
            require_pair::RequirePair::build(file, rule_type.span(), &params, diags)
                .map(RuleKind::RequirePair),
        ),
        "uniform-on-board" => (
            uniform_on_board::PARAMS,
            uniform_on_board::UniformOnBoard::build(file, rule_type.span(), &params, diags)
                .map(RuleKind::UniformOnBoard),
        ),
        "scheme-reach" => (
            scheme_reach::PARAMS,
            scheme_reach::SchemeReach::build(file, rule_type.span(), &params, diags)
                .map(RuleKind::SchemeReach),
        ),
        "board-expectation" => (
            board_expectation::PARAMS,
            board_expectation::BoardExpectation::build(&params).map(RuleKind::BoardExpectation),
        ),
        other => {
            let mut d = checks::INVALID_POLICY
                .at(
                    file,
                    rule_type.span(),
                    format!("unknown rule type `{other}`"),
                )
                .with_label("not a rule type")
                .with_note(format!(
                    "rule types: {}",
                    crate::document::backticked(RULE_TYPES)
                ));
            if let Some(s) =
                crate::diagnostics::suggest::did_you_mean(other, RULE_TYPES.iter().copied())
            {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            return None;
        }
    };
    for (name, span) in params.given() {
        if !accepted.contains(&name) {
            diags.push(
                checks::INVALID_POLICY
                    .at(
                        file,
                        span,
                        format!("rule type `{}` does not take `{name}`", rule_type.get_ref()),
                    )
                    .with_label("not a parameter of this rule type")
                    .with_note(format!(
                        "it takes {}",
                        crate::document::backticked(accepted)
                    )),
            );
        }
    }
    kind
}

/// A policy problem at `span`.
pub(crate) fn policy_error(
    file: FileId,
    span: Range<usize>,
    message: String,
    label: &str,
) -> Diagnostic {
    checks::INVALID_POLICY
        .at(file, span, message)
        .with_label(label)
}

/// A permission key a rule names must be in the catalogue (on some platform).
pub(crate) fn known_key(file: FileId, key: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> bool {
    if crate::catalog::PermissionCatalog::builtin()
        .get(key.get_ref())
        .is_some()
    {
        return true;
    }
    let msg = format!(
        "`{}` is not a permission key in the catalogue",
        key.get_ref()
    );
    diags.push(policy_error(
        file,
        key.span(),
        msg,
        "unknown permission key",
    ));
    false
}

/// A required single parameter, or a policy error on the rule type.
pub(crate) fn required<'a, T>(
    file: FileId,
    type_span: Range<usize>,
    value: &'a Option<Spanned<T>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a Spanned<T>> {
    if value.is_none() {
        let msg = format!("this rule type needs `{what}`");
        diags.push(policy_error(file, type_span, msg, "missing parameter"));
    }
    value.as_ref()
}

/// `Location` shorthand.
pub(crate) fn at(file: FileId, span: Range<usize>) -> Location {
    Location::new(file, span)
}
