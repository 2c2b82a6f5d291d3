//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` holds the documentation of every rule that has a result
//! (from the same data as `rolelint explain`); each result has one physical location with
//! a relative URI and a 1-based region (`endColumn` exclusive), `partialFingerprints`
//! (GitHub's `primaryLocationLineHash` and rolelint's line-independent fingerprint), and
//! suppressed findings carry SARIF `suppressions`.
use super::fingerprints::{self, LineHasher};
use super::shown::data;
use super::{region, Emitter, Report};
use crate::commands::explain::render;
use crate::diagnostics::rule_meta::RuleMeta;
use crate::diagnostics::{Diagnostic, Severity};
use serde_json::json;
use serde_sarif::sarif;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Sarif;

/// Key of rolelint's own fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "rolelint/v1";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub truncates longer short descriptions; the limit is in characters.
const SHORT_MAX: usize = 1024;

impl Emitter for Sarif {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &build(report))?;
        writeln!(out)
    }
}

/// The whole SARIF log of a report.
pub fn build(report: &Report) -> sarif::Sarif {
    let mut codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<sarif::ReportingDescriptor> =
        codes.iter().map(|code| descriptor(report, code)).collect();
    let mut lines = LineHasher::new();
    let results: Vec<sarif::Result> = report
        .diagnostics
        .iter()
        .map(|d| {
            let index = codes.binary_search(&d.code.as_str()).unwrap_or(0);
            result(report, d, index, &mut lines)
        })
        .collect();
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
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .column_kind(json!("unicodeCodePoints"))
        .results(results)
        .build();
    sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn descriptor(report: &Report, code: &str) -> sarif::ReportingDescriptor {
    let doc = report.rules.iter().find(|r| r.code == code);
    let fallback; // a rule rolelint has no docs for (should not happen): describe it from a finding
    let doc = match doc {
        Some(d) => d,
        None => {
            let d = report.diagnostics.iter().find(|d| d.code == code);
            fallback = RuleMeta {
                code: code.to_string(),
                name: d.map(|d| d.name.clone()).unwrap_or_default(),
                severity: d.map_or(crate::diagnostics::Severity::Warning, |d| d.severity),
                rule_type: String::new(),
                summary: String::new(),
                message: String::new(),
                help: d.and_then(|d| d.help.clone()).unwrap_or_default(),
                source: None,
                suppressible: true,
                example_fail: Vec::new(),
                example_pass: Vec::new(),
                policy_file: None,
                note: None,
                supersedes: Vec::new(),
                policy: String::new(),
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

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

fn result(
    report: &Report,
    d: &Diagnostic,
    rule_index: usize,
    lines: &mut LineHasher,
) -> sarif::Result {
    let path = report.sources.display(d.location.file);
    let ((line, col), (mut end_line, mut end_col)) = region(report.sources, d);
    if (end_line, end_col) <= (line, col) {
        // An empty span would be an insertion point; point at one character instead.
        (end_line, end_col) = (line, col + 1);
    }
    let region = sarif::Region::builder()
        .start_line(line as i64)
        .start_column(col as i64)
        .end_line(end_line as i64)
        .end_column(end_col as i64)
        .build();
    let line_text = report.sources.line_text(d.location.file, line);
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "primaryLocationLineHash".to_string(),
        lines.hash(path, &line_text),
    );
    fingerprints.insert(FINGERPRINT_KEY.to_string(), fingerprints::of(d, path));
    let mut r = sarif::Result::builder()
        .rule_id(d.code.clone())
        .rule_index(rule_index as i64)
        .level(level(d.severity))
        .message(sarif::Message::builder().text(data(&d.message)).build())
        .locations(vec![location(path, Some(region), None)])
        .partial_fingerprints(fingerprints)
        .build();
    // Secondary labels in repository files ("maximum defined here" in a policy) become
    // related locations; built-in policies have no file a viewer could open.
    let related: Vec<sarif::Location> = d
        .labels
        .iter()
        .filter(|l| report.sources.is_disk(l.location.file))
        .map(|l| {
            let (line, col) = report
                .sources
                .line_col(l.location.file, l.location.span.start);
            let region = sarif::Region::builder()
                .start_line(line as i64)
                .start_column(col as i64)
                .build();
            location(
                report.sources.display(l.location.file),
                Some(region),
                Some(&data(&l.text)),
            )
        })
        .collect();
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    if let Some(s) = &d.suppressed {
        let kind = if s.kind == "inline" {
            "inSource"
        } else {
            "external"
        };
        let mut sup = sarif::Suppression::builder()
            .kind(json!(kind))
            .status(json!("accepted"))
            .build();
        if !s.reason.is_empty() {
            sup.justification = Some(data(&s.reason).into_owned());
        }
        r.suppressions = Some(vec![sup]);
    }
    r
}

fn location(path: &str, region: Option<sarif::Region>, message: Option<&str>) -> sarif::Location {
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(sarif::ArtifactLocation::builder().uri(uri(path)).build())
        .build();
    let mut physical = physical;
    physical.region = region;
    let mut loc = sarif::Location::builder()
        .physical_location(physical)
        .build();
    loc.message = message.map(|m| sarif::Message::builder().text(m).build());
    loc
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
