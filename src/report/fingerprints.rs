//! Fingerprints in the outputs. [`of`] is rolelint's line-independent identity of a
//! finding ([`crate::diagnostics::fingerprint`], shared with baselines); [`LineHasher`] makes GitHub's
//! `primaryLocationLineHash` for SARIF: a hash of the primary line's trimmed text and,
//! after a colon, how many earlier results in the same file had that hash (`<hex>:<n>`).
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Default)]
pub struct LineHasher {
    seen: HashMap<(String, String), usize>,
}

impl LineHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn hash(&mut self, path: &str, line_text: &str) -> String {
        let digest = Sha256::digest(line_text.trim().as_bytes());
        let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let n = self
            .seen
            .entry((path.to_string(), short.clone()))
            .or_insert(0);
        *n += 1;
        format!("{short}:{n}")
    }
}

/// rolelint's fingerprint of a finding, exactly as baselines record it.
pub fn of(d: &crate::diagnostics::Diagnostic, path: &str) -> String {
    crate::diagnostics::fingerprint::of(d, path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
