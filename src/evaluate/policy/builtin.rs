//! The built-in policies and catalogues, embedded so `rolelint check` works with no setup.

/// `(display path, text)` of every built-in policy file.
pub const POLICIES: &[(&str, &str)] = &[
    (
        "<builtin>/policies/integrated-user-maximum.toml",
        include_str!("../../../policies/integrated-user-maximum.toml"),
    ),
    (
        "<builtin>/policies/scheme-hygiene.toml",
        include_str!("../../../policies/scheme-hygiene.toml"),
    ),
    (
        "<builtin>/policies/board-capabilities.toml",
        include_str!("../../../policies/board-capabilities.toml"),
    ),
];

/// The default wording of each rule type's findings (labels, notes and the sentences some
/// placeholders stand for); a rule entry's `[rule.text]` overrides it.
pub const RULE_TEXT: (&str, &str) = (
    "<builtin>/policies/rule-types.toml",
    include_str!("../../../policies/rule-types.toml"),
);

/// The built-in files role checks depend on: a run with no Jira documents, codes in its
/// configuration or policies of its own parses only these (the single-file pre-commit case).
pub const ROLE_FILES: &[&str] = &[
    "<builtin>/policies/integrated-user-maximum.toml",
    "<builtin>/policies/catalog/align-toggles.toml",
];

use super::set::Parts;
use super::PolicyDoc;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::document::align_catalogue::{self, CatalogueDoc};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, OnceLock};

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
pub fn register(
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

/// A built-in file as read once per process: built-ins are policies and catalogues, which
/// copy; their diagnostics (none, unless a built-in is broken) too.
enum ParsedBuiltin {
    Policy(PolicyDoc),
    Catalogue(Arc<CatalogueDoc>),
    Broken,
}

/// The built-ins as read once per process for each id they were registered from: a
/// document's spans name its file id, and `pipeline::check_texts` registers them after the
/// few documents it checks. `policy test` runs thousands of such checks, and parsing the
/// built-ins was nearly all of each one's work. Each built-in is parsed the first time a run
/// asks for it: a run of roles alone (the pre-commit case) never parses the Jira policies.
type Slot = OnceLock<(ParsedBuiltin, Vec<Diagnostic>)>;
type ParsedFrom = FxHashMap<(FileId, usize, usize), Arc<[Slot]>>;
static PARSED: Mutex<Option<ParsedFrom>> = Mutex::new(None);

impl Builtins {
    /// Add some of the built-ins to `parts`; their problems go to `diags`.
    pub fn read(
        &self,
        ids: &[FileId],
        sources: &SourceMap,
        parts: &mut Parts,
        diags: &mut Vec<Diagnostic>,
    ) {
        let parsed = self.parsed(ids, sources);
        let first = self.all.first().map_or(0, |id| id.0);
        for id in ids {
            let Some((doc, found)) = parsed[(id.0 - first) as usize].get() else {
                continue; // `parsed` filled every slot of `ids`
            };
            diags.extend(found.iter().cloned());
            match doc {
                ParsedBuiltin::Policy(p) => parts.policies.push(p.clone()),
                ParsedBuiltin::Catalogue(c) => parts.catalogues.push(c.clone()),
                ParsedBuiltin::Broken => {}
            }
        }
    }

    /// The built-ins' slots for their ids, those of `ids` filled (once per process; in
    /// parallel when there are enough to parse).
    fn parsed(&self, ids: &[FileId], sources: &SourceMap) -> Arc<[Slot]> {
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
        let parsed = crate::load::map_enough(&missing, |&id| self.parse_one(id, sources));
        for (id, p) in missing.iter().zip(parsed) {
            let _ = slot(id).set(p);
        }
        slots
    }

    fn parse_one(&self, id: FileId, sources: &SourceMap) -> (ParsedBuiltin, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let doc = if self.catalogue == Some(id) {
            prebuilt_catalogue(id, &mut diags).map(ParsedBuiltin::Catalogue)
        } else {
            super::parse(id, &sources.text(id), &mut diags).map(ParsedBuiltin::Policy)
        };
        (doc.unwrap_or(ParsedBuiltin::Broken), diags)
    }
}

/// The built-in toggle catalogue from `build.rs`'s reading of it, validated as a file would be.
fn prebuilt_catalogue(id: FileId, diags: &mut Vec<Diagnostic>) -> Option<Arc<CatalogueDoc>> {
    let raw = crate::catalog::builtin_raw();
    align_catalogue::validate(id, raw, diags).map(Arc::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{self, Document};

    /// `build.rs`'s reading of the built-in catalogue is exactly what parsing its embedded
    /// text gives, spans included (`Spanned`'s `Debug` shows them), and it is what
    /// `Builtins::read` hands out.
    #[test]
    fn prebuilt_catalogue_equals_parsing_its_text() {
        let mut sources = SourceMap::new();
        let builtins = register(&mut sources, &[], &[]);
        let id = builtins.catalogue.expect("the catalogue is a built-in");
        let parsed = document::parse(id, &sources.text(id));
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let Some(Document::AlignCatalogue(parsed)) = parsed.document else {
            panic!("the built-in catalogue parses");
        };
        let (mut parts, mut diags) = (Parts::default(), Vec::new());
        builtins.read(&[id], &sources, &mut parts, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let parsed = format!("{parsed:?}");
        assert!(parsed.contains("span: "), "spans are compared");
        assert_eq!(parsed, format!("{:?}", parts.catalogues[0]));
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
        let builtins = register(&mut sources, JIRA, &role_files);
        assert_eq!((builtins.role.len(), builtins.all.len()), (1, 3));
        let filled = || {
            let slots = builtins.parsed(&[], &sources);
            slots.iter().filter(|s| s.get().is_some()).count()
        };
        assert_eq!(filled(), 0);
        let mut parts = Parts::default();
        builtins.read(&builtins.role, &sources, &mut parts, &mut Vec::new());
        assert_eq!((parts.catalogues.len(), parts.policies.len()), (1, 0));
        assert_eq!(filled(), 1);
        let mut problems = Vec::new();
        builtins.read(
            &builtins.all,
            &sources,
            &mut Parts::default(),
            &mut problems,
        );
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
            let builtins = register(&mut sources, &[], &[]);
            let mut parts = Parts::default();
            builtins.read(&builtins.all, &sources, &mut parts, &mut Vec::new());
            parts.catalogues.pop().expect("the catalogue is a built-in")
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
