//! Who moves between license classes between two counts (`license --against REV`).
use std::collections::HashMap;

use serde::Serialize;

use super::{email_key, LicenseClass, LicenseReport};

/// The headline numbers of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LicenseSummary {
    pub full_used: u64,
    pub full_seats: Option<u64>,
    pub full_over: u64,
    pub integrated_used: u64,
    pub integrated_allowed: Option<u64>,
    pub integrated_over: u64,
}

/// A user whose class differs between two reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Move {
    pub email: String,
    /// The role in the later report.
    pub role: String,
    pub from: LicenseClass,
    pub to: LicenseClass,
}

/// Who moves between classes between two judgements (for `--against REV`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LicenseDiff {
    /// Sorted by email. Only users counted in both reports.
    pub moves: Vec<Move>,
    /// `after.full_used - before.full_used`.
    pub full_delta: i64,
    /// `after.integrated_used - before.integrated_used`.
    pub integrated_delta: i64,
    pub before: LicenseSummary,
    pub after: LicenseSummary,
}

pub(super) fn delta(before: u64, after: u64) -> i64 {
    let signed = |v: u64| i128::from(v);
    let d = signed(after) - signed(before);
    i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
}

/// Compares two reports of the same people under different roles.
pub fn diff(before: &LicenseReport, after: &LicenseReport) -> LicenseDiff {
    let earlier: HashMap<String, LicenseClass> = before
        .users
        .iter()
        .map(|u| (email_key(&u.email), u.class))
        .collect();
    let moves = after
        .users
        .iter()
        .filter_map(|u| {
            let from = *earlier.get(&email_key(&u.email))?;
            (from != u.class).then(|| Move {
                email: u.email.clone(),
                role: u.role.clone(),
                from,
                to: u.class,
            })
        })
        .collect();
    LicenseDiff {
        moves,
        full_delta: delta(before.full_used, after.full_used),
        integrated_delta: delta(before.integrated_used, after.integrated_used),
        before: before.summary(),
        after: after.summary(),
    }
}
