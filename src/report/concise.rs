//! `--format concise`: `path:line:col: severity[CODE] message`, one line each (a line
//! break or control character from a document is shown escaped, see [`super::shown`]).
use super::shown::{text, text_cow};
use super::{start, Emitter, Report};
use crate::diagnostics::Diagnostic;
use std::io::{self, Write};

pub struct Concise;

/// Findings a thread writes at a time ([`super::parts`]).
const PART: usize = 1024;

impl Emitter for Concise {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        super::parts::write_in_parts(report.diagnostics, PART, out, |_, part, buf| {
            lines(report, part, buf)
        })
    }
}

fn lines(report: &Report, findings: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in findings.iter().filter(|d| d.is_active()) {
        let (line, col) = start(report.sources, d);
        writeln!(
            out,
            "{}:{line}:{col}: {}[{}] {}",
            text(report.sources.display(d.location.file)),
            d.severity.as_str(),
            text(d.code()),
            text_cow(d.message.get())
        )?;
    }
    Ok(())
}
