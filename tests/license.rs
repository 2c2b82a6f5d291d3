//! `rolelint license` end to end: the fixture repository `tests/fixtures/license/repo/`
//! (four roles, one People export with known counts), exit codes, and `--against` on a
//! temporary git repository with two commits.
mod common;
use assert_cmd::Command;
use common::{copy_tree, git};
use std::fs;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/license/repo")
}

fn rolelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("rolelint").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

use common::Output;

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = rolelint(dir)
        .arg("license")
        .args(args)
        .output()
        .expect("runs");
    Output::from(out)
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/license", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn human_report_of_the_fixture() {
    let out = run(&fixture(), &[]);
    // 5 Full users against 2 seats: the report gates the pipeline.
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out
        .stdout
        .starts_with("Full used 5 / 2 seats (3 over)\nIntegrated used 2 / 8\n"));
    assert!(out.stdout.contains(
        "Jira Connector Users  Full            2  treated as integrated but over the maximum: `Team > Track > Sprint Health` (AL111)"
    ));
    assert_eq!(out.stderr, "");
    snapshot!("fixture@human", out.stdout);
}

#[test]
fn json_report_of_the_fixture() {
    let out = run(&fixture(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid json");
    assert_eq!(v["version"], 1);
    assert_eq!(
        (&v["full_used"], &v["integrated_used"], &v["external_users"]),
        (&5.into(), &2.into(), &1.into())
    );
    let classes: Vec<(&str, &str)> = v["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["role"].as_str().unwrap_or(""),
                d["class"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        classes,
        vec![
            ("Idea Portal", "external"),
            ("Jira Connector Users", "full"),
            ("PMO", "full"),
            ("Team Member", "integrated"),
        ]
    );
    snapshot!("fixture@json", out.stdout);
}

#[test]
fn csv_report_lists_every_counted_user() {
    let out = run(&fixture(), &["--format", "csv"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout.lines().count(), 1 + 8, "{}", out.stdout);
    assert!(out
        .stdout
        .contains("kim.king@example.com,JIRA CONNECTOR USERS,Full\n"));
    assert!(out
        .stdout
        .contains("lou.lane@partner.example,Idea Portal,External\n"));
    // The bad row has nowhere to go in CSV: it is a warning on stderr.
    assert!(out
        .stderr
        .contains("warning: exports/people.csv: row 12 has 3 fields"));
}

#[test]
fn within_seats_exits_zero_and_works_from_a_subdirectory() {
    let out = run(&fixture().join("roles"), &["--full-seats", "5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out
        .stdout
        .starts_with("Full used 5 / 5 seats\nIntegrated used 2 / 20\n"));
}

#[test]
fn integrated_over_its_allowance_exits_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("people.csv");
    let rows: String = (0..5)
        .map(|i| format!("u{i}@example.com,Team Member,Active\n"))
        .collect();
    fs::write(&csv, format!("Email,System Role,Active User\n{rows}")).expect("write");
    let config = fixture().join("rolelint.toml");
    let args = [
        "--people",
        path(&csv),
        "--config",
        path(&config),
        "--full-seats",
        "1",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out
        .stdout
        .starts_with("Full used 0 / 1 seats\nIntegrated used 5 / 4 (1 over)\n"));
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn missing_column_is_exit_two_naming_the_columns_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("people.csv");
    fs::write(&csv, "ID,Email,Active User\n1,a@example.com,Active\n").expect("write");
    let config = fixture().join("rolelint.toml");
    let out = run(
        dir.path(),
        &["--people", "people.csv", "--config", path(&config)],
    );
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: people.csv: people export has no `System Role` or `Role` column (found: `ID`, `Email`, `Active User`)\n"
    );
}

#[test]
fn configured_column_names_are_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("rolelint.toml"),
        "[license]\npeople = \"p.csv\"\n\n[license.columns]\nemail = [\"Mail\"]\nrole = [\"Rolle\"]\nactive = []\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("p.csv"),
        "Mail,Rolle\na@x.com,Team Member\nb@x.com,Nobody\n",
    )
    .expect("write");
    let out = run(dir.path(), &["--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // No role documents here: both are in roles the repository does not know.
    assert_eq!(
        out.stdout,
        "email,role,class\na@x.com,Team Member,Full\nb@x.com,Nobody,Full\n"
    );
}

#[test]
fn bad_inputs_are_exit_two_with_one_sentence() {
    let fix = fixture();
    let out = run(&fix, &["--people", "nope.csv"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: the people export `nope.csv` does not exist"),
        "{}",
        out.stderr
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no people export given: pass `--people FILE` or set `people` under `[license]` in rolelint.toml\n"
    );

    fs::write(
        dir.path().join("rolelint.toml"),
        "[license]\nfull-seat = 3\n",
    )
    .expect("write");
    let out = run(dir.path(), &["--people", "x.csv"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("full-seats"),
        "did-you-mean expected: {}",
        out.stderr
    );
}

// --- --against ------------------------------------------------------------------------

/// A repository whose first commit is the fixture, nested one level down (`access/`) so
/// the configuration is not at the repository root, and whose second commit puts `Team
/// Member` over the integrated maximum.
fn two_commit_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let access = dir.path().join("access");
    copy_tree(&fixture(), &access);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "roles"]);
    let role = access.join("roles/team-member.toml");
    let text = fs::read_to_string(&role).expect("read");
    fs::write(
        &role,
        format!("{text}\n[toggles.Portfolio.Manage]\nEpics = []\n"),
    )
    .expect("write");
    git(
        dir.path(),
        &["commit", "-q", "-a", "-m", "team member edits epics"],
    );
    dir
}

#[test]
fn against_previous_commit_shows_who_moves_and_the_seats() {
    let repo = two_commit_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = rolelint(&repo.path().join("access/roles"))
        .env("TMPDIR", tmp.path())
        .args(["license", "--against", "HEAD~1"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("warning: exports/people.csv: row 12 has 3 fields"),
        "{stderr}"
    );
    assert!(stdout.contains(
        "2 users move from Integrated to Full: +2 Full seats needed (7 / 2)\n- ann.archer@example.com (Team Member)\n- bob.baker@example.com (team   member)\n"
    ), "{stdout}");
    assert!(
        stdout
            .contains("Full: 5 → 7 (+2) of 2 seats, 5 over\nIntegrated: 2 → 0 (-2) of 8 allowed\n"),
        "{stdout}"
    );
    // The temporary tree is gone.
    let left: Vec<_> = fs::read_dir(tmp.path()).expect("read").collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
    // The commit id varies from run to run; the rest is stable.
    let stable: String = stdout
        .lines()
        .map(|l| match l.find(" (") {
            Some(i) if l.starts_with("License impact") => l[..i].to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    snapshot!("against@human", stable);

    let out = rolelint(&repo.path().join("access"))
        .args(["license", "--against", "HEAD~1", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (&v["full_delta"], &v["integrated_delta"]),
        (&2.into(), &(-2).into())
    );
    assert_eq!(v["moves"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["role_changes"][0]["role"], "Team Member");
    assert_eq!(v["before"]["full_used"], 5);
    assert_eq!(v["after"]["full_used"], 7);

    // Against itself nothing moves.
    let out = rolelint(&repo.path().join("access"))
        .args(["license", "--against", "HEAD", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "email,role,from,to\n");
}

#[test]
fn against_errors_are_exit_two() {
    let repo = two_commit_repo();
    let out = run(
        &repo.path().join("access"),
        &["--against", "no-such-branch"],
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: unknown git revision `no-such-branch`: give a commit, branch or tag of this repository\n"
    );
    let out = run(&repo.path().join("access"), &["--against", "--help"]);
    assert_eq!(out.code, 2, "{}", out.stderr);

    let outside = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture(), outside.path());
    let out = run(outside.path(), &["--against", "HEAD~1"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: `--against` compares with another git revision, but `"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("` is not inside a git repository\n"),
        "{}",
        out.stderr
    );
}

/// Roles `check` cannot read as written: each would count Integrated if judged on what was
/// read, yet the role is not what the document says.
fn unreliable_roles_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).expect("mkdir");
        }
        fs::write(p, text).expect("write");
    };
    write(
        "rolelint.toml",
        "[license]\npeople = \"people.csv\"\nfull-seats = 10\n",
    );
    write(
        "people.csv",
        "Email,System Role,Active User\na@x.com,Twice,Active\nb@x.com,Spelt,Active\nc@x.com,Same,Active\nd@x.com,Fine,Active\n",
    );
    // The same toggle under two spellings (RL005): the second, with its sub-toggle, is dropped.
    write(
        "roles/twice.toml",
        "kind = \"align-role\"\nname = \"Twice\"\nlicense = \"integrated\"\n\n[toggles.Team.Team]\nBacklog = []\nbacklog = [\"Rank Items in External Tools\"]\n",
    );
    // A section under two spellings (RL005): the second one's toggles are dropped.
    write(
        "roles/spelt.toml",
        "kind = \"align-role\"\nname = \"Spelt\"\nlicense = \"integrated\"\n\n[toggles.Team.Manage]\nStories = []\n\n[toggles.team.Manage]\nObjectives = []\n",
    );
    // Two roles of one name (RL007), one over the maximum.
    write(
        "roles/same1.toml",
        "kind = \"align-role\"\nname = \"Same\"\nlicense = \"integrated\"\n\n[toggles.Team.Manage]\nStories = []\n",
    );
    write(
        "roles/same2.toml",
        "kind = \"align-role\"\nname = \"same\"\nlicense = \"integrated\"\n\n[toggles.Program.Manage]\nObjectives = []\n",
    );
    write(
        "roles/fine.toml",
        "kind = \"align-role\"\nname = \"Fine\"\nlicense = \"integrated\"\n\n[toggles.Team.Manage]\nStories = []\n",
    );
    dir
}

#[test]
fn roles_check_cannot_read_or_tell_apart_count_as_full() {
    let repo = unreliable_roles_repo();
    let out = run(repo.path(), &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Full used 3 / 10 seats\nIntegrated used 1 / 40\n"),
        "{}",
        out.stdout
    );
    snapshot!("unreliable-roles@human", out.stdout);
    let out = run(repo.path(), &["--format", "csv"]);
    assert_eq!(
        out.stdout,
        "email,role,class\na@x.com,Twice,Full\nb@x.com,Spelt,Full\nc@x.com,Same,Full\nd@x.com,Fine,Integrated\n"
    );
    let out = run(repo.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    snapshot!(
        "unreliable-roles@json-roles",
        serde_json::to_string_pretty(&v["roles"]).expect("json")
    );
}
