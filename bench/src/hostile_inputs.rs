//! The inputs on which rolelint once took quadratic time (issue 13), generated at any
//! size. Shared, as source, by `rolelint-bench stress` and `tests/hostile_scale.rs`, so
//! the benchmark and the test run exactly the same shapes. Plain `std` only: the test
//! includes this file with `#[path]`.
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// One input shape that used to be quadratic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `n` distinct holders in one grant list.
    DistinctHolders,
    /// `n` values in one `project in (...)` of a board filter.
    FilterValues,
    /// `n` schemes with one name in one `import jira-scheme` payload.
    SameNamedSchemes,
    /// `n` duplicate holders in one grant list (each of `n` holders listed twice), under
    /// `check --fix`.
    DuplicateHolders,
    /// `n` rules, each with an `example-fail` and an `example-pass`, under `policy test`.
    PolicyRules,
    /// `n` distinct holders on each side of a `require-pair` rule (Schedule Issues needs
    /// Edit Issues), none granted both.
    PairedGrants,
    /// A board over two projects whose schemes grant Manage Sprints to `n` distinct
    /// holders each (`uniform-on-board`).
    BoardHolders,
    /// `n` schemes and `n` projects naming schemes that do not exist (did-you-mean).
    UnknownSchemes,
    /// `n` distinct holders in one grant list under `fmt`.
    FormatHolders,
    /// `n` findings (Schedule Issues without Edit Issues), each suppressed by its own
    /// inline comment.
    SuppressedFindings,
    /// `n` misspellings of one toggle in one group and `n` of one section, under `check
    /// --fix` (each rename looked for its new name among all its siblings).
    MisspeltNames,
    /// `n` policy rules, each given a severity in `rolelint.toml` (each code was looked
    /// for among every rule).
    NamedRules,
}

impl Case {
    pub const ALL: [Case; 12] = [
        Case::DistinctHolders,
        Case::FilterValues,
        Case::SameNamedSchemes,
        Case::DuplicateHolders,
        Case::PolicyRules,
        Case::PairedGrants,
        Case::BoardHolders,
        Case::UnknownSchemes,
        Case::FormatHolders,
        Case::SuppressedFindings,
        Case::MisspeltNames,
        Case::NamedRules,
    ];

