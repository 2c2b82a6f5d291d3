//! Jira documents: permission schemes, projects and boards.

use super::*;

/// Holders for one permission of a clean scheme, by what the permission is for.
fn holders_for(plan: &Plan, rng: &mut Pcg32, perm: &str) -> Vec<String> {
    let mut h: Vec<String> = match perm {
        "BROWSE_PROJECTS" | "VIEW_VOTERS_AND_WATCHERS" | "VIEW_READONLY_WORKFLOW" => {
            vec![
                "role:Users".into(),
                "role:Developers".into(),
                "role:Administrators".into(),
            ]
        }
        "ADMINISTER_PROJECTS" | "DELETE_ISSUES" | "MOVE_ISSUES" | "MANAGE_WATCHERS" => {
            vec!["role:Administrators".into()]
        }
        "ADD_COMMENTS"
        | "EDIT_OWN_COMMENTS"
        | "DELETE_OWN_COMMENTS"
        | "CREATE_ATTACHMENTS"
        | "DELETE_OWN_ATTACHMENTS"
        | "CREATE_ISSUES" => {
            vec!["role:Users".into(), "role:Developers".into()]
        }
        _ => vec!["role:Developers".into()],
    };
    if perm != "ADMINISTER_PROJECTS" && perm != "DELETE_ISSUES" && rng.chance(150) {
        h.push(format!("group:{}", plan.team(rng.below(plan.teams))));
    }
    if matches!(perm, "CLOSE_ISSUES" | "RESOLVE_ISSUES" | "WORK_ON_ISSUES") && rng.chance(200) {
        h.push("assignee".into());
    }
    if matches!(perm, "EDIT_OWN_COMMENTS" | "DELETE_OWN_ATTACHMENTS") && rng.chance(150) {
        h.push("reporter".into());
    }
    if perm == "ADMINISTER_PROJECTS" && rng.chance(100) {
        h.push(format!("group:{}", plan.team(rng.below(plan.teams))));
    }
    h
}

pub(super) fn render_scheme(plan: &Plan, i: usize) -> String {
    use catalogue::PERMISSIONS as P;
    let mut rng = plan.rng(SCHEME, i);
    let n_keys = rng.range(8, P.len());
    let idx = |k: &str| P.iter().position(|p| *p == k).expect("known key");
    let (browse, edit, schedule) = (
        idx("BROWSE_PROJECTS"),
        idx("EDIT_ISSUES"),
        idx("SCHEDULE_ISSUES"),
    );

    // Browse, Edit and Schedule are in every scheme (a board is useless without them);
    // the rest is a random subset.
    let others: Vec<usize> = (0..P.len())
        .filter(|k| ![browse, edit, schedule].contains(k))
        .collect();
    let mut chosen: Vec<usize> = rng
        .sample(others.len(), n_keys - 3)
        .into_iter()
        .map(|k| others[k])
        .collect();
    chosen.extend([browse, edit, schedule]);
    chosen.sort_unstable();

    let mut grants: Vec<(usize, Vec<String>)> = chosen
        .iter()
        .map(|&k| (k, holders_for(plan, &mut rng, P[k])))
        .collect();
    // Clean schemes pair Schedule with Edit exactly; ~10% break the pair.
    let edit_holders = grants
        .iter()
        .find(|g| g.0 == edit)
        .map(|g| g.1.clone())
        .unwrap_or_default();
    let broken_pair = rng.chance(100);
    for g in grants.iter_mut().filter(|g| g.0 == schedule) {
        g.1 = edit_holders.clone();
        if broken_pair {
            g.1.push(if rng.chance(500) {
                "role:Users".to_owned()
            } else {
                format!("group:{}", plan.team(rng.below(plan.teams)))
            });
        }
    }
    if broken_pair && rng.chance(300) {
        grants.retain(|g| g.0 != edit);
    }
    // Rare hygiene findings: a grant to everyone, or to a single user.
    if rng.chance(20) {
        let holder = if rng.chance(500) {
            "anyone"
        } else {
            "application-role"
        };
        if let Some(g) = grants.iter_mut().find(|g| g.0 == browse) {
            g.1.push(holder.to_owned());
        }
    }
    if rng.chance(20) {
        let at = rng.below(grants.len());
        let u = user(&mut rng);
        grants[at].1.push(u);
    }

    let mut s = format!(
        "# Permission scheme {} ({} grants)\n\
         kind = \"jira-permission-scheme\"\n\
         name = {}\n\n[grants]\n",
        i + 1,
        grants.len(),
        string(&plan.scheme_name(i))
    );
    for (k, mut holders) in grants {
        dedup_keep_order(&mut holders);
        let _ = writeln!(s, "{} = {}", P[k], array(&holders));
    }
    s
}

