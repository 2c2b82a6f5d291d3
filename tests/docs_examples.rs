//! Every example of the README and the book is executed or parsed, so a documented example
//! that stops being true fails `cargo test`:
//!
//! - ```` ```console ```` blocks are trycmd sessions (`$ rolelint ...`, the expected output
//!   with stderr merged in, `? 1` for a non-zero exit, `...` and `[..]` wildcards). They run
//!   against the real binary with the repository root as the working directory, in a
//!   throw-away copy of the repository's data (examples, policies, templates, fixtures, the
//!   book), so a documented `fmt` or `init` writes nothing here.
//! - ```` ```toml ```` blocks are checked as what they are: a `rolelint.toml` configuration
//!   (read by `check --show-config`), a document or policy (`kind = ...`, read by `check`
//!   without a reading error), otherwise a fragment that must at least be valid TOML.
//! - ```` ```yaml ```` blocks are parsed as YAML, and pre-commit, GitHub Actions and GitLab CI
//!   files are checked for the keys those tools require.
//! - ```` ```json ```` blocks are parsed as JSON.
//!
//! Every block of shell commands is a console block, or says why it is not run on the line
//! above its fence (`<!-- not run: REASON -->`, e.g. `cargo install`): a `text` block holding
//! a `$ ` command line, or an `sh` block without a reason, fails
//! [`every_command_block_runs_or_says_why_not`].
mod common;
mod docs;

use docs::Block;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The date every documented command runs on, so expiry dates in examples stay put.
const TODAY: &str = "2026-12-01";

/// What a documented session may use besides the repository's own files.
const DATA: &[&str] = &[
    "examples",
    "policies",
    "templates",
    "tests/fixtures",
    "docs",
    ".pre-commit-hooks.yaml",
];

/// A git history the pages showing `--against` (`license --against`, `review --against`,
/// `check --new-against`) run on: in the sandbox of each of `pages`, `repo` is made a git
/// repository whose one commit lacks `line` of `file`, which the working tree has.
struct History {
    pages: &'static [&'static str],
    repo: &'static str,
    file: &'static str,
    line: &'static str,
}

const HISTORIES: &[History] = &[
    // The Jira connector's default role gains a report integrated users may not have.
    History {
        pages: &["docs/src/license.md", "docs/src/review.md"],
        repo: "docs/examples/license",
        file: "roles/jira-connector-users.toml",
        line: "\"Sprint Health\" = []\n",
    },
    // A scheme shared by twelve projects grants Delete Issues to a group.
    History {
        pages: &["docs/src/review.md"],
        repo: "docs/examples/shared-scheme",
        file: "shared.toml",
        line: "DELETE_ISSUES = [\"group:devs\"]\n",
    },
];

/// What a page's sessions need besides [`DATA`], made in its sandbox before it runs.
fn prepare_page(page: &Path, sandbox: &Path) {
    for history in HISTORIES {
        if history.pages.iter().any(|p| page == Path::new(p)) {
            build_history(history, &sandbox.join(history.repo));
        }
    }
}

/// Make `repo` (a copy of `history.repo`) a git repository whose one commit, the branch
/// `main` and the remote branch `origin/main`, is the copy without `history.line`: the working
/// tree, the example as it is, is the change under review. Author, committer and dates are
/// fixed, so the commit id the pages show is the same on every run.
fn build_history(history: &History, repo: &Path) {
    let file = repo.join(history.file);
    let now = std::fs::read_to_string(&file).expect("the changed file");
    assert!(
        now.contains(history.line),
        "{}/{} no longer has the line its history adds: {}",
        history.repo,
        history.file,
        history.line
    );
    std::fs::write(&file, now.replacen(history.line, "", 1)).expect("write base");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(repo)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Docs")
            .env("GIT_AUTHOR_EMAIL", "docs@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-30T12:00:00Z")
            .env("GIT_COMMITTER_NAME", "Docs")
            .env("GIT_COMMITTER_EMAIL", "docs@example.com")
            .env("GIT_COMMITTER_DATE", "2026-11-30T12:00:00Z")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&[
        "commit",
        "-q",
        "--no-gpg-sign",
        "-m",
        "The example before the change",
    ]);
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    std::fs::write(&file, now).expect("write change");
}

