//! Jira Software board (`GET /rest/agile/1.0/board/{id}`), optionally with its
//! configuration (`GET /rest/agile/1.0/board/{id}/configuration`) → `kind = "jira-board"`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{
    comment_safe, kind_of, non_empty_str, parse_json, push_note, quote_for_comment, scalar_string,
    slugify, unique_file_name, DocBuilder, ImportError, Imported, Notes, UsedNames,
};

/// Converts a board, and its configuration when given, to a `jira-board` document.
///
/// The board's filter JQL becomes `filter` when the configuration carries it
/// (`filter.query` or `filter.jql`; Jira's configuration endpoint usually returns only
/// the filter id). Otherwise `projects` comes from the board's location and a comment
/// says how to fetch the JQL. `[[expect]]` entries are never produced: they are the
/// user's policy, not Jira data.
pub fn import_jira_board(
    board_json: &str,
    config_json: Option<&str>,
) -> Result<Imported, ImportError> {
    let board_value = parse_json(board_json, "board")?;
    let board = match &board_value {
        Value::Object(map) => map,
        other => {
            return Err(ImportError::new(format!(
                "not a Jira board: the input is {}, expected the JSON object of GET /rest/agile/1.0/board/{{id}}",
                kind_of(other)
            )))
        }
    };
    if board.contains_key("columnConfig") && !board.contains_key("type") {
        return Err(ImportError::new(
            "not a Jira board: the input has `columnConfig`, so it is a board configuration; pass the board (GET /rest/agile/1.0/board/{id}) first and its configuration second",
        ));
    }
    let Some(name) = non_empty_str(board.get("name")) else {
        return Err(ImportError::new(
            "not a Jira board: `$.name` is missing or not a non-empty string",
        ));
    };

    let config_value = match config_json {
        Some(text) => Some(parse_json(text, "board configuration")?),
        None => None,
    };
    let config = match &config_value {
        None => None,
        Some(Value::Object(map)) => Some(map),
        Some(other) => {
            return Err(ImportError::new(format!(
                "not a Jira board configuration: the input is {}, expected the JSON object of GET /rest/agile/1.0/board/{{id}}/configuration",
                kind_of(other)
            )))
        }
    };

    let mut notes = Notes::default();
    let id = scalar_string(board.get("id"));
    let mut doc = DocBuilder::new();
    let subject = match &id {
        Some(id) => comment_safe(id),
        None => quote_for_comment(name),
    };
    doc.comment(&format!(
        "Imported from Jira board {subject} by `rolelint import jira-board`."
    ));
    doc.insert_str("kind", "jira-board");
    doc.insert_str("name", name);

    match board.get("type") {
        Some(Value::String(ty)) if !ty.is_empty() => {
            if !matches!(ty.as_str(), "scrum" | "kanban" | "simple") {
                push_note(
                    &mut notes,
                    format!(
                        "board type {} is not one Jira documents (scrum, kanban, simple): kept as is",
                        quote_for_comment(ty)
                    ),
                );
            }
            doc.insert_str("type", ty);
        }
        _ => push_note(
            &mut notes,
            "the board JSON has no `type`: add `type = \"scrum\"` or `\"kanban\"` by hand"
                .to_string(),
        ),
    }

    // Filter and projects.
    let filter = find_filter(config, board);
    let location_key = location_project(board, config);
    match (&filter.jql, &filter.id) {
        (Some(jql), _) => {
            doc.insert_str("filter", jql);
            if let Some(note) = filter.note {
                push_note(&mut notes, note);
            }
        }
        (None, filter_id) => {
            if let Some(fid) = filter_id {
                let fid = comment_safe(fid);
                doc.comment(&format!(
                    "filter {fid}: fetch its JQL with GET /rest/api/3/filter/{fid} and set filter = \"...\""
                ));
            }
            let source = if config.is_none() {
                "no board configuration was given".to_string()
            } else {
                match filter_id {
                    Some(fid) => format!(
                        "the configuration gives only the id of filter {}, not its JQL",
                        comment_safe(fid)
                    ),
                    None => "the configuration has no filter".to_string(),
                }
            };
            match &location_key {
                Some(key) => {
                    doc.insert_strings("projects", std::slice::from_ref(key));
                    push_note(
                        &mut notes,
                        format!(
                            "{source}: `projects` is only the board's location ({}); set `filter` to the board filter's JQL (GET /rest/api/3/filter/{}) so rolelint sees every project the board covers",
                            comment_safe(key),
                            filter_id.as_deref().map(comment_safe).unwrap_or_else(|| "{id}".to_string())
                        ),
                    );
                }
                None => push_note(
                    &mut notes,
                    format!(
                        "{source} and the board has no project location: set `projects` or `filter` by hand"
                    ),
                ),
            }
        }
    }

    // Administrators.
    match board.get("admins") {
        Some(Value::Object(admins)) => {
            let values = admin_holders(admins, &mut notes);
            doc.insert_strings("admins", &values);
        }
        None | Some(Value::Null) => push_note(
            &mut notes,
            "the board JSON has no `admins` (Jira omits them when the caller cannot administer the board): add `admins` by hand".to_string(),
        ),
        Some(other) => push_note(
            &mut notes,
            format!(
                "the board's `admins` is {}, not an object: add `admins` by hand",
                kind_of(other)
            ),
        ),
    }

    let fallback = match &id {
        Some(id) => format!("board-{id}"),
        None => "board".to_string(),
    };
    let mut used = UsedNames::default();
    let file_name = unique_file_name(&slugify(name, &fallback), &mut used);
    Ok(Imported {
        file_name,
        toml: doc.finish(),
        notes: notes.comment_safe(),
    })
}

