//! `rolelint why` end to end over the bundled example repository.
use assert_cmd::Command;
use predicates::str::contains;
use std::path::Path;

fn why(args: &[&str]) -> assert_cmd::assert::Assert {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    Command::cargo_bin("rolelint")
        .expect("binary")
        .current_dir(&examples)
        .env("NO_COLOR", "1")
        .arg("why")
        .args(args)
        .assert()
}

#[test]
fn explains_a_missing_manage_sprints_grant_project_by_project() {
    why(&[
        "group:platform-sms",
        "start-sprint",
        "--board",
        "Platform and Ops Scrum",
    ])
    .code(1)
    .stdout(contains(
        "`group:platform-sms` cannot start a sprint on board `Platform and Ops Scrum`",
    ))
    .stdout(contains(
        "project `PLAT` (scheme `Software Delivery Scheme`): yes",
    ))
    .stdout(contains(
        "project `PLAT` role `Developers` includes `group:platform-sms`",
    ))
    .stdout(contains("project `OPS` (scheme `Operations Scheme`): no"))
    .stdout(contains("granted only to `role:Administrators`"));
}

#[test]
fn a_user_through_a_group_can_and_exits_zero() {
    why(&["user:carol", "rank-issue", "--board", "Platform Scrum"])
        .code(0)
        .stdout(contains("`user:carol` can rank (reorder) an issue"))
        .stdout(contains("`user:carol` is in `group:platform-sms`"));
}

#[test]
fn json_output_carries_the_verdict_and_tree() {
    let out = why(&[
        "group:stakeholders",
        "rank-issue",
        "--board",
        "Platform Scrum",
        "--format",
        "json",
    ])
    .code(1)
    .get_output()
    .stdout
    .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["can"], false);
    assert_eq!(v["capability"], "rank-issue");
    assert_eq!(v["result"]["kind"], "all-of");
}

#[test]
fn bad_input_exits_two_with_did_you_mean() {
    why(&[
        "group:platform-sms",
        "start-sprnt",
        "--board",
        "Platform Scrum",
    ])
    .code(2)
    .stderr(contains("did you mean `start-sprint`?"));
    why(&[
        "group:platform-sms",
        "start-sprint",
        "--board",
        "Platform Scrum!",
    ])
    .code(2)
    .stderr(contains("did you mean `Platform Scrum`?"));
    why(&["reporter", "start-sprint", "--board", "Platform Scrum"]).code(2);
}

#[test]
fn a_subject_named_nowhere_is_a_did_you_mean_error() {
    why(&[
        "group:platfrom-sms",
        "rank-issue",
        "--board",
        "Platform Scrum",
    ])
    .code(2)
    .stdout("")
    .stderr(contains(
        "error: `group:platfrom-sms` is named nowhere in the repository (no grant, role membership, group or board admin names it); did you mean `group:platform-sms`?\n",
    ));
    why(&["role:Developer", "rank-issue", "--board", "Platform Scrum"])
        .code(2)
        .stderr(contains("did you mean `role:Developers`?"));
}

/// A repository in a temp dir: one file per `(name, text)`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("rolelint.toml"), "").unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn why_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rolelint")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("why")
        .args(args)
        .output()
        .expect("run rolelint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn scheme(name: &str, grants: &str) -> String {
    format!("kind = \"jira-permission-scheme\"\nname = \"{name}\"\n\n[grants]\n{grants}")
}

fn project(key: &str, scheme: &str) -> String {
    format!("kind = \"jira-project\"\nkey = \"{key}\"\nname = \"Project {key}\"\npermission-scheme = \"{scheme}\"\n\n[roles]\nUsers = [\"group:planners\"]\n")
}

const BOARD: &str = "kind = \"jira-board\"\nname = \"Alpha and Beta\"\ntype = \"scrum\"\nprojects = [\"AAA\", \"BBB\"]\n";

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots/why", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Schedule Issues only in `AAA` and Edit Issues only in `BBB`: no issue of the board has
/// both, so `planners` cannot rank, add or remove an issue, or move the sprint footer.
#[test]
fn schedule_and_edit_in_different_projects_rank_nothing() {
    let alpha = scheme(
        "Alpha",
        "BROWSE_PROJECTS = [\"role:Users\"]\nMANAGE_SPRINTS_PERMISSION = [\"role:Users\"]\nSCHEDULE_ISSUES = [\"role:Users\"]\n",
    );
    let beta = scheme(
        "Beta",
        "BROWSE_PROJECTS = [\"role:Users\"]\nMANAGE_SPRINTS_PERMISSION = [\"role:Users\"]\nEDIT_ISSUES = [\"role:Users\"]\n",
    );
    let (a, b) = (project("AAA", "Alpha"), project("BBB", "Beta"));
    let dir = repo(&[
        ("alpha.toml", &alpha),
        ("beta.toml", &beta),
        ("a.toml", &a),
        ("b.toml", &b),
        ("board.toml", BOARD),
    ]);
    for cap in [
        "rank-issue",
        "add-issue-to-sprint",
        "remove-issue-from-sprint",
        "move-sprint-footer",
    ] {
        let (code, out) = why_in(
            dir.path(),
            &["group:planners", cap, "--board", "Alpha and Beta"],
        );
        assert_eq!(code, 1, "{cap}:\n{out}");
        assert!(out.starts_with("`group:planners` cannot "), "{cap}:\n{out}");
        assert!(
            out.contains("an issue of project `AAA` (scheme `Alpha`): no, lacks Edit Issues"),
            "{cap}:\n{out}"
        );
        if cap == "rank-issue" {
            snapshot("rank-split-between-projects", &out);
        }
    }
    let (_, json) = why_in(
        dir.path(),
        &[
            "group:planners",
            "rank-issue",
            "--board",
            "Alpha and Beta",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["can"], false);
    assert_eq!(v["result"]["possible"], "never", "{json}");
    assert_eq!(
        v["result"]["projects"][0]["lacking"][0], "Edit Issues",
        "{json}"
    );
}

/// Schedule and Edit Issues without Browse Projects: the board shows no issue, so no rank;
/// `why` lists Browse Projects as a requirement line.
#[test]
fn issue_actions_need_browse_projects() {
    let s = scheme(
        "Alpha",
        "BROWSE_PROJECTS = [\"role:Developers\"]\nSCHEDULE_ISSUES = [\"role:Users\"]\nEDIT_ISSUES = [\"role:Users\"]\n",
    );
    let a = project("AAA", "Alpha");
    let board = "kind = \"jira-board\"\nname = \"Alpha\"\ntype = \"scrum\"\nprojects = [\"AAA\"]\n";
    let dir = repo(&[("alpha.toml", &s), ("a.toml", &a), ("board.toml", board)]);
    let (code, out) = why_in(
        dir.path(),
        &["group:planners", "rank-issue", "--board", "Alpha"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("`group:planners` cannot rank (reorder) an issue"),
        "{out}"
    );
    assert!(
        out.contains("Browse Projects (`BROWSE_PROJECTS`) in the project of the issue: no"),
        "{out}"
    );
    snapshot("rank-without-browse", &out);
    // Creating an issue needs no Browse Projects (notes §3.6): not a requirement line there.
    let (_, out) = why_in(
        dir.path(),
        &["group:planners", "create-epic", "--board", "Alpha"],
    );
    assert!(!out.contains("BROWSE_PROJECTS"), "{out}");
}
