//! `rolelint access` end to end: the bundled example repository and fixture repositories
//! built in temporary directories; every format snapshotted, the CSV read back with the
//! `csv` crate, the JSON parsed.
use assert_cmd::Command;
use std::path::{Path, PathBuf};

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/access", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Run `rolelint access ARGS` in `dir`: (exit code, stdout, stderr).
fn access(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("rolelint")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("access")
        .args(args)
        .output()
        .expect("run rolelint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = access(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn who_can_administer_plat() {
    let args = ["--project", "PLAT", "--permission", "ADMINISTER_PROJECTS"];
    let human = ok(&examples(), &args);
    assert!(human.contains("user:dave"), "{human}");
    snap!("administer_plat_human", human);
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    snap!("administer_plat_json", ok(&examples(), &json_args));
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    snap!("administer_plat_csv", ok(&examples(), &csv_args));
}

#[test]
fn a_project_name_is_accepted_and_shown_as_its_key() {
    let by_name = ok(
        &examples(),
        &[
            "--project",
            "platform",
            "--permission",
            "ADMINISTER_PROJECTS",
        ],
    );
    let by_key = ok(
        &examples(),
        &["--project", "PLAT", "--permission", "ADMINISTER_PROJECTS"],
    );
    assert_eq!(by_name, by_key);
}

/// A fixture repository: contractors browse through a role, everyone logged in browses OPS,
/// and a grant to a group named like a formula.
fn contractors_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let files = [
        ("rolelint.toml", ""),
        (
            "scheme.toml",
            "kind = \"jira-permission-scheme\"\nname = \"Delivery\"\n\n[grants]\nBROWSE_PROJECTS = [\"role:Users\", \"role:Developers\"]\nEDIT_ISSUES = [\"role:Developers\", \"assignee\"]\nSCHEDULE_ISSUES = [\"role:Developers\"]\nADMINISTER_PROJECTS = [\"group:=HYPERLINK(\\\"http://x\\\")\"]\n",
        ),
        (
            "ops-scheme.toml",
            "kind = \"jira-permission-scheme\"\nname = \"Ops\"\n\n[grants]\nBROWSE_PROJECTS = [\"application-role\"]\nCREATE_ISSUES = [\"anyone\"]\n",
        ),
        (
            "plat.toml",
            "kind = \"jira-project\"\nkey = \"PLAT\"\nname = \"Platform\"\npermission-scheme = \"Delivery\"\n\n[roles]\nUsers = [\"group:contractors\"]\nDevelopers = [\"group:devs\"]\n",
        ),
        (
            "ops.toml",
            "kind = \"jira-project\"\nkey = \"OPS\"\nname = \"Operations\"\npermission-scheme = \"Ops\"\n",
        ),
        (
            "groups.toml",
            "kind = \"jira-groups\"\n\n[groups]\n\"contractors\" = [\"user:carl\", \"group:agency\"]\n\"agency\" = [\"user:ann\"]\n\"devs\" = [\"user:dan\"]\n",
        ),
        (
            "board.toml",
            "kind = \"jira-board\"\nname = \"Plat board\"\nprojects = [\"PLAT\"]\nadmins = [\"user:dan\"]\n",
        ),
        (
            "formula-board.toml",
            "kind = \"jira-board\"\nname = \"=2+3\"\nprojects = [\"OPS\"]\nadmins = [\"user:dan\"]\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn what_can_contractors_do_in_every_format() {
    let repo = contractors_repo();
    let human = ok(repo.path(), &["--who", "group:contractors"]);
    assert!(
        human.contains("Browse Projects (BROWSE_PROJECTS) in 2 projects: OPS, PLAT"),
        "{human}"
    );
    snap!("contractors_human", human);
    let json = ok(
        repo.path(),
        &["--who", "group:contractors", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["filter"]["who"], "group:contractors");
    snap!("contractors_json", json);
    let csv = ok(
        repo.path(),
        &["--who", "group:contractors", "--format", "csv"],
    );
    snap!("contractors_csv", csv);
}

#[test]
fn a_nested_member_inherits_with_its_chain() {
    let repo = contractors_repo();
    let out = ok(repo.path(), &["--who", "user:ann", "--project", "PLAT"]);
    assert!(
        out.contains("grants `role:Users` > group:contractors > group:agency"),
        "{out}"
    );
}

#[test]
fn the_whole_repository_in_every_format() {
    let repo = contractors_repo();
    snap!("all_human", ok(repo.path(), &[]));
    snap!("all_json", ok(repo.path(), &["--format", "json"]));
    snap!("all_csv", ok(repo.path(), &["--format", "csv"]));
}

#[test]
fn csv_reads_back_one_row_per_fact_and_formulas_are_inert() {
    let repo = contractors_repo();
    let text = ok(repo.path(), &["--format", "csv"]);
    let json = ok(repo.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let facts = v["facts"].as_array().expect("facts").len();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "subject",
            "scope",
            "project",
            "board",
            "permission",
            "capability",
            "level",
            "possible",
            "via"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), facts);
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    assert!(
        rows.iter().any(|r| &r[3] == "'=2+3"),
        "the board named like a formula is listed, inert"
    );
}

#[test]
fn unknown_filter_values_exit_two_with_did_you_mean() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--who", "group:platform-sm"],
            "did you mean `group:platform-sms`?",
        ),
        (&["--project", "PLAX"], "did you mean `PLAT`?"),
        (
            &["--board", "Platform Scrun"],
            "did you mean `Platform Scrum`?",
        ),
        (
            &["--permission", "ADMINISTER_PROJECT"],
            "did you mean `ADMINISTER_PROJECTS`?",
        ),
        (
            &["--capability", "start-sprnt"],
            "did you mean `start-sprint`?",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = access(&examples(), args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let (code, _, err) = access(&examples(), &["--who", "gruop:x"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a subject"), "{err}");
}

#[test]
fn a_board_and_capability_filter() {
    let out = ok(
        &examples(),
        &["--board", "Platform Scrum", "--capability", "start-sprint"],
    );
    snap!("start_sprint_on_platform_scrum", out);
}

#[test]
fn long_lists_are_cut() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("rolelint.toml"), "").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("s.toml"),
        "kind = \"jira-permission-scheme\"\nname = \"S\"\n\n[grants]\nADMINISTER_PROJECTS = [\"group:admins\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("p{i}.toml")),
            format!("kind = \"jira-project\"\nkey = \"P{i:02}\"\nname = \"Project {i}\"\npermission-scheme = \"S\"\n"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = ok(dir.path(), &["--who", "group:admins"]);
    assert!(
        out.contains("in 40 projects: P00, P01, P02, … (+37)"),
        "{out}"
    );
}

/// The book's `rolelint access` examples (docs/src/access.md) are what the examples
/// repository prints, run from the repository root as the book's examples are. The examples'
/// errors are all in roles and in what rules find, which `access` does not read: no `note:`.
#[test]
fn book_examples_are_true() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/src/access.md")).expect("book page");
    let mut checked = 0;
    for block in page.split("```console\n$ rolelint access ").skip(1) {
        let (command, rest) = block.split_once('\n').expect("a command line");
        let printed = rest.split("```").next().expect("a closing fence");
        let args: Vec<&str> = command.split_whitespace().collect();
        let (code, stdout, stderr) = access(root, &args);
        assert_eq!(
            (code, stderr.as_str()),
            (0, ""),
            "book: rolelint access {command}"
        );
        assert_eq!(stdout, printed, "book: rolelint access {command}");
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// `access` reads the Jira documents only: an error in a role or a rule's finding is not its
/// business (no note), a Jira document it cannot read as written is (a note counting it).
#[test]
fn the_note_counts_errors_in_the_files_access_reads() {
    let dir = contractors_repo();
    let role = "kind = \"align-role\"\nname = \"Broken\"\nlicense = [\n";
    std::fs::write(dir.path().join("role.toml"), role).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = access(dir.path(), &["--who", "user:ann"]);
    assert_eq!((code, err.as_str()), (0, ""));
    let scheme = "kind = \"jira-permission-scheme\"\nname = \"Odd\"\ncolour = 1\n";
    std::fs::write(dir.path().join("odd.toml"), scheme).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = access(dir.path(), &["--who", "user:ann"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("user:ann"), "{out}");
    assert_eq!(
        err,
        "note: 1 error(s) in the files this answer reads (not read as written); `rolelint check` shows them\n"
    );
}
