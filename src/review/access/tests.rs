//! The Access section on documents given as text: each kind of change gives the entries and
//! causes it should, and a side against itself gives none.
use super::{AccessChange, Cause, Entry, Mark};
use crate::access::{Item, Scope};
use crate::config::Config;
use crate::config::Overrides;
use crate::document::holder::Holder;
use crate::pipeline::{check_texts, Run};

const SCHEME_A: &str = r#"kind = "jira-permission-scheme"
name = "A"
[grants]
BROWSE_PROJECTS = ["group:devs"]
EDIT_ISSUES = ["role:Developers"]
"#;

const SCHEME_B: &str = r#"kind = "jira-permission-scheme"
name = "B"
[grants]
BROWSE_PROJECTS = ["group:devs"]
ADMINISTER_PROJECTS = ["group:devs"]
"#;

const GROUPS: &str = r#"kind = "jira-groups"
[groups]
devs = ["user:alice"]
"#;

fn project(key: &str, scheme: &str) -> String {
    format!(
        "kind = \"jira-project\"\nkey = \"{key}\"\nname = \"{key}\"\npermission-scheme = \"{scheme}\"\n[roles]\nDevelopers = [\"user:bob\"]\n"
    )
}

fn run(docs: &[(&str, String)]) -> Run {
    let docs: Vec<(String, String)> = (docs.iter())
        .map(|(p, t)| (p.to_string(), t.clone()))
        .collect();
    check_texts(&docs, Config::default(), &Overrides::default())
}

fn base() -> Vec<(&'static str, String)> {
    vec![
        ("a.toml", SCHEME_A.to_string()),
        ("b.toml", SCHEME_B.to_string()),
        ("groups.toml", GROUPS.to_string()),
        ("p1.toml", project("P1", "A")),
        ("p2.toml", project("P2", "A")),
        ("p3.toml", project("P3", "A")),
    ]
}

/// [`base`] with a board over P1 and one whose filter spans every project.
fn with_boards(mut docs: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    docs.push(("board.toml", BOARD.to_string()));
    docs.push(("wide.toml", WIDE.to_string()));
    docs
}

const BOARD: &str =
    "kind = \"jira-board\"\nname = \"Board\"\nprojects = [\"P1\"]\nadmins = [\"user:dave\"]\n";

/// A board whose filter spans every project.
const WIDE: &str =
    "kind = \"jira-board\"\nname = \"Wide\"\nfilter = \"project = P1 OR labels = x\"\n";

/// The change from [`base`] to `head`; building only what it reaches gives what building
/// everything gives.
fn change(head: &[(&str, String)]) -> AccessChange {
    change_from(&base(), head)
}

fn change_from(base: &[(&str, String)], head: &[(&str, String)]) -> AccessChange {
    let (a, b) = (run(base), run(head));
    let (a, b) = (&a.workspace.jira, &b.workspace.jira);
    let scoped = AccessChange::between(a, b);
    let full = AccessChange::of(a, &crate::access::build(a), b, &crate::access::build(b));
    assert_eq!(scoped.gained, full.gained);
    assert_eq!(scoped.lost, full.lost);
    scoped
}

fn with(path: &'static str, text: &str) -> Vec<(&'static str, String)> {
    let mut docs = base();
    docs.retain(|(p, _)| *p != path);
    docs.push((path, text.to_string()));
    docs
}

fn user(n: &str) -> Holder {
    Holder::User(crate::diagnostics::text::name(n))
}

fn projects(keys: &[&str]) -> Vec<Scope> {
    keys.iter().map(|k| Scope::Project(k.to_string())).collect()
}

#[test]
fn a_side_against_itself_changes_nothing() {
    let c = change(&base());
    assert!(c.is_empty(), "{c:?}");
    assert_eq!((c.facts_gained, c.facts_lost), (0, 0));
}

#[test]
fn a_group_member_gains_what_the_group_holds_in_every_project() {
    let c = change(&with(
        "groups.toml",
        "kind = \"jira-groups\"\n[groups]\ndevs = [\"user:alice\", \"user:carl\"]\n",
    ));
    assert!(c.lost.is_empty(), "{c:?}");
    assert_eq!(
        c.gained,
        [Entry {
            marks: vec![],
            subjects: vec![user("carl")],
            items: vec![Item::Permission("BROWSE_PROJECTS".into())],
            scopes: projects(&["P1", "P2", "P3"]),
            from: super::NONE,
            to: (super::Level::Always, super::Level::Always),
            causes: vec![Cause::GroupMember {
                group: "devs".into(),
                member: user("carl"),
            }],
        }]
    );
    assert_eq!(c.facts_gained, 3);
}

