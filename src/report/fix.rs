//! Applying fixes (`check --fix`): the edits findings carry ([`crate::diagnostics::fix`])
//! made to a document's text, and the diff `--diff` shows.
use crate::diagnostics::fix::{Edit, Fix};
use crate::document::toggle_tree::normalize;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use toml_edit::{Document, DocumentMut, Item, Key, TableLike};

/// The fixed text, and which fixes were applied. A fix is not applied when its key is not
/// found again, when two fixes edit one key, or when a rename would collide with a name
/// already there.
#[derive(Debug, Default)]
pub struct Applied {
    pub text: String,
    /// One entry per fix given to [`apply`], in order.
    pub done: Vec<bool>,
}

impl Applied {
    pub fn applied(&self) -> usize {
        self.done.iter().filter(|d| **d).count()
    }

    pub fn skipped(&self) -> usize {
        self.done.len() - self.applied()
    }
}

/// Apply `fixes` (primary span, fix) to one file's text.
///
/// Renaming a value's key and replacing a value are splices of the original text (byte
/// exact). Renaming a table's key (a section or group in a `[toggles.X.Y]` header or a
/// dotted key) goes through `toml_edit`, which writes every header and dotted key naming
/// that table from one key, so all of them change together. A table a removal leaves
/// empty goes with it (an empty `[toggles.X.Y]` would only be noise).
pub fn apply(text: &str, fixes: &[(Range<usize>, Fix)]) -> Result<Applied, String> {
    let doc = Document::parse(text).map_err(|e| e.message().to_string())?;
    // Every target is found in one walk of the document and every removal is done in one
    // pass per table or array, so the work is linear in the file and the number of fixes
    // (a grant list can hold 100,000s of duplicates).
    let mut wanted = Wanted::default();
    for (span, fix) in fixes {
        if fix.edit == Edit::RemoveArrayItem {
            wanted.items.insert(span.clone(), None);
        } else {
            wanted.keys.insert(span.clone(), None);
        }
    }
    wanted.locate(doc.as_item(), &mut Vec::new());
    let mut done = vec![false; fixes.len()];
    let mut splices: Vec<(Range<usize>, String)> = Vec::new();
    // Keys to remove, by the path of their table; array elements, by the path of their array.
    let mut removals: FxHashMap<&[String], FxHashSet<&str>> = FxHashMap::default();
    let mut renames: Vec<(usize, Vec<String>, String)> = Vec::new();
    let mut seen: FxHashSet<&[String]> = FxHashSet::default();
    let mut items: FxHashMap<&[String], FxHashSet<usize>> = FxHashMap::default();
    let mut names = Names::default();
    for (i, (span, fix)) in fixes.iter().enumerate() {
        if fix.edit == Edit::RemoveArrayItem {
            if let Some((path, index)) = wanted.items.get(span).and_then(Option::as_ref) {
                done[i] = items.entry(path).or_default().insert(*index);
            }
            continue;
        }
        let Some(Some(found)) = wanted.keys.get(span) else {
            continue;
        };
        if !seen.insert(&found.path) {
            continue; // one edit per key; the re-check reports what remains
        }
        match &fix.edit {
            Edit::RenameKey(to) if found.is_table => {
                renames.push((i, found.path.clone(), to.clone()))
            }
            // Renaming onto a name the table has, or will have after an earlier rename,
            // would clobber or duplicate it.
            Edit::RenameKey(to) => {
                if names.rename(doc.as_item(), &found.path, to) {
                    splices.push((span.clone(), Key::new(to.as_str()).display_repr().into()));
                    done[i] = true;
                }
            }
            Edit::SetStrings(v) => {
                if let Some(vs) = &found.value_span {
                    let array: toml_edit::Array = v.iter().map(String::as_str).collect();
                    splices.push((vs.clone(), array.to_string().trim().to_string()));
                    done[i] = true;
                }
            }
            Edit::RemoveKey => {
                if let Some((last, parent)) = found.path.split_last() {
                    removals.entry(parent).or_default().insert(last);
                    done[i] = true;
                }
            }
            Edit::RemoveArrayItem => {} // handled above
        }
    }
    let mut out = splice(text, splices);
    if !removals.is_empty() || !items.is_empty() || !renames.is_empty() {
        let mut doc: DocumentMut = out.parse().map_err(|e: toml_edit::TomlError| {
            format!("fixed text does not parse: {}", e.message())
        })?;
        // In path order, so the result does not depend on hashing.
        let mut removals: Vec<_> = removals.into_iter().collect();
        removals.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (parent, keys) in &removals {
            remove_keys(doc.as_item_mut(), parent, keys);
            if let Some(key) = keys.iter().next() {
                let mut removed = parent.to_vec();
                removed.push(key.to_string());
                remove_emptied_tables(doc.as_item_mut(), &removed);
            }
        }
        for (path, indexes) in &items {
            remove_array_items(doc.as_item_mut(), path, indexes);
        }
        // Deepest first, so a renamed table's own path is still valid when a table
        // above it is renamed too; those of one table together, in one pass over it.
        renames.sort_by(|a, b| {
            let parent = |r: &(usize, Vec<String>, String)| r.1[..r.1.len() - 1].to_vec();
            (b.1.len().cmp(&a.1.len())).then_with(|| parent(a).cmp(&parent(b)))
        });
        for group in renames.chunk_by(|a, b| a.1[..a.1.len() - 1] == b.1[..b.1.len() - 1]) {
            for (i, ok) in rename_tables(doc.as_item_mut(), group) {
                done[i] = ok;
            }
        }
        out = doc.to_string();
    }
    if text.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(Applied { text: out, done })
}

