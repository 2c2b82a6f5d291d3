//! The run as a whole, seen from the findings it holds.
use crate::diagnostics::Diagnostic;

/// Findings are held until the report, hundreds of thousands in a large repository:
/// each was 304 bytes with four more allocations for text every finding of a rule
/// has in common.
#[test]
fn a_finding_is_small_and_shares_its_rules_text() {
    assert!(std::mem::size_of::<Diagnostic>() <= 240);
    let role = "kind = \"align-role\"\nname = \"R\"\nlicense = \"integrated\"\n\n[toggles.Portfolio.Manage]\nEpics = []\nThemes = []\n";
    let docs = vec![("r.toml".to_string(), role.to_string())];
    let run = super::check_texts(
        &docs,
        crate::config::Config::default(),
        &crate::config::Overrides::default(),
    );
    let found: Vec<&Diagnostic> = run
        .diagnostics
        .iter()
        .filter(|d| d.code == "AL101")
        .collect();
    assert_eq!(found.len(), 2, "{:#?}", run.diagnostics);
    let same = |f: fn(&Diagnostic) -> &str| f(found[0]).as_ptr() == f(found[1]).as_ptr();
    assert!(same(|d| &d.code));
    assert!(same(|d| &d.name));
    assert!(same(|d| d.help.as_deref().unwrap_or_default()));
    assert!(same(|d| d.notes.first().map_or("", |n| n)));
    assert!(!found[0].notes.is_empty());
}
