//! Jira project JSON (and, after a NUL byte, its permission scheme JSON) to TOML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::import_project(data);
});
