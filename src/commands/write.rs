//! What `init` and `import` check before they write anything (the writing itself goes
//! through [`crate::fsio::write`]).
use crate::error::Fatal;

/// Refuse to go on when anything is at any of `paths` (a symlink that leads nowhere
/// included): one sentence listing them all.
pub fn refuse_existing(paths: &[std::path::PathBuf], hint: &str) -> Result<(), Fatal> {
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
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
