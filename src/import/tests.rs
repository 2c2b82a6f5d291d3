//! The importers' helpers. The payloads and what they become are data:
//! `tests/fixtures/import/documents/` (library output, `tests/import_documents.rs`) and
//! `tests/fixtures/import/cases/` (the command, `tests/import_payloads.rs`); arbitrary
//! input is the fuzz targets' job (`import_scheme`, `import_board`, `import_project`).
use super::*;

#[test]
fn import_slugs() {
    assert_eq!(slugify("Software team scheme", "x"), "software-team-scheme");
    assert_eq!(slugify("  --Hello__World--  ", "x"), "hello-world");
    assert_eq!(slugify("../../etc/passwd", "x"), "etc-passwd");
    assert_eq!(slugify("C:\\Windows", "x"), "c-windows");
    assert_eq!(slugify("Équipe Ærø straße", "x"), "equipe-aero-strasse");
    assert_eq!(
        slugify("日本", "permission-scheme-10400"),
        "permission-scheme-10400"
    );
    assert_eq!(slugify("", ""), "imported");
    assert_eq!(slugify("!!!", "/"), "imported");
    let long = "word ".repeat(100);
    let slug = slugify(&long, "x");
    assert!(slug.len() <= 80 && !slug.ends_with('-'), "{slug}");
    let unbroken = "a".repeat(200);
    assert_eq!(slugify(&unbroken, "x").len(), 80);

    let mut used = super::UsedNames::default();
    assert_eq!(unique_file_name("a-2", &mut used), "a-2.toml");
    assert_eq!(unique_file_name("a", &mut used), "a.toml");
    assert_eq!(unique_file_name("a", &mut used), "a-3.toml");
    assert_eq!(unique_file_name("a", &mut used), "a-4.toml");
}

#[test]
fn import_comment_helpers() {
    assert_eq!(
        quote_for_comment("a\"b\\c\nd\u{7f}é"),
        "\"a\\\"b\\\\c\\nd\\u007Fé\""
    );
    assert_eq!(comment_safe("a\nb\tc"), "a\\u000Ab\tc");
}

#[test]
fn payload_shapes_survive_odd_values() {
    use super::payload::{shape, Shape};
    let of = |s: &str| shape(&serde_json::from_str(s).expect("test JSON"));
    assert_eq!(
        of(r#"{"isLast": true, "values": [1, "x", null]}"#),
        Shape::Page
    );
    assert_eq!(
        of(r#"{"isLast": true, "values": [3, {"type": "kanban"}]}"#),
        Shape::PageOfBoards
    );
    assert_eq!(of(r#"{"errorMessages": "boom"}"#), Shape::JiraError(None));
    assert_eq!(of(r#"{"permissions": 3}"#), Shape::SchemeGrants);
    assert_eq!(
        of(r#"{"name": "B", "filter": 1, "admins": {}}"#),
        Shape::Board
    );
    assert_eq!(
        of(r#"{"name": "C", "filter": {"id": 1}}"#),
        Shape::BoardConfiguration
    );
    assert_eq!(of("[]"), Shape::NotObject("an array"));
}
