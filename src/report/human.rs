//! `--format human`: miette graphical reports with the offending span underlined and
//! a second snippet for labels in other files (the policy line that made it a violation).
//!
//! Text from documents is shown escaped and cut ([`super::shown::text`]) and snippets
//! are bounded excerpts when a file's lines are long or hold control characters
//! ([`super::excerpt`]), so a report is inert and grows with the number of findings.
use super::excerpt::Snippet;
use super::shown::{self, text, text_cow};
use super::texts::{self, Need, Texts};
use super::{Emitter, Report};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use rayon::prelude::*;
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
            .with_word_separator(super::words::SEPARATOR)
    }

    /// Render one finding.
    pub fn render(&self, d: &Diagnostic, sources: &SourceMap) -> String {
        let mut texts = Texts::new(sources, &[d], NEED);
        texts.prepare(0, &[d]);
        render(&self.handler(), d, sources, &texts)
    }
}

/// A finding shows the lines of its labels in other files, drawn by miette.
const NEED: Need = Need {
    labels: true,
    starts: true,
};

/// One finding as miette renders it with `handler`.
fn render(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    sources: &SourceMap,
    texts: &Texts,
) -> String {
    let mut s = String::new();
    let _ = handler.render_report(&mut s, &Rendered::new(d, sources, texts));
    s
}

impl Emitter for Human {
    /// Findings are rendered in batches, each batch's in parallel with one handler and
    /// written in order; each file is read once ([`Texts`]).
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let shown: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_active() && (!self.quiet || d.severity == Severity::Error))
            .collect();
        let handler = self.handler();
        let mut texts = Texts::new(report.sources, &shown, NEED);
        for (n, batch) in shown.chunks(texts::BATCH).enumerate() {
            texts.prepare(n * texts::BATCH, batch);
            let rendered: Vec<String> = batch
                .par_iter()
                .map(|d| render(&handler, d, report.sources, &texts))
                .collect();
            for r in rendered {
                out.write_all(r.as_bytes())?;
            }
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
    source: NamedSource<Snippet>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    fn new(d: &Diagnostic, sources: &SourceMap, texts: &Texts) -> Self {
        let file = d.location.file;
        let here: Vec<_> = d
            .labels
            .iter()
            .filter(|l| l.location.file == file)
            .collect();
        let spans: Vec<_> = std::iter::once(&d.location.span)
            .chain(here.iter().map(|l| &l.location.span))
            .cloned()
            .collect();
        let (source, spans) = named(sources, texts, file, &spans);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            (!d.label().is_empty()).then(|| text(d.label()).into_owned()),
            spans[0].clone(),
        )];
        for (l, span) in here.iter().zip(&spans[1..]) {
            labels.push(LabeledSpan::new_with_span(
                Some(text(&l.text).into_owned()),
                span.clone(),
            ));
        }
        let mut related = Vec::new();
        for l in d.labels.iter().filter(|l| l.location.file != file) {
            let (source, spans) = named(
                sources,
                texts,
                l.location.file,
                std::slice::from_ref(&l.location.span),
            );
            related.push(Rendered {
                message: text(&l.text).into_owned(),
                code: String::new(),
                severity: miette::Severity::Advice,
                help: None,
                source,
                labels: vec![LabeledSpan::new_primary_with_span(None, spans[0].clone())],
                related: Vec::new(),
            });
        }
        let mut help = d
            .help()
            .map(|h| h.as_str())
            .map(text)
            .unwrap_or_default()
            .into_owned();
        for n in shown::notes(&d.notes, text) {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str("note: ");
            help.push_str(&n);
        }
        Rendered {
            message: text_cow(d.message.get()).into_owned(),
            code: shown::text_string(format!("{}({})", d.code(), d.name())),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: (!help.is_empty()).then_some(help),
            source,
            labels,
            related,
        }
    }
}

/// The source miette renders `spans` of `file` from, and the spans to give it.
fn named(
    sources: &SourceMap,
    texts: &Texts,
    file: crate::diagnostics::source::FileId,
    spans: &[std::ops::Range<usize>],
) -> (NamedSource<Snippet>, Vec<std::ops::Range<usize>>) {
    let shown = texts.get(file);
    let (snippet, spans) = Snippet::new(shown.text, shown.starts, spans);
    let name = text(sources.display(file)).into_owned();
    (NamedSource::new(name, snippet).with_language("toml"), spans)
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
