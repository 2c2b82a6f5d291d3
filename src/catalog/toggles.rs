//! The merged Jira Align toggle catalogue: look-up by normalised path, aliases,
//! level renamings (`[align.terminology]`) and did-you-mean for unknown names.
use crate::diagnostics::source::Location;
use crate::diagnostics::suggest::did_you_mean;
use crate::document::align_catalogue::{CatalogueDoc, Status};
use crate::document::toggle_tree::normalize;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, Weak};

#[derive(Debug, Clone)]
pub struct CatToggle {
    /// `[section, group, toggle]` as the catalogue spells them.
    pub parts: [String; 3],
    pub status: Status,
    pub subs: Vec<String>,
    pub deprecated: bool,
    pub location: Location,
    /// `parts`, normalised once for look-ups.
    norm: [String; 3],
    /// `Section > Group > Toggle`, shared by every finding that names it.
    pub path: Arc<str>,
}

impl CatToggle {
    pub fn display(&self) -> String {
        self.path.to_string()
    }
}

/// Index into [`ToggleCatalog::toggles`].
pub type ToggleId = usize;

/// Group → toggle → entry, under one section.
pub type ExactGroups = FxHashMap<String, FxHashMap<String, ToggleId>>;
/// Section → group → toggle → entry.
type Tree = FxHashMap<String, ExactGroups>;

/// Add a path to a tree; the first entry for a path wins.
fn insert_path(tree: &mut Tree, path: &[String; 3], id: ToggleId) {
    tree.entry(path[0].clone())
        .or_default()
        .entry(path[1].clone())
        .or_default()
        .entry(path[2].clone())
        .or_insert(id);
}

#[derive(Debug, Default)]
pub struct ToggleCatalog {
    pub toggles: Vec<CatToggle>,
    /// normalised section → group → toggle (aliases included) → entry
    /// (Fx hashing: these short keys are looked up for every toggle of every role.)
    tree: Tree,
    /// The same tree keyed by names exactly as the catalogue spells them (aliases too):
    /// roles mostly copy those spellings, and an exact hit needs no normalising.
    exact: Tree,
    /// normalised section → display name
    sections: BTreeMap<String, String>,
    /// normalised level name used in a customer's UI → canonical section name
    terminology: HashMap<String, String>,
    /// [`Self::lookup`]'s answer for each distinct written path that did not resolve: a
    /// repository repeats the same few misspellings thousands of times, and each answer
    /// compares the name with its candidates. Filled from the worker threads.
    unknown: Mutex<FxHashMap<String, Unknown>>,
    /// [`Self::close_names`]' answer for each distinct question, for the same reason.
    close: Mutex<FxHashMap<String, CloseNames>>,
}

/// The names of one level of the catalogue ([`ToggleCatalog::close_names`]).
#[derive(Debug, Clone, Copy)]
pub enum Level<'a> {
    Sections,
    /// The groups of a section.
    Groups(&'a str),
    /// The toggles of `section > group`.
    Toggles(&'a str, &'a str),
}

/// The names of a level close enough to a written name to be suggested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseNames {
    /// The closest ([`did_you_mean`]'s answer).
    pub closest: Option<String>,
    /// How many are close enough.
    pub count: usize,
}

/// Why a name did not resolve, with the closest known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// Which part was unknown: 0 section, 1 group, 2 toggle.
    pub level: usize,
    pub suggestion: Option<String>,
}

/// Catalogues built from one document alone, with no level renamings: the built-in
/// catalogue, in nearly every run. A run prepares its workspace up to twice and `policy
/// test` runs thousands of small checks over the same (shared) built-in document. Kept
/// while their document lives; the weak reference keeps the document's allocation, so no
/// other document can later take its address and be mistaken for it.
type Built = (Weak<CatalogueDoc>, Arc<ToggleCatalog>);
static BUILT: Mutex<Vec<Built>> = Mutex::new(Vec::new());

