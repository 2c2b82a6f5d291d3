//! Suppressions: inline `# rolelint: allow(...)` comments and `[[exception]]` entries of
//! `rolelint.toml`. Runs once, before overrides, over every finding of the run, so whether a
//! suppression is used does not depend on `--select`/`--ignore`; the findings about
//! suppressions themselves (RL090–RL094) then go through the same overrides as any other.
//!
//! A suppressed finding is kept with `suppressed = Some(..)`: visible in JSON and SARIF, not
//! counted for the exit code or shown in human output.
pub mod pragma;

use crate::diagnostics::rule_meta::{self as rule_ids, RuleMeta};
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::{Diagnostic, Suppression};
use crate::evaluate::RuleSet;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// One suppression, inline or from the configuration.
struct Entry {
    kind: &'static str,
    file: FileId,
    /// Inline: the 0-based line whose findings it covers. Exception: `None`.
    line: Option<usize>,
    /// Exception: the path glob.
    path: Option<glob::Pattern>,
    span: Range<usize>,
    codes: Vec<(String, Range<usize>)>,
    reason: Option<String>,
    expires: Option<(String, Range<usize>)>,
    used: Vec<bool>,
}

/// Mark suppressed findings and add RL09x findings about the suppressions.
/// `pragma_files` are the files whose text contains `rolelint:` (flagged at load time).
pub fn apply(
    diags: &mut Vec<Diagnostic>,
    sources: &SourceMap,
    pragma_files: &[FileId],
    ws: &RuleSet,
    today: &str,
) {
    let mut out = Vec::new();
    let mut entries = inline_entries(sources, pragma_files, &ws.known_rules, &mut out);
    entries.extend(exception_entries(ws));
    if entries.is_empty() {
        diags.extend(out);
        return;
    }
    let mut refused: FxHashSet<(usize, usize)> = FxHashSet::default();
    // The entries a finding can match: inline ones by (file, line), exceptions by path.
    // Hashed, so 100,000s of findings and of comments cost one look-up each, not a scan
    // of every entry per finding. Inline entries come first, as in `entries`.
    let mut inline: FxHashMap<(FileId, usize), Vec<usize>> = FxHashMap::default();
    let mut by_path: Vec<usize> = Vec::new();
    for (ei, e) in entries.iter().enumerate() {
        match (&e.path, e.line) {
            (Some(_), _) => by_path.push(ei),
            (None, Some(l)) => inline.entry((e.file, l)).or_default().push(ei),
            (None, None) => {}
        }
    }
    let inline_files: FxHashSet<FileId> = inline.keys().map(|(f, _)| *f).collect();
    let mut suppressible_code: FxHashMap<String, bool> = FxHashMap::default();
    for d in diags.iter_mut().filter(|d| d.suppressed.is_none()) {
        let line = inline_files
            .contains(&d.location.file)
            .then(|| sources.line_col(d.location.file, d.location.span.start).0 - 1);
        let display = sources.display(d.location.file);
        let suppressible = *suppressible_code
            .entry(d.code().to_string())
            .or_insert_with(|| {
                rule_ids::find(&ws.known_rules, d.code()).is_none_or(|r| r.suppressible)
            });
        let here_inline = line
            .and_then(|l| inline.get(&(d.location.file, l)))
            .map_or(&[][..], Vec::as_slice);
        // Every matching entry and code counts as used; the first one that may suppress does.
        for &ei in here_inline.iter().chain(&by_path) {
            let e = &mut entries[ei];
            let here = match (&e.path, e.line) {
                (Some(glob), _) => glob.matches_with(display, crate::discover::MATCH_OPTIONS),
                (None, Some(l)) => e.file == d.location.file && line == Some(l),
                (None, None) => false,
            };
            if !here {
                continue;
            }
            let mut matched = false;
            for (ci, (c, _)) in e.codes.iter().enumerate() {
                if c.eq_ignore_ascii_case(d.code()) || c == d.name().as_str() {
                    e.used[ci] = true;
                    matched = true;
                    if !suppressible {
                        refused.insert((ei, ci));
                    }
                }
            }
            let expired = e
                .expires
                .as_ref()
                .is_some_and(|(date, _)| date.as_str() < today);
            if matched && suppressible && !expired && d.suppressed.is_none() {
                d.suppressed = Some(Box::new(Suppression {
                    kind: e.kind,
                    reason: e.reason.clone().unwrap_or_default(),
                }));
            }
        }
    }
    let active: FxHashSet<&str> = ws.rules.iter().map(|r| r.meta.code.as_str()).collect();
    for (ei, e) in entries.iter().enumerate() {
        report_entry(ei, e, &refused, &active, &ws.known_rules, today, &mut out);
    }
    diags.extend(out);
}

