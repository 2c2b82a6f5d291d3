//! Findings: what rules and document checks report, with spans into the sources.
pub mod checks;
pub mod fatal;
pub mod fingerprint;
pub mod fix;
pub mod message;
pub mod rule_meta;
pub mod says;
pub mod source;
pub mod suggest;
pub mod text;
pub mod wording;
use crate::diagnostics::source::{FileId, Location};
use message::Message;
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub location: Location,
    /// Often the same for many findings ("maximum defined here"): shared.
    pub text: Text,
}

/// A finding's further labels: one pointer in the finding (most have none), the list
/// apart, with room for no more than it holds, and shared by the findings that have the
/// same labels ([`Diagnostic::with_secondary_in`]: "maximum defined here" in thousands).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels(Option<std::sync::Arc<Box<[Label]>>>);

impl Labels {
    /// The list with `label` after it, with room for no more.
    fn and(&self, label: Label) -> Box<[Label]> {
        let mut list = Vec::with_capacity(self.len() + 1);
        list.extend(self.iter().cloned());
        list.push(label);
        list.into_boxed_slice()
    }
}

impl std::ops::Deref for Labels {
    type Target = [Label];
    fn deref(&self) -> &[Label] {
        self.0.as_deref().map_or(&[], |list| list)
    }
}

/// A shared list is copied before it is changed.
impl std::ops::DerefMut for Labels {
    fn deref_mut(&mut self) -> &mut [Label] {
        match &mut self.0 {
            Some(list) => {
                let list: &mut Box<[Label]> = std::sync::Arc::make_mut(list);
                list
            }
            None => &mut [],
        }
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Labels {
    type Item = &'a mut Label;
    type IntoIter = std::slice::IterMut<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
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
/// each is one allocation that never moves (the lists of findings, grown, merged and
/// sorted, move pointers; a list of 240-byte structs doubling as it grew held three times
/// its findings' size at once). Its fields are [`DiagnosticFields`], read through it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic(Box<DiagnosticFields>);

impl std::ops::Deref for Diagnostic {
    type Target = DiagnosticFields;
    fn deref(&self) -> &DiagnosticFields {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut DiagnosticFields {
        &mut self.0
    }
}

/// A rule's code and name, one copy its findings share ([`DiagnosticFields::rule`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleId {
    pub code: Text,
    pub name: Text,
}

impl RuleId {
    pub fn new(code: impl Into<Text>, name: impl Into<Text>) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self {
            code: code.into(),
            name: name.into(),
        })
    }
}

/// A finding's notes: most findings have one or two, and most of a rule's findings have
/// the same ones. The list is shared, so a finding keeps two words for it (an inline one
/// took three, a finding's size class above 128 bytes) and, mostly, no list of its own
/// ([`Diagnostic::with_notes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes(Option<text::TextList>);

impl Notes {
    /// The list with `note` after it, with room for no more.
    fn and(&self, note: Text) -> Vec<Text> {
        let mut list = Vec::with_capacity(self.len() + 1);
        list.extend(self.iter().cloned());
        list.push(note);
        list
    }
}

impl std::ops::Deref for Notes {
    type Target = [Text];
    fn deref(&self) -> &[Text] {
        self.0.as_ref().map_or(&[], |l| &l[..])
    }
}

/// What a finding holds. What many findings have in common (code and name, most helps,
/// notes and labels, the plain fixes) is shared, and a suppression, which few have, is
/// boxed. Read its code and name with [`DiagnosticFields::code`] and
/// [`DiagnosticFields::name`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticFields {
    /// The rule's code and name, shared by its findings: one pointer, not two texts.
    pub rule: std::sync::Arc<RuleId>,
    pub severity: Severity,
    /// Read with [`Message::get`]: a rule's message is kept as its template's values. It
    /// holds the finding's subject too ([`DiagnosticFields::subject`]).
    pub message: Message,
    pub location: Location,
    /// The text under the primary span and the help ([`DiagnosticFields::label`],
    /// [`DiagnosticFields::help`]), one pair shared by the findings that read the same.
    pub wording: wording::Wording,
    /// Further labels; those in the primary file are drawn in the same snippet.
    pub labels: Labels,
    /// Nearly every finding has a note or two, most of them shared texts.
    pub notes: Notes,
    pub suppressed: Option<Box<Suppression>>,
    /// An edit that would resolve the finding (`check --fix`), made by the rule that knows it.
    pub fix: Option<std::sync::Arc<crate::diagnostics::fix::Fix>>,
}

impl Diagnostic {
    /// A finding of the rule `code` named `name` (a rule's findings share one [`RuleId`]
    /// when made with [`Diagnostic::of_rule`]).
    pub fn new(
        code: impl Into<Text>,
        name: impl Into<Text>,
        severity: Severity,
        message: impl Into<Message>,
        file: FileId,
        span: Range<usize>,
    ) -> Self {
        Self::of_rule(RuleId::new(code, name), severity, message, file, span)
    }

