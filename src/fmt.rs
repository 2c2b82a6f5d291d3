//! Canonical formatting of documents (`rolelint fmt`), done with `toml_edit` so every
//! comment stays attached to the key, value or table it was written next to.
//!
//! What is normalised:
//! - top-level keys in the canonical order of the document's kind ([`key_order`]);
//!   keys the order does not name keep their relative order after the named ones;
//! - `[grants]` keys sorted by name;
//! - holder arrays (grants, project-role members, board admins, group members) sorted
//!   by their text and de-duplicated (a duplicate holder grants nothing more, so dropping
//!   it is safe; a duplicate that carries a comment is kept, so no comment is lost);
//! - `key = value` with one space on each side; trailing white space removed;
//! - one blank line before every table header, none at the start, one newline at the end.
//!
//! Tables keep their order (only the keys inside them move). Formatting is idempotent.
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// The result of formatting one text.
#[derive(Debug, PartialEq, Eq)]
pub enum Formatted {
    /// The canonical text (maybe identical to the input).
    Text(String),
    /// No `kind`, or one `fmt` has no order for: left alone.
    UnknownKind(Option<String>),
}

/// The canonical order of top-level keys per kind. `None` for kinds `fmt` leaves alone.
pub fn key_order(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "align-role" => &[
            "kind",
            "name",
            "description",
            "license",
            "connector-default",
            "toggles",
        ],
        "align-catalogue" => &["kind", "name", "description", "sections", "toggle"],
        "policy" => &["kind", "name", "description", "rule", "test"],
        "jira-permission-scheme" | "jira-global-permissions" => {
            &["kind", "name", "description", "grants"]
        }
        "jira-project" => &[
            "kind",
            "key",
            "name",
            "description",
            "permission-scheme",
            "workflow",
            "roles",
        ],
        "jira-board" => &[
            "kind",
            "name",
            "description",
            "type",
            "projects",
            "filter",
            "admins",
            "expect",
        ],
        "jira-groups" => &["kind", "name", "description", "groups"],
        _ => return None,
    })
}

/// Format one document's text. A TOML syntax error is returned as its message.
pub fn format(text: &str) -> Result<Formatted, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string().trim_end().to_string())?;
    let kind = doc.get("kind").and_then(Item::as_str).map(str::to_string);
    let Some(order) = kind.as_deref().and_then(key_order) else {
        return Ok(Formatted::UnknownKind(kind));
    };
    let kind = kind.unwrap_or_default();
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let root = doc.as_table_mut();
    root.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
    match kind.as_str() {
        "jira-permission-scheme" | "jira-global-permissions" => {
            if let Some(grants) = root.get_mut("grants").and_then(Item::as_table_like_mut) {
                grants.sort_values();
                for (_, item) in grants.iter_mut() {
                    holders(item);
                }
            }
        }
        "jira-project" => {
            if let Some(roles) = root.get_mut("roles").and_then(Item::as_table_like_mut) {
                for (_, item) in roles.iter_mut() {
                    holders(item);
                }
            }
        }
        "jira-board" => {
            if let Some(item) = root.get_mut("admins") {
                holders(item);
            }
        }
        "jira-groups" => {
            if let Some(groups) = root.get_mut("groups").and_then(Item::as_table_like_mut) {
                for (_, item) in groups.iter_mut() {
                    holders(item);
                }
            }
        }
        _ => {}
    }
    spacing(root, true);
    let trailing = doc.trailing().as_str().unwrap_or("").to_string();
    doc.set_trailing(trim_blank_lines(&trailing));
    let mut out = String::new();
    for line in doc.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let out = out.trim_start_matches('\n');
    let out = format!("{}\n", out.trim_end());
    Ok(Formatted::Text(out))
}

