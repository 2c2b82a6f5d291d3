//! The Access section of `rolelint review` and its gates end to end: one git history per
//! kind of change, built in a temporary directory (base commit on branch `base`, the change
//! committed on `main`), reviewed in every format.
mod common;
use assert_cmd::Command;
use common::{git, hide_commits, tree};
use std::fs;
use std::path::Path;

fn shared_project(key: &str) -> String {
    format!(
        r#"kind = "jira-project"
key = "{key}"
name = "Project {key}"
permission-scheme = "Shared"

[roles]
Developers = ["group:devs"]
Users = ["group:contractors"]
Administrators = ["group:leads"]
"#
    )
}

const SHARED: &str = r#"kind = "jira-permission-scheme"
name = "Shared"

[grants]
BROWSE_PROJECTS = ["role:Users", "role:Developers"]
EDIT_ISSUES = ["role:Developers"]
SCHEDULE_ISSUES = ["role:Developers"]
MANAGE_SPRINTS_PERMISSION = ["role:Developers"]
ADMINISTER_PROJECTS = ["role:Administrators"]
"#;

const RESTRICTED: &str = r#"kind = "jira-permission-scheme"
name = "Restricted"

[grants]
BROWSE_PROJECTS = ["role:Developers"]
ADMINISTER_PROJECTS = ["group:leads"]
"#;

const SEC: &str = r#"kind = "jira-project"
key = "SEC"
name = "Security"
permission-scheme = "Restricted"

[roles]
Developers = ["user:erin"]
"#;

const GROUPS: &str = r#"kind = "jira-groups"

[groups]
devs = ["user:alice"]
leads = ["user:dave"]
contractors = ["user:carl"]
"#;

const BOARD: &str = r#"kind = "jira-board"
name = "Team"
type = "scrum"
projects = ["P01"]
admins = ["group:leads"]
"#;

const ROLE: &str = r#"kind = "align-role"
name = "Team Member"
license = "integrated"

[toggles.Team.Manage]
Stories = "all"

[toggles.Team.Track]
Burndowns = []
"#;

const KEYS: [&str; 12] = [
    "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11", "P12",
];

