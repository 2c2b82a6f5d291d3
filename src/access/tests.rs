//! `access` and `why` agree: every subject × project × permission, every subject × global
//! permission and every subject × board × capability of fixture repositories.
use super::{build, Access, Item, Scope};
use crate::config::Config;
use crate::config::Overrides;
use crate::document::holder::Holder;
use crate::jira::derive::{self, LevelCache};
use crate::jira::subject::{holds, holds_global, Level};
use crate::jira::Model;
use crate::pipeline::{self, Run};
use std::collections::BTreeSet;

/// Nested groups with a cycle, `anyone`, any logged-in user, an application role, dynamic
/// holders, a user granted directly, a project without a scheme, a board admin holding no
/// permission, a board with a complex filter and one over two schemes.
const DOCS: &[&str] = &[
    r#"kind = "jira-permission-scheme"
name = "Delivery"
[grants]
BROWSE_PROJECTS = ["role:Users", "role:Developers", "group:auditors"]
CREATE_ISSUES = ["anyone"]
EDIT_ISSUES = ["role:Developers", "assignee"]
SCHEDULE_ISSUES = ["role:Developers", "reporter"]
MANAGE_SPRINTS_PERMISSION = ["group:all-devs"]
ADMINISTER_PROJECTS = ["user:dave", "role:Administrators"]
DELETE_ISSUES = ["user-field:approver"]
"#,
    r#"kind = "jira-permission-scheme"
name = "Ops"
[grants]
BROWSE_PROJECTS = ["application-role"]
EDIT_ISSUES = ["role:Developers"]
SCHEDULE_ISSUES = ["group:juniors"]
MANAGE_SPRINTS_PERMISSION = ["role:Administrators", "application-role:jira-software"]
ADMINISTER_PROJECTS = ["role:Administrators"]
"#,
    r#"kind = "jira-project"
key = "PLAT"
name = "Platform"
permission-scheme = "Delivery"
workflow = "simplified"
[roles]
Developers = ["group:devs", "user:zoe"]
Users = ["group:contractors"]
Administrators = ["group:leads"]
"#,
    r#"kind = "jira-project"
key = "OPS"
name = "Operations"
permission-scheme = "Ops"
[roles]
Developers = ["group:juniors"]
Administrators = ["user:erin"]
"#,
    r#"kind = "jira-project"
key = "LOST"
name = "Lost"
permission-scheme = "Gone"
"#,
    r#"kind = "jira-groups"
[groups]
"devs" = ["user:alice", "group:juniors"]
"juniors" = ["user:bob", "group:devs"]
"all-devs" = ["group:devs"]
"leads" = ["user:dave"]
"contractors" = ["user:carl", "user:bob"]
"board-owners" = ["user:olga"]
"#,
    r#"kind = "jira-global-permissions"
[grants]
ADMINISTER = ["group:leads"]
CREATE_SHARED_OBJECTS = ["anyone"]
"#,
    r#"kind = "jira-board"
name = "Plat"
projects = ["PLAT"]
admins = ["group:board-owners"]
"#,
    r#"kind = "jira-board"
name = "Both"
projects = ["PLAT", "OPS"]
admins = ["user:zoe"]
"#,
    r#"kind = "jira-board"
name = "Everything"
filter = "project = PLAT OR labels = x"
admins = ["group:leads"]
"#,
    r#"kind = "jira-board"
name = "Everything too"
filter = "labels = y"
admins = ["user:carl"]
"#,
];

fn fixture() -> Run {
    let docs: Vec<(String, String)> = DOCS
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{i}.toml"), t.to_string()))
        .collect();
    pipeline::check_texts(&docs, Config::default(), &Overrides::default())
}

fn examples() -> Run {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    pipeline::check_repository(&root, Config::default(), Default::default())
        .unwrap_or_else(|e| panic!("examples load: {e:?}"))
}

/// Every group, role and user the model names, and one it does not.
fn subjects(model: &Model) -> BTreeSet<Holder> {
    let mut out = BTreeSet::from([Holder::User("nobody".into())]);
    let mut add = |h: &Holder| {
        if matches!(h, Holder::Group(_) | Holder::Role(_) | Holder::User(_)) {
            out.insert(h.clone());
        }
    };
    for (g, members) in &model.groups {
        add(&Holder::Group(crate::diagnostics::text::name(g)));
        members.iter().for_each(|(m, _)| add(m));
    }
    for s in &model.schemes {
        s.grants
            .iter()
            .flat_map(|g| &g.holders)
            .for_each(|h| add(&h.holder));
    }
    for g in &model.globals {
        g.grants
            .iter()
            .flat_map(|g| &g.holders)
            .for_each(|h| add(&h.holder));
    }
    for p in &model.projects {
        for r in &p.roles {
            add(&Holder::Role(crate::diagnostics::text::name(
                r.role.get_ref(),
            )));
            r.members.iter().for_each(|m| add(&m.holder));
        }
    }
    for b in &model.boards {
        b.board.admins.iter().for_each(|a| add(&a.holder));
    }
    out
}

