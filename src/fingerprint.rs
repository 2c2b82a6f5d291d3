//! Content fingerprints of findings: the identity a finding keeps across unrelated edits.
//!
//! One function for every consumer (SARIF `partialFingerprints`, the GitLab report, the
//! JSON `fingerprint` field and baselines), so a finding recorded by one is recognised by
//! the others. Line numbers are deliberately left out: inserting a role above another must
//! not turn an old finding into a new one.
use crate::diagnostic::Diagnostic;
use sha2::{Digest, Sha256};

/// Hex sha256 of the rule code, the file's display path and the finding's subject.
///
/// Findings without a subject (some document checks) fall back to their message, which
/// still carries no line number.
pub fn fingerprint(d: &Diagnostic, path: &str) -> String {
    let identity = if d.subject.is_empty() {
        &d.message
    } else {
        &d.subject
    };
    let mut h = Sha256::new();
    // NUL separators keep ("a", "bc") and ("ab", "c") apart.
    for part in [d.code.as_str(), path, identity.as_str()] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// GitHub's `primaryLocationLineHash`: a hash of the primary line's text (white space
/// trimmed) and, after a colon, how many earlier findings in the same file had that hash.
pub struct LineHasher {
    seen: std::collections::HashMap<(String, String), usize>,
}

impl LineHasher {
    pub fn new() -> Self {
        Self {
            seen: std::collections::HashMap::new(),
        }
    }

    pub fn hash(&mut self, path: &str, line_text: &str) -> String {
        let digest = Sha256::digest(line_text.trim().as_bytes());
        let short = hex(&digest[..8]);
        let n = self
            .seen
            .entry((path.to_string(), short.clone()))
            .or_insert(0);
        *n += 1;
        format!("{short}:{n}")
    }
}

impl Default for LineHasher {
    fn default() -> Self {
        Self::new()
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::FileId;

    fn finding(span: std::ops::Range<usize>, subject: &str) -> Diagnostic {
        Diagnostic::new("AL101", "x", Severity::Error, "msg", FileId(0), span).with_subject(subject)
    }

    #[test]
    fn ignores_position_but_not_identity() {
        let a = fingerprint(&finding(0..3, "Role/Team"), "roles/a.toml");
        assert_eq!(
            a,
            fingerprint(&finding(40..52, "Role/Team"), "roles/a.toml")
        );
        assert_ne!(
            a,
            fingerprint(&finding(0..3, "Role/Program"), "roles/a.toml")
        );
        assert_ne!(a, fingerprint(&finding(0..3, "Role/Team"), "roles/b.toml"));
        assert_eq!(a.len(), 64);
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
