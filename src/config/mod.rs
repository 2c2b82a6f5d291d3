//! `rolelint.toml`: found by walking up from the working directory, or given with `--config`.
//! Validated strictly: unknown keys are errors with a did-you-mean, pointing at the span.
pub mod date;
#[cfg(test)]
mod documented;
mod overrides;
pub mod show;

use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::{Diagnostic, Severity};
use crate::document;
use crate::error::Fatal;
use crate::fsio::read::{self, ReadError};
pub use overrides::Overrides;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "rolelint.toml";

#[derive(Deserialize, Default, Debug, Clone)]
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
    #[serde(default)]
    pub limits: Limits,
    /// Where the file was found; `None` when running on defaults.
    #[serde(skip)]
    pub origin: Option<(FileId, PathBuf)>,
    /// Chosen with `--config`: it applies to every path of the run, even below another
    /// `rolelint.toml`.
    #[serde(skip)]
    pub chosen: bool,
}

#[derive(Deserialize, Debug, Clone)]
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

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policies {
    /// Globs of the repository's own policy (and catalogue) files.
    #[serde(default)]
    pub extra: Vec<Spanned<String>>,
    /// Codes or names of rules to switch off.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default, Debug, Clone)]
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

/// Size limits for reads, in bytes, where a repository could need more than the defaults.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// Largest document read (default [`read::DOCUMENT_LIMIT`]).
    #[serde(default)]
    pub document_bytes: Option<u64>,
    /// Largest People export read (default [`read::PEOPLE_LIMIT`]).
    #[serde(default)]
    pub people_bytes: Option<u64>,
}

impl Limits {
    pub fn document(&self) -> u64 {
        self.document_bytes.unwrap_or(read::DOCUMENT_LIMIT)
    }

    pub fn people(&self) -> u64 {
        self.people_bytes.unwrap_or(read::PEOPLE_LIMIT)
    }
}

#[derive(Deserialize, Default, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    #[default]
    Cloud,
    DataCenter,
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Jira {
    #[serde(default)]
    pub platform: Platform,
}

#[derive(Deserialize, Debug, Clone)]
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
#[derive(Deserialize, Default, Debug, Clone)]
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

    /// Severity override for a rule, by code or name, else by its rule type (an entry naming
    /// the rule wins over one naming its type).
    pub fn severity_for(
        &self,
        code: &str,
        name: &str,
        rule_type: &str,
    ) -> Option<Option<Severity>> {
        let by = |hit: &dyn Fn(&str) -> bool| {
            self.severity
                .iter()
                .find(|(k, _)| hit(k.get_ref()))
                .map(|(_, v)| Severity::parse(v.get_ref()))
        };
        by(&|k| k.eq_ignore_ascii_case(code) || k == name).or_else(|| by(&|k| k == rule_type))
    }
}

/// Walk up from `start` to the first directory holding `rolelint.toml`. Whatever that
/// entry is (a FIFO, a directory, a link leading nowhere) it is the configuration: reading
/// it then fails closed rather than skipping to a configuration further up.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.symlink_metadata().is_ok())
}

/// The configuration a run uses when `--config` is not given: the nearest `rolelint.toml`
/// at or above every checked path (ruff and cargo do the same), or above `cwd` when no path
/// is given. `Ok(None)`: no configuration anywhere above, built-in defaults.
///
/// One run is one repository: documents are joined across files (boards → projects →
/// schemes), shown relative to one root, and matched against one set of exceptions and one
/// baseline. Paths under two different configurations are refused with one sentence rather
/// than checked under the wrong one.
pub fn locate(cwd: &Path, inputs: &[PathBuf]) -> Result<Option<PathBuf>, Fatal> {
    if inputs.is_empty() {
        return Ok(discover(cwd));
    }
    let mut chosen: Option<(&PathBuf, Option<PathBuf>, Option<PathBuf>)> = None;
    for input in inputs {
        let absolute = cwd.join(input);
        // `..` and symbolic links are resolved first: `repo/sub/..` lies under `repo`'s parent.
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        let start = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent().unwrap_or(&absolute)
        };
        let found = discover(start);
        let key = found
            .as_ref()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
        match &chosen {
            None => chosen = Some((input, found, key)),
            Some((first, first_found, first_key)) if *first_key != key => {
                let describe = |input: &Path, found: &Option<PathBuf>| match found {
                    Some(p) => format!("`{}` uses `{}`", input.display(), shown(cwd, p)),
                    None => format!("`{}` is under no `{FILE_NAME}`", input.display()),
                };
                return Err(Fatal::msg(format!(
                    "the paths checked belong to different configurations ({}, {}): check them in separate runs, or choose one with `--config`",
                    describe(first, first_found),
                    describe(input, &found)
                )));
            }
            Some(_) => {}
        }
    }
    Ok(chosen.and_then(|(_, found, _)| found))
}