    /// The name `rolelint-bench stress --case` takes.
    pub fn name(self) -> &'static str {
        match self {
            Case::DistinctHolders => "distinct-holders",
            Case::FilterValues => "filter-values",
            Case::SameNamedSchemes => "same-named-schemes",
            Case::DuplicateHolders => "duplicate-holders",
            Case::PolicyRules => "policy-rules",
            Case::PairedGrants => "paired-grants",
            Case::BoardHolders => "board-holders",
            Case::UnknownSchemes => "unknown-schemes",
            Case::FormatHolders => "format-holders",
            Case::SuppressedFindings => "suppressed-findings",
            Case::MisspeltNames => "misspelt-names",
            Case::NamedRules => "named-rules",
        }
    }

    /// The size issue 13 names for the case (the later cases: sizes of the same order).
    pub fn issue_size(self) -> usize {
        match self {
            Case::DistinctHolders => 1_000_000,
            Case::FilterValues => 150_000,
            Case::SameNamedSchemes => 40_000,
            Case::DuplicateHolders => 200_000,
            Case::PolicyRules => 3_000,
            Case::PairedGrants => 200_000,
            Case::BoardHolders => 200_000,
            Case::UnknownSchemes => 20_000,
            Case::FormatHolders => 1_000_000,
            Case::SuppressedFindings => 200_000,
            Case::MisspeltNames => 20_000,
            Case::NamedRules => 20_000,
        }
    }

    /// Write the input of size `n` under `dir` (an empty, writable directory) and return
    /// the `rolelint` arguments that run it.
    pub fn prepare(self, dir: &Path, n: usize) -> io::Result<Vec<OsString>> {
        let path = |p: &str| dir.join(p).into_os_string();
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        match self {
            Case::DistinctHolders => {
                let holders = (0..n).map(|i| format!("group:g{i:07}"));
                write(
                    dir,
                    "repo/scheme.toml",
                    &scheme("Wide", "BROWSE_PROJECTS", holders),
                )?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::FilterValues => {
                let mut values = String::with_capacity(n * 9);
                for i in 0..n {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(values, "{sep}P{i}");
                }
                let board = format!(
                    "kind = \"jira-board\"\nname = \"Wide\"\ntype = \"scrum\"\nfilter = \"project in ({values})\"\n"
                );
                write(dir, "repo/board.toml", &board)?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::SameNamedSchemes => {
                let mut json = String::from("{\"permissionSchemes\": [");
                for i in 0..n {
                    let sep = if i == 0 { "" } else { "," };
                    let _ = write!(
                        json,
                        "{sep}\n{{\"id\": {i}, \"name\": \"Same\", \"permissions\": [{{\"id\": {i}, \"holder\": {{\"type\": \"anyone\"}}, \"permission\": \"BROWSE_PROJECTS\"}}]}}"
                    );
                }
                json.push_str("\n]}\n");
                write(dir, "payload.json", &json)?;
                fs::create_dir_all(dir.join("out"))?;
                let mut a = args(&["import", "jira-scheme"]);
                a.push(path("payload.json"));
                a.push("--out-dir".into());
                a.push(path("out"));
                Ok(a)
            }
            Case::DuplicateHolders => {
                let holders = (0..2 * n).map(|i| format!("group:g{:07}", i / 2));
                write(
                    dir,
                    "repo/scheme.toml",
                    &scheme("Wide", "BROWSE_PROJECTS", holders),
                )?;
                let mut a = args(&["check", "--fix", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::PolicyRules => prepare_policy(dir, n, 0),
            Case::PairedGrants => {
                let mut text = scheme(
                    "Paired",
                    "SCHEDULE_ISSUES",
                    (0..n).map(|i| format!("group:a{i:07}")),
                );
                text.push_str(&grant(
                    "EDIT_ISSUES",
                    (0..n).map(|i| format!("group:b{i:07}")),
                ));
                write(dir, "repo/scheme.toml", &text)?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::BoardHolders => {
                for (key, prefix) in [("ONE", "x"), ("TWO", "y")] {
                    let holders = (0..n).map(|i| format!("group:{prefix}{i:07}"));
                    let scheme_name = format!("Scheme {key}");
                    write(
                        dir,
                        &format!("repo/{key}-scheme.toml"),
                        &scheme(&scheme_name, "MANAGE_SPRINTS_PERMISSION", holders),
                    )?;
                    write(
                        dir,
                        &format!("repo/{key}.toml"),
                        &project(key, &scheme_name),
                    )?;
                }
                let board = "kind = \"jira-board\"\nname = \"Both\"\ntype = \"scrum\"\nprojects = [\"ONE\", \"TWO\"]\n";
                write(dir, "repo/board.toml", board)?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::UnknownSchemes => {
                for i in 0..n {
                    let name = format!("Scheme number {i}");
                    write(
                        dir,
                        &format!("repo/s{i}.toml"),
                        &scheme(&name, "BROWSE_PROJECTS", std::iter::empty()),
                    )?;
                    let key = format!("P{i}");
                    write(
                        dir,
                        &format!("repo/p{i}.toml"),
                        &project(&key, &format!("Schema number {i}")),
                    )?;
                }
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::SuppressedFindings => {
                let mut text = String::from(
                    "kind = \"jira-permission-scheme\"\nname = \"Excused\"\n\n[grants]\nSCHEDULE_ISSUES = [\n",
                );
                for i in 0..n {
                    let _ = writeln!(
                        text,
                        "  \"group:g{i:07}\", # rolelint: allow(AL205) reason=\"ranks elsewhere\""
                    );
                }
                text.push_str("]\n");
                write(dir, "repo/scheme.toml", &text)?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::MisspeltNames => {
                let mut text = String::from(
                    "kind = \"align-role\"\nname = \"Member\"\nlicense = \"full\"\n\n[toggles.Program.Track]\n",
                );
                for i in 0..n {
                    let _ = writeln!(text, "Roadmaps{i} = []");
                }
                for i in 0..n {
                    let _ = write!(text, "\n[toggles.Programm{i}.Manage]\nFeatures = []\n");
                }
                write(dir, "repo/role.toml", &text)?;
                let mut a = args(&["check", "--fix", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::NamedRules => {
                write(dir, "repo/policies/many.toml", &policy(n, 0))?;
                let mut config = String::from("[severity]\n");
                for i in 0..n {
                    let _ = writeln!(config, "MR{i} = \"warning\"");
                }
                write(dir, "repo/rolelint.toml", &config)?;
                let mut a = args(&["check", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::FormatHolders => {
                let holders = (0..n).rev().map(|i| format!("group:g{i:07}"));
                write(
                    dir,
                    "repo/scheme.toml",
                    &scheme("Wide", "BROWSE_PROJECTS", holders),
                )?;
                let mut a = args(&["fmt"]);
                a.push(path("repo"));
                Ok(a)
            }
        }
    }
}

/// [`Case::PolicyRules`] with `padding` bytes of comment lines in each rule: heavier rules
/// make the cost of reading the whole file once per example show at fewer rules.
pub fn prepare_policy(dir: &Path, n: usize, padding: usize) -> io::Result<Vec<OsString>> {
    write(dir, "repo/policies/many.toml", &policy(n, padding))?;
    Ok(vec![
        "policy".into(),
        "test".into(),
        dir.join("repo/policies").into_os_string(),
    ])
}

fn write(dir: &Path, name: &str, text: &str) -> io::Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// A permission scheme named `name` granting `permission` to `holders`, in one list.
fn scheme(name: &str, permission: &str, holders: impl Iterator<Item = String>) -> String {
    let mut out = format!("kind = \"jira-permission-scheme\"\nname = \"{name}\"\n\n[grants]\n");
    out.push_str(&grant(permission, holders));
    out
}

/// `PERMISSION = ["holder", ...]`.
fn grant(permission: &str, holders: impl Iterator<Item = String>) -> String {
    let mut out = format!("{permission} = [");
    for (i, h) in holders.enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}\"{h}\"");
    }
    out.push_str("]\n");
    out
}

/// A project `key` using the scheme `scheme`.
fn project(key: &str, scheme: &str) -> String {
    format!("kind = \"jira-project\"\nkey = \"{key}\"\nname = \"{key}\"\npermission-scheme = \"{scheme}\"\n")
}

/// A policy of `n` forbid-toggle rules, each with one failing and one passing example and
/// `padding` bytes of comments.
fn policy(n: usize, padding: usize) -> String {
    let comment = "# padding padding padding padding padding padding padding padding\n";
    let comments = comment.repeat(padding.div_ceil(comment.len()));
    let mut out = String::from("kind = \"policy\"\nname = \"many\"\n");
    for i in 0..n {
        out.push_str(&comments);
        let _ = write!(
            out,
            r#"
[[rule]]
code = "MR{i}"
name = "many-{i}"
type = "forbid-toggle"
severity = "error"
summary = "roadmaps stay off"
message = "role `{{role}}` enables `{{toggle}}`"
help = "turn it off"
source = {{ title = "stress" }}
toggles = ["Program > Track > Roadmaps"]
example-fail = '''
kind = "align-role"
name = "Member"
license = "integrated"

[toggles.Program.Track]
Roadmaps = []
'''
example-pass = '''
kind = "align-role"
name = "Member"
license = "integrated"
'''
"#
        );
    }
    out
}
