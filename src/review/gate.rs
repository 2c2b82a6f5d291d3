//! `review --fail-on`: the conditions that make a review exit 1.
use super::access::Mark;
use super::Review;
use clap::ValueEnum;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gate {
    /// Any permission or board capability gained
    NewAccess,
    /// An administrative or delete permission gained (the permission catalogue's
    /// `sensitive` keys)
    AdminAccess,
    /// Anything gained by anyone or by any logged-in user
    PublicAccess,
    /// More Full or Integrated licenses needed, or a role that now costs more
    LicenseIncrease,
    /// A finding the base did not have
    NewFindings,
}

impl Gate {
    pub fn name(self) -> &'static str {
        match self {
            Gate::NewAccess => "new-access",
            Gate::AdminAccess => "admin-access",
            Gate::PublicAccess => "public-access",
            Gate::LicenseIncrease => "license-increase",
            Gate::NewFindings => "new-findings",
        }
    }

    /// Does the review trip this gate?
    pub fn trips(self, review: &Review) -> bool {
        match self {
            Gate::LicenseIncrease => review.license.increases(),
            Gate::NewFindings => !review.findings.introduced.is_empty(),
            Gate::NewAccess => !review.access.gained.is_empty(),
            Gate::AdminAccess => {
                review.access.gains(Mark::Admin) || review.access.gains(Mark::Delete)
            }
            Gate::PublicAccess => review.access.gains(Mark::Public),
        }
    }
}

/// The gates tripped, sorted and once each.
pub fn tripped(gates: &[Gate], review: &Review) -> Vec<Gate> {
    let mut out: Vec<Gate> = gates.iter().copied().filter(|g| g.trips(review)).collect();
    out.sort();
    out.dedup();
    out
}
