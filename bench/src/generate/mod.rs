//! `generate`: a deterministic synthetic corpus in the document formats of SPEC §1.

mod jira;
mod roles;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::catalogue::{self, Max, TOGGLES};
use crate::rng::Pcg32;
use crate::toml_text::{array, key, string};
use crate::vocab;
use crate::GenerateArgs;

// Stream tags: one per document kind, so adding schemes never shifts the roles.
const ROLE: u64 = 1;
const SCHEME: u64 = 2;
const PROJECT: u64 = 3;
const BOARD: u64 = 4;
const GROUPS: u64 = 5;

/// Schemes that many projects share (the "one scheme edited for one project" case).
const SHARED_SCHEMES: usize = 8;

const ROLE_MIN_LINES: usize = 30;
const ROLE_MAX_LINES: usize = 120;

/// Sizes derived from the options, shared by every renderer.
struct Plan {
    seed: u64,
    roles: usize,
    schemes: usize,
    projects: usize,
    boards: usize,
    teams: usize,
}

impl Plan {
    fn from_args(a: &GenerateArgs) -> Plan {
        Plan {
            seed: a.seed,
            roles: a.roles,
            schemes: a.schemes,
            projects: a.projects,
            boards: a.boards,
            // About four projects per team, the ratio of a mid-size Jira instance.
            teams: (a.projects / 4).max(20),
        }
    }

    fn rng(&self, kind: u64, index: usize) -> Pcg32 {
        Pcg32::for_item(self.seed, kind, index as u64)
    }

    fn team(&self, n: usize) -> String {
        format!("team-{:0w$}", n + 1, w = width(self.teams, 3))
    }

    fn scheme_name(&self, n: usize) -> String {
        format!("Scheme {:0w$}", n + 1, w = width(self.schemes, 4))
    }
}

/// Zero-padding width: at least `min` digits, more when the count needs them.
fn width(count: usize, min: usize) -> usize {
    count.to_string().len().max(min)
}

/// The files a generate run writes, relative to the output directory, by name pattern.
/// `--force` deletes exactly these (for any count) and nothing else.
const GENERATED_DIRS: &[(&str, &str)] = &[
    ("roles", "role-"),
    ("jira/schemes", "scheme-"),
    ("jira/projects", "project-"),
    ("jira/boards", "board-"),
];
const GENERATED_FILES: &[&str] = &["rolelint.toml", "jira/groups.toml"];

