//! Hostile repositories, read side: the real binary on trees built to make it read outside
//! the repository, block, exhaust memory, skip files or stop on harmless things. Each tree
//! is built in a temporary directory; each run has a time limit and an address-space limit,
//! so a regression fails the test instead of the machine.
#![cfg(unix)]
use std::os::unix::fs::symlink;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every case here finishes in well under a second in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(20);
/// Address space per run: a read without a bound hits it long before the machine suffers.
const MEMORY_LIMIT: u64 = 4 << 30;
/// What the planted files say: it must never appear in any output.
const SECRET: &str = "hunter2-do-not-print";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    fn assert_no_secret(&self) {
        assert!(
            !self.all().contains(SECRET),
            "the secret was printed:\n{}",
            self.all()
        );
    }
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rolelint"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ROLELINT_TODAY", "2026-01-01")
        .args(args);
    // SAFETY: only async-signal-safe `setrlimit` runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let start = Instant::now();
    let out = assert_cmd::Command::from_std(cmd)
        .timeout(TIME_LIMIT)
        .output()
        .expect("run rolelint");
    let o = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        start.elapsed() < TIME_LIMIT,
        "timed out: {args:?}\n{}",
        o.stderr
    );
    assert!(!o.all().contains("panicked"), "panic: {}", o.stderr);
    o
}

/// `outside/` (with the secret) next to `repo/` (with a default configuration).
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    write(&outside.join("secret.toml"), &format!("{SECRET} = [\n"));
    write(&outside.join("secret.csv"), &format!("{SECRET},x\n1,2\n"));
    write(
        &outside.join("role.toml"),
        &format!("kind = \"align-role\"\nname = \"{SECRET}\"\nlicense = \"bogus\"\n"),
    );
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    write(&repo.join("rolelint.toml"), "");
    write(&repo.join("roles/ok.toml"), ROLE);
    (tmp, repo)
}

const ROLE: &str = "kind = \"align-role\"\nname = \"Fine\"\nlicense = \"full\"\n";

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

fn check(repo: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["check", "--format", "concise"];
    args.extend_from_slice(extra);
    run(repo, &args)
}

/// A finding of `code` at the start of `path` in concise output.
fn assert_finding(o: &Out, path: &str, code: &str) {
    let line = format!("{path}:1:1: error[{code}]");
    assert!(o.stdout.contains(&line), "no `{line}` in:\n{}", o.all());
}

/// Exit 2 with one sentence on stderr containing `text`.
fn assert_fatal(o: &Out, text: &str) {
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.starts_with("error: "), "{}", o.stderr);
    assert_eq!(o.stderr.trim_end().lines().count(), 1, "{}", o.stderr);
    assert!(o.stderr.contains(text), "no `{text}` in: {}", o.stderr);
}

#[test]
fn a_document_linked_outside_is_reported_and_never_read() {
    let (tmp, repo) = tree();
    symlink(
        tmp.path().join("outside/secret.toml"),
        repo.join("roles/evil.toml"),
    )
    .expect("link");
    symlink("../../outside/role.toml", repo.join("roles/evil-role.toml")).expect("link");
    for format in ["concise", "human", "json"] {
        let o = run(&repo, &["check", "--format", format]);
        assert_eq!(o.code, 1, "{}", o.all());
        o.assert_no_secret();
        assert!(
            o.all().contains("leads outside the repository"),
            "{}",
            o.all()
        );
    }
    let o = check(&repo, &[]);
    assert_finding(&o, "roles/evil.toml", "RL008");
    assert_finding(&o, "roles/evil-role.toml", "RL008");
    let o = run(&repo, &["fmt", "--check"]);
    o.assert_no_secret();
    assert_ne!(o.code, 0, "{}", o.all());
    // A link that stays inside is followed, and shown by its own name.
    write(&repo.join("shared/role.toml"), "kind = \"align-rol\"\n");
    symlink("../shared/role.toml", repo.join("roles/alias.toml")).expect("link");
    let o = check(&repo, &[]);
    assert!(
        o.stdout.contains("roles/alias.toml:1:8: error[RL003]"),
        "{}",
        o.stdout
    );
}

