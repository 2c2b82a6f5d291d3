//! Discover: which files are documents. Walks the given paths (or the repository
//! root), applies `[paths] include/exclude`, and returns a sorted, de-duplicated list.
//!
//! The repository boundary applies (see [`crate::fsio`]): a symbolic link leading outside
//! the root or nowhere, and a `*.toml` that is not a regular file, are candidates that are
//! never read (each becomes a diagnostic at its path). A path named on the command line
//! must exist, be a regular file or a directory, and not be excluded.
pub mod matcher;
use crate::config::{Config, FILE_NAME};
use crate::discover::matcher::Matcher;
use crate::error::Fatal;
use crate::fsio::boundary::{Root, Walked};
use crate::fsio::read::{self, ReadError, Refusal};
use glob::MatchOptions;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use walkdir::WalkDir;

/// Directories never walked into: build output, dependencies, VCS metadata.
const SKIP_DIRS: &[&str] = &["target", "node_modules"];

/// A file to load, with the path shown to users (relative to the root, `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub display: String,
    /// Where to read it: the walked path, or the target of a symbolic link inside the root.
    pub path: PathBuf,
    /// Why it must not be read (it is reported instead), if so.
    pub refused: Option<Refusal>,
}

impl Candidate {
    /// A regular file, found by walking or named on the command line.
    pub fn file(display: String, path: PathBuf) -> Self {
        Self {
            display,
            path,
            refused: None,
        }
    }

    /// Read it within the boundary: never for a refused candidate, at most `limit` bytes.
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, ReadError> {
        match self.refused {
            Some(r) => Err(ReadError::Refused(r)),
            None => read::walked(&self.path, limit),
        }
    }
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
    let boundary = Root::new(root).map_err(|e| {
        Fatal::msg(format!(
            "cannot read the repository root `{}`: {}",
            shown(root),
            ReadError::from(e)
        ))
    })?;
    let root = boundary.canonical();
    let include = patterns(config.paths.include.iter().map(|s| s.get_ref().as_str()));
    let exclude = patterns(config.paths.exclude.iter().map(|s| s.get_ref().as_str()));
    let seen: Vec<AtomicBool> = include.iter().map(|_| AtomicBool::new(false)).collect();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let mut walked_root = false;
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| {
            let why = match ReadError::from(e) {
                ReadError::Missing if crate::fsio::boundary::is_link(input) => {
                    ReadError::Refused(Refusal::Dangling)
                }
                other => other,
            };
            Fatal::msg(format!("`{}` {why}", shown(input)))
        })?;
        if meta.is_file() {
            out.push(named_file(input, root, &exclude)?);
            continue;
        }
        if !meta.is_dir() {
            let kind = read::FileKind::of(meta.file_type());
            return Err(Fatal::msg(format!(
                "`{}` is {kind}: name a regular file or a directory",
                shown(input)
            )));
        }
        // Canonicalise once per input, not once per file: `realpath` costs a syscall per
        // component. Every display path below the input then starts with the same prefix.
        let canonical_input = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        walked_root |= canonical_input == root;
        let prefix = display_relative(&canonical_input, root);
        let filters = Filters {
            input,
            prefix: &prefix,
            include: &include,
            exclude: &exclude,
            seen: &seen,
        };
        match walk_split(&filters) {
            Some(found) => out.extend(found),
            None => {
                let within = boundary.for_input(input, &canonical_input);
                walk(&filters, &within, &mut out, &mut skipped)?
            }
        }
    }
    // Only for the configuration's own tree (`license --against` walks an older revision
    // with today's configuration, where a pattern may not match yet).
    let own_tree = || {
        config
            .root()
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .and_then(|d| std::fs::canonicalize(d).ok())
            .is_some_and(|d| d == root)
    };
    if walked_root && own_tree() {
        unmatched_include(config, &seen)?;
    }
    skipped.sort();
    out.sort_unstable(); // no two candidates are equal: unstable is deterministic here
    out.dedup_by(|a, b| a.display == b.display);
    if !config.chosen {
        refuse_nested_configuration(&out, root, config.origin.is_none())?;
    }
    Ok((out, skipped))
}

