//! `rolelint explain CODE|NAME` and `rolelint rules`: documentation from the rule data itself.
use crate::diagnostics::rule_meta::RuleMeta;
use crate::diagnostics::source::SourceMap;
use crate::document::Document;
use crate::error::Fatal;
use crate::load;
use crate::Outcome;
use std::path::Path;

/// Every built-in rule and check, sorted by code.
pub fn all_docs() -> Vec<RuleMeta> {
    let mut sources = SourceMap::new();
    let builtins = load::register_builtins(&mut sources);
    let mut docs: Vec<RuleMeta> = crate::diagnostics::checks::all().to_vec();
    for doc in &builtins.parse(&builtins.all, &sources, &mut Vec::new()) {
        if let crate::document::Document::Policy(p) = doc {
            docs.extend(p.rules.iter().map(|r| r.meta.clone()));
        }
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
        let parsed = crate::document::parse(id, &text);
        if !parsed.diagnostics.is_empty() {
            errln!(
                "warning: policy file `{}` has errors (`rolelint check` shows them); its rules may be missing here",
                crate::report::shown::text(&file.display)
            );
        }
        if let Some(Document::Policy(p)) = parsed.document {
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
    out!("{}", render(doc));
    Ok(Outcome::Clean)
}

/// The full documentation of one rule as plain text (Markdown-friendly).
/// Policies may come from the repository: every field is shown inert, an example line by
/// line ([`crate::report::shown::text`]).
pub fn render(d: &RuleMeta) -> String {
    use crate::report::shown::text;
    let mut s = format!(
        "{} {} ({}, {})\n\n{}\n",
        text(&d.code),
        text(&d.name),
        text(d.severity.as_str()),
        text(&d.rule_type),
        text(&capitalize(&d.summary))
    );
    if !d.message.is_empty() {
        s.push_str(&format!("\nMessage: {}\n", text(&d.message)));
    }
    s.push_str(&format!("Help: {}\n", text(&d.help)));
    if let Some(file) = &d.policy_file {
        s.push_str(&format!("Defined in: {} (this repository)\n", text(file)));
    }
    if let Some(src) = &d.source {
        s.push_str(&format!("Source: {}", text(&src.title)));
        if let Some(url) = &src.url {
            s.push_str(&format!(" <{}>", text(url)));
        }
        s.push('\n');
    }
    if !d.suppressible {
        s.push_str("This rule cannot be suppressed.\n");
    }
    for (title, examples) in [("fails", &d.example_fail), ("passes", &d.example_pass)] {
        for (i, e) in examples.iter().enumerate() {
            let n = if examples.len() > 1 {
                format!(" (document {})", i + 1)
            } else {
                String::new()
            };
            let example: Vec<_> = e.trim_end().lines().map(text).collect();
            s.push_str(&format!(
                "\nExample that {title}{n}:\n\n```toml\n{}\n```\n",
                example.join("\n")
            ));
        }
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
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
