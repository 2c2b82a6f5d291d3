//! Discover: which files are documents. Walks the given paths (or the repository
//! root), applies `[paths] include/exclude`, and returns a sorted, de-duplicated list.
use crate::config::{Config, FILE_NAME};
use crate::error::Fatal;
use crate::matcher::Matcher;
use glob::MatchOptions;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directories never walked into: build output, dependencies, VCS metadata.
const SKIP_DIRS: &[&str] = &["target", "node_modules"];

/// A file to load, with the path shown to users (relative to the root, `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub display: String,
    pub path: PathBuf,
}

/// Warnings that do not stop the run (e.g. a symlink loop that was skipped).
pub type Skipped = Vec<String>;

pub const MATCH_OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// Find document candidates under `inputs`, relative to `root`.
pub fn discover(
    inputs: &[PathBuf],
    root: &Path,
    config: &Config,
) -> Result<(Vec<Candidate>, Skipped), Fatal> {
    let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let include = patterns(config.paths.include.iter().map(|s| s.get_ref().as_str()));
    let exclude = patterns(config.paths.exclude.iter().map(|s| s.get_ref().as_str()));
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| {
            Fatal::msg(format!(
                "cannot read `{}`: {}",
                input.display(),
                io_reason(&e)
            ))
        })?;
        if meta.is_file() {
            // Named explicitly: a document whatever the include globs say, unless excluded.
            let display = display_path(input, root);
            if !matches_any(&exclude, &display) && file_name(input) != FILE_NAME {
                out.push(Candidate {
                    display,
                    path: input.clone(),
                });
            }
            continue;
        }
        // Canonicalise once per input, not once per file: `realpath` costs a syscall per
        // component. Every display path below the input then starts with the same prefix.
        let canonical_input = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        let prefix = display_relative(&canonical_input, root);
        // Not sorted while walking: the candidates are sorted once at the end.
        let walker = WalkDir::new(input).follow_links(true).into_iter();
        let walker = walker.filter_entry(|e| {
            if e.depth() == 0 || !e.file_type().is_dir() {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            !(name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()))
        });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) if e.loop_ancestor().is_some() => {
                    let at = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    skipped.push(format!("skipped symlink loop at `{at}`"));
                    continue;
                }
                Err(e) => {
                    let at = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                    return Err(Fatal::msg(format!("cannot read `{at}`: {reason}")));
                }
            };
            if !entry.file_type().is_file() || !is_document_name(entry.file_name()) {
                continue;
            }
            let relative = entry.path().strip_prefix(input).unwrap_or(entry.path());
            let display = join_display(&prefix, relative);
            if matches_any(&exclude, &display) {
                continue;
            }
            if matches_any(&include, &display) {
                out.push(Candidate {
                    display,
                    path: entry.into_path(),
                });
            }
        }
    }
    skipped.sort();
    out.sort_unstable(); // no two candidates are equal: unstable is deterministic here
    out.dedup_by(|a, b| a.display == b.display);
    Ok((out, skipped))
}

/// `*.toml` (with a stem, as `Path::extension` requires) and not the configuration file.
fn is_document_name(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > ".toml".len() && name.ends_with(b".toml") && name != FILE_NAME.as_bytes()
}

fn patterns<'a>(globs: impl Iterator<Item = &'a str>) -> Vec<Matcher> {
    // Globs were validated with the configuration; an invalid one cannot get here.
    // Display paths never start with `./`, so `./dir/**` is written for `dir/**`.
    globs
        .filter_map(|g| Matcher::new(g.strip_prefix("./").unwrap_or(g), MATCH_OPTIONS).ok())
        .collect()
}

fn matches_any(patterns: &[Matcher], display: &str) -> bool {
    patterns.iter().any(|p| p.matches(display))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The path relative to `root` when it lies below it, with `/` separators.
pub fn display_path(path: &Path, root: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    display_relative(&abs(path), &abs(root))
}

/// `prefix/relative` with `/` separators (`prefix` may be empty: the input is the root).
fn join_display(prefix: &str, relative: &Path) -> String {
    let rel = relative.to_string_lossy();
    let mut s = String::with_capacity(prefix.len() + 1 + rel.len());
    s.push_str(prefix);
    if !prefix.is_empty() && !prefix.ends_with('/') && !rel.is_empty() {
        s.push('/');
    }
    if rel.contains('\\') {
        s.push_str(&rel.replace('\\', "/")); // as `display_relative` does
    } else {
        s.push_str(&rel);
    }
    s
}

/// Like [`display_path`] for paths already made absolute.
fn display_relative(path: &Path, root: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
