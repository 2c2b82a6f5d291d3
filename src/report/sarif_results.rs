//! The `results` of a SARIF log, written as they are made.
//!
//! Results are built in batches: each batch's files are read (once, in parallel: see
//! [`super::texts`]), the batch's results are made and serialized in parallel, a run of
//! results into one buffer, straight at their depth in the log ([`super::nested`]), and the bytes
//! are written in report order. Only `primaryLocationLineHash` depends on earlier results
//! (it counts repeats of a line's hash in the same file), so its hash part is computed in
//! parallel and the counting runs in order between the two parallel steps.
//!
//! The objects borrow from the findings and serialize exactly as serde_sarif's `Result`
//! with the same fields set (its fields are in alphabetical order, and so are these); a
//! test holds the two to the same bytes.
use super::fingerprints::{self, LineHasher};
use super::shown::{data, data_cow};
use super::texts::{self, Need, Texts};
use super::{region, Report};
use crate::diagnostics::source::FileId;
use crate::diagnostics::{Diagnostic, Severity};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

/// Results are the elements of `runs[0].results`: eight spaces in.
const INDENT: &[u8] = b"        ";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifResult<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Message<'a>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    rule_id: &'a str,
    rule_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    region: Region,
}

#[derive(Serialize)]
struct Artifact<'a> {
    uri: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    line: String,
    #[serde(rename = "rolelint/v1")]
    own: String,
}

#[derive(Serialize)]
struct Suppression<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<Cow<'a, str>>,
    kind: &'static str,
    status: &'static str,
}

/// Results serialized by one task into one buffer.
const RUN: usize = 64;

/// Write the results of `report` (the elements of the array only, each indented and
/// separated as `serde_json`'s pretty printer would); `codes` are the sorted rule ids
/// whose positions are the `ruleIndex`es.
pub(super) fn write(report: &Report, codes: &[&str], out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    let need = Need {
        labels: false,
        starts: false,
    };
    let mut texts = Texts::new(report.sources, &all, need);
    let mut lines = match fingerprints::consecutive(&all) {
        true => LineHasher::file_by_file(),
        false => LineHasher::new(),
    };
    // Each file's URI, made once a batch (the findings of a file are consecutive).
    let mut uris: FxHashMap<FileId, String> = FxHashMap::default();
    for (n, batch) in all.chunks(texts::BATCH).enumerate() {
        uris.clear();
        let sources = report.sources;
        let line_of: Vec<usize> = batch
            .par_iter()
            .map(|d| sources.line_col(d.location.file, d.location.span.start).0)
            .collect();
        // Line digests loading kept (a role's findings) need no text: only the files of
        // the other findings are read.
        let kept: Vec<Option<[u8; 8]>> = (batch.iter().zip(&line_of))
            .map(|(d, &line)| sources.line_digest(d.location.file, line))
            .collect();
        let lacking: Vec<&Diagnostic> = (batch.iter().zip(&kept))
            .filter(|(_, k)| k.is_none())
            .map(|(d, _)| *d)
            .collect();
        texts.prepare(n * texts::BATCH, &lacking);
        let digests: Vec<[u8; 8]> = (batch.par_iter().zip(&line_of).zip(&kept))
            .map(|((d, &line), kept)| {
                kept.unwrap_or_else(|| {
                    let text = texts.get(d.location.file).text;
                    LineHasher::digest(sources.line_in(d.location.file, &text, line))
                })
            })
            .collect();
        let hashes: Vec<String> = batch
            .iter()
            .zip(digests)
            .map(|(d, digest)| lines.count(report.sources.display(d.location.file), digest))
            .collect();
        for d in batch {
            let file = d.location.file;
            uris.entry(file)
                .or_insert_with(|| super::sarif::uri(report.sources.display(file)));
        }
        let uris = &uris;
        let runs: Vec<io::Result<Vec<u8>>> = batch
            .par_chunks(RUN)
            .zip(hashes.par_chunks(RUN))
            .enumerate()
            .map(|(r, (ds, hs))| {
                let mut buf = Vec::with_capacity(ds.len() * 1024);
                for (i, (d, line_hash)) in ds.iter().zip(hs).enumerate() {
                    let first = n == 0 && r == 0 && i == 0;
                    buf.extend_from_slice(if first { b"\n" } else { b",\n" });
                    let index = codes.binary_search(&d.code().as_str()).unwrap_or(0);
                    let uri = Cow::Borrowed(uris[&d.location.file].as_str());
                    let result = result(report, d, index, line_hash.clone(), uri);
                    nested(&mut buf, &result)?;
                }
                Ok(buf)
            })
            .collect();
        for bytes in runs {
            out.write_all(&bytes?)?;
        }
    }
    Ok(())
}

