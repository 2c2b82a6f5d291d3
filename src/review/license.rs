//! The License section: Jira Align roles whose license class changes, judged by the same
//! ceiling rules as `check` and `license` ([`crate::license::judge`]); with a People export,
//! the users who move and the seats needed ([`crate::license::impact`], as
//! `license --against` reports them).
use crate::license::count::role_key;
use crate::license::judge::RoleJudge;
use crate::license::{
    count_export, diff, LicenseDiff, LicenseSettings, PeopleExport, RoleJudgement,
};
use crate::pipeline::Run;
use serde::Serialize;
use std::collections::BTreeMap;

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
        let mut names: BTreeMap<String, (String, String)> = BTreeMap::new();
        for r in before.roles().into_iter().chain(after.roles()) {
            names
                .entry(role_key(&r.name))
                .or_insert_with(|| (r.name.clone(), r.file.clone()));
        }
        let class = |j: &RoleJudge, name: &str| j.get(name).map(|r| Class::of(&r.judgement));
        let roles = names
            .into_values()
            .filter_map(|(name, file)| {
                let from = class(&before, &name).unwrap_or(Class::None);
                let to = class(&after, &name).unwrap_or(Class::None);
                let reasons = match after.get(&name).map(|r| &r.judgement) {
                    Some(
                        RoleJudgement::Full { reasons, .. } | RoleJudgement::Unreliable { reasons },
                    ) => reasons.clone(),
                    _ => Vec::new(),
                };
                let file = after.get(&name).map_or(file, |r| r.file.clone());
                (from != to).then_some(RoleMove {
                    role: name,
                    file,
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
