//! Malformed input end to end: the real binary on generated inputs in temporary
//! repositories. Every case must end in a diagnostic (exit 1) or a one-sentence fatal
//! error (exit 2), within a bounded time, and never panic.
use assert_cmd::Command;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous: debug builds on a shared machine. The slowest case takes about a second.
const TIME_LIMIT: Duration = Duration::from_secs(20);

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temporary repository with a default `rolelint.toml`, so no configuration above it applies.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("rolelint.toml"),
        "[paths]\ninclude = [\"**/*.toml\"]\n",
    )
    .expect("write config");
    dir
}

fn check(dir: &Path, args: &[&str]) -> Outcome {
    let start = Instant::now();
    let out = Command::cargo_bin("rolelint")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .arg("check")
        .args(args)
        .timeout(TIME_LIMIT * 3)
        .output()
        .expect("run rolelint");
    let elapsed = start.elapsed();
    let o = Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        elapsed < TIME_LIMIT,
        "took {elapsed:?} (limit {TIME_LIMIT:?}); stderr: {}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("panicked") && !o.stdout.contains("panicked"),
        "panic: {}",
        o.stderr
    );
    o
}

/// Exit 1 with the given rule code in the concise output.
fn assert_diagnostic(o: &Outcome, code: &str) {
    assert_eq!(o.code, 1, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains(&format!("[{code}]")),
        "expected {code} in:\n{}",
        o.stdout
    );
}

/// Exit 2 with exactly one `error:` sentence on stderr.
fn assert_fatal(o: &Outcome, needle: &str) {
    assert_eq!(o.code, 2, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    let errors: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "stderr: {}", o.stderr);
    assert!(errors[0].contains(needle), "stderr: {}", o.stderr);
}

#[test]
fn empty_file_is_missing_kind() {
    let dir = repo();
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    assert_diagnostic(&check(dir.path(), &["--format", "concise"]), "RL004");
}

#[test]
fn binary_file_is_not_utf8() {
    let dir = repo();
    // Every byte value, NULs and a PNG header included.
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    std::fs::write(dir.path().join("image.toml"), bytes).unwrap();
    assert_diagnostic(&check(dir.path(), &["--format", "concise"]), "RL006");
}

#[test]
fn invalid_utf8_after_valid_text_is_not_utf8() {
    let dir = repo();
    let bytes = b"kind = \"align-role\"\nname = \"caf\xe9\"\n".to_vec();
    std::fs::write(dir.path().join("latin1.toml"), bytes).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL006");
    assert!(o.stdout.contains("latin1.toml:2:"), "{}", o.stdout);
}

#[test]
fn ten_megabyte_file_is_bounded() {
    let dir = repo();
    let mut text = String::from("kind = \"align-role\"\nname = \"Big\"\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        writeln!(text, "key-{i} = \"{}\"", "x".repeat(80)).unwrap();
        i += 1;
    }
    std::fs::write(dir.path().join("big.toml"), text).unwrap();
    // 130,000 keys rolelint does not know: every error of a document is reported, up to a
    // bound (25), not 130,000, and the last one says so.
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL002");
    assert_eq!(o.stdout.lines().count(), 25, "{}", o.stdout);
    let json = check(dir.path(), &["--format", "json"]);
    assert!(
        json.stdout
            .contains("rolelint stops after 25 errors in one document"),
        "{}",
        json.stdout
    );
}

