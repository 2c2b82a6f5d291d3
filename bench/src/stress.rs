//! `stress`: time the release binary on the inputs that were once quadratic (issue 13),
//! at the sizes the issue names. Each must finish in a few seconds; a case still running
//! after `--timeout` is killed and reported as such.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::hostile_inputs::Case;
use crate::StressArgs;

pub fn run(a: &StressArgs) -> Result<(), String> {
    let bin = match &a.rolelint {
        Some(b) => b.clone(),
        None => crate::compare::default_binary()?,
    };
    if !bin.exists() {
        return Err(format!(
            "{} not found; build it first (cargo build --release) or pass --rolelint",
            bin.display()
        ));
    }
    let cases: Vec<Case> = if a.case.is_empty() {
        Case::ALL.to_vec()
    } else {
        a.case
            .iter()
            .map(|name| {
                Case::ALL
                    .into_iter()
                    .find(|c| c.name() == name)
                    .ok_or_else(|| format!("no stress case named `{name}`"))
            })
            .collect::<Result<_, _>>()?
    };
    let parent = a.dir.clone().unwrap_or_else(std::env::temp_dir);
    println!(
        "{:<20} {:>10} {:>9} {:>9}  exit",
        "case", "size", "input MB", "seconds"
    );
    for case in cases {
        let n = ((case.issue_size() as f64) * a.scale).round().max(1.0) as usize;
        let dir = tempfile::Builder::new()
            .prefix("rolelint-stress-")
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot create a directory in {}: {e}", parent.display()))?;
        let args = case
            .prepare(dir.path(), n)
            .map_err(|e| format!("cannot write the {} input: {e}", case.name()))?;
        let bytes = size_of(dir.path());
        let (elapsed, exit) = time(&bin, &args, Duration::from_secs(a.timeout))?;
        println!(
            "{:<20} {:>10} {:>9.1} {:>9.2}  {}",
            case.name(),
            n,
            bytes as f64 / 1e6,
            elapsed.as_secs_f64(),
            exit
        );
    }
    Ok(())
}

/// Wall time of one run, or the timeout when it was killed.
fn time(
    bin: &Path,
    args: &[std::ffi::OsString],
    limit: Duration,
) -> Result<(Duration, String), String> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let exit = status
                .code()
                .map_or("signal".to_string(), |c| c.to_string());
            return Ok((started.elapsed(), exit));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok((started.elapsed(), "killed (timeout)".to_string()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Bytes of the files under `dir` (the generated input, before the run).
fn size_of(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if t.is_file() => total += entry.metadata().map_or(0, |m| m.len()),
                _ => {}
            }
        }
    }
    total
}
