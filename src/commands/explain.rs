//! `rolelint explain CODE|NAME` and `rolelint rules`: documentation from the rule data itself.
use crate::diagnostics::rule_meta::RuleMeta;
use crate::diagnostics::source::SourceMap;
use crate::error::Fatal;
use crate::evaluate::policy::builtin;
use crate::evaluate::policy::set::Parts;
use crate::Outcome;
use std::path::Path;

/// Every built-in rule and check, sorted by code.
pub fn all_docs() -> Vec<RuleMeta> {
    let mut sources = SourceMap::new();
    let builtins = builtin::register(&mut sources, builtin::POLICIES, builtin::ROLE_FILES);
    let mut docs: Vec<RuleMeta> = crate::diagnostics::checks::all().to_vec();
    let mut parts = Parts::default();
    builtins.read(&builtins.all, &sources, &mut parts, &mut Vec::new());
    for p in &parts.policies {
        docs.extend(p.rules.iter().map(|r| r.meta.clone()));
    }
    docs.sort_by(|a, b| a.code.cmp(&b.code));
    docs
}

/// The built-in rules and checks plus the rules of the repository's own policy files,
/// found as `check` finds them (`--config`, or the nearest `rolelint.toml` above the current
/// directory). With no configuration file there is no repository: built-ins only.
pub fn docs_with_repository(config: Option<&Path>) -> Result<Vec<RuleMeta>, Fatal> {
    let mut docs = all_docs();
    let mut sources = SourceMap::new();
    let (config, root) = super::check::load_config(config, &[], &mut sources)?;
    if config.origin.is_none() {
        return Ok(docs);
    }
    // Read through the repository boundary, bounded, once.
    for (file, text) in super::policy_test::policy_files(None, &root, &config)? {
        let id = sources.add_text(file.display.clone(), text.clone());
        let mut problems = Vec::new();
        let policy = crate::evaluate::policy::parse(id, &text, &mut problems);
        if !problems.is_empty() {
            errln!(
                "warning: policy file `{}` has errors (`rolelint check` shows them); its rules may be missing here",
                crate::report::shown::text(&file.display)
            );
        }
        if let Some(p) = policy {
            docs.extend(p.rules.into_iter().map(|r| RuleMeta {
                policy_file: Some(file.display.clone()),
                ..r.meta
            }));
        }
    }
    docs.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(docs)
}

pub fn explain(rule: &str, config: Option<&Path>) -> Result<Outcome, Fatal> {
    let docs = docs_with_repository(config)?;
    let Some(doc) = docs
        .iter()
        .find(|d| d.code.eq_ignore_ascii_case(rule) || d.name.eq_ignore_ascii_case(rule))
    else {
        let names = docs.iter().flat_map(|d| [d.code.as_str(), d.name.as_str()]);
        let hint = crate::diagnostics::suggest::did_you_mean(rule, names)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Fatal::msg(format!(
            "no rule is called `{rule}`{hint} (`rolelint rules` lists them)"
        )));
    };
    out!("{}", crate::report::rule_doc::render(doc));
    Ok(Outcome::Clean)
}

pub fn rules(json: bool, config: Option<&Path>) -> Result<Outcome, Fatal> {
    let docs = docs_with_repository(config)?;
    if json {
        let text = serde_json::to_string_pretty(&docs).map_err(|e| Fatal::msg(e.to_string()))?;
        outln!("{text}");
        return Ok(Outcome::Clean);
    }
    let width = docs.iter().map(|d| d.name.len()).max().unwrap_or(0);
    for d in &docs {
        // Repository policies are the repository's text: shown inert.
        let from = d
            .policy_file
            .as_ref()
            .map(|f| format!(" ({})", crate::report::shown::text(f)))
            .unwrap_or_default();
        outln!(
            "{:<6} {:<width$}  {:<8} {}{from}",
            crate::report::shown::text(&d.code),
            crate::report::shown::text(&d.name),
            d.severity.as_str(),
            crate::report::shown::text(&d.summary)
        );
    }
    Ok(Outcome::Clean)
}
