//! Load: read and parse candidate files ([`read`]), in parallel ([`map_enough`]); the
//! pipeline evaluates each role as it is parsed, then [`collect`] gathers what the files
//! became. A file's text is dropped after parsing unless a diagnostic needs to show it.
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::document::{self, align_catalogue, Document};
use crate::error::Fatal;
use crate::fsio::read::{ReadError, Refusal};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Every file of a run, loaded: `R` is what the caller made of each role as it came.
pub struct Loaded<R> {
    /// Documents other than roles.
    pub documents: Vec<Document>,
    /// Roles, as the caller of [`read`] turned them into [`Outcome::Role`].
    pub roles: Vec<R>,
    /// Their findings.
    pub role_findings: Vec<Diagnostic>,
    /// Problems with the files themselves (syntax, unknown keys, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose text contains `rolelint:` (kept in the source map): the only ones that
    /// can hold suppression comments, so suppressions never re-read the other files.
    pub pragma_files: Vec<FileId>,
}

/// One file read and parsed: its document, its problems and its text, until the caller
/// has done with the document what it does ([`File::done`]).
pub struct File {
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
    text: Option<Text>,
}

/// What became of one file; boxed: 16,000 of these are collected before they are sorted
/// out, and a document is twice the size of a role's outcome.
pub enum Outcome<R> {
    Document(Box<Document>),
    Role(R, Vec<Diagnostic>),
    Nothing,
}

/// A file done with: what became of it, its problems, its text when something needs it.
pub struct Done<R>(Outcome<R>, Vec<Diagnostic>, Option<Arc<str>>);

/// Map over `items` in parallel only when there are enough of them: starting rayon's pool
/// (a cgroup probe, two threads, a malloc arena each) costs as much as checking a small file,
/// and a pre-commit hook usually passes one or two.
pub fn map_enough<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    const PARALLEL_FROM: usize = 4;
    if items.len() < PARALLEL_FROM {
        items.iter().map(f).collect()
    } else {
        crate::threads::ensure_pool();
        items.par_iter().map(f).collect()
    }
}

/// Read and parse the file `id` of the source map (on disk or given as text). A file the
/// repository boundary refuses is not read: its finding is the file's only problem.
pub fn read(id: FileId, sources: &SourceMap) -> Result<File, Fatal> {
    let bytes = match sources.bytes(id) {
        Ok(bytes) => bytes,
        Err(ReadError::Refused(why)) => {
            return Ok(File {
                document: None,
                diagnostics: vec![not_read(id, sources.display(id), why)],
                text: None,
            })
        }
        Err(e) => {
            let shown = crate::inert::escape(sources.display(id));
            return Err(Fatal::msg(format!("`{shown}` {e}")));
        }
    };
    let (parsed, text) = parse_owned(id, bytes);
    Ok(File {
        document: parsed.document,
        diagnostics: parsed.diagnostics,
        text: Some(text),
    })
}

impl File {
    /// The file done with, its document become `outcome`. Its text is kept when a finding
    /// must show it or it may hold suppression comments; otherwise only its line index is,
    /// when a later finding may point into it (a role with findings, a Jira document), so
    /// reporting needs no second read of the file.
    pub fn done<R>(self, id: FileId, sources: &SourceMap, outcome: Outcome<R>) -> Done<R> {
        let text = match self.text {
            None => None,
            Some(Text::Lossy(t)) => Some(t),
            Some(Text::Valid(t))
                if !self.diagnostics.is_empty() || has_pragma(&t) || sources.keeps_texts() =>
            {
                Some(Arc::from(t))
            }
            Some(Text::Valid(t)) => {
                let may_report = match &outcome {
                    Outcome::Role(_, findings) => !findings.is_empty(),
                    Outcome::Document(_) => true,
                    Outcome::Nothing => false,
                };
                if may_report {
                    sources.keep_lines(id, &t);
                }
                None
            }
        };
        Done(outcome, self.diagnostics, text)
    }
}