impl ToggleCatalog {
    /// The catalogue `docs` make, in order, under the level renamings `terminology`.
    pub fn of<'a>(
        docs: &[Arc<CatalogueDoc>],
        terminology: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Arc<ToggleCatalog> {
        let mut terminology = terminology.into_iter().peekable();
        let only = match docs {
            [only] if terminology.peek().is_none() => only,
            _ => {
                let mut catalog = ToggleCatalog::default();
                for doc in docs {
                    catalog.add(doc);
                }
                catalog.set_terminology(terminology);
                return Arc::new(catalog);
            }
        };
        let find = |built: &mut Vec<Built>| {
            built.retain(|(doc, _)| doc.strong_count() > 0);
            built
                .iter()
                .find(|(doc, _)| std::ptr::eq(doc.as_ptr(), Arc::as_ptr(only)))
                .map(|(_, catalog)| catalog.clone())
        };
        if let Some(catalog) = find(&mut BUILT.lock().unwrap_or_else(|e| e.into_inner())) {
            return catalog;
        }
        let mut catalog = ToggleCatalog::default();
        catalog.add(only);
        let catalog = Arc::new(catalog);
        let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
        match find(&mut built) {
            Some(first) => first,
            None => {
                built.push((Arc::downgrade(only), catalog.clone()));
                catalog
            }
        }
    }

    pub fn add(&mut self, doc: &CatalogueDoc) {
        self.forget_unknown();
        for s in &doc.sections {
            self.sections
                .entry(normalize(s.get_ref()))
                .or_insert_with(|| s.get_ref().clone());
        }
        for t in &doc.toggles {
            let parts = t.path.get_ref().clone();
            let norm = [
                normalize(&parts[0]),
                normalize(&parts[1]),
                normalize(&parts[2]),
            ];
            if self.get_norm(&norm[0], &norm[1], &norm[2]).is_some() {
                continue; // a repository's entry for a built-in path adds nothing new
            }
            self.sections
                .entry(normalize(&parts[0]))
                .or_insert_with(|| parts[0].clone());
            let id = self.toggles.len();
            self.insert(&norm, id);
            self.insert_exact(&parts, id);
            self.toggles.push(CatToggle {
                path: Arc::from(parts.join(" > ")),
                norm,
                parts,
                status: t.status,
                subs: t.subs.clone(),
                deprecated: t.deprecated,
                location: Location::new(doc.file, t.path.span()),
            });
            for a in &t.aliases {
                let a = a.get_ref();
                let alias = [normalize(&a[0]), normalize(&a[1]), normalize(&a[2])];
                if self.get_norm(&alias[0], &alias[1], &alias[2]).is_none() {
                    self.insert(&alias, id);
                    self.insert_exact(a, id);
                }
            }
        }
    }

    fn insert_exact(&mut self, parts: &[String; 3], id: ToggleId) {
        insert_path(&mut self.exact, parts, id);
    }

    /// The groups of a section written exactly as the catalogue spells it. `None` when
    /// level renamings are configured: then every name goes through the normalised path.
    pub fn exact_section(&self, written: &str) -> Option<&ExactGroups> {
        if !self.terminology.is_empty() {
            return None;
        }
        self.exact.get(written)
    }

    fn insert(&mut self, norm: &[String; 3], id: ToggleId) {
        insert_path(&mut self.tree, norm, id);
    }

    /// Look up already-normalised names (the hot path: no allocation).
    pub fn get_norm(&self, section: &str, group: &str, toggle: &str) -> Option<ToggleId> {
        self.tree.get(section)?.get(group)?.get(toggle).copied()
    }

