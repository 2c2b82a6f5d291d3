//! Jira Software board (`GET /rest/agile/1.0/board/{id}`), optionally with its
//! configuration (`GET /rest/agile/1.0/board/{id}/configuration`) or its saved filter
//! (`GET /rest/api/3/filter/{id}`), in either order → `kind = "jira-board"`.
//!
//! Each input is recognised by its shape ([`super::payload::shape`]); anything that is
//! not one of those (a permission scheme, a page of boards, a filter search page, ...) is
//! refused with one sentence naming what it looks like.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value;

use super::payload::{
    self, describe, scalar, text, AdminUser, Admins, Board, BoardConfiguration, FilterRef,
    Location, Loose, SavedFilter, Shape,
};
use super::{
    comment_safe, kind_of, parse_json, push_note, quote_for_comment, slugify, unique_file_name,
    DocBuilder, ImportError, Imported, Notes, UsedNames,
};

/// What came with the board.
enum Companion {
    Configuration(BoardConfiguration),
    Filter(SavedFilter),
}

/// Converts a board, and its configuration or saved filter when given (in either order),
/// to a `jira-board` document.
///
/// The board's filter JQL becomes `filter` when the configuration carries it
/// (`filter.query` or `filter.jql`; Jira's configuration endpoint usually returns only
/// the filter id) or a saved filter is given. Otherwise `projects` comes from the board's
/// location (or the configuration's) and a comment says how to fetch the JQL.
/// `[[expect]]` entries are never produced: they are the user's policy, not Jira data.
pub fn import_jira_board(first: &str, second: Option<&str>) -> Result<Imported, ImportError> {
    let first = parse_json(first, "board")?;
    let second = match second {
        Some(text) => Some(parse_json(text, "board configuration")?),
        None => None,
    };
    let (board, companion) = recognise(&first, second.as_ref())?;
    if text(&board.name).is_none() {
        return Err(ImportError::new(
            "not a Jira board: `$.name` is missing or not a non-empty string",
        ));
    }
    Ok(convert(board, companion))
}

/// Finds the board and its companion among the inputs, or says what the inputs are.
fn recognise(
    first: &Value,
    second: Option<&Value>,
) -> Result<(Board, Option<Companion>), ImportError> {
    let first_shape = payload::shape(first);
    let second_shape = second.map(payload::shape);
    let board_of = |v: &Value| Board::deserialize(v).unwrap_or_default();
    let companion_of = |shape: &Shape, v: &Value| match shape {
        Shape::BoardConfiguration => Some(Companion::Configuration(
            BoardConfiguration::deserialize(v).unwrap_or_default(),
        )),
        Shape::SavedFilter => Some(Companion::Filter(
            SavedFilter::deserialize(v).unwrap_or_default(),
        )),
        _ => None,
    };
    match (&first_shape, second.zip(second_shape.as_ref())) {
        (Shape::Board, None) => Ok((board_of(first), None)),
        (Shape::Board, Some((v, shape))) => match companion_of(shape, v) {
            Some(c) => Ok((board_of(first), Some(c))),
            None => Err(not_companion(shape)),
        },
        (shape, Some((v, Shape::Board))) => match companion_of(shape, first) {
            Some(c) => Ok((board_of(v), Some(c))),
            None => Err(not_board(shape)),
        },
        (Shape::BoardConfiguration | Shape::SavedFilter, None) => Err(ImportError::new(format!(
            "not a Jira board: this is {}; pass the board (GET /rest/agile/1.0/board/{{id}}) with it",
            describe(&first_shape)
        ))),
        (Shape::BoardConfiguration | Shape::SavedFilter, Some((_, other))) => {
            Err(not_board(other))
        }
        (shape, _) => Err(not_board(shape)),
    }
}

fn not_board(shape: &Shape) -> ImportError {
    let advice = match shape {
        Shape::PageOfBoards => "; pass one board (GET /rest/agile/1.0/board/{id})",
        Shape::PageOfFilters => "; pass the board (GET /rest/agile/1.0/board/{id}) and one filter (GET /rest/api/3/filter/{id})",
        Shape::PermissionScheme | Shape::PermissionSchemeList | Shape::SchemeGrants | Shape::SchemeGrant => {
            "; permission schemes are imported with `rolelint import jira-scheme`"
        }
        Shape::NotObject(_) => {
            ", expected the JSON object of GET /rest/agile/1.0/board/{id}"
        }
        Shape::Board => "",
        _ => "; pass the board (GET /rest/agile/1.0/board/{id})",
    };
    match shape {
        Shape::Board => ImportError::new(
            "both inputs are boards: pass one board and its configuration (GET /rest/agile/1.0/board/{id}/configuration)",
        ),
        Shape::NotObject(kind) => ImportError::new(format!(
            "not a Jira board: the input is {kind}{advice}"
        )),
        _ => ImportError::new(format!(
            "not a Jira board: this is {}{advice}",
            describe(shape)
        )),
    }
}