/// `text` with each range replaced, copying the text between them once. Ranges are
/// disjoint (one per key); one inside an earlier one is left out.
fn splice(text: &str, mut splices: Vec<(Range<usize>, String)>) -> String {
    splices.sort_by_key(|s| s.0.start);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (range, with) in &splices {
        if let Some(between) = text
            .get(from..range.start)
            .filter(|_| range.end <= text.len())
        {
            out.push_str(between);
            out.push_str(with);
            from = range.end;
        }
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out
}

/// What the fixes point at, by span, and where each was found (`None`: not found).
#[derive(Default)]
struct Wanted {
    keys: FxHashMap<Range<usize>, Option<Found>>,
    /// Array element span → the path of its array and its index.
    items: FxHashMap<Range<usize>, Option<(Vec<String>, usize)>>,
}

impl Wanted {
    /// One walk of the tables under `item` (arrays directly under a table included),
    /// recording the first place each wanted span is found.
    fn locate(&mut self, item: &Item, path: &mut Vec<String>) {
        let Some(table) = item.as_table_like() else {
            return;
        };
        for (name, child) in table.iter() {
            path.push(name.to_string());
            if let Some((key, _)) = table.get_key_value(name) {
                if let Some(slot) = key.span().and_then(|s| self.keys.get_mut(&s)) {
                    slot.get_or_insert_with(|| Found {
                        path: path.clone(),
                        value_span: child.span(),
                        is_table: child.is_table(),
                    });
                }
            }
            if let Some(array) = child.as_array() {
                for (i, v) in array.iter().enumerate() {
                    if let Some(slot) = v.span().and_then(|s| self.items.get_mut(&s)) {
                        slot.get_or_insert_with(|| (path.clone(), i));
                    }
                }
            }
            self.locate(child, path);
            path.pop();
        }
    }
}

/// Remove `keys` from the table at `path`, in one pass over it.
fn remove_keys(item: &mut Item, path: &[String], keys: &FxHashSet<&str>) {
    match at_path_mut(item, path) {
        Some(Item::Table(t)) => t.retain(|k, _| !keys.contains(k)),
        Some(Item::Value(toml_edit::Value::InlineTable(t))) => t.retain(|k, _| !keys.contains(k)),
        Some(other) => {
            if let Some(t) = other.as_table_like_mut() {
                for k in keys {
                    t.remove(k);
                }
            }
        }
        None => {}
    }
}

/// Remove the elements at `indexes` from the array at `path`, in one pass over it.
fn remove_array_items(item: &mut Item, path: &[String], indexes: &FxHashSet<usize>) {
    if let Some(array) = at_path_mut(item, path).and_then(Item::as_array_mut) {
        let mut i = 0;
        array.retain(|_| {
            i += 1;
            !indexes.contains(&(i - 1))
        });
    }
}

/// A key found again in the document by its span.
struct Found {
    path: Vec<String>,
    /// The span of its value (`None` for tables written as headers).
    value_span: Option<Range<usize>>,
    /// A table (header or dotted key), which may be named in several places.
    is_table: bool,
}

fn at_path<'a>(item: &'a Item, path: &[String]) -> Option<&'a Item> {
    path.iter()
        .try_fold(item, |at, p| at.as_table_like().and_then(|t| t.get(p)))
}

