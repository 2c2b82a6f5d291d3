//! The `align-catalogue` document as written, before validation (serde's view of it).
//!
//! `build.rs` includes this file to pre-parse the built-in catalogue at build time (a one-file
//! check then parses no catalogue TOML), so it may use nothing but `serde` and `toml`.
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCatalogue {
    pub kind: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub section: Vec<RawSection>,
    #[serde(default)]
    pub toggle: Vec<RawToggle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSection {
    pub name: Spanned<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawToggle {
    pub path: Spanned<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub subs: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// How sure the catalogue is of an entry (public sources are incomplete).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Certain,
    Inferred,
    Uncertain,
}
