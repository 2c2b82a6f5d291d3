//! `rolelint.toml` text, loaded and then used to check a small repository.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::config(data);
});
