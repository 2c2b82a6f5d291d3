//! Writing files safely: a temporary file in the same directory, then a rename, so a
//! reader (or a crash) never sees half a file.
use crate::error::Fatal;
use std::io::Write;
use std::path::Path;

/// Replace (or create) `path` with `contents` atomically.
pub fn atomic(path: &Path, contents: &str) -> Result<(), Fatal> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail =
        |e: &dyn std::fmt::Display| Fatal::msg(format!("cannot write `{}`: {e}", path.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(contents.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the permissions of the file being replaced.
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// Refuse to go on when any of `paths` exists: one sentence listing them all.
pub fn refuse_existing(paths: &[std::path::PathBuf], hint: &str) -> Result<(), Fatal> {
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(Fatal::msg(format!(
        "refusing to overwrite {} ({hint}); nothing was written",
        existing.join(", ")
    )))
}
