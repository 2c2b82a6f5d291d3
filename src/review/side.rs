//! Evaluating the repository at a git revision with the same pipeline as `check`, once.
//! The revision is read in memory by the one mechanism `license --against` uses too
//! ([`crate::fsio::revision`]): nothing in it reaches the file system.
use crate::config::Overrides;
use crate::config::{self, Config};
use crate::diagnostics::source::SourceMap;
use crate::discover::Select;
use crate::error::Fatal;
use crate::fsio::revision;
use crate::pipeline::{self, Run};
use std::path::Path;

/// The run of the repository at `rev` and the commit it resolved to. The checked root
/// maps to the same directory of the revision's tree; the configuration at the revision
/// (the file of the same name in that directory) is used when it exists there, the
/// working tree's otherwise.
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
    let config_name = config_path
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(str::to_string);
    let mut sources = SourceMap::new();
    let config = match (config_path, &config_name) {
        (Some(p), Some(name)) => {
            let at_rev = revision::read(root, rev, |path| path == name)?;
            match at_rev.files.into_values().next() {
                Some(bytes) => config::parse(p, bytes, &mut sources)?,
                None => config::load(p, &mut sources)?,
            }
        }
        _ => Config::default(),
    };
    let select = Select::new(&config);
    let at_rev = revision::read(root, rev, |path| select.wants(path))?;
    crate::console::timing::lap(&format!("revision {rev} read"));
    let files = at_rev.files.into_iter().collect();
    let run = pipeline::check_blobs(files, config, sources, overrides)?;
    Ok((run, at_rev.commit))
}
