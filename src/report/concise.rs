//! `--format concise`: `path:line:col: severity[CODE] message`, one line each (a line
//! break or control character from a document is shown escaped, see [`super::shown`]).
use super::shown::{text, text_cow};
use super::{start, Emitter, Report};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::io::{self, Write};

pub struct Concise;

/// Findings a thread writes at a time; a few of these parts are in memory at once.
const PART: usize = 1024;

impl Emitter for Concise {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let all = report.diagnostics;
        if all.len() <= PART {
            return lines(report, all, out);
        }
        // Tens of thousands of lines: each window's parts made on every thread, then
        // written in order.
        for window in all.chunks(4 * PART) {
            let parts = window
                .par_chunks(PART)
                .map(|part| {
                    let mut buf = Vec::with_capacity(part.len() * 160);
                    lines(report, part, &mut buf).map(|()| buf)
                })
                .collect::<io::Result<Vec<Vec<u8>>>>()?;
            for p in parts {
                out.write_all(&p)?;
            }
        }
        Ok(())
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
