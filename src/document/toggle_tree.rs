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
        use crate::diagnostics::says;
        match self {
            Self::All => says::FoundAll::TEXT,
            Self::List(_) => says::FoundList::TEXT,
            Self::Table(_) => says::FoundTable::TEXT,
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

/// `normalize(a) == normalize(b)` without allocating: names are compared in every role.
pub fn same_name(a: &str, b: &str) -> bool {
    // Most names differ in their first letter: decide those without scanning either name.
    // Only for ASCII letters: a non-ASCII one may lowercase to ASCII (`K` Kelvin sign).
    let first = |s: &str| {
        s.bytes()
            .find(|b| !b.is_ascii_whitespace() && *b != 0x0B)
            .map(|b| b.to_ascii_lowercase())
    };
    if let (Some(x), Some(y)) = (first(a), first(b)) {
        if x != y && x.is_ascii() && y.is_ascii() {
            return false;
        }
    }
    if a.is_ascii() && b.is_ascii() {
        return AsciiNormalized::new(a).eq(AsciiNormalized::new(b));
    }
    Normalized::new(a).eq(Normalized::new(b))
}

/// [`normalize`]'s white-space rule, shared by its lazy forms: runs of white space become one
/// space, none at the start or end, and none before `(`. Case is folded by the caller.
struct Spacing<T> {
    started: bool,
    pending_space: bool,
    held: Option<T>,
}

impl<T: Copy + PartialEq> Spacing<T> {
    fn new() -> Self {
        Self {
            started: false,
            pending_space: false,
            held: None,
        }
    }

    fn next(
        &mut self,
        units: &mut impl Iterator<Item = T>,
        is_space: impl Fn(T) -> bool,
        [space, open]: [T; 2],
    ) -> Option<T> {
        let unit = match self.held.take() {
            Some(unit) => unit,
            None => loop {
                let unit = units.next()?;
                if is_space(unit) {
                    self.pending_space = self.started;
                    continue;
                }
                break unit;
            },
        };
        if self.pending_space && unit != open {
            self.pending_space = false;
            self.held = Some(unit);
            return Some(space);
        }
        self.pending_space = false;
        self.started = true;
        Some(unit)
    }
}

/// The bytes of [`normalize`]'s output for ASCII names (nearly all): no Unicode case tables.
struct AsciiNormalized<'a> {
    bytes: std::slice::Iter<'a, u8>,
    spacing: Spacing<u8>,
}

impl<'a> AsciiNormalized<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            bytes: s.as_bytes().iter(),
            spacing: Spacing::new(),
        }
    }
}

impl Iterator for AsciiNormalized<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let is_space = |b: u8| b.is_ascii_whitespace() || b == 0x0B;
        let units = &mut self.bytes.by_ref().copied();
        let b = self.spacing.next(units, is_space, [b' ', b'('])?;
        Some(b.to_ascii_lowercase())
    }
}

/// The characters of [`normalize`]'s output, produced lazily.
struct Normalized<'a> {
    chars: std::str::Chars<'a>,
    spacing: Spacing<char>,
    lower: Option<std::char::ToLowercase>,
}

impl<'a> Normalized<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            chars: s.chars(),
            spacing: Spacing::new(),
            lower: None,
        }
    }
}

impl Iterator for Normalized<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(l) = self.lower.as_mut() {
            if let Some(c) = l.next() {
                return Some(c);
            }
            self.lower = None;
        }
        let c = (self.spacing).next(&mut self.chars, char::is_whitespace, [' ', '('])?;
        if c.is_ascii() {
            return Some(c.to_ascii_lowercase());
        }
        let mut l = c.to_lowercase();
        let first = l.next();
        self.lower = Some(l);
        first
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

    #[test]
    fn same_name_agrees_with_normalize() {
        let names = [
            "Manage Agile Objects(Admin)",
            "manage  agile objects (Admin)",
            " Team  Room ",
            "TeamRoom",
            "team room",
            "İstanbul",
            "i̇stanbul",
            "Sprint Metrics (M1)",
            "sprint metrics(m1)",
            "",
            " ",
            "a (",
            "a(",
            "Team\tRoom",
            "team\u{0B}room",
            "Team Room  (x)",
            "team room(x) ",
            "(x)",
            " (x)",
            "\u{212A}elvin",
            "kelvin",
            "\u{A0}team room",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    same_name(a, b),
                    normalize(a) == normalize(b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
