//! The repository root and the one question asked of every path taken from the repository
//! (a walked file, a configured glob or path): does it, symlinks followed, stay inside?
use super::read::{self, FileKind, ReadError, Refusal};
use std::path::{Component, Path, PathBuf};

/// The repository root: the directory holding `rolelint.toml`, or the given root.
#[derive(Debug, Clone)]
pub struct Root {
    /// As given (relative paths keep display paths short).
    given: PathBuf,
    /// Canonical: every symlink resolved, absolute.
    canonical: PathBuf,
}

/// Where a repository path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Inside the root: the canonical target.
    Inside(PathBuf),
    /// Outside the root (through a symlink, `..` or an absolute path): never followed.
    Outside,
    /// Does not resolve: missing, or a dangling symlink.
    Missing,
}

impl Root {
    pub fn new(given: &Path) -> std::io::Result<Self> {
        Ok(Self {
            given: given.to_path_buf(),
            canonical: std::fs::canonicalize(given)?,
        })
    }

    pub fn path(&self) -> &Path {
        &self.given
    }

    pub fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Follow `path` (absolute, or relative to the current directory) to what it names.
    pub fn resolve(&self, path: &Path) -> Resolved {
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(&self.canonical) => Resolved::Inside(real),
            Ok(_) => Resolved::Outside,
            Err(_) => Resolved::Missing,
        }
    }

    /// A path written in the configuration (relative to the root): refused before any file
    /// system access when it is absolute or climbs out with `..`.
    pub fn configured(&self, written: &str) -> Option<PathBuf> {
        let p = Path::new(written);
        let mut depth = 0usize;
        for c in p.components() {
            match c {
                Component::Normal(_) => depth += 1,
                Component::CurDir => {}
                Component::ParentDir if depth > 0 => depth -= 1,
                _ => return None, // absolute, a prefix, or `..` above the root
            }
        }
        Some(self.given.join(p))
    }
}

/// What a walk under the root met.
#[derive(Debug)]
pub enum Walked {
    /// A regular file at `path` (as walked: what users see). `target` is where to read it
    /// when `path` is a symbolic link (inside the root).
    File {
        path: PathBuf,
        target: Option<PathBuf>,
    },
    /// Not read: a symbolic link leading outside or nowhere, or not a regular file.
    /// `dir`: a directory link leading outside (so its files were not walked).
    Refused {
        path: PathBuf,
        why: Refusal,
        dir: bool,
    },
    /// A directory link back to one of its ancestors: skipped.
    Loop(PathBuf),
}

impl Root {
    /// A root for a directory given on the command line outside the repository: the user
    /// chose it, so its own tree is the boundary.
    pub fn for_input(&self, input: &Path, canonical: &Path) -> Self {
        if canonical.starts_with(&self.canonical) {
            self.clone()
        } else {
            Self {
                given: input.to_path_buf(),
                canonical: canonical.to_path_buf(),
            }
        }
    }

