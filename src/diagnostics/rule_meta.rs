//! What a user reads about a rule or a built-in check: one type for both, whether it comes
//! from a policy entry or from `policies/checks.toml`. `rolelint rules --json` prints it;
//! codes users write (configuration, command line, suppressions) are validated against it.
use crate::diagnostics::message::Message;
use crate::diagnostics::source::Location;
use crate::diagnostics::text::Text;
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
    /// Why the rule matters, when its policy entry says (the note of its findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the rule comes from; `None` for checks.
    pub source: Option<RuleSource>,
    pub suppressible: bool,
    pub example_fail: Vec<String>,
    pub example_pass: Vec<String>,
    /// The repository policy file defining the rule; `None` for built-in rules and checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_file: Option<String>,
    #[serde(skip)]
    pub supersedes: Vec<String>,
    /// The name of the policy defining the rule.
    #[serde(skip)]
    pub policy: String,
    /// What every finding of the rule shares, made with the first (see [`RuleTexts`]).
    #[serde(skip)]
    pub texts: std::sync::OnceLock<RuleTexts>,
}

/// A rule's code and name, and its help and note when they have no placeholder: one
/// copy the rule's findings share instead of one each.
#[derive(Debug, Clone)]
pub struct RuleTexts {
    id: std::sync::Arc<crate::diagnostics::RuleId>,
    help: Option<Text>,
    /// The rule's note when it has no placeholder, as the list its findings share.
    note: Option<crate::diagnostics::text::TextList>,
    /// The message template's id ([`crate::diagnostics::message::register`]).
    message: Option<u32>,
    /// A help or note with placeholders, filled: one copy of each distinct text (a board
    /// rule's help names one of a few hundred groups in 12,000 findings).
    filled: std::sync::Arc<crate::diagnostics::text::Interner>,
}

impl RuleTexts {
    fn of(meta: &RuleMeta) -> Self {
        let fixed = |t: &str| (!t.contains(['{', '}'])).then(|| Text::from(t.to_string()));
        Self {
            id: crate::diagnostics::RuleId::new(meta.code.clone(), meta.name.clone()),
            help: fixed(&meta.help),
            note: (meta.note.as_deref().and_then(fixed))
                .map(|n| std::sync::Arc::new(Box::from([n]))),
            message: crate::diagnostics::message::register(&meta.message),
            filled: Default::default(),
        }
    }
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
    /// The code and name this rule's findings share.
    pub fn id(&self) -> std::sync::Arc<crate::diagnostics::RuleId> {
        self.texts.get_or_init(|| RuleTexts::of(self)).id.clone()
    }

    /// A finding of this rule about `subject`, with its message template filled in.
    pub fn finding(&self, location: &Location, vars: &[(&str, &str)], subject: &str) -> Diagnostic {
        use crate::diagnostics::fill;
        let shared = self.texts.get_or_init(|| RuleTexts::of(self));
        let help = match &shared.help {
            Some(h) => h.clone(),
            None => shared.filled.text(fill(&self.help, vars)),
        };
        let mut d = Diagnostic::of_rule(
            shared.id.clone(),
            self.severity,
            match shared.message {
                Some(id) => Message::filled(id, &self.message, vars, subject),
                None => {
                    let mut m = Message::from(fill(&self.message, vars));
                    m.set_subject(subject);
                    m
                }
            },
            location.file,
            location.span.clone(),
        )
        .with_help(help);
        if let Some(n) = &self.note {
            d = d.with_notes(match &shared.note {
                Some(list) => list.clone(),
                None => shared.filled.list(&[shared.filled.text(fill(n, vars))]),
            });
        }
        d
    }
}

/// The rule `id` names: its code (any case) or its name.
pub fn find<'a>(ids: &'a [RuleMeta], id: &str) -> Option<&'a RuleMeta> {
    ids.iter()
        .find(|r| r.code.eq_ignore_ascii_case(id) || r.name == id)
}

/// True when `id` is the type of some policy rule (`uniform-on-board`): `[severity]` and
/// `--severity` may set the level of every rule of a type at once.
pub fn is_rule_type(ids: &[RuleMeta], id: &str) -> bool {
    id != crate::diagnostics::checks::DOCUMENT_CHECK && ids.iter().any(|r| r.rule_type == id)
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
pub fn suggestion(ids: &[RuleMeta], id: &str) -> Option<Text> {
    let candidates = ids.iter().flat_map(|r| [r.code.as_str(), r.name.as_str()]);
    crate::diagnostics::suggest::did_you_mean(id, candidates)
        .map(|s| crate::diagnostics::says::DidYouMean { suggestion: s }.text())
}
