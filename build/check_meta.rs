//! The built-in checks' documentation (`[[check]]` of `policies/checks.toml`: code, name,
//! severity, summary, help, examples) as a Rust table, so no run parses 30 KB of TOML to
//! learn the codes its configuration and suppressions are checked against (a one-file
//! pre-commit check spent half a millisecond on it). Their findings' wording is
//! `build/texts.rs`'s.
use serde::Deserialize;
use std::fmt::Write as _;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecks {
    #[serde(default)]
    #[allow(dead_code)]
    phrase: serde::de::IgnoredAny,
    check: Vec<RawCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCheck {
    code: String,
    name: String,
    severity: String,
    summary: String,
    help: String,
    suppressible: bool,
    #[serde(default)]
    example_fail: Option<String>,
    #[serde(default)]
    example_pass: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    finding: serde::de::IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    phrase: serde::de::IgnoredAny,
}

/// `const PREBUILT: &[Prebuilt]`, one per check in the file's order, with `Prebuilt` and
/// `Severity` in scope where it is included.
pub fn generate(path: &str, text: &str) -> String {
    let raw: RawChecks = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut o = String::from("const PREBUILT: &[Prebuilt] = &[\n");
    for c in &raw.check {
        let severity = match c.severity.as_str() {
            "error" => "Error",
            "warning" => "Warning",
            "info" => "Info",
            other => panic!("{path}: check {}: severity `{other}`", c.code),
        };
        let _ = writeln!(
            o,
            "    Prebuilt {{\n        code: {:?},\n        name: {:?},\n        \
             severity: Severity::{severity},\n        summary: {:?},\n        help: {:?},\n        \
             suppressible: {},\n        example_fail: {:?},\n        example_pass: {:?},\n    }},",
            c.code, c.name, c.summary, c.help, c.suppressible, c.example_fail, c.example_pass
        );
    }
    o.push_str("];\n");
    o
}
