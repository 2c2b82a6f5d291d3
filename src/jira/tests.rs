//! Subject resolution: role membership, nested groups (with cycles), `anyone`, any
//! logged-in user, dynamic holders.
use super::subject::{holds, in_group, Level};
use crate::config::Config;
use crate::document::holder::Holder;
use crate::engine::Overrides;
use crate::pipeline;

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

fn level(who: &str, key: &str) -> Level {
    let docs: Vec<(String, String)> = [SCHEME, PROJECT, GROUPS]
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{i}.toml"), t.to_string()))
        .collect();
    let run = pipeline::check_texts(&docs, Config::default(), &Overrides::default());
    let model = &run.workspace.jira;
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
    let docs = vec![("g.toml".to_string(), GROUPS.to_string())];
    let run = pipeline::check_texts(&docs, Config::default(), &Overrides::default());
    let chain = in_group(&run.workspace.jira, &Holder::User("bob".into()), "all-devs");
    assert_eq!(chain.map(|c| c.len()), Some(3));
    assert!(in_group(&run.workspace.jira, &Holder::User("nobody".into()), "devs").is_none());
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
