//! The command line, declared with clap derive; help text comes from these doc comments.
pub use crate::report::output::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Policy-as-code linter for Jira Align system roles and Jira permission schemes,
/// projects and boards kept in git.
#[derive(Parser, Debug)]
#[command(name = "rolelint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint documents against the policies (default: the current repository)
    Check(CheckArgs),
    /// Print a rule's documentation: what, why, source, failing and passing examples
    Explain(ExplainArgs),
    /// List every rule with its code, name, default severity and summary
    Rules(RulesArgs),
    /// License consumption from a Jira Align People export, and what a role change costs
    License(LicenseArgs),
    /// Convert Jira REST payloads into documents
    #[command(subcommand)]
    Import(ImportCommand),
    /// Canonical formatting of documents (key order, holder order, spacing), comments kept
    Fmt(FmtArgs),
    /// Write a starter rolelint.toml, one example document of each kind and a pre-commit config
    Init(InitArgs),
    /// Policy files and their own test cases
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Show, project by project, why WHO can or cannot do CAPABILITY on a board
    Why(WhyArgs),
    /// Effective access: who holds which permission in which project, and which board capability
    Access(AccessArgs),
    /// What a change does: findings introduced and fixed, roles that change license class
    Review(ReviewArgs),
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// The base: a git revision (commit, branch or tag), e.g. `origin/main`
    #[arg(long, value_name = "REV")]
    pub against: String,
    /// The head: a git revision (default: the working tree)
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReviewFormat::Human)]
    pub format: ReviewFormat,
    /// Exit 1 when the change does this (repeatable); without it, review only reports
    #[arg(long, value_enum, value_name = "GATE")]
    pub fail_on: Vec<crate::review::gate::Gate>,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReviewFormat {
    /// plain text
    #[default]
    Human,
    /// one object (its shape: the book, "Reviewing a change")
    Json,
    /// a pull-request comment or job summary
    Markdown,
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to check (default: the repository root holding rolelint.toml, or `.`)
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write the report in FORMAT to PATH (repeatable), e.g. `--output sarif=rolelint.sarif`
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<String>,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only report these rules (codes, names or code prefixes), comma-separated
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Do not report these rules (codes, names or code prefixes), comma-separated
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Override a rule's severity: CODE=error|warning|info|off; CODE may be a name or a rule type (repeatable)
    #[arg(long, value_name = "CODE=LEVEL")]
    pub severity: Vec<String>,
    /// Exit 1 when any warning is reported (findings keep their own severity in every output)
    #[arg(long)]
    pub deny_warnings: bool,
    /// Only print errors and the summary line (human format)
    #[arg(long, short)]
    pub quiet: bool,
    /// Never use colours (also honoured: the NO_COLOR environment variable)
    #[arg(long)]
    pub no_color: bool,
    /// Apply safe fixes (misspelt toggle names, duplicate holders), then report what remains
    #[arg(long)]
    pub fix: bool,
    /// Also apply fixes that change meaning (remove toggles beyond the integrated maximum)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff instead of writing them
    #[arg(long)]
    pub diff: bool,
    /// Treat findings recorded in this baseline file as suppressed; only new findings fail
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print the effective configuration and where each value comes from, then exit 0
    #[arg(long)]
    pub show_config: bool,
    /// Report only findings the repository at this git revision did not have (matched by
    /// fingerprint, as baselines are); the exit code comes from those alone
    #[arg(long, value_name = "REV", conflicts_with = "write_baseline")]
    pub new_against: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule code or name, e.g. AL101 or over-integrated-maximum (the repository's own policy
    /// rules included)
    pub rule: String,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct LicenseArgs {
    /// The Jira Align People export (Settings > People > More Actions > Export), CSV
    /// (default: `people` under `[license]` in rolelint.toml)
    #[arg(long, value_name = "FILE")]
    pub people: Option<PathBuf>,
    /// Compare with the role documents at this git revision and print who moves between
    /// license classes (a pull-request comment)
    #[arg(long, value_name = "REV")]
    pub against: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = LicenseFormat::Human)]
    pub format: LicenseFormat,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Full licenses bought (overrides `full-seats` under `[license]`)
    #[arg(long, value_name = "N")]
    pub full_seats: Option<u64>,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LicenseFormat {
    /// plain-text tables
    #[default]
    Human,
    /// one object with the counts, users, exclusions and roles
    Json,
    /// one row per user (email, role, class); with --against, one row per move
    Csv,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Convert a Jira REST permission scheme (`?expand=all`) or a list of them to TOML
    JiraScheme(ImportSchemeArgs),
    /// Convert a Jira board (plus its configuration or saved filter, in either order) to TOML
    JiraBoard(ImportBoardArgs),
    /// Convert a Jira project (plus its permission scheme, in either order) to TOML, with its id
    JiraProject(ImportProjectArgs),
}

#[derive(Args, Debug)]
pub struct ImportProjectArgs {
    /// The project JSON (GET /rest/api/3/project/{key})
    pub project: PathBuf,
    /// Its permission scheme JSON (GET /rest/api/3/project/{key}/permissionscheme)
    pub scheme: Option<PathBuf>,
    #[command(flatten)]
    pub out: ImportOut,
}

#[derive(Args, Debug)]
pub struct ImportSchemeArgs {
    /// The JSON file (GET /rest/api/3/permissionscheme/{id}?expand=all, or the list)
    pub file: PathBuf,
    #[command(flatten)]
    pub out: ImportOut,
}

#[derive(Args, Debug)]
pub struct ImportBoardArgs {
    /// The board JSON (GET /rest/agile/1.0/board/{id})
    pub board: PathBuf,
    /// The board configuration JSON (GET /rest/agile/1.0/board/{id}/configuration) or its
    /// saved filter (GET /rest/api/3/filter/{id}); the two inputs may come in either order
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub out: ImportOut,
}

#[derive(Args, Debug)]
pub struct ImportOut {
    /// Write one file per document into this directory (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Overwrite existing files in --out-dir
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug, Default)]
pub struct FmtArgs {
    /// Files or directories (default: the repository, as `check` finds it)
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any
    #[arg(long)]
    pub check: bool,
    /// Configuration file (default: rolelint.toml found by walking up)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Directory to initialise (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Run the policies' own test cases: every rule's examples and `[[test]]` entries
    Test(PolicyTestArgs),
}