/// Append `value` to `buf` pretty-printed as an element of the results array: at the
/// array's depth, every line [`INDENT`]ed as `serde_json`'s pretty printer lays it out.
fn nested(buf: &mut Vec<u8>, value: &impl Serialize) -> io::Result<()> {
    buf.extend_from_slice(INDENT);
    super::nested::write(buf, value, INDENT.len() / 2)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One finding's result, `line_hash` its `primaryLocationLineHash`, `uri` its file's.
pub(super) fn result<'a>(
    report: &'a Report,
    d: &'a Diagnostic,
    rule_index: usize,
    line_hash: String,
    uri: Cow<'a, str>,
) -> SarifResult<'a> {
    let path = report.sources.display(d.location.file);
    let ((line, col), (mut end_line, mut end_col)) = region(report.sources, d);
    if (end_line, end_col) <= (line, col) {
        // An empty span would be an insertion point; point at one character instead.
        (end_line, end_col) = (line, col + 1);
    }
    let region = Region {
        end_column: Some(end_col),
        end_line: Some(end_line),
        start_column: col,
        start_line: line,
    };
    // Secondary labels in repository files ("maximum defined here" in a policy) become
    // related locations; built-in policies have no file a viewer could open.
    let related_locations = d
        .labels
        .iter()
        .filter(|l| report.sources.is_disk(l.location.file))
        .map(|l| {
            let (line, col) = report
                .sources
                .line_col(l.location.file, l.location.span.start);
            let region = Region {
                end_column: None,
                end_line: None,
                start_column: col,
                start_line: line,
            };
            let uri = super::sarif::uri(report.sources.display(l.location.file));
            location(uri.into(), region, Some(data(&l.text)))
        })
        .collect();
    let suppressions = d.suppressed.as_ref().map(|s| {
        let kind = if s.kind == "inline" {
            "inSource"
        } else {
            "external"
        };
        [Suppression {
            justification: (!s.reason.is_empty()).then(|| data(&s.reason)),
            kind,
            status: "accepted",
        }]
    });
    SarifResult {
        level: level(d.severity),
        locations: [location(uri, region, None)],
        message: Message {
            text: data_cow(d.message.get()),
        },
        partial_fingerprints: Fingerprints {
            line: line_hash,
            own: fingerprints::of(d, path),
        },
        related_locations,
        rule_id: d.code(),
        rule_index,
        suppressions,
    }
}

fn location<'a>(uri: Cow<'a, str>, region: Region, message: Option<Cow<'a, str>>) -> Location<'a> {
    Location {
        message: message.map(|text| Message { text }),
        physical_location: Physical {
            artifact_location: Artifact { uri },
            region,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::fingerprints::{self, LineHasher};
    use super::super::sarif::{uri, FINGERPRINT_KEY};
    use super::super::shown::{data, data_cow};
    use super::super::{region, Report};
    use crate::diagnostics::source::{Location, SourceMap};
    use crate::diagnostics::{Diagnostic, Severity, Suppression};
    use serde_json::json;
    use serde_sarif::sarif;
    use std::collections::BTreeMap;

    /// What results were before they were streamed: serde_sarif's own types, the oracle
    /// the borrowed ones must match byte for byte.
    fn level(s: Severity) -> sarif::ResultLevel {
        match s {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        }
    }

    fn serde_sarif_result(
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
            .rule_id(d.code().clone())
            .rule_index(rule_index as i64)
            .level(level(d.severity))
            .message(
                sarif::Message::builder()
                    .text(data_cow(d.message.get()))
                    .build(),
            )
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

    fn location(
        path: &str,
        region: Option<sarif::Region>,
        message: Option<&str>,
    ) -> sarif::Location {
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

    #[test]
    fn results_are_byte_identical_to_serde_sarif() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut sources = SourceMap::new();
        let mut file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            sources.add_disk(path, name.to_string())
        };
        let scheme = file(
            "s p.toml",
            "name = \"S\"\n[grants]\nBROWSE = [\"anyone\"]\n",
        );
        let board = file("rôle.toml", "a = 1\nname = \"é\\u0007\"\n");
        let policy = sources.add_text("<builtin>/p.toml", "x = 1\n");
        let mut findings = Vec::new();
        for (i, kind) in ["inline", "exception", "baseline"].into_iter().enumerate() {
            let mut d = Diagnostic::new("AL2", "n", Severity::Warning, "m \"q\"\n", board, 6..20)
                .with_secondary(Location::new(scheme, 9..17), "granted here")
                .with_secondary(Location::new(policy, 0..1), "rule")
                .with_subject(format!("s{i}"));
            d.suppressed = Some(Box::new(Suppression {
                kind,
                reason: ["", "why"][i.min(1)].to_string(),
            }));
            findings.push(d);
        }
        findings.push(Diagnostic::new(
            "AL1",
            "m",
            Severity::Error,
            "",
            scheme,
            0..0,
        ));
        findings.push(Diagnostic::new(
            "AL3",
            "k",
            Severity::Info,
            "x",
            board,
            0..1,
        ));
        let report = Report {
            diagnostics: &findings,
            sources: &sources,
            files_checked: 2,
            checked: &[],
            rules: Vec::new(),
        };
        let mut lines = LineHasher::new();
        let mut oracle = LineHasher::new();
        for (i, d) in findings.iter().enumerate() {
            let line = report
                .sources
                .line_col(d.location.file, d.location.span.start)
                .0;
            let text = report.sources.line_text(d.location.file, line);
            let hash = lines.hash(report.sources.display(d.location.file), &text);
            let path = report.sources.display(d.location.file);
            let result = super::result(&report, d, i, hash, uri(path).into());
            let new = serde_json::to_string_pretty(&result).expect("serializes");
            let old = serde_json::to_string_pretty(&serde_sarif_result(&report, d, i, &mut oracle))
                .expect("serializes");
            assert_eq!(new, old);
            // Written at its depth in one pass: the same bytes as pretty-printing alone and
            // indenting every line after.
            let mut nested = Vec::new();
            super::nested(&mut nested, &result).expect("serializes");
            let indented: Vec<String> = old
                .lines()
                .map(|l| format!("{}{l}", std::str::from_utf8(super::INDENT).expect("ascii")))
                .collect();
            assert_eq!(
                String::from_utf8(nested).expect("utf-8"),
                indented.join("\n")
            );
        }
    }
}