/// A file named on the command line: a document whatever the include globs say, unless
/// excluded or the configuration itself (both refused: never a silent skip).
fn named_file(input: &Path, root: &Path, exclude: &[Matcher]) -> Result<Candidate, Fatal> {
    // Shown as named (a symbolic link by its own name), read at its target.
    let display = display_named(input, root);
    if input.file_name().is_some_and(|n| n == FILE_NAME) {
        return Err(Fatal::msg(format!(
            "`{}` is the configuration file, not a document: name documents or directories",
            shown(input)
        )));
    }
    if matches_any(exclude, &display) {
        return Err(Fatal::msg(format!(
            "`{}` is excluded by `[paths] exclude` in rolelint.toml: remove it from the command line or from the exclude list",
            shown(input)
        )));
    }
    let path = if crate::fsio::boundary::is_link(input) {
        std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf())
    } else {
        input.to_path_buf()
    };
    Ok(Candidate::file(display, path))
}

/// A path as given on the command line, made inert for a one-sentence error.
fn shown(p: &Path) -> String {
    crate::inert::bounded(&crate::fsio::name::display(p), 200).into_owned()
}

/// Fail closed: an `include` pattern written in rolelint.toml that matched no file in the
/// whole repository would check nothing, silently.
fn unmatched_include(config: &Config, seen: &[AtomicBool]) -> Result<(), Fatal> {
    for (pattern, seen) in config.paths.include.iter().zip(seen) {
        let written = pattern.span() != (0..0); // the default has no span
        if written && !seen.load(Ordering::Relaxed) {
            return Err(Fatal::msg(format!(
                "`[paths] include` pattern `{}` in rolelint.toml matches no file: correct it or remove it",
                crate::inert::bounded(pattern.get_ref(), 200)
            )));
        }
    }
    Ok(())
}

/// A document below a directory with its own `rolelint.toml` belongs to that configuration
/// (the nearest one), not to this run's: refuse rather than check it under the wrong one.
/// One `stat` per directory holding documents. A run with no configuration at all was started
/// above the repository (`rolelint access` one directory too high): it is told how to reach
/// the repository, which works for every command, with or without paths.
fn refuse_nested_configuration(
    candidates: &[Candidate],
    root: &Path,
    unconfigured: bool,
) -> Result<(), Fatal> {
    let mut seen: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for c in candidates {
        // Display paths are relative to the root (`/`-separated) unless outside it.
        if Path::new(&c.display).is_absolute() {
            continue;
        }
        let mut dir = c.display.as_str();
        while let Some(cut) = dir.rfind('/') {
            dir = &dir[..cut];
            let has = *seen
                .entry(dir)
                .or_insert_with(|| root.join(dir).join(FILE_NAME).is_file());
            if has && unconfigured {
                return Err(Fatal::msg(format!(
                    "`{}` belongs to `{dir}/{FILE_NAME}`, and this run has no configuration of its own: run rolelint inside `{dir}`, or with `--config {dir}/{FILE_NAME}`",
                    c.display
                )));
            }
            if has {
                return Err(Fatal::msg(format!(
                    "`{}` belongs to `{dir}/{FILE_NAME}`, not to this run's configuration: check `{dir}` in a run of its own, or leave it out with `[paths] exclude = [\"{dir}/**\"]`",
                    c.display
                )));
            }
        }
    }
    Ok(())
}

/// `*.toml` (with a stem, as `Path::extension` requires) and not the configuration file.
fn is_document_name(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > ".toml".len() && name.ends_with(b".toml") && name != FILE_NAME.as_bytes()
}

/// What makes a walked file a candidate, for one input directory.
struct Filters<'a> {
    input: &'a Path,
    /// The input's display path: every candidate's display path starts with it.
    prefix: &'a str,
    include: &'a [Matcher],
    exclude: &'a [Matcher],
    /// Which include patterns matched a candidate so far.
    seen: &'a [AtomicBool],
}

