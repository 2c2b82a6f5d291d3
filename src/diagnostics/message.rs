//! [`Message`]: a finding's message, held as its rule's template and the values filled in.
//!
//! A rule's message repeats its template's words in every finding (`role `…` enables `…`,
//! beyond the integrated-user maximum`): on the benchmark's dirty corpus the messages were
//! 9 MB of the 64 MB a run held at its peak. A message made from a rule's template keeps
//! only the values, and is written out when a report reads it; the text is the same. The
//! finding's subject shares the allocation: one where there were two.
use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

/// The finding's subject (its length as LEB128, then its bytes), then the message: its
/// text, or (first byte [`FILLED`], never the first byte of UTF-8) the id of a
/// [`register`]ed template and, for each of its placeholders in order, a LEB128 `k`: 0,
/// the placeholder stays as written; 2n + 1, n bytes of value follow; 2n + 2, the value is
/// the n bytes of the subject from the LEB128 offset that follows (a rule's subject
/// mostly names what its message does: `role/toggle`). A pointer and a length, as a boxed
/// string was.
#[derive(Clone)]
pub struct Message(Box<[u8]>);

const FILLED: u8 = 0xFF;

impl Message {
    /// `template` filled with `vars` (as [`super::fill`] would), `template` being the one
    /// [`register`] gave `id`, the message of a finding about `subject`.
    pub fn filled(id: u32, template: &str, vars: &[(&str, &str)], subject: &str) -> Self {
        // Made on the stack, then boxed at its size: one allocation, no shrinking copy.
        let mut out = smallvec::SmallVec::<[u8; 256]>::new();
        leb128(&mut out, subject.len());
        out.extend_from_slice(subject.as_bytes());
        out.push(FILLED);
        out.extend_from_slice(&id.to_le_bytes());
        super::pieces(
            template,
            |key| {
                let found = super::lookup(vars, key);
                match found {
                    Some(v) => value(&mut out, v, subject),
                    None => leb128(&mut out, 0),
                }
                found
            },
            |_| {},
        );
        Self(Box::from(&out[..]))
    }

    /// The message's text.
    pub fn get(&self) -> Cow<'_, str> {
        let (subject, body) = self.parts();
        match body.split_first() {
            Some((&FILLED, rest)) => Cow::Owned(render(rest, subject)),
            _ => Cow::Borrowed(std::str::from_utf8(body).unwrap_or_default()),
        }
    }

    /// The finding's subject (empty when it names none).
    pub fn subject(&self) -> &str {
        std::str::from_utf8(self.parts().0).unwrap_or_default()
    }

    /// Make `subject` the finding's subject; a value of the message found in it is kept
    /// as where it is there.
    pub fn set_subject(&mut self, subject: &str) {
        let (old, body) = self.parts();
        let mut out = Vec::with_capacity(subject.len() + 4 + body.len());
        leb128(&mut out, subject.len());
        out.extend_from_slice(subject.as_bytes());
        match body.split_first_chunk::<5>() {
            Some((head, mut values)) if head[0] == FILLED => {
                out.extend_from_slice(head);
                while let Some(v) = next_value(&mut values, old) {
                    match v {
                        Some(v) => value(&mut out, v, subject),
                        None => leb128(&mut out, 0),
                    }
                }
            }
            _ => out.extend_from_slice(body),
        }
        self.0 = out.into_boxed_slice();
    }

    /// The subject's bytes and the message's.
    fn parts(&self) -> (&[u8], &[u8]) {
        match read_leb128(&self.0) {
            Some((len, rest)) if len <= rest.len() => rest.split_at(len),
            _ => (&[], &[]),
        }
    }
}

/// A filled message's text: its template's placeholders given the values in `rest`
/// (some of them in `subject`).
fn render(rest: &[u8], subject: &[u8]) -> String {
    let Some((id, mut values)) = rest.split_first_chunk::<4>() else {
        return String::new();
    };
    with_template(u32::from_le_bytes(*id), |template| {
        super::filled(template, |_| next_value(&mut values, subject).flatten())
    })
}

