//! Choosing emitters and writing reports: `--format` to stdout, `--output FORMAT=PATH`
//! to files (atomically: a temporary file in the same directory, then a rename, so a
//! CI step never reads half a report).
use super::{Emitter, Report};
use crate::cli::Format;
use crate::error::Fatal;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Parse `FORMAT=PATH` and check that PATH's directory exists, before any work is done.
pub fn parse_spec(spec: &str) -> Result<(Format, PathBuf), Fatal> {
    let Some((name, path)) = spec.split_once('=') else {
        return Err(Fatal::msg(format!(
            "`--output {spec}` must look like FORMAT=PATH, e.g. sarif=rolelint.sarif"
        )));
    };
    let Ok(format) = Format::from_str(name.trim(), true) else {
        let names = Format::names();
        let hint = crate::suggest::did_you_mean(name, names.iter().map(String::as_str))
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
    let path = PathBuf::from(path);
    let dir = parent(&path);
    if !dir.is_dir() {
        return Err(Fatal::msg(format!(
            "cannot write `{}`: directory `{}` does not exist",
            path.display(),
            dir.display()
        )));
    }
    Ok((format, path))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Render `report` with `emitter` into `path`, replacing it atomically.
pub fn write_file(emitter: &dyn Emitter, report: &Report, path: &Path) -> Result<(), Fatal> {
    let fail = |e: &dyn std::fmt::Display| {
        Fatal::msg(format!(
            "cannot write the report to `{}`: {e}",
            path.display()
        ))
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".rolelint-report");
    // NamedTempFile is private (0600) by default; a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(parent(path)).map_err(|e| fail(&e))?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        emitter.emit(report, &mut out).map_err(|e| fail(&e))?;
        out.flush().map_err(|e| fail(&e))?;
    }
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::Overrides;

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
