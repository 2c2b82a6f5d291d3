//! A board's saved-filter JQL.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::board_filter(data);
});
