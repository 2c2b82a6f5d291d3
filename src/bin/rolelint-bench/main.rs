//! `rolelint-bench`: a deterministic benchmark corpus and the "floor" rolelint is measured
//! against.
//!
//! ```text
//! cargo build --release                     # builds rolelint and rolelint-bench
//! cargo run --release --bin rolelint-bench -- generate --out bench-corpus
//! cargo run --release --bin rolelint-bench -- floor bench-corpus
//! cargo run --release --bin rolelint-bench -- compare --corpus bench-corpus --runs 7
//! ```
//!
//! * `generate` writes a synthetic repository of Jira Align roles and Jira schemes, projects,
//!   boards and groups in the formats of SPEC §1. Output is a pure function of the options:
//!   the same seed gives byte-identical files, so figures from different machines or commits
//!   refer to the same input.
//! * `floor` is the physical lower bound for a linter over that corpus: walk, read and
//!   parse every document into toml's spanned `DeTable`, in parallel, and nothing else.
//! * `compare` times the floor in-process against the `rolelint` binary as a child process,
//!   and `rolelint access` (the effective access model) run in the corpus.
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
mod rng;
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
}

#[derive(Args)]
struct FloorArgs {
    /// Files or directories to walk
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
struct CompareArgs {
    /// Corpus directory (as written by `generate`)
    #[arg(long)]
    corpus: PathBuf,
    /// Number of timed runs of each side
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// rolelint binary to time (default: `rolelint` next to this executable)
    #[arg(long)]
    rolelint: Option<PathBuf>,
    /// Print one JSON object instead of the table
    #[arg(long)]
    json: bool,
    /// Extra arguments for `rolelint check`, inserted before the corpus path
    #[arg(last = true)]
    args: Vec<String>,
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rolelint-bench: {e}");
            ExitCode::from(2)
        }
    }
}
