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

/// The issues of `report`'s active findings, in its order, made one at a time as they are
/// written. The occurrence counter of a fingerprint is kept per file: the fingerprint
/// hashes the path, so its repeats are findings of one file, and the report's findings
/// come sorted by path, each file's together. (A map of every finding's fingerprint took
/// more memory than the findings' own.)
pub fn issues<'r>(report: &'r Report) -> impl Iterator<Item = Issue> + 'r {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut file = None;
    report
        .diagnostics
        .iter()
        .filter(|d| d.is_active())
        .map(move |d| {
            if file != Some(d.location.file) {
                file = Some(d.location.file);
                seen.clear();
            }
            let path = report.sources.display(d.location.file);
            let base = fingerprints::of(d, path);
            let n = match seen.get_mut(&base) {
                Some(n) => {
                    *n += 1;
                    *n
                }
                None => *seen.entry(base.clone()).or_insert(1),
            };
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
}

impl Emitter for Gitlab {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        use serde::Serializer;
        let mut json = serde_json::Serializer::pretty(&mut *out);
        json.collect_seq(issues(report))?;
        writeln!(out)
    }
}
