//! Reading well-formed tables straight from `toml`'s parsed `DeTable`, as serde would read
//! them, for the document kinds a repository has thousands of. Each reader returns `None`
//! for anything unusual, and the caller falls back to serde for the exact diagnostic.
use toml::de::DeValue;
use toml::Spanned;

/// The keys the readers share: `kind`, `name` (both required) and `description`.
#[derive(Default)]
pub struct Common {
    pub kind: Option<String>,
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
}

impl Common {
    /// Take a shared key: `Some(true)` when `key` was one (and well-formed), `Some(false)`
    /// when it is the reader's own, `None` when its value is malformed.
    pub fn take(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<bool> {
        match key {
            "kind" => self.kind = Some(string(value)?.into_inner()),
            "name" => self.name = Some(string(value)?),
            "description" => self.description = Some(string(value)?.into_inner()),
            _ => return Some(false),
        }
        Some(true)
    }
}

/// A string value with its span.
pub fn string(v: &Spanned<DeValue<'_>>) -> Option<Spanned<String>> {
    match v.get_ref() {
        DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
        _ => None,
    }
}

/// An array of strings, each with its span.
pub fn strings(v: &Spanned<DeValue<'_>>) -> Option<Vec<Spanned<String>>> {
    match v.get_ref() {
        DeValue::Array(items) => items.iter().map(string).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// The table readers read every document they accept exactly as serde does (values,
    /// spans, order, diagnostics), over every document in the fixtures and examples.
    #[test]
    fn table_readers_agree_with_serde() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut accepted, mut declined) = (0, 0);
        for dir in ["tests/fixtures", "examples"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                let read =
                    crate::fsio::read::walked(entry.path(), crate::fsio::read::DOCUMENT_LIMIT);
                let Some(text) = read.ok().and_then(|b| String::from_utf8(b).ok()) else {
                    continue;
                };
                match crate::fuzzing::assert_fast_paths(&text) {
                    0 => declined += 1,
                    n => accepted += n,
                }
            }
        }
        assert!(
            accepted > 60 && declined > 0,
            "accepted {accepted}, declined {declined}"
        );
    }
}
