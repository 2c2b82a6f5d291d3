//! The License section: Jira Align roles whose license class changes, judged by the same
//! ceiling rules as `check` and `license` ([`crate::license::judge`]); with a People export,
//! the users who move and the seats needed ([`crate::license::impact`], as
//! `license --against` reports them).
use crate::license::judge::RoleJudge;
use crate::license::{
    count_export, diff, LicenseDiff, LicenseSettings, PeopleExport, RoleJudgement,
};
use crate::pipeline::Run;
use serde::Serialize;

/// A configured People export and how to count it.
pub struct People {
    pub export: PeopleExport,
    pub settings: LicenseSettings,
    /// The export's name as written in rolelint.toml.
    pub shown: String,
}

/// A role's class on one side; `none` when that side has no document for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    None,
    External,
    Integrated,
    Full,
}

impl Class {
    fn of(j: &RoleJudgement) -> Self {
        match j {
            RoleJudgement::External => Class::External,
            RoleJudgement::Integrated => Class::Integrated,
            RoleJudgement::Full { .. }
            | RoleJudgement::Unknown
            | RoleJudgement::Unreliable { .. } => Class::Full,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Class::None => "no document",
            Class::External => "External",
            Class::Integrated => "Integrated",
            Class::Full => "Full",
        }
    }
}

/// A role document whose class differs between the sides.
#[derive(Clone, Debug, Serialize)]
pub struct RoleMove {
    pub role: String,
    pub file: String,
    pub from: Class,
    pub to: Class,
    /// Toggles beyond the maximum that make the head's class Full.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl RoleMove {
    /// Does the role now cost more (Full over Integrated over External)? A role that only
    /// appears or disappears costs nothing until someone holds it, which `users` shows.
    pub fn costs_more(&self) -> bool {
        self.from != Class::None && self.to != Class::None && self.to > self.from
    }
}

#[derive(Debug, Default, Serialize)]
pub struct LicenseChange {
    /// Sorted by role name.
    pub roles: Vec<RoleMove>,
    /// With a People export: who moves and the seats needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<LicenseDiff>,
}

impl LicenseChange {
    pub fn between(base: &Run, head: &Run, people: Option<&People>) -> Self {
        // Ten thousand roles judged per side: both sides at once.
        let (before, after) =
            rayon::join(|| RoleJudge::from_run(base), || RoleJudge::from_run(head));
        // Roles are matched by key, each side's map looked up once per key: no role's name
        // is normalised again (ten thousand a side).
        let mut keys: Vec<&str> = before
            .by_key()
            .chain(after.by_key())
            .map(|(k, _)| k)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let roles = keys
            .into_iter()
            .filter_map(|key| {
                let (was, now) = (before.get_key(key), after.get_key(key));
                let from = was.map_or(Class::None, |r| Class::of(&r.judgement));
                let to = now.map_or(Class::None, |r| Class::of(&r.judgement));
                if from == to {
                    return None;
                }
                let reasons = match now.map(|r| &r.judgement) {
                    Some(
                        RoleJudgement::Full { reasons, .. } | RoleJudgement::Unreliable { reasons },
                    ) => reasons.clone(),
                    _ => Vec::new(),
                };
                // The base's spelling of the name, the head's file (either, when one side
                // has no document).
                let (named, file) = (was.or(now)?, now.or(was)?);
                Some(RoleMove {
                    role: named.name.clone(),
                    file: file.file.clone(),
                    from,
                    to,
                    reasons,
                })
            })
            .collect();
        let users = people.map(|p| {
            let b = count_export(&p.export, &|r| before.judge(r), &p.settings);
            let a = count_export(&p.export, &|r| after.judge(r), &p.settings);
            diff(&b, &a)
        });
        LicenseChange { roles, users }
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.users.as_ref().is_none_or(|d| d.moves.is_empty())
    }

    /// More Full or Integrated licenses needed, or a role that now costs more.
    pub fn increases(&self) -> bool {
        let users = self
            .users
            .as_ref()
            .is_some_and(|d| d.full_delta > 0 || d.integrated_delta > 0);
        users || self.roles.iter().any(RoleMove::costs_more)
    }
}
