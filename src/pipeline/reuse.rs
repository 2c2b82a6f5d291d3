//! `review` runs the same rules on two sides of a change, and most role files are the same
//! bytes on both. The head's run records what it made of each role file with the file's
//! git blob id ([`Recorded`]); the base revision then reads only the files whose blob ids
//! differ, and takes the recorded judgement of the others ([`Taking`]) when it cannot
//! differ: the same configuration, policy and catalogue files, and the same rules run
//! ([`RuleInputs`]). Otherwise the base reads those files after all and judges them itself.
//!
//! A role's judgement follows from its own bytes and the rule set only (the Jira model is
//! built after roles are judged; duplicate names and suppressions are settled later, on
//! the whole run), so a taken judgement is the one the base would have made.
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::evaluate::RuleSet;
use crate::resolve::RoleView;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

/// What judging one role file gave: its identity and class, its problems, its findings.
pub type Judged = (Option<RoleView>, Vec<Diagnostic>, Vec<Diagnostic>);

/// How a run treats its role files.
#[derive(Clone, Copy)]
pub enum Roles<'a> {
    /// Judge each.
    Judge,
    /// Judge each and keep the judgements for another run ([`Run::recorded`]).
    ///
    /// [`Run::recorded`]: super::Run::recorded
    Record,
    /// Take another run's judgements of the files both hold.
    Take(&'a Taking<'a>),
}

/// Everything a role's judgement follows from besides the role itself. `None` when a
/// file's blob id is unknown: then no two runs' inputs are known to be equal.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleInputs {
    config: Option<Arc<str>>,
    /// (display path, blob id) of every policy, catalogue and other parsed document, sorted.
    files: Vec<(String, gix::ObjectId)>,
    all_builtins: bool,
    skipped: Vec<String>,
}

impl RuleInputs {
    /// The inputs of `set`, built from the configuration and `files` of `sources`.
    pub fn of(
        set: &RuleSet,
        sources: &SourceMap,
        files: impl Iterator<Item = FileId>,
        all_builtins: bool,
    ) -> Option<Self> {
        let config = set.config.origin.as_ref().map(|(id, _)| sources.text(*id));
        let mut files = files
            .map(|id| Some((sources.display(id).to_string(), sources.blob(id)?)))
            .collect::<Option<Vec<_>>>()?;
        files.sort_unstable();
        Some(RuleInputs {
            config,
            files,
            all_builtins,
            skipped: set.skipped_codes(),
        })
    }
}

/// One role file as a run judged it.
struct Role {
    blob: gix::ObjectId,
    /// Its id in the recording run's source map.
    file: FileId,
    judged: Judged,
    /// Its text when it may hold suppression comments (the map keeps such texts).
    pragma: Option<Arc<str>>,
}

/// A run's judgement of its role files, by display path.
#[derive(Default)]
pub struct Recorded {
    inputs: Option<RuleInputs>,
    roles: FxHashMap<String, Role>,
}

impl Recorded {
    pub fn new(inputs: Option<RuleInputs>) -> Self {
        Recorded {
            inputs,
            roles: FxHashMap::default(),
        }
    }

    /// Keep the judgement of `file` (of `sources`), when its blob id is known.
    pub fn keep(
        &mut self,
        sources: &SourceMap,
        file: FileId,
        pragma: Option<Arc<str>>,
        judged: &Judged,
    ) {
        if let Some(blob) = sources.blob(file) {
            let role = Role {
                blob,
                file,
                judged: judged.clone(),
                pragma,
            };
            self.roles.insert(sources.display(file).to_string(), role);
        }
    }

    /// Whether the role file recorded at `display` is the blob `blob`.
    pub fn holds(&self, display: &str, blob: &gix::ObjectId) -> Option<FileId> {
        let role = self.roles.get(display)?;
        (role.blob == *blob).then_some(role.file)
    }

    /// How many role files are recorded.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}

/// A run's files that are byte for byte role files another run recorded.
pub struct Taking<'a> {
    recorded: &'a Recorded,
    /// The recording run's source map (the paths its findings' labels point to).
    theirs: &'a SourceMap,
    /// This run's ids of those files, sorted.
    pub files: Vec<FileId>,
}

impl<'a> Taking<'a> {
    pub fn new(recorded: &'a Recorded, theirs: &'a SourceMap, mut files: Vec<FileId>) -> Self {
        files.sort_unstable();
        Taking {
            recorded,
            theirs,
            files,
        }
    }

    /// Give the taken files that may hold suppression comments their text in `sources`
    /// and name them in `pragma_files` (before the rule set reads those comments).
    pub fn pragmas(&self, sources: &SourceMap, pragma_files: &mut Vec<FileId>) {
        for &id in &self.files {
            let Some(text) = self.role(sources, id).and_then(|r| r.pragma.clone()) else {
                continue;
            };
            // As loading names them: a text kept for another reason holds no comment.
            if crate::load::has_pragma(&text) {
                pragma_files.push(id);
            }
            sources.keep(id, text);
        }
        pragma_files.sort_unstable();
        pragma_files.dedup();
    }

    /// Whether the recorded judgements hold under `inputs` (this run's rule set).
    pub fn holds_under(&self, inputs: Option<&RuleInputs>) -> bool {
        inputs.is_some() && self.recorded.inputs.as_ref() == inputs
    }

    fn role(&self, sources: &SourceMap, id: FileId) -> Option<&'a Role> {
        self.recorded.roles.get(sources.display(id))
    }

    /// The recorded judgement of this run's file `id`, its file ids moved to this run's
    /// files of the same paths (`None` when one has no counterpart here).
    pub fn take(&self, index: &Index<'_>, id: FileId) -> Option<Judged> {
        let role = self.role(index.sources, id)?;
        if index.sources.blob(id) != Some(role.blob) {
            return None;
        }
        let map = |theirs: FileId| match theirs == role.file {
            true => Some(id),
            false => index.get(self.theirs.display(theirs)),
        };
        let (view, problems, findings) = &role.judged;
        let view = match view {
            Some(v) => {
                let mut v = v.clone();
                v.file = map(v.file)?;
                Some(v)
            }
            None => None,
        };
        let moved = |list: &Vec<Diagnostic>| -> Option<Vec<Diagnostic>> {
            list.iter()
                .map(|d| {
                    let mut d = d.clone();
                    d.location.file = map(d.location.file)?;
                    for l in &mut d.labels {
                        l.location.file = map(l.location.file)?;
                    }
                    Some(d)
                })
                .collect()
        };
        Some((view, moved(problems)?, moved(findings)?))
    }
}

/// A source map's files by display path, built on first use (only a finding whose label
/// points into another file needs it). A path two files show (a repository directory
/// named like the built-ins') maps to neither.
pub struct Index<'a> {
    sources: &'a SourceMap,
    by_display: OnceLock<FxHashMap<&'a str, Option<FileId>>>,
}

impl<'a> Index<'a> {
    pub fn new(sources: &'a SourceMap) -> Self {
        Index {
            sources,
            by_display: OnceLock::new(),
        }
    }

    fn get(&self, display: &str) -> Option<FileId> {
        let map = self.by_display.get_or_init(|| {
            let mut map = FxHashMap::default();
            for i in 0..self.sources.len() as u32 {
                let id = FileId(i);
                (map.entry(self.sources.display(id)))
                    .and_modify(|seen| *seen = None)
                    .or_insert(Some(id));
            }
            map
        });
        map.get(display).copied().flatten()
    }
}
