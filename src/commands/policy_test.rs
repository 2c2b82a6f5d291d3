//! `rolelint policy test`: run the test cases policy files carry.
//!
//! For every rule: each `example-fail` must report the rule's code and each
//! `example-pass` must not (the rule alone is selected, as in `tests/registry.rs`).
//! For every `[[test]]` entry: exactly the `expect` codes must be reported, with every
//! rule on. Built-in policies run first, then the repository's policy files (each run
//! together with the policy file itself, so its own rules are loaded).
use crate::cli::PolicyTestArgs;
use crate::config::Config;
use crate::discover::{self, Candidate};
use crate::document::{self, Document};
use crate::engine::Overrides;
use crate::error::Fatal;
use crate::pipeline;
use crate::policy::PolicyDoc;
use crate::source::{FileId, SourceMap};
use crate::Outcome;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Tally {
    passed: usize,
    failed: Vec<String>,
}

pub fn run(args: &PolicyTestArgs) -> Result<Outcome, Fatal> {
    let mut sources = SourceMap::new();
    // The configuration of the directory tested, found as `check` finds it.
    let dirs: Vec<PathBuf> = args.dir.iter().cloned().collect();
    let (config, root) = super::check::load_config(args.config.as_deref(), &dirs, &mut sources)?;
    let config_file = config.origin.as_ref().map(|(_, p)| p.clone());
    let fresh = || -> Result<Config, Fatal> {
        match &config_file {
            Some(p) => crate::config::load(p, &mut SourceMap::new()),
            None => Ok(Config::default()),
        }
    };
    let files = policy_files(args.dir.as_deref(), &root, &config)?;
    let mut tally = Tally {
        passed: 0,
        failed: Vec::new(),
    };
    for (name, text) in crate::policy::builtin::POLICIES {
        run_file(name, text, false, &fresh, &mut tally)?;
    }
    for c in &files {
        let text = std::fs::read_to_string(&c.path)
            .map_err(|e| Fatal::msg(format!("cannot read `{}`: {e}", c.display)))?;
        run_file(&c.display, &text, true, &fresh, &mut tally)?;
    }
    println!();
    if !tally.failed.is_empty() {
        println!("failures:");
        for f in &tally.failed {
            println!("    {f}");
        }
        println!();
    }
    let status = if tally.failed.is_empty() {
        "ok"
    } else {
        "FAILED"
    };
    println!(
        "test result: {status}. {} passed; {} failed; {} policy files",
        tally.passed,
        tally.failed.len(),
        files.len() + crate::policy::builtin::POLICIES.len()
    );
    Ok(if tally.failed.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Violations
    })
}

/// The repository's policy files: those under `dir`, or the `[policies] extra` files and
/// every `kind = "policy"` document discovery finds.
pub fn policy_files(
    dir: Option<&Path>,
    root: &Path,
    config: &Config,
) -> Result<Vec<Candidate>, Fatal> {
    let mut candidates = match dir {
        Some(d) => {
            let mut out = Vec::new();
            for entry in walkdir::WalkDir::new(d).sort_by_file_name() {
                let entry =
                    entry.map_err(|e| Fatal::msg(format!("cannot read `{}`: {e}", d.display())))?;
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|x| x == "toml")
                {
                    out.push(Candidate {
                        display: discover::display_path(entry.path(), root),
                        path: entry.path().to_path_buf(),
                    });
                }
            }
            if !d.exists() {
                return Err(Fatal::msg(format!("`{}` does not exist", d.display())));
            }
            out
        }
        None => {
            let (mut c, _) = discover::discover(&[root.to_path_buf()], root, config)?;
            c.extend(pipeline::extra_policies(root, config)?);
            c
        }
    };
    candidates.sort();
    candidates.dedup_by(|a, b| a.display == b.display);
    candidates.retain(|c| is_policy(&c.path));
    Ok(candidates)
}

fn is_policy(path: &PathBuf) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.get("kind").and_then(|k| k.as_str()) == Some("policy"))
}

fn run_file(
    name: &str,
    text: &str,
    include_self: bool,
    fresh: &dyn Fn() -> Result<Config, Fatal>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let parsed = document::parse(FileId(0), text);
    let Some(Document::Policy(policy)) = parsed.document.filter(|_| parsed.diagnostics.is_empty())
    else {
        let label = format!("{name} loads");
        println!("test {label} ... FAILED");
        let codes: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        tally.failed.push(format!("{label}: {}", codes.join("; ")));
        return Ok(());
    };
    let own: Vec<(String, String)> = if include_self {
        vec![(name.to_string(), text.to_string())]
    } else {
        Vec::new()
    };
    run_policy(&policy, &own, fresh, tally)
}

fn run_policy(
    policy: &PolicyDoc,
    own: &[(String, String)],
    fresh: &dyn Fn() -> Result<Config, Fatal>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    for rule in &policy.rules {
        let m = &rule.meta;
        for (fails, examples) in [(true, &m.example_fail), (false, &m.example_pass)] {
            if examples.is_empty() {
                continue;
            }
            let label = format!(
                "{} {} {}",
                m.code,
                m.name,
                if fails {
                    "example-fail"
                } else {
                    "example-pass"
                }
            );
            let overrides = Overrides {
                select: vec![m.code.clone()],
                ..Overrides::default()
            };
            let run = pipeline::check_texts(&docs(own, examples), fresh()?, &overrides);
            let hits = run.diagnostics.iter().filter(|d| d.code == m.code).count();
            let problem = match (fails, hits) {
                (true, 0) => Some(format!("expected `{}`, nothing was reported", m.code)),
                (false, n) if n > 0 => Some(format!(
                    "expected nothing, `{}` was reported {n} time(s)",
                    m.code
                )),
                _ => None,
            };
            record(tally, &label, problem);
        }
    }
    for t in &policy.tests {
        let label = format!(
            "{} test {}",
            policy.name.as_deref().unwrap_or("policy"),
            t.name
        );
        let run = pipeline::check_texts(&docs(own, &t.documents), fresh()?, &Overrides::default());
        let got: BTreeSet<&str> = run
            .diagnostics
            .iter()
            .filter(|d| d.is_active())
            .map(|d| d.code.as_str())
            .collect();
        let want: BTreeSet<&str> = t.expect.iter().map(String::as_str).collect();
        let problem = (got != want).then(|| {
            format!(
                "expected [{}], got [{}]",
                want.into_iter().collect::<Vec<_>>().join(", "),
                got.into_iter().collect::<Vec<_>>().join(", ")
            )
        });
        record(tally, &label, problem);
    }
    Ok(())
}

fn docs(own: &[(String, String)], documents: &[String]) -> Vec<(String, String)> {
    let mut out = own.to_vec();
    out.extend(
        documents
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("test/{i}.toml"), t.clone())),
    );
    out
}

fn record(tally: &mut Tally, label: &str, problem: Option<String>) {
    match problem {
        None => {
            println!("test {label} ... ok");
            tally.passed += 1;
        }
        Some(p) => {
            println!("test {label} ... FAILED");
            tally.failed.push(format!("{label}: {p}"));
        }
    }
}
