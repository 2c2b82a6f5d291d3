//! `type = "require-pair"`: in a permission scheme, a holder granted `permission` must also
//! be granted `requires` (Schedule Issues without Edit Issues cannot rank: both are needed).
use super::{known_key, required, Entry, JiraCheck, ResolveCx, Resolved, RuleType};
use crate::diagnostics::source::Location;
use crate::diagnostics::{fill, Diagnostic};
use crate::document::holder::Holder;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::any::Any;
use toml::Spanned;

/// The parameters of a require-pair entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default)]
    pub permission: Option<Spanned<String>>,
    #[serde(default)]
    pub requires: Option<Spanned<String>>,
}

/// The wording of a require-pair rule's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct RequirePair {
    pub permission: String,
    pub requires: String,
    pub text: Text,
}

impl RuleType for RequirePair {
    const NAME: &'static str = "require-pair";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let file = entry.file;
        let a = required(entry, &p.permission, "permission", diags)?;
        let b = required(entry, &p.requires, "requires", diags)?;
        (known_key(file, a, diags) & known_key(file, b, diags)).then(|| Self {
            permission: a.get_ref().clone(),
            requires: b.get_ref().clone(),
            text,
        })
    }

    fn resolve(&self, _: &ResolveCx<'_>, _: &mut Vec<Diagnostic>) -> Option<Resolved> {
        Some(Resolved::Jira(Box::new(self.clone())))
    }
}

impl JiraCheck for RequirePair {
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
        check(self, meta, model, out)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn check(r: &RequirePair, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
    let a_name = model.permission_name(&r.permission);
    let b_name = model.permission_name(&r.requires);
    for s in &model.schemes {
        // Hashed: both lists may hold 100,000s of holders.
        let with_b: FxHashSet<&Holder> = s.holders(&r.requires).iter().map(|b| &b.holder).collect();
        for h in s.holders(&r.permission) {
            if with_b.contains(&h.holder) {
                continue;
            }
            let holder = h.holder.to_string();
            let vars = [
                ("scheme", s.name.get_ref().as_str()),
                ("holder", holder.as_str()),
                ("permission", a_name.as_str()),
                ("requires", b_name.as_str()),
            ];
            out.push(
                meta.finding(&Location::new(s.file, h.span.clone()), &vars, &format!("{}/{}/{holder}", s.name.get_ref(), r.permission))
                    .with_label(fill(&r.text.label, &vars)),
            );
        }
    }
}