    /// Walk `start` (inside the root, or the root of its own), following symbolic links
    /// that stay inside; those leading outside or nowhere are reported, never followed.
    /// Loops are reported and skipped. `descend` decides which directories are entered.
    /// The first other error (e.g. an unreadable directory) stops the walk.
    pub fn walk(
        &self,
        start: &Path,
        max_depth: usize,
        descend: impl Fn(&walkdir::DirEntry) -> bool,
        mut each: impl FnMut(Walked),
    ) -> Result<(), (PathBuf, std::io::Error)> {
        let mut outside_dirs = Vec::new();
        let walker = walkdir::WalkDir::new(start)
            .follow_links(true)
            .max_depth(max_depth)
            .into_iter()
            .filter_entry(|e| {
                if !descend(e) {
                    return false;
                }
                if e.depth() == 0 || !e.file_type().is_dir() || !e.path_is_symlink() {
                    return true;
                }
                match self.resolve(e.path()) {
                    Resolved::Inside(_) => true,
                    Resolved::Outside => {
                        outside_dirs.push(e.path().to_path_buf());
                        false
                    }
                    Resolved::Missing => false,
                }
            });
        for entry in walker {
            let e = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                    if err.loop_ancestor().is_some() {
                        each(Walked::Loop(path));
                        continue;
                    }
                    // Following a link failed: it leads nowhere (or links loop).
                    let link =
                        std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                    if err.depth() > 0 && link {
                        each(Walked::Refused {
                            path,
                            why: Refusal::Dangling,
                            dir: false,
                        });
                        continue;
                    }
                    let io = err
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("the walk failed"));
                    return Err((path, io));
                }
            };
            let ty = e.file_type();
            if ty.is_dir() {
                continue;
            }
            let link = e.depth() > 0 && e.path_is_symlink();
            let path = e.into_path();
            if !ty.is_file() {
                let why = Refusal::NotRegular(FileKind::of(ty));
                each(Walked::Refused {
                    path,
                    why,
                    dir: false,
                });
            } else if !link {
                each(Walked::File { path, target: None });
            } else {
                match self.resolve(&path) {
                    Resolved::Inside(real) => each(Walked::File {
                        path,
                        target: Some(real),
                    }),
                    Resolved::Outside => each(Walked::Refused {
                        path,
                        why: Refusal::Outside,
                        dir: false,
                    }),
                    Resolved::Missing => each(Walked::Refused {
                        path,
                        why: Refusal::Dangling,
                        dir: false,
                    }),
                }
            }
        }
        for path in outside_dirs {
            each(Walked::Refused {
                path,
                why: Refusal::OutsideDirectory,
                dir: true,
            });
        }
        Ok(())
    }

    /// Read a file named in the configuration (`[license] people`, ...): refused when it is
    /// written as an absolute path or with `..` climbing out, or leads outside through a
    /// symbolic link; otherwise a regular file read up to `limit`.
    pub fn read_configured(&self, written: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let path = self
            .configured(written)
            .ok_or(ReadError::Refused(Refusal::Outside))?;
        match self.resolve(&path) {
            Resolved::Inside(real) => read::named(&real, limit),
            Resolved::Outside => Err(ReadError::Refused(Refusal::Outside)),
            Resolved::Missing if is_link(&path) => Err(ReadError::Refused(Refusal::Dangling)),
            Resolved::Missing => Err(ReadError::Missing),
        }
    }
}

/// Is `path` itself a symbolic link?
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_paths_stay_below_the_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = Root::new(dir.path()).expect("root");
        assert!(root.configured("people/export.csv").is_some());
        assert!(root.configured("a/../b.csv").is_some());
        assert!(root.configured("../outside.csv").is_none());
        assert!(root.configured("a/../../outside.csv").is_none());
        assert!(root.configured("/etc/shadow").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_outside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).expect("mkdir");
        std::fs::write(dir.path().join("secret"), "x").expect("write");
        std::fs::write(repo.join("in.toml"), "x").expect("write");
        std::os::unix::fs::symlink("../secret", repo.join("out.toml")).expect("symlink");
        std::os::unix::fs::symlink("in.toml", repo.join("alias.toml")).expect("symlink");
        std::os::unix::fs::symlink("nowhere", repo.join("dangling.toml")).expect("symlink");
        let root = Root::new(&repo).expect("root");
        assert_eq!(root.resolve(&repo.join("out.toml")), Resolved::Outside);
        assert!(matches!(
            root.resolve(&repo.join("alias.toml")),
            Resolved::Inside(_)
        ));
        assert_eq!(root.resolve(&repo.join("dangling.toml")), Resolved::Missing);
    }

    #[cfg(unix)]
    #[test]
    fn the_walk_follows_links_inside_only_and_ends_on_loops() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("sub")).expect("mkdir");
        std::fs::create_dir(dir.path().join("outside")).expect("mkdir");
        std::fs::write(dir.path().join("outside/x.toml"), "x").expect("write");
        std::fs::write(repo.join("sub/a.toml"), "x").expect("write");
        std::os::unix::fs::symlink("..", repo.join("sub/up")).expect("symlink");
        std::os::unix::fs::symlink("../outside", repo.join("out")).expect("symlink");
        std::os::unix::fs::symlink("sub/a.toml", repo.join("alias.toml")).expect("symlink");
        std::os::unix::fs::symlink("nowhere", repo.join("gone")).expect("symlink");
        let root = Root::new(&repo).expect("root");
        let mut seen = Vec::new();
        root.walk(
            &repo,
            usize::MAX,
            |_| true,
            |w| {
                let rel = |p: &Path| {
                    p.strip_prefix(&repo)
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                };
                seen.push(match w {
                    Walked::File { path, target } => {
                        format!("file {} {}", rel(&path).display(), target.is_some())
                    }
                    Walked::Refused { path, why, .. } => {
                        format!("refused {} {why:?}", rel(&path).display())
                    }
                    Walked::Loop(path) => format!("loop {}", rel(&path).display()),
                })
            },
        )
        .expect("walk");
        seen.sort();
        assert_eq!(
            seen,
            [
                "file alias.toml true",
                "file sub/a.toml false",
                "loop sub/up",
                "refused gone Dangling",
                "refused out OutsideDirectory",
            ]
        );
    }
}
