//! `--format json`: one stable object per finding plus a summary. Documented in the book (docs/src/output-formats.md).
use super::shown::{self, data, data_cow};
use super::{region, Emitter, Report};
use crate::diagnostics::{Diagnostic, Suppression};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

pub struct Json;

/// Version of the JSON shape; bumped on any incompatible change.
pub const VERSION: u32 = 1;

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

/// Findings a thread renders at a time ([`super::parts`]).
const PART: usize = 128;

/// The document serde_json's pretty printer would write for `{version, diagnostics,
/// summary}`, byte for byte, its findings' objects rendered a window at a time on every
/// thread and written in order: the output never exists in memory whole.
impl Emitter for Json {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        write!(out, "{{\n  \"version\": {VERSION},\n  \"diagnostics\": [")?;
        let all = report.diagnostics;
        super::parts::write_in_parts(all, PART, &mut out, |at, part, buf| {
            objects(report, part, at == 0, buf)
        })?;
        if !all.is_empty() {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n  \"summary\": ")?;
        let mut summary = Vec::new();
        super::nested::write(&mut summary, &report.summary(), 1)?;
        out.write_all(&summary)?;
        out.write_all(b"\n}\n")?;
        out.flush()
    }
}

/// The findings' objects as elements of the document's `diagnostics` array (four spaces
/// in), each after its separator; `first` when the first is the array's first.
fn objects(report: &Report, part: &[Diagnostic], first: bool, buf: &mut Vec<u8>) -> io::Result<()> {
    for (i, d) in part.iter().enumerate() {
        buf.extend_from_slice(match first && i == 0 {
            true => b"\n    ",
            false => b",\n    ",
        });
        super::nested::write(buf, &to_json(report, d), 2)?;
    }
    Ok(())
}
