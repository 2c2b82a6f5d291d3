//! Discover: which files are documents. Walks the given paths (or the repository
//! root), applies `[paths] include/exclude`, and returns a sorted, de-duplicated list.
use crate::config::{Config, FILE_NAME};
use crate::error::Fatal;
use crate::matcher::Matcher;
use glob::MatchOptions;
use rayon::prelude::*;
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
        let filters = Filters {
            input,
            prefix: &prefix,
            include: &include,
            exclude: &exclude,
        };
        match walk_split(&filters) {
            Some(found) => out.extend(found),
            None => walk(&filters, &mut out, &mut skipped)?,
        }
    }
    skipped.sort();
    out.sort_unstable(); // no two candidates are equal: unstable is deterministic here
    out.dedup_by(|a, b| a.display == b.display);
    if !config.chosen {
        refuse_nested_configuration(&out, root)?;
    }
    Ok((out, skipped))
}

/// A document below a directory with its own `rolelint.toml` belongs to that configuration
/// (the nearest one), not to this run's: refuse rather than check it under the wrong one.
/// One `stat` per directory holding documents.
fn refuse_nested_configuration(candidates: &[Candidate], root: &Path) -> Result<(), Fatal> {
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
}

impl Filters<'_> {
    /// A walked `*.toml` file, if the include and exclude globs let it through.
    fn candidate(&self, path: PathBuf) -> Option<Candidate> {
        let relative = path.strip_prefix(self.input).unwrap_or(&path);
        let display = join_display(self.prefix, relative);
        let wanted = !matches_any(self.exclude, &display) && matches_any(self.include, &display);
        wanted.then_some(Candidate { display, path })
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

/// One walker over the whole input, following symbolic links: loops are skipped with a
/// warning, the first other error stops the run. Not sorted while walking: the candidates
/// are sorted once at the end.
fn walk(f: &Filters, out: &mut Vec<Candidate>, skipped: &mut Skipped) -> Result<(), Fatal> {
    let walker = WalkDir::new(f.input).follow_links(true).into_iter();
    for entry in walker.filter_entry(walked_into) {
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
        if entry.file_type().is_file() && is_document_name(entry.file_name()) {
            out.extend(f.candidate(entry.into_path()));
        }
    }
    Ok(())
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
            } else if kind.is_dir() && !is_skipped_dir(&name) {
                for entry in WalkDir::new(child.path())
                    .into_iter()
                    .filter_entry(walked_into)
                {
                    let entry = entry.ok()?;
                    if entry.path_is_symlink() {
                        return None;
                    }
                    if entry.file_type().is_file() && is_document_name(entry.file_name()) {
                        out.extend(f.candidate(entry.into_path()));
                    }
                }
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
            let f = Filters {
                input: &input,
                prefix: dir,
                include: &all,
                exclude: &[],
            };
            let mut split = walk_split(&f).expect("no symbolic links in the repository");
            let (mut single, mut skipped) = (Vec::new(), Vec::new());
            walk(&f, &mut single, &mut skipped).expect("walkable");
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
        let f = Filters {
            input: dir.path(),
            prefix: "",
            include: &patterns(["**/*.toml"].into_iter()),
            exclude: &[],
        };
        assert_eq!(walk_split(&f).map(|c| c.len()), Some(2));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("..", dir.path().join("b").join("up")).expect("symlink");
            assert!(walk_split(&f).is_none());
        }
    }
}
