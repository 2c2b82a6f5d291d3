//! `rolelint init`: a starter repository. Refuses to overwrite anything: when one of the
//! files exists, every clash is listed and nothing is written.
use crate::cli::InitArgs;
use crate::error::Fatal;
use crate::Outcome;

macro_rules! template {
    ($name:literal) => {
        include_str!(concat!("../../templates/init/", $name))
    };
}

/// `(path relative to the directory, contents)` of every file `init` writes.
pub const FILES: &[(&str, &str)] = &[
    ("rolelint.toml", template!("rolelint.toml")),
    (
        ".pre-commit-config.yaml",
        template!("pre-commit-config.yaml"),
    ),
    (
        "access/align/team-member.toml",
        template!("team-member.toml"),
    ),
    (
        "access/align/jira-connector-default.toml",
        template!("jira-connector-default.toml"),
    ),
    (
        "access/jira/schemes/software-delivery-scheme.toml",
        template!("software-delivery-scheme.toml"),
    ),
    (
        "access/jira/global-permissions.toml",
        template!("global-permissions.toml"),
    ),
    ("access/jira/projects/plat.toml", template!("project.toml")),
    (
        "access/jira/boards/platform-scrum.toml",
        template!("board.toml"),
    ),
    ("access/jira/groups.toml", template!("groups.toml")),
    ("policies/team-rules.toml", template!("team-policy.toml")),
];

pub fn run(args: &InitArgs) -> Result<Outcome, Fatal> {
    let targets: Vec<_> = FILES.iter().map(|(p, _)| args.dir.join(p)).collect();
    super::write::refuse_existing(&targets, "`rolelint init` only creates new files")?;
    for (path, (_, text)) in targets.iter().zip(FILES) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Fatal::msg(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        super::write::atomic(path, text)?;
        outln!("created {}", path.display());
    }
    outln!("next: `rolelint check`, then `rolelint import` your Jira schemes and boards");
    Ok(Outcome::Clean)
}
