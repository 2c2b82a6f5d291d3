//! Jira REST payloads as typed serde structs, and recognising which endpoint a JSON
//! document came from by its shape, so `import` can say "this is a page of boards"
//! instead of importing the wrong thing.
//!
//! Every field is optional and [`Loose`] (or [`Object`]): a value of an unexpected type is
//! kept (and reported by the importer) instead of failing the whole payload. Fields the
//! REST API adds are ignored.
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A field of the expected type, or whatever else the payload had there.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Loose<T> {
    Typed(T),
    Other(Value),
}

impl<T> Loose<T> {
    pub fn typed(&self) -> Option<&T> {
        match self {
            Loose::Typed(t) => Some(t),
            Loose::Other(_) => None,
        }
    }
}

/// A JSON object read as `T`, or whatever else the payload had there (an array is never
/// read as a struct's fields in order, as serde would otherwise allow).
#[derive(Debug, Clone)]
pub enum Object<T> {
    Typed(T),
    Other(Value),
}

impl<T> Object<T> {
    pub fn typed(&self) -> Option<&T> {
        match self {
            Object::Typed(t) => Some(t),
            Object::Other(_) => None,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if !value.is_object() {
            return Ok(Object::Other(value));
        }
        // `T`'s fields are loose, so an object always reads; should one not, the importer
        // still sees the value.
        match T::deserialize(&value) {
            Ok(typed) => Ok(Object::Typed(typed)),
            Err(_) => Ok(Object::Other(value)),
        }
    }
}

/// A field that may be absent. Unlike `Option`, `null` is a value here
/// (`Given(Loose::Other(Value::Null))`), so "no `permission`" and "a `permission` that is
/// null" stay apart. Declare it `#[serde(default)]`.
#[derive(Debug, Clone, Default)]
pub enum Field<T> {
    #[default]
    Missing,
    Given(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Field::Given)
    }
}

/// `v` read as `T`; the types here read any JSON, so the default is for the impossible case.
pub fn typed<T: DeserializeOwned + Default>(v: &Value) -> T {
    T::deserialize(v).unwrap_or_default()
}

/// A Jira id or other scalar: Cloud and Data Center send numbers or strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(serde_json::Number),
    Text(String),
}

impl Scalar {
    /// The scalar as text; `None` for an empty string.
    pub fn text(&self) -> Option<String> {
        match self {
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Text(s) if !s.is_empty() => Some(s.clone()),
            Scalar::Text(_) => None,
        }
    }
}

/// The text of an optional loose scalar.
pub fn scalar(v: &Option<Loose<Scalar>>) -> Option<String> {
    v.as_ref()?.typed()?.text()
}

/// An optional loose string that is not blank.
pub fn text(v: &Option<Loose<String>>) -> Option<&str> {
    v.as_ref()?
        .typed()
        .map(String::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// `GET /rest/agile/1.0/board/{id}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    pub id: Option<Loose<Scalar>>,
    pub name: Option<Loose<String>>,
    #[serde(rename = "type")]
    pub board_type: Option<Loose<String>>,
    pub location: Option<Loose<Location>>,
    pub admins: Option<Loose<Admins>>,
    /// Not in the REST board, but kept when a caller merged board and configuration.
    pub filter: Option<Loose<FilterRef>>,
}

/// A board's or configuration's location: the board uses `projectId`/`projectKey`, the
/// configuration `id`/`key`; `type` is `project` or `user`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(rename = "type")]
    pub location_type: Option<Loose<String>>,
    pub project_key: Option<Loose<String>>,
    pub key: Option<Loose<String>>,
}

