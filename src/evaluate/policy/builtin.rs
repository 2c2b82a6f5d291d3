//! The built-in policies and catalogues, embedded so `rolelint check` works with no setup.

/// `(display path, text)` of every built-in policy file.
pub const POLICIES: &[(&str, &str)] = &[
    (
        "<builtin>/policies/integrated-user-maximum.toml",
        include_str!("../../../policies/integrated-user-maximum.toml"),
    ),
    (
        "<builtin>/policies/scheme-hygiene.toml",
        include_str!("../../../policies/scheme-hygiene.toml"),
    ),
    (
        "<builtin>/policies/board-capabilities.toml",
        include_str!("../../../policies/board-capabilities.toml"),
    ),
];

/// The default wording of each rule type's findings (labels, notes and the sentences some
/// placeholders stand for); a rule entry's `[rule.text]` overrides it.
pub const RULE_TEXT: (&str, &str) = (
    "<builtin>/policies/rule-types.toml",
    include_str!("../../../policies/rule-types.toml"),
);

/// The built-in files role checks depend on: a run with no Jira documents, codes in its
/// configuration or policies of its own parses only these (the single-file pre-commit case).
pub const ROLE_FILES: &[&str] = &[
    "<builtin>/policies/integrated-user-maximum.toml",
    "<builtin>/policies/catalog/align-toggles.toml",
];
