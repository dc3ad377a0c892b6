//! Entry points for the `classify` fuzz target and the profiling example.
//! Not a public API: hidden from the docs, and free to change.

use crate::error::ErrorKind;
use crate::simd::blocks::{json_spec, xml_spec, JsonBlock, JsonBlocks, JsonCarry, XmlBlocks};
use crate::simd::level::{available, Level};
pub use crate::simd::skip::SkipEnd;

/// The names of the levels this CPU runs (`portable` first), whatever
/// `WANXIANG_SIMD` says.
pub fn levels() -> impl Iterator<Item = &'static str> {
    available().map(Level::name)
}

fn by_name(name: &str) -> Option<Level> {
    available().find(|l| l.name() == name)
}

fn json_row(b: &JsonBlock) -> [u64; 9] {
    let [quote, backslash, open, close, punct, whitespace, control] = b.raw.row();
    let (escaped, in_string) = (b.escaped, b.in_string);
    [
        quote, backslash, open, close, punct, whitespace, control, escaped, in_string,
    ]
}

/// Classifies the JSON blocks of `input` from `start` with the level named
/// `level` and hands each block's offset and masks to `each`: quote,
/// backslash, open, close, punct, whitespace, control, escaped, in-string.
/// `false` when this CPU has no such level.
pub fn json_blocks(
    input: &[u8],
    start: usize,
    level: &str,
    mut each: impl FnMut(usize, [u64; 9]),
) -> bool {
    let Some(level) = by_name(level) else {
        return false;
    };
    let mut blocks = JsonBlocks::new(input, start, level);
    while let Some((at, b)) = blocks.next_block() {
        each(at, json_row(&b));
    }
    true
}

/// [`json_blocks`] by the byte-loop definition.
pub fn json_blocks_spec(input: &[u8], start: usize, mut each: impl FnMut(usize, [u64; 9])) {
    let mut carry = JsonCarry::default();
    let mut at = start;
    while let Some(rest) = input.get(at..).filter(|r| !r.is_empty()) {
        let chunk = rest.get(..64).unwrap_or(rest);
        each(at, json_row(&json_spec(chunk, &mut carry)));
        at += chunk.len();
    }
}

/// The XML counterpart of [`json_blocks`]: `<`, `>`, `&`, `"`, `'`, `]`,
/// `=`, whitespace, control, non-ASCII.
pub fn xml_blocks(
    input: &[u8],
    start: usize,
    level: &str,
    mut each: impl FnMut(usize, [u64; 10]),
) -> bool {
    let Some(level) = by_name(level) else {
        return false;
    };
    let mut blocks = XmlBlocks::new(input, start, level);
    while let Some((at, b)) = blocks.next_block() {
        each(at, b.row());
    }
    true
}

/// [`xml_blocks`] by the byte-loop definition.
pub fn xml_blocks_spec(input: &[u8], start: usize, mut each: impl FnMut(usize, [u64; 10])) {
    let mut at = start;
    while let Some(rest) = input.get(at..).filter(|r| !r.is_empty()) {
        let chunk = rest.get(..64).unwrap_or(rest);
        each(at, xml_spec(chunk).row());
        at += chunk.len();
    }
}

/// A number that depends on every mask of every JSON block from `start`
/// (for timing the classification alone). `None` for an unknown level.
#[inline(never)]
pub fn json_fold(input: &[u8], start: usize, level: &str) -> Option<u64> {
    let level = by_name(level)?;
    let mut blocks = JsonBlocks::new(input, start, level);
    let mut acc = 0u64;
    while let Some((_, b)) = blocks.next_block() {
        acc = acc.rotate_left(1) ^ b.structural_outside() ^ b.raw.whitespace ^ b.raw.control;
    }
    Some(acc)
}

