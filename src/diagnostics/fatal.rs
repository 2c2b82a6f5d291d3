//! A configuration that cannot be used: its problems are a fatal error (exit 2), kept as
//! findings with the text they point into and shown with their snippets where the error
//! is printed, by the program's top (`crate::report_fatal`).
use super::source::{FileId, SourceMap};
use super::Diagnostic;
use crate::error::Fatal;

/// What a [`Fatal::Config`] holds.
pub struct ConfigProblems {
    /// In file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files they point into, under the same ids.
    pub sources: SourceMap,
}

/// Every problem of a configuration, each to be shown with its snippet, in file order.
pub fn configs(diags: &[Diagnostic], sources: &SourceMap) -> Fatal {
    let mut sorted: Vec<Diagnostic> = diags.to_vec();
    sorted.sort_by_key(|d| (d.location.file.0, d.location.span.start));
    let message = match sorted.as_slice() {
        [] => "invalid configuration".to_string(),
        [one] => one.message.to_string(),
        [first, ..] => format!("{} (and {} more)", first.message, sorted.len() - 1),
    };
    let files: Vec<FileId> = sorted
        .iter()
        .flat_map(|d| std::iter::once(&d.location).chain(d.labels.iter().map(|l| &l.location)))
        .map(|l| l.file)
        .collect();
    let problems = ConfigProblems {
        sources: sources.excerpt(&files),
        diagnostics: sorted,
    };
    Fatal::Config {
        message,
        problems: Box::new(problems),
    }
}

/// A configuration problem pointing at its span.
pub fn config(d: &Diagnostic, sources: &SourceMap) -> Fatal {
    configs(std::slice::from_ref(d), sources)
}
