use super::*;

/// The span of the `nth` (0-based) occurrence of `needle` in `hay`.
fn span_of(hay: &str, needle: &str, nth: usize) -> Range<usize> {
    let mut from = 0;
    let mut found = None;
    for _ in 0..=nth {
        let at = hay[from..].find(needle).map(|i| i + from);
        found = at;
        from = at.map_or(hay.len(), |i| i + needle.len());
    }
    let start = found.unwrap_or_else(|| panic!("`{needle}` not in `{hay}`"));
    start..start + needle.len()
}

fn known(filter: &str) -> Vec<(String, Range<usize>)> {
    match parse_filter(filter) {
        Ok(FilterProjects::Known(refs)) => refs.into_iter().map(|r| (r.name, r.span)).collect(),
        other => panic!("expected Known for `{filter}`, got {other:?}"),
    }
}

fn names(filter: &str) -> Vec<String> {
    known(filter).into_iter().map(|(n, _)| n).collect()
}

fn complex(filter: &str) -> ComplexReason {
    match parse_filter(filter) {
        Ok(FilterProjects::Complex { reason }) => reason,
        other => panic!("expected Complex for `{filter}`, got {other:?}"),
    }
}

fn err(filter: &str) -> FilterError {
    match parse_filter(filter) {
        Err(e) => e,
        Ok(ok) => panic!("expected an error for `{filter}`, got {ok:?}"),
    }
}

/// Asserts the error's message contains `msg` and its span is the `nth` `needle`.
fn assert_err(filter: &str, msg: &str, needle: &str, nth: usize) {
    let e = err(filter);
    assert!(
        e.message.contains(msg),
        "`{filter}`: message `{}` lacks `{msg}`",
        e.message
    );
    assert_eq!(
        e.span,
        span_of(filter, needle, nth),
        "`{filter}`: {}",
        e.message
    );
    assert!(!e.message.ends_with('.'), "{}", e.message);
    assert!(
        e.message.starts_with(|c: char| !c.is_uppercase()),
        "{}",
        e.message
    );
}

// --- project derivation -------------------------------------------------

#[test]
fn spec_example() {
    let f = "project in (PLAT, INFRA) AND type != Epic";
    assert_eq!(
        known(f),
        vec![
            ("PLAT".to_string(), span_of(f, "PLAT", 0)),
            ("INFRA".to_string(), span_of(f, "INFRA", 0)),
        ]
    );
}

#[test]
fn single_project_equals() {
    let f = "project = PLAT";
    assert_eq!(known(f), vec![("PLAT".to_string(), 10..14)]);
}

#[test]
fn notes_example_and_reporter() {
    assert_eq!(
        names("project in (ABC, BCD) AND reporter = admin"),
        ["ABC", "BCD"]
    );
}

#[test]
fn notes_example_or_reporter() {
    let f = "project in (ABC, BCD) OR reporter = admin";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "OR", 0)
        }
    );
}

#[test]
fn project_or_project_is_complex() {
    let f = "project = X or project = Y";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "or", 0)
        }
    );
}

#[test]
fn or_with_epic_name_is_complex() {
    let f = "project = SCRUM or \"Epic Name\" in ('Lonely Epic')";
    assert!(matches!(complex(f), ComplexReason::TopLevelOr { .. }));
}

#[test]
fn first_or_is_reported() {
    let f = "a = 1 OR b = 2 OR project = C";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "OR", 0)
        }
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let f = "project = A AND x = 1 OR y = 2";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "OR", 0)
        }
    );
}

#[test]
fn parenthesised_or_group_at_top_is_complex() {
    let f = "(project = A OR project = B)";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "OR", 0)
        }
    );
    let f = "((project = A AND x = 1) OR y = 2)";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "OR", 0)
        }
    );
}

#[test]
fn or_inside_parentheses_anded_with_project_is_known() {
    let f = "project = PLAT AND (status = Open OR assignee = currentUser())";
    assert_eq!(known(f), vec![("PLAT".to_string(), span_of(f, "PLAT", 0))]);
}

