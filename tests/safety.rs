//! Write guarantees: `rolelint check` reads a repository and writes nothing in it.
mod common;
use assert_cmd::Command;
use common::copy_tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Every entry under `root` with its content (files) and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk the copy"))
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            let content = if meta.is_file() {
                std::fs::read(e.path()).expect("read")
            } else {
                Vec::new()
            };
            let mtime = meta.modified().expect("mtime");
            (e.path().to_path_buf(), (content, mtime))
        })
        .collect()
}

#[test]
fn check_changes_nothing_in_the_repository() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path().join("examples");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        &repo,
    );
    // A broken document too, so the run reports findings (and would be tempted to fix them).
    std::fs::write(repo.join("roles/broken.toml"), "kind = \"align-rol\"\n").expect("write");
    let before = snapshot(&repo);
    assert!(before.len() > 3, "examples were not copied");
    // mtimes have coarse resolution on some file systems: let a write be visible.
    std::thread::sleep(std::time::Duration::from_millis(50));
    for format in ["human", "concise", "json"] {
        let out = Command::cargo_bin("rolelint")
            .expect("binary")
            .current_dir(&repo)
            .env("NO_COLOR", "1")
            .args(["check", "--format", format])
            .output()
            .expect("run rolelint");
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
    }
    let after = snapshot(&repo);
    let created: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(created.is_empty(), "check created {created:?}");
    for (path, (content, mtime)) in &before {
        let (c, m) = after
            .get(path)
            .unwrap_or_else(|| panic!("check removed {}", path.display()));
        assert!(
            c == content,
            "check changed the content of {}",
            path.display()
        );
        assert_eq!(m, mtime, "check touched {}", path.display());
    }
}

/// The library and the `rolelint` binary never open sockets and spawn no process (only the
/// benchmark, a separate crate in `bench/`, runs other commands; `license --against REV` reads
/// the revision with `gix`, opened isolated so it never runs `git` either: see
/// `tests/hostile_writes.rs`), and no HTTP or TLS crate is in the dependency tree.
#[test]
fn no_process_or_network_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let forbidden = [
        "process::Command",
        "Command::new",
        "std::net",
        "TcpStream",
        "UdpSocket",
    ];
    let mut hits = Vec::new();
    for e in walkdir::WalkDir::new(root.join("src")) {
        let e = e.expect("walk src");
        let path = e.path();
        if path.extension() != Some("rs".as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        for f in forbidden {
            if text.contains(f) {
                hits.push(format!("{}: {f}", path.display()));
            }
        }
    }
    assert!(hits.is_empty(), "process or network code: {hits:?}");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
    for krate in [
        "reqwest",
        "ureq",
        "hyper",
        "curl",
        "native-tls",
        "rustls",
        "openssl",
    ] {
        assert!(
            !lock.contains(&format!("name = \"{krate}\"")),
            "network crate `{krate}` in Cargo.lock"
        );
    }
}
