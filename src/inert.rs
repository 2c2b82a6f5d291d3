//! Text from the repository made inert before it is printed: control characters escaped
//! and long values cut, so nothing a document says can start a line, move the cursor,
//! inject a CI workflow command or flood a log.
use std::borrow::Cow;
use std::fmt::Write;

/// Is `c` a character a terminal or log would act on rather than show, or one an XML
/// 1.0 document cannot hold?
pub fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{2028}' | '\u{2029}') // line and paragraph separators
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') // bidi overrides
        || matches!(c, '\u{FFFE}' | '\u{FFFF}') // not characters (and not XML `Char`)
}

/// Does `s` hold a [control](is_control) character? One pass over the bytes for ASCII
/// text, the common case: only from the first byte that may start one are chars decoded.
pub fn has_control(s: &str) -> bool {
    // Whole blocks, each tested without an early exit (which the compiler vectorizes):
    // every path, code and message of a report passes through here.
    const BLOCK: usize = 32;
    let plain = |block: &[u8]| {
        block
            .iter()
            .fold(true, |ok, &b| ok & (0x20..0x7f).contains(&b))
    };
    match s.as_bytes().chunks(BLOCK).position(|block| !plain(block)) {
        None => false,
        // Every byte before the block is printable ASCII, so the block starts a character.
        Some(k) => s[k * BLOCK..].chars().any(is_control),
    }
}

/// `s` with every control character shown as an escape (`\n`, `\u{1b}`).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !has_control(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`]d and cut to at most `max` characters (an ellipsis marks the cut), for a
/// value quoted in a one-sentence error.
pub fn bounded(s: &str, max: usize) -> Cow<'_, str> {
    match escape(s) {
        Cow::Borrowed(b) => cut(b, max),
        Cow::Owned(o) => Cow::Owned(cut(&o, max).into_owned()),
    }
}

/// `s` cut to at most `max` characters (an ellipsis marks the cut), not escaped: for
/// formats whose own escaping makes text inert (JSON).
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    // At most `max` bytes is at most `max` characters: no need to count.
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-wise test finds a control character wherever it is, as a scan of the
    /// characters does (before, inside and after a block, after multi-byte characters).
    #[test]
    fn has_control_agrees_with_a_scan_of_the_characters() {
        let scan = |s: &str| s.chars().any(is_control);
        for filler in ["a", "é", "役", "~"] {
            for len in [0, 1, 31, 32, 33, 64, 70] {
                let plain: String = filler.repeat(len);
                assert_eq!(has_control(&plain), scan(&plain), "{plain:?}");
                for c in ['\n', '\u{7f}', '\u{85}', '\u{202e}', '\u{ffff}', ' ', 'é'] {
                    for at in 0..=len {
                        let mut t: String = filler.repeat(at);
                        t.push(c);
                        t.push_str(&filler.repeat(len - at));
                        assert_eq!(has_control(&t), scan(&t), "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn controls_are_escaped_and_plain_text_borrowed() {
        assert!(matches!(escape("Connector Default"), Cow::Borrowed(_)));
        assert_eq!(escape("a\n::error::x"), "a\\n::error::x");
        assert_eq!(escape("\u{1b}]8;;x\u{7}"), "\\u{1b}]8;;x\\u{7}");
        assert_eq!(escape("a\u{85}b\u{202e}"), "a\\u{85}b\\u{202e}");
        assert_eq!(escape("é\u{ffff}"), "é\\u{ffff}");
        assert!(matches!(escape("rôle é"), Cow::Borrowed(_)));
    }

    #[test]
    fn has_control_agrees_with_a_scan_of_every_char() {
        for s in [
            "",
            "abc",
            "a\tb",
            "é",
            "é\u{1b}",
            "x\u{7f}",
            "\u{202e}",
            "役割\u{2028}",
        ] {
            assert_eq!(has_control(s), s.chars().any(is_control), "{s:?}");
        }
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = escape("a\n\u{1b}[31m\u{9b}").into_owned();
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn bounded_cuts_long_values() {
        assert_eq!(bounded("abcdef", 3), "abc…");
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("é\né", 2), "é\\…");
        assert_eq!(cut("éé", 2), "éé");
        assert_eq!(cut("ééé", 2), "éé…");
        assert_eq!(cut("a\nb", 1), "a…");
    }
}