fn dedup_keep_order(v: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

// ---------------------------------------------------------------- projects

pub(super) struct Project {
    key: String,
    name: String,
    scheme: usize,
    workflow: Option<&'static str>,
    admins: Vec<usize>,
    developers: Vec<usize>,
    users: Vec<usize>,
    has_roles: bool,
}

/// `P` + four letters. An affine map (odd multiplier coprime to 26) keeps keys unique
/// while not looking sequential.
pub(super) fn project_key(i: usize) -> String {
    let mut n = (i * 7919 + 12_345) % 26usize.pow(4);
    let mut letters = [b'A'; 4];
    for l in letters.iter_mut().rev() {
        *l = b'A' + (n % 26) as u8;
        n /= 26;
    }
    format!("P{}", std::str::from_utf8(&letters).expect("ascii"))
}

/// A project's model is needed by its own file and by the boards that cover it, so it
/// is a pure function of (seed, index).
pub(super) fn project_model(plan: &Plan, i: usize) -> Project {
    let mut rng = plan.rng(PROJECT, i);
    let (a, n) = (vocab::AREAS.len(), vocab::NOUNS.len());
    let mut name = format!("{} {}", vocab::AREAS[i % a], vocab::NOUNS[(i / a) % n]);
    if i >= a * n {
        let _ = write!(name, " {}", i / (a * n) + 1);
    }
    let shared = SHARED_SCHEMES.min(plan.schemes);
    let scheme = if rng.chance(350) {
        rng.below(shared)
    } else {
        rng.below(plan.schemes)
    };
    let workflow = match rng.below(100) {
        0..=59 => Some("classic"),
        60..=74 => Some("simplified"),
        _ => None,
    };
    let admins = vec![rng.below(plan.teams)];
    let developers = (0..rng.range(1, 3))
        .map(|_| rng.below(plan.teams))
        .collect();
    let users = (0..rng.range(0, 2))
        .map(|_| rng.below(plan.teams))
        .collect();
    Project {
        key: project_key(i),
        name,
        scheme,
        workflow,
        admins,
        developers,
        users,
        has_roles: rng.chance(900),
    }
}

fn groups(plan: &Plan, teams: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = teams
        .iter()
        .map(|&t| format!("group:{}", plan.team(t)))
        .collect();
    dedup_keep_order(&mut v);
    v
}

pub(super) fn render_project(plan: &Plan, p: &Project) -> String {
    let mut s = format!(
        "# Jira project {key}\n\
         kind = \"jira-project\"\n\
         key = \"{key}\"\n\
         name = {}\n\
         permission-scheme = {}\n",
        string(&p.name),
        string(&plan.scheme_name(p.scheme)),
        key = p.key
    );
    if let Some(w) = p.workflow {
        let _ = writeln!(s, "workflow = \"{w}\"");
    }
    if p.has_roles {
        s.push_str("\n[roles]\n");
        let _ = writeln!(s, "Administrators = {}", array(&groups(plan, &p.admins)));
        let _ = writeln!(s, "Developers = {}", array(&groups(plan, &p.developers)));
        if !p.users.is_empty() {
            let _ = writeln!(s, "Users = {}", array(&groups(plan, &p.users)));
        }
    }
    s
}

// ---------------------------------------------------------------- boards

pub(super) fn render_board(plan: &Plan, i: usize) -> String {
    let mut rng = plan.rng(BOARD, i);
    let n = match rng.below(100) {
        0..=49 => 1,
        50..=74 => 2,
        75..=89 => 3,
        _ => 4,
    }
    .min(plan.projects);
    let first = rng.below(plan.projects);
    let mut picked = vec![first];
    while picked.len() < n {
        let p = rng.below(plan.projects);
        if !picked.contains(&p) {
            picked.push(p);
        }
    }
    let projects: Vec<Project> = picked.iter().map(|&p| project_model(plan, p)).collect();
    let keys: Vec<String> = projects.iter().map(|p| p.key.clone()).collect();
    let kind = if rng.chance(700) { "scrum" } else { "kanban" };

    let mut s = format!(
        "# Board {} over {}\n\
         kind = \"jira-board\"\n\
         name = \"Board {:0w$}\"\n\
         type = \"{kind}\"\n",
        i + 1,
        keys.join(", "),
        i + 1,
        w = width(plan.boards, 4)
    );
    let form = rng.below(1000);
    if form < 30 {
        // Complex: an OR at the top. No `projects`, which could only disagree with it.
        let _ = writeln!(
            s,
            "filter = {}",
            string(&format!(
                "project in ({}) OR assignee = currentUser() ORDER BY Rank ASC",
                keys.join(", ")
            ))
        );
    } else if form < 330 {
        let clause = if keys.len() == 1 && rng.chance(500) {
            format!("project = {}", keys[0])
        } else {
            format!("project in ({})", keys.join(", "))
        };
        let tail = *rng.pick(&[
            "AND type != Epic",
            "AND type != Epic ORDER BY Rank ASC",
            "AND labels != archived ORDER BY Rank ASC",
        ]);
        let _ = writeln!(s, "filter = {}", string(&format!("{clause} {tail}")));
        // Half of the filtered boards also list their projects, as the spec allows.
        if rng.chance(500) {
            let _ = writeln!(s, "projects = {}", array(&keys));
        }
    } else {
        let _ = writeln!(s, "projects = {}", array(&keys));
    }
    let _ = writeln!(s, "admins = {}", array(&groups(plan, &projects[0].admins)));

    // Expectations: the first project's developers run the sprint; sometimes a group
    // of stakeholders must not.
    // Kanban boards have no sprints, so they only expect the sprint-less capabilities.
    let caps: &[&str] = if kind == "scrum" {
        catalogue::CAPABILITIES
    } else {
        &catalogue::CAPABILITIES[catalogue::SPRINTLESS..]
    };
    let who = if rng.chance(700) {
        format!("group:{}", plan.team(*rng.pick(&projects[0].developers)))
    } else {
        "role:Developers".to_owned()
    };
    let can: Vec<&&str> = rng.some(caps, 1, 4);
    let _ = write!(
        s,
        "\n[[expect]]\nwho = {}\ncan = {}\n",
        string(&who),
        array(&can)
    );
    if rng.chance(400) {
        let who = format!("group:{}", plan.team(rng.below(plan.teams)));
        let cannot: Vec<&&str> = rng.some(caps, 1, 3);
        let _ = write!(
            s,
            "\n[[expect]]\nwho = {}\ncannot = {}\n",
            string(&who),
            array(&cannot)
        );
    }
    s
}