    /// Map renamed levels back (`"Release Train" = "Program"`).
    pub fn set_terminology<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
        self.forget_unknown();
        for (shown, canonical) in pairs {
            self.terminology
                .insert(normalize(shown), canonical.to_string());
        }
    }

    /// The normalised key and the catalogue's name of a written section name (after
    /// renamings), in one look-up.
    pub fn section_entry(&self, written: &str) -> Option<(&str, &str)> {
        let key = normalize(written);
        let key = match self.terminology.get(&key) {
            Some(c) => normalize(c),
            None => key,
        };
        let (key, name) = self.sections.get_key_value(&key)?;
        Some((key.as_str(), name.as_str()))
    }

    /// The canonical section name for what a document wrote, if known.
    pub fn section(&self, written: &str) -> Option<&str> {
        self.section_entry(written).map(|(_, name)| name)
    }

    pub fn get(&self, id: ToggleId) -> &CatToggle {
        &self.toggles[id]
    }

    /// Resolve a written `section > group > toggle` path.
    pub fn lookup(&self, section: &str, group: &str, toggle: &str) -> Result<ToggleId, Unknown> {
        let key = [section, group, toggle].join("\0");
        let cached = self.unknown_cache().get(&key).cloned();
        if let Some(unknown) = cached {
            return Err(unknown);
        }
        let found = self.lookup_uncached(section, group, toggle);
        if let Err(unknown) = &found {
            self.unknown_cache().insert(key, unknown.clone());
        }
        found
    }

    /// New names or renamings change the answers for unknown paths.
    fn forget_unknown(&mut self) {
        self.unknown
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.close
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The names of `level` close to `name`, answered once per distinct question: a
    /// repository repeats its few misspellings thousands of times, and each answer
    /// compares the name with every name of the level.
    pub fn close_names(&self, level: Level<'_>, name: &str) -> CloseNames {
        let key = match level {
            Level::Sections => format!("0\0{name}"),
            Level::Groups(s) => format!("1\0{s}\0{name}"),
            Level::Toggles(s, g) => format!("2\0{s}\0{g}\0{name}"),
        };
        let cache = || self.close.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache().get(&key) {
            return hit.clone();
        }
        let names = match level {
            Level::Sections => self.section_names(),
            Level::Groups(s) => self.group_names(s),
            Level::Toggles(s, g) => self.toggle_names(s, g),
        };
        let count = names
            .iter()
            .filter(|c| did_you_mean(name, std::iter::once(c.as_str())).is_some())
            .count();
        let answer = CloseNames {
            closest: did_you_mean(name, names.iter().map(String::as_str)).map(str::to_string),
            count,
        };
        cache().insert(key, answer.clone());
        answer
    }

    fn unknown_cache(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Unknown>> {
        // A poisoned lock only means another thread panicked mid-insert of a plain map.
        self.unknown.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lookup_uncached(
        &self,
        section: &str,
        group: &str,
        toggle: &str,
    ) -> Result<ToggleId, Unknown> {
        let Some(section) = self.section(section) else {
            let names = self.sections.values().map(String::as_str);
            return Err(Unknown {
                level: 0,
                suggestion: did_you_mean(section, names).map(str::to_string),
            });
        };
        if let Some(id) = self.get_norm(&normalize(section), &normalize(group), &normalize(toggle))
        {
            return Ok(id);
        }
        let skey = normalize(section);
        let in_section: Vec<&CatToggle> =
            self.toggles.iter().filter(|t| t.norm[0] == skey).collect();
        let gkey = normalize(group);
        let group_known = in_section.iter().any(|t| t.norm[1] == gkey);
        if !group_known {
            // The toggle may exist under another group of the same section.
            if let Some(t) = in_section.iter().find(|t| t.norm[2] == normalize(toggle)) {
                return Err(Unknown {
                    level: 1,
                    suggestion: Some(t.display()),
                });
            }
            let mut groups: Vec<&str> = in_section.iter().map(|t| t.parts[1].as_str()).collect();
            groups.dedup();
            return Err(Unknown {
                level: 1,
                suggestion: did_you_mean(group, groups)
                    .map(|g| format!("{section} > {g} > {toggle}")),
            });
        }
        let siblings = in_section
            .iter()
            .filter(|t| t.norm[1] == gkey)
            .map(|t| t.parts[2].as_str());
        let suggestion = did_you_mean(toggle, siblings)
            .map(|t| format!("{section} > {group} > {t}"))
            .or_else(|| {
                in_section
                    .iter()
                    .find(|t| t.norm[2] == normalize(toggle))
                    .map(|t| t.display())
            });
        Err(Unknown {
            level: 2,
            suggestion,
        })
    }

    /// Every section name (candidates for a misspelt section).
    pub fn section_names(&self) -> Vec<String> {
        self.sections.values().cloned().collect()
    }

    /// The groups of `section` (candidates for a misspelt group).
    pub fn group_names(&self, section: &str) -> Vec<String> {
        let s = normalize(section);
        let mut out: Vec<String> = Vec::new();
        for t in self.toggles.iter().filter(|t| normalize(&t.parts[0]) == s) {
            if !out.iter().any(|g| normalize(g) == normalize(&t.parts[1])) {
                out.push(t.parts[1].clone());
            }
        }
        out
    }

    /// The toggles of `section > group` (candidates for a misspelt toggle).
    pub fn toggle_names(&self, section: &str, group: &str) -> Vec<String> {
        let (s, g) = (normalize(section), normalize(group));
        self.toggles
            .iter()
            .filter(|t| normalize(&t.parts[0]) == s && normalize(&t.parts[1]) == g)
            .map(|t| t.parts[2].clone())
            .collect()
    }

    /// Is `group` a known group of the canonical `section`?
    pub fn has_group(&self, section: &str, group: &str) -> bool {
        self.tree
            .get(&normalize(section))
            .is_some_and(|groups| groups.contains_key(&normalize(group)))
    }

    /// Every toggle under a section, or under one group of it: what an overall toggle turns on.
    pub fn under(&self, section: &str, group: Option<&str>) -> Vec<ToggleId> {
        let s = normalize(section);
        let g = group.map(normalize);
        (0..self.toggles.len())
            .filter(|&i| {
                let t = &self.toggles[i];
                t.norm[0] == s && g.as_ref().is_none_or(|g| t.norm[1] == *g)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::source::FileId;
    use crate::document::align_catalogue::CatalogueToggle;
    use toml::Spanned;

    fn doc(paths: &[[&str; 3]]) -> CatalogueDoc {
        let toggle = |p: &[&str; 3]| CatalogueToggle {
            path: Spanned::new(0..0, p.map(str::to_owned)),
            status: Status::Uncertain,
            subs: Vec::new(),
            aliases: Vec::new(),
            deprecated: false,
            note: None,
        };
        CatalogueDoc {
            file: FileId(0),
            description: None,
            sections: Vec::new(),
            toggles: paths.iter().map(toggle).collect(),
        }
    }

    fn cached(catalog: &ToggleCatalog) -> usize {
        catalog.unknown_cache().len()
    }

    /// The same misspelling asked for many times is answered once per distinct path, and
    /// the answer is the one an uncached look-up gives.
    #[test]
    fn unknown_paths_are_answered_once_per_distinct_name() {
        let mut catalog = ToggleCatalog::default();
        catalog.add(&doc(&[["Team", "Track", "Sprint Health"]]));
        let fresh = catalog.lookup_uncached("Team", "Track", "Sprnt Health");
        for _ in 0..3 {
            assert_eq!(catalog.lookup("Team", "Track", "Sprnt Health"), fresh);
        }
        assert_eq!(
            fresh.unwrap_err().suggestion.as_deref(),
            Some("Team > Track > Sprint Health")
        );
        catalog.lookup("Team", "Track", "Burndwns").unwrap_err();
        assert_eq!(catalog.lookup("Team", "Track", "Sprint Health"), Ok(0));
        assert_eq!(cached(&catalog), 2, "two distinct unknown paths");
    }

    /// Close names are computed once per distinct question, as an uncached scan finds them,
    /// and forgotten when the catalogue learns names.
    #[test]
    fn close_names_are_answered_once_per_question() {
        let mut catalog = ToggleCatalog::default();
        catalog.add(&doc(&[
            ["Team", "Track", "Sprint Health"],
            ["Team", "Track", "Sprint Healths"],
            ["Team", "Tracks", "Burndowns"],
        ]));
        let close = |c: &ToggleCatalog, level, name| {
            let CloseNames { closest, count } = c.close_names(level, name);
            (closest, count)
        };
        let two = (Some("Sprint Health".to_string()), 2);
        for _ in 0..3 {
            assert_eq!(
                close(&catalog, Level::Toggles("Team", "Track"), "Sprint Helth"),
                two
            );
        }
        assert_eq!(
            close(&catalog, Level::Groups("Team"), "Trak"),
            (Some("Track".to_string()), 2)
        );
        assert_eq!(
            close(&catalog, Level::Sections, "Teams"),
            (Some("Team".to_string()), 1)
        );
        assert_eq!(close(&catalog, Level::Sections, "zzz"), (None, 0));
        let cached = |c: &ToggleCatalog| c.close.lock().unwrap().len();
        assert_eq!(cached(&catalog), 4, "four distinct questions");
        catalog.add(&doc(&[["Team", "Track", "Sprint Helth"]]));
        assert_eq!(cached(&catalog), 0);
        assert_eq!(
            close(&catalog, Level::Toggles("Team", "Track"), "Sprint Helth"),
            (Some("Sprint Helth".to_string()), 3)
        );
    }

    /// A name the catalogue learns later is no longer unknown.
    #[test]
    fn adding_names_forgets_earlier_answers() {
        let mut catalog = ToggleCatalog::default();
        catalog.add(&doc(&[["Team", "Track", "Sprint Health"]]));
        assert!(catalog.lookup("Team", "Track", "Burndowns").is_err());
        catalog.add(&doc(&[["Team", "Track", "Burndowns"]]));
        assert_eq!(cached(&catalog), 0);
        assert_eq!(catalog.lookup("Team", "Track", "Burndowns"), Ok(1));
    }
}
