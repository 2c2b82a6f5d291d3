//! A "still working" line on stderr for runs longer than a second, only when stderr is a
//! terminal (never in CI logs or pipes). A background thread sleeps on a channel, so a
//! fast run pays for one thread spawn and nothing is printed.
use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Drop (or [`Progress::finish`]) to stop and erase the line.
pub struct Progress {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Start a spinner labelled `what`, unless `enabled` is false or stderr is not a TTY.
    pub fn start(what: &str, enabled: bool) -> Self {
        if !enabled || !std::io::stderr().is_terminal() {
            return Self {
                stop: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let what = what.to_string();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut wait = Duration::from_secs(1);
            let mut shown = false;
            loop {
                match rx.recv_timeout(wait) {
                    Err(RecvTimeoutError::Timeout) => {
                        let secs = started.elapsed().as_secs();
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r{what}… {secs}s");
                        let _ = err.flush();
                        shown = true;
                        wait = Duration::from_millis(500);
                    }
                    // Finished or dropped: erase the line if one was drawn.
                    _ => {
                        if shown {
                            let mut err = std::io::stderr().lock();
                            let _ = write!(err, "\r\x1b[2K");
                            let _ = err.flush();
                        }
                        return;
                    }
                }
            }
        });
        Self {
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn finish(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_now();
    }
}
