//! The repository's files at another git revision, read in memory (`review --against`,
//! `license --against`, `check --new-against`).
//!
//! The revision is read with `gix` straight from the object database: no `git` or `tar`
//! process is started, nothing is unpacked on disk, so an interruption leaves nothing
//! behind and nothing outlives rolelint. The repository is opened isolated (its own
//! `.git/config` only: no system or user configuration, no environment, no `git` binary).
//!
//! The same boundary as on disk applies: only regular blobs are returned, symlink entries
//! are never followed, submodules are not entered, and every path is relative to the
//! checked root (entry names that could climb out, `..`, `/`, or are not UTF-8 are
//! refused). Sizes are bounded: [`MAX_FILE`] per file, [`MAX_TOTAL`] in all, and
//! [`MAX_ENTRIES`] tree entries walked.
use crate::error::Fatal;
use gix::bstr::ByteSlice;
use gix::objs::tree::EntryKind;
use std::path::{Component, Path};

/// The largest file read from a revision.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;
/// The most bytes read from one revision in all.
pub const MAX_TOTAL: u64 = 1024 * 1024 * 1024;
/// The most tree entries walked in one revision.
pub const MAX_ENTRIES: usize = 2_000_000;

/// The files of one revision below the checked root, named and not yet read: each with
/// its git blob id, so a caller holding the same bytes already need not read it again.
#[derive(Debug)]
pub struct Listing {
    /// The full commit id the revision resolved to.
    pub commit: String,
    /// Path relative to the checked root (`/`-separated) and blob id, in the walk's order.
    pub blobs: Vec<(String, gix::ObjectId)>,
    rev: String,
    git_dir: std::path::PathBuf,
}

/// List the files of `rev` below `root` (a directory of a git work tree) whose relative
/// path `wanted` accepts, reading no file's contents.
pub fn list(root: &Path, rev: &str, wanted: impl Fn(&str) -> bool) -> Result<Listing, Fatal> {
    let not_a_repository = || {
        Fatal::msg(format!(
            "`--against` compares with another git revision, but `{}` is not inside a git repository",
            root.display()
        ))
    };
    let isolated = gix::open::Options::isolated();
    let mapping = gix::sec::trust::Mapping {
        full: isolated.clone(),
        reduced: isolated,
    };
    let repo = gix::ThreadSafeRepository::discover_opts(root, Default::default(), mapping)
        .map_err(|_| not_a_repository())?
        .to_thread_local();
    let top = repo.workdir().ok_or_else(not_a_repository)?;
    let below = relative(root, top).ok_or_else(|| {
        Fatal::msg(format!(
            "`{}` is not inside the git repository at `{}`",
            root.display(),
            top.display()
        ))
    })?;
    let unknown = || {
        Fatal::msg(format!(
            "unknown git revision `{rev}`: give a commit, branch or tag of this repository"
        ))
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(unknown());
    }
    let commit = repo
        .rev_parse_single(rev)
        .ok()
        .and_then(|id| id.object().ok())
        .and_then(|object| object.peel_to_commit().ok())
        .ok_or_else(unknown)?;
    let corrupt = || {
        Fatal::msg(format!(
            "cannot read revision `{rev}`: the repository is damaged"
        ))
    };
    let mut tree = commit.tree_id().map_err(|_| corrupt())?.detach();
    let missing = || {
        let shown = below.join("/");
        Fatal::msg(format!(
            "`{}` does not exist at revision `{rev}`",
            if shown.is_empty() { "." } else { &shown }
        ))
    };
    for name in &below {
        let entries = entries(&repo, tree).map_err(|_| corrupt())?;
        tree = entries
            .into_iter()
            .find(|(n, kind, _)| n.as_ref() == Ok(name) && *kind == EntryKind::Tree)
            .map(|(_, _, id)| id)
            .ok_or_else(missing)?;
    }
    let mut walked = 0usize;
    let mut blobs: Vec<(String, gix::ObjectId)> = Vec::new();
    let mut pending = vec![(String::new(), tree)];
    while let Some((prefix, id)) = pending.pop() {
        for (name, kind, id) in entries(&repo, id).map_err(|_| corrupt())? {
            walked += 1;
            let name = match name {
                Ok(name) => name,
                // A directory or a `*.toml` file could hold documents: never skipped silently.
                Err(shown) if kind == EntryKind::Tree || shown.ends_with(".toml") => {
                    return Err(Fatal::msg(format!(
                        "revision `{rev}` has a path that is not UTF-8 (`{prefix}/{shown}`); rolelint cannot compare with it"
                    )))
                }
                Err(_) => continue,
            };
            if walked > MAX_ENTRIES {
                return Err(Fatal::msg(format!(
                    "revision `{rev}` has more than {MAX_ENTRIES} files and directories; rolelint reads no more"
                )));
            }
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            match kind {
                EntryKind::Tree => pending.push((path, id)),
                EntryKind::Blob | EntryKind::BlobExecutable if wanted(&path) => {
                    blobs.push((path, id));
                }
                // Symlinks are not followed, submodules not entered.
                _ => {}
            }
        }
    }
    Ok(Listing {
        commit: commit.id.to_string(),
        blobs,
        rev: rev.to_string(),
        git_dir: repo.git_dir().to_path_buf(),
    })
}

