//! Property (`properties::json_reader`): the checks of `xml_reader` for the
//! JSON reader (no panic, termination, slices inside the input, growing
//! offsets, depth within the limit, balanced containers, errors in range with
//! the right line and column, `skip_value` and extraction agreeing with the
//! reader, `Skim` accepting what `Full` accepts); and in strict mode,
//! acceptance and the value read agree with serde_json on every input. A
//! disagreement is a bug in one of them; only the limits RFC 8259 §9 allows
//! (depth, number range) and a UTF-8 byte-order mark (§8.1) are excused.
//! Lenient mode accepts a superset of strict, differing only by `TrailingComma`.
#![no_main]

use wanxiang_properties as properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::json_reader(data));
