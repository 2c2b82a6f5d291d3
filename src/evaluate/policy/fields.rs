//! The keys a serde struct accepts, read from its derived `Deserialize` (the list serde
//! itself checks `deny_unknown_fields` against), so no hand-kept copy can drift from it.
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The field names `T` deserialises, as written in documents (after renames); empty for a
/// type that is not a struct.
pub fn of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields = None;
    // The probe stops at the first call; the error it returns is expected and dropped.
    let _ = T::deserialize(Probe(&mut fields));
    fields.unwrap_or(&[])
}

struct Probe<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("fields read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code)]
    struct Two {
        max_projects: u32,
        #[serde(rename = "type")]
        kind: String,
    }

    #[test]
    fn reads_the_names_documents_use() {
        assert_eq!(super::of::<Two>(), ["max-projects", "type"]);
        assert!(super::of::<String>().is_empty());
    }
}
