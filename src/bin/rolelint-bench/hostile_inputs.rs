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
}

impl Case {
    pub const ALL: [Case; 5] = [
        Case::DistinctHolders,
        Case::FilterValues,
        Case::SameNamedSchemes,
        Case::DuplicateHolders,
        Case::PolicyRules,
    ];

    /// The name `rolelint-bench stress --case` takes.
    pub fn name(self) -> &'static str {
        match self {
            Case::DistinctHolders => "distinct-holders",
            Case::FilterValues => "filter-values",
            Case::SameNamedSchemes => "same-named-schemes",
            Case::DuplicateHolders => "duplicate-holders",
            Case::PolicyRules => "policy-rules",
        }
    }

    /// The size issue 13 names for the case.
    pub fn issue_size(self) -> usize {
        match self {
            Case::DistinctHolders => 1_000_000,
            Case::FilterValues => 150_000,
            Case::SameNamedSchemes => 40_000,
            Case::DuplicateHolders => 200_000,
            Case::PolicyRules => 3_000,
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
                write(dir, "repo/scheme.toml", &scheme(holders))?;
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
                write(dir, "repo/scheme.toml", &scheme(holders))?;
                let mut a = args(&["check", "--fix", "--format", "concise"]);
                a.push(path("repo"));
                Ok(a)
            }
            Case::PolicyRules => prepare_policy(dir, n, 0),
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

/// A permission scheme granting Browse Projects to `holders`, in one list.
fn scheme(holders: impl Iterator<Item = String>) -> String {
    let mut out =
        String::from("kind = \"jira-permission-scheme\"\nname = \"Wide\"\n\n[grants]\nBROWSE_PROJECTS = [");
    for (i, h) in holders.enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}\"{h}\"");
    }
    out.push_str("]\n");
    out
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
