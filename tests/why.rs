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
