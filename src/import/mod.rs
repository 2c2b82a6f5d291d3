//! Conversion of Jira REST payloads into rolelint TOML documents.
//!
//! Pure library code: JSON text in, TOML text (plus a suggested file name and notes for
//! the user) out. Reading files, writing files and printing notes belong to the CLI.
//!
//! Guarantees:
//! - never panics, whatever the input;
//! - every produced document parses as TOML (values and keys are encoded by `toml_edit`,
//!   comment text is sanitised);
//! - nothing is dropped silently: what cannot be imported is kept as a TOML comment and
//!   reported in [`Imported::notes`].

pub mod jira_board;
pub mod jira_project;
pub mod jira_scheme;
pub mod payload;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;
use toml_edit::{Array, DocumentMut, Item, Key, Table};

pub use jira_board::import_jira_board;
pub use jira_project::import_jira_project;
pub use jira_scheme::import_jira_schemes;

/// One converted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Suggested file name, e.g. `software-team-scheme.toml`: a kebab-case ASCII slug of
    /// the name, never empty, never containing a path separator.
    pub file_name: String,
    /// The TOML document.
    pub toml: String,
    /// Things the user must know (holders kept as comments, unresolved project role ids,
    /// data the payload does not carry, ...). One sentence each.
    pub notes: Vec<String>,
}

/// The input is not something that can be imported. `message` is one clear sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ImportError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// Parses `input` as JSON; `what` names the expected payload for the error message.
pub(crate) fn parse_json(input: &str, what: &str) -> Result<Value, ImportError> {
    serde_json::from_str(input)
        .map_err(|e| ImportError::new(format!("the {what} input is not valid JSON: {e}")))
}

