//! The floor: what any linter over these files must do at least. Kept free of anything
//! rolelint-specific so the ratio measures rolelint's own overhead.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub struct FloorStats {
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub failures: Vec<(PathBuf, String)>,
}

impl FloorStats {
    pub fn summary_line(&self) -> String {
        let mut line = format!(
            "floor: {} files, {} bytes, {:.1} ms",
            self.files,
            self.bytes,
            self.elapsed.as_secs_f64() * 1e3
        );
        if !self.failures.is_empty() {
            let _ = write!(line, " ({} parse failures)", self.failures.len());
        }
        line
    }

    pub fn report_failures(&self) {
        for (path, err) in self.failures.iter().take(10) {
            eprintln!("{}: {}", path.display(), err.lines().next().unwrap_or(""));
        }
        if self.failures.len() > 10 {
            eprintln!("... and {} more", self.failures.len() - 10);
        }
    }
}

/// Hidden directories (`.git`) and `target` hold no documents; a linter skips them too.
fn skipped_dir(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_dir()
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.') || n == "target")
}

fn is_document(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_file()
        && entry.path().extension().is_some_and(|e| e == "toml")
        && entry.file_name() != "rolelint.toml"
}

pub fn discover(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root).follow_links(false).into_iter();
        for entry in walker.filter_entry(|e| !skipped_dir(e)).flatten() {
            if is_document(&entry) {
                files.push(entry.into_path());
            }
        }
    }
    files
}

/// Outcome of one file: bytes read, and the error if it could not be read or parsed.
fn read_and_parse(path: &Path) -> (u64, Option<String>) {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return (0, Some(e.to_string())),
    };
    let parsed = toml::de::DeTable::parse(&text);
    // black_box: the parse result must count as used, or the optimiser could drop work.
    let outcome = match std::hint::black_box(parsed) {
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    };
    (text.len() as u64, outcome)
}

pub fn measure(paths: &[PathBuf]) -> FloorStats {
    let started = Instant::now();
    let files = discover(paths);
    let results: Vec<(u64, Option<String>)> = files.par_iter().map(|p| read_and_parse(p)).collect();
    let elapsed = started.elapsed();
    let bytes = results.iter().map(|r| r.0).sum();
    let failures = files
        .iter()
        .zip(results)
        .filter_map(|(p, (_, e))| e.map(|e| (p.clone(), e)))
        .collect();
    FloorStats {
        files: files.len(),
        bytes,
        elapsed,
        failures,
    }
}
