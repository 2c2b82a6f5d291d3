//! End to end: suppressions, exceptions, baselines, `--show-config` and configuration errors,
//! through the real binary.
mod common;
use assert_cmd::Command;
use common::tree;
use predicates::prelude::*;
use std::path::Path;

/// An integrated role over the maximum: AL101 (error) on `Epics` (`Stories = "all"` is allowed).
const OVER: &str = "kind = \"align-role\"\nname = \"Team Member\"\nlicense = \"integrated\"\n\n[toggles.Team.Manage]\nStories = \"all\"\n\n[toggles.Portfolio.Manage]\nEpics = []\n";

fn rolelint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolelint").expect("binary");
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ROLELINT_TODAY", "2030-06-15")
        .arg("check");
    c
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = rolelint(dir)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let v = serde_json::from_slice(&out.stdout).expect("json output");
    (out.status.code().unwrap_or(-1), v)
}

fn codes(v: &serde_json::Value, active: bool) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["suppressed"].is_null() == active)
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn with_comment(comment: &str) -> String {
    OVER.replace("Epics = []", &format!("{comment}\nEpics = []"))
        .replace("Stories = \"all\"", "Stories = []")
}

#[test]
fn inline_suppression_hides_the_finding_but_keeps_it_in_json() {
    let role = with_comment("# rolelint: allow(AL101) reason=\"pilot until Q3\"");
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", &role)]);
    rolelint(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 errors, 0 warnings in 1 file (1 suppressed)",
        ))
        .stdout(predicate::str::contains("AL101").not());
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(codes(&v, false), ["AL101"]);
    let d = &v["diagnostics"][0]["suppressed"];
    assert_eq!(d["kind"], "inline");
    assert_eq!(d["reason"], "pilot until Q3");
}

#[test]
fn exception_in_config_suppresses_by_path_glob() {
    let config = "[[exception]]\ncode = \"over-integrated-maximum\"\npath = \"roles/*.toml\"\nreason = \"legacy roles\"\n";
    let dir = tree(&[("rolelint.toml", config), ("roles/a.toml", OVER)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert!(codes(&v, true).is_empty(), "{v}");
    assert_eq!(v["diagnostics"][0]["suppressed"]["kind"], "exception");
}

#[test]
fn expired_suppression_stops_suppressing_and_is_reported() {
    let role = with_comment("# rolelint: allow(AL101) reason=\"pilot\" expires=\"2030-06-14\"");
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", &role)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, true), ["RL091", "AL101"]);
    // The expiry day itself is still covered.
    let out = rolelint(dir.path())
        .env("ROLELINT_TODAY", "2030-06-14")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unused_suppression_is_a_warning() {
    let role = "kind = \"align-role\"\nname = \"P\"\nlicense = \"full\"\n[toggles.Program.Manage]\nFeatures = [] # rolelint: allow(AL110) reason=\"old\"\n";
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", role)]);
    rolelint(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "suppression of `AL110` matches no finding",
        ));
    rolelint(dir.path()).arg("--deny-warnings").assert().code(1);
    // Whether a suppression is used does not depend on `--select`.
    let (_, v) = json(dir.path(), &["--select", "RL092"]);
    assert_eq!(codes(&v, true), ["RL092"]);
}

#[test]
fn unsuppressible_rule_stays_active() {
    let role = "kind = \"align-role\"\nname = \"P\"\nlicence = \"full\" # rolelint: allow(unknown-key) reason=\"x\"\n";
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", role)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, true), ["RL002", "RL094"]);
}

#[test]
fn baseline_survives_moves_and_reindenting_and_only_new_findings_fail() {
    let dir = tree(&[("rolelint.toml", ""), ("roles/a.toml", OVER)]);
    rolelint(dir.path()).assert().code(1);
    rolelint(dir.path())
        .args(["--write-baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "wrote 1 findings to baseline `baseline.json`",
        ));
    let written: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline written"),
    )
    .expect("baseline is json");
    assert_eq!(written["version"], 1);
    assert_eq!(written["findings"].as_array().map(Vec::len), Some(1));
    assert_eq!(written["findings"][0]["path"], "roles/a.toml");
    rolelint(dir.path())
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0);

    // Reorder the tables, reindent, add comments and blank lines: still baselined.
    let moved = "# moved around\nkind = \"align-role\"\nname = \"Team Member\"\nlicense = \"integrated\"\n\n\n[toggles.Portfolio.Manage]\n    Epics = []\n\n[toggles.Team.Manage]\n      Stories   =   \"all\"\n";
    std::fs::write(dir.path().join("roles/a.toml"), moved).expect("rewrite");
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["suppressed"], 1);

    // A new violation fails, alone.
    let new = moved.replace("    Epics = []", "    Epics = []\n    Themes = []");
    std::fs::write(dir.path().join("roles/a.toml"), new).expect("rewrite");
    let (code, v) = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v, true), ["AL101"]);
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["suppressed"].is_null()
                && d["message"].as_str().unwrap_or_default().contains("Themes")),
        "{v}"
    );

    // Fixing a baselined finding leaves a stale entry: a note, not a failure.
    std::fs::write(
        dir.path().join("roles/a.toml"),
        OVER.replace("\n[toggles.Portfolio.Manage]\nEpics = []\n", ""),
    )
    .expect("rewrite");
    rolelint(dir.path())
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "1 baseline entry in `baseline.json` no longer matches any finding",
        ));
}

