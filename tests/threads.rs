//! The worker pool's arena reservation (src/threads.rs). Its own test binary: the pool
//! must be started here before anything else in the process uses rayon.

/// Each worker, and the thread starting the pool, reserves room in its arena without
/// touching it (checked on every kernel, from the resident size) and, where the kernel has
/// transparent huge pages, leaves one large stretch marked for them (checked from the
/// mappings' flags; without them, no stretch may be marked and the test says so).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn workers_reserve_huge_page_room_without_touching_it() {
    let rss_before = resident_kib();
    rolelint::threads::ensure_pool();
    rolelint::threads::ensure_pool(); // idempotent
    let reached = std::sync::atomic::AtomicUsize::new(0);
    rayon::broadcast(|_| reached.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let workers = rayon::current_num_threads();
    assert!(workers >= 1);
    assert_eq!(reached.into_inner(), workers, "every worker ran");
    // Unused, the reservations of 24 MiB each stay address space: a few pages of malloc
    // bookkeeping and thread stacks at most.
    let grown = resident_kib().saturating_sub(rss_before);
    assert!(
        grown < (workers as u64 + 1) * (4 << 10),
        "starting {workers} workers made {grown} KiB resident"
    );

    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("Linux has smaps");
    let marked: Vec<(u64, u64)> = mappings(&smaps)
        .into_iter()
        .filter(|m| m.flags.split_whitespace().any(|f| f == "hg"))
        .map(|m| (m.size_kib, m.rss_kib))
        .collect();
    if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
        eprintln!(
            "not checked: this kernel has no transparent huge pages, so no stretch can be \
             marked for them (checked: none is)"
        );
        assert!(marked.is_empty(), "marked stretches: {marked:?}");
        return;
    }
    // One per worker and one for the thread that started the pool (its own arena here).
    assert_eq!(marked.len(), workers + 1, "marked stretches: {marked:?}");
    for (size, rss) in marked {
        assert!(size >= 20 << 10, "at least 20 MiB reserved, got {size} KiB");
        assert!(rss < 4 << 10, "reserving touched {rss} KiB");
    }
}

/// `VmRSS` of this process, in KiB.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux has status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .expect("VmRSS in KiB")
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
