//! Every input stored under `tests/fixtures/fuzz/<target>/` (crashes the fuzzer found,
//! and hand-made edge cases) replays through the same entry point as the fuzz target
//! of that name (`rolelint::fuzzing`), on every `cargo test`.
use std::path::Path;

fn replay(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no stored inputs in {}", dir.display());
    for path in inputs {
        let bytes = std::fs::read(&path).expect("read stored input");
        // A panic names the input, so a regression points at its file.
        let result = std::panic::catch_unwind(|| entry(&bytes));
        assert!(result.is_ok(), "{target}: {} panicked", path.display());
    }
}

#[test]
fn document() {
    replay("document", rolelint::fuzzing::document);
}

#[test]
fn policy() {
    replay("policy", rolelint::fuzzing::policy);
}

#[test]
fn board_filter() {
    replay("board_filter", rolelint::fuzzing::board_filter);
}

#[test]
fn people_csv() {
    replay("people_csv", rolelint::fuzzing::people_csv);
}

#[test]
fn import_scheme() {
    replay("import_scheme", rolelint::fuzzing::import_scheme);
}

#[test]
fn import_board() {
    replay("import_board", rolelint::fuzzing::import_board);
}

#[test]
fn import_project() {
    replay("import_project", rolelint::fuzzing::import_project);
}

#[test]
fn config() {
    replay("config", rolelint::fuzzing::config);
}

#[cfg(unix)]
#[test]
fn fs_shape() {
    replay("fs_shape", rolelint::fuzzing::fs_shape);
}
