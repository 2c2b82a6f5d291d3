//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` holds the documentation of every rule that has a result
//! (from the same data as `rolelint explain`); each result has one physical location with
//! a relative URI and a 1-based region (`endColumn` exclusive), `partialFingerprints`
//! (GitHub's `primaryLocationLineHash` and rolelint's line-independent fingerprint), and
//! suppressed findings carry SARIF `suppressions`.
use super::rule_doc::render;
use super::{Emitter, Report};
use crate::diagnostics::rule_meta::RuleMeta;
use serde_json::json;
use serde_sarif::sarif;
use std::io::{self, Write};

pub struct Sarif;

/// Key of rolelint's own fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "rolelint/v1";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub truncates longer short descriptions; the limit is in characters.
const SHORT_MAX: usize = 1024;

impl Emitter for Sarif {
    /// The log is written as it is made: the frame by hand, exactly as `serde_json`'s
    /// pretty printer lays out serde_sarif's `Sarif` and `Run` with these fields set (keys
    /// in alphabetical order), the results in batches ([`super::sarif_results`]) and the
    /// tool through serde_sarif itself.
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        let mut codes: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.code().as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        out.write_all(b"{\n  \"$schema\": ")?;
        serde_json::to_writer(&mut out, SCHEMA)?;
        out.write_all(b",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",\n")?;
        out.write_all(b"      \"results\": [")?;
        if report.diagnostics.is_empty() {
            out.write_all(b"],\n")?;
        } else {
            super::sarif_results::write(report, &codes, &mut out)?;
            out.write_all(b"\n      ],\n")?;
        }
        out.write_all(b"      \"tool\": ")?;
        let tool = serde_json::to_vec_pretty(&tool(report, &codes))?;
        for (i, line) in tool.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n      ")?;
            }
            out.write_all(line)?;
        }
        out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")?;
        out.flush()
    }
}

/// `tool.driver`: rolelint and the documentation of each rule in `codes`.
fn tool(report: &Report, codes: &[&str]) -> sarif::Tool {
    let rules: Vec<sarif::ReportingDescriptor> =
        codes.iter().map(|code| descriptor(report, code)).collect();
    let mut driver = sarif::ToolComponent::builder()
        .name("rolelint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let homepage = option_env!("CARGO_PKG_REPOSITORY").unwrap_or("");
    if !homepage.is_empty() {
        driver.information_uri = Some(homepage.to_string());
    }
    sarif::Tool::builder().driver(driver).build()
}

fn descriptor(report: &Report, code: &str) -> sarif::ReportingDescriptor {
    let doc = report.rules.iter().find(|r| r.code == code);
    let fallback; // a rule rolelint has no docs for (should not happen): describe it from a finding
    let doc = match doc {
        Some(d) => d,
        None => {
            let d = report.diagnostics.iter().find(|d| d.code() == code);
            fallback = RuleMeta {
                code: code.to_string(),
                name: d.map(|d| d.name().to_string()).unwrap_or_default(),
                severity: d.map_or(crate::diagnostics::Severity::Warning, |d| d.severity),
                rule_type: String::new(),
                summary: String::new(),
                message: String::new(),
                help: d
                    .and_then(|d| d.help().map(|h| h.as_str()))
                    .unwrap_or_default()
                    .to_string(),
                source: None,
                suppressible: true,
                example_fail: Vec::new(),
                example_pass: Vec::new(),
                policy_file: None,
                note: None,
                supersedes: Vec::new(),
                policy: String::new(),
                texts: Default::default(),
            };
            &fallback
        }
    };
    let summary = if doc.summary.is_empty() {
        format!("{} {}", doc.code, doc.name)
    } else {
        doc.summary.clone()
    };
    let short: String = summary.chars().take(SHORT_MAX).collect();
    let full = render(doc);
    let mut help_text = doc.help.clone();
    if help_text.is_empty() {
        help_text = summary.clone();
    }
    sarif::ReportingDescriptor::builder()
        .id(code)
        .name(doc.name.clone())
        .short_description(message_string(short, None))
        .full_description(message_string(summary, None))
        .help(message_string(help_text, Some(full)))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level_name(doc.severity.as_str())))
                .build(),
        )
        .build()
}

fn message_string(text: String, markdown: Option<String>) -> sarif::MultiformatMessageString {
    let mut m = sarif::MultiformatMessageString::builder()
        .text(text)
        .build();
    m.markdown = markdown;
    m
}

fn level_name(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "info" => "note",
        _ => "warning",
    }
}

/// A relative URI reference for a display path: unreserved characters and `/` kept,
/// everything else percent-encoded (spaces, `<builtin>`, non-ASCII names).
pub fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uri_encodes_what_is_not_a_path_character() {
        assert_eq!(uri("roles/a b.toml"), "roles/a%20b.toml");
        assert_eq!(uri("<builtin>/p.toml"), "%3Cbuiltin%3E/p.toml");
        assert_eq!(uri("rôles/x.toml"), "r%C3%B4les/x.toml");
    }
}
