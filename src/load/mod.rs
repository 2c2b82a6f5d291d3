//! Load: read every candidate file once ([`load`], in parallel) and sort it by its `kind`
//! (read before parsing, `document::kind`). Policies, roles and Jira documents wait as
//! text, smaller than parsed, for the stages that read them: policies make the rule set,
//! then roles are parsed one by one as they are judged, then the Jira documents are parsed
//! into the model. Catalogues (part of the rule set) and files of no known kind are parsed
//! here. A file's text is dropped once done with, unless a diagnostic needs to show it.
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::fsio::read::{ReadError, Refusal};
use rayon::prelude::*;
use std::sync::Arc;

/// Every file of a run, read.
pub struct Loaded {
    /// Catalogues, parsed.
    pub documents: Vec<Document>,
    /// The files `documents` were parsed from (and those of no kind a later stage reads).
    pub document_files: Vec<FileId>,
    /// Role files, to be parsed when the rule set judging them is built.
    pub roles: Vec<Pending>,
    /// Policy files, for the rule set to read.
    pub policies: Vec<Pending>,
    /// Jira documents, to be parsed into the model.
    pub jira: Vec<Pending>,
    /// Problems with the files themselves (syntax, unknown keys, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose text contains `rolelint:` (kept in the source map): the only ones that
    /// can hold suppression comments, so suppressions never re-read the other files.
    pub pragma_files: Vec<FileId>,
}

/// A file read and not yet parsed: a role or a policy.
pub struct Pending {
    pub file: FileId,
    text: PendingText,
}

enum PendingText {
    Owned(String),
    /// Also kept in the source map (it may hold suppression comments).
    Kept(Arc<str>),
}

impl Pending {
    pub fn text(&self) -> &str {
        match &self.text {
            PendingText::Owned(t) => t,
            PendingText::Kept(t) => t,
        }
    }

    /// The text, when the source map keeps it too (it may hold suppression comments).
    pub fn kept(&self) -> Option<&Arc<str>> {
        match &self.text {
            PendingText::Owned(_) => None,
            PendingText::Kept(t) => Some(t),
        }
    }

    /// Parse a role's or a Jira document's text (a policy is read by the rule set:
    /// `evaluate::policy::parse`).
    pub fn parse(&self) -> document::Parsed {
        document::parse(self.file, self.text())
    }

    /// Done with the file: its text is kept when `problems` must show it (or the map keeps
    /// every text); otherwise, so reporting needs no second read of the file, the positions
    /// of the offsets `found` (where its findings point) are, or, with none known, its line
    /// index when a finding `may_report` into it. When the map is
    /// [`SourceMap::hashing_lines`], the digests of the lines at `found` are kept too.
    pub fn done(
        self,
        sources: &SourceMap,
        problems: bool,
        may_report: bool,
        found: impl Iterator<Item = usize>,
    ) {
        let found: Vec<usize> = found.collect();
        if sources.hashes_lines() && !found.is_empty() {
            sources.keep_line_digests(self.file, self.text(), &found);
        }
        let PendingText::Owned(text) = self.text else {
            return;
        };
        if problems || sources.keeps_texts() {
            sources.keep(self.file, Arc::from(text));
        } else if !found.is_empty() {
            sources.keep_positions(self.file, &text, &found);
        } else if may_report {
            sources.keep_lines(self.file, &text);
        }
    }
}

/// What one file became.
enum Outcome {
    Document(Box<Document>),
    Role(Pending),
    Policy(Pending),
    Jira(Pending),
    Nothing,
}

/// One file read: what it became, its problems, its text when something needs it.
struct Done(Outcome, Vec<Diagnostic>, Option<Arc<str>>);

/// Read every file of `ids` once (in parallel when there are enough of them).
pub fn load(ids: &[FileId], sources: &SourceMap) -> Result<Loaded, Fatal> {
    let done = map_enough(ids, |&id| read(id, sources));
    collect(done, ids, sources)
}

/// Map over `items` in parallel only when there are enough of them: starting rayon's pool
/// (a cgroup probe, two threads, a malloc arena each) costs as much as checking a small file,
/// and a pre-commit hook usually passes one or two.
pub fn map_enough<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < PARALLEL_FROM {
        items.iter().map(f).collect()
    } else {
        crate::threads::ensure_pool();
        items.par_iter().map(f).collect()
    }
}

/// [`map_enough`] taking the items, each dropped as soon as it is done with (the texts of
/// ten thousand roles are not held until the last one is judged).
pub fn map_enough_owned<T: Send, R: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < PARALLEL_FROM {
        items.into_iter().map(f).collect()
    } else {
        crate::threads::ensure_pool();
        items.into_par_iter().map(f).collect()
    }
}

const PARALLEL_FROM: usize = 4;