/// Gather the files `ids` were made into (in the same order): texts kept in the source map,
/// documents, roles and problems each in one list.
pub fn collect<R>(
    done: Vec<Result<Done<R>, Fatal>>,
    ids: &[FileId],
    sources: &SourceMap,
) -> Result<Loaded<R>, Fatal> {
    // Sized first: growing these lists while moving 16,000 outcomes in would copy them again
    // at every doubling.
    let (mut documents, mut roles, mut role_findings, mut diagnostics) = (0, 0, 0, 0);
    for Done(outcome, diags, _) in done.iter().flatten() {
        diagnostics += diags.len();
        match outcome {
            Outcome::Document(_) => documents += 1,
            Outcome::Role(_, findings) => {
                (roles, role_findings) = (roles + 1, role_findings + findings.len())
            }
            Outcome::Nothing => {}
        }
    }
    let mut loaded = Loaded {
        documents: Vec::with_capacity(documents),
        roles: Vec::with_capacity(roles),
        role_findings: Vec::with_capacity(role_findings),
        diagnostics: Vec::with_capacity(diagnostics),
        pragma_files: Vec::new(),
    };
    for (result, id) in done.into_iter().zip(ids) {
        let Done(outcome, diagnostics, text) = result?;
        if let Some(t) = text {
            if has_pragma(&t) {
                loaded.pragma_files.push(*id);
            }
            sources.keep(*id, t);
        }
        loaded.diagnostics.extend(diagnostics);
        match outcome {
            Outcome::Document(d) => loaded.documents.push(*d),
            Outcome::Role(view, findings) => {
                loaded.roles.push(view);
                loaded.role_findings.extend(findings);
            }
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

/// A file's text after parsing.
enum Text {
    /// Valid UTF-8: the caller decides whether to keep it.
    Valid(String),
    /// Not UTF-8: the lossy text its diagnostic points into, always kept.
    Lossy(Arc<str>),
}

/// Parse one file's bytes; the text is returned only when there are diagnostics or it may
/// hold suppression comments.
pub fn parse_bytes(id: FileId, bytes: Vec<u8>) -> (document::Parsed, Option<Arc<str>>) {
    let (parsed, text) = parse_owned(id, bytes);
    let keep = match text {
        Text::Lossy(t) => Some(t),
        Text::Valid(t) => (!parsed.diagnostics.is_empty() || has_pragma(&t)).then(|| Arc::from(t)),
    };
    (parsed, keep)
}

fn parse_owned(id: FileId, bytes: Vec<u8>) -> (document::Parsed, Text) {
    match String::from_utf8(bytes) {
        Ok(text) => (document::parse(id, &text), Text::Valid(text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let offset = at.to_string();
            let d = says::NotUtf8 { offset: &offset }.at(id, at..end);
            let parsed = document::Parsed {
                document: None,
                diagnostics: vec![d],
            };
            (parsed, Text::Lossy(lossy))
        }
    }
}

/// The built-in policies and catalogues registered in a source map.
pub struct Builtins {
    /// What role checks need.
    pub role: Vec<FileId>,
    /// Every built-in file.
    pub all: Vec<FileId>,
    /// The toggle catalogue, which `build.rs` has already parsed.
    catalogue: Option<FileId>,
    /// Which list of policies was registered (its address): part of the parse cache's key.
    policies: usize,
}

/// An embedded text as shared by every source map it is registered in (`policy test`
/// registers the built-ins thousands of times), by its address and length.
fn shared(text: &'static str) -> Arc<str> {
    type ByAddress = FxHashMap<(usize, usize), Arc<str>>;
    static TEXTS: Mutex<Option<ByAddress>> = Mutex::new(None);
    let mut texts = TEXTS.lock().unwrap_or_else(|e| e.into_inner());
    texts
        .get_or_insert_default()
        .entry((text.as_ptr() as usize, text.len()))
        .or_insert_with(|| Arc::from(text))
        .clone()
}

/// Register the built-in policies `policies` (name, text; embedded in the binary) and the
/// built-in catalogues; `role_files` are those role checks need.
pub fn register_builtins(
    sources: &mut SourceMap,
    policies: &'static [(&'static str, &'static str)],
    role_files: &[&str],
) -> Builtins {
    let mut b = Builtins {
        role: Vec::new(),
        all: Vec::new(),
        catalogue: None,
        policies: policies.as_ptr() as usize,
    };
    let files = policies
        .iter()
        .chain(std::iter::once(&crate::catalog::ALIGN_TOGGLES));
    for (name, text) in files {
        let id = sources.add_text(*name, shared(text));
        if role_files.contains(name) {
            b.role.push(id);
        }
        if *name == crate::catalog::ALIGN_TOGGLES.0 {
            b.catalogue = Some(id);
        }
        b.all.push(id);
    }
    b
}

/// A built-in document as parsed once per process: built-ins are only policies and
/// catalogues, which copy; their diagnostics (none, unless a built-in is broken) too.
struct ParsedBuiltin {
    document: Option<Document>,
    diagnostics: Vec<Diagnostic>,
}

impl ParsedBuiltin {
    fn copy(&self) -> document::Parsed {
        let document = match &self.document {
            Some(Document::Policy(p)) => Some(Document::Policy(p.clone())),
            Some(Document::AlignCatalogue(c)) => Some(Document::AlignCatalogue(c.clone())),
            _ => None,
        };
        document::Parsed {
            document,
            diagnostics: self.diagnostics.clone(),
        }
    }
}

/// The built-ins as parsed once per process for each id they were registered from: a
/// document's spans name its file id, and [`crate::pipeline::check_texts`] registers them
/// after the few documents it checks. `policy test` runs thousands of such checks, and
/// parsing the built-ins was nearly all of each one's work. Each built-in is parsed the
/// first time a run asks for it: a run of roles alone (the pre-commit case) never parses
/// the Jira policies, nor the permission catalogue their rules are checked against.
type ParsedFrom = FxHashMap<(FileId, usize, usize), Arc<[OnceLock<ParsedBuiltin>]>>;
static PARSED: Mutex<Option<ParsedFrom>> = Mutex::new(None);

impl Builtins {
    /// Parse some of the built-ins; problems go to `diags`.
    pub fn parse(
        &self,
        ids: &[FileId],
        sources: &SourceMap,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Document> {
        let parsed = self.parsed(ids, sources);
        let first = self.all.first().map_or(0, |id| id.0);
        let mut docs = Vec::new();
        for id in ids {
            let Some(p) = parsed[(id.0 - first) as usize].get() else {
                continue; // `parsed` filled every slot of `ids`
            };
            let p = p.copy();
            diags.extend(p.diagnostics);
            docs.extend(p.document);
        }
        docs
    }

    /// The built-ins' slots for their ids, those of `ids` filled (once per process; in
    /// parallel when there are enough to parse).
    fn parsed(&self, ids: &[FileId], sources: &SourceMap) -> Arc<[OnceLock<ParsedBuiltin>]> {
        let Some(&first) = self.all.first() else {
            return Arc::from([]);
        };
        let key = (first, self.policies, self.all.len());
        let slots = PARSED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_default()
            .entry(key)
            .or_insert_with(|| self.all.iter().map(|_| OnceLock::new()).collect())
            .clone();
        let slot = |id: &FileId| &slots[(id.0 - first.0) as usize];
        let missing: Vec<FileId> = ids
            .iter()
            .copied()
            .filter(|id| slot(id).get().is_none())
            .collect();
        for (id, p) in missing
            .iter()
            .zip(map_enough(&missing, |&id| self.parse_one(id, sources)))
        {
            let _ = slot(id).set(ParsedBuiltin {
                document: p.document,
                diagnostics: p.diagnostics,
            });
        }
        slots
    }

    fn parse_one(&self, id: FileId, sources: &SourceMap) -> document::Parsed {
        match self.catalogue == Some(id) {
            true => prebuilt_catalogue(id),
            false => document::parse(id, &sources.text(id)),
        }
    }
}

/// The built-in toggle catalogue from `build.rs`'s reading of it, validated as a file would be.
fn prebuilt_catalogue(id: FileId) -> document::Parsed {
    let mut diagnostics = Vec::new();
    let raw = crate::catalog::builtin_raw();
    let document = align_catalogue::validate(id, raw, &mut diagnostics)
        .map(|c| Document::AlignCatalogue(Arc::new(c)));
    document::Parsed {
        document,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `build.rs`'s reading of the built-in catalogue is exactly what parsing its embedded
    /// text gives, spans included (`Spanned`'s `Debug` shows them), and it is what
    /// `Builtins::parse` hands out.
    #[test]
    fn prebuilt_catalogue_equals_parsing_its_text() {
        let mut sources = SourceMap::new();
        let builtins = register_builtins(&mut sources, &[], &[]);
        let id = builtins.catalogue.expect("the catalogue is a built-in");
        let parsed = document::parse(id, &sources.text(id));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let mut diags = Vec::new();
        let prebuilt = builtins.parse(&[id], &sources, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let parsed = format!("{:?}", parsed.document);
        assert!(parsed.contains("span: "), "spans are compared");
        assert_eq!(parsed, format!("{:?}", prebuilt.first()));
    }

    /// A run of roles alone parses only the built-ins role checks need: the Jira policies
    /// wait until a run asks for them (the pre-commit case spent a third of its time there).
    #[test]
    fn only_the_builtins_asked_for_are_parsed() {
        // Stand-ins for the Jira policies, which role checks do not need.
        static JIRA: &[(&str, &str)] = &[("<builtin>/a.toml", ""), ("<builtin>/b.toml", "")];
        let mut sources = SourceMap::new();
        for i in 0..11 {
            sources.add_text(format!("{i}.toml"), ""); // ids no other test registers from
        }
        let role_files = [crate::catalog::ALIGN_TOGGLES.0];
        let builtins = register_builtins(&mut sources, JIRA, &role_files);
        assert_eq!((builtins.role.len(), builtins.all.len()), (1, 3));
        let filled = || {
            let slots = builtins.parsed(&[], &sources);
            slots.iter().filter(|s| s.get().is_some()).count()
        };
        assert_eq!(filled(), 0);
        let roles = builtins.parse(&builtins.role, &sources, &mut Vec::new());
        assert!(matches!(roles.as_slice(), [Document::AlignCatalogue(_)]));
        assert_eq!(filled(), 1);
        let mut problems = Vec::new();
        builtins.parse(&builtins.all, &sources, &mut problems);
        assert_eq!(filled(), 3);
        assert_eq!(
            problems.len(),
            2,
            "each empty stand-in is a problem: {problems:?}"
        );
    }

    /// Built-ins registered from the same id are parsed once per process (`policy test`
    /// runs thousands of checks): runs share the catalogue document, and the toggle
    /// catalogue built from it.
    #[test]
    fn builtins_are_parsed_and_built_once() {
        let catalogue = |checked: usize| {
            let mut sources = SourceMap::new();
            for i in 0..checked {
                sources.add_text(format!("{i}.toml"), "");
            }
            let builtins = register_builtins(&mut sources, &[], &[]);
            let docs = builtins.parse(&builtins.all, &sources, &mut Vec::new());
            let found = docs.into_iter().find_map(|d| match d {
                Document::AlignCatalogue(c) => Some(c),
                _ => None,
            });
            found.expect("the catalogue is a built-in")
        };
        let (a, b) = (catalogue(3), catalogue(3));
        assert!(Arc::ptr_eq(&a, &b));
        let built = |c: &Arc<_>| crate::catalog::ToggleCatalog::of(std::slice::from_ref(c), []);
        assert!(Arc::ptr_eq(&built(&a), &built(&b)));
        // Other ids are other spans: parsed for themselves.
        let other = catalogue(4);
        assert!(!Arc::ptr_eq(&a, &other));
        assert_eq!(other.file, FileId(a.file.0 + 1));
        // Level renamings change the catalogue: never the shared one.
        let renamed =
            crate::catalog::ToggleCatalog::of(std::slice::from_ref(&a), [("Train", "Program")]);
        assert!(!Arc::ptr_eq(&renamed, &built(&a)));
        assert!(renamed.section_entry("Train").is_some());
    }
}