fn not_companion(shape: &Shape) -> ImportError {
    match shape {
        Shape::NotObject(kind) => ImportError::new(format!(
            "not a Jira board configuration: the input is {kind}, expected the JSON object of GET /rest/agile/1.0/board/{{id}}/configuration"
        )),
        Shape::Board => not_board(shape),
        other => ImportError::new(format!(
            "the second input is not the board's configuration or saved filter: this is {}; pass GET /rest/agile/1.0/board/{{id}}/configuration or GET /rest/api/3/filter/{{id}}",
            describe(other)
        )),
    }
}

fn convert(board: Board, companion: Option<Companion>) -> Imported {
    let mut notes = Notes::default();
    let name = text(&board.name).unwrap_or_default().to_string();
    let id = scalar(&board.id);
    let mut doc = DocBuilder::new();
    let subject = match &id {
        Some(id) => comment_safe(id),
        None => quote_for_comment(&name),
    };
    doc.comment(&format!(
        "Imported from Jira board {subject} by `rolelint import jira-board`."
    ));
    doc.insert_str("kind", "jira-board");
    doc.insert_str("name", &name);
    insert_type(&mut doc, &board, &mut notes);
    insert_filter_or_projects(&mut doc, &board, companion.as_ref(), &mut notes);
    insert_admins(&mut doc, &board, &mut notes);

    let fallback = match &id {
        Some(id) => format!("board-{id}"),
        None => "board".to_string(),
    };
    let mut used = UsedNames::default();
    let file_name = unique_file_name(&slugify(&name, &fallback), &mut used);
    Imported {
        file_name,
        toml: doc.finish(),
        notes: notes.comment_safe(),
    }
}

fn insert_type(doc: &mut DocBuilder, board: &Board, notes: &mut Notes) {
    match text(&board.board_type) {
        Some(ty) => {
            if !matches!(ty, "scrum" | "kanban" | "simple") {
                push_note(
                    notes,
                    format!(
                        "board type {} is not one Jira documents (scrum, kanban, simple): kept as is",
                        quote_for_comment(ty)
                    ),
                );
            }
            doc.insert_str("type", ty);
        }
        None => push_note(
            notes,
            "the board JSON has no `type`: add `type = \"scrum\"` or `\"kanban\"` by hand"
                .to_string(),
        ),
    }
}

/// `filter` when the board filter's JQL is known; else `projects` from the location, with
/// a comment and a note on how to fetch the JQL.
fn insert_filter_or_projects(
    doc: &mut DocBuilder,
    board: &Board,
    companion: Option<&Companion>,
    notes: &mut Notes,
) {
    let filter = find_filter(companion, board);
    if let Some(jql) = &filter.jql {
        doc.insert_str("filter", jql);
        if let Some(note) = filter.note {
            push_note(notes, note);
        }
        return;
    }
    let filter_id = &filter.id;
    if let Some(fid) = filter_id {
        let fid = comment_safe(fid);
        doc.comment(&format!(
            "filter {fid}: fetch its JQL with GET /rest/api/3/filter/{fid} and set filter = \"...\""
        ));
    }
    let source = match (companion, filter_id) {
        (None, _) => "no board configuration was given".to_string(),
        (Some(_), Some(fid)) => format!(
            "the configuration gives only the id of filter {}, not its JQL",
            comment_safe(fid)
        ),
        (Some(_), None) => "the configuration has no filter".to_string(),
    };
    let config = match companion {
        Some(Companion::Configuration(c)) => Some(c),
        _ => None,
    };
    match location(board, config) {
        Some(key) => {
            doc.insert_strings("projects", std::slice::from_ref(&key));
            push_note(
                notes,
                format!(
                    "{source}: `projects` is only the board's location ({}); set `filter` to the board filter's JQL (GET /rest/api/3/filter/{}) so rolelint sees every project the board covers",
                    comment_safe(&key),
                    filter_id.as_deref().map(comment_safe).unwrap_or_else(|| "{id}".to_string())
                ),
            );
        }
        None => push_note(
            notes,
            format!(
                "{source} and the board has no project location: set `projects` or `filter` by hand"
            ),
        ),
    }
}

