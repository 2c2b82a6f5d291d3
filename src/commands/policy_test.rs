//! `rolelint policy test`: run the test cases policy files carry.
//!
//! For every rule: each `example-fail` must report the rule's code and each
//! `example-pass` must not (the rule alone is selected, as in `tests/registry.rs`).
//! For every `[[test]]` entry: exactly the `expect` codes must be reported, with every
//! rule on. Built-in policies run first, then the repository's policy files (each run
//! together with the policy file itself, so its own rules are loaded).
use crate::cli::PolicyTestArgs;
use crate::config::Config;
use crate::config::Overrides;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::discover::{self, Candidate};
use crate::error::Fatal;
use crate::evaluate::policy::{PolicyDoc, Rule};
use crate::fsio::boundary::{Root, Walked};
use crate::fsio::read::ReadError;
use crate::pipeline;
use crate::Outcome;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

struct Tally {
    passed: usize,
    failed: Vec<String>,
}

pub fn run(args: &PolicyTestArgs) -> Result<Outcome, Fatal> {
    let mut sources = SourceMap::new();
    // The configuration of the directory tested, found as `check` finds it.
    let dirs: Vec<PathBuf> = args.dir.iter().cloned().collect();
    let (config, root) = super::check::load_config(args.config.as_deref(), &dirs, &mut sources)?;
    // What every example runs under: read once, copied into each run (a run consumes it).
    let tested = match config.origin.as_ref() {
        Some((_, p)) => crate::config::load(p, &mut SourceMap::new())?,
        None => Config::default(),
    };
    let fresh = || tested.clone();
    let files = policy_files(args.dir.as_deref(), &root, &config)?;
    let mut tally = Tally {
        passed: 0,
        failed: Vec::new(),
    };
    for (name, text) in crate::evaluate::policy::builtin::POLICIES {
        run_file(name, text, false, &fresh, &mut tally)?;
    }
    for (c, text) in &files {
        run_file(&c.display, text, true, &fresh, &mut tally)?;
    }
    outln!();
    if !tally.failed.is_empty() {
        outln!("failures:");
        for f in &tally.failed {
            outln!("    {}", crate::report::shown::text(f));
        }
        outln!();
    }
    let status = if tally.failed.is_empty() {
        "ok"
    } else {
        "FAILED"
    };
    outln!(
        "test result: {status}. {} passed; {} failed; {} policy files",
        tally.passed,
        tally.failed.len(),
        files.len() + crate::evaluate::policy::builtin::POLICIES.len()
    );
    Ok(if tally.failed.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Violations
    })
}

/// The repository's policy files with their text: those under `dir`, or the
/// `[policies] extra` files and every `kind = "policy"` document discovery finds. Files the
/// repository boundary refuses are named on stderr and not tested (`check` reports them).
pub fn policy_files(
    dir: Option<&Path>,
    root: &Path,
    config: &Config,
) -> Result<Vec<(Candidate, String)>, Fatal> {
    let mut candidates = match dir {
        Some(d) => under(d, root)?,
        None => {
            let (mut c, _) = discover::discover(&[root.to_path_buf()], root, config)?;
            c.extend(pipeline::extra_policies(root, config)?.0);
            c
        }
    };
    candidates.sort();
    candidates.dedup_by(|a, b| a.display == b.display);
    let mut out = Vec::new();
    for c in candidates {
        let shown = crate::inert::escape(&c.display).into_owned();
        match c.read(config.limits.document()) {
            Ok(bytes) => {
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                if is_policy(&text) {
                    out.push((c, text));
                }
            }
            Err(e @ ReadError::Refused(_)) => errln!("warning: `{shown}` {e} (not tested)"),
            Err(e) => return Err(Fatal::msg(format!("`{shown}` {e}"))),
        }
    }
    Ok(out)
}

/// The `*.toml` files under a directory named with `--dir` (the user's choice: its own
/// tree is the boundary).
fn under(d: &Path, root: &Path) -> Result<Vec<Candidate>, Fatal> {
    let shown = |p: &Path| crate::inert::bounded(&crate::fsio::name::display(p), 200).into_owned();
    let canonical = std::fs::canonicalize(d)
        .map_err(|e| Fatal::msg(format!("`{}` {}", shown(d), ReadError::from(e))))?;
    let boundary = Root::new(root)
        .map_err(|e| Fatal::msg(format!("`{}` {}", shown(root), ReadError::from(e))))?
        .for_input(d, &canonical);
    let is_toml = |p: &Path| p.extension().is_some_and(|x| x == "toml");
    let mut out = Vec::new();
    boundary
        .walk(
            d,
            usize::MAX,
            |_| true,
            |w| match w {
                Walked::File { path, target } if is_toml(&path) => out.push(Candidate::file(
                    discover::display_named(&path, root),
                    target.unwrap_or(path),
                )),
                Walked::Refused { path, why, dir } if dir || is_toml(&path) => {
                    out.push(Candidate {
                        display: discover::display_named(&path, root),
                        path,
                        refused: Some(why),
                    })
                }
                _ => {}
            },
        )
        .map_err(|(at, e)| Fatal::msg(format!("`{}` {}", shown(&at), ReadError::from(e))))?;
    Ok(out)
}

fn is_policy(text: &str) -> bool {
    text.parse::<toml::Table>()
        .ok()
        .is_some_and(|t| t.get("kind").and_then(|k| k.as_str()) == Some("policy"))
}

