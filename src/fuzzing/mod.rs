//! Entry points shared by the fuzz targets (`fuzz/`) and `tests/fuzz_regressions.rs`,
//! so a stored crash input replays through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes and must return normally: a panic here is a bug
//! in rolelint. Beyond "does not panic", they check invariants that would otherwise
//! only fail later, in an emitter: every diagnostic span lies inside its file and on
//! character boundaries, every rendered report is produced, and every TOML an importer
//! writes parses again.
use crate::config::Overrides;
use crate::config::{Config, Platform};
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::report::{human::Human, json::Json, Emitter, Report};
use std::ops::Range;

pub use crate::document::table::assert_fast_paths;

/// A role evaluated together with fuzzed policies, so their rules have something to check.
const ROLE: &str = include_str!("../../examples/roles/jira-connector-default.toml");

/// The example Jira instance plus a board with a saved filter: a fuzzed Jira document is
/// checked together with these, so resolution across documents (board → filter → projects →
/// scheme → groups) and the Jira rules have something to work on.
const JIRA: &[(&str, &str)] = &[
    (
        "jira/groups.toml",
        include_str!("../../examples/jira/groups.toml"),
    ),
    (
        "jira/global-permissions.toml",
        include_str!("../../examples/jira/global-permissions.toml"),
    ),
    (
        "jira/schemes/software-delivery.toml",
        include_str!("../../examples/jira/schemes/software-delivery.toml"),
    ),
    (
        "jira/schemes/operations.toml",
        include_str!("../../examples/jira/schemes/operations.toml"),
    ),
    (
        "jira/projects/plat.toml",
        include_str!("../../examples/jira/projects/plat.toml"),
    ),
    (
        "jira/projects/ops.toml",
        include_str!("../../examples/jira/projects/ops.toml"),
    ),
    (
        "jira/boards/platform-ops-scrum.toml",
        include_str!("../../examples/jira/boards/platform-ops-scrum.toml"),
    ),
    ("jira/boards/filtered.toml", FILTERED_BOARD),
];

const FILTERED_BOARD: &str = r#"kind = "jira-board"
name = "Filtered Scrum"
type = "scrum"
filter = "project in (PLAT, OPS) AND type != Epic ORDER BY Rank"

[[expect]]
who = "group:platform-sms"
can = ["start-sprint"]
"#;

/// Any bytes as a document (every kind dispatches through [`crate::load::parse_bytes`]);
/// documents that parse are resolved and evaluated against the built-in policies, Jira
/// documents together with the example Jira instance on either platform.
pub fn document(data: &[u8]) {
    check_document(data.to_vec(), &[]);
}

/// Bytes after `kind = "policy"`: a policy document, evaluated together with an example role.
pub fn policy(data: &[u8]) {
    let mut bytes = b"kind = \"policy\"\n".to_vec();
    bytes.extend_from_slice(data);
    check_document(bytes, &[("role.toml", ROLE)]);
}

/// A board filter (JQL) as UTF-8; every span (projects, a top-level OR, an error) must
/// point inside the filter, a top-level OR's at the operator.
pub fn board_filter(data: &[u8]) {
    use crate::jql::{ComplexReason, FilterProjects};
    let Ok(filter) = std::str::from_utf8(data) else {
        return;
    };
    match crate::jql::parse_filter(filter) {
        Ok(FilterProjects::Known(refs)) => {
            for r in refs {
                assert_span(filter, &r.span, &r.name);
            }
        }
        Ok(FilterProjects::Complex {
            reason: ComplexReason::TopLevelOr { span },
        }) => {
            assert_span(filter, &span, "top-level OR");
            let or = &filter[span];
            assert!(
                ["or", "|", "||"].iter().any(|o| or.eq_ignore_ascii_case(o)),
                "top-level OR at `{or}`"
            );
        }
        Ok(FilterProjects::Complex {
            reason: ComplexReason::ProjectNotLiteral { span },
        }) => assert_span(filter, &span, "project clause"),
        Ok(FilterProjects::Complex { .. }) => {}
        Err(e) => {
            assert_span(filter, &e.span, "filter error");
            assert!(!e.message.is_empty(), "empty filter error message");
        }
    }
}

/// A People export CSV read with the default column names.
pub fn people_csv(data: &[u8]) {
    let columns = crate::license::people::ColumnNames::default();
    if let Err(e) = crate::license::people::read_people(data, &columns) {
        let message = e.to_string();
        assert!(!message.is_empty(), "empty people error message");
        // One sentence whatever the file holds: headers are quoted bounded.
        assert!(message.len() < 8 * 1024, "unbounded people error message");
    }
}

