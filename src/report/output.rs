//! Choosing emitters and writing reports: `--format` to stdout, `--output FORMAT=PATH`
//! to files through [`crate::fsio::write`] (atomically, never over a special file or a
//! symlink leading out of the repository; `-` and `/dev/stdout` are standard output).
use super::{Emitter, Report};
use crate::cli::Format;
use crate::error::Fatal;
use crate::fsio::write::{self, Target};
use crate::fsio::Root;
use clap::ValueEnum;
use std::path::PathBuf;

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

    /// Does the format print a finding's notes? The others never show them, so a run
    /// reporting only to those may skip writing the expensive ones (board derivations).
    pub fn shows_notes(self) -> bool {
        matches!(self, Format::Human | Format::Json | Format::Junit)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::evaluate::Overrides;

    /// `Format::shows_notes` is what lets a run skip writing notes: every format it calls
    /// note-less must really print no note, and every other must print them.
    #[test]
    fn shows_notes_matches_what_each_format_prints() {
        let doc =
            "kind = \"jira-project\"\nkey = \"OPS\"\nname = \"Ops\"\npermission-scheme = \"S\"\n";
        let docs = vec![("p.toml".to_string(), doc.to_string())];
        let mut run = crate::pipeline::check_texts(&docs, Config::default(), &Overrides::default());
        let finding = run
            .diagnostics
            .first_mut()
            .expect("an unresolved scheme is reported");
        finding.notes.push("NOTE-MARKER".into());
        let report = Report::from_run(&run);
        for format in Format::value_variants() {
            let mut out = Vec::new();
            let emitted = format.emitter(false, 100, false).emit(&report, &mut out);
            assert!(emitted.is_ok(), "{format:?}");
            let printed = String::from_utf8_lossy(&out).contains("NOTE-MARKER");
            assert_eq!(printed, format.shows_notes(), "{format:?}");
        }
    }
}
