//! `align-role` documents: within, over and far beyond the integrated-user maximum.

use super::*;

#[derive(Clone, PartialEq, Eq)]
enum Leaf {
    Bare,
    All,
    Subs(Vec<&'static str>),
}

/// A role as the generator sees it, before layout.
struct Role {
    name: String,
    license: &'static str,
    connector_default: bool,
    description: String,
    /// Enabled toggles, indexed like `catalogue::TOGGLES`.
    toggles: Vec<Option<Leaf>>,
    /// Sections turned on with the overall toggle (`[toggles] Team = "all"`).
    all_sections: Vec<&'static str>,
    /// Groups turned on wholesale (`[toggles.Program] Manage = "all"`).
    all_groups: Vec<(&'static str, &'static str)>,
}

/// Extras that push an integrated role over the maximum, with weights favouring the
/// classic mistakes named in the KB comments.
#[derive(Clone, Copy)]
enum Extra {
    Toggle(&'static str, &'static str, &'static str),
    RankExternal,
    FeaturesAll,
}
const EXTRAS: &[Extra] = &[
    Extra::Toggle("Team", "Track", "Sprint Health"),
    Extra::Toggle("Team", "Track", "Sprint Health"),
    Extra::Toggle("Program", "Manage", "Roadmaps"),
    Extra::Toggle("Program", "Manage", "Roadmaps"),
    Extra::RankExternal,
    Extra::RankExternal,
    Extra::FeaturesAll,
    Extra::FeaturesAll,
    Extra::Toggle("Team", "Track", "Sprint Status"),
    Extra::Toggle("Program", "Manage", "Objectives"),
    Extra::Toggle("Program", "Manage", "Dependencies"),
];

fn role_model(plan: &Plan, i: usize) -> (Role, Pcg32) {
    let mut rng = plan.rng(ROLE, i);
    let class = rng.below(100); // <70 within max, <90 over it, else full
    let area = *rng.pick(vocab::AREAS);
    let mut toggles: Vec<Option<Leaf>> = vec![None; TOGGLES.len()];
    let mut all_sections = Vec::new();
    let mut all_groups = Vec::new();

    if class < 90 {
        // An integrated role: a random subset of the maximum, each at its allowed value.
        let keep = rng.range(400, 1000);
        for (slot, t) in toggles.iter_mut().zip(TOGGLES) {
            if t.max != Max::Beyond && rng.chance(keep) {
                *slot = Some(if t.max == Max::All && rng.chance(700) {
                    Leaf::All
                } else {
                    Leaf::Bare
                });
            }
        }
        // Every team-level role has these three; it also keeps roles from being empty.
        for name in ["Team Room", "Backlog", "Stories"] {
            let g = if name == "Stories" { "Manage" } else { "Team" };
            toggles[catalogue::index_of("Team", g, name)].get_or_insert(Leaf::Bare);
        }
        if class >= 70 {
            let n = rng.range(1, 3);
            let mut used = Vec::new();
            while used.len() < n {
                let e = rng.below(EXTRAS.len());
                if !used
                    .iter()
                    .any(|&u: &usize| same_extra(EXTRAS[u], EXTRAS[e]))
                {
                    used.push(e);
                }
            }
            for e in used {
                apply_extra(&mut toggles, EXTRAS[e]);
            }
        }
    } else {
        // A full role: most of everything, sub-toggles often all on, overall toggles.
        for (slot, t) in toggles.iter_mut().zip(TOGGLES) {
            let p = if t.max == Max::Beyond { 600 } else { 800 };
            if rng.chance(p) {
                *slot = Some(if t.max != Max::All && rng.chance(500) {
                    Leaf::Bare
                } else {
                    Leaf::All
                });
            }
        }
        if rng.chance(500) {
            toggles[catalogue::index_of("Team", "Team", "Backlog")] =
                Some(Leaf::Subs(vec![catalogue::RANK_EXTERNAL]));
        }
        if rng.chance(400) {
            all_sections.push(*rng.pick(&["Portfolio", "Program", "Team", "Enterprise"]));
        }
        if rng.chance(300) {
            let g = *rng.pick(&[
                ("Program", "Manage"),
                ("Team", "Track"),
                ("Portfolio", "Manage"),
            ]);
            if !all_sections.contains(&g.0) {
                all_groups.push(g);
            }
        }
    }

    let (persona, license) = if class < 90 {
        (*rng.pick(vocab::INTEGRATED_PERSONAS), "integrated")
    } else {
        (*rng.pick(vocab::FULL_PERSONAS), "full")
    };
    // Connector defaults: mostly clean roles; a few over the maximum (the costly mistake).
    let connector_default = match class {
        0..=69 => rng.chance(50),
        70..=89 => rng.chance(20),
        _ => false,
    };
    let description = if connector_default {
        format!("Default system role for users the Jira connector creates ({area})")
    } else if license == "full" {
        format!("{persona} access for the {area} portfolio")
    } else {
        format!("{area} team members who plan and track work in Jira")
    };
    let role = Role {
        name: format!("{area} {persona} R{:05}", i + 1),
        license,
        connector_default,
        description,
        toggles,
        all_sections,
        all_groups,
    };
    (role, rng)
}

fn same_extra(a: Extra, b: Extra) -> bool {
    match (a, b) {
        (Extra::Toggle(_, _, x), Extra::Toggle(_, _, y)) => x == y,
        (Extra::RankExternal, Extra::RankExternal) | (Extra::FeaturesAll, Extra::FeaturesAll) => {
            true
        }
        _ => false,
    }
}

fn apply_extra(toggles: &mut [Option<Leaf>], e: Extra) {
    match e {
        Extra::Toggle(s, g, n) => toggles[catalogue::index_of(s, g, n)] = Some(Leaf::Bare),
        Extra::RankExternal => {
            toggles[catalogue::index_of("Team", "Team", "Backlog")] =
                Some(Leaf::Subs(vec![catalogue::RANK_EXTERNAL]));
        }
        Extra::FeaturesAll => {
            toggles[catalogue::index_of("Program", "Manage", "Features")] = Some(Leaf::All);
        }
    }
}

/// One rendered block of lines; padding is measured in lines, so keep them apart.
type Lines = Vec<String>;

/// The toggle tables of a role, each a header line followed by its entries.
fn toggle_tables(role: &Role) -> Vec<Lines> {
    let mut tables: Vec<Lines> = Vec::new();
    if !role.all_sections.is_empty() {
        let mut t = vec!["[toggles]".to_owned()];
        for s in &role.all_sections {
            t.push(format!("{} = \"all\"  # overall toggle", key(s)));
        }
        tables.push(t);
    }
    let mut sections_with_all_groups: Vec<&str> = role.all_groups.iter().map(|g| g.0).collect();
    sections_with_all_groups.dedup();
    for s in sections_with_all_groups {
        let mut t = vec![format!("[toggles.{}]", key(s))];
        for (_, g) in role.all_groups.iter().filter(|g| g.0 == s) {
            t.push(format!("{} = \"all\"", key(g)));
        }
        tables.push(t);
    }
    let mut current: Option<(&str, &str)> = None;
    for (t, leaf) in TOGGLES.iter().zip(&role.toggles) {
        let Some(leaf) = leaf else { continue };
        if role.all_sections.contains(&t.section) || role.all_groups.contains(&(t.section, t.group))
        {
            continue; // already enabled by an overall toggle; repeating it is a TOML error
        }
        if current != Some((t.section, t.group)) {
            current = Some((t.section, t.group));
            tables.push(vec![format!(
                "[toggles.{}.{}]",
                key(t.section),
                key(t.group)
            )]);
        }
        let value = match leaf {
            Leaf::Bare => "[]".to_owned(),
            Leaf::All => "\"all\"".to_owned(),
            Leaf::Subs(s) => array(s),
        };
        tables
            .last_mut()
            .expect("a table was pushed")
            .push(format!("{} = {value}", key(t.name)));
    }
    tables
}

pub(super) fn render_role(plan: &Plan, i: usize) -> String {
    let (role, mut rng) = role_model(plan, i);
    let mut tables = toggle_tables(&role);

    let mut head: Lines = vec![
        "kind = \"align-role\"".to_owned(),
        format!("name = {}", string(&role.name)),
        format!("description = {}", string(&role.description)),
        format!("license = \"{}\"", role.license),
    ];
    if role.connector_default {
        head.push("connector-default = [\"jira\"]".to_owned());
    }
    // Core: head, then each table followed by a blank line (none after the last).
    let core = head.len() + tables.iter().map(|t| t.len() + 1).sum::<usize>();
    let target = rng.range(ROLE_MIN_LINES, ROLE_MAX_LINES).max(core);
    let mut budget = target - core;

    // Padding, in the order admins add it: an ownership header, a longer description,
    // a reason next to toggles, and finally a change log that grows with the role's age.
    let mut top: Lines = Vec::new();
    let header = [
        format!("# Jira Align system role: {}", role.name),
        format!(
            "# Owner: group:{} - approved by {}",
            plan.team(rng.below(plan.teams)),
            rng.pick(vocab::APPROVERS)
        ),
        format!("# Last access review: {}", date(&mut rng)),
    ];
    for line in header.into_iter().take(budget.min(rng.range(1, 3))) {
        top.push(line);
        budget -= 1;
    }
    if budget >= 4 && rng.chance(600) {
        let extra = rng.range(2, 4).min(budget - 1);
        // `description = """` / text lines / `"""` replaces the one-line description.
        head[2] = format!("description = \"\"\"\n{}.", role.description);
        for d in rng.sample(vocab::DESCRIPTION_LINES.len(), extra - 1) {
            head[2].push('\n');
            head[2].push_str(vocab::DESCRIPTION_LINES[d]);
        }
        head[2].push_str("\"\"\"");
        budget -= extra;
    }

    // Comments above toggles: a reason, sometimes also the change that enabled it.
    let leaves: Vec<(usize, usize)> = tables
        .iter()
        .enumerate()
        .flat_map(|(ti, t)| (1..t.len()).map(move |li| (ti, li)))
        .collect();
    let comment_lines = budget.min(rng.range(leaves.len() / 2, 2 * leaves.len()));
    budget -= comment_lines;
    let slots = comment_lines.min(leaves.len());
    let mut doubles = comment_lines - slots;
    // Insert from the back so earlier (table, line) positions stay valid.
    for slot in rng.sample(leaves.len(), slots).into_iter().rev() {
        let (ti, li) = leaves[slot];
        let mut lines = vec![format!("# {}", rng.pick(vocab::TOGGLE_REASONS))];
        if doubles > 0 {
            doubles -= 1;
            lines.push(format!(
                "# CHG-{}, {}",
                rng.range(10_000, 99_999),
                date(&mut rng)
            ));
        }
        tables[ti].splice(li..li, lines);
    }

    // Whatever is left is the role's change log, which grows with its age.
    if budget >= 2 {
        top.push("# Change log (newest first):".to_owned());
        budget -= 1;
    }
    let mut log: Vec<String> = (0..budget)
        .map(|_| {
            format!(
                "#   {}  CHG-{}  {}: {} {}",
                date(&mut rng),
                rng.range(10_000, 99_999),
                user(&mut rng).trim_start_matches("user:"),
                rng.pick(vocab::CHANGES),
                TOGGLES[rng.below(TOGGLES.len())].name,
            )
        })
        .collect();
    log.sort_unstable_by(|a, b| b.cmp(a)); // ISO dates first: sorts newest first
    top.extend(log);

    let mut s = String::with_capacity(target * 40);
    for line in top.iter().chain(&head) {
        s.push_str(line);
        s.push('\n');
    }
    for t in &tables {
        s.push('\n');
        for line in t {
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}