#[test]
fn one_scheme_edit_is_one_entry_for_its_projects_and_holders() {
    let c = change(&with(
        "a.toml",
        &SCHEME_A.replace(
            "EDIT_ISSUES",
            "DELETE_ISSUES = [\"group:devs\"]\nEDIT_ISSUES",
        ),
    ));
    assert_eq!(c.gained.len(), 1, "{c:?}");
    let e = &c.gained[0];
    assert_eq!(e.marks, [Mark::Delete]);
    assert_eq!(e.subjects, [Holder::Group("devs".into()), user("alice")]);
    assert_eq!(e.scopes, projects(&["P1", "P2", "P3"]));
    assert_eq!(
        e.causes,
        [Cause::SchemeGrant {
            scheme: "A".into(),
            holder: Holder::Group("devs".into())
        }]
    );
}

#[test]
fn a_project_switching_schemes_gains_and_loses_with_the_switch_as_cause() {
    let c = change(&with("p2.toml", &project("P2", "B")));
    let switch = Cause::SchemeSwitch {
        project: "P2".into(),
        from: Some("A".into()),
        to: Some("B".into()),
    };
    // Administer Projects first: it is marked.
    assert_eq!(c.gained[0].marks, [Mark::Admin], "{c:?}");
    assert_eq!(
        c.gained[0].subjects,
        [Holder::Group("devs".into()), user("alice")]
    );
    assert!(c.gained.iter().all(|e| e.causes == [switch.clone()]));
    // Browse Projects is granted to devs by both schemes: neither gained nor lost.
    let lost: Vec<&Item> = c.lost.iter().flat_map(|e| &e.items).collect();
    assert_eq!(lost, [&Item::Permission("EDIT_ISSUES".into())], "{c:?}");
    assert!(c.lost.iter().all(|e| e.causes == [switch.clone()]));
    assert_eq!(
        c.lost[0].subjects,
        [Holder::Role("Developers".into()), user("bob")]
    );
}

#[test]
fn an_anyone_grant_is_public_and_first_and_members_gain_nothing_more() {
    let c = change(&with(
        "a.toml",
        &SCHEME_A.replace("EDIT_ISSUES", "CREATE_ISSUES = [\"anyone\"]\nEDIT_ISSUES"),
    ));
    assert_eq!(c.gained.len(), 1, "{c:?}");
    assert_eq!(c.gained[0].marks, [Mark::Public]);
    assert_eq!(c.gained[0].subjects, [Holder::Anyone]);
    // A group given what anyone already has gains nothing.
    let base_with_anyone = with(
        "a.toml",
        &SCHEME_A.replace("EDIT_ISSUES", "CREATE_ISSUES = [\"anyone\"]\nEDIT_ISSUES"),
    );
    let head = {
        let mut d = base_with_anyone.clone();
        d.retain(|(p, _)| *p != "a.toml");
        d.push((
            "a.toml",
            SCHEME_A.replace(
                "EDIT_ISSUES",
                "CREATE_ISSUES = [\"anyone\", \"group:devs\"]\nEDIT_ISSUES",
            ),
        ));
        d
    };
    let (a, b) = (run(&base_with_anyone), run(&head));
    let c = AccessChange::between(&a.workspace.jira, &b.workspace.jira);
    assert!(c.is_empty(), "{c:?}");
}

#[test]
fn a_role_member_change_names_the_project_and_role() {
    let mut p1 = project("P1", "A");
    p1 = p1.replace("[\"user:bob\"]", "[\"user:bob\", \"group:devs\"]");
    let c = change(&with("p1.toml", &p1));
    assert!(c.lost.is_empty());
    assert_eq!(c.gained.len(), 1, "{c:?}");
    assert_eq!(
        c.gained[0].causes,
        [Cause::RoleMember {
            project: "P1".into(),
            role: "Developers".into(),
            member: Holder::Group("devs".into()),
        }]
    );
    assert_eq!(c.gained[0].scopes, projects(&["P1"]));
}