#[test]
fn missing_or_corrupt_baseline_is_fatal() {
    let dir = tree(&[
        ("rolelint.toml", ""),
        ("bad.json", "{\"version\": 1, \"finding\": []}"),
    ]);
    rolelint(dir.path())
        .args(["--baseline", "nope.json"])
        .assert()
        .code(2)
        .stderr("error: baseline `nope.json` does not exist\n");
    rolelint(dir.path())
        .args(["--baseline", "bad.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: baseline `bad.json` is not a rolelint baseline",
        ));
}

#[test]
fn show_config_prints_values_and_origins_without_checking() {
    let config = "[paths]\ninclude = [\"access/**/*.toml\"]\n\n[severity]\nAL110 = \"error\"\n";
    let dir = tree(&[
        ("rolelint.toml", config),
        ("access/broken.toml", "not toml"),
    ]);
    rolelint(dir.path())
        .args(["--show-config", "--select", "AL"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "# configuration file: rolelint.toml",
        ))
        .stdout(
            predicate::str::is_match(
                r#"paths\.include = \["access/\*\*/\*\.toml"\] +# rolelint\.toml:2\n"#,
            )
            .expect("regex"),
        )
        .stdout(
            predicate::str::is_match(r#"severity\.AL110 = "error" +# rolelint\.toml:5\n"#)
                .expect("regex"),
        )
        .stdout(predicate::str::is_match(r#"paths\.exclude = \[\] +# default\n"#).expect("regex"))
        .stdout(
            predicate::str::is_match(r#"--select = \["AL"\] +# command line\n"#).expect("regex"),
        );
}

#[test]
fn unknown_rule_codes_in_config_are_fatal_with_did_you_mean() {
    for (config, want) in [
        (
            "[severity]\nAL1010 = \"warning\"\n",
            "unknown rule `AL1010` in `[severity]`",
        ),
        (
            "[policies]\ndisable = [\"deprecated-toggles\"]\n",
            "did you mean `deprecated-toggle`?",
        ),
        (
            "[[exception]]\ncode = \"AL11\"\npath = \"*.toml\"\nreason = \"x\"\n",
            "unknown rule `AL11` in `[[exception]] code`",
        ),
        (
            "[[exception]]\ncode = \"AL110\"\npath = \"*.toml\"\nexpires = \"soon\"\n",
            "invalid `expires` date",
        ),
    ] {
        let dir = tree(&[("rolelint.toml", config), ("role.toml", OVER)]);
        rolelint(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want))
            .stderr(predicate::str::contains("rolelint.toml:"));
    }
}

/// Rule codes are checked once the rule set is complete, before any document is evaluated:
/// the run's stage timings end at the rule set.
#[test]
fn unknown_rule_codes_end_the_run_before_evaluation() {
    let dir = tree(&[
        ("rolelint.toml", "[severity]\nAL1010 = \"warning\"\n"),
        ("role.toml", OVER),
    ]);
    rolelint(dir.path())
        .env("ROLELINT_TIMINGS", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule `AL1010` in `[severity]`",
        ))
        .stderr(predicate::str::contains("timing: rule set done"))
        .stderr(predicate::str::contains("timing: jira model done").not())
        .stderr(predicate::str::contains("timing: roles done").not())
        .stderr(predicate::str::contains("timing: evaluate done").not());
}

#[test]
fn unknown_rule_codes_on_the_command_line_are_fatal_with_did_you_mean() {
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", OVER)]);
    for (args, want) in [
        (
            vec!["--select", "AL1011"],
            "unknown rule `AL1011` in `--select`; did you mean `AL101`?",
        ),
        (
            vec!["--ignore", "over-integrated-maximun"],
            "did you mean `over-integrated-maximum`?",
        ),
        (
            vec!["--severity", "AL10=warning"],
            "unknown rule `AL10` in `--severity`",
        ),
    ] {
        rolelint(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want));
    }
    // Prefixes are fine for --select/--ignore.
    rolelint(dir.path())
        .args(["--select", "AL1"])
        .assert()
        .code(1);
    rolelint(dir.path())
        .env("ROLELINT_TODAY", "tomorrow")
        .assert()
        .code(2);
}

/// Active findings as `CODE@line`.
fn active_at(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .map(|d| format!("{}@{}", d["code"].as_str().unwrap_or_default(), d["line"]))
        .collect()
}

const HEAD: &str = "kind = \"align-role\"\nname = \"Team Member\"\nlicense = \"integrated\"\n\n[toggles.Portfolio.Manage]\n";

#[test]
fn trailing_suppression_covers_its_own_line_only() {
    let role = format!("{HEAD}Epics = [] # rolelint: allow(AL101) reason=\"pilot\"\nThemes = []\n");
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", &role)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(active_at(&v), ["AL101@7"], "{v}");
    assert_eq!(v["summary"]["suppressed"], 1, "{v}");
}

#[test]
fn expired_trailing_suppression_is_not_hidden_by_the_line_above() {
    let role = format!(
        "{HEAD}Epics = [] # rolelint: allow(AL101) reason=\"pilot\"\nThemes = [] # rolelint: allow(AL101) reason=\"old\" expires=\"2030-01-01\"\n"
    );
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", &role)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(active_at(&v), ["AL101@7", "RL091@7"], "{v}");
}

#[test]
fn own_line_suppression_skips_comment_lines_to_the_next_line() {
    let role = format!(
        "{HEAD}# rolelint: allow(AL101) reason=\"pilot\"\n# (ACCESS-123: the pilot team plans epics)\nEpics = []\n"
    );
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", &role)]);
    let (code, v) = json(dir.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert!(active_at(&v).is_empty(), "{v}");
}

/// The first `toml` block under `heading` in `page`, a page of the book (docs/src/).
fn book_block(page: &str, heading: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/src")
        .join(page);
    let text = std::fs::read_to_string(&path).expect("a page of the book");
    let section = &text[text.find(heading).expect("heading in the page")..];
    let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = section[start..].find("```").expect("closed block");
    section[start..start + end].to_string()
}

/// The book's inline example, copied verbatim into a role file, reports exactly what the
/// book says it does.
#[test]
fn book_inline_suppression_example_is_true() {
    let block = book_block("suppressions.md", "## Inline");
    let dir = tree(&[("rolelint.toml", ""), ("access/roles/pilot.toml", &block)]);
    // Before the example's `expires` date.
    let out = rolelint(dir.path())
        .env("ROLELINT_TODAY", "2027-01-15")
        .args(["--format", "json"])
        .output()
        .expect("run");
    let code = out.status.code().unwrap_or(-1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let features = 1 + block
        .lines()
        .position(|l| l.starts_with("Backlog"))
        .expect("a Backlog line");
    assert_eq!(active_at(&v), [format!("AL101@{features}")], "{v}");
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["summary"]["suppressed"], 4, "{v}");
}

/// The book's `rolelint.toml` example is a valid configuration, and its `[[exception]]`
/// suppresses what it says.
#[test]
fn book_configuration_example_is_valid_and_its_exception_applies() {
    let config = book_block("configuration.md", "## Keys");
    let dir = tree(&[
        ("rolelint.toml", &config),
        ("access/roles/pilot-a.toml", OVER),
    ]);
    let out = rolelint(dir.path())
        .env("ROLELINT_TODAY", "2027-01-15")
        .args(["--format", "json", "--deny-warnings"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert!(active_at(&v).is_empty(), "{v}");
    assert_eq!(
        v["diagnostics"][0]["suppressed"]["kind"], "exception",
        "{v}"
    );
}

/// A run with warnings only: exit 0, and 1 with `--deny-warnings`, which says why on stderr
/// while the report keeps the warning a warning.
#[test]
fn deny_warnings_fails_on_a_warning_that_stays_a_warning() {
    let role = "kind = \"align-role\"\nname = \"P\"\nlicense = \"full\"\n[toggles.Program.Manage]\nFeatures = [] # rolelint: allow(AL110) reason=\"old\"\n";
    let dir = tree(&[("rolelint.toml", ""), ("role.toml", role)]);
    rolelint(dir.path())
        .arg("--deny-warnings")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 errors, 1 warning in 1 file"))
        .stdout(predicate::str::contains("RL092"))
        .stderr(predicate::str::contains(
            "note: 1 warning fails this run (`--deny-warnings`)",
        ));
    let (code, v) = json(dir.path(), &["--deny-warnings"]);
    assert_eq!(code, 1);
    assert_eq!(v["diagnostics"][0]["severity"], "warning", "{v}");
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
}

/// Every error of `rolelint.toml` is reported, each with its snippet, not only the first:
/// type errors, unknown keys and invalid values in one pass, then every unknown rule code.
#[test]
fn every_configuration_error_is_reported() {
    let config = "[paths]\ninclude = \"x\"\nexclud = []\n\n[severity]\nAL101 = \"loud\"\n\n[jira]\nplatform = \"onprem\"\n\n[[exception]]\ncode = \"AL110\"\npath = \"*.toml\"\nexpires = \"soon\"\n";
    let dir = tree(&[("rolelint.toml", config), ("role.toml", OVER)]);
    let out = rolelint(dir.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (want, line) in [
        ("invalid value in `rolelint.toml`", "rolelint.toml:2:11"),
        (
            "unknown key `exclud` in `rolelint.toml`",
            "rolelint.toml:3:1",
        ),
        ("invalid severity for `AL101`", "rolelint.toml:6:9"),
        ("invalid value in `rolelint.toml`", "rolelint.toml:9:12"),
        ("invalid `expires` date", "rolelint.toml:14:11"),
    ] {
        assert!(stderr.contains(want), "{want} missing:\n{stderr}");
        assert!(stderr.contains(line), "{line} missing:\n{stderr}");
    }
    let config =
        "[severity]\nAL1010 = \"warning\"\n\n[policies]\ndisable = [\"deprecated-toggles\"]\n";
    let dir = tree(&[("rolelint.toml", config), ("role.toml", OVER)]);
    rolelint(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule `AL1010` in `[severity]`",
        ))
        .stderr(predicate::str::contains(
            "did you mean `deprecated-toggle`?",
        ));
}
