//! Documents: one file per kind, dispatched on the top-level `kind`. Policies are read
//! by the rule set they make (`evaluate::policy::parse`); loading routes them there by
//! their [`kind`] before anything is parsed.
//!
//! Parsing is two-phase: TOML is parsed once into spanned values, then
//! deserialised into a `Raw*` struct that rejects unknown keys, then validated
//! into the typed document, collecting every semantic problem as a diagnostic.
pub mod align_catalogue;
pub mod align_role;
pub mod board;
pub mod catalogue_raw;
pub mod collect;
pub mod global_permissions;
pub mod groups;
pub mod holder;
pub mod kind;
pub mod permission_scheme;
pub mod project;
pub mod table;
pub mod toggle_tree;

use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub use align_catalogue::CatalogueDoc;
pub use align_role::AlignRole;

/// Every document kind rolelint knows.
pub const KINDS: &[&str] = &[
    "align-role",
    "align-catalogue",
    "policy",
    "jira-permission-scheme",
    "jira-global-permissions",
    "jira-project",
    "jira-board",
    "jira-groups",
];

/// A loaded, validated document.
#[derive(Debug)]
pub enum Document {
    AlignRole(AlignRole),
    /// Shared: the built-in catalogue is read once per process and built once (see
    /// [`crate::catalog::ToggleCatalog::of`]).
    AlignCatalogue(Arc<CatalogueDoc>),
    JiraScheme(permission_scheme::PermissionScheme),
    JiraGlobal(global_permissions::GlobalPermissions),
    JiraProject(project::Project),
    JiraBoard(board::Board),
    JiraGroups(groups::Groups),
}

/// The result of reading one file: maybe a document, and its problems.
#[derive(Debug, Default)]
pub struct Parsed {
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and validate one document from its text. A policy gives no document here (see
/// the module's documentation).
pub fn parse(file: FileId, text: &str) -> Parsed {
    let mut out = Parsed::default();
    let Some((kind, table)) = read_table(file, text, &mut out.diagnostics) else {
        return out;
    };
    let diags = &mut out.diagnostics;
    out.document = match kind.as_str() {
        "align-role" => two_phase(
            (file, "align-role", table, diags),
            align_role::RawAlignRole::from_table,
            |raw, d| align_role::validate(file, raw, d),
        )
        .map(Document::AlignRole),
        "align-catalogue" => two_phase(
            (file, "align-catalogue", table, diags),
            no_fast_path,
            |raw, d| align_catalogue::validate(file, raw, d),
        )
        .map(|c| Document::AlignCatalogue(Arc::new(c))),
        "jira-permission-scheme" => two_phase(
            (file, "jira-permission-scheme", table, diags),
            permission_scheme::RawScheme::from_table,
            |raw, d| permission_scheme::validate(file, raw, d),
        )
        .map(Document::JiraScheme),
        "jira-global-permissions" => two_phase(
            (file, "jira-global-permissions", table, diags),
            no_fast_path,
            |raw, d| global_permissions::validate(file, raw, d),
        )
        .map(Document::JiraGlobal),
        "jira-project" => two_phase(
            (file, "jira-project", table, diags),
            no_fast_path,
            |raw, d| project::validate(file, raw, d),
        )
        .map(Document::JiraProject),
        "jira-board" => two_phase(
            (file, "jira-board", table, diags),
            no_fast_path,
            |raw, d| board::validate(file, text, raw, d),
        )
        .map(Document::JiraBoard),
        "jira-groups" => two_phase(
            (file, "jira-groups", table, diags),
            no_fast_path,
            |raw, d| groups::validate(file, raw, d),
        )
        .map(Document::JiraGroups),
        _ => None,
    };
    out
}

/// A document's TOML and its `kind` (a syntax error or a missing, mistyped or unknown
/// `kind` is reported instead).
pub fn read_table<'t>(
    file: FileId,
    text: &'t str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Spanned<DeTable<'t>>)> {
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(syntax_error(file, text, &e));
            return None;
        }
    };
    let kind = kind_of(file, text, &table, diags)?;
    Some((kind, table))
}

/// Kinds read by serde alone.
pub fn no_fast_path<R>(_: &DeTable<'_>) -> Option<R> {
    None
}

