//! Choosing emitters and writing reports: `--format` to stdout, `--output FORMAT=PATH`
//! to files through [`crate::fsio::write`] (atomically, never over a special file or a
//! symlink leading out of the repository; `-` and `/dev/stdout` are standard output).
use super::{Emitter, Report};
use crate::error::Fatal;
use crate::fsio::write::{self, Target};
use crate::fsio::Root;
use clap::ValueEnum;
use std::path::PathBuf;

/// An output format (`--format`, `--output FORMAT=PATH`); the variants' doc comments are
/// the command line's help text.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// miette reports with source snippets
    #[default]
    Human,
    /// path:line:col: severity[CODE] message
    Concise,
    /// one object per finding plus a summary
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow-command annotations
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML: a test suite per file, a test case per finding
    Junit,
}

impl Format {
    /// The emitter of this format; `color`, `width` and `quiet` only matter to `human`.
    pub fn emitter(self, color: bool, width: usize, quiet: bool) -> Box<dyn Emitter> {
        match self {
            Format::Human => Box::new(super::human::Human {
                color,
                width,
                quiet,
            }),
            Format::Concise => Box::new(super::concise::Concise),
            Format::Json => Box::new(super::json::Json),
            Format::Sarif => Box::new(super::sarif::Sarif),
            Format::Github => Box::new(super::github::Github),
            Format::Gitlab => Box::new(super::gitlab::Gitlab),
            Format::Junit => Box::new(super::junit::Junit),
        }
    }

    fn names() -> Vec<String> {
        Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect()
    }
}

/// Parse `FORMAT=PATH` and check where PATH leads, before any work is done.
pub fn parse_spec(spec: &str, root: &Root) -> Result<(Format, Target), Fatal> {
    let Some((name, path)) = spec.split_once('=') else {
        return Err(Fatal::msg(format!(
            "`--output {spec}` must look like FORMAT=PATH, e.g. sarif=rolelint.sarif"
        )));
    };
    let Ok(format) = Format::from_str(name.trim(), true) else {
        let names = Format::names();
        let hint =
            crate::diagnostics::suggest::did_you_mean(name, names.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
        return Err(Fatal::msg(format!(
            "`--output {spec}`: unknown format `{name}`; {hint}formats are {}",
            names.join(", ")
        )));
    };
    if path.is_empty() {
        return Err(Fatal::msg(format!("`--output {spec}` names no file")));
    }
    Ok((format, write::output(&PathBuf::from(path), root)?))
}

/// Render `report` with `emitter` into `target`.
pub fn write_file(emitter: &dyn Emitter, report: &Report, target: &Target) -> Result<(), Fatal> {
    target.write_with(|out| emitter.emit(report, out))
}