#[test]
fn a_directory_linked_outside_is_reported_and_not_walked() {
    let (tmp, repo) = tree();
    symlink(tmp.path().join("outside"), repo.join("shared")).expect("link");
    let o = check(&repo, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    o.assert_no_secret();
    assert_finding(&o, "shared", "RL008");
    assert!(
        o.stdout.contains("a directory outside the repository"),
        "{}",
        o.stdout
    );
    // Excluded: not reported, still not read.
    write(
        &repo.join("rolelint.toml"),
        "[paths]\nexclude = [\"shared/**\"]\n",
    );
    let o = check(&repo, &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    o.assert_no_secret();
}

#[test]
fn a_configuration_linked_outside_is_refused() {
    let (tmp, repo) = tree();
    std::fs::remove_file(repo.join("rolelint.toml")).expect("rm");
    symlink(
        tmp.path().join("outside/secret.toml"),
        repo.join("rolelint.toml"),
    )
    .expect("link");
    for format in ["concise", "json"] {
        let o = run(&repo, &["check", "--format", format]);
        o.assert_no_secret();
        assert_fatal(&o, "leads outside the repository");
    }
    // Named with `--config`, the user's choice: read (and its syntax error shown).
    let o = check(&repo, &["--config", "rolelint.toml"]);
    assert_eq!(o.code, 2, "{}", o.all());
}

#[test]
fn extra_policy_globs_outside_are_refused() {
    let (tmp, repo) = tree();
    let absolute = format!("{}/*.toml", tmp.path().join("outside").display());
    for pattern in [
        "../outside/*.toml",
        "policies/../../outside/*.toml",
        absolute.as_str(),
    ] {
        write(
            &repo.join("rolelint.toml"),
            &format!("[policies]\nextra = [\"{pattern}\"]\n"),
        );
        let o = check(&repo, &[]);
        o.assert_no_secret();
        assert_fatal(&o, "leads outside the repository");
        let o = run(&repo, &["fmt", "--check"]);
        o.assert_no_secret();
        assert_fatal(&o, "leads outside the repository");
    }
}

#[test]
fn extra_policy_globs_do_not_follow_links_outside() {
    let (tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[policies]\nextra = [\"policies/*.toml\"]\n",
    );
    std::fs::create_dir(repo.join("policies")).expect("mkdir");
    symlink(
        tmp.path().join("outside/secret.toml"),
        repo.join("policies/p.toml"),
    )
    .expect("link");
    let o = check(&repo, &[]);
    o.assert_no_secret();
    assert_eq!(o.code, 1, "{}", o.all());
    assert_finding(&o, "policies/p.toml", "RL008");
}

#[test]
fn a_glob_over_link_loops_ends() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[policies]\nextra = [\"**/*.toml\"]\n",
    );
    symlink(".", repo.join("x")).expect("link");
    symlink(".", repo.join("y")).expect("link");
    let o = check(&repo, &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(o.stderr.contains("symlink loop"), "{}", o.stderr);
}

#[test]
fn a_people_export_outside_the_repository_is_refused() {
    let (tmp, repo) = tree();
    let absolute = tmp.path().join("outside/secret.csv");
    for people in ["../outside/secret.csv", absolute.to_str().expect("utf-8")] {
        write(
            &repo.join("rolelint.toml"),
            &format!("[license]\npeople = \"{people}\"\n"),
        );
        let o = run(&repo, &["license"]);
        o.assert_no_secret();
        assert_fatal(&o, "leads outside the repository");
    }
    symlink(&absolute, repo.join("people.csv")).expect("link");
    write(
        &repo.join("rolelint.toml"),
        "[license]\npeople = \"people.csv\"\n",
    );
    let o = run(&repo, &["license"]);
    o.assert_no_secret();
    assert_fatal(&o, "leads outside the repository");
    // Named on the command line: the user's choice, read wherever it is.
    let o = run(
        &repo,
        &["license", "--people", absolute.to_str().expect("utf-8")],
    );
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(o.stderr.contains("no `Email`"), "{}", o.stderr);
}

#[test]
fn special_files_named_on_the_command_line_are_exit_two() {
    let (_tmp, repo) = tree();
    mkfifo(&repo.join("pipe.toml"));
    mkfifo(&repo.join("pipe.json"));
    std::fs::create_dir(repo.join("dir.json")).expect("mkdir");
    let cases: &[(&[&str], &str)] = &[
        (&["check", "pipe.toml"], "is a FIFO"),
        (&["check", "/dev/zero"], "is a character device"),
        (&["check", "--config", "/dev/zero"], "is a character device"),
        (&["check", "--config", "pipe.toml"], "is a FIFO"),
        (&["check", "--config", "roles"], "is a directory"),
        (
            &["check", "--baseline", "/dev/zero"],
            "is a character device",
        ),
        (&["check", "--baseline", "pipe.json"], "is a FIFO"),
        (
            &["license", "--people", "/dev/zero"],
            "is a character device",
        ),
        (&["license", "--people", "pipe.json"], "is a FIFO"),
        (&["license", "--people", "dir.json"], "is a directory"),
        (
            &["import", "jira-scheme", "/dev/zero"],
            "is a character device",
        ),
        (&["import", "jira-board", "pipe.json"], "is a FIFO"),
        (&["import", "jira-board", "dir.json"], "is a directory"),
    ];
    for (args, text) in cases {
        let o = run(&repo, args);
        assert_fatal(&o, text);
        assert!(
            !o.stderr.contains("does not exist"),
            "{args:?}: {}",
            o.stderr
        );
    }
    let o = run(&repo, &["check", "--config", "nope.toml"]);
    assert_fatal(&o, "does not exist");
}

#[test]
fn a_special_file_as_rolelint_toml_is_not_ignored() {
    let (_tmp, repo) = tree();
    std::fs::remove_file(repo.join("rolelint.toml")).expect("rm");
    mkfifo(&repo.join("rolelint.toml"));
    assert_fatal(&check(&repo, &[]), "is a FIFO");
    std::fs::remove_file(repo.join("rolelint.toml")).expect("rm");
    std::fs::create_dir(repo.join("rolelint.toml")).expect("mkdir");
    assert_fatal(&check(&repo, &[]), "is a directory");
    std::fs::remove_dir(repo.join("rolelint.toml")).expect("rm");
    symlink("nowhere.toml", repo.join("rolelint.toml")).expect("link");
    assert_fatal(&check(&repo, &[]), "leads nowhere");
}

#[test]
fn a_fifo_document_is_reported_not_skipped() {
    let (_tmp, repo) = tree();
    mkfifo(&repo.join("roles/pipe.toml"));
    let o = check(&repo, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_finding(&o, "roles/pipe.toml", "RL008");
    assert!(o.stdout.contains("is a FIFO"), "{}", o.stdout);
}

#[test]
fn an_include_that_matches_nothing_is_exit_two() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[paths]\ninclude = [\"roles/*.toml\", \"acess/**/*.toml\"]\n",
    );
    assert_fatal(
        &check(&repo, &[]),
        "`acess/**/*.toml` in rolelint.toml matches no file",
    );
    write(
        &repo.join("rolelint.toml"),
        "[paths]\ninclude = [\"roles/*.toml\"]\n",
    );
    assert_eq!(check(&repo, &[]).code, 0);
}

#[test]
fn an_excluded_or_configuration_path_on_the_command_line_is_exit_two() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[paths]\nexclude = [\"archive/**\"]\n",
    );
    write(&repo.join("archive/old.toml"), "kind = \"align-rol\"\n");
    assert_fatal(
        &check(&repo, &["archive/old.toml"]),
        "`archive/old.toml` is excluded by `[paths] exclude`",
    );
    assert_fatal(
        &check(&repo, &["rolelint.toml"]),
        "is the configuration file",
    );
    assert_fatal(&check(&repo, &["roles/nope.toml"]), "does not exist");
}

#[test]
fn names_that_are_not_utf8_are_checked_separately_and_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, repo) = tree();
    for (byte, kind) in [(0xff_u8, "align-rol"), (0xfe, "jira-boad")] {
        let name = [b"roles/r".as_slice(), &[byte], b".toml"].concat();
        let path = repo.join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(path, format!("kind = \"{kind}\"\n")).expect("write");
    }
    let o = check(&repo, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stdout.contains("roles/r\\xff.toml:1:8: error[RL003]"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("roles/r\\xfe.toml:1:8: error[RL003]"),
        "{}",
        o.stdout
    );
}

#[test]
fn dangling_links_that_are_not_documents_are_ignored() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[paths]\nexclude = [\"archive/**\"]\n",
    );
    std::fs::create_dir_all(repo.join("notes")).expect("mkdir");
    std::fs::create_dir_all(repo.join("archive")).expect("mkdir");
    symlink("nowhere", repo.join("notes/readme")).expect("link");
    symlink("nowhere", repo.join("notes/gone-dir")).expect("link");
    symlink("nowhere.toml", repo.join("archive/old.toml")).expect("link");
    symlink("self", repo.join("notes/self")).expect("link");
    assert_eq!(check(&repo, &[]).code, 0);
    let o = run(&repo, &["fmt", "--check"]);
    assert_ne!(o.code, 2, "{}", o.all());
    assert!(!o.stderr.contains("error"), "{}", o.stderr);
}

