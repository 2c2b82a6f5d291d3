//! Run the Jira rule types over the model (schemes, boards, expectations).
use crate::diagnostic::Diagnostic;
use crate::pipeline::timing;
use crate::resolve::Workspace;
use crate::rules::{
    board_expectation, forbid_grant, require_pair, scheme_reach, uniform_on_board, RuleKind,
};

/// Findings of every active Jira rule.
pub fn evaluate(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let model = &ws.jira;
    for rule in &ws.rules {
        let meta = &rule.meta;
        let started = std::time::Instant::now();
        match &rule.kind {
            RuleKind::ForbidGrant(r) => forbid_grant::check(r, meta, model, &mut out),
            RuleKind::RequirePair(r) => require_pair::check(r, meta, model, &mut out),
            RuleKind::UniformOnBoard(r) => uniform_on_board::check(r, meta, model, &mut out),
            RuleKind::SchemeReach(r) => scheme_reach::check(r, meta, model, &mut out),
            RuleKind::BoardExpectation(r) => board_expectation::check(r, meta, model, &mut out),
            RuleKind::Ceiling(_) | RuleKind::ForbidToggle(_) => continue,
        }
        timing::rule(&meta.code, started);
    }
    out
}
