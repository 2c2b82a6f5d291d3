//! Canonical formatting of documents (`rolelint fmt`), done with `toml_edit` so every
//! comment stays attached to the key, value or table it was written next to.
//!
//! What is normalised:
//! - top-level keys in the canonical order of the document's kind ([`key_order`]);
//!   keys the order does not name keep their relative order after the named ones;
//! - `[grants]` keys sorted by name;
//! - holder arrays (grants, project-role members, board admins, group members) sorted
//!   by their text and de-duplicated (a duplicate holder grants nothing more, so dropping
//!   it is safe; its comments go to the one kept, and when both carry comments both stay,
//!   so no comment is lost); every comment moves with its element (see [`entries`]);
//! - a trailing comment keeps the white space before it, so aligned comments stay aligned;
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
            &["kind", "name", "description", "grants", "group-ids"]
        }
        "jira-project" => &[
            "kind",
            "key",
            "name",
            "id",
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
    let (open, mut entries, closing) = entries(array);
    entries.sort_by(|a, b| a.value.as_str().cmp(&b.value.as_str()));
    let mut kept: Vec<Entry> = Vec::new();
    // Sorted, so equal values are adjacent: `run` is where the kept entries equal to the
    // latest value start, and each value is compared once (a list may be 100,000s long).
    let mut run = 0;
    for e in entries {
        let same = kept
            .get(run)
            .is_some_and(|k| k.value.as_str() == e.value.as_str());
        if !same {
            run = kept.len();
            kept.push(e);
        } else if !kept[run].has_comment() {
            // A duplicate grants nothing more; its comments move to the one kept.
            kept[run] = e;
        } else if e.has_comment() {
            kept.push(e); // both commented: lose neither
        }
    }
    let decor = array.decor().clone();
    let mut out = Array::new();
    if multiline {
        // Each entry's trailing comment is written after its comma, which toml_edit keeps
        // in the next value's prefix (or the array's trailing text for the last one).
        let mut before = open;
        for e in kept {
            let mut value = e.value;
            let prefix = format!("{before}{}\n    ", lines(&e.leading));
            value.decor_mut().set_prefix(prefix);
            value.decor_mut().set_suffix("");
            before = format!("{}{}", e.trailing, lines(&e.after));
            out.push_formatted(value);
        }
        out.set_trailing_comma(true);
        out.set_trailing(format!("{before}{}\n", lines(&closing)));
    } else {
        for e in kept {
            out.push_formatted(e.value);
        }
        out.fmt();
    }
    *out.decor_mut() = decor;
    *item = Item::Value(Value::Array(out));
}

/// One element of a multi-line array with the comments that belong to it.
struct Entry {
    /// Comment lines above the element.
    leading: Vec<String>,
    value: Value,
    /// The comment after the element on its line, with the white space before it
    /// (kept, so comments aligned in a column stay aligned); empty when there is none.
    trailing: String,
    /// Further comment lines between the element and its comma (rare).
    after: Vec<String>,
}

impl Entry {
    fn has_comment(&self) -> bool {
        !self.leading.is_empty() || !self.trailing.is_empty() || !self.after.is_empty()
    }
}

/// Split an array into the comment on the line of its `[`, its elements with their own
/// comments, and the comment lines before its `]`.
///
/// toml_edit decorates an element with the text between the previous comma and the
/// element (prefix) and between the element and its comma (suffix). A comment written
/// after an element's comma therefore sits on the first line of the next element's prefix,
/// or of the array's trailing text: it is moved back to the element it follows.
fn entries(array: &Array) -> (String, Vec<Entry>, Vec<String>) {
    let raw =
        |r: Option<&toml_edit::RawString>| r.and_then(|r| r.as_str()).unwrap_or("").to_string();
    let mut open = String::new();
    let mut out: Vec<Entry> = Vec::new();
    let mut closing = Vec::new();
    let last = array.len().saturating_sub(1);
    for (i, v) in array.iter().enumerate() {
        let prefix = raw(v.decor().prefix());
        let (first, rest) = split_first_line(&prefix);
        let first = trailing_comment(first);
        match out.last_mut() {
            Some(prev) if prev.trailing.is_empty() => prev.trailing = first,
            Some(prev) => prev.after.extend(comments(&first)),
            None if i == 0 => open = first,
            None => {}
        }
        let suffix = raw(v.decor().suffix());
        let (suffix_first, suffix_rest) = split_first_line(&suffix);
        let mut after = comments(suffix_rest);
        if i == last && !array.trailing_comma() {
            // No comma after the last element: the lines below it close the array.
            closing = std::mem::take(&mut after);
        }
        let mut value = v.clone();
        value.decor_mut().clear();
        out.push(Entry {
            leading: comments(rest),
            value,
            trailing: trailing_comment(suffix_first),
            after,
        });
    }
    let trailing = array.trailing().as_str().unwrap_or("").to_string();
    let (first, rest) = split_first_line(&trailing);
    let first = trailing_comment(first);
    match out.last_mut() {
        Some(last) if last.trailing.is_empty() => last.trailing = first,
        Some(last) => last.after.extend(comments(&first)),
        None => open.push_str(&first),
    }
    closing.extend(comments(rest));
    (open, out, closing)
}