/// Twelve projects sharing one scheme, one project on its own scheme, a board, groups and
/// an Align role, committed as `base`; then `change` (path, new text) committed on `main`.
fn history(change: &[(&str, &str)]) -> tempfile::TempDir {
    let projects: Vec<(String, String)> = KEYS
        .iter()
        .map(|k| (format!("jira/projects/{k}.toml"), shared_project(k)))
        .collect();
    let mut files: Vec<(&str, &str)> = vec![
        ("rolelint.toml", "# rolelint\n"),
        ("jira/schemes/shared.toml", SHARED),
        ("jira/schemes/restricted.toml", RESTRICTED),
        ("jira/projects/SEC.toml", SEC),
        ("jira/groups.toml", GROUPS),
        ("jira/boards/team.toml", BOARD),
        ("roles/team-member.toml", ROLE),
    ];
    files.extend(projects.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let dir = tree(&files);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    commit_all(dir.path(), "base");
    git(dir.path(), &["branch", "base"]);
    for (path, text) in change {
        fs::write(dir.path().join(path), text).expect("write");
    }
    commit_all(dir.path(), "change");
    dir
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// `rolelint review --against base ARGS`: (exit code, stdout with commit ids hidden).
fn review(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rolelint")
        .expect("binary built")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["review", "--against", "base"])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "review {args:?} writes nothing to stderr"
    );
    let code = out.status.code().unwrap_or(-1);
    (code, hide_commits(&String::from_utf8_lossy(&out.stdout)))
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/review", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// Every format snapshotted; the json returned.
fn every_format(case: &str, dir: &Path) -> serde_json::Value {
    let mut json = serde_json::Value::Null;
    for format in ["human", "json", "markdown"] {
        let (code, text) = review(dir, &["--format", format]);
        assert_eq!(code, 0, "no gate: report only");
        if format == "json" {
            json = serde_json::from_str(&text).expect("json");
        }
        if format == "markdown" {
            assert!(text.chars().count() < 65_536);
        }
        snapshot!(format!("access-{case}@{format}"), text);
    }
    json
}

/// The exit code of each access gate alone: (new-access, admin-access, public-access).
fn gates(dir: &Path) -> (i32, i32, i32) {
    let code = |g: &str| review(dir, &["--fail-on", g]).0;
    (
        code("new-access"),
        code("admin-access"),
        code("public-access"),
    )
}

fn strings(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn a_group_membership_change() {
    let repo = history(&[(
        "jira/groups.toml",
        &GROUPS.replace(r#"["user:alice"]"#, r#"["user:alice", "user:carl"]"#),
    )]);
    let v = every_format("group-member", repo.path());
    let gained = &v["access"]["gained"];
    assert!(v["access"]["lost"].as_array().is_some_and(Vec::is_empty));
    // carl already browses through `contractors`: he gains the developer permissions only.
    let entry = &gained[0];
    assert_eq!(strings(&entry["subjects"]), ["user:carl"]);
    assert_eq!(
        strings(&entry["permissions"]),
        [
            "EDIT_ISSUES",
            "MANAGE_SPRINTS_PERMISSION",
            "SCHEDULE_ISSUES"
        ]
    );
    assert_eq!(strings(&entry["projects"]), KEYS);
    assert_eq!(
        entry["causes"],
        serde_json::json!([{"kind": "group-member", "group": "devs", "member": "user:carl"}])
    );
    assert_eq!(gates(repo.path()), (1, 0, 0));
}

#[test]
fn a_scheme_shared_by_many_projects() {
    let repo = history(&[(
        "jira/schemes/shared.toml",
        &format!("{SHARED}DELETE_ISSUES = [\"group:devs\"]\n"),
    )]);
    let v = every_format("shared-scheme", repo.path());
    let gained = v["access"]["gained"].as_array().expect("gained");
    assert_eq!(gained.len(), 1, "one edit, one entry: {gained:?}");
    assert_eq!(strings(&gained[0]["marks"]), ["delete"]);
    assert_eq!(
        strings(&gained[0]["subjects"]),
        ["group:devs", "user:alice"]
    );
    assert_eq!(
        strings(&gained[0]["projects"]).len(),
        12,
        "json lists them all"
    );
    assert_eq!(v["access"]["facts_gained"], 24);
    let (_, human) = review(repo.path(), &[]);
    assert!(
        human.contains("in 12 projects: P01, P02, P03, P04, P05, … (+7)"),
        "{human}"
    );
    assert_eq!(gates(repo.path()), (1, 1, 0));
}

#[test]
fn a_project_switching_schemes() {
    let repo = history(&[(
        "jira/projects/SEC.toml",
        &SEC.replace("\"Restricted\"", "\"Shared\""),
    )]);
    let v = every_format("scheme-switch", repo.path());
    let switch = serde_json::json!([{"kind": "scheme-switch", "project": "SEC", "from": "Restricted", "to": "Shared"}]);
    for side in ["gained", "lost"] {
        let entries = v["access"][side].as_array().expect("entries");
        assert!(!entries.is_empty(), "{side}");
        assert!(
            entries.iter().all(|e| e["causes"] == switch),
            "{side}: {entries:?}"
        );
    }
    // `role:Administrators` now administers SEC (the leads, granted by `Restricted`, no
    // longer do): an administrative permission gained.
    assert_eq!(gates(repo.path()), (1, 1, 0));
}

#[test]
fn a_board_gaining_a_project() {
    let repo = history(&[(
        "jira/boards/team.toml",
        &BOARD.replace(r#"["P01"]"#, r#"["P01", "SEC"]"#),
    )]);
    let v = every_format("board-project", repo.path());
    let all: Vec<&serde_json::Value> = ["gained", "lost"]
        .iter()
        .flat_map(|s| v["access"][s].as_array().into_iter().flatten())
        .collect();
    assert!(!all.is_empty());
    let cause = serde_json::json!([{"kind": "board-projects", "board": "Team", "added": ["SEC"], "removed": []}]);
    for e in &all {
        assert_eq!(strings(&e["boards"]), ["Team"], "{e}");
        assert!(e["capabilities"].is_array(), "{e}");
        assert_eq!(e["causes"], cause, "{e}");
    }
}

#[test]
fn an_anyone_grant() {
    let repo = history(&[(
        "jira/schemes/shared.toml",
        &SHARED.replace(
            r#"BROWSE_PROJECTS = ["role:Users", "role:Developers"]"#,
            r#"BROWSE_PROJECTS = ["role:Users", "role:Developers", "anyone"]"#,
        ),
    )]);
    let v = every_format("anyone", repo.path());
    let first = &v["access"]["gained"][0];
    assert_eq!(
        strings(&first["marks"]),
        ["public"],
        "public gains come first"
    );
    assert_eq!(strings(&first["subjects"]), ["anyone"]);
    assert_eq!(strings(&first["permissions"]), ["BROWSE_PROJECTS"]);
    assert_eq!(gates(repo.path()), (1, 0, 1));
    let (code, _) = review(
        repo.path(),
        &["--fail-on", "admin-access", "--fail-on", "public-access"],
    );
    assert_eq!(code, 1);
}

#[test]
fn an_align_role_gaining_a_toggle_beyond_the_maximum() {
    let repo = history(&[(
        "roles/team-member.toml",
        &ROLE.replace("Burndowns = []", "Burndowns = []\n\"Sprint Health\" = []"),
    )]);
    let v = every_format("align-toggle", repo.path());
    assert_eq!(v["license"]["roles"][0]["to"], "full");
    assert!(v["access"]["gained"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(gates(repo.path()), (0, 0, 0));
    let (code, _) = review(repo.path(), &["--fail-on", "license-increase"]);
    assert_eq!(code, 1);
}

#[test]
fn a_revision_against_itself_gives_an_empty_review_and_passes_every_gate() {
    let repo = history(&[]);
    let all = [
        "--fail-on",
        "new-access",
        "--fail-on",
        "admin-access",
        "--fail-on",
        "public-access",
        "--fail-on",
        "new-findings",
        "--fail-on",
        "license-increase",
    ];
    let (code, text) = review(repo.path(), &[&["--format", "json"][..], &all].concat());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["verdict"], "pass");
    for side in ["gained", "lost"] {
        assert_eq!(v["access"][side], serde_json::json!([]));
    }
    assert_eq!(v["access"]["facts_gained"], 0);
    let (_, human) = review(repo.path(), &["--head", "main"]);
    assert!(human.contains("Access: 0 gained, 0 lost"), "{human}");
}
