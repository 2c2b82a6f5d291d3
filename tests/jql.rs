//! Board filters as data: every line of `tests/fixtures/jql/*.jql` (but `#` comments) is
//! one filter; its outcome is snapshotted under `snapshots/jql/`. Files named `valid-*`
//! and `real-world` must parse, `invalid*` must not (Jira refuses each line), `complex*`
//! must parse as complex, `known*` must name its projects. Every error message starts in
//! lowercase and has no final period; a top-level OR points at the operator.
use rolelint::jql::{parse_filter, ComplexReason, FilterProjects};
use std::fmt::Write;

fn outcome(filter: &str) -> (String, &'static str) {
    let at = |span: &std::ops::Range<usize>| {
        format!("{}..{} `{}`", span.start, span.end, &filter[span.clone()])
    };
    match parse_filter(filter) {
        Ok(FilterProjects::Known(refs)) => {
            let names: Vec<String> = refs
                .iter()
                .map(|r| {
                    let id = if r.numeric { " (id)" } else { "" };
                    format!("{}{id} at {}", r.name, at(&r.span))
                })
                .collect();
            (format!("projects: {}", names.join(", ")), "known")
        }
        Ok(FilterProjects::Complex { reason }) => (
            match reason {
                ComplexReason::TopLevelOr { span } => {
                    let or = &filter[span.clone()];
                    assert!(
                        ["or", "|", "||"].iter().any(|o| or.eq_ignore_ascii_case(o)),
                        "`{filter}`: the OR span is `{or}`"
                    );
                    format!("complex: top-level OR at {}", at(&span))
                }
                ComplexReason::NoProjectClause => "complex: no project clause".to_string(),
                ComplexReason::ProjectNotLiteral { span } => {
                    format!(
                        "complex: project clause names no project literally at {}",
                        at(&span)
                    )
                }
            },
            "complex",
        ),
        Err(e) => {
            assert!(
                !e.message.ends_with('.') && !e.message.starts_with(char::is_uppercase),
                "`{filter}`: `{}` is not a diagnostic message",
                e.message
            );
            (format!("error at {}: {}", at(&e.span), e.message), "error")
        }
    }
}

#[test]
fn jql_fixtures() {
    insta::glob!("fixtures/jql/*.jql", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let mut out = String::new();
        let mut wrong = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let (rendered, class) = outcome(line);
            let _ = writeln!(out, "{line}\n  → {rendered}\n");
            let expected: &[&str] = match stem {
                s if s.starts_with("invalid") => &["error"],
                s if s.starts_with("complex") => &["complex"],
                s if s.starts_with("known") => &["known"],
                _ => &["known", "complex"],
            };
            if !expected.contains(&class) {
                wrong.push(format!("{line}: {rendered}"));
            }
        }
        assert!(wrong.is_empty(), "{}: {wrong:#?}", path.display());
        insta::with_settings!({ snapshot_path => "../snapshots/jql", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(stem, out);
        });
    });
}
