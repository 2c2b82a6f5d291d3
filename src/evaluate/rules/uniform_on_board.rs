//! `type = "uniform-on-board"`: a holder granted `permission` in one project of a board must
//! have it in every project of the board (Manage Sprints is checked in all of them, so a
//! grant in some projects only leaves the sprint buttons greyed out).
use super::{known_key, required, Entry, JiraCheck, ResolveCx, Resolved, RuleType};
use crate::diagnostics::source::Location;
use crate::diagnostics::{fill, Diagnostic};
use crate::document::holder::Holder;
use crate::evaluate::policy::RuleMeta;
use crate::jira::Model;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::any::Any;
use toml::Spanned;

/// A project of the board, where the board names it, and its holders of the permission
/// (hashed: each is looked up once per holder of the board, and a list may be long).
type Row<'a> = (usize, &'a Location, FxHashMap<&'a Holder, Location>);

/// The parameters of a uniform-on-board entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Params {
    #[serde(default)]
    pub permission: Option<Spanned<String>>,
}

/// The wording of a uniform-on-board rule's findings (`policies/rule-types.toml` explains each).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub label: String,
    pub granted_here: String,
}

#[derive(Debug, Clone)]
pub struct UniformOnBoard {
    pub permission: String,
    pub text: Text,
}

impl RuleType for UniformOnBoard {
    const NAME: &'static str = "uniform-on-board";
    type Params = Params;
    type Text = Text;

    fn build(entry: &Entry, p: Params, text: Text, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let key = required(entry, &p.permission, "permission", diags)?;
        known_key(entry.file, key, diags).then(|| Self {
            permission: key.get_ref().clone(),
            text,
        })
    }

    fn resolve(&self, _: &ResolveCx<'_>, _: &mut Vec<Diagnostic>) -> Option<Resolved> {
        Some(Resolved::Jira(Box::new(self.clone())))
    }
}

impl JiraCheck for UniformOnBoard {
    fn check(&self, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
        check(self, meta, model, out)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn check(r: &UniformOnBoard, meta: &RuleMeta, model: &Model, out: &mut Vec<Diagnostic>) {
    let name = model.permission_name(&r.permission);
    // A complex filter is reported by RL027; comparing every project of the repository
    // pairwise would bury that one finding under noise.
    for b in model.boards.iter().filter(|b| !b.complex()) {
        // Projects whose scheme is known, with their holders of the permission.
        let rows: Vec<Row> = (b.projects())
            .filter_map(|(project, location)| {
                let s = model.scheme_of(project)?;
                let mut hs = FxHashMap::default();
                for h in s.holders(&r.permission) {
                    hs.entry(&h.holder)
                        .or_insert_with(|| Location::new(s.file, h.span.clone()));
                }
                Some((project, location, hs))
            })
            .collect();
        if rows.len() < 2 {
            continue;
        }
        let mut holders: Vec<&Holder> = rows
            .iter()
            .flat_map(|(_, _, hs)| hs.keys().copied())
            .collect();
        holders.sort();
        holders.dedup();
        for h in holders {
            let having: Vec<(usize, &Location)> = rows
                .iter()
                .filter_map(|(p, _, hs)| hs.get(h).map(|l| (*p, l)))
                .collect();
            let Some((first_p, first_loc)) = having.first() else {
                continue;
            };
            let granted_in = having
                .iter()
                .map(|(p, _)| format!("`{}`", model.projects[*p].key.get_ref()))
                .collect::<Vec<_>>()
                .join(", ");
            for (p, at, hs) in &rows {
                if hs.contains_key(h) {
                    continue;
                }
                let project = model.projects[*p].key.get_ref();
                let scheme = model
                    .scheme_of(*p)
                    .map_or("", |s| s.name.get_ref().as_str());
                let holder = h.to_string();
                let vars = [
                    ("board", b.board.name.get_ref().as_str()),
                    ("holder", holder.as_str()),
                    ("permission", name.as_str()),
                    ("project", project.as_str()),
                    ("scheme", scheme),
                    ("granted-in", granted_in.as_str()),
                ];
                out.push(
                    meta.finding(at, &vars, &format!("{}/{project}/{holder}", b.board.name.get_ref()))
                        .with_label(fill(&r.text.label, &vars))
                        .with_secondary(
                            (*first_loc).clone(),
                            fill(
                                &r.text.granted_here,
                                &[("project", model.projects[*first_p].key.get_ref())],
                            ),
                        ),
                );
            }
        }
    }
}
