//! The pipeline every command shares: discover → load → resolve → evaluate (→ report).
use crate::config::Overrides;
use crate::config::{Config, FILE_NAME};
use crate::console::timing;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::discover::{self, Candidate};
use crate::document::Document;
use crate::error::Fatal;
use crate::evaluate::{self, baseline::Baseline};
use crate::load;
use crate::resolve::{self, RoleView, Workspace};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The outcome of a check run.
pub struct Run {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    /// Repository documents checked (not counting built-ins).
    pub files_checked: usize,
    /// Display paths of the repository documents checked, sorted.
    pub checked: Vec<String>,
    pub workspace: Workspace,
    /// Non-fatal notes from discovery, e.g. skipped symlink loops.
    pub skipped: Vec<String>,
    /// Entries of the `--baseline` file that matched no finding.
    pub stale_baseline: usize,
}

/// A `--baseline` file, read, and its path as the user wrote it.
pub struct Baselined {
    pub baseline: Baseline,
    pub shown: String,
}

/// Check files on disk.
pub fn check_paths(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    sources: SourceMap,
) -> Result<Run, Fatal> {
    check_paths_baselined(inputs, root, config, overrides, sources, None)
}

/// Check files on disk; the findings `baseline` records are suppressed with the
/// configuration's and the documents' own suppressions.
pub fn check_paths_baselined(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    mut sources: SourceMap,
    baseline: Option<&Baselined>,
) -> Result<Run, Fatal> {
    timing::start();
    let (mut candidates, mut skipped) = discover::discover(inputs, root, &config)?;
    let (extra, loops) = extra_policies(root, &config)?;
    skipped.extend(loops);
    if !extra.is_empty() {
        candidates.extend(extra);
        candidates.sort_unstable();
        candidates.dedup_by(|a, b| a.display == b.display);
    }
    timing::lap("discover");
    let checked = candidates.iter().map(|c| c.display.clone()).collect();
    sources.set_document_limit(config.limits.document());
    let ids: Vec<FileId> = candidates
        .into_iter()
        .map(|c| match c.refused {
            Some(why) => sources.add_refused(c.display, why),
            None => sources.add_disk(c.path, c.display),
        })
        .collect();
    let mut run = run(sources, &ids, config, overrides, Codes::Validate, baseline)?;
    run.skipped = skipped;
    run.checked = checked;
    Ok(run)
}

/// Check the whole repository at `root` with no command-line overrides: what `why` and
/// `license` need before they answer their own question.
pub fn check_repository(root: &Path, config: Config, sources: SourceMap) -> Result<Run, Fatal> {
    check_paths(
        std::slice::from_ref(&root.to_path_buf()),
        root,
        config,
        &Overrides::default(),
        sources,
    )
}

/// Check files read elsewhere (a git revision): `(display path, bytes)`, loaded exactly as
/// the same files on disk would be, under `overrides`. `sources` holds the
/// configuration, if any.
pub fn check_blobs(
    files: Vec<(String, Vec<u8>)>,
    config: Config,
    mut sources: SourceMap,
    overrides: &Overrides,
) -> Result<Run, Fatal> {
    let mut checked = Vec::with_capacity(files.len());
    let ids: Vec<FileId> = files
        .into_iter()
        .map(|(display, bytes)| {
            checked.push(display.clone());
            sources.add_bytes(display, bytes)
        })
        .collect();
    let mut run = run(sources, &ids, config, overrides, Codes::Validate, None)?;
    checked.sort();
    run.checked = checked;
    Ok(run)
}

/// Check documents given as text (rule examples, policy tests).
pub fn check_texts(docs: &[(String, String)], config: Config, overrides: &Overrides) -> Run {
    let mut sources = SourceMap::new();
    let ids: Vec<FileId> = docs
        .iter()
        .map(|(name, text)| sources.add_text(name.clone(), text.clone()))
        .collect();
    // In-memory documents cannot be unreadable, so loading cannot fail.
    let mut run = match run(sources, &ids, config, overrides, Codes::Trusted, None) {
        Ok(run) => run,
        Err(e) => unreachable_run(e),
    };
    run.checked = docs.iter().map(|(name, _)| name.clone()).collect();
    run.checked.sort();
    run
}

/// Loading in-memory text has no I/O to fail; should it ever, say so rather than panic.
fn unreachable_run(e: Fatal) -> Run {
    let mut sources = SourceMap::new();
    let id = sources.add_text("<memory>", e.to_string());
    let config = Config::default();
    let workspace = Workspace::prepare(Vec::new(), config, &mut Vec::new());
    let reason = e.to_string();
    let d = crate::diagnostics::says::NotLoaded { reason: &reason }.at(id, 0..0);
    Run {
        sources,
        diagnostics: vec![d],
        files_checked: 0,
        checked: Vec::new(),
        workspace,
        skipped: Vec::new(),
        stale_baseline: 0,
    }
}

/// Whether the rule codes the configuration and the command line write are checked against
/// the rule set (fatal when one names no rule), or come from rolelint itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codes {
    Validate,
    Trusted,
}

