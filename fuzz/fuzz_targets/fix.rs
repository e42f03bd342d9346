//! See ../README.md. The invariants live in `oie_lint::fuzzing::check_fix`,
//! so that `cargo test` replays the corpus on stable too.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    oie_lint::fuzzing::check_fix(data);
});
