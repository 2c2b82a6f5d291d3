//! `rolelint check --fix / --unsafe-fixes / --diff`: apply the fixes findings carry.
//!
//! The check runs once; the fixes of its active findings (safe ones, plus unsafe ones
//! with `--unsafe-fixes`) are applied per file with [`crate::fix::apply`]. With `--diff`
//! nothing is written: the unified diff is printed and the exit code is 1 when there
//! is something to fix or the run has errors (as `check` would exit). Otherwise files
//! are written atomically and `check` runs again to report what remains.
use crate::cli::CheckArgs;
use crate::diagnostic::Severity;
use crate::error::Fatal;
use crate::fix::{self, Fix, Safety};
use crate::pipeline;
use crate::source::{FileId, SourceMap};
use crate::Outcome;
use std::collections::BTreeMap;
use std::ops::Range;

/// The fixes of one file: (primary span, fix).
type FileFixes = Vec<(Range<usize>, Fix)>;

/// `Some(outcome)` when the command is done (`--diff`); `None` to go on with the check.
pub fn run(args: &CheckArgs) -> Result<Option<Outcome>, Fatal> {
    let mut sources = SourceMap::new();
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
    let (mut fixed, mut files) = (0, 0);
    for (display, (id, fixes)) in &by_file {
        let Some(path) = run.sources.path(*id) else {
            continue;
        };
        // Read again through the same boundary and size limit as the check.
        let shown = crate::inert::escape(display);
        let before = run
            .sources
            .bytes(*id)
            .map_err(|e| Fatal::msg(format!("`{shown}` {e}")))
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|_| Fatal::msg(format!("`{shown}` is not valid UTF-8")))
            })?;
        let applied = fix::apply(&before, fixes)
            .map_err(|e| Fatal::msg(format!("cannot fix `{display}`: {e}")))?;
        // A fix that could not be applied (its key collides) is left to the user.
        no_fix += applied.skipped();
        if applied.text == before {
            continue;
        }
        files += 1;
        fixed += applied.applied();
        if args.diff {
            out!("{}", fix::unified_diff(display, &before, &applied.text));
        } else {
            super::write::atomic(path, &applied.text)?;
            let done = fixes.iter().zip(&applied.done).filter(|(_, d)| **d);
            for ((_, f), _) in done {
                let (file, what) = (crate::emit::shown::text(display), f.describe());
                errln!("fixed {file}: {}", crate::emit::shown::text(&what));
            }
        }
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
