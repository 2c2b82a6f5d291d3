//! The reference pages of the book (one per rule, the rules index, the configuration
//! reference and the generated block of SUMMARY.md) are what the generator in tests/docgen/
//! writes now. When they differ, the test fails and says how to regenerate them, as ruff does
//! for its rule docs: `ROLELINT_UPDATE_DOCS=1 cargo test --test reference_docs`.
mod docgen;

use std::path::{Path, PathBuf};

#[test]
fn reference_pages_are_up_to_date() {
    let pages = docgen::generate();
    let root = docgen::root();
    let rules_dir = Path::new(docgen::REFERENCE).join("rules");
    // Pages of rules that no longer exist.
    let stale: Vec<PathBuf> = std::fs::read_dir(root.join(&rules_dir))
        .into_iter()
        .flatten()
        .map(|e| rules_dir.join(e.expect("entry").file_name()))
        .filter(|p| !pages.contains_key(p))
        .collect();
    if std::env::var_os("ROLELINT_UPDATE_DOCS").is_some() {
        for (path, text) in &pages {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write page");
        }
        for path in &stale {
            std::fs::remove_file(root.join(path)).expect("remove stale page");
        }
        return;
    }
    let mut differ: Vec<String> = pages
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    differ.extend(
        stale
            .iter()
            .map(|p| format!("{} (no such rule)", p.display())),
    );
    assert!(
        differ.is_empty(),
        "the generated reference pages are out of date:\n  {}\nregenerate them with `{}` and commit the result",
        differ.join("\n  "),
        docgen::REGENERATE
    );
}

/// The SUMMARY block keeps what the book's authors wrote around it, and its indentation.
#[test]
fn summary_block_is_replaced_in_place() {
    let rules = Vec::new();
    let summary = "# Summary\n\n- [Intro](intro.md)\n- [Reference]()\n  <!-- generated: rules -->\n  - [old](x.md)\n  <!-- end generated: rules -->\n- [Contributing](contributing.md)\n";
    assert_eq!(
        docgen::summary_with_block(Some(summary), &rules),
        "# Summary\n\n- [Intro](intro.md)\n- [Reference]()\n  <!-- generated: rules -->\n  - [Rules](reference/rules.md)\n  - [Configuration reference](reference/configuration.md)\n  <!-- end generated: rules -->\n- [Contributing](contributing.md)\n"
    );
}