/// Jira REST permission-scheme JSON; every scheme imported must be valid TOML.
pub fn import_scheme(data: &[u8]) {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = crate::import::import_jira_schemes(json) {
        for doc in imported {
            assert_imported(&doc.file_name, &doc.toml);
        }
    }
}

/// Jira board JSON, optionally followed by a NUL byte and the board configuration JSON.
pub fn import_board(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (board, config) = match text.split_once('\0') {
        Some((b, c)) => (b, Some(c)),
        None => (text, None),
    };
    if let Ok(doc) = crate::import::import_jira_board(board, config) {
        assert_imported(&doc.file_name, &doc.toml);
    }
}

/// Jira project JSON, optionally followed by a NUL byte and its permission scheme JSON.
pub fn import_project(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (project, scheme) = match text.split_once('\0') {
        Some((p, s)) => (p, Some(s)),
        None => (text, None),
    };
    if let Ok(doc) = crate::import::import_jira_project(project, scheme) {
        assert_imported(&doc.file_name, &doc.toml);
    }
}

/// `rolelint.toml` text: loaded from a temporary repository holding the example Jira
/// instance and a role, which is then checked under that configuration. A configuration
/// error must be a message (exit 2), never a panic.
pub fn config(data: &[u8]) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    let config_path = root.join(crate::config::FILE_NAME);
    std::fs::write(&config_path, data).expect("write the configuration");
    for (name, text) in JIRA.iter().chain([&("roles/role.toml", ROLE)]) {
        write_file(root, name, text.as_bytes());
    }
    let mut sources = SourceMap::new();
    let config = match crate::config::load(&config_path, &mut sources) {
        Ok(config) => config,
        Err(e) => {
            assert!(!e.to_string().is_empty(), "empty configuration error");
            return;
        }
    };
    check_tree(root, config, sources);
}

/// A small tree of directories, files and symbolic links built from the input, then
/// discovered and checked as a repository (with its `rolelint.toml`, if the input made
/// one). Each 3-byte step makes one entry: its kind, its parent and name, and its
/// content or link target. Links only point inside the tree (or nowhere), so the run
/// never walks the rest of the machine.
#[cfg(unix)]
pub fn fs_shape(data: &[u8]) {
    use std::path::PathBuf;
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    let mut dirs: Vec<PathBuf> = vec![PathBuf::new()];
    let mut entries: Vec<PathBuf> = Vec::new();
    for step in data.chunks_exact(3).take(MAX_ENTRIES) {
        let (kind, at, what) = (step[0], step[1] as usize, step[2] as usize);
        let parent = dirs[at % dirs.len()].clone();
        let relative = parent.join(SHAPE_NAMES[(at / 8 + what) % SHAPE_NAMES.len()]);
        let path = root.join(&relative);
        if path.symlink_metadata().is_ok() {
            continue;
        }
        let made = match kind % 4 {
            0 => std::fs::create_dir(&path).map(|()| dirs.push(relative.clone())),
            1 | 2 => std::fs::write(&path, SHAPE_CONTENTS[what % SHAPE_CONTENTS.len()]),
            _ => {
                let target = match what % 5 {
                    // Another entry, by absolute path (inside the tree).
                    0 | 1 if !entries.is_empty() => root.join(&entries[what % entries.len()]),
                    // Its own directory, or the one above while that is still the tree.
                    2 => PathBuf::from("."),
                    3 if !parent.as_os_str().is_empty() => PathBuf::from(".."),
                    // Dangling.
                    _ => PathBuf::from("missing.toml"),
                };
                std::os::unix::fs::symlink(target, &path)
            }
        };
        if made.is_ok() {
            entries.push(relative);
        }
    }
    let mut sources = SourceMap::new();
    let config_path = root.join(crate::config::FILE_NAME);
    let config = if config_path.is_file() {
        match crate::config::load(&config_path, &mut sources) {
            Ok(config) => config,
            Err(e) => {
                assert!(!e.to_string().is_empty(), "empty configuration error");
                return;
            }
        }
    } else {
        Config::default()
    };
    check_tree(root, config, sources);
}

/// Entries a shape may have: enough for nesting, loops and every walker rule.
const MAX_ENTRIES: usize = 24;

/// Names a shape's entries take: documents, the configuration, hidden and skipped
/// directories, and names that are not documents.
const SHAPE_NAMES: &[&str] = &[
    "a",
    "b.toml",
    "c.toml",
    crate::config::FILE_NAME,
    ".hidden",
    "target",
    "d",
    "e.toml",
    "x.txt",
    ".toml",
];