#[test]
fn project_only_inside_or_group_does_not_count() {
    assert_eq!(
        complex("(project = A OR project = B) AND x = 1"),
        ComplexReason::NoProjectClause
    );
    assert_eq!(names("project = C AND (project = A OR x = 1)"), ["C"]);
}

#[test]
fn parenthesised_and_group_counts() {
    let f = "(project = A AND x = 1) AND y = 2";
    assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
    assert_eq!(names("((project = A))"), ["A"]);
    assert_eq!(
        names("x = 1 AND ((y = 2 AND project in (A, B)))"),
        ["A", "B"]
    );
}

#[test]
fn intersection_of_project_clauses() {
    let f = "project in (A, B) AND project = A";
    // The span is the first appearance, inside the list.
    assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
    assert_eq!(
        names("project in (A, B, C) AND x = 1 AND project in (C, A)"),
        ["A", "C"]
    );
}

#[test]
fn intersection_is_case_insensitive() {
    let f = "project in (PLAT, INFRA) AND project = plat";
    assert_eq!(known(f), vec![("PLAT".to_string(), span_of(f, "PLAT", 0))]);
}

#[test]
fn disjoint_project_clauses_give_empty_known() {
    assert_eq!(names("project = A AND project = B"), Vec::<String>::new());
}

#[test]
fn duplicates_are_removed() {
    let f = "project in (A, B, a, A)";
    assert_eq!(
        known(f),
        vec![
            ("A".to_string(), span_of(f, "A", 0)),
            ("B".to_string(), span_of(f, "B", 0)),
        ]
    );
}

#[test]
fn no_project_clause() {
    assert_eq!(complex("type = Bug"), ComplexReason::NoProjectClause);
    assert_eq!(
        complex("assignee = currentUser() AND status != Done"),
        ComplexReason::NoProjectClause
    );
}

#[test]
fn negative_project_clauses_do_not_count() {
    for f in [
        "project != A",
        "project not in (A, B)",
        "NOT project = A",
        "not (project = A AND x = 1)",
        "NOT NOT project = A",
        "project is not EMPTY",
        "project was A",
        "project was in (A, B)",
        "project changed",
        "project ~ A",
    ] {
        assert_eq!(complex(f), ComplexReason::NoProjectClause, "{f}");
    }
    assert_eq!(names("project = A AND project != B"), ["A"]);
    assert_eq!(names("NOT project = B AND project = A"), ["A"]);
}

#[test]
fn not_over_an_or_group_is_not_a_top_level_or() {
    assert_eq!(names("project = A AND NOT (x = 1 OR y = 2)"), ["A"]);
}

#[test]
fn project_function_names_no_project_literally() {
    for f in [
        "project in projectsLeadByUser()",
        "project = projectByKey(\"A\")",
        "project in (A, projectsWhereUserHasRole(\"Developers\"))",
        "project = EMPTY",
    ] {
        assert_eq!(
            complex(f),
            ComplexReason::ProjectNotLiteral { span: 0..f.len() },
            "{f}"
        );
    }
    // A literal clause beside the function still counts.
    assert_eq!(
        names("project in projectsLeadByUser() AND project = A"),
        ["A"]
    );
}

#[test]
fn quoted_field_and_values() {
    let f = "\"Project\" = \"PLAT\" AND \"Epic Name\" ~ 'Big \\'one\\''";
    assert_eq!(
        known(f),
        vec![("PLAT".to_string(), span_of(f, "\"PLAT\"", 0))]
    );
    assert_eq!(names("PROJECT IN ('A', \"B\")"), ["A", "B"]);
}

#[test]
fn project_keys_ids_and_names() {
    // Keys, numeric ids and names are all returned as written; resolving a name to a
    // key is the caller's job (it knows the repository's projects).
    let f = "project in (PLAT, 10010, \"Platform Team\")";
    assert_eq!(
        known(f),
        vec![
            ("PLAT".to_string(), span_of(f, "PLAT", 0)),
            ("10010".to_string(), span_of(f, "10010", 0)),
            (
                "Platform Team".to_string(),
                span_of(f, "\"Platform Team\"", 0)
            ),
        ]
    );
}

