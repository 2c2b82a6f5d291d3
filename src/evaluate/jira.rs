//! Run the Jira rule types over the model (schemes, boards, expectations).
use crate::console::timing;
use crate::diagnostics::Diagnostic;
use crate::evaluate::rules::board_expectation::{self, BoardExpectation};
use crate::evaluate::rules::{JiraCheck, Resolved};
use crate::evaluate::{ActiveRule, RuleSet};
use crate::jira::Model;
use rayon::prelude::*;

/// The rule's check when it is a resolved Jira rule.
fn jira(rule: &ActiveRule) -> Option<&dyn JiraCheck> {
    match &rule.resolved {
        Some(Resolved::Jira(check)) => Some(check.as_ref()),
        _ => None,
    }
}

/// Findings of every active Jira rule. Rules are independent, so they run in parallel;
/// the board-expectation rules run together, as they judge the same verdicts.
/// Each finding is moved once more, into `out`.
pub fn evaluate(ws: &RuleSet, model: &Model, out: &mut Vec<Diagnostic>) {
    if ws.rules.iter().all(|rule| jira(rule).is_none()) {
        return; // a roles-only run: no thread pool to start
    }
    let expectations: Vec<_> = ws
        .rules
        .iter()
        .filter(|rule| ws.evaluates(&rule.meta))
        .filter_map(|rule| {
            let r = jira(rule)?.as_any().downcast_ref::<BoardExpectation>()?;
            Some((r, &rule.meta))
        })
        .collect();
    let (boards, rest) = rayon::join(
        || {
            let started = std::time::Instant::now();
            let mut out = Vec::new();
            board_expectation::check_all(&expectations, model, &mut out);
            timing::rule("board expectations", started);
            out
        },
        || {
            ws.rules
                .par_iter()
                .filter(|rule| ws.evaluates(&rule.meta))
                .map(|rule| {
                    let (meta, started) = (&rule.meta, std::time::Instant::now());
                    let mut out = Vec::new();
                    // Board expectations run above; role rules run while roles load.
                    let Some(check) = jira(rule) else {
                        return out;
                    };
                    if check.as_any().is::<BoardExpectation>() {
                        return out;
                    }
                    check.check(meta, model, &mut out);
                    timing::rule(&meta.code, started);
                    out
                })
                .collect::<Vec<_>>()
        },
    );
    // One growth for all of them: findings are a few hundred bytes each.
    out.reserve_exact(boards.len() + rest.iter().map(Vec::len).sum::<usize>());
    out.extend(boards);
    out.extend(rest.into_iter().flatten());
}
