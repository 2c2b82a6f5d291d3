//! Every board capability against the Jira "Permissions overview" tables, written out here
//! independently of `policies/board-capabilities.toml`: granting exactly what the table lists
//! satisfies a `can`, taking away any one piece breaks it, and a `cannot` is broken by the full
//! grant. The derivation of each capability's first failing case is snapshotted.
use rolelint::config::Config;
use rolelint::config::Overrides;
use rolelint::pipeline;

/// One small Jira instance: scheme `S` grants `grants` (and nothing else, not even Browse
/// Projects) to `role:Developers`, whose members are
/// `group:devs` in each project; `globals` go to `group:devs` as global permissions. With
/// `grants_p2`, project `P2` has its own scheme `S2` granting those instead.
struct Setup<'a> {
    grants: &'a [&'a str],
    grants_p2: Option<&'a [&'a str]>,
    globals: &'a [&'a str],
    board_admin: bool,
    single_project: bool,
    simplified: bool,
}

const FULL: Setup<'static> = Setup {
    grants: &[],
    grants_p2: None,
    globals: &[],
    board_admin: false,
    single_project: false,
    simplified: false,
};

fn documents(s: &Setup, verb: &str, capability: &str) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    let schemes = [("S", Some(s.grants)), ("S2", s.grants_p2)];
    for (name, grants) in schemes {
        let Some(grants) = grants else { continue };
        let mut scheme =
            format!("kind = \"jira-permission-scheme\"\nname = \"{name}\"\n\n[grants]\n");
        for g in grants {
            scheme.push_str(&format!("{g} = [\"role:Developers\"]\n"));
        }
        docs.push((format!("{name}.toml"), scheme));
    }
    let mut global = String::from(
        "kind = \"jira-global-permissions\"\n\n[grants]\nADMINISTER = [\"group:jira-admins\"]\n",
    );
    for g in s.globals {
        if *g == "ADMINISTER" {
            global = global.replace(
                "[\"group:jira-admins\"]",
                "[\"group:devs\", \"group:jira-admins\"]",
            );
        } else {
            global.push_str(&format!("{g} = [\"group:devs\"]\n"));
        }
    }
    docs.push(("global.toml".to_string(), global));
    let keys: &[&str] = if s.single_project {
        &["P1"]
    } else {
        &["P1", "P2"]
    };
    let workflow = if s.simplified {
        "simplified"
    } else {
        "classic"
    };
    for key in keys {
        let scheme = if *key == "P2" && s.grants_p2.is_some() {
            "S2"
        } else {
            "S"
        };
        docs.push((
            format!("{key}.toml"),
            format!("kind = \"jira-project\"\nkey = \"{key}\"\nname = \"Project {key}\"\npermission-scheme = \"{scheme}\"\nworkflow = \"{workflow}\"\n\n[roles]\nDevelopers = [\"group:devs\"]\n"),
        ));
    }
    let admins = if s.board_admin {
        "group:devs"
    } else {
        "group:others"
    };
    let projects = keys
        .iter()
        .map(|k| format!("\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ");
    docs.push((
        "board.toml".to_string(),
        format!("kind = \"jira-board\"\nname = \"B\"\ntype = \"scrum\"\nprojects = [{projects}]\nadmins = [\"{admins}\"]\n\n[[expect]]\nwho = \"group:devs\"\n{verb} = [\"{capability}\"]\n"),
    ));
    docs
}

/// The AL230 findings of a setup, as `message` + notes.
fn unmet(s: &Setup, verb: &str, capability: &str) -> Vec<String> {
    let overrides = Overrides {
        select: vec!["AL230".into(), "RL".into()],
        ..Overrides::default()
    };
    let run = pipeline::check_texts(
        &documents(s, verb, capability),
        Config::default(),
        &overrides,
    );
    let structural: Vec<String> = run
        .diagnostics
        .iter()
        .filter(|d| d.code().starts_with("RL"))
        .map(|d| d.message.to_string())
        .collect();
    assert!(
        structural.is_empty(),
        "{capability}: the test instance is malformed: {structural:?}"
    );
    run.diagnostics
        .iter()
        .filter(|d| d.code() == "AL230")
        .map(|d| format!("{}\n  {}", d.message, d.notes.join("\n  ")))
        .collect()
}