#[test]
fn escapes_in_strings() {
    let f = r#"project = "say \"hi\" \\ \n""#;
    assert_eq!(names(f), ["say \"hi\" \\ \n"]);
}

#[test]
fn non_ascii_project_name() {
    let f = "type = Bug AND project = \"Plattform Ü\" AND summary ~ \"Größe\"";
    let refs = known(f);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].0, "Plattform Ü");
    assert_eq!(refs[0].1, span_of(f, "\"Plattform Ü\"", 0));
    assert_eq!(&f[refs[0].1.clone()], "\"Plattform Ü\"");
    // Unquoted non-ASCII word.
    let f = "résumé = x AND project = Ü1";
    assert_eq!(known(f), vec![("Ü1".to_string(), span_of(f, "Ü1", 0))]);
}

#[test]
fn case_insensitive_keywords() {
    assert_eq!(
        names("Project IN (A) and Status NOT IN (Done) And x Is Not Empty order by Rank asc"),
        ["A"]
    );
}

#[test]
fn custom_fields_and_dotted_fields() {
    assert_eq!(
        names("cf[10001] = 5 AND CF[2] in (a) AND issue.property = x AND project = A"),
        ["A"]
    );
}

#[test]
fn all_operators() {
    for op in ["=", "!=", "~", "!~", ">", ">=", "<", "<=", "was", "was not"] {
        let f = format!("project = A AND due {op} -1d");
        assert_eq!(names(&f), ["A"], "{f}");
    }
    for op in ["in", "not in", "was in", "was not in"] {
        let f = format!("project = A AND status {op} (Open, \"In Progress\")");
        assert_eq!(names(&f), ["A"], "{f}");
    }
    for tail in [
        "is EMPTY",
        "is not null",
        "changed",
        "= EMPTY",
        "in (EMPTY, x)",
    ] {
        let f = format!("project = A AND fixVersion {tail}");
        assert_eq!(names(&f), ["A"], "{f}");
    }
}

#[test]
fn functions() {
    assert_eq!(
        names(
            "project = A AND assignee in membersOf(\"jira-users\") AND sprint in openSprints() \
             AND created > startOfDay(-1d) AND reporter = currentUser() \
             AND x in (a, currentUser(), b) AND f = g(1, 'two', three)"
        ),
        ["A"]
    );
}

#[test]
fn order_by() {
    let f = "project = A ORDER BY Rank ASC, created desc, \"Epic Name\", cf[100]";
    assert_eq!(known(f), vec![("A".to_string(), span_of(f, "A", 0))]);
    assert_eq!(complex("ORDER BY Rank"), ComplexReason::NoProjectClause);
    assert_eq!(
        complex("x = 1 OR y = 2 order by rank"),
        ComplexReason::TopLevelOr { span: 6..8 }
    );
}

#[test]
fn whitespace_variants() {
    assert_eq!(names("project=A AND(x=1)"), ["A"]);
    assert_eq!(names("\n\tproject\rin(A,B)  \n"), ["A", "B"]);
    // U+00A0 is not JQL whitespace: Jira reads `project\u{a0}in` as one word.
    assert_err(
        "project\u{a0}in (A)",
        "expected an operator, found `(`",
        "(",
        0,
    );
}

// --- errors ------------------------------------------------------------

#[test]
fn empty_filter_matches_every_issue() {
    // Jira's grammar makes both the clause and ORDER BY optional.
    assert_eq!(complex(""), ComplexReason::NoProjectClause);
    assert_eq!(complex("  \n "), ComplexReason::NoProjectClause);
}

#[test]
fn unterminated_strings() {
    let f = "project = \"PLAT AND x = 1";
    let e = err(f);
    assert_eq!(e.message, "unterminated string");
    assert_eq!(e.span, 10..f.len());
    let f = "x = 'a\\'";
    assert_eq!(err(f).span, 4..f.len());
    let f = "x = \"a\\";
    assert_eq!(err(f).span, 4..f.len());
}

