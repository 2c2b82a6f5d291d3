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
    hex(&h.finalize())
}

/// The hash part of a line's SARIF `primaryLocationLineHash`: the first 8 bytes of the
/// SHA-256 of its trimmed text. It depends on the line alone, so it can be computed while
/// loading holds the text (`SourceMap::hashing_lines`) or by the report in parallel.
pub fn line_digest(line_text: &str) -> [u8; 8] {
    let digest = Sha256::digest(line_text.trim().as_bytes());
    let mut out = [0; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// Lower-case hex of `bytes`, written into one string (no formatting machinery per byte:
/// every finding of a JSON, SARIF or GitLab report has a fingerprint).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The fingerprint of a finding, the same in baselines, JSON, SARIF and GitLab output. Many
/// document checks have no subject; their message (which names the key or value) stands in.
pub fn of(d: &crate::diagnostics::Diagnostic, path: &str) -> String {
    if d.subject().is_empty() {
        fingerprint(d.code(), path, &d.message.get())
    } else {
        fingerprint(d.code(), path, d.subject())
    }
}

#[cfg(test)]
mod tests {
    use super::{fingerprint, of};
    use crate::diagnostics::source::FileId;
    use crate::diagnostics::{Diagnostic, Severity};

    /// Baselines store these values: a change of the hash input or of its spelling would
    /// turn every baselined finding into a new one.
    #[test]
    fn is_the_sha256_of_the_nul_separated_fields() {
        assert_eq!(
            fingerprint("a", "b", "c"),
            "8badde10c760e9b702defb4b5e225de79c515b1d2a5cfb000e140f3c6fbb5629"
        );
        assert_eq!(
            fingerprint("AL201", "schemes/x.toml", "Browse Projects:anyone"),
            "152b338eb57096e200cea1dfa7573cb5b928dbc54dccbe3322ae4efb023b4c07"
        );
    }

    #[test]
    fn hex_is_lower_case_two_digits_per_byte() {
        assert_eq!(super::hex(&[]), "");
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        let every: Vec<u8> = (0..=255).collect();
        let want: String = every.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::hex(&every), want);
    }

    #[test]
    fn each_field_counts_and_fields_do_not_run_together() {
        let base = fingerprint("AL1", "p", "s");
        assert_ne!(base, fingerprint("AL2", "p", "s"));
        assert_ne!(base, fingerprint("AL1", "q", "s"));
        assert_ne!(base, fingerprint("AL1", "p", "t"));
        assert_ne!(fingerprint("AL1", "01", "x"), fingerprint("AL10", "1", "x"));
        assert_ne!(fingerprint("a", "b\0c", ""), fingerprint("a", "b", "c"));
    }

    /// Moving a finding (another line, another span) or rewording what is not its identity
    /// keeps its fingerprint; without a subject, the message stands in.
    #[test]
    fn ignores_where_the_finding_is_and_its_wording() {
        let at = |span: std::ops::Range<usize>, message: &str, subject: &str| {
            let mut d = Diagnostic::new("AL201", "n", Severity::Error, message, FileId(0), span);
            d.message.set_subject(subject);
            let d = d.with_help(format!("help at {message}"));
            of(&d, "schemes/x.toml")
        };
        let want = fingerprint("AL201", "schemes/x.toml", "Browse Projects:anyone");
        assert_eq!(at(0..3, "one wording", "Browse Projects:anyone"), want);
        assert_eq!(
            at(400..420, "another wording", "Browse Projects:anyone"),
            want
        );
        assert_eq!(
            at(9..12, "grant `x`", ""),
            fingerprint("AL201", "schemes/x.toml", "grant `x`")
        );
        assert_ne!(at(9..12, "grant `x`", ""), at(9..12, "grant `y`", ""));
    }
}
