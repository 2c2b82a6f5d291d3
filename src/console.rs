//! Standard output and error for every command, written only through here
//! ([`out!`](crate::out), [`outln!`](crate::outln), [`errln!`](crate::errln), [`Stdout`]).
//!
//! `println!` panics when the reader has gone (`rolelint fmt | head -1`). Rust ignores
//! SIGPIPE, and rolelint keeps it that way while it works, so a closed pipe never kills
//! it half-way through rewriting files: the first `EPIPE` marks standard output closed,
//! later printing is skipped, and the command finishes the work it started. Then
//! [`finish`] ends the process as a Unix tool ends after `EPIPE`: killed by SIGPIPE
//! (status 141 in a shell), so `set -o pipefail` sees that the output was cut short.
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error other than `EPIPE` that printing had to swallow.
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Has the reader of standard output gone?
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// Standard output as a writer. Once the reader has gone, every write fails at once
/// with `BrokenPipe` (no system call), so an emitter stops at its next write.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        guard(|| io::stdout().lock().write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        guard(|| io::stdout().lock().write_all(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        guard(|| io::stdout().lock().flush())
    }
}

fn guard<T>(write: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    if closed() {
        return Err(io::ErrorKind::BrokenPipe.into());
    }
    let result = write();
    if let Err(e) = &result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }
    result
}

/// `print!` that never panics: `EPIPE` closes standard output, any other error is kept
/// for [`finish`] to report.
pub fn print(args: fmt::Arguments) {
    if let Err(e) = Stdout.write_fmt(args) {
        remember(&e);
    }
}

/// `eprint!` that never panics: with standard error gone there is no one left to tell.
pub fn eprint(args: fmt::Arguments) {
    let _ = io::stderr().lock().write_fmt(args);
}

fn remember(e: &io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return;
    }
    if let Ok(mut failed) = FAILED.lock() {
        failed.get_or_insert_with(|| e.to_string());
    }
}

/// The fatal error for a failed write of a report to standard output: nothing to say
/// when the reader has gone (see [`finish`]), one sentence otherwise.
pub fn write_failed(e: io::Error) -> crate::error::Fatal {
    if closed() || e.kind() == io::ErrorKind::BrokenPipe {
        CLOSED.store(true, Ordering::Relaxed);
        crate::error::Fatal::StdoutClosed
    } else {
        crate::error::Fatal::msg(format!("cannot write to standard output: {e}"))
    }
}

/// End of a command: flush standard output, then end as SIGPIPE would have ended a tool
/// that did not ignore it when the reader has gone. A write error printing swallowed
/// turns a successful outcome into a failure.
pub fn finish(outcome: crate::Outcome) -> crate::Outcome {
    if let Err(e) = Stdout.flush() {
        remember(&e);
    }
    if closed() {
        die_of_sigpipe();
    }
    let failed = FAILED.lock().ok().and_then(|mut f| f.take());
    match failed {
        Some(e) if outcome != crate::Outcome::Failure => {
            eprint(format_args!(
                "error: cannot write to standard output: {e}\n"
            ));
            crate::Outcome::Failure
        }
        _ => outcome,
    }
}

#[cfg(unix)]
fn die_of_sigpipe() -> ! {
    // SAFETY: restoring the default disposition and raising a signal in the calling
    // thread; nothing else runs concurrently at the end of a command.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(128 + libc::SIGPIPE)
}

#[cfg(not(unix))]
fn die_of_sigpipe() -> ! {
    std::process::exit(2)
}

/// `print!` through [`console::print`](crate::console::print).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::console::print(format_args!($($arg)*)) };
}

/// `println!` through [`console::print`](crate::console::print).
#[macro_export]
macro_rules! outln {
    () => { $crate::console::print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::console::print(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` through [`console::eprint`](crate::console::eprint).
#[macro_export]
macro_rules! errln {
    () => { $crate::console::eprint(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::console::eprint(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `ROLELINT_TIMINGS=1` prints the wall time of each stage to stderr (for the benchmark).
pub mod timing {
    use std::sync::OnceLock;
    use std::time::Instant;

    static START: OnceLock<Option<Instant>> = OnceLock::new();

    /// Start the clock (once per process; only when `ROLELINT_TIMINGS` is set).
    pub fn start() {
        START.get_or_init(|| std::env::var_os("ROLELINT_TIMINGS").map(|_| Instant::now()));
    }

    /// Print how long one rule took (started at `t`).
    pub fn rule(code: &str, t: Instant) {
        if let Some(Some(_)) = START.get() {
            errln!(
                "timing:   rule {code} took {:.1} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }

    /// Print how long after [`start`] the stage ended.
    pub fn lap(stage: &str) {
        if let Some(Some(t)) = START.get() {
            errln!(
                "timing: {stage} done at {:.1} ms{}",
                t.elapsed().as_secs_f64() * 1000.0,
                resident()
            );
        }
    }

    /// The process's resident memory now (Linux's `VmRSS`, in kB whatever the page size),
    /// for finding where a run peaks.
    fn resident() -> String {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kb = (status.lines())
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
        match kb {
            Some(kb) => format!(", resident {} MiB", kb >> 10),
            None => String::new(),
        }
    }
}
