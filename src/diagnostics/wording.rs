//! A finding's label and help as one shared pair: most findings of a rule read the same,
//! and two texts a finding took 32 bytes of its fields where one shared pair takes 8.
use super::text::Text;
use std::cell::RefCell;
use std::sync::Arc;

/// The text under a finding's primary span, and its help.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Pair {
    label: Text,
    help: Option<Text>,
}

/// A finding's label and help ([`Wording::label`], [`Wording::help`]); none when both are
/// empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wording(Option<Arc<Pair>>);

/// How many distinct pairs a thread keeps shared; past that, each is its own.
const PAIRS_KEPT: usize = 1 << 16;

impl Wording {
    pub fn label(&self) -> &str {
        self.0.as_ref().map_or("", |p| p.label.as_str())
    }

    pub fn help(&self) -> Option<&Text> {
        self.0.as_ref().and_then(|p| p.help.as_ref())
    }

    /// This wording with `label` instead.
    pub fn with_label(&self, label: Text) -> Self {
        Self::of(label, self.help().cloned())
    }

    /// This wording with `help` instead (`None`: without one).
    pub fn with_help(&self, help: Option<Text>) -> Self {
        let label = self
            .0
            .as_ref()
            .map_or_else(Text::default, |p| p.label.clone());
        Self::of(label, help)
    }

    /// The pair, shared with the findings this thread made that read the same.
    fn of(label: Text, help: Option<Text>) -> Self {
        if label.is_empty() && help.is_none() {
            return Self(None);
        }
        thread_local! {
            static KNOWN: RefCell<rustc_hash::FxHashSet<Arc<Pair>>> = RefCell::default();
        }
        let pair = Pair { label, help };
        KNOWN.with_borrow_mut(|known| match known.get(&pair) {
            Some(shared) => Self(Some(shared.clone())),
            None => {
                let pair = Arc::new(pair);
                if known.len() < PAIRS_KEPT {
                    known.insert(pair.clone());
                }
                Self(Some(pair))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_that_read_the_same_share_one_pair() {
        let a = Wording::default()
            .with_label(Text::from("here".to_string()))
            .with_help(Some(Text::from("do this".to_string())));
        let b = Wording::default()
            .with_help(Some(Text::from("do this".to_string())))
            .with_label(Text::from("here".to_string()));
        assert_eq!(
            (a.label(), b.help().map(Text::as_str)),
            ("here", Some("do this"))
        );
        assert!(Arc::ptr_eq(a.0.as_ref().unwrap(), b.0.as_ref().unwrap()));
        let none = a.with_label(Text::default()).with_help(None);
        assert_eq!(none, Wording::default(), "nothing to say is no pair");
    }
}
