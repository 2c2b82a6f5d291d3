//! The base revision taking the head's judgement of the role files both hold byte for
//! byte gives exactly the run it would have made reading every file itself.
mod common;
use common::{copy_tree, git};
use rolelint::config::Overrides;
use rolelint::diagnostics::source::SourceMap;
use rolelint::pipeline::{self, Reuse, Run};
use rolelint::review::side;
use std::fs;
use std::path::Path;

/// A repository policy of its own (its findings' labels point into it).
const TEAM_POLICY: &str =
    include_str!("fixtures/rules/RL011-invalid-policy/pass-valid-team-policy/policy.toml");

/// A role whose finding a suppression comment silences.
const SUPPRESSED: &str =
    include_str!("fixtures/rules/RL093-malformed-suppression/pass-well-formed/role.toml");

/// The bundled examples with a policy of their own, a role holding a suppression and two
/// roles of one name, committed; the working tree then as `edit` leaves it.
fn repository(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    copy_tree(&examples, dir.path());
    let roles = dir.path().join("roles");
    fs::write(dir.path().join("team-policy.toml"), TEAM_POLICY).expect("write");
    fs::write(roles.join("planner.toml"), SUPPRESSED).expect("write");
    let twin = fs::read_to_string(roles.join("portfolio-manager.toml")).expect("read");
    fs::write(roles.join("z-twin.toml"), &twin).expect("write");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    edit(dir.path());
    dir
}

/// (the base read in full, the base taking the head's judgements, the head).
fn sides(dir: &Path) -> (Run, Run, Run) {
    let mut sources = SourceMap::new();
    let config = rolelint::config::load(&dir.join("rolelint.toml"), &mut sources).expect("config");
    let root = dir.to_path_buf();
    let config_path = config.origin.as_ref().map(|(_, p)| p.clone());
    let head = pipeline::check_repository_recording(&root, config, sources).expect("head");
    let (full, _) = side::run_at("HEAD", config_path.as_deref(), &root).expect("base");
    let (taken, _) = side::list_at("HEAD", config_path.as_deref(), &root)
        .expect("listed")
        .check(&Overrides::default(), Reuse::From(&head))
        .expect("base taking");
    (full, taken, head)
}

/// Everything a run holds about its findings and roles, with paths instead of file ids.
fn shown(run: &Run) -> Vec<String> {
    let at = |id, span: &std::ops::Range<usize>| format!("{}:{span:?}", run.sources.display(id));
    let mut out: Vec<String> = run
        .diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<String> = (d.labels.iter())
                .map(|l| format!("{} {}", at(l.location.file, &l.location.span), &*l.text))
                .collect();
            format!(
                "{} {} {:?} {} | {} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
                at(d.location.file, &d.location.span),
                d.code().as_str(),
                d.severity,
                d.message,
                d.subject(),
                d.suppressed,
                labels,
                d.help().map(|h| h.as_str()),
                d.notes.iter().map(|n| &**n).collect::<Vec<_>>(),
                d.label(),
                d.fix
            )
        })
        .collect();
    out.extend(run.workspace.roles.iter().map(|v| {
        format!(
            "role {} {} {} {:?} {:?}",
            v.name.get_ref(),
            v.key,
            run.sources.display(v.file),
            v.license,
            v.treated_as
        )
    }));
    out
}

fn edit_role(dir: &Path, file: &str) {
    let path = dir.join("roles").join(file);
    let text = fs::read_to_string(&path).expect("read");
    fs::write(
        &path,
        format!("{text}\n[toggles.Program.Manage]\nRoadmaps = []\n"),
    )
    .expect("write");
}

