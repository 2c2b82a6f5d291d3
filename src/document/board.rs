//! `kind = "jira-board"`: one board, the projects its filter covers, its admins and the
//! `[[expect]]` entries (what a `who` can or cannot do on it).
//!
//! A `filter` is parsed with [`crate::jql`]; its spans are mapped back into the TOML file
//! so a JQL problem points at the exact token when the string has no escapes.
use super::holder::{self, Allowed, SpannedHolder};
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::text::Text;
use crate::diagnostics::Diagnostic;
use crate::jql::{self, ComplexReason, FilterProjects};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBoard {
    #[allow(dead_code)]
    kind: String,
    name: Spanned<String>,
    #[serde(default, rename = "type")]
    board_type: Option<Spanned<String>>,
    #[serde(default)]
    projects: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    filter: Option<Spanned<String>>,
    #[serde(default)]
    admins: Vec<Spanned<String>>,
    #[serde(default)]
    expect: Vec<RawExpect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawExpect {
    who: Spanned<String>,
    #[serde(default)]
    can: Vec<Spanned<Text>>,
    #[serde(default)]
    cannot: Vec<Spanned<Text>>,
}

/// Why a filter is complex (see [`jql::ComplexReason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Complexity {
    TopLevelOr,
    NoProjectClause,
    ProjectNotLiteral,
}

pub const BOARD_TYPES: &[&str] = &["scrum", "kanban", "simple"];

/// What the board's filter says about its projects, spans in the TOML file.
#[derive(Debug, Clone)]
pub enum Filter {
    /// Projects guaranteed by AND-ed project clauses (may be empty: the filter matches no project).
    Known(Vec<FilterProject>),
    /// Jira cannot tell the projects; `span` is the top-level `OR`, the project clause
    /// that uses a function, or the whole filter.
    Complex { why: Complexity, span: Range<usize> },
    /// The filter did not parse (already reported).
    Invalid,
}

/// A project value of the filter, span in the TOML file.
#[derive(Debug, Clone)]
pub struct FilterProject {
    pub name: Spanned<String>,
    /// An unquoted number: Jira looks it up as a project id first.
    pub numeric: bool,
}

#[derive(Debug, Clone)]
pub struct Expect {
    pub who: SpannedHolder,
    /// Capability ids: shared texts (a repository's boards repeat a few ids thousands of times).
    pub can: Vec<Spanned<Text>>,
    pub cannot: Vec<Spanned<Text>>,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub file: FileId,
    pub name: Spanned<String>,
    pub board_type: Option<Spanned<String>>,
    pub projects: Option<Spanned<Vec<Spanned<String>>>>,
    pub filter: Option<(Spanned<String>, Filter)>,
    pub admins: Vec<SpannedHolder>,
    pub expect: Vec<Expect>,
}

pub fn validate(
    file: FileId,
    text: &str,
    raw: RawBoard,
    diags: &mut Vec<Diagnostic>,
) -> Option<Board> {
    if let Some(t) = &raw.board_type {
        if !BOARD_TYPES.contains(&t.get_ref().as_str()) {
            let allowed = super::backticked(BOARD_TYPES);
            diags.push(
                says::NotOneOf {
                    key: "type",
                    allowed: &allowed,
                    value: t.get_ref(),
                }
                .at(file, t.span()),
            );
        }
    }
    if raw.projects.is_none() && raw.filter.is_none() {
        let board = raw.name.get_ref();
        diags.push(says::BoardWithoutProjects { board }.at(file, raw.name.span()));
    }
    let filter = raw.filter.map(|f| {
        let parsed = parse_filter(file, text, &f, diags);
        (f, parsed)
    });
    let admins = holder::parse_list(
        file,
        &raw.admins,
        Allowed::GroupOrUser,
        &|| says::BoardAdmins.text().into(),
        diags,
    );
    let expect = raw
        .expect
        .into_iter()
        .filter_map(|e| {
            let who = holder::parse_one(
                file,
                &e.who,
                Allowed::Subject,
                &|| says::WhoList.text().into(),
                diags,
            )?;
            Some(Expect {
                who,
                can: e.can,
                cannot: e.cannot,
            })
        })
        .collect();
    Some(Board {
        file,
        name: raw.name,
        board_type: raw.board_type,
        projects: raw.projects,
        filter,
        admins,
        expect,
    })
}

/// Where byte `0` of the string's value sits in the file, when its raw text has no escapes.
fn value_offset(text: &str, s: &Spanned<String>) -> Option<usize> {
    let span = s.span();
    let raw = text.get(span.clone())?;
    let single = (raw.starts_with('"') && !raw.starts_with("\"\"\""))
        || (raw.starts_with('\'') && !raw.starts_with("'''"));
    (single && raw.len() >= 2 && raw[1..raw.len() - 1] == *s.get_ref()).then_some(span.start + 1)
}

fn parse_filter(
    file: FileId,
    text: &str,
    f: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Filter {
    let offset = value_offset(text, f);
    let map = |r: Range<usize>| match offset {
        Some(o) => o + r.start..o + r.end.max(r.start),
        None => f.span(),
    };
    match jql::parse_filter(f.get_ref()) {
        Ok(FilterProjects::Known(refs)) => Filter::Known(
            refs.into_iter()
                .map(|r| FilterProject {
                    name: Spanned::new(map(r.span), r.name),
                    numeric: r.numeric,
                })
                .collect(),
        ),
        Ok(FilterProjects::Complex { reason }) => match reason {
            ComplexReason::TopLevelOr { span } => Filter::Complex {
                why: Complexity::TopLevelOr,
                span: map(span),
            },
            ComplexReason::ProjectNotLiteral { span } => Filter::Complex {
                why: Complexity::ProjectNotLiteral,
                span: map(span),
            },
            ComplexReason::NoProjectClause => Filter::Complex {
                why: Complexity::NoProjectClause,
                span: f.span(),
            },
        },
        Err(e) => {
            let reason = &e.message;
            diags.push(says::InvalidJql { reason }.at(file, map(e.span)));
            Filter::Invalid
        }
    }
}
