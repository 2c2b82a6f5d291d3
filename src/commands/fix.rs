//! `rolelint check --fix / --unsafe-fixes / --diff`: apply the fixes findings carry.
//!
//! The check runs once; the fixes of its active findings (safe ones, plus unsafe ones
//! with `--unsafe-fixes`) are applied per file with [`crate::fix::apply`]. With `--diff`
//! nothing is written: the unified diff is printed and the exit code is 1 when there
//! is something to fix. Otherwise files are written atomically and `check` runs again
//! to report what remains.
use crate::cli::CheckArgs;
use crate::error::Fatal;
use crate::fix::{self, Fix, Safety};
use crate::pipeline;
use crate::source::{FileId, SourceMap};
use crate::Outcome;
use std::collections::BTreeMap;
use std::io::Write as _;
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
    let mut held_back = 0;
    for d in run.diagnostics.iter().filter(|d| d.is_active()) {
        let Some(f) = &d.fix else { continue };
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
        let before = std::fs::read_to_string(path)
            .map_err(|e| Fatal::msg(format!("cannot read `{display}`: {e}")))?;
        let applied = fix::apply(&before, fixes)
            .map_err(|e| Fatal::msg(format!("cannot fix `{display}`: {e}")))?;
        if applied.text == before {
            continue;
        }
        files += 1;
        fixed += applied.applied;
        if args.diff {
            print!("{}", fix::unified_diff(display, &before, &applied.text));
        } else {
            super::write::atomic(path, &applied.text)?;
            // One write per buffer, not five per line: a file can have 100,000s of fixes.
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            for (_, f) in fixes {
                let _ = writeln!(err, "fixed {display}: {}", f.describe());
            }
            let _ = err.flush();
        }
    }
    let verb = if args.diff { "would fix" } else { "fixed" };
    eprintln!("{verb} {fixed} finding(s) in {files} file(s)");
    if held_back > 0 {
        eprintln!("{held_back} more fix(es) change meaning; apply them with `--unsafe-fixes`");
    }
    if args.diff {
        return Ok(Some(if fixed > 0 {
            Outcome::Violations
        } else {
            Outcome::Clean
        }));
    }
    Ok(None)
}
