//! Subject resolution: role membership, nested groups (with cycles), `anyone`, any
//! logged-in user, dynamic holders.
use super::build::{build, JiraDocs};
use super::subject::{holds, in_group, Grantees, Level, Subject};
use super::Model;
use crate::config::Config;
use crate::diagnostics::source::FileId;
use crate::document::holder::Holder;
use crate::document::Document;

const SCHEME: &str = r#"
kind = "jira-permission-scheme"
name = "S"
[grants]
BROWSE_PROJECTS = ["application-role"]
CREATE_ISSUES = ["anyone"]
EDIT_ISSUES = ["role:Developers"]
SCHEDULE_ISSUES = ["reporter"]
MANAGE_SPRINTS_PERMISSION = ["group:all-devs"]
ADMINISTER_PROJECTS = ["user:dave"]
"#;

const PROJECT: &str = r#"
kind = "jira-project"
key = "PLAT"
name = "Platform"
permission-scheme = "S"
[roles]
Developers = ["group:devs", "user:zoe"]
"#;

const GROUPS: &str = r#"
kind = "jira-groups"
[groups]
"devs" = ["user:alice", "group:juniors"]
"juniors" = ["user:bob", "group:devs"]
"all-devs" = ["group:devs"]
"#;

/// The Jira model of `texts`, joined as a run joins them (built-in configuration).
fn model_of<S: AsRef<str>>(texts: &[S]) -> Model {
    let mut docs = JiraDocs::default();
    for (i, text) in texts.iter().enumerate() {
        let file = FileId(u32::try_from(i).expect("few documents"));
        match crate::document::parse(file, text.as_ref()).document {
            Some(Document::JiraScheme(s)) => docs.schemes.push(s),
            Some(Document::JiraGlobal(g)) => docs.globals.push(g),
            Some(Document::JiraProject(p)) => docs.projects.push(p),
            Some(Document::JiraBoard(b)) => docs.boards.push(b),
            Some(Document::JiraGroups(g)) => docs.groups.push(g),
            _ => {}
        }
    }
    build(
        docs,
        Vec::new(),
        Config::default().jira.platform,
        &mut Vec::new(),
    )
}

/// The Jira documents of the examples' repository.
fn example_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut texts: Vec<(std::path::PathBuf, String)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|e| {
            Some((
                e.path().to_path_buf(),
                std::fs::read_to_string(e.path()).ok()?,
            ))
        })
        .collect();
    texts.sort();
    texts.into_iter().map(|(_, t)| t).collect()
}

fn level(who: &str, key: &str) -> Level {
    let model = &model_of(&[SCHEME, PROJECT, GROUPS]);
    let who = Holder::parse(who).unwrap_or(Holder::Anyone);
    holds(model, &who, 0, key).level
}

#[test]
fn role_membership_direct_and_through_groups() {
    assert_eq!(level("group:devs", "EDIT_ISSUES"), Level::Always);
    assert_eq!(level("user:zoe", "EDIT_ISSUES"), Level::Always);
    assert_eq!(level("user:bob", "EDIT_ISSUES"), Level::Always); // bob ∈ juniors ∈ devs
    assert_eq!(level("role:Developers", "EDIT_ISSUES"), Level::Always);
    assert_eq!(level("group:stakeholders", "EDIT_ISSUES"), Level::Never);
    assert_eq!(level("role:Users", "EDIT_ISSUES"), Level::Never);
}

#[test]
fn nested_groups_resolve_and_cycles_terminate() {
    assert_eq!(
        level("user:bob", "MANAGE_SPRINTS_PERMISSION"),
        Level::Always
    );
    assert_eq!(
        level("group:juniors", "MANAGE_SPRINTS_PERMISSION"),
        Level::Always
    );
    assert_eq!(
        level("user:carol", "MANAGE_SPRINTS_PERMISSION"),
        Level::Never
    );
    let model = model_of(&[GROUPS]);
    let chain = in_group(&model, &Holder::User("bob".into()), "all-devs");
    assert_eq!(chain.map(|c| c.len()), Some(3));
    assert!(in_group(&model, &Holder::User("nobody".into()), "devs").is_none());
}

