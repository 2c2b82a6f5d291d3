//! Temporary files of writes in progress, removed when rolelint is interrupted.
//!
//! Every write stages its bytes in a temporary file next to the destination. The staged
//! file is registered here while it exists; on SIGINT or SIGTERM a watcher thread removes
//! every registered file and exits with 130 or 143, as a shell reports such a death.
//! Registration, the final rename and deregistration happen under one lock, so the
//! watcher never removes a file that has already become the destination.
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The staged files that exist right now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Hold the registry: no interruption cleans up while the guard lives.
pub fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
    watch();
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forget `path` (renamed into place, or removed by its owner).
pub fn forget(live: &mut Vec<PathBuf>, path: &Path) {
    live.retain(|p| p != path);
}

/// Remove every registered file; what is left registered afterwards is nothing.
pub fn remove_all(live: &mut Vec<PathBuf>) {
    for p in live.drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

/// Start the watcher once, before the first temporary file exists.
fn watch() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(start);
}

#[cfg(unix)]
fn start() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // without a watcher, the default action (death) leaves the file behind
    };
    let spawned = std::thread::Builder::new()
        .name("rolelint-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no write can stage another file meanwhile.
                let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
                remove_all(&mut live);
                std::process::exit(128 + signal);
            }
        });
    drop(spawned);
}

#[cfg(not(unix))]
fn start() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupted_writes_leave_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let staged = dir.path().join(".rolelint-x");
        std::fs::write(&staged, "half").expect("write");
        let mut live = vec![staged.clone()];
        remove_all(&mut live);
        assert!(!staged.exists());
        assert!(live.is_empty());
    }
}