/// Phase one (deserialise, collecting every error; see [`collect`]) then phase two
/// (validate, collecting every semantic problem). Phase two also runs after unknown keys
/// (they are left out, everything else is as written), so an unknown key hides no value
/// error; the document is kept only when neither phase found an error it cannot survive.
pub fn two_phase<'a, R: DeserializeOwned, D>(
    (file, what, table, diags): (FileId, &str, Spanned<DeTable<'a>>, &mut Vec<Diagnostic>),
    from_table: impl Fn(&DeTable<'a>) -> Option<R>,
    validate: impl FnOnce(R, &mut Vec<Diagnostic>) -> Option<D>,
) -> Option<D> {
    let (raw, phase) = match from_table(table.get_ref()) {
        Some(raw) => (Some(raw), collect::Phase1::default()),
        None => collect::deserialize(file, what, table, diags),
    };
    let raw = raw.filter(|_| phase.validate_rest())?;
    let mut found = Vec::new();
    let doc = validate(raw, &mut found);
    diags.extend(found.into_iter().filter(|d| phase.keeps(d)));
    doc.filter(|_| phase.errors == 0)
}

/// Read `kind`, reporting a missing, mistyped or unknown one.
fn kind_of(
    file: FileId,
    text: &str,
    table: &Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let entry = table.get_ref().iter().find(|(k, _)| k.get_ref() == "kind");
    let Some((_, value)) = entry else {
        let kinds = backticked(KINDS);
        let span = 0..first_line_len(text);
        diags.push(if text.trim().is_empty() {
            says::EmptyFile { kinds: &kinds }.at(file, span)
        } else {
            says::NoKind { kinds: &kinds }.at(file, span)
        });
        return None;
    };
    let DeValue::String(kind) = value.get_ref() else {
        let found = value.get_ref().type_str();
        diags.push(says::KindNotAString { found }.at(file, value.span()));
        return None;
    };
    if !KINDS.contains(&kind.as_ref()) {
        let kinds = backticked(KINDS);
        let mut d = says::UnknownKind {
            kind: kind.as_ref(),
            kinds: &kinds,
        }
        .at(file, value.span());
        if let Some(s) = did_you_mean(kind, KINDS.iter().copied()) {
            d = d.with_help(says::DidYouMean { suggestion: s }.text());
        }
        diags.push(d);
        return None;
    }
    Some(kind.to_string())
}

fn first_line_len(text: &str) -> usize {
    text.find('\n').unwrap_or(text.len())
}

/// Deserialise a parsed table into `T`, every serde error a diagnostic (see [`collect`]);
/// `None` when there was any.
pub fn deserialize<T: DeserializeOwned>(
    file: FileId,
    what: &str,
    table: Spanned<DeTable<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let (value, phase) = collect::deserialize(file, what, table, diags);
    value.filter(|_| phase.errors == 0)
}

/// A TOML syntax error as a labelled diagnostic.
pub fn syntax_error(file: FileId, text: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let span = if span.is_empty() && span.start < text.len() {
        span.start..next_char_end(text, span.start)
    } else {
        span
    };
    let message = e.message().trim().trim_end_matches('.').to_string();
    says::InvalidToml { reason: &message }.at(file, span)
}

fn next_char_end(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// A deserialisation error: unknown keys get a did-you-mean, the rest read as type errors.
pub fn serde_error(file: FileId, what: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().trim_end_matches('.');
    if let Some((field, expected)) = parse_unknown_field(message) {
        return unknown_key(file, what, span, &field, &expected);
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return says::MissingKey { what, field }.at(file, span);
    }
    let reason = humanize_serde(message);
    says::InvalidValue {
        what,
        reason: &reason,
    }
    .at(file, span)
}

/// A key of `what` that is none of `expected`, with a did-you-mean.
pub fn unknown_key<S: AsRef<str>>(
    file: FileId,
    what: &str,
    span: std::ops::Range<usize>,
    field: &str,
    expected: &[S],
) -> Diagnostic {
    let mut d = says::UnknownKey { field, what }.at(file, span);
    if let Some(s) = did_you_mean(field, expected.iter().map(AsRef::as_ref)) {
        d = d.with_help(says::DidYouMean { suggestion: s }.text());
    }
    if !expected.is_empty() {
        let keys = backticked(expected);
        d = d.with_note(says::ExpectedKeys { keys: &keys }.text());
    }
    d
}

/// Serde's `unknown field `x`, expected one of `a`, `b``.
pub fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let field = rest[..end].to_string();
    let expected = rest[end..]
        .split('`')
        .skip(2)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field, expected))
}

fn humanize_serde(message: &str) -> String {
    message
        .replace("invalid type: ", "")
        .replace("a sequence", "an array")
        .replace("string \"", "the string \"")
}

pub fn backticked<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}
