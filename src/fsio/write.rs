//! Writes that never replace what they should not: the one way every writer (`--output`,
//! `--write-baseline`, `fmt`, `check --fix`, `init`, `import`) puts bytes on disk.
//!
//! Bytes are staged in a temporary file in the destination's directory and renamed over
//! the destination, so no reader ever sees half a file. Before that, the destination is
//! looked at without following it ([`Dest`]):
//! - a regular file is replaced, keeping its mode (and owner, where rolelint may set it);
//! - a missing file is created, honouring the umask as `touch` would (0666 & !umask);
//! - a symlink is written through (link kept, target replaced) only when it leads to a
//!   regular file inside the repository; one leading outside, or nowhere, is refused;
//! - a FIFO, device, socket or directory is refused (exit 2, one sentence);
//! - `-` and `/dev/stdout` given as an output mean standard output, written to directly.
//!
//! Staged files are removed on every error path (dropped) and on SIGINT/SIGTERM
//! ([`super::cleanup`]); no message ever names one.
use super::boundary::{Resolved, Root};
use super::cleanup;
use crate::error::Fatal;
use std::fs::Metadata;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Where the bytes of one write go.
#[derive(Debug)]
pub enum Target {
    /// Standard output (`-` or `/dev/stdout`): written to, never replaced.
    Stdout,
    File(Dest),
}

/// A file destination, checked: the path renamed over and what it keeps.
#[derive(Debug)]
pub struct Dest {
    /// As the user knows it (messages name this, never the staged file).
    shown: String,
    /// What the rename replaces: the path itself, or the target of a symlink to follow.
    real: PathBuf,
    /// What the replaced file keeps; `None` when the write creates it.
    existing: Option<Kept>,
    /// Refuse to replace anything that appeared since (new files of `init`, `import`).
    create_only: bool,
}

/// The result of [`Dest::replace_if_unchanged`].
#[derive(Debug, PartialEq, Eq)]
pub enum Replaced {
    Done,
    /// The file no longer holds what the new bytes were computed from; left untouched.
    Changed,
}

/// The boundary writes into the repository at `root` keep to.
pub fn repository(root: &Path) -> Result<Root, Fatal> {
    Root::new(root).map_err(|e| {
        Fatal::msg(format!(
            "cannot read the repository root `{}`: {}",
            root.display(),
            e.kind()
        ))
    })
}

/// An output named on the command line (`--output FORMAT=PATH`, `--write-baseline`):
/// standard output, or a file that may lie anywhere the user chose. Inside the
/// repository, a symlink or a symlinked directory must not lead out of it.
pub fn output(path: &Path, root: &Root) -> Result<Target, Fatal> {
    if path.as_os_str() == "-" || path == Path::new("/dev/stdout") {
        return Ok(Target::Stdout);
    }
    replaceable(path, root).map(Target::File)
}

/// A file named on the command line that may be replaced (`import --force`), never
/// standard output.
pub fn replaceable(path: &Path, root: &Root) -> Result<Dest, Fatal> {
    let shown = path.display().to_string();
    let inside = lexically_inside(path, root);
    if inside {
        // The directory it lands in must stay inside too (no `out -> /etc`).
        match root.resolve(parent(path)) {
            Resolved::Inside(_) => {}
            Resolved::Outside => return Err(outside(&shown)),
            Resolved::Missing => return Err(no_directory(&shown, parent(path))),
        }
    } else if !parent(path).is_dir() {
        return Err(no_directory(&shown, parent(path)));
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Dest::new(shown, path.to_path_buf(), None));
        }
        Err(e) => return Err(cannot(&shown, &e)),
    };
    if !meta.file_type().is_symlink() {
        return regular(shown, path.to_path_buf(), meta);
    }
    match root.resolve(path) {
        Resolved::Inside(real) => {
            let meta = std::fs::symlink_metadata(&real).map_err(|e| cannot(&shown, &e))?;
            regular(shown, real, meta)
        }
        Resolved::Outside => Err(outside(&shown)),
        Resolved::Missing => Err(Fatal::msg(format!(
            "cannot write `{shown}`: it is a symbolic link that leads nowhere"
        ))),
    }
}

/// A document of the repository rewritten in place (`fmt`, `--fix`): written through a
/// symlink to its target when that lies inside the repository; refused when the document
/// (or a directory on its way) leads outside.
pub fn document(path: &Path, shown: &str, root: &Root) -> Result<Dest, Fatal> {
    match root.resolve(path) {
        Resolved::Inside(real) => {
            let meta = std::fs::symlink_metadata(&real).map_err(|e| cannot(shown, &e))?;
            regular(shown.to_string(), real, meta)
        }
        Resolved::Outside => Err(Fatal::msg(format!(
            "`{shown}` leads outside the repository (through a symbolic link); not rewritten"
        ))),
        Resolved::Missing => Err(Fatal::msg(format!(
            "`{shown}` no longer exists; not rewritten"
        ))),
    }
}

