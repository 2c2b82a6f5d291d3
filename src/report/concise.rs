//! `--format concise`: `path:line:col: severity[CODE] message`, one line each (a line
//! break or control character from a document is shown escaped, see [`super::shown`]).
use super::shown::{text, text_cow};
use super::{start, Emitter, Report};
use std::io::{self, Write};

pub struct Concise;

impl Emitter for Concise {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics.iter().filter(|d| d.is_active()) {
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
}
