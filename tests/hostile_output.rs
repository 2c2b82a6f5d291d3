//! Output is inert, bounded, never panics and survives a closed standard output: the
//! real binary on hostile repositories built in temporary directories.
mod common;
use assert_cmd::cargo::CommandCargoExt;
use common::copy_tree;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rolelint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolelint").unwrap_or_else(|e| panic!("{e}"));
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    c
}

fn write(p: &Path, text: &str) {
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::write(p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

const CONFIG: &str = "[paths]\ninclude = [\"**/*.toml\"]\n";

/// A repository holding `rolelint.toml` and `files`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(&dir.path().join("rolelint.toml"), CONFIG);
    for (path, text) in files {
        write(&dir.path().join(path), text);
    }
    dir
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Ran {
    let out = rolelint(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let ran = Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!ran.stderr.contains("panicked"), "{args:?}: {}", ran.stderr);
    ran
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "../snapshots/hostile_output", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// Characters a terminal or CI log acts on: what no output may carry raw (beyond the
/// line breaks the format itself writes).
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A connector-default role (one AL103 finding) whose name tries to inject a GitHub
/// workflow command, terminal hyperlinks and a screen clear, and to reverse the text.
const HOSTILE_ROLE: &str = r#"kind = "align-role"
name = "X\n::error file=x::pwned\r\n::warning::y \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b[2J\u009b31m\u202eevil\u0085z"
connector-default = ["jira"]

[toggles.Program.Manage]
Objectives = []
"#;

fn hostile() -> tempfile::TempDir {
    repo(&[("roles/a.toml", HOSTILE_ROLE)])
}

// ---- inert ---------------------------------------------------------------------------

#[test]
fn concise_shows_a_line_break_in_a_name_escaped() {
    let dir = hostile();
    let out = run(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(!out.stdout.chars().any(is_control), "{:?}", out.stdout);
    assert!(out
        .stdout
        .contains(r"X\n::error file=x::pwned\r\n::warning::y \u{1b}]8;;"));
    snapshot!("concise", out.stdout);
}

#[test]
fn github_annotations_cannot_be_started_or_coloured_by_a_document() {
    let dir = hostile();
    let out = run(dir.path(), &["check", "--format", "github"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(lines[0].starts_with("::error file=roles/a.toml,line="));
    assert!(!out.stdout.chars().any(is_control), "{:?}", out.stdout);
    // Only rolelint's own `help:` break is a workflow-command line break.
    assert_eq!(lines[0].matches("%0A").count(), 1, "{}", lines[0]);
    snapshot!("github", out.stdout);
}

#[test]
fn human_shows_escape_sequences_escaped_in_messages_and_snippets() {
    // The name in the message, and raw control bytes in a file the snippet shows.
    let broken =
        "kind = \"align-role\"\nname = \"B\" # \u{1b}]8;;https://evil.example\u{7}x\u{1b}[2J\n";
    let dir = repo(&[("roles/a.toml", HOSTILE_ROLE), ("roles/b.toml", broken)]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(!out.stdout.chars().any(is_control), "{:?}", out.stdout);
    assert!(out.stdout.contains(r"\u{1b}]8;;https://evil.example\u{7}"));
    snapshot!("human", out.stdout);
}

/// Is `c` a `Char` of XML 1.0?
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn junit_with_control_characters_in_documents_is_valid_xml() {
    let dir = hostile();
    let out = run(dir.path(), &["check", "--format", "junit"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let bad: Vec<char> = out.stdout.chars().filter(|&c| !is_xml_char(c)).collect();
    assert!(bad.is_empty(), "not XML 1.0 characters: {bad:?}");
    let mut reader = quick_xml::Reader::from_str(&out.stdout);
    let mut failures = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|e| panic!("attribute: {e}"));
                    let value = a.unescape_value().unwrap_or_else(|e| panic!("{e}"));
                    assert!(value.chars().all(is_xml_char), "{value:?}");
                }
                failures += usize::from(e.name().as_ref() == b"failure");
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                let text = t.decode().unwrap_or_else(|e| panic!("{e}"));
                assert!(!text.chars().any(is_control), "{text:?}");
            }
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(failures, 1, "{}", out.stdout);
}

#[test]
fn machine_formats_keep_names_exact_and_valid() {
    let dir = hostile();
    let name = "X\n::error file=x::pwned\r\n::warning::y \u{1b}]8;;https://evil.example\u{7}link\u{1b}]8;;\u{7} \u{1b}[2J\u{9b}31m\u{202e}evil\u{85}z";
    let out = run(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let message = json["diagnostics"][0]["message"].as_str().expect("message");
    assert!(message.contains(name), "{message:?}");
    for format in ["sarif", "gitlab"] {
        let out = run(dir.path(), &["check", "--format", format]);
        serde_json::from_str::<serde_json::Value>(&out.stdout).expect("JSON");
        // JSON string escaping leaves no raw C0 control character in the output.
        assert!(!out.stdout.contains(['\u{1b}', '\u{7}', '\r']), "{format}");
    }
}

// ---- bounded, no panic ---------------------------------------------------------------

/// A role whose one line holds a value of 70,000 characters and, after it, a TOML error:
/// the span lies beyond column 65,535.
fn long_line_role() -> String {
    format!(
        "kind = \"align-role\"\nname = \"Long\"\ndescription = \"{}\" bogus\n",
        "x".repeat(70_000)
    )
}

#[test]
fn a_finding_beyond_column_65535_shows_a_window_of_its_line() {
    let dir = repo(&[("roles/long.toml", &long_line_role())]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.len() < 2_000, "{} bytes", out.stdout.len());
    assert!(
        out.stdout.contains("[roles/long.toml:3:70018]"),
        "{}",
        out.stdout
    );
    snapshot!("long-line", out.stdout);
}

#[test]
fn a_rule_finding_beyond_column_65535_renders() {
    // Two findings on one line past column 65,535: an unknown toggle with a 70,000
    // character name, and the connector default's Objectives.
    let role = format!(
        "kind = \"align-role\"\nname = \"C\"\nconnector-default = [\"jira\"]\ntoggles = {{ Program = {{ Manage = {{ \"{}\" = [], Objectives = [] }} }} }}\n",
        "y".repeat(70_000)
    );
    let dir = repo(&[("roles/c.toml", &role)]);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stdout.contains("AL103"), "{}", out.stdout);
    assert!(out.stdout.len() < 8_000, "{} bytes", out.stdout.len());
}

#[test]
fn a_long_line_in_rolelint_toml_is_reported_whatever_the_format() {
    let dir = repo(&[]);
    let config = format!("[paths]\ninclude = [\"{}\", 5]\n", "a".repeat(70_000));
    write(&dir.path().join("rolelint.toml"), &config);
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("[rolelint.toml:2:70016]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.len() < 2_000, "{} bytes", out.stderr.len());
}

#[test]
fn output_grows_with_findings_not_with_the_line_they_share() {
    // 1,000 findings on one 14 KB line: each used to print the whole line.
    let ids = vec!["\"rank-issue\""; 1_000].join(", ");
    let board = format!(
        "kind = \"jira-board\"\nname = \"B\"\ntype = \"scrum\"\nprojects = [\"P\"]\nadmins = []\n\n[[expect]]\nwho = \"group:g\"\ncan = [{ids}]\n"
    );
    let dir = repo(&[("b/board.toml", &board)]);
    let concise = run(dir.path(), &["check", "--format", "concise"]);
    let findings = concise.stdout.lines().filter(|l| l.contains("[AL")).count();
    assert!(findings >= 1_000, "{findings} findings");
    let human = run(dir.path(), &["check"]);
    assert_eq!(human.code, Some(1), "{}", human.stderr);
    let per_finding = human.stdout.len() / findings;
    assert!(per_finding < 1_500, "{per_finding} bytes a finding");
}

#[test]
fn a_huge_single_line_file_prints_a_window_not_the_line() {
    let role = format!("kind = \"align-role\" name = \"{}\"", "z".repeat(2_000_000));
    let dir = repo(&[("roles/huge.toml", &role)]);
    for format in [
        "human", "concise", "json", "junit", "github", "sarif", "gitlab",
    ] {
        let out = run(dir.path(), &["check", "--format", format]);
        assert_eq!(out.code, Some(1), "{format}: {}", out.stderr);
        assert!(
            out.stdout.len() < 20_000,
            "{format}: {} bytes",
            out.stdout.len()
        );
    }
}

#[test]
fn a_long_value_quoted_in_messages_is_cut() {
    let name = "n".repeat(100_000);
    let role = HOSTILE_ROLE.replace("name = \"X", &format!("name = \"{name}"));
    let dir = repo(&[("roles/a.toml", &role)]);
    for format in [
        "human", "concise", "json", "junit", "github", "sarif", "gitlab",
    ] {
        let out = run(dir.path(), &["check", "--format", format]);
        assert_eq!(out.code, Some(1), "{format}: {}", out.stderr);
        assert!(
            out.stdout.len() < 20_000,
            "{format}: {} bytes",
            out.stdout.len()
        );
    }
}

// ---- a closed standard output --------------------------------------------------------

/// Run with standard output a pipe whose reader is already closed; stdin empty.
fn run_closed(dir: &Path, args: &[&str]) -> (ExitStatus, String) {
    let mut cmd = rolelint(dir);
    cmd.args(args).stdin(Stdio::null()).stderr(Stdio::piped());
    let out = with_closed_stdout(cmd)
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    (out.status, stderr)
}

/// Spawn with standard output a pipe whose reader is closed before the child starts.
#[cfg(target_os = "linux")]
fn with_closed_stdout(mut cmd: Command) -> std::process::Child {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `pipe2` fills both descriptors, each then owned exactly once. O_CLOEXEC: a
    // child another test spawns meanwhile must not inherit the reader.
    let (reader, writer) = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0, "pipe2");
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    };
    drop(reader);
    cmd.stdout(Stdio::from(writer));
    cmd.spawn().unwrap_or_else(|e| panic!("{e}"))
}

/// Elsewhere: the reader is closed right after the spawn, long before rolelint prints.
#[cfg(not(target_os = "linux"))]
fn with_closed_stdout(mut cmd: Command) -> std::process::Child {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take());
    child
}

/// Ended as a Unix tool ends after `EPIPE`: by SIGPIPE.
fn assert_sigpipe(status: ExitStatus, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc_sigpipe()), "{what}: {status:?}");
    }
    #[cfg(not(unix))]
    assert!(!status.success(), "{what}");
}

#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13 // SIGPIPE on every Unix rolelint runs on
}