fn at_path_mut<'a>(item: &'a mut Item, path: &[String]) -> Option<&'a mut Item> {
    let mut at = item;
    for p in path {
        at = at.as_table_like_mut()?.get_mut(p)?;
    }
    Some(at)
}

/// The names of the keys of each table a rename touches (normalised: names ignore case
/// and spacing, so `epics` blocks renaming `Epicks` to `Epics`), read from the document
/// once per table and updated as renames are planned: a look-up per rename, not a scan of
/// its table, and two keys are never renamed onto one name.
#[derive(Default)]
struct Names {
    tables: FxHashMap<Vec<String>, FxHashMap<String, usize>>,
}

impl Names {
    /// Plan renaming the key at `path` to `to`: false when another key of its table names
    /// `to` already (or will, after a rename planned before).
    fn rename(&mut self, doc: &Item, path: &[String], to: &str) -> bool {
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        let names = self.tables.entry(parents.to_vec()).or_insert_with(|| {
            let mut names = FxHashMap::default();
            let table = at_path(doc, parents).and_then(Item::as_table_like);
            for (k, _) in table.into_iter().flat_map(|t| t.iter()) {
                *names.entry(normalize(k)).or_default() += 1;
            }
            names
        });
        let (from, to) = (normalize(last), normalize(to));
        let others = names.get(&to).copied().unwrap_or(0) - usize::from(from == to);
        if others > 0 {
            return false;
        }
        if let Some(n) = names.get_mut(&from) {
            *n -= 1;
        }
        *names.entry(to).or_default() += 1;
        true
    }
}

fn remove_path(item: &mut Item, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    if let Some(t) = at_path_mut(item, parents).and_then(Item::as_table_like_mut) {
        t.remove(last);
    }
}

/// After removing `removed`, remove the tables above it that are now empty, up to (not
/// including) the document's top-level keys.
fn remove_emptied_tables(item: &mut Item, removed: &[String]) {
    for depth in (2..removed.len()).rev() {
        let path = &removed[..depth];
        let empty = at_path(item, path)
            .filter(|i| i.is_table())
            .and_then(Item::as_table_like)
            .is_some_and(|t| t.is_empty());
        if !empty {
            return;
        }
        remove_path(item, path);
    }
}

/// Rename the tables at `renames` (paths in one parent table) to their new names, keeping
/// their place among their siblings and the layout of their keys; which renames were done.
/// When the parent already has a table called the new name (another header spells the
/// section right, or an earlier rename gave it that name), the children move into it
/// unless one of them is already there. One pass over the parent for all of them.
fn rename_tables(item: &mut Item, renames: &[(usize, Vec<String>, String)]) -> Vec<(usize, bool)> {
    let failed = || renames.iter().map(|(i, _, _)| (*i, false)).collect();
    let Some(parents) = renames.first().map(|(_, p, _)| &p[..p.len() - 1]) else {
        return Vec::new();
    };
    let Some(table) = at_path_mut(item, parents).and_then(Item::as_table_like_mut) else {
        return failed();
    };
    // Normalised name → the keys (as written now) that have it or will have it.
    let mut names: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for (k, _) in table.iter() {
        names.entry(normalize(k)).or_default().push(k.to_string());
    }
    let mut new_names: FxHashMap<String, String> = FxHashMap::default();
    // The children of each table merged into: read once, updated as children move in.
    let mut children: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
    let mut out = Vec::with_capacity(renames.len());
    for (i, path, to) in renames {
        let Some(last) = path.last() else {
            out.push((*i, false));
            continue;
        };
        let (from, target) = (normalize(last), normalize(to));
        let existing = names
            .get(&target)
            .and_then(|keys| keys.iter().find(|k| *k != last))
            .cloned();
        let done = match existing {
            Some(existing) => {
                let present = children.entry(existing.clone()).or_insert_with(|| {
                    let target = table.get(&existing).and_then(Item::as_table_like);
                    target
                        .into_iter()
                        .flat_map(|t| t.iter())
                        .map(|(k, _)| normalize(k))
                        .collect()
                });
                let merged = merge_into(table, last, &existing, present);
                if merged {
                    forget(&mut names, &from, last);
                }
                merged
            }
            None => {
                forget(&mut names, &from, last);
                names.entry(target).or_default().push(last.clone());
                new_names.insert(last.clone(), to.clone());
                true
            }
        };
        out.push((*i, done));
    }
    if new_names.is_empty() {
        return out;
    }
    // toml_edit has no rename: take every entry out and put them back in order.
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let mut entries = Vec::with_capacity(keys.len());
    for name in &keys {
        if let (Some(key), Some(value)) = (table.key(name).cloned(), table.remove(name)) {
            entries.push((key, value));
        }
    }
    for (key, value) in entries {
        let key = match new_names.get(key.get()) {
            Some(to) => Key::new(to.as_str())
                .with_leaf_decor(key.leaf_decor().clone())
                .with_dotted_decor(key.dotted_decor().clone()),
            None => key,
        };
        table.entry_format(&key).or_insert(value);
    }
    out
}

