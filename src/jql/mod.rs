//! Board filters: Atlassian's JQL grammar, and the projects a filter guarantees.
//!
//! rolelint needs one fact from a board's saved filter: which projects Jira considers
//! "referenced" by it. Jira counts a project only when the query *guarantees* that every
//! returned issue comes from the named set (jira-permissions-notes §3.1), i.e. when
//! `project = X` / `project in (...)` clauses with literal values are reachable from the
//! top through AND alone. Anything else (an OR at the top, no project clause, a project
//! clause whose values come from a function) makes the filter *complex*, and Jira then
//! demands Manage Sprints in every project (§3.3).
//!
//! The whole filter is checked against Jira's own grammar (`Jql.g`, the ANTLR grammar of
//! `com.atlassian.jira.jql.parser`, with `JqlStringSupportImpl`'s reserved words), so valid
//! JQL is accepted — history predicates, `&&`/`||`/`!`, entity properties, unquoted
//! `area:payments` — and what Jira would refuse is reported on its span. No crate parses
//! JQL, hence the hand-written [`lexer`] and [`parser`]. Nothing here panics: tokens are
//! reached through `get`, and nesting is capped at [`MAX_DEPTH`].
mod lexer;
mod operand;
mod parser;
mod reserved;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashSet;
use std::ops::Range;

use parser::{Expr, Parser};
pub use reserved::RESERVED_WORDS;

/// What a board filter tells us about the board's projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProjects {
    /// Projects guaranteed by top-level AND-ed project clauses, in order of first appearance, deduplicated,
    /// each with the byte span (relative to the filter string) of the value that named it.
    Known(Vec<ProjectRef>),
    /// Jira cannot determine the projects: Manage Sprints is then needed in every project
    /// of the instance.
    Complex { reason: ComplexReason },
}

/// A project named by a filter: `name` as written (unquoted, escapes resolved); `span`
/// covers the value token in the filter, quotes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub name: String,
    pub span: Range<usize>,
    /// Written as an unquoted number (`project = 10000`): Jira reads it as a project id
    /// first, then as a key or name.
    pub numeric: bool,
}

/// Why a filter's projects cannot be determined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplexReason {
    /// An OR joins the top level; `span` is the first such OR keyword.
    TopLevelOr { span: Range<usize> },
    /// The top level is AND-only but has no `project =` / `project in` clause (an empty
    /// filter or one with only `ORDER BY` matches every issue).
    NoProjectClause,
    /// The only positive project clauses take their values from a function or `EMPTY`
    /// (`project in projectsLeadByUser()`), so they name no project literally; `span`
    /// covers the first such clause.
    ProjectNotLiteral { span: Range<usize> },
}

/// A filter Jira would refuse; `span` is the byte range of the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
    pub span: Range<usize>,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}

/// Deepest nesting of parentheses, lists and `NOT` accepted. Real filters use a handful
/// of levels; the cap keeps recursion bounded on any input.
pub const MAX_DEPTH: usize = 64;

/// Parses a board filter and derives the projects Jira considers referenced by it.
pub fn parse_filter(filter: &str) -> Result<FilterProjects, FilterError> {
    let tokens = lexer::tokenize(filter)?;
    let mut parser = Parser {
        src: filter,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.parse_query()?;
    Ok(derive_projects(expr))
}

fn error(message: impl Into<String>, span: Range<usize>) -> FilterError {
    FilterError {
        message: message.into(),
        span,
    }
}

fn derive_projects(expr: Option<Expr>) -> FilterProjects {
    let conjuncts = match expr {
        // A filter with only `ORDER BY` (or nothing) matches every issue.
        None => Vec::new(),
        Some(Expr::Or { first_or }) => {
            return FilterProjects::Complex {
                reason: ComplexReason::TopLevelOr { span: first_or },
            }
        }
        Some(Expr::And(terms)) => terms,
        Some(single) => vec![single],
    };
    // Each project clause bounds the result set, so the guaranteed projects are the
    // intersection of all of them. Or-groups and NOTs among the conjuncts only narrow
    // the issues further and never add a guarantee, so they are skipped. Linear in the
    // number of values: filters may list thousands of projects.
    let mut known: Option<Vec<ProjectRef>> = None;
    let mut opaque = None;
    for term in conjuncts {
        match term {
            Expr::Project(refs) => {
                known = Some(match known {
                    None => dedup(refs),
                    Some(mut acc) => {
                        let these: FxHashSet<String> = refs.iter().map(key).collect();
                        acc.retain(|r| these.contains(&key(r)));
                        acc
                    }
                });
            }
            Expr::ProjectOpaque { span } => {
                opaque.get_or_insert(span);
            }
            _ => {}
        }
    }
    match (known, opaque) {
        (Some(refs), _) => FilterProjects::Known(refs),
        (None, Some(span)) => FilterProjects::Complex {
            reason: ComplexReason::ProjectNotLiteral { span },
        },
        (None, None) => FilterProjects::Complex {
            reason: ComplexReason::NoProjectClause,
        },
    }
}

/// JQL matches project keys and names case-insensitively (`project = plat` finds PLAT).
fn key(r: &ProjectRef) -> String {
    r.name.to_lowercase()
}

/// Keeps the first appearance of each project.
fn dedup(refs: Vec<ProjectRef>) -> Vec<ProjectRef> {
    let mut seen = FxHashSet::default();
    refs.into_iter().filter(|r| seen.insert(key(r))).collect()
}