fn insert_admins(doc: &mut DocBuilder, board: &Board, notes: &mut Notes) {
    match &board.admins {
        Some(Loose::Typed(admins)) => {
            let values = admin_holders(admins, notes);
            doc.insert_strings("admins", &values);
        }
        None | Some(Loose::Other(Value::Null)) => push_note(
            notes,
            "the board JSON has no `admins` (Jira omits them when the caller cannot administer the board): add `admins` by hand".to_string(),
        ),
        Some(Loose::Other(other)) => push_note(
            notes,
            format!(
                "the board's `admins` is {}, not an object: add `admins` by hand",
                kind_of(other)
            ),
        ),
    }
}

struct FilterInfo {
    id: Option<String>,
    jql: Option<String>,
    note: Option<String>,
}

/// The board filter: `filter` {id, query|jql} of the configuration (or of the board JSON,
/// should a caller have merged the two), or the saved filter given with the board.
fn find_filter(companion: Option<&Companion>, board: &Board) -> FilterInfo {
    let from_ref = |f: &FilterRef| FilterInfo {
        id: scalar(&f.id),
        jql: text(&f.query).or_else(|| text(&f.jql)).map(str::to_string),
        note: None,
    };
    match companion {
        Some(Companion::Configuration(c)) => {
            if let Some(f) = c.filter.as_ref().and_then(Loose::typed) {
                return from_ref(f);
            }
        }
        Some(Companion::Filter(f)) => {
            return FilterInfo {
                id: scalar(&f.id),
                jql: text(&f.jql).map(str::to_string),
                note: Some(
                    "the other input is a saved filter, not a board configuration: its `jql` is the board's `filter`"
                        .to_string(),
                ),
            }
        }
        None => {}
    }
    match board.filter.as_ref().and_then(Loose::typed) {
        Some(f) => from_ref(f),
        None => FilterInfo {
            id: None,
            jql: None,
            note: None,
        },
    }
}

/// The project key of the board's location, else of the configuration's location.
fn location(board: &Board, config: Option<&BoardConfiguration>) -> Option<String> {
    let of = |l: Option<&Loose<Location>>| Some(l?.typed()?.project_key()?.to_string());
    of(board.location.as_ref()).or_else(|| of(config.and_then(|c| c.location.as_ref())))
}

/// `user:ACCOUNT` and `group:NAME`, sorted as `rolelint fmt` sorts them.
fn admin_holders(admins: &Admins, notes: &mut Notes) -> Vec<String> {
    let mut all = BTreeSet::new();
    let users = admins.users.as_ref().and_then(Loose::typed);
    for (i, user) in users.into_iter().flatten().enumerate() {
        let user = user.typed();
        if let Some(account) = user.and_then(|u| scalar(&u.account_id)) {
            all.insert(format!("user:{account}"));
            continue;
        }
        // Data Center users have no accountId: `key`, else `name` (the username).
        match user.and_then(|u| scalar(&u.key).or_else(|| scalar(&u.name))) {
            Some(key) => {
                push_note(
                    notes,
                    format!(
                        "board admin `$.admins.users[{i}]` has no `accountId`: imported as `user:{key}` from its Data Center key/name"
                    ),
                );
                all.insert(format!("user:{key}"));
            }
            None => push_note(
                notes,
                format!(
                    "board admin `$.admins.users[{i}]`{} has no `accountId`: not imported",
                    display_name(user)
                ),
            ),
        }
    }
    let groups = admins.groups.as_ref().and_then(Loose::typed);
    for (i, group) in groups.into_iter().flatten().enumerate() {
        match group.typed().and_then(|g| scalar(&g.name)) {
            Some(name) => {
                all.insert(format!("group:{name}"));
            }
            None => push_note(
                notes,
                format!("board admin group `$.admins.groups[{i}]` has no `name`: not imported"),
            ),
        }
    }
    all.into_iter().collect()
}

fn display_name(user: Option<&AdminUser>) -> String {
    match user.and_then(|u| text(&u.display_name)) {
        Some(n) => format!(" ({})", quote_for_comment(n)),
        None => String::new(),
    }
}
