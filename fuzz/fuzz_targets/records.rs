//! Property (`properties::records`): on any input, record sets (fixed
//! callback-shaped ones, and ones generated from the input's own lists and
//! names) give exactly the plain paths' values cut into items: the same
//! error where the plain paths fail, one record per item, every value inside
//! its item, record `k` equal to the plain paths that name item `k`, a
//! counting `Capacity` error into too few slots, and the same records in
//! `Full` and `Skim`.
#![no_main]

use wanxiang_properties as properties;

use std::sync::OnceLock;

static CASES: OnceLock<Vec<properties::RecordCase>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let fixed = CASES.get_or_init(properties::record_cases);
    properties::records(fixed, data);
});