/// "an object", "an array", ... for error messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `s` in double quotes, escaped so that it is safe inside a TOML comment (no control
/// characters, which TOML forbids in comments) and unambiguous to a reader.
pub(crate) fn quote_for_comment(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Makes free text safe for a single TOML comment line: control characters (including
/// newlines, which would end the comment) become `\uXXXX` escapes.
pub(crate) fn comment_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Longest slug kept (before the `.toml` extension and any `-N` suffix).
const MAX_SLUG_LEN: usize = 80;

/// Kebab-case ASCII slug of `name`; `fallback` (slugified too) when `name` has no ASCII
/// letter or digit. Never empty, never contains a path separator.
pub(crate) fn slugify(name: &str, fallback: &str) -> String {
    let slug = raw_slug(name);
    if !slug.is_empty() {
        return slug;
    }
    let slug = raw_slug(fallback);
    if !slug.is_empty() {
        return slug;
    }
    "imported".to_string()
}

fn raw_slug(name: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in name.chars() {
        let mut buf = [0u8; 4];
        let folded: &str = if c.is_ascii() {
            c.encode_utf8(&mut buf)
        } else {
            fold_latin(c)
        };
        let mut emitted = false;
        for f in folded.chars() {
            if f.is_ascii_alphanumeric() {
                if pending_dash && !slug.is_empty() {
                    slug.push('-');
                }
                pending_dash = false;
                slug.push(f.to_ascii_lowercase());
                emitted = true;
            }
        }
        if !emitted {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        // The slug is pure ASCII, so any byte index is a char boundary.
        let mut cut = MAX_SLUG_LEN;
        if let Some(dash) = slug[..MAX_SLUG_LEN].rfind('-') {
            if dash > MAX_SLUG_LEN / 2 {
                cut = dash;
            }
        }
        slug.truncate(cut);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// ASCII folding for the common Latin letters with diacritics (enough for readable file
/// names; anything else becomes a separator).
fn fold_latin(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        _ => "",
    }
}

/// File names already given out in one import, and for each slug the next number to try,
/// so the 40,000th scheme of one name is one probe, not 40,000.
#[derive(Default)]
pub(crate) struct UsedNames {
    used: HashSet<String>,
    next: HashMap<String, u64>,
}

/// `slug.toml`, or `slug-2.toml`, `slug-3.toml`, ... when already taken in `used`.
pub(crate) fn unique_file_name(slug: &str, used: &mut UsedNames) -> String {
    let mut candidate = format!("{slug}.toml");
    let n = used.next.entry(slug.to_string()).or_insert(2);
    while used.used.contains(&candidate) {
        candidate = format!("{slug}-{n}.toml");
        *n += 1;
    }
    used.used.insert(candidate.clone());
    candidate
}

/// Notes for the user, each once, in the order first pushed: a payload can repeat one
/// problem in 100,000s of grants, so they are hashed rather than scanned.
#[derive(Default)]
pub(crate) struct Notes {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Notes {
    /// The notes, each made safe for a TOML comment.
    pub(crate) fn comment_safe(&self) -> Vec<String> {
        self.list.iter().map(|n| comment_safe(n)).collect()
    }
}

/// Pushes `note` unless an identical note is already there.
pub(crate) fn push_note(notes: &mut Notes, note: String) {
    if notes.seen.insert(note.clone()) {
        notes.list.push(note);
    }
}

/// Lines longer than this get one array element per line.
const MAX_INLINE_WIDTH: usize = 100;

/// A TOML array of strings: on one line when `key = [...]` fits in
/// [`MAX_INLINE_WIDTH`] columns, otherwise one element per line.
pub(crate) fn string_array(key: &Key, values: &[String]) -> Item {
    let mut array: Array = values.iter().map(String::as_str).collect();
    let key_width = key.display_repr().chars().count();
    let inline_width = key_width + 3 + array.to_string().chars().count();
    if inline_width > MAX_INLINE_WIDTH && values.len() > 1 {
        for value in array.iter_mut() {
            value.decor_mut().set_prefix("\n    ");
            value.decor_mut().set_suffix("");
        }
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
    Item::Value(array.into())
}

/// Builds a document key by key; comment lines queued with [`DocBuilder::comment`] are
/// written above the next key inserted (or at the end of the document).
pub(crate) struct DocBuilder {
    doc: DocumentMut,
    pending: Vec<String>,
}

impl DocBuilder {
    pub(crate) fn new() -> Self {
        DocBuilder {
            doc: DocumentMut::new(),
            pending: Vec::new(),
        }
    }

    /// Queues one comment line (text without the leading `# `; sanitised here).
    pub(crate) fn comment(&mut self, text: &str) {
        self.pending.push(comment_safe(text));
    }

    fn take_prefix(&mut self) -> Option<String> {
        if self.pending.is_empty() {
            return None;
        }
        let mut prefix = String::new();
        for line in self.pending.drain(..) {
            prefix.push_str("# ");
            prefix.push_str(&line);
            prefix.push('\n');
        }
        Some(prefix)
    }

    /// Inserts a top-level `key = value`.
    pub(crate) fn insert(&mut self, key: &str, item: Item) {
        let mut key = Key::new(key);
        if let Some(prefix) = self.take_prefix() {
            key.leaf_decor_mut().set_prefix(prefix);
        }
        self.doc.as_table_mut().insert_formatted(&key, item);
    }

    /// Inserts a top-level `key = "value"`.
    pub(crate) fn insert_str(&mut self, key: &str, value: &str) {
        self.insert(key, toml_edit::value(value));
    }

    /// Inserts a top-level string array.
    pub(crate) fn insert_strings(&mut self, key: &str, values: &[String]) {
        let item = string_array(&Key::new(key), values);
        self.insert(key, item);
    }

    /// Inserts a `[name]` table preceded by a blank line; queued comments go between the
    /// blank line and the header.
    pub(crate) fn insert_table(&mut self, name: &str, table: Table) {
        let mut table = table;
        table.set_implicit(false);
        let mut prefix = String::from("\n");
        if let Some(comments) = self.take_prefix() {
            prefix.push_str(&comments);
        }
        table.decor_mut().set_prefix(prefix);
        self.doc
            .as_table_mut()
            .insert_formatted(&Key::new(name), Item::Table(table));
    }

    /// The finished document; queued comments end it.
    pub(crate) fn finish(mut self) -> String {
        if let Some(trailing) = self.take_prefix() {
            self.doc.set_trailing(trailing);
        }
        self.doc.to_string()
    }
}

/// Inserts `key = [values]` into `table`, with `prefix` (comment lines, already
/// sanitised and terminated by newlines) above it.
pub(crate) fn table_insert_strings(table: &mut Table, key: &str, values: &[String], prefix: &str) {
    let mut key = Key::new(key);
    if !prefix.is_empty() {
        key.leaf_decor_mut().set_prefix(prefix);
    }
    let item = string_array(&key, values);
    table.insert_formatted(&key, item);
}