/// A file that must not exist yet (`init`, `import` without `--force`), in a directory
/// inside `root`. Anything at the path, even a symlink that leads nowhere, is refused.
pub fn new_file(path: &Path, root: &Root) -> Result<Dest, Fatal> {
    let shown = path.display().to_string();
    match root.resolve(parent(path)) {
        Resolved::Inside(_) => {}
        Resolved::Outside => return Err(outside(&shown)),
        Resolved::Missing => return Err(no_directory(&shown, parent(path))),
    }
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Ok(_) => {
            return Err(Fatal::msg(format!(
                "refusing to overwrite `{shown}`; nothing was written"
            )))
        }
        Err(e) => return Err(cannot(&shown, &e)),
    }
    let mut dest = Dest::new(shown, path.to_path_buf(), None);
    dest.create_only = true;
    Ok(dest)
}

impl Target {
    /// Write what `fill` produces to standard output or into the file.
    pub fn write_with(
        &self,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Fatal> {
        match self {
            Target::File(dest) => dest.write_with(fill),
            Target::Stdout => {
                let mut out = io::BufWriter::new(crate::console::Stdout);
                fill(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(crate::console::write_failed)
            }
        }
    }

    /// As the user named it, for messages ("wrote ... to `x`").
    pub fn shown(&self) -> &str {
        match self {
            Target::Stdout => "standard output",
            Target::File(dest) => &dest.shown,
        }
    }
}

impl Dest {
    fn new(shown: String, real: PathBuf, existing: Option<&Metadata>) -> Self {
        Self {
            shown,
            real,
            existing: existing.map(Kept::of),
            create_only: false,
        }
    }

    /// Replace (or create) the file with `contents`.
    pub fn write(&self, contents: &[u8]) -> Result<(), Fatal> {
        self.write_with(|out| out.write_all(contents))
    }

    /// Replace (or create) the file with what `fill` writes.
    pub fn write_with(
        &self,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Fatal> {
        let staged = self.stage(fill)?;
        self.commit(staged, None).map(|_| ())
    }

    /// Replace the file with `contents` only if it still holds `expected` (what the new
    /// contents were computed from), comparing just before the rename.
    pub fn replace_if_unchanged(
        &self,
        expected: &[u8],
        contents: &[u8],
    ) -> Result<Replaced, Fatal> {
        let staged = self.stage(|out| out.write_all(contents))?;
        self.commit(staged, Some(expected))
    }

    /// The bytes in a temporary file next to the destination, mode and owner set.
    fn stage(&self, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<Staged, Fatal> {
        let fail = |e: &io::Error| cannot(&self.shown, e);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".rolelint-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Applied through open(2), so the umask applies: what `touch` would create.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let staged = {
            // Created and registered under the lock: an interruption sees both or neither.
            let mut live = cleanup::lock();
            let file = builder
                .tempfile_in(parent(&self.real))
                .map_err(|e| fail(&e))?;
            live.push(file.path().to_path_buf());
            Staged {
                registered: Registered(file.path().to_path_buf()),
                file,
            }
        };
        let file = staged.file.as_file();
        if let Some(meta) = &self.existing {
            keep_mode_and_owner(file, meta).map_err(|e| fail(&e))?;
        }
        {
            let mut out = io::BufWriter::new(file);
            fill(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| fail(&e))?;
        }
        file.sync_all().map_err(|e| fail(&e))?;
        Ok(staged)
    }

    /// Rename the staged file over the destination (after comparing with `expected`).
    fn commit(&self, staged: Staged, expected: Option<&[u8]>) -> Result<Replaced, Fatal> {
        let fail = |e: &io::Error| cannot(&self.shown, e);
        // Dropped in reverse order: the lock, then the file (removed), then its registration.
        let registered = staged.registered;
        let file = staged.file;
        let mut live = cleanup::lock();
        // Another rolelint comparing and renaming the same document waits for this one.
        let _held = expected.and_then(|_| hold(&self.real));
        // The path may hold something else (a symlink, a pipe) since it was checked.
        let now = match std::fs::symlink_metadata(&self.real) {
            Ok(now) => Some(now),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail(&e)),
        };
        if let Some(now) = &now {
            if !now.file_type().is_file() {
                return Err(Fatal::msg(format!(
                    "cannot write `{}`: it became {} while rolelint was writing it",
                    self.shown,
                    kind_of(now)
                )));
            }
        }
        if let Some(expected) = expected {
            let now = std::fs::read(&self.real).map_err(|e| fail(&e))?;
            if now != expected {
                return Ok(Replaced::Changed);
            }
        }
        let persisted = if self.create_only || now.is_none() {
            // Nothing may appear at the path between this look and the rename.
            file.persist_noclobber(&self.real)
        } else {
            file.persist(&self.real)
        };
        cleanup::forget(&mut live, &registered.0);
        match persisted {
            Ok(_) => Ok(Replaced::Done),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(Fatal::msg(format!(
                "refusing to overwrite `{}`: it appeared while rolelint was writing it; nothing was written",
                self.shown
            ))),
            Err(e) => Err(fail(&e.error)),
        }
    }
}

/// A staged temporary file; fields drop in order: the file (removed unless renamed), then
/// its registration.
struct Staged {
    file: tempfile::NamedTempFile,
    registered: Registered,
}

/// A path registered with [`cleanup`] until dropped.
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        cleanup::forget(&mut cleanup::lock(), &self.0);
    }
}

