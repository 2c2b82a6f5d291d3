//! Jira REST permission scheme (`GET /rest/api/{2,3}/permissionscheme[/{id}]?expand=all`)
//! → `kind = "jira-permission-scheme"` documents.

mod document;
mod holder;
mod rest;

use std::collections::BTreeMap;

use serde_json::Value;

use super::payload::{self, scalar, text, typed, Board, Field, Loose, Object, Shape};
use super::{kind_of, parse_json, ImportError, Imported, UsedNames};
use rest::{Scheme, SchemeList};

/// Converts a single permission scheme object, a `{"permissionSchemes": [...]}` list (as
/// returned by `GET /permissionscheme`) or a bare JSON array of schemes. Each scheme
/// becomes one [`Imported`]; file names are made unique with `-2`, `-3`, ... suffixes.
///
/// The whole input is rejected (one [`ImportError`]) when it is not JSON, or when any
/// scheme lacks a `name` or a `permissions` array. Problems inside single grants are not
/// errors: the grant is kept as a comment and explained in the notes.
pub fn import_jira_schemes(json: &str) -> Result<Vec<Imported>, ImportError> {
    let root = parse_json(json, "permission scheme")?;
    refuse_other_payloads(&root)?;
    let schemes = scheme_objects(&root)?;
    for (path, scheme) in &schemes {
        validate_scheme(path, scheme)?;
    }
    let role_names = collect_role_names(&schemes);
    let mut used = UsedNames::default();
    Ok(schemes
        .iter()
        .map(|(path, scheme)| document::convert_scheme(path, scheme, &role_names, &mut used))
        .collect())
}

/// Refuses payloads of other endpoints, naming what they are and what to fetch instead.
fn refuse_other_payloads(root: &Value) -> Result<(), ImportError> {
    let shape = payload::shape(root);
    let advice = match shape {
        Shape::SchemeGrants | Shape::SchemeGrant => {
            "; fetch the whole scheme with GET /rest/api/3/permissionscheme/{id}?expand=all"
        }
        Shape::Board if is_board_type(root) => {
            "; boards are imported with `rolelint import jira-board`"
        }
        Shape::BoardConfiguration | Shape::SavedFilter | Shape::PageOfBoards | Shape::PageOfFilters => {
            "; boards are imported with `rolelint import jira-board`"
        }
        Shape::Page | Shape::Project | Shape::JiraError(_) => {
            "; fetch GET /rest/api/3/permissionscheme?expand=all or GET /rest/api/3/permissionscheme/{id}?expand=all"
        }
        _ => return Ok(()),
    };
    Err(ImportError::new(format!(
        "not a Jira permission scheme: this is {}{advice}",
        payload::describe(&shape)
    )))
}

/// Whether the payload's `type` is one of a board's.
fn is_board_type(root: &Value) -> bool {
    let board: Board = typed(root);
    let board_type = board.board_type.as_ref().and_then(Loose::typed);
    matches!(
        board_type.map(String::as_str),
        Some("scrum" | "kanban" | "simple")
    )
}

/// A scheme of the payload with its JSON path (`$`, `$.permissionSchemes[2]`).
type SchemeAt = (String, Scheme);

/// The schemes of the payload.
fn scheme_objects(root: &Value) -> Result<Vec<SchemeAt>, ImportError> {
    let (base, items) = match root {
        Value::Object(_) => match typed::<SchemeList>(root).permission_schemes {
            Field::Missing => return Ok(vec![("$".to_string(), typed(root))]),
            Field::Given(Loose::Typed(items)) => ("$.permissionSchemes", items),
            Field::Given(Loose::Other(other)) => {
                return Err(ImportError::new(format!(
                    "not a list of Jira permission schemes: `$.permissionSchemes` is {}, expected an array",
                    kind_of(&other)
                )))
            }
        },
        Value::Array(_) => ("$", typed::<Vec<Object<Scheme>>>(root)),
        other => {
            return Err(ImportError::new(format!(
                "not a Jira permission scheme: the input is {}, expected a JSON object",
                kind_of(other)
            )))
        }
    };
    if items.is_empty() {
        return Err(ImportError::new(format!(
            "`{base}` is an empty list: there is no permission scheme to import"
        )));
    }
    let mut schemes = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("{base}[{i}]");
        match item {
            Object::Typed(scheme) => schemes.push((path, scheme)),
            Object::Other(other) => {
                return Err(ImportError::new(format!(
                    "not a Jira permission scheme: `{path}` is {}, expected an object",
                    kind_of(&other)
                )))
            }
        }
    }
    Ok(schemes)
}

fn validate_scheme(path: &str, scheme: &Scheme) -> Result<(), ImportError> {
    match &scheme.permissions {
        Field::Given(Loose::Typed(_)) => {}
        Field::Missing => {
            return Err(ImportError::new(format!(
                "not a Jira permission scheme: missing `permissions` array at `{path}` (fetch the scheme with `?expand=all`)"
            )))
        }
        Field::Given(Loose::Other(other)) => {
            return Err(ImportError::new(format!(
                "not a Jira permission scheme: `{path}.permissions` is {}, expected an array of grants",
                kind_of(other)
            )))
        }
    }
    if text(&scheme.name).is_none() {
        return Err(ImportError::new(format!(
            "not a Jira permission scheme: `{path}.name` is missing or not a non-empty string"
        )));
    }
    Ok(())
}

/// Project role id → name, from every `holder.projectRole` expansion in the payload
/// (role ids are instance-wide, so one expanded grant names the role for all of them).
fn collect_role_names(schemes: &[SchemeAt]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let holders = schemes
        .iter()
        .flat_map(|(_, scheme)| scheme.grants())
        .filter_map(|grant| match &grant.typed()?.holder {
            Field::Given(Object::Typed(holder)) => Some(holder),
            _ => None,
        })
        .filter(|holder| holder.holder_type() == Some("projectRole"));
    for holder in holders {
        let Some(role) = holder.project_role() else {
            continue;
        };
        let id = scalar(&role.id).or_else(|| holder.parameter());
        if let (Some(id), Some(name)) = (id, text(&role.name)) {
            names.entry(id).or_insert_with(|| name.to_string());
        }
    }
    names
}
