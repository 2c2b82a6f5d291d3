//! `--format human`: miette graphical reports with the offending span underlined and
//! a second snippet for labels in other files (the policy line that made it a violation).
use super::window::Window;
use super::{Emitter, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;
use std::io::{self, Write};

pub struct Human {
    pub color: bool,
    pub width: usize,
    pub quiet: bool,
}

impl Human {
    /// Deterministic, colourless rendering for tests and snapshots.
    pub fn plain() -> Self {
        Self {
            color: false,
            width: 100,
            quiet: false,
        }
    }

    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
    }

    /// Render one finding.
    pub fn render(&self, d: &Diagnostic, sources: &SourceMap) -> String {
        let mut s = String::new();
        let _ = self
            .handler()
            .render_report(&mut s, &Rendered::new(d, sources));
        s
    }
}

impl Emitter for Human {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics.iter().filter(|d| d.is_active()) {
            if self.quiet && d.severity != Severity::Error {
                continue;
            }
            out.write_all(self.render(d, report.sources).as_bytes())?;
        }
        writeln!(out, "{}", report.summary().line())
    }
}

/// A finding in the shape miette renders.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<Window>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    fn new(d: &Diagnostic, sources: &SourceMap) -> Self {
        let file = d.location.file;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            (!d.label.is_empty()).then(|| d.label.clone()),
            d.location.span.clone(),
        )];
        let mut related = Vec::new();
        for l in &d.labels {
            if l.location.file == file {
                labels.push(LabeledSpan::new_with_span(
                    Some(l.text.clone()),
                    l.location.span.clone(),
                ));
            } else {
                related.push(Rendered {
                    message: l.text.clone(),
                    code: String::new(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: named(sources, l.location.file),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        None,
                        l.location.span.clone(),
                    )],
                    related: Vec::new(),
                });
            }
        }
        let mut help = d.help.clone().unwrap_or_default();
        for n in &d.notes {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str("note: ");
            help.push_str(n);
        }
        Rendered {
            message: d.message.clone(),
            code: format!("{}({})", d.code, d.name),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: (!help.is_empty()).then_some(help),
            source: named(sources, file),
            labels,
            related,
        }
    }
}

fn named(sources: &SourceMap, file: crate::source::FileId) -> NamedSource<Window> {
    let window = Window::new(sources.text(file), sources.miette_line_starts(file));
    NamedSource::new(sources.display(file), window).with_language("toml")
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