    /// A finding of `rule`, sharing its code and name.
    pub fn of_rule(
        rule: std::sync::Arc<RuleId>,
        severity: Severity,
        message: impl Into<Message>,
        file: FileId,
        span: Range<usize>,
    ) -> Self {
        Self(Box::new(DiagnosticFields {
            rule,
            severity,
            message: message.into(),
            location: Location::new(file, span),
            wording: wording::Wording::default(),
            labels: Labels::default(),
            notes: Notes::default(),
            suppressed: None,
            fix: None,
        }))
    }

    pub fn with_label(mut self, text: impl Into<Text>) -> Self {
        self.wording = self.wording.with_label(text.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        let help = help.into();
        self.wording = self.wording.with_help((!help.is_empty()).then_some(help));
        self
    }

    pub fn with_note(mut self, note: impl Into<Text>) -> Self {
        let list = self.notes.and(note.into());
        self.notes = Notes(Some(std::sync::Arc::new(list.into_boxed_slice())));
        self
    }

    /// [`Diagnostic::with_note`], the list shared through `lists` with the findings that
    /// have the same notes.
    pub fn with_note_in(mut self, note: Text, lists: &text::Interner) -> Self {
        let list = self.notes.and(note);
        self.notes = Notes(Some(lists.list(&list)));
        self
    }

    /// Replaces the notes with `notes` (a list shared with other findings, or built whole).
    pub fn with_notes(mut self, notes: text::TextList) -> Self {
        self.notes = Notes((!notes.is_empty()).then_some(notes));
        self
    }

    pub fn with_subject(mut self, subject: impl AsRef<str>) -> Self {
        self.message.set_subject(subject.as_ref());
        self
    }

    pub fn with_secondary(mut self, location: Location, text: impl Into<Text>) -> Self {
        let label = Label {
            location,
            text: text.into(),
        };
        self.labels = Labels(Some(std::sync::Arc::new(self.labels.and(label))));
        self
    }

    /// [`Diagnostic::with_secondary`], the list shared through `lists` with the findings
    /// that have the same labels.
    pub fn with_secondary_in(
        mut self,
        location: Location,
        text: Text,
        lists: &text::Interner,
    ) -> Self {
        let list = self.labels.and(Label { location, text });
        self.labels = Labels(Some(lists.labels(list)));
        self
    }

    pub fn with_fix(mut self, fix: Option<crate::diagnostics::fix::Fix>) -> Self {
        self.fix = fix.map(crate::diagnostics::fix::Fix::shared);
        self
    }

    /// [`Diagnostic::with_fix`], the fix shared through `fixes` with the findings that
    /// have the same one.
    pub fn with_fix_in(
        mut self,
        fix: crate::diagnostics::fix::Fix,
        fixes: &text::Interner,
    ) -> Self {
        self.fix = Some(fixes.fix(fix));
        self
    }

    /// True when the finding counts towards the exit code.
    pub fn is_active(&self) -> bool {
        self.suppressed.is_none()
    }
}

impl DiagnosticFields {
    /// The rule's code (`AL101`).
    pub fn code(&self) -> &Text {
        &self.rule.code
    }

    /// The rule's name (`over-integrated-maximum`).
    pub fn name(&self) -> &Text {
        &self.rule.name
    }

    /// The text under the primary span (empty when there is none).
    pub fn label(&self) -> &str {
        self.wording.label()
    }

    /// What to do about the finding.
    pub fn help(&self) -> Option<&Text> {
        self.wording.help()
    }

    /// Stable logical subject (role, toggle, grant...) used for de-duplication and
    /// fingerprints; empty when the rule names none.
    pub fn subject(&self) -> &str {
        self.message.subject()
    }
}

/// Fill the `{name}` placeholders of a template (a rule's message, help, note or phrase; a
/// built-in check's text). A placeholder `vars` does not name stays as written; `{{` and
/// `}}` are literal braces.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    filled(template, |key| lookup(vars, key))
}

/// The value `vars` gives `key`.
fn lookup<'a>(vars: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    vars.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// `template` filled with what `resolve` gives each placeholder (`None`: as written).
fn filled<'a>(template: &'a str, resolve: impl FnMut(&str) -> Option<&'a str>) -> String {
    // One scan of the template, its pieces noted on the stack, so each of the many findings'
    // texts is one allocation of its size (a template with more pieces is built as it goes).
    let mut noted = [""; 24];
    let (mut count, mut len) = (0, 0);
    let (mut more, mut spilled) = (String::new(), false);
    pieces(template, resolve, |p| {
        len += p.len();
        match noted.get_mut(count) {
            Some(slot) => *slot = p,
            None => {
                if !spilled {
                    spilled = true;
                    more.reserve(template.len() * 2);
                    noted.iter().for_each(|n| more.push_str(n));
                }
                more.push_str(p);
            }
        }
        count += 1;
    });
    if spilled {
        return more;
    }
    let mut out = String::with_capacity(len);
    noted[..count].iter().for_each(|p| out.push_str(p));
    out
}