#[test]
fn changes_reaching_boards_are_the_same_built_in_part_or_in_full() {
    let boards = || with_boards(base());
    let board = |text: String| {
        let mut d = boards();
        d.retain(|(p, _)| *p != "board.toml");
        d.push(("board.toml", text));
        change_from(&boards(), &d)
    };
    let c = board(BOARD.replace("user:dave", "group:devs"));
    assert!(
        !c.gained.is_empty() && !c.lost.is_empty(),
        "devs gain, dave loses: {c:?}"
    );
    assert!(c
        .gained
        .iter()
        .all(|e| e.scopes == [Scope::Board("Board".into())]));
    board(BOARD.replace("[\"P1\"]", "[\"P1\", \"P2\"]"));
    board(BOARD.replace("[\"P1\"]", "[\"P3\"]"));
    // Scheme, group and project changes reach the boards; `change_from` compares.
    for (path, text) in [
        (
            "a.toml",
            SCHEME_A.replace("role:Developers", "role:Developers\", \"group:devs"),
        ),
        (
            "groups.toml",
            "kind = \"jira-groups\"\n[groups]\ndevs = []\n".to_string(),
        ),
        ("p3.toml", project("P3", "B")),
    ] {
        let mut d = boards();
        d.retain(|(p, _)| *p != path);
        d.push((path, text));
        let c = change_from(&boards(), &d);
        assert!(!c.is_empty(), "{path}");
    }
}

