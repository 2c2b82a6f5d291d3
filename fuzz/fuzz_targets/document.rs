//! Any bytes as a document of any kind; documents that parse are also resolved and
//! evaluated against the built-in policies, so rule evaluation is fuzzed too.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::document(data);
});
