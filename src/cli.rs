//! The command line, declared with clap derive; help text comes from these doc comments.
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
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to check (default: the repository root holding rolelint.toml, or `.`)
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Configuration file (default: rolelint.toml found by walking up from the current directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only report these rules (codes, names or code prefixes), comma-separated
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Do not report these rules (codes, names or code prefixes), comma-separated
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Override a rule's severity: CODE=error|warning|info|off (repeatable)
    #[arg(long, value_name = "CODE=LEVEL")]
    pub severity: Vec<String>,
    /// Treat warnings as errors for the exit code
    #[arg(long)]
    pub deny_warnings: bool,
    /// Only print errors and the summary line (human format)
    #[arg(long, short)]
    pub quiet: bool,
    /// Never use colours (also honoured: the NO_COLOR environment variable)
    #[arg(long)]
    pub no_color: bool,
    /// Treat findings recorded in this baseline file as suppressed; only new findings fail
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file and exit 0
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print the effective configuration and where each value comes from, then exit 0
    #[arg(long)]
    pub show_config: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// miette reports with source snippets
    #[default]
    Human,
    /// path:line:col: severity[CODE] message
    Concise,
    /// one object per finding plus a summary
    Json,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule code or name, e.g. AL101 or over-integrated-maximum
    pub rule: String,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
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
