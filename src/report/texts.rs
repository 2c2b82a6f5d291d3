//! The texts a report shows, each file read once.
//!
//! Only files a finding was reported in while loading keep their text (see
//! [`crate::source`]); the others are read again to be shown. Findings come sorted by
//! file, but a finding also shows the lines of its labels in other files (a scheme a
//! project uses, a policy), so a single "last file" slot read such a file again for each
//! finding pointing at it. [`Texts`] reads each file when a batch of findings first
//! needs it, the batch's files in parallel, and forgets it after the last finding that
//! shows it: every file is read at most once and only the files still to be shown are
//! held.
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Findings rendered (and their files read) together.
pub const BATCH: usize = 512;

/// A file's text and, for a human report, where its lines start as miette counts lines.
#[derive(Clone)]
pub struct Shown {
    pub text: Arc<str>,
    pub starts: Arc<[usize]>,
}

/// What a report shows of its findings' files.
#[derive(Clone, Copy)]
pub struct Need {
    /// The files of labels in other files too, not only each finding's own.
    pub labels: bool,
    /// Line starts as miette counts lines (left empty otherwise).
    pub starts: bool,
}

pub struct Texts<'a> {
    sources: &'a SourceMap,
    need: Need,
    /// Position of the last finding that shows each file.
    last_use: FxHashMap<FileId, usize>,
    live: FxHashMap<FileId, Shown>,
}

/// The files a finding shows: its own first, then (`labels`) those of its labels.
fn files_of(d: &Diagnostic, labels: bool) -> impl Iterator<Item = FileId> + '_ {
    let labels = if labels { &d.labels[..] } else { &[] };
    std::iter::once(d.location.file).chain(labels.iter().map(|l| l.location.file))
}

impl<'a> Texts<'a> {
    /// Texts for showing `findings` in this order.
    pub fn new(sources: &'a SourceMap, findings: &[&Diagnostic], need: Need) -> Self {
        let mut last_use = FxHashMap::default();
        for (i, d) in findings.iter().enumerate() {
            for file in files_of(d, need.labels) {
                last_use.insert(file, i);
            }
        }
        Self {
            sources,
            need,
            last_use,
            live: FxHashMap::default(),
        }
    }

    /// Read the files `findings` (at positions `first..`) show that are not in memory yet,
    /// in parallel, and forget those no finding from `first` on shows.
    pub fn prepare(&mut self, first: usize, findings: &[&Diagnostic]) {
        self.live
            .retain(|file, _| self.last_use.get(file).is_some_and(|&last| last >= first));
        let mut missing: Vec<FileId> = findings
            .iter()
            .flat_map(|d| files_of(d, self.need.labels))
            .filter(|f| !self.live.contains_key(f))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let read: Vec<(FileId, Shown)> = missing
            .into_par_iter()
            .map(|file| (file, self.read(file)))
            .collect();
        self.live.extend(read);
    }

    fn read(&self, file: FileId) -> Shown {
        let text = self.sources.text_once(file);
        let starts = match self.need.starts {
            true => super::window::line_starts(&text),
            false => Arc::from([]),
        };
        Shown { text, starts }
    }

    /// A file [`Self::prepare`] read (or, should it not have, read now).
    pub fn get(&self, file: FileId) -> Shown {
        match self.live.get(&file) {
            Some(s) => s.clone(),
            None => self.read(file),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::source::{FileId, Location, SourceMap};
    use crate::diagnostics::{Diagnostic, Severity};
    use crate::report::{human::Human, Emitter, Report};

    /// Findings in three files, each with a label in one shared file (a scheme that boards
    /// use): every file is read once, not the shared one again for each finding.
    #[test]
    fn a_human_report_reads_each_file_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut sources = SourceMap::new();
        let ids: Vec<FileId> = ["shared.toml", "a.toml", "b.toml", "c.toml"]
            .iter()
            .map(|name| {
                let path = dir.path().join(name);
                std::fs::write(&path, format!("name = \"{name}\"\nx = 1\n")).expect("write");
                sources.add_disk(path, name.to_string())
            })
            .collect();
        let shared = ids[0];
        let findings: Vec<Diagnostic> = ids[1..]
            .iter()
            .flat_map(|&file| {
                (0..3).map(move |i| {
                    Diagnostic::new("AL1", "n", Severity::Error, format!("m{i}"), file, 0..4)
                        .with_secondary(Location::new(shared, 0..4), "granted here")
                })
            })
            .collect();
        let report = Report {
            diagnostics: &findings,
            sources: &sources,
            files_checked: 4,
            checked: &[],
            rules: Vec::new(),
        };
        let mut out = Vec::new();
        Human::plain().emit(&report, &mut out).expect("renders");
        let out = String::from_utf8(out).expect("UTF-8");
        assert_eq!(out.matches("╭─[shared.toml:1:1]").count(), 9, "{out}");
        assert_eq!(sources.rereads(), 4);
    }
}
