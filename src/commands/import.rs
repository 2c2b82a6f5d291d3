//! `rolelint import`: Jira REST JSON in, documents out (stdout or one file each).
use crate::cli::{ImportCommand, ImportOut};
use crate::error::Fatal;
use crate::import::{self, Imported};
use crate::Outcome;
use std::path::Path;

pub fn run(cmd: &ImportCommand) -> Result<Outcome, Fatal> {
    let (docs, out) = match cmd {
        ImportCommand::JiraScheme(a) => {
            let json = read(&a.file)?;
            let docs = import::import_jira_schemes(&json)
                .map_err(|e| Fatal::msg(format!("cannot import `{}`: {}", a.file.display(), e)))?;
            (docs, &a.out)
        }
        ImportCommand::JiraBoard(a) => {
            let board = read(&a.board)?;
            let config = a.config.as_deref().map(read).transpose()?;
            let inputs = match &a.config {
                Some(c) => format!("`{}` with `{}`", shown(&a.board), shown(c)),
                None => format!("`{}`", shown(&a.board)),
            };
            let doc = import::import_jira_board(&board, config.as_deref())
                .map_err(|e| Fatal::msg(format!("cannot import {inputs}: {e}")))?;
            (vec![doc], &a.out)
        }
        ImportCommand::JiraProject(a) => {
            let project = read(&a.project)?;
            let scheme = a.scheme.as_deref().map(read).transpose()?;
            let inputs = match &a.scheme {
                Some(s) => format!("`{}` with `{}`", shown(&a.project), shown(s)),
                None => format!("`{}`", shown(&a.project)),
            };
            let doc = import::import_jira_project(&project, scheme.as_deref())
                .map_err(|e| Fatal::msg(format!("cannot import {inputs}: {e}")))?;
            (vec![doc], &a.out)
        }
    };
    emit(&docs, out)?;
    Ok(Outcome::Clean)
}

/// A path as errors show it: escaped and bounded (it may hold any bytes).
fn shown(path: &Path) -> String {
    crate::inert::bounded(&crate::fsio::name::display(path), 200).into_owned()
}

/// A payload named on the command line: a regular file of at most
/// [`read::PAYLOAD_LIMIT`] bytes, UTF-8 as JSON must be.
fn read(path: &Path) -> Result<String, Fatal> {
    use crate::fsio::read;
    let shown = crate::inert::bounded(&crate::fsio::name::display(path), 200).into_owned();
    match read::named_text(path, read::PAYLOAD_LIMIT) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(Fatal::msg(format!("`{shown}` is not valid UTF-8"))),
        Err(e) => Err(Fatal::msg(format!("`{shown}` {e}"))),
    }
}

/// Print one document, or write every document into `--out-dir`.
fn emit(docs: &[Imported], out: &ImportOut) -> Result<(), Fatal> {
    let many = docs.len() > 1;
    let Some(dir) = &out.out_dir else {
        // Several documents concatenated would not be one valid document: ask for a directory.
        if many {
            let names: Vec<&str> = docs.iter().map(|d| d.file_name.as_str()).collect();
            return Err(Fatal::msg(format!(
                "the input holds {} schemes ({}); pass `--out-dir DIR` to write one file each",
                docs.len(),
                names.join(", ")
            )));
        }
        for d in docs {
            notes(d, false);
            out!("{}", d.toml);
        }
        return Ok(());
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Fatal::msg(format!("cannot create `{}`: {e}", dir.display())))?;
    let targets: Vec<_> = docs.iter().map(|d| dir.join(&d.file_name)).collect();
    if !out.force {
        super::write::refuse_existing(&targets, "pass `--force` to replace them")?;
    }
    let boundary = crate::fsio::write::repository(dir)?;
    for (d, path) in docs.iter().zip(&targets) {
        notes(d, many);
        let dest = if out.force {
            crate::fsio::write::replaceable(path, &boundary)?
        } else {
            crate::fsio::write::new_file(path, &boundary)?
        };
        dest.write(d.toml.as_bytes())?;
        outln!("wrote {}", path.display());
    }
    Ok(())
}

/// Notes quote the payload: shown inert.
fn notes(d: &Imported, prefix: bool) {
    use crate::report::shown::text;
    for n in &d.notes {
        if prefix {
            errln!("note: {}: {}", text(&d.file_name), text(n));
        } else {
            errln!("note: {}", text(n));
        }
    }
}
