//! `type = "scheme-reach"`: a permission scheme shared by more than `max-projects` projects.
//! An edit meant for one project changes every one of them; the finding lists them all.
use super::{required, Params};
use crate::diagnostics::source::{FileId, Location};
use crate::diagnostics::Diagnostic;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use std::ops::Range;

pub const PARAMS: &[&str] = &["max-projects"];

#[derive(Debug, Clone)]
pub struct SchemeReach {
    pub max_projects: usize,
}

impl SchemeReach {
    pub fn build(
        file: FileId,
        type_span: Range<usize>,
        p: &Params,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let m = required(file, type_span, &p.max_projects, "max-projects", diags)?;
        match usize::try_from(*m.get_ref()) {
            Ok(max_projects) if max_projects > 0 => Some(Self { max_projects }),
            _ => {
                let msg = "`max-projects` must be a positive number".to_string();
                diags.push(super::policy_error(
                    file,
                    m.span(),
                    msg,
                    "not a positive number",
                ));
                None
            }
        }
    }
}

pub fn check(r: &SchemeReach, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
    // One pass over the projects, not one per scheme.
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); model.schemes.len()];
    for (p, scheme) in model.project_scheme.iter().enumerate() {
        if let Some(list) = scheme.and_then(|i| reach.get_mut(i)) {
            list.push(p);
        }
    }
    for (s, members) in model.schemes.iter().zip(&reach) {
        if members.len() <= r.max_projects {
            continue;
        }
        let projects: Vec<String> = members
            .iter()
            .map(|&p| format!("`{}`", model.projects[p].key.get_ref()))
            .collect();
        let count = projects.len().to_string();
        let max = r.max_projects.to_string();
        let list = projects.join(", ");
        let vars = [
            ("scheme", s.name.get_ref().as_str()),
            ("count", count.as_str()),
            ("max", max.as_str()),
            ("projects", list.as_str()),
        ];
        out.push(
            meta.finding(&Location::new(s.file, s.name.span()), &vars)
                .with_subject(s.name.get_ref().clone())
                .with_label(format!("used by {count} projects"))
                .with_note(format!("projects on this scheme: {list}")),
        );
    }
}