/// load (evaluating roles as they come) → rule codes validated → resolve → evaluate →
/// suppress → overrides → sort → baseline.
fn run(
    mut sources: SourceMap,
    ids: &[FileId],
    config: Config,
    overrides: &Overrides,
    codes: Codes,
    baseline: Option<&Baselined>,
) -> Result<Run, Fatal> {
    let builtins = load::register_builtins(
        &mut sources,
        crate::evaluate::policy::builtin::POLICIES,
        crate::evaluate::policy::builtin::ROLE_FILES,
    );
    let mut diagnostics = Vec::new();
    let mut prepared = Vec::new();
    let docs = builtins.parse(&builtins.role, &sources, &mut diagnostics);
    let mut ws = Workspace::prepare(docs, config, &mut prepared);
    ws.skip_rules(overrides);
    // Each role is evaluated as soon as it is parsed, so ten thousand toggle trees never
    // sit in memory together; the other documents wait for the whole repository.
    let done = load::map_enough(ids, |&id| {
        let mut file = load::read(id, &sources)?;
        let outcome = match file.document.take() {
            Some(Document::AlignRole(role)) => {
                let view = ws.view(&role);
                let findings = evaluate::check_role(&ws, &role, &view);
                load::Outcome::Role(view, findings)
            }
            Some(doc) => load::Outcome::Document(Box::new(doc)),
            None => load::Outcome::Nothing,
        };
        Ok(file.done(id, &sources, outcome))
    });
    let loaded = load::collect(done, ids, &sources)?;
    timing::lap("load and check roles");
    // The repository's own policies and catalogue entries, if any (rare: no copy otherwise).
    let (shaping, others): (Vec<Document>, Vec<Document>) =
        if loaded.documents.iter().any(resolve::shapes_role_checks) {
            loaded
                .documents
                .into_iter()
                .partition(resolve::shapes_role_checks)
        } else {
            (Vec::new(), loaded.documents)
        };
    let needs_all = !shaping.is_empty()
        || !others.is_empty()
        || !loaded.pragma_files.is_empty()
        || names_rules(&ws.config, overrides);
    let (mut workspace, role_findings) = if !needs_all {
        (ws, loaded.role_findings)
    } else {
        // Jira documents need the Jira policies; codes written anywhere are validated
        // against every rule; and the repository's own policies or catalogue entries
        // change what role checks see (only repositories with such files pay for this).
        let mut recheck = !shaping.is_empty();
        let mut docs = builtins.parse(&builtins.all, &sources, &mut Vec::new());
        docs.extend(shaping);
        prepared.clear();
        let mut ws = Workspace::prepare(docs, ws.config, &mut prepared);
        ws.skip_rules(overrides);
        // Rules that inline suppressions name run even when not shown; a role rule among
        // them means the roles are checked again (rare: a deselected rule's suppression).
        if ws.skips_any() && !loaded.pragma_files.is_empty() {
            let named = crate::evaluate::suppress::named_codes(&sources, &loaded.pragma_files);
            recheck |= ws.run_named(&named);
        }
        let findings = if recheck {
            recheck_roles(&ws, &loaded.roles, &sources)
        } else {
            loaded.role_findings
        };
        (ws, findings)
    };
    timing::lap("prepare");
    // The rule set is complete: codes naming no rule end the run before anything is
    // evaluated.
    if codes == Codes::Validate {
        crate::evaluate::config_check::check(&workspace, overrides, &sources)?;
    }
    let mut joined = Vec::new();
    workspace.finish(others, loaded.roles, &mut joined);
    timing::lap("resolve");
    let evaluated = evaluate::evaluate(&workspace, !overrides.without_notes);
    timing::lap("evaluate");
    // Every finding moved once into one allocation: thousands, hundreds of bytes each.
    let parts = [
        diagnostics,
        prepared,
        loaded.diagnostics,
        joined,
        role_findings,
        evaluated,
    ];
    let mut diagnostics = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        diagnostics.extend(part);
    }
    let today = crate::evaluate::suppress::pragma::today();
    crate::evaluate::suppress::apply(
        &mut diagnostics,
        &sources,
        &loaded.pragma_files,
        &workspace,
        &today,
    );
    let mut diagnostics = evaluate::apply_overrides(
        diagnostics,
        &workspace.config,
        overrides,
        &workspace.known_rules,
    );
    evaluate::supersede(&workspace, &mut diagnostics);
    evaluate::sort(&mut diagnostics, &sources);
    let stale_baseline = match baseline {
        Some(b) => evaluate::baseline::apply(&b.baseline, &b.shown, &mut diagnostics, &sources),
        None => 0,
    };
    timing::lap("suppress and sort");
    Ok(Run {
        files_checked: ids.len(),
        sources,
        diagnostics,
        checked: Vec::new(),
        workspace,
        skipped: Vec::new(),
        stale_baseline,
    })
}

/// Does the configuration or the command line name rules (so every code must be known)?
fn names_rules(config: &Config, overrides: &Overrides) -> bool {
    !config.severity.is_empty()
        || !config.policies.disable.is_empty()
        || !config.exception.is_empty()
        || !overrides.select.is_empty()
        || !overrides.ignore.is_empty()
        || !overrides.severity.is_empty()
}

