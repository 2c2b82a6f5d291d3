//! Jira REST permission scheme (`GET /rest/api/{2,3}/permissionscheme[/{id}]?expand=all`)
//! → `kind = "jira-permission-scheme"` documents.

use crate::document::holder::Holder;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{Map, Value};
use toml_edit::Table;

use super::payload::{self, Shape};
use super::{
    comment_safe, kind_of, non_empty_str, parse_json, push_note, quote_for_comment, scalar_string,
    slugify, table_insert_strings, unique_file_name, DocBuilder, ImportError, Imported,
};

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
    let mut used = HashSet::new();
    let mut out = Vec::with_capacity(schemes.len());
    for (path, scheme) in &schemes {
        out.push(convert_scheme(path, scheme, &role_names, &mut used));
    }
    Ok(out)
}

/// Refuses payloads of other endpoints, naming what they are and what to fetch instead.
fn refuse_other_payloads(root: &Value) -> Result<(), ImportError> {
    let shape = payload::shape(root);
    let advice = match shape {
        Shape::SchemeGrants | Shape::SchemeGrant => {
            "; fetch the whole scheme with GET /rest/api/3/permissionscheme/{id}?expand=all"
        }
        Shape::Board
            if matches!(
                root.get("type").and_then(Value::as_str),
                Some("scrum" | "kanban" | "simple")
            ) =>
        {
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

/// A scheme object of the payload with its JSON path (`$`, `$.permissionSchemes[2]`).
type SchemeAt<'a> = (String, &'a Map<String, Value>);

/// The scheme objects of the payload.
fn scheme_objects(root: &Value) -> Result<Vec<SchemeAt<'_>>, ImportError> {
    let (base, items) = match root {
        Value::Object(map) => match map.get("permissionSchemes") {
            None => return Ok(vec![("$".to_string(), map)]),
            Some(Value::Array(items)) => ("$.permissionSchemes", items),
            Some(other) => {
                return Err(ImportError::new(format!(
                    "not a list of Jira permission schemes: `$.permissionSchemes` is {}, expected an array",
                    kind_of(other)
                )))
            }
        },
        Value::Array(items) => ("$", items),
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
    for (i, item) in items.iter().enumerate() {
        let path = format!("{base}[{i}]");
        match item {
            Value::Object(map) => schemes.push((path, map)),
            other => {
                return Err(ImportError::new(format!(
                    "not a Jira permission scheme: `{path}` is {}, expected an object",
                    kind_of(other)
                )))
            }
        }
    }
    Ok(schemes)
}

fn validate_scheme(path: &str, scheme: &Map<String, Value>) -> Result<(), ImportError> {
    match scheme.get("permissions") {
        Some(Value::Array(_)) => {}
        None => {
            return Err(ImportError::new(format!(
                "not a Jira permission scheme: missing `permissions` array at `{path}` (fetch the scheme with `?expand=all`)"
            )))
        }
        Some(other) => {
            return Err(ImportError::new(format!(
                "not a Jira permission scheme: `{path}.permissions` is {}, expected an array of grants",
                kind_of(other)
            )))
        }
    }
    if non_empty_str(scheme.get("name")).is_none() {
        return Err(ImportError::new(format!(
            "not a Jira permission scheme: `{path}.name` is missing or not a non-empty string"
        )));
    }
    Ok(())
}

/// Project role id → name, from every `holder.projectRole` expansion in the payload
/// (role ids are instance-wide, so one expanded grant names the role for all of them).
fn collect_role_names(schemes: &[SchemeAt<'_>]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for (_, scheme) in schemes {
        let Some(Value::Array(grants)) = scheme.get("permissions") else {
            continue;
        };
        for grant in grants {
            let Some(holder) = grant.get("holder") else {
                continue;
            };
            if holder.get("type").and_then(Value::as_str) != Some("projectRole") {
                continue;
            }
            let Some(role) = holder.get("projectRole") else {
                continue;
            };
            let id = scalar_string(role.get("id")).or_else(|| holder_parameter(holder));
            if let (Some(id), Some(name)) = (id, non_empty_str(role.get("name"))) {
                names.entry(id).or_insert_with(|| name.to_string());
            }
        }
    }
    names
}

/// `parameter`, else `value` (Cloud: equal for every type but `group`).
fn holder_parameter(holder: &Value) -> Option<String> {
    scalar_string(holder.get("parameter")).or_else(|| scalar_string(holder.get("value")))
}

/// What one grant's holder became.
enum Outcome {
    /// Imported, possibly with a note for the user.
    Holder(Holder, Option<String>),
    /// Not imported: a comment line for the document and a note.
    Skipped { comment: String, note: String },
}

#[derive(Default)]
struct KeyGrants {
    /// Holder strings, sorted as `rolelint fmt` sorts them, so imports are already formatted.
    holders: BTreeSet<String>,
    comments: Vec<String>,
}

struct Context<'a> {
    role_names: &'a BTreeMap<String, String>,
    /// Role ids already reported as unresolved (one note per id).
    unresolved_roles: BTreeSet<String>,
    /// Group name → Jira group id, for `[group-ids]`.
    group_ids: BTreeMap<String, String>,
    notes: Vec<String>,
}

fn convert_scheme(
    path: &str,
    scheme: &Map<String, Value>,
    role_names: &BTreeMap<String, String>,
    used: &mut HashSet<String>,
) -> Imported {
    let name = non_empty_str(scheme.get("name")).unwrap_or_default();
    let id = scalar_string(scheme.get("id"));
    let mut ctx = Context {
        role_names,
        unresolved_roles: BTreeSet::new(),
        group_ids: BTreeMap::new(),
        notes: Vec::new(),
    };

    let mut grants: BTreeMap<String, KeyGrants> = BTreeMap::new();
    // Comments about grants that have no usable permission key.
    let mut loose: Vec<String> = Vec::new();
    let empty = Vec::new();
    let items = match scheme.get("permissions") {
        Some(Value::Array(items)) => items,
        _ => &empty,
    };
    for (i, grant) in items.iter().enumerate() {
        let grant_path = format!("{path}.permissions[{i}]");
        let label = grant_label(grant, &grant_path);
        let Some(obj) = grant.as_object() else {
            loose.push(format!("{label} is {}: not imported", kind_of(grant)));
            push_note(
                &mut ctx.notes,
                format!(
                    "{label} is {}, not a grant object: kept as a comment, not imported",
                    kind_of(grant)
                ),
            );
            continue;
        };
        let permission = match obj.get("permission") {
            Some(Value::String(p)) if !p.is_empty() => p.clone(),
            other => {
                let what = match other {
                    None => "no `permission`".to_string(),
                    Some(v) => format!("a `permission` that is {}", non_string_kind(v)),
                };
                loose.push(format!(
                    "{label} has {what} (holder {}): not imported",
                    describe_holder(obj.get("holder"))
                ));
                push_note(
                    &mut ctx.notes,
                    format!("{label} has {what}: kept as a comment, not imported"),
                );
                continue;
            }
        };
        let entry = grants.entry(permission.clone()).or_default();
        match convert_holder(obj.get("holder"), &label, &permission, &mut ctx) {
            Outcome::Holder(holder, note) => {
                entry.holders.insert(holder.to_string());
                if let Some(note) = note {
                    push_note(&mut ctx.notes, note);
                }
            }
            Outcome::Skipped { comment, note } => {
                entry.comments.push(comment);
                push_note(&mut ctx.notes, note);
            }
        }
    }

    if items.is_empty() {
        push_note(
            &mut ctx.notes,
            "the scheme has no grants (`permissions` is empty): `[grants]` is empty".to_string(),
        );
    }

    let mut doc = DocBuilder::new();
    let subject = match &id {
        Some(id) => format!("{} ({})", comment_safe(id), quote_for_comment(name)),
        None => quote_for_comment(name),
    };
    doc.comment(&format!(
        "Imported from Jira permission scheme {subject} by `rolelint import jira-scheme`."
    ));
    doc.insert_str("kind", "jira-permission-scheme");
    doc.insert_str("name", name);
    match scheme.get("description") {
        Some(Value::String(d)) if !d.trim().is_empty() => doc.insert_str("description", d),
        None | Some(Value::Null) | Some(Value::String(_)) => {}
        Some(other) => push_note(
            &mut ctx.notes,
            format!(
                "`{path}.description` is {}, not a string: not imported",
                kind_of(other)
            ),
        ),
    }

    let mut table = Table::new();
    // Comments about grants without a permission key open `[grants]`, right before the
    // comments of the first key (no blank line: `rolelint fmt` removes those inside tables).
    let mut preamble = comment_lines(&loose);
    for (permission, key_grants) in &grants {
        let mut prefix = std::mem::take(&mut preamble);
        prefix.push_str(&comment_lines(&key_grants.comments));
        let values: Vec<String> = key_grants.holders.iter().cloned().collect();
        table_insert_strings(&mut table, permission, &values, &prefix);
    }
    doc.insert_table("grants", table);
    if !preamble.is_empty() {
        // `[grants]` has no key to carry them: they end the document.
        for line in &loose {
            doc.comment(line);
        }
    }
    if !ctx.group_ids.is_empty() {
        // Only groups still granted something (a grant kept as a comment drops its group).
        let mut ids = Table::new();
        for (name, id) in &ctx.group_ids {
            if grants
                .values()
                .any(|g| g.holders.contains(&format!("group:{name}")))
            {
                ids.insert(name, toml_edit::value(id.as_str()));
            }
        }
        if !ids.is_empty() {
            doc.comment("Jira group ids of the groups above (names can change, ids do not).");
            doc.insert_table("group-ids", ids);
        }
    }

    let fallback = match &id {
        Some(id) => format!("permission-scheme-{id}"),
        None => "permission-scheme".to_string(),
    };
    let file_name = unique_file_name(&slugify(name, &fallback), used);
    Imported {
        file_name,
        toml: doc.finish(),
        notes: ctx.notes.iter().map(|n| comment_safe(n)).collect(),
    }
}

/// `# line\n` for each line, sanitised for TOML comments.
fn comment_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str("# ");
        out.push_str(&comment_safe(line));
        out.push('\n');
    }
    out
}

