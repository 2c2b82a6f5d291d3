//! `--format json`: one stable object per finding plus a summary. Documented in the book (docs/src/output-formats.md).
use super::shown::{self, data, data_cow};
use super::{region, Emitter, Report, Summary};
use crate::diagnostics::{Diagnostic, Suppression};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

pub struct Json;

/// Version of the JSON shape; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// The whole document, written as it is serialized: each finding's object is made,
/// written and dropped in turn, so the output never exists in memory.
#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Streamed<'a>,
    summary: Summary,
}

/// The findings of a report as a JSON array, serialized one at a time.
struct Streamed<'a>(&'a Report<'a>);

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        serializer.collect_seq(report.diagnostics.iter().map(|d| to_json(report, d)))
    }
}

#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub severity: &'a str,
    pub message: Cow<'a, str>,
    pub path: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub label: Cow<'a, str>,
    pub help: Option<Cow<'a, str>>,
    pub notes: Vec<Cow<'a, str>>,
    pub related: Vec<JsonLabel<'a>>,
    pub subject: Cow<'a, str>,
    /// Line-independent identity (see `crate::diagnostics::fingerprint`), shared with SARIF and baselines.
    pub fingerprint: String,
    pub suppressed: Option<&'a Suppression>,
}

#[derive(Serialize)]
pub struct JsonLabel<'a> {
    pub path: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub text: Cow<'a, str>,
}

pub fn to_json<'a>(report: &'a Report, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let ((line, column), (end_line, end_column)) = region(report.sources, d);
    JsonDiagnostic {
        code: d.code(),
        name: d.name(),
        severity: d.severity.as_str(),
        message: data_cow(d.message.get()),
        path: data(report.sources.display(d.location.file)),
        line,
        column,
        end_line,
        end_column,
        label: data(d.label()),
        help: d.help().map(|h| h.as_str()).map(data),
        notes: shown::notes(&d.notes, data),
        related: d
            .labels
            .iter()
            .map(|l| {
                let (line, column) = report
                    .sources
                    .line_col(l.location.file, l.location.span.start);
                JsonLabel {
                    path: data(report.sources.display(l.location.file)),
                    line,
                    column,
                    text: data(&l.text),
                }
            })
            .collect(),
        subject: data(d.subject()),
        fingerprint: super::fingerprints::of(d, report.sources.display(d.location.file)),
        suppressed: d.suppressed.as_deref(),
    }
}

impl Emitter for Json {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let output = Output {
            version: VERSION,
            diagnostics: Streamed(report),
            summary: report.summary(),
        };
        // serde_json writes a token at a time: buffered here whatever `out` is.
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        serde_json::to_writer_pretty(&mut out, &output)?;
        writeln!(out)?;
        out.flush()
    }
}
