//! What a role change does to license use (`rolelint license --against REV`): the roles
//! whose class changes, who moves, and the seats it costs. Rendered as the comment a pull
//! request that touches a role needs.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::count::{
    diff, render_diff_human, role_key, LicenseClass, LicenseDiff, LicenseReport, RoleCount,
};

/// A role (as named in the People export) whose users change class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleChange {
    pub role: String,
    pub from: LicenseClass,
    pub to: LicenseClass,
    /// Users counted in the role (working tree).
    pub users: u64,
    /// Why the new class, when it needs saying (e.g. the toggles over the maximum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The comparison of the working tree with another revision.
#[derive(Clone, Debug, Serialize)]
pub struct Impact {
    /// The revision as given.
    pub against: String,
    /// The commit it resolved to.
    pub commit: String,
    pub role_changes: Vec<RoleChange>,
    #[serde(flatten)]
    pub diff: LicenseDiff,
}

impl Impact {
    pub fn new(against: &str, commit: &str, before: &LicenseReport, after: &LicenseReport) -> Self {
        Impact {
            against: against.to_string(),
            commit: commit.to_string(),
            role_changes: role_changes(before, after),
            diff: diff(before, after),
        }
    }
}

fn role_changes(before: &LicenseReport, after: &LicenseReport) -> Vec<RoleChange> {
    let earlier: BTreeMap<String, &RoleCount> = before
        .roles
        .iter()
        .map(|r| (role_key(&r.role), r))
        .collect();
    after
        .roles
        .iter()
        .filter_map(|r| {
            let b = earlier.get(&role_key(&r.role))?;
            (b.class != r.class).then(|| RoleChange {
                role: r.role.clone(),
                from: b.class,
                to: r.class,
                users: r.count,
                note: r.note.clone(),
            })
        })
        .collect()
}

/// The pull-request comment.
pub fn render_impact_human(impact: &Impact) -> String {
    let short: String = impact.commit.chars().take(12).collect();
    let mut out = format!(
        "License impact of the role documents against `{}` ({short})\n\n",
        impact.against
    );
    if !impact.role_changes.is_empty() {
        out.push_str("Roles that change license class\n");
        for c in &impact.role_changes {
            let users = if c.users == 1 { "user" } else { "users" };
            let _ = write!(
                out,
                "- `{}`: {} → {} ({} {users})",
                c.role, c.from, c.to, c.users
            );
            if let Some(note) = &c.note {
                let _ = write!(out, ": {note}");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&render_diff_human(&impact.diff));
    out
}

/// One row per move: `email,role,from,to`.
pub fn render_impact_csv(impact: &Impact) -> String {
    let mut buf = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut buf);
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(["email", "role", "from", "to"]);
        for m in &impact.diff.moves {
            let (from, to) = (m.from.to_string(), m.to.to_string());
            let _ = writer.write_record([m.email.as_str(), m.role.as_str(), &from, &to]);
        }
        let _ = writer.flush();
    }
    String::from_utf8_lossy(&buf).into_owned()
}
