//! Bounded reads: regular files only, each with a size limit.
//!
//! Two ways in:
//! - [`walked`]: a file the walker already knows is a regular file (its type came with the
//!   directory listing, or from resolving its symbolic link). No extra system call: it is
//!   opened without following a symbolic link (one swapped in since the walk is refused)
//!   and without blocking (a FIFO swapped in reads as empty), then read up to the limit.
//! - [`named`]: a path named by the user or the configuration, whose type is unknown. It is
//!   checked to be a regular file before it is opened, and again through the opened file.
use std::fmt;
use std::io::Read;
use std::path::Path;

/// Documents: roles, schemes, projects, boards, policies, catalogues (`[limits] document-bytes`).
pub const DOCUMENT_LIMIT: u64 = 32 << 20;
/// `rolelint.toml` itself (cannot be configured: it is the configuration).
pub const CONFIG_LIMIT: u64 = 4 << 20;
/// The People export (`[limits] people-bytes`).
pub const PEOPLE_LIMIT: u64 = 256 << 20;
/// `--baseline` files.
pub const BASELINE_LIMIT: u64 = 256 << 20;
/// `import` payloads (Jira REST JSON).
pub const PAYLOAD_LIMIT: u64 = 256 << 20;

/// What a path is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl FileKind {
    pub fn of(t: std::fs::FileType) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Self::Fifo;
            } else if t.is_char_device() {
                return Self::CharDevice;
            } else if t.is_block_device() {
                return Self::BlockDevice;
            } else if t.is_socket() {
                return Self::Socket;
            }
        }
        if t.is_dir() {
            Self::Directory
        } else {
            Self::Other
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Directory => "a directory",
            Self::Fifo => "a FIFO",
            Self::CharDevice => "a character device",
            Self::BlockDevice => "a block device",
            Self::Socket => "a socket",
            Self::Other => "not a regular file",
        })
    }
}

/// Why a file was not read (shown to the user; no internal detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    /// A symbolic link (or a configured path) that leads outside the repository.
    Outside,
    /// A symbolic link to a directory outside the repository: its files are not walked.
    OutsideDirectory,
    /// A symbolic link that leads nowhere: its target is missing, or links loop.
    Dangling,
    /// Not a regular file.
    NotRegular(FileKind),
    /// Larger than the limit (bytes).
    TooLarge(u64),
    /// Found as a regular file, but a symbolic link when opened: replaced while rolelint ran.
    Replaced,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Outside => f.write_str("leads outside the repository; not read"),
            Self::OutsideDirectory => f.write_str(
                "is a symbolic link to a directory outside the repository; its files were not read",
            ),
            Self::Dangling => f.write_str(
                "is a symbolic link that leads nowhere (its target is missing, or links loop)",
            ),
            Self::NotRegular(FileKind::Other) => f.write_str("is not a regular file; not read"),
            Self::NotRegular(kind) => write!(f, "is {kind}, not a regular file; not read"),
            Self::TooLarge(limit) => {
                write!(f, "is larger than the limit of {}; not read", size(*limit))
            }
            Self::Replaced => {
                f.write_str("was replaced by a symbolic link while rolelint ran; not read")
            }
        }
    }
}

/// A read that did not happen.
#[derive(Debug)]
pub enum ReadError {
    Missing,
    Refused(Refusal),
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("does not exist"),
            Self::Refused(r) => r.fmt(f),
            Self::Io(e) => match e.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    f.write_str("cannot be read: permission denied")
                }
                _ => write!(f, "cannot be read: {}", io_reason(e)),
            },
        }
    }
}

impl From<std::io::Error> for ReadError {
    /// Following a path failed: `ELOOP` means links that loop.
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => Self::Missing,
            _ if is_symlink_loop(&e) => Self::Refused(Refusal::Dangling),
            _ => Self::Io(e),
        }
    }
}

/// `ELOOP`: links that loop, or (opening with `O_NOFOLLOW`) a symbolic link.
fn is_symlink_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// An I/O error in words, without the `(os error N)` suffix.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s,
    }
}

