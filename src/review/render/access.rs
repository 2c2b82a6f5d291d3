//! The Access section's text, shared by human and markdown: one entry is its marks, what is
//! gained or lost (subjects, items, scopes; long lists cut to a few names and "… (+N)")
//! and the changes that cause it. Every value from the repository is made inert and bounded.
use super::VALUE_CAP;
use crate::access::{Item, Scope};
use crate::catalog::PermissionCatalog;
use crate::document::holder::Holder;
use crate::jira::subject::Level;
use crate::review::access::{AccessChange, Cause, Entry, Levels, Mark};
use std::fmt::Write as _;

/// Names of one list spelled out before "… (+N)".
const SHOWN: usize = 5;
/// Causes of one entry spelled out.
const CAUSES_SHOWN: usize = 3;

fn value(s: &str) -> String {
    crate::inert::bounded(s, VALUE_CAP).into_owned()
}

fn quoted(s: &str) -> String {
    format!("`{}`", value(s))
}

/// "a, b, c, … (+7)".
fn capped<T>(all: &[T], show: impl Fn(&T) -> String) -> String {
    let mut s: Vec<String> = all.iter().take(SHOWN).map(show).collect();
    if all.len() > SHOWN {
        s.push(format!("… (+{})", all.len() - SHOWN));
    }
    s.join(", ")
}

/// "3 gained (1 public, 2 admin), 1 lost".
pub fn summary(a: &AccessChange) -> String {
    let count = |m: Mark| a.gained.iter().filter(|e| e.marks.contains(&m)).count();
    let marked: Vec<String> = [Mark::Public, Mark::Admin, Mark::Delete]
        .into_iter()
        .filter_map(|m| {
            let n = count(m);
            (n > 0).then(|| format!("{n} {}", m.as_str()))
        })
        .collect();
    let mut s = format!("{} gained", a.gained.len());
    if !marked.is_empty() {
        let _ = write!(s, " ({})", marked.join(", "));
    }
    let _ = write!(s, ", {} lost", a.lost.len());
    s
}

/// "public, admin" (empty when unmarked).
pub fn marks(e: &Entry) -> String {
    let m: Vec<&str> = e.marks.iter().map(|m| m.as_str()).collect();
    m.join(", ")
}

/// What the entry gains or loses: "group:devs, user:bob: Edit Issues (EDIT_ISSUES) in 40
/// projects: A, B, C, D, E, … (+35)".
pub fn what(e: &Entry, gained: bool) -> String {
    let subjects = capped(&e.subjects, |h| value(&h.to_string()));
    let cat = PermissionCatalog::builtin();
    let capabilities = e.items.iter().all(|i| matches!(i, Item::Capability(_)));
    let items = capped(&e.items, |i| match i {
        Item::Permission(k) => format!("{} ({})", value(cat.name(k)), value(k)),
        Item::Capability(c) => value(c),
    });
    let items = match (capabilities, e.items.len()) {
        (true, 1) => format!("capability {items}"),
        (true, _) => format!("capabilities {items}"),
        _ => items,
    };
    let mut s = format!("{subjects}: {items} {}", place(&e.scopes));
    let (from, to) = (e.from, e.to);
    let changed = if gained { from } else { to };
    let _ = if changed != NONE {
        write!(s, " (now {}, was {})", word(to), word(from))
    } else if gained && to != ALWAYS {
        write!(s, " ({})", word(to))
    } else if !gained && from != ALWAYS {
        write!(s, " (was {})", word(from))
    } else {
        Ok(())
    };
    s
}

const NONE: Levels = (Level::Never, Level::Never);
const ALWAYS: Levels = (Level::Always, Level::Always);

fn word(l: Levels) -> &'static str {
    match l {
        (Level::Always, Level::Always) => "always",
        (Level::Sometimes, Level::Sometimes) => "sometimes, through dynamic holders",
        (Level::Never, Level::Never) => "never",
        (_, Level::Always) => "for some issues",
        _ => "sometimes, for some issues",
    }
}

/// "globally", "in project A", "in 40 projects: A, B, …", "on board X".
fn place(scopes: &[Scope]) -> String {
    let names: Vec<&str> = (scopes.iter())
        .filter_map(|s| match s {
            Scope::Project(k) | Scope::Board(k) => Some(k.as_str()),
            Scope::Global => None,
        })
        .collect();
    let global = names.len() < scopes.len();
    let (one, many, at) = match scopes.iter().find(|s| !matches!(s, Scope::Global)) {
        Some(Scope::Board(_)) => ("board", "boards", "on"),
        _ => ("project", "projects", "in"),
    };
    let mut parts = Vec::new();
    if global {
        parts.push("globally".to_string());
    }
    match names.len() {
        0 => {}
        1 => parts.push(format!("{at} {one} {}", value(names[0]))),
        n => parts.push(format!("{at} {n} {many}: {}", capped(&names, |n| value(n)))),
    }
    parts.join(" and ")
}

/// The causes, "; "-separated, cut to a few.
pub fn causes(e: &Entry, gained: bool) -> String {
    let mut s: Vec<String> = (e.causes.iter().take(CAUSES_SHOWN))
        .map(|c| cause(c, gained))
        .collect();
    if e.causes.len() > CAUSES_SHOWN {
        s.push(format!(
            "and {} more changes",
            e.causes.len() - CAUSES_SHOWN
        ));
    }
    s.join("; ")
}

fn holder(h: &Holder) -> String {
    quoted(&h.to_string())
}

/// One cause, in the entry's direction.
pub fn cause(c: &Cause, gained: bool) -> String {
    let adverb = if gained { "now" } else { "no longer" };
    match c {
        Cause::SchemeSwitch { project, from, to } => match (from, to) {
            (Some(f), Some(t)) => format!(
                "project {} uses scheme {} instead of {}",
                quoted(project),
                quoted(t),
                quoted(f)
            ),
            (None, Some(t)) => format!("project {} now uses scheme {}", quoted(project), quoted(t)),
            (Some(f), None) => format!(
                "project {} no longer uses scheme {}",
                quoted(project),
                quoted(f)
            ),
            (None, None) => format!("project {} has no scheme", quoted(project)),
        },
        Cause::SchemeGrant { scheme, holder: h } => {
            format!(
                "scheme {} {adverb} grants it to {}",
                quoted(scheme),
                holder(h)
            )
        }
        Cause::GlobalGrant { holder: h } => {
            format!("the global permissions {adverb} grant it to {}", holder(h))
        }
        Cause::RoleMember {
            project,
            role,
            member,
        } => format!(
            "{} {} role {} in project {}",
            holder(member),
            if gained { "joins" } else { "leaves" },
            quoted(role),
            quoted(project)
        ),
        Cause::GroupMember { group, member } => format!(
            "{} {} group {}",
            holder(member),
            if gained { "joins" } else { "leaves" },
            quoted(group)
        ),
        Cause::BoardProjects {
            board,
            added,
            removed,
        } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("adds {}", capped(added, |k| quoted(k))));
            }
            if !removed.is_empty() {
                parts.push(format!("drops {}", capped(removed, |k| quoted(k))));
            }
            if parts.is_empty() {
                parts.push("changes its filter".to_string());
            }
            format!("board {} {}", quoted(board), parts.join(" and "))
        }
        Cause::BoardAdmins { board } => format!("board {} changes its admins", quoted(board)),
        Cause::Permissions { board } => format!(
            "the permissions in the projects of board {} change",
            quoted(board)
        ),
    }
}
