//! Property (`properties::prefixes`): for a document accepted in `Full` mode,
//! every strict prefix that ends before the root is closed is an error, never
//! a success with values, and every prefix that keeps the whole root and cuts
//! only trailing whitespace gives the same values as the whole document.
//! The prefixes checked: all of them for documents up to 512 bytes; for longer
//! ones every cut within 8 bytes of the root's end and 256 cuts spread over
//! the document, shifted by a hash of the input so that mutations move them.
//!
//! Property (`properties::two_chunks`): feeding the input to the stream
//! framer in two pieces, cut at a point derived from the input, gives the
//! same frames and, for each frame, the same values or error as feeding it
//! whole.
#![no_main]

use wanxiang_properties as properties;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // FNV-1a: a cheap, deterministic shift for the sampled cuts.
    let seed = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    properties::two_chunks(data, (seed as usize) % (data.len() + 1));
    properties::prefixes(data, |len, end| {
        if len <= 512 {
            (0..len).collect()
        } else {
            properties::prefix_lengths(len, end, 256, seed as usize)
        }
    });
});
