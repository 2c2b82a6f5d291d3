//! Display paths: how a file's name is shown to users and matched by `include`/`exclude`.
//! Unambiguous: two different names never show the same, so no file is merged with another.
use std::borrow::Cow;
use std::path::Path;

/// `path` with `/` separators. A backslash (an ordinary character in a Unix name) shows as
/// `\\` and each byte that is not UTF-8 as `\xNN`, so no name can read like another.
pub fn display(path: &Path) -> Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        match path.to_str() {
            Some(s) if !s.contains('\\') => Cow::Borrowed(s),
            _ => Cow::Owned(escape_bytes(path.as_os_str().as_bytes())),
        }
    }
    #[cfg(not(unix))]
    {
        Cow::Owned(path.to_string_lossy().replace('\\', "/"))
    }
}

/// Valid UTF-8 as is (backslashes doubled), each invalid byte as `\xNN`.
#[cfg(unix)]
fn escape_bytes(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped_and_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let show = |b: &[u8]| display(Path::new(std::ffi::OsStr::from_bytes(b))).into_owned();
        assert_eq!(show(b"roles/a.toml"), "roles/a.toml");
        assert_eq!(show(b"r\xffa.toml"), "r\\xffa.toml");
        assert_ne!(show(b"r\xffa.toml"), show(b"r\xfea.toml"));
        // A valid name spelling the escape is not confused with the invalid byte.
        assert_eq!(show(b"r\\xff.toml"), "r\\\\xff.toml");
        assert_ne!(show(b"r\\xff.toml"), show(b"r\xff.toml"));
    }
}
