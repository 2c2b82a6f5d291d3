//! `type = "require-pair"`: in a permission scheme, a holder granted `permission` must also
//! be granted `requires` (Schedule Issues without Edit Issues cannot rank: both are needed).
use super::{known_key, required, Params};
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::document::holder::Holder;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use rustc_hash::FxHashSet;
use std::ops::Range;

pub const PARAMS: &[&str] = &["permission", "requires"];

#[derive(Debug, Clone)]
pub struct RequirePair {
    pub permission: String,
    pub requires: String,
}

impl RequirePair {
    pub fn build(
        file: FileId,
        type_span: Range<usize>,
        p: &Params,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let a = required(file, type_span.clone(), &p.permission, "permission", diags)?;
        let b = required(file, type_span, &p.requires, "requires", diags)?;
        (known_key(file, a, diags) & known_key(file, b, diags)).then(|| Self {
            permission: a.get_ref().clone(),
            requires: b.get_ref().clone(),
        })
    }
}

pub fn check(r: &RequirePair, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
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
                meta.finding(&Location::new(s.file, h.span.clone()), &vars)
                    .with_subject(format!("{}/{}/{holder}", s.name.get_ref(), r.permission))
                    .with_label(format!("has {a_name} but not {b_name}")),
            );
        }
    }
}