/// Drop `key` from the keys named `name`.
fn forget(names: &mut FxHashMap<String, Vec<String>>, name: &str, key: &str) {
    if let Some(keys) = names.get_mut(name) {
        keys.retain(|k| k != key);
    }
}

/// Move the children of table `from` into table `into` (both children of `parent`), then
/// drop `from`. Only when `from` is named by headers alone (`[toggles.Progrm.Manage]`),
/// whose tables keep their place in the file, and no child's name is already in `into`
/// (`present`: the normalised names of its children, which this keeps up to date).
fn merge_into(
    parent: &mut dyn TableLike,
    from: &str,
    into: &str,
    present: &mut FxHashSet<String>,
) -> bool {
    let (Some(source), Some(_)) = (
        parent.get(from).and_then(Item::as_table),
        parent.get(into).and_then(Item::as_table),
    ) else {
        return false;
    };
    let headers_only = source.is_implicit()
        && !source.is_dotted()
        && source
            .iter()
            .all(|(_, c)| c.as_table().is_some_and(|t| !t.is_dotted()));
    let moving: Vec<String> = source.iter().map(|(k, _)| normalize(k)).collect();
    let clash = moving.iter().any(|k| present.contains(k));
    if !headers_only || clash {
        return false;
    }
    let Some(Item::Table(mut source)) = parent.remove(from) else {
        return false;
    };
    let Some(target) = parent.get_mut(into).and_then(Item::as_table_mut) else {
        return false;
    };
    let names: Vec<String> = source.iter().map(|(k, _)| k.to_string()).collect();
    for name in &names {
        if let (Some(key), Some(value)) = (source.key(name).cloned(), source.remove(name)) {
            target.insert_formatted(&key, value);
        }
    }
    present.extend(moving);
    true
}