#[test]
fn unchanged_roles_are_taken_and_the_run_is_the_same() {
    let repo = repository(|dir| {
        edit_role(dir, "integrated-team-member.toml");
        let scheme = dir.join("jira/schemes/operations.toml");
        let text = fs::read_to_string(&scheme).expect("read");
        fs::write(&scheme, text.replacen("[", "# edited\n[", 1)).expect("write");
    });
    let (full, taken, head) = sides(repo.path());
    assert_eq!(head.recorded.as_ref().map(|r| r.len()), Some(6));
    // Six role files, one of them edited: five judgements taken, one made.
    assert_eq!((full.taken, taken.taken), (0, 5));
    assert_eq!(shown(&taken), shown(&full));
    let codes: Vec<&str> = full.diagnostics.iter().map(|d| d.code().as_str()).collect();
    // What the fixture is for: a policy of its own with a label into it, a suppressed
    // finding and a duplicate name all among what was taken.
    assert!(codes.contains(&"TM001"), "{codes:?}");
    assert!(full.diagnostics.iter().any(|d| d.suppressed.is_some()));
    assert!(full.diagnostics.iter().any(|d| !d.labels.is_empty()));
    assert_eq!(full.workspace.roles.len(), 6);
}

#[test]
fn nothing_is_taken_when_the_rules_differ() {
    type Change = (&'static str, fn(&Path));
    let changes: [Change; 3] = [
        ("configuration", |dir| {
            let config = dir.join("rolelint.toml");
            let text = fs::read_to_string(&config).expect("read");
            fs::write(&config, format!("{text}\n[severity]\nAL110 = \"error\"\n")).expect("write");
        }),
        ("policy", |dir| {
            let policy = TEAM_POLICY.replace("stay off", "stay off, always");
            fs::write(dir.join("team-policy.toml"), policy).expect("write");
        }),
        ("new policy", |dir| {
            let policy = TEAM_POLICY
                .replace("TM001", "TM002")
                .replace("\"team\"", "\"t2\"");
            fs::write(dir.join("roles/team-2.toml"), policy).expect("write");
        }),
    ];
    for (what, change) in changes {
        let repo = repository(|dir| {
            edit_role(dir, "portfolio-manager.toml");
            change(dir);
        });
        let (full, taken, _) = sides(repo.path());
        assert_eq!(taken.taken, 0, "{what}");
        assert_eq!(shown(&taken), shown(&full), "{what}");
    }
}

#[test]
fn a_revision_against_itself_takes_every_role() {
    let repo = repository(|_| {});
    let (full, taken, head) = sides(repo.path());
    assert_eq!(taken.taken, 6);
    assert_eq!(shown(&taken), shown(&full));
    assert_eq!(shown(&taken), shown(&head));
}

/// `check --new-against`: the head is a check under the command line's `--ignore`, and the
/// revision takes its judgements under the same overrides only.
#[test]
fn a_check_under_overrides_is_taken_alike() {
    let repo = repository(|dir| edit_role(dir, "portfolio-manager.toml"));
    let dir = repo.path();
    let overrides = Overrides {
        ignore: vec!["AL103".to_string()],
        ..Overrides::default()
    };
    let mut sources = SourceMap::new();
    let config = rolelint::config::load(&dir.join("rolelint.toml"), &mut sources).expect("config");
    let config_path = config.origin.as_ref().map(|(_, p)| p.clone());
    let inputs = [dir.to_path_buf()];
    let head = pipeline::check_paths_recording(&inputs, dir, config, &overrides, sources, None)
        .expect("head");
    let list = || side::list_at("HEAD", config_path.as_deref(), dir).expect("listed");
    let (full, _) = list().check(&overrides, Reuse::None).expect("base");
    let (taken, _) = list()
        .check(&overrides, Reuse::From(&head))
        .expect("base taking");
    // Six role files, one edited.
    assert_eq!(taken.taken, 5);
    assert_eq!(shown(&taken), shown(&full));
    assert!(!full
        .diagnostics
        .iter()
        .any(|d| d.code().as_str() == "AL103"));
    // Judged under other overrides (AL103 run), nothing is taken. (An ignored rule that a
    // suppression names, like the fixture's AL110, is run all the same: that alone would not
    // keep the judgements from being taken.)
    let (other, _) = list()
        .check(&Overrides::default(), Reuse::From(&head))
        .expect("base under other overrides");
    assert_eq!(other.taken, 0);
}
