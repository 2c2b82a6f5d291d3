//! Text from the repository made inert before it is printed: control characters escaped
//! and long values cut, so nothing a document says can start a line, move the cursor,
//! inject a CI workflow command or flood a log.
use std::borrow::Cow;
use std::fmt::Write;

/// Is `c` a character a terminal or log would act on rather than show?
fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{2028}' | '\u{2029}') // line and paragraph separators
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') // bidi overrides
}

/// `s` with every control character shown as an escape (`\n`, `\u{1b}`).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
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
    let escaped = escape(s);
    match escaped.char_indices().nth(max) {
        None => escaped,
        Some((cut, _)) => Cow::Owned(format!("{}…", &escaped[..cut])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_plain_text_borrowed() {
        assert!(matches!(escape("Connector Default"), Cow::Borrowed(_)));
        assert_eq!(escape("a\n::error::x"), "a\\n::error::x");
        assert_eq!(escape("\u{1b}]8;;x\u{7}"), "\\u{1b}]8;;x\\u{7}");
        assert_eq!(escape("a\u{85}b\u{202e}"), "a\\u{85}b\\u{202e}");
    }

    #[test]
    fn bounded_cuts_long_values() {
        assert_eq!(bounded("abcdef", 3), "abc…");
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("é\né", 2), "é\\…");
    }
}
