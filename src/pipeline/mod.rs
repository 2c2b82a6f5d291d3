//! The pipeline every command shares: discover → load → resolve → evaluate (→ report).
use crate::config::Overrides;
use crate::config::{Config, FILE_NAME};
use crate::console::timing;
use crate::diagnostics::source::{FileId, SourceMap};
use crate::diagnostics::Diagnostic;
use crate::discover::{self, Candidate};
use crate::document::Document;
use crate::error::Fatal;
use crate::evaluate::policy::builtin;
use crate::evaluate::policy::set::Parts;
use crate::evaluate::{self, baseline::Baseline, RuleSet, Workspace};
use crate::load;
use crate::resolve;
use std::path::{Path, PathBuf};

mod judge_roles;
pub mod reuse;
use reuse::Roles;

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
    /// The judgement of each role file, when asked for ([`Roles::Record`]).
    pub recorded: Option<reuse::Recorded>,
    /// Role files whose judgement was taken from another run ([`Roles::Take`]).
    pub taken: usize,
    /// The run stopped short: a judgement it was to take could not be taken (the other run
    /// judged under other rules), so it holds nothing; read every file and run again.
    pub untaken: bool,
}

/// A `--baseline` file, read, and its path as the user wrote it.
pub struct Baselined {
    pub baseline: Baseline,
    pub shown: String,
}

/// Check files on disk, keeping what the run resolved (`why` and `license` read it).
pub fn check_paths(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    sources: SourceMap,
) -> Result<Run, Fatal> {
    let stages = Stages::Check(None, Roles::Judge, Resolved::Keep);
    on_disk(inputs, root, config, overrides, sources, stages)
}

/// Check files on disk for their findings alone: the role views and the Jira model are
/// dropped once the rules judged them (the run's [`Workspace`] holds neither), so what is
/// judged after, and the report, reuse their memory.
/// The findings `baseline` records are suppressed with the configuration's and the
/// documents' own suppressions.
pub fn check_paths_baselined(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    sources: SourceMap,
    baseline: Option<&Baselined>,
) -> Result<Run, Fatal> {
    let stages = Stages::Check(baseline, Roles::Judge, Resolved::Drop);
    on_disk(inputs, root, config, overrides, sources, stages)
}

/// [`check_paths_baselined`], keeping the judgement of each role file with its blob id,
/// for a run of the same rules over a git revision to take ([`reuse`]). What the run
/// resolved is dropped as there.
pub fn check_paths_recording(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    sources: SourceMap,
    baseline: Option<&Baselined>,
) -> Result<Run, Fatal> {
    let stages = Stages::Check(baseline, Roles::Record, Resolved::Drop);
    let sources = sources.hashing_blobs();
    on_disk(inputs, root, config, overrides, sources, stages)
}

/// [`check_repository`], keeping the judgement of each role file with its blob id, for
/// another run of the same rules to take ([`reuse`]).
pub fn check_repository_recording(
    root: &Path,
    config: Config,
    sources: SourceMap,
) -> Result<Run, Fatal> {
    let inputs = [root.to_path_buf()];
    let stages = Stages::Check(None, Roles::Record, Resolved::Keep);
    let sources = sources.hashing_blobs();
    on_disk(
        &inputs,
        root,
        config,
        &Overrides::default(),
        sources,
        stages,
    )
}

/// The resolved Jira model of the repository at `root` and nothing else: Jira Align roles
/// are not parsed and no rule judges anything, so `diagnostics` holds only what loading
/// and resolving the files found (`rolelint access` needs no more).
pub fn model_of_repository(root: &Path, config: Config, sources: SourceMap) -> Result<Run, Fatal> {
    let inputs = [root.to_path_buf()];
    on_disk(
        &inputs,
        root,
        config,
        &Overrides::default(),
        sources,
        Stages::Model,
    )
}

