//! `type = "forbid-toggle"`: listed toggles must be off in the selected roles
//! (deprecated features, reports not meant for integrated users).
//!
//! Only toggles set directly are reported: a toggle switched on by an overall toggle is
//! the overall-toggle finding's business.
use super::{at, Entry, ResolveCx, Resolved, RoleCheck, RuleType, Where};
use crate::catalog::ToggleCatalog;
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::{fill, Diagnostic};
use crate::document::toggle_tree::split_path;
use crate::evaluate::policy::RuleMeta;
use crate::resolve::{Enabled, RoleView};
use serde::Deserialize;
use toml::Spanned;

/// The parameters of a forbid-toggle entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default, rename = "where")]
    pub where_: Option<Where>,
    #[serde(default)]
    pub toggles: Vec<Spanned<String>>,
}

/// The wording of a forbid-toggle rule's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub label: String,
    pub listed_here: String,
}

#[derive(Debug, Clone)]
pub struct ForbidToggle {
    pub where_: Where,
    pub toggles: Vec<Spanned<String>>,
    pub file: FileId,
    pub text: Text,
}

/// The listed toggles resolved: `(catalogue entry, where it is listed)`.
#[derive(Debug)]
struct Active {
    where_: Where,
    forbidden: Vec<(usize, Location)>,
    text: Text,
    /// The labels its findings repeat (a few toggles in thousands of roles), kept once.
    shared: crate::diagnostics::text::Interner,
}

impl RuleType for ForbidToggle {
    const NAME: &'static str = "forbid-toggle";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        if p.toggles.is_empty() {
            let span = entry.type_span.clone();
            diags.push(says::ForbidToggleNothing.at(entry.file, span));
            return None;
        }
        Some(Self {
            where_: p.where_.unwrap_or_default(),
            toggles: p.toggles,
            file: entry.file,
            text,
        })
    }

    /// Resolve the listed paths against the catalogue.
    fn resolve(&self, cx: &ResolveCx<'_>, diags: &mut Vec<Diagnostic>) -> Option<Resolved> {
        let forbidden = self.resolve_paths(cx.catalog, diags);
        Some(Resolved::Role(Box::new(Active {
            where_: self.where_.clone(),
            forbidden,
            text: self.text.clone(),
            shared: Default::default(),
        })))
    }

    fn selects(&self) -> Option<&Where> {
        Some(&self.where_)
    }
}

impl ForbidToggle {
    fn resolve_paths(
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
                    let toggle = t.get_ref();
                    diags.push(says::ForbiddenToggleUnknown { toggle }.at(self.file, t.span()));
                }
            }
        }
        out
    }
}

impl RoleCheck for Active {
    fn check(
        &self,
        meta: &RuleMeta,
        role: &RoleView,
        enabled: &[Enabled],
        _: &ToggleCatalog,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        if !self.where_.matches(role) {
            return false;
        }
        let role_name = role.name.get_ref().as_str();
        let connectors = role.connectors();
        for item in enabled.iter().filter(|e| e.overall.is_none()) {
            let forbidden = self.forbidden.iter().find(|(k, _)| Some(*k) == item.toggle);
            let Some((_, listed)) = forbidden else {
                continue;
            };
            let vars = [
                ("role", role_name),
                ("toggle", &*item.path),
                ("connectors", connectors.as_str()),
            ];
            out.push(
                meta.finding(&item.location, &vars, &format!("{role_name}/{}", item.path))
                    .with_label(self.shared.text(fill(&self.text.label, &vars)))
                    .with_secondary_in(
                        listed.clone(),
                        (self.shared).text(fill(&self.text.listed_here, &[("rule", &meta.name)])),
                        &self.shared,
                    ),
            );
        }
        false
    }

    fn holds(&self, _: &RoleView) -> bool {
        false
    }
}