/// `v` as where it is in `subject`, or written out (also when shorter than its offset
/// and length would be).
fn value(out: &mut impl Extend<u8>, v: &str, subject: &str) {
    // A value is mostly the subject's first or last part (`role/toggle`): those are
    // checked before a search (any place the value is at reads the same).
    let (s, b) = (subject.as_bytes(), v.as_bytes());
    let at = match v.len() > 4 {
        false => None,
        true if s.starts_with(b) => Some(0),
        true if s.ends_with(b) => Some(s.len() - b.len()),
        true => memchr::memmem::find(s, b),
    };
    match at {
        Some(at) => {
            leb128(out, 2 * v.len() + 2);
            leb128(out, at);
        }
        None => literal(out, v),
    }
}

/// `v` as a value written out.
fn literal(out: &mut impl Extend<u8>, v: &str) {
    leb128(out, 2 * v.len() + 1);
    out.extend(v.bytes());
}

/// The next placeholder's value in `values` (`Some(None)`: as written), moving past it;
/// `None` at the end.
fn next_value<'a>(values: &mut &'a [u8], subject: &'a [u8]) -> Option<Option<&'a str>> {
    let (k, after) = read_leb128(values)?;
    if k == 0 {
        *values = after;
        return Some(None);
    }
    let len = (k - 1) / 2;
    let (value, rest) = match k % 2 == 1 {
        true => (after.get(..len)?, after.get(len..)?),
        false => {
            let (at, rest) = read_leb128(after)?;
            (subject.get(at..at.checked_add(len)?)?, rest)
        }
    };
    *values = rest;
    Some(std::str::from_utf8(value).ok())
}

fn leb128(out: &mut impl Extend<u8>, mut n: usize) {
    while n >= 0x80 {
        out.extend([(n as u8) | 0x80]);
        n >>= 7;
    }
    out.extend([n as u8]);
}

fn read_leb128(bytes: &[u8]) -> Option<(usize, &[u8])> {
    let (mut n, mut shift) = (0usize, 0u32);
    for (i, b) in bytes.iter().enumerate() {
        n |= usize::from(b & 0x7F).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
        shift += 7;
    }
    None
}

/// Every distinct message template findings were made from, by id. Rules' templates are
/// few and a run registers each once (a rule's [`super::rule_meta::RuleTexts`]); the same
/// text is one entry however many rule sets name it (`policy test` builds thousands).
#[derive(Default)]
struct Templates {
    by_id: Vec<Arc<str>>,
    ids: rustc_hash::FxHashMap<Arc<str>, u32>,
}

fn templates() -> &'static RwLock<Templates> {
    static TEMPLATES: OnceLock<RwLock<Templates>> = OnceLock::new();
    TEMPLATES.get_or_init(RwLock::default)
}

/// The id of `template`, registered once; `None` when the ids ran out (a message is then
/// kept as text).
pub fn register(template: &str) -> Option<u32> {
    let known = templates().read().unwrap_or_else(|e| e.into_inner());
    if let Some(id) = known.ids.get(template) {
        return Some(*id);
    }
    drop(known);
    let mut all = templates().write().unwrap_or_else(|e| e.into_inner());
    if let Some(id) = all.ids.get(template) {
        return Some(*id);
    }
    let id = u32::try_from(all.by_id.len()).ok()?;
    let shared: Arc<str> = Arc::from(template);
    all.by_id.push(shared.clone());
    all.ids.insert(shared, id);
    Some(id)
}

/// `with` the template `id` names. Each thread keeps those it has read: a report writes
/// tens of thousands of messages, each otherwise a lock and a reference count.
fn with_template<R>(id: u32, with: impl FnOnce(&str) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static READ: RefCell<Vec<Option<Arc<str>>>> = const { RefCell::new(Vec::new()) };
    }
    let at = id as usize;
    READ.with_borrow_mut(|read| {
        if read.get(at).is_none_or(Option::is_none) {
            let all = templates().read().unwrap_or_else(|e| e.into_inner());
            let t = all.by_id.get(at).cloned().unwrap_or_else(|| Arc::from(""));
            if read.len() <= at {
                read.resize(at + 1, None);
            }
            read[at] = Some(t);
        }
        with(read[at].as_deref().unwrap_or_default())
    })
}