/// [`json_fold`] for XML blocks.
#[inline(never)]
pub fn xml_fold(input: &[u8], start: usize, level: &str) -> Option<u64> {
    let level = by_name(level)?;
    let mut blocks = XmlBlocks::new(input, start, level);
    let mut acc = 0u64;
    while let Some((_, r)) = blocks.next_block() {
        let x = r.row();
        acc = x.iter().fold(acc.rotate_left(1), |a, m| a ^ m);
    }
    Some(acc)
}

/// The mask-counting skip of the container at `start` (see [`SkipEnd`]),
/// `room` containers deep at most. `None` for an unknown level.
#[inline(never)]
pub fn skip_masks(input: &[u8], start: usize, room: usize, level: &str) -> Option<SkipEnd> {
    Some(crate::simd::skip::skip_container(
        input,
        start,
        room,
        by_name(level)?,
    ))
}

/// The reader's `Skim` skip of the container at `start` (today's code), in
/// the same terms.
#[inline(never)]
pub fn skip_skim(input: &[u8], start: usize, room: usize) -> SkipEnd {
    if !matches!(input.get(start), Some(b'{' | b'[')) {
        return SkipEnd::NotAContainer;
    }
    match crate::json::skim_bytes(input, start, 0, room) {
        Ok(end) => SkipEnd::End(end),
        Err(e) if e.kind() == ErrorKind::DepthLimit => SkipEnd::TooDeep(e.at()),
        Err(_) => SkipEnd::Unclosed,
    }
}

/// The `Skim` skip the readers use (masks where the level allows, bytes
/// otherwise) and the byte loop alone, on the container at `start` with
/// `depth` containers open and `max_depth` allowed: the end, or the error's
/// kind and offset, of each. The two must always be equal.
#[inline(never)]
pub fn skim_both(
    input: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
) -> [Result<usize, (ErrorKind, usize)>; 2] {
    // Choose the level first, as `Options::with_validation(Skim)` does: the
    // skip itself only reads a level already chosen.
    crate::simd::level::level();
    let f = |r: crate::scan::PResult<usize>| r.map_err(|e| (e.kind(), e.at()));
    [
        f(crate::json::skim_container(input, start, depth, max_depth)),
        f(crate::json::skim_bytes(input, start, depth, max_depth)),
    ]
}

/// The reader's `Full` skip of the value at `start` (today's code, which
/// checks every byte of it): the offset after it, or `None` on any error.
#[inline(never)]
pub fn skip_full(input: &[u8], start: usize, room: usize) -> Option<usize> {
    crate::json::skip_full(input, start, 0, &crate::config::Settings::full(room)).ok()
}

/// The crate's UTF-8 check (`simd::utf8`): the input as `&str`, or the
/// offset of the first byte that is not part of valid UTF-8 (as
/// `Utf8Error::valid_up_to`). For the `utf8_profile` bench example.
pub fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    crate::simd::utf8(bytes)
}

/// The end of a run of JSON string contents from `k` (the first `"`, `\` or
/// byte below `0x20`, or the input's length) by the kernel of the level
/// named `level`; `None` when this CPU has no such level.
pub fn string_stop(input: &[u8], k: usize, level: &str) -> Option<usize> {
    Some(crate::simd::string::stop_at(input, k, by_name(level)?))
}

/// [`string_stop`]'s definition, byte by byte.
pub fn string_stop_spec(input: &[u8], k: usize) -> usize {
    crate::simd::string::stop_spec(input, k)
}

/// The end of a run of XML character data from `k` (the first `<`, `&`,
/// `]`, C0 control other than tab and newline, or `EF`; or the input's
/// length) by the kernel of the level named `level`; `None` when this CPU
/// has no such level.
pub fn text_stop(input: &[u8], k: usize, level: &str) -> Option<usize> {
    Some(crate::simd::text::stop_at(
        input,
        k,
        &crate::simd::text::TEXT,
        by_name(level)?,
    ))
}

/// [`text_stop`]'s definition, byte by byte.
pub fn text_stop_spec(input: &[u8], k: usize) -> usize {
    crate::simd::text::stop_spec(input, k, &crate::simd::text::TEXT)
}
