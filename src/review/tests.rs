//! The comparison of two runs, on documents given as text (the git side is tested end to end
//! in tests/review.rs).
use super::gate::{self, Gate};
use super::render::{self, Verdict};
use super::{Review, Side};
use crate::config::Config;
use crate::evaluate::Overrides;
use crate::pipeline::{check_texts, Run};

const WITHIN: &str = r#"kind = "align-role"
name = "Team Member"
license = "integrated"

[toggles.Team.Manage]
Stories = "all"

[toggles.Team.Track]
Burndowns = []
"#;

/// The same role with a report beyond the integrated-user maximum.
const BEYOND: &str = r#"kind = "align-role"
name = "Team Member"
license = "integrated"

[toggles.Team.Manage]
Stories = "all"

[toggles.Team.Track]
Burndowns = []
"Sprint Health" = []
"#;

fn run(role: &str) -> Run {
    check_texts(
        &[("roles/team-member.toml".to_string(), role.to_string())],
        Config::default(),
        &Overrides::default(),
    )
}

fn review(base: &str, head: &str) -> Review {
    Review::compare(
        Side {
            name: "main".to_string(),
            commit: Some("0123456789abcdef0123".to_string()),
        },
        &run(base),
        Side::working_tree(),
        &run(head),
        None,
    )
}

#[test]
fn a_side_against_itself_is_empty() {
    let r = review(BEYOND, BEYOND);
    assert!(r.is_empty(), "{r:?}");
    assert!(gate::tripped(&[Gate::NewFindings, Gate::LicenseIncrease], &r).is_empty());
}

#[test]
fn a_toggle_beyond_the_maximum_is_a_finding_and_a_license_increase() {
    let r = review(WITHIN, BEYOND);
    let codes: Vec<&str> = r
        .findings
        .introduced
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    assert!(!codes.is_empty(), "{r:?}");
    assert!(r.findings.fixed.is_empty());
    assert_eq!(r.license.roles.len(), 1);
    assert_eq!(
        r.license.roles[0].reasons,
        ["`Team > Track > Sprint Health` (AL111)"]
    );
    assert_eq!(
        gate::tripped(&[Gate::NewFindings, Gate::LicenseIncrease], &r),
        [Gate::LicenseIncrease, Gate::NewFindings]
    );
    // The way back fixes the finding and costs less: no gate trips.
    let back = review(BEYOND, WITHIN);
    assert_eq!(back.findings.fixed.len(), r.findings.introduced.len());
    assert!(gate::tripped(&[Gate::NewFindings, Gate::LicenseIncrease], &back).is_empty());
}

#[test]
fn markdown_is_structured_and_capped() {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
    let r = review(WITHIN, BEYOND);
    let gates = [Gate::NewFindings];
    let tripped = gate::tripped(&gates, &r);
    let text = render::markdown(
        &r,
        &Verdict {
            gates: &gates,
            tripped: &tripped,
        },
    );
    let headings: Vec<(HeadingLevel, String)> = {
        let mut out = Vec::new();
        let mut current: Option<(HeadingLevel, String)> = None;
        for e in Parser::new(&text) {
            match e {
                Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, s)) = current.as_mut() {
                        s.push_str(&t);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::Heading(_)) => out.extend(current.take()),
                _ => {}
            }
        }
        out
    };
    assert_eq!(headings[0].0, HeadingLevel::H2);
    assert!(
        headings[0].1.contains("failed: new-findings tripped"),
        "{headings:?}"
    );
    let sections: Vec<&str> = headings[1..].iter().map(|(_, s)| s.as_str()).collect();
    assert!(
        sections[0].starts_with("Findings: 1 introduced, 0 fixed"),
        "{sections:?}"
    );
    assert!(sections[1].starts_with("License: 1 role changes class"));
    assert_eq!(sections[2], "Access");
    // Details are folded in HTML blocks the parser sees as such.
    let html = Parser::new(&text)
        .filter(|e| matches!(e, Event::Html(h) if h.contains("<details>")))
        .count();
    assert_eq!(html, 2, "{text}");
    assert!(text.len() < render::GITHUB_COMMENT_LIMIT);
    crate::review::tests::snapshot("toggle-beyond@markdown", &text);
    crate::review::tests::snapshot(
        "toggle-beyond@human",
        &render::human(
            &r,
            &Verdict {
                gates: &gates,
                tripped: &tripped,
            },
        ),
    );
    crate::review::tests::snapshot(
        "toggle-beyond@json",
        &render::json(
            &r,
            &Verdict {
                gates: &gates,
                tripped: &tripped,
            },
        ),
    );
}

#[test]
fn hostile_text_is_inert_in_markdown_and_long_lists_are_cut() {
    let mut r = review(WITHIN, BEYOND);
    let one = r.findings.introduced[0].clone();
    r.findings.introduced = (0..5000)
        .map(|i| {
            let mut f = one.clone();
            f.message = format!(
                "<script>x</script> [link](http://e) `{i}` {}",
                "y".repeat(400)
            );
            f
        })
        .collect();
    let text = render::markdown(
        &r,
        &Verdict {
            gates: &[],
            tripped: &[],
        },
    );
    assert!(text.chars().count() < render::GITHUB_COMMENT_LIMIT);
    assert!(!text.contains("<script>"));
    assert!(!text.contains("](http"));
    assert!(
        text.contains("- … and 4950 more\n"),
        "a cut list says how many are left"
    );
    // Deterministic.
    assert_eq!(
        text,
        render::markdown(
            &r,
            &Verdict {
                gates: &[],
                tripped: &[]
            }
        )
    );
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({ snapshot_path => "../../snapshots/review", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, value);
    });
}