/// The pieces of `template` filled, in order: literal text and the placeholders' values
/// (`resolve` is asked once per placeholder, in order).
fn pieces<'a>(
    template: &'a str,
    mut resolve: impl FnMut(&str) -> Option<&'a str>,
    mut piece: impl FnMut(&'a str),
) {
    let mut rest = template;
    while let Some(at) = memchr::memchr2(b'{', b'}', rest.as_bytes()) {
        piece(&rest[..at]);
        let brace = &rest[at..at + 1];
        let after = &rest[at + 1..];
        if after.starts_with(brace) || brace == "}" {
            piece(brace);
            rest = if after.starts_with(brace) {
                &after[1..]
            } else {
                after
            };
            continue;
        }
        match memchr::memchr(b'}', after.as_bytes()) {
            Some(close) => {
                match resolve(&after[..close]) {
                    Some(v) => piece(v),
                    // Not a placeholder of this template: as written, braces included.
                    None => piece(&rest[at..at + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                piece(&rest[at..]);
                rest = "";
            }
        }
    }
    piece(rest);
}

/// A built-in `template` filled: shared as written when it has no placeholder.
pub fn phrase(template: &'static str, vars: &[(&str, &str)]) -> Text {
    if template.contains(['{', '}']) {
        Text::from(fill(template, vars))
    } else {
        Text::from(template)
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    /// Findings are held until the report, tens of thousands of them: their texts and lists
    /// are boxed slices, with no spare room by their type (a note list had room for four, a
    /// message for its template and 32 bytes more), and a finding's fields fit in 128 bytes
    /// (jemalloc's 128-byte class; they took 240, 224, 184, then 160): the rule's code and
    /// name are one shared pointer, and the notes a boxed list.
    /// Findings with the same notes share one list; a list built whole replaces the notes.
    #[test]
    fn findings_share_their_notes() {
        use super::{source::FileId, text::Interner, Diagnostic, Severity};
        let lists = Interner::default();
        let make = |dym: &str| {
            Diagnostic::new("AL101", "x", Severity::Error, "m", FileId(0), 0..1)
                .with_note("why")
                .with_note_in(lists.text(dym.to_string()), &lists)
        };
        let (a, b, c) = (make("did you mean A?"), make("did you mean A?"), make("B?"));
        assert!(
            std::ptr::eq(&a.notes[0..], &b.notes[0..]),
            "one list for both"
        );
        assert_eq!(
            c.notes.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
            ["why", "B?"]
        );
        let d = c.with_notes(std::sync::Arc::default());
        assert!(d.notes.is_empty());
    }

    /// Findings with the same labels share one list; changing one copies it first.
    #[test]
    fn findings_share_their_labels() {
        use super::{source::FileId, source::Location, text::Interner, Diagnostic, Severity};
        let lists = Interner::default();
        let make =
            || {
                Diagnostic::new("AL101", "x", Severity::Error, "m", FileId(0), 0..1)
                    .with_secondary_in(Location::new(FileId(1), 2..3), "here".into(), &lists)
            };
        let (a, mut b) = (make(), make());
        assert!(std::ptr::eq(&a.labels[0..], &b.labels[0..]), "one list");
        b.labels[0].location.file = FileId(7);
        assert_eq!(
            (a.labels[0].location.file, b.labels[0].location.file),
            (FileId(1), FileId(7))
        );
    }

    #[test]
    fn a_finding_is_small_and_keeps_what_it_was_given() {
        use super::{source::FileId, source::Location, Diagnostic, Severity};
        let mut message = String::with_capacity(200);
        message.push_str("role `R` enables `A > B > C`");
        let d = Diagnostic::new("AL101", "x", Severity::Error, message, FileId(0), 0..1)
            .with_subject("R/A > B > C")
            .with_note("first")
            .with_note(format!("second {}", 2))
            .with_secondary(Location::new(FileId(1), 2..3), "here");
        assert_eq!(d.message.get(), "role `R` enables `A > B > C`");
        assert_eq!(d.subject(), "R/A > B > C");
        assert_eq!(d.notes.len(), 2);
        assert_eq!(d.notes[1], "second 2");
        assert_eq!(d.labels.len(), 1);
        assert_eq!((d.code().as_str(), d.name().as_str()), ("AL101", "x"));
        // jemalloc's 96-byte class (label and help shared as one pair took it from 128).
        if cfg!(target_pointer_width = "64") {
            assert!(std::mem::size_of::<super::DiagnosticFields>() <= 96);
        }
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        assert_eq!(
            fill("role `{role}` has {n} {x} {", &[("role", "A"), ("n", "2")]),
            "role `A` has 2 {x} {"
        );
        assert_eq!(
            fill("GET /p/{{key}} {n}}}", &[("n", "2")]),
            "GET /p/{key} 2}"
        );
        assert_eq!(fill("{ a = 1 }", &[("a", "2")]), "{ a = 1 }");
    }
}
