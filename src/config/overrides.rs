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
    /// Is a finding of rule `code` (`name`) left out of every output: not selected, ignored,
    /// or `off` on the command line or in `[severity]`? Such rules are not even evaluated.
    pub fn drops(&self, config: &Config, code: &str, name: &str) -> bool {
        let matches = |list: &[String]| {
            list.iter().any(|s| {
                s.eq_ignore_ascii_case(code)
                    || s == name
                    || (s.len() < code.len() && code.starts_with(s.as_str()))
            })
        };
        (!self.select.is_empty() && !matches(&self.select))
            || matches(&self.ignore)
            || self.level(config, code, name) == Some(None)
    }

    /// The severity a finding of `code` (`name`) is shown at: `Some(None)` for `off`,
    /// `None` for its own.
    pub fn level(&self, config: &Config, code: &str, name: &str) -> Option<Option<Severity>> {
        let cli = self
            .severity
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(code) || *k == name);
        match cli {
            Some((_, v)) => Some(Severity::parse(v)),
            None => config.severity_for(code, name),
        }
    }
}
