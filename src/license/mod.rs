//! License consumption from a Jira Align People export (`rolelint license`).
//!
//! - [`people`] reads the CSV export (Settings > People > More Actions > Export):
//!   columns found by header name, problems per row, fatal errors as [`people::PeopleError`].
//! - [`judge`] decides each role's class from a normal `check` run (the ceiling rules).
//! - [`count`] classes every remaining user as Full or Integrated according to a caller
//!   supplied judgement of their role, compares with the seats bought, and diffs two
//!   reports (for `--against REV`).
//!
//! Counting follows the Atlassian KB "How to check the current Full and Integrated licence
//! use": deactivated users and `@atlassian.com` addresses count in neither class; users in
//! a role within the integrated-user maximum are Integrated; everybody else is Full.

pub mod count;
pub mod impact;
pub mod judge;
pub mod people;

pub use count::{
    count, count_export, diff, render_csv, render_diff_human, render_human, Duplicate,
    ExcludeReason, Excluded, LicenseClass, LicenseDiff, LicenseReport, LicenseSettings,
    LicenseSummary, Move, RoleCount, RoleJudgement, UserClass,
};
pub use people::{read_people, ColumnNames, PeopleError, PeopleExport, Person, RowProblem};
