//! Fixes: edits a rule attaches to its finding, applied by `check --fix`.
//!
//! A fix is described relative to the finding's primary span, which always points at
//! a key of the document (a toggle, group or section name). Applying a fix finds that
//! key again in the file with `toml_edit` (spans), so the edit lands exactly where the
//! finding points, and comments and layout elsewhere are kept.
use crate::resolve::Enabled;
use crate::suggest::did_you_mean;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use toml_edit::{Document, DocumentMut, Item, Key};

/// Whether a fix keeps the document's meaning (safe) or changes what it grants (unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Safety {
    /// Corrects spelling or removes redundancy: applied by `--fix`.
    Safe,
    /// Changes what the document enables: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// What to do with the key the finding points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Rename the key, keeping its value.
    RenameKey(String),
    /// Remove the key and its value.
    RemoveKey,
    /// Replace the key's value by this list of strings.
    SetStrings(Vec<String>),
    /// Remove the array element the finding points at (a duplicate holder).
    RemoveArrayItem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    pub edit: Edit,
}

impl Fix {
    pub fn safe(edit: Edit) -> Self {
        Self {
            safety: Safety::Safe,
            edit,
        }
    }

    pub fn unsafe_(edit: Edit) -> Self {
        Self {
            safety: Safety::Unsafe,
            edit,
        }
    }

