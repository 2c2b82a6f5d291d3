//! `rolelint check`: lint documents and report findings.
use crate::cli::CheckArgs;
use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::emit::{self, Report};
use crate::engine::Overrides;
use crate::error::Fatal;
use crate::pipeline;
use crate::progress::Progress;
use crate::source::SourceMap;
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
    let (config, root) = load_config(args.config.as_deref(), &mut sources)?;
    let inputs = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let overrides = overrides(args)?;
    // Bad `--output` specs fail before any work is done.
    let outputs = args
        .output
        .iter()
        .map(|spec| emit::output::parse_spec(spec))
        .collect::<Result<Vec<_>, Fatal>>()?;
    let progress = Progress::start("rolelint: checking", !args.quiet);
    let run = pipeline::check_paths(&inputs, &root, config, &overrides, sources);
    progress.finish();
    let run = run?;
    for s in &run.skipped {
        eprintln!("warning: {s}");
    }
    let report = Report::from_run(&run);
    let color = !args.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let width = terminal_width();
    for (format, path) in &outputs {
        let emitter = format.emitter(false, width, args.quiet);
        emit::output::write_file(emitter.as_ref(), &report, path)?;
    }
    let emitter = args.format.emitter(color, width, args.quiet);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    emitter
        .emit(&report, &mut out)
        .and_then(|_| out.flush())
        .map_err(|e| Fatal::msg(format!("cannot write the report: {e}")))?;
    let failing = run
        .diagnostics
        .iter()
        .any(|d| d.is_active() && d.severity == Severity::Error);
    Ok(if failing {
        Outcome::Violations
    } else {
        Outcome::Clean
    })
}

/// The configuration and the repository root documents are relative to.
pub fn load_config(
    explicit: Option<&std::path::Path>,
    sources: &mut SourceMap,
) -> Result<(Config, PathBuf), Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::msg(format!("cannot read the current directory: {e}")))?;
    let path = match explicit {
        Some(p) if !p.is_file() => {
            return Err(Fatal::msg(format!(
                "configuration file `{}` does not exist",
                p.display()
            )))
        }
        Some(p) => Some(p.to_path_buf()),
        None => config::discover(&cwd),
    };
    match path {
        Some(p) => {
            let config = config::load(&p, sources)?;
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

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}
