//! `rolelint fmt`: rewrite documents in canonical form (see [`crate::fmt`]).
//!
//! Exit codes: 0 when every document is (now) canonical; 1 when `--check` finds files
//! that would change, or when a file cannot be parsed (it is reported with its TOML
//! error and left byte-for-byte unchanged); 2 when rolelint cannot do its job.
use crate::cli::FmtArgs;
use crate::error::Fatal;
use crate::fmt::{format, Formatted};
use crate::fsio::read::ReadError;
use crate::source::SourceMap;
use crate::{discover, pipeline, Outcome};

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
        errln!("warning: {}", crate::emit::shown::text(s));
    }
    let (mut changed, mut unchanged, mut broken, mut unread) = (0usize, 0usize, 0usize, 0usize);
    for c in &candidates {
        // Paths and TOML errors quote the repository: shown inert and cut.
        let shown = crate::emit::shown::text(&c.display);
        let bytes = match c.read(limit) {
            Ok(bytes) => bytes,
            Err(e @ ReadError::Refused(_)) => {
                errln!("error: `{shown}` {e}");
                unread += 1;
                continue;
            }
            Err(e) => return Err(Fatal::msg(format!("`{shown}` {e}"))),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            errln!("error: `{shown}` is not valid UTF-8; left unchanged");
            broken += 1;
            continue;
        };
        match format(&text) {
            Err(e) => {
                errln!("error: `{shown}` is not valid TOML; left unchanged");
                for line in e.lines() {
                    errln!("  {}", crate::emit::shown::text(line));
                }
                broken += 1;
            }
            Ok(Formatted::UnknownKind(kind)) => {
                let why = match kind {
                    Some(k) => format!("unknown kind `{}`", crate::emit::shown::text(&k)),
                    None => "no `kind`".to_string(),
                };
                errln!("note: `{shown}` has {why}; left unchanged");
            }
            Ok(Formatted::Text(t)) if t == text => unchanged += 1,
            Ok(Formatted::Text(t)) => {
                changed += 1;
                if args.check {
                    outln!("would reformat {shown}");
                } else {
                    super::write::atomic(&c.path, &t)?;
                    outln!("reformatted {shown}");
                }
            }
        }
    }
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
