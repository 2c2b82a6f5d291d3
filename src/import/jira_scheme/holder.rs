//! A grant's holder as a rolelint holder (`group:NAME`, `role:NAME`, `anyone`, ...), or
//! the comment and note saying why it was not imported.
use std::collections::{BTreeMap, BTreeSet};

use super::rest::GrantHolder;
use crate::diagnostics::text::Text;
use crate::document::holder::Holder;
use crate::import::payload::{scalar, Field, Object};
use crate::import::{comment_safe, kind_of, quote_for_comment, Notes};

/// What one grant's holder became.
pub(super) enum Outcome {
    /// Imported, possibly with a note for the user.
    Holder(Holder, Option<String>),
    /// Not imported: a comment line for the document and a note.
    Skipped { comment: String, note: String },
}

/// What converting one scheme's holders learns along the way.
pub(super) struct Context<'a> {
    pub(super) role_names: &'a BTreeMap<String, String>,
    /// Role ids already reported as unresolved (one note per id).
    pub(super) unresolved_roles: BTreeSet<String>,
    /// Group name → Jira group id, for `[group-ids]`.
    pub(super) group_ids: BTreeMap<String, String>,
    pub(super) notes: Notes,
}

/// Short description of a raw holder for comments: `"group" (parameter "x")`.
pub(super) fn describe_holder(holder: &Field<Object<GrantHolder>>) -> String {
    let holder = match holder {
        Field::Missing => return "missing".to_string(),
        Field::Given(Object::Other(_)) => return "without type".to_string(),
        Field::Given(Object::Typed(holder)) => holder,
    };
    let ty = match holder.holder_type() {
        Some(t) => quote_for_comment(t),
        None => "without type".to_string(),
    };
    match holder.parameter() {
        Some(p) => format!("{ty} (parameter {})", quote_for_comment(&p)),
        None => ty,
    }
}

pub(super) fn convert_holder(
    holder: &Field<Object<GrantHolder>>,
    label: &str,
    permission: &str,
    ctx: &mut Context<'_>,
) -> Outcome {
    let at = format!("{label} ({permission})");
    let what = match holder {
        Field::Missing => {
            return Outcome::Skipped {
                comment: format!("{label} has no holder: not imported"),
                note: format!("{at} has no `holder`: kept as a comment, not imported"),
            }
        }
        Field::Given(Object::Other(other)) => format!("a holder that is {}", kind_of(other)),
        Field::Given(Object::Typed(holder)) => match holder.holder_type() {
            Some(ty) if !ty.is_empty() => return typed_holder(holder, ty, label, &at, ctx),
            _ => "a holder without a string `type`".to_string(),
        },
    };
    Outcome::Skipped {
        comment: format!("{label} has {what}: not imported"),
        note: format!("{at} has {what}: kept as a comment, not imported"),
    }
}

/// A holder of type `ty`; `at` names the grant and its permission for notes.
fn typed_holder(
    holder: &GrantHolder,
    ty: &str,
    label: &str,
    at: &str,
    ctx: &mut Context<'_>,
) -> Outcome {
    let parameter = holder.parameter();
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
    let plain = |holder: Holder| Outcome::Holder(holder, None);
    match ty {
        "anyone" => plain(Holder::Anyone),
        "applicationRole" => plain(Holder::ApplicationRole(parameter.map(Text::from))),
        "group" => group_holder(holder, at, ctx),
        "user" => parameter.map_or_else(|| needs_parameter("an account id"), |a| plain(Holder::User(a.into()))),
        "projectRole" => {
            role_holder(holder, ctx).unwrap_or_else(|| needs_parameter("a project role id"))
        }
        "reporter" => plain(Holder::Reporter),
        "assignee" => plain(Holder::Assignee),
        "projectLead" => plain(Holder::ProjectLead),
        "userCustomField" => parameter.map_or_else(|| needs_parameter("a custom field id"), |f| plain(Holder::UserField(f.into()))),
        "groupCustomField" => parameter.map_or_else(|| needs_parameter("a custom field id"), |f| plain(Holder::GroupField(f.into()))),
        "sd.customer.portal.only" => plain(Holder::ServiceDeskCustomer),
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
        unknown => unknown_holder(unknown, parameter.as_deref(), label, at),
    }
}

/// Cloud: `parameter` is the name, `value` the group id; `?expand=group` adds `group
/// {name, groupId}` and may leave `parameter` out. Data Center: the name.
fn group_holder(holder: &GrantHolder, at: &str, ctx: &mut Context<'_>) -> Outcome {
    let expanded = holder.group();
    let name = scalar(&holder.parameter).or_else(|| expanded.and_then(|g| scalar(&g.name)));
    let group_id = expanded
        .and_then(|g| scalar(&g.group_id))
        .or_else(|| scalar(&holder.value))
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
            Outcome::Holder(Holder::Group(name.into()), note)
        }
        (None, Some(group_id)) => Outcome::Holder(
            Holder::Group(Text::from(group_id.clone())),
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

/// A project role by its expanded name, else by the name another grant expanded for its
/// id, else by its id with a note (once per id); `None` without name or id.
fn role_holder(holder: &GrantHolder, ctx: &mut Context<'_>) -> Option<Outcome> {
    if let Some(name) = holder.role_name() {
        return Some(Outcome::Holder(
            Holder::Role(crate::diagnostics::text::name(name)),
            None,
        ));
    }
    let id = holder.role_id()?;
    if let Some(name) = ctx.role_names.get(&id) {
        return Some(Outcome::Holder(Holder::Role(name.into()), None));
    }
    let note = ctx.unresolved_roles.insert(id.clone()).then(|| {
        format!(
            "project role {} has no name in the payload: fetch with ?expand=all or rename `role:{}` by hand",
            comment_safe(&id),
            comment_safe(&id)
        )
    });
    Some(Outcome::Holder(Holder::Role(id.into()), note))
}

fn unknown_holder(unknown: &str, parameter: Option<&str>, label: &str, at: &str) -> Outcome {
    let with_parameter = match parameter {
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
