//! One page per rule from `rolelint rules --json`, with a failing and a passing example and the
//! finding the failing one really produces. Examples come from the rule's policy entry; a rule
//! whose entry has none (most document checks) takes the first `fail-*` and `pass-*` fixture
//! under tests/fixtures/rules/.
use super::{banner, capitalize, fenced, root, run};
use std::path::PathBuf;

/// A rule as `rolelint rules --json` describes it.
#[derive(serde::Deserialize)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub severity: String,
    #[serde(rename = "type")]
    pub rule_type: String,
    pub summary: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: Option<Source>,
    pub suppressible: bool,
    #[serde(default)]
    pub example_fail: Vec<String>,
    #[serde(default)]
    pub example_pass: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// The built-in rules and checks (run outside any repository: no team rules).
pub fn load() -> Vec<Rule> {
    let outside = tempfile::tempdir().expect("temp dir");
    let (code, json) = run(outside.path(), &["rules", "--json"]);
    assert_eq!(code, 0, "`rolelint rules --json` failed");
    serde_json::from_str(&json).expect("`rules --json` is a list of rules")
}

/// An example repository: its files (path, bytes) and where it comes from.
struct Example {
    files: Vec<(String, Vec<u8>)>,
    /// The fixture directory, relative to the root; `None` for a policy entry's example.
    fixture: Option<PathBuf>,
}

impl Example {
    fn from_policy(documents: &[String]) -> Self {
        let name = |i: usize| {
            if documents.len() == 1 {
                "example.toml".to_string()
            } else {
                format!("example-{}.toml", i + 1)
            }
        };
        let mut files = vec![("rolelint.toml".to_string(), Vec::new())];
        files.extend(
            documents
                .iter()
                .enumerate()
                .map(|(i, d)| (name(i), d.clone().into_bytes())),
        );
        Self {
            files,
            fixture: None,
        }
    }

