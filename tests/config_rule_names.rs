//! What `[severity]` and `[policies] disable` accept besides rule codes and names: a rule type
//! under `[severity]` (every rule of that type, as SPEC §4's example writes it), and no
//! document check under `disable` (exit 2 with one clear sentence, not silently nothing).
mod common;

use std::path::Path;

/// A copy of the bundled examples with `extra` appended to their `rolelint.toml`.
fn examples_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    common::copy_tree(&root, dir.path());
    let config = dir.path().join("rolelint.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{text}\n{extra}")).expect("write config");
    dir
}

fn check(dir: &Path, args: &[&str]) -> common::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rolelint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .expect("run rolelint")
        .into()
}

/// The severities of the AL210 (`uniform-on-board`) findings.
fn al210(out: &common::Output) -> Vec<&str> {
    out.stdout
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(_, rest)| rest))
        .filter_map(|l| l.split_once("[AL210]"))
        .map(|(level, _)| level)
        .collect()
}

#[test]
fn severity_names_a_rule_type_for_every_rule_of_that_type() {
    let dir = examples_with("[severity]\n\"uniform-on-board\" = \"error\"\n");
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(al210(&out), ["error", "error"], "{}", out.stdout);

    // An entry naming the rule wins over its type's, and the command line over the file.
    let dir = examples_with("[severity]\n\"uniform-on-board\" = \"error\"\nAL210 = \"info\"\n");
    assert_eq!(al210(&check(dir.path(), &[])), ["info", "info"]);
    let out = check(dir.path(), &["--severity", "uniform-on-board=off"]);
    assert!(
        al210(&out).is_empty(),
        "the command line wins: {}",
        out.stdout
    );
    let out = check(
        dir.path(),
        &[
            "--severity",
            "AL210=warning",
            "--severity",
            "uniform-on-board=off",
        ],
    );
    assert_eq!(
        al210(&out),
        ["warning", "warning"],
        "the rule's own entry wins"
    );
    let out = check(
        dir.path(),
        &["--severity", "manage-sprints-not-uniform=warning"],
    );
    assert_eq!(al210(&out), ["warning", "warning"]);
    let dir = examples_with("");
    let out = check(dir.path(), &["--severity", "uniform-on-board=off"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(al210(&out).is_empty(), "{}", out.stdout);
}

#[test]
fn document_check_is_not_a_rule_type_of_severity() {
    let dir = examples_with("[severity]\n\"document check\" = \"off\"\n");
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("unknown rule `document check` in `[severity]`"),
        "{}",
        out.stderr
    );
}

#[test]
fn disable_refuses_a_document_check_with_one_sentence() {
    let dir = examples_with("[policies]\ndisable = [\"AL110\", \"RL027\"]\n");
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("`RL027` is a document check, which `[policies] disable` cannot switch off"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("set `\"RL027\" = \"off\"` under `[severity]`, or leave it out of a run with `--ignore RL027`"),
        "{}",
        out.stderr
    );
    // By name too; and what the help says works.
    let dir = examples_with("[policies]\ndisable = [\"complex-board-filter\"]\n");
    assert_eq!(check(dir.path(), &[]).code, 2);
    let dir = examples_with("[severity]\nRL027 = \"off\"\n");
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stdout.contains("[RL027]"), "{}", out.stdout);
    let out = check(examples_with("").path(), &["--ignore", "RL027"]);
    assert!(!out.stdout.contains("[RL027]"), "{}", out.stdout);
}

/// SPEC §4's configuration example, as written there, is a valid configuration.
#[test]
fn the_spec_configuration_example_is_accepted() {
    let dir = common::tree(&[(
        "rolelint.toml",
        "[paths]\ninclude = [\"access/**/*.toml\"]\nexclude = [\"access/archive/**\"]\n\n[policies]\nextra = [\"policies/*.toml\"]\ndisable = [\"AL205\"]\n\n[severity]\n\"uniform-on-board\" = \"error\"\n\n[license]\npeople = \"exports/people.csv\"\nfull-seats = 120\nintegrated-per-full = 4\nexclude-domains = [\"atlassian.com\"]\nservice-accounts = [\"svc-jira-connector@example.com\"]\n",
    ), (
        "access/roles/a.toml",
        "kind = \"align-role\"\nname = \"A\"\nlicense = \"full\"\n",
    )]);
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}