impl Listing {
    /// The contents of the blobs `which` accepts (by index into [`Listing::blobs`]), the
    /// others `None`. The size limits count what is read: a blob not read here (one the
    /// working tree holds byte for byte, read there under the document limit) is not.
    pub fn read(&self, which: impl Fn(usize) -> bool) -> Result<Vec<Option<Vec<u8>>>, Fatal> {
        let rev = &self.rev;
        let corrupt = || {
            Fatal::msg(format!(
                "cannot read revision `{rev}`: the repository is damaged"
            ))
        };
        let read: Vec<bool> = (0..self.blobs.len()).map(which).collect();
        let wanted: Vec<(String, gix::ObjectId)> = (self.blobs.iter().zip(&read))
            .filter(|(_, read)| **read)
            .map(|(b, _)| b.clone())
            .collect();
        // Sizes first (from the objects' headers), checked in the order of the walk so the
        // same file is named whichever thread finds it; then the contents. Both on every
        // core: a revision of thousands of loose objects is thousands of inflated files.
        let sizes: Vec<u64> = in_parallel(&self.git_dir, &wanted, |repo, id| {
            repo.find_header(id).map(|h| h.size()).ok()
        })
        .ok_or_else(corrupt)?;
        let mut total = 0u64;
        for ((path, _), &size) in wanted.iter().zip(&sizes) {
            total = total.saturating_add(size);
            if size > MAX_FILE || total > MAX_TOTAL {
                return Err(Fatal::msg(format!(
                    "`{path}` at revision `{rev}` is too large to read (the limits are {} MiB a file, {} MiB in all)",
                    MAX_FILE >> 20,
                    MAX_TOTAL >> 20
                )));
            }
        }
        let mut contents = in_parallel(&self.git_dir, &wanted, |repo, id| {
            repo.find_blob(id).ok().map(|b| b.detach().data)
        })
        .ok_or_else(corrupt)?
        .into_iter();
        Ok(read
            .into_iter()
            .map(|read| if read { contents.next() } else { None })
            .collect())
    }
}

/// `read` of each blob, in order, on the worker pool; each worker opens the repository
/// once (isolated, like [`read`]). `None` when a blob cannot be read.
fn in_parallel<T: Send>(
    git_dir: &Path,
    blobs: &[(String, gix::ObjectId)],
    read: impl Fn(&gix::Repository, gix::ObjectId) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    blobs
        .par_iter()
        .map_init(
            || gix::open_opts(git_dir, gix::open::Options::isolated()).ok(),
            |repo, (_, id)| read(repo.as_ref()?, *id),
        )
        .collect()
}

/// A tree entry: its name (`Err` with the name escaped when it is not UTF-8), kind and id.
type Entry = (Result<String, String>, EntryKind, gix::ObjectId);

/// One tree's entries, owned; a name that could leave the tree (`.`, `..`, `/`) is an error.
fn entries(repo: &gix::Repository, id: gix::ObjectId) -> Result<Vec<Entry>, ()> {
    let tree = repo.find_tree(id).map_err(drop)?;
    let decoded = tree.decode().map_err(drop)?;
    decoded
        .entries
        .iter()
        .map(|e| {
            let bytes: &[u8] = e.filename.as_ref();
            if bytes.is_empty() || bytes == b"." || bytes == b".." || bytes.contains(&b'/') {
                return Err(());
            }
            let name = match e.filename.to_str() {
                Ok(name) => Ok(name.to_string()),
                Err(_) => Err(crate::inert::escape(&e.filename.to_str_lossy()).to_string()),
            };
            Ok((name, e.mode.kind(), e.oid.to_owned()))
        })
        .collect()
}

/// The components of `path` below `top`, comparing canonical forms.
fn relative(path: &Path, top: &Path) -> Option<Vec<String>> {
    let path = path.canonicalize().ok()?;
    let top = top.canonicalize().ok()?;
    path.strip_prefix(&top)
        .ok()?
        .components()
        .map(|c| match c {
            Component::Normal(n) => n.to_str().map(str::to_string),
            _ => None,
        })
        .collect()
}
