//! Board capabilities: what a board function (start a sprint, rank an issue, ...) needs,
//! as `[[capability]]` entries of policy files. `[[expect]]` on boards and `rolelint why`
//! evaluate them for a `who`.
//!
//! Requirements are a closed set of atoms combined with `all-of` / `any-of`; an atom may
//! be limited to one `platform` (Data Center's granular sprint permissions).
use crate::config::Platform;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCapability {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    source: Option<String>,
    requires: Spanned<RawReq>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawReq {
    #[serde(default)]
    all_of: Option<Vec<Spanned<RawReq>>>,
    #[serde(default)]
    any_of: Option<Vec<Spanned<RawReq>>>,
    #[serde(default)]
    permission: Option<Spanned<String>>,
    #[serde(default, rename = "in")]
    in_: Option<Spanned<String>>,
    #[serde(default)]
    global: Option<Spanned<String>>,
    #[serde(default)]
    board_admin: Option<bool>,
    #[serde(default)]
    board_single_project: Option<bool>,
    #[serde(default)]
    simplified_workflow: Option<bool>,
    #[serde(default)]
    platform: Option<Platform>,
}

/// One capability: `id` users write in `expect`, `label` for messages ("start a sprint").
#[derive(Debug, Clone)]
pub struct Capability {
    pub id: Spanned<String>,
    pub label: String,
    pub source: Option<String>,
    pub requires: Req,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub enum Req {
    AllOf(Vec<Req>),
    AnyOf(Vec<Req>),
    Atom(Atom),
}

#[derive(Debug, Clone)]
pub struct Atom {
    pub kind: AtomKind,
    /// Only on this platform (skipped elsewhere).
    pub platform: Option<Platform>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtomKind {
    /// A project permission in every project of the board.
    EveryBoardProject(String),
    /// A project permission in the project of the issue acted on.
    IssueProject(String),
    Global(String),
    BoardAdmin,
    BoardSingleProject,
    SimplifiedWorkflow,
}

pub fn validate(
    file: FileId,
    raw: Spanned<RawCapability>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Capability> {
    let span = raw.span();
    let raw = raw.into_inner();
    let requires = req(file, raw.requires, diags)?;
    Some(Capability {
        id: raw.id,
        label: raw.label,
        source: raw.source,
        requires,
        location: Location::new(file, span),
    })
}

fn req(file: FileId, r: Spanned<RawReq>, diags: &mut Vec<Diagnostic>) -> Option<Req> {
    let span = r.span();
    let r = r.into_inner();
    let given = [
        r.all_of.is_some(),
        r.any_of.is_some(),
        r.permission.is_some(),
        r.global.is_some(),
        r.board_admin == Some(true),
        r.board_single_project == Some(true),
        r.simplified_workflow == Some(true),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if given != 1 {
        diags.push(says::RequirementNotOneCondition.at(file, span));
        return None;
    }
    let list = |items: Vec<Spanned<RawReq>>, diags: &mut Vec<Diagnostic>| {
        items
            .into_iter()
            .map(|i| req(file, i, diags))
            .collect::<Option<Vec<_>>>()
    };
    if let Some(items) = r.all_of {
        return list(items, diags).map(Req::AllOf);
    }
    if let Some(items) = r.any_of {
        return list(items, diags).map(Req::AnyOf);
    }
    let kind = if let Some(p) = r.permission {
        match r.in_.as_ref().map(|i| i.get_ref().as_str()) {
            Some("every-board-project") => AtomKind::EveryBoardProject(p.into_inner()),
            Some("issue-project") => AtomKind::IssueProject(p.into_inner()),
            _ => {
                diags.push(says::PermissionRequirementWithoutIn.at(file, span));
                return None;
            }
        }
    } else if let Some(g) = r.global {
        AtomKind::Global(g.into_inner())
    } else if r.board_admin == Some(true) {
        AtomKind::BoardAdmin
    } else if r.board_single_project == Some(true) {
        AtomKind::BoardSingleProject
    } else {
        AtomKind::SimplifiedWorkflow
    };
    Some(Req::Atom(Atom {
        kind,
        platform: r.platform,
        location: Location::new(file, span),
    }))
}

impl Req {
    /// Every atom, for catalogue checks.
    pub fn atoms(&self) -> Vec<&Atom> {
        match self {
            Self::Atom(a) => vec![a],
            Self::AllOf(v) | Self::AnyOf(v) => v.iter().flat_map(Req::atoms).collect(),
        }
    }
}
