//! `rolelint.toml`: found by walking up from the working directory, or given with `--config`.
//! Validated strictly: unknown keys are errors with a did-you-mean, pointing at the span.
use crate::diagnostic::{Diagnostic, Severity};
use crate::document;
use crate::error::Fatal;
use crate::source::{FileId, SourceMap};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "rolelint.toml";

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub paths: Paths,
    #[serde(default)]
    pub policies: Policies,
    /// rule code or name → `error` | `warning` | `info` | `off`
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub jira: Jira,
    #[serde(default)]
    pub license: License,
    #[serde(default)]
    pub exception: Vec<Spanned<Exception>>,
    /// Where the file was found; `None` when running on defaults.
    #[serde(skip)]
    pub origin: Option<(FileId, PathBuf)>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Paths {
    #[serde(default = "default_include")]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

impl Default for Paths {
    fn default() -> Self {
        Self {
            include: default_include(),
            exclude: Vec::new(),
        }
    }
}

fn default_include() -> Vec<Spanned<String>> {
    vec![Spanned::new(0..0, "**/*.toml".to_string())]
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policies {
    /// Globs of the repository's own policy (and catalogue) files.
    #[serde(default)]
    pub extra: Vec<Spanned<String>>,
    /// Codes or names of rules to switch off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Align {
    /// Roles treated as integrated whatever they declare.
    #[serde(default)]
    pub integrated_roles: Vec<Spanned<String>>,
    /// Sources disagree whether Ideation is allowed for integrated users: off unless set.
    #[serde(default)]
    pub integrated_allows_ideation: bool,
    /// Level names as renamed in Jira Align's terminology settings → canonical names.
    #[serde(default)]
    pub terminology: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize, Default, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    #[default]
    Cloud,
    DataCenter,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Jira {
    #[serde(default)]
    pub platform: Platform,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct License {
    #[serde(default)]
    pub people: Option<Spanned<String>>,
    #[serde(default)]
    pub full_seats: Option<u64>,
    #[serde(default = "four")]
    pub integrated_per_full: u64,
    #[serde(default = "atlassian")]
    pub exclude_domains: Vec<String>,
    #[serde(default)]
    pub service_accounts: Vec<String>,
    #[serde(default)]
    pub columns: Columns,
}

impl Default for License {
    fn default() -> Self {
        Self {
            people: None,
            full_seats: None,
            integrated_per_full: four(),
            exclude_domains: atlassian(),
            service_accounts: Vec::new(),
            columns: Columns::default(),
        }
    }
}

fn four() -> u64 {
    4
}

fn atlassian() -> Vec<String> {
    vec!["atlassian.com".to_string()]
}

/// Header names of the People export, when they differ from the defaults.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Columns {
    #[serde(default)]
    pub email: Vec<String>,
    #[serde(default)]
    pub role: Vec<String>,
    /// `[]` means the export has no active column: every row counts as active.
    #[serde(default)]
    pub active: Option<Vec<String>>,
    #[serde(default)]
    pub active_values: Vec<String>,
    #[serde(default)]
    pub inactive_values: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exception {
    pub code: Spanned<String>,
    pub path: Spanned<String>,
    #[serde(default)]
    pub reason: Option<Spanned<String>>,
    #[serde(default)]
    pub expires: Option<Spanned<String>>,
}

impl Config {
    /// The directory documents are relative to: where `rolelint.toml` lives.
    pub fn root(&self) -> Option<&Path> {
        self.origin.as_ref().and_then(|(_, p)| p.parent())
    }

    pub fn file(&self) -> Option<FileId> {
        self.origin.as_ref().map(|(id, _)| *id)
    }

    /// Severity override for a rule, by code or name.
    pub fn severity_for(&self, code: &str, name: &str) -> Option<Option<Severity>> {
        self.severity
            .iter()
            .find(|(k, _)| k.get_ref().eq_ignore_ascii_case(code) || k.get_ref() == name)
            .map(|(_, v)| Severity::parse(v.get_ref()))
    }
}

/// Walk up from `start` to the first directory holding `rolelint.toml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Read and validate a configuration file; problems are fatal (exit 2) but point at their span.
pub fn load(path: &Path, sources: &mut SourceMap) -> Result<Config, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| {
        Fatal::msg(format!(
            "cannot read configuration `{}`: {e}",
            path.display()
        ))
    })?;
    parse(path, bytes, sources)
}

/// Validate a configuration read elsewhere (from a git revision): `path` is where it
/// would be on disk, for messages and the file name shown.
pub fn parse(path: &Path, bytes: Vec<u8>, sources: &mut SourceMap) -> Result<Config, Fatal> {
    let text = String::from_utf8(bytes).map_err(|_| {
        Fatal::msg(format!(
            "configuration `{}` is not valid UTF-8",
            path.display()
        ))
    })?;
    // Documents are shown relative to the root, the directory holding this file.
    let display = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file = sources.add_text(display, text.clone());
    let mut diags = Vec::new();
    let table = toml::de::DeTable::parse(&text)
        .map_err(|e| Fatal::config(&document::syntax_error(file, &text, &e), sources))?;
    let mut config: Config = document::deserialize(file, FILE_NAME, table, &mut diags)
        .ok_or_else(|| first_error(&mut diags, sources))?;
    config.origin = Some((file, path.to_path_buf()));
    validate(&config, file, &mut diags);
    if diags.is_empty() {
        Ok(config)
    } else {
        Err(first_error(&mut diags, sources))
    }
}

fn first_error(diags: &mut Vec<Diagnostic>, sources: &SourceMap) -> Fatal {
    match diags.drain(..).next() {
        Some(d) => Fatal::config(&d, sources),
        None => Fatal::msg("invalid configuration"),
    }
}

/// Semantic checks serde cannot do: severity levels and glob syntax.
fn validate(config: &Config, file: FileId, diags: &mut Vec<Diagnostic>) {
    use crate::checks::INVALID_VALUE;
    for (key, level) in &config.severity {
        if !matches!(
            level.get_ref().as_str(),
            "error" | "warning" | "info" | "off"
        ) {
            diags.push(
                INVALID_VALUE
                    .at(
                        file,
                        level.span(),
                        format!("invalid severity for `{}`", key.get_ref()),
                    )
                    .with_label("expected `error`, `warning`, `info` or `off`"),
            );
        }
    }
    for e in &config.exception {
        if let Some(d) = &e.get_ref().expires {
            if !crate::suppress::pragma::is_date(d.get_ref()) {
                diags.push(
                    INVALID_VALUE
                        .at(file, d.span(), "invalid `expires` date")
                        .with_label("expected a date written `YYYY-MM-DD`"),
                );
            }
        }
    }
    let globs = config
        .paths
        .include
        .iter()
        .chain(&config.paths.exclude)
        .chain(&config.policies.extra)
        .chain(config.exception.iter().map(|e| &e.get_ref().path));
    for g in globs {
        if let Err(e) = glob::Pattern::new(g.get_ref()) {
            diags.push(
                INVALID_VALUE
                    .at(file, g.span(), "invalid glob pattern")
                    .with_label(e.msg.to_string()),
            );
        }
    }
}
