//! Run the Jira rule types over the model (schemes, boards, expectations).
use crate::diagnostics::Diagnostic;
use crate::evaluate::rules::{
    board_expectation, forbid_grant, require_pair, scheme_reach, uniform_on_board, RuleKind,
};
use crate::pipeline::timing;
use crate::resolve::Workspace;
use rayon::prelude::*;

/// Findings of every active Jira rule. Rules are independent, so they run in parallel;
/// the board-expectation rules run together, as they judge the same verdicts.
/// `notes`: write the derivation notes of board findings (no output format shows them but
/// `human`, `json` and `junit`).
pub fn evaluate(ws: &Workspace, notes: bool) -> Vec<Diagnostic> {
    if ws.rules.iter().all(|rule| rule.kind.judges_roles()) {
        return Vec::new(); // a roles-only run: no thread pool to start
    }
    let model = &ws.jira;
    let expectations: Vec<_> = ws
        .rules
        .iter()
        .filter_map(|rule| match &rule.kind {
            RuleKind::BoardExpectation(r) => Some((r, &rule.meta)),
            _ => None,
        })
        .collect();
    let (mut out, rest) = rayon::join(
        || {
            let started = std::time::Instant::now();
            let mut out = Vec::new();
            board_expectation::check_all(&expectations, model, notes, &mut out);
            timing::rule("board expectations", started);
            out
        },
        || {
            ws.rules
                .par_iter()
                .map(|rule| {
                    let (meta, started) = (&rule.meta, std::time::Instant::now());
                    let mut out = Vec::new();
                    match &rule.kind {
                        RuleKind::ForbidGrant(r) => forbid_grant::check(r, meta, model, &mut out),
                        RuleKind::RequirePair(r) => require_pair::check(r, meta, model, &mut out),
                        RuleKind::UniformOnBoard(r) => {
                            uniform_on_board::check(r, meta, model, &mut out)
                        }
                        RuleKind::SchemeReach(r) => scheme_reach::check(r, meta, model, &mut out),
                        // Board expectations run above; role rules run while roles load.
                        _ => return out,
                    }
                    timing::rule(&meta.code, started);
                    out
                })
                .collect::<Vec<_>>()
        },
    );
    // One growth for all of them: findings are a few hundred bytes each.
    out.reserve_exact(rest.iter().map(Vec::len).sum());
    out.extend(rest.into_iter().flatten());
    out
}
