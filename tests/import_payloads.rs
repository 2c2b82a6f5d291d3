//! `rolelint import` end to end on REST payloads kept as files: each case under
//! `tests/fixtures/import/cases/` runs the real binary, and its exit code, stdout and
//! stderr are snapshotted under `snapshots/import/`. Payloads that are not what the
//! command takes must exit 2 with one sentence naming what they are.
use assert_cmd::Command;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("rolelint")
        .expect("binary builds")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("binary runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn snapshot(name: &str, value: String) {
    insta::with_settings!({ snapshot_path => "../snapshots/import", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn import_jira_board_payloads() {
    insta::glob!("fixtures/import/cases/jira-board/*/first.json", |path| {
        let dir = path.parent().expect("case directory");
        let mut args = vec!["import", "jira-board", "first.json"];
        if dir.join("second.json").exists() {
            args.push("second.json");
        }
        snapshot("jira-board", run(dir, &args));
    });
}

#[test]
fn import_jira_project_payloads() {
    insta::glob!("fixtures/import/cases/jira-project/*/first.json", |path| {
        let dir = path.parent().expect("case directory");
        let mut args = vec!["import", "jira-project", "first.json"];
        if dir.join("second.json").exists() {
            args.push("second.json");
        }
        snapshot("jira-project", run(dir, &args));
    });
}

#[test]
fn import_jira_scheme_payloads() {
    insta::glob!("fixtures/import/cases/jira-scheme/*.json", |path| {
        let dir = path.parent().expect("case directory");
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        snapshot("jira-scheme", run(dir, &["import", "jira-scheme", file]));
    });
}

/// A scheme imported with `[group-ids]` is a document `check` accepts, and a wrong entry
/// in `[group-ids]` is reported at its span.
#[test]
fn imported_group_ids_are_checked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    let payload = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/cases/jira-scheme/cloud-group-by-name.json");
    std::fs::copy(&payload, root.join("payload.json")).expect("copy payload");
    std::fs::write(root.join("rolelint.toml"), "").expect("config");
    let out = Command::cargo_bin("rolelint")
        .expect("binary builds")
        .current_dir(root)
        .args([
            "import",
            "jira-scheme",
            "payload.json",
            "--out-dir",
            "schemes",
        ])
        .output()
        .expect("import runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let scheme = root.join("schemes/ops-scheme.toml");
    let text = std::fs::read_to_string(&scheme).expect("imported scheme");
    assert!(text.contains("\"group:ops-team\""), "{text}");
    assert!(
        text.contains("[group-ids]\nops-team = \"b1c2d3e4"),
        "{text}"
    );
    std::fs::remove_file(root.join("payload.json")).expect("remove payload");
    let check = |root: &Path| {
        let out = Command::cargo_bin("rolelint")
            .expect("binary builds")
            .current_dir(root)
            .env("NO_COLOR", "1")
            .args(["check", "--format", "concise", "--select", "RL"])
            .output()
            .expect("check runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, stdout) = check(root);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(!stdout.contains("RL0"), "{stdout}");
    std::fs::write(
        &scheme,
        text.replace(
            "[group-ids]\n",
            "[group-ids]\n\"ops-taem\" = \"b1c2d3e4-0000-4000-8000-00000000abcd\"\n",
        ),
    )
    .expect("edit scheme");
    let (code, stdout) = check(root);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("RL024"), "{stdout}");
    assert!(stdout.contains("`ops-taem`"), "{stdout}");
    assert!(stdout.contains("RL005"), "same id twice: {stdout}");
}