/// A path as the user would write it from `cwd`: relative when below it.
pub fn shown(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// Read and validate a configuration file; problems are fatal (exit 2) but point at their span.
pub fn load(path: &Path, sources: &mut SourceMap) -> Result<Config, Fatal> {
    let shown = crate::inert::bounded(&crate::fsio::name::display(path), 200).into_owned();
    let bytes = read::named(path, read::CONFIG_LIMIT).map_err(|e| {
        let e = match e {
            ReadError::Missing if crate::fsio::boundary::is_link(path) => {
                ReadError::Refused(read::Refusal::Dangling)
            }
            e => e,
        };
        Fatal::msg(format!("configuration file `{shown}` {e}"))
    })?;
    parse(path, bytes, sources)
}

/// Validate a configuration read elsewhere (from a git revision): `path` is where it
/// would be on disk, for messages and the file name shown.
pub fn parse(path: &Path, bytes: Vec<u8>, sources: &mut SourceMap) -> Result<Config, Fatal> {
    let shown = crate::inert::bounded(&crate::fsio::name::display(path), 200).into_owned();
    let text = String::from_utf8(bytes)
        .map_err(|_| Fatal::msg(format!("configuration file `{shown}` is not valid UTF-8")))?;
    // Documents are shown relative to the root, the directory holding this file.
    let display = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file = sources.add_text(display, text.clone());
    let mut diags = Vec::new();
    let table = toml::de::DeTable::parse(&text).map_err(|e| {
        crate::diagnostics::fatal::config(&document::syntax_error(file, &text, &e), sources)
    })?;
    // Two phases, like documents: every error of the file is reported, not only the first.
    let (config, phase) =
        document::collect::deserialize::<Config>(file, FILE_NAME, table, &mut diags);
    let mut config = config.filter(|_| phase.validate_rest());
    if let Some(config) = &config {
        let mut found = Vec::new();
        validate(config, file, &mut found);
        diags.extend(found.into_iter().filter(|d| phase.keeps(d)));
    }
    match config.as_mut() {
        Some(config) if diags.is_empty() => {
            config.origin = Some((file, path.to_path_buf()));
        }
        _ => return Err(crate::diagnostics::fatal::configs(&diags, sources)),
    }
    config.ok_or_else(|| Fatal::msg("invalid configuration"))
}

/// Semantic checks serde cannot do: severity levels and glob syntax.
fn validate(config: &Config, file: FileId, diags: &mut Vec<Diagnostic>) {
    use crate::diagnostics::says;
    for (key, level) in &config.severity {
        if !matches!(
            level.get_ref().as_str(),
            "error" | "warning" | "info" | "off"
        ) {
            let rule = key.get_ref();
            diags.push(says::InvalidSeverityLevel { rule }.at(file, level.span()));
        }
    }
    for e in &config.exception {
        if let Some(d) = &e.get_ref().expires {
            if !date::is_date(d.get_ref()) {
                diags.push(says::InvalidExpiresDate.at(file, d.span()));
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
            diags.push(says::InvalidGlob { reason: e.msg }.at(file, g.span()));
        }
    }
}