    /// One line for the user: "rename to `Stories`".
    pub fn describe(&self) -> String {
        match &self.edit {
            Edit::RenameKey(to) => format!("rename to `{to}`"),
            Edit::RemoveKey => "remove the toggle".to_string(),
            Edit::RemoveArrayItem => "remove the duplicate".to_string(),
            Edit::SetStrings(v) if v.is_empty() => "turn every sub-toggle off".to_string(),
            Edit::SetStrings(v) => format!(
                "keep only {}",
                v.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The safe rename for an unknown toggle name: only when the catalogue's suggestion
/// differs from what was written in exactly the part the finding points at, and that
/// part has exactly one close catalogue match.
pub fn rename_unknown(item: &Enabled, catalog: &crate::catalog::ToggleCatalog) -> Option<Fix> {
    let suggestion = item.suggestion.as_deref()?;
    let written: Vec<&str> = item.path.split(" > ").collect();
    let suggested: Vec<&str> = suggestion.split(" > ").collect();
    let same = |a: &str, b: &str| {
        crate::document::toggle_tree::normalize(a) == crate::document::toggle_tree::normalize(b)
    };
    let (to, candidates): (&str, Vec<String>) = match (written.as_slice(), suggested.as_slice()) {
        ([_], [s]) => (s, catalog.section_names()),
        ([ws, _], [s, g, t]) if t.is_empty() && same(ws, s) => (g, catalog.group_names(s)),
        ([ws, wg, _], [s, g, t]) if !t.is_empty() && same(ws, s) && same(wg, g) => {
            (t, catalog.toggle_names(s, g))
        }
        _ => return None,
    };
    let name = *written.last()?;
    if !unique_close_match(name, &candidates) {
        return None;
    }
    Some(Fix::safe(Edit::RenameKey(to.to_string())))
}

/// True when exactly one candidate is close enough to `name` to be suggested.
fn unique_close_match(name: &str, candidates: &[String]) -> bool {
    let close = candidates
        .iter()
        .filter(|c| did_you_mean(name, std::iter::once(c.as_str())).is_some())
        .count();
    close == 1
}

/// Fixes that could not be applied (the key was not found again, or two fixes collide).
#[derive(Debug, Default)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
    pub skipped: usize,
}

/// Apply `fixes` (primary span, fix) to one file's text.
///
/// Every target is found in one walk of the document and every removal is done in one
/// pass per table or array, so the work is linear in the file and the number of fixes
/// (a grant list can hold 100,000s of duplicates).
pub fn apply(text: &str, fixes: &[(Range<usize>, Fix)]) -> Result<Applied, String> {
    let doc = Document::parse(text).map_err(|e| e.message().to_string())?;
    let mut wanted = Wanted::default();
    for (span, fix) in fixes {
        if fix.edit == Edit::RemoveArrayItem {
            wanted.items.insert(span.clone(), None);
        } else {
            wanted.keys.insert(span.clone(), None);
        }
    }
    wanted.locate(doc.as_item(), &mut Vec::new());
    let mut splices: Vec<(Range<usize>, String)> = Vec::new();
    // Keys to remove, by the path of their table; array elements, by the path of their array.
    let mut removals: FxHashMap<&[String], FxHashSet<&str>> = FxHashMap::default();
    let mut items: FxHashMap<&[String], FxHashSet<usize>> = FxHashMap::default();
    let (mut applied, mut skipped) = (0, 0);
    let mut seen: FxHashSet<&[String]> = FxHashSet::default();
    for (span, fix) in fixes {
        if fix.edit == Edit::RemoveArrayItem {
            match wanted.items.get(span).and_then(Option::as_ref) {
                Some((path, index)) if items.entry(path).or_default().insert(*index) => {
                    applied += 1
                }
                _ => skipped += 1,
            }
            continue;
        }
        let Some(Some((path, value_span))) = wanted.keys.get(span) else {
            skipped += 1;
            continue;
        };
        if !seen.insert(path) {
            skipped += 1; // one edit per key; the re-check reports what remains
            continue;
        }
        applied += 1;
        match &fix.edit {
            Edit::RenameKey(to) => {
                splices.push((span.clone(), Key::new(to.as_str()).display_repr().into()))
            }
            Edit::SetStrings(v) => match value_span {
                Some(vs) => {
                    let array: toml_edit::Array = v.iter().map(String::as_str).collect();
                    splices.push((vs.clone(), array.to_string().trim().to_string()));
                }
                None => {
                    applied -= 1;
                    skipped += 1;
                }
            },
            Edit::RemoveKey => {
                if let Some((last, parent)) = path.split_last() {
                    removals.entry(parent).or_default().insert(last);
                }
            }
            Edit::RemoveArrayItem => {} // handled above
        }
    }
    splices.sort_by_key(|s| s.0.start);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // One copy of the text between splices; a splice inside an earlier one is left out.
    for (range, with) in &splices {
        match text.get(from..range.start) {
            Some(between) if range.end <= text.len() => {
                out.push_str(between);
                out.push_str(with);
                from = range.end;
            }
            _ => {
                applied -= 1;
                skipped += 1;
            }
        }
    }
    out.push_str(text.get(from..).unwrap_or_default());
    if !removals.is_empty() || !items.is_empty() {
        let mut doc: DocumentMut = out.parse().map_err(|e: toml_edit::TomlError| {
            format!("fixed text does not parse: {}", e.message())
        })?;
        for (path, keys) in &removals {
            remove_keys(doc.as_item_mut(), path, keys);
        }
        for (path, indexes) in &items {
            remove_array_items(doc.as_item_mut(), path, indexes);
        }
        out = doc.to_string();
    }
    if text.ends_with('\n') && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(Applied {
        text: out,
        applied,
        skipped,
    })
}

/// A key's path and the span of its value.
type KeyAt = (Vec<String>, Option<Range<usize>>);

/// What the fixes point at, by span, and where each was found (`None`: not found).
#[derive(Default)]
struct Wanted {
    /// Key span → where the key is.
    keys: FxHashMap<Range<usize>, Option<KeyAt>>,
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
                    slot.get_or_insert_with(|| (path.clone(), child.span()));
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

/// The item at `path`, if every step is a table.
fn item_at<'a>(item: &'a mut Item, path: &[String]) -> Option<&'a mut Item> {
    let mut at = item;
    for p in path {
        at = at.as_table_like_mut()?.get_mut(p)?;
    }
    Some(at)
}

/// Remove `keys` from the table at `path`, in one pass over it.
fn remove_keys(item: &mut Item, path: &[String], keys: &FxHashSet<&str>) {
    match item_at(item, path) {
        Some(Item::Table(t)) => t.retain(|k, _| !keys.contains(k)),
        Some(Item::Value(toml_edit::Value::InlineTable(t))) => t.retain(|k, _| !keys.contains(k)),
        _ => {}
    }
}

/// Remove the elements at `indexes` from the array at `path`, in one pass over it.
fn remove_array_items(item: &mut Item, path: &[String], indexes: &FxHashSet<usize>) {
    if let Some(array) = item_at(item, path).and_then(Item::as_array_mut) {
        let mut i = 0;
        array.retain(|_| {
            i += 1;
            !indexes.contains(&(i - 1))
        });
    }
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
}