/// A regular file may be replaced; anything else is refused with what it is.
fn regular(shown: String, real: PathBuf, meta: Metadata) -> Result<Dest, Fatal> {
    if meta.file_type().is_file() {
        return Ok(Dest::new(shown, real, Some(&meta)));
    }
    Err(Fatal::msg(format!(
        "cannot write `{shown}`: it is {}, not a regular file",
        kind_of(&meta)
    )))
}

fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// An advisory lock on the regular file at `path`, released when dropped. Best effort:
/// without it the compare below still catches every change made before it.
#[cfg(unix)]
fn hold(path: &Path) -> Option<rustix::fd::OwnedFd> {
    use rustix::fs::{FileType, FlockOperation, Mode, OFlags};
    // Never blocks on a FIFO swapped in, never follows a symlink swapped in.
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).ok()?;
    let stat = rustix::fs::fstat(&fd).ok()?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return None;
    }
    rustix::fs::flock(&fd, FlockOperation::LockExclusive).ok()?;
    Some(fd)
}

#[cfg(not(unix))]
fn hold(_: &Path) -> Option<()> {
    None
}

/// The mode and owner of a file being replaced, given to its replacement.
#[derive(Debug)]
struct Kept {
    permissions: std::fs::Permissions,
    #[cfg(unix)]
    owner: (u32, u32),
}

impl Kept {
    fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Self {
            permissions: meta.permissions(),
            #[cfg(unix)]
            owner: (meta.uid(), meta.gid()),
        }
    }
}

fn keep_mode_and_owner(file: &std::fs::File, kept: &Kept) -> io::Result<()> {
    // The owner first: changing it may clear set-id bits that the mode then restores.
    // Only root may give a file away; anyone else keeps the file as theirs.
    #[cfg(unix)]
    let _ = std::os::unix::fs::fchown(file, Some(kept.owner.0), Some(kept.owner.1));
    file.set_permissions(kept.permissions.clone())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Does `path` (as written) name something below the repository root?
fn lexically_inside(path: &Path, root: &Root) -> bool {
    let path = absolute(path);
    path.starts_with(absolute(root.path())) || path.starts_with(root.canonical())
}

/// `path` made absolute against the current directory, `.` and `..` taken away without
/// touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The boundary a document keeps to when it is rewritten: the repository when the document
/// lies in it (as written), else the directory named on the command line it was found in
/// (an explicit input is the user's choice; a symlink leading out of it is not).
pub fn boundary_of(path: &Path, root: &Root, inputs: &[PathBuf]) -> Root {
    if lexically_inside(path, root) {
        return root.clone();
    }
    let at = absolute(path);
    inputs
        .iter()
        .map(|input| match std::fs::symlink_metadata(input) {
            Ok(m) if !m.file_type().is_dir() => parent(input).to_path_buf(),
            _ => input.clone(),
        })
        .filter(|dir| at.starts_with(absolute(dir)))
        .max_by_key(|dir| absolute(dir).components().count())
        .and_then(|dir| Root::new(&dir).ok())
        .unwrap_or_else(|| root.clone())
}

/// One sentence for an I/O failure, naming the file as the user knows it.
fn cannot(shown: &str, e: &io::Error) -> Fatal {
    Fatal::msg(format!("cannot write `{shown}`: {}", e.kind()))
}

fn outside(shown: &str) -> Fatal {
    Fatal::msg(format!(
        "cannot write `{shown}`: it leads outside the repository through a symbolic link; name the target itself"
    ))
}

fn no_directory(shown: &str, dir: &Path) -> Fatal {
    Fatal::msg(format!(
        "cannot write `{shown}`: directory `{}` does not exist",
        dir.display()
    ))
}

#[cfg(test)]
mod tests;
