//! The book's structure and every internal link of the README and the book, checked without
//! building the book (installing mdBook in CI would cost minutes; see the README's
//! "Development" section): every page of docs/src is listed in SUMMARY.md, every SUMMARY entry
//! exists, every relative link leads to a file that exists (a book page's links stay inside the
//! book), and every `#anchor` names a heading of its target page.
mod docs;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

const BOOK: &str = "docs/src";
const SUMMARY: &str = "docs/src/SUMMARY.md";

/// A link of a page: its destination and the line it is on.
struct Link {
    dest: String,
    line: usize,
}

fn links(root: &Path, file: &Path) -> Vec<Link> {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    Parser::new_ext(&text, Options::ENABLE_TABLES)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some(Link {
                dest: dest_url.to_string(),
                line: docs::line_of(&text, range.start),
            }),
            _ => None,
        })
        .collect()
}

/// The anchor ids of a page's headings, as GitHub and mdBook make them: lower case, letters,
/// digits, `-` and `_` kept, spaces turned into `-`, everything else dropped; a repeated id
/// gets `-1`, `-2`, ...
fn anchors(root: &Path, file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let mut ids = BTreeSet::new();
    let mut seen = BTreeMap::<String, usize>::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                let id = slug(&title);
                let n = seen.entry(id.clone()).or_default();
                ids.insert(if *n == 0 {
                    id.clone()
                } else {
                    format!("{id}-{n}")
                });
                *n += 1;
            }
            _ => {}
        }
    }
    ids
}

fn slug(title: &str) -> String {
    title
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `dir/rel` with `.` and `..` resolved lexically; `None` when it climbs above the root.
fn resolve(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in dir.join(rel).components() {
        match part {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

fn is_external(dest: &str) -> bool {
    dest.contains("://") || dest.starts_with("mailto:")
}

/// Every problem with the internal links of `file` (relative to `root`).
fn link_problems(root: &Path, file: &Path) -> Vec<String> {
    let in_book = file.starts_with(BOOK);
    let dir = file.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();
    for link in links(root, file) {
        if is_external(&link.dest) || link.dest.is_empty() {
            continue;
        }
        let at = format!("{}:{}: `{}`", file.display(), link.line, link.dest);
        let (path, anchor) = match link.dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (link.dest.as_str(), None),
        };
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            match resolve(dir, path) {
                Some(t) => t,
                None => {
                    problems.push(format!("{at} leads out of the repository"));
                    continue;
                }
            }
        };
        if !root.join(&target).exists() {
            problems.push(format!("{at}: no such file `{}`", target.display()));
            continue;
        }
        if in_book && !target.starts_with(BOOK) {
            problems.push(format!(
                "{at} leads out of the book (`{}`): the built book would not have it; link to the repository's URL instead",
                target.display()
            ));
        }
        if let Some(anchor) = anchor {
            if target.extension().is_some_and(|e| e == "md")
                && !anchors(root, &target).contains(anchor)
            {
                problems.push(format!(
                    "{at}: `{}` has no heading with the anchor `#{anchor}`",
                    target.display()
                ));
            }
        }
    }
    problems
}

#[test]
fn internal_links_and_anchors_resolve() {
    let files = docs::markdown_files();
    let root = docs::root();
    let problems: Vec<String> = files.iter().flat_map(|f| link_problems(root, f)).collect();
    let checked: usize = files.iter().map(|f| links(root, f).len()).sum();
    eprintln!("{checked} links in {} files", files.len());
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_book_page_is_in_the_summary_and_the_readme_leads_to_the_book() {
    assert!(
        docs::root().join(SUMMARY).is_file(),
        "{SUMMARY} is missing: the book lists its pages there"
    );
    let listed: BTreeSet<PathBuf> = links(docs::root(), Path::new(SUMMARY))
        .into_iter()
        .filter(|l| !l.dest.is_empty() && !is_external(&l.dest))
        .filter_map(|l| resolve(Path::new(BOOK), l.dest.split('#').next().unwrap_or("")))
        .collect();
    let unlisted: Vec<String> = docs::markdown_files()
        .into_iter()
        .filter(|f| f.starts_with(BOOK) && f.as_path() != Path::new(SUMMARY))
        .filter(|f| !listed.contains(f))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        unlisted.is_empty(),
        "pages of the book that SUMMARY.md does not list (mdBook would leave them out):\n{}",
        unlisted.join("\n")
    );
    let readme_to_book = links(docs::root(), Path::new("README.md"))
        .iter()
        .any(|l| !is_external(&l.dest) && l.dest.starts_with(BOOK));
    assert!(
        readme_to_book,
        "README.md links to no page of the book ({BOOK})"
    );
}

/// The checker itself: a broken file link, a broken anchor and a link out of the book are
/// reported; anchors follow GitHub's and mdBook's rule.
#[test]
fn the_checker_reports_broken_links() {
    assert_eq!(
        slug("Effective access: `rolelint access`"),
        "effective-access-rolelint-access"
    );
    assert_eq!(slug("1. Export the people"), "1-export-the-people");
    assert_eq!(
        resolve(Path::new("docs/src/reference"), "../intro.md"),
        Some(PathBuf::from("docs/src/intro.md"))
    );
    assert_eq!(resolve(Path::new(""), "../x.md"), None);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs/src")).expect("mkdir");
    std::fs::write(
        root.join("README.md"),
        "# Top\n\n## A `b` c\n\n[ok](#a-b-c) [gone](#nope) [page](docs/src/p.md#intro) [missing](docs/src/q.md) [web](https://example.com/x.md)\n",
    )
    .expect("write");
    std::fs::write(
        root.join("docs/src/p.md"),
        "# Intro\n\n[out](../../README.md) [bad](#x)\n",
    )
    .expect("write");
    let readme = link_problems(root, Path::new("README.md"));
    assert_eq!(readme.len(), 2, "{readme:?}");
    assert!(readme[0].contains("#nope"), "{readme:?}");
    assert!(
        readme[1].contains("no such file `docs/src/q.md`"),
        "{readme:?}"
    );
    let page = link_problems(root, Path::new("docs/src/p.md"));
    assert_eq!(page.len(), 2, "{page:?}");
    assert!(page[0].contains("leads out of the book"), "{page:?}");
    assert!(
        page[1].contains("no heading with the anchor `#x`"),
        "{page:?}"
    );
}