fn examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&manifest().join("examples"), dir.path());
    dir
}

#[test]
fn read_only_commands_end_quietly_on_a_closed_stdout() {
    let dir = examples();
    let cases: &[&[&str]] = &[
        &["rules"],
        &["rules", "--json"],
        &["explain", "AL101"],
        &["policy", "test"],
        &[
            "why",
            "group:platform-sms",
            "start-sprint",
            "--board",
            "Platform Scrum",
        ],
        &["check", "--show-config"],
    ];
    for args in cases {
        let (status, _) = run_closed(dir.path(), args);
        assert_sigpipe(status, &format!("{args:?}"));
    }
}

#[test]
fn check_ends_quietly_on_a_closed_stdout_in_every_format() {
    let dir = examples();
    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit",
    ] {
        let (status, _) = run_closed(dir.path(), &["check", "--format", format]);
        assert_sigpipe(status, format);
    }
}

#[test]
fn check_still_writes_its_report_files_when_stdout_is_closed() {
    let dir = examples();
    let (status, _) = run_closed(dir.path(), &["check", "--output", "json=out.json"]);
    assert_sigpipe(status, "check --output");
    let report = fs::read_to_string(dir.path().join("out.json")).expect("report written");
    serde_json::from_str::<serde_json::Value>(&report).expect("a whole JSON report");
}