fn agree(model: &Model, access: &Access) -> usize {
    let cat = crate::catalog::PermissionCatalog::builtin();
    let mut compared = 0;
    let cache = LevelCache::default();
    for who in subjects(model) {
        for p in &cat.permission {
            let item = Item::Permission(p.key.clone());
            let want = holds_global(model, &who, &p.key).level;
            assert_eq!(
                access.level(&who, &Scope::Global, &item).0,
                want,
                "{who} {}",
                p.key
            );
            for (i, project) in model.projects.iter().enumerate() {
                let scope = Scope::Project(project.key.get_ref().clone());
                let want = holds(model, &who, i, &p.key).level;
                let got = access.level(&who, &scope, &item);
                assert_eq!(got, (want, want), "{who} {} in {scope}", p.key);
                compared += 2;
            }
        }
        for board in &model.boards {
            let scope = Scope::Board(board.board.name.get_ref().clone());
            for cap in &model.capabilities {
                let o = derive::evaluate(model, board, cap, &who, usize::MAX, &cache);
                let item = Item::Capability(cap.id.get_ref().clone());
                let got = access.level(&who, &scope, &item);
                assert_eq!(got, (o.guaranteed, o.possible), "{who} {item:?} on {scope}");
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn access_and_why_agree_on_every_subject_scope_and_item() {
    let mut compared = 0;
    for run in [fixture(), examples()] {
        let model = &run.workspace.jira;
        assert!(
            !model.capabilities.is_empty(),
            "the built-in capabilities load"
        );
        compared += agree(model, &build(model));
    }
    assert!(compared > 10_000, "compared {compared}");
}

#[test]
fn facts_are_sorted_unique_and_grouped_by_subject() {
    let run = fixture();
    let access = build(&run.workspace.jira);
    let facts: Vec<_> = access.iter().collect();
    assert!(facts.windows(2).all(|w| w[0].key() < w[1].key()));
    assert!(facts.iter().all(|f| !f.via.is_empty()
        && f.via.windows(2).all(|w| w[0] < w[1])
        && f.possible >= f.guaranteed
        && f.possible > Level::Never));
    // bob is in juniors and, through the cycle, in devs: one fact, both ways.
    let bob = Holder::User("bob".into());
    let plat = Scope::Project("PLAT".into());
    let edit = Item::Permission("EDIT_ISSUES".into());
    let fact = access.get(&bob, &plat, &edit).expect("bob edits in PLAT");
    assert_eq!(fact.guaranteed, Level::Always);
}

#[test]
fn building_twice_gives_the_same_model() {
    let run = fixture();
    let (a, b) = (build(&run.workspace.jira), build(&run.workspace.jira));
    assert!(a.iter().eq(b.iter()));
}

/// `rolelint access` builds only what its filter can show ([`Filter::only`]): the rows are
/// those of the whole model, for every filter of one dimension and pairs of them.
#[test]
fn a_filtered_build_selects_the_rows_of_the_whole_model() {
    use super::query::{select, Filter};
    for run in [fixture(), examples()] {
        let model = &run.workspace.jira;
        let full = build(model);
        let mut filters = vec![Filter::default()];
        let one = |f: &mut Vec<Filter>, set: &dyn Fn(&mut Filter)| {
            let mut x = Filter::default();
            set(&mut x);
            f.push(x);
        };
        for p in &model.projects {
            let k = p.key.get_ref().clone();
            one(&mut filters, &|f| f.project = Some(k.clone()));
        }
        for b in &model.boards {
            let n = b.board.name.get_ref().clone();
            one(&mut filters, &|f| f.board = Some(n.clone()));
            if let Some(p) = model.projects.first() {
                let k = p.key.get_ref().clone();
                one(&mut filters, &|f| {
                    f.board = Some(n.clone());
                    f.project = Some(k.clone());
                    f.capability = Some("start-sprint".into());
                });
            }
        }
        for k in ["BROWSE_PROJECTS", "ADMINISTER_PROJECTS", "ADMINISTER"] {
            one(&mut filters, &|f| f.permission = Some(k.into()));
        }
        for c in &model.capabilities {
            let id = c.id.get_ref().clone();
            one(&mut filters, &|f| f.capability = Some(id.clone()));
            one(&mut filters, &|f| {
                f.capability = Some(id.clone());
                f.permission = Some("EDIT_ISSUES".into());
            });
        }
        for filter in &filters {
            let part = super::build_only(model, &filter.only(model));
            let (mut m1, mut m2) = (Vec::new(), Vec::new());
            let want: Vec<_> = select(&full, filter, &mut m1)
                .iter()
                .map(|r| r.to_fact())
                .collect();
            let got: Vec<_> = select(&part, filter, &mut m2)
                .iter()
                .map(|r| r.to_fact())
                .collect();
            assert_eq!(got, want, "{filter:?}");
        }
    }
}
