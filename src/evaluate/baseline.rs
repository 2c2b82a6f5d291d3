//! Baselines: adopt rolelint on a repository with existing findings and fail only on new ones.
//!
//! `--write-baseline FILE` records every active finding; `--baseline FILE` marks findings whose
//! fingerprint is recorded as suppressed (kind `baseline`). Fingerprints hash code, path and
//! subject (the message when a finding has no subject), never line numbers, so moving lines
//! or reformatting a file keeps its findings baselined. One entry covers every finding with
//! that fingerprint.
//!
//! File format (JSON, `version` 1), entries sorted by path, code, fingerprint:
//! `{"version": 1, "findings": [{"fingerprint", "code", "path", "subject", "message"}]}`;
//! only `fingerprint` is used for matching, the rest is there for humans reviewing the diff.
use crate::diagnostics::source::SourceMap;
use crate::diagnostics::{Diagnostic, Suppression};
use crate::error::Fatal;
use crate::fsio::read;
use crate::fsio::write::Target;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    pub subject: String,
    pub message: String,
}

/// The fingerprint of a finding as baselines record it.
pub fn of(d: &Diagnostic, sources: &SourceMap) -> String {
    crate::diagnostics::fingerprint::of(d, sources.display(d.location.file))
}

/// Write the active findings to `target` (see [`crate::fsio::write`]).
pub fn write(target: &Target, diags: &[Diagnostic], sources: &SourceMap) -> Result<usize, Fatal> {
    let findings: BTreeSet<Entry> = diags
        .iter()
        .filter(|d| d.is_active())
        .map(|d| Entry {
            path: sources.display(d.location.file).to_string(),
            code: d.code().to_string(),
            fingerprint: of(d, sources),
            subject: d.subject().to_string(),
            message: d.message.to_string(),
        })
        .collect();
    let baseline = Baseline {
        version: VERSION,
        findings: findings.into_iter().collect(),
    };
    target.write_with(|out| {
        serde_json::to_writer_pretty(&mut *out, &baseline)?;
        writeln!(out)
    })?;
    Ok(baseline.findings.len())
}

/// Read a baseline; a missing or unreadable file is fatal (exit 2).
/// A regular file of at most [`read::BASELINE_LIMIT`] bytes.
pub fn read(path: &Path) -> Result<Baseline, Fatal> {
    let shown = crate::inert::bounded(&crate::fsio::name::display(path), 200).into_owned();
    let bytes = read::named(path, read::BASELINE_LIMIT)
        .map_err(|e| Fatal::msg(format!("baseline `{shown}` {e}")))?;
    let b: Baseline = serde_json::from_slice(&bytes).map_err(|e| {
        Fatal::msg(format!(
            "baseline `{shown}` is not a rolelint baseline ({e}); write a new one with `--write-baseline`"
        ))
    })?;
    if b.version != VERSION {
        return Err(Fatal::msg(format!(
            "baseline `{}` has version {}, this rolelint reads version {VERSION}; write a new one with `--write-baseline`",
            path.display(),
            b.version
        )));
    }
    Ok(b)
}

/// Suppress active findings recorded in the baseline; returns how many entries matched nothing.
pub fn apply(b: &Baseline, shown: &str, diags: &mut [Diagnostic], sources: &SourceMap) -> usize {
    let known: HashSet<&str> = b.findings.iter().map(|e| e.fingerprint.as_str()).collect();
    let reason = format!("recorded in baseline `{shown}`");
    let matched = suppress_known(&known, "baseline", &reason, diags, sources);
    known.iter().filter(|f| !matched.contains(**f)).count()
}

/// Suppress (as `kind`, for `reason`) every active finding whose fingerprint is in `known`:
/// the one matching of baselines and `check --new-against`. Returns the fingerprints matched.
pub fn suppress_known(
    known: &HashSet<&str>,
    kind: &'static str,
    reason: &str,
    diags: &mut [Diagnostic],
    sources: &SourceMap,
) -> HashSet<String> {
    let mut matched: HashSet<String> = HashSet::new();
    for d in diags.iter_mut() {
        let fp = of(d, sources);
        if !known.contains(fp.as_str()) {
            continue;
        }
        if d.is_active() {
            d.suppressed = Some(Box::new(Suppression {
                kind,
                reason: reason.to_string(),
            }));
        }
        matched.insert(fp);
    }
    matched
}

/// The fingerprints of the active findings of a run (what a baseline of it would record).
pub fn active_fingerprints(diags: &[Diagnostic], sources: &SourceMap) -> HashSet<String> {
    diags
        .iter()
        .filter(|d| d.is_active())
        .map(|d| of(d, sources))
        .collect()
}
