//! What the fixture files (`tests/fixtures/jql/*.jql`, one filter a line, run by
//! `tests/jql.rs`) cannot hold: filters spanning lines or made of invisible characters,
//! the empty filter, and inputs built from the parser's limits. Arbitrary input is the
//! fuzz target's job (`fuzz/fuzz_targets/board_filter.rs`, replayed by
//! `tests/fuzz_regressions.rs`).
use super::*;

fn names(filter: &str) -> Vec<String> {
    match parse_filter(filter) {
        Ok(FilterProjects::Known(refs)) => refs.into_iter().map(|r| r.name).collect(),
        other => panic!("expected Known for `{filter}`, got {other:?}"),
    }
}

fn err(filter: &str) -> FilterError {
    match parse_filter(filter) {
        Err(e) => e,
        Ok(ok) => panic!("expected an error for `{filter}`, got {ok:?}"),
    }
}

#[test]
fn whitespace_variants() {
    assert_eq!(names("\n\tproject\rin(A,B)  \n"), ["A", "B"]);
    // U+00A0 is not JQL whitespace: Jira reads `project\u{a0}in` as one word.
    let f = "project\u{a0}in (A)";
    let e = err(f);
    assert_eq!(e.message, "expected an operator, found `(`");
    assert_eq!(&f[e.span], "(");
}

#[test]
fn escapes_in_strings() {
    // `\n` in the filter is an escape: the project's name holds a newline.
    let f = r#"project = "say \"hi\" \\ \n""#;
    assert_eq!(names(f), ["say \"hi\" \\ \n"]);
}

#[test]
fn empty_filter_matches_every_issue() {
    // Jira's grammar makes both the clause and ORDER BY optional.
    for f in ["", "  \n "] {
        assert!(
            matches!(
                parse_filter(f),
                Ok(FilterProjects::Complex {
                    reason: ComplexReason::NoProjectClause
                })
            ),
            "{f:?}"
        );
    }
}

#[test]
fn long_tokens_are_shortened_in_messages() {
    let long = "x".repeat(500);
    let e = err(&format!("project = A {long}"));
    assert!(e.message.len() < 100, "{}", e.message);
    assert_eq!(e.span, 12..512);
}

#[test]
fn deep_nesting_is_an_error() {
    let f = format!(
        "{}project = A{}",
        "(".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    assert_eq!(names(&f), ["A"]);
    let depth = MAX_DEPTH + 1;
    let f = format!("{}project = A{}", "(".repeat(depth), ")".repeat(depth));
    let e = err(&f);
    assert_eq!(
        e.message,
        format!("filter nests deeper than {MAX_DEPTH} levels")
    );
    assert_eq!(e.span, MAX_DEPTH..MAX_DEPTH + 1);
    // Far deeper input must not overflow the stack either.
    let f = "(".repeat(100_000);
    assert_eq!(err(&f).span, MAX_DEPTH..MAX_DEPTH + 1);
    let f = "NOT ".repeat(100_000) + "x = 1";
    assert_eq!(err(&f).span, MAX_DEPTH * 4..MAX_DEPTH * 4 + 3);
}

#[test]
fn long_project_lists_intersect() {
    // 150,000 values (the scale benchmark's largest filter), repeated in a second clause.
    let values: Vec<String> = (0..150_000).map(|i| format!("P{i}")).collect();
    let list = values.join(", ");
    let f = format!("project in ({list}) AND project in ({list}) AND project != 10000");
    let derived = names(&f);
    assert_eq!(derived.len(), 150_000);
    assert_eq!(derived.first().map(String::as_str), Some("P0"));
    assert_eq!(derived.last().map(String::as_str), Some("P149999"));
}
