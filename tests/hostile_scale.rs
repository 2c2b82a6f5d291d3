//! Linear time on hostile sizes (issue 13): each input shape that once took quadratic
//! time (the five of the issue, then five more of the same kind) runs through the real
//! binary at a size where the quadratic code needs minutes
//! in a debug build and the linear code about a second.
//!
//! No test measures time. Each run is killed after [`LIMIT`] instead: that is 20 to 100
//! times what the linear code needs in a debug build, so a slow or busy CI machine does
//! not make the tests flaky, while the quadratic code needed several minutes at these
//! sizes and fails them every time. Each test also checks that the run did its job, so a
//! quick failure cannot pass for a quick success.
//!
//! The inputs are those of `rolelint-bench stress` (same source file), at smaller sizes.
use assert_cmd::Command;
use std::ffi::OsString;
use std::time::Duration;

#[path = "../bench/src/hostile_inputs.rs"]
#[allow(dead_code)]
mod hostile_inputs;
use hostile_inputs::Case;

/// A run still going after this long is killed and its test fails.
const LIMIT: Duration = Duration::from_secs(60);

fn rolelint(args: &[OsString]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("rolelint")
        .expect("rolelint binary")
        .args(args)
        .timeout(LIMIT)
        .assert()
}

fn prepared(case: Case, n: usize) -> (tempfile::TempDir, Vec<OsString>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = case.prepare(dir.path(), n).expect("write the input");
    (dir, args)
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// 150,000 distinct holders in one grant list: each was compared with every one before it.
#[test]
fn distinct_holders_in_one_grant_list() {
    let (_dir, args) = prepared(Case::DistinctHolders, 150_000);
    // Exit 0 and no finding: none of the distinct holders was taken for a duplicate.
    let a = rolelint(&args).success();
    assert_eq!(stdout(&a), "");
}

/// 60,000 values in `project in (...)`: each was compared, lower-cased, with every one
/// kept before it.
#[test]
fn values_of_project_in_a_board_filter() {
    let (_dir, args) = prepared(Case::FilterValues, 60_000);
    let a = rolelint(&args).code(1);
    let out = stdout(&a);
    // Every value is a project the repository lacks: one finding each, none merged.
    let unresolved = out.lines().filter(|l| l.contains("RL024")).count();
    assert_eq!(unresolved, 60_000, "{}", &out[..out.len().min(2_000)]);
    assert!(out.contains("`P59999`"));
}

/// 25,000 schemes named alike in one payload: the n-th probed `same-2` ... `same-n`.
/// Without `--out-dir` the command stops after naming every file it would write, so the
/// run measures the naming and not 25,000 synced writes.
#[test]
fn schemes_with_the_same_name_in_one_import() {
    let (_dir, mut args) = prepared(Case::SameNamedSchemes, 25_000);
    let out_dir = args
        .iter()
        .position(|a| a == "--out-dir")
        .expect("--out-dir");
    args.truncate(out_dir);
    let a = rolelint(&args).code(2);
    let err = stderr(&a);
    assert!(
        err.contains("the input holds 25000 schemes"),
        "{}",
        &err[..err.len().min(500)]
    );
    // The sentence is cut after a bounded length; the names it shows are distinct.
    assert!(
        err.contains("(same.toml, same-2.toml, same-3.toml, "),
        "{}",
        &err[..err.len().min(500)]
    );
}

/// 50,000 duplicates in one grant list under `check --fix`: each fix searched the whole
/// document, and each removal shifted the rest of the array.
#[test]
fn duplicate_holders_under_fix() {
    let (dir, args) = prepared(Case::DuplicateHolders, 50_000);
    let a = rolelint(&args).success();
    assert!(stderr(&a).contains("fixed 50000 finding(s) in 1 file(s)"));
    let fixed = std::fs::read_to_string(dir.path().join("repo/scheme.toml")).expect("read");
    assert_eq!(fixed.matches("\"group:").count(), 50_000);
    assert!(fixed.contains("\"group:g0049999\"]"));
}

/// 100 rules of 40 KB each under `policy test`: every example read and compiled the whole
/// policy again, so the work grew with the square of the file. (A rule's examples cost a
/// small check run each, linear but not free: heavier rules show the square at fewer rules.)
#[test]
fn rules_under_policy_test() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = hostile_inputs::prepare_policy(dir.path(), 100, 40_000).expect("write");
    let a = rolelint(&args).success();
    let out = stdout(&a);
    assert!(
        out.contains("; 0 failed;"),
        "{}",
        &out[out.len().saturating_sub(500)..]
    );
    for i in 0..100 {
        for example in ["example-fail", "example-pass"] {
            let line = format!("test MR{i} many-{i} {example} ... ok\n");
            assert!(out.contains(&line), "{line}");
        }
    }
}

