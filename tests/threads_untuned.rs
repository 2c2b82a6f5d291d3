//! The library alone leaves the allocator as it is: a program embedding it (the test
//! binaries included) that never calls `threads::tune_allocator` gets a plain pool. Its own
//! test binary, so that nothing else starts the pool first.

#[path = "common/smaps.rs"]
mod smaps;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_library_alone_reserves_and_marks_nothing() {
    rolelint::threads::ensure_pool();
    let reached = std::sync::atomic::AtomicUsize::new(0);
    rayon::broadcast(|_| reached.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    assert_eq!(reached.into_inner(), rayon::current_num_threads());
    let text = std::fs::read_to_string("/proc/self/smaps").expect("Linux has smaps");
    let all = smaps::mappings(&text);
    let tuned: Vec<&smaps::Mapping> = all
        .iter()
        .filter(|m| m.is_reserved_room() || m.huge_page_marked())
        .collect();
    assert!(
        tuned.is_empty(),
        "allocator tuned without being asked: {tuned:?}"
    );
}
