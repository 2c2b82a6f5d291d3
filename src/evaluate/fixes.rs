//! Fixes the evaluation attaches to its findings.
use crate::catalog::toggles::Level;
use crate::diagnostics::fix::{Edit, Fix};
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
    let (to, level) = match (written.as_slice(), suggested.as_slice()) {
        ([_], [s]) => (s, Level::Sections),
        ([ws, _], [s, g]) if same(ws, s) => (g, Level::Groups(s)),
        ([ws, wg, _], [s, g, t]) if same(ws, s) && same(wg, g) => (t, Level::Toggles(s, g)),
        _ => return None,
    };
    let name = *written.last()?;
    // Exactly one candidate close enough to be suggested.
    if catalog.close_names(level, name).count != 1 {
        return None;
    }
    Some(Fix::safe(Edit::RenameKey(to.to_string())))
}
