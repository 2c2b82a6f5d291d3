use super::*;

fn repo() -> (tempfile::TempDir, Root) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("repo")).expect("mkdir");
    let root = Root::new(&dir.path().join("repo")).expect("root");
    (dir, root)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_file_changed_since_planning_is_left_untouched() {
    let (_dir, root) = repo();
    let doc = root.path().join("r.toml");
    std::fs::write(&doc, "planned = 1\n").expect("write");
    let dest = document(&doc, "r.toml", &root).expect("a document");
    // Another process writes between planning and the rename.
    std::fs::write(&doc, "changed = 2\n").expect("write");
    let outcome = dest.replace_if_unchanged(b"planned = 1\n", b"fixed = 1\n");
    assert_eq!(outcome.ok(), Some(Replaced::Changed));
    assert_eq!(
        std::fs::read_to_string(&doc).ok().as_deref(),
        Some("changed = 2\n")
    );
    assert_eq!(names(root.path()), ["r.toml"], "no staged file is left");
    let outcome = dest.replace_if_unchanged(b"changed = 2\n", b"fixed = 2\n");
    assert_eq!(outcome.ok(), Some(Replaced::Done));
    assert_eq!(
        std::fs::read_to_string(&doc).ok().as_deref(),
        Some("fixed = 2\n")
    );
}

#[test]
fn a_failed_write_removes_its_staged_file() {
    let (_dir, root) = repo();
    let out = root.path().join("report.json");
    let Ok(Target::File(dest)) = output(&out, &root) else {
        panic!("a file target");
    };
    let failed = dest.write_with(|_| Err(io::Error::other("renderer failed")));
    let message = failed.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(!message.contains(".rolelint-"), "{message}");
    assert!(names(root.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn symlinks_are_written_through_inside_and_refused_outside() {
    let (dir, root) = repo();
    let repo = root.path();
    std::fs::write(repo.join("target.toml"), "a = 1\n").expect("write");
    std::fs::write(dir.path().join("secret"), "keep\n").expect("write");
    std::os::unix::fs::symlink("target.toml", repo.join("link.toml")).expect("symlink");
    std::os::unix::fs::symlink("../secret", repo.join("out.toml")).expect("symlink");
    let dest = document(&repo.join("link.toml"), "link.toml", &root).expect("inside");
    dest.write(b"a = 2\n").expect("written");
    assert!(std::fs::symlink_metadata(repo.join("link.toml"))
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false));
    assert_eq!(
        std::fs::read_to_string(repo.join("target.toml"))
            .ok()
            .as_deref(),
        Some("a = 2\n")
    );
    assert!(document(&repo.join("out.toml"), "out.toml", &root).is_err());
    assert!(output(&repo.join("out.toml"), &root).is_err());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("secret"))
            .ok()
            .as_deref(),
        Some("keep\n")
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_and_stdout_is_named() {
    let (_dir, root) = repo();
    assert!(matches!(output(Path::new("-"), &root), Ok(Target::Stdout)));
    assert!(matches!(
        output(Path::new("/dev/stdout"), &root),
        Ok(Target::Stdout)
    ));
    let null = output(Path::new("/dev/null"), &root)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        null.as_deref(),
        Some("cannot write `/dev/null`: it is a device, not a regular file")
    );
    assert!(output(root.path(), &root).is_err(), "a directory");
}

#[test]
fn new_files_never_replace_anything() {
    let (_dir, root) = repo();
    let path = root.path().join("new.toml");
    let dest = new_file(&path, &root).expect("free");
    std::fs::write(&path, "appeared\n").expect("write");
    assert!(dest.write(b"mine\n").is_err());
    assert_eq!(
        std::fs::read_to_string(&path).ok().as_deref(),
        Some("appeared\n")
    );
    assert!(new_file(&path, &root).is_err());
}