/// Generated rule pages show each failing example together with the finding the generator got
/// by running it (tests/reference_docs.rs), so their TOML is deliberately broken at times.
const GENERATED_RULES: &str = "docs/src/reference/rules/";

fn all_blocks() -> Vec<Block> {
    docs::markdown_files()
        .iter()
        .flat_map(|f| docs::code_blocks(f))
        .collect()
}

fn rolelint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolelint"));
    cmd.env("ROLELINT_TODAY", TODAY).env("NO_COLOR", "1");
    cmd
}

/// `file` as a trycmd case name: `docs/src/a.md` → `docs__src__a.md`.
fn case_name(file: &Path) -> String {
    file.to_string_lossy().replace(['/', '\\'], "__")
}

#[test]
fn console_examples_run_as_documented() {
    let work = tempfile::tempdir().expect("temp dir");
    let mut sessions = 0;
    let mut pages = Vec::new();
    for file in docs::markdown_files() {
        let steps: usize = docs::code_blocks(&file)
            .iter()
            .filter(|b| b.lang == "console")
            .map(|b| b.text.lines().filter(|l| l.starts_with("$ ")).count())
            .sum();
        if steps == 0 {
            continue;
        }
        sessions += steps;
        // trycmd runs `X.md` in a fresh copy of the directory `X.in`, and compares the files of
        // `X.out` (none) afterwards: a sandbox per page.
        let case = work.path().join(case_name(&file));
        std::fs::write(&case, trycmd_form(&docs::read(&file))).expect("write case");
        let base = case.with_extension("in");
        for data in DATA {
            let from = docs::root().join(data);
            if from.is_dir() {
                common::copy_tree(&from, &base.join(data));
            } else if from.is_file() {
                std::fs::create_dir_all(base.join(data).parent().expect("parent")).expect("mkdir");
                std::fs::copy(&from, base.join(data)).expect("copy");
            }
        }
        prepare_page(&file, &base);
        std::fs::create_dir_all(case.with_extension("out")).expect("mkdir out");
        pages.push((case, file));
    }
    eprintln!("{sessions} documented commands (case files are named after their page: docs__src__x.md is docs/src/x.md)");
    // The README and the book show commands: none found means the scan above is broken,
    // not that there is nothing to check.
    assert!(
        sessions > 0,
        "no `$ rolelint ...` step found in any console block"
    );
    trycmd::TestCases::new()
        .register_bin("rolelint", Path::new(env!("CARGO_BIN_EXE_rolelint")))
        .env("ROLELINT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(120))
        .case(work.path().join("*.md"))
        .run();
    // `TRYCMD=overwrite cargo test --test docs_examples` rewrote the copies with what the
    // commands print now: bring that back into the pages (review it with `git diff`).
    if std::env::var("TRYCMD").as_deref() == Ok("overwrite") {
        for (case, file) in pages {
            let now = std::fs::read_to_string(case).expect("read case");
            std::fs::write(docs::root().join(file), docs_form(&now)).expect("write the page");
        }
    }
}

/// trycmd drops the last newline of an expected output (so that output without one can be
/// written), and wants a blank line before the closing fence for output that ends with one, as
/// every rolelint output does. The docs are written as a terminal shows them instead: this adds
/// that blank line before each console block's closing fence, taking away the blank line that
/// follows the block when there is one, so line numbers in trycmd's messages stay those of the
/// page. An output that ends with an empty line shows it in the page as an empty last line.
fn trycmd_form(page: &str) -> String {
    let mut lines: Vec<&str> = page.split('\n').collect();
    let mut inside = false;
    let mut i = 0;
    while i < lines.len() {
        if !inside && lines[i].starts_with("```console") {
            inside = true;
        } else if inside && lines[i].trim_end() == "```" {
            inside = false;
            // (Not the empty string after the page's last newline.)
            if i + 2 < lines.len() && lines[i + 1].is_empty() {
                lines.remove(i + 1);
            }
            lines.insert(i, "");
            i += 1;
        }
        i += 1;
    }
    lines.join("\n")
}

/// The inverse of [`trycmd_form`], for pages rewritten by `TRYCMD=overwrite`.
fn docs_form(case: &str) -> String {
    let mut lines: Vec<&str> = case.split('\n').collect();
    let mut inside = false;
    let mut i = 0;
    while i < lines.len() {
        if !inside && lines[i].starts_with("```console") {
            inside = true;
        } else if inside && lines[i].trim_end() == "```" {
            inside = false;
            if lines[i - 1].is_empty() {
                lines.remove(i - 1);
                i -= 1;
            }
            if lines.get(i + 1).is_some_and(|l| !l.is_empty()) {
                lines.insert(i + 1, "");
            }
        }
        i += 1;
    }
    lines.join("\n")
}

#[test]
fn console_blocks_keep_their_line_numbers_in_trycmd_form() {
    let page =
        "a\n```console\n$ rolelint x\nout\n```\n\nb\n```console\n$ rolelint y\nout\n\n```\n\nc\n";
    let case = trycmd_form(page);
    assert_eq!(
        case,
        "a\n```console\n$ rolelint x\nout\n\n```\nb\n```console\n$ rolelint y\nout\n\n\n```\nc\n"
    );
    assert_eq!(case.lines().count(), page.lines().count());
    assert_eq!(docs_form(&case), page);
}

/// Languages of blocks that hold shell commands.
const SHELL: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "zsh",
    "fish",
    "console",
    "shell-session",
    "powershell",
    "ps1",
    "bat",
    "cmd",
];