impl Filters<'_> {
    /// A walked `*.toml` file, if the include and exclude globs let it through.
    fn candidate(&self, path: PathBuf) -> Option<Candidate> {
        self.wanted(&path)
            .map(|display| Candidate::file(display, path))
    }

    /// Its display path, if the include and exclude globs let `path` through.
    fn wanted(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(self.input).unwrap_or(path);
        let display = join_display(self.prefix, relative);
        if matches_any(self.exclude, &display) {
            return None;
        }
        let mut hit = false;
        for (pattern, seen) in self.include.iter().zip(self.seen) {
            // Every pattern is tried until it has matched once, to tell one that matches nothing.
            let known = seen.load(Ordering::Relaxed);
            if (hit && known) || !pattern.matches(&display) {
                continue;
            }
            hit = true;
            if !known {
                seen.store(true, Ordering::Relaxed);
            }
        }
        hit.then_some(display)
    }

    /// A walked entry that must not be read, if it would otherwise be a document.
    fn refused(&self, path: PathBuf, why: Refusal, dir: bool) -> Option<Candidate> {
        if dir {
            // A directory link leading outside: reported when its files would be documents.
            let probe = path.join("probe.toml");
            let display = self.wanted(&probe)?;
            let display = display.strip_suffix("/probe.toml")?.to_string();
            return Some(Candidate {
                display,
                path,
                refused: Some(why),
            });
        }
        if !path.file_name().is_some_and(is_document_name) {
            return None;
        }
        let display = self.wanted(&path)?;
        Some(Candidate {
            display,
            path,
            refused: Some(why),
        })
    }
}

/// Hidden directories and build output are never walked into (the input itself always is).
fn walked_into(e: &walkdir::DirEntry) -> bool {
    e.depth() == 0 || !e.file_type().is_dir() || !is_skipped_dir(e.file_name())
}

fn is_skipped_dir(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref())
}

/// One walker over the whole input, following symbolic links that stay inside the
/// boundary: loops are skipped with a warning, links leading outside or nowhere become
/// refused candidates, the first other error stops the run. Not sorted while walking: the
/// candidates are sorted once at the end.
fn walk(
    f: &Filters,
    boundary: &Root,
    out: &mut Vec<Candidate>,
    skipped: &mut Skipped,
) -> Result<(), Fatal> {
    let each = |w: Walked| match w {
        Walked::File { path, target } => {
            if path.file_name().is_some_and(is_document_name) {
                if let Some(display) = f.wanted(&path) {
                    out.push(Candidate::file(display, target.unwrap_or(path)));
                }
            }
        }
        Walked::Refused { path, why, dir } => out.extend(f.refused(path, why, dir)),
        Walked::Loop(at) => skipped.push(format!(
            "skipped symlink loop at `{}`",
            crate::inert::escape(&crate::fsio::name::display(&at))
        )),
    };
    boundary
        .walk(f.input, usize::MAX, walked_into, each)
        .map_err(|(at, e)| Fatal::msg(format!("`{}` {}", shown(&at), ReadError::from(e))))
}

/// [`walk`] split over the input's top-level entries, walked in parallel (a large repository
/// has a few big directories: roles, schemes, boards). `None` when the tree needs the single
/// walker: a symbolic link (loop detection spans the whole path from the input) or an error
/// (which one is reported must not depend on thread timing).
fn walk_split(f: &Filters) -> Option<Vec<Candidate>> {
    if std::fs::symlink_metadata(f.input)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let children = std::fs::read_dir(f.input).ok()?;
    let children: Vec<std::fs::DirEntry> = children.collect::<Result<_, _>>().ok()?;
    if children.len() < 2 {
        return None;
    }
    crate::threads::ensure_pool();
    let found: Option<Vec<Vec<Candidate>>> = children
        .par_iter()
        .map(|child| {
            let (kind, name) = (child.file_type().ok()?, child.file_name());
            let mut out = Vec::new();
            if kind.is_symlink() {
                return None;
            } else if kind.is_file() {
                if is_document_name(&name) {
                    out.extend(f.candidate(child.path()));
                }
            } else if kind.is_dir() {
                if is_skipped_dir(&name) {
                    return Some(out);
                }
                for entry in WalkDir::new(child.path())
                    .into_iter()
                    .filter_entry(walked_into)
                {
                    let entry = entry.ok()?;
                    if entry.path_is_symlink() {
                        return None;
                    }
                    let ty = entry.file_type();
                    if ty.is_file() && is_document_name(entry.file_name()) {
                        out.extend(f.candidate(entry.into_path()));
                    } else if !ty.is_file() && !ty.is_dir() {
                        let why = Refusal::NotRegular(read::FileKind::of(ty));
                        out.extend(f.refused(entry.into_path(), why, false));
                    }
                }
            } else {
                let why = Refusal::NotRegular(read::FileKind::of(kind));
                out.extend(f.refused(child.path(), why, false));
            }
            Some(out)
        })
        .collect();
    Some(found?.into_iter().flatten().collect())
}

