//! Property (`properties::no_alloc`): reading and extracting any input
//! allocates nothing. A counting `#[global_allocator]` (per thread, switched on
//! only around the work) sees zero allocations and reallocations while every
//! extraction mode (`Full`, `Skim`, strict, small limits; slots and `visit`),
//! both readers to the end (with skips), errors with their position and
//! `Display`, and the decoding-free accessors (`write_to`, `eq_str`, `as_str`)
//! run over the input. The paths are compiled once, before counting.
#![no_main]

use wanxiang_properties as properties;

use std::sync::OnceLock;

#[global_allocator]
static ALLOC: properties::CountingAlloc = properties::CountingAlloc;

static PATHS: OnceLock<wanxiang::PathSet> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let set = PATHS.get_or_init(properties::paths);
    properties::no_alloc(set, data);
});