#[test]
fn fmt_formats_every_file_when_stdout_is_closed() {
    let dir = examples();
    // Make every document non-canonical, so `fmt` reports each one.
    let docs: Vec<PathBuf> = walk(dir.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("rolelint.toml"))
        .collect();
    assert!(docs.len() > 5);
    for p in &docs {
        let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{e}"));
        write(p, &format!("\n\n{text}\n\n"));
    }
    let (status, stderr) = run_closed(dir.path(), &["fmt", "--check"]);
    assert_sigpipe(status, "fmt --check");
    assert!(stderr.contains("would be reformatted"), "{stderr}");
    let (status, _) = run_closed(dir.path(), &["fmt"]);
    assert_sigpipe(status, "fmt");
    let after = run(dir.path(), &["fmt", "--check"]);
    assert_eq!(after.code, Some(0), "{}{}", after.stdout, after.stderr);
    assert_eq!(after.stdout, "");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn check_diff_ends_quietly_on_a_closed_stdout() {
    let typo = "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n\n[toggles.Portfolio.Manage]\nEpicks = []\n";
    let dir = repo(&[("roles/typo.toml", typo)]);
    let (status, _) = run_closed(dir.path(), &["check", "--diff"]);
    assert_sigpipe(status, "check --diff");
    assert_eq!(
        fs::read_to_string(dir.path().join("roles/typo.toml")).expect("kept"),
        typo
    );
}

#[test]
fn import_to_stdout_ends_quietly_on_a_closed_stdout() {
    let dir = repo(&[]);
    let payload = manifest().join("tests/fixtures/import/documents/jira-scheme/cloud-example.json");
    let payload = payload.to_str().expect("UTF-8 path");
    let (status, _) = run_closed(dir.path(), &["import", "jira-scheme", payload]);
    assert_sigpipe(status, "import");
}

#[test]
fn license_ends_quietly_on_a_closed_stdout() {
    let repo = manifest().join("tests/fixtures/license/repo");
    for format in ["human", "json", "csv"] {
        let (status, _) = run_closed(&repo, &["license", "--format", format]);
        assert_sigpipe(status, format);
    }
}

#[test]
fn a_closed_stdout_is_no_failure_to_report_when_nothing_is_printed() {
    // A clean run in a quiet format prints nothing: nothing to lose, exit 0.
    let dir = repo(&[("roles/ok.toml", "kind = \"align-role\"\nname = \"Ok\"\n")]);
    let (status, stderr) = run_closed(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(status.code(), Some(0), "{stderr}");
}

// ---- the other commands --------------------------------------------------------------

#[test]
fn fmt_shows_a_path_with_a_line_break_escaped() {
    let name = "roles/a\n::error file=x::pwned \u{1b}[2J.toml";
    let dir = repo(&[(name, "name = \"A\"\nkind = \"align-role\"\n")]);
    let out = run(dir.path(), &["fmt", "--check"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "would reformat roles/a\\n::error file=x::pwned \\u{1b}[2J.toml\n"
    );
}

#[test]
fn license_shows_roles_from_the_export_escaped() {
    let dir = repo(&[]);
    write(
        &dir.path().join("rolelint.toml"),
        "[paths]\ninclude = [\"**/*.toml\"]\n[license]\npeople = \"people.csv\"\n",
    );
    write(
        &dir.path().join("roles/r.toml"),
        "kind = \"align-role\"\nname = \"R\"\n",
    );
    write(
        &dir.path().join("people.csv"),
        "ID,First Name,Last Name,Email,System Role,Active User\n1,A,B,a@example.com,\"Evil\n::error::x \u{1b}]8;;https://e\u{7}\",Active\n",
    );
    let out = run(dir.path(), &["license"]);
    assert!(!out.stdout.chars().any(is_control), "{:?}", out.stdout);
    assert!(
        !out.stdout.lines().any(|l| l.starts_with("::")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(r"Evil\n::error::x \u{1b}]8;;https://e\u{7}"),
        "{}",
        out.stdout
    );
}

#[test]
fn why_shows_names_from_documents_escaped() {
    let dir = examples();
    let board = dir.path().join("jira/boards/platform-scrum.toml");
    let text = fs::read_to_string(&board).expect("board");
    write(
        &board,
        &text.replace(
            "name = \"Platform Scrum\"",
            "name = \"Platform\\u001b[2J\\nScrum\"",
        ),
    );
    let out = run(
        dir.path(),
        &[
            "why",
            "group:platform-sms",
            "start-sprint",
            "--board",
            "Platform\u{1b}[2J\nScrum",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stdout.chars().any(is_control), "{:?}", out.stdout);
    assert!(
        out.stdout.contains(r"board `Platform\u{1b}[2J\nScrum`"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_fatal_sentence_is_one_inert_line() {
    let dir = examples();
    let out = run(
        dir.path(),
        &[
            "why",
            "group:ops-team",
            "start-sprint",
            "--board",
            "no\n::error::such \u{1b}[2J board",
        ],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        !out.stderr.lines().any(|l| l.starts_with("::")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.chars().any(is_control), "{:?}", out.stderr);
    assert!(
        out.stderr.contains(r"no\n::error::such \u{1b}[2J board"),
        "{}",
        out.stderr
    );
}

/// Every command prints through `rolelint::console` (`out!`, `outln!`, `errln!`,
/// `console::Stdout`): `print!`-family macros panic on a closed pipe.
#[test]
fn nothing_prints_around_the_console() {
    let mut offenders = Vec::new();
    for path in walk(&manifest().join("src")) {
        let rel = path.strip_prefix(manifest()).unwrap_or(&path).to_path_buf();
        if rel.starts_with("src/bin") || rel.ends_with("console.rs") {
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let prints = ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("]
                .iter()
                .any(|m| code.contains(m));
            let stdout = code.contains("stdout()") && !code.contains("is_terminal()");
            if prints || stdout {
                offenders.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "print through rolelint::console:\n{}",
        offenders.join("\n")
    );
}