fn on_disk(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    mut sources: SourceMap,
    stages: Stages<'_>,
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
    let mut run = run(sources, &ids, config, overrides, Codes::Validate, stages)?;
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

/// A file of a git revision, for [`check_revision`].
pub enum RevisionFile {
    /// Its path, its bytes and their blob id.
    Read(String, Vec<u8>, Option<gix::ObjectId>),
    /// A path whose blob is the role file `FileId` another run recorded, not read.
    AsRecorded(String, FileId, gix::ObjectId),
}

/// What a run of a revision shares with another run of the same rules.
#[derive(Clone, Copy)]
pub enum Reuse<'a> {
    None,
    /// Record each role file's judgement ([`Run::recorded`]).
    Record,
    /// Take the judgements this run recorded of the files read [`RevisionFile::AsRecorded`].
    From(&'a Run),
}

/// Check files read elsewhere (a git revision), loaded exactly as the same files on disk
/// would be, under `overrides`, sharing role judgements with another run as `reuse` says.
/// `sources` holds the configuration, if any.
pub fn check_revision(
    files: Vec<RevisionFile>,
    config: Config,
    mut sources: SourceMap,
    overrides: &Overrides,
    reuse: Reuse<'_>,
) -> Result<Run, Fatal> {
    let mut checked = Vec::with_capacity(files.len());
    let mut as_recorded = Vec::new();
    let empty = SourceMap::new();
    let theirs = match reuse {
        Reuse::From(run) => &run.sources,
        _ => &empty,
    };
    let ids: Vec<FileId> = files
        .into_iter()
        .map(|file| match file {
            RevisionFile::Read(display, bytes, blob) => {
                checked.push(display.clone());
                match blob {
                    Some(blob) => sources.add_blob(display, bytes, blob),
                    None => sources.add_bytes(display, bytes),
                }
            }
            RevisionFile::AsRecorded(display, their_id, blob) => {
                checked.push(display.clone());
                let id = sources.add_same_as(display, theirs, their_id, blob);
                as_recorded.push(id);
                id
            }
        })
        .collect();
    let default = reuse::Recorded::default();
    let recorded = match reuse {
        Reuse::From(run) => run.recorded.as_ref().unwrap_or(&default),
        _ => &default,
    };
    let taking = reuse::Taking::new(recorded, theirs, as_recorded);
    let roles = match reuse {
        Reuse::None => Roles::Judge,
        Reuse::Record => Roles::Record,
        Reuse::From(_) => Roles::Take(&taking),
    };
    let stages = Stages::Check(None, roles, Resolved::Keep);
    let mut run = run(sources, &ids, config, overrides, Codes::Validate, stages)?;
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
    let mut run = match run(
        sources,
        &ids,
        config,
        overrides,
        Codes::Trusted,
        Stages::Check(None, Roles::Judge, Resolved::Keep),
    ) {
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
    let set = RuleSet::build(
        Parts::default(),
        Config::default(),
        &Overrides::default(),
        Vec::new,
        &mut Vec::new(),
    );
    let workspace = Workspace {
        set,
        jira: crate::jira::Model::default(),
        roles: Vec::new(),
    };
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
        recorded: None,
        taken: 0,
        untaken: false,
    }
}

/// Whether the rule codes the configuration and the command line write are checked against
/// the rule set (fatal when one names no rule), or come from rolelint itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codes {
    Validate,
    Trusted,
}

/// Whether a run returns what it resolved, the Jira model and the role views (`review`,
/// `why`, `access` and `license` read them), or drops each once the rules judged it
/// (`check`: what is judged after, and the report, then reuse its memory).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Keep,
    Drop,
}

/// How far a run goes.
#[derive(Clone, Copy)]
enum Stages<'a> {
    /// Every stage, then the findings a `--baseline` records are suppressed; role files
    /// judged, recorded or taken from another run ([`reuse`]); what it resolved kept or not.
    Check(Option<&'a Baselined>, Roles<'a>, Resolved),
    /// Up to the resolved Jira model: no role parsed, no rule run.
    Model,
}

