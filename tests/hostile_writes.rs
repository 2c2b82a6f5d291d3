//! Writes on a hostile repository, end to end: the real binary on trees built in temporary
//! directories. Every writer (`--output`, `--write-baseline`, `fmt`, `--fix`, `init`,
//! `import`) goes through `rolelint::fsio::write`: no rename over a symlink, FIFO, device
//! or directory; symlinked documents written through inside the repository and refused
//! outside; new files honour the umask; line endings and BOM kept; no temporary file left
//! behind; `license --against` reads the revision without `git`, `tar` or a temporary tree.
#![cfg(unix)]
mod common;
use assert_cmd::Command;
use common::git;
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A role with a typo (`Storys`, a safe rename) and a duplicate-free layout `fmt` keeps.
const ROLE_TYPO: &str =
    "kind = \"align-role\"\nname = \"Typo\"\n\n[toggles.Team.Manage]\nStorys = []\n";
/// A scheme `fmt` rewrites (`name` before `kind`) and `--fix` fixes (a duplicate holder).
const SCHEME: &str = "name = \"S\"\nkind = \"jira-permission-scheme\"\n\n[grants]\nBROWSE_PROJECTS = [\"role:Users\", \"role:Dev\", \"role:Users\"]\n";

fn rolelint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolelint").expect("binary built");
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// `outer/` holding `repo/` (with a `rolelint.toml`) and `secret` beside it.
fn layout() -> (tempfile::TempDir, PathBuf) {
    // Not `.tmp…`: messages and trees are searched for temporary file names.
    let dir = tempfile::Builder::new()
        .prefix("hostile-")
        .tempdir()
        .expect("temp dir");
    let repo = dir.path().join("repo");
    fs::create_dir(&repo).expect("mkdir");
    fs::write(repo.join("rolelint.toml"), "").expect("write");
    fs::write(dir.path().join("secret"), "do not touch\n").expect("write");
    (dir, repo)
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("read")
}

fn symlink(to: &str, at: &Path) {
    std::os::unix::fs::symlink(to, at).expect("symlink");
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

/// Every file below `dir` whose name says it is a temporary file (ours or tempfile's).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.starts_with(".rolelint-") || n.starts_with(".tmp")
        })
        .map(|e| e.into_path())
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2 with one sentence that names no temporary file.
fn assert_refused(out: &std::process::Output) {
    let stderr = stderr_of(out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        !stderr.contains(".rolelint-") && !stderr.contains(".tmp"),
        "{stderr}"
    );
}

// --- --output and --write-baseline --------------------------------------------------------

