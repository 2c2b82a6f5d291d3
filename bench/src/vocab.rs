//! Word lists. Realistic names make the diagnostics a linter prints over the corpus look like
//! the real thing, which matters when the bench output is read by humans.

pub const AREAS: &[&str] = &[
    "Payments", "Checkout", "Billing", "Identity", "Search", "Catalog", "Mobile", "Web",
    "Platform", "Data", "Analytics", "Infra", "Security", "Growth", "Onboarding", "Support",
    "Logistics", "Pricing", "Ledger", "Notifications", "Messaging", "Partner", "Reporting",
    "Compliance", "Core Banking", "Claims", "Underwriting", "Fulfilment", "Inventory",
    "Loyalty", "Marketing", "Content", "Media", "Devices", "Firmware", "Telemetry",
    "Gateway", "Integrations", "Warehouse", "Risk",
];
pub const NOUNS: &[&str] = &[
    "Platform", "Services", "Portal", "API", "Engine", "Core", "Apps", "Tooling",
    "Pipeline", "Backend", "Frontend", "Connect", "Hub", "Console", "Insights",
    "Automation", "Runtime", "Cloud", "Edge", "Store", "Studio", "Suite", "Sync", "Vault",
    "Workflow", "Exchange", "Accounts", "Agents", "Assist", "Bridge", "Cart", "Desk",
    "Direct", "Express", "Flow", "Gate", "Graph", "Lab", "Link", "Manager", "Network",
    "Ops", "Pay", "Pulse", "Radar", "Relay", "Scope", "Signal", "Stream", "Works",
];
pub const INTEGRATED_PERSONAS: &[&str] = &[
    "Team Member", "Developer", "Tester", "Scrum Master", "Contributor", "Engineer",
    "QA Analyst", "Designer",
];
pub const FULL_PERSONAS: &[&str] = &[
    "Release Train Engineer", "Portfolio Manager", "Program Manager", "Product Manager",
    "Enterprise Architect", "Agile Coach", "Solution Manager", "Executive",
];
pub const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "karl", "lena", "mallory", "nina", "oscar", "peggy", "quinn", "rupert", "sybil",
    "trent", "uma", "victor", "wendy", "xavier", "yara", "zoe", "amir", "bea", "chen",
    "dara", "elif", "femi", "goran", "hana", "ines", "jonas", "kofi", "lucia", "mateo",
    "noor",
];
pub const LAST: &[&str] = &[
    "smith", "jones", "kim", "garcia", "muller", "rossi", "nguyen", "okafor", "silva",
    "tanaka", "novak", "dubois", "jensen", "kowalski", "haddad", "patel", "cohen",
    "ivanova", "larsen", "moreau", "osei", "perez", "quist", "reyes", "schmidt", "torres",
    "ueda", "varga", "weber", "yilmaz",
];
pub const APPROVERS: &[&str] = &[
    "access-review board", "the RTE", "the portfolio office", "IT governance",
    "the Jira Align admins", "the licence owner",
];
pub const TOGGLE_REASONS: &[&str] = &[
    "needed for sprint planning in Align", "teams update this from the Team Room",
    "requested by the Scrum Masters", "kept in sync with the Jira connector mapping",
    "required for PI planning", "used in the weekly team sync",
    "approved in the last access review", "needed to keep the backlog groomed",
    "reporting for the program increment", "requested by the product owners",
];
pub const CHANGES: &[&str] = &[
    "enable", "disable", "re-enable", "review", "tighten", "restore",
];
pub const DESCRIPTION_LINES: &[&str] = &[
    "Reviewed every quarter as part of the licence audit.",
    "Changes go through a pull request reviewed by the Jira Align admins.",
    "Keep toggles minimal: every extra toggle may change the licence class.",
    "Mirrors the permissions of the matching Jira project role.",
    "Contact the owning team before widening this role.",
    "Used by teams that plan in Jira and roll up to Align.",
    "Do not enable overall toggles here; enable individual toggles instead.",
    "Sprint data is synced from Jira by the connector.",
];