/// Contents a shape's files take.
const SHAPE_CONTENTS: &[&[u8]] = &[
    ROLE.as_bytes(),
    include_bytes!("../../examples/jira/schemes/software-delivery.toml"),
    include_bytes!("../../examples/jira/projects/plat.toml"),
    include_bytes!("../../examples/jira/groups.toml"),
    FILTERED_BOARD.as_bytes(),
    b"[paths]\ninclude = [\"**/*.toml\"]\nexclude = [\"d/**\"]\n",
    b"kind = \"policy\"\nname = \"empty\"\n",
    b"",
    b"not = [toml",
    b"kind = \"align-role\"\nname = \"\xff\xfe\"\n",
];

/// Check the repository at `root` under `config`; the run may fail (exit 2) with a
/// message, or report findings whose spans lie inside their files.
fn check_tree(root: &std::path::Path, config: Config, sources: SourceMap) {
    // `[policies] extra` is a glob from the repository root: one that leaves the tree
    // (absolute, or through `..`) would walk the machine, which the repository boundary
    // (`fsio`) refuses; keep the fuzzer inside the tree.
    let leaves = config.policies.extra.iter().any(|p| {
        let p = p.get_ref();
        p.starts_with('/') || p.starts_with('\\') || p.contains("..")
    });
    if leaves {
        return;
    }
    let run = crate::pipeline::check_paths(
        &[root.to_path_buf()],
        root,
        config,
        &Overrides::default(),
        sources,
    );
    match run {
        Ok(run) => {
            assert_spans(&run.sources, &run.diagnostics);
            render(&run.diagnostics, &run.sources);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "empty error"),
    }
}

fn write_file(root: &std::path::Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create a directory");
    }
    std::fs::write(path, bytes).expect("write a file");
}

fn check_document(bytes: Vec<u8>, extra: &[(&str, &str)]) {
    let (mut parsed, kept) = crate::load::parse_bytes(FileId(0), bytes.clone());
    // A policy is read by the rule set, as loading routes it by its kind.
    let policy = kept
        .as_deref()
        .or(std::str::from_utf8(&bytes).ok())
        .filter(|text| crate::document::kind::top_level(text).as_deref() == Some("policy"));
    let mut is_policy = false;
    if let Some(text) = policy {
        let mut found = Vec::new();
        is_policy = crate::evaluate::policy::parse(FileId(0), text, &mut found).is_some();
        parsed.diagnostics = found;
    }
    let text = match &kept {
        Some(t) => t.to_string(),
        None => String::from_utf8_lossy(&bytes).into_owned(),
    };
    let mut sources = SourceMap::new();
    let id = sources.add_text("fuzz.toml", text.clone());
    assert_eq!(id, FileId(0));
    assert_spans(&sources, &parsed.diagnostics);
    render(&parsed.diagnostics, &sources);
    assert_fast_paths(&text);
    if parsed.document.is_none() && !is_policy {
        return;
    }
    // The document is valid on its own: run the whole pipeline over it.
    let mut config = Config::default();
    let jira = matches!(
        parsed.document,
        Some(
            Document::JiraScheme(_)
                | Document::JiraGlobal(_)
                | Document::JiraProject(_)
                | Document::JiraBoard(_)
                | Document::JiraGroups(_)
        )
    );
    let extra = if jira {
        // Some rules differ by platform; let the input's length pick one, deterministically.
        if bytes.len() % 2 == 1 {
            config.jira.platform = Platform::DataCenter;
        }
        JIRA
    } else {
        extra
    };
    let mut docs = vec![("fuzz.toml".to_string(), text)];
    docs.extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    let run = crate::pipeline::check_texts(&docs, config, &Overrides::default());
    assert_spans(&run.sources, &run.diagnostics);
    render(&run.diagnostics, &run.sources);
}

fn render(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let report = Report {
        diagnostics,
        sources,
        files_checked: 1,
        checked: &[],
        rules: Vec::new(),
    };
    let mut out = Vec::new();
    Human::plain()
        .emit(&report, &mut out)
        .expect("render human report");
    Json.emit(&report, &mut out).expect("render json report");
}

fn assert_spans(sources: &SourceMap, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let text = sources.text(d.location.file);
        assert_span(&text, &d.location.span, &d.message.get());
        for label in &d.labels {
            let text = sources.text(label.location.file);
            assert_span(&text, &label.location.span, &label.text);
        }
    }
}

fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "span {span:?} of `{what}` is not inside the {}-byte text",
        text.len()
    );
}

fn assert_imported(file_name: &str, toml_text: &str) {
    assert!(
        !file_name.is_empty() && !file_name.contains(['/', '\\']) && file_name != "..",
        "unsafe import file name {file_name:?}"
    );
    if let Err(e) = toml::de::DeTable::parse(toml_text) {
        panic!("imported TOML does not parse: {e}\n{toml_text}");
    }
}
