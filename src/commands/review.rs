//! `rolelint review --against REV [--head REV2]`: what a change does. Each side is
//! evaluated once by the pipeline `check` uses; [`crate::review`] compares the two runs.
use crate::cli::{ReviewArgs, ReviewFormat};
use crate::commands::check::load_config;
use crate::config::Overrides;
use crate::diagnostics::source::SourceMap;
use crate::error::Fatal;
use crate::pipeline::{self, Reuse};
use crate::review::render::{self, Verdict};
use crate::review::{gate, side, Review, Side};
use crate::Outcome;
use std::io::Write;

pub fn run(args: &ReviewArgs) -> Result<Outcome, Fatal> {
    crate::console::timing::start();
    let mut sources = SourceMap::new();
    let (config, root) = load_config(args.config.as_deref(), &[], &mut sources)?;
    let config_path = config.origin.as_ref().map(|(_, p)| p.clone());
    let people = super::license::configured_people(&config, &root)?;

    // The head is checked while the base revision is listed; the base then reads and
    // judges only the role files the head does not hold byte for byte (most of them are
    // the same in a pull request) and takes the head's judgement of the others.
    crate::threads::ensure_pool();
    let (base, head) = rayon::join(
        || side::list_at(&args.against, config_path.as_deref(), &root),
        || {
            let head = match &args.head {
                Some(rev) => side::list_at(rev, config_path.as_deref(), &root)
                    .and_then(|at| at.check(&Overrides::default(), Reuse::Record))
                    .map(|(run, commit)| {
                        let side = Side {
                            name: rev.clone(),
                            commit: Some(commit),
                        };
                        (run, side)
                    }),
                None => pipeline::check_repository_recording(&root, config, sources)
                    .map(|run| (run, Side::working_tree())),
            };
            crate::console::timing::lap("review: head evaluated");
            head
        },
    );
    // The base's error first, as if the sides were evaluated one after the other.
    let base = base?;
    let (mut head_run, head) = head?;
    let (base_run, base_commit) = base.check(&Overrides::default(), Reuse::From(&head_run))?;
    head_run.recorded = None; // taken: its copies are not needed any more
    crate::console::timing::lap(&format!(
        "review: base evaluated ({} role judgements taken from the head)",
        base_run.taken
    ));
    let base = Side {
        name: args.against.clone(),
        commit: Some(base_commit),
    };
    let review = Review::compare(base, &base_run, head, &head_run, people.as_ref());
    let tripped = gate::tripped(&args.fail_on, &review);
    let verdict = Verdict {
        gates: &args.fail_on,
        tripped: &tripped,
    };
    let text = match args.format {
        ReviewFormat::Human => render::human(&review, &verdict),
        ReviewFormat::Json => render::json(&review, &verdict),
        ReviewFormat::Markdown => render::markdown(&review, &verdict),
    };
    let mut out = crate::console::Stdout;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(crate::console::write_failed)?;
    // The process ends right after this (as after `check`): freeing two runs of tens of
    // thousands of documents one by one would only add to the wall time.
    drop(text);
    std::mem::forget(review);
    std::mem::forget(base_run);
    std::mem::forget(head_run);
    Ok(if tripped.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Violations
    })
}