/// Why `block` breaks the rule that every command example runs, if it does.
fn command_block_problem(block: &Block) -> Option<String> {
    let lang = block.lang.as_str();
    let marked = block.not_run.as_deref().is_some_and(|r| !r.is_empty());
    if lang == "console" {
        if block.indented {
            return Some("an indented console block is not run (trycmd sees fences at the start of a line only): move it out of the list item".into());
        }
        if block.not_run.is_some() {
            return Some(
                "a console block is always run: make it `sh` to keep it from running".into(),
            );
        }
        let other = block
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("$ "))
            .find(|cmd| cmd.split_whitespace().find(|w| !w.contains('=')) != Some("rolelint"));
        return other.map(|cmd| {
            format!("`{cmd}`: a console block runs `rolelint` commands only; show other commands in an `sh` block that says why it is not run")
        });
    }
    if SHELL.contains(&lang) {
        return (!marked).then(|| {
            format!("a `{lang}` block is not run: make it a `console` block (`$ rolelint ...` and the output), or say why not on the line above its fence: `<!-- not run: REASON -->`")
        });
    }
    let transcript = block.text.lines().any(|l| l.trim_start().starts_with("$ "));
    (transcript && !marked).then(|| {
        format!("a `{lang}` block with `$ ` command lines is not run: make it a `console` block")
    })
}

