//! `type = "forbid-toggle"`: listed toggles must be off in the selected roles
//! (deprecated features, reports not meant for integrated users).
//!
//! Only toggles set directly are reported: a toggle switched on by an overall toggle is
//! the overall-toggle finding's business.
use super::{at, Params, Where};
use crate::catalog::ToggleCatalog;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::toggle_tree::split_path;
use crate::evaluate::policy::RuleMeta;
use crate::resolve::{Enabled, RoleView};
use std::ops::Range;
use toml::Spanned;

pub const PARAMS: &[&str] = &["where", "toggles"];

#[derive(Debug, Clone)]
pub struct ForbidToggle {
    pub where_: Where,
    pub toggles: Vec<Spanned<String>>,
    pub file: FileId,
}

impl ForbidToggle {
    pub fn build(
        file: FileId,
        type_span: Range<usize>,
        p: &Params,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        if p.toggles.is_empty() {
            let msg = "a forbid-toggle rule needs a non-empty `toggles` list".to_string();
            diags.push(super::policy_error(file, type_span, msg, "forbids nothing"));
            return None;
        }
        Some(Self {
            where_: p
                .where_
                .as_ref()
                .map(|w| w.get_ref().clone())
                .unwrap_or_default(),
            toggles: p.toggles.clone(),
            file,
        })
    }

    /// Resolve the listed paths against the catalogue: `(path key, where it is listed)`.
    pub fn resolve(
        &self,
        catalog: &ToggleCatalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, Location)> {
        let mut out = Vec::new();
        for t in &self.toggles {
            let parts = split_path(t.get_ref());
            let found = match parts.as_slice() {
                [s, g, n] => catalog.lookup(s, g, n).ok(),
                _ => None,
            };
            match found {
                Some(id) => out.push((id, at(self.file, t.span()))),
                None => {
                    let msg = format!("`{}` is not a toggle in the catalogue", t.get_ref());
                    diags.push(super::policy_error(
                        self.file,
                        t.span(),
                        msg,
                        "expected `Section > Group > Toggle`",
                    ));
                }
            }
        }
        out
    }
}

pub fn check(
    f: &ForbidToggle,
    forbidden: &[(usize, Location)],
    meta: &RuleMeta,
    role: &RoleView,
    enabled: &[Enabled],
    out: &mut Vec<Diagnostic>,
) {
    if !f.where_.matches(role) {
        return;
    }
    let role_name = role.name.get_ref().as_str();
    let connectors = role.connectors();
    for item in enabled.iter().filter(|e| e.overall.is_none()) {
        let Some((_, listed)) = forbidden.iter().find(|(k, _)| Some(*k) == item.toggle) else {
            continue;
        };
        let vars = [
            ("role", role_name),
            ("toggle", &*item.path),
            ("connectors", connectors.as_str()),
        ];
        out.push(
            meta.finding(&item.location, &vars)
                .with_subject(format!("{role_name}/{}", item.path))
                .with_label("must be off")
                .with_secondary(
                    listed.clone(),
                    format!("listed by rule `{}` here", meta.name),
                ),
        );
    }
}
