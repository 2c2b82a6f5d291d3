//! `compare`: the floor against the `rolelint` binary, on the clean and the dirty profile,
//! in every output format, with each child's peak memory.
//!
//! Runs are interleaved: each round times every corpus's floor and, right after it, every
//! entry on that corpus, so slow drifts of a shared machine hit both sides alike. Ratios
//! are of medians.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::{floor, CompareArgs};

/// The output formats timed on both profiles.
pub const FORMATS: &[&str] = &["concise", "json", "sarif", "human", "github", "junit"];

#[derive(Serialize)]
struct Summary {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    runs_ms: Vec<f64>,
}

impl Summary {
    fn of(samples: &[Duration]) -> Summary {
        let runs_ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        let mut ms = runs_ms.clone();
        ms.sort_by(f64::total_cmp);
        Summary {
            median_ms: median(&ms),
            min_ms: ms[0],
            max_ms: ms[ms.len() - 1],
            runs_ms,
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// A corpus the entries run on, with its floor.
struct Corpus {
    name: &'static str,
    /// Directory rolelint runs in (its `rolelint.toml` is found from there).
    dir: PathBuf,
    /// What rolelint checks and the floor walks, relative to `dir`.
    path: &'static str,
}

/// One timed rolelint invocation.
struct Entry {
    corpus: usize,
    name: String,
    args: Vec<String>,
    /// Whole-process runs per round (the one-file case is too short to time once).
    repeat: usize,
}

/// The measured outcome of one entry.
#[derive(Serialize)]
struct Row {
    corpus: &'static str,
    entry: String,
    rolelint: Summary,
    /// Median of the corpus's floor over the same rounds (`null`: not compared).
    floor_median_ms: Option<f64>,
    ratio_to_floor: Option<f64>,
    /// Largest `ru_maxrss` of the child over the timed runs.
    peak_kib: Option<u64>,
    /// Exit codes seen (`null` when killed by a signal).
    exit_codes: Vec<Option<i32>>,
}

#[derive(Serialize)]
struct CorpusInfo {
    name: &'static str,
    dir: String,
    files: usize,
    bytes: u64,
    parse_failures: usize,
    /// Lines of `--format concise` (one per finding).
    findings: usize,
    floor: Summary,
}

#[derive(Serialize)]
struct Target {
    what: String,
    value: String,
    limit: String,
    holds: bool,
}

#[derive(Serialize)]
struct Report {
    runs: usize,
    rolelint: String,
    corpora: Vec<CorpusInfo>,
    rows: Vec<Row>,
    targets: Vec<Target>,
}

pub fn default_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this executable: {e}"))?;
    let dir = exe
        .parent()
        .ok_or("this executable has no parent directory")?;
    Ok(dir.join(format!("rolelint{}", std::env::consts::EXE_SUFFIX)))
}

/// The outcome of one child: wall time, exit code and peak resident size.
struct Ran {
    elapsed: Duration,
    code: Option<i32>,
    peak_kib: Option<u64>,
}

fn command(bin: &Path, corpus: &Corpus, args: &[String]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .current_dir(&corpus.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Run to the end and read the child's own rusage (`wait4`), so the peak is this child's,
/// not the largest of all children so far.
#[cfg(unix)]
fn run_child(mut cmd: Command) -> Result<Ran, String> {
    let started = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child (std never waits for it: `child` is only
    // dropped); `status` and `usage` are valid for writes.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    if got != pid {
        return Err(format!("waiting for {:?} failed", cmd.get_program()));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports ru_maxrss in KiB.
    let peak_kib = u64::try_from(usage.ru_maxrss).ok();
    Ok(Ran {
        elapsed,
        code,
        peak_kib,
    })
}

#[cfg(not(unix))]
fn run_child(mut cmd: Command) -> Result<Ran, String> {
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    Ok(Ran {
        elapsed: started.elapsed(),
        code: status.code(),
        peak_kib: None,
    })
}

fn count_findings(bin: &Path, corpus: &Corpus, extra: &[String]) -> Result<usize, String> {
    let mut cmd = command(bin, corpus, &[]);
    cmd.args(["check", "--format", "concise"])
        .args(extra)
        .arg(corpus.path)
        .stdout(Stdio::piped());
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    Ok(out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count())
}

fn corpora(a: &CompareArgs) -> Result<Vec<Corpus>, String> {
    let dir = |p: &Path| -> Result<PathBuf, String> {
        if p.is_dir() {
            Ok(p.to_path_buf())
        } else {
            Err(format!("{} is not a directory", p.display()))
        }
    };
    let mut v = vec![
        Corpus {
            name: "clean",
            dir: dir(&a.corpus)?,
            path: ".",
        },
        Corpus {
            name: "dirty",
            dir: dir(&a.dirty)?,
            path: ".",
        },
        Corpus {
            name: "clean roles",
            dir: dir(&a.corpus)?,
            path: "roles",
        },
    ];
    if let Some(d) = &a.dirty_3x {
        v.push(Corpus {
            name: "dirty 3x",
            dir: dir(d)?,
            path: ".",
        });
    }
    Ok(v)
}

fn entries(a: &CompareArgs, corpora: &[Corpus]) -> Vec<Entry> {
    let check = |format: &str, path: &str| -> Vec<String> {
        let mut v: Vec<String> = vec!["check".into(), "--format".into(), format.into()];
        v.extend(a.args.iter().cloned());
        v.push(path.into());
        v
    };
    let mut out = Vec::new();
    for (ci, c) in corpora.iter().enumerate() {
        let formats: &[&str] = match c.name {
            "clean" | "dirty" => FORMATS,
            _ => &["concise"],
        };
        for f in formats {
            out.push(Entry {
                corpus: ci,
                name: format!("check --format {f}"),
                args: check(f, c.path),
                repeat: 1,
            });
        }
        if c.name == "clean" {
            out.push(Entry {
                corpus: ci,
                name: "one role file (pre-commit)".into(),
                args: check("concise", "roles/role-00001.toml"),
                repeat: 20,
            });
            // The process with nothing to do: what one file costs beyond it is rolelint's.
            out.push(Entry {
                corpus: ci,
                name: "process alone (--version)".into(),
                args: vec!["--version".into()],
                repeat: 20,
            });
            out.push(Entry {
                corpus: ci,
                name: "access".into(),
                args: vec!["access".into()],
                repeat: 1,
            });
            out.push(Entry {
                corpus: ci,
                name: "access --permission ADMINISTER_PROJECTS".into(),
                args: vec![
                    "access".into(),
                    "--permission".into(),
                    "ADMINISTER_PROJECTS".into(),
                ],
                repeat: 1,
            });
            if let Some(rev) = &a.review_against {
                out.push(Entry {
                    corpus: ci,
                    name: format!("review --against {rev}"),
                    args: vec!["review".into(), "--against".into(), rev.clone()],
                    repeat: 1,
                });
            }
        }
    }
    out
}

pub fn run(a: &CompareArgs) -> Result<(), String> {
    if a.runs == 0 {
        return Err("--runs must be at least 1".into());
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
    // Children run in their corpus: a relative path must not change meaning.
    let bin = std::fs::canonicalize(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let corpora = corpora(a)?;
    let entries = entries(a, &corpora);
    let floor_paths: Vec<Vec<PathBuf>> = corpora.iter().map(|c| vec![c.dir.join(c.path)]).collect();

    // Untimed warm-up of every side, so each timed run sees a warm page cache.
    let probes: Vec<floor::FloorStats> = floor_paths.iter().map(|p| floor::measure(p)).collect();
    for e in &entries {
        run_child(command(&bin, &corpora[e.corpus], &e.args))?;
    }

    let mut floors: Vec<Vec<Duration>> = vec![Vec::new(); corpora.len()];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); entries.len()];
    let mut peaks: Vec<Option<u64>> = vec![None; entries.len()];
    let mut codes: Vec<Vec<Option<i32>>> = vec![Vec::new(); entries.len()];
    for _ in 0..a.runs {
        for (ci, paths) in floor_paths.iter().enumerate() {
            floors[ci].push(floor::measure(paths).elapsed);
            for (ei, e) in entries.iter().enumerate().filter(|(_, e)| e.corpus == ci) {
                for _ in 0..e.repeat {
                    let ran = run_child(command(&bin, &corpora[ci], &e.args))?;
                    times[ei].push(ran.elapsed);
                    peaks[ei] = peaks[ei].max(ran.peak_kib);
                    if !codes[ei].contains(&ran.code) {
                        codes[ei].push(ran.code);
                    }
                }
            }
        }
    }

    let mut infos = Vec::new();
    for (ci, c) in corpora.iter().enumerate() {
        infos.push(CorpusInfo {
            name: c.name,
            dir: c.dir.join(c.path).display().to_string(),
            files: probes[ci].files,
            bytes: probes[ci].bytes,
            parse_failures: probes[ci].failures.len(),
            findings: count_findings(&bin, c, &a.args)?,
            floor: Summary::of(&floors[ci]),
        });
    }
    let rows: Vec<Row> = entries
        .iter()
        .enumerate()
        .map(|(ei, e)| {
            let rolelint = Summary::of(&times[ei]);
            let floor = (e.repeat == 1).then(|| infos[e.corpus].floor.median_ms);
            Row {
                corpus: corpora[e.corpus].name,
                entry: e.name.clone(),
                ratio_to_floor: floor.map(|f| rolelint.median_ms / f),
                floor_median_ms: floor,
                rolelint,
                peak_kib: peaks[ei],
                exit_codes: std::mem::take(&mut codes[ei]),
            }
        })
        .collect();
    let report = Report {
        runs: a.runs,
        rolelint: bin.display().to_string(),
        targets: targets(&rows),
        corpora: infos,
        rows,
    };
    if a.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print_table(&report);
    }
    Ok(())
}

/// The targets of issues 18 and 16, checked on this run's medians.
fn targets(rows: &[Row]) -> Vec<Target> {
    let find = |corpus: &str, entry: &str| {
        rows.iter()
            .find(|r| r.corpus == corpus && r.entry.starts_with(entry))
    };
    let fmt = |f: &str| format!("check --format {f}");
    let mut out = Vec::new();
    let mut ratio_target = |what: String, value: Option<f64>, limit: f64| {
        if let Some(v) = value {
            out.push(Target {
                what,
                value: format!("{v:.2}x"),
                limit: format!("{limit}x"),
                holds: v <= limit,
            });
        }
    };
    let to_floor = |c: &str, f: &str| find(c, &fmt(f)).and_then(|r| r.ratio_to_floor);
    let to_concise = |c: &str, f: &str| {
        let (x, base) = (find(c, &fmt(f))?, find(c, &fmt("concise"))?);
        Some(x.rolelint.median_ms / base.rolelint.median_ms)
    };
    ratio_target(
        "clean concise / floor".into(),
        to_floor("clean", "concise"),
        1.5,
    );
    ratio_target(
        "dirty concise / floor".into(),
        to_floor("dirty", "concise"),
        2.0,
    );
    for c in ["clean", "dirty"] {
        for (f, limit) in [("json", 1.3), ("sarif", 1.3), ("human", 3.0)] {
            ratio_target(format!("{c} {f} / concise"), to_concise(c, f), limit);
        }
    }
    ratio_target(
        "roles alone / floor".into(),
        to_floor("clean roles", "concise"),
        1.5,
    );
    let three = find("dirty 3x", &fmt("concise"))
        .zip(find("dirty", &fmt("concise")))
        .map(|(x, one)| x.rolelint.median_ms / one.rolelint.median_ms);
    ratio_target("dirty 3x time / 1x time".into(), three, 3.2);
    // Issue 16: `review` of a one-file change at most about twice one `check` (both sides
    // evaluated once).
    let to_check = |entry: &str| {
        let (x, check) = (find("clean", entry)?, find("clean", &fmt("concise"))?);
        Some(x.rolelint.median_ms / check.rolelint.median_ms)
    };
    ratio_target(
        "clean review / check concise".into(),
        to_check("review --against"),
        2.0,
    );

    for r in rows.iter().filter(|r| r.corpus == "dirty") {
        if let Some(k) = r.peak_kib {
            let mib = k as f64 / 1024.0;
            out.push(Target {
                what: format!(
                    "dirty {} peak",
                    r.entry.trim_start_matches("check --format ")
                ),
                value: format!("{mib:.0} MiB"),
                limit: "64 MiB".into(),
                holds: mib <= 64.0,
            });
        }
    }
    // Issue 16: `access` under a second.
    for entry in ["access", "access --permission"] {
        if let Some(r) = rows.iter().find(|r| {
            r.corpus == "clean" && (r.entry == entry || r.entry.starts_with(&format!("{entry} ")))
        }) {
            out.push(Target {
                what: format!("clean {}", r.entry),
                value: format!("{:.0} ms", r.rolelint.median_ms),
                limit: "1000 ms".into(),
                holds: r.rolelint.median_ms < 1000.0,
            });
        }
    }
    if let Some(r) = find("clean", "one role file") {
        // Beside it, what the bare process takes on this machine (start-up and exit).
        let beyond = find("clean", "process alone")
            .map(|p| {
                format!(
                    " ({:.2} beyond `--version`)",
                    r.rolelint.median_ms - p.rolelint.median_ms
                )
            })
            .unwrap_or_default();
        out.push(Target {
            what: "one file, whole process".into(),
            value: format!("{:.2} ms{beyond}", r.rolelint.median_ms),
            limit: "2.0 ms".into(),
            holds: r.rolelint.median_ms <= 2.0,
        });
    }
    out
}

fn print_table(r: &Report) {
    println!("rolelint: {}, {} interleaved rounds", r.rolelint, r.runs);
    for c in &r.corpora {
        println!(
            "{:<12} {} ({} files, {:.1} MB, {} parse failures, {} findings = {:.2} per file), floor median {:.1} ms",
            c.name,
            c.dir,
            c.files,
            c.bytes as f64 / 1e6,
            c.parse_failures,
            c.findings,
            c.findings as f64 / c.files.max(1) as f64,
            c.floor.median_ms
        );
    }
    println!();
    println!(
        "| {:<11} | {:<40} | {:>10} | {:>10} | {:>7} | {:>9} | {:>5} |",
        "corpus", "entry", "floor ms", "median ms", "ratio", "peak MiB", "exit"
    );
    println!("|{}|", ["---"; 7].join("|"));
    for row in &r.rows {
        let codes: Vec<String> = row
            .exit_codes
            .iter()
            .map(|c| c.map_or("signal".to_owned(), |c| c.to_string()))
            .collect();
        println!(
            "| {:<11} | {:<40} | {:>10} | {:>10.2} | {:>7} | {:>9} | {:>5} |",
            row.corpus,
            row.entry,
            row.floor_median_ms
                .map_or("-".to_owned(), |f| format!("{f:.1}")),
            row.rolelint.median_ms,
            row.ratio_to_floor
                .map_or("-".to_owned(), |x| format!("{x:.2}x")),
            row.peak_kib
                .map_or("n/a".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0)),
            codes.join(",")
        );
    }
    println!();
    println!("targets (issues 18 and 16):");
    for t in &r.targets {
        println!(
            "  {:<5} {:<36} {:>10}  (limit {})",
            if t.holds { "ok" } else { "MISS" },
            t.what,
            t.value,
            t.limit
        );
    }
}
