//! Jira project (`GET /rest/api/3/project/{projectIdOrKey}`), optionally with its
//! permission scheme (`GET /rest/api/3/project/{projectIdOrKey}/permissionscheme`, or the
//! whole scheme), in either order → `kind = "jira-project"` with the project's `id`, so
//! board filters that name projects by id (`project = 10000`) resolve.

use serde::Deserialize;
use serde_json::Value;

use super::payload::{self, describe, scalar, text, typed, Loose, Scalar, Shape};
use super::{
    comment_safe, parse_json, push_note, quote_for_comment, slugify, unique_file_name, DocBuilder,
    ImportError, Imported, Notes, UsedNames,
};

/// `GET /rest/api/3/project/{key}` (the fields used).
#[derive(Debug, Default, Deserialize)]
struct Project {
    id: Option<Loose<Scalar>>,
    key: Option<Loose<String>>,
    name: Option<Loose<String>>,
}

/// `GET /rest/api/3/project/{key}/permissionscheme`: `{id, name, self}`.
#[derive(Debug, Default, Deserialize)]
struct SchemeRef {
    name: Option<Loose<String>>,
    #[serde(rename = "self")]
    self_url: Option<Loose<String>>,
}

/// Converts a project, and its permission scheme when given, to a `jira-project` document.
pub fn import_jira_project(first: &str, second: Option<&str>) -> Result<Imported, ImportError> {
    let first = parse_json(first, "project")?;
    let second = match second {
        Some(text) => Some(parse_json(text, "permission scheme")?),
        None => None,
    };
    let (project, scheme) = recognise(&first, second.as_ref())?;
    let (Some(key), Some(name)) = (text(&project.key), text(&project.name)) else {
        return Err(ImportError::new(
            "not a Jira project: `$.key` or `$.name` is missing or not a non-empty string",
        ));
    };
    let mut notes = Notes::default();
    let mut doc = DocBuilder::new();
    doc.comment(&format!(
        "Imported from Jira project {} by `rolelint import jira-project`.",
        comment_safe(key)
    ));
    doc.insert_str("kind", "jira-project");
    doc.insert_str("key", key);
    doc.insert_str("name", name);
    match scalar(&project.id).and_then(|id| id.parse::<i64>().ok()).filter(|id| *id > 0) {
        Some(id) => doc.insert("id", toml_edit::value(id)),
        None => push_note(
            &mut notes,
            "the project JSON has no numeric `id`: filters naming the project by id will not resolve".to_string(),
        ),
    }
    insert_scheme(&mut doc, key, scheme.as_ref(), &mut notes);
    push_note(
        &mut notes,
        format!(
            "project {} has no `[roles]`: add the project-role members (GET /rest/api/3/project/{}/role) by hand",
            quote_for_comment(key),
            comment_safe(key)
        ),
    );
    let mut used = UsedNames::default();
    Ok(Imported {
        file_name: unique_file_name(&slugify(key, "project"), &mut used),
        toml: doc.finish(),
        notes: notes.comment_safe(),
    })
}

/// The project and its permission scheme among the inputs (in either order), or what the
/// inputs are instead.
fn recognise(
    first: &Value,
    second: Option<&Value>,
) -> Result<(Project, Option<SchemeRef>), ImportError> {
    let (project, scheme) = match (payload::shape(first), second) {
        (Shape::Project, scheme) => (first, scheme),
        (other, Some(s)) if payload::shape(s) == Shape::Project && is_scheme(&other, first) => {
            (s, Some(first))
        }
        (other, _) => {
            return Err(ImportError::new(format!(
            "not a Jira project: this is {}; pass the project (GET /rest/api/3/project/{{key}})",
            describe(&other)
        )))
        }
    };
    if let Some(s) = scheme {
        let shape = payload::shape(s);
        if !is_scheme(&shape, s) {
            return Err(ImportError::new(format!(
                "the second input is not the project's permission scheme: this is {}; pass GET /rest/api/3/project/{{key}}/permissionscheme",
                describe(&shape)
            )));
        }
    }
    Ok((typed(project), scheme.map(typed)))
}

/// `permission-scheme`, or a comment and a note saying where to find it.
fn insert_scheme(doc: &mut DocBuilder, key: &str, scheme: Option<&SchemeRef>, notes: &mut Notes) {
    match scheme.and_then(|s| text(&s.name)) {
        Some(scheme) => doc.insert_str("permission-scheme", scheme),
        None => {
            doc.comment(&format!(
                "permission-scheme = \"...\"  (GET /rest/api/3/project/{}/permissionscheme)",
                comment_safe(key)
            ));
            push_note(
                notes,
                format!(
                    "the project JSON does not name its permission scheme: set `permission-scheme` (GET /rest/api/3/project/{}/permissionscheme, or pass that JSON second); `check` reports it missing until then",
                    comment_safe(key)
                ),
            );
        }
    }
}

/// The project's permission scheme: the `{id, name, self}` reference, or a whole scheme.
fn is_scheme(shape: &Shape, v: &Value) -> bool {
    if matches!(shape, Shape::PermissionScheme) {
        return true;
    }
    let scheme: SchemeRef = typed(v);
    let self_url = scheme.self_url.as_ref().and_then(Loose::typed);
    matches!(shape, Shape::Board)
        && self_url.is_some_and(|url| url.contains("/permissionscheme"))
        && scheme.name.as_ref().and_then(Loose::typed).is_some()
}
