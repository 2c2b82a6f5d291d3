//! Line-independent fingerprints of findings: they survive moved lines and reformatting.
use sha2::{Digest, Sha256};

/// Hex SHA-256 of `code\0path\0subject`; never includes line numbers.
pub fn fingerprint(code: &str, path: &str, subject: &str) -> String {
    let mut h = Sha256::new();
    h.update(code.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(subject.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The fingerprint of a finding, the same in baselines, JSON, SARIF and GitLab output. Many
/// document checks have no subject; their message (which names the key or value) stands in.
pub fn of(d: &crate::diagnostic::Diagnostic, path: &str) -> String {
    let subject = if d.subject.is_empty() {
        &d.message
    } else {
        &d.subject
    };
    fingerprint(&d.code, path, subject)
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn separates_fields_and_is_stable() {
        assert_ne!(fingerprint("AL1", "01", "x"), fingerprint("AL10", "1", "x"));
        assert_eq!(fingerprint("a", "b", "c").len(), 64);
        assert_eq!(fingerprint("a", "b", "c"), fingerprint("a", "b", "c"));
    }
}
