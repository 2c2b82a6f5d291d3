//! End to end: the adoption commands (`import`, `fmt`, `init`, `check --fix`,
//! `policy test`) run as the real binary on temporary repositories.
use assert_cmd::Command;
use predicates::prelude::*;
use rolelint::fmt::{format, Formatted};
use std::fs;
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    // The payloads of the importers' fixture suite (tests/import_documents.rs).
    let path = match name {
        "scheme-cloud.json" => "jira-scheme/cloud-example.json",
        "scheme-dc.json" => "jira-scheme/data-center-unresolved-roles.json",
        "scheme-odd.json" => "jira-scheme/odd-holders-quotes-and-unicode.json",
        "schemes-multi.json" => "jira-scheme/list-each-scheme-its-own-document.json",
        "board.json" => "jira-board/without-configuration/first.json",
        "board-config.json" => "jira-board/configuration-with-filter-id-only/second.json",
        "board-config-query.json" => "jira-board/configuration-with-filter-query/second.json",
        other => other,
    };
    manifest()
        .join("tests/fixtures/import/documents")
        .join(path)
}

fn rolelint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolelint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
}

const CONFIG: &str = "[paths]\ninclude = [\"access/**/*.toml\"]\n";

// ---- import ---------------------------------------------------------------------------

#[test]
fn import_scheme_prints_one_document_to_stdout() {
    let dir = tempdir();
    let out = rolelint(dir.path())
        .args(["import", "jira-scheme"])
        .arg(fixture("scheme-cloud.json"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        table.get("kind").and_then(|k| k.as_str()),
        Some("jira-permission-scheme")
    );
    assert!(table.contains_key("grants"));
}

#[test]
fn import_several_schemes_needs_out_dir_and_never_overwrites() {
    let dir = tempdir();
    rolelint(dir.path())
        .args(["import", "jira-scheme"])
        .arg(fixture("schemes-multi.json"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("pass `--out-dir DIR`"));
    let out = dir.path().join("access/jira/schemes");
    rolelint(dir.path())
        .args(["import", "jira-scheme", "--out-dir", "access/jira/schemes"])
        .arg(fixture("schemes-multi.json"))
        .assert()
        .success();
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    let first = out.join(&names[0]);
    write(&first, "# edited by hand\n");
    rolelint(dir.path())
        .args(["import", "jira-scheme", "--out-dir", "access/jira/schemes"])
        .arg(fixture("schemes-multi.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(read(&first), "# edited by hand\n");
    rolelint(dir.path())
        .args([
            "import",
            "jira-scheme",
            "--force",
            "--out-dir",
            "access/jira/schemes",
        ])
        .arg(fixture("schemes-multi.json"))
        .assert()
        .success();
    assert!(read(&first).contains("kind = \"jira-permission-scheme\""));
}

#[test]
fn import_reports_what_it_could_not_convert_as_notes() {
    let dir = tempdir();
    rolelint(dir.path())
        .args(["import", "jira-scheme"])
        .arg(fixture("scheme-odd.json"))
        .assert()
        .success()
        .stderr(predicate::str::contains("note: ").and(predicate::str::contains("\"foo\"")))
        .stdout(predicate::str::contains("unknown holder type \"foo\""));
}

#[test]
fn import_errors_are_one_sentence_and_exit_2() {
    let dir = tempdir();
    write(&dir.path().join("bad.json"), "[1");
    rolelint(dir.path())
        .args(["import", "jira-board", "bad.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: cannot import `bad.json`",
        ));
    rolelint(dir.path())
        .args(["import", "jira-scheme", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: `missing.json` does not exist",
        ));
}

/// Import every example payload, format, and check. The Jira kinds may not be known to
/// this build yet: then the only finding allowed on imported files is RL003 (unknown
/// kind); once they are, no RL0xx structural finding at all.
#[test]
fn imported_documents_round_trip_through_fmt_and_check() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    for f in [
        "scheme-cloud.json",
        "scheme-dc.json",
        "scheme-odd.json",
        "schemes-multi.json",
    ] {
        rolelint(dir.path())
            .args([
                "import",
                "jira-scheme",
                "--force",
                "--out-dir",
                &format!("access/{f}"),
            ])
            .arg(fixture(f))
            .assert()
            .success();
    }
    for (i, config) in ["board-config.json", "board-config-query.json"]
        .iter()
        .enumerate()
    {
        rolelint(dir.path())
            .args([
                "import",
                "jira-board",
                "--out-dir",
                &format!("access/boards-{i}"),
            ])
            .arg(fixture("board.json"))
            .arg(fixture(config))
            .assert()
            .success();
    }
    // Imports are already in canonical form: nothing for `fmt` to change.
    rolelint(dir.path())
        .args(["fmt", "--check"])
        .assert()
        .success()
        .stdout("");
    let out = rolelint(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let diags = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Every imported file is a well-formed document of a known kind with valid holders.
    // Findings about what the fixtures grant (a DC key on Cloud, an app key, the same
    // scheme imported twice, a board whose project is not in the repository) are the
    // point of importing them, so only structural codes must be absent.
    let structural: Vec<String> = diags
        .iter()
        .filter(|d| {
            matches!(
                d["code"].as_str(),
                Some("RL001" | "RL002" | "RL003" | "RL004" | "RL005" | "RL006" | "RL022" | "RL023")
            )
        })
        .map(|d| d.to_string())
        .collect();
    assert!(structural.is_empty(), "{structural:#?}");
    let codes: std::collections::BTreeSet<&str> =
        diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for expected in ["RL020", "RL021", "RL024"] {
        assert!(
            codes.contains(expected),
            "expected {expected} among {codes:?}"
        );
    }
}

// ---- fmt ------------------------------------------------------------------------------

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn fmt_is_idempotent_on_every_fixture_example_and_template() {
    let mut files = Vec::new();
    for d in ["tests/fixtures", "examples", "policies", "templates"] {
        toml_files(&manifest().join(d), &mut files);
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    let mut formatted = 0;
    for f in &files {
        let Ok(text) = fs::read_to_string(f) else {
            continue;
        };
        if let Ok(Formatted::Text(once)) = format(&text) {
            formatted += 1;
            match format(&once) {
                Ok(Formatted::Text(twice)) => {
                    assert_eq!(once, twice, "fmt is not idempotent on {}", f.display())
                }
                other => panic!(
                    "{}: formatted text no longer formats: {other:?}",
                    f.display()
                ),
            }
            let comments = |t: &str| {
                t.lines()
                    .filter(|l| l.trim_start().starts_with('#'))
                    .count()
            };
            assert!(
                comments(&once) >= comments(&text),
                "{} lost a comment line",
                f.display()
            );
        }
    }
    assert!(formatted > 10, "only {formatted} files formatted");
}

#[test]
fn init_templates_are_already_formatted() {
    let dir = tempdir();
    rolelint(dir.path()).arg("init").assert().success();
    rolelint(dir.path())
        .args(["fmt", "--check"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn fmt_rewrites_keeps_comments_and_leaves_broken_files_alone() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    let messy = "# header comment\nname=\"Planner\"\nkind = \"align-role\"\nlicense   =   \"full\" # why full\n\n\n[toggles.Program.Manage]\n# the planner's features\nFeatures = []\n";
    let broken = "kind = \"align-role\"\nname = \"Broken\n  \n";
    let unknown = "kind = \"mystery\"\nb=1\n";
    write(&dir.path().join("access/messy.toml"), messy);
    write(&dir.path().join("access/broken.toml"), broken);
    write(&dir.path().join("access/unknown.toml"), unknown);
    rolelint(dir.path())
        .args(["fmt", "--check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("would reformat access/messy.toml"))
        .stderr(
            predicate::str::contains("`access/broken.toml` is not valid TOML").and(
                predicate::str::contains("`access/unknown.toml` has unknown kind `mystery`"),
            ),
        );
    assert_eq!(
        read(&dir.path().join("access/messy.toml")),
        messy,
        "--check wrote"
    );
    rolelint(dir.path()).arg("fmt").assert().code(1);
    let got = read(&dir.path().join("access/messy.toml"));
    assert_eq!(
        got,
        "kind = \"align-role\"\n# header comment\nname = \"Planner\"\nlicense = \"full\" # why full\n\n[toggles.Program.Manage]\n# the planner's features\nFeatures = []\n"
    );
    assert_eq!(read(&dir.path().join("access/broken.toml")), broken);
    assert_eq!(read(&dir.path().join("access/unknown.toml")), unknown);
}

// ---- check --fix ----------------------------------------------------------------------

const TYPO: &str = "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n\n[toggles.Portfolio.Manage]\nEpicks = [] # typo kept\n";

fn fix_repo() -> tempfile::TempDir {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    write(&dir.path().join("access/typo.toml"), TYPO);
    let conn = read(&manifest().join("examples/roles/jira-connector-default.toml"));
    write(&dir.path().join("access/conn.toml"), &conn);
    dir
}

#[test]
fn diff_shows_safe_fixes_without_writing() {
    let dir = fix_repo();
    rolelint(dir.path())
        .args(["check", "--diff"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("-Epicks = [] # typo kept")
                .and(predicate::str::contains("+Epics = [] # typo kept"))
                .and(predicate::str::contains("Objectives").not()),
        )
        .stderr(predicate::str::contains("--unsafe-fixes"));
    assert_eq!(read(&dir.path().join("access/typo.toml")), TYPO);
}

#[test]
fn fix_applies_safe_fixes_and_reports_what_remains() {
    let dir = fix_repo();
    rolelint(dir.path())
        .args(["check", "--fix", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("RL010")
                .not()
                .and(predicate::str::contains("AL103")),
        );
    assert_eq!(
        read(&dir.path().join("access/typo.toml")),
        TYPO.replace("Epicks", "Epics")
    );
    assert!(read(&dir.path().join("access/conn.toml")).contains("Objectives"));
}

#[test]
fn unsafe_fixes_bring_a_role_back_within_the_maximum() {
    let dir = fix_repo();
    rolelint(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "--format", "concise"])
        .assert()
        .success()
        .stdout("");
    let conn = read(&dir.path().join("access/conn.toml"));
    assert!(!conn.contains("Objectives"), "{conn}");
    assert!(conn.contains("Backlog = []"), "{conn}");
    assert!(
        conn.contains("# someone wanted rank sync..."),
        "comment lost:\n{conn}"
    );
    assert!(conn.ends_with("Features = []\n"), "{conn:?}");
}

// ---- init -----------------------------------------------------------------------------

/// rolelint has no release tags, so the pre-commit config `init` writes must not pin one
/// (`rev: v0.1.0` could not be resolved): it asks for a commit SHA and says how to get one.
#[test]
fn init_pre_commit_config_pins_a_commit_not_a_tag_that_does_not_exist() {
    let dir = tempdir();
    rolelint(dir.path()).arg("init").assert().success();
    let config = read(&dir.path().join(".pre-commit-config.yaml"));
    let rev = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("rev: "))
        .expect("a rev line");
    assert_eq!(
        rev.split_whitespace().next(),
        Some("COMMIT-SHA"),
        "{config}"
    );
    assert!(config.contains("pre-commit autoupdate"), "{config}");
    assert!(!config.contains("v0.1.0"), "{config}");
}

#[test]
fn init_creates_a_repository_whose_align_part_checks_clean() {
    let dir = tempdir();
    rolelint(dir.path()).arg("init").assert().success();
    for (path, _) in rolelint::commands::init::FILES {
        assert!(dir.path().join(path).is_file(), "{path} missing");
    }
    assert!(read(&dir.path().join(".pre-commit-config.yaml")).contains("id: rolelint"));
    rolelint(dir.path())
        .args(["check", "access/align", "policies", "--format", "concise"])
        .assert()
        .success()
        .stdout("");
    if rolelint::document::KINDS.contains(&"jira-board") {
        rolelint(dir.path()).arg("check").assert().success();
    }
    rolelint(dir.path())
        .args(["policy", "test"])
        .assert()
        .success();
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), "# mine\n");
    rolelint(dir.path()).arg("init").assert().code(2).stderr(
        predicate::str::contains("refusing to overwrite")
            .and(predicate::str::contains("rolelint.toml")),
    );
    assert_eq!(read(&dir.path().join("rolelint.toml")), "# mine\n");
    assert!(!dir.path().join("access").exists());
    assert!(!dir.path().join(".pre-commit-config.yaml").exists());
}

// ---- policy test ----------------------------------------------------------------------

const TEAM_POLICY: &str = r#"kind = "policy"
name = "team"

[[rule]]
code = "TM001"
name = "no-story-maps"
type = "forbid-toggle"
severity = "error"
summary = "no story maps"
message = "role `{role}` enables `{toggle}`"
help = "turn it off"
source = { title = "team decision" }
toggles = ["Program > Track > Story Maps"]
example-fail = '''
kind = "align-role"
name = "P"
license = "full"
[toggles.Program.Track]
"Story Maps" = []
'''
example-pass = '''
kind = "align-role"
name = "P"
license = "full"
'''

[[test]]
name = "story maps"
documents = ['''
kind = "align-role"
name = "P"
license = "full"
[toggles.Program.Track]
"Story Maps" = []
''']
expect = EXPECT
"#;

#[test]
fn policy_test_runs_examples_and_tests() {
    let dir = tempdir();
    write(
        &dir.path().join("policies/team.toml"),
        &TEAM_POLICY.replace("EXPECT", "[\"AL110\", \"TM001\"]"),
    );
    rolelint(dir.path())
        .args(["policy", "test", "policies"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("test TM001 no-story-maps example-fail ... ok")
                .and(predicate::str::contains(
                    "test AL101 over-integrated-maximum example-pass ... ok",
                ))
                .and(predicate::str::contains("test team test story maps ... ok"))
                .and(predicate::str::contains("test result: ok.")),
        );
}

#[test]
fn policy_test_fails_when_a_test_expects_other_codes() {
    let dir = tempdir();
    write(
        &dir.path().join("policies/team.toml"),
        &TEAM_POLICY.replace("EXPECT", "[\"TM001\"]"),
    );
    rolelint(dir.path())
        .args(["policy", "test", "policies"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("test team test story maps ... FAILED")
                .and(predicate::str::contains(
                    "expected [TM001], got [AL110, TM001]",
                ))
                .and(predicate::str::contains("test result: FAILED. ")),
        );
}

#[test]
fn fix_removes_duplicate_holders_and_keeps_comments() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    let scheme = "kind = \"jira-permission-scheme\"\nname = \"Delivery\"\n\n[grants]\n# who may browse\nBROWSE_PROJECTS = [\"role:Users\", \"role:Developers\", \"role:Users\"]\n";
    write(&dir.path().join("access/scheme.toml"), scheme);
    rolelint(dir.path())
        .args(["check", "--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("RL023"));
    rolelint(dir.path())
        .args(["check", "--fix", "--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("RL023").not());
    assert_eq!(
        read(&dir.path().join("access/scheme.toml")),
        scheme.replace(", \"role:Users\"]", "]")
    );
}

const MISSPELT_HEADERS: &str = "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n\n[toggles.Program.Trak]\n\"Roadmaps\" = []\n\n# what the planner manages\n[toggles.Progrm.Manage]\nFeatures = [] # kept\n\n[toggles.Portfolio]\nManag.Epics = []\nManag.Themes = []\n";

#[test]
fn fix_renames_misspelt_sections_and_groups_in_headers_and_dotted_keys() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    write(&dir.path().join("access/role.toml"), MISSPELT_HEADERS);
    // One finding per misspelt name, at the name in the header or dotted key.
    rolelint(dir.path())
        .args(["check", "--format", "concise"])
        .assert()
        .stdout(
            "access/role.toml:5:18: warning[RL010] unknown toggle `Program > Trak`\n\
             access/role.toml:9:10: warning[RL010] unknown toggle `Progrm`\n\
             access/role.toml:13:1: warning[RL010] unknown toggle `Portfolio > Manag`\n",
        );
    rolelint(dir.path())
        .args(["check", "--fix", "--format", "concise"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("fixed 3 finding(s) in 1 file(s)"));
    assert_eq!(
        read(&dir.path().join("access/role.toml")),
        MISSPELT_HEADERS
            .replace("Program.Trak", "Program.Track")
            .replace("Progrm", "Program")
            .replace("Manag.", "Manage.")
    );
}

#[test]
fn unsafe_fixes_remove_a_table_they_leave_empty() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    let role = "kind = \"align-role\"\nname = \"Jira Connector Default\"\nconnector-default = [\"jira\"]\n\n[toggles.Team.Manage]\nStories = []\n\n[toggles.Program.Manage]\nObjectives = []\n";
    write(&dir.path().join("access/role.toml"), role);
    rolelint(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "--format", "concise"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        read(&dir.path().join("access/role.toml")),
        "kind = \"align-role\"\nname = \"Jira Connector Default\"\nconnector-default = [\"jira\"]\n\n[toggles.Team.Manage]\nStories = []\n"
    );
}

#[test]
fn diff_with_nothing_to_fix_says_so_and_fails_while_errors_remain() {
    let dir = tempdir();
    write(&dir.path().join("rolelint.toml"), CONFIG);
    // RL005 (an error) has no automatic fix.
    let role = "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"ful\"\n";
    write(&dir.path().join("access/role.toml"), role);
    rolelint(dir.path())
        .args(["check", "--diff"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("nothing to fix automatically").and(predicate::str::contains(
                "1 finding(s) have no automatic fix",
            )),
        );
    // Only warnings without a fix: nothing to show and nothing failing.
    write(
        &dir.path().join("access/role.toml"),
        "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n\n[toggles.Program.Track]\n\"Story Maps\" = []\n",
    );
    rolelint(dir.path())
        .args(["check", "--diff"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("nothing to fix automatically"));
}

#[test]
fn bundled_examples_and_templates_are_in_canonical_form() {
    rolelint(&manifest())
        .args(["fmt", "--check", "examples/"])
        .assert()
        .success()
        .stdout("");
    // Every document `init` writes, whatever its place (a fresh `init` is checked by
    // `init_templates_are_already_formatted`).
    let documents = rolelint::commands::init::FILES
        .iter()
        .filter(|(path, _)| path.ends_with(".toml"));
    for (path, text) in documents {
        match format(text) {
            Ok(Formatted::Text(t)) => assert_eq!(&t, text, "{path} is not in canonical form"),
            Ok(Formatted::UnknownKind(_)) => {}
            Err(e) => panic!("{path}: {e}"),
        }
    }
}