#[test]
fn a_dangling_document_link_is_a_diagnostic_at_its_path() {
    let (_tmp, repo) = tree();
    symlink("nowhere.toml", repo.join("roles/gone.toml")).expect("link");
    symlink("loop.toml", repo.join("roles/loop.toml")).expect("link");
    write(&repo.join("roles/bad.toml"), "kind = \"align-rol\"\n");
    let o = check(&repo, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_finding(&o, "roles/gone.toml", "RL008");
    assert_finding(&o, "roles/loop.toml", "RL008");
    // The rest of the run goes on.
    assert!(
        o.stdout.contains("roles/bad.toml:1:8: error[RL003]"),
        "{}",
        o.stdout
    );
    let o = run(&repo, &["fmt", "--check"]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr
            .contains("`roles/gone.toml` is a symbolic link that leads nowhere"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains(", 2 not read"), "{}", o.stderr);
}

#[test]
fn an_oversized_document_is_a_diagnostic() {
    let (_tmp, repo) = tree();
    // Sparse: 40 MiB of zeros costs no disk.
    let big = std::fs::File::create(repo.join("roles/big.toml")).expect("create");
    big.set_len(40 << 20).expect("set_len");
    let o = check(&repo, &[]);
    assert_eq!(o.code, 1, "{}", o.all());
    assert_finding(&o, "roles/big.toml", "RL008");
    assert!(
        o.stdout.contains("larger than the limit of 32 MiB"),
        "{}",
        o.stdout
    );
    write(
        &repo.join("roles/big.toml"),
        &format!("{ROLE}# {}\n", "x".repeat(200)),
    );
    write(
        &repo.join("rolelint.toml"),
        "[limits]\ndocument-bytes = 100\n",
    );
    let o = check(&repo, &[]);
    assert_finding(&o, "roles/big.toml", "RL008");
    assert!(
        o.stdout.contains("larger than the limit of 100 bytes"),
        "{}",
        o.stdout
    );
}

#[test]
fn an_unclosed_quote_in_the_people_export_fails_closed() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[license]\npeople = \"people.csv\"\n",
    );
    write(
        &repo.join("people.csv"),
        "Email,System Role,Active User\na@x.com,Fine,Active\nb@x.com,Fine,Active\n\"c@x.com,Fine,Active\nd@x.com,Fine,Active\ne@x.com,Fine,Active\n",
    );
    assert_fatal(
        &run(&repo, &["license"]),
        "people export row 4 opens a quoted field that is never closed: read the 2 user rows before it, not the rest of the file",
    );
    // A header that never closes its quote: one sentence, not the whole file.
    let huge = format!("\"Email,{}\n", "x".repeat(3 << 20));
    write(&repo.join("people.csv"), &huge);
    let o = run(&repo, &["license"]);
    assert_fatal(&o, "row 1 opens a quoted field that is never closed");
    assert!(o.stderr.len() < 1000, "{} bytes", o.stderr.len());
    // A huge header row without quotes: the missing-column sentence quotes it bounded.
    write(
        &repo.join("people.csv"),
        &format!("{},Role\n", "y".repeat(3 << 20)),
    );
    let o = run(&repo, &["license"]);
    assert_fatal(&o, "people export has no `Email`");
    assert!(o.stderr.len() < 1000, "{} bytes", o.stderr.len());
}

#[test]
fn oversized_exports_baselines_and_payloads_are_exit_two() {
    let (_tmp, repo) = tree();
    write(
        &repo.join("rolelint.toml"),
        "[license]\npeople = \"people.csv\"\n[limits]\npeople-bytes = 100\n",
    );
    let rows = "a@x.com,Fine,Active\n".repeat(10);
    write(
        &repo.join("people.csv"),
        &format!("Email,System Role,Active User\n{rows}"),
    );
    assert_fatal(
        &run(&repo, &["license"]),
        "is larger than the limit of 100 bytes",
    );
    // Baselines and payloads: 256 MiB, checked before reading (sparse: no disk used).
    for name in ["big.json", "big.csv"] {
        let f = std::fs::File::create(repo.join(name)).expect("create");
        f.set_len(257 << 20).expect("set_len");
    }
    write(&repo.join("rolelint.toml"), "");
    let too_large = "is larger than the limit of 256 MiB";
    assert_fatal(&check(&repo, &["--baseline", "big.json"]), too_large);
    assert_fatal(
        &run(&repo, &["import", "jira-scheme", "big.json"]),
        too_large,
    );
    assert_fatal(&run(&repo, &["license", "--people", "big.csv"]), too_large);
}