/// A unified diff of one file, for `--diff`.
pub fn unified_diff(display: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).unwrap_or(0);
        start..start + needle.len()
    }

    #[test]
    fn removes_duplicate_array_items_keeping_the_rest() {
        let text = "kind = \"jira-permission-scheme\"\n[grants]\nBROWSE_PROJECTS = [\"role:Users\", \"role:Dev\", \"role:Users\"] # who browses\n";
        let second = text.rfind("\"role:Users\"").unwrap_or(0);
        let fixes = vec![(second..second + 12, Fix::safe(Edit::RemoveArrayItem))];
        let out = apply(text, &fixes).map(|a| a.text).unwrap_or_default();
        assert_eq!(
            out,
            "kind = \"jira-permission-scheme\"\n[grants]\nBROWSE_PROJECTS = [\"role:Users\", \"role:Dev\"] # who browses\n"
        );
    }

    #[test]
    fn renames_removes_and_sets_keeping_comments() {
        let text = "kind = \"align-role\"\n# the team\n[toggles.Team.Manage]\nStorys = [] # typo\nSprints = \"all\"\nEpics = []\n";
        let fixes = vec![
            (
                span_of(text, "Storys"),
                Fix::safe(Edit::RenameKey("Stories".into())),
            ),
            (
                span_of(text, "Sprints"),
                Fix::unsafe_(Edit::SetStrings(vec![])),
            ),
            (span_of(text, "Epics"), Fix::unsafe_(Edit::RemoveKey)),
        ];
        let out = apply(text, &fixes).map(|a| a.text).unwrap_or_default();
        assert_eq!(
            out,
            "kind = \"align-role\"\n# the team\n[toggles.Team.Manage]\nStories = [] # typo\nSprints = []\n"
        );
    }

    #[test]
    fn quotes_names_that_need_it() {
        let text = "[toggles.Program.Manage]\n\"Program Bord\" = []\n";
        let fixes = vec![(
            span_of(text, "\"Program Bord\""),
            Fix::safe(Edit::RenameKey("Program Board".into())),
        )];
        let out = apply(text, &fixes).map(|a| a.text).unwrap_or_default();
        assert_eq!(out, "[toggles.Program.Manage]\n\"Program Board\" = []\n");
    }

    #[test]
    fn renames_a_section_into_the_one_already_spelled_right_unless_a_group_clashes() {
        let text = "[toggles.Program.Track]\nRoadmaps = []\n\n# manage\n[toggles.Progrm.Manage]\nFeatures = []\n";
        let fixes = vec![(
            span_of(text, "Progrm"),
            Fix::safe(Edit::RenameKey("Program".into())),
        )];
        let applied = apply(text, &fixes).unwrap_or_default();
        assert_eq!(applied.text, text.replace("Progrm", "Program"));
        assert_eq!(applied.done, vec![true]);
        let clash = format!("{text}\n[toggles.Program.Manage]\nObjectives = []\n");
        let fixes = vec![(
            span_of(&clash, "Progrm"),
            Fix::safe(Edit::RenameKey("Program".into())),
        )];
        let applied = apply(&clash, &fixes).unwrap_or_default();
        assert_eq!(applied.text, clash);
        assert_eq!(applied.done, vec![false]);
    }

    #[test]
    fn a_leaf_rename_onto_an_existing_spelling_is_not_applied() {
        let text = "[toggles.Team.Manage]\nStorys = []\nstories = []\n";
        let fixes = vec![(
            span_of(text, "Storys"),
            Fix::safe(Edit::RenameKey("Stories".into())),
        )];
        let applied = apply(text, &fixes).unwrap_or_default();
        assert_eq!(applied.text, text);
        assert_eq!(applied.skipped(), 1);
    }

    /// Two misspellings of one name in one table: renaming both would write the key twice
    /// (a file that no longer parses). The first is renamed; the second is left to the user.
    #[test]
    fn two_keys_are_never_renamed_onto_one_name() {
        let text = "[toggles.Program.Track]\nRoadmapz = []\nRoadmapx = []\n";
        let rename = |key| {
            (
                span_of(text, key),
                Fix::safe(Edit::RenameKey("Roadmaps".into())),
            )
        };
        let applied = apply(text, &[rename("Roadmapz"), rename("Roadmapx")]).unwrap_or_default();
        assert_eq!(
            applied.text,
            "[toggles.Program.Track]\nRoadmaps = []\nRoadmapx = []\n"
        );
        assert_eq!(applied.done, vec![true, false]);
    }

    /// Two misspelt sections renamed onto one name: the first is renamed, the second
    /// merges into it (its group is not there yet); a third whose group is, stays.
    #[test]
    fn misspelt_tables_renamed_onto_one_name_merge_into_the_first() {
        let text = "[toggles.Progrm.Track]\nRoadmaps = []\n\n[toggles.Prgram.Manage]\nFeatures = []\n\n[toggles.Programm.Track]\nObjectives = []\n";
        let rename = |key| {
            (
                span_of(text, key),
                Fix::safe(Edit::RenameKey("Program".into())),
            )
        };
        let fixes = [rename("Progrm"), rename("Prgram"), rename("Programm")];
        let applied = apply(text, &fixes).unwrap_or_default();
        assert_eq!(
            applied.text,
            "[toggles.Program.Track]\nRoadmaps = []\n\n[toggles.Program.Manage]\nFeatures = []\n\n[toggles.Programm.Track]\nObjectives = []\n"
        );
        assert_eq!(applied.done, vec![true, true, false]);
    }
}
