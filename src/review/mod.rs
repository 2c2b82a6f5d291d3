//! `rolelint review`: what a change does, comparing two evaluations of the repository (the
//! base revision and the head: the working tree or another revision). Each side is one run
//! of the same pipeline as `check`; this module only compares the two runs.
//!
//! - [`access`]: permissions and board capabilities gained and lost, with their causes;
//! - [`findings`]: findings introduced and fixed, matched by fingerprint like baselines;
//! - [`license`]: Jira Align roles that change license class (and, with a People export,
//!   who moves and the seats needed, from `license --against`'s code);
//! - [`gate`]: `--fail-on` conditions;
//! - [`render`]: human, json and markdown (a pull-request comment).
pub mod access;
pub mod findings;
pub mod gate;
pub mod license;
pub mod render;
pub mod side;

use crate::pipeline::Run;
use serde::Serialize;

/// One side of the comparison: how the user named it and the commit it resolved to
/// (`None` for the working tree).
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Side {
    pub fn working_tree() -> Self {
        Side {
            name: "working tree".to_string(),
            commit: None,
        }
    }

    /// `main (0123456789ab)`, or the name alone.
    pub fn shown(&self) -> String {
        match &self.commit {
            Some(c) => format!("{} ({})", self.name, c.chars().take(12).collect::<String>()),
            None => self.name.clone(),
        }
    }
}

/// The review of one change.
#[derive(Debug, Serialize)]
pub struct Review {
    pub base: Side,
    pub head: Side,
    pub findings: findings::FindingsChange,
    pub license: license::LicenseChange,
    #[serde(skip)] // rendered by `render::json` in its own shape
    pub access: access::AccessChange,
}

impl Review {
    /// Compare the run of the base with the run of the head.
    pub fn compare(
        base: Side,
        base_run: &Run,
        head: Side,
        head_run: &Run,
        people: Option<&license::People>,
    ) -> Self {
        // Three independent comparisons, side by side on the worker pool.
        let ((findings, license), access) = rayon::join(
            || {
                rayon::join(
                    || findings::FindingsChange::between(base_run, head_run),
                    || license::LicenseChange::between(base_run, head_run, people),
                )
            },
            || access::AccessChange::between(&base_run.workspace.jira, &head_run.workspace.jira),
        );
        crate::console::timing::lap("review: compared");
        Review {
            base,
            head,
            findings,
            license,
            access,
        }
    }

    /// Nothing changed that review reports.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.license.is_empty() && self.access.is_empty()
    }
}

#[cfg(test)]
mod tests;
