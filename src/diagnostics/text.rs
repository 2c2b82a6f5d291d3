//! [`Text`]: a finding's text that many findings share.
//!
//! A repository with many findings has thousands with the same rule code and name, and
//! the same help and note (a rule's templates mostly have no placeholders). Each was a
//! `String` of its own, copied per finding: a few hundred bytes and four allocations per
//! finding. A `Text` is a shared string, cloned by reference.
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// One shared copy of a text: a pointer and a length (16 bytes; an enum of a `'static`
/// and a shared string took 24, and a finding holds five texts). A text written in the
/// program becomes one shared copy per thread ([`embedded`]).
#[derive(Clone)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `a` and `b` are the same shared copy (not merely equal texts).
    pub fn same(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

/// A text written in the program as one shared copy per thread, found by its address: the
/// same few phrases become the texts of thousands of findings, each a reference.
fn embedded(s: &'static str) -> Arc<str> {
    use std::cell::RefCell;
    type ByAddress = rustc_hash::FxHashMap<(usize, usize), Arc<str>>;
    thread_local! {
        static KNOWN: RefCell<ByAddress> = RefCell::default();
    }
    KNOWN.with_borrow_mut(|known| {
        known
            .entry((s.as_ptr() as usize, s.len()))
            .or_insert_with(|| Arc::from(s))
            .clone()
    })
}

/// A short name read from documents (a holder's group, role or user) as one shared copy
/// per thread: a repository names a few hundred groups in tens of thousands of grants.
/// A thread keeps at most [`NAMES_KEPT`] distinct names; past that, each is its own copy.
pub fn name(s: &str) -> Text {
    use std::cell::RefCell;
    thread_local! {
        static KNOWN: RefCell<rustc_hash::FxHashSet<Text>> = RefCell::default();
    }
    KNOWN.with_borrow_mut(|known| match known.get(s) {
        Some(t) => t.clone(),
        None => {
            let t = Text::from(s.to_string());
            if known.len() < NAMES_KEPT {
                known.insert(t.clone());
            }
            t
        }
    })
}

/// How many distinct names a thread keeps shared ([`name`]).
const NAMES_KEPT: usize = 1 << 16;

/// Read from configuration (a rule type's wording) or documents (a permission key, a
/// capability id), then shared by the findings and the grants that repeat it ([`name`]).
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        std::borrow::Cow::<'de, str>::deserialize(d).map(|s| name(&s))
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::from("")
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
        Text(embedded(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Text(Arc::from(s.as_str()))
    }
}

impl From<Arc<str>> for Text {
    fn from(s: Arc<str>) -> Self {
        Text(s)
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

/// A list of texts (a finding's notes) that findings share: one thin pointer in each, where
/// a shared slice took two.
pub type TextList = Arc<Box<[Text]>>;

/// Texts that many findings repeat though a rule builds each (a label naming the same
/// sub-toggles, the note on the same project's verdict), kept once per distinct text: a
/// rule made 43,000 copies of four labels on the benchmark's dirty corpus. Shared by the
/// threads judging with one rule. Lists of notes too: a rule's findings mostly repeat a
/// few (the rule's note and one of a few hundred did-you-means in 43,000 findings).
#[derive(Default, Debug)]
pub struct Interner {
    texts: std::sync::Mutex<std::collections::HashSet<Text>>,
    lists: std::sync::Mutex<std::collections::HashSet<TextList>>,
    labels: std::sync::Mutex<std::collections::HashSet<Arc<Box<[super::Label]>>>>,
    fixes: std::sync::Mutex<std::collections::HashSet<Arc<super::fix::Fix>>>,
}

impl Interner {
    /// `text` as the one shared copy of its content.
    pub fn text(&self, text: String) -> Text {
        let mut known = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = known.get(text.as_str()) {
            return t.clone();
        }
        let t = Text::from(text);
        known.insert(t.clone());
        t
    }

    /// `list` as the one shared copy of its content.
    pub fn list(&self, list: &[Text]) -> TextList {
        let list: Box<[Text]> = list.into();
        let mut known = self.lists.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = known.get(&list) {
            return l.clone();
        }
        let l = Arc::new(list);
        known.insert(l.clone());
        l
    }

    /// `fix` as the one shared copy of its content (the same rename in many findings).
    pub fn fix(&self, fix: super::fix::Fix) -> Arc<super::fix::Fix> {
        let mut known = self.fixes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = known.get(&fix) {
            return f.clone();
        }
        let f = Arc::new(fix);
        known.insert(f.clone());
        f
    }

    /// `list` as the one shared copy of its content.
    pub fn labels(&self, list: Box<[super::Label]>) -> Arc<Box<[super::Label]>> {
        let mut known = self.labels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = known.get(&list) {
            return l.clone();
        }
        let l = Arc::new(list);
        known.insert(l.clone());
        l
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, Text};

    #[test]
    fn an_interned_text_is_one_copy_of_its_content() {
        let texts = Interner::default();
        let (a, b) = (texts.text("x".repeat(3)), texts.text(String::from("xxx")));
        assert!(Text::same(&a, &b), "interned texts are shared");
        assert_eq!(texts.text("y".into()), "y");
        let (x, y) = (texts.text("x".into()), texts.text("y".into()));
        let (l, m) = (
            texts.list(&[x.clone(), y.clone()]),
            texts.list(&[x.clone(), y]),
        );
        assert!(std::sync::Arc::ptr_eq(&l, &m), "interned lists are shared");
        assert_eq!(texts.list(&[x]).len(), 1);
    }

    #[test]
    fn a_name_is_one_copy_per_thread() {
        let (a, b) = (
            super::name("team-7"),
            super::name(String::from("team-7").as_str()),
        );
        assert!(Text::same(&a, &b), "the same name is shared");
        assert_eq!(super::name("team-8"), "team-8");
    }

    #[test]
    fn a_text_is_two_words_and_an_embedded_one_is_shared() {
        assert_eq!(std::mem::size_of::<Text>(), 16);
        assert_eq!(std::mem::size_of::<Option<Text>>(), 16);
        static PHRASE: &str = "maximum defined here";
        assert!(Text::same(&Text::from(PHRASE), &Text::from(PHRASE)));
        assert!(!Text::same(
            &Text::from(PHRASE),
            &Text::from(PHRASE.to_string())
        ));
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