/// Every code or name an inline suppression in `pragma_files` names: those rules must run
/// even when their findings are not shown, or their suppressions would look stale.
pub fn named_codes(sources: &SourceMap, pragma_files: &[FileId]) -> Vec<String> {
    let mut out = Vec::new();
    for &file in pragma_files {
        for p in pragma::scan(&sources.text(file)).into_iter().flatten() {
            out.extend(p.codes.into_iter().map(|(code, _)| code));
        }
    }
    out
}

fn report_entry(
    ei: usize,
    e: &Entry,
    refused: &FxHashSet<(usize, usize)>,
    active: &FxHashSet<&str>,
    known: &[RuleMeta],
    today: &str,
    out: &mut Vec<Diagnostic>,
) {
    let what = &if e.kind == "inline" {
        says::WhatSuppression.text()
    } else {
        says::WhatException.text()
    };
    let subject = e
        .codes
        .iter()
        .map(|(c, _)| c.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let subject = format!("{}/{subject}", e.kind);
    if e.reason.is_none() {
        out.push(
            says::WithoutReason { what }
                .at(e.file, e.span.clone())
                .with_subject(&subject),
        );
    }
    let expired = match &e.expires {
        Some((date, span)) if date.as_str() < today => {
            out.push(
                says::Expired { what, date }
                    .at(e.file, span.clone())
                    .with_subject(&subject),
            );
            true
        }
        _ => false,
    };
    for (ci, (code, span)) in e.codes.iter().enumerate() {
        let Some(rule) = rule_ids::find(known, code) else {
            continue; // reported as malformed when read
        };
        if refused.contains(&(ei, ci)) {
            out.push(
                says::CannotBeSuppressed { rule: &rule.code }
                    .at(e.file, span.clone())
                    .with_subject(format!("{subject}/{code}")),
            );
        }
        // A rule switched off in `[policies] disable` reports nothing; its suppression is not stale.
        let enabled = rule.code.starts_with("RL") || active.contains(rule.code.as_str());
        if !e.used[ci] && !expired && enabled {
            out.push(
                says::MatchesNoFinding { what, rule: code }
                    .at(e.file, span.clone())
                    .with_subject(format!("{subject}/{code}")),
            );
        }
    }
}

fn inline_entries(
    sources: &SourceMap,
    files: &[FileId],
    known: &[RuleMeta],
    out: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let mut entries = Vec::new();
    for &file in files {
        let text = sources.text(file);
        for found in pragma::scan(&text) {
            let p = match found {
                Ok(p) => p,
                Err(m) => {
                    out.push(
                        says::MalformedComment { reason: &m.message }
                            .at(file, m.span.clone())
                            .with_subject(text[m.span].trim()),
                    );
                    continue;
                }
            };
            let codes = known_codes(file, p.codes, known, out);
            if codes.is_empty() {
                continue;
            }
            entries.push(Entry {
                kind: "inline",
                file,
                line: Some(p.covers),
                path: None,
                span: p.span,
                used: vec![false; codes.len()],
                codes,
                reason: p.reason,
                expires: p.expires,
            });
        }
    }
    entries
}

/// Drop (and report) codes no rule has.
fn known_codes(
    file: FileId,
    codes: Vec<(String, Range<usize>)>,
    known: &[RuleMeta],
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, Range<usize>)> {
    codes
        .into_iter()
        .filter(|(code, span)| {
            let ok = rule_ids::find(known, code).is_some();
            if !ok {
                let mut d = says::UnknownRuleInSuppression { rule: code }
                    .at(file, span.clone())
                    .with_subject(format!("unknown/{code}"));
                if let Some(s) = rule_ids::suggestion(known, code) {
                    d = d.with_help(s);
                }
                out.push(d);
            }
            ok
        })
        .collect()
}

/// `[[exception]]` entries; their codes and globs were validated with the configuration.
fn exception_entries(ws: &RuleSet) -> Vec<Entry> {
    let Some(file) = ws.config.file() else {
        return Vec::new();
    };
    ws.config
        .exception
        .iter()
        .filter_map(|x| {
            let e = x.get_ref();
            let path = glob::Pattern::new(e.path.get_ref()).ok()?;
            Some(Entry {
                kind: "exception",
                file,
                line: None,
                path: Some(path),
                span: x.span(),
                codes: vec![(e.code.get_ref().clone(), e.code.span())],
                reason: e
                    .reason
                    .as_ref()
                    .map(|r| r.get_ref().clone())
                    .filter(|r| !r.trim().is_empty()),
                expires: e.expires.as_ref().map(|d| (d.get_ref().clone(), d.span())),
                used: vec![false],
            })
        })
        .collect()
}
