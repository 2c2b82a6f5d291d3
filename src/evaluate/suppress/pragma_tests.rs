use super::*;

fn one(text: &str) -> Result<Pragma, Malformed> {
    let mut all = scan(text);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn parses_codes_reason_and_expiry_with_spans() {
    let text = "a = 1\nb = [] # rolelint: allow(AL101, deprecated-toggle) reason=\"kept \\\"for now\\\"\" expires=\"2027-03-31\"\n";
    let p = one(text).expect("well-formed");
    assert_eq!((p.line, p.covers), (1, 1));
    assert_eq!(&text[p.span.clone()], &text[13..text.len() - 1]);
    let codes: Vec<&str> = p.codes.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["AL101", "deprecated-toggle"]);
    assert_eq!(&text[p.codes[1].1.clone()], "deprecated-toggle");
    assert_eq!(p.reason.as_deref(), Some("kept \"for now\""));
    let (date, span) = p.expires.expect("expires");
    assert_eq!(date, "2027-03-31");
    assert_eq!(&text[span], "\"2027-03-31\"");
}

#[test]
fn reason_is_optional_and_blank_reason_counts_as_missing() {
    assert_eq!(one("# rolelint: allow(AL101)").expect("ok").reason, None);
    assert_eq!(
        one("# rolelint: allow(AL101) reason=\"  \"")
            .expect("ok")
            .reason,
        None
    );
}

#[test]
fn hash_inside_strings_is_not_a_comment() {
    assert!(scan("name = \"# rolelint: allow(AL101)\"\n").is_empty());
    assert!(scan("name = '# rolelint: allow(AL101)'\n").is_empty());
    assert!(scan("d = \"\"\"\n# rolelint: allow(AL101)\n\"\"\"\n").is_empty());
    assert_eq!(
        scan("d = \"\"\"x\"\"\" # rolelint: allow(AL101)\n").len(),
        1
    );
}

#[test]
fn other_comments_are_ignored() {
    assert!(scan("# a comment about rolelint\n# rolelint is great\n").is_empty());
}

#[test]
fn malformed_directives_explain_what_is_wrong() {
    let cases = [
        ("# rolelint: alow(AL101)", "expected `allow(CODE, ...)`"),
        ("# rolelint: allow(AL101", "missing `)`"),
        ("# rolelint: allow() reason=\"x\"", "must be codes or names"),
        (
            "# rolelint: allow(AL101) reasn=\"x\"",
            "did you mean `reason`",
        ),
        ("# rolelint: allow(AL101) reason=x", "double-quoted string"),
        (
            "# rolelint: allow(AL101) reason=\"x",
            "double-quoted string",
        ),
        (
            "# rolelint: allow(AL101) expires=\"2027-02-30\"",
            "YYYY-MM-DD",
        ),
        (
            "# rolelint: allow(AL101) reason=\"a\" reason=\"b\"",
            "given twice",
        ),
    ];
    for (text, want) in cases {
        let m = one(text).expect_err(text);
        assert!(m.message.contains(want), "{text}: {}", m.message);
        assert_eq!(m.span, 0..text.len());
    }
}

#[test]
fn dates() {
    assert!(is_date("2024-02-29"));
    assert!(!is_date("2023-02-29"));
    assert!(!is_date("2023-13-01"));
    assert!(!is_date("2023-1-01"));
    // Other ISO 8601 spellings jiff would read are not the documented format.
    for other in [
        "20240229",
        "+002024-02-29",
        "2024-02-29T00:00",
        " 2024-02-29",
        "2024-02-2x",
    ] {
        assert!(!is_date(other), "{other}");
    }
    let day = |secs: i64| utc_date(jiff::Timestamp::from_second(secs).unwrap()).to_string();
    assert_eq!(day(0), "1970-01-01");
    assert_eq!(day(19_782 * 86_400), "2024-02-29");
    assert_eq!(day(19_782 * 86_400 + 86_399), "2024-02-29");
    assert_eq!(day(-1), "1969-12-31");
    assert!(is_date(&today()));
}

/// A trailing comment covers its own line; a comment on a line of its own covers the next
/// line that is not a comment (blank lines are not comments: they end the search).
#[test]
fn scope_is_the_own_line_or_the_next_line_that_is_not_a_comment() {
    let covers = |text: &str| -> Vec<usize> {
        scan(text)
            .into_iter()
            .map(|p| p.expect("well-formed").covers)
            .collect()
    };
    assert_eq!(covers("a = 1 # rolelint: allow(AL101)\nb = 2\n"), [0]);
    assert_eq!(covers("# rolelint: allow(AL101)\nb = 2\n"), [1]);
    assert_eq!(
        covers("# rolelint: allow(AL101)\n# why\n  # more\nb = 2\n"),
        [3]
    );
    assert_eq!(
        covers(
            "# rolelint: allow(AL101)\n# rolelint: allow(AL110)\nb = 2 # rolelint: allow(AL102)\n"
        ),
        [2, 2, 2]
    );
    assert_eq!(covers("# rolelint: allow(AL101)\n\nb = 2\n"), [1]);
    assert_eq!(covers("a = 1\n# rolelint: allow(AL101)\n"), [usize::MAX]);
    // A `#` line inside a multi-line string is text, not a comment.
    assert_eq!(
        covers("# rolelint: allow(AL101)\nd = \"\"\"\n# x\n\"\"\"\n"),
        [1]
    );
}
