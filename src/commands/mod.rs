//! One file per subcommand.
pub mod access;
pub mod check;
pub mod explain;
pub mod fix;
pub mod fmt;
pub mod import;
pub mod init;
pub mod license;
pub mod policy_test;
pub mod progress;
pub mod review;
pub mod why;
pub mod write;
