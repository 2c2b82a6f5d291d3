//! The repository tree at another revision, for `rolelint license --against REV`.
//!
//! Runs the `git` command line (no git library): `git rev-parse` to find the repository
//! root and the commit, `git archive <commit> | tar -x` to unpack its tree into a
//! temporary directory. The directory is removed when the [`Snapshot`] is dropped, on
//! every path out of the command.
use crate::error::Fatal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The tree of one commit, unpacked into a temporary directory.
pub struct Snapshot {
    dir: tempfile::TempDir,
    /// The full commit id the revision resolved to.
    pub commit: String,
}

impl Snapshot {
    /// Where the repository root of the commit is unpacked.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir);
    // Translated git messages would not be worth parsing anyway; keep them out of ours.
    c.env("LC_ALL", "C");
    c
}

fn spawn_error(e: &std::io::Error) -> Fatal {
    if e.kind() == std::io::ErrorKind::NotFound {
        Fatal::msg("`--against` needs the `git` command, and it is not on the PATH")
    } else {
        Fatal::msg(format!("cannot run `git`: {e}"))
    }
}

/// The root of the git work tree holding `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, Fatal> {
    let out = git(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(Stdio::null())
        .output()
        .map_err(|e| spawn_error(&e))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || text.is_empty() {
        return Err(Fatal::msg(format!(
            "`--against` compares with another git revision, but `{}` is not inside a git repository",
            dir.display()
        )));
    }
    Ok(PathBuf::from(text))
}

/// Resolve `rev` to a commit id, or say it is unknown.
fn commit_of(repo: &Path, rev: &str) -> Result<String, Fatal> {
    let unknown = || {
        Fatal::msg(format!(
            "unknown git revision `{rev}`: give a commit, branch or tag of this repository"
        ))
    };
    // A leading `-` would be read as an option by git.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(unknown());
    }
    let out = git(repo)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .stderr(Stdio::null())
        .output()
        .map_err(|e| spawn_error(&e))?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() && !id.is_empty() {
        Ok(id)
    } else {
        Err(unknown())
    }
}

/// Unpack the tree of `rev` of the repository rooted at `repo`.
pub fn snapshot(repo: &Path, rev: &str) -> Result<Snapshot, Fatal> {
    let commit = commit_of(repo, rev)?;
    let dir = tempfile::Builder::new()
        .prefix("rolelint-against-")
        .tempdir()
        .map_err(|e| Fatal::msg(format!("cannot create a temporary directory: {e}")))?;
    let mut archive = git(repo)
        .args(["archive", "--format=tar", &commit])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(&e))?;
    let Some(tar_input) = archive.stdout.take() else {
        let _ = archive.kill();
        let _ = archive.wait();
        return Err(Fatal::msg("cannot read the output of `git archive`"));
    };
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-f")
        .arg("-")
        .current_dir(dir.path())
        .stdin(Stdio::from(tar_input))
        .stderr(Stdio::piped())
        .output();
    // Wait for git whatever tar did, so no zombie is left behind.
    let archived = archive.wait_with_output();
    let tar =
        tar.map_err(|e| Fatal::msg(format!("cannot run `tar` to unpack revision `{rev}`: {e}")))?;
    let archived = archived.map_err(|e| spawn_error(&e))?;
    if !archived.status.success() {
        let why = String::from_utf8_lossy(&archived.stderr).trim().to_string();
        return Err(Fatal::msg(format!(
            "`git archive {rev}` failed: {}",
            first_line(&why)
        )));
    }
    if !tar.status.success() {
        let why = String::from_utf8_lossy(&tar.stderr).trim().to_string();
        return Err(Fatal::msg(format!(
            "cannot unpack revision `{rev}` with `tar`: {}",
            first_line(&why)
        )));
    }
    Ok(Snapshot { dir, commit })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("no message")
}

/// `path` relative to `root`, comparing canonical forms (symlinked temp dirs, `..`).
pub fn relative_to(path: &Path, root: &Path) -> Option<PathBuf> {
    let path = path.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    path.strip_prefix(&root).ok().map(Path::to_path_buf)
}
