//! Property (`properties::xml_vs_reference`): where roxmltree (DTD disabled)
//! accepts a document, wanxiang accepts it too (unless it refuses it for a
//! limit or by policy: DOCTYPE, a non-UTF-8 encoding) and extracts the same
//! text for every leaf element, the same raw slice for every element with
//! children, the same value for every attribute (paths with explicit
//! indices), and the same number of items for every `#` list; where wanxiang
//! accepts, roxmltree accepts too, except for the rules of Namespaces in XML,
//! which XML 1.0 does not have. Known roxmltree deviations from XML 1.0 are
//! excused only where the property code names the section it breaks.
#![no_main]

use wanxiang_properties as properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::xml_vs_reference(data));
