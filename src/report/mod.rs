//! Report: emitters turn sorted findings into one output format each. They only format.
pub mod concise;
pub mod excerpt;
pub mod fingerprints;
pub mod fix;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod nested;
pub mod output;
pub mod parts;
pub mod rule_doc;
pub mod sarif;
pub mod sarif_results;
pub mod shown;
pub mod texts;
pub mod window;
pub mod words;

use crate::diagnostics::source::SourceMap;
use crate::diagnostics::{Diagnostic, Severity};
use std::io::{self, Write};

/// What a check run produced.
pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a SourceMap,
    pub files_checked: usize,
    /// Display paths of the documents checked, sorted (JUnit lists clean files too).
    pub checked: &'a [String],
    /// Documentation of every rule and check the run knew (SARIF `tool.driver.rules`).
    pub rules: Vec<crate::diagnostics::rule_meta::RuleMeta>,
}

impl<'a> Report<'a> {
    /// The report of a check run, with the docs of every check and loaded rule.
    pub fn from_run(run: &'a crate::pipeline::Run) -> Self {
        let mut rules = crate::diagnostics::checks::all().to_vec();
        rules.extend(run.workspace.set.rules.iter().map(|r| r.meta.clone()));
        Report {
            diagnostics: &run.diagnostics,
            sources: &run.sources,
            files_checked: run.files_checked,
            checked: &run.checked,
            rules,
        }
    }
}

/// Counts of active (unsuppressed) findings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    pub files: usize,
}

impl Report<'_> {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files_checked,
            ..Summary::default()
        };
        for d in self.diagnostics {
            if !d.is_active() {
                s.suppressed += 1;
                continue;
            }
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

impl Summary {
    /// `3 errors, 1 warning in 42 files`
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
        ];
        if self.infos > 0 {
            parts.push(plural(self.infos, "info", "infos"));
        }
        let mut line = format!(
            "{} in {}",
            parts.join(", "),
            plural(self.files, "file", "files")
        );
        if self.suppressed > 0 {
            line.push_str(&format!(" ({} suppressed)", self.suppressed));
        }
        line
    }
}

/// An output format.
pub trait Emitter {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// Where `d` starts: (line, column), 1-based (the outputs that show no end need only this).
pub fn start(sources: &SourceMap, d: &Diagnostic) -> (usize, usize) {
    sources.line_col(d.location.file, d.location.span.start)
}

/// 1-based start and end (line, column) of a diagnostic's span.
pub fn region(sources: &SourceMap, d: &Diagnostic) -> ((usize, usize), (usize, usize)) {
    let start = sources.line_col(d.location.file, d.location.span.start);
    let end = sources.line_col(
        d.location.file,
        d.location.span.end.max(d.location.span.start),
    );
    (start, end)
}
