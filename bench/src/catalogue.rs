//! The Jira Align toggle catalogue the generator draws from, in render order (grouped by
//! section and group so one table header covers each run).

/// What the integrated-user maximum (KB table) allows for a toggle.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Max {
    /// On the maximum with no sub-toggles.
    Bare,
    /// On the maximum with all its sub-toggles.
    All,
    /// Not on the maximum: any setting makes the role Full.
    Beyond,
}

pub struct Toggle {
    pub section: &'static str,
    pub group: &'static str,
    pub name: &'static str,
    pub max: Max,
}

const fn t(section: &'static str, group: &'static str, name: &'static str, max: Max) -> Toggle {
    Toggle {
        section,
        group,
        name,
        max,
    }
}

pub const TOGGLES: &[Toggle] = &[
    t("Enterprise", "Strategy", "Ideation", Max::Beyond),
    t("Portfolio", "Manage", "Epics", Max::Beyond),
    t("Portfolio", "Manage", "Themes", Max::Beyond),
    t("Program", "Manage", "Features", Max::Bare),
    t("Program", "Manage", "Program Board", Max::Bare),
    t("Program", "Manage", "Roadmaps", Max::Beyond),
    t("Program", "Manage", "Objectives", Max::Beyond),
    t("Program", "Manage", "Dependencies", Max::Beyond),
    t("Program", "Manage", "Risks", Max::Beyond),
    t("Products", "Product", "Features", Max::Bare),
    t("Team", "Team", "Team Room", Max::Bare),
    t("Team", "Team", "Backlog", Max::Bare),
    t("Team", "Manage", "Stories", Max::All),
    t("Team", "Manage", "Defects", Max::All),
    t("Team", "Manage", "Team Objectives", Max::Bare),
    t("Team", "Manage", "Tasks", Max::All),
    t("Team", "Manage", "Assign Tasks", Max::All),
    t("Team", "Manage", "Impediments", Max::All),
    t("Team", "Manage", "Sprints", Max::Bare),
    t("Team", "Manage", "Teams", Max::Bare),
    t("Team", "Track", "Burndowns", Max::Bare),
    t("Team", "Track", "Sprint Metrics (M1)", Max::Bare),
    t("Team", "Track", "Sprint Coaching", Max::Bare),
    t("Team", "Track", "Sprint Health", Max::Beyond),
    t("Team", "Track", "Sprint Status", Max::Beyond),
    t(
        "Additional Options",
        "Permissions",
        "Add Agile Objects",
        Max::Bare,
    ),
    t(
        "Additional Options",
        "Permissions",
        "Allow access to cancel item",
        Max::Bare,
    ),
    t(
        "Additional Options",
        "Permissions",
        "Allow access to read recycle bin",
        Max::Bare,
    ),
    t(
        "Additional Options",
        "Permissions",
        "Allow access to restore/delete from recycle bin",
        Max::Bare,
    ),
    t(
        "Additional Options",
        "Permissions",
        "Delete Agile Objects",
        Max::Bare,
    ),
    t(
        "Additional Options",
        "Permissions",
        "Manage Agile Objects(Admin)",
        Max::Bare,
    ),
];

pub const RANK_EXTERNAL: &str = "Rank Items in External Tools";

pub fn index_of(section: &str, group: &str, name: &str) -> usize {
    TOGGLES
        .iter()
        .position(|t| t.section == section && t.group == group && t.name == name)
        .expect("toggle is in the catalogue")
}

/// Jira permission keys the schemes draw from, in the order they are written.
pub const PERMISSIONS: &[&str] = &[
    "BROWSE_PROJECTS",
    "CREATE_ISSUES",
    "EDIT_ISSUES",
    "SCHEDULE_ISSUES",
    "MANAGE_SPRINTS_PERMISSION",
    "ADMINISTER_PROJECTS",
    "ASSIGN_ISSUES",
    "ASSIGNABLE_USER",
    "CLOSE_ISSUES",
    "RESOLVE_ISSUES",
    "TRANSITION_ISSUES",
    "ADD_COMMENTS",
    "EDIT_OWN_COMMENTS",
    "DELETE_OWN_COMMENTS",
    "CREATE_ATTACHMENTS",
    "DELETE_OWN_ATTACHMENTS",
    "LINK_ISSUES",
    "WORK_ON_ISSUES",
    "EDIT_OWN_WORKLOGS",
    "VIEW_DEV_TOOLS",
    "VIEW_READONLY_WORKFLOW",
    "MANAGE_WATCHERS",
    "VIEW_VOTERS_AND_WATCHERS",
    "MOVE_ISSUES",
    "DELETE_ISSUES",
];

/// Capabilities boards expect; the ones that need no sprint come last (see `SPRINTLESS`).
pub const CAPABILITIES: &[&str] = &[
    "start-sprint",
    "complete-sprint",
    "create-sprint",
    "add-issue-to-sprint",
    "rank-issue",
    "create-version",
    "create-epic",
];
pub const SPRINTLESS: usize = 4;
