//! Counting Full and Integrated licenses (Atlassian KB "How to check the current Full and
//! Integrated licence use").
//!
//! 1. Deactivated users, emails on an excluded domain (default `atlassian.com`, its
//!    subdomains too) and service accounts count in neither class.
//! 2. Every other user counts by their role's [`RoleJudgement`]: `Integrated` → Integrated,
//!    `Full` or `Unknown` → Full, `External` (an external role within Ideation, which needs
//!    no license) → External, counted in neither license class but listed.
//! 3. An email on several rows counts once; the first row that survives step 1 wins.
//!
//! Role names are grouped case-insensitively with runs of whitespace collapsed
//! (`Team  member` is `Team Member`). The judge is called once per group, with the name as
//! written on the first row of that group, and the report shows that spelling.
//!
//! Split by concern: counting here, comparing two counts in [`diff`], the reports in
//! [`render`].
mod diff;
mod render;
#[cfg(test)]
mod tests;

pub use diff::{diff, LicenseDiff, LicenseSummary, Move};
pub use render::{render_csv, render_diff_human, render_human, EMAILS_SHOWN};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use super::people::{PeopleExport, Person, RowProblem};

/// The license a user consumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseClass {
    Full,
    Integrated,
    /// An external role within its Ideation-only ceiling: no license consumed.
    External,
}

impl fmt::Display for LicenseClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LicenseClass::Full => "Full",
            LicenseClass::Integrated => "Integrated",
            LicenseClass::External => "External",
        })
    }
}

/// How a role consumes licenses, as judged by the caller (from the role documents and the
/// ceiling rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleJudgement {
    /// Within the integrated-user maximum: its users are Integrated.
    Integrated,
    /// Its users are Full. `declared_integrated`: the role is treated as integrated
    /// (declared, connector default or `[align] integrated-roles`), but `reasons` (toggle
    /// paths, e.g. `Team > Track > Sprint Health`) put it over the maximum.
    Full {
        declared_integrated: bool,
        reasons: Vec<String>,
    },
    /// No document for the role in the repository: counted as Full, flagged.
    Unknown,
    /// Its document has errors (`check` cannot read what it enables), or two documents
    /// define a role of this name: what the role enables is not known, so its users are
    /// counted Full (the KB: a role beyond the documented toggles puts the users at Full).
    /// `reasons` say which errors or documents.
    Unreliable { reasons: Vec<String> },
    /// An external role within its ceiling (Ideation only): its users need no license.
    External,
}

/// `[license]` settings of `rolelint.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseSettings {
    /// Full licenses bought; without it there is no overage.
    pub full_seats: Option<u64>,
    /// Integrated users included per Full license bought (default 4).
    pub integrated_per_full: u64,
    /// Email domains counted in neither class; subdomains match too. A leading `@`, `.`
    /// or `*.` is ignored.
    pub exclude_domains: Vec<String>,
    /// Emails counted in neither class (case-insensitive).
    pub service_accounts: Vec<String>,
}

impl Default for LicenseSettings {
    fn default() -> Self {
        LicenseSettings {
            full_seats: None,
            integrated_per_full: 4,
            exclude_domains: vec!["atlassian.com".to_string()],
            service_accounts: Vec::new(),
        }
    }
}

/// Why a user is left out of both counts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ExcludeReason {
    Deactivated,
    /// `domain` is the configured domain that matched (normalised, lowercase).
    Domain {
        domain: String,
    },
    ServiceAccount,
}

impl fmt::Display for ExcludeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExcludeReason::Deactivated => f.write_str("deactivated"),
            ExcludeReason::Domain { domain } => write!(f, "domain {domain}"),
            ExcludeReason::ServiceAccount => f.write_str("service account"),
        }
    }
}

/// A row left out of both counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub email: String,
    pub row: usize,
    pub reason: ExcludeReason,
}

/// An email found on more than one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// As written on its first row.
    pub email: String,
    /// Every row with this email, in file order.
    pub rows: Vec<usize>,
    /// The row that was counted, if any survived the exclusions.
    pub counted_row: Option<usize>,
}

