//! The importers as data: each case under `tests/fixtures/import/documents/` is a REST
//! payload (schemes: one file; boards: a directory with `first.json` and, when given, the
//! `second.json` passed with it), and what the library makes of it — each document's file
//! name, TOML and notes, or the error — is snapshotted under `snapshots/import/`.
//!
//! Every case also keeps the importers' promises: each document parses as TOML of its
//! kind and its file name is one safe `.toml` name; notes hold no control characters; an
//! error is one sentence (one line, no final period).
use rolelint::import::{import_jira_board, import_jira_schemes, ImportError, Imported};
use std::fmt::Write;
use std::path::Path;

fn render(result: Result<Vec<Imported>, ImportError>, kind: &str) -> String {
    let docs = match result {
        Ok(docs) => docs,
        Err(e) => {
            let m = &e.message;
            assert!(
                !m.is_empty() && !m.contains('\n') && !m.ends_with('.'),
                "{m:?}"
            );
            return format!("error: {m}\n");
        }
    };
    let mut out = String::new();
    for doc in docs {
        let table: toml::Table = toml::from_str(&doc.toml)
            .unwrap_or_else(|e| panic!("imported TOML does not parse: {e}\n{}", doc.toml));
        assert_eq!(table.get("kind").and_then(|k| k.as_str()), Some(kind));
        assert!(doc.toml.ends_with('\n'));
        assert!(doc.file_name.ends_with(".toml") && !doc.file_name.contains(['/', '\\']));
        let _ = write!(out, "--- {}\n{}", doc.file_name, doc.toml);
        if !doc.notes.is_empty() {
            out.push_str("--- notes\n");
        }
        for note in &doc.notes {
            assert!(!note.chars().any(char::is_control), "{note:?}");
            let _ = writeln!(out, "{note}");
        }
    }
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("payload is UTF-8")
}

fn snapshot(name: &str, value: String) {
    insta::with_settings!({ snapshot_path => "../snapshots/import", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, value);
    });
}

#[test]
fn scheme_documents() {
    insta::glob!("fixtures/import/documents/jira-scheme/*.json", |path| {
        let result = import_jira_schemes(&read(path));
        snapshot("scheme-document", render(result, "jira-permission-scheme"));
    });
}

#[test]
fn board_documents() {
    insta::glob!(
        "fixtures/import/documents/jira-board/*/first.json",
        |path| {
            let second = path.with_file_name("second.json");
            let second = second.exists().then(|| read(&second));
            let result = import_jira_board(&read(path), second.as_deref()).map(|doc| vec![doc]);
            snapshot("board-document", render(result, "jira-board"));
        }
    );
}
