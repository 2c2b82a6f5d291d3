//! The worker pool, started the first time a stage goes parallel.
//!
//! glibc gives each worker thread its own malloc arena and grows it one page at a time,
//! each step an `mprotect` call under the process-wide memory-map lock (8,700 of them in a
//! 16,000-file check), and every new page is a page fault (14,400). So, when the program
//! asks for it ([`tune_allocator`]), each worker and the thread that starts the pool (it
//! collects what the workers return) reserve room in their arena once and ask for
//! transparent huge pages there: one fault then maps 2 MiB (1,400 faults in all). The room
//! is address space, not memory: pages count only once they are used. A run too small to
//! go parallel changes nothing.
//!
//! The tuning sets process-wide `mallopt` values, so it is the `rolelint` binary's choice
//! (`main.rs`), never the library's: a program embedding the library, and the test
//! binaries, keep their allocator as it is.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static TUNED: AtomicBool = AtomicBool::new(false);

/// Opt this process into the arena reservation: the `mallopt` values and the reserved room
/// take effect when the pool starts (before any worker exists). Call it before the first
/// parallel stage; a call after the pool started changes nothing.
pub fn tune_allocator() {
    TUNED.store(true, Ordering::Relaxed);
}

/// Start rayon's global pool (once; a no-op afterwards), with the arena reservation when
/// the program chose [`tune_allocator`].
pub fn ensure_pool() {
    static POOL: Once = Once::new();
    POOL.call_once(|| {
        let builder = rayon::ThreadPoolBuilder::new();
        // An error means a pool already runs (a test harness, an embedding program):
        // it is then used as it is.
        let _ = if TUNED.load(Ordering::Relaxed) {
            arena::configure();
            arena::reserve();
            builder.start_handler(|_| arena::reserve()).build_global()
        } else {
            builder.build_global()
        };
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod arena {
    /// Room each worker reserves: more than a worker holds at the end of checking a
    /// 16,000-file repository (beyond it, the arena grows as before).
    const RESERVE: usize = 24 << 20;
    const HUGE_PAGE: usize = 2 << 20;

    /// Serve blocks up to `RESERVE` from the arenas (not fresh `mmap`s), and never give
    /// an arena's free top back, so the reservation outlives its `free`.
    pub fn configure() {
        // SAFETY: `mallopt` only sets allocator parameters, before any worker exists;
        // both values are in range (the mmap threshold may be up to 32 MiB on 64-bit).
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, (RESERVE + HUGE_PAGE) as libc::c_int);
            libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
        }
    }

    /// Grow this thread's arena by `RESERVE` at once, mark the whole 2 MiB pages inside
    /// for transparent huge pages, and hand the block back to the arena. Where memory is
    /// short (strict overcommit), the allocation fails and nothing is reserved.
    pub fn reserve() {
        let layout = std::alloc::Layout::new::<[u8; RESERVE]>();
        // SAFETY: the layout's size is not zero.
        let block = std::hint::black_box(unsafe { std::alloc::alloc(layout) });
        if block.is_null() {
            return;
        }
        let at = block as usize;
        let start = at.next_multiple_of(HUGE_PAGE);
        let end = (at + RESERVE) / HUGE_PAGE * HUGE_PAGE;
        // SAFETY: `madvise` gets a range inside `block`, which this thread owns until the
        // `dealloc`; MADV_HUGEPAGE only sets a flag on the mapping and leaves its contents
        // alone (failure, on a kernel without huge pages, changes nothing). `dealloc` gets
        // the pointer and layout of the `alloc` above.
        unsafe {
            if end > start {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
            std::alloc::dealloc(block, layout);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod arena {
    pub fn configure() {}
    pub fn reserve() {}
}
