//! One scheme's grants gathered per permission key, then written as a
//! `jira-permission-scheme` document.
use std::collections::{BTreeMap, BTreeSet};

use toml_edit::Table;

use super::holder::{convert_holder, describe_holder, Context, Outcome};
use super::rest::{Grant, Scheme};
use crate::import::payload::{scalar, text, Field, Loose, Object};
use crate::import::{
    comment_safe, kind_of, push_note, quote_for_comment, slugify, table_insert_strings,
    unique_file_name, DocBuilder, Imported, Notes, UsedNames,
};

#[derive(Default)]
struct KeyGrants {
    /// Holder strings, sorted as `rolelint fmt` sorts them, so imports are already formatted.
    holders: BTreeSet<String>,
    comments: Vec<String>,
}

/// A scheme's grants: per permission key, and the comments about grants that have no
/// usable permission key.
#[derive(Default)]
struct Grants {
    by_key: BTreeMap<String, KeyGrants>,
    loose: Vec<String>,
}

pub(super) fn convert_scheme(
    path: &str,
    scheme: &Scheme,
    role_names: &BTreeMap<String, String>,
    used: &mut UsedNames,
) -> Imported {
    let name = text(&scheme.name).unwrap_or_default();
    let id = scalar(&scheme.id);
    let mut ctx = Context {
        role_names,
        unresolved_roles: BTreeSet::new(),
        group_ids: BTreeMap::new(),
        notes: Notes::default(),
    };
    let grants = gather_grants(path, scheme, &mut ctx);

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
    match &scheme.description {
        Some(Loose::Typed(d)) if !d.trim().is_empty() => doc.insert_str("description", d),
        None | Some(Loose::Typed(_)) => {}
        Some(Loose::Other(other)) => push_note(
            &mut ctx.notes,
            format!(
                "`{path}.description` is {}, not a string: not imported",
                kind_of(other)
            ),
        ),
    }
    insert_grants(&mut doc, &grants);
    insert_group_ids(&mut doc, &grants, &ctx.group_ids);

    let fallback = match &id {
        Some(id) => format!("permission-scheme-{id}"),
        None => "permission-scheme".to_string(),
    };
    Imported {
        file_name: unique_file_name(&slugify(name, &fallback), used),
        toml: doc.finish(),
        notes: ctx.notes.comment_safe(),
    }
}

/// Each grant's holder under its permission key; what cannot be imported becomes a
/// comment and a note.
fn gather_grants(path: &str, scheme: &Scheme, ctx: &mut Context<'_>) -> Grants {
    let mut grants = Grants::default();
    for (i, grant) in scheme.grants().iter().enumerate() {
        let grant_path = format!("{path}.permissions[{i}]");
        let label = grant_label(grant, &grant_path);
        let grant = match grant {
            Object::Typed(grant) => grant,
            Object::Other(other) => {
                grants
                    .loose
                    .push(format!("{label} is {}: not imported", kind_of(other)));
                push_note(
                    &mut ctx.notes,
                    format!(
                        "{label} is {}, not a grant object: kept as a comment, not imported",
                        kind_of(other)
                    ),
                );
                continue;
            }
        };
        let Some(permission) = permission_key(grant, &label, &mut grants.loose, ctx) else {
            continue;
        };
        let entry = grants.by_key.entry(permission.to_string()).or_default();
        match convert_holder(&grant.holder, &label, permission, ctx) {
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
    if scheme.grants().is_empty() {
        push_note(
            &mut ctx.notes,
            "the scheme has no grants (`permissions` is empty): `[grants]` is empty".to_string(),
        );
    }
    grants
}

/// The grant's permission key; without one, a comment in `loose` and a note.
fn permission_key<'g>(
    grant: &'g Grant,
    label: &str,
    loose: &mut Vec<String>,
    ctx: &mut Context<'_>,
) -> Option<&'g str> {
    let what = match &grant.permission {
        Field::Given(Loose::Typed(p)) if !p.is_empty() => return Some(p),
        Field::Missing => "no `permission`".to_string(),
        Field::Given(Loose::Typed(_)) => "a `permission` that is empty".to_string(),
        Field::Given(Loose::Other(v)) => format!("a `permission` that is {}", kind_of(v)),
    };
    loose.push(format!(
        "{label} has {what} (holder {}): not imported",
        describe_holder(&grant.holder)
    ));
    push_note(
        &mut ctx.notes,
        format!("{label} has {what}: kept as a comment, not imported"),
    );
    None
}

/// `[grants]`: a key per permission. Comments about grants without a permission key open
/// it, right before the comments of the first key (no blank line: `rolelint fmt` removes
/// those inside tables); with no key to carry them, they end the document.
fn insert_grants(doc: &mut DocBuilder, grants: &Grants) {
    let mut table = Table::new();
    let mut preamble = comment_lines(&grants.loose);
    for (permission, key_grants) in &grants.by_key {
        let mut prefix = std::mem::take(&mut preamble);
        prefix.push_str(&comment_lines(&key_grants.comments));
        let values: Vec<String> = key_grants.holders.iter().cloned().collect();
        table_insert_strings(&mut table, permission, &values, &prefix);
    }
    doc.insert_table("grants", table);
    if !preamble.is_empty() {
        for line in &grants.loose {
            doc.comment(line);
        }
    }
}

/// `[group-ids]`: the Jira id of each group still granted something (a grant kept as a
/// comment drops its group).
fn insert_group_ids(doc: &mut DocBuilder, grants: &Grants, group_ids: &BTreeMap<String, String>) {
    let mut ids = Table::new();
    for (name, id) in group_ids {
        let holder = format!("group:{name}");
        if grants.by_key.values().any(|g| g.holders.contains(&holder)) {
            ids.insert(name, toml_edit::value(id.as_str()));
        }
    }
    if !ids.is_empty() {
        doc.comment("Jira group ids of the groups above (names can change, ids do not).");
        doc.insert_table("group-ids", ids);
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
fn grant_label(grant: &Object<Grant>, path: &str) -> String {
    match grant.typed().and_then(|g| scalar(&g.id)) {
        Some(id) => format!("grant {id}"),
        None => format!("grant at `{path}`"),
    }
}
