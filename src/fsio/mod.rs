//! The repository boundary: every file rolelint reads or writes goes through this module.
//!
//! - [`boundary`]: where the repository is, and whether a path (after following its
//!   symlinks) stays inside it.
//! - [`read`]: bounded reads of regular files only (documents, configuration, policies,
//!   catalogues, People exports, baselines, payloads).
//! - [`name`]: unambiguous display paths (names that are not UTF-8 escaped, never merged).
//! - [`write`]: writes that never replace what they should not (outputs, fixes, `fmt`,
//!   `init`, `import`, baselines).
pub mod boundary;
pub mod name;
pub mod read;
pub mod write;

pub use boundary::Root;