/// Seeded variations: a small repository drawn at random (nested groups, roles, schemes
/// with capability-relevant grants to every kind of holder, simplified projects, boards
/// over listed projects and over every project, global permissions), then one random edit.
/// Building only what the edit reaches, judging boards only for the subjects whose
/// permissions move, gives what building everything gives, both ways round.
#[test]
fn random_edits_give_the_same_change_built_in_part_or_in_full() {
    for seed in 1..=60u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let base = World::draw(&mut rng);
        let mut head = base.clone();
        for _ in 0..=rng.below(2) {
            head.edit(&mut rng);
        }
        let (a, b) = (base.docs(), head.docs());
        fn refs(d: &[(String, String)]) -> Vec<(&str, String)> {
            d.iter().map(|(p, t)| (p.as_str(), t.clone())).collect()
        }
        // `change_from` asserts the equality; the seed names the failing case.
        let run = |x: &[(String, String)], y: &[(String, String)]| {
            std::panic::catch_unwind(|| change_from(&refs(x), &refs(y)))
                .unwrap_or_else(|_| panic!("seed {seed}: {:#?}\n-- to --\n{:#?}", x, y))
        };
        run(&a, &b);
        run(&b, &a);
    }
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn some(&mut self, from: &[&str], most: usize) -> Vec<String> {
        let mut v: Vec<String> = (0..self.below(most + 1))
            .map(|_| self.pick(from).to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

const PERMISSIONS: &[&str] = &[
    "BROWSE_PROJECTS",
    "EDIT_ISSUES",
    "SCHEDULE_ISSUES",
    "MANAGE_SPRINTS_PERMISSION",
    "CREATE_ISSUES",
    "ADMINISTER_PROJECTS",
    "DELETE_ISSUES",
];
const GLOBALS: &[&str] = &["ADMINISTER", "CREATE_SHARED_OBJECTS"];
const HOLDERS: &[&str] = &[
    "group:g0",
    "group:g1",
    "group:g2",
    "group:g3",
    "role:Developers",
    "role:Users",
    "user:u0",
    "user:u1",
    "user:u2",
    "anyone",
    "application-role",
    "reporter",
];
const MEMBERS: &[&str] = &[
    "group:g0", "group:g1", "group:g2", "user:u0", "user:u1", "user:u2", "user:u3", "user:u4",
];
const ROLE_MEMBERS: &[&str] = &["group:g0", "group:g2", "group:g3", "user:u1", "user:u4"];
const ADMINS: &[&str] = &["group:g1", "group:g3", "user:u0", "user:u3"];
const PROJECTS: &[&str] = &["P0", "P1", "P2", "P3", "P4"];

#[derive(Clone, Debug)]
struct World {
    groups: Vec<Vec<String>>,
    schemes: Vec<Vec<(String, Vec<String>)>>,
    /// (scheme, simplified, Developers, Users)
    projects: Vec<(usize, bool, Vec<String>, Vec<String>)>,
    /// (listed projects or every project, admins)
    boards: Vec<(Option<Vec<String>>, Vec<String>)>,
    globals: Vec<(String, Vec<String>)>,
}

impl World {
    fn draw(r: &mut Rng) -> Self {
        let grants = |r: &mut Rng, keys: &[&str]| -> Vec<(String, Vec<String>)> {
            let mut out = Vec::new();
            for k in keys {
                if r.below(4) > 0 {
                    out.push((k.to_string(), r.some(HOLDERS, 3)));
                }
            }
            out
        };
        World {
            groups: (0..4).map(|_| r.some(MEMBERS, 3)).collect(),
            schemes: (0..3).map(|_| grants(r, PERMISSIONS)).collect(),
            projects: (0..PROJECTS.len())
                .map(|_| {
                    (
                        r.below(3),
                        r.below(3) == 0,
                        r.some(ROLE_MEMBERS, 2),
                        r.some(ROLE_MEMBERS, 2),
                    )
                })
                .collect(),
            boards: (0..4)
                .map(|i| {
                    let projects = (i > 0).then(|| {
                        let mut p = r.some(PROJECTS, 2);
                        if p.is_empty() {
                            p.push(PROJECTS[i].to_string());
                        }
                        p
                    });
                    (projects, r.some(ADMINS, 2))
                })
                .collect(),
            globals: grants(r, GLOBALS),
        }
    }

    /// One edit of one document.
    fn edit(&mut self, r: &mut Rng) {
        match r.below(7) {
            0 => {
                let g = r.below(self.groups.len());
                self.groups[g] = r.some(MEMBERS, 3);
            }
            1 => {
                let s = &mut self.schemes[r.below(3)];
                let k = r.pick(PERMISSIONS).to_string();
                s.retain(|(x, _)| *x != k);
                s.push((k, r.some(HOLDERS, 3)));
            }
            2 => {
                let p = r.below(self.projects.len());
                self.projects[p].0 = r.below(3);
            }
            3 => {
                let p = &mut self.projects[r.below(PROJECTS.len())];
                p.1 = !p.1;
                p.2 = r.some(ROLE_MEMBERS, 2);
            }
            4 => {
                let b = &mut self.boards[r.below(4)];
                b.1 = r.some(ADMINS, 2);
            }
            5 => {
                let b = &mut self.boards[1 + r.below(3)];
                b.0 = Some(r.some(PROJECTS, 3));
            }
            _ => {
                let k = r.pick(GLOBALS).to_string();
                self.globals.retain(|(x, _)| *x != k);
                self.globals.push((k, r.some(HOLDERS, 2)));
            }
        }
    }

    fn docs(&self) -> Vec<(String, String)> {
        let list = |v: &[String]| {
            let q: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
            format!("[{}]", q.join(", "))
        };
        let grants = |g: &[(String, Vec<String>)]| -> String {
            g.iter()
                .map(|(k, h)| format!("{k} = {}\n", list(h)))
                .collect()
        };
        let mut out = Vec::new();
        let mut groups = String::from("kind = \"jira-groups\"\n[groups]\n");
        for (i, m) in self.groups.iter().enumerate() {
            groups.push_str(&format!("g{i} = {}\n", list(m)));
        }
        out.push(("groups.toml".to_string(), groups));
        for (i, s) in self.schemes.iter().enumerate() {
            out.push((
                format!("s{i}.toml"),
                format!(
                    "kind = \"jira-permission-scheme\"\nname = \"S{i}\"\n[grants]\n{}",
                    grants(s)
                ),
            ));
        }
        for (i, (s, simplified, dev, users)) in self.projects.iter().enumerate() {
            let workflow = if *simplified { "simplified" } else { "classic" };
            out.push((
                format!("p{i}.toml"),
                format!(
                    "kind = \"jira-project\"\nkey = \"{k}\"\nname = \"{k}\"\npermission-scheme = \"S{s}\"\nworkflow = \"{workflow}\"\n[roles]\nDevelopers = {}\nUsers = {}\n",
                    list(dev),
                    list(users),
                    k = PROJECTS[i]
                ),
            ));
        }
        for (i, (projects, admins)) in self.boards.iter().enumerate() {
            let scope = match projects {
                Some(p) => format!("projects = {}", list(p)),
                None => "filter = \"project = P0 OR labels = x\"".to_string(),
            };
            out.push((
                format!("b{i}.toml"),
                format!(
                    "kind = \"jira-board\"\nname = \"B{i}\"\ntype = \"scrum\"\n{scope}\nadmins = {}\n",
                    list(admins)
                ),
            ));
        }
        out.push((
            "global.toml".to_string(),
            format!(
                "kind = \"jira-global-permissions\"\n[grants]\n{}",
                grants(&self.globals)
            ),
        ));
        out
    }
}
