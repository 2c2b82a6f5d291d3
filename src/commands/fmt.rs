//! `rolelint fmt`: rewrite documents in canonical form (see [`crate::fmt`]).
//!
//! Exit codes: 0 when every document is (now) canonical; 1 when `--check` finds files
//! that would change, or when a file cannot be parsed (it is reported with its TOML
//! error and left byte-for-byte unchanged); 2 when rolelint cannot do its job.
use crate::cli::FmtArgs;
use crate::diagnostics::source::SourceMap;
use crate::discover::Candidate;
use crate::error::Fatal;
use crate::fmt::{format, Formatted};
use crate::fsio::read::ReadError;
use crate::fsio::shape::Shape;
use crate::fsio::write::{self, Replaced};
use crate::fsio::Root;
use crate::{discover, pipeline, Outcome};

/// Attempts at one file that keeps changing under `fmt` before it gives up on it.
const ATTEMPTS: usize = 3;

pub fn run(args: &FmtArgs) -> Result<Outcome, Fatal> {
    let mut sources = SourceMap::new();
    let (config, root) =
        super::check::load_config(args.config.as_deref(), &args.paths, &mut sources)?;
    let inputs = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let (mut candidates, mut skipped) = discover::discover(&inputs, &root, &config)?;
    if args.paths.is_empty() {
        let (extra, loops) = pipeline::extra_policies(&root, &config)?;
        candidates.extend(extra);
        skipped.extend(loops);
        candidates.sort();
        candidates.dedup_by(|a, b| a.display == b.display);
    }
    let limit = config.limits.document();
    for s in &skipped {
        errln!("warning: {}", crate::report::shown::text(s));
    }
    let boundary = crate::fsio::write::repository(&root)?;
    let mut tally = Tally::default();
    for c in &candidates {
        if args.check {
            let Some(bytes) = read(c, limit, &mut tally)? else {
                continue;
            };
            if canonical(c, &bytes, &mut tally).is_some() {
                tally.changed += 1;
                outln!("would reformat {}", crate::report::shown::text(&c.display));
            }
            continue;
        }
        let boundary = write::boundary_of(&c.path, &boundary, &inputs);
        rewrite(c, limit, &boundary, &mut tally)?;
    }
    let (changed, unchanged, broken, unread, refused) = (
        tally.changed,
        tally.unchanged,
        tally.broken,
        tally.unread,
        tally.refused,
    );
    let verb = if args.check {
        "would be reformatted"
    } else {
        "reformatted"
    };
    let mut summary = format!("{changed} {} {verb}, {unchanged} unchanged", files(changed));
    if unread > 0 {
        summary.push_str(&format!(", {unread} not read"));
    }
    if broken > 0 {
        summary.push_str(&format!(", {broken} not parseable"));
    }
    errln!("{summary}");
    if refused > 0 {
        return Ok(Outcome::Failure);
    }
    Ok(if broken > 0 || unread > 0 || (args.check && changed > 0) {
        Outcome::Violations
    } else {
        Outcome::Clean
    })
}

fn files(n: usize) -> &'static str {
    if n == 1 {
        "file"
    } else {
        "files"
    }
}

#[derive(Default)]
struct Tally {
    changed: usize,
    unchanged: usize,
    broken: usize,
    /// Documents the read boundary refused.
    unread: usize,
    /// Documents that may not be rewritten (leading outside the repository).
    refused: usize,
}

/// A document's bytes through the read boundary; `None` when it refuses the file (said).
fn read(c: &Candidate, limit: u64, tally: &mut Tally) -> Result<Option<Vec<u8>>, Fatal> {
    // Paths and TOML errors quote the repository: shown inert and cut.
    let shown = crate::report::shown::text(&c.display);
    match c.read(limit) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e @ ReadError::Refused(_)) => {
            errln!("error: `{shown}` {e}");
            tally.unread += 1;
            Ok(None)
        }
        Err(e) => Err(Fatal::msg(format!("`{shown}` {e}"))),
    }
}

/// The canonical text of a document when it differs from `bytes`, in the file's own line
/// endings and BOM; `None` when it is canonical or cannot be formatted (said on stderr).
fn canonical(c: &Candidate, bytes: &[u8], tally: &mut Tally) -> Option<String> {
    let shown = crate::report::shown::text(&c.display);
    let Ok(text) = std::str::from_utf8(bytes) else {
        errln!("error: `{shown}` is not valid UTF-8; left unchanged");
        tally.broken += 1;
        return None;
    };
    match format(text) {
        Err(e) => {
            errln!("error: `{shown}` is not valid TOML; left unchanged");
            for line in e.lines() {
                errln!("  {}", crate::report::shown::text(line));
            }
            tally.broken += 1;
            None
        }
        Ok(Formatted::UnknownKind(kind)) => {
            let why = match kind {
                Some(k) => format!("unknown kind `{}`", crate::report::shown::text(&k)),
                None => "no `kind`".to_string(),
            };
            errln!("note: `{shown}` has {why}; left unchanged");
            None
        }
        Ok(Formatted::Text(t)) => {
            let t = Shape::of(text).restore(&t);
            if t == text {
                tally.unchanged += 1;
                None
            } else {
                Some(t)
            }
        }
    }
}

/// Format one document in place. The text is written only if the file still holds what
/// it was formatted from; a file changed meanwhile (by an editor, `--fix`) is formatted
/// again from its new content, so no update is lost.
fn rewrite(c: &Candidate, limit: u64, boundary: &Root, tally: &mut Tally) -> Result<(), Fatal> {
    let Some(mut bytes) = read(c, limit, tally)? else {
        return Ok(());
    };
    let dest = match write::document(&c.path, &crate::report::shown::text(&c.display), boundary) {
        Ok(dest) => dest,
        Err(e) => {
            errln!("error: {e}");
            tally.refused += 1;
            return Ok(());
        }
    };
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            let Some(again) = read(c, limit, tally)? else {
                return Ok(());
            };
            bytes = again;
        }
        let Some(t) = canonical(c, &bytes, tally) else {
            return Ok(());
        };
        if dest.replace_if_unchanged(&bytes, t.as_bytes())? == Replaced::Done {
            tally.changed += 1;
            outln!("reformatted {}", crate::report::shown::text(&c.display));
            return Ok(());
        }
    }
    errln!(
        "error: `{}` kept changing while it was formatted; left as it is, run again",
        crate::report::shown::text(&c.display)
    );
    tally.refused += 1;
    Ok(())
}
