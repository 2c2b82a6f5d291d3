//! Fixes: edits a rule attaches to its finding, applied by `check --fix`.
//!
//! A fix is described relative to the finding's primary span, which always points at
//! a key of the document (a toggle, group or section name). Applying a fix finds that
//! key again in the file with `toml_edit` (spans), so the edit lands exactly where the
//! finding points, and comments and layout elsewhere are kept.
use crate::resolve::Enabled;
use crate::suggest::did_you_mean;
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
pub fn apply(text: &str, fixes: &[(Range<usize>, Fix)]) -> Result<Applied, String> {
    let doc = Document::parse(text).map_err(|e| e.message().to_string())?;
    let mut splices: Vec<(Range<usize>, String)> = Vec::new();
    let mut removals: Vec<Vec<String>> = Vec::new();
    let mut skipped = 0;
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut items: Vec<(Vec<String>, usize)> = Vec::new();
    for (span, fix) in fixes {
        if fix.edit == Edit::RemoveArrayItem {
            match find_array_item(doc.as_item(), span, &mut Vec::new()) {
                Some(found) if !items.contains(&found) => items.push(found),
                _ => skipped += 1,
            }
            continue;
        }
        let Some((path, value_span)) = find_key(doc.as_item(), span, &mut Vec::new()) else {
            skipped += 1;
            continue;
        };
        if seen.contains(&path) {
            skipped += 1; // one edit per key; the re-check reports what remains
            continue;
        }
        seen.push(path.clone());
        match &fix.edit {
            Edit::RenameKey(to) => {
                splices.push((span.clone(), Key::new(to.as_str()).display_repr().into()))
            }
            Edit::SetStrings(v) => match value_span {
                Some(vs) => {
                    let array: toml_edit::Array = v.iter().map(String::as_str).collect();
                    splices.push((vs, array.to_string().trim().to_string()));
                }
                None => skipped += 1,
            },
            Edit::RemoveKey => removals.push(path),
            Edit::RemoveArrayItem => {} // handled above
        }
    }
    let applied = splices.len() + removals.len() + items.len();
    splices.sort_by_key(|s| std::cmp::Reverse(s.0.start));
    let mut out = text.to_string();
    for (range, with) in splices {
        out.replace_range(range, &with);
    }
    if !removals.is_empty() || !items.is_empty() {
        let mut doc: DocumentMut = out.parse().map_err(|e: toml_edit::TomlError| {
            format!("fixed text does not parse: {}", e.message())
        })?;
        for path in &removals {
            remove_path(doc.as_item_mut(), path);
        }
        // Later elements first, so earlier indexes stay valid.
        items.sort_by_key(|item| std::cmp::Reverse(item.1));
        for (path, index) in &items {
            remove_array_item(doc.as_item_mut(), path, *index);
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

/// The path to the key whose span is `target`, and the span of its value.
fn find_key(
    item: &Item,
    target: &Range<usize>,
    path: &mut Vec<String>,
) -> Option<(Vec<String>, Option<Range<usize>>)> {
    let table = item.as_table_like()?;
    for (name, child) in table.iter() {
        path.push(name.to_string());
        if let Some((key, _)) = table.get_key_value(name) {
            if key.span().as_ref() == Some(target) {
                return Some((path.clone(), child.span()));
            }
        }
        if let Some(found) = find_key(child, target, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

fn remove_path(item: &mut Item, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = item;
    for p in parents {
        match at.as_table_like_mut().and_then(|t| t.get_mut(p)) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Some(t) = at.as_table_like_mut() {
        t.remove(last);
    }
}

/// The key path of the array holding the element whose span is `target`, and its index.
fn find_array_item(
    item: &Item,
    target: &Range<usize>,
    path: &mut Vec<String>,
) -> Option<(Vec<String>, usize)> {
    let table = item.as_table_like()?;
    for (name, child) in table.iter() {
        path.push(name.to_string());
        if let Some(array) = child.as_array() {
            if let Some(i) = array.iter().position(|v| v.span().as_ref() == Some(target)) {
                return Some((path.clone(), i));
            }
        }
        if let Some(found) = find_array_item(child, target, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

fn remove_array_item(item: &mut Item, path: &[String], index: usize) {
    let mut at = item;
    for p in path {
        match at.as_table_like_mut().and_then(|t| t.get_mut(p)) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Some(array) = at.as_array_mut() {
        if index < array.len() {
            array.remove(index);
        }
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