/// The text before the first newline, and the rest after it (`""` when there is none).
fn split_first_line(s: &str) -> (&str, &str) {
    s.split_once('\n').unwrap_or((s, ""))
}

/// `   # note` from the text on an element's line: the comment with the white space written
/// before it (one space when none was), or nothing when the line has no comment.
fn trailing_comment(line: &str) -> String {
    let Some(at) = line.find('#') else {
        return String::new();
    };
    let space = &line[..at];
    let space = if space.is_empty() { " " } else { space };
    format!("{space}{}", line[at..].trim_end())
}

/// The comment lines of a decor text, trimmed.
fn comments(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Comment lines, each on its own line indented like the elements.
fn lines(comments: &[String]) -> String {
    comments.iter().map(|c| format!("\n    {c}")).collect()
}

fn has_newline(raw: Option<&toml_edit::RawString>) -> bool {
    raw.and_then(|r| r.as_str())
        .is_some_and(|s| s.contains('\n'))
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
                // A trailing comment keeps the white space before it: comments aligned in
                // a column stay aligned.
                let suffix = v.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
                let suffix = trailing_comment(suffix);
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
            "kind = \"jira-permission-scheme\"\n# Scheme for PLAT\nname = \"S\"\n\n[grants]\nBROWSE_PROJECTS = [\"role:Users\"]\n# who edits\nEDIT_ISSUES = [\"group:a\", \"role:Developers\"]  # keep\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn unknown_kind_and_syntax_errors_are_not_formatted() {
        assert_eq!(format("name = \"x\"\n"), Ok(Formatted::UnknownKind(None)));
        assert!(format("kind = \"align-role\"\nname = \"x\n").is_err());
    }

    #[test]
    fn comments_in_multi_line_arrays_stay_with_their_items_when_sorted() {
        let text = "kind = \"jira-permission-scheme\"\nname = \"S\"\n\n[grants]\nBROWSE_PROJECTS = [ # who browses\n    \"role:Users\",\n    \"role:Developers\",   # devs\n    \"reporter\",          # reporters too\n    # the admins\n    \"group:admins\"  # last\n    # closing\n]\nEDIT_ISSUES = [\"role:Developers\"]     # aligned\n";
        let out = fmt(text);
        assert_eq!(
            out,
            "kind = \"jira-permission-scheme\"\nname = \"S\"\n\n[grants]\nBROWSE_PROJECTS = [ # who browses\n    # the admins\n    \"group:admins\",  # last\n    \"reporter\",          # reporters too\n    \"role:Developers\",   # devs\n    \"role:Users\",\n    # closing\n]\nEDIT_ISSUES = [\"role:Developers\"]     # aligned\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn a_duplicate_with_a_comment_is_kept_with_it() {
        let text = "kind = \"jira-groups\"\n\n[groups]\nops = [\n    \"user:b\", # on call\n    \"user:a\",\n    \"user:b\",\n]\n";
        assert_eq!(
            fmt(text),
            "kind = \"jira-groups\"\n\n[groups]\nops = [\n    \"user:a\",\n    \"user:b\", # on call\n]\n"
        );
    }

    #[test]
    fn a_duplicate_hands_its_comment_to_the_one_kept() {
        let text = "kind = \"jira-groups\"\n\n[groups]\nops = [\n    \"user:b\",\n    \"user:a\",\n    \"user:b\", # on call\n]\n";
        assert_eq!(
            fmt(text),
            "kind = \"jira-groups\"\n\n[groups]\nops = [\n    \"user:a\",\n    \"user:b\", # on call\n]\n"
        );
    }
}