    /// The first fixture of `rule` whose directory starts with `prefix` (`fail-`, `pass-`).
    fn from_fixture(rule: &Rule, prefix: &str) -> Option<Self> {
        let rules = root().join("tests/fixtures/rules");
        let dir = std::fs::read_dir(&rules)
            .expect("tests/fixtures/rules")
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy() == format!("{}-{}", rule.code, rule.name))
            })?;
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        cases.sort();
        let case = cases.into_iter().next()?;
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&case).sort_by_file_name() {
            let entry = entry.expect("walk fixture");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&case).expect("inside");
                files.push((
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(entry.path()).expect("read fixture"),
                ));
            }
        }
        // rolelint.toml first, as in a policy example.
        files.sort_by_key(|(name, _)| (name != "rolelint.toml", name.clone()));
        Some(Self {
            files,
            fixture: Some(case.strip_prefix(root()).expect("inside").to_path_buf()),
        })
    }

    /// `rolelint check --select CODE` on the example: exit code and what it prints.
    fn check(&self, code: &str) -> (i32, String) {
        self.run("", &["check", "--select", code])
    }

    /// `rolelint args` on the example, with `config` appended to its rolelint.toml.
    fn run(&self, config: &str, args: &[&str]) -> (i32, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, bytes) in &self.files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            let mut bytes = bytes.clone();
            if name == "rolelint.toml" {
                bytes.extend_from_slice(config.as_bytes());
            }
            std::fs::write(path, bytes).expect("write example");
        }
        run(dir.path(), args)
    }

    /// The severities of the findings of `code` in a JSON run.
    fn severities(&self, code: &str, config: &str, args: &[&str]) -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let (_, out) = self.run(config, &all);
        let report: serde_json::Value = serde_json::from_str(&out).expect("json report");
        report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["code"] == code && d["suppressed"].is_null())
            .map(|d| d["severity"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The example's files as Markdown; an empty or comment-only rolelint.toml is left out.
    fn render(&self) -> String {
        let mut s = String::new();
        if let Some(fixture) = &self.fixture {
            s.push_str(&format!("From the fixture `{}`.\n\n", fixture.display()));
        }
        let shown: Vec<_> = self
            .files
            .iter()
            .filter(|(name, bytes)| {
                name != "rolelint.toml"
                    || String::from_utf8_lossy(bytes)
                        .lines()
                        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            })
            .collect();
        for (name, bytes) in shown {
            let text = String::from_utf8_lossy(bytes);
            s.push_str(&format!("`{name}`"));
            if std::str::from_utf8(bytes).is_err() {
                s.push_str(" (not UTF-8: the bytes that are not are shown as `\u{fffd}`)");
            }
            s.push_str(":\n\n");
            s.push_str(&fenced("toml", &text));
            s.push('\n');
        }
        s
    }
}

fn examples(rule: &Rule, fails: bool) -> Option<Example> {
    let documents = if fails {
        &rule.example_fail
    } else {
        &rule.example_pass
    };
    if documents.is_empty() {
        Example::from_fixture(rule, if fails { "fail-" } else { "pass-" })
    } else {
        Some(Example::from_policy(documents))
    }
}

/// The page of one rule.
pub fn page(rule: &Rule) -> String {
    let code = &rule.code;
    let mut s = format!("# {code} {}\n\n", rule.name);
    s.push_str(&banner("`rolelint rules --json` and the rule's examples"));
    s.push('\n');
    s.push_str(&format!("{}.\n\n", capitalize(&rule.summary)));
    s.push_str("| | |\n|---|---|\n");
    s.push_str(&format!(
        "| Code | `{code}` |\n| Name | `{}` |\n",
        rule.name
    ));
    s.push_str(&format!("| Default severity | {} |\n", rule.severity));
    s.push_str(&format!("| Type | {} |\n", rule.rule_type));
    s.push_str(&format!(
        "| Suppressible | {} |\n\n",
        if rule.suppressible { "yes" } else { "no" }
    ));
    if let Some(note) = &rule.note {
        s.push_str(&format!(
            "## Why\n\n{}.\n\n",
            capitalize(note.trim_end_matches('.'))
        ));
    }
    s.push_str("## What it reports\n\n");
    if !rule.message.is_empty() {
        s.push_str(&format!("Message: {}\n\n", rule.message));
    }
    if !rule.help.is_empty() {
        s.push_str(&format!("Help: {}\n\n", rule.help));
    }
    if let Some(src) = &rule.source {
        s.push_str("## Source\n\n");
        match &src.url {
            Some(url) => s.push_str(&format!("[{}]({url})\n\n", src.title)),
            None => s.push_str(&format!("{}\n\n", src.title)),
        }
    }
    let failing = examples(rule, true);
    match &failing {
        Some(example) => {
            let (exit, out) = example.check(code);
            assert!(
                exit == 1 || out.contains(&format!("{code}(")),
                "{code}: the failing example reports nothing (exit {exit}):\n{out}"
            );
            s.push_str("## Example that fails\n\n");
            s.push_str(&example.render());
            s.push_str(&format!(
                "`rolelint check --select {code}` reports (exit code {exit}):\n\n"
            ));
            s.push_str(&fenced("text", &out));
            s.push('\n');
        }
        None => panic!("{code}: no failing example in its policy entry nor a fail-* fixture"),
    }
    if let Some(example) = examples(rule, false) {
        let (exit, out) = example.check(code);
        assert!(
            !out.contains(&format!("{code}(")),
            "{code}: the passing example reports it:\n{out}"
        );
        s.push_str("## Example that passes\n\n");
        s.push_str(&example.render());
        s.push_str(&format!(
            "`rolelint check --select {code}` reports nothing of it (exit code {exit}): `{}`\n\n",
            out.lines().last().unwrap_or_default()
        ));
    }
    s.push_str("## Configuration\n\n");
    s.push_str(&configuration(
        rule,
        failing.as_ref().expect("a failing example"),
    ));
    s.push_str(&format!(
        "\n`rolelint explain {code}` prints this documentation in a terminal.\n"
    ));
    s
}

/// How a repository tunes the rule, each sentence checked on the failing example first.
fn configuration(rule: &Rule, failing: &Example) -> String {
    let code = &rule.code;
    let disable = format!("\n[policies]\ndisable = [\"{code}\"]\n");
    let (refused, _) = failing.run(&disable, &["check"]);
    let lowered = failing.severities(code, "", &["--severity", &format!("{code}=info")]);
    let configured = failing.severities(code, &format!("\n[severity]\n{code} = \"info\"\n"), &[]);
    let ignored = failing.severities(code, "", &["--ignore", code]);
    let mut s = String::new();
    if refused == 2 {
        s.push_str(&format!(
            "A document check stays on: `[policies] disable = [\"{code}\"]` is refused (exit 2). "
        ));
    } else if failing.severities(code, &disable, &[]).is_empty() {
        s.push_str(&format!(
            "Switch it off with `[policies] disable = [\"{code}\"]` in `rolelint.toml`. "
        ));
    } else {
        s.push_str(&format!(
            "`[policies] disable = [\"{code}\"]` does not switch it off (it is reported all the same). "
        ));
    }
    if lowered.iter().chain(&configured).all(|l| l == "info") {
        s.push_str(&format!(
            "Change its severity with `[severity] {code} = \"info\"` or `--severity {code}=info`. "
        ));
    }
    if ignored.is_empty() {
        s.push_str(&format!(
            "`--ignore {code}` leaves it out of a run, `--select {code}` runs it alone. "
        ));
    }
    s.push_str("See [Configuration](../configuration.md). ");
    if rule.suppressible {
        s.push_str(&format!(
            "Suppress one finding with `# rolelint: allow({code}) reason=\"...\"` on its line."
        ));
    } else {
        s.push_str("Its findings cannot be suppressed.");
    }
    s.push('\n');
    s
}

/// The index of every rule.
pub fn index(rules: &[Rule]) -> String {
    let mut s = String::from("# Rules\n\n");
    s.push_str(&banner("`rolelint rules --json`"));
    s.push_str(
        "\nEvery built-in rule. `AL1xx` are the Jira Align rules, `AL2xx` the Jira rules (both \
         defined in `policies/`), `RLxxx` the document checks built into rolelint. \
         `rolelint rules` prints this list and `rolelint explain CODE` one page; inside a \
         repository both include its own policy rules too.\n\n",
    );
    s.push_str("| code | name | severity | summary |\n|---|---|---|---|\n");
    for r in rules {
        s.push_str(&format!(
            "| [{}](rules/{}.md) | `{}` | {} | {} |\n",
            r.code,
            r.code,
            r.name,
            r.severity,
            r.summary.replace('|', "\\|")
        ));
    }
    s
}
