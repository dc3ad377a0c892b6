//! Property (`properties::typed_view`): on any input the typed view
//! (`Callback`, and `OwnedCallback` over a copy) accepts exactly what the path
//! layer accepts, with the same error kind and offset otherwise; when it
//! accepts, its jobs, their `JobId` and `State`, the workflow's tasks and the
//! event name are the path layer's values, however the jobs iterator is
//! consumed, and the owned form gives the same answers.
#![no_main]

use wanxiang_properties as properties;

use std::sync::OnceLock;

static PATHS: OnceLock<wanxiang::PathSet> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let set = PATHS.get_or_init(properties::typed_paths);
    properties::typed_view(set, data);
});