impl From<&str> for Message {
    fn from(s: &str) -> Self {
        let mut out = Vec::with_capacity(s.len() + 1);
        out.push(0); // no subject yet
        out.extend_from_slice(s.as_bytes());
        Self(out.into_boxed_slice())
    }
}

impl From<String> for Message {
    fn from(s: String) -> Self {
        Self::from(s.as_str())
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || (self.subject() == other.subject() && self.get() == other.get())
    }
}

impl Eq for Message {}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.get())
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.get(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::{register, Message};
    use crate::diagnostics::fill;

    #[test]
    fn a_filled_message_reads_as_the_template_filled() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "role `{role}` enables `{toggle}`",
                &[("role", "R"), ("toggle", "A > B")],
            ),
            ("{x} {{literal}} {unknown} {x}}} {", &[("x", "1")]),
            ("no placeholder", &[]),
            ("{v}", &[("v", "")]),
            ("{v}{v}", &[("v", &"é\u{0}x".repeat(100))]),
        ];
        for (template, vars) in cases {
            let id = register(template).unwrap();
            for subject in ["", "1", "é\u{0}xé\u{0}x/R"] {
                let m = Message::filled(id, template, vars, subject);
                assert_eq!(m.get(), fill(template, vars), "{template}");
                let mut text = Message::from(fill(template, vars));
                text.set_subject(subject);
                assert_eq!(m, text);
            }
        }
        let many = "{a}-".repeat(40);
        let id = register(&many).unwrap();
        let m = Message::filled(id, &many, &[("a", "x")], "");
        assert_eq!(m.get(), "x-".repeat(40));
        assert_eq!(register(&many), Some(id), "one id per distinct template");
    }

    #[test]
    fn the_subject_shares_the_allocation_and_leaves_the_message_as_it_was() {
        let template = "role `{role}`";
        let id = register(template).unwrap();
        for mut m in [
            Message::filled(id, template, &[("role", "R")], ""),
            Message::from("role `R`"),
        ] {
            assert_eq!(m.subject(), "");
            m.set_subject(&"s".repeat(200));
            assert_eq!(m.subject(), "s".repeat(200));
            m.set_subject("R/A");
            assert_eq!((m.subject(), &*m.get()), ("R/A", "role `R`"));
        }
        let template = "`{a}` {b} and `{c}` {d}";
        let id = register(template).unwrap();
        let vars = [("a", "Warehouse R1"), ("b", "x"), ("c", "Team > Backlog")];
        let subject = "Warehouse R1/Team > Backlog";
        let mut m = Message::filled(id, template, &vars, "");
        let text = fill(template, &vars);
        let bare = m.0.len();
        m.set_subject(subject);
        assert_eq!(m, Message::filled(id, template, &vars, subject));
        assert_eq!(m.0, Message::filled(id, template, &vars, subject).0);
        assert_eq!(
            (m.get(), m.subject()),
            (text.clone().into(), "Warehouse R1/Team > Backlog")
        );
        assert!(
            m.0.len() < bare + 10,
            "values in the subject are not kept twice"
        );
        m.set_subject("other");
        assert_eq!(
            m.get(),
            text,
            "values move out of a subject that is replaced"
        );
        assert_eq!(m.subject(), "other");
    }

    #[test]
    fn a_filled_message_is_smaller_than_its_text() {
        let template = "role `{role}` enables `{toggle}`, beyond the integrated-user maximum";
        let vars = [
            ("role", "Warehouse Developer R00001"),
            ("toggle", "Program > Roadmaps"),
        ];
        let m = Message::filled(register(template).unwrap(), template, &vars, "");
        assert!(m.0.len() < fill(template, &vars).len() / 2 + 8);
        assert_eq!(std::mem::size_of::<Message>(), 16);
    }
}
