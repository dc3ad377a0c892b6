//! Property (`properties::top_array`): for an accepted JSON document D with
//! an object on top and paths p generated from D's names, `[D]` and `[D, D]`
//! give p the values D gives it; `0.p` on `[D]`, `1.p` on `[D, D]` give them
//! too and `#.p` on `[D, D]` gives them twice; `0.p`, `1.p`, `#.p` give
//! nothing on D. (Wrapping D allocates here; the library calls under test do
//! not, which the `no_alloc` target checks.)
#![no_main]

use wanxiang_properties as properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    properties::top_array(data);
});
