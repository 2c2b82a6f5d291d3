//! End to end: the wording of a rule's findings is policy data. Labels and notes come from
//! `policies/rule-types.toml`; a repository's rule overrides them in `[rule.text]`, and a
//! misspelt phrase key is an unknown key at its span.
mod common;

use assert_cmd::Command;

const POLICY_HEAD: &str = r#"kind = "policy"
name = "team"

[[rule]]
code = "TM001"
name = "no-roadmaps"
type = "forbid-toggle"
severity = "error"
summary = "roadmaps stay off"
message = "role `{role}` enables `{toggle}`"
help = "turn it off"
source = { title = "team agreement" }
toggles = ["Program > Track > Roadmaps"]
"#;

const ROLE: &str = r#"kind = "align-role"
name = "Planner"
license = "full"

[toggles.Program.Track]
Roadmaps = []
"#;

/// `check --format json` over a repository with `policy` and one role enabling Roadmaps.
fn findings(policy: &str) -> serde_json::Value {
    let dir = common::tree(&[
        ("rolelint.toml", ""),
        ("policy.toml", policy),
        ("roles/planner.toml", ROLE),
    ]);
    let out = Command::cargo_bin("rolelint")
        .expect("binary builds")
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("json output")
}

fn with_code<'a>(report: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter(|d| d["code"] == code).collect())
        .unwrap_or_default()
}

#[test]
fn a_rule_without_text_uses_its_types_wording() {
    let report = findings(POLICY_HEAD);
    let found = with_code(&report, "TM001");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["label"], "must be off", "{report:#}");
}

#[test]
fn a_rule_overrides_its_labels_in_rule_text() {
    let policy = format!(
        "{POLICY_HEAD}text = {{ label = \"off for {{role}}\", listed-here = \"listed by {{rule}}\" }}\n"
    );
    let report = findings(&policy);
    let found = with_code(&report, "TM001");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["label"], "off for Planner", "{report:#}");
    let secondary = found[0]["related"][0]["text"].as_str().unwrap_or_default();
    assert_eq!(secondary, "listed by no-roadmaps", "{report:#}");
}

#[test]
fn a_misspelt_phrase_is_an_unknown_key_at_its_span() {
    let policy = format!("{POLICY_HEAD}text = {{ lable = \"off\" }}\n");
    let report = findings(&policy);
    let found = with_code(&report, "RL002");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["message"], "unknown key `lable` in `policy`");
    assert_eq!(found[0]["help"], "did you mean `label`?");
    let line = policy.lines().nth(13).unwrap_or_default();
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(14), Some(10))
    );
    assert_eq!(line.get(9..14), Some("lable"), "{report:#}");
    assert!(
        with_code(&report, "TM001").is_empty(),
        "a broken rule does not run"
    );
}

#[test]
fn rule_types_toml_has_tables_of_rule_types_only() {
    // That each table is complete and well-typed is proven by the built-in policies, which
    // use every rule type and load without diagnostics (tests/registry.rs).
    let text = rolelint::evaluate::policy::builtin::RULE_TEXT.1;
    let table: toml::Table = toml::from_str(text).expect("rule-types.toml is TOML");
    for name in table.keys() {
        assert!(
            rolelint::evaluate::rules::TYPES
                .iter()
                .any(|t| t.name == name),
            "rule-types.toml has a table for `{name}`, which is not a rule type"
        );
    }
}

#[test]
fn a_misspelt_entry_key_is_reported_with_its_did_you_mean() {
    // `summary` is required: the entry is not validated further, so the misspelling must be
    // reported by the entry itself, next to the missing key it explains.
    let policy = POLICY_HEAD.replace("summary =", "sumary =");
    let report = findings(&policy);
    let unknown = with_code(&report, "RL002");
    assert_eq!(unknown.len(), 1, "{report:#}");
    assert_eq!(unknown[0]["message"], "unknown key `sumary` in `policy`");
    assert_eq!(unknown[0]["help"], "did you mean `summary`?");
}

#[test]
fn a_template_writes_a_literal_brace_doubled() {
    let policy = POLICY_HEAD
        .replace(
            "message = \"role `{role}` enables `{toggle}`\"",
            "message = \"role `{role}` enables `{toggle}` {{off}} {unknown}\"",
        )
        .replace("help = \"turn it off\"", "help = \"set it to }} or {{\"");
    let report = findings(&policy);
    let found = with_code(&report, "TM001");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(
        found[0]["message"], "role `Planner` enables `Program > Track > Roadmaps` {off} {unknown}",
        "{report:#}"
    );
    assert_eq!(found[0]["help"], "set it to } or {", "{report:#}");
}
