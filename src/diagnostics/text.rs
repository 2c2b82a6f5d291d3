//! [`Text`]: a finding's text that many findings share.
//!
//! A repository with many findings has thousands with the same rule code and name, and
//! the same help and note (a rule's templates mostly have no placeholders). Each was a
//! `String` of its own, copied per finding: a few hundred bytes and four allocations per
//! finding. A `Text` is either a `'static` string or a shared one, cloned by reference.
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub enum Text {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Text {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

/// Read from configuration once (a rule type's wording), then shared by its findings.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Static("")
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Shared(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text::Shared(Arc::from(s.as_str()))
    }
}

impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Self {
        Text::Shared(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.as_str().to_string()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Texts that many findings repeat though a rule builds each (a label naming the same
/// sub-toggles, the note on the same project's verdict), kept once per distinct text: a
/// rule made 43,000 copies of four labels on the benchmark's dirty corpus. Shared by the
/// threads judging with one rule.
#[derive(Default, Debug)]
pub struct Interner(std::sync::Mutex<std::collections::HashSet<Text>>);

impl Interner {
    /// `text` as the one shared copy of its content.
    pub fn text(&self, text: String) -> Text {
        let mut known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = known.get(text.as_str()) {
            return t.clone();
        }
        let t = Text::from(text);
        known.insert(t.clone());
        t
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, Text};

    #[test]
    fn an_interned_text_is_one_copy_of_its_content() {
        let texts = Interner::default();
        let (a, b) = (texts.text("x".repeat(3)), texts.text(String::from("xxx")));
        let (Text::Shared(a), Text::Shared(b)) = (a, b) else {
            panic!("interned texts are shared");
        };
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        assert_eq!(texts.text("y".into()), "y");
    }

    #[test]
    fn compares_and_prints_as_its_text() {
        let shared = Text::from("AL101".to_string());
        let fixed = Text::from("AL101");
        assert_eq!(shared, fixed);
        assert_eq!(shared, "AL101");
        assert_eq!(format!("{shared}|{fixed:?}"), "AL101|\"AL101\"");
        let (a, b) = (Text::from("a"), Text::from("b".to_string()));
        assert!(a < b);
    }
}