/// 60,000 holders on each side of a `require-pair` rule: each holder of one permission
/// was looked for in the whole list of the other.
#[test]
fn holders_of_a_required_pair() {
    let (_dir, args) = prepared(Case::PairedGrants, 60_000);
    let a = rolelint(&args).success();
    // Both built-in pair rules (Schedule needs Edit, Edit needs Schedule) report each holder.
    assert_eq!(stdout(&a).lines().count(), 120_000);
}

/// Two projects of a board granting Manage Sprints to 40,000 distinct holders each: each
/// holder was looked for in every project's whole list.
#[test]
fn holders_across_the_projects_of_a_board() {
    let (_dir, args) = prepared(Case::BoardHolders, 40_000);
    let a = rolelint(&args).success();
    assert_eq!(stdout(&a).lines().count(), 80_000);
}

/// 8,000 projects naming schemes that do not exist, among 8,000 schemes: each unknown
/// name was compared with every scheme's name for a did-you-mean.
#[test]
fn unknown_schemes_among_many() {
    let (_dir, args) = prepared(Case::UnknownSchemes, 8_000);
    let a = rolelint(&args).code(1);
    let out = stdout(&a);
    assert_eq!(out.lines().filter(|l| l.contains("RL024")).count(), 8_000);
}

/// `fmt` on 150,000 distinct holders: each was compared with every one kept before it.
#[test]
fn fmt_of_a_long_grant_list() {
    let (dir, args) = prepared(Case::FormatHolders, 150_000);
    rolelint(&args).success();
    let text = std::fs::read_to_string(dir.path().join("repo/scheme.toml")).expect("read");
    assert_eq!(text.matches("\"group:").count(), 150_000);
    let first = text.find("\"group:g0000000\"").expect("first holder");
    let last = text.find("\"group:g0149999\"").expect("last holder");
    assert!(first < last, "sorted");
}

/// 80,000 findings, each suppressed by its own comment: every finding was compared with
/// every suppression of the run.
#[test]
fn findings_each_with_its_own_suppression() {
    let (_dir, args) = prepared(Case::SuppressedFindings, 80_000);
    // Every finding suppressed, every suppression used: nothing to report.
    let a = rolelint(&args).success();
    assert_eq!(stdout(&a), "");
}

/// 10,000 misspellings of one toggle in one group and 10,000 of one section under
/// `check --fix`: each rename looked for its new name among all its siblings (and renamed
/// every key onto one name, writing a file that no longer parsed).
#[test]
fn misspelt_names_under_fix() {
    let (dir, args) = prepared(Case::MisspeltNames, 10_000);
    let a = rolelint(&args).success();
    // One rename per name: the first toggle, and the first section (merged into
    // `Program`); the others would write a key twice.
    assert!(
        stderr(&a).contains("fixed 2 finding(s) in 1 file(s)"),
        "{}",
        stderr(&a)
    );
    let fixed = std::fs::read_to_string(dir.path().join("repo/role.toml")).expect("read");
    assert!(
        fixed.parse::<toml::Table>().is_ok(),
        "the fixed file parses"
    );
    assert!(fixed.contains("[toggles.Program.Track]\nRoadmaps = []\nRoadmaps1 = []\n"));
    assert!(fixed.contains("\n[toggles.Program.Manage]\nFeatures = []\n"));
    assert!(!fixed.contains("Programm0"));
    assert!(fixed.contains("\n[toggles.Programm1.Manage]\n"));
}
