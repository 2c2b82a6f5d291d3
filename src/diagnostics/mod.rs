//! Findings: what rules and document checks report, with spans into the sources.
pub mod checks;
pub mod fatal;
pub mod fingerprint;
pub mod fix;
pub mod rule_meta;
pub mod source;
pub mod suggest;
pub mod text;
use crate::diagnostics::source::{FileId, Location};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use text::Text;

/// How serious a finding is. `Off` only appears in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// A secondary label, possibly in another file (e.g. "maximum defined here" in a policy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub location: Location,
    pub text: String,
}

/// Why a finding does not count (issue: suppressions and baselines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Suppression {
    /// `inline`, `exception` or `baseline`.
    pub kind: &'static str,
    pub reason: String,
}

/// One finding. A repository may have hundreds of thousands, all held until the report:
/// what many findings have in common (code, name, most helps and notes, most labels) is
/// a shared [`Text`], and what few have (a suppression, a fix) is boxed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Text,
    pub name: Text,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Text under the primary span.
    pub label: Text,
    /// Further labels; those in the primary file are drawn in the same snippet.
    pub labels: Vec<Label>,
    pub help: Option<Text>,
    pub notes: Vec<Text>,
    /// Stable logical subject (role, toggle, grant...) used for de-duplication and fingerprints.
    pub subject: String,
    pub suppressed: Option<Box<Suppression>>,
    /// An edit that would resolve the finding (`check --fix`), made by the rule that knows it.
    pub fix: Option<Box<crate::diagnostics::fix::Fix>>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<Text>,
        name: impl Into<Text>,
        severity: Severity,
        message: impl Into<String>,
        file: FileId,
        span: Range<usize>,
    ) -> Self {
        Self {
            code: code.into(),
            name: name.into(),
            severity,
            message: message.into(),
            location: Location::new(file, span),
            label: Text::default(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            subject: String::new(),
            suppressed: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, text: impl Into<Text>) -> Self {
        self.label = text.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        let help = help.into();
        self.help = (!help.is_empty()).then_some(help);
        self
    }

    pub fn with_note(mut self, note: impl Into<Text>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn with_secondary(mut self, location: Location, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            text: text.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Option<crate::diagnostics::fix::Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }

    /// True when the finding counts towards the exit code.
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none()
    }
}

/// Fill `{name}` placeholders of a rule's message template.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match vars.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        assert_eq!(
            fill("role `{role}` has {n} {x} {", &[("role", "A"), ("n", "2")]),
            "role `A` has 2 {x} {"
        );
    }
}
