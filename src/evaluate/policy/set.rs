//! The rule set: every policy (built-in, `[policies] extra`, the repository's own), the
//! catalogues and the configuration, validated into the rules a run evaluates. Built once,
//! before any document is judged, and read-only from then on.
use super::{PolicyDoc, Rule, RuleMeta};
use crate::catalog::ToggleCatalog;
use crate::config::{Config, Overrides};
use crate::diagnostics::checks;
use crate::diagnostics::says;
use crate::diagnostics::source::Location;
use crate::diagnostics::Diagnostic;
use crate::document::align_role::AlignRole;
use crate::document::toggle_tree::normalize;
use crate::document::CatalogueDoc;
use crate::evaluate::rules::{DeclaredRule, ResolveCx, Resolved};
use crate::resolve::RoleView;
use rustc_hash::FxHashSet;
use std::collections::HashMap;
use std::sync::Arc;

/// What a rule set is made of: policies and catalogue documents.
#[derive(Default)]
pub struct Parts {
    pub policies: Vec<PolicyDoc>,
    pub catalogues: Vec<Arc<CatalogueDoc>>,
}

impl Parts {
    /// The `[[capability]]` entries of every policy, for the Jira model.
    pub fn take_capabilities(&mut self) -> Vec<crate::jira::capability::Capability> {
        self.policies
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.capabilities))
            .collect()
    }
}

/// The rules a run evaluates, with what they were resolved against.
pub struct RuleSet {
    pub config: Config,
    pub catalog: Arc<ToggleCatalog>,
    /// The active rules, each resolved against the catalogue and configuration.
    pub rules: Vec<ActiveRule>,
    /// Every rule and check id, disabled rules included (validating user-written codes).
    pub known_rules: Vec<RuleMeta>,
    /// Roles `[align] integrated-roles` names, normalised.
    integrated: FxHashSet<String>,
    /// Codes of the rules whose findings no output shows: not evaluated.
    skipped: FxHashSet<String>,
}

/// An active rule: as its policy declares it, and as it runs.
#[derive(Debug)]
pub struct ActiveRule {
    pub meta: RuleMeta,
    pub kind: Arc<dyn DeclaredRule>,
    /// The rule's table in its policy file.
    pub location: Location,
    /// `None` when its parameters do not resolve (reported): the rule does not run.
    pub resolved: Option<Resolved>,
}

impl RuleSet {
    /// The rule set of `parts` under `config`. Rules whose findings `overrides` and
    /// `[severity]` drop (`--select`, `--ignore`, `off`) are not evaluated, unless a
    /// suppression names them (an `[[exception]]`, or one of the codes `named` gives, read
    /// only then), so whether a suppression is used stays exact.
    pub fn build(
        parts: Parts,
        config: Config,
        overrides: &Overrides,
        named: impl FnOnce() -> Vec<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let Parts {
            policies,
            catalogues,
        } = parts;
        let terminology = config.align.terminology.iter();
        let catalog = ToggleCatalog::of(
            &catalogues,
            terminology.map(|(k, v)| (k.as_str(), v.get_ref().as_str())),
        );
        let known_rules = checks::all()
            .iter()
            .cloned()
            .chain(
                policies
                    .iter()
                    .flat_map(|p| &p.rules)
                    .map(|r| r.meta.clone()),
            )
            .collect();
        let rules = active_rules(policies, &config, diags);
        let rules = resolve_rules(rules, &catalog, &config, diags);
        let integrated = config
            .align
            .integrated_roles
            .iter()
            .map(|n| normalize(n.get_ref()))
            .collect();
        let mut set = RuleSet {
            config,
            catalog,
            rules,
            known_rules,
            integrated,
            skipped: FxHashSet::default(),
        };
        set.skip_rules(overrides, named);
        set
    }

    fn skip_rules(&mut self, overrides: &Overrides, named: impl FnOnce() -> Vec<String>) {
        self.skipped = self
            .rules
            .iter()
            .filter(|r| {
                overrides.drops(&self.config, &r.meta.code, &r.meta.name, &r.meta.rule_type)
            })
            .map(|r| r.meta.code.clone())
            .collect();
        if self.skipped.is_empty() {
            return;
        }
        let mut codes: Vec<String> = self
            .config
            .exception
            .iter()
            .map(|x| x.get_ref().code.get_ref().clone())
            .collect();
        codes.extend(named());
        // Codes in any case, or names.
        for r in &self.rules {
            let named = codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&r.meta.code) || *c == r.meta.name);
            if named {
                self.skipped.remove(&r.meta.code);
            }
        }
    }

    /// The codes of the rules not run (dropped by `--select`, `--ignore`, `off`), sorted.
    pub fn skipped_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.skipped.iter().cloned().collect();
        codes.sort_unstable();
        codes
    }

    /// Is this rule run (its findings shown somewhere, or a suppression names it)?
    pub fn evaluates(&self, meta: &RuleMeta) -> bool {
        self.skipped.is_empty() || !self.skipped.contains(&meta.code)
    }

    /// A role's identity and class under this rule set's configuration.
    pub fn view(&self, role: &AlignRole) -> RoleView {
        crate::resolve::view(role, &self.integrated)
    }
}

/// Collect rules from every policy, dropping disabled ones; duplicate codes or names are errors.
fn active_rules(
    policies: Vec<PolicyDoc>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Rule> {
    let disabled: Vec<&str> = config
        .policies
        .disable
        .iter()
        .map(|d| d.get_ref().as_str())
        .collect();
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut out = Vec::new();
    for rule in policies.into_iter().flat_map(|p| p.rules) {
        let mut clash = None;
        for id in [&rule.meta.code, &rule.meta.name] {
            if let Some(first) = seen.get(&id.to_lowercase()) {
                clash = Some((id.clone(), first.clone()));
            }
        }
        if let Some((id, first)) = clash {
            diags.push(
                says::RuleDefinedTwice { rule: &id }
                    .at(rule.location.file, rule.location.span.clone())
                    .with_secondary(first, says::FirstDefinedHere.text()),
            );
            continue;
        }
        seen.insert(rule.meta.code.to_lowercase(), rule.location.clone());
        seen.insert(rule.meta.name.to_lowercase(), rule.location.clone());
        if disabled
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&rule.meta.code) || *d == rule.meta.name)
        {
            continue;
        }
        out.push(rule);
    }
    out
}

/// Resolve every active rule; each keeps what it resolved to.
fn resolve_rules(
    rules: Vec<Rule>,
    catalog: &ToggleCatalog,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ActiveRule> {
    let cx = ResolveCx {
        catalog,
        config,
        rules: &rules,
    };
    let resolved: Vec<Option<Resolved>> =
        rules.iter().map(|r| r.kind.resolve(&cx, diags)).collect();
    rules
        .into_iter()
        .zip(resolved)
        .map(|(r, resolved)| ActiveRule {
            meta: r.meta,
            kind: r.kind,
            location: r.location,
            resolved,
        })
        .collect()
}
