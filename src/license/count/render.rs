//! The license reports: plain text, CSV, and the pull-request comment of a diff.
use std::fmt::Write as _;

use super::diff::delta;
use super::*;

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