/// Users counted per role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleCount {
    /// As written on the first counted row with this role.
    pub role: String,
    pub class: LicenseClass,
    pub count: u64,
    /// Why the class, when it needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The toggles that put the role over its ceiling (empty when within).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// True when the role is treated as integrated but is over the maximum.
    pub over_maximum: bool,
    /// True when the repository has no document for the role.
    pub unknown: bool,
}

/// One counted user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserClass {
    pub email: String,
    pub role: String,
    pub class: LicenseClass,
    pub row: usize,
}

/// Result of [`count`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LicenseReport {
    pub full_used: u64,
    pub full_seats: Option<u64>,
    /// `full_used - full_seats`, 0 when within seats or seats unknown.
    pub full_over: u64,
    pub integrated_used: u64,
    /// Users in external roles within Ideation: counted in neither license class.
    pub external_users: u64,
    pub integrated_per_full: u64,
    /// `integrated_per_full × full_seats`, when seats are known.
    pub integrated_allowed: Option<u64>,
    /// `integrated_used - integrated_allowed`, 0 when within or unknown.
    pub integrated_over: u64,
    /// Sorted by email, then row.
    pub excluded: Vec<Excluded>,
    /// Sorted by email.
    pub duplicates: Vec<Duplicate>,
    /// Sorted by role name.
    pub roles: Vec<RoleCount>,
    /// Sorted by email.
    pub users: Vec<UserClass>,
    /// Problems met while reading the export; [`count`] leaves this empty,
    /// [`count_export`] fills it.
    pub problems: Vec<RowProblem>,
}

impl LicenseReport {
    /// More Full users than seats, or more Integrated users than the seats allow.
    pub fn over_seats(&self) -> bool {
        self.full_over > 0 || self.integrated_over > 0
    }

