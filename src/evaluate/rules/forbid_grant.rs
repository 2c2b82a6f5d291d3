//! `type = "forbid-grant"`: a permission pattern × holder pattern must not be granted, in
//! permission schemes and/or the global permissions (grants to `anyone`, Browse Projects to
//! every logged-in user, Delete Issues to a licence group, ...).
//!
//! Options: `permissions` (glob patterns of keys, `*` for all), `except-permissions`,
//! `holders` (glob patterns of holder strings: `anyone`, `group:jira-*`, `user:*`; a bare
//! `application-role` matches only the bare holder), `applies-to` = `schemes` |
//! `global-permissions` (default: both).
use super::{Entry, JiraCheck, ResolveCx, Resolved, RuleType};
use crate::diagnostics::says;
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::{fill, Diagnostic};
use crate::discover::matcher::Matcher;
use crate::document::holder::TEXT_STARTS;
use crate::document::permission_scheme::Grant;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::any::Any;
use std::fmt::Write as _;
use toml::Spanned;

/// The parameters of a forbid-grant entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default)]
    pub permissions: Vec<Spanned<String>>,
    #[serde(default)]
    pub except_permissions: Vec<Spanned<String>>,
    #[serde(default)]
    pub holders: Vec<Spanned<String>>,
    #[serde(default)]
    pub applies_to: Option<Spanned<String>>,
}

/// The wording of a forbid-grant rule's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct ForbidGrant {
    pub permissions: Vec<Matcher>,
    pub except: Vec<Matcher>,
    pub holders: Vec<Matcher>,
    /// Bit `i` set: some holder pattern may match holders of form `i` (see `Holder::form`).
    pub holder_forms: u16,
    pub schemes: bool,
    pub globals: bool,
    pub text: Text,
}

fn patterns(file: FileId, items: &[Spanned<String>], diags: &mut Vec<Diagnostic>) -> Vec<Matcher> {
    items
        .iter()
        .filter_map(
            |p| match Matcher::new(p.get_ref(), glob::MatchOptions::new()) {
                Ok(pat) => Some(pat),
                Err(e) => {
                    let (pattern, reason) = (p.get_ref().as_str(), e.msg);
                    diags.push(says::InvalidHolderPattern { pattern, reason }.at(file, p.span()));
                    None
                }
            },
        )
        .collect()
}

impl RuleType for ForbidGrant {
    const NAME: &'static str = "forbid-grant";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let (file, type_span) = (entry.file, entry.type_span.clone());
        if p.permissions.is_empty() || p.holders.is_empty() {
            diags.push(says::ForbidGrantNothing.at(file, type_span));
            return None;
        }
        let (schemes, globals) = match p.applies_to.as_ref().map(|a| a.get_ref().as_str()) {
            None => (true, true),
            Some("schemes") => (true, false),
            Some("global-permissions") => (false, true),
            Some(other) => {
                let span = p.applies_to.as_ref().map_or(type_span, |a| a.span());
                diags.push(says::ForbidGrantTarget { value: other }.at(file, span));
                return None;
            }
        };
        let holders = patterns(file, &p.holders, diags);
        let holder_forms = TEXT_STARTS
            .iter()
            .enumerate()
            .filter(|(_, start)| holders.iter().any(|p| p.may_match_start(start)))
            .fold(0u16, |mask, (i, _)| mask | 1 << i);
        Some(Self {
            permissions: patterns(file, &p.permissions, diags),
            except: patterns(file, &p.except_permissions, diags),
            holders,
            holder_forms,
            schemes,
            globals,
            text,
        })
    }

    fn resolve(&self, _: &ResolveCx<'_>, _: &mut Vec<Diagnostic>) -> Option<Resolved> {
        Some(Resolved::Jira(Box::new(self.clone())))
    }
}

impl ForbidGrant {
    fn forbids(&self, key: &str) -> bool {
        self.permissions.iter().any(|p| p.matches(key))
            && !self.except.iter().any(|p| p.matches(key))
    }
}

impl JiraCheck for ForbidGrant {
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
        check(self, meta, model, out)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn check<'m>(f: &ForbidGrant, meta: &RuleMeta, model: &'m Model, out: &mut Vec<Diagnostic>) {
    // A repository has tens of thousands of grants but a hundred distinct keys: match each
    // key against the patterns once.
    let mut forbidden: FxHashMap<&str, bool> = FxHashMap::default();
    let mut run = |file: FileId, scheme: &str, grants: &'m [Grant]| {
        let forbids = |g: &&'m Grant| {
            let key = g.permission.get_ref().as_str();
            *forbidden.entry(key).or_insert_with(|| f.forbids(key))
        };
        for g in grants.iter().filter(forbids) {
            let key = g.permission.get_ref();
            let mut holder = String::new();
            for h in &g.holders {
                if f.holder_forms & (1 << h.holder.form()) == 0 {
                    continue;
                }
                // One reused buffer: every holder of every grant is tested by every rule.
                holder.clear();
                let _ = write!(holder, "{}", h.holder);
                if !f.holders.iter().any(|p| p.matches(&holder)) {
                    continue;
                }
                let name = model.permission_name(key);
                let vars = [
                    ("scheme", scheme),
                    ("permission", key),
                    ("permission-name", name.as_str()),
                    ("holder", holder.as_str()),
                ];
                out.push(
                    meta.finding(&Location::new(file, h.span.clone()), &vars, &format!("{scheme}/{key}/{holder}"))
                        .with_label(fill(&f.text.label, &vars)),
                );
            }
        }
    };
    if f.schemes {
        for s in &model.schemes {
            run(s.file, s.name.get_ref(), &s.grants);
        }
    }
    if f.globals {
        for g in &model.globals {
            let name = g
                .name
                .as_ref()
                .map_or("global permissions", |n| n.get_ref().as_str());
            run(g.file, name, &g.grants);
        }
    }
}
