//! A Jira Align People export, read with the default column names.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::people_csv(data);
});
