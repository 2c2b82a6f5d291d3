//! Reading well-formed tables straight from `toml`'s parsed `DeTable`, as serde would read
//! them, for the document kinds a repository has thousands of. Each reader returns `None`
//! for anything unusual, and the caller falls back to serde for the exact diagnostic.
use crate::diagnostics::source::FileId;
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

/// For the fuzz targets and the test below: every document the table readers accept (this module's readers) reads exactly
/// as serde reads it: same values, spans, order and diagnostics. Returns how many of the
/// readers accepted the text.
pub fn assert_fast_paths(text: &str) -> usize {
    use super::{align_role, permission_scheme};
    let mut accepted = 0;
    accepted += agrees(
        text,
        "align-role",
        align_role::RawAlignRole::from_table,
        align_role::validate,
    );
    accepted += agrees(
        text,
        "jira-permission-scheme",
        permission_scheme::RawScheme::from_table,
        permission_scheme::validate,
    );
    accepted
}

fn agrees<R: serde::de::DeserializeOwned, D: std::fmt::Debug>(
    text: &str,
    what: &str,
    from_table: fn(&toml::de::DeTable<'_>) -> Option<R>,
    validate: fn(FileId, R, &mut Vec<crate::diagnostics::Diagnostic>) -> Option<D>,
) -> usize {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return 0;
    };
    let Some(fast) = from_table(table.get_ref()) else {
        return 0;
    };
    let by_serde: Option<R> = super::deserialize(FileId(0), what, table, &mut Vec::new());
    let by_serde = by_serde.expect("serde accepts what the table reader accepts");
    let (mut d1, mut d2) = (Vec::new(), Vec::new());
    let a = format!("{:?}", validate(FileId(0), fast, &mut d1));
    let b = format!("{:?}", validate(FileId(0), by_serde, &mut d2));
    assert_eq!(a, b, "{what}");
    assert_eq!(format!("{d1:?}"), format!("{d2:?}"), "{what}");
    1
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
                match super::assert_fast_paths(&text) {
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
