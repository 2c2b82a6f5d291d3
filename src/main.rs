//! Thin binary: parse the command line, run the library, map the outcome to an exit code.
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The binary, not the library, decides on process-wide allocator settings.
    rolelint::threads::tune_allocator();
    let cli = rolelint::cli::Cli::parse();
    rolelint::run(cli).exit_code()
}
