//! Thin binary: parse the command line, run the library, map the outcome to an exit code.
use clap::Parser;
use std::process::ExitCode;

/// jemalloc, not the system's malloc: a run allocates hundreds of thousands of small texts
/// on two threads and frees them in another order, which fragments glibc's bins (the
/// benchmark's figures are in docs/src/performance.md). The binary's choice, never the
/// library's: a program embedding the library keeps its own allocator.
#[cfg(not(windows))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = rolelint::cli::Cli::parse();
    rolelint::run(cli).exit_code()
}
