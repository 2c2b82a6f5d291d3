//! rolelint: policy-as-code linter for Jira Align roles and Jira permissions.
//!
//! One pipeline, one folder per stage: [`discover`] → [`load`] → [`resolve`] ([`jira`]) →
//! [`evaluate`] (rule types, policies, suppressions, baselines) → [`report`]; [`pipeline`]
//! runs them, [`commands`] are the subcommands of [`cli`]. Below the stages, the
//! foundation: [`inert`], [`error`], [`console`], [`threads`], [`fsio`], [`diagnostics`]
//! (findings, sources, built-in checks), [`jql`], [`document`], [`config`], [`catalog`].
//! A module imports only modules below it (`tests/architecture.rs` keeps the order).
// First, so its `out!`, `outln!` and `errln!` are in scope in every module below.
#[macro_use]
pub mod console;
pub mod access;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod document;
pub mod error;
pub mod evaluate;
pub mod fmt;
pub mod fsio;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod inert;
pub mod jira;
pub mod jql;
pub mod license;
pub mod load;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod review;
pub mod threads;

use cli::{Cli, Command};
use error::Fatal;
use std::process::ExitCode;

/// How a command ended; mapped to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing at error level.
    Clean,
    /// 1: violations found.
    Violations,
    /// 2: rolelint could not do its job.
    Failure,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(match self {
            Self::Clean => 0,
            Self::Violations => 1,
            Self::Failure => 2,
        })
    }
}

/// Run a parsed command line; fatal errors are printed to stderr. Standard output is
/// flushed and a closed one ends the process as SIGPIPE would ([`console::finish`]).
pub fn run(cli: Cli) -> Outcome {
    console::finish(run_command(cli))
}

fn run_command(cli: Cli) -> Outcome {
    let result = match &cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Explain(args) => commands::explain::explain(&args.rule, args.config.as_deref()),
        Command::Rules(args) => commands::explain::rules(args.json, args.config.as_deref()),
        Command::License(args) => commands::license::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Policy(cli::PolicyCommand::Test(args)) => commands::policy_test::run(args),
        Command::Why(args) => commands::why::run(args),
        Command::Access(args) => commands::access::run(args),
        Command::Review(args) => commands::review::run(args),
    };
    result.unwrap_or_else(|e| {
        report_fatal(&e);
        Outcome::Failure
    })
}

/// Characters of a fatal error's sentence printed at most.
const FATAL_CHARS: usize = 4_000;

/// Print a fatal error: one sentence, or a configuration diagnostic with its snippet.
pub fn report_fatal(e: &Fatal) {
    match e {
        // One sentence, whatever it quotes: control characters escaped, length cut.
        Fatal::Message(m) => errln!("error: {}", inert::bounded(m, FATAL_CHARS)),
        Fatal::Config { message, problems } => {
            match problems.downcast_ref::<diagnostics::fatal::ConfigProblems>() {
                Some(p) => {
                    let human = report::human::Human::plain();
                    for d in &p.diagnostics {
                        console::eprint(format_args!("{}", human.render(d, &p.sources)));
                    }
                }
                None => errln!("error: {}", inert::bounded(message, FATAL_CHARS)),
            }
        }
        Fatal::StdoutClosed => {}
    }
}
