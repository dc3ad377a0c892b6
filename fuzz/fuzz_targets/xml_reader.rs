//! Property (`properties::xml_reader`): on any bytes, the XML reader never
//! panics and terminates; every slice it returns (names, attributes, text,
//! CDATA, extracted values) lies inside the input at the offset it reports;
//! its offset grows with every event; depth never exceeds the limit and
//! equals the number of open elements; end tags match their start tags;
//! every error has an offset within the input and the right line and column.
//! Skipping elements gives the same verdict as reading them, extraction
//! accepts exactly what the reader accepts (with the same error), and `Skim`
//! accepts, with the same events and values, whatever `Full` accepts.
#![no_main]

use wanxiang_properties as properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| properties::xml_reader(data));