#[test]
fn every_command_block_runs_or_says_why_not() {
    let blocks = all_blocks();
    let problems: Vec<String> = blocks
        .iter()
        .filter_map(|b| command_block_problem(b).map(|p| format!("{}: {p}", b.at())))
        .collect();
    let not_run: Vec<String> = blocks
        .iter()
        .filter(|b| SHELL.contains(&b.lang.as_str()) && b.lang != "console")
        .map(|b| {
            format!(
                "{} ({})",
                b.at(),
                b.not_run
                    .as_deref()
                    .unwrap_or("reason kept in NOT_RUN_ELSEWHERE")
            )
        })
        .collect();
    eprintln!(
        "command blocks not run, with their reasons:\n  {}",
        not_run.join("\n  ")
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The guard itself: what it flags and what it lets through.
#[test]
fn command_blocks_are_flagged_unless_run_or_explained() {
    let block = |lang: &str, text: &str, not_run: Option<&str>| Block {
        file: PathBuf::from("t.md"),
        line: 1,
        lang: lang.into(),
        text: text.into(),
        not_run: not_run.map(str::to_string),
        indented: false,
    };
    assert!(command_block_problem(&block("sh", "cargo install rolelint\n", None)).is_some());
    assert!(command_block_problem(&block("sh", "cargo install rolelint\n", Some(""))).is_some());
    assert!(command_block_problem(&block("sh", "cargo install x\n", Some("network"))).is_none());
    assert!(
        command_block_problem(&block("text", "$ rolelint init x\ncreated x\n", None)).is_some()
    );
    assert!(command_block_problem(&block("text", "AL101 ...\n", None)).is_none());
    assert!(command_block_problem(&block("console", "$ rolelint check\n", None)).is_none());
    assert!(
        command_block_problem(&block("console", "$ NO_COLOR=1 rolelint check\n", None)).is_none()
    );
    assert!(command_block_problem(&block("console", "$ cargo test\n", None)).is_some());
    assert!(command_block_problem(&block("console", "$ rolelint x\n", Some("why"))).is_some());
    assert!(command_block_problem(&block("", "$ rolelint x\n", None)).is_some());
    assert!(command_block_problem(&block("", "src/\n  cli.rs\n", None)).is_none());
    let indented = Block {
        indented: true,
        ..block("console", "$ rolelint check\n", None)
    };
    assert!(command_block_problem(&indented).is_some());
}

/// The configuration sections of `rolelint.toml`.
const CONFIG_SECTIONS: &[&str] = &[
    "paths",
    "policies",
    "severity",
    "align",
    "jira",
    "license",
    "exception",
    "limits",
];

/// Document checks that mean "rolelint could not read this as written": a documented document
/// or policy must not raise them.
const READING_ERRORS: &[&str] = &[
    "RL001", "RL002", "RL003", "RL004", "RL005", "RL006", "RL008", "RL010", "RL011", "RL020",
    "RL021", "RL022", "RL023",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum TomlSnippet {
    Configuration,
    Document,
    Fragment,
}

fn classify(table: &toml::Table) -> TomlSnippet {
    if table.contains_key("kind") {
        TomlSnippet::Document
    } else if !table.is_empty() && table.keys().all(|k| CONFIG_SECTIONS.contains(&k.as_str())) {
        TomlSnippet::Configuration
    } else {
        TomlSnippet::Fragment
    }
}

/// A temporary repository holding `files`; the snippet's `rolelint.toml` when it is one.
fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    common::tree(files)
}

fn check_configuration(block: &Block) -> Result<(), String> {
    let dir = repository(&[("rolelint.toml", &block.text)]);
    let out = rolelint()
        .current_dir(dir.path())
        .args(["check", "--show-config"])
        .output()
        .expect("run rolelint");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "not a valid rolelint.toml (`check --show-config` exits {:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn check_document(block: &Block) -> Result<(), String> {
    let dir = repository(&[("rolelint.toml", ""), ("snippet.toml", &block.text)]);
    let out = rolelint()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .expect("run rolelint");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|_| {
        format!(
            "`check` gave no report (exit {:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let errors: Vec<String> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| READING_ERRORS.contains(&d["code"].as_str().unwrap_or("")))
        .map(|d| format!("line {} {}: {}", d["line"], d["code"], d["message"]))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "rolelint cannot read it as written:\n{}",
            errors.join("\n")
        ))
    }
}

#[test]
fn toml_snippets_are_what_they_claim() {
    let mut counts = [0usize; 3];
    let mut problems = Vec::new();
    for block in all_blocks().iter().filter(|b| b.lang == "toml") {
        if block.file.starts_with(GENERATED_RULES) {
            continue;
        }
        let table = match block.text.parse::<toml::Table>() {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: not valid TOML: {e}", block.at()));
                continue;
            }
        };
        let kind = classify(&table);
        let checked = match kind {
            TomlSnippet::Configuration => check_configuration(block),
            TomlSnippet::Document => check_document(block),
            TomlSnippet::Fragment => Ok(()),
        };
        counts[kind as usize] += 1;
        if let Err(e) = checked {
            problems.push(format!("{}: {e}", block.at()));
        }
    }
    eprintln!(
        "TOML snippets: {} configurations, {} documents or policies, {} fragments (parsed only)",
        counts[0], counts[1], counts[2]
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The keys pre-commit, GitHub Actions and GitLab CI require of the files the docs show.
fn check_yaml_shape(doc: &saphyr::Yaml) -> Result<&'static str, String> {
    let text = |y: Option<&saphyr::Yaml>| y.and_then(|v| v.as_str()).map(str::to_string);
    if let Some(repos) = doc.as_mapping_get("repos") {
        let hooks_file = std::fs::read_to_string(docs::root().join(".pre-commit-hooks.yaml"))
            .expect(".pre-commit-hooks.yaml");
        for repo in repos.as_vec().ok_or("`repos` is not a list")? {
            let url = text(repo.as_mapping_get("repo")).ok_or("a repo without `repo`")?;
            if url != "local" && url != "meta" && text(repo.as_mapping_get("rev")).is_none() {
                return Err(format!("repo `{url}` has no `rev`"));
            }
            let hooks = repo
                .as_mapping_get("hooks")
                .and_then(|h| h.as_vec())
                .ok_or(format!("repo `{url}` has no `hooks` list"))?;
            for hook in hooks {
                let id = text(hook.as_mapping_get("id")).ok_or("a hook without `id`")?;
                if url.contains("rolelint") && !hooks_file.contains(&format!("id: {id}\n")) {
                    return Err(format!("hook `{id}` is not in .pre-commit-hooks.yaml"));
                }
            }
        }
        return Ok("pre-commit configuration");
    }
    if let Some(jobs) = doc.as_mapping_get("jobs") {
        if !doc.contains_mapping_key("on") {
            return Err("a GitHub workflow without `on`".into());
        }
        for (name, job) in jobs.as_mapping().ok_or("`jobs` is not a mapping")? {
            let name = text(Some(name)).unwrap_or_default();
            if !job.contains_mapping_key("runs-on") {
                return Err(format!("job `{name}` has no `runs-on`"));
            }
            let steps = job
                .as_mapping_get("steps")
                .and_then(|s| s.as_vec())
                .ok_or(format!("job `{name}` has no `steps` list"))?;
            for step in steps {
                if !step.contains_mapping_key("run") && !step.contains_mapping_key("uses") {
                    return Err(format!(
                        "a step of job `{name}` has neither `run` nor `uses`"
                    ));
                }
            }
        }
        return Ok("GitHub Actions workflow");
    }
    if let Some(map) = doc.as_mapping() {
        let jobs: Vec<_> = map
            .values()
            .filter(|job| job.contains_mapping_key("script"))
            .collect();
        if !jobs.is_empty() {
            for job in jobs {
                if job
                    .as_mapping_get("script")
                    .and_then(|s| s.as_vec())
                    .is_none()
                {
                    return Err("a GitLab job whose `script` is not a list".into());
                }
            }
            return Ok("GitLab CI job");
        }
    }
    Ok("other YAML")
}

#[test]
fn yaml_and_json_snippets_parse() {
    use saphyr::LoadableYamlNode;
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    let mut problems = Vec::new();
    for block in all_blocks() {
        match block.lang.as_str() {
            "yaml" | "yml" => match saphyr::Yaml::load_from_str(&block.text) {
                Ok(parsed) if parsed.len() == 1 => match check_yaml_shape(&parsed[0]) {
                    Ok(kind) => *kinds.entry(kind).or_default() += 1,
                    Err(e) => problems.push(format!("{}: {e}", block.at())),
                },
                Ok(parsed) => problems.push(format!(
                    "{}: {} YAML documents, expected one",
                    block.at(),
                    parsed.len()
                )),
                Err(e) => problems.push(format!("{}: not valid YAML: {e}", block.at())),
            },
            "json" => match serde_json::from_str::<serde_json::Value>(&block.text) {
                Ok(_) => *kinds.entry("JSON").or_default() += 1,
                Err(e) => problems.push(format!("{}: not valid JSON: {e}", block.at())),
            },
            _ => {}
        }
    }
    eprintln!("YAML and JSON snippets: {kinds:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The harness itself: a block of each kind is classified as the docs mean it.
#[test]
fn snippets_are_classified_by_content() {
    let table = |s: &str| s.parse::<toml::Table>().expect("toml");
    assert_eq!(
        classify(&table("[jira]\nplatform = \"cloud\"\n")),
        TomlSnippet::Configuration
    );
    assert_eq!(
        classify(&table("kind = \"policy\"\nname = \"p\"\n")),
        TomlSnippet::Document
    );
    assert_eq!(
        classify(&table("[grants]\nX = []\n")),
        TomlSnippet::Fragment
    );
    let block = |text: &str| Block {
        file: PathBuf::from("t.md"),
        line: 1,
        lang: "toml".into(),
        text: text.into(),
        not_run: None,
        indented: false,
    };
    assert!(check_configuration(&block("[jira]\nplatform = \"onprem\"\n")).is_err());
    assert!(check_document(&block("kind = \"align-role\"\nnme = \"x\"\n")).is_err());
    assert!(check_document(&block("kind = \"align-role\"\nname = \"x\"\n")).is_ok());
}
