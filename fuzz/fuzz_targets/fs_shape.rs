//! A tree of directories, files and symbolic links built from the input, then discovered
//! and checked as a repository.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rolelint::fuzzing::fs_shape(data);
});
