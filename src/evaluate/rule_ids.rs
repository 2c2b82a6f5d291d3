//! Every rule code and name this run knows (built-in checks and policy rules, disabled
//! ones included), for validating the codes users write in configuration, on the command
//! line and in suppressions.
use crate::diagnostics::checks;
use crate::evaluate::policy::PolicyDoc;

/// One rule or check, by the ids users may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleId {
    pub code: String,
    pub name: String,
    pub suppressible: bool,
}

/// The checks plus every rule of the loaded policies.
pub fn collect(policies: &[PolicyDoc]) -> Vec<RuleId> {
    let mut out: Vec<RuleId> = checks::ALL
        .iter()
        .map(|c| RuleId {
            code: c.code.to_string(),
            name: c.name.to_string(),
            suppressible: c.suppressible,
        })
        .collect();
    out.extend(policies.iter().flat_map(|p| &p.rules).map(|r| RuleId {
        code: r.meta.code.clone(),
        name: r.meta.name.clone(),
        suppressible: r.meta.suppressible,
    }));
    out
}

/// The rule `id` names: its code (any case) or its name.
pub fn find<'a>(ids: &'a [RuleId], id: &str) -> Option<&'a RuleId> {
    ids.iter()
        .find(|r| r.code.eq_ignore_ascii_case(id) || r.name == id)
}

/// True when `id` is a code, a name, or (when `prefix_ok`) a prefix of some code.
pub fn is_known(ids: &[RuleId], id: &str, prefix_ok: bool) -> bool {
    find(ids, id).is_some()
        || (prefix_ok
            && !id.is_empty()
            && ids.iter().any(|r| {
                r.code
                    .to_ascii_uppercase()
                    .starts_with(&id.to_ascii_uppercase())
            }))
}

/// `did you mean `AL101`?` for a misspelt code or name.
pub fn suggestion(ids: &[RuleId], id: &str) -> Option<String> {
    let candidates = ids.iter().flat_map(|r| [r.code.as_str(), r.name.as_str()]);
    crate::diagnostics::suggest::did_you_mean(id, candidates)
        .map(|s| format!("did you mean `{s}`?"))
}
