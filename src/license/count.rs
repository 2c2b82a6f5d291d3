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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};

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

fn delta(before: u64, after: u64) -> i64 {
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

// ---------------------------------------------------------------------------------------
// Rendering

/// How many emails [`render_human`] lists per exclusion reason.
pub const EMAILS_SHOWN: usize = 5;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn full_line(s: &LicenseSummary) -> String {
    match s.full_seats {
        Some(seats) if s.full_over > 0 => format!(
            "Full used {} / {seats} seats ({} over)",
            s.full_used, s.full_over
        ),
        Some(seats) => format!("Full used {} / {seats} seats", s.full_used),
        None => format!(
            "Full used {} (seats unknown: set `full-seats` under `[license]`)",
            s.full_used
        ),
    }
}

fn integrated_line(s: &LicenseSummary) -> String {
    match s.integrated_allowed {
        Some(allowed) if s.integrated_over > 0 => format!(
            "Integrated used {} / {allowed} ({} over)",
            s.integrated_used, s.integrated_over
        ),
        Some(allowed) => format!("Integrated used {} / {allowed}", s.integrated_used),
        None => format!(
            "Integrated used {} (allowance unknown without `full-seats`)",
            s.integrated_used
        ),
    }
}

/// Characters of a table cell shown at most.
const CELL_CHARS: usize = 200;

fn table(rows: &[Vec<String>], right: &[bool], indent: &str) -> String {
    // Cells quote the export and the documents: shown inert and cut, never as control
    // sequences or extra lines.
    let rows: Vec<Vec<std::borrow::Cow<str>>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| crate::inert::bounded(c, CELL_CHARS))
                .collect()
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = indent.to_string();
        for (c, cell) in row.iter().enumerate() {
            let width = widths.get(c).copied().unwrap_or(0);
            let pad = " ".repeat(width.saturating_sub(cell.chars().count()));
            if c > 0 {
                line.push_str("  ");
            }
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn sample(emails: &[&str]) -> String {
    let shown: Vec<&str> = emails.iter().take(EMAILS_SHOWN).copied().collect();
    let rest = emails.len().saturating_sub(shown.len());
    if rest == 0 {
        shown.join(", ")
    } else {
        format!("{} and {rest} more", shown.join(", "))
    }
}

/// A plain-text report: the headline numbers, users per role, exclusions, duplicates and
/// problems with the export.
pub fn render_human(report: &LicenseReport) -> String {
    let s = report.summary();
    let mut out = String::new();
    out.push_str(&full_line(&s));
    out.push('\n');
    out.push_str(&integrated_line(&s));
    out.push('\n');
    if report.external_users > 0 {
        let _ = writeln!(
            out,
            "External {} (within Ideation, no license)",
            plural(report.external_users, "user", "users")
        );
    }

    out.push('\n');
    if report.roles.is_empty() {
        out.push_str("No users counted\n");
    } else {
        let _ = writeln!(out, "Users by role ({} counted)", report.users.len());
        let mut rows = vec![vec![
            "Role".to_string(),
            "Class".to_string(),
            "Users".to_string(),
            "Note".to_string(),
        ]];
        for r in &report.roles {
            let name = if r.role.trim().is_empty() {
                "(no role)".to_string()
            } else {
                r.role.clone()
            };
            rows.push(vec![
                name,
                r.class.to_string(),
                r.count.to_string(),
                r.note.clone().unwrap_or_default(),
            ]);
        }
        out.push_str(&table(&rows, &[false, false, true, false], "  "));
    }

    // Users flagged by name, so nobody in an undocumented role goes unnoticed.
    let unknown: Vec<&RoleCount> = report.roles.iter().filter(|r| r.unknown).collect();
    if !unknown.is_empty() {
        let users: u64 = unknown.iter().map(|r| r.count).sum();
        let _ = writeln!(
            out,
            "\nUsers in roles with no document in the repository, counted as Full ({users})"
        );
        let rows: Vec<Vec<String>> = unknown
            .iter()
            .map(|r| {
                let key = role_key(&r.role);
                let emails: Vec<&str> = report
                    .users
                    .iter()
                    .filter(|u| role_key(&u.role) == key)
                    .map(|u| u.email.as_str())
                    .collect();
                let name = if r.role.trim().is_empty() {
                    "(no role)".to_string()
                } else {
                    r.role.clone()
                };
                vec![name, r.count.to_string(), sample(&emails)]
            })
            .collect();
        out.push_str(&table(&rows, &[false, true, false], "  "));
    }

    if !report.excluded.is_empty() {
        let mut groups: BTreeMap<&ExcludeReason, Vec<&str>> = BTreeMap::new();
        for e in &report.excluded {
            groups.entry(&e.reason).or_default().push(&e.email);
        }
        let _ = writeln!(
            out,
            "\nExcluded from both counts ({})",
            report.excluded.len()
        );
        let rows: Vec<Vec<String>> = groups
            .iter()
            .map(|(reason, emails)| {
                vec![reason.to_string(), emails.len().to_string(), sample(emails)]
            })
            .collect();
        out.push_str(&table(&rows, &[false, true, false], "  "));
    }

    if !report.duplicates.is_empty() {
        let _ = writeln!(
            out,
            "\nDuplicate emails, counted once ({})",
            report.duplicates.len()
        );
        let rows: Vec<Vec<String>> = report
            .duplicates
            .iter()
            .map(|d| {
                let rows: Vec<String> = d.rows.iter().map(usize::to_string).collect();
                let counted = match d.counted_row {
                    Some(row) => format!("counted row {row}"),
                    None => "none counted".to_string(),
                };
                vec![
                    d.email.clone(),
                    format!("rows {}", rows.join(", ")),
                    counted,
                ]
            })
            .collect();
        out.push_str(&table(&rows, &[false, false, false], "  "));
    }

    if !report.problems.is_empty() {
        let _ = writeln!(
            out,
            "\nProblems in the people export ({})",
            report.problems.len()
        );
        for p in &report.problems {
            let _ = writeln!(out, "  {}", crate::inert::escape(&p.message));
        }
    }
    out
}

/// One row per counted user: `email,role,class` (class `Full` or `Integrated`), sorted by
/// email, with a header row.
pub fn render_csv(report: &LicenseReport) -> String {
    let mut buf = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut buf);
        // Writing to a Vec cannot fail, and the fields are valid UTF-8.
        let _ = writer.write_record(["email", "role", "class"]);
        for u in &report.users {
            let class = u.class.to_string();
            let _ = writer.write_record([u.email.as_str(), u.role.as_str(), class.as_str()]);
        }
        let _ = writer.flush();
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn seat_phrase(before: &LicenseSummary, after: &LicenseSummary) -> String {
    let Some(seats) = after.full_seats else {
        return format!("Full used {} → {}", before.full_used, after.full_used);
    };
    let used = format!("({} / {seats})", after.full_used);
    if after.full_over > before.full_over {
        let more = after.full_over - before.full_over;
        format!("+{} needed {used}", plural(more, "Full seat", "Full seats"))
    } else if after.full_over < before.full_over {
        let fewer = before.full_over - after.full_over;
        format!(
            "{} fewer needed {used}",
            plural(fewer, "Full seat", "Full seats")
        )
    } else if after.full_over > 0 {
        format!(
            "still {} over {used}",
            plural(after.full_over, "Full seat", "Full seats")
        )
    } else {
        format!("within seats {used}")
    }
}

/// A pull-request comment: who moves between classes and what it does to the seats.
pub fn render_diff_human(diff: &LicenseDiff) -> String {
    let (b, a) = (&diff.before, &diff.after);
    let mut out = String::new();
    let mut directions: BTreeMap<(LicenseClass, LicenseClass), Vec<&Move>> = BTreeMap::new();
    for m in &diff.moves {
        directions.entry((m.from, m.to)).or_default().push(m);
    }
    // Integrated → Full first: it is the costly direction.
    let mut order: Vec<_> = directions.into_iter().collect();
    order.sort_by_key(|((from, to), _)| (*to != LicenseClass::Full, *from, *to));

    if order.is_empty() {
        let _ = writeln!(
            out,
            "No user changes license class: {}; {}",
            lowercase_first(&full_line(a)),
            lowercase_first(&integrated_line(a))
        );
    } else {
        let impact = seat_phrase(b, a);
        let single = order.len() == 1;
        for ((from, to), moves) in &order {
            let n = u64::try_from(moves.len()).unwrap_or(u64::MAX);
            let verb = if n == 1 { "moves" } else { "move" };
            let _ = write!(
                out,
                "{} {verb} from {from} to {to}",
                plural(n, "user", "users")
            );
            if single {
                let _ = write!(out, ": {impact}");
            }
            out.push('\n');
            for m in moves {
                let _ = writeln!(out, "- {} ({})", m.email, m.role);
            }
            out.push('\n');
        }
        if !single {
            let _ = writeln!(out, "Net: {impact}\n");
        }
        let _ = writeln!(
            out,
            "{}",
            change_line(
                "Full",
                b.full_used,
                a.full_used,
                a.full_seats.map(|s| (s, "seats")),
                a.full_over
            )
        );
        let _ = writeln!(
            out,
            "{}",
            change_line(
                "Integrated",
                b.integrated_used,
                a.integrated_used,
                a.integrated_allowed.map(|s| (s, "allowed")),
                a.integrated_over
            )
        );
    }
    if diff.moves.is_empty() && (diff.full_delta != 0 || diff.integrated_delta != 0) {
        let _ = writeln!(
            out,
            "Counts changed without anyone moving: Full {:+}, Integrated {:+}",
            diff.full_delta, diff.integrated_delta
        );
    }
    out
}

fn change_line(
    label: &str,
    before: u64,
    after: u64,
    limit: Option<(u64, &str)>,
    over: u64,
) -> String {
    let mut line = format!("{label}: {before} → {after} ({:+})", delta(before, after));
    if let Some((limit, what)) = limit {
        let _ = write!(line, " of {limit} {what}");
        if over > 0 {
            let _ = write!(line, ", {over} over");
        }
    }
    line
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::license::people::{read_people, ColumnNames};

    fn person(row: usize, email: &str, role: &str, active: bool) -> Person {
        Person {
            row,
            email: email.into(),
            role: role.into(),
            active,
        }
    }

    fn judge(role: &str) -> RoleJudgement {
        match role_key(role).as_str() {
            "team member" => RoleJudgement::Integrated,
            "jira connector users" => RoleJudgement::Full {
                declared_integrated: true,
                reasons: vec!["Team > Track > Sprint Health".into()],
            },
            "pmo" | "super admin" => RoleJudgement::Full {
                declared_integrated: false,
                reasons: vec![],
            },
            _ => RoleJudgement::Unknown,
        }
    }

    fn settings(seats: Option<u64>) -> LicenseSettings {
        LicenseSettings {
            full_seats: seats,
            service_accounts: vec!["SVC-Jira-Connector@Example.com ".into()],
            ..LicenseSettings::default()
        }
    }

    fn fixture_report(seats: Option<u64>) -> LicenseReport {
        let bytes = include_bytes!("../../tests/fixtures/license/people.csv");
        match read_people(bytes, &ColumnNames::default()) {
            Ok(export) => count_export(&export, &judge, &settings(seats)),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn counts_fixture() {
        let r = fixture_report(Some(3));
        assert_eq!((r.full_used, r.integrated_used), (4, 3));
        assert_eq!(
            (r.full_over, r.integrated_allowed, r.integrated_over),
            (1, Some(12), 0)
        );
        assert!(r.over_seats());

        let excluded: Vec<(&str, &ExcludeReason)> = r
            .excluded
            .iter()
            .map(|e| (e.email.as_str(), &e.reason))
            .collect();
        let atlassian = ExcludeReason::Domain {
            domain: "atlassian.com".into(),
        };
        assert_eq!(
            excluded,
            vec![
                ("eve.evans@example.com", &ExcludeReason::Deactivated),
                ("fay.fox@atlassian.com", &atlassian),
                ("gus@support.atlassian.com", &atlassian),
                ("jon.jones@example.com", &ExcludeReason::Deactivated),
                (
                    "svc-jira-connector@example.com",
                    &ExcludeReason::ServiceAccount
                ),
            ]
        );
        assert_eq!(
            r.duplicates,
            vec![Duplicate {
                email: "ann.archer@example.com".into(),
                rows: vec![2, 12],
                counted_row: Some(2),
            }]
        );
        let roles: Vec<(&str, LicenseClass, u64, bool, bool)> = r
            .roles
            .iter()
            .map(|x| (x.role.as_str(), x.class, x.count, x.over_maximum, x.unknown))
            .collect();
        assert_eq!(
            roles,
            vec![
                ("Jira Connector Users", LicenseClass::Full, 2, true, false),
                ("Legacy Reporter", LicenseClass::Full, 1, false, true),
                ("PMO", LicenseClass::Full, 1, false, false),
                ("Team Member", LicenseClass::Integrated, 3, false, false),
            ]
        );
        let users: Vec<&str> = r.users.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(
            users,
            vec![
                "ann.archer@example.com",
                "bob.baker@example.com",
                "cara.cole@example.com",
                "dan.dunn@example.com",
                "HAL.HART@example.com",
                "ivy.ives@example.com",
                "kim.king@example.com",
            ]
        );
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn role_names_group_loosely_and_judge_is_called_once_per_role() {
        let calls = std::cell::RefCell::new(Vec::new());
        let judge = |role: &str| {
            calls.borrow_mut().push(role.to_string());
            RoleJudgement::Integrated
        };
        let people = [
            person(2, "a@x.com", "Team  member", true),
            person(3, "b@x.com", "TEAM MEMBER", true),
            person(4, "c@x.com", "Team\tMember", true),
        ];
        let r = count(&people, &judge, &LicenseSettings::default());
        assert_eq!(calls.into_inner(), vec!["Team  member".to_string()]);
        assert_eq!(r.roles.len(), 1);
        assert_eq!(
            (r.roles[0].role.as_str(), r.roles[0].count),
            ("Team  member", 3)
        );
        assert_eq!(r.users[1].role, "TEAM MEMBER");
    }

    #[test]
    fn domain_and_subdomain_and_service_account_exclusion() {
        let people = [
            person(2, "a@Atlassian.COM", "R", true),
            person(3, "b@eu.support.atlassian.com", "R", true),
            person(4, "c@notatlassian.com", "R", true),
            person(5, "d@atlassian.com.evil.org", "R", true),
            person(6, "e@partner.io", "R", true),
            person(7, " Bot@Example.com ", "R", true),
            person(8, "f@x.com", "R", true),
        ];
        let settings = LicenseSettings {
            exclude_domains: vec!["atlassian.com".into(), "@Partner.io".into(), "  ".into()],
            service_accounts: vec!["bot@example.com".into()],
            ..LicenseSettings::default()
        };
        let r = count(&people, &|_| RoleJudgement::Integrated, &settings);
        let excluded: Vec<(usize, String)> = r
            .excluded
            .iter()
            .map(|e| (e.row, e.reason.to_string()))
            .collect();
        assert_eq!(
            excluded,
            vec![
                (2, "domain atlassian.com".to_string()),
                (3, "domain atlassian.com".to_string()),
                (7, "service account".to_string()),
                (6, "domain partner.io".to_string()),
            ]
        );
        let counted: Vec<usize> = r.users.iter().map(|u| u.row).collect();
        assert_eq!(counted, vec![4, 5, 8]);
        assert_eq!(r.integrated_used, 3);
    }

    #[test]
    fn duplicates_first_surviving_row_wins() {
        let people = [
            person(2, "a@x.com", "PMO", false),
            person(3, "A@X.com", "Team Member", true),
            person(4, "a@x.com ", "PMO", true),
            person(5, "z@x.com", "PMO", false),
            person(6, "z@x.com", "PMO", false),
        ];
        let r = count(&people, &judge, &LicenseSettings::default());
        assert_eq!((r.full_used, r.integrated_used), (0, 1));
        assert_eq!(r.users[0].row, 3);
        assert_eq!(
            r.duplicates,
            vec![
                Duplicate {
                    email: "a@x.com".into(),
                    rows: vec![2, 3, 4],
                    counted_row: Some(3)
                },
                Duplicate {
                    email: "z@x.com".into(),
                    rows: vec![5, 6],
                    counted_row: None
                },
            ]
        );
    }

    #[test]
    fn overage_and_no_seats() {
        let people: Vec<Person> = (0..10)
            .map(|i| {
                let role = if i < 3 { "PMO" } else { "Team Member" };
                person(i + 2, &format!("u{i}@x.com"), role, true)
            })
            .collect();
        let r = count(&people, &judge, &LicenseSettings::default());
        assert_eq!((r.full_used, r.integrated_used), (3, 7));
        assert_eq!(
            (r.full_over, r.integrated_allowed, r.integrated_over),
            (0, None, 0)
        );
        assert!(!r.over_seats());

        let s = LicenseSettings {
            full_seats: Some(1),
            ..LicenseSettings::default()
        };
        let r = count(&people, &judge, &s);
        assert_eq!(
            (r.full_over, r.integrated_allowed, r.integrated_over),
            (2, Some(4), 3)
        );
        assert!(r.over_seats());

        let s = LicenseSettings {
            full_seats: Some(3),
            integrated_per_full: 2,
            ..LicenseSettings::default()
        };
        let r = count(&people, &judge, &s);
        assert_eq!(
            (r.full_over, r.integrated_allowed, r.integrated_over),
            (0, Some(6), 1)
        );
        assert!(r.over_seats());

        let s = LicenseSettings {
            full_seats: Some(u64::MAX),
            ..LicenseSettings::default()
        };
        let r = count(&people, &judge, &s);
        assert_eq!(r.integrated_allowed, Some(u64::MAX));
    }

    #[test]
    fn human_rendering() {
        let text = render_human(&fixture_report(Some(3)));
        let expected = "\
Full used 4 / 3 seats (1 over)
Integrated used 3 / 12

Users by role (7 counted)
  Role                  Class       Users  Note
  Jira Connector Users  Full            2  treated as integrated but over the maximum: Team > Track > Sprint Health
  Legacy Reporter       Full            1  no role document in the repository; counted as Full
  PMO                   Full            1
  Team Member           Integrated      3

Users in roles with no document in the repository, counted as Full (1)
  Legacy Reporter  1  ivy.ives@example.com

Excluded from both counts (5)
  deactivated           2  eve.evans@example.com, jon.jones@example.com
  domain atlassian.com  2  fay.fox@atlassian.com, gus@support.atlassian.com
  service account       1  svc-jira-connector@example.com

Duplicate emails, counted once (1)
  ann.archer@example.com  rows 2, 12  counted row 2

Problems in the people export (1)
  row 15 has 3 fields, the header has 7; skipped it because it has no `Email`, `System Role` or `Active User` field
";
        assert_eq!(text, expected);

        let text = render_human(&fixture_report(None));
        assert!(text.starts_with(
            "Full used 4 (seats unknown: set `full-seats` under `[license]`)\n\
             Integrated used 3 (allowance unknown without `full-seats`)\n"
        ));
    }

    #[test]
    fn human_rendering_limits_emails_and_handles_empty() {
        let people: Vec<Person> = (0..8)
            .map(|i| person(i + 2, &format!("u{i}@x.com"), "R", false))
            .collect();
        let r = count(&people, &judge, &LicenseSettings::default());
        let text = render_human(&r);
        assert!(text.contains("No users counted\n"), "{text}");
        assert!(
            text.contains(
                "deactivated  8  u0@x.com, u1@x.com, u2@x.com, u3@x.com, u4@x.com and 3 more"
            ),
            "{text}"
        );
    }

    #[test]
    fn csv_rendering() {
        let people = [
            person(2, "b@x.com", "Team, Member", true),
            person(3, "a@x.com", "PMO \"old\"", true),
        ];
        let r = count(
            &people,
            &|_| RoleJudgement::Unknown,
            &LicenseSettings::default(),
        );
        assert_eq!(
            render_csv(&r),
            "email,role,class\na@x.com,\"PMO \"\"old\"\"\",Full\nb@x.com,\"Team, Member\",Full\n"
        );
        let parsed = read_people(
            render_csv(&r).as_bytes(),
            &ColumnNames {
                active: vec![],
                role: vec!["role".into()],
                ..ColumnNames::default()
            },
        );
        assert_eq!(parsed.map(|e| e.people.len()), Ok(2));
    }

    #[test]
    fn json_shape() {
        let r = fixture_report(Some(3));
        let value = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(value["full_over"], 1);
        assert_eq!(value["roles"][0]["class"], "full");
        assert_eq!(value["excluded"][1]["reason"]["kind"], "domain");
        assert_eq!(value["excluded"][1]["reason"]["domain"], "atlassian.com");
        assert_eq!(value["excluded"][4]["reason"]["kind"], "service-account");
        assert!(value["roles"][2].get("note").is_none());
    }

    fn connector_fixed(role: &str) -> RoleJudgement {
        match judge(role) {
            RoleJudgement::Full {
                declared_integrated: true,
                ..
            } => RoleJudgement::Integrated,
            other => other,
        }
    }

    #[test]
    fn diff_moves() {
        let bytes = include_bytes!("../../tests/fixtures/license/people.csv");
        let Ok(export) = read_people(bytes, &ColumnNames::default()) else {
            panic!("fixture unreadable")
        };
        let before = count_export(&export, &connector_fixed, &settings(Some(3)));
        let after = count_export(&export, &judge, &settings(Some(3)));
        assert!(!before.over_seats());
        let d = diff(&before, &after);
        assert_eq!(
            d.moves,
            vec![
                Move {
                    email: "cara.cole@example.com".into(),
                    role: "Jira Connector Users".into(),
                    from: LicenseClass::Integrated,
                    to: LicenseClass::Full,
                },
                Move {
                    email: "kim.king@example.com".into(),
                    role: "Jira Connector Users".into(),
                    from: LicenseClass::Integrated,
                    to: LicenseClass::Full,
                },
            ]
        );
        assert_eq!((d.full_delta, d.integrated_delta), (2, -2));
        assert_eq!(
            render_diff_human(&d),
            "\
2 users move from Integrated to Full: +1 Full seat needed (4 / 3)
- cara.cole@example.com (Jira Connector Users)
- kim.king@example.com (Jira Connector Users)

Full: 2 → 4 (+2) of 3 seats, 1 over
Integrated: 5 → 3 (-2) of 12 allowed
"
        );

        let back = diff(&after, &before);
        assert_eq!(back.moves.len(), 2);
        assert!(render_diff_human(&back).starts_with(
            "2 users move from Full to Integrated: 1 Full seat fewer needed (2 / 3)\n"
        ));

        let same = diff(&after, &after);
        assert_eq!(
            render_diff_human(&same),
            "No user changes license class: full used 4 / 3 seats (1 over); integrated used 3 / 12\n"
        );
    }

    #[test]
    fn diff_both_directions_and_unknown_seats() {
        let people = [
            person(2, "a@x.com", "A", true),
            person(3, "b@x.com", "B", true),
            person(4, "c@x.com", "B", true),
        ];
        let full = || RoleJudgement::Full {
            declared_integrated: false,
            reasons: vec![],
        };
        let before = count(
            &people,
            &|r| {
                if r == "A" {
                    RoleJudgement::Integrated
                } else {
                    full()
                }
            },
            &LicenseSettings::default(),
        );
        let after = count(
            &people,
            &|r| {
                if r == "A" {
                    full()
                } else {
                    RoleJudgement::Integrated
                }
            },
            &LicenseSettings::default(),
        );
        let text = render_diff_human(&diff(&before, &after));
        assert_eq!(
            text,
            "\
1 user moves from Integrated to Full
- a@x.com (A)

2 users move from Full to Integrated
- b@x.com (B)
- c@x.com (B)

Net: Full used 2 → 1

Full: 2 → 1 (-1)
Integrated: 1 → 2 (+1)
"
        );
    }
}