pub fn run(a: &GenerateArgs) -> Result<(), String> {
    if a.projects >= 26usize.pow(4) {
        return Err("at most 456975 projects (keys are P + four letters)".into());
    }
    // Every reference in the corpus must resolve: projects name schemes, boards projects.
    if a.projects > 0 && a.schemes == 0 {
        return Err("projects need at least one scheme".into());
    }
    if a.boards > 0 && a.projects == 0 {
        return Err("boards need at least one project".into());
    }
    prepare_out_dir(&a.out, a.force)?;
    let plan = Plan::from_args(a);
    let started = Instant::now();

    let mut jobs: Vec<(PathBuf, Job)> = Vec::new();
    jobs.push((a.out.join("rolelint.toml"), Job::Config));
    jobs.push((a.out.join("jira/groups.toml"), Job::Groups));
    // Numbered documents: zero-padded so a directory listing sorts like the index.
    let numbered =
        |dir: &'static str, stem: &'static str, count: usize, min: usize, job: fn(usize) -> Job| {
            let w = width(count, min);
            let dir = a.out.join(dir);
            (0..count).map(move |i| (dir.join(format!("{stem}{:0w$}.toml", i + 1)), job(i)))
        };
    jobs.extend(numbered("roles", "role-", plan.roles, 5, Job::Role));
    jobs.extend(numbered(
        "jira/schemes",
        "scheme-",
        plan.schemes,
        4,
        Job::Scheme,
    ));
    jobs.extend(numbered(
        "jira/projects",
        "project-",
        plan.projects,
        4,
        Job::Project,
    ));
    jobs.extend(numbered(
        "jira/boards",
        "board-",
        plan.boards,
        4,
        Job::Board,
    ));

    // Every file depends only on (seed, kind, index), so rendering order is irrelevant
    // and rayon cannot make the output nondeterministic.
    let bytes: u64 = jobs
        .par_iter()
        .map(|(path, job)| -> Result<u64, String> {
            let text = job.render(&plan);
            fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(text.len() as u64)
        })
        .try_reduce(|| 0, |x, y| Ok(x + y))?;

    println!(
        "generated {} files ({} roles, {} schemes, {} projects, {} boards, groups, config), {} bytes in {} in {:.0} ms",
        jobs.len(),
        plan.roles,
        plan.schemes,
        plan.projects,
        plan.boards,
        bytes,
        a.out.display(),
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// Refuse a non-empty directory unless forced; when forced delete only generator files.
/// Also refuse symlinked subdirectories: writing through them would write outside DIR.
fn prepare_out_dir(out: &Path, force: bool) -> Result<(), String> {
    let err = |e: io::Error| format!("{}: {e}", out.display());
    match fs::symlink_metadata(out) {
        Ok(m) if !m.is_dir() => {
            return Err(format!("{} exists and is not a directory", out.display()))
        }
        Ok(_) => {
            let non_empty = fs::read_dir(out).map_err(err)?.next().is_some();
            if non_empty && !force {
                return Err(format!(
                    "{} is not empty; use --force to replace the generated files in it",
                    out.display()
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(e)),
    }
    for sub in [
        "roles",
        "jira",
        "jira/schemes",
        "jira/projects",
        "jira/boards",
    ] {
        let dir = out.join(sub);
        if let Ok(m) = fs::symlink_metadata(&dir) {
            if !m.is_dir() {
                return Err(format!("{} exists and is not a directory", dir.display()));
            }
        }
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    if force {
        remove_generated(out)?;
    }
    Ok(())
}

fn remove_generated(out: &Path) -> Result<(), String> {
    let remove = |p: &Path| match fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", p.display())),
    };
    for f in GENERATED_FILES {
        remove(&out.join(f))?;
    }
    for (dir, prefix) in GENERATED_DIRS {
        let dir = out.join(dir);
        let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let generated = name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(".toml"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            // remove_file on a symlink removes the link, never its target.
            if generated {
                remove(&entry.path())?;
            }
        }
    }
    Ok(())
}

enum Job {
    Config,
    Groups,
    Role(usize),
    Scheme(usize),
    Project(usize),
    Board(usize),
}

impl Job {
    fn render(&self, plan: &Plan) -> String {
        match *self {
            Job::Config => render_config(plan),
            Job::Groups => render_groups(plan),
            Job::Role(i) => roles::render_role(plan, i),
            Job::Scheme(i) => jira::render_scheme(plan, i),
            Job::Project(i) => jira::render_project(plan, &jira::project_model(plan, i)),
            Job::Board(i) => jira::render_board(plan, i),
        }
    }
}

fn render_config(plan: &Plan) -> String {
    format!(
        "# rolelint configuration of a synthetic benchmark corpus\n\
         # (rolelint-bench generate --seed {} --roles {} --schemes {} --projects {} --boards {})\n\
         \n\
         [jira]\n\
         platform = \"cloud\"\n\
         \n\
         [align]\n\
         integrated-roles = []\n",
        plan.seed, plan.roles, plan.schemes, plan.projects, plan.boards
    )
}

fn user(rng: &mut Pcg32) -> String {
    format!("user:{}.{}", rng.pick(vocab::FIRST), rng.pick(vocab::LAST))
}

fn date(rng: &mut Pcg32) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2021, 2025),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

// ---------------------------------------------------------------- groups

fn render_groups(plan: &Plan) -> String {
    let mut rng = plan.rng(GROUPS, 0);
    let mut s = String::from(
        "# Jira group membership, exported from the user directory\n\
         kind = \"jira-groups\"\n\n[groups]\n",
    );
    for g in 0..plan.teams {
        let mut members: BTreeSet<String> = BTreeSet::new();
        for _ in 0..rng.range(2, 10) {
            members.insert(user(&mut rng));
        }
        // A few nested groups, only pointing "down" so there are no cycles.
        if g + 1 < plan.teams && rng.chance(50) {
            members.insert(format!(
                "group:{}",
                plan.team(rng.range(g + 1, plan.teams - 1))
            ));
        }
        let members: Vec<String> = members.into_iter().collect();
        let name = string(&plan.team(g));
        if members.len() <= 4 {
            let _ = writeln!(s, "{name} = {}", array(&members));
        } else {
            // Long lists one per line, as people keep them for readable diffs.
            let _ = writeln!(s, "{name} = [");
            for m in &members {
                let _ = writeln!(s, "    {},", string(m));
            }
            s.push_str("]\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            seed: 42,
            roles: 500,
            schemes: 60,
            projects: 240,
            boards: 240,
            teams: 60,
        }
    }

    fn parses(text: &str) {
        if let Err(e) = toml::de::DeTable::parse(text) {
            panic!("{e}\n{text}");
        }
    }

    #[test]
    fn roles_stay_within_line_bounds_and_parse() {
        let p = plan();
        for i in 0..p.roles {
            let text = roles::render_role(&p, i);
            let lines = text.lines().count();
            assert!(
                (ROLE_MIN_LINES..=ROLE_MAX_LINES).contains(&lines),
                "role {i}: {lines} lines"
            );
            parses(&text);
        }
    }

    #[test]
    fn jira_documents_and_config_parse() {
        let p = plan();
        parses(&render_config(&p));
        parses(&render_groups(&p));
        for i in 0..p.schemes {
            parses(&jira::render_scheme(&p, i));
        }
        for i in 0..p.projects {
            parses(&jira::render_project(&p, &jira::project_model(&p, i)));
            parses(&jira::render_board(&p, i));
        }
    }

    #[test]
    fn rendering_is_a_pure_function_of_seed_and_index() {
        let p = plan();
        assert_eq!(roles::render_role(&p, 7), roles::render_role(&p, 7));
        assert_eq!(jira::render_board(&p, 7), jira::render_board(&p, 7));
        assert_ne!(roles::render_role(&p, 7), roles::render_role(&p, 8));
    }

    #[test]
    fn project_keys_are_unique_over_the_whole_key_space() {
        let keys: BTreeSet<String> = (0..26usize.pow(4) - 1).map(jira::project_key).collect();
        assert_eq!(keys.len(), 26usize.pow(4) - 1);
    }
}
