//! End to end: which `rolelint.toml` a command uses (the nearest one at or above the checked
//! path, as ruff and cargo find theirs), and what `rules`/`explain` know of the repository's
//! own policies.
mod common;
use assert_cmd::Command;
use common::tree;
use predicates::prelude::*;
use std::path::Path;

/// An integrated role over the maximum: AL101 (error) on `Epics`.
const OVER: &str = "kind = \"align-role\"\nname = \"Team Member\"\nlicense = \"integrated\"\n\n[toggles.Portfolio.Manage]\nEpics = []\n";

/// Excludes `archive/`, and makes AL101 a warning.
const CONFIG: &str = "[paths]\nexclude = [\"archive/**\"]\n\n[severity]\nAL101 = \"warning\"\n";

fn rolelint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolelint").expect("binary");
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("ROLELINT_TODAY", "2026-12-01");
    c
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = rolelint(dir)
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "json output; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

fn findings(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["path"].as_str().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn repo() -> tempfile::TempDir {
    tree(&[
        ("repo/rolelint.toml", CONFIG),
        ("repo/roles/over.toml", OVER),
        ("repo/archive/broken.toml", "not toml at all"),
    ])
}

#[test]
fn check_from_outside_uses_the_configuration_of_the_checked_path() {
    let dir = repo();
    let inside = json(&dir.path().join("repo"), &[]);
    assert_eq!(inside.0, 0, "{}", inside.1);
    assert_eq!(findings(&inside.1), ["roles/over.toml AL101 warning"]);
    for path in ["repo", "repo/", "repo/roles", "repo/roles/over.toml"] {
        let outside = json(dir.path(), &[path]);
        assert_eq!(outside, inside, "check {path}");
    }
    // From a directory below the repository, a path above the working directory.
    let below = json(&dir.path().join("repo/roles"), &[".."]);
    assert_eq!(below, inside);
}

#[test]
fn show_config_reports_the_configuration_found_for_the_path() {
    let dir = repo();
    rolelint(dir.path())
        .args(["check", "repo", "--show-config"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "# configuration file: repo/rolelint.toml\n",
        ))
        .stdout(
            predicate::str::is_match(r#"severity\.AL101 = "warning" +# repo/rolelint\.toml:5\n"#)
                .expect("regex"),
        );
}

#[test]
fn paths_under_two_configurations_exit_2_with_one_sentence() {
    let dir = tree(&[
        ("a/rolelint.toml", CONFIG),
        ("a/role.toml", OVER),
        ("b/rolelint.toml", ""),
        ("b/role.toml", OVER),
        ("c/role.toml", OVER),
    ]);
    let out = rolelint(dir.path())
        .args(["check", "a", "b"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the paths checked belong to different configurations (`a` uses `a/rolelint.toml`, `b` uses `b/rolelint.toml`): check them in separate runs, or choose one with `--config`\n"
    );
    rolelint(dir.path())
        .args(["check", "a/role.toml", "c"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`c` is under no `rolelint.toml`"));
    // One configuration chosen explicitly covers both.
    rolelint(dir.path())
        .args(["check", "a", "b", "--config", "b/rolelint.toml"])
        .assert()
        .code(1);
    // Two paths under the same configuration are one run.
    rolelint(dir.path())
        .args(["check", "a/role.toml", "a"])
        .assert()
        .code(0);
}

#[test]
fn fmt_from_outside_uses_the_configuration_of_the_checked_path() {
    let dir = repo();
    // Not canonical (spacing), but excluded by the repository's configuration.
    std::fs::write(
        dir.path().join("repo/archive/broken.toml"),
        "kind   =   \"align-role\"\nname = \"Old\"\nlicense = \"full\"\n",
    )
    .expect("write");
    rolelint(&dir.path().join("repo"))
        .args(["fmt", "--check"])
        .assert()
        .code(0);
    rolelint(dir.path())
        .args(["fmt", "--check", "repo"])
        .assert()
        .code(0);
}

/// In a repository made by `rolelint init`, a rule of its own policy file (`TM001`) is
/// reported by `check` and documented by `explain` and `rules`, which find the repository
/// as `check` does (here: from a subdirectory).
#[test]
fn rules_and_explain_include_the_repositorys_own_policy_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    rolelint(dir.path()).args(["init", "repo"]).assert().code(0);
    let repo = dir.path().join("repo");
    let role = repo.join("access/align/team-member.toml");
    let text = std::fs::read_to_string(&role).expect("role");
    std::fs::write(
        &role,
        format!("{text}\n[toggles.Program.Track]\n\"Story Maps\" = []\n"),
    )
    .expect("write");
    let (code, v) = json(&repo, &[]);
    assert_eq!(code, 1);
    assert!(
        findings(&v).contains(&"access/align/team-member.toml TM001 error".to_string()),
        "{v}"
    );
    let sub = repo.join("access");
    rolelint(&sub)
        .args(["explain", "TM001"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "TM001 no-story-maps (error, forbid-toggle)",
        ))
        .stdout(predicate::str::contains(
            "Defined in: policies/team-rules.toml (this repository)",
        ));
    rolelint(&sub)
        .args(["explain", "no-story-maps"])
        .assert()
        .code(0);
    rolelint(&sub)
        .arg("rules")
        .assert()
        .code(0)
        .stdout(
            predicate::str::is_match(
                r"(?m)^TM001 +no-story-maps +error +.*\(policies/team-rules\.toml\)$",
            )
            .expect("regex"),
        )
        .stdout(predicate::str::contains("AL101"));
    let out = rolelint(&sub)
        .args(["rules", "--json"])
        .output()
        .expect("run");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let tm = rules
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["code"] == "TM001")
        .expect("TM001 listed");
    assert_eq!(tm["policy_file"], "policies/team-rules.toml");
    // Outside any repository: the built-in rules only, and a clear answer.
    rolelint(dir.path())
        .args(["explain", "TM001"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule is called `TM001`"));
    rolelint(dir.path())
        .args(["explain", "TM001", "--config", "repo/rolelint.toml"])
        .assert()
        .code(0);
}

/// A directory with its own `rolelint.toml` inside the checked tree is another
/// configuration: its documents are refused, not checked under the outer one.
#[test]
fn a_nested_configuration_is_never_silently_overridden() {
    let dir = tree(&[
        ("repo/rolelint.toml", ""),
        (
            "repo/roles/ok.toml",
            "kind = \"align-role\"\nname = \"A\"\nlicense = \"full\"\n",
        ),
        ("repo/team/rolelint.toml", CONFIG),
        ("repo/team/over.toml", OVER),
    ]);
    let repo = dir.path().join("repo");
    let out = rolelint(&repo).arg("check").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: `team/over.toml` belongs to `team/rolelint.toml`, not to this run's configuration: check `team` in a run of its own, or leave it out with `[paths] exclude = [\"team/**\"]`\n"
    );
    // Its own run uses its own configuration (AL101 is a warning there).
    let (code, v) = json(&repo, &["team"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(findings(&v), ["over.toml AL101 warning"]);
    // Left out of the outer repository, or one configuration chosen for everything.
    std::fs::write(
        repo.join("rolelint.toml"),
        "[paths]\nexclude = [\"team/**\"]\n",
    )
    .expect("write");
    rolelint(&repo).arg("check").assert().code(0);
    std::fs::write(repo.join("rolelint.toml"), "").expect("write");
    rolelint(&repo)
        .args(["check", "--config", "rolelint.toml"])
        .assert()
        .code(1);
}

/// `access`, `why` (and `check` with no path) started one directory above a repository find
/// no configuration: the repository's documents are refused with a sentence that says how to
/// reach it, and both ways it names work.
#[test]
fn commands_started_above_a_repository_say_how_to_reach_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    common::copy_tree(&examples, &dir.path().join("ex"));
    let said = "error: `ex/jira/boards/ops-kanban.toml` belongs to `ex/rolelint.toml`, and this run has no configuration of its own: run rolelint inside `ex`, or with `--config ex/rolelint.toml`\n";
    let why = [
        "why",
        "group:ops-team",
        "start-sprint",
        "--board",
        "Ops Kanban",
    ];
    let access = ["access", "--who", "group:ops-team"];
    for args in [&why[..], &access[..], &["check"][..]] {
        let out = rolelint(dir.path()).args(args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), said, "{args:?}");
    }
    for args in [&why[..], &access[..]] {
        let inside = rolelint(&dir.path().join("ex"))
            .args(args)
            .output()
            .expect("run");
        let named = rolelint(dir.path())
            .args(args)
            .args(["--config", "ex/rolelint.toml"])
            .output()
            .expect("run");
        assert_ne!(inside.status.code(), Some(2), "{args:?}: {inside:?}");
        assert_eq!(inside.status.code(), named.status.code(), "{args:?}");
        assert_eq!(inside.stdout, named.stdout, "{args:?}");
    }
}
