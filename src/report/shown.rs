//! What an output prints of a finding's text.
//!
//! Messages, labels, help and notes quote documents (role names, keys, values) and
//! policy files, and paths come from the file system: all of it is hostile. It is made
//! inert here, at the emitters, because only they see all of it (text, paths and the
//! source snippet, whose spans index the raw file) and only they know their format's
//! escaping: [`text`] for what a terminal or log shows (`human`, `concise`, `github`,
//! `junit`), [`data`] for JSON formats (`json`, `sarif`, `gitlab`), whose own string
//! escaping already makes any character inert. Both cut long text, so a report grows
//! with the number of findings, never with the size of a value in a file.
use crate::inert;
use std::borrow::Cow;

/// Characters of one message, label, help, note or path a report prints at most.
pub const MAX_CHARS: usize = 2_000;
/// Notes of one finding a report prints at most...
pub const MAX_NOTES: usize = 64;
/// ...and characters of them together; a last note counts the rest.
pub const MAX_NOTES_CHARS: usize = 16_000;

/// Text for a terminal or log: control characters escaped, cut to [`MAX_CHARS`].
pub fn text(s: &str) -> Cow<'_, str> {
    inert::bounded(s, MAX_CHARS)
}

/// [`text`] of an owned string, without a copy when there is nothing to change.
pub fn text_string(s: String) -> String {
    match text(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// [`data`] of a text that may be borrowed or made (a finding's message).
pub fn data_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => data(b),
        Cow::Owned(o) => match data(&o) {
            Cow::Borrowed(_) => Cow::Owned(o),
            Cow::Owned(cut) => Cow::Owned(cut),
        },
    }
}

/// [`text`] of a text that may be borrowed or made (a finding's message).
pub fn text_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => text(b),
        Cow::Owned(o) => Cow::Owned(text_string(o)),
    }
}

/// Text for a JSON format: cut to [`MAX_CHARS`], escaped by the format itself.
pub fn data(s: &str) -> Cow<'_, str> {
    inert::cut(s, MAX_CHARS)
}

/// The notes a report prints, each through `each` ([`text`] or [`data`]): the first
/// [`MAX_NOTES`] within [`MAX_NOTES_CHARS`], then one saying how many more there were.
pub fn notes<'a, T: AsRef<str>>(
    notes: &'a [T],
    each: fn(&'a str) -> Cow<'a, str>,
) -> Vec<Cow<'a, str>> {
    let mut shown = Vec::with_capacity(notes.len().min(MAX_NOTES));
    let mut budget = MAX_NOTES_CHARS;
    for n in notes.iter().take(MAX_NOTES) {
        let n = each(n.as_ref());
        // Bytes bound characters from above: no need to count them.
        if n.len() > budget && n.chars().count() > budget {
            break;
        }
        budget = budget.saturating_sub(n.len());
        shown.push(n);
    }
    let rest = notes.len() - shown.len();
    if rest > 0 {
        shown.push(Cow::Owned(format!("{rest} more notes not shown")));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_beyond_the_limit_are_counted() {
        let many: Vec<String> = (0..MAX_NOTES + 5).map(|i| format!("n{i}")).collect();
        let shown = notes(&many, text);
        assert_eq!(shown.len(), MAX_NOTES + 1);
        assert_eq!(
            shown.last().map(|s| s.as_ref()),
            Some("5 more notes not shown")
        );
        let few = vec!["a\nb".to_string()];
        assert_eq!(notes(&few, text), ["a\\nb"]);
        assert_eq!(notes(&few, data), ["a\nb"]);
    }

    #[test]
    fn notes_beyond_the_character_budget_are_counted() {
        let long = vec!["x".repeat(MAX_CHARS * 2); MAX_NOTES];
        let shown = notes(&long, text);
        let total: usize = shown.iter().map(|n| n.chars().count()).sum();
        assert!(total <= MAX_NOTES_CHARS + 100, "{total}");
        assert!(shown
            .last()
            .is_some_and(|n| n.ends_with("more notes not shown")));
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(MAX_CHARS * 3);
        assert_eq!(text(&long).chars().count(), MAX_CHARS + 1);
        assert_eq!(data(&long).chars().count(), MAX_CHARS + 1);
    }
}
