//! What the command line says over the configuration: `--select`, `--ignore`, `--severity`,
//! `--deny-warnings`. Applied in one place, [`crate::evaluate::apply_overrides`].

use super::Config;
use crate::diagnostics::Severity;

/// Command-line overrides; configuration ones come from `rolelint.toml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, String)>,
    /// Warnings fail the run (exit code 1). Severities are left as they are: every output
    /// shows each finding's own level; only the exit code reads this.
    pub deny_warnings: bool,
}

impl Overrides {
    /// Is a finding of rule `code` (`name`, of type `rule_type`) left out of every output: not
    /// selected, ignored, or `off` on the command line or in `[severity]`? Such rules are not
    /// even evaluated.
    pub fn drops(&self, config: &Config, code: &str, name: &str, rule_type: &str) -> bool {
        let matches = |list: &[String]| {
            list.iter().any(|s| {
                s.eq_ignore_ascii_case(code)
                    || s == name
                    || (s.len() < code.len() && code.starts_with(s.as_str()))
            })
        };
        (!self.select.is_empty() && !matches(&self.select))
            || matches(&self.ignore)
            || self.level(config, code, name, rule_type) == Some(None)
    }

    /// The severity a finding of `code` (`name`, of type `rule_type`) is shown at:
    /// `Some(None)` for `off`, `None` for its own. The command line wins over `[severity]`;
    /// in each, an entry naming the rule wins over one naming its type.
    pub fn level(
        &self,
        config: &Config,
        code: &str,
        name: &str,
        rule_type: &str,
    ) -> Option<Option<Severity>> {
        let cli = |hit: &dyn Fn(&str) -> bool| {
            self.severity
                .iter()
                .rev()
                .find(|(k, _)| hit(k))
                .map(|(_, v)| Severity::parse(v))
        };
        cli(&|k| k.eq_ignore_ascii_case(code) || k == name)
            .or_else(|| cli(&|k| k == rule_type))
            .or_else(|| config.severity_for(code, name, rule_type))
    }
}
