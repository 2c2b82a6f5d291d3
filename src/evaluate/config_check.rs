//! Rule codes in the configuration and on the command line must name real rules. This needs
//! the rule registry (built-in checks plus every loaded policy), so it runs after resolve.
//! Problems are fatal (exit 2), like every other configuration error: the configuration ones
//! with their snippet, the command-line ones as one sentence, both with a did-you-mean.
//! `[severity]` and `--severity` may also name a rule type (every rule of that type);
//! `[policies] disable` switches off policy rules only, so a document check there is refused.
use crate::config::Overrides;
use crate::diagnostics::checks::DOCUMENT_CHECK;
use crate::diagnostics::rule_meta::{self as rule_ids, RuleMeta};
use crate::diagnostics::says;
use crate::diagnostics::source::SourceMap;
use crate::error::Fatal;
use crate::evaluate::RuleSet;
use toml::Spanned;

pub fn check(ws: &RuleSet, o: &Overrides, sources: &SourceMap) -> Result<(), Fatal> {
    let known = &ws.known_rules;
    let config = &ws.config;
    if let Some(file) = config.file() {
        let ids = config
            .severity
            .keys()
            .filter(|k| !rule_ids::is_rule_type(known, k.get_ref()))
            .map(|k| (k, "[severity]"))
            .chain(
                config
                    .policies
                    .disable
                    .iter()
                    .map(|d| (d, "[policies] disable")),
            )
            .chain(
                config
                    .exception
                    .iter()
                    .map(|e| (&e.get_ref().code, "[[exception]] code")),
            );
        // Every unknown code of the file, not only the first.
        let problems: Vec<_> = ids
            .filter_map(|(id, table)| unknown(known, id, table, file))
            .chain(
                config
                    .policies
                    .disable
                    .iter()
                    .filter_map(|id| document_check(known, id, file)),
            )
            .collect();
        if !problems.is_empty() {
            return Err(crate::diagnostics::fatal::configs(&problems, sources));
        }
    }
    let cli = o
        .select
        .iter()
        .map(|s| (s, "--select", true))
        .chain(o.ignore.iter().map(|s| (s, "--ignore", true)))
        .chain(o.severity.iter().map(|(k, _)| (k, "--severity", false)));
    for (id, flag, prefix_ok) in cli {
        let a_type = flag == "--severity" && rule_ids::is_rule_type(known, id);
        if !a_type && !rule_ids::is_known(known, id, prefix_ok) {
            let hint = rule_ids::suggestion(known, id)
                .map(|s| format!("; {s}"))
                .unwrap_or_else(|| "; `rolelint rules` lists them all".to_string());
            return Err(Fatal::msg(format!("unknown rule `{id}` in `{flag}`{hint}")));
        }
    }
    Ok(())
}

fn unknown(
    known: &[RuleMeta],
    id: &Spanned<String>,
    table: &str,
    file: crate::diagnostics::source::FileId,
) -> Option<crate::diagnostics::Diagnostic> {
    if rule_ids::find(known, id.get_ref()).is_some() {
        return None;
    }
    let d = says::UnknownRuleInConfig {
        rule: id.get_ref(),
        table,
    }
    .at(file, id.span());
    Some(match rule_ids::suggestion(known, id.get_ref()) {
        Some(s) => d.with_help(s),
        None => d,
    })
}

/// A document check named in `[policies] disable`, which switches off policy rules only: the
/// checks report documents rolelint cannot read as written, and stay on unless a run leaves
/// them out or `[severity]` lowers them.
fn document_check(
    known: &[RuleMeta],
    id: &Spanned<String>,
    file: crate::diagnostics::source::FileId,
) -> Option<crate::diagnostics::Diagnostic> {
    let rule = rule_ids::find(known, id.get_ref())?;
    (rule.rule_type == DOCUMENT_CHECK).then(|| {
        says::DocumentCheckInDisable {
            rule: id.get_ref(),
            code: &rule.code,
        }
        .at(file, id.span())
    })
}
