//! rolelint: policy-as-code linter for Jira Align roles and Jira permissions.

pub mod import;