/// `33554432` → `32 MiB`; figures that are not whole MiB or KiB are shown in bytes.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Read a file the walker found to be a regular file (after resolving it, when it was a
/// symbolic link): no metadata call, no link followed at the last component.
pub fn walked(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path, false).map_err(|e| match e {
        // `O_NOFOLLOW` met a link where the walk found a regular file.
        ReadError::Refused(Refusal::Dangling) => ReadError::Refused(Refusal::Replaced),
        e => e,
    })?;
    bounded(file, limit)
}

/// Read a path whose type is not known: it must be a regular file (after following
/// symbolic links; the caller decides beforehand whether that is allowed).
pub fn named(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::Refused(Refusal::NotRegular(FileKind::of(
            before.file_type(),
        ))));
    }
    if before.len() > limit {
        return Err(ReadError::Refused(Refusal::TooLarge(limit)));
    }
    let file = open(path, true)?;
    // Checked again through the opened file: the path may have been replaced meanwhile.
    let after = file.metadata()?;
    if !after.is_file() {
        return Err(ReadError::Refused(Refusal::NotRegular(FileKind::of(
            after.file_type(),
        ))));
    }
    bounded(file, limit)
}

/// [`named`] for text: bytes that are not UTF-8 are `None`.
pub fn named_text(path: &Path, limit: u64) -> Result<Option<String>, ReadError> {
    Ok(String::from_utf8(named(path, limit)?).ok())
}

/// Open for reading without blocking (a FIFO opens at once and reads as empty) and, unless
/// `follow`, without following a symbolic link at the last component.
fn open(path: &Path, follow: bool) -> Result<std::fs::File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    Ok(options.open(path)?)
}

/// Read at most `limit` bytes; one more means the file is too large. The buffer grows as
/// it reads instead of asking the file system for the size first (`File`'s own
/// `read_to_end` does): documents are small and there are tens of thousands of them.
fn bounded(file: std::fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    struct NoSizeHint(std::fs::File);
    impl Read for NoSizeHint {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0.read(buf)
        }
    }
    let mut bytes = Vec::with_capacity(8 * 1024);
    NoSizeHint(file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| match e.kind() {
            // A FIFO swapped in after the walk, with a writer that has not written yet.
            std::io::ErrorKind::WouldBlock => {
                ReadError::Refused(Refusal::NotRegular(FileKind::Fifo))
            }
            _ => ReadError::from(e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::Refused(Refusal::TooLarge(limit)));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(DOCUMENT_LIMIT), "32 MiB");
        assert_eq!(size(4096), "4 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }

    #[test]
    fn limits_and_kinds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "12345").expect("write");
        assert_eq!(walked(&file, 5).expect("read"), b"12345");
        assert!(matches!(
            walked(&file, 4),
            Err(ReadError::Refused(Refusal::TooLarge(4)))
        ));
        assert!(matches!(
            named(&file, 4),
            Err(ReadError::Refused(Refusal::TooLarge(4)))
        ));
        assert!(matches!(
            named(dir.path(), 4),
            Err(ReadError::Refused(Refusal::NotRegular(FileKind::Directory)))
        ));
        assert!(matches!(
            named(&dir.path().join("none"), 4),
            Err(ReadError::Missing)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_swapped_links() {
        assert!(matches!(
            named(Path::new("/dev/zero"), 1 << 20),
            Err(ReadError::Refused(Refusal::NotRegular(
                FileKind::CharDevice
            )))
        ));
        // Walked as a regular file, but /dev/zero by the time it is opened: bounded.
        assert!(matches!(
            walked(Path::new("/dev/zero"), 1 << 10),
            Err(ReadError::Refused(Refusal::TooLarge(_)))
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("f.toml");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(
            named(&fifo, 10),
            Err(ReadError::Refused(Refusal::NotRegular(FileKind::Fifo)))
        ));
        // Opened without blocking: no writer, so it reads as empty.
        assert_eq!(walked(&fifo, 10).expect("empty"), b"");
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("l.toml")).expect("link");
        assert!(matches!(
            walked(&dir.path().join("l.toml"), 10),
            Err(ReadError::Refused(Refusal::Replaced))
        ));
    }
}
