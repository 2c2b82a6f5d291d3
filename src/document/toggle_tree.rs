//! The `section > group > toggle` tree shared by role documents and ceiling rules.
//!
//! A node's value is `"all"`, a list of sub-toggle names, or a table of children.
//! Deserialised by hand so every name and value keeps its span.
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use std::fmt;
use toml::Spanned;

#[derive(Debug, Clone)]
pub enum NodeValue {
    /// `"all"`: the node and everything beneath it.
    All,
    /// `[]` or `["Edit", "Delete"]`: a toggle with exactly these sub-toggles.
    List(Vec<Spanned<String>>),
    /// A table of child nodes.
    Table(Vec<Node>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: Spanned<String>,
    pub value: Spanned<NodeValue>,
}

impl NodeValue {
    pub fn describe(&self) -> &'static str {
        match self {
            Self::All => "\"all\"",
            Self::List(_) => "a list",
            Self::Table(_) => "a table",
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`[]`, a list of sub-toggle names, \"all\" or a table")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        if v == "all" {
            Ok(NodeValue::All)
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<String>>()? {
            items.push(item);
        }
        Ok(NodeValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut nodes = Vec::new();
        while let Some(name) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<NodeValue>>()?;
            nodes.push(Node { name, value });
        }
        Ok(NodeValue::Table(nodes))
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Collapse case and white-space runs so `Manage Agile Objects(Admin)` and
/// `manage agile objects (admin)` compare equal. One pass: this runs for every toggle.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(&mut out, name);
    out
}

/// [`normalize`] into a reused buffer (cleared first): the hot path of role expansion.
pub fn normalize_into(out: &mut String, name: &str) {
    out.clear();
    if name.is_ascii() {
        // Byte loop for the common case: toggle names are ASCII.
        let mut pending_space = false;
        for &b in name.as_bytes() {
            if b.is_ascii_whitespace() || b == 0x0B {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space && b != b'(' {
                out.push(' ');
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
        }
        return;
    }
    let mut pending_space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space && c != '(' {
            out.push(' ');
        }
        pending_space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Split `"Team > Manage > Stories"` into its trimmed parts.
pub fn split_path(path: &str) -> Vec<&str> {
    path.split('>').map(str::trim).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_case_spaces_and_paren_spacing() {
        assert_eq!(
            normalize("Manage Agile Objects(Admin)"),
            normalize("manage  agile objects (Admin)")
        );
        assert_eq!(normalize(" Team  Room "), "team room");
        assert_ne!(normalize("Team Room"), normalize("TeamRoom"));
    }
}
