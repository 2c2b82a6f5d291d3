//! `rolelint-bench`: a deterministic benchmark corpus and the "floor" rolelint is measured
//! against.
//!
//! ```text
//! cargo build --release                     # builds rolelint and rolelint-bench (workspace)
//! cargo run --release --bin rolelint-bench -- generate --out bench-corpus
//! cargo run --release --bin rolelint-bench -- floor bench-corpus
//! cargo run --release --bin rolelint-bench -- generate --profile dirty --out bench-dirty
//! cargo run --release --bin rolelint-bench -- compare --corpus bench-corpus --dirty bench-dirty --runs 7
//! # `rolelint review` on a one-file change: commit the corpus, edit one file, then
//! (cd bench-corpus && git init -q && git add -A && git commit -qm corpus)
//! cargo run --release --bin rolelint-bench -- compare --corpus bench-corpus --dirty bench-dirty --review-against HEAD
//! ```
//!
//! * `generate` writes a synthetic repository of Jira Align roles and Jira schemes, projects,
//!   boards and groups in the formats of SPEC §1. Output is a pure function of the options:
//!   the same seed gives byte-identical files, so figures from different machines or commits
//!   refer to the same input.
//! * `floor` is the physical lower bound for a linter over that corpus: walk, read and
//!   parse every document into toml's spanned `DeTable`, in parallel, and nothing else.
//! * `compare` times the floor in-process against the `rolelint` binary as a child process,
//!   on the clean and the dirty profile in every output format (each child's peak memory
//!   from its rusage), the roles alone, one role file beside the bare process
//!   (`rolelint --version`) and `rolelint access` (every fact, and `--permission`; with
//!   `--review-against REV` also `rolelint review --against REV`), interleaved, and checks
//!   the targets of issues 18 and 16.
//! * `stress` times the `rolelint` binary on the inputs that were once quadratic, at the
//!   sizes of issue 13 (`--scale` to change them).
//!
//! The generator deliberately does not use the rolelint library: the corpus must stay a
//! fixed, independent input while the library changes underneath it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod catalogue;
mod compare;
mod floor;
mod generate;
mod hostile_inputs;
mod rng;
mod stress;
mod toml_text;
#[rustfmt::skip]
mod vocab;

#[derive(Parser)]
#[command(
    name = "rolelint-bench",
    about = "Benchmark corpus generator and floor measurement for rolelint"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a deterministic synthetic corpus (same options, same bytes)
    Generate(GenerateArgs),
    /// Walk, read and parse every document (the floor a linter cannot beat) and print the time
    Floor(FloorArgs),
    /// Time the floor against the rolelint binary over a corpus
    Compare(CompareArgs),
    /// Time the rolelint binary on the inputs that were once quadratic, at the issue's sizes
    Stress(StressArgs),
}

#[derive(Args)]
struct GenerateArgs {
    /// Directory to write the corpus into
    #[arg(long)]
    out: PathBuf,
    /// Number of `align-role` documents
    #[arg(long, default_value_t = 10_000)]
    roles: usize,
    /// Number of `jira-permission-scheme` documents
    #[arg(long, default_value_t = 2_000)]
    schemes: usize,
    /// Number of `jira-project` documents
    #[arg(long, default_value_t = 2_000)]
    projects: usize,
    /// Number of `jira-board` documents
    #[arg(long, default_value_t = 2_000)]
    boards: usize,
    /// Seed of the generator
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write into a non-empty directory, first deleting the files a generate run writes
    #[arg(long)]
    force: bool,
    /// `clean`: a repository in good order (about 0.6 findings per file); `dirty`: one that
    /// just adopted rolelint (most documents with several findings, about 5 per file)
    #[arg(long, value_enum, default_value_t = Profile::Clean)]
    profile: Profile,
    /// Multiply the number of roles, schemes, projects and boards (3: the linearity check)
    #[arg(long, default_value_t = 1)]
    scale: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    Clean,
    Dirty,
}

#[derive(Args)]
struct FloorArgs {
    /// Files or directories to walk
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
struct CompareArgs {
    /// Corpus of the clean profile (as written by `generate`)
    #[arg(long)]
    corpus: PathBuf,
    /// Corpus of the dirty profile (`generate --profile dirty`)
    #[arg(long)]
    dirty: PathBuf,
    /// Also time a dirty corpus three times the size (`generate --profile dirty --scale 3`)
    /// for the linearity check
    #[arg(long = "dirty-3x")]
    dirty_3x: Option<PathBuf>,
    /// Number of interleaved rounds (each times every floor and every entry once)
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// rolelint binary to time (default: `rolelint` next to this executable)
    #[arg(long)]
    rolelint: Option<PathBuf>,
    /// Print one JSON object instead of the table
    #[arg(long)]
    json: bool,
    /// Also time `rolelint review --against REV` in the clean corpus, which must then be a
    /// git work tree (e.g. `git init`, commit, edit one file, `--review-against HEAD`)
    #[arg(long, value_name = "REV")]
    review_against: Option<String>,
    /// Extra arguments for `rolelint check`, inserted before the corpus path
    #[arg(last = true)]
    args: Vec<String>,
}

#[derive(Args)]
struct StressArgs {
    /// Cases to run (default: all): distinct-holders, filter-values, same-named-schemes,
    /// duplicate-holders, policy-rules, paired-grants, board-holders, unknown-schemes,
    /// format-holders, suppressed-findings, misspelt-names, named-rules
    #[arg(long)]
    case: Vec<String>,
    /// Multiply each case's size (1.0: the sizes of issue 13)
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Directory to generate the inputs in (default: the system temporary directory)
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Seconds after which a run is killed
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// rolelint binary to time (default: `rolelint` next to this executable)
    #[arg(long)]
    rolelint: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Generate(a) => generate::run(&a),
        Cmd::Floor(a) => {
            let stats = floor::measure(&a.paths);
            println!("{}", stats.summary_line());
            stats.report_failures();
            Ok(())
        }
        Cmd::Compare(a) => compare::run(&a),
        Cmd::Stress(a) => stress::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rolelint-bench: {e}");
            ExitCode::from(2)
        }
    }
}
