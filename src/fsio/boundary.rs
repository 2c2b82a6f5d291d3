//! The repository root and the one question asked of every path taken from the repository
//! (a walked file, a configured glob or path): does it, symlinks followed, stay inside?
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
}
