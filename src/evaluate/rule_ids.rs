//! Every rule code and name this run knows (built-in checks and policy rules, disabled
//! ones included), for validating the codes users write in configuration, on the command
//! line and in suppressions.
use crate::diagnostics::checks;
use crate::evaluate::policy::PolicyDoc;
use rustc_hash::FxHashMap;

/// One rule or check, by the ids users may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleId {
    pub code: String,
    pub name: String,
    pub suppressible: bool,
}

/// Every id of a run, indexed: validating the ids users write (one per suppression, per
/// finding checked against its suppressions) is a look-up each, not a scan of every rule.
#[derive(Debug, Clone, Default)]
pub struct RuleIds {
    ids: Vec<RuleId>,
    /// Upper-cased code → the first rule with it.
    by_code: FxHashMap<String, usize>,
    /// Name → the first rule with it.
    by_name: FxHashMap<String, usize>,
    /// Every code upper-cased, sorted: prefixes are a binary search.
    codes: Vec<String>,
}

/// The checks plus every rule of the loaded policies.
pub fn collect(policies: &[PolicyDoc]) -> RuleIds {
    let mut ids: Vec<RuleId> = checks::ALL
        .iter()
        .map(|c| RuleId {
            code: c.code.to_string(),
            name: c.name.to_string(),
            suppressible: c.suppressible,
        })
        .collect();
    ids.extend(policies.iter().flat_map(|p| &p.rules).map(|r| RuleId {
        code: r.meta.code.clone(),
        name: r.meta.name.clone(),
        suppressible: r.meta.suppressible,
    }));
    let mut by_code = FxHashMap::default();
    let mut by_name = FxHashMap::default();
    for (i, r) in ids.iter().enumerate() {
        by_code.entry(r.code.to_ascii_uppercase()).or_insert(i);
        by_name.entry(r.name.clone()).or_insert(i);
    }
    let mut codes: Vec<String> = by_code.keys().cloned().collect();
    codes.sort_unstable();
    RuleIds {
        ids,
        by_code,
        by_name,
        codes,
    }
}

/// The rule `id` names: its code (any case) or its name (the first such rule).
pub fn find<'a>(ids: &'a RuleIds, id: &str) -> Option<&'a RuleId> {
    let by_code = ids.by_code.get(&id.to_ascii_uppercase());
    let by_name = ids.by_name.get(id);
    let first = by_code.into_iter().chain(by_name).min()?;
    ids.ids.get(*first)
}

/// True when `id` is a code, a name, or (when `prefix_ok`) a prefix of some code.
pub fn is_known(ids: &RuleIds, id: &str, prefix_ok: bool) -> bool {
    find(ids, id).is_some()
        || (prefix_ok && !id.is_empty() && {
            let prefix = id.to_ascii_uppercase();
            let at = ids.codes.partition_point(|c| c.as_str() < prefix.as_str());
            ids.codes.get(at).is_some_and(|c| c.starts_with(&prefix))
        })
}

/// `did you mean `AL101`?` for a misspelt code or name.
pub fn suggestion(ids: &RuleIds, id: &str) -> Option<String> {
    let candidates = ids
        .ids
        .iter()
        .flat_map(|r| [r.code.as_str(), r.name.as_str()]);
    crate::diagnostics::suggest::did_you_mean(id, candidates)
        .map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_code_in_any_case_by_name_and_by_prefix() {
        let ids = collect(&[]);
        let first = &checks::ALL[0];
        let lower = first.code.to_ascii_lowercase();
        assert_eq!(
            find(&ids, &lower).map(|r| r.code.as_str()),
            Some(first.code)
        );
        assert_eq!(
            find(&ids, first.name).map(|r| r.code.as_str()),
            Some(first.code)
        );
        assert!(find(&ids, "no-such-rule").is_none());
        assert!(is_known(&ids, &lower[..2], true));
        assert!(!is_known(&ids, &lower[..2], false));
        assert!(!is_known(&ids, "ZZ", true));
        assert!(!is_known(&ids, "", true));
    }
}
