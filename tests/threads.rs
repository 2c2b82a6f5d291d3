//! The worker pool's arena reservation (src/threads.rs). Its own test binary: the pool
//! must be started here before anything else in the process uses rayon.

/// Each worker, and the thread starting the pool, leaves one large stretch of its arena
/// marked for huge pages, and the reservation costs address space, not memory.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn workers_reserve_huge_page_room_without_touching_it() {
    if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
        eprintln!("skipped: this kernel has no transparent huge pages");
        return;
    }
    rolelint::threads::ensure_pool();
    rolelint::threads::ensure_pool(); // idempotent
    rayon::broadcast(|_| ()); // every worker has run its start handler
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("Linux has smaps");
    let marked: Vec<(u64, u64)> = mappings(&smaps)
        .into_iter()
        .filter(|m| m.flags.split_whitespace().any(|f| f == "hg"))
        .map(|m| (m.size_kib, m.rss_kib))
        .collect();
    let workers = rayon::current_num_threads();
    // One per worker and one for the thread that started the pool (its own arena here).
    assert_eq!(marked.len(), workers + 1, "marked stretches: {marked:?}");
    for (size, rss) in marked {
        assert!(size >= 20 << 10, "at least 20 MiB reserved, got {size} KiB");
        assert!(rss < 4 << 10, "reserving touched {rss} KiB");
    }
}

struct Mapping<'a> {
    size_kib: u64,
    rss_kib: u64,
    flags: &'a str,
}

/// The mappings of `/proc/self/smaps`: a header line, then `Key: value` lines.
fn mappings(smaps: &str) -> Vec<Mapping<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Mapping> = None;
    for line in smaps.lines() {
        let (key, value) = line.split_once(':').unwrap_or(("", ""));
        let kib = || value.trim().trim_end_matches(" kB").parse().unwrap_or(0);
        match key {
            "Size" => {
                out.extend(current.take());
                current = Some(Mapping {
                    size_kib: kib(),
                    rss_kib: 0,
                    flags: "",
                });
            }
            "Rss" => current.iter_mut().for_each(|m| m.rss_kib = kib()),
            "VmFlags" => current.iter_mut().for_each(|m| m.flags = value),
            _ => {}
        }
    }
    out.extend(current);
    out
}
