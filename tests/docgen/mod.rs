//! The generator of the book's reference pages: one page per rule, the rules index and the
//! configuration reference, written from what the real binary says (`rolelint rules --json`,
//! `rolelint check`, `rolelint check --show-config`) so that nothing a rule says is written
//! twice by hand and the pages depend on no internals. It lives with the tests rather than as
//! a hidden subcommand so that the shipped binary carries no documentation tooling.
#![allow(dead_code)] // each test file uses some of these

pub mod configuration;
pub mod rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the generated pages go, relative to the repository root.
pub const REFERENCE: &str = "docs/src/reference";
pub const SUMMARY: &str = "docs/src/SUMMARY.md";
pub const BOOK_TOML: &str = "docs/book.toml";
pub const SUMMARY_START: &str = "<!-- generated: rules -->";
pub const SUMMARY_END: &str = "<!-- end generated: rules -->";

/// How to bring the pages up to date; printed when they differ.
pub const REGENERATE: &str = "ROLELINT_UPDATE_DOCS=1 cargo test --test reference_docs";

/// The date every generator run uses, so expiry dates in fixtures judge the same way.
pub const TODAY: &str = "2026-12-01";

/// The first line of every generated page after its title.
pub fn banner(from: &str) -> String {
    format!(
        "<!-- Generated from {from} by tests/reference_docs.rs: do not edit; run `{REGENERATE}`. -->\n"
    )
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real binary, with the generator's fixed date and no colour.
pub fn rolelint(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolelint"));
    cmd.current_dir(dir)
        .env("ROLELINT_TODAY", TODAY)
        .env("NO_COLOR", "1");
    cmd
}

/// Run `rolelint args` in `dir`: exit code and stdout.
pub fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = rolelint(dir).args(args).output().expect("run rolelint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Every generated file (relative path → content), SUMMARY.md included with its block
/// rewritten (and book.toml when the book does not exist yet).
pub fn generate() -> BTreeMap<PathBuf, String> {
    let mut pages = BTreeMap::new();
    let rules = rules::load();
    for rule in &rules {
        pages.insert(
            Path::new(REFERENCE)
                .join("rules")
                .join(format!("{}.md", rule.code)),
            rules::page(rule),
        );
    }
    pages.insert(Path::new(REFERENCE).join("rules.md"), rules::index(&rules));
    pages.insert(
        Path::new(REFERENCE).join("configuration.md"),
        configuration::page(),
    );
    let summary = std::fs::read_to_string(root().join(SUMMARY)).ok();
    if summary.is_none() && !root().join(BOOK_TOML).exists() {
        pages.insert(PathBuf::from(BOOK_TOML), MINIMAL_BOOK.to_string());
    }
    pages.insert(
        PathBuf::from(SUMMARY),
        summary_with_block(summary.as_deref(), &rules),
    );
    pages
}

const MINIMAL_BOOK: &str = "[book]\ntitle = \"rolelint\"\nlanguage = \"en\"\nsrc = \"src\"\n";

/// SUMMARY.md with the block between the markers rewritten (created when there is none),
/// indented as the start marker is.
pub fn summary_with_block(summary: Option<&str>, rules: &[rules::Rule]) -> String {
    let summary = summary
        .unwrap_or("# Summary\n\n<!-- generated: rules -->\n<!-- end generated: rules -->\n");
    let (Some(start), Some(end)) = (summary.find(SUMMARY_START), summary.find(SUMMARY_END)) else {
        panic!(
            "{SUMMARY} has no `{SUMMARY_START}` … `{SUMMARY_END}` block for the generated pages"
        );
    };
    let line_start = summary[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &summary[line_start..start];
    let mut block = format!("{SUMMARY_START}\n");
    block.push_str(&format!("{indent}- [Rules](reference/rules.md)\n"));
    for r in rules {
        block.push_str(&format!(
            "{indent}  - [{} {}](reference/rules/{}.md)\n",
            r.code, r.name, r.code
        ));
    }
    block.push_str(&format!(
        "{indent}- [Configuration reference](reference/configuration.md)\n{indent}"
    ));
    format!("{}{block}{}", &summary[..start], &summary[end..])
}

/// `text` with its first letter upper-case.
pub fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A fenced block whose fence is longer than any run of backticks inside it.
pub fn fenced(lang: &str, body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(3.max(longest + 1));
    let body = body.trim_end_matches('\n');
    format!("{fence}{lang}\n{body}\n{fence}\n")
}