/// Parse the role files again and check them under a workspace that now includes the
/// repository's policies and catalogue entries.
fn recheck_roles(ws: &Workspace, roles: &[RoleView], sources: &SourceMap) -> Vec<Diagnostic> {
    roles
        .par_iter()
        .flat_map_iter(|view| {
            let parsed = match sources.bytes(view.file) {
                Ok(bytes) => load::parse_bytes(view.file, bytes).0,
                Err(_) => return Vec::new(), // it was readable a moment ago; nothing to add
            };
            match parsed.document {
                Some(Document::AlignRole(role)) => evaluate::check_role(ws, &role, &ws.view(&role)),
                _ => Vec::new(),
            }
        })
        .collect()
}

/// Files named by `[policies] extra`, relative to the repository root. A pattern written
/// as an absolute path or climbing out with `..` is refused (exit 2); each is walked from
/// its literal start within the repository boundary, so links leading outside or nowhere
/// are reported rather than followed, and link loops end.
pub fn extra_policies(
    root: &Path,
    config: &Config,
) -> Result<(Vec<Candidate>, discover::Skipped), Fatal> {
    let mut skipped = Vec::new();
    if config.policies.extra.is_empty() {
        return Ok((Vec::new(), skipped));
    }
    let boundary = crate::fsio::Root::new(root).map_err(|e| {
        Fatal::msg(format!(
            "cannot read the repository root: {}",
            crate::fsio::read::ReadError::from(e)
        ))
    })?;
    let mut out = Vec::new();
    for pattern in &config.policies.extra {
        let written = pattern.get_ref();
        let shown = crate::inert::bounded(written, 200);
        let refuse = || {
            Fatal::msg(format!(
                "`[policies] extra` pattern `{shown}` leads outside the repository: write it relative to the directory of rolelint.toml, without `..`"
            ))
        };
        let written = written.strip_prefix("./").unwrap_or(written);
        let (start, depth) = literal_start(written);
        let start_dir = boundary.configured(&start).ok_or_else(refuse)?;
        if boundary.configured(written).is_none() {
            return Err(refuse());
        }
        let matcher = crate::discover::matcher::Matcher::new(written, discover::MATCH_OPTIONS)
            .map_err(|e| {
                Fatal::msg(format!(
                    "invalid `[policies] extra` pattern `{shown}`: {}",
                    e.msg
                ))
            })?;
        // The literal start itself may be a link: it must stay inside too.
        match boundary.resolve(&start_dir) {
            crate::fsio::boundary::Resolved::Inside(_) => {}
            crate::fsio::boundary::Resolved::Outside => return Err(refuse()),
            crate::fsio::boundary::Resolved::Missing => continue,
        }
        let prefix = start.trim_end_matches('/');
        let display_of = |p: &Path| {
            let rel = p.strip_prefix(&start_dir).unwrap_or(p);
            let rel = crate::fsio::name::display(rel);
            match (prefix.is_empty(), rel.is_empty()) {
                (true, _) => rel.into_owned(),
                (false, true) => prefix.to_string(),
                (false, false) => format!("{prefix}/{rel}"),
            }
        };
        let each = |w: crate::fsio::boundary::Walked| {
            use crate::fsio::boundary::Walked;
            match w {
                // The configuration is never a policy, whatever the pattern says.
                Walked::File { path, .. } if path.file_name() == Some(FILE_NAME.as_ref()) => {}
                Walked::File { path, target } => {
                    let display = display_of(&path);
                    if matcher.matches(&display) {
                        out.push(Candidate::file(display, target.unwrap_or(path)));
                    }
                }
                Walked::Refused { path, why, dir } => {
                    let display = display_of(&path);
                    if !dir && matcher.matches(&display) {
                        out.push(Candidate {
                            display,
                            path,
                            refused: Some(why),
                        });
                    }
                }
                Walked::Loop(at) => skipped.push(format!(
                    "skipped symlink loop at `{}`",
                    crate::inert::escape(&crate::fsio::name::display(&at))
                )),
            }
        };
        boundary
            .walk(&start_dir, depth, |_| true, each)
            .map_err(|(at, e)| {
                Fatal::msg(format!(
                    "`{}` {}",
                    crate::inert::bounded(&crate::fsio::name::display(&at), 200),
                    crate::fsio::read::ReadError::from(e)
                ))
            })?;
    }
    Ok((out, skipped))
}

/// The directory a pattern's literal part names (`policies/` for `policies/*.toml`, empty
/// for `**/x.toml`) and how deep below it a match can lie (unbounded with `**`).
fn literal_start(pattern: &str) -> (String, usize) {
    let parts: Vec<&str> = pattern.split('/').collect();
    let literal = parts
        .iter()
        .take_while(|p| !p.contains(['*', '?', '[', ']', '{', '}', '!']))
        .count()
        .min(parts.len().saturating_sub(1));
    let start = parts[..literal].join("/");
    let depth = if parts[literal..].contains(&"**") {
        usize::MAX
    } else {
        parts.len() - literal
    };
    (start, depth)
}

#[cfg(test)]
mod tests;
