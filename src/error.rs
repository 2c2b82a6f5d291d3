//! Fatal problems: rolelint could not do its job (exit code 2).

#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    /// One clear sentence, e.g. an unreadable path or a usage error.
    #[error("{0}")]
    Message(String),
    /// A problem in the configuration: its findings with the text they point into
    /// (`diagnostics::fatal::ConfigProblems`), shown with their snippets where the error is
    /// printed.
    #[error("{message}")]
    Config {
        message: String,
        problems: Box<dyn std::any::Any + Send + Sync>,
    },
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