#[test]
fn output_onto_a_symlink_leading_outside_is_refused() {
    let (dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    symlink("../secret", &repo.join("report.json"));
    let out = rolelint(&repo)
        .args(["check", "--output", "json=report.json"])
        .output()
        .expect("runs");
    assert_refused(&out);
    assert!(stderr_of(&out).contains("outside the repository"));
    assert!(is_symlink(&repo.join("report.json")), "the link is kept");
    assert_eq!(read(&dir.path().join("secret")), "do not touch\n");
}

#[test]
fn output_onto_a_symlink_inside_is_written_through() {
    let (_dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    write(&repo.join("reports/real.json"), "old\n");
    symlink("reports/real.json", &repo.join("report.json"));
    rolelint(&repo)
        .args(["check", "--output", "json=report.json"])
        .assert()
        .success();
    assert!(is_symlink(&repo.join("report.json")), "the link is kept");
    assert!(read(&repo.join("reports/real.json")).contains("\"summary\""));
}

#[test]
fn output_onto_a_fifo_is_refused_and_the_fifo_kept() {
    let (_dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    let fifo = repo.join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = rolelint(&repo)
        .args(["check", "--output", "json=report.fifo"])
        .output()
        .expect("runs");
    assert_refused(&out);
    assert!(stderr_of(&out).contains("named pipe"));
    let kind = fs::symlink_metadata(&fifo).expect("stat").file_type();
    assert!(kind.is_fifo(), "still a FIFO");
}

#[test]
fn output_onto_dev_null_is_refused_and_dev_null_stays_a_device() {
    let (_dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    let out = rolelint(&repo)
        .args(["check", "--output", "json=/dev/null"])
        .output()
        .expect("runs");
    assert_refused(&out);
    assert!(stderr_of(&out).contains("a device"), "{}", stderr_of(&out));
    let kind = fs::metadata("/dev/null").expect("stat").file_type();
    assert!(
        kind.is_char_device(),
        "/dev/null is still a character device"
    );
}

/// A device node of the test's own (root can make one): not replaced by a regular file.
#[test]
fn output_onto_a_device_node_is_refused() {
    let (dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    let node = dir.path().join("null");
    let made = std::process::Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success());
    // Without the right to make one (not root), the system's own stands in.
    let node = if made {
        node
    } else {
        PathBuf::from("/dev/null")
    };
    let out = rolelint(&repo)
        .arg("check")
        .arg("--output")
        .arg(format!("json={}", node.display()))
        .output()
        .expect("runs");
    assert_refused(&out);
    let kind = fs::symlink_metadata(&node).expect("stat").file_type();
    assert!(kind.is_char_device(), "still a character device");
}

#[test]
fn dash_and_dev_stdout_mean_standard_output() {
    let (_dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    for path in ["-", "/dev/stdout"] {
        let out = rolelint(&repo)
            .args(["check", "--format", "concise", "--output"])
            .arg(format!("json={path}"))
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stderr_of(&out));
        assert!(stdout.contains("\"summary\""), "{path}: {stdout}");
        assert!(!repo.join("-").exists(), "no file named `-`");
    }
    assert!(
        is_symlink(Path::new("/dev/stdout")),
        "/dev/stdout is still a link"
    );
}

#[test]
fn write_baseline_onto_a_symlink_leading_outside_is_refused() {
    let (dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    symlink("../secret", &repo.join("baseline.json"));
    let out = rolelint(&repo)
        .args(["check", "--write-baseline", "baseline.json"])
        .output()
        .expect("runs");
    assert_refused(&out);
    assert!(is_symlink(&repo.join("baseline.json")));
    assert_eq!(read(&dir.path().join("secret")), "do not touch\n");
}

#[test]
fn output_into_a_directory_symlink_leading_outside_is_refused() {
    let (dir, repo) = layout();
    write(&repo.join("r.toml"), ROLE_TYPO);
    fs::create_dir(dir.path().join("elsewhere")).expect("mkdir");
    symlink("../elsewhere", &repo.join("out"));
    let out = rolelint(&repo)
        .args(["check", "--output", "json=out/report.json"])
        .output()
        .expect("runs");
    assert_refused(&out);
    assert!(!dir.path().join("elsewhere/report.json").exists());
}

// --- fmt and --fix on symlinked documents ---------------------------------------------------

#[test]
fn fmt_writes_through_a_symlinked_document_inside_the_repository() {
    let (_dir, repo) = layout();
    // The target is not a `*.toml`: only the link is a document.
    write(&repo.join("data/scheme.txt"), SCHEME);
    symlink("data/scheme.txt", &repo.join("scheme.toml"));
    rolelint(&repo).arg("fmt").assert().success();
    assert!(is_symlink(&repo.join("scheme.toml")), "the link is kept");
    assert!(read(&repo.join("data/scheme.txt")).starts_with("kind = "));
}

#[test]
fn fix_writes_through_a_symlinked_document_inside_the_repository() {
    let (_dir, repo) = layout();
    write(&repo.join("data/role.txt"), ROLE_TYPO);
    symlink("data/role.txt", &repo.join("role.toml"));
    rolelint(&repo).args(["check", "--fix"]).assert().success();
    assert!(is_symlink(&repo.join("role.toml")), "the link is kept");
    assert!(read(&repo.join("data/role.txt")).contains("Stories = []"));
}

#[test]
fn fmt_and_fix_never_rewrite_a_document_outside_the_repository() {
    for args in [&["fmt"][..], &["check", "--fix", "--unsafe-fixes"][..]] {
        let (dir, repo) = layout();
        write(&dir.path().join("outside.toml"), SCHEME);
        symlink("../outside.toml", &repo.join("scheme.toml"));
        let out = rolelint(&repo).args(args).output().expect("runs");
        assert_ne!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
        assert!(is_symlink(&repo.join("scheme.toml")), "{args:?}: link kept");
        assert_eq!(read(&dir.path().join("outside.toml")), SCHEME, "{args:?}");
    }
}

#[test]
fn fmt_and_fix_never_rewrite_through_a_directory_symlink_leading_outside() {
    for args in [&["fmt"][..], &["check", "--fix", "--unsafe-fixes"][..]] {
        let (dir, repo) = layout();
        write(&dir.path().join("elsewhere/scheme.toml"), SCHEME);
        symlink("../elsewhere", &repo.join("access"));
        let out = rolelint(&repo).args(args).output().expect("runs");
        assert!(
            !stderr_of(&out).contains("elsewhere"),
            "{}",
            stderr_of(&out)
        );
        let outside = dir.path().join("elsewhere/scheme.toml");
        assert_eq!(read(&outside), SCHEME, "{args:?}");
        assert!(temporaries(dir.path()).is_empty(), "{args:?}");
    }
}

/// A directory named on the command line outside the current repository is the user's
/// choice: its documents are formatted, a symlink leading out of it is not followed.
#[test]
fn fmt_on_a_directory_named_outside_the_current_repository() {
    let (dir, repo) = layout();
    let named = dir.path().join("named");
    write(&named.join("scheme.toml"), SCHEME);
    write(&dir.path().join("outside.toml"), SCHEME);
    symlink("../outside.toml", &named.join("link.toml"));
    let out = rolelint(&repo)
        .arg("fmt")
        .arg(&named)
        .output()
        .expect("runs");
    // Refused when read (exit 1, "not read") or when written (exit 2): never a pass.
    assert_ne!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(read(&named.join("scheme.toml")).starts_with("kind = "));
    assert_eq!(read(&dir.path().join("outside.toml")), SCHEME);
    assert!(is_symlink(&named.join("link.toml")));
}

// --- what a rewrite keeps -------------------------------------------------------------------

#[test]
fn fix_and_fmt_keep_crlf_line_endings_and_a_bom() {
    let bom_crlf = |t: &str| format!("\u{feff}{}", t.replace('\n', "\r\n"));
    for args in [&["fmt"][..], &["check", "--fix"][..]] {
        let (_dir, repo) = layout();
        let doc = repo.join("scheme.toml");
        write(&doc, &bom_crlf(SCHEME));
        let out = rolelint(&repo).args(args).output().expect("runs");
        assert_ne!(out.status.code(), Some(2), "{}", stderr_of(&out));
        let after = read(&doc);
        assert_ne!(after, bom_crlf(SCHEME), "{args:?}: the file was rewritten");
        assert!(
            after.starts_with('\u{feff}'),
            "{args:?}: BOM kept: {after:?}"
        );
        let breaks = after.matches('\n').count();
        assert_eq!(after.matches("\r\n").count(), breaks, "{args:?}: {after:?}");
    }
}

#[test]
fn a_rewritten_document_keeps_its_mode() {
    for args in [&["fmt"][..], &["check", "--fix"][..]] {
        let (_dir, repo) = layout();
        let doc = repo.join("scheme.toml");
        write(&doc, SCHEME);
        fs::set_permissions(&doc, fs::Permissions::from_mode(0o640)).expect("chmod");
        let out = rolelint(&repo).args(args).output().expect("runs");
        assert_ne!(out.status.code(), Some(2), "{}", stderr_of(&out));
        assert_ne!(read(&doc), SCHEME, "{args:?}: rewritten");
        assert_eq!(mode(&doc), 0o640, "{args:?}");
    }
}

/// New files honour the umask as `touch` would: 0666 & !umask.
#[test]
fn new_files_honour_the_umask() {
    for (umask, expected) in [("022", 0o644), ("077", 0o600)] {
        let (_dir, repo) = layout();
        write(&repo.join("r.toml"), ROLE_TYPO);
        let payload = Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "tests/fixtures/import/documents/jira-scheme/list-each-scheme-its-own-document.json",
        );
        let script = format!(
            "umask {umask} && {bin} check --output json=report.json >/dev/null; \
             {bin} check --write-baseline baseline.json 2>/dev/null; \
             {bin} init fresh >/dev/null && \
             {bin} import jira-scheme --out-dir imported {payload} >/dev/null",
            bin = assert_cmd::cargo::cargo_bin("rolelint").display(),
            payload = payload.display(),
        );
        let status = std::process::Command::new("sh")
            .current_dir(&repo)
            .args(["-c", &script])
            .status()
            .expect("sh runs");
        assert!(status.success(), "umask {umask}");
        let mut files = vec![
            repo.join("report.json"),
            repo.join("baseline.json"),
            repo.join("fresh/rolelint.toml"),
            repo.join("fresh/access/align/team-member.toml"),
        ];
        files.extend(
            fs::read_dir(repo.join("imported"))
                .expect("imported")
                .flatten()
                .map(|e| e.path()),
        );
        assert!(files.len() > 4, "the import wrote a file");
        for f in files {
            assert_eq!(mode(&f), expected, "umask {umask}: {}", f.display());
        }
    }
}

#[test]
fn init_never_writes_through_a_dangling_symlink() {
    let (dir, repo) = layout();
    symlink("../planted.toml", &repo.join("rolelint-new"));
    let fresh = repo.join("fresh");
    fs::create_dir(&fresh).expect("mkdir");
    symlink("../../planted.toml", &fresh.join("rolelint.toml"));
    let out = rolelint(&repo)
        .args(["init", "fresh"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(is_symlink(&fresh.join("rolelint.toml")));
    assert!(!dir.path().join("planted.toml").exists());
}

#[test]
fn init_never_writes_through_a_directory_symlink_leading_outside() {
    let (dir, repo) = layout();
    fs::create_dir(dir.path().join("elsewhere")).expect("mkdir");
    let fresh = repo.join("fresh");
    fs::create_dir(&fresh).expect("mkdir");
    symlink("../../elsewhere", &fresh.join("access"));
    let out = rolelint(&repo)
        .args(["init", "fresh"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let written: Vec<_> = walkdir::WalkDir::new(dir.path().join("elsewhere"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

/// Two `check --fix --unsafe-fixes` at once, again and again: every toggle that had no
/// finding survives (fixes land on the text they were computed from, or not at all).
#[test]
fn concurrent_fixes_never_remove_a_toggle_without_a_finding() {
    let allowed = read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/roles/integrated-team-member.toml"),
    );
    let beyond = "\n[toggles.Portfolio.Manage]\nEpics = []\nThemes = []\n\n[toggles.Program.Track]\n\"Program Increment Progress\" = []\n";
    let kept: Vec<&str> = allowed
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(key, _)| key))
        .filter(|key| !["kind", "name", "description", "license"].contains(key))
        .collect();
    for round in 0..8 {
        let (_dir, repo) = layout();
        let doc = repo.join("roles/r.toml");
        write(&doc, &format!("{allowed}{beyond}"));
        let spawn = || {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("rolelint"))
                .current_dir(&repo)
                .args(["check", "--fix", "--unsafe-fixes"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawns")
        };
        let (mut a, mut b) = (spawn(), spawn());
        let (_, _) = (a.wait().expect("waits"), b.wait().expect("waits"));
        let after = read(&doc);
        let keys: Vec<&str> = after
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(key, _)| key))
            .collect();
        for key in &kept {
            assert!(
                keys.contains(key),
                "round {round}: `{key}` removed:\n{after}"
            );
        }
        assert!(temporaries(&repo).is_empty());
    }
}

// --- interruptions ---------------------------------------------------------------------------

/// SIGTERM while `fmt` rewrites many files: whenever it lands, no temporary file is left.
/// (Where it lands is up to timing; the cleanup itself is also unit-tested in
/// `fsio::cleanup`.)
#[test]
fn sigterm_during_fmt_leaves_no_temporary_file() {
    let (_dir, repo) = layout();
    for i in 0..400 {
        write(&repo.join(format!("s/{i:03}.toml")), SCHEME);
    }
    for delay_ms in [30u64, 80, 150] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rolelint"))
            .current_dir(&repo)
            .arg("fmt")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().expect("waits");
        assert!(matches!(status.code(), Some(0 | 143)), "{status:?}");
        assert_eq!(
            temporaries(&repo),
            Vec::<PathBuf>::new(),
            "after {delay_ms} ms"
        );
        for i in 0..400 {
            let text = read(&repo.join(format!("s/{i:03}.toml")));
            assert!(
                text == SCHEME || text.starts_with("kind = "),
                "whole files only"
            );
        }
    }
}

// --- license --against ----------------------------------------------------------------------

/// `git` and `tar` stand-ins that record being run (and then run the real `git`).
fn recording_path(dir: &Path) -> (PathBuf, PathBuf) {
    let bin = dir.join("bin");
    fs::create_dir(&bin).expect("mkdir");
    let marker = dir.join("ran");
    let real_git = which("git");
    for (name, then) in [
        ("git", format!("exec {} \"$@\"", real_git.display())),
        ("tar", "exec false".to_string()),
    ] {
        let script = bin.join(name);
        fs::write(
            &script,
            format!("#!/bin/sh\necho {name} >> {}\n{then}\n", marker.display()),
        )
        .expect("write");
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    (bin, marker)
}

fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .expect("on the PATH")
}

#[test]
fn license_against_runs_no_program_and_leaves_no_temporary_tree() {
    let (dir, repo) = layout();
    write(
        &repo.join("people.csv"),
        "Email,System Role,Active User\na@example.com,Typo,Active\n",
    );
    write(&repo.join("roles/typo.toml"), ROLE_TYPO);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    let (bin, marker) = recording_path(dir.path());
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).expect("mkdir");
    let out = rolelint(&repo)
        .env("PATH", &bin)
        .env("TMPDIR", &tmp)
        .args(["license", "--people", "people.csv", "--against", "HEAD"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stdout.contains("No user changes license class"), "{stdout}");
    assert!(
        !marker.exists(),
        "ran: {}",
        fs::read_to_string(&marker).unwrap_or_default()
    );
    assert_eq!(
        fs::read_dir(&tmp).expect("tmp").count(),
        0,
        "nothing in the temp dir"
    );
}

/// `review --against` and `check --new-against` read their revision as `license --against`
/// does: in memory, running neither `git` nor `tar` (the book says rolelint never runs
/// another program).
#[test]
fn review_and_new_against_run_no_program() {
    let (dir, repo) = layout();
    write(&repo.join("roles/typo.toml"), ROLE_TYPO);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    let (bin, marker) = recording_path(dir.path());
    for args in [
        &["review", "--against", "HEAD"][..],
        &["check", "--new-against", "HEAD"][..],
    ] {
        let out = rolelint(&repo)
            .env("PATH", &bin)
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
        assert!(
            !marker.exists(),
            "{args:?} ran: {}",
            fs::read_to_string(&marker).unwrap_or_default()
        );
    }
}

/// A revision's symlink entries are not followed: a document that is a link to a file
/// outside the repository (here: one that does not parse) is not read at the revision.
#[test]
fn license_against_does_not_follow_symlinks_in_the_revision() {
    let (dir, repo) = layout();
    write(
        &repo.join("people.csv"),
        "Email,System Role,Active User\na@example.com,Typo,Active\n",
    );
    let secret = dir.path().join("secret.toml");
    write(&secret, "LEAKED = [\n");
    fs::create_dir(repo.join("roles")).expect("mkdir");
    symlink(&secret.display().to_string(), &repo.join("roles/typo.toml"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    let out = rolelint(&repo)
        .args(["license", "--people", "people.csv", "--against", "HEAD"])
        .output()
        .expect("runs");
    let stderr = stderr_of(&out);
    assert!(!stderr.contains("at revision"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("LEAKED"));
}
