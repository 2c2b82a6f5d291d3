//! What the command line says over the configuration: `--select`, `--ignore`, `--severity`,
//! `--deny-warnings`. Applied in one place, [`crate::evaluate::apply_overrides`].

/// Command-line overrides; configuration ones come from `rolelint.toml`.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, String)>,
    /// Warnings fail the run (exit code 1). Severities are left as they are: every output
    /// shows each finding's own level; only the exit code reads this.
    pub deny_warnings: bool,
    /// Every output of the run is a format without notes (concise, SARIF, GitHub, GitLab):
    /// rules may leave out notes that cost a derivation to write.
    pub without_notes: bool,
}
