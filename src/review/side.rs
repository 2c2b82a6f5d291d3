//! Evaluating the repository at a git revision with the same pipeline as `check`, once.
//! The revision is read in memory by the one mechanism `license --against` uses too
//! ([`crate::fsio::revision`]): nothing in it reaches the file system. A role file the
//! revision holds byte for byte as the working tree does may be taken from the working
//! tree's run instead of read ([`crate::pipeline::reuse`]); its text, should a finding in
//! it ever be shown, is then the working tree's file of the same bytes.
use crate::config::Overrides;
use crate::config::{self, Config};
use crate::diagnostics::source::SourceMap;
use crate::discover::Select;
use crate::error::Fatal;
use crate::fsio::revision::{self, Listing};
use crate::pipeline::{self, Reuse, RevisionFile, Run};
use std::path::Path;

/// The run of the repository at `rev` and the commit it resolved to. The checked root
/// maps to the same directory of the revision's tree; the configuration at the revision
/// (the file of the same name in that directory) is used when it exists there, the
/// working tree's otherwise.
pub fn run_at(rev: &str, config_path: Option<&Path>, root: &Path) -> Result<(Run, String), Fatal> {
    list_at(rev, config_path, root)?.check(&Overrides::default(), Reuse::None)
}

/// The repository at a revision: its configuration read, its files listed, none read yet.
pub struct AtRevision {
    listing: Listing,
    config: Config,
    sources: SourceMap,
    /// How it was listed, to list it again ([`AtRevision::check`]).
    rev: String,
    config_path: Option<std::path::PathBuf>,
    root: std::path::PathBuf,
}

/// List the repository at `rev` (see [`run_at`]).
pub fn list_at(rev: &str, config_path: Option<&Path>, root: &Path) -> Result<AtRevision, Fatal> {
    let config_name = config_path
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(str::to_string);
    let mut listing = revision::list(root, rev, |_| true)?;
    let mut sources = SourceMap::new();
    let config = match (config_path, &config_name) {
        (Some(p), Some(name)) => {
            let at = listing.blobs.iter().position(|(path, _)| path == name);
            let bytes = listing
                .read(|i| Some(i) == at)?
                .into_iter()
                .flatten()
                .next();
            match bytes {
                Some(bytes) => config::parse(p, bytes, &mut sources)?,
                None => config::load(p, &mut sources)?,
            }
        }
        _ => Config::default(),
    };
    let select = Select::new(&config);
    listing.blobs.retain(|(path, _)| select.wants(path));
    crate::console::timing::lap(&format!("revision {rev} listed"));
    Ok(AtRevision {
        listing,
        config,
        sources,
        rev: rev.to_string(),
        config_path: config_path.map(Path::to_path_buf),
        root: root.to_path_buf(),
    })
}

impl AtRevision {
    /// The run of the revision's files (and the commit they are at). With
    /// [`Reuse::From`] a run that recorded its role files, the files that are byte for
    /// byte one of those are not read here: their judgement is taken from that run. When
    /// it cannot be (that run judged under other rules), the revision is read whole.
    pub fn check(self, overrides: &Overrides, reuse: Reuse<'_>) -> Result<(Run, String), Fatal> {
        let again = (
            self.rev.clone(),
            self.config_path.clone(),
            self.root.clone(),
        );
        let (run, commit) = self.check_once(overrides, reuse)?;
        if !run.untaken {
            return Ok((run, commit));
        }
        let (rev, config_path, root) = again;
        list_at(&rev, config_path.as_deref(), &root)?.check_once(overrides, Reuse::None)
    }

    fn check_once(self, overrides: &Overrides, reuse: Reuse<'_>) -> Result<(Run, String), Fatal> {
        let recorded = match reuse {
            Reuse::From(run) => run.recorded.as_ref(),
            _ => None,
        };
        let blobs = self.listing.blobs.iter();
        let same: Vec<_> = blobs
            .map(|(path, blob)| recorded.and_then(|r| r.holds(path, blob)))
            .collect();
        let contents = self.listing.read(|i| same[i].is_none())?;
        crate::console::timing::lap("revision read");
        let files = (self.listing.blobs.into_iter().zip(contents).zip(same))
            .map(|(((path, blob), bytes), same)| match (bytes, same) {
                (Some(bytes), _) => Some(RevisionFile::Read(path, bytes, Some(blob))),
                (None, Some(theirs)) => Some(RevisionFile::AsRecorded(path, theirs, blob)),
                // `read` gives every blob it is asked for.
                (None, None) => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Fatal::msg("cannot read a revision: the repository is damaged"))?;
        let run = pipeline::check_revision(files, self.config, self.sources, overrides, reuse)?;
        Ok((run, self.listing.commit))
    }
}
