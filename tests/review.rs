//! `rolelint review` and `rolelint check --new-against` end to end, on git histories built
//! in temporary directories.
mod common;
use assert_cmd::Command;
use common::{copy_tree, git, hide_commits};
use std::fs;
use std::path::{Path, PathBuf};

fn license_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/license/repo")
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

use common::Output;

fn rolelint(dir: &Path, args: &[&str]) -> Output {
    let out = Command::cargo_bin("rolelint")
        .expect("binary built")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs");
    Output::from(out)
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/review", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// The license fixture committed (`base` branch), then `Team Member` given a report beyond
/// the integrated-user maximum, committed on top.
fn toggle_beyond_the_maximum() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&license_fixture(), dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit_all(dir.path(), "roles");
    git(dir.path(), &["branch", "base"]);
    let role = dir.path().join("roles/team-member.toml");
    let text = fs::read_to_string(&role).expect("read");
    fs::write(
        &role,
        text.replace("Burndowns = []", "Burndowns = []\n\"Sprint Health\" = []"),
    )
    .expect("write");
    commit_all(dir.path(), "team member sees sprint health");
    dir
}

#[test]
fn a_role_beyond_the_maximum_in_every_format() {
    let repo = toggle_beyond_the_maximum();
    let out = rolelint(repo.path(), &["review", "--against", "base"]);
    assert_eq!(out.code, 0, "no gate: report only\n{}", out.stderr);
    assert!(
        out.stdout
            .contains("Team Member (roles/team-member.toml): Integrated → Full"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Users who move (2); Full +2, Integrated -2"),
        "{}",
        out.stdout
    );

    let gates = ["--fail-on", "license-increase", "--fail-on", "new-findings"];
    let mut shown = Vec::new();
    for format in ["human", "json", "markdown"] {
        let mut args = vec!["review", "--against", "base", "--format", format];
        args.extend(gates);
        let out = rolelint(repo.path(), &args);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert_eq!(out.stderr, "");
        // The commit ids differ from run to run of the test: hide them.
        let text = hide_commits(&out.stdout);
        shown.push(text.clone());
        snapshot!(format!("toggle-beyond-git@{format}"), text);
    }
    let v: serde_json::Value = serde_json::from_str(&shown[1]).expect("json");
    assert_eq!(v["verdict"], "fail");
    assert_eq!(
        v["tripped"],
        serde_json::json!(["license-increase", "new-findings"])
    );
    // Two revisions give the same review as the working tree at the later one.
    let out = rolelint(
        repo.path(),
        &[
            "review",
            "--against",
            "base",
            "--head",
            "main",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let w: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(w["findings"], v["findings"]);
    assert_eq!(w["license"], v["license"]);
}

#[test]
fn a_revision_against_itself_is_empty() {
    let repo = toggle_beyond_the_maximum();
    let all = [
        "--fail-on",
        "license-increase",
        "--fail-on",
        "new-findings",
        "--fail-on",
        "new-access",
        "--fail-on",
        "admin-access",
        "--fail-on",
        "public-access",
    ];
    for head in [None, Some("main")] {
        let mut args = vec!["review", "--against", "main", "--format", "json"];
        if let Some(h) = head {
            args.extend(["--head", h]);
        }
        args.extend(all);
        let out = rolelint(repo.path(), &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(v["findings"]["introduced"], serde_json::json!([]));
        assert_eq!(v["findings"]["fixed"], serde_json::json!([]));
        assert_eq!(v["license"]["roles"], serde_json::json!([]));
        assert_eq!(v["license"]["users"]["moves"], serde_json::json!([]));
        assert_eq!(v["access"]["gained"], serde_json::json!([]));
        assert_eq!(v["access"]["lost"], serde_json::json!([]));
    }
}

#[test]
fn review_cannot_do_its_job_exits_two() {
    let repo = toggle_beyond_the_maximum();
    let out = rolelint(repo.path(), &["review", "--against", "no-such-branch"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown git revision `no-such-branch`"),
        "{}",
        out.stderr
    );
    let plain = tempfile::tempdir().expect("tempdir");
    let out = rolelint(plain.path(), &["review", "--against", "HEAD"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}

// --- check --new-against -----------------------------------------------------------------

const PUBLIC: &str = "kind = \"jira-permission-scheme\"\nname = \"Public\"\n\n[grants]\nBROWSE_PROJECTS = [\"anyone\", \"role:Users\"]\n";

/// A repository that already has a finding (a scheme browsable by anyone) at `main`; the
/// working tree adds a second scheme with the same grant.
fn existing_and_new_finding() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("rolelint.toml"), "# rolelint\n").expect("write");
    fs::write(dir.path().join("public.toml"), PUBLIC).expect("write");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit_all(dir.path(), "public scheme");
    dir
}

#[test]
fn new_against_reports_only_new_findings_in_every_format() {
    let repo = existing_and_new_finding();
    // Nothing new: exit 0 although the old finding is an error.
    let out = rolelint(repo.path(), &["check", "--new-against", "main"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("also present at `main`"),
        "{}",
        out.stderr
    );
    let before = rolelint(repo.path(), &["check"]);
    assert_eq!(before.code, 1, "the finding exists: {}", before.stdout);

    fs::write(
        repo.path().join("intranet.toml"),
        PUBLIC.replace("Public", "Intranet"),
    )
    .expect("write");
    for format in [
        "json", "sarif", "github", "gitlab", "junit", "concise", "human",
    ] {
        let out = rolelint(
            repo.path(),
            &["check", "--new-against", "main", "--format", format],
        );
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(
            out.stdout.contains("intranet.toml"),
            "{format}: {}",
            out.stdout
        );
        if format == "junit" {
            // JUnit lists every checked file; the old one passes.
            assert!(out
                .stdout
                .contains(r#"<testsuites name="rolelint" tests="2" failures="1""#));
        } else {
            assert!(
                !out.stdout.contains("public.toml"),
                "{format}: {}",
                out.stdout
            );
        }
    }
    // Moving the old finding's lines does not make it new (fingerprints ignore lines).
    fs::write(
        repo.path().join("public.toml"),
        format!("# moved\n\n{PUBLIC}"),
    )
    .expect("write");
    let out = rolelint(
        repo.path(),
        &["check", "--new-against", "main", "--format", "concise"],
    );
    assert!(!out.stdout.contains("public.toml"), "{}", out.stdout);
}

#[test]
fn new_against_an_unknown_revision_exits_two() {
    let repo = existing_and_new_finding();
    let out = rolelint(repo.path(), &["check", "--new-against", "--nope"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = rolelint(repo.path(), &["check", "--new-against", "nope"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown git revision `nope`"),
        "{}",
        out.stderr
    );
}
