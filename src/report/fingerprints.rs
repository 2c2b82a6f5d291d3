//! Fingerprints in the outputs. [`of`] is rolelint's line-independent identity of a
//! finding ([`crate::diagnostics::fingerprint`], shared with baselines); [`LineHasher`] makes GitHub's
//! `primaryLocationLineHash` for SARIF: a hash of the primary line's trimmed text and,
//! after a colon, how many earlier results in the same file had that hash (`<hex>:<n>`).
use rustc_hash::FxHashMap;
use std::fmt::Write as _;

#[derive(Default)]
pub struct LineHasher {
    /// Path → the hash part → results so far (a report has tens of thousands: each is one
    /// look-up by the path it already has, no copy of the path per result).
    seen: FxHashMap<String, FxHashMap<[u8; 8], usize>>,
    /// Each file's results come together: a file's counts are dropped when the next
    /// file's results begin (a map per file of ten thousand took megabytes).
    one_file_at_a_time: bool,
}

impl LineHasher {
    pub fn new() -> Self {
        Self::default()
    }

    /// For results that come file by file, each file's together (see [`consecutive`]).
    pub fn file_by_file() -> Self {
        Self {
            one_file_at_a_time: true,
            ..Self::default()
        }
    }

    pub fn hash(&mut self, path: &str, line_text: &str) -> String {
        self.count(path, Self::digest(line_text))
    }

    /// The hash part of a line's `primaryLocationLineHash`
    /// ([`crate::diagnostics::fingerprint::line_digest`]): it depends on the line alone, so
    /// a report may compute it in parallel and count repeats in order after.
    pub fn digest(line_text: &str) -> [u8; 8] {
        crate::diagnostics::fingerprint::line_digest(line_text)
    }

    /// `<hex of digest>:<n>`, `n` counting results in `path` with that hash so far.
    pub fn count(&mut self, path: &str, digest: [u8; 8]) -> String {
        if self.one_file_at_a_time && !self.seen.contains_key(path) {
            self.seen.clear();
        }
        let in_file = match self.seen.get_mut(path) {
            Some(in_file) => in_file,
            None => self.seen.entry(path.to_string()).or_default(),
        };
        let n = in_file.entry(digest).or_insert(0);
        *n += 1;
        let mut out = crate::diagnostics::fingerprint::hex(&digest);
        let _ = write!(out, ":{n}"); // writing to a String cannot fail
        out
    }
}

/// Whether each file's findings come together (a run's are sorted by path), so counts
/// kept per file may be dropped when the next file begins.
pub fn consecutive(findings: &[&crate::diagnostics::Diagnostic]) -> bool {
    let mut done = rustc_hash::FxHashSet::default();
    let mut current = None;
    for d in findings {
        let file = d.location.file;
        if current != Some(file) {
            if !done.insert(file) {
                return false;
            }
            current = Some(file);
        }
    }
    true
}

/// rolelint's fingerprint of a finding, exactly as baselines record it.
pub fn of(d: &crate::diagnostics::Diagnostic, path: &str) -> String {
    crate::diagnostics::fingerprint::of(d, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_by_file_counts_as_a_whole_report_does_when_files_come_together() {
        let (mut all, mut one) = (LineHasher::new(), LineHasher::file_by_file());
        for (path, line) in [("a", "x"), ("a", "x"), ("b", "x"), ("b", "y"), ("b", "x")] {
            assert_eq!(all.hash(path, line), one.hash(path, line));
        }
        assert_eq!(one.seen.len(), 1, "only the current file's counts are kept");
    }

    #[test]
    fn line_hash_counts_repeats_per_file() {
        let mut h = LineHasher::new();
        let first = h.hash("a.toml", "  Stories = \"all\"");
        let again = h.hash("a.toml", "Stories = \"all\"");
        let other = h.hash("b.toml", "Stories = \"all\"");
        assert!(first.ends_with(":1"));
        assert_eq!(again, first.replace(":1", ":2"));
        assert_eq!(other, first);
    }
}
