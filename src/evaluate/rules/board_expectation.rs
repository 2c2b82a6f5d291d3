//! `type = "board-expectation"`: checks every `[[expect]]` of every board against the
//! capabilities (`[[capability]]` in policy files). With `dynamic = false` (default) it reports
//! a `can` the schemes do not satisfy and a `cannot` an ordinary grant breaks; with
//! `dynamic = true` a `cannot` broken only through dynamic holders (reporter, assignee,
//! project lead, custom fields): a separate rule, so its lower severity stays rule data.
use super::Params;
use crate::diagnostics::source::Location;
use crate::diagnostics::Diagnostic;
use crate::evaluate::policy::RuleMeta;
use crate::jira::derive::{self, Outcome};
use crate::jira::model::BoardView;
use crate::jira::subject::Level;
use crate::jira::Model;
use rayon::prelude::*;

pub const PARAMS: &[&str] = &["dynamic"];

#[derive(Debug, Clone)]
pub struct BoardExpectation {
    pub dynamic: bool,
}

impl BoardExpectation {
    pub fn build(p: &Params) -> Option<Self> {
        Some(Self {
            dynamic: p.dynamic.as_ref().is_some_and(|d| *d.get_ref()),
        })
    }
}

/// Check every board-expectation rule at once: each (board, `who`, capability) verdict
/// is computed once and judged by each rule (the `dynamic` one reads the same verdict).
pub fn check_all(
    rules: &[(&BoardExpectation, &RuleMeta)],
    model: &Model,
    notes: bool,
    out: &mut Vec<Diagnostic>,
) {
    if rules.is_empty() {
        return;
    }
    let cache = derive::LevelCache::default();
    // Boards are independent: check them in parallel, keep their order.
    let found: Vec<Vec<Diagnostic>> = model
        .boards
        .par_iter()
        .map(|b| {
            let mut out = Vec::new();
            check_board(rules, model, b, &cache, notes, &mut out);
            out
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Is the expectation unmet under rule `r`, judging by the verdict's levels?
fn unmet(r: &BoardExpectation, expect_can: bool, o: &Outcome) -> bool {
    if expect_can {
        !r.dynamic && o.guaranteed < Level::Always
    } else if r.dynamic {
        o.possible == Level::Sometimes
    } else {
        o.possible == Level::Always
    }
}

fn check_board<'m>(
    rules: &[(&BoardExpectation, &RuleMeta)],
    model: &'m Model,
    b: &BoardView,
    cache: &derive::LevelCache<'m>,
    notes: bool,
    out: &mut Vec<Diagnostic>,
) {
    for e in &b.board.expect {
        let who = e.who.holder.to_string();
        for (expect_can, ids) in [(true, &e.can), (false, &e.cannot)] {
            for id in ids {
                let Some(cap) = model.capability(id.get_ref()) else {
                    continue;
                };
                // Verdicts first, without derivations; the text is built only for a finding,
                // around the projects that decide the verdict.
                let verdict = derive::evaluate(model, b, cap, &e.who.holder, 0, cache);
                let mut detailed = None;
                for &(r, meta) in rules {
                    if !unmet(r, expect_can, &verdict) {
                        continue;
                    }
                    let o = detailed.get_or_insert_with(|| {
                        let d = derive::FINDING_DETAIL;
                        derive::explain(model, b, cap, &e.who.holder, d, cache, &verdict)
                    });
                    let at = Location::new(b.board.file, id.span());
                    let found = if expect_can {
                        ("cannot", derive::why_not(o), "the board expects it can")
                    } else if !r.dynamic {
                        let reason = derive::why_so(o, Level::Always);
                        ("can", reason, "the board expects it cannot")
                    } else {
                        let reason = derive::why_so(o, Level::Sometimes);
                        ("can sometimes", reason, "the board expects it cannot")
                    };
                    let (outcome, reason, label) = found;
                    let cap_label = cap.label.as_str();
                    let mut d = finding(
                        meta, b, &at, &who, cap_label, outcome, &reason, label, expect_can,
                    );
                    if notes {
                        // The derivation, for the formats that show notes.
                        for n in derive::notes(o) {
                            d = d.with_note(n);
                        }
                    }
                    out.push(d);
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    meta: &RuleMeta,
    b: &BoardView,
    at: &Location,
    who: &str,
    label_text: &str,
    outcome: &str,
    reason: &str,
    label: &str,
    expect_can: bool,
) -> Diagnostic {
    let fix = if expect_can {
        format!("grant the missing permission to a role or group `{who}` is in, or drop the expectation")
    } else {
        format!(
            "take the grant away from the holder that includes `{who}`, or drop the expectation"
        )
    };
    let board = b.board.name.get_ref().as_str();
    let vars = [
        ("who", who),
        ("outcome", outcome),
        ("capability", label_text),
        ("board", board),
        ("reason", reason),
        ("fix", fix.as_str()),
    ];
    meta.finding(at, &vars)
        .with_subject(format!("{board}/{who}/{label_text}"))
        .with_label(label)
}