#[test]
fn unbalanced_parentheses() {
    assert_err("(project = A AND x = 1", "unclosed `(`", "(", 0);
    assert_err("((project = A) AND x = 1", "unclosed `(`", "(", 0);
    assert_err("project = A)", "unmatched `)`", ")", 0);
    assert_err("project in (A, B", "unclosed `(`", "(", 0);
    assert_err("x = f(a, b", "unclosed `(` in call to `f`", "(", 0);
    assert_err(
        "(x = 1 y = 2)",
        "expected `)`, `AND` or `OR`, found `y`",
        "y",
        0,
    );
    assert_err("()", "expected a field, found `)`", ")", 0);
}

#[test]
fn dangling_operators() {
    assert_err("project = A AND", "missing clause after `AND`", "AND", 0);
    assert_err("project = A or", "missing clause after `or`", "or", 0);
    assert_err("NOT", "missing clause after `NOT`", "NOT", 0);
    assert_err("(", "missing clause after `(`", "(", 0);
    assert_err("project =", "missing value after `=`", "=", 0);
    assert_err("project", "missing operator after `project`", "project", 0);
    assert_err("project in", "missing list after `in`", "in", 0);
    assert_err("project not", "missing `IN` after `not`", "not", 0);
    assert_err("x is", "missing `EMPTY` or `NULL` after `is`", "is", 0);
    assert_err("x was", "missing value after `was`", "was", 0);
    assert_err("x = 1 ORDER", "missing `BY` after `ORDER`", "ORDER", 0);
    assert_err("x = 1 ORDER BY", "missing field after `BY`", "BY", 0);
    assert_err("x = 1 ORDER BY a,", "missing field after `,`", ",", 0);
    assert_err(
        "project = A AND AND x = 1",
        "expected a field, found `AND`",
        "AND",
        1,
    );
}

#[test]
fn trailing_garbage() {
    assert_err(
        "project = A x = 1",
        "expected `AND`, `OR` or `ORDER BY`, found `x`",
        "x",
        0,
    );
    assert_err(
        "project = A ORDER BY rank x",
        "expected `,` or end of filter, found `x`",
        "x",
        0,
    );
    assert_err("project = A ,", "found `,`", ",", 0);
}

#[test]
fn bad_tokens() {
    assert_err("x = a@b", "`@` is a reserved JQL character", "@", 0);
    for c in ["{", "}", "*", "/", "%", "+", "^", "$", "#", "@", "?", ";"] {
        let f = format!("labels = a{c}b");
        assert_err(&f, "reserved JQL character", c, 0);
    }
    assert_err("cf[abc] = 1", "malformed custom field", "cf[abc", 0);
    assert_err("cf[12 = 1", "malformed custom field", "cf[12 =", 0);
    assert_err("cf[-1] = 1", "malformed custom field", "cf[-1", 0);
    assert_err("cf[", "malformed custom field", "cf[", 0);
    assert_err("x = \"a\tb\"", "control character U+0009", "\t", 0);
    assert_err("x = a\\qb", "invalid escape", "\\q", 0);
    assert_err("x = \"\\u12\"", "invalid escape", "\\u", 0);
}

#[test]
fn operator_spellings() {
    assert_eq!(names("project = A && x = 1"), ["A"]);
    assert_eq!(names("project = A & x = 1"), ["A"]);
    assert_eq!(names("project = A AND !x = 1"), ["A"]);
    assert_eq!(names("!(x = 1) & project in (A)"), ["A"]);
    let f = "project = A || x = 1";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "||", 0)
        }
    );
    let f = "project = A | x = 1";
    assert_eq!(
        complex(f),
        ComplexReason::TopLevelOr {
            span: span_of(f, "|", 0)
        }
    );
}

#[test]
fn unquoted_words_take_what_jiras_lexer_allows() {
    assert_eq!(names("labels = area:payments AND project = A"), ["A"]);
    assert_eq!(names("cf-team = 3 AND project = A"), ["A"]);
    assert_eq!(names("fixVersion = 1.0.2 AND project = A"), ["A"]);
    assert_eq!(names("x = ü€ AND project = A"), ["A"]);
    assert_eq!(names("summary ~ foo\\ bar AND project = A"), ["A"]);
    assert_eq!(names("project = A-B"), ["A-B"]);
}

