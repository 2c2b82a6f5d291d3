//! The book (docs/, mdBook) is whole: every hand-written page is in SUMMARY.md, and the
//! README links every page SUMMARY.md lists (the generated rule pages through their index).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The targets of the Markdown links `[text](target)` in `text`, without `#fragment`.
fn link_targets(text: &str) -> BTreeSet<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')'))
        .map(|(target, _)| target.split('#').next().unwrap_or("").to_string())
        .filter(|t| !t.is_empty() && !t.contains("://"))
        .collect()
}

/// Every `.md` file under `dir`, relative to `base`, `/`-separated.
fn pages(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("read docs/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            pages(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let rel = path.strip_prefix(base).expect("under docs/src");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn summary() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("docs/src/SUMMARY.md")).expect("SUMMARY.md");
    link_targets(&text)
}

#[test]
fn every_hand_written_page_is_in_the_summary() {
    let src = root().join("docs/src");
    let mut all = BTreeSet::new();
    pages(&src, &src, &mut all);
    let listed = summary();
    let missing: Vec<&String> = all
        .iter()
        .filter(|p| *p != "SUMMARY.md" && !p.starts_with("reference/"))
        .filter(|p| !listed.contains(*p))
        .collect();
    assert!(missing.is_empty(), "pages not in SUMMARY.md: {missing:?}");
    for page in listed.iter().filter(|p| !p.starts_with("reference/")) {
        assert!(
            src.join(page).is_file(),
            "SUMMARY.md lists {page}, which does not exist"
        );
    }
}

#[test]
fn the_readme_links_every_page_of_the_summary() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let linked = link_targets(&readme);
    let missing: Vec<String> = summary()
        .into_iter()
        .filter(|p| !p.starts_with("reference/rules/"))
        .filter(|p| !linked.contains(&format!("docs/src/{p}")))
        .collect();
    assert!(
        missing.is_empty(),
        "book pages the README does not link: {missing:?}"
    );
}
