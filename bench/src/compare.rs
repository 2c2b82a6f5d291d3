use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{floor, CompareArgs};
use serde::Serialize;

#[derive(Serialize)]
struct Summary {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    runs_ms: Vec<f64>,
}

impl Summary {
    fn of(samples: &[Duration]) -> Summary {
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        let runs_ms = ms.clone();
        ms.sort_by(f64::total_cmp);
        let mid = ms.len() / 2;
        let median_ms = if ms.len() % 2 == 1 {
            ms[mid]
        } else {
            (ms[mid - 1] + ms[mid]) / 2.0
        };
        Summary {
            median_ms,
            min_ms: ms[0],
            max_ms: ms[ms.len() - 1],
            runs_ms,
        }
    }
}

#[derive(Serialize)]
struct Report {
    corpus: String,
    files: usize,
    bytes: u64,
    parse_failures: usize,
    runs: usize,
    rolelint: String,
    floor: Summary,
    rolelint_check: Summary,
    /// `rolelint access --permission ADMINISTER_PROJECTS` run in the corpus (the effective
    /// access model built in full, one permission printed).
    rolelint_access: Summary,
    ratio_median: f64,
    /// Exit code of each timed run (`null` when killed by a signal).
    exit_codes: Vec<Option<i32>>,
    /// Peak RSS of one extra, untimed run, from `/usr/bin/time -f %M`.
    peak_rss_kib: Option<u64>,
    peak_rss_note: Option<String>,
    /// VmHWM of this process after the in-process floor runs (harness included).
    floor_process_hwm_kib: Option<u64>,
}

pub fn default_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this executable: {e}"))?;
    let dir = exe
        .parent()
        .ok_or("this executable has no parent directory")?;
    Ok(dir.join(format!("rolelint{}", std::env::consts::EXE_SUFFIX)))
}

fn check_command(program: &Path, a: &CompareArgs) -> Command {
    let mut cmd = Command::new(program);
    cmd.arg("check")
        .args(["--format", "concise"])
        .args(&a.args)
        .arg(&a.corpus);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// `rolelint access` in the corpus: it reads the repository its `rolelint.toml` is in.
fn time_access(bin: &Path, a: &CompareArgs) -> Result<Duration, String> {
    let started = Instant::now();
    Command::new(bin)
        .args(["access", "--permission", "ADMINISTER_PROJECTS"])
        .current_dir(&a.corpus)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    Ok(started.elapsed())
}

fn time_rolelint(bin: &Path, a: &CompareArgs) -> Result<(Duration, Option<i32>), String> {
    let started = Instant::now();
    let status = check_command(bin, a)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    Ok((started.elapsed(), status.code()))
}

/// Peak RSS needs the child's rusage; without libc the portable way is GNU time. It runs
/// once, outside the timed runs, so the wrapper's fork/exec never skews the timings.
fn peak_rss(bin: &Path, a: &CompareArgs) -> (Option<u64>, Option<String>) {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return (
            None,
            Some("/usr/bin/time not found; peak RSS skipped".into()),
        );
    }
    let out = std::env::temp_dir().join(format!("rolelint-bench-rss-{}.txt", std::process::id()));
    let inner = check_command(bin, a);
    let mut cmd = Command::new(time);
    cmd.arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&out)
        .arg(inner.get_program())
        .args(inner.get_args());
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let ran = cmd.status();
    let text = fs::read_to_string(&out).unwrap_or_default();
    let _ = fs::remove_file(&out);
    // GNU time writes "Command exited with non-zero status N" before the figure.
    let kib = text
        .lines()
        .rev()
        .find_map(|l| l.trim().parse::<u64>().ok());
    match (ran, kib) {
        (Ok(_), Some(k)) => (Some(k), None),
        (Err(e), _) => (None, Some(format!("/usr/bin/time failed: {e}"))),
        (Ok(_), None) => (
            None,
            Some("/usr/bin/time gave no %M figure (not GNU time?)".into()),
        ),
    }
}

fn self_hwm_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn run(a: &CompareArgs) -> Result<(), String> {
    if a.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    if !a.corpus.is_dir() {
        return Err(format!("{} is not a directory", a.corpus.display()));
    }
    let bin = match &a.rolelint {
        Some(b) => b.clone(),
        None => default_binary()?,
    };
    if !bin.exists() {
        return Err(format!(
            "{} not found; build it first (cargo build --release) or pass --rolelint",
            bin.display()
        ));
    }
    let corpus = std::slice::from_ref(&a.corpus);

    // One untimed warm-up of each side, so every timed run sees a warm page cache.
    let probe = floor::measure(corpus);
    time_rolelint(&bin, a)?;

    let mut floor_times = Vec::with_capacity(a.runs);
    let mut lint_times = Vec::with_capacity(a.runs);
    let mut exit_codes = Vec::with_capacity(a.runs);
    let mut access_times = Vec::with_capacity(a.runs);
    time_access(&bin, a)?;
    for _ in 0..a.runs {
        access_times.push(time_access(&bin, a)?);
        floor_times.push(floor::measure(corpus).elapsed);
        let (t, code) = time_rolelint(&bin, a)?;
        lint_times.push(t);
        exit_codes.push(code);
    }
    let floor_process_hwm_kib = self_hwm_kib();
    let (peak_rss_kib, peak_rss_note) = peak_rss(&bin, a);

    let floor = Summary::of(&floor_times);
    let rolelint_check = Summary::of(&lint_times);
    let report = Report {
        corpus: a.corpus.display().to_string(),
        files: probe.files,
        bytes: probe.bytes,
        parse_failures: probe.failures.len(),
        runs: a.runs,
        rolelint: bin.display().to_string(),
        ratio_median: rolelint_check.median_ms / floor.median_ms,
        floor,
        rolelint_check,
        rolelint_access: Summary::of(&access_times),
        exit_codes,
        peak_rss_kib,
        peak_rss_note,
        floor_process_hwm_kib,
    };
    if a.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_table(&report);
    }
    Ok(())
}

fn print_table(r: &Report) {
    println!(
        "corpus: {} ({} files, {:.1} MB, {} parse failures), {} runs",
        r.corpus,
        r.files,
        r.bytes as f64 / 1e6,
        r.parse_failures,
        r.runs
    );
    println!("{:<16} {:>10} {:>10} {:>10}", "", "median", "min", "max");
    for (name, s) in [
        ("floor", &r.floor),
        ("rolelint check", &r.rolelint_check),
        ("rolelint access", &r.rolelint_access),
    ] {
        println!(
            "{:<16} {:>7.1} ms {:>7.1} ms {:>7.1} ms",
            name, s.median_ms, s.min_ms, s.max_ms
        );
    }
    println!("ratio rolelint/floor (medians): {:.2}x", r.ratio_median);
    let mut codes: Vec<String> = r
        .exit_codes
        .iter()
        .map(|c| c.map_or("signal".to_owned(), |c| c.to_string()))
        .collect();
    codes.dedup();
    println!("rolelint exit code(s): {}", codes.join(", "));
    match (r.peak_rss_kib, &r.peak_rss_note) {
        (Some(k), _) => println!("rolelint peak RSS: {:.1} MB", k as f64 / 1024.0),
        (None, Some(note)) => println!("rolelint peak RSS: n/a ({note})"),
        (None, None) => {}
    }
    if let Some(k) = r.floor_process_hwm_kib {
        println!(
            "floor peak RSS (in-process, harness included): {:.1} MB",
            k as f64 / 1024.0
        );
    }
}