fn run_file(
    name: &str,
    text: &str,
    include_self: bool,
    fresh: Fresh<'_>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    let mut problems = Vec::new();
    let policy = crate::evaluate::policy::parse(FileId(0), text, &mut problems);
    let Some(policy) = policy.filter(|_| problems.is_empty()) else {
        let label = format!("{name} loads");
        outln!("test {} ... FAILED", crate::report::shown::text(&label));
        let codes: Vec<String> = problems
            .iter()
            .map(|d| format!("{} {}", d.code(), d.message))
            .collect();
        tally.failed.push(format!("{label}: {}", codes.join("; ")));
        return Ok(());
    };
    let own: Vec<(String, String)> = if include_self {
        vec![(name.to_string(), text.to_string())]
    } else {
        Vec::new()
    };
    let cut = include_self
        .then(|| OneRule::new(text, policy.rules.len()))
        .flatten();
    run_policy(&policy, &own, cut.as_ref(), fresh, tally)
}

/// The configuration examples run under, copied for each run (a run consumes it).
type Fresh<'a> = &'a (dyn Fn() -> Config + Sync);

fn run_policy(
    policy: &PolicyDoc,
    own: &[(String, String)],
    cut: Option<&OneRule>,
    fresh: Fresh<'_>,
    tally: &mut Tally,
) -> Result<(), Fatal> {
    // Every example is its own small check: run them on every core, report in order.
    let results: Vec<Result<Vec<Checked>, Fatal>> = policy
        .rules
        .par_iter()
        .enumerate()
        .map(|(index, rule)| {
            // The policy file cut down to this rule, when it can be: see [`OneRule`].
            let own = match (cut, own.first()) {
                (Some(cut), Some((name, _))) => vec![(name.clone(), cut.text(index))],
                _ => own.to_vec(),
            };
            rule_examples(rule, &own, fresh)
        })
        .collect();
    for result in results {
        for (label, problem) in result? {
            record(tally, &label, problem);
        }
    }
    for t in &policy.tests {
        let label = format!(
            "{} test {}",
            policy.name.as_deref().unwrap_or("policy"),
            t.name
        );
        let run = pipeline::check_texts(&docs(own, &t.documents), fresh(), &Overrides::default());
        let got: BTreeSet<&str> = run
            .diagnostics
            .iter()
            .filter(|d| d.is_active())
            .map(|d| d.code().as_str())
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

/// A test's label and its problem, if it failed.
type Checked = (String, Option<String>);

/// The outcomes of a rule's `example-fail` and `example-pass`.
fn rule_examples(
    rule: &Rule,
    own: &[(String, String)],
    fresh: Fresh<'_>,
) -> Result<Vec<Checked>, Fatal> {
    let m = &rule.meta;
    let mut out = Vec::new();
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
        let run = pipeline::check_texts(&docs(own, examples), fresh(), &overrides);
        let hits = run
            .diagnostics
            .iter()
            .filter(|d| *d.code() == m.code)
            .count();
        let problem = match (fails, hits) {
            (true, 0) => Some(format!("expected `{}`, nothing was reported", m.code)),
            (false, n) if n > 0 => Some(format!(
                "expected nothing, `{}` was reported {n} time(s)",
                m.code
            )),
            _ => None,
        };
        out.push((label, problem));
    }
    Ok(out)
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

/// Labels and problems quote policy files: printed inert ([`crate::report::shown::text`]).
fn record(tally: &mut Tally, label: &str, problem: Option<String>) {
    match problem {
        None => {
            outln!("test {} ... ok", crate::report::shown::text(label));
            tally.passed += 1;
        }
        Some(p) => {
            outln!("test {} ... FAILED", crate::report::shown::text(label));
            tally.failed.push(format!("{label}: {p}"));
        }
    }
}

/// A policy file cut down to one rule at a time, for that rule's examples.
///
/// An example selects its rule alone, so the file's other rules can change nothing but
/// the time: run with the whole file, a policy of 3,000 rules would be parsed and
/// compiled 6,000 times. Kept: everything outside `[[rule]]` and `[[test]]` (name,
/// capabilities), the rule, and the ceiling its `allow-from` names.
struct OneRule {
    /// The file without `rule` and `test`.
    base: DocumentMut,
    rules: Vec<Table>,
    /// The first ceiling with an `allow` tree of each code and name (`allow-from` targets).
    trees: HashMap<String, usize>,
}

impl OneRule {
    /// `None` when the file does not read as `rules` rule tables (then the whole file runs).
    fn new(text: &str, rules: usize) -> Option<Self> {
        let mut base: DocumentMut = text.parse().ok()?;
        base.remove("test");
        let tables: Vec<Table> = match base.remove("rule") {
            Some(Item::ArrayOfTables(a)) => a.into_iter().collect(),
            _ => return None,
        };
        if tables.len() != rules {
            return None;
        }
        let mut trees = HashMap::new();
        for (i, t) in tables.iter().enumerate() {
            if t.contains_key("allow") {
                for id in ["code", "name"].iter().filter_map(|k| t.get(k)?.as_str()) {
                    trees.entry(id.to_string()).or_insert(i);
                }
            }
        }
        Some(Self {
            base,
            rules: tables,
            trees,
        })
    }

    /// The file with rule `index` (and its `allow-from` ceiling) as its only rules.
    fn text(&self, index: usize) -> String {
        let from = self.rules[index]
            .get("allow-from")
            .and_then(Item::as_str)
            .and_then(|id| self.trees.get(id))
            .copied();
        let mut keep: Vec<usize> = from.into_iter().chain([index]).collect();
        keep.sort_unstable();
        keep.dedup();
        let mut rules = ArrayOfTables::new();
        for i in keep {
            rules.push(self.rules[i].clone());
        }
        let mut doc = self.base.clone();
        doc.insert("rule", Item::ArrayOfTables(rules));
        doc.to_string()
    }
}