/// Read the file `id` of the source map (on disk or given as text) and sort it by kind. A
/// file the repository boundary refuses is not read: its finding is the file's only problem.
fn read(id: FileId, sources: &SourceMap) -> Result<Done, Fatal> {
    let bytes = match sources.bytes(id) {
        Ok(bytes) => bytes,
        Err(ReadError::Refused(why)) => {
            let d = not_read(id, sources.display(id), why);
            return Ok(Done(Outcome::Nothing, vec![d], None));
        }
        Err(e) => {
            let shown = crate::inert::escape(sources.display(id));
            return Err(Fatal::msg(format!("`{shown}` {e}")));
        }
    };
    sources.note_blob(id, &bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (d, lossy) = not_utf8(id, e);
            return Ok(Done(Outcome::Nothing, vec![d], Some(lossy)));
        }
    };
    let pending = |mut text: String| {
        let text = match has_pragma(&text) || sources.keeps_texts() {
            true => PendingText::Kept(Arc::from(text)),
            false => {
                // Held until parsed: the read buffer's spare room goes back now.
                text.shrink_to_fit();
                PendingText::Owned(text)
            }
        };
        Pending { file: id, text }
    };
    let waits: Option<fn(Pending) -> Outcome> = match document::kind::top_level(&text).as_deref() {
        Some("align-role") => Some(Outcome::Role),
        Some("policy") => Some(Outcome::Policy),
        Some(kind) if kind.starts_with("jira-") && document::KINDS.contains(&kind) => {
            Some(Outcome::Jira)
        }
        _ => None,
    };
    if let Some(outcome) = waits {
        return Ok(Done(outcome(pending(text)), Vec::new(), None));
    }
    let parsed = document::parse(id, &text);
    let outcome = match parsed.document {
        Some(doc) => Outcome::Document(Box::new(doc)),
        None => Outcome::Nothing,
    };
    // The text is kept when a finding must show it or it may hold suppression comments;
    // otherwise only its line index is, when a later finding may point into it.
    let keep = !parsed.diagnostics.is_empty() || has_pragma(&text) || sources.keeps_texts();
    let text = if keep {
        Some(Arc::from(text))
    } else {
        if matches!(outcome, Outcome::Document(_)) {
            sources.keep_lines(id, &text);
        }
        None
    };
    Ok(Done(outcome, parsed.diagnostics, text))
}

/// Gather the files `ids` were made into (in the same order): texts kept in the source map,
/// documents, roles, policies and problems each in one list.
fn collect(
    done: Vec<Result<Done, Fatal>>,
    ids: &[FileId],
    sources: &SourceMap,
) -> Result<Loaded, Fatal> {
    // Sized first: growing these lists while moving 16,000 outcomes in would copy them again
    // at every doubling.
    let (mut roles, mut jira, mut diagnostics) = (0, 0, 0);
    for Done(outcome, diags, _) in done.iter().flatten() {
        diagnostics += diags.len();
        match outcome {
            Outcome::Role(_) => roles += 1,
            Outcome::Jira(_) => jira += 1,
            Outcome::Document(_) | Outcome::Policy(_) | Outcome::Nothing => {}
        }
    }
    let mut loaded = Loaded {
        documents: Vec::new(),
        document_files: Vec::new(),
        roles: Vec::with_capacity(roles),
        policies: Vec::new(),
        jira: Vec::with_capacity(jira),
        diagnostics: Vec::with_capacity(diagnostics),
        pragma_files: Vec::new(),
    };
    for (result, id) in done.into_iter().zip(ids) {
        let Done(outcome, diagnostics, text) = result?;
        let text = match &outcome {
            Outcome::Role(p) | Outcome::Policy(p) | Outcome::Jira(p) => match &p.text {
                PendingText::Kept(t) => Some(t.clone()),
                PendingText::Owned(_) => None,
            },
            _ => text,
        };
        if let Some(t) = text {
            if has_pragma(&t) {
                loaded.pragma_files.push(*id);
            }
            sources.keep(*id, t);
        }
        loaded.diagnostics.extend(diagnostics);
        match outcome {
            Outcome::Document(d) => {
                loaded.documents.push(*d);
                loaded.document_files.push(*id);
            }
            Outcome::Role(p) => loaded.roles.push(p),
            Outcome::Policy(p) => loaded.policies.push(p),
            Outcome::Jira(p) => loaded.jira.push(p),
            Outcome::Nothing => {}
        }
    }
    Ok(loaded)
}

/// The finding for a file the repository boundary refused to read.
pub fn not_read(id: FileId, display: &str, why: Refusal) -> Diagnostic {
    let shown = crate::inert::escape(display);
    let reason = why.to_string();
    let file = &shown;
    match why {
        Refusal::TooLarge(_) => says::TooLarge {
            file,
            reason: &reason,
        }
        .at(id, 0..0),
        _ => says::NotRead {
            file,
            reason: &reason,
        }
        .at(id, 0..0),
    }
}

/// True when a text may hold a `# rolelint:` suppression comment (cheap substring test).
pub fn has_pragma(text: &str) -> bool {
    text.contains("rolelint:")
}

/// The finding for bytes that are not UTF-8, and the lossy text it points into.
fn not_utf8(id: FileId, e: std::string::FromUtf8Error) -> (Diagnostic, Arc<str>) {
    let at = e.utf8_error().valid_up_to();
    let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
    let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let offset = at.to_string();
    let d = says::NotUtf8 { offset: &offset }.at(id, at..end);
    (d, lossy)
}

/// Parse one file's bytes as a document (a policy gives none: see `document`); the text is
/// returned only when there are diagnostics or it may hold suppression comments.
pub fn parse_bytes(id: FileId, bytes: Vec<u8>) -> (document::Parsed, Option<Arc<str>>) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let parsed = document::parse(id, &text);
            let keep = !parsed.diagnostics.is_empty() || has_pragma(&text);
            (parsed, keep.then(|| Arc::from(text)))
        }
        Err(e) => {
            let (d, lossy) = not_utf8(id, e);
            let parsed = document::Parsed {
                document: None,
                diagnostics: vec![d],
            };
            (parsed, Some(lossy))
        }
    }
}
