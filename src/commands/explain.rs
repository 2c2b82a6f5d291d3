//! `rolelint explain CODE|NAME` and `rolelint rules`: documentation from the rule data itself.
use crate::checks;
use crate::error::Fatal;
use crate::load;
use crate::policy::RuleMeta;
use crate::source::SourceMap;
use crate::Outcome;

/// One documented rule or check, whichever it came from.
#[derive(serde::Serialize)]
pub struct RuleDoc {
    pub code: String,
    pub name: String,
    pub severity: &'static str,
    #[serde(rename = "type")]
    pub rule_type: String,
    pub summary: String,
    pub message: String,
    pub help: String,
    pub source: Option<crate::policy::RuleSource>,
    pub suppressible: bool,
    pub example_fail: Vec<String>,
    pub example_pass: Vec<String>,
}

impl RuleDoc {
    pub fn from_rule(m: &RuleMeta, rule_type: &str) -> Self {
        Self {
            code: m.code.clone(),
            name: m.name.clone(),
            severity: m.severity.as_str(),
            rule_type: rule_type.to_string(),
            summary: m.summary.clone(),
            message: m.message.clone(),
            help: m.help.clone(),
            source: Some(m.source.clone()),
            suppressible: m.suppressible,
            example_fail: m.example_fail.clone(),
            example_pass: m.example_pass.clone(),
        }
    }

    pub fn from_check(c: &checks::Check) -> Self {
        let example = |s: &str| {
            if s.is_empty() {
                Vec::new()
            } else {
                vec![s.to_string()]
            }
        };
        Self {
            code: c.code.to_string(),
            name: c.name.to_string(),
            severity: c.severity.as_str(),
            rule_type: "document check".to_string(),
            summary: c.summary.to_string(),
            message: String::new(),
            help: c.help.to_string(),
            source: None,
            suppressible: c.suppressible,
            example_fail: example(c.example_fail),
            example_pass: example(c.example_pass),
        }
    }
}

/// Every built-in rule and check, sorted by code.
pub fn all_docs() -> Vec<RuleDoc> {
    let mut sources = SourceMap::new();
    let builtins = load::register_builtins(&mut sources);
    let mut docs: Vec<RuleDoc> = checks::ALL.iter().map(|c| RuleDoc::from_check(c)).collect();
    for doc in &builtins.parse(&builtins.all, &sources, &mut Vec::new()) {
        if let crate::document::Document::Policy(p) = doc {
            docs.extend(
                p.rules
                    .iter()
                    .map(|r| RuleDoc::from_rule(&r.meta, r.kind.type_name())),
            );
        }
    }
    docs.sort_by(|a, b| a.code.cmp(&b.code));
    docs
}

pub fn explain(rule: &str) -> Result<Outcome, Fatal> {
    let docs = all_docs();
    let Some(doc) = docs
        .iter()
        .find(|d| d.code.eq_ignore_ascii_case(rule) || d.name.eq_ignore_ascii_case(rule))
    else {
        let names = docs.iter().flat_map(|d| [d.code.as_str(), d.name.as_str()]);
        let hint = crate::suggest::did_you_mean(rule, names)
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
/// line ([`crate::emit::shown::text`]).
pub fn render(d: &RuleDoc) -> String {
    use crate::emit::shown::text;
    let mut s = format!(
        "{} {} ({}, {})\n\n{}\n",
        text(&d.code),
        text(&d.name),
        text(d.severity),
        text(&d.rule_type),
        text(&capitalize(&d.summary))
    );
    if !d.message.is_empty() {
        s.push_str(&format!("\nMessage: {}\n", text(&d.message)));
    }
    s.push_str(&format!("Help: {}\n", text(&d.help)));
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

pub fn rules(json: bool) -> Result<Outcome, Fatal> {
    let docs = all_docs();
    if json {
        let text = serde_json::to_string_pretty(&docs).map_err(|e| Fatal::msg(e.to_string()))?;
        outln!("{text}");
        return Ok(Outcome::Clean);
    }
    let width = docs.iter().map(|d| d.name.len()).max().unwrap_or(0);
    for d in &docs {
        outln!(
            "{:<6} {:<width$}  {:<8} {}",
            d.code,
            d.name,
            d.severity,
            d.summary
        );
    }
    Ok(Outcome::Clean)
}
