//! Rule types: a small, closed set with fixed semantics. Policies instantiate them.
//!
//! A rule type is one file of this folder (its [`RuleType`] impl: the parameters as a serde
//! struct, validation, resolution and its findings) and one line in the `rule_types!` list
//! below, which declares the module and registers the type in [`TYPES`].

use crate::catalog::ToggleCatalog;
use crate::config::Config;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::collect;
use crate::evaluate::policy::{Rule, RuleMeta};
use crate::jira::Model;
pub use crate::resolve::TreatedAs;
use crate::resolve::{Enabled, RoleView};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::any::Any;
use std::fmt::Debug;
use std::ops::Range;
use std::sync::{Arc, LazyLock};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// `module::Type` per line: declares the module (its file in this folder) and registers the
/// type, so a rule type is added with one line here, never two that could disagree.
macro_rules! rule_types {
    ($($module:ident :: $ty:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// Every rule type, in the order `rolelint` lists them.
        pub static TYPES: &[Registration] = &[$(Registration::of::<$module::$ty>()),*];
    };
}

rule_types! {
    ceiling::Ceiling,
    forbid_toggle::ForbidToggle,
    forbid_grant::ForbidGrant,
    require_pair::RequirePair,
    uniform_on_board::UniformOnBoard,
    scheme_reach::SchemeReach,
    board_expectation::BoardExpectation,
}

/// A rule type: what a `type = "..."` entry of a policy means.
pub trait RuleType: Debug + Send + Sync + Sized + 'static {
    /// The kebab-case name policy files use.
    const NAME: &'static str;
    /// The parameters an entry of this type takes: a serde struct with
    /// `deny_unknown_fields`, whose fields are the parameters (serde reports any other key).
    type Params: DeserializeOwned;
    /// The wording of its findings beyond the entry's message, help and note: a serde struct
    /// (`deny_unknown_fields`) of templates, read from the entry's `[rule.text]` over the
    /// type's table in `policies/rule-types.toml`.
    type Text: DeserializeOwned;
    /// Check the parameters on their own (no catalogue yet).
    fn build(
        entry: &Entry,
        params: Self::Params,
        text: Self::Text,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self>;
    /// The rule as it runs, its parameters resolved against the catalogue, configuration
    /// and the other active rules; `None` when they cannot be (reported in `diags`).
    fn resolve(&self, cx: &ResolveCx<'_>, diags: &mut Vec<Diagnostic>) -> Option<Resolved>;
    /// The roles a role rule selects; Jira rules select none.
    fn selects(&self) -> Option<&Where> {
        None
    }
}

/// Where a rule entry is: its file and its `type` value.
pub struct Entry {
    pub file: FileId,
    pub type_span: Range<usize>,
}

/// What resolving a rule may read.
pub struct ResolveCx<'a> {
    pub catalog: &'a ToggleCatalog,
    pub config: &'a Config,
    /// Every active rule (`allow-from` names another one).
    pub rules: &'a [Rule],
}

/// A resolved rule, owning everything it needs to run.
#[derive(Debug)]
pub enum Resolved {
    /// Judges each role as it loads.
    Role(Box<dyn RoleCheck>),
    /// Judges the Jira model.
    Jira(Box<dyn JiraCheck>),
}

/// A rule over one Jira Align role.
pub trait RoleCheck: Debug + Send + Sync {
    /// Push this rule's findings on `role`. True when the role is held to this rule's
    /// maximum: its unknown toggles are then this rule's findings rather than `RL010`.
    fn check(
        &self,
        meta: &RuleMeta,
        role: &RoleView,
        enabled: &[Enabled],
        catalog: &ToggleCatalog,
        out: &mut Vec<Diagnostic>,
    ) -> bool;
    /// Is `role` held to this rule's maximum (what [`RoleCheck::check`] returns), for a
    /// rule that is not evaluated because no output shows its findings?
    fn holds(&self, role: &RoleView) -> bool;
}

/// A rule over the Jira model.
pub trait JiraCheck: Debug + Send + Sync + Any {
    /// Push this rule's findings.
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>);
    /// For the evaluator to run rules that share work together (board expectations).
    fn as_any(&self) -> &dyn Any;
}

