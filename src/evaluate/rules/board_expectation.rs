//! `type = "board-expectation"`: checks every `[[expect]]` of every board against the
//! capabilities (`[[capability]]` in policy files). With `dynamic = false` (default) it reports
//! a `can` the schemes do not satisfy and a `cannot` an ordinary grant breaks; with
//! `dynamic = true` a `cannot` broken only through dynamic holders (reporter, assignee,
//! project lead, custom fields): a separate rule, so its lower severity stays rule data.
use crate::diagnostics::text::{Interner, Text as Phrase};
use super::{Entry, JiraCheck, ResolveCx, Resolved, RuleType};
use crate::diagnostics::source::Location;
use crate::diagnostics::{fill, Diagnostic};
use crate::evaluate::policy::RuleMeta;
use crate::jira::derive::{self, Outcome};
use crate::jira::model::BoardView;
use crate::jira::subject::Level;
use crate::jira::Model;
use rayon::prelude::*;
use serde::Deserialize;
use std::any::Any;

/// The parameters of a board-expectation entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default)]
    pub dynamic: bool,
}

/// The wording of a board-expectation rule's findings (`policies/rule-types.toml`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub outcome_cannot: Phrase,
    pub outcome_can: Phrase,
    pub outcome_can_sometimes: Phrase,
    pub label_can: Phrase,
    pub label_cannot: Phrase,
    pub fix_can: Phrase,
    pub fix_cannot: Phrase,
}

#[derive(Debug, Clone)]
pub struct BoardExpectation {
    pub dynamic: bool,
    pub text: Text,
}

impl RuleType for BoardExpectation {
    const NAME: &'static str = "board-expectation";
    type Params = Params;
    type Text = Text;

    fn build(_: &Entry, p: Params, text: Text, _: &mut Vec<Diagnostic>) -> Option<Self> {
        Some(Self {
            dynamic: p.dynamic,
            text,
        })
    }

    fn resolve(&self, _: &ResolveCx<'_>, _: &mut Vec<Diagnostic>) -> Option<Resolved> {
        Some(Resolved::Jira(Box::new(self.clone())))
    }
}

/// Board expectations are checked together ([`check_all`]): alone, a rule is a batch of one.
impl JiraCheck for BoardExpectation {
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
        check_all(&[(self, meta)], model, out)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Check every board-expectation rule at once: each (board, `who`, capability) verdict
/// is computed once and judged by each rule (the `dynamic` one reads the same verdict).
pub fn check_all(
    rules: &[(&BoardExpectation, &RuleMeta)],
    model: &Model,
    out: &mut Vec<Diagnostic>,
) {
    if rules.is_empty() {
        return;
    }
    let cache = derive::LevelCache::default();
    // The same project's verdict explains the findings of every group and capability it
    // decides: its note is kept once.
    let notes = Interner::default();
    // Boards are independent: check them in parallel, keep their order.
    let found: Vec<Vec<Diagnostic>> = model
        .boards
        .par_iter()
        .map(|b| {
            let mut out = Vec::new();
            check_board(rules, model, b, &cache, &notes, &mut out);
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
    notes: &Interner,
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
                    let t = &r.text;
                    let found = if expect_can {
                        (&t.outcome_cannot, derive::why_not(o), &t.label_can)
                    } else if !r.dynamic {
                        let reason = derive::why_so(o, Level::Always);
                        (&t.outcome_can, reason, &t.label_cannot)
                    } else {
                        let reason = derive::why_so(o, Level::Sometimes);
                        (&t.outcome_can_sometimes, reason, &t.label_cannot)
                    };
                    let (outcome, reason, label) = found;
                    let fix = if expect_can {
                        &t.fix_can
                    } else {
                        &t.fix_cannot
                    };
                    let cap_label = cap.label.as_str();
                    let mut d =
                        finding(meta, b, &at, &who, cap_label, outcome, &reason, label, fix);
                    // The derivation, for the formats that show notes.
                    let derived: Vec<Phrase> = derive::notes(o).into_iter().map(|n| notes.text(n)).collect();
                    if !derived.is_empty() {
                        let all: Vec<Phrase> = d.notes.iter().cloned().chain(derived).collect();
                        d = d.with_notes(std::sync::Arc::new(all.into_boxed_slice()));
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
    label: &Phrase,
    fix: &str,
) -> Diagnostic {
    let fix = fill(fix, &[("who", who)]);
    let board = b.board.name.get_ref().as_str();
    let vars = [
        ("who", who),
        ("outcome", outcome),
        ("capability", label_text),
        ("board", board),
        ("reason", reason),
        ("fix", fix.as_str()),
    ];
    meta.finding(at, &vars, &format!("{board}/{who}/{label_text}"))
        .with_label(label.clone())
}