#[test]
fn anyone_and_any_logged_in_user_cover_everybody() {
    assert_eq!(level("group:stakeholders", "CREATE_ISSUES"), Level::Always);
    assert_eq!(level("user:x", "BROWSE_PROJECTS"), Level::Always);
}

#[test]
fn dynamic_holders_grant_sometimes_and_single_users_only_themselves() {
    assert_eq!(level("group:devs", "SCHEDULE_ISSUES"), Level::Sometimes);
    assert_eq!(level("user:dave", "ADMINISTER_PROJECTS"), Level::Always);
    assert_eq!(level("group:devs", "ADMINISTER_PROJECTS"), Level::Never);
    assert_eq!(level("group:devs", "DELETE_ISSUES"), Level::Never);
}

/// The inverted per-permission index answers exactly what `level_in` answers, for every
/// subject, permission and project: over the examples' Jira repository and over this
/// file's documents plus a project without a scheme and one with dynamic holders only.
#[test]
fn grantees_agree_with_level_in() {
    let extra = [
        "kind = \"jira-project\"\nkey = \"LOST\"\nname = \"Lost\"\npermission-scheme = \"Gone\"\n",
        "kind = \"jira-permission-scheme\"\nname = \"D\"\n[grants]\nEDIT_ISSUES = [\"reporter\", \"user:dave\"]\n",
        "kind = \"jira-project\"\nkey = \"DYN\"\nname = \"Dyn\"\npermission-scheme = \"D\"\n[roles]\nDevelopers = [\"user:dave\"]\n",
    ];
    let texts: Vec<&str> = [SCHEME, PROJECT, GROUPS]
        .iter()
        .chain(&extra)
        .copied()
        .collect();
    let texts = model_of(&texts);
    let examples = model_of(&example_texts());
    assert!(
        !examples.projects.is_empty(),
        "the examples have Jira projects"
    );
    let mut compared = 0;
    for model in [&texts, &examples] {
        let mut whos: Vec<Holder> = ["group:devs", "group:juniors", "user:bob", "user:dave"]
            .iter()
            .filter_map(|w| Holder::parse(w).ok())
            .collect();
        let mut keys = vec!["DELETE_ISSUES".to_string()];
        for s in &model.schemes {
            for g in &s.grants {
                keys.push(g.permission.get_ref().to_string());
                whos.extend(g.holders.iter().map(|h| h.holder.clone()));
            }
        }
        for p in &model.projects {
            for r in &p.roles {
                whos.push(Holder::Role(crate::diagnostics::text::name(
                    r.role.get_ref(),
                )));
                whos.extend(r.members.iter().map(|m| m.holder.clone()));
            }
        }
        for key in &keys {
            let grantees = Grantees::new(model, key);
            for who in &whos {
                let subject = Subject::new(model, who);
                let all = grantees.levels(&subject);
                for (p, got) in all.iter().enumerate() {
                    let want = super::subject::level(model, &subject, p, key);
                    assert_eq!(*got, want, "{who} {key} in project {p}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1_000, "compared {compared}");
}

/// RL028's look-up: a value that is one project's key and another project's name, in either
/// order of the documents, and also when a third project has the key as its own name.
#[test]
fn a_key_that_is_another_projects_name() {
    let project = |key: &str, name: &str| {
        format!("kind = \"jira-project\"\nkey = \"{key}\"\nname = \"{name}\"\npermission-scheme = \"S\"\n")
    };
    for order in [
        vec![project("OPS", "Operations"), project("LEG", "ops")],
        vec![project("LEG", "ops"), project("OPS", "Operations")],
        vec![project("OPS", "OPS"), project("LEG", "Ops")],
    ] {
        let mut docs = vec![SCHEME.to_string()];
        docs.extend(order);
        let model = &model_of(&docs);
        let (keyed, named) = model.key_and_other_name("Ops").expect("a clash");
        assert_eq!(model.projects[keyed].key.get_ref(), "OPS");
        assert_eq!(model.projects[named].key.get_ref(), "LEG");
        assert_eq!(model.key_and_other_name("LEG"), None, "LEG is only a key");
        assert_eq!(model.key_and_other_name("Operations"), None, "only a name");
    }
}
