//! The pipeline every command shares: discover → load → resolve → evaluate (→ report).
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Candidate};
use crate::engine::{self, Overrides};
use crate::error::Fatal;
use crate::load;
use crate::resolve::{self, Workspace};
use crate::source::SourceMap;
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
}

/// Check files on disk.
pub fn check_paths(
    inputs: &[PathBuf],
    root: &Path,
    config: Config,
    overrides: &Overrides,
    mut sources: SourceMap,
) -> Result<Run, Fatal> {
    let timer = Timer::start();
    let (mut candidates, skipped) = discover::discover(inputs, root, &config)?;
    timer.lap("discover");
    candidates.extend(extra_policies(root, &config)?);
    candidates.sort();
    candidates.dedup_by(|a, b| a.display == b.display);
    let files_checked = candidates.len();
    let checked = candidates.iter().map(|c| c.display.clone()).collect();
    let builtins = load::load_builtins(&mut sources);
    let loaded = load::load_files(candidates, &mut sources)?;
    timer.lap("load");
    let mut run = finish(builtins, loaded, config, overrides, sources, files_checked);
    timer.lap("resolve+evaluate");
    crate::config_check::check(&run.workspace, overrides, &run.sources)?;
    run.skipped = skipped;
    run.checked = checked;
    Ok(run)
}

/// Check documents given as text (rule examples, policy tests).
pub fn check_texts(docs: &[(String, String)], config: Config, overrides: &Overrides) -> Run {
    let mut sources = SourceMap::new();
    let builtins = load::load_builtins(&mut sources);
    let mut loaded = load::Loaded {
        documents: Vec::new(),
        diagnostics: Vec::new(),
        pragma_files: Vec::new(),
    };
    for (name, text) in docs {
        let id = sources.add_text(name.clone(), text.clone());
        if load::has_pragma(text) {
            loaded.pragma_files.push(id);
        }
        let parsed = crate::document::parse(id, text);
        loaded.diagnostics.extend(parsed.diagnostics);
        loaded.documents.extend(parsed.document);
    }
    let mut run = finish(builtins, loaded, config, overrides, sources, docs.len());
    run.checked = docs.iter().map(|(name, _)| name.clone()).collect();
    run.checked.sort();
    run
}

fn finish(
    builtins: load::Loaded,
    loaded: load::Loaded,
    config: Config,
    overrides: &Overrides,
    sources: SourceMap,
    files_checked: usize,
) -> Run {
    let pragma_files = loaded.pragma_files;
    let mut diagnostics = builtins.diagnostics;
    diagnostics.extend(loaded.diagnostics);
    let mut documents = builtins.documents;
    documents.extend(loaded.documents);
    let workspace = resolve::resolve(documents, config, &mut diagnostics);
    diagnostics.extend(engine::evaluate(&workspace));
    let today = crate::suppress::pragma::today();
    crate::suppress::apply(
        &mut diagnostics,
        &sources,
        &pragma_files,
        &workspace,
        &today,
    );
    let mut diagnostics = engine::apply_overrides(diagnostics, &workspace.config, overrides);
    engine::supersede(&workspace, &mut diagnostics);
    engine::sort(&mut diagnostics, &sources);
    Run {
        sources,
        diagnostics,
        files_checked,
        checked: Vec::new(),
        workspace,
        skipped: Vec::new(),
    }
}

/// Files named by `[policies] extra`, relative to the repository root.
pub fn extra_policies(root: &Path, config: &Config) -> Result<Vec<Candidate>, Fatal> {
    let mut out = Vec::new();
    for pattern in &config.policies.extra {
        let full = root.join(pattern.get_ref());
        let full = full.to_string_lossy();
        let paths = glob::glob(&full).map_err(|e| {
            Fatal::msg(format!(
                "invalid `[policies] extra` pattern `{}`: {}",
                pattern.get_ref(),
                e.msg
            ))
        })?;
        for p in paths.flatten() {
            if p.is_file() {
                out.push(Candidate {
                    display: discover::display_path(&p, root),
                    path: p,
                });
            }
        }
    }
    Ok(out)
}

/// `ROLELINT_TIMINGS=1` prints the wall time of each stage to stderr (for the benchmark).
struct Timer(Option<std::time::Instant>);

impl Timer {
    fn start() -> Self {
        Self(std::env::var_os("ROLELINT_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&self, stage: &str) {
        if let Some(t) = self.0 {
            eprintln!(
                "timing: {stage} done at {:.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
