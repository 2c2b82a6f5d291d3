//! The worker pool's arena reservation (src/threads.rs), which the `rolelint` binary opts
//! into. Its own test binary: the pool must be started here before anything else in the
//! process uses rayon. (`tests/threads_untuned.rs` checks that the library alone tunes
//! nothing.)

#[path = "common/smaps.rs"]
mod smaps;

/// Each worker, and the thread starting the pool, reserves room in its arena without
/// touching it. Checked on every kernel from the mappings: one writable stretch of at least
/// 20 MiB per arena, nearly nothing of it resident (without the `mallopt` values the block
/// would be a separate `mmap` returned on `free`, or the arena's top trimmed back). Where
/// the kernel has transparent huge pages, exactly those stretches are also marked for them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn workers_reserve_huge_page_room_without_touching_it() {
    let rss_before = smaps::resident_kib();
    rolelint::threads::tune_allocator();
    rolelint::threads::ensure_pool();
    rolelint::threads::ensure_pool(); // idempotent
    let reached = std::sync::atomic::AtomicUsize::new(0);
    rayon::broadcast(|_| reached.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let workers = rayon::current_num_threads();
    assert!(workers >= 1);
    assert_eq!(reached.into_inner(), workers, "every worker ran");
    // Unused, the reservations of 24 MiB each stay address space: a few pages of malloc
    // bookkeeping and thread stacks at most.
    let grown = smaps::resident_kib().saturating_sub(rss_before);
    assert!(
        grown < (workers as u64 + 1) * (4 << 10),
        "starting {workers} workers made {grown} KiB resident"
    );

    let text = std::fs::read_to_string("/proc/self/smaps").expect("Linux has smaps");
    let all = smaps::mappings(&text);
    let reserved: Vec<&smaps::Mapping> = all.iter().filter(|m| m.is_reserved_room()).collect();
    // One per worker and one for the thread that started the pool.
    assert_eq!(
        reserved.len(),
        workers + 1,
        "reserved stretches: {reserved:?}"
    );
    for m in &reserved {
        assert!(m.rss_kib < 4 << 10, "reserving touched {m:?}");
    }

    let marked: Vec<&smaps::Mapping> = all.iter().filter(|m| m.huge_page_marked()).collect();
    if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
        // madvise(MADV_HUGEPAGE) fails there and marks nothing.
        assert!(marked.is_empty(), "marked stretches: {marked:?}");
        return;
    }
    assert_eq!(marked.len(), workers + 1, "marked stretches: {marked:?}");
    for m in marked {
        assert!(
            m.is_reserved_room(),
            "a marked stretch is not a reservation: {m:?}"
        );
    }
}
