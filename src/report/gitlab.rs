//! `--format gitlab`: a GitLab Code Quality report (a JSON array of Code Climate issues).
//!
//! `fingerprint` must be unique per finding or GitLab shows only the first of a kind:
//! it hashes rolelint's line-independent fingerprint with an occurrence counter, so two
//! identical findings in one file stay apart and an unrelated edit keeps both stable.
//! Severity: error → `major`, warning → `minor`, info → `info`. Suppressed findings are
//! left out.
use super::fingerprints;
use super::shown::{data, data_cow};
use super::{region, Emitter, Report};
use crate::diagnostics::Severity;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Write};

pub struct Gitlab;

#[derive(Serialize)]
pub struct Issue {
    pub description: String,
    pub check_name: String,
    pub fingerprint: String,
    pub severity: &'static str,
    pub location: IssueLocation,
}

#[derive(Serialize)]
pub struct IssueLocation {
    pub path: String,
    pub lines: Lines,
}

#[derive(Serialize)]
pub struct Lines {
    pub begin: usize,
    pub end: usize,
}

pub fn issues(report: &Report) -> Vec<Issue> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .filter(|d| d.is_active())
        .map(|d| {
            let path = report.sources.display(d.location.file);
            let base = fingerprints::of(d, path);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let digest = Sha256::digest(format!("{base}:{n}").as_bytes());
            let ((begin, _), (end, _)) = region(report.sources, d);
            Issue {
                description: format!("{}: {}", data(d.code()), data_cow(d.message.get())),
                check_name: data(&format!("{} {}", d.code(), d.name())).into_owned(),
                fingerprint: crate::diagnostics::fingerprint::hex(&digest),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: IssueLocation {
                    path: data(path).into_owned(),
                    lines: Lines {
                        begin,
                        end: end.max(begin),
                    },
                },
            }
        })
        .collect()
}

impl Emitter for Gitlab {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &issues(report))?;
        writeln!(out)
    }
}
