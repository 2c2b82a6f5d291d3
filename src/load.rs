//! Load: read and parse candidate files in parallel. A file's text is dropped after
//! parsing unless a diagnostic needs to show it.
use crate::checks;
use crate::diagnostic::Diagnostic;
use crate::discover::Candidate;
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::source::{FileId, SourceMap};
use rayon::prelude::*;
use std::sync::Arc;

/// A parsed file and, when it has diagnostics, its text.
type ParsedFile = (document::Parsed, Option<Arc<str>>);

pub struct Loaded {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose text contains `rolelint:` (kept in the source map): the only ones that
    /// can hold suppression comments, so suppressions never re-read the other files.
    pub pragma_files: Vec<FileId>,
}

/// Register candidates in the source map and load them.
pub fn load_files(candidates: Vec<Candidate>, sources: &mut SourceMap) -> Result<Loaded, Fatal> {
    let ids: Vec<(FileId, Candidate)> = candidates
        .into_iter()
        .map(|c| (sources.add_disk(c.path.clone(), c.display.clone()), c))
        .collect();
    let sources = &*sources;
    let results: Vec<Result<ParsedFile, Fatal>> = ids
        .par_iter()
        .map(|(id, c)| {
            let bytes = std::fs::read(&c.path)
                .map_err(|e| Fatal::msg(format!("cannot read `{}`: {e}", c.display)))?;
            Ok(parse_bytes(*id, bytes))
        })
        .collect();
    let mut loaded = Loaded {
        documents: Vec::new(),
        diagnostics: Vec::new(),
        pragma_files: Vec::new(),
    };
    for (result, (id, _)) in results.into_iter().zip(&ids) {
        let (parsed, text) = result?;
        if let Some(t) = text {
            if has_pragma(&t) {
                loaded.pragma_files.push(*id);
            }
            sources.keep(*id, t);
        }
        loaded.diagnostics.extend(parsed.diagnostics);
        loaded.documents.extend(parsed.document);
    }
    Ok(loaded)
}

/// True when a text may hold a `# rolelint:` suppression comment (cheap substring test).
pub fn has_pragma(text: &str) -> bool {
    text.contains("rolelint:")
}

/// Parse one file's bytes; the text is returned only when there are diagnostics or it may
/// hold suppression comments.
pub fn parse_bytes(id: FileId, bytes: Vec<u8>) -> (document::Parsed, Option<Arc<str>>) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let parsed = document::parse(id, &text);
            let keep =
                (!parsed.diagnostics.is_empty() || has_pragma(&text)).then(|| Arc::from(text));
            (parsed, keep)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            let end = lossy[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let d = checks::NOT_UTF8
                .at(id, at..end, "file is not valid UTF-8")
                .with_label(format!("invalid byte at offset {at}"));
            let parsed = document::Parsed {
                document: None,
                diagnostics: vec![d],
            };
            (parsed, Some(lossy))
        }
    }
}

/// Load the built-in policies and catalogues (embedded in the binary).
pub fn load_builtins(sources: &mut SourceMap) -> Loaded {
    let mut loaded = Loaded {
        documents: Vec::new(),
        diagnostics: Vec::new(),
        pragma_files: Vec::new(),
    };
    let files = crate::policy::builtin::POLICIES
        .iter()
        .chain(std::iter::once(&crate::catalog::ALIGN_TOGGLES));
    for (name, text) in files {
        let id = sources.add_text(*name, *text);
        let parsed = document::parse(id, text);
        loaded.diagnostics.extend(parsed.diagnostics);
        loaded.documents.extend(parsed.document);
    }
    loaded
}
