//! `--format human`: grouped by subject, then by what is held; long lists of projects or
//! boards cut to a few names and a count, so the answer stays readable at 2,000 projects.
use super::{Item, Row, Rows, Scope, Via};
use crate::catalog::PermissionCatalog;
use crate::inert::escape;
use crate::jira::subject::Level;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// How many names of a list, and ways of a fact, are spelled out.
const SHOWN: usize = 3;

/// The rows (sorted by subject) as text.
pub fn render(rows: &Rows<'_>, universal_note: bool) -> String {
    let mut s = String::new();
    if rows.is_empty() {
        s.push_str("no access matches\n");
        return s;
    }
    // One block per subject, rendered on every core (an unfiltered answer on a large
    // repository is millions of facts), then joined in order.
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let subject = rows.get(start).subject;
        // Rows of one model share their subject: compared by address first.
        let end = (start + 1..rows.len())
            .find(|&i| {
                let other = rows.get(i).subject;
                !std::ptr::eq(other, subject) && other != subject
            })
            .unwrap_or(rows.len());
        blocks.push(start..end);
        start = end;
    }
    let texts: Vec<String> = blocks
        .par_iter()
        .map(|range| {
            let block: Vec<Row<'_>> = range.clone().map(|i| rows.get(i)).collect();
            let mut s = String::new();
            let _ = writeln!(s, "{}", escape(&block[0].subject.to_string()));
            subject_block(&mut s, &block);
            s
        })
        .collect();
    s.reserve(texts.iter().map(String::len).sum::<usize>() + 256);
    for t in texts {
        s.push_str(&t);
    }
    let subjects = blocks.len();
    let _ = writeln!(
        s,
        "\n{} {}, {} {}",
        subjects,
        plural(subjects, "subject", "subjects"),
        rows.len(),
        plural(rows.len(), "fact", "facts")
    );
    if rows.iter().any(|r| matches!(r.item, Item::Capability(_))) {
        s.push_str("(board capabilities follow from the permissions; `rolelint why WHO CAPABILITY --board NAME` shows how)\n");
    }
    if universal_note {
        s.push_str("(including what every user gets: grants to `anyone`, `application-role` and dynamic holders)\n");
    }
    s
}

/// What one subject holds: one line per (kind of scope, item, levels) with its scopes.
fn subject_block(s: &mut String, rows: &[Row<'_>]) {
    type Key<'a> = (u8, &'a Item, Level, Level);
    type Group<'a> = (Vec<&'a Scope>, Vec<&'a [Via]>);
    // Hashed while filling (a subject has up to millions of rows), ordered once after.
    let mut groups: FxHashMap<Key<'_>, Group<'_>> = FxHashMap::default();
    for r in rows {
        let kind = match r.scope {
            Scope::Global => 0,
            Scope::Project(_) => 1,
            Scope::Board(_) => 2,
        };
        let e = groups
            .entry((kind, r.item, r.guaranteed, r.possible))
            .or_default();
        e.0.push(r.scope);
        e.1.push(r.via);
    }
    let mut groups: Vec<(Key<'_>, Group<'_>)> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((kind, item, g, p), (scopes, mut sets)) in groups {
        // Facts share their interned way sets: each distinct set is merged once.
        sets.sort_unstable_by_key(|v| v.as_ptr());
        sets.dedup_by_key(|v| v.as_ptr());
        let mut vias: BTreeSet<&Via> = BTreeSet::new();
        for set in sets {
            vias.extend(set);
        }
        let what = match item {
            Item::Permission(k) => {
                let name = PermissionCatalog::builtin().name(k);
                format!("{} ({})", escape(name), escape(k))
            }
            Item::Capability(c) => escape(c).into_owned(),
        };
        let names: Vec<&str> = scopes
            .iter()
            .filter_map(|sc| match sc {
                Scope::Project(k) | Scope::Board(k) => Some(k.as_str()),
                Scope::Global => None,
            })
            .collect();
        let place = match kind {
            0 => "globally".to_string(),
            1 => format!("in {}", list(&names, "project", "projects")),
            _ => format!("on {}", list(&names, "board", "boards")),
        };
        let _ = writeln!(s, "  {what} {place}{}", level_note(g, p));
        // A capability's derivation is `rolelint why`'s to show (said once, at the end).
        vias.remove(&Via::Derived);
        for v in vias.iter().take(SHOWN) {
            let _ = writeln!(s, "    via {}", escape(&v.to_string()));
        }
        if vias.len() > SHOWN {
            let more = vias.len() - SHOWN;
            let _ = writeln!(s, "    and {more} more {}", plural(more, "way", "ways"));
        }
    }
}

fn level_note(g: Level, p: Level) -> &'static str {
    match (g, p) {
        (Level::Always, _) => "",
        (Level::Sometimes, _) => " (sometimes: through dynamic holders)",
        (Level::Never, Level::Always) => " (only for the issues of some projects)",
        (Level::Never, _) => " (sometimes, for the issues of some projects)",
    }
}

/// "2 projects: A, B" or "40 projects: A, B, C, … (+37)".
fn list(names: &[&str], one: &str, many: &str) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| escape(n).into_owned())
        .collect();
    let mut out = format!(
        "{} {}: {}",
        names.len(),
        plural(names.len(), one, many),
        shown.join(", ")
    );
    if names.len() > SHOWN {
        let _ = write!(out, ", … (+{})", names.len() - SHOWN);
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
