//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//! `::error file=...,line=...,endLine=...,col=...,endColumn=...,title=CODE name::message`.
//!
//! Errors are `error`, warnings `warning`, infos `notice`; suppressed findings are left
//! out (an annotation cannot say it was waived). Text from documents is first made inert
//! ([`super::shown::text`]: control characters, line breaks included, shown escaped, so
//! none can end the command's line or start another), then escaped as actions/toolkit
//! does for workflow commands; only rolelint's own `help:` line break becomes `%0A`.
use super::shown::{text, text_cow};
use super::{region, Emitter, Report};
use crate::diagnostics::Severity;
use std::io::{self, Write};

pub struct Github;

impl Emitter for Github {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics.iter().filter(|d| d.is_active()) {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let ((line, col), (end_line, end_col)) = region(report.sources, d);
            let mut message = text_cow(d.message.get()).into_owned();
            if let Some(help) = d.help() {
                message.push_str("\nhelp: ");
                message.push_str(&text(help));
            }
            writeln!(
                out,
                "::{command} file={},line={line},endLine={end_line},col={col},endColumn={end_col},title={}::{}",
                escape_property(&text(report.sources.display(d.location.file))),
                escape_property(&text(&format!("{} {}", d.code(), d.name()))),
                escape_data(&message),
            )?;
        }
        Ok(())
    }
}

/// The message part of a workflow command (actions/toolkit `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (actions/toolkit `escapeProperty`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("roles/a:b,c%.toml\n"),
            "roles/a%3Ab%2Cc%25.toml%0A"
        );
    }

    #[test]
    fn percent_is_escaped_first_so_escapes_are_not_doubled() {
        assert_eq!(escape_property("%3A:"), "%253A%3A");
    }
}
