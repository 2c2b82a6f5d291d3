//! Fatal problems: rolelint could not do its job (exit code 2).
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    /// One clear sentence, e.g. an unreadable path or a usage error.
    #[error("{0}")]
    Message(String),
    /// A problem in the configuration, rendered like a finding with its snippet.
    #[error("{text}")]
    Config { message: String, text: String },
    /// Standard output's reader went away while a report was written: nothing left to
    /// say (see `crate::console::finish`).
    #[error("standard output was closed")]
    StdoutClosed,
}

impl Fatal {
    pub fn msg(message: impl Into<String>) -> Self {
        Self::Message(message.into())
    }
}

impl Fatal {
    /// Every problem of a configuration, each with its snippet, in file order.
    pub fn configs(diags: &[Diagnostic], sources: &SourceMap) -> Self {
        let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
        sorted.sort_by_key(|d| (d.location.file.0, d.location.span.start));
        let human = crate::report::human::Human::plain();
        let text: String = sorted.iter().map(|d| human.render(d, sources)).collect();
        let message = match sorted.as_slice() {
            [] => "invalid configuration".to_string(),
            [one] => one.message.clone(),
            [first, ..] => format!("{} (and {} more)", first.message, sorted.len() - 1),
        };
        Self::Config { message, text }
    }

    /// A configuration problem pointing at its span.
    pub fn config(d: &Diagnostic, sources: &SourceMap) -> Self {
        let text = crate::report::human::Human::plain().render(d, sources);
        Self::Config {
            message: d.message.clone(),
            text,
        }
    }
}
