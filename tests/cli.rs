//! End to end: the real binary, its exit codes, formats and documentation commands.
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn rolelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rolelint").expect("binary builds");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

#[test]
fn clean_repository_exits_zero_with_summary() {
    rolelint(&fixture("cli/clean"))
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings in 1 file"));
}

#[test]
fn examples_exit_one_with_findings_and_summary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = rolelint(root)
        .args(["check", "examples/"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    for expected in [
        "AL103",
        "AL102",
        "AL110",
        "maximum for `Team > Team > Backlog` defined here",
        "errors,",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn concise_format_is_one_line_per_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = rolelint(root)
        .args(["check", "--format", "concise", "examples/roles"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(!text.is_empty());
    for line in text.lines() {
        let parts: Vec<&str> = line.splitn(4, ':').collect();
        assert_eq!(parts.len(), 4, "not path:line:col: message: {line}");
        assert!(
            parts[1].parse::<usize>().is_ok() && parts[2].parse::<usize>().is_ok(),
            "{line}"
        );
        assert!(
            parts[3].contains("error[") || parts[3].contains("warning["),
            "{line}"
        );
    }
}

#[test]
fn malformed_document_is_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("role.toml"),
        "kind = \"align-role\"\nname = \"Broken\n",
    )
    .expect("write");
    rolelint(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("RL001").and(predicate::str::contains("invalid TOML")))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn missing_path_exits_two_with_one_sentence() {
    let dir = tempfile::tempdir().expect("tempdir");
    rolelint(dir.path())
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: `no/such/dir` does not exist",
        ));
}

#[test]
fn configuration_error_exits_two_pointing_at_the_key() {
    rolelint(&fixture("cli/bad-config"))
        .arg("check")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown key `includes`")
                .and(predicate::str::contains("did you mean `include`?")),
        );
}

#[test]
fn explain_prints_rule_documentation_by_code_and_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for id in ["AL101", "over-integrated-maximum", "al101"] {
        rolelint(root)
            .args(["explain", id])
            .assert()
            .code(0)
            .stdout(
                predicate::str::contains("AL101 over-integrated-maximum")
                    .and(predicate::str::contains("Example that fails"))
                    .and(predicate::str::contains("Example that passes"))
                    .and(predicate::str::contains("Source:")),
            );
    }
}

#[test]
fn explain_unknown_rule_suggests_and_exits_two() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    rolelint(root)
        .args(["explain", "overall-toggle-trapp"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `overall-toggle-trap`?",
        ));
}

#[test]
fn rules_lists_every_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = rolelint(root)
        .arg("rules")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    for code in [
        "AL101", "AL102", "AL103", "AL110", "AL111", "AL120", "RL001", "RL010",
    ] {
        assert!(text.contains(code), "{code} missing from `rolelint rules`");
    }
}

#[test]
fn severity_override_and_deny_warnings_change_the_exit_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        root.join("tests/fixtures/rules/AL110-deprecated-toggle/fail-story-maps/role.toml"),
        dir.path().join("role.toml"),
    )
    .expect("copy");
    rolelint(dir.path()).arg("check").assert().code(0);
    rolelint(dir.path())
        .args(["check", "--deny-warnings"])
        .assert()
        .code(1);
    rolelint(dir.path())
        .args(["check", "--severity", "AL110=error"])
        .assert()
        .code(1);
    rolelint(dir.path())
        .args(["check", "--severity", "AL110=loud"])
        .assert()
        .code(2);
}

/// A roles-only run parses only the built-ins role checks need; naming rules on the command
/// line loads every policy. Both must find exactly the same.
#[test]
fn roles_only_fast_path_finds_what_the_full_path_finds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("examples/roles");
        let out = rolelint(root)
            .args(&args)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json output");
        v["diagnostics"].clone()
    };
    let fast = json(&[]);
    assert!(fast.as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(fast, json(&["--select", "AL,RL"]));
}
