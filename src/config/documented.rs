//! Every key of [`Config`] is documented: docs/configuration.toml (the source of the book's
//! configuration reference) sets and describes each one, optional keys without a default
//! (`license.full-seats`, `[[exception]] expires`, ...) included.
//!
//! The keys are read from `Config`'s own `Deserialize` impl, by deserializing it from a probe
//! that offers every field a struct asks for and records the dotted path of each value it is
//! asked for: a field added to `Config` and missing from the file fails this test.
use super::Config;
use serde::de::value::{BorrowedStrDeserializer, Error, StrDeserializer, U64Deserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeSet;

/// The name `toml::Spanned` asks a deserializer for (serde_spanned's private protocol).
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const SPANNED_FIELDS: [&str; 3] = [
    "$__serde_spanned_private_start",
    "$__serde_spanned_private_end",
    "$__serde_spanned_private_value",
];

/// The dotted path of every value of `Config`: `paths.include`, `license.columns.email`,
/// `exception.code`; a map's entries as `severity.*`.
fn config_keys() -> BTreeSet<String> {
    let keys = RefCell::new(BTreeSet::new());
    Config::deserialize(Probe {
        path: "",
        keys: Some(&keys),
    })
    .expect("the probe deserializes every key of Config");
    keys.into_inner()
}

/// A deserializer of any shape: a struct gets every field, a map one `*` entry, a list one
/// element, an option `Some`, an enum its first variant.
#[derive(Clone, Copy)]
struct Probe<'a> {
    path: &'a str,
    /// `None` for a map's key, whose path is not a key of the file.
    keys: Option<&'a RefCell<BTreeSet<String>>>,
}

// `path` is borrowed; children own theirs through `Owned`.
struct Owned<'a> {
    path: String,
    keys: Option<&'a RefCell<BTreeSet<String>>>,
}

impl<'a> Owned<'a> {
    fn probe(&self) -> Probe<'_> {
        Probe {
            path: &self.path,
            keys: self.keys,
        }
    }
}

impl Probe<'_> {
    fn child(&self, name: &str) -> Owned<'_> {
        Owned {
            path: if self.path.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", self.path)
            },
            keys: self.keys,
        }
    }

    fn leaf(&self) {
        if let Some(keys) = self.keys {
            keys.borrow_mut().insert(self.path.to_string());
        }
    }
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
        Err(de::Error::custom(format!(
            "`{}` has a type the probe does not know: teach it (src/config/documented.rs)",
            self.path
        )))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.leaf();
        v.visit_bool(false)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.leaf();
        v.visit_u64(0)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.leaf();
        v.visit_str("*")
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_seq(One {
            probe: self,
            done: false,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let entries = self.child("*");
        v.visit_map(Entry {
            value: entries,
            state: 0,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        if name == SPANNED {
            return v.visit_map(Spanned {
                probe: self,
                next: 0,
            });
        }
        v.visit_map(Fields {
            probe: self,
            fields,
            next: 0,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.leaf();
        let first: StrDeserializer<Error> = variants[0].into_deserializer();
        v.visit_enum(first)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u128 f32 f64 char bytes byte_buf unit unit_struct
        newtype_struct tuple tuple_struct identifier
    }
}

/// A list of one element.
struct One<'a> {
    probe: Probe<'a>,
    done: bool,
}

impl<'de> SeqAccess<'de> for One<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if std::mem::replace(&mut self.done, true) {
            return Ok(None);
        }
        seed.deserialize(self.probe).map(Some)
    }
}

/// A map of one entry, `*`.
struct Entry<'a> {
    value: Owned<'a>,
    state: u8,
}

impl<'de> MapAccess<'de> for Entry<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.state > 0 {
            return Ok(None);
        }
        self.state = 1;
        let key = Probe {
            path: "*",
            keys: None,
        };
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(self.value.probe())
    }
}

/// Every field of a struct.
struct Fields<'a> {
    probe: Probe<'a>,
    fields: &'static [&'static str],
    next: usize,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(name) = self.fields.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self.probe.child(self.fields[self.next - 1]);
        seed.deserialize(field.probe())
    }
}

/// A `toml::Spanned` value: a span of nothing around the probed value.
struct Spanned<'a> {
    probe: Probe<'a>,
    next: usize,
}

impl<'de> MapAccess<'de> for Spanned<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(name) = SPANNED_FIELDS.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        if self.next < SPANNED_FIELDS.len() {
            let zero: U64Deserializer<Error> = 0u64.into_deserializer();
            return seed.deserialize(zero);
        }
        seed.deserialize(self.probe)
    }
}

/// The dotted path of every value `text` (a `rolelint.toml`) sets; the entries of an array of
/// tables under the array's own path (`exception.code`).
fn documented_keys(text: &str) -> BTreeSet<String> {
    fn walk(table: &toml::Table, path: &str, out: &mut BTreeSet<String>) {
        for (key, value) in table {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match value {
                toml::Value::Table(t) => walk(t, &here, out),
                toml::Value::Array(a) if a.iter().all(toml::Value::is_table) && !a.is_empty() => {
                    for t in a.iter().filter_map(toml::Value::as_table) {
                        walk(t, &here, out);
                    }
                }
                _ => {
                    out.insert(here);
                }
            }
        }
    }
    let table: toml::Table = text.parse().expect("docs/configuration.toml is TOML");
    let mut out = BTreeSet::new();
    walk(&table, "", &mut out);
    out
}

/// The keys of `Config` that `text` does not set (a map, `severity.*`, needs one entry).
fn undocumented(text: &str) -> Vec<String> {
    let documented = documented_keys(text);
    config_keys()
        .into_iter()
        .filter(|key| match key.split_once(".*") {
            Some((map, _)) => !documented
                .iter()
                .any(|d| d.strip_prefix(map).is_some_and(|r| r.starts_with('.'))),
            None => !documented.contains(key),
        })
        .collect()
}

#[test]
fn the_probe_finds_every_kind_of_key() {
    let keys = config_keys();
    for key in [
        "paths.include",
        "policies.disable",
        "severity.*",
        "align.integrated-allows-ideation",
        "align.terminology.*",
        "jira.platform",
        "license.people",
        "license.full-seats",
        "license.columns.active",
        "limits.document-bytes",
        "exception.code",
        "exception.expires",
    ] {
        assert!(keys.contains(key), "{key} not in {keys:?}");
    }
}

#[test]
fn a_missing_optional_key_is_found() {
    let text = "[license]\npeople = \"p.csv\"\n";
    let missing = undocumented(text);
    for key in [
        "license.full-seats",
        "exception.expires",
        "severity.*",
        "paths.include",
    ] {
        assert!(missing.iter().any(|m| m == key), "{key}: {missing:?}");
    }
    assert!(
        !missing.iter().any(|m| m == "license.people"),
        "{missing:?}"
    );
}

#[test]
fn the_configuration_reference_documents_every_key() {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/configuration.toml");
    let text = std::fs::read_to_string(source).expect("docs/configuration.toml");
    let missing = undocumented(&text);
    assert!(
        missing.is_empty(),
        "docs/configuration.toml does not set (and describe) these keys of `Config`: {}",
        missing.join(", ")
    );
}
