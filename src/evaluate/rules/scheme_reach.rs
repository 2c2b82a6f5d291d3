//! `type = "scheme-reach"`: a permission scheme shared by more than `max-projects` projects.
//! An edit meant for one project changes every one of them; the finding lists them all.
use super::{required, Entry, JiraCheck, ResolveCx, Resolved, RuleType};
use crate::diagnostics::says;
use crate::diagnostics::source::Location;
use crate::diagnostics::{fill, Diagnostic};
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use serde::Deserialize;
use std::any::Any;
use toml::Spanned;

/// The parameters of a scheme-reach entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default)]
    pub max_projects: Option<Spanned<i64>>,
}

/// The wording of a scheme-reach rule's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub label: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct SchemeReach {
    pub max_projects: usize,
    pub text: Text,
}

impl RuleType for SchemeReach {
    const NAME: &'static str = "scheme-reach";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let file = entry.file;
        let m = required(entry, &p.max_projects, "max-projects", diags)?;
        match usize::try_from(*m.get_ref()) {
            Ok(max_projects) if max_projects > 0 => Some(Self { max_projects, text }),
            _ => {
                diags.push(says::MaxProjectsNotPositive.at(file, m.span()));
                None
            }
        }
    }

    fn resolve(&self, _: &ResolveCx<'_>, _: &mut Vec<Diagnostic>) -> Option<Resolved> {
        Some(Resolved::Jira(Box::new(self.clone())))
    }
}

impl JiraCheck for SchemeReach {
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
        check(self, meta, model, out)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn check(r: &SchemeReach, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
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
            meta.finding(&Location::new(s.file, s.name.span()), &vars, &s.name.get_ref().clone())
                .with_label(fill(&r.text.label, &vars))
                .with_note(fill(&r.text.note, &vars)),
        );
    }
}
