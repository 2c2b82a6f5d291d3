//! Machine output formats, end to end: the real binary on `tests/fixtures/cli/outputs/`,
//! each output fed to a real consumer (the SARIF 2.1.0 JSON schema and `serde_sarif`,
//! `quick-xml` for JUnit, `serde_json` for GitLab), plus snapshots in `snapshots/cli/`.
use assert_cmd::Command;
use quick_xml::events::Event;
use rolelint::config::Config;
use rolelint::diagnostics::Suppression;
use rolelint::evaluate::Overrides;
use rolelint::pipeline;
use rolelint::report::{gitlab::Gitlab, sarif::Sarif, Emitter, Report};
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/outputs")
}

/// Run `rolelint check ARGS` in the fixture repository; returns (exit code, stdout, stderr).
fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("rolelint")
        .expect("binary built")
        .current_dir(fixture())
        .env("NO_COLOR", "1")
        .arg("check")
        .args(args)
        .output()
        .expect("rolelint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn stdout_of(format: &str) -> String {
    let (code, stdout, stderr) = check(&["--format", format]);
    assert_eq!(code, 1, "fixture has errors; stderr: {stderr}");
    stdout
}

/// The JSON summary: the reference counts every other format must agree with.
fn summary() -> Value {
    let json: Value = serde_json::from_str(&stdout_of("json")).expect("json output");
    json["summary"].clone()
}

fn assert_valid_sarif(text: &str) -> Value {
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .expect("schema test data");
    let schema: Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let instance: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
    // And a typed SARIF reader accepts it.
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_str(text).expect("serde_sarif reads it");
    assert_eq!(typed.runs.len(), 1);
    instance
}

#[test]
fn sarif_validates_and_is_what_github_code_scanning_needs() {
    let sarif = assert_valid_sarif(&stdout_of("sarif"));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| !s.is_empty()));
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "rolelint");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let s = summary();
    let active = s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap();
    assert_eq!(results.len() as u64, active);
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{key} of {rule}"
            );
        }
        assert!(rule["help"]["markdown"].as_str().is_some());
        assert!(["error", "warning", "note"]
            .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let mut codes = HashSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
        codes.insert(r["ruleId"].as_str().unwrap().to_string());
        let locations = r["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let loc = &locations[0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with("roles/"), "relative uri: {uri}");
        let region = &loc["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().is_some_and(|n| n >= 1),
                "{key} in {region}"
            );
        }
        assert!(
            (region["endLine"].as_u64(), region["endColumn"].as_u64())
                > (region["startLine"].as_u64(), region["startColumn"].as_u64())
        );
        let fp = &r["partialFingerprints"];
        assert!(fp["primaryLocationLineHash"].as_str().is_some());
        assert_eq!(fp["rolelint/v1"].as_str().map(str::len), Some(64));
    }
    assert_eq!(
        codes.len(),
        rules.len(),
        "one rule entry per code that appears"
    );
}

#[test]
#[should_panic(expected = "SARIF schema violations")]
fn the_schema_check_rejects_a_zero_start_line() {
    // GitHub rejects whole files for this; make sure the validator would catch it.
    let mut sarif: Value = serde_json::from_str(&stdout_of("sarif")).expect("JSON");
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert_valid_sarif(&sarif.to_string());
}

#[test]
fn sarif_of_a_clean_run_has_an_empty_results_array() {
    let (code, stdout, _) = check(&["--format", "sarif", "roles/integrated-team-member.toml"]);
    assert_eq!(code, 0);
    let sarif = assert_valid_sarif(&stdout);
    assert_eq!(sarif["runs"][0]["results"], Value::Array(Vec::new()));
}

/// A run of in-memory documents with the first finding suppressed as `kind`.
fn suppressed_run(kind: &'static str) -> pipeline::Run {
    let role = "kind = \"align-role\"\nname = \"R\"\nlicense = \"integrated\"\n\n[toggles]\nTeam = \"all\"\n";
    let mut run = pipeline::check_texts(
        &[("roles/r.toml".to_string(), role.to_string())],
        Config::default(),
        &Overrides::default(),
    );
    let d = run.diagnostics.first_mut().expect("the role fails");
    d.suppressed = Some(Suppression {
        kind,
        reason: "accepted until the Q3 clean-up".to_string(),
    });
    run
}

