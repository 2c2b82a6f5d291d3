//! The role stage: each role file parsed and judged as it comes, its text dropped once done
//! with (ten thousand toggle trees never sit in memory together), or its judgement taken
//! from another run that judged the same bytes under the same rules ([`super::reuse`]).
use super::reuse::{Index, Judged, Recorded, RuleInputs, Taking};
use crate::diagnostics::source::{FileId, SourceMap};
use crate::document::Document;
use crate::evaluate::{self, RuleSet};
use crate::load::{self, Pending};
use std::sync::Arc;

pub struct Judging<'a> {
    pub set: &'a RuleSet,
    pub sources: &'a SourceMap,
    /// Judgements to take, when they hold under this run's rules.
    pub taking: Option<&'a Taking<'a>>,
    /// Keep each judgement for another run ([`Recorded`]).
    pub record: bool,
}

/// A role file: read, or left to take another run's judgement of.
enum Role {
    Read(Pending),
    Taken(FileId),
}

/// What became of one role file: its judgement, whether it was taken, and (recording) its
/// id and text when the map keeps it.
type Outcome = (Judged, bool, Option<(FileId, Option<Arc<str>>)>);

impl Judging<'_> {
    /// The judgement of every file of `roles` and `taken` in file order (duplicate role
    /// names are found in that order, as if every file had been read), what was recorded,
    /// and how many judgements were taken; `None` when one of `taken` could not be (its
    /// bytes were never read: the run must read the revision whole instead).
    pub fn run(
        &self,
        roles: Vec<Pending>,
        taken: &[FileId],
        inputs: Option<RuleInputs>,
    ) -> Option<(Vec<Judged>, Option<Recorded>, usize)> {
        let mut all: Vec<Role> = Vec::with_capacity(roles.len() + taken.len());
        let mut taken = taken.iter().copied().peekable();
        for p in roles {
            while let Some(id) = taken.next_if(|id| *id < p.file) {
                all.push(Role::Taken(id));
            }
            all.push(Role::Read(p));
        }
        all.extend(taken.map(Role::Taken));
        let index = Index::new(self.sources);
        let outcomes = load::map_enough_owned(all, |role| self.one(&index, role));
        let mut recorded = self.record.then(|| Recorded::new(inputs));
        let mut judged = Vec::with_capacity(outcomes.len());
        let mut count = 0;
        for outcome in outcomes {
            let (one, was_taken, kept) = outcome?;
            if let (Some(r), Some((file, text))) = (recorded.as_mut(), kept) {
                r.keep(self.sources, file, text, &one);
            }
            count += usize::from(was_taken);
            judged.push(one);
        }
        Some((judged, recorded, count))
    }

    fn one(&self, index: &Index<'_>, role: Role) -> Option<Outcome> {
        match role {
            Role::Read(pending) => Some(self.judge(pending)),
            Role::Taken(id) => {
                let judged = self.taking.and_then(|t| t.take(index, id))?;
                Some((judged, true, None))
            }
        }
    }

    fn judge(&self, pending: Pending) -> Outcome {
        let parsed = pending.parse();
        let (view, findings) = match &parsed.document {
            Some(Document::AlignRole(role)) => {
                let view = self.set.view(role);
                let findings = evaluate::check_role(self.set, role, &view);
                (Some(view), findings)
            }
            _ => (None, Vec::new()),
        };
        let kept = self.record.then(|| (pending.file, pending.kept().cloned()));
        let file = pending.file;
        // Where the reports will ask for a line and column: each finding's start and end,
        // and its labels' starts.
        let found = (parsed.diagnostics.iter().chain(&findings)).flat_map(|d| {
            let span = &d.location.span;
            let own = (d.location.file == file).then_some([span.start, span.end.max(span.start)]);
            let labels = d.labels.iter().filter(|l| l.location.file == file);
            own.into_iter()
                .flatten()
                .chain(labels.map(|l| l.location.span.start))
        });
        pending.done(
            self.sources,
            !parsed.diagnostics.is_empty(),
            !findings.is_empty(),
            found,
        );
        ((view, parsed.diagnostics, findings), false, kept)
    }
}