/// `grant 10105`, or `grant at $.permissions[3]` when the grant has no id.
fn grant_label(grant: &Value, path: &str) -> String {
    match scalar_string(grant.get("id")) {
        Some(id) => format!("grant {id}"),
        None => format!("grant at `{path}`"),
    }
}

fn non_string_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "empty",
        other => kind_of(other),
    }
}

/// Short description of a raw holder for comments: `"group" (parameter "x")`.
fn describe_holder(holder: Option<&Value>) -> String {
    let Some(holder) = holder else {
        return "missing".to_string();
    };
    let ty = match holder.get("type") {
        Some(Value::String(t)) => quote_for_comment(t),
        _ => "without type".to_string(),
    };
    match holder_parameter(holder) {
        Some(p) => format!("{ty} (parameter {})", quote_for_comment(&p)),
        None => ty,
    }
}

fn convert_holder(
    holder: Option<&Value>,
    label: &str,
    permission: &str,
    ctx: &mut Context<'_>,
) -> Outcome {
    let at = format!("{label} ({permission})");
    let Some(holder) = holder else {
        return Outcome::Skipped {
            comment: format!("{label} has no holder: not imported"),
            note: format!("{at} has no `holder`: kept as a comment, not imported"),
        };
    };
    let ty = match holder.get("type") {
        Some(Value::String(t)) if !t.is_empty() => t.as_str(),
        _ => {
            let what = match holder {
                Value::Object(_) => "a holder without a string `type`".to_string(),
                other => format!("a holder that is {}", kind_of(other)),
            };
            return Outcome::Skipped {
                comment: format!("{label} has {what}: not imported"),
                note: format!("{at} has {what}: kept as a comment, not imported"),
            };
        }
    };
    let parameter = holder_parameter(holder);
    let needs_parameter = |what: &str| Outcome::Skipped {
        comment: format!(
            "holder type {} without {what} from {label}: not imported",
            quote_for_comment(ty)
        ),
        note: format!(
            "{at}: holder type `{}` lacks {what} (`parameter`): kept as a comment, not imported",
            comment_safe(ty)
        ),
    };
    match ty {
        "anyone" => Outcome::Holder(Holder::Anyone, None),
        "applicationRole" => match parameter {
            Some(key) => Outcome::Holder(Holder::ApplicationRole(Some(key)), None),
            None => Outcome::Holder(Holder::ApplicationRole(None), None),
        },
        "group" => {
            // Cloud: `parameter` is the name, `value` the group id; `?expand=group` adds
            // `group {name, groupId}` and may leave `parameter` out. Data Center: the name.
            let expanded = holder.get("group");
            let name = scalar_string(holder.get("parameter"))
                .or_else(|| expanded.and_then(|g| scalar_string(g.get("name"))));
            let group_id = expanded
                .and_then(|g| scalar_string(g.get("groupId")))
                .or_else(|| scalar_string(holder.get("value")))
                .filter(|id| name.as_ref() != Some(id));
            match (name, group_id) {
                (Some(name), id) => {
                    let mut note = None;
                    if let Some(id) = id {
                        let known = ctx.group_ids.entry(name.clone()).or_insert_with(|| id.clone());
                        if *known != id {
                            note = Some(format!(
                                "{at}: group {} has a second id ({}, first {}): `[group-ids]` keeps the first",
                                quote_for_comment(&name),
                                quote_for_comment(&id),
                                quote_for_comment(known)
                            ));
                        }
                    }
                    Outcome::Holder(Holder::Group(name), note)
                }
                (None, Some(group_id)) => Outcome::Holder(
                    Holder::Group(group_id.clone()),
                    Some(format!(
                        "{at}: the group holder carries only a group ID ({}), imported as `group:{}`: replace it with the group name",
                        quote_for_comment(&group_id),
                        comment_safe(&group_id)
                    )),
                ),
                (None, None) => Outcome::Holder(
                    Holder::Anyone,
                    Some(format!(
                        "{at}: a `group` holder with no group is how Data Center stores \"Anyone\": imported as `anyone`"
                    )),
                ),
            }
        }
        "user" => match parameter {
            Some(account) => Outcome::Holder(Holder::User(account), None),
            None => needs_parameter("an account id"),
        },
        "projectRole" => {
            let id = parameter.or_else(|| {
                holder
                    .get("projectRole")
                    .and_then(|r| scalar_string(r.get("id")))
            });
            let expanded_name = holder
                .get("projectRole")
                .and_then(|r| non_empty_str(r.get("name")));
            match (expanded_name, id) {
                (Some(name), _) => Outcome::Holder(Holder::Role(name.to_string()), None),
                (None, Some(id)) => match ctx.role_names.get(&id) {
                    Some(name) => Outcome::Holder(Holder::Role(name.clone()), None),
                    None => {
                        let note = if ctx.unresolved_roles.insert(id.clone()) {
                            Some(format!(
                                "project role {} has no name in the payload: fetch with ?expand=all or rename `role:{}` by hand",
                                comment_safe(&id),
                                comment_safe(&id)
                            ))
                        } else {
                            None
                        };
                        Outcome::Holder(Holder::Role(id), note)
                    }
                },
                (None, None) => needs_parameter("a project role id"),
            }
        }
        "reporter" => Outcome::Holder(Holder::Reporter, None),
        "assignee" => Outcome::Holder(Holder::Assignee, None),
        "projectLead" => Outcome::Holder(Holder::ProjectLead, None),
        "userCustomField" => match parameter {
            Some(field) => Outcome::Holder(Holder::UserField(field), None),
            None => needs_parameter("a custom field id"),
        },
        "groupCustomField" => match parameter {
            Some(field) => Outcome::Holder(Holder::GroupField(field), None),
            None => needs_parameter("a custom field id"),
        },
        "sd.customer.portal.only" => Outcome::Holder(Holder::ServiceDeskCustomer, None),
        "reporterWithCreatePermission" => Outcome::Holder(
            Holder::Reporter,
            Some(format!(
                "{at}: Data Center holder `reporterWithCreatePermission` imported as `reporter` (its extra condition, that the reporter can create issues, is not modelled)"
            )),
        ),
        "assigneeWithAssignablePermission" => Outcome::Holder(
            Holder::Assignee,
            Some(format!(
                "{at}: Data Center holder `assigneeWithAssignablePermission` imported as `assignee` (its extra condition, that the assignee is assignable, is not modelled)"
            )),
        ),
        unknown => {
            let with_parameter = match &parameter {
                Some(p) => format!(" (parameter {})", quote_for_comment(p)),
                None => String::new(),
            };
            Outcome::Skipped {
                comment: format!(
                    "unknown holder type {}{with_parameter} from {label}: not imported",
                    quote_for_comment(unknown)
                ),
                note: format!(
                    "{at}: unknown holder type {}{with_parameter} kept as a comment, not imported",
                    quote_for_comment(unknown)
                ),
            }
        }
    }
}
