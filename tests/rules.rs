//! Rule fixtures: `tests/fixtures/rules/<CODE>-<name>/<fail|pass>-<case>/` is a small
//! repository (its `rolelint.toml` is the marker). Each case runs with only its rule
//! selected; `fail-*` must report that code, `pass-*` nothing. Human and JSON outputs are
//! snapshotted under `snapshots/rules/`. A second test runs every rule over every case.
use rolelint::config;
use rolelint::config::Overrides;
use rolelint::diagnostics::source::SourceMap;
use rolelint::pipeline::{self, Run};
use rolelint::report::{human::Human, json::Json, Emitter, Report};
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let pattern = format!("{}/*/*/rolelint.toml", root.display());
    let mut cases: Vec<PathBuf> = glob::glob(&pattern)
        .expect("valid pattern")
        .filter_map(Result::ok)
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no rule fixtures found");
    cases
}

/// `(rule dir name, case name)` of a case directory.
fn names(case: &Path) -> (String, String) {
    let name = |p: Option<&Path>| {
        p.and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    (name(case.parent()), name(Some(case)))
}

fn run_case(case: &Path, select: Vec<String>) -> Run {
    let mut sources = SourceMap::new();
    let config = config::load(&case.join("rolelint.toml"), &mut sources)
        .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    let overrides = Overrides {
        select,
        ..Overrides::default()
    };
    pipeline::check_paths(&[case.to_path_buf()], case, config, &overrides, sources)
        .unwrap_or_else(|e| panic!("{}: {e}", case.display()))
}

pub fn render(run: &Run, emitter: &dyn Emitter) -> String {
    let report = Report::from_run(run);
    let mut out = Vec::new();
    emitter.emit(&report, &mut out).expect("write to memory");
    String::from_utf8(out).expect("utf-8 output")
}

/// What a case's name promises about its own rule's findings, as problems to report.
fn expectation_problems(case: &Path, run: &Run) -> Vec<String> {
    let (rule_dir, case_name) = names(case);
    let code = rule_code(&rule_dir);
    let hits = run.diagnostics.iter().filter(|d| *d.code() == code).count();
    let others: Vec<&str> = run
        .diagnostics
        .iter()
        .filter(|d| *d.code() != code)
        .map(|d| d.code().as_str())
        .collect();
    let mut problems = Vec::new();
    if case_name.starts_with("fail-") && hits == 0 {
        problems.push(format!(
            "{rule_dir}/{case_name}: expected {code}, got nothing"
        ));
    }
    if case_name.starts_with("pass-") && hits > 0 {
        problems.push(format!(
            "{rule_dir}/{case_name}: expected no {code}, got {hits}"
        ));
    }
    if !others.is_empty() && !code.starts_with("RL") {
        problems.push(format!(
            "{rule_dir}/{case_name}: unexpected findings {others:?}"
        ));
    }
    problems
}

fn rule_code(rule_dir: &str) -> String {
    rule_dir.split('-').next().unwrap_or_default().to_string()
}

/// Each case is one `glob!` input, so every mismatching snapshot is reported, not only the
/// first. The snapshot names stay `<rule dir>__<case>@<human|json>`: the name is given
/// explicitly and the suffix `glob!` would derive from the input path is replaced by the format.
#[test]
fn each_rule_fails_and_passes_its_fixtures() {
    let mut problems = Vec::new();
    let snapshots = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        insta::with_settings!({ snapshot_path => "../snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::glob!("fixtures/rules/*/*/rolelint.toml", |marker| {
                let case = marker.parent().expect("a case directory holds the marker");
                let (rule_dir, case_name) = names(case);
                let run = run_case(case, vec![rule_code(&rule_dir)]);
                problems.extend(expectation_problems(case, &run));
                for (format, text) in [
                    ("human", render(&run, &Human::plain())),
                    ("json", render(&run, &Json)),
                ] {
                    let mut settings = insta::Settings::clone_current();
                    settings.remove_input_file();
                    settings.set_snapshot_suffix(format);
                    settings.bind(|| {
                        insta::assert_snapshot!(format!("{rule_dir}__{case_name}"), text);
                    });
                }
            });
        });
    }));
    assert!(
        problems.is_empty(),
        "fixture expectations failed:\n{}",
        problems.join("\n")
    );
    if let Err(panic) = snapshots {
        std::panic::resume_unwind(panic);
    }
}

/// Every rule folder has at least one `fail-` and one `pass-` case, and no case of another name
/// (a case named otherwise would be snapshotted but promise nothing).
#[test]
fn every_rule_has_failing_and_passing_cases() {
    let mut by_rule: std::collections::BTreeMap<String, (usize, usize, Vec<String>)> =
        Default::default();
    for case in cases() {
        let (rule_dir, case_name) = names(&case);
        let entry = by_rule.entry(rule_dir).or_default();
        if case_name.starts_with("fail-") {
            entry.0 += 1;
        } else if case_name.starts_with("pass-") {
            entry.1 += 1;
        } else {
            entry.2.push(case_name);
        }
    }
    let problems: Vec<String> = by_rule
        .iter()
        .filter(|(_, (fail, pass, other))| *fail == 0 || *pass == 0 || !other.is_empty())
        .map(|(rule, (fail, pass, other))| {
            format!("{rule}: {fail} fail-, {pass} pass-, misnamed {other:?}")
        })
        .collect();
    assert!(
        problems.is_empty(),
        "rule fixtures:\n{}",
        problems.join("\n")
    );
}

/// Every rule over every fixture: false positives of one rule on another's fixture show up here.
#[test]
fn all_rules_over_all_fixtures() {
    let mut out = String::new();
    for case in cases() {
        let (rule_dir, case_name) = names(&case);
        let run = run_case(&case, Vec::new());
        // Suppressed findings are shown in parentheses.
        let mut codes: Vec<String> = run
            .diagnostics
            .iter()
            .map(|d| {
                if d.is_active() {
                    d.code().to_string()
                } else {
                    format!("({})", d.code())
                }
            })
            .collect();
        codes.dedup();
        out.push_str(&format!(
            "{rule_dir}/{case_name}: {}\n",
            if codes.is_empty() {
                "-".to_string()
            } else {
                codes.join(" ")
            }
        ));
    }
    insta::with_settings!({ snapshot_path => "../snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("all_rules_over_all_fixtures", out);
    });
}
