//! The binary's allocator options (src/main.rs) are the ones jemalloc runs with.
#![cfg(target_os = "linux")]
use assert_cmd::Command;

/// jemalloc reads the options the binary exports under its prefixed name: a misspelt
/// symbol would be ignored without a word.
#[test]
fn jemalloc_runs_with_an_arena_per_cpu() {
    let out = Command::cargo_bin("rolelint")
        .unwrap()
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&out.stderr);
    assert!(
        stats.contains("opt.percpu_arena: \"percpu\""),
        "jemalloc's options: {}",
        stats
            .lines()
            .filter(|l| l.contains("percpu"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
