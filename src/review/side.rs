//! Evaluating the repository at a git revision with the same pipeline as `check`, once.
//! The revision is read by the same mechanism as `license --against`.
use crate::config::{self, Config};
use crate::engine::Overrides;
use crate::error::Fatal;
use crate::license::git;
use crate::pipeline::{self, Run};
use crate::source::SourceMap;
use std::path::Path;

/// The run of the repository at `rev` and the commit it resolved to. The checked root and
/// the configuration file map to the same places in the revision's tree; the revision's
/// own configuration is used when it has one there, the working tree's otherwise.
pub fn run_at(rev: &str, config_path: Option<&Path>, root: &Path) -> Result<(Run, String), Fatal> {
    run_at_with(rev, config_path, root, &Overrides::default())
}

/// [`run_at`] with the command line's `--select`, `--ignore` and `--severity`, so both
/// sides of `check --new-against` are judged alike.
pub fn run_at_with(
    rev: &str,
    config_path: Option<&Path>,
    root: &Path,
    overrides: &Overrides,
) -> Result<(Run, String), Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal::msg(format!("cannot read the current directory: {e}")))?;
    let base = if root.is_absolute() {
        root.to_path_buf()
    } else {
        cwd.join(root)
    };
    let top = git::toplevel(&base)?;
    let rel_root = git::relative_to(&base, &top).ok_or_else(|| {
        Fatal::msg(format!(
            "`{}` is not inside the git repository at `{}`",
            root.display(),
            top.display()
        ))
    })?;
    let snapshot = git::snapshot(&top, rev)?;
    let snap_root = snapshot.root().join(&rel_root);
    if !snap_root.is_dir() {
        return Err(Fatal::msg(format!(
            "the checked directory does not exist at revision `{rev}`"
        )));
    }
    let mut sources = SourceMap::new();
    let config = match config_path {
        Some(p) => {
            let at_rev = git::relative_to(p, &top)
                .map(|rel| snapshot.root().join(rel))
                .filter(|p| p.is_file());
            config::load(at_rev.as_deref().unwrap_or(p), &mut sources)?
        }
        None => Config::default(),
    };
    let run = pipeline::check_paths(
        std::slice::from_ref(&snap_root),
        &snap_root,
        config,
        overrides,
        sources,
    )?;
    Ok((run, snapshot.commit.clone()))
}