#[test]
fn reserved_words_must_be_quoted() {
    assert_err(
        "labels = select",
        "`select` is a reserved JQL word: put it in quotes",
        "select",
        0,
    );
    assert_err("USER = x", "reserved JQL word", "USER", 0);
    assert_err("project = to", "expected a value, found `to`", "to", 0);
    assert_eq!(names("labels = 'select' AND project = \"to\""), ["to"]);
    assert_eq!(names("labels = selection AND project = A"), ["A"]);
}

#[test]
fn entity_properties() {
    assert_eq!(
        names("issue.property[triage].level = high AND project = A"),
        ["A"]
    );
    assert_eq!(
        names("cf[10010][\"key\"].a.b = 1 AND issue.property[x] = y AND project = A"),
        ["A"]
    );
    assert_err(
        "issue.property[a]..b = 1",
        "a property path after `]`",
        "..b",
        0,
    );
    assert_err("issue.property[ = 1", "expected a property key", "=", 0);
    assert_err("issue.property[a = 1", "expected `]`", "=", 0);
}

#[test]
fn grammar_errors() {
    assert_err("project = (A, B)", "a list needs `IN`", "(", 0);
    assert_err(
        "project in A",
        "expected a list `( ... )` or a function, found `A`",
        "A",
        0,
    );
    assert_err("project in ()", "empty list", "()", 0);
    assert_err("project in (A,)", "expected a value, found `)`", ")", 0);
    assert_err("project in (A B)", "expected `,` or `)`, found `B`", "B", 0);
    assert_eq!(names("project in ((A, B), C)"), ["A", "B", "C"]);
    assert_err("x = and", "expected a value, found `and`", "and", 0);
    assert_err(
        "x is Open",
        "expected `EMPTY` or `NULL`, found `Open`",
        "Open",
        0,
    );
    assert_err("x not = 1", "expected `IN` after `NOT`, found `=`", "=", 0);
    assert_err("x foo 1", "expected an operator, found `foo`", "foo", 0);
    assert_err("empty = 1", "expected a field, found `empty`", "empty", 0);
    assert_err("10 ~ cf", "expected a value, found `cf`", "cf", 0);
    assert_err("= 1", "expected a field, found `=`", "=", 0);
    assert_err(
        "x = f(a,)",
        "expected a function argument, found `)`",
        ")",
        0,
    );
    assert_err("x = f(a b)", "expected `,` or `)`, found `b`", "b", 0);
    assert_err("x = f(g())", "expected `,` or `)`, found `(`", "(", 1);
    assert_err(
        "x = 1 ORDER rank",
        "expected `BY` after `ORDER`, found `rank`",
        "rank",
        0,
    );
    assert_err("cf[1] = cf[2]", "expected a value, found `cf`", "cf", 1);
}

