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

/// jemalloc's options, read when it starts: an arena per CPU rather than four, so what one
/// thread frees the other threads on that CPU reuse (the dirty benchmark's peak 75.6 ->
/// 72.1 MB, time unchanged; docs/src/performance.md). `_RJEM_MALLOC_CONF` still overrides
/// it. Linux only: elsewhere jemalloc cannot tell which CPU a thread is on.
#[cfg(target_os = "linux")]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static MALLOC_CONF: &[u8; 20] = b"percpu_arena:percpu\0";

fn main() -> ExitCode {
    let cli = rolelint::cli::Cli::parse();
    rolelint::run(cli).exit_code()
}