/// A rule as its policy declared it, whatever its type.
pub trait DeclaredRule: Debug + Send + Sync {
    fn type_name(&self) -> &'static str;
    fn resolve(&self, cx: &ResolveCx<'_>, diags: &mut Vec<Diagnostic>) -> Option<Resolved>;
    fn selects(&self) -> Option<&Where>;
    fn as_any(&self) -> &dyn Any;
}

impl<T: RuleType> DeclaredRule for T {
    fn type_name(&self) -> &'static str {
        T::NAME
    }
    fn resolve(&self, cx: &ResolveCx<'_>, diags: &mut Vec<Diagnostic>) -> Option<Resolved> {
        RuleType::resolve(self, cx, diags)
    }
    fn selects(&self) -> Option<&Where> {
        RuleType::selects(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One rule type in [`TYPES`].
pub struct Registration {
    pub name: &'static str,
    /// The parameters it takes (its `Params` fields).
    pub params: fn() -> &'static [&'static str],
    build: BuildFn,
}

type BuildFn =
    fn(&Entry, Spanned<DeTable<'_>>, &mut Vec<Diagnostic>) -> Option<Arc<dyn DeclaredRule>>;

impl Registration {
    pub const fn of<T: RuleType>() -> Self {
        Self {
            name: T::NAME,
            params: crate::evaluate::policy::fields::of::<T::Params>,
            build: build_entry::<T>,
        }
    }
}

/// Read an entry's parameters into `T::Params` (every serde error a diagnostic at its
/// span) and build the rule.
fn build_entry<T: RuleType>(
    entry: &Entry,
    mut params: Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<dyn DeclaredRule>> {
    let text = params.get_mut().remove("text");
    let text = read_text::<T>(entry, text, diags);
    let render = |e: &toml::de::Error| param_error(entry, T::NAME, e);
    let (params, phase) = collect::deserialize_with::<T::Params>(params, diags, &render);
    let params = params.filter(|_| phase.validate_rest())?;
    let mut found = Vec::new();
    let rule = T::build(entry, params, text?, &mut found);
    // Judgements on a value read as a placeholder would be about the repair.
    diags.extend(found.into_iter().filter(|d| phase.keeps(d)));
    rule.map(|r| Arc::new(r) as Arc<dyn DeclaredRule>)
}

/// `policies/rule-types.toml`, parsed once.
static TEXT_DEFAULTS: LazyLock<Option<Spanned<DeTable<'static>>>> =
    LazyLock::new(|| DeTable::parse(crate::evaluate::policy::builtin::RULE_TEXT.1).ok());

/// The wording of a `T` entry: its `[rule.text]` keys over the type's defaults.
fn read_text<T: RuleType>(
    entry: &Entry,
    text: Option<Spanned<DeValue<'_>>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<T::Text> {
    let mut merged = DeTable::new();
    let defaults = TEXT_DEFAULTS
        .as_ref()
        .and_then(|t| t.get_ref().get(T::NAME));
    if let Some(DeValue::Table(defaults)) = defaults.map(Spanned::get_ref) {
        for (k, v) in defaults.clone() {
            merged.insert(k, v);
        }
    }
    let span = text.as_ref().map_or(entry.type_span.clone(), Spanned::span);
    match text.map(Spanned::into_inner) {
        None => {}
        Some(DeValue::Table(own)) => {
            for (k, v) in own {
                merged.insert(k, v);
            }
        }
        Some(other) => {
            let found = other.type_str();
            diags.push(says::TextNotATable { found }.at(entry.file, span));
            return None;
        }
    }
    let render = |e: &toml::de::Error| crate::document::serde_error(entry.file, "policy", e);
    let (text, phase) = collect::deserialize_with(Spanned::new(span, merged), diags, &render);
    text.filter(|_| phase.errors == 0)
}

/// A serde error in a rule's parameters: a parameter of another type is named as such;
/// any other unknown key is misspelt (an entry key or a parameter of this type).
fn param_error(entry: &Entry, type_name: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().trim_end_matches('.');
    let Some((field, expected)) = crate::document::parse_unknown_field(message) else {
        return crate::document::serde_error(entry.file, "policy", e);
    };
    if TYPES.iter().any(|t| (t.params)().contains(&field.as_str())) {
        let takes = crate::document::backticked(&expected);
        return says::NotAParameter {
            rule_type: type_name,
            field: &field,
            takes: &takes,
        }
        .at(entry.file, span);
    }
    let keys: Vec<&str> = crate::evaluate::policy::entry_keys()
        .iter()
        .copied()
        .chain(["text"])
        .chain(expected.iter().map(String::as_str))
        .collect();
    crate::document::unknown_key(entry.file, "policy", span, &field, &keys)
}

/// Build a rule of `rule_type` from its parameters table.
pub fn build(
    file: FileId,
    rule_type: &Spanned<String>,
    params: Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<dyn DeclaredRule>> {
    let name = rule_type.get_ref().as_str();
    let entry = Entry {
        file,
        type_span: rule_type.span(),
    };
    if let Some(t) = TYPES.iter().find(|t| t.name == name) {
        return (t.build)(&entry, params, diags);
    }
    let names: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
    let types = crate::document::backticked(&names);
    let mut d = says::UnknownRuleType {
        name,
        types: &types,
    }
    .at(file, rule_type.span());
    if let Some(s) = crate::diagnostics::suggest::did_you_mean(name, names.iter().copied()) {
        d = d.with_help(says::DidYouMean { suggestion: s }.text());
    }
    diags.push(d);
    None
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

impl Where {
    pub fn matches(&self, role: &RoleView) -> bool {
        self.treated_as.is_none_or(|t| t == role.treated_as)
            && self
                .connector_default
                .is_none_or(|c| c != role.connector_default.is_empty())
    }
}

/// A permission key a rule names must be in the catalogue (on some platform).
pub(crate) fn known_key(file: FileId, key: &Spanned<String>, diags: &mut Vec<Diagnostic>) -> bool {
    if crate::catalog::PermissionCatalog::builtin()
        .get(key.get_ref())
        .is_some()
    {
        return true;
    }
    diags.push(says::RuleNamesUnknownKey { key: key.get_ref() }.at(file, key.span()));
    false
}

/// A required single parameter, or a policy error on the rule type.
pub(crate) fn required<'a, T>(
    entry: &Entry,
    value: &'a Option<Spanned<T>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a Spanned<T>> {
    if value.is_none() {
        let span = entry.type_span.clone();
        diags.push(says::MissingParameter { parameter: what }.at(entry.file, span));
    }
    value.as_ref()
}

/// `Location` shorthand.
pub(crate) fn at(file: FileId, span: Range<usize>) -> Location {
    Location::new(file, span)
}
