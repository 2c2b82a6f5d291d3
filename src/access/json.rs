//! `--format json`: one object, schema version 1 (documented in the book, docs/src/access.md,
//! "Effective access"). Field order and fact order are fixed, so the output diffs cleanly.
use super::{Filter, Item, Row, Rows, Scope, Via};
use crate::jira::subject::Level;
use serde::Serialize;

/// The version of the JSON schema; bumped when a field changes meaning or disappears.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    filter: FilterOut<'a>,
    subjects: usize,
    facts: Facts<'a>,
}

/// The facts, serialised one by one as they are written: an unfiltered repository has
/// millions, and neither their converted form nor the text is ever held whole.
struct Facts<'a>(&'a Rows<'a>);

impl Serialize for Facts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|r| fact(&r)))
    }
}

#[derive(Serialize)]
struct FilterOut<'a> {
    who: Option<String>,
    project: Option<&'a str>,
    board: Option<&'a str>,
    permission: Option<&'a str>,
    capability: Option<&'a str>,
}

#[derive(Serialize)]
struct FactOut<'a> {
    subject: String,
    /// `global`, `project` or `board`.
    scope: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    board: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permission: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capability: Option<&'a str>,
    level: Level,
    possible: Level,
    via: Vec<ViaOut<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum ViaOut<'a> {
    Grant {
        /// `null` for the global permissions.
        scheme: Option<&'a str>,
        holder: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        member: Option<String>,
        groups: &'a [String],
    },
    BoardAdmin {
        admin: String,
        groups: &'a [String],
    },
    Derived,
}

/// Write the document to `out` (buffer it: it is written value by value).
pub fn write(out: impl std::io::Write, rows: &Rows<'_>, filter: &Filter) -> std::io::Result<()> {
    let mut subjects = rows.iter().map(|r| r.subject).collect::<Vec<_>>();
    subjects.dedup();
    let doc = Doc {
        version: VERSION,
        filter: FilterOut {
            who: filter.who.as_ref().map(ToString::to_string),
            project: filter.project.as_deref(),
            board: filter.board.as_deref(),
            permission: filter.permission.as_deref(),
            capability: filter.capability.as_deref(),
        },
        subjects: subjects.len(),
        facts: Facts(rows),
    };
    let mut ser = serde_json::Serializer::pretty(out);
    // Plain strings and numbers: only the writer can fail.
    doc.serialize(&mut ser).map_err(std::io::Error::from)?;
    ser.into_inner().write_all(b"\n")
}

fn fact<'a>(r: &Row<'a>) -> FactOut<'a> {
    let (scope, project, board) = match &r.scope {
        Scope::Global => ("global", None, None),
        Scope::Project(k) => ("project", Some(k.as_str()), None),
        Scope::Board(b) => ("board", None, Some(b.as_str())),
    };
    let (permission, capability) = match &r.item {
        Item::Permission(k) => (Some(k.as_str()), None),
        Item::Capability(c) => (None, Some(c.as_str())),
    };
    FactOut {
        subject: r.subject.to_string(),
        scope,
        project,
        board,
        permission,
        capability,
        level: r.guaranteed,
        possible: r.possible,
        via: r.via.iter().map(via).collect(),
    }
}

fn via(v: &Via) -> ViaOut<'_> {
    match v {
        Via::Grant {
            scheme,
            holder,
            member,
            groups,
        } => ViaOut::Grant {
            scheme: scheme.as_deref(),
            holder: holder.to_string(),
            member: member.as_ref().map(ToString::to_string),
            groups,
        },
        Via::BoardAdmin { admin, groups } => ViaOut::BoardAdmin {
            admin: admin.to_string(),
            groups,
        },
        Via::Derived => ViaOut::Derived,
    }
}