#[test]
fn deeply_nested_arrays_are_a_syntax_error() {
    let dir = repo();
    let n = 1000;
    let text = format!(
        "kind = \"align-role\"\nname = \"x\"\nx = {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    std::fs::write(dir.path().join("arrays.toml"), text).unwrap();
    let o = check(dir.path(), &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("RL001"), "{}", o.stdout);
    assert!(o.stdout.contains("max recursion depth"), "{}", o.stdout);
}

#[test]
fn deeply_nested_inline_tables_are_a_syntax_error() {
    let dir = repo();
    let n = 1000;
    let text = format!(
        "kind = \"align-role\"\nname = \"x\"\nx = {}1{}\n",
        "{ a = ".repeat(n),
        " }".repeat(n)
    );
    std::fs::write(dir.path().join("tables.toml"), text).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL001");
    // The syntax error points into the nesting on line 3, not at the top of the file.
    assert!(o.stdout.contains("tables.toml:3:"), "{}", o.stdout);
}

#[test]
fn deeply_dotted_keys_are_a_syntax_error() {
    let dir = repo();
    let key = vec!["a"; 1000].join(".");
    let text = format!("kind = \"align-role\"\nname = \"x\"\n[{key}]\n{key} = 1\n");
    std::fs::write(dir.path().join("dotted.toml"), text).unwrap();
    assert_diagnostic(&check(dir.path(), &["--format", "concise"]), "RL001");
}

#[test]
fn hundred_thousand_toggles_in_one_role_are_bounded() {
    let dir = repo();
    let mut text = String::from(
        "kind = \"align-role\"\nname = \"Huge\"\nlicense = \"integrated\"\n\n[toggles.Team.Manage]\n",
    );
    for i in 0..100_000 {
        writeln!(text, "\"Toggle {i}\" = []").unwrap();
    }
    std::fs::write(dir.path().join("huge.toml"), text).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_eq!(o.code, 1, "stderr: {}", o.stderr);
    assert!(
        o.stdout.contains("huge.toml:"),
        "{}",
        &o.stdout[..o.stdout.len().min(2000)]
    );
}

#[test]
fn symlink_loop_is_skipped_with_a_warning() {
    let dir = repo();
    let sub = dir.path().join("roles");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink("..", sub.join("loop")).unwrap();
    std::os::unix::fs::symlink("loop", sub.join("self")).unwrap_or(());
    std::fs::write(sub.join("broken.toml"), "name = \"no kind\"\n").unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL004");
    assert!(o.stderr.contains("symlink loop"), "stderr: {}", o.stderr);
    // Each document is reported once, not once per way to reach it.
    assert_eq!(o.stdout.matches("broken.toml").count(), 1, "{}", o.stdout);
}

#[test]
fn dangling_symlink_is_a_diagnostic() {
    let dir = repo();
    std::os::unix::fs::symlink("nowhere.toml", dir.path().join("dangling.toml")).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains("dangling.toml:1:1: error[RL008]"),
        "{}",
        o.stdout
    );
}

/// Mode 000 stops a normal user (exit 2, one sentence) but not root, for whom the file is
/// an ordinary document (checked: its finding is reported). A file that cannot be read
/// whoever runs (a link to itself) is a diagnostic at its path in both cases.
#[test]
fn unreadable_file_is_a_fatal_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let path = dir.path().join("secret.toml");
    std::fs::write(&path, "kind = \"align-rol\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    if std::fs::read(&path).is_ok() {
        // Root (or CAP_DAC_OVERRIDE): mode 000 does not stop reads, so it is checked.
        assert_diagnostic(&o, "RL003");
        assert!(o.stdout.contains("secret.toml:1:8"), "{}", o.stdout);
    } else {
        assert_fatal(&o, "`secret.toml` cannot be read: permission denied");
    }
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("secret.toml", &path).unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout.contains("secret.toml:1:1: error[RL008]"),
        "{}",
        o.stdout
    );
}

/// As [`unreadable_file_is_a_fatal_error`], for a directory: a normal user gets exit 2,
/// root gets the files inside checked; a directory link to itself is skipped whoever runs.
#[test]
fn unreadable_directory_is_a_fatal_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let sub = dir.path().join("locked");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("a.toml"), "kind = \"align-rol\"\n").unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&sub).is_ok();
    let o = check(dir.path(), &["--format", "concise"]);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        assert_diagnostic(&o, "RL003");
        assert!(o.stdout.contains("locked/a.toml:1:8"), "{}", o.stdout);
    } else {
        assert_fatal(&o, "locked");
    }
    std::fs::remove_dir_all(&sub).unwrap();
    std::os::unix::fs::symlink("locked", &sub).unwrap();
    std::fs::write(dir.path().join("b.toml"), "kind = \"align-rol\"\n").unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL003");
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let dir = repo();
    let sub = dir.path().join("Équipe de données");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("rôle ünïcode 役割.toml"), "kind = \"align-rol\"\n").unwrap();
    let o = check(dir.path(), &["--format", "concise"]);
    assert_diagnostic(&o, "RL003");
    assert!(
        o.stdout
            .contains("Équipe de données/rôle ünïcode 役割.toml:1:8"),
        "{}",
        o.stdout
    );
    // Named explicitly on the command line, too.
    let o = check(
        dir.path(),
        &[
            "--format",
            "concise",
            "Équipe de données/rôle ünïcode 役割.toml",
        ],
    );
    assert_diagnostic(&o, "RL003");
}

#[test]
fn missing_path_is_a_fatal_error() {
    let dir = repo();
    assert_fatal(&check(dir.path(), &["no such dir"]), "no such dir");
}