#[test]
fn history_predicates() {
    for f in [
        "assignee WAS jsmith BY \"lead\" BEFORE \"2024-06-01\"",
        "status WAS IN (Open, \"In Progress\") DURING (\"2024-01-01\", \"2024-02-01\")",
        "status WAS NOT Done ON \"2024-03-01\"",
        "status WAS NOT IN (Done) AFTER startOfMonth(-1)",
        "status CHANGED",
        "status CHANGED FROM Open TO Done BY currentUser() AFTER -2w BEFORE now()",
        "priority changed to Highest during (startOfWeek(), endOfWeek())",
    ] {
        assert_eq!(complex(f), ComplexReason::NoProjectClause, "{f}");
        let anded = format!("project = A AND {f}");
        assert_eq!(names(&anded), ["A"], "{anded}");
    }
    assert_err(
        "status = Open AFTER \"2024-01-01\"",
        "history predicate `AFTER` follows only `WAS` and `CHANGED`",
        "AFTER",
        0,
    );
    assert_err("status CHANGED Open", "`CHANGED` takes no value", "Open", 0);
    assert_err("status was Open BY", "missing value after `BY`", "BY", 0);
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

// --- robustness ---------------------------------------------------------

const SAMPLES: &[&str] = &[
    "project in (PLAT, INFRA) AND type != Epic",
    "project = X OR project = Y",
    "(project = A AND x = 1) AND y = 2",
    "project in (A, B) AND project = A",
    "project = \"Plattform Ü\" AND summary ~ 'Größe \\' x'",
    "NOT (project = A OR b in membersOf(\"jira-users\")) AND project = B",
    "project in projectsLeadByUser() ORDER BY Rank ASC, created DESC",
    "cf[10001] >= 5 AND \"Epic Name\" !~ 'x' AND due <= -1d",
    "status was not in (Open, Done) AND assignee changed",
    "x is not EMPTY AND y is null AND z = EMPTY",
    "((((project = A))))",
    "project = A && x = 1 || !y",
    "sprint in openSprints() AND f = g(1, 'two', three)",
    "ORDER BY rank",
    "project = SCRUM or \"Epic Name\" in ('Lonely Epic')",
    "status was Open after \"2024-01-01\"",
    "a = 1 AND (b = 2 OR (c = 3 AND NOT d in (e, f)))",
    "project in (A,) AND",
    "résumé = x AND project = Ü1 order by cf[1] desc",
    "\"unterminated \\",
    "x = \u{1F600} AND project = \"\u{1F600}\"",
];

#[test]
fn no_panic_on_any_prefix() {
    for sample in SAMPLES {
        for end in 0..=sample.len() {
            if let Some(prefix) = sample.get(..end) {
                check_spans(prefix);
            }
        }
    }
}

#[test]
fn no_panic_on_random_input() {
    // Deterministic LCG (Numerical Recipes constants); no extra dependencies.
    let mut state: u64 = 0x5eed_1234_abcd_0001;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u32
    };
    // Half the cases draw from JQL-ish fragments, half from raw bytes.
    const PIECES: &[&str] = &[
        "project",
        " = ",
        " in ",
        "(",
        ")",
        ",",
        " AND ",
        " OR ",
        "NOT ",
        "A",
        "\"x y\"",
        "'",
        "\"",
        "\\",
        "is",
        " not ",
        "EMPTY",
        "was",
        "changed",
        "f()",
        "cf[1]",
        "!",
        "~",
        ">=",
        " ORDER BY ",
        "asc",
        "Ü",
        "-1d",
        " ",
    ];
    for case in 0..3000 {
        let len = next() % 40;
        let input = if case % 2 == 0 {
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(PIECES[next() as usize % PIECES.len()]);
            }
            s
        } else {
            let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        check_spans(&input);
    }
}

/// Parses without panicking and checks that every span is a valid slice of the input.
fn check_spans(input: &str) {
    let valid = |span: &Range<usize>| span.start <= span.end && input.get(span.clone()).is_some();
    match parse_filter(input) {
        Ok(FilterProjects::Known(refs)) => {
            for r in refs {
                assert!(valid(&r.span), "`{input}`: {r:?}");
            }
        }
        Ok(FilterProjects::Complex {
            reason: ComplexReason::TopLevelOr { span },
        }) => {
            assert!(valid(&span), "`{input}`: {span:?}");
            assert!(input[span].eq_ignore_ascii_case("or"));
        }
        Ok(FilterProjects::Complex { .. }) => {}
        Err(e) => {
            assert!(valid(&e.span), "`{input}`: {e:?}");
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn long_project_lists_stay_linear() {
    // 150,000 values (the scale benchmark's largest filter), repeated in a second clause.
    let values: Vec<String> = (0..150_000).map(|i| format!("P{i}")).collect();
    let list = values.join(", ");
    let f = format!("project in ({list}) AND project in ({list}) AND project != 10000");
    let started = std::time::Instant::now();
    assert_eq!(known(&f).len(), 150_000);
    // Generous bound for debug builds on a loaded machine; quadratic work would take minutes.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
