//! Entry points shared by the fuzz targets (`fuzz/`) and `tests/fuzz_regressions.rs`,
//! so a stored crash input replays through exactly the code the fuzzer ran.
//!
//! Each function takes arbitrary bytes and must return normally: a panic here is a bug
//! in rolelint. Beyond "does not panic", they check invariants that would otherwise
//! only fail later, in an emitter: every diagnostic span lies inside its file and on
//! character boundaries, every rendered report is produced, and every TOML an importer
//! writes parses again.
use crate::config::{Config, Platform};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::emit::{human::Human, json::Json, Emitter, Report};
use crate::engine::Overrides;
use crate::source::{FileId, SourceMap};
use std::ops::Range;

/// A role evaluated together with fuzzed policies, so their rules have something to check.
const ROLE: &str = include_str!("../examples/roles/jira-connector-default.toml");

/// The example Jira instance plus a board with a saved filter: a fuzzed Jira document is
/// checked together with these, so resolution across documents (board → filter → projects →
/// scheme → groups) and the Jira rules have something to work on.
const JIRA: &[(&str, &str)] = &[
    (
        "jira/groups.toml",
        include_str!("../examples/jira/groups.toml"),
    ),
    (
        "jira/global-permissions.toml",
        include_str!("../examples/jira/global-permissions.toml"),
    ),
    (
        "jira/schemes/software-delivery.toml",
        include_str!("../examples/jira/schemes/software-delivery.toml"),
    ),
    (
        "jira/schemes/operations.toml",
        include_str!("../examples/jira/schemes/operations.toml"),
    ),
    (
        "jira/projects/plat.toml",
        include_str!("../examples/jira/projects/plat.toml"),
    ),
    (
        "jira/projects/ops.toml",
        include_str!("../examples/jira/projects/ops.toml"),
    ),
    (
        "jira/boards/platform-ops-scrum.toml",
        include_str!("../examples/jira/boards/platform-ops-scrum.toml"),
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

/// A board filter (JQL) as UTF-8; errors must point inside the filter.
pub fn board_filter(data: &[u8]) {
    let Ok(filter) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = crate::jql::parse_filter(filter) {
        assert_span(filter, &e.span, "filter error");
        assert!(!e.message.is_empty(), "empty filter error message");
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

fn check_document(bytes: Vec<u8>, extra: &[(&str, &str)]) {
    let (parsed, kept) = crate::load::parse_bytes(FileId(0), bytes.clone());
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
    if parsed.document.is_none() {
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

/// Every document the table readers accept (see [`crate::document::table`]) reads exactly
/// as serde reads it: same values, spans, order and diagnostics. Returns how many of the
/// readers accepted the text.
pub fn assert_fast_paths(text: &str) -> usize {
    use crate::document::{align_role, permission_scheme};
    let mut accepted = 0;
    accepted += agrees(
        text,
        "align-role",
        align_role::RawAlignRole::from_table,
        align_role::validate,
    );
    accepted += agrees(
        text,
        "jira-permission-scheme",
        permission_scheme::RawScheme::from_table,
        permission_scheme::validate,
    );
    accepted
}

fn agrees<R: serde::de::DeserializeOwned, D: std::fmt::Debug>(
    text: &str,
    what: &str,
    from_table: fn(&toml::de::DeTable<'_>) -> Option<R>,
    validate: fn(FileId, R, &mut Vec<Diagnostic>) -> Option<D>,
) -> usize {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return 0;
    };
    let Some(fast) = from_table(table.get_ref()) else {
        return 0;
    };
    let by_serde: Option<R> = crate::document::deserialize(FileId(0), what, table, &mut Vec::new());
    let by_serde = by_serde.expect("serde accepts what the table reader accepts");
    let (mut d1, mut d2) = (Vec::new(), Vec::new());
    let a = format!("{:?}", validate(FileId(0), fast, &mut d1));
    let b = format!("{:?}", validate(FileId(0), by_serde, &mut d2));
    assert_eq!(a, b, "{what}");
    assert_eq!(format!("{d1:?}"), format!("{d2:?}"), "{what}");
    1
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
        assert_span(&text, &d.location.span, &d.message);
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
