//! The worker pool, started the first time a stage goes parallel: a run too small to go
//! parallel (the pre-commit case) never starts its threads.
use std::sync::Once;

/// Start rayon's global pool (once; a no-op afterwards).
pub fn ensure_pool() {
    static POOL: Once = Once::new();
    POOL.call_once(|| {
        // An error means a pool already runs (a test harness, an embedding program):
        // it is then used as it is.
        let _ = rayon::ThreadPoolBuilder::new().build_global();
    });
}