impl Location {
    /// The project key, unless the board belongs to a user.
    pub fn project_key(&self) -> Option<&str> {
        if text(&self.location_type) == Some("user") {
            return None;
        }
        text(&self.project_key).or_else(|| text(&self.key))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Admins {
    pub users: Option<Loose<Vec<Loose<AdminUser>>>>,
    pub groups: Option<Loose<Vec<Loose<AdminGroup>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminUser {
    pub account_id: Option<Loose<Scalar>>,
    /// Data Center: the user key, else `name` (the username).
    pub key: Option<Loose<Scalar>>,
    pub name: Option<Loose<Scalar>>,
    pub display_name: Option<Loose<String>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AdminGroup {
    pub name: Option<Loose<Scalar>>,
}

/// The `filter` of a board configuration: `{id, self}`, sometimes with `query`/`jql`.
#[derive(Debug, Default, Deserialize)]
pub struct FilterRef {
    pub id: Option<Loose<Scalar>>,
    pub query: Option<Loose<String>>,
    pub jql: Option<Loose<String>>,
}

/// `GET /rest/agile/1.0/board/{id}/configuration`.
#[derive(Debug, Default, Deserialize)]
pub struct BoardConfiguration {
    pub location: Option<Loose<Location>>,
    pub filter: Option<Loose<FilterRef>>,
}

/// `GET /rest/api/3/filter/{id}`: a saved filter with its JQL.
#[derive(Debug, Default, Deserialize)]
pub struct SavedFilter {
    pub id: Option<Loose<Scalar>>,
    pub jql: Option<Loose<String>>,
}

/// The keys that tell payloads apart (presence only: any object deserializes).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    values: Option<Value>,
    is_last: Option<IgnoredAny>,
    max_results: Option<IgnoredAny>,
    start_at: Option<IgnoredAny>,
    permission_schemes: Option<IgnoredAny>,
    permissions: Option<IgnoredAny>,
    holder: Option<IgnoredAny>,
    permission: Option<IgnoredAny>,
    column_config: Option<IgnoredAny>,
    ranking: Option<IgnoredAny>,
    estimation: Option<IgnoredAny>,
    sub_query: Option<IgnoredAny>,
    filter: Option<IgnoredAny>,
    jql: Option<IgnoredAny>,
    owner: Option<IgnoredAny>,
    view_url: Option<IgnoredAny>,
    error_messages: Option<Value>,
    project_type_key: Option<IgnoredAny>,
    key: Option<IgnoredAny>,
    location: Option<IgnoredAny>,
    admins: Option<IgnoredAny>,
    can_edit: Option<IgnoredAny>,
    is_private: Option<IgnoredAny>,
    favourite: Option<IgnoredAny>,
    name: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<Value>,
    #[serde(rename = "self")]
    self_url: Option<Value>,
}

/// What a JSON payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Board,
    BoardConfiguration,
    SavedFilter,
    PageOfBoards,
    PageOfFilters,
    /// A page of something else (`values`, `isLast`, ...).
    Page,
    PermissionScheme,
    PermissionSchemeList,
    /// `GET /permissionscheme/{id}/permission`: grants without the scheme's name.
    SchemeGrants,
    /// `GET /permissionscheme/{id}/permission/{permissionId}`: one grant.
    SchemeGrant,
    Project,
    /// A Jira error response; the first message, if any.
    JiraError(Option<String>),
    /// Not an object: "an array", "a string", ...
    NotObject(&'static str),
}

/// Recognises a payload by its keys.
pub fn shape(v: &Value) -> Shape {
    if !v.is_object() {
        return Shape::NotObject(super::kind_of(v));
    }
    let p: Probe = typed(v);
    let self_url = p
        .self_url
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(messages) = &p.error_messages {
        let first = match messages {
            Value::Array(list) => list.iter().find_map(Value::as_str).map(str::to_string),
            _ => None,
        };
        return Shape::JiraError(first);
    }
    let paged = p.is_last.is_some() || p.max_results.is_some() || p.start_at.is_some();
    if let (Some(values), true) = (&p.values, paged) {
        return page_shape(values, self_url);
    }
    if p.permission_schemes.is_some() {
        return Shape::PermissionSchemeList;
    }
    if p.permissions.is_some() {
        return if p.name.is_some() {
            Shape::PermissionScheme
        } else {
            Shape::SchemeGrants
        };
    }
    if p.holder.is_some() && p.permission.is_some() {
        return Shape::SchemeGrant;
    }
    // A board has none of the configuration's keys; a board JSON a caller merged with its
    // filter keeps the board's own keys (admins, canEdit, ...).
    let board_keys = p.admins.is_some()
        || p.can_edit.is_some()
        || p.is_private.is_some()
        || p.favourite.is_some();
    if p.column_config.is_some()
        || p.ranking.is_some()
        || p.estimation.is_some()
        || p.sub_query.is_some()
        || (p.filter.is_some() && !board_keys)
    {
        return Shape::BoardConfiguration;
    }
    if p.jql.is_some() {
        return Shape::SavedFilter;
    }
    if p.project_type_key.is_some() && p.key.is_some() {
        return Shape::Project;
    }
    Shape::Board
}

/// A page of search results: of filters, of boards, or of something else.
fn page_shape(values: &Value, self_url: &str) -> Shape {
    let values: Vec<Probe> = match values {
        Value::Array(items) => items.iter().map(typed).collect(),
        _ => Vec::new(),
    };
    let is_filter = |e: &Probe| e.jql.is_some() || e.owner.is_some() || e.view_url.is_some();
    let is_board = |e: &Probe| {
        e.location.is_some()
            || e.kind
                .as_ref()
                .and_then(Value::as_str)
                .is_some_and(|t| matches!(t, "scrum" | "kanban" | "simple"))
    };
    if self_url.contains("/filter/search") || values.iter().any(is_filter) {
        Shape::PageOfFilters
    } else if self_url.contains("/board") || values.iter().any(is_board) {
        Shape::PageOfBoards
    } else {
        Shape::Page
    }
}

/// "this is ..." for a payload that is not what the command takes.
pub fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Board => "a Jira board (GET /rest/agile/1.0/board/{id})".into(),
        Shape::BoardConfiguration => "a board configuration from GET /rest/agile/1.0/board/{id}/configuration".into(),
        Shape::SavedFilter => "a saved filter from GET /rest/api/3/filter/{id}".into(),
        Shape::PageOfBoards => "a page of boards from GET /rest/agile/1.0/board".into(),
        Shape::PageOfFilters => "a page of filters from GET /rest/api/3/filter/search".into(),
        Shape::Page => "a page of search results (`values`)".into(),
        Shape::PermissionScheme => "a permission scheme from GET /rest/api/3/permissionscheme/{id}".into(),
        Shape::PermissionSchemeList => "the list of permission schemes from GET /rest/api/3/permissionscheme".into(),
        Shape::SchemeGrants => "the grants of one permission scheme from GET /rest/api/3/permissionscheme/{id}/permission, which omits the scheme's name".into(),
        Shape::SchemeGrant => "one permission grant from GET /rest/api/3/permissionscheme/{id}/permission/{permissionId}".into(),
        Shape::Project => "a project from GET /rest/api/3/project/{key}".into(),
        Shape::JiraError(Some(m)) => format!("a Jira error response (\"{}\")", crate::inert::bounded(m, 120)),
        Shape::JiraError(None) => "a Jira error response".into(),
        Shape::NotObject(kind) => format!("{kind}, not a JSON object"),
    }
}