    /// The headline numbers.
    pub fn summary(&self) -> LicenseSummary {
        LicenseSummary {
            full_used: self.full_used,
            full_seats: self.full_seats,
            full_over: self.full_over,
            integrated_used: self.integrated_used,
            integrated_allowed: self.integrated_allowed,
            integrated_over: self.integrated_over,
        }
    }
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Case-insensitive, whitespace runs collapsed.
pub fn role_key(role: &str) -> String {
    role.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn normalise_domain(domain: &str) -> String {
    let d = domain.trim().to_lowercase();
    let d = d.strip_prefix('@').unwrap_or(&d);
    let d = d.strip_prefix("*.").unwrap_or(d);
    d.trim_matches('.').to_string()
}

fn excluded_domain<'a>(email_key: &str, domains: &'a [String]) -> Option<&'a String> {
    let (_, domain) = email_key.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    domains.iter().find(|d| {
        !d.is_empty()
            && (domain == d.as_str()
                || domain
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

fn note_for(judgement: &RoleJudgement) -> Option<String> {
    match judgement {
        RoleJudgement::Integrated => None,
        RoleJudgement::Full {
            declared_integrated: true,
            reasons,
        } => Some(if reasons.is_empty() {
            "treated as integrated but over the maximum".to_string()
        } else {
            format!(
                "treated as integrated but over the maximum: {}",
                reasons.join("; ")
            )
        }),
        RoleJudgement::Full {
            declared_integrated: false,
            reasons,
        } => (!reasons.is_empty()).then(|| reasons.join("; ")),
        RoleJudgement::Unknown => {
            Some("no role document in the repository; counted as Full".into())
        }
        RoleJudgement::External => Some("external role within Ideation; no license".into()),
        RoleJudgement::Unreliable { reasons } => Some(format!(
            "counted as Full because what the role enables is not known: {}",
            reasons.join("; ")
        )),
    }
}

/// Counts licenses. `judge` is called once per distinct role (see the module docs).
pub fn count(
    people: &[Person],
    judge: &dyn Fn(&str) -> RoleJudgement,
    settings: &LicenseSettings,
) -> LicenseReport {
    let domains: Vec<String> = settings
        .exclude_domains
        .iter()
        .map(|d| normalise_domain(d))
        .filter(|d| !d.is_empty())
        .collect();
    let services: BTreeSet<String> = settings
        .service_accounts
        .iter()
        .map(|s| email_key(s))
        .collect();

    // Rows per email, for the duplicate report.
    let mut rows_by_email: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for p in people {
        rows_by_email
            .entry(email_key(&p.email))
            .or_insert_with(|| (p.email.trim().to_string(), Vec::new()))
            .1
            .push(p.row);
    }

    struct RoleGroup {
        name: String,
        class: LicenseClass,
        judgement: RoleJudgement,
        count: u64,
    }
    let mut roles: BTreeMap<String, RoleGroup> = BTreeMap::new();
    let mut counted: HashMap<String, usize> = HashMap::new();
    let mut excluded = Vec::new();
    let mut users = Vec::new();

    for p in people {
        let key = email_key(&p.email);
        let reason = if !p.active {
            Some(ExcludeReason::Deactivated)
        } else if let Some(domain) = excluded_domain(&key, &domains) {
            Some(ExcludeReason::Domain {
                domain: domain.clone(),
            })
        } else if services.contains(&key) {
            Some(ExcludeReason::ServiceAccount)
        } else {
            None
        };
        if let Some(reason) = reason {
            excluded.push(Excluded {
                email: p.email.trim().to_string(),
                row: p.row,
                reason,
            });
            continue;
        }
        if counted.contains_key(&key) {
            continue;
        }
        counted.insert(key, p.row);

        let group = roles.entry(role_key(&p.role)).or_insert_with(|| {
            let judgement = judge(&p.role);
            let class = match judgement {
                RoleJudgement::Integrated => LicenseClass::Integrated,
                RoleJudgement::Full { .. }
                | RoleJudgement::Unknown
                | RoleJudgement::Unreliable { .. } => LicenseClass::Full,
                RoleJudgement::External => LicenseClass::External,
            };
            RoleGroup {
                name: p.role.clone(),
                class,
                judgement,
                count: 0,
            }
        });
        group.count += 1;
        users.push(UserClass {
            email: p.email.trim().to_string(),
            role: p.role.clone(),
            class: group.class,
            row: p.row,
        });
    }

    let duplicates = rows_by_email
        .iter()
        .filter(|(_, (_, rows))| rows.len() > 1)
        .map(|(key, (email, rows))| Duplicate {
            email: email.clone(),
            rows: rows.clone(),
            counted_row: counted.get(key).copied(),
        })
        .collect();

    excluded.sort_by(|a, b| {
        (email_key(&a.email), &a.email, a.row).cmp(&(email_key(&b.email), &b.email, b.row))
    });
    users.sort_by(|a, b| (email_key(&a.email), &a.email).cmp(&(email_key(&b.email), &b.email)));

    let roles: Vec<RoleCount> = roles
        .into_values()
        .map(|g| RoleCount {
            note: note_for(&g.judgement),
            reasons: match &g.judgement {
                RoleJudgement::Full { reasons, .. } | RoleJudgement::Unreliable { reasons } => {
                    reasons.clone()
                }
                _ => Vec::new(),
            },
            over_maximum: matches!(
                g.judgement,
                RoleJudgement::Full {
                    declared_integrated: true,
                    ..
                }
            ),
            unknown: g.judgement == RoleJudgement::Unknown,
            role: g.name,
            class: g.class,
            count: g.count,
        })
        .collect();

    let used = |class| {
        roles
            .iter()
            .filter(|r| r.class == class)
            .map(|r| r.count)
            .sum::<u64>()
    };
    let full_used = used(LicenseClass::Full);
    let integrated_used = used(LicenseClass::Integrated);
    let external_users = used(LicenseClass::External);
    let integrated_allowed = settings
        .full_seats
        .map(|seats| seats.saturating_mul(settings.integrated_per_full));

    LicenseReport {
        full_used,
        full_seats: settings.full_seats,
        full_over: settings
            .full_seats
            .map_or(0, |seats| full_used.saturating_sub(seats)),
        integrated_used,
        external_users,
        integrated_per_full: settings.integrated_per_full,
        integrated_allowed,
        integrated_over: integrated_allowed
            .map_or(0, |allowed| integrated_used.saturating_sub(allowed)),
        excluded,
        duplicates,
        roles,
        users,
        problems: Vec::new(),
    }
}

/// [`count`] over a whole export, carrying its row problems into the report.
pub fn count_export(
    export: &PeopleExport,
    judge: &dyn Fn(&str) -> RoleJudgement,
    settings: &LicenseSettings,
) -> LicenseReport {
    let mut report = count(&export.people, judge, settings);
    report.problems = export.problems.clone();
    report
}
