//! `type = "forbid-grant"`: a permission pattern × holder pattern must not be granted, in
//! permission schemes and/or the global permissions (grants to `anyone`, Browse Projects to
//! every logged-in user, Delete Issues to a licence group, ...).
//!
//! Options: `permissions` (glob patterns of keys, `*` for all), `except-permissions`,
//! `holders` (glob patterns of holder strings: `anyone`, `group:jira-*`, `user:*`; a bare
//! `application-role` matches only the bare holder), `applies-to` = `schemes` |
//! `global-permissions` (default: both).
use super::{policy_error, Params};
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::discover::matcher::Matcher;
use crate::document::holder::TEXT_STARTS;
use crate::document::permission_scheme::Grant;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::ops::Range;

pub const PARAMS: &[&str] = &["permissions", "except-permissions", "holders", "applies-to"];

#[derive(Debug, Clone)]
pub struct ForbidGrant {
    pub permissions: Vec<Matcher>,
    pub except: Vec<Matcher>,
    pub holders: Vec<Matcher>,
    /// Bit `i` set: some holder pattern may match holders of form `i` (see `Holder::form`).
    pub holder_forms: u16,
    pub schemes: bool,
    pub globals: bool,
}

fn patterns(
    file: FileId,
    items: &[toml::Spanned<String>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Matcher> {
    items
        .iter()
        .filter_map(
            |p| match Matcher::new(p.get_ref(), glob::MatchOptions::new()) {
                Ok(pat) => Some(pat),
                Err(e) => {
                    diags.push(policy_error(
                        file,
                        p.span(),
                        format!("invalid pattern `{}`", p.get_ref()),
                        e.msg,
                    ));
                    None
                }
            },
        )
        .collect()
}

impl ForbidGrant {
    pub fn build(
        file: FileId,
        type_span: Range<usize>,
        p: &Params,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        if p.permissions.is_empty() || p.holders.is_empty() {
            let msg = "a forbid-grant rule needs `permissions` and `holders`".to_string();
            diags.push(policy_error(file, type_span, msg, "forbids nothing"));
            return None;
        }
        let (schemes, globals) = match p.applies_to.as_ref().map(|a| a.get_ref().as_str()) {
            None => (true, true),
            Some("schemes") => (true, false),
            Some("global-permissions") => (false, true),
            Some(other) => {
                let span = p.applies_to.as_ref().map_or(type_span, |a| a.span());
                let msg = format!("forbid-grant `applies-to` must be `schemes` or `global-permissions`, not `{other}`");
                diags.push(policy_error(file, span, msg, "unknown target"));
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
        })
    }

    fn forbids(&self, key: &str) -> bool {
        self.permissions.iter().any(|p| p.matches(key))
            && !self.except.iter().any(|p| p.matches(key))
    }
}

pub fn check<'m>(f: &ForbidGrant, meta: &RuleMeta, model: &'m Model, out: &mut Vec<Diagnostic>) {
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
                    meta.finding(&Location::new(file, h.span.clone()), &vars)
                        .with_subject(format!("{scheme}/{key}/{holder}"))
                        .with_label("forbidden holder"),
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
