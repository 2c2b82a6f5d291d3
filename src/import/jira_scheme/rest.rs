//! The permission-scheme payloads of Jira's REST API as typed serde structs: `GET
//! /rest/api/{2,3}/permissionscheme[/{id}]?expand=all`. Fields the API adds are ignored; a
//! field of an unexpected type is kept ([`Loose::Other`], [`Object::Other`]) so the
//! importer can say what it found instead of failing the whole payload.
use serde::Deserialize;

use crate::import::payload::{scalar, text, Field, Loose, Object, Scalar};

/// `GET /permissionscheme`: `{"permissionSchemes": [...]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemeList {
    #[serde(default)]
    pub permission_schemes: Field<Loose<Vec<Object<Scheme>>>>,
}

/// One permission scheme.
#[derive(Debug, Default, Deserialize)]
pub struct Scheme {
    pub id: Option<Loose<Scalar>>,
    pub name: Option<Loose<String>>,
    pub description: Option<Loose<String>>,
    #[serde(default)]
    pub permissions: Field<Loose<Vec<Object<Grant>>>>,
}

impl Scheme {
    /// The grants; none when `permissions` is not an array.
    pub fn grants(&self) -> &[Object<Grant>] {
        match &self.permissions {
            Field::Given(Loose::Typed(grants)) => grants,
            _ => &[],
        }
    }
}

/// One grant: a permission key and who holds it.
#[derive(Debug, Default, Deserialize)]
pub struct Grant {
    pub id: Option<Loose<Scalar>>,
    #[serde(default)]
    pub permission: Field<Loose<String>>,
    #[serde(default)]
    pub holder: Field<Object<GrantHolder>>,
}

/// A grant's holder: `type` and its `parameter` (Cloud also sends `value`; with
/// `?expand=all` the group or project role is expanded).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantHolder {
    #[serde(rename = "type")]
    pub holder_type: Option<Loose<String>>,
    pub parameter: Option<Loose<Scalar>>,
    pub value: Option<Loose<Scalar>>,
    pub group: Option<Object<GroupRef>>,
    pub project_role: Option<Object<RoleRef>>,
}

impl GrantHolder {
    /// `type` as written (possibly empty), when it is a string.
    pub fn holder_type(&self) -> Option<&str> {
        self.holder_type
            .as_ref()
            .and_then(Loose::typed)
            .map(String::as_str)
    }

    /// `parameter`, else `value` (Cloud: equal for every type but `group`).
    pub fn parameter(&self) -> Option<String> {
        scalar(&self.parameter).or_else(|| scalar(&self.value))
    }

    /// The expanded group (`?expand=group`).
    pub fn group(&self) -> Option<&GroupRef> {
        self.group.as_ref().and_then(Object::typed)
    }

    /// The expanded project role (`?expand=projectRole`).
    pub fn project_role(&self) -> Option<&RoleRef> {
        self.project_role.as_ref().and_then(Object::typed)
    }

    /// The project role's id: `parameter`/`value`, else the expanded role's.
    pub fn role_id(&self) -> Option<String> {
        self.parameter()
            .or_else(|| self.project_role().and_then(|r| scalar(&r.id)))
    }

    /// The expanded project role's name, when not blank.
    pub fn role_name(&self) -> Option<&str> {
        self.project_role().and_then(|r| text(&r.name))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    pub name: Option<Loose<Scalar>>,
    pub group_id: Option<Loose<Scalar>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RoleRef {
    pub id: Option<Loose<Scalar>>,
    pub name: Option<Loose<String>>,
}
