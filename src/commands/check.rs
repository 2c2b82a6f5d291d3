//! `rolelint check`: lint documents and report findings.
use crate::cli::CheckArgs;
use crate::commands::progress::Progress;
use crate::config::Overrides;
use crate::config::{self, Config};
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::Severity;
use crate::error::Fatal;
use crate::pipeline::{self, Baselined};
use crate::report::{self, Report};
use crate::Outcome;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub fn run(args: &CheckArgs) -> Result<Outcome, Fatal> {
    if args.fix || args.unsafe_fixes || args.diff {
        if let Some(outcome) = super::fix::run(args)? {
            return Ok(outcome);
        }
    }
    let mut sources = SourceMap::new();
    let (config, root) = load_config(args.config.as_deref(), &args.paths, &mut sources)?;
    let inputs = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let overrides = overrides(args)?;
    // Bad `--output` specs fail before any work is done.
    let boundary = crate::fsio::write::repository(&root)?;
    let outputs = args
        .output
        .iter()
        .map(|spec| report::output::parse_spec(spec, &boundary))
        .collect::<Result<Vec<_>, Fatal>>()?;
    let baseline_target = args
        .write_baseline
        .as_deref()
        .map(|p| crate::fsio::write::output(p, &boundary))
        .transpose()?;
    if args.show_config {
        return show_config(args, &config, &overrides, &sources);
    }
    check_today()?;
    // A baseline being written records every finding: none is baselined then.
    let baseline = match (&args.baseline, &baseline_target) {
        (Some(p), None) => Some(pipeline::Baselined {
            baseline: crate::evaluate::baseline::read(p)?,
            shown: p.display().to_string(),
        }),
        (Some(p), Some(_)) => {
            crate::evaluate::baseline::read(p)?;
            None
        }
        (None, _) => None,
    };
    let config_path = config.origin.as_ref().map(|(_, p)| p.clone());
    let progress = Progress::start("rolelint: checking", !args.quiet);
    // A SARIF report hashes the line of each finding: loading keeps the digests of role
    // files' lines while it holds their text, so the report need not read them again.
    let sarif = std::iter::once(&args.format)
        .chain(outputs.iter().map(|(format, _)| format))
        .any(|f| matches!(f, report::output::Format::Sarif));
    let sources = match sarif {
        true => sources.hashing_lines(),
        false => sources,
    };
    // With `--new-against`, the revision is checked after: it takes this run's judgement
    // of the role files both hold byte for byte instead of judging them again.
    let check = match args.new_against {
        Some(_) => pipeline::check_paths_recording,
        None => pipeline::check_paths_baselined,
    };
    let run = check(
        &inputs,
        &root,
        config,
        &overrides,
        sources,
        baseline.as_ref(),
    );
    progress.finish();
    let mut run = run?;
    if let Some(target) = &baseline_target {
        let n = crate::evaluate::baseline::write(target, &run.diagnostics, &run.sources)?;
        errln!("wrote {n} findings to baseline `{}`", target.shown());
        return Ok(Outcome::Clean);
    }
    if let Some(Baselined { shown, .. }) = &baseline {
        let stale = run.stale_baseline;
        if stale > 0 {
            errln!(
                "note: {stale} baseline {} in `{shown}` no longer {} any finding; refresh it with `--write-baseline {shown}`",
                if stale == 1 { "entry" } else { "entries" },
                if stale == 1 { "matches" } else { "match" }
            );
        }
    }
    if let Some(rev) = &args.new_against {
        only_new(&mut run, rev, config_path.as_deref(), &root, &overrides)?;
    }
    for s in &run.skipped {
        errln!("warning: {}", crate::report::shown::text(s));
    }
    let report = Report::from_run(&run);
    crate::console::timing::lap("report built");
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let width = terminal_width();
    for (format, target) in &outputs {
        let emitter = format.emitter(false, width, args.quiet);
        report::output::write_file(emitter.as_ref(), &report, target)?;
    }
    let emitter = args.format.emitter(color, width, args.quiet);
    // Buffered: stdout is line-buffered, and thousands of findings would be thousands of writes.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, crate::console::Stdout);
    emitter
        .emit(&report, &mut out)
        .and_then(|_| out.flush())
        .map_err(crate::console::write_failed)?;
    crate::console::timing::lap("report written");
    let failing = fails(&run.diagnostics, overrides.deny_warnings);
    if failing && !fails(&run.diagnostics, false) {
        let n = run
            .diagnostics
            .iter()
            .filter(|d| d.is_active() && d.severity == Severity::Warning)
            .count();
        errln!(
            "note: {n} {} fail{} this run (`--deny-warnings`)",
            if n == 1 { "warning" } else { "warnings" },
            if n == 1 { "s" } else { "" }
        );
    }
    // The process ends right after this: freeing tens of thousands of documents one by one
    // would only add to the wall time a pre-commit hook waits for.
    drop(report);
    std::mem::forget(run);
    Ok(if failing {
        Outcome::Violations
    } else {
        Outcome::Clean
    })
}