fn render(run: &pipeline::Run, emitter: &dyn Emitter) -> String {
    let mut out = Vec::new();
    emitter
        .emit(&Report::from_run(run), &mut out)
        .expect("write to memory");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn sarif_marks_suppressed_findings_with_their_kind_and_justification() {
    for (kind, sarif_kind) in [
        ("inline", "inSource"),
        ("exception", "external"),
        ("baseline", "external"),
    ] {
        let sarif = assert_valid_sarif(&render(&suppressed_run(kind), &Sarif));
        let result = &sarif["runs"][0]["results"][0];
        assert_eq!(result["suppressions"][0]["kind"], sarif_kind);
        assert_eq!(
            result["suppressions"][0]["justification"],
            "accepted until the Q3 clean-up"
        );
    }
}

#[test]
fn gitlab_report_is_an_array_with_unique_fingerprints() {
    let issues: Vec<Value> = serde_json::from_str(&stdout_of("gitlab")).expect("JSON array");
    let s = summary();
    assert_eq!(
        issues.len() as u64,
        s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap()
    );
    let mut seen = HashSet::new();
    for i in &issues {
        for key in ["description", "check_name", "fingerprint"] {
            assert!(
                i[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} in {i}"
            );
        }
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("roles/"));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(seen.insert(i["fingerprint"].as_str().unwrap().to_string()));
    }
}

#[test]
fn gitlab_fingerprints_stay_apart_for_repeated_findings_and_skip_suppressed_ones() {
    let mut run = suppressed_run("inline");
    let mut twin = run.diagnostics[0].clone();
    twin.suppressed = None;
    run.diagnostics.push(twin.clone());
    run.diagnostics.push(twin);
    let active = run.diagnostics.iter().filter(|d| d.is_active()).count();
    let issues: Vec<Value> = serde_json::from_str(&render(&run, &Gitlab)).expect("JSON");
    assert_eq!(issues.len(), active, "suppressed finding left out");
    assert_eq!(
        issues[0]["location"], issues[1]["location"],
        "identical findings"
    );
    let unique: HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), issues.len());
}

#[test]
fn github_annotations_are_one_workflow_command_per_finding() {
    let (_, stdout, _) = check(&["--format", "github", "--severity", "AL110=info"]);
    let lines: Vec<&str> = stdout.lines().collect();
    let s = summary();
    assert_eq!(
        lines.len() as u64,
        s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap()
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("::notice file=roles/portfolio-manager.toml,line=14,")));
    for l in &lines {
        assert!(
            l.starts_with("::error file=") || l.starts_with("::notice file="),
            "{l}"
        );
        let (props, message) = l[2..].split_once("::").expect("two `::` parts");
        // Every property is key=value with no raw separator left in a value.
        for p in props
            .split_once(' ')
            .expect("command and properties")
            .1
            .split(',')
        {
            assert!(
                p.split_once('=')
                    .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty()),
                "{p}"
            );
        }
        assert!(!message.contains('\n'));
    }
}

/// (suites, test cases, failures) counted by reading the XML.
fn junit_counts(xml: &str) -> (usize, usize, usize, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut suites, mut cases, mut failures, mut names) = (0, 0, 0, Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    suites += 1;
                    let name = e
                        .try_get_attribute("name")
                        .expect("attribute")
                        .expect("suite name");
                    names.push(String::from_utf8_lossy(&name.value).into_owned());
                }
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (suites, cases, failures, names)
}

#[test]
fn junit_has_a_suite_per_checked_file_and_a_failure_per_finding() {
    let (suites, cases, failures, names) = junit_counts(&stdout_of("junit"));
    let s = summary();
    let active = (s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap()) as usize;
    assert_eq!(suites, s["files"].as_u64().unwrap() as usize);
    assert_eq!(failures, active);
    assert_eq!(cases, active + 1, "one passing case for the one clean file");
    assert!(names.contains(&"roles/integrated-team-member.toml".to_string()));
}

#[test]
fn output_writes_several_formats_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |f: &str| dir.path().join(f);
    let spec = |format: &str, file: &str| format!("{format}={}", path(file).display());
    let (code, stdout, stderr) = check(&[
        "--format",
        "concise",
        "--output",
        &spec("sarif", "r.sarif"),
        "--output",
        &spec("junit", "r.xml"),
        "--output",
        &spec("gitlab", "gl.json"),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("error[AL103]"), "stdout keeps --format");
    let read = |f: &str| std::fs::read_to_string(path(f)).expect("written");
    assert_eq!(read("r.sarif"), stdout_of("sarif"));
    assert_eq!(read("r.xml"), stdout_of("junit"));
    assert_eq!(read("gl.json"), stdout_of("gitlab"));
}

