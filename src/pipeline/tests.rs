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
        .filter(|d| d.code() == "AL101")
        .collect();
    assert_eq!(found.len(), 2, "{:#?}", run.diagnostics);
    let same = |f: fn(&Diagnostic) -> &str| f(found[0]).as_ptr() == f(found[1]).as_ptr();
    assert!(same(|d| d.code()));
    assert!(same(|d| d.name()));
    assert!(same(|d| d.help().map_or("", |h| h.as_str())));
    assert!(same(|d| d.notes.first().map_or("", |n| n)));
    assert!(!found[0].notes.is_empty());
}

/// A repository's own policy changes what its roles are checked against: the rule set is
/// complete before any role is judged, so each file is read (and parsed) once.
#[test]
fn each_file_is_read_once_when_the_repository_has_its_own_policy() {
    let policy = "kind = \"policy\"\nname = \"team\"\n\n[[rule]]\ncode = \"TM001\"\nname = \"no-roadmaps\"\ntype = \"forbid-toggle\"\nseverity = \"error\"\nsummary = \"roadmaps stay off\"\nmessage = \"role `{role}` enables `{toggle}`\"\nhelp = \"turn it off\"\nsource = { title = \"team agreement\" }\ntoggles = [\"Program > Track > Roadmaps\"]\n";
    let role = "kind = \"align-role\"\nname = \"R\"\nlicense = \"full\"\n\n[toggles.Program.Track]\nRoadmaps = []\n";
    let read = |path: &str, text: &str| {
        super::RevisionFile::Read(path.to_string(), text.as_bytes().to_vec(), None)
    };
    let files = vec![read("roles/r.toml", role), read("team.toml", policy)];
    let run = super::check_revision(
        files,
        crate::config::Config::default(),
        crate::diagnostics::source::SourceMap::new(),
        &crate::config::Overrides::default(),
        super::Reuse::None,
    )
    .expect("a run");
    let codes: Vec<&str> = run.diagnostics.iter().map(|d| d.code().as_str()).collect();
    assert!(codes.contains(&"TM001"), "{codes:?}");
    assert_eq!(run.sources.reads(), 2, "each file read once");
}

/// `check` keeps only findings: the role views and the Jira model go once judged, so the
/// report reuses their memory; the runs `why`, `license` and `review` read keep them. Both
/// find the same.
#[test]
fn check_drops_what_it_resolved_and_finds_the_same() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let run = |keep: bool| {
        let mut sources = crate::diagnostics::source::SourceMap::new();
        let config = crate::config::load(&root.join("rolelint.toml"), &mut sources);
        let config = config.expect("the examples' configuration");
        let (inputs, overrides) = ([root.clone()], crate::config::Overrides::default());
        match keep {
            true => super::check_paths(&inputs, &root, config, &overrides, sources),
            false => {
                super::check_paths_baselined(&inputs, &root, config, &overrides, sources, None)
            }
        }
        .expect("a run")
    };
    let (kept, dropped) = (run(true), run(false));
    assert!(!kept.workspace.roles.is_empty() && !kept.workspace.jira.projects.is_empty());
    assert!(dropped.workspace.roles.is_empty() && dropped.workspace.jira.projects.is_empty());
    assert!(!kept.diagnostics.is_empty());
    assert_eq!(kept.diagnostics, dropped.diagnostics);
}
