//! People exports as data: each `tests/fixtures/license/people-exports/*.csv` is read with
//! the default column names, and the people, the row problems or the error are
//! snapshotted under `snapshots/license/`. Every problem and error is one line with no
//! final period, and names the row it is about.
use rolelint::license::people::{read_people, ColumnNames};
use std::fmt::Write;

fn render(bytes: &[u8]) -> String {
    let export = match read_people(bytes, &ColumnNames::default()) {
        Ok(export) => export,
        Err(e) => {
            let m = e.to_string();
            assert!(!m.contains('\n') && !m.ends_with('.'), "{m:?}");
            return format!("error: {m}\n");
        }
    };
    let mut out = String::from("people:\n");
    for p in &export.people {
        let active = if p.active { "active" } else { "inactive" };
        let _ = writeln!(
            out,
            "  row {}: `{}`, role `{}`, {active}",
            p.row, p.email, p.role
        );
    }
    if !export.problems.is_empty() {
        out.push_str("problems:\n");
    }
    for problem in &export.problems {
        let m = &problem.message;
        assert!(!m.contains('\n') && !m.ends_with('.'), "{m:?}");
        assert!(m.starts_with(&format!("row {} ", problem.row)), "{m:?}");
        let _ = writeln!(out, "  {m}");
    }
    out
}

#[test]
fn people_exports() {
    insta::glob!("fixtures/license/people-exports/*.csv", |path| {
        let bytes = std::fs::read(path).expect("read the export");
        insta::with_settings!({ snapshot_path => "../snapshots/license", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!("people-export", render(&bytes));
        });
    });
}
