//! `kind = "align-catalogue"`: toggle catalogue entries (built in, or a repository's own).
use super::toggle_tree::split_path;
use crate::diagnostics::says;
use crate::diagnostics::source::FileId;
use crate::diagnostics::Diagnostic;
use toml::Spanned;

pub use super::catalogue_raw::{RawCatalogue, Status};

#[derive(Debug, Clone)]
pub struct CatalogueDoc {
    pub file: FileId,
    pub description: Option<String>,
    pub sections: Vec<Spanned<String>>,
    pub toggles: Vec<CatalogueToggle>,
}

#[derive(Debug, Clone)]
pub struct CatalogueToggle {
    pub path: Spanned<[String; 3]>,
    pub status: Status,
    pub subs: Vec<String>,
    pub aliases: Vec<Spanned<[String; 3]>>,
    pub deprecated: bool,
    pub note: Option<String>,
}

pub fn validate(
    file: FileId,
    raw: RawCatalogue,
    diags: &mut Vec<Diagnostic>,
) -> Option<CatalogueDoc> {
    let sections = raw
        .section
        .into_iter()
        .map(|s| {
            let _ = (s.status, s.source, s.note);
            s.name
        })
        .collect();
    let mut toggles = Vec::new();
    for t in raw.toggle {
        let _ = &t.source;
        let Some(path) = three_parts(file, &t.path, diags) else {
            continue;
        };
        let aliases = t
            .aliases
            .iter()
            .filter_map(|a| three_parts(file, a, diags))
            .collect();
        toggles.push(CatalogueToggle {
            path,
            status: t.status.unwrap_or(Status::Uncertain),
            subs: t.subs,
            aliases,
            deprecated: t.deprecated,
            note: t.note,
        });
    }
    Some(CatalogueDoc {
        file,
        description: raw.description,
        sections,
        toggles,
    })
}

fn three_parts(
    file: FileId,
    path: &Spanned<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<[String; 3]>> {
    match split_path(path.get_ref()).as_slice() {
        [s, g, t] if !s.is_empty() && !g.is_empty() && !t.is_empty() => Some(Spanned::new(
            path.span(),
            [s.to_string(), g.to_string(), t.to_string()],
        )),
        _ => {
            diags.push(says::CataloguePathParts.at(file, path.span()));
            None
        }
    }
}