/// [`discover`] for files that are not on disk (a git revision): paths relative to the
/// root, `/`-separated. The same rules pick documents (`*.toml` outside hidden and build
/// directories, `[paths] include/exclude`), plus the files `[policies] extra` names.
pub struct Select {
    include: Vec<Matcher>,
    exclude: Vec<Matcher>,
    extra: Vec<Matcher>,
}

impl Select {
    pub fn new(config: &Config) -> Self {
        let globs = |g: &[toml::Spanned<String>]| patterns(g.iter().map(|s| s.get_ref().as_str()));
        Self {
            include: globs(&config.paths.include),
            exclude: globs(&config.paths.exclude),
            extra: globs(&config.policies.extra),
        }
    }

    /// Is the file at `path` checked?
    pub fn wants(&self, path: &str) -> bool {
        let (dirs, name) = path.rsplit_once('/').unwrap_or(("", path));
        let walked = dirs.is_empty() || !dirs.split('/').any(|d| is_skipped_dir(d.as_ref()));
        let document = walked
            && is_document_name(name.as_ref())
            && !matches_any(&self.exclude, path)
            && matches_any(&self.include, path);
        document || matches_any(&self.extra, path)
    }
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

/// The path relative to `root` when it lies below it, with `/` separators.
pub fn display_path(path: &Path, root: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    display_relative(&abs(path), &abs(root))
}

/// Like [`display_path`], but a symbolic link is shown by its own name, not its target's.
pub fn display_named(path: &Path, root: &Path) -> String {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            display_relative(&abs(dir).join(name), &abs(root))
        }
        _ => display_path(path, root),
    }
}

/// `prefix/relative` with `/` separators (`prefix` may be empty: the input is the root).
fn join_display(prefix: &str, relative: &Path) -> String {
    let rel = crate::fsio::name::display(relative);
    let mut s = String::with_capacity(prefix.len() + 1 + rel.len());
    s.push_str(prefix);
    if !prefix.is_empty() && !prefix.ends_with('/') && !rel.is_empty() {
        s.push('/');
    }
    s.push_str(&rel);
    s
}

/// Like [`display_path`] for paths already made absolute.
fn display_relative(path: &Path, root: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let s = crate::fsio::name::display(shown);
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel walk finds exactly what the single walker finds (here: the examples and
    /// the test fixtures, which have files and directories at the top level).
    #[test]
    fn split_walk_equals_single_walk() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let all = patterns(["**/*.toml"].into_iter());
        for dir in ["examples", "tests/fixtures"] {
            let input = root.join(dir);
            let seen = [AtomicBool::new(false)];
            let f = Filters {
                input: &input,
                prefix: dir,
                include: &all,
                exclude: &[],
                seen: &seen,
            };
            let mut split = walk_split(&f).expect("no symbolic links in the repository");
            let (mut single, mut skipped) = (Vec::new(), Vec::new());
            let boundary = Root::new(root).expect("root");
            walk(&f, &boundary, &mut single, &mut skipped).expect("walkable");
            split.sort_unstable();
            single.sort_unstable();
            assert!(single.len() > 5 && skipped.is_empty(), "{dir}: {single:?}");
            assert_eq!(split, single, "{dir}");
        }
    }

    /// A symbolic link anywhere sends the walk back to the single walker, which detects
    /// loops over the whole path.
    #[test]
    fn split_walk_declines_symbolic_links() {
        let dir = tempfile::tempdir().expect("temporary directory");
        for sub in ["a", "b"] {
            std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
            std::fs::write(dir.path().join(sub).join("x.toml"), "").expect("write");
        }
        let seen = [AtomicBool::new(false)];
        let f = Filters {
            input: dir.path(),
            prefix: "",
            include: &patterns(["**/*.toml"].into_iter()),
            exclude: &[],
            seen: &seen,
        };
        assert_eq!(walk_split(&f).map(|c| c.len()), Some(2));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("..", dir.path().join("b").join("up")).expect("symlink");
            assert!(walk_split(&f).is_none());
        }
    }
}