/// `--new-against REV`: drop every finding the repository at `rev` also has (active there,
/// same fingerprint: the matching baselines use), so every format reports only new ones.
fn only_new(
    run: &mut pipeline::Run,
    rev: &str,
    config_path: Option<&std::path::Path>,
    root: &std::path::Path,
    overrides: &Overrides,
) -> Result<(), Fatal> {
    let at = crate::review::side::list_at(rev, config_path, root)?;
    let (before, commit) = at.check(overrides, pipeline::Reuse::From(run))?;
    run.recorded = None; // taken: its copies are not needed any more
    let known =
        crate::evaluate::baseline::active_fingerprints(&before.diagnostics, &before.sources);
    let known: std::collections::HashSet<&str> = known.iter().map(String::as_str).collect();
    const OLD: &str = "present-at-revision";
    crate::evaluate::baseline::suppress_known(&known, OLD, "", &mut run.diagnostics, &run.sources);
    let total = run.diagnostics.len();
    run.diagnostics
        .retain(|d| d.suppressed.as_ref().is_none_or(|s| s.kind != OLD));
    let dropped = total - run.diagnostics.len();
    if dropped > 0 {
        let short: String = commit.chars().take(12).collect();
        errln!(
            "note: {dropped} {} also present at `{}` ({short}) not reported (`--new-against`)",
            if dropped == 1 { "finding" } else { "findings" },
            crate::inert::bounded(rev, 200)
        );
    }
    Ok(())
}

/// Does the run fail (exit 1)? Active errors always do; active warnings with `--deny-warnings`.
pub fn fails(diags: &[crate::diagnostics::Diagnostic], deny_warnings: bool) -> bool {
    diags.iter().any(|d| {
        d.is_active()
            && (d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning))
    })
}

/// The configuration and the repository root documents are relative to: `--config`, or
/// the nearest `rolelint.toml` at or above the checked `paths` (see [`config::locate`]).
pub fn load_config(
    explicit: Option<&std::path::Path>,
    paths: &[PathBuf],
    sources: &mut SourceMap,
) -> Result<(Config, PathBuf), Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::msg(format!("cannot read the current directory: {e}")))?;
    let path = match explicit {
        // Named by the user: may be anywhere, but must be a regular file (`config::load`).
        Some(p) => Some(p.to_path_buf()),
        None => config::locate(&cwd, paths)?
            .map(refuse_outside)
            .transpose()?,
    };
    match path {
        Some(p) => {
            let mut config = config::load(&p, sources)?;
            config.chosen = explicit.is_some();
            let root = p
                .parent()
                .map(|d| {
                    if d.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        d.to_path_buf()
                    }
                })
                .unwrap_or(cwd);
            Ok((config, root))
        }
        None => Ok((Config::default(), cwd)),
    }
}

/// A `rolelint.toml` found in the repository that is a symbolic link must stay inside
/// the directory holding it (the repository root): one leading outside is never read.
fn refuse_outside(path: PathBuf) -> Result<PathBuf, Fatal> {
    if !crate::fsio::boundary::is_link(&path) {
        return Ok(path);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let inside = crate::fsio::Root::new(dir).map(|root| {
        matches!(
            root.resolve(&path),
            crate::fsio::boundary::Resolved::Inside(_)
        )
    });
    match inside {
        // Leads nowhere: `config::load` says so.
        Ok(true) | Err(_) => Ok(path),
        Ok(false) if std::fs::metadata(&path).is_err() => Ok(path),
        Ok(false) => Err(Fatal::msg(format!(
            "configuration file `{}` is a symbolic link that leads outside the repository; not read (pass `--config` to use a file elsewhere)",
            crate::inert::bounded(&crate::fsio::name::display(&path), 200)
        ))),
    }
}

pub fn overrides(args: &CheckArgs) -> Result<Overrides, Fatal> {
    let mut severity = Vec::new();
    for s in &args.severity {
        let Some((code, level)) = s.split_once('=') else {
            return Err(Fatal::msg(format!(
                "`--severity {s}` must look like CODE=LEVEL, e.g. AL101=warning"
            )));
        };
        if !matches!(level, "error" | "warning" | "info" | "off") {
            return Err(Fatal::msg(format!(
                "`--severity {s}`: level must be error, warning, info or off"
            )));
        }
        severity.push((code.trim().to_string(), level.to_string()));
    }
    Ok(Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        severity,
        deny_warnings: args.deny_warnings,
    })
}

/// `--show-config`: print the effective configuration and exit 0 without checking.
fn show_config(
    args: &CheckArgs,
    config: &Config,
    overrides: &Overrides,
    sources: &SourceMap,
) -> Result<Outcome, Fatal> {
    let text = config.file().map(|f| sources.text(f));
    // Where the file was found, as the user would open it from here.
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = config.origin.as_ref().map(|(_, p)| config::shown(&cwd, p));
    let file = shown.as_deref().zip(text.as_deref());
    let baseline = args.baseline.as_ref().map(|p| p.display().to_string());
    out!(
        "{}",
        crate::config::show::render(file, overrides, baseline.as_deref())
    );
    Ok(Outcome::Clean)
}

/// `ROLELINT_TODAY` (the date expiries are compared with) must be a date when set.
fn check_today() -> Result<(), Fatal> {
    match std::env::var("ROLELINT_TODAY") {
        Ok(t) if !crate::config::date::is_date(&t) => Err(Fatal::msg(format!(
            "`ROLELINT_TODAY={t}` is not a date written YYYY-MM-DD"
        ))),
        _ => Ok(()),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}
