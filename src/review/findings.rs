//! Findings a change introduces and fixes, matched by fingerprint exactly as baselines
//! match them ([`crate::evaluate::baseline`]): code, path and subject, never line numbers, so moved
//! lines are neither introduced nor fixed.
use crate::diagnostics::Diagnostic;
use crate::evaluate::baseline;
use crate::pipeline::Run;
use serde::Serialize;
use std::collections::HashSet;

/// One finding as the review shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub code: String,
    pub severity: String,
    pub message: String,
    pub fingerprint: String,
}

#[derive(Debug, Default, Serialize)]
pub struct FindingsChange {
    /// Active in the head, not in the base; sorted by path, line, code.
    pub introduced: Vec<Finding>,
    /// Active in the base, not in the head.
    pub fixed: Vec<Finding>,
}

impl FindingsChange {
    pub fn between(base: &Run, head: &Run) -> Self {
        FindingsChange {
            introduced: only_in(head, base),
            fixed: only_in(base, head),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.introduced.is_empty() && self.fixed.is_empty()
    }
}

/// Active findings of `a` whose fingerprint no active finding of `b` has.
fn only_in(a: &Run, b: &Run) -> Vec<Finding> {
    let known = baseline::active_fingerprints(&b.diagnostics, &b.sources);
    let mut seen = HashSet::new();
    let mut out: Vec<Finding> = a
        .diagnostics
        .iter()
        .filter(|d| d.is_active())
        .filter_map(|d| {
            let fp = baseline::of(d, &a.sources);
            (!known.contains(&fp)).then(|| finding(d, a, fp))
        })
        // One fingerprint once, as one baseline entry covers them all.
        .filter(|f| seen.insert(f.fingerprint.clone()))
        .collect();
    out.sort();
    out
}

fn finding(d: &Diagnostic, run: &Run, fingerprint: String) -> Finding {
    let (line, _) = run.sources.line_col(d.location.file, d.location.span.start);
    Finding {
        path: run.sources.display(d.location.file).to_string(),
        line,
        code: d.code().to_string(),
        severity: d.severity.as_str().to_string(),
        message: d.message.to_string(),
        fingerprint,
    }
}