/// Capabilities whose needs are project permissions: (id, permissions). Those acting on an
/// existing issue also need Browse Projects, or the board shows no issue (notes §3.1, S40).
const PERMISSION_ONLY: &[(&str, &[&str])] = &[
    ("create-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    ("start-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    ("complete-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    ("edit-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    ("reorder-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    ("delete-sprint", &["MANAGE_SPRINTS_PERMISSION"]),
    (
        "move-sprint-footer",
        &[
            "MANAGE_SPRINTS_PERMISSION",
            "SCHEDULE_ISSUES",
            "EDIT_ISSUES",
            "BROWSE_PROJECTS",
        ],
    ),
    (
        "add-issue-to-sprint",
        &["SCHEDULE_ISSUES", "EDIT_ISSUES", "BROWSE_PROJECTS"],
    ),
    (
        "remove-issue-from-sprint",
        &["SCHEDULE_ISSUES", "EDIT_ISSUES", "BROWSE_PROJECTS"],
    ),
    (
        "rank-issue",
        &["SCHEDULE_ISSUES", "EDIT_ISSUES", "BROWSE_PROJECTS"],
    ),
    ("create-epic", &["CREATE_ISSUES"]),
    ("rename-epic", &["EDIT_ISSUES", "BROWSE_PROJECTS"]),
    ("rank-epic", &["SCHEDULE_ISSUES", "BROWSE_PROJECTS"]),
    ("add-issue-to-epic", &["EDIT_ISSUES", "BROWSE_PROJECTS"]),
    (
        "remove-issue-from-epic",
        &["EDIT_ISSUES", "BROWSE_PROJECTS"],
    ),
    ("create-version", &["ADMINISTER_PROJECTS"]),
    ("edit-version", &["ADMINISTER_PROJECTS"]),
    ("add-issue-to-version", &["EDIT_ISSUES", "BROWSE_PROJECTS"]),
    (
        "remove-issue-from-version",
        &["EDIT_ISSUES", "BROWSE_PROJECTS"],
    ),
];

#[test]
fn every_capability_needs_exactly_what_the_permissions_overview_lists() {
    let mut derivations = String::new();
    let mut problems = Vec::new();
    for (id, needs) in PERMISSION_ONLY {
        let all = Setup {
            grants: needs,
            ..FULL
        };
        if !unmet(&all, "can", id).is_empty() {
            problems.push(format!("{id}: granting {needs:?} does not satisfy `can`"));
        }
        if unmet(&all, "cannot", id).is_empty() {
            problems.push(format!("{id}: granting {needs:?} does not break `cannot`"));
        }
        for (i, missing) in needs.iter().enumerate() {
            let rest: Vec<&str> = needs.iter().copied().filter(|n| n != missing).collect();
            let found = unmet(
                &Setup {
                    grants: &rest,
                    ..FULL
                },
                "can",
                id,
            );
            if found.is_empty() {
                problems.push(format!("{id}: satisfied without {missing}"));
            } else if i == 0 {
                derivations.push_str(&format!(
                    "## {id} without {missing}\n{}\n\n",
                    found.join("\n")
                ));
            }
        }
    }
    // Alternatives and non-permission requirements.
    let cases: &[(&str, Setup, bool)] = &[
        (
            "create-version",
            Setup {
                globals: &["ADMINISTER"],
                ..FULL
            },
            true,
        ),
        (
            "edit-version",
            Setup {
                globals: &["ADMINISTER"],
                ..FULL
            },
            true,
        ),
        (
            "create-board",
            Setup {
                globals: &["CREATE_SHARED_OBJECTS"],
                ..FULL
            },
            true,
        ),
        ("create-board", FULL, false),
        (
            "share-board",
            Setup {
                globals: &["CREATE_SHARED_OBJECTS"],
                ..FULL
            },
            true,
        ),
        ("share-board", FULL, false),
        (
            "configure-board",
            Setup {
                board_admin: true,
                ..FULL
            },
            true,
        ),
        (
            "configure-board",
            Setup {
                globals: &["ADMINISTER"],
                ..FULL
            },
            true,
        ),
        ("configure-board", FULL, false),
    ];
    let status = Setup {
        grants: &["ADMINISTER_PROJECTS"],
        board_admin: true,
        single_project: true,
        simplified: true,
        ..FULL
    };
    let status_cases = [
        (Setup { ..status }, true),
        (
            Setup {
                grants: &["ADMINISTER_PROJECTS"],
                globals: &["ADMINISTER"],
                board_admin: false,
                ..status
            },
            true,
        ),
        (
            Setup {
                single_project: false,
                ..status
            },
            false,
        ),
        (
            Setup {
                simplified: false,
                ..status
            },
            false,
        ),
        (
            Setup {
                grants: &[],
                ..status
            },
            false,
        ),
        (
            Setup {
                board_admin: false,
                ..status
            },
            false,
        ),
    ];
    let mut all_cases: Vec<(&str, &Setup, bool)> =
        cases.iter().map(|(id, s, ok)| (*id, s, *ok)).collect();
    for id in ["add-status", "remove-status"] {
        all_cases.extend(status_cases.iter().map(|(s, ok)| (id, s, *ok)));
    }
    for (n, (id, setup, ok)) in all_cases.iter().enumerate() {
        let found = unmet(setup, "can", id);
        if *ok != found.is_empty() {
            problems.push(format!(
                "{id} (case {n}): expected {}",
                if *ok { "satisfied" } else { "unmet" }
            ));
        }
        if !ok && !derivations.contains(&format!("## {id}\n")) {
            derivations.push_str(&format!("## {id}\n{}\n\n", found.join("\n")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    insta::with_settings!({ snapshot_path => "../snapshots/capabilities", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("derivations", derivations);
    });
}

/// The capability ids users write are exactly the contract's (SPEC §2).
#[test]
fn capability_ids_are_the_contract() {
    let run = pipeline::check_texts(
        &[],
        Config::default(),
        &Overrides {
            select: vec!["AL".into()],
            ..Overrides::default()
        },
    );
    let mut ids: Vec<String> = run
        .workspace
        .jira
        .capabilities
        .iter()
        .map(|c| c.id.get_ref().clone())
        .collect();
    ids.sort();
    let mut expected: Vec<&str> = PERMISSION_ONLY.iter().map(|(id, _)| *id).collect();
    expected.extend([
        "create-board",
        "share-board",
        "add-status",
        "remove-status",
        "configure-board",
    ]);
    expected.sort();
    assert_eq!(ids, expected);
}

/// Needs "in the project of the issue" must all hold in one project: Schedule and Edit Issues
/// split between the two projects of the board (each lacks one of them, both have the rest),
/// no issue can be acted on, so a `cannot` holds and a `can` fails.
#[test]
fn issue_needs_split_between_projects_grant_nothing() {
    let mut problems = Vec::new();
    for (id, needs) in PERMISSION_ONLY {
        let per_issue: Vec<&str> = needs
            .iter()
            .copied()
            .filter(|n| {
                ![
                    "MANAGE_SPRINTS_PERMISSION",
                    "ADMINISTER_PROJECTS",
                    "BROWSE_PROJECTS",
                ]
                .contains(n)
            })
            .collect();
        let (Some(first), Some(last)) = (per_issue.first(), per_issue.last()) else {
            continue;
        };
        if per_issue.len() < 2 {
            continue;
        }
        let p1: Vec<&str> = needs.iter().copied().filter(|n| n != last).collect();
        let p2: Vec<&str> = needs.iter().copied().filter(|n| n != first).collect();
        let split = Setup {
            grants: &p1,
            grants_p2: Some(&p2),
            ..FULL
        };
        let broken = unmet(&split, "cannot", id);
        if !broken.is_empty() {
            problems.push(format!("{id}: `cannot` reported broken: {broken:?}"));
        }
        if unmet(&split, "can", id).is_empty() {
            problems.push(format!("{id}: `can` satisfied"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
