//! Bytes after `kind = "policy"`, so the fuzzer spends its time in rule parsing and
//! evaluation rather than in finding the `kind` line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::policy(data);
});
