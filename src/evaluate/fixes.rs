//! Fixes the evaluation attaches to its findings.
use crate::diagnostics::fix::{Edit, Fix};
use crate::diagnostics::suggest::did_you_mean;
use crate::resolve::Enabled;

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
        ([ws, _], [s, g]) if same(ws, s) => (g, catalog.group_names(s)),
        ([ws, wg, _], [s, g, t]) if same(ws, s) && same(wg, g) => (t, catalog.toggle_names(s, g)),
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