/// Sort and de-duplicate an array of holder strings.
fn holders(item: &mut Item) {
    let Some(array) = item.as_array_mut() else {
        return;
    };
    if array.iter().any(|v| v.as_str().is_none()) {
        return; // not a list of strings: `check` reports it; leave it as written
    }
    let multiline = array.iter().any(|v| has_newline(v.decor().prefix()))
        || array.trailing().as_str().is_some_and(|t| t.contains('\n'));
    let mut values: Vec<Value> = array.iter().cloned().collect();
    values.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    let mut kept: Vec<Value> = Vec::new();
    for v in values {
        // Sorted, so an equal value kept before is the last one kept: one comparison each.
        let duplicate = kept.last().is_some_and(|k| k.as_str() == v.as_str());
        if duplicate && !has_comment(&v) {
            continue;
        }
        kept.push(v);
    }
    let trailing = array.trailing().clone();
    let decor = array.decor().clone();
    let mut out = Array::new();
    for v in kept {
        out.push_formatted(v);
    }
    if multiline {
        for v in out.iter_mut() {
            let prefix = v.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
            let prefix = format!("{}\n    ", comment_lines(prefix));
            v.decor_mut().set_prefix(prefix);
            let suffix = v.decor().suffix().and_then(|p| p.as_str()).unwrap_or("");
            if !suffix.contains('#') {
                v.decor_mut().set_suffix("");
            }
        }
        out.set_trailing_comma(true);
        let t = trailing.as_str().unwrap_or("");
        out.set_trailing(format!("{}\n", comment_lines(t)));
    } else {
        out.fmt();
    }
    *out.decor_mut() = decor;
    *item = Item::Value(Value::Array(out));
}

/// `    # a\n    # b` lines of a prefix, each on its own line starting with a newline.
fn comment_lines(prefix: &str) -> String {
    prefix
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .map(|l| format!("\n    {l}"))
        .collect()
}

fn has_newline(raw: Option<&toml_edit::RawString>) -> bool {
    raw.and_then(|r| r.as_str())
        .is_some_and(|s| s.contains('\n'))
}

fn has_comment(v: &Value) -> bool {
    let d = v.decor();
    [d.prefix(), d.suffix()]
        .iter()
        .any(|r| r.and_then(|r| r.as_str()).is_some_and(|s| s.contains('#')))
}

/// `key = value` spacing and one blank line before each table header, recursively.
fn spacing(table: &mut Table, root: bool) {
    if !root && !table.is_implicit() && !table.is_dotted() {
        let prefix = table
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("");
        let prefix = format!("\n{}", trim_blank_lines(prefix));
        table.decor_mut().set_prefix(prefix);
    }
    for (mut key, item) in table.iter_mut() {
        if item.is_value() {
            key.leaf_decor_mut().set_suffix(" ");
            let prefix = key
                .leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_string();
            // Keep comments above a key; drop blank lines and indentation inside the table.
            key.leaf_decor_mut().set_prefix(trim_blank_lines(&prefix));
        }
        match item {
            Item::Value(v) => {
                v.decor_mut().set_prefix(" ");
                let suffix = v.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
                let suffix = if suffix.contains('#') {
                    format!(" {}", suffix.trim())
                } else {
                    String::new()
                };
                v.decor_mut().set_suffix(suffix);
            }
            Item::Table(t) => spacing(t, false),
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    spacing(t, false);
                }
            }
            Item::None => {}
        }
    }
}

/// Drop blank lines and indentation from a decor prefix, keeping comment lines.
fn trim_blank_lines(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format(text) {
            Ok(Formatted::Text(t)) => t,
            other => panic!("not formatted: {other:?}"),
        }
    }

    #[test]
    fn orders_keys_sorts_holders_and_keeps_comments() {
        let text = "# Scheme for PLAT\nname=\"S\"\nkind = \"jira-permission-scheme\"\n\n\n[grants]\n# who edits\nEDIT_ISSUES = [\"role:Developers\", \"group:a\", \"role:Developers\"]  # keep\nBROWSE_PROJECTS = [\"role:Users\"]\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "kind = \"jira-permission-scheme\"\n# Scheme for PLAT\nname = \"S\"\n\n[grants]\nBROWSE_PROJECTS = [\"role:Users\"]\n# who edits\nEDIT_ISSUES = [\"group:a\", \"role:Developers\"] # keep\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn unknown_kind_and_syntax_errors_are_not_formatted() {
        assert_eq!(format("name = \"x\"\n"), Ok(Formatted::UnknownKind(None)));
        assert!(format("kind = \"align-role\"\nname = \"x\n").is_err());
    }
}
