//! `rolelint check --fix / --unsafe-fixes / --diff`: apply the fixes findings carry.
//!
//! The check runs once; the fixes of its active findings (safe ones, plus unsafe ones
//! with `--unsafe-fixes`) are applied per file with [`crate::report::fix::apply`]. With `--diff`
//! nothing is written: the unified diff is printed and the exit code is 1 when there
//! is something to fix or the run has errors (as `check` would exit). Otherwise files
//! are written through [`crate::fsio::write`] and `check` runs again to report what
//! remains.
//!
//! Fixes are applied to the text the check read (kept in the source map), in the file's
//! own line endings and BOM, and written only if the file still holds that text: a file
//! changed meanwhile (another `--fix`, `fmt`, an editor) is left as it is, with a warning.
use crate::cli::CheckArgs;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Severity;
use crate::error::Fatal;
use crate::fsio::shape::Shape;
use crate::fsio::write::{self, Replaced};
use crate::pipeline;
use crate::report::fix::{self, Fix, Safety};
use crate::Outcome;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::ops::Range;

/// The fixes of one file: (primary span, fix).
type FileFixes = Vec<(Range<usize>, Fix)>;

/// `Some(outcome)` when the command is done (`--diff`); `None` to go on with the check.
pub fn run(args: &CheckArgs) -> Result<Option<Outcome>, Fatal> {
    let mut sources = SourceMap::keeping_texts();
    let (config, root) =
        super::check::load_config(args.config.as_deref(), &args.paths, &mut sources)?;
    let inputs = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let overrides = super::check::overrides(args)?;
    let run = pipeline::check_paths(&inputs, &root, config, &overrides, sources)?;
    let mut by_file: BTreeMap<String, (FileId, FileFixes)> = BTreeMap::new();
    let (mut held_back, mut no_fix) = (0, 0);
    let errors = run
        .diagnostics
        .iter()
        .any(|d| d.is_active() && d.severity == Severity::Error);
    for d in run.diagnostics.iter().filter(|d| d.is_active()) {
        let Some(f) = &d.fix else {
            no_fix += 1;
            continue;
        };
        if f.safety == Safety::Unsafe && !args.unsafe_fixes {
            held_back += 1;
            continue;
        }
        let id = d.location.file;
        if !run.sources.is_disk(id) {
            continue;
        }
        by_file
            .entry(run.sources.display(id).to_string())
            .or_insert_with(|| (id, Vec::new()))
            .1
            .push((d.location.span.clone(), f.clone()));
    }
    let boundary = crate::fsio::write::repository(&root)?;
    let (mut fixed, mut files, mut refused) = (0, 0, 0);
    for (display, (id, fixes)) in &by_file {
        let Some(path) = run.sources.path(*id) else {
            continue;
        };
        // Exactly the text the findings' spans point into.
        let before = run.sources.text(*id);
        let applied = fix::apply(&before, fixes)
            .map_err(|e| Fatal::msg(format!("cannot fix `{display}`: {e}")))?;
        // A fix that could not be applied (its key collides) is left to the user.
        no_fix += applied.skipped();
        let after = Shape::of(&before).restore(&applied.text);
        if after == *before {
            continue;
        }
        if args.diff {
            out!("{}", fix::unified_diff(display, &before, &after));
        } else {
            let boundary = write::boundary_of(path, &boundary, &inputs);
            let shown = crate::report::shown::text(display);
            let written = write::document(path, &shown, &boundary)
                .and_then(|dest| dest.replace_if_unchanged(before.as_bytes(), after.as_bytes()));
            match written {
                Ok(Replaced::Done) => {}
                Ok(Replaced::Changed) => {
                    errln!("warning: `{shown}` changed while fixing; left as it is, run again");
                    continue;
                }
                Err(e) => {
                    errln!("error: {e}");
                    refused += 1;
                    continue;
                }
            }
            // One write per buffer, not five per line: a file can have 100,000s of fixes.
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            let done = fixes.iter().zip(&applied.done).filter(|(_, d)| **d);
            for ((_, f), _) in done {
                let (file, what) = (crate::report::shown::text(display), f.describe());
                let _ = writeln!(err, "fixed {file}: {}", crate::report::shown::text(&what));
            }
            let _ = err.flush();
        }
        files += 1;
        fixed += applied.applied();
    }
    if fixed == 0 {
        errln!("nothing to fix automatically");
    } else {
        let verb = if args.diff { "would fix" } else { "fixed" };
        errln!("{verb} {fixed} finding(s) in {files} file(s)");
    }
    if no_fix > 0 {
        errln!("{no_fix} finding(s) have no automatic fix");
    }
    if held_back > 0 {
        errln!("{held_back} more fix(es) change meaning; apply them with `--unsafe-fixes`");
    }
    if refused > 0 {
        let s = if refused == 1 { "" } else { "s" };
        return Err(Fatal::msg(format!(
            "{refused} file{s} could not be fixed (see above); the others were"
        )));
    }
    if args.diff {
        // Like `check`, a run with errors fails, whether or not there is a fix to show.
        return Ok(Some(if fixed > 0 || errors {
            Outcome::Violations
        } else {
            Outcome::Clean
        }));
    }
    Ok(None)
}