struct FilterInfo {
    id: Option<String>,
    jql: Option<String>,
    note: Option<String>,
}

/// The board filter: `filter` {id, query|jql} of the configuration (or of the board JSON,
/// should a caller have merged the two); or a saved filter (`GET /rest/api/3/filter/{id}`,
/// top-level `jql`) passed in place of the configuration.
fn find_filter(config: Option<&Map<String, Value>>, board: &Map<String, Value>) -> FilterInfo {
    for source in [config, Some(board)].into_iter().flatten() {
        if let Some(Value::Object(filter)) = source.get("filter") {
            let jql = non_empty_str(filter.get("query"))
                .or_else(|| non_empty_str(filter.get("jql")))
                .map(str::to_string);
            return FilterInfo {
                id: scalar_string(filter.get("id")),
                jql,
                note: None,
            };
        }
    }
    if let Some(config) = config {
        if let Some(jql) = non_empty_str(config.get("jql")) {
            return FilterInfo {
                id: scalar_string(config.get("id")),
                jql: Some(jql.to_string()),
                note: Some(
                    "the second input is a saved filter, not a board configuration: its `jql` is the board's `filter`"
                        .to_string(),
                ),
            };
        }
    }
    FilterInfo {
        id: None,
        jql: None,
        note: None,
    }
}

/// The project key of the board's location (`location.projectKey` on the board,
/// `location.key` on the configuration).
fn location_project(
    board: &Map<String, Value>,
    config: Option<&Map<String, Value>>,
) -> Option<String> {
    let from_board = board
        .get("location")
        .and_then(|l| non_empty_str(l.get("projectKey")));
    let from_config = || {
        config
            .and_then(|c| c.get("location"))
            .filter(|l| l.get("type").and_then(Value::as_str) != Some("user"))
            .and_then(|l| {
                non_empty_str(l.get("key")).or_else(|| non_empty_str(l.get("projectKey")))
            })
    };
    from_board.or_else(from_config).map(str::to_string)
}

/// `user:ACCOUNT` (sorted) then `group:NAME` (sorted).
fn admin_holders(admins: &Map<String, Value>, notes: &mut Notes) -> Vec<String> {
    let mut users = BTreeSet::new();
    let mut groups = BTreeSet::new();
    if let Some(Value::Array(list)) = admins.get("users") {
        for (i, user) in list.iter().enumerate() {
            if let Some(account) = scalar_string(user.get("accountId")) {
                users.insert(format!("user:{account}"));
                continue;
            }
            // Data Center users have no accountId: `key`, else `name` (the username).
            match scalar_string(user.get("key")).or_else(|| scalar_string(user.get("name"))) {
                Some(key) => {
                    push_note(
                        notes,
                        format!(
                            "board admin `$.admins.users[{i}]` has no `accountId`: imported as `user:{key}` from its Data Center key/name"
                        ),
                    );
                    users.insert(format!("user:{key}"));
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
    }
    if let Some(Value::Array(list)) = admins.get("groups") {
        for (i, group) in list.iter().enumerate() {
            match scalar_string(group.get("name")) {
                Some(name) => {
                    groups.insert(format!("group:{name}"));
                }
                None => push_note(
                    notes,
                    format!("board admin group `$.admins.groups[{i}]` has no `name`: not imported"),
                ),
            }
        }
    }
    // One sorted list, the order `rolelint fmt` keeps.
    let mut all: Vec<String> = users.into_iter().chain(groups).collect();
    all.sort();
    all
}

fn display_name(user: &Value) -> String {
    match non_empty_str(user.get("displayName")) {
        Some(n) => format!(" ({})", quote_for_comment(n)),
        None => String::new(),
    }
}
