//! Built-in document checks: problems with the documents themselves rather than
//! with what they grant. Policy rules live in `policies/*.toml`; these are fixed,
//! but documented the same way so `rolelint explain` covers both.
use crate::diagnostics::source::FileId;
use crate::diagnostics::{Diagnostic, Severity};
use std::ops::Range;

/// One built-in check and all of its user-facing text.
#[derive(Debug)]
pub struct Check {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub help: &'static str,
    pub suppressible: bool,
    pub example_fail: &'static str,
    pub example_pass: &'static str,
}

impl Check {
    /// A finding of this check at `span` of `file`.
    pub fn at(&self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.name, self.severity, message, file, span)
            .with_help(self.help)
    }
}

macro_rules! checks {
    ($($id:ident = { $($field:ident : $value:expr),* $(,)? };)*) => {
        $(pub static $id: Check = Check { $($field: $value),* };)*
        /// Every built-in check, in code order.
        pub static ALL: &[&Check] = &[$(&$id),*];
    };
}

checks! {
    TOML_SYNTAX = {
        code: "RL001", name: "toml-syntax", severity: Severity::Error,
        summary: "the file is not valid TOML",
        help: "fix the TOML syntax at the marked position",
        suppressible: false,
        example_fail: "kind = \"align-role\"\nname = \"Broken\n",
        example_pass: "kind = \"align-role\"\nname = \"Fixed\"\n",
    };
    UNKNOWN_KEY = {
        code: "RL002", name: "unknown-key", severity: Severity::Error,
        summary: "a key the document kind does not define; unknown keys are never ignored",
        help: "remove the key or correct its spelling",
        suppressible: false,
        example_fail: "kind = \"align-role\"\nname = \"Typo\"\nlicence = \"integrated\"\n",
        example_pass: "kind = \"align-role\"\nname = \"Typo\"\nlicense = \"integrated\"\n",
    };
    UNKNOWN_KIND = {
        code: "RL003", name: "unknown-kind", severity: Severity::Error,
        summary: "the `kind` of the document is not one rolelint knows",
        help: "use one of the document kinds listed in the note",
        suppressible: false,
        example_fail: "kind = \"align-rol\"\nname = \"Typo\"\n",
        example_pass: "kind = \"align-role\"\nname = \"Typo\"\n",
    };
    MISSING_KIND = {
        code: "RL004", name: "missing-kind", severity: Severity::Error,
        summary: "a `.toml` file under the checked paths has no `kind`; rolelint fails closed so a role that lost its `kind` cannot escape the policies",
        help: "add `kind = \"...\"` at the top, or exclude the file in `rolelint.toml` under `[paths] exclude`",
        suppressible: false,
        example_fail: "name = \"Lost its kind\"\n",
        example_pass: "kind = \"align-role\"\nname = \"Has its kind\"\n",
    };
    INVALID_VALUE = {
        code: "RL005", name: "invalid-value", severity: Severity::Error,
        summary: "a value has the wrong type or is not one of the allowed values",
        help: "use a value of the expected type",
        suppressible: false,
        example_fail: "kind = \"align-role\"\nname = \"Bad\"\n[toggles.Team.Manage]\nStories = \"some\"\n",
        example_pass: "kind = \"align-role\"\nname = \"Bad\"\n[toggles.Team.Manage]\nStories = \"all\"\n",
    };
    NOT_UTF8 = {
        code: "RL006", name: "not-utf8", severity: Severity::Error,
        summary: "the file is not valid UTF-8, so it cannot be a TOML document",
        help: "save the file as UTF-8",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    DUPLICATE_NAME = {
        code: "RL007", name: "duplicate-name", severity: Severity::Error,
        summary: "two documents of the same kind share a name (or key), so references to it are ambiguous",
        help: "rename one of them, or delete the copy",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    NOT_READ = {
        code: "RL008", name: "not-read", severity: Severity::Error,
        summary: "a file where a document would be was not read: a symbolic link leading outside the repository or nowhere, a FIFO, device or other file that is not a regular file, or a file over the size limit; it is reported so it cannot escape the check",
        help: "replace it with a regular file inside the repository, or exclude it in `rolelint.toml` under `[paths] exclude`",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    UNKNOWN_TOGGLE = {
        code: "RL010", name: "unknown-toggle", severity: Severity::Warning,
        summary: "a toggle, group or section name that is not in the toggle catalogue (in a role treated as integrated this is part of the ceiling finding instead)",
        help: "correct the name, or add it to the catalogue with a `kind = \"align-catalogue\"` file",
        suppressible: true,
        example_fail: "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n[toggles.Portfolio.Manage]\nEpicks = []\n",
        example_pass: "kind = \"align-role\"\nname = \"Planner\"\nlicense = \"full\"\n[toggles.Portfolio.Manage]\nEpics = []\n",
    };
    INVALID_POLICY = {
        code: "RL011", name: "invalid-policy", severity: Severity::Error,
        summary: "a policy or catalogue file is inconsistent: a missing parameter, a parameter the rule type does not take, a duplicate code or name, a path outside the catalogue",
        help: "correct the policy file; `rolelint explain` shows the built-in rules as examples",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    UNKNOWN_PERMISSION = {
        code: "RL020", name: "unknown-permission", severity: Severity::Error,
        summary: "a permission key that is not in the permission catalogue, or a global key used in a scheme (or the reverse); Jira rejects unknown keys and migration tools drop them",
        help: "use the key as the Jira REST API spells it (see `policies/catalog/jira-permissions.toml`)",
        suppressible: false,
        example_fail: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECT = [\"role:Users\"]\n",
        example_pass: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECTS = [\"role:Users\"]\n",
    };
    PERMISSION_NOT_ON_PLATFORM = {
        code: "RL021", name: "permission-not-on-platform", severity: Severity::Error,
        summary: "a permission key that exists only on the other Jira platform (`[jira] platform` in rolelint.toml: cloud or data-center), e.g. Data Center's `START_STOP_SPRINTS_PERMISSION` on Cloud",
        help: "remove the grant, or set `[jira] platform` to the platform this instance runs on",
        suppressible: false,
        example_fail: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nSTART_STOP_SPRINTS_PERMISSION = [\"role:Developers\"]\n",
        example_pass: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nMANAGE_SPRINTS_PERMISSION = [\"role:Developers\"]\n",
    };
    INVALID_HOLDER = {
        code: "RL022", name: "invalid-holder", severity: Severity::Error,
        summary: "a holder string that is malformed, or of a type the list does not accept (global permissions take `group:` or `anyone`; role and group members and board admins `group:` or `user:`; `who` takes `group:`, `role:` or `user:`)",
        help: "write the holder as `group:NAME`, `role:NAME`, `user:ACCOUNT`, `anyone`, ...",
        suppressible: false,
        example_fail: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECTS = [\"gruop:devs\"]\n",
        example_pass: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECTS = [\"group:devs\"]\n",
    };
    DUPLICATE_HOLDER = {
        code: "RL023", name: "duplicate-holder", severity: Severity::Error,
        summary: "the same holder is listed twice in one grant or membership list; Jira rejects the second grant",
        help: "remove the duplicate",
        suppressible: false,
        example_fail: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECTS = [\"role:Users\", \"role:Users\"]\n",
        example_pass: "kind = \"jira-permission-scheme\"\nname = \"S\"\n[grants]\nBROWSE_PROJECTS = [\"role:Users\"]\n",
    };
    UNRESOLVED_REFERENCE = {
        code: "RL024", name: "unresolved-reference", severity: Severity::Error,
        summary: "a reference that names nothing in the repository: a project's `permission-scheme`, a board's project (key, name or id), a capability id in `expect`, a group in a scheme's `[group-ids]`",
        help: "correct the name, or add the missing document",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    INVALID_BOARD_FILTER = {
        code: "RL025", name: "invalid-board-filter", severity: Severity::Error,
        summary: "a board `filter` that Jira itself would refuse (a reserved word or character unquoted, a grammar error), so the board's projects cannot be derived; rolelint parses Atlassian's whole JQL grammar",
        help: "correct the JQL at the marked position",
        suppressible: false,
        example_fail: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project in (PLAT, \"\n",
        example_pass: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project in (PLAT) ORDER BY Rank\"\n",
    };
    BOARD_FILTER_MISMATCH = {
        code: "RL026", name: "board-filter-mismatch", severity: Severity::Error,
        summary: "a board's `projects` list disagrees with the projects its `filter` guarantees, or the filter matches no project at all",
        help: "make `projects` list exactly the projects of the filter",
        suppressible: true,
        example_fail: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project = A AND project = B\"\n",
        example_pass: "",
    };
    COMPLEX_BOARD_FILTER = {
        code: "RL027", name: "complex-board-filter", severity: Severity::Warning,
        summary: "a board filter with an OR at the top, no project clause, or project clauses that take their projects from a function: Jira cannot tell the board's projects and demands Manage Sprints in every project of the instance (rolelint then checks sprint capabilities against every project in the repository)",
        help: "restrict the filter with `project in (...) AND (...)` so its projects are explicit",
        suppressible: true,
        example_fail: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project = PLAT OR labels = ops\"\n",
        example_pass: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project = PLAT AND (labels = ops OR labels = dev)\"\n",
    };
    PROJECT_NAME_IS_ANOTHER_KEY = {
        code: "RL028", name: "project-name-is-another-key", severity: Severity::Warning,
        summary: "a board filter names a project with a value that is one project's key and another project's name: a known cause of blocked sprint management (Atlassian KB); rolelint reads it as the key",
        help: "rename the project whose name is another project's key",
        suppressible: true,
        example_fail: "",
        example_pass: "",
    };
    UNKNOWN_SUBJECT = {
        code: "RL029", name: "unknown-subject", severity: Severity::Warning,
        summary: "a board `[[expect]] who` (a group, project role or user) that no grant, role membership, group document or board admin names: most likely a misspelling, and an expectation about it says nothing (it trivially cannot)",
        help: "correct the name, or add the document that defines it",
        suppressible: true,
        example_fail: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project = PLAT\"\nadmins = [\"group:stakeholders\"]\n\n[[expect]]\nwho = \"group:stakeholdrs\"\ncannot = [\"rank-issue\"]\n",
        example_pass: "kind = \"jira-board\"\nname = \"B\"\nfilter = \"project = PLAT\"\nadmins = [\"group:stakeholders\"]\n\n[[expect]]\nwho = \"group:stakeholders\"\ncannot = [\"rank-issue\"]\n",
    };
    SUPPRESSION_WITHOUT_REASON = {
        code: "RL090", name: "suppression-without-reason", severity: Severity::Error,
        summary: "a suppression (inline `# rolelint: allow(...)` or `[[exception]]`) gives no `reason`; it still applies, but every exception to a policy must say why",
        help: "add `reason=\"...\"` saying why the finding is acceptable",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    EXPIRED_SUPPRESSION = {
        code: "RL091", name: "expired-suppression", severity: Severity::Warning,
        summary: "a suppression is past its `expires` date (UTC); it no longer suppresses anything, so the finding it hid is reported again",
        help: "fix the finding and remove the suppression, or agree a new `expires` date",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    UNUSED_SUPPRESSION = {
        code: "RL092", name: "unused-suppression", severity: Severity::Warning,
        summary: "a suppression matches no finding: the problem was fixed or the code or path is wrong, and a stale suppression would silently hide a future finding",
        help: "remove the suppression, or correct its code or path",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    MALFORMED_SUPPRESSION = {
        code: "RL093", name: "malformed-suppression", severity: Severity::Error,
        summary: "a `# rolelint:` comment cannot be read, or names a rule that does not exist; it suppresses nothing",
        help: "write `# rolelint: allow(CODE, ...) reason=\"...\" expires=\"YYYY-MM-DD\"`",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
    UNSUPPRESSIBLE_RULE = {
        code: "RL094", name: "unsuppressible-rule", severity: Severity::Error,
        summary: "a suppression targets a rule marked `suppressible = false`; the finding stays active",
        help: "fix the finding; this rule cannot be suppressed or excepted",
        suppressible: false,
        example_fail: "",
        example_pass: "",
    };
}

/// Look a check up by code or name, ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Check> {
    ALL.iter().copied().find(|c| {
        c.code.eq_ignore_ascii_case(code_or_name) || c.name.eq_ignore_ascii_case(code_or_name)
    })
}