/// load (every file read once, sorted by kind) → rule set (policies, catalogues,
/// configuration; codes validated) → roles parsed and judged one by one → Jira documents
/// parsed and resolved into the model → Jira rules → suppress → overrides → sort →
/// baseline. Findings go into one list, each moved there once.
fn run(
    mut sources: SourceMap,
    ids: &[FileId],
    config: Config,
    overrides: &Overrides,
    codes: Codes,
    stages: Stages<'_>,
) -> Result<Run, Fatal> {
    let (judge, baseline, roles_of, resolved) = match stages {
        Stages::Check(baseline, roles, resolved) => (true, baseline, roles, resolved),
        Stages::Model => (false, None, Roles::Judge, Resolved::Keep),
    };
    let builtins = builtin::register(&mut sources, builtin::POLICIES, builtin::ROLE_FILES);
    // Files whose judgement another run made are not read (unless it cannot be taken).
    let taking = match roles_of {
        Roles::Take(taking) => Some(taking),
        _ => None,
    };
    let to_load: Vec<FileId> = match taking {
        Some(t) => (ids.iter())
            .filter(|id| t.files.binary_search(id).is_err())
            .copied()
            .collect(),
        None => ids.to_vec(),
    };
    let loaded = load::load(&to_load, &sources)?;
    timing::lap("load");
    let load::Loaded {
        documents,
        document_files,
        roles,
        policies,
        jira,
        diagnostics: problems,
        mut pragma_files,
    } = loaded;
    if let Some(t) = taking {
        t.pragmas(&sources, &mut pragma_files);
    }
    let mut diagnostics = Vec::new();
    // The rule set, complete before anything is judged. A run of roles alone with nothing
    // naming rules (the pre-commit case) needs only the built-ins role checks use.
    let needs_all = !documents.is_empty()
        || !jira.is_empty()
        || !policies.is_empty()
        || !pragma_files.is_empty()
        || names_rules(&config, overrides);
    let mut parts = Parts::default();
    let needed = if needs_all {
        &builtins.all
    } else {
        &builtins.role
    };
    builtins.read(needed, &sources, &mut parts, &mut diagnostics);
    let policy_files: Vec<FileId> = policies.iter().map(|p| p.file).collect();
    for p in policies {
        let mut found = Vec::new();
        parts
            .policies
            .extend(evaluate::policy::parse(p.file, p.text(), &mut found));
        p.done(&sources, !found.is_empty(), true, std::iter::empty());
        diagnostics.extend(found);
    }
    // Catalogues; any other document here is of no kind the later stages read.
    parts
        .catalogues
        .extend(documents.into_iter().filter_map(|d| match d {
            Document::AlignCatalogue(c) => Some(c),
            _ => None,
        }));
    let capabilities = parts.take_capabilities();
    let named = || match pragma_files.is_empty() {
        true => Vec::new(),
        false => evaluate::suppress::named_codes(&sources, &pragma_files),
    };
    let set = RuleSet::build(parts, config, overrides, named, &mut diagnostics);
    timing::lap("rule set");
    // Codes naming no rule end the run before anything is judged.
    if codes == Codes::Validate {
        evaluate::config_check::check(&set, overrides, &sources)?;
    }
    // What role judgements follow from, when another run shares them.
    let inputs = match roles_of {
        Roles::Judge => None,
        Roles::Record | Roles::Take(_) => {
            let files = policy_files.iter().chain(&document_files).copied();
            reuse::RuleInputs::of(&set, &sources, files, needs_all)
        }
    };
    let roles = if judge { roles } else { Vec::new() };
    let judging = judge_roles::Judging {
        set: &set,
        sources: &sources,
        taking: taking.filter(|t| t.holds_under(inputs.as_ref())),
        record: matches!(roles_of, Roles::Record),
    };
    let taken_files = taking.map_or(&[][..], |t| &t.files);
    let judged = match judging.taking.is_some() || taken_files.is_empty() {
        true => judging.run(roles, taken_files, inputs),
        false => None,
    };
    // Judgements that cannot be taken (other rules) end the run here: its caller reads the
    // revision whole instead (the files not read are nowhere else to be read from).
    let Some((judged, recorded, taken)) = judged else {
        return Ok(Run {
            files_checked: ids.len(),
            sources,
            diagnostics: Vec::new(),
            checked: Vec::new(),
            workspace: Workspace {
                set,
                jira: crate::jira::Model::default(),
                roles: Vec::new(),
            },
            skipped: Vec::new(),
            stale_baseline: 0,
            recorded: None,
            taken: 0,
            untaken: true,
        });
    };
    let judged_len: usize = judged.iter().map(|(_, p, f)| p.len() + f.len()).sum();
    diagnostics.reserve_exact(problems.len() + judged_len);
    diagnostics.extend(problems);
    let mut views = Vec::with_capacity(judged.len());
    for (view, problems, findings) in judged {
        views.extend(view);
        diagnostics.extend(problems);
        diagnostics.extend(findings);
    }
    resolve::duplicate_roles(&views, &mut diagnostics);
    if resolved == Resolved::Drop {
        views = Vec::new();
    }
    timing::lap("roles");
    // The Jira documents parsed and joined into the model, which the Jira rules judge.
    let parsed = load::map_enough_owned(jira, |pending| {
        let parsed = pending.parse();
        // Jira rules span documents: where their findings point is known only later.
        pending.done(
            &sources,
            !parsed.diagnostics.is_empty(),
            parsed.document.is_some(),
            std::iter::empty(),
        );
        parsed
    });
    diagnostics.reserve(parsed.iter().map(|p| p.diagnostics.len()).sum());
    let mut documents = Vec::with_capacity(parsed.len());
    for p in parsed {
        diagnostics.extend(p.diagnostics);
        documents.extend(p.document);
    }
    let jira = resolve::model(
        documents,
        capabilities,
        set.config.jira.platform,
        &mut diagnostics,
    );
    timing::lap("jira model");
    if judge {
        evaluate::jira::evaluate(&set, &jira, &mut diagnostics);
        timing::lap("evaluate");
    }
    let jira = match resolved {
        Resolved::Keep => jira,
        Resolved::Drop => crate::jira::Model::default(),
    };
    // Without judging, every suppression would look unused.
    if judge {
        let today = evaluate::suppress::pragma::today();
        evaluate::suppress::apply(&mut diagnostics, &sources, &pragma_files, &set, &today);
    }
    timing::lap("suppressions");
    let mut diagnostics =
        evaluate::apply_overrides(diagnostics, &set.config, overrides, &set.known_rules);
    evaluate::supersede(&set, &mut diagnostics);
    timing::lap("overrides and supersedes");
    evaluate::sort(&mut diagnostics, &sources);
    let stale_baseline = match baseline {
        Some(b) => evaluate::baseline::apply(&b.baseline, &b.shown, &mut diagnostics, &sources),
        None => 0,
    };
    timing::lap("sort");
    Ok(Run {
        files_checked: ids.len(),
        sources,
        diagnostics,
        checked: Vec::new(),
        workspace: Workspace {
            set,
            jira,
            roles: views,
        },
        skipped: Vec::new(),
        stale_baseline,
        recorded,
        taken,
        untaken: false,
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
