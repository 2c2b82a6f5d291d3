//! Evaluate: the rule set ([`policy::set`]) judges each role ([`check_role`]) and the
//! Jira model ([`jira::evaluate`]); then suppressions, overrides (in one place) and a
//! deterministic order.
pub mod baseline;
pub mod config_check;
pub mod fixes;
pub mod jira;
pub mod policy;
pub mod rules;
pub mod suppress;
use crate::config::{Config, Overrides};
use crate::diagnostics::rule_meta::RuleMeta;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::document::AlignRole;
use crate::evaluate::rules::Resolved;
use crate::resolve::RoleView;
pub use policy::set::{ActiveRule, RuleSet};
use rustc_hash::{FxHashMap, FxHashSet};

/// What a run judged: the rule set, the Jira model and every role's identity.
pub struct Workspace {
    pub set: RuleSet,
    /// Jira permission schemes, projects, boards and groups, joined.
    pub jira: crate::jira::Model,
    /// Every role: its name and the class it is held to (the toggle trees are checked one
    /// by one and not kept; see `pipeline`).
    pub roles: Vec<RoleView>,
}

/// Every role rule over one role (`view` is the role's identity under `ws`): roles are
/// checked one by one, so their toggle trees never have to be held all at once.
pub fn check_role(ws: &RuleSet, role_doc: &AlignRole, view: &RoleView) -> Vec<Diagnostic> {
    let role = view;
    let mut out = Vec::new();
    let enabled = crate::resolve::expand(role_doc, &ws.catalog);
    let mut held_to_ceiling = false;
    for rule in &ws.rules {
        // Jira rule types run in `jira::evaluate`.
        if let Some(Resolved::Role(check)) = &rule.resolved {
            held_to_ceiling |= if ws.evaluates(&rule.meta) {
                check.check(&rule.meta, role, &enabled, &ws.catalog, &mut out)
            } else {
                // Not shown, so not checked; a role held to it still is.
                check.holds(role)
            };
        }
    }
    // In a role held to the integrated maximum an unknown name is part of the ceiling finding.
    if !held_to_ceiling {
        for item in enabled.iter().filter(|e| e.toggle.is_none()) {
            let mut d = says::UnknownToggle { toggle: &item.path }
                .at(item.location.file, item.location.span.clone())
                .with_subject(format!("{}/{}", view.name.get_ref(), item.path))
                .with_fix(crate::evaluate::fixes::rename_unknown(item, &ws.catalog));
            if let Some(s) = &item.suggestion {
                d = d.with_help(says::DidYouMean { suggestion: s }.text());
            }
            out.push(d);
        }
    }
    // Kept until every file is loaded: no room for findings that will not come.
    out.shrink_to_fit();
    out
}

