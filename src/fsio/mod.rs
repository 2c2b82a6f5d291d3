//! The repository boundary: every file rolelint reads or writes goes through this module.
//!
//! - [`boundary`]: where the repository is, and whether a path (after following its
//!   symlinks) stays inside it.
//! - [`read`]: bounded reads of regular files only (documents, configuration, policies,
//!   catalogues, People exports, baselines, payloads).
//! - [`name`]: unambiguous display paths (names that are not UTF-8 escaped, never merged).
//! - [`write`]: writes that never replace what they should not (outputs, fixes, `fmt`,
//!   `init`, `import`, baselines), keeping a document's line endings and BOM ([`shape`]) and
//!   removing temporary files when interrupted ([`cleanup`]).
//! - [`revision`]: the repository's files at another git revision, read in memory.
pub mod boundary;
pub mod cleanup;
pub mod name;
pub mod read;
pub mod revision;
pub mod shape;
pub mod write;

pub use boundary::Root;