#[derive(Args, Debug)]
pub struct PolicyTestArgs {
    /// Directory holding policy files (default: the repository's `[policies] extra` and
    /// every `kind = "policy"` document it checks)
    pub dir: Option<PathBuf>,
    /// Configuration file (default: rolelint.toml found by walking up)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct WhyArgs {
    /// The subject: `group:NAME`, `role:NAME` or `user:ACCOUNT`
    pub who: String,
    /// A capability id, e.g. `start-sprint`, `rank-issue`, `create-version`
    pub capability: String,
    /// The board's name
    #[arg(long)]
    pub board: String,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = WhyFormat::Human)]
    pub format: WhyFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WhyFormat {
    /// the derivation as indented text
    #[default]
    Human,
    /// the derivation tree as JSON
    Json,
}

#[derive(Args, Debug, Default)]
pub struct AccessArgs {
    /// Only this subject: `group:NAME`, `role:NAME`, `user:ACCOUNT`, `anyone`,
    /// `application-role[:NAME]`, `reporter`, ... (with what every user gets folded in)
    #[arg(long, value_name = "SUBJECT")]
    pub who: Option<String>,
    /// Only this project (key or name)
    #[arg(long, value_name = "KEY")]
    pub project: Option<String>,
    /// Only this board
    #[arg(long, value_name = "NAME")]
    pub board: Option<String>,
    /// Only this permission key (project or global), e.g. `ADMINISTER_PROJECTS`
    #[arg(long, value_name = "KEY")]
    pub permission: Option<String>,
    /// Only this board capability id, e.g. `start-sprint`
    #[arg(long, value_name = "ID")]
    pub capability: Option<String>,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = AccessFormat::Human)]
    pub format: AccessFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccessFormat {
    /// grouped by subject, long lists cut
    #[default]
    Human,
    /// one object with every fact (schema version 1)
    Json,
    /// one row per subject, scope and permission or capability
    Csv,
}