/// A more specific rule (`supersedes = [...]`) replaces a general one on the same subject.
/// Runs after overrides, so switching the specific rule off brings the general one back.
pub fn supersede(ws: &RuleSet, out: &mut Vec<Diagnostic>) {
    // Hashed: a policy may have thousands of rules, a repository 100,000s of findings.
    let pairs: FxHashSet<(&str, &str)> = ws
        .rules
        .iter()
        .flat_map(|r| {
            r.meta
                .supersedes
                .iter()
                .map(move |s| (r.meta.code.as_str(), s.as_str()))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    // Winning findings by (subject, location): one look-up per finding, not a scan of
    // every winner (a large repository has thousands of each).
    let winning: FxHashSet<&str> = pairs.iter().map(|(w, _)| *w).collect();
    let mut winners: FxHashMap<(&str, &crate::diagnostics::source::Location), Vec<&str>> =
        FxHashMap::default();
    for d in out.iter().filter(|d| winning.contains(d.code().as_str())) {
        winners
            .entry((d.subject(), &d.location))
            .or_default()
            .push(d.code().as_str());
    }
    // Only a finding of a superseded rule can lose: the others skip hashing their subject.
    let losing: FxHashSet<&str> = pairs.iter().map(|(_, l)| *l).collect();
    let keep: Vec<bool> = out
        .iter()
        .map(|d| {
            if !losing.contains(d.code().as_str()) && !losing.contains(d.name().as_str()) {
                return true;
            }
            let codes = winners.get(&(d.subject(), &d.location));
            !codes.is_some_and(|codes| {
                codes.iter().any(|code| {
                    pairs.contains(&(*code, d.code().as_str()))
                        || pairs.contains(&(*code, d.name().as_str()))
                })
            })
        })
        .collect();
    let mut keep = keep.into_iter();
    out.retain(|_| keep.next().unwrap_or(true));
}

/// The one place that decides which findings are shown and how severe they are. `known` (the
/// rule registry) gives each finding's rule type, which `[severity]` may name.
pub fn apply_overrides(
    diags: Vec<Diagnostic>,
    config: &Config,
    o: &Overrides,
    known: &[RuleMeta],
) -> Vec<Diagnostic> {
    let types: FxHashMap<&str, &str> = known
        .iter()
        .map(|r| (r.code.as_str(), r.rule_type.as_str()))
        .collect();
    diags
        .into_iter()
        .filter_map(|mut d| {
            let rule_type = types.get(d.code().as_ref()).copied().unwrap_or("");
            if o.drops(config, d.code(), d.name(), rule_type) {
                return None;
            }
            if let Some(Some(s)) = o.level(config, d.code(), d.name(), rule_type) {
                d.severity = s;
            }
            Some(d)
        })
        .collect()
}

/// Deterministic order: path, line, column (byte offset orders both), code.
pub fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    // Each file's place in path order, computed once: comparing paths in every
    // comparison of thousands of findings is most of the sort otherwise.
    let mut files: Vec<u32> = diags.iter().map(|d| d.location.file.0).collect();
    files.sort_unstable();
    files.dedup();
    files.sort_by(|a, b| sources.display(FileId(*a)).cmp(sources.display(FileId(*b))));
    let mut rank = vec![0u32; files.iter().max().map_or(0, |f| *f as usize + 1)];
    for (i, f) in files.iter().enumerate() {
        rank[*f as usize] = u32::try_from(i).unwrap_or(u32::MAX);
    }
    drop(files);
    let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    // Sort small keys, then move each finding once: a finding is hundreds of bytes, and a
    // merge sort moving them around for every comparison level costs more than the compares.
    // The keys are 32-bit (12 bytes a finding, not 24): they are the sort's own memory, at
    // the run's peak. An offset past 4 GiB (no document is that large) ties, then the
    // code and the order the findings came in decide.
    let mut order: Vec<(u32, u32, u32)> = diags
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let file = rank.get(d.location.file.0 as usize).copied().unwrap_or(0);
            (file, small(d.location.span.start), small(i))
        })
        .collect();
    order.sort_unstable_by(|a, b| {
        let (x, y) = (&diags[a.2 as usize], &diags[b.2 as usize]);
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| x.code().cmp(y.code()))
            .then(a.2.cmp(&b.2)) // ties keep their order, as a stable sort would
    });
    let mut order: Vec<u32> = order.into_iter().map(|(_, _, i)| i).collect();
    order.shrink_to_fit();
    // Then by message where the rest is the same: each such message is written out once
    // (a rule's message is kept as its template's values), not once per comparison.
    let same = |a: u32, b: u32| {
        let (x, y) = (&diags[a as usize], &diags[b as usize]);
        x.location.file == y.location.file
            && x.location.span.start == y.location.span.start
            && x.code() == y.code()
    };
    for run in order
        .chunk_by_mut(|a, b| same(*a, *b))
        .filter(|r| r.len() > 1)
    {
        let mut keyed: Vec<_> = (run.iter())
            .map(|&i| (diags[i as usize].message.get(), i))
            .collect();
        keyed.sort_unstable();
        for (slot, (_, i)) in run.iter_mut().zip(keyed) {
            *slot = i;
        }
    }
    permute(diags, &order);
}

/// Reorder `items` in place so that position `k` holds what was at `order[k]` (a
/// permutation), one swap per element along each cycle and no second buffer: the findings
/// are the run's peak memory.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let next = order[k] as usize;
            if next == start {
                break;
            }
            items.swap(k, next);
            k = next;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn permute_applies_any_permutation() {
        // Every permutation of up to six items (all cycle shapes), by Heap's algorithm.
        for n in 0..=6usize {
            let mut order: Vec<u32> = (0..n as u32).collect();
            let mut c = vec![0; n];
            let check = |order: &[u32]| {
                let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
                super::permute(&mut items, order);
                let want: Vec<usize> = order.iter().map(|i| *i as usize * 10).collect();
                assert_eq!(items, want, "order {order:?}");
            };
            check(&order);
            let mut i = 0;
            while i < n {
                if c[i] < i {
                    order.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
                    check(&order);
                    c[i] += 1;
                    i = 0;
                } else {
                    c[i] = 0;
                    i += 1;
                }
            }
        }
    }
}