#[test]
fn bad_output_specs_exit_2_with_one_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "sarf=x.sarif".to_string(),
            "unknown format `sarf`; did you mean `sarif`?",
        ),
        ("sarif".to_string(), "must look like FORMAT=PATH"),
        (
            format!("sarif={}", dir.path().join("missing/x.sarif").display()),
            "does not exist",
        ),
        // A directory where the file should go cannot be replaced.
        (
            format!("json={}", dir.path().display()),
            "is a directory, not a regular file",
        ),
    ];
    for (spec, expected) in cases {
        let (code, _, stderr) = check(&["--output", &spec]);
        assert_eq!(code, 2, "{spec}");
        assert!(stderr.contains(expected), "{spec}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn quiet_human_output_shows_only_errors_and_the_summary() {
    let (_, stdout, _) = check(&["--quiet"]);
    assert!(!stdout.contains("AL110"), "warnings hidden");
    assert!(stdout.contains("AL103"));
    assert!(!stdout.contains('\u{1b}'), "no colour without a TTY");
    assert!(stdout.trim_end().ends_with("in 5 files"));
}

#[test]
fn snapshots_of_every_format() {
    insta::with_settings!({
        snapshot_path => "../snapshots/cli",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        for format in ["human", "concise", "json", "sarif", "github", "gitlab", "junit"] {
            insta::assert_snapshot!(format!("outputs@{format}"), stdout_of(format));
        }
    });
}

/// JSON, SARIF and baselines agree on every finding's fingerprint, including document
/// checks that have no subject.
#[test]
fn fingerprints_agree_between_json_sarif_and_baselines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");
    let baseline_arg = baseline.to_string_lossy().to_string();
    let (_, json, _) = check(&["--format", "json"]);
    let (_, sarif, _) = check(&["--format", "sarif"]);
    let (code, _, _) = check(&["--write-baseline", &baseline_arg]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).expect("json");
    let from_json: HashSet<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["fingerprint"].as_str().map(str::to_string))
        .collect();
    let sarif: Value = serde_json::from_str(&sarif).expect("sarif");
    let from_sarif: HashSet<String> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| {
            r["partialFingerprints"]["rolelint/v1"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let text = std::fs::read_to_string(&baseline).expect("baseline written");
    let from_baseline: HashSet<String> = serde_json::from_str::<Value>(&text)
        .expect("baseline json")["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["fingerprint"].as_str().map(str::to_string))
        .collect();
    assert!(!from_json.is_empty());
    assert_eq!(from_json, from_sarif);
    assert_eq!(from_json, from_baseline);
}

/// A concise run skips writing board derivations (no note is shown), but a JSON report asked
/// for in the same run (`--output json=PATH`) still carries them.
#[test]
fn derivation_notes_are_kept_for_a_format_that_shows_them() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let json = dir.path().join("report.json");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = Command::cargo_bin("rolelint")
        .expect("binary built")
        .arg("check")
        .args(["--format", "concise", "--output"])
        .arg(format!("json={}", json.display()))
        .arg(&examples)
        .output()
        .expect("rolelint runs");
    assert_eq!(out.status.code(), Some(1), "the examples have errors");
    let concise = String::from_utf8_lossy(&out.stdout);
    assert!(concise.contains("[AL230]"), "{concise}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report written"))
            .expect("json");
    let board = report["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "AL230"))
        .expect("the board finding");
    let notes = board["notes"].as_array().map_or(0, Vec::len);
    assert!(notes > 0, "{board}");
}

/// `--deny-warnings` changes the exit code only: every output is byte-identical to the run
/// without it, so each finding keeps its own severity (JSON `severity`, SARIF `level`, the
/// summary counts).
#[test]
fn deny_warnings_fails_the_run_but_keeps_every_severity() {
    let json: Value = serde_json::from_str(&stdout_of("json")).expect("json");
    assert!(json["summary"]["warnings"].as_u64() > Some(0), "{json}");
    for format in [
        "json", "sarif", "human", "concise", "github", "gitlab", "junit",
    ] {
        let (code, denied, stderr) = check(&["--format", format, "--deny-warnings"]);
        assert_eq!(code, 1, "{stderr}");
        assert_eq!(
            denied,
            stdout_of(format),
            "--deny-warnings changed {format}"
        );
    }
    let sarif: Value =
        serde_json::from_str(&check(&["--format", "sarif", "--deny-warnings"]).1).expect("sarif");
    let levels: HashSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["level"].as_str())
        .collect();
    assert!(levels.contains("warning"), "{levels:?}");
}
