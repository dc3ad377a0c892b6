//! Byte-level helpers shared by both readers: byte classes, whitespace, the
//! chunked "find the next byte that needs attention" loop, UTF-8 decoding of
//! single characters.
//!
//! # The chunked search
//! Text runs on callbacks are short (indentation, ids) or long (`UserData`,
//! media info). [`find_class`] handles both: it tests a block of 16 bytes
//! against a byte class written over [`V16`] (SSE2 on x86-64, SWAR words
//! elsewhere) and takes the first hit from the block's bit mask. [`find_run`]
//! switches long runs to `memchr` plus a vectorised check of the span. Calling
//! `memchr` once per short token costs more than it saves (its setup dominates
//! on 5–20 byte runs). [`find`] is the portable form for the rarer scanners
//! (attribute values, comments, PIs): a branch-free predicate tested 16 bytes
//! at a time, walked byte by byte inside the chunk that holds a candidate.
//!
//! # Inlining
//! The helpers here are always inlined in optimised builds. In builds with
//! debug assertions they are only hinted: always-inlined scanners make the
//! unoptimised frames of the recursive extractors big enough to overflow the
//! 64 KiB thread stack of `tests/hostile.rs`.

use crate::error::{ErrorKind, ValueErrorKind, UNIT_KINDS};
use crate::simd::V16;
use core::num::NonZeroU64;

/// An error found inside the crate, before it is positioned with line and
/// column at the public boundary (see [`crate::Error::at`]).
///
/// One word: the kind's index in [`KINDS`] (plus one) in the top 8 bits, the
/// byte offset in the low 56. [`ErrorKind`] is 24 bytes (it carries
/// `&'static str` payloads), so a `(kind, offset)` pair made every
/// `PResult<usize>` 40 bytes, returned through the stack and read back with
/// loads wider than the stores that wrote it (a store-forwarding stall on
/// every token). As one word, `PResult<usize>` and `PResult<(usize, bool)>`
/// are 16 bytes and come back in two registers.
///
/// 56 bits hold every offset the crate produces: the readers refuse input
/// above `u32::MAX` bytes ([`crate::Limits::with_max_input`]), and the one
/// other text (a path's) is a slice in memory, far below 2^56 bytes on the
/// targets we build for (x86-64 user address spaces are at most 56 bits
/// wide, 64-bit ARM's 52). A larger offset would be clamped to the largest
/// (debug builds assert).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail(NonZeroU64);

/// Bits of [`Fail`] that hold the offset.
const AT_BITS: u32 = 56;
const AT_MASK: u64 = (1 << AT_BITS) - 1;

impl Fail {
    /// The failure `kind` at byte `at`. `kind` must be in [`KINDS`] (a test
    /// reads every source file to check that every kind the crate builds is).
    #[cold]
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind, at: usize) -> Fail {
        let code = match KINDS.iter().position(|k| *k == kind) {
            Some(i) => i + 1,
            None => {
                debug_assert!(false, "{kind:?} is missing from scan::KINDS");
                unlisted(kind)
            }
        };
        debug_assert!(at as u64 <= AT_MASK, "offset {at} does not fit a Fail");
        let at = (at as u64).min(AT_MASK);
        // `code` is 1..=KINDS.len() (at most 255, checked at compile time).
        Fail(NonZeroU64::new((code as u64) << AT_BITS | at).unwrap_or(NonZeroU64::MIN))
    }

    /// The error kind, exactly as given to [`Fail::new`].
    pub(crate) fn kind(self) -> ErrorKind {
        let code = (self.0.get() >> AT_BITS) as usize;
        KINDS
            .get(code.wrapping_sub(1))
            .copied()
            .unwrap_or(ErrorKind::UnexpectedEof)
    }

    /// The public [`Error`] for this failure of `input`: its line and
    /// column are counted there. Out of line, as failures are rare.
    #[cold]
    #[inline(never)]
    pub(crate) fn error(self, input: &[u8]) -> crate::Error {
        crate::Error::at(self.kind(), self.at(), input)
    }

    /// The byte offset.
    pub(crate) fn at(self) -> usize {
        (self.0.get() & AT_MASK) as usize
    }
}

impl core::fmt::Debug for Fail {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Fail")
            .field("kind", &self.kind())
            .field("at", &self.at())
            .finish()
    }
}

/// Release builds only, for a kind missing from [`KINDS`] (debug builds
/// panic first): the listed kind of the same variant, so the error keeps its
/// kind and only an `UnexpectedByte`'s `expected` text can differ.
#[cold]
fn unlisted(kind: ErrorKind) -> usize {
    let same = |k: &ErrorKind| core::mem::discriminant(k) == core::mem::discriminant(&kind);
    KINDS.iter().position(same).map_or(1, |i| i + 1)
}

/// Every error kind a [`Fail`] can carry: each payload-free kind
/// ([`UNIT_KINDS`], as declared), then [`WITH_DATA`].
/// `tests::every_kind_built_is_listed` reads the sources to keep it complete.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: a bad index fails the build
pub(crate) static KINDS: [ErrorKind; KIND_COUNT] = {
    let mut all = [ErrorKind::Empty; KIND_COUNT];
    let mut i = 0;
    while i < KIND_COUNT {
        all[i] = match i.checked_sub(UNIT_KINDS.len()) {
            None => UNIT_KINDS[i],
            Some(j) => WITH_DATA[j],
        };
        i += 1;
    }
    all
};

/// The kinds with data that a [`Fail`] can carry: each `Value` kind the
/// parsers of typed fields fail with, and each `UnexpectedByte` the readers
/// and selectors build, one per `expected` text.
const WITH_DATA: &[ErrorKind] = {
    use ValueErrorKind as V;
    const fn byte(expected: &'static str) -> ErrorKind {
        ErrorKind::UnexpectedByte { expected }
    }
    &[
        ErrorKind::Value(V::Month),
        ErrorKind::Value(V::Day),
        ErrorKind::Value(V::Hour),
        ErrorKind::Value(V::Minute),
        ErrorKind::Value(V::Second),
        ErrorKind::Value(V::Offset),
        ErrorKind::Value(V::Number),
        byte("`:`"),
        byte("`>`"),
        byte("a string key or `}`"),
        byte("a string key"),
        byte("`,` or `]`"),
        byte("`,` or `}`"),
        byte("a value"),
        byte("whitespace, `>` or `/>`"),
        byte("whitespace or `?>`"),
    ]
};

/// The length of [`KINDS`].
const KIND_COUNT: usize = UNIT_KINDS.len() + WITH_DATA.len();

const _: () = assert!(KIND_COUNT < 256, "a Fail keeps the kind in 8 bits");

/// Result type of the internal scanners.
pub(crate) type PResult<T> = Result<T, Fail>;

/// Builds an internal failure. Cold: errors are rare.
#[cold]
#[inline(never)]
pub(crate) fn fail<T>(kind: ErrorKind, at: usize) -> PResult<T> {
    Err(Fail::new(kind, at))
}

/// [`fail`] with [`ErrorKind::UnexpectedByte`]: `expected` says what the
/// grammar allows at `at`.
#[cold]
#[inline(never)]
pub(crate) fn unexpected<T>(expected: &'static str, at: usize) -> PResult<T> {
    Err(Fail::new(ErrorKind::UnexpectedByte { expected }, at))
}

/// XML `S` and JSON whitespace are the same four bytes.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Index of the first non-whitespace byte at or after `i` (or `bytes.len()`).
/// Indentation is the long whitespace in pretty documents, so blanks are
/// skipped 16 at a time.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn skip_ws(bytes: &[u8], i: usize) -> usize {
    skip_blank(bytes, i, true)
}

/// Like [`skip_ws`] but stops at `\r` (which XML text must normalise).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn skip_ws_lf(bytes: &[u8], i: usize) -> usize {
    skip_blank(bytes, i, false)
}

#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn skip_blank(bytes: &[u8], mut i: usize, cr: bool) -> usize {
    // Most calls are at a byte that is not blank (a value after `": "`, the
    // next tag after a leaf): one compare.
    match bytes.get(i) {
        Some(&b) if b > b' ' => return i,
        None => return i,
        Some(_) => {}
    }
    let blank = |b: u8| matches!(b, b' ' | b'\n' | b'\t') || (cr && b == b'\r');
    while let Some(chunk) = bytes.get(i..i.wrapping_add(16)) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            break;
        };
        let v = V16::load(chunk);
        let mut ws = v.eq(b' ') | v.eq(b'\n') | v.eq(b'\t');
        if cr {
            ws = ws | v.eq(b'\r');
        }
        let stop = !ws.bits() & 0xFFFF;
        if stop != 0 {
            return i + stop.trailing_zeros() as usize;
        }
        i += 16;
    }
    while bytes.get(i).is_some_and(|&b| blank(b)) {
        i += 1;
    }
    i
}

/// Index of the first byte at or after `i` for which `special` holds, or
/// `bytes.len()`. See the module docs for why it is chunked.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn find(bytes: &[u8], mut i: usize, special: impl Fn(u8) -> bool + Copy) -> usize {
    while let Some(chunk) = bytes.get(i..i.wrapping_add(16)) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            break;
        };
        let mut any = false;
        for &b in chunk {
            any |= special(b);
        }
        if any {
            break;
        }
        i += 16;
    }
    while let Some(&b) = bytes.get(i) {
        if special(b) {
            return i;
        }
        i += 1;
    }
    i
}

/// Returns `s[a..b]` when `s` is the validated input, else validates
/// `input[a..b]`. Either way the result is checked UTF-8 at no extra pass
/// over the whole input.
#[inline]
pub(crate) fn str_at<'buf>(
    valid: Option<&'buf str>,
    input: &'buf [u8],
    a: usize,
    b: usize,
) -> PResult<&'buf str> {
    if let Some(s) = valid.and_then(|s| s.get(a..b)) {
        return Ok(s);
    }
    utf8(input.get(a..b).unwrap_or(&[]), a)
}

// ---- blocks -----------------------------------------------------------

/// The eight bytes at `k`, little-endian, when there are eight.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn word_at(bytes: &[u8], k: usize) -> Option<u64> {
    let chunk = bytes.get(k..k.wrapping_add(8))?;
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// [`word_at`], checked as [`block_at`] is: fewer instructions at the
/// XML reader's single loads (tag names, references). A loop that steps
/// over words (the JSON lexer's) keeps [`word_at`], which compiles better
/// there (seed JSON 0.5% more instructions with this one, callgrind).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn word_in(bytes: &[u8], k: usize) -> Option<u64> {
    bytes
        .get(k..)?
        .first_chunk::<8>()
        .copied()
        .map(u64::from_le_bytes)
}

/// The 16 bytes at `k`, when there are 16. Checked as "`k` is in bounds,
/// then 16 bytes are left": fewer instructions than a range `k..k + 16`,
/// whose end must also be checked for overflow, at the XML reader's single
/// loads (a name, a leaf's text). The loops below that step over blocks
/// keep the range, which compiles better there (JSON 0.8% to 2% more
/// instructions with this one, callgrind).
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn block_at(bytes: &[u8], k: usize) -> Option<&[u8; 16]> {
    bytes.get(k..)?.first_chunk::<16>()
}

/// Index of the first byte at or after `i` in the class `mask` marks on
/// a block of 16 (see [`V16`]), or `bytes.len()`. `tail` is the same class
/// byte by byte, for inputs shorter than 16 bytes.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn find_class(
    bytes: &[u8],
    mut i: usize,
    mask: impl Fn(V16) -> V16 + Copy,
    tail: impl Fn(u8) -> bool,
) -> usize {
    while let Some(chunk) = bytes.get(i..i.wrapping_add(16)) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            break;
        };
        let m = mask(V16::load(chunk)).bits();
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    find_last(bytes, i, mask, tail)
}

/// [`find_class`] when fewer than 16 bytes are left after `i`: tests the last
/// 16 bytes of the input (overlapping bytes already passed) and ignores the
/// lanes before `i`.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn find_last(
    bytes: &[u8],
    mut i: usize,
    mask: impl Fn(V16) -> V16,
    tail: impl Fn(u8) -> bool,
) -> usize {
    let len = bytes.len();
    if i >= len {
        return len;
    }
    if let Some(start) = len.checked_sub(16) {
        if let Some(Ok(chunk)) = bytes.get(start..).map(<&[u8; 16]>::try_from) {
            // `i > start`: fewer than 16 bytes are left after `i`.
            let m = mask(V16::load(chunk)).bits() >> (i - start);
            return if m != 0 {
                i + m.trailing_zeros() as usize
            } else {
                len
            };
        }
    }
    while let Some(&b) = bytes.get(i) {
        if tail(b) {
            return i;
        }
        i += 1;
    }
    i
}

/// How many bytes [`find_run`] walks a block at a time before it treats the
/// run as long and switches to `memchr` plus a vectorised check.
const SHORT_RUN: usize = 64;

/// Index of the first byte at or after `i` that `mask`/`tail` mark, like
/// [`find_class`], for runs that may be long (text, `UserData`).
///
/// Short runs are walked 16 bytes at a time. After [`SHORT_RUN`] bytes the
/// rest is searched in two vectorised passes: `next` (a `memchr` call) finds
/// the next delimiter, then `bad` checks the bytes before it (given with their
/// offset in `bytes`) for any rare byte (controls and the like); only if there
/// is one is the span walked again to find it. The result is [`find_class`]'s
/// when every byte `mask` marks is found by `next` or reported by `bad`; a
/// marked byte that neither covers (tab and newline in XML text) is stepped
/// over in long runs, so it must be one the caller would step over too.
///
/// A caller that steps past a rare byte and searches again must not call this
/// again inside the span `bad` reported (it ends where `next` stopped): each
/// call would run `next` and `bad` over the rest of that span, quadratic time
/// when rare bytes are spaced more than [`SHORT_RUN`] apart (CR line ends in
/// a long XML text). It should walk the span with [`find_class`] instead, as
/// the XML text loop does; `find_run_in_a_loop_finds_every_hit_of_find_class`
/// checks that pattern.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn find_run(
    bytes: &[u8],
    i: usize,
    mask: impl Fn(V16) -> V16 + Copy,
    tail: impl Fn(u8) -> bool + Copy,
    next: impl Fn(&[u8]) -> Option<usize>,
    bad: impl Fn(usize, &[u8]) -> bool,
) -> usize {
    let mut k = i;
    let short = i.saturating_add(SHORT_RUN);
    while k < short {
        let Some(chunk) = bytes.get(k..k.wrapping_add(16)) else {
            return find_last(bytes, k, mask, tail);
        };
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            return find_last(bytes, k, mask, tail);
        };
        let m = mask(V16::load(chunk)).bits();
        if m != 0 {
            return k + m.trailing_zeros() as usize;
        }
        k += 16;
    }
    long_run(bytes, k, mask, tail, next, bad)
}

#[inline(never)]
fn long_run(
    bytes: &[u8],
    k: usize,
    mask: impl Fn(V16) -> V16 + Copy,
    tail: impl Fn(u8) -> bool + Copy,
    next: impl Fn(&[u8]) -> Option<usize>,
    bad: impl Fn(usize, &[u8]) -> bool,
) -> usize {
    let rest = bytes.get(k..).unwrap_or(&[]);
    let end = next(rest).map_or(bytes.len(), |p| k + p);
    let span = bytes.get(k..end).unwrap_or(&[]);
    if !bad(k, span) {
        return end;
    }
    find_class(bytes, k, mask, tail)
}

/// Whether any byte of `bytes` is below `n`: a running minimum in 64 lanes,
/// which the compiler turns into one `pminub` per 16 bytes (about 0.17
/// instructions per byte with SSE2, counted with callgrind, against 0.47 for
/// an or-reduction of `b < n` per 32-byte chunk). There is no early exit: the
/// span ends at the next delimiter anyway, and a hit is an error or rare.
#[inline]
pub(crate) fn any_below(bytes: &[u8], n: u8) -> bool {
    let mut low = [0xFF_u8; 64];
    let mut chunks = bytes.chunks_exact(64);
    for chunk in &mut chunks {
        for (l, &b) in low.iter_mut().zip(chunk) {
            *l = (*l).min(b);
        }
    }
    for (l, &b) in low.iter_mut().zip(chunks.remainder()) {
        *l = (*l).min(b);
    }
    low.iter().fold(0xFF, |m, &b| m.min(b)) < n
}

/// Whether `bytes` holds a C0 control other than tab and newline (illegal in
/// XML character data; `\r` counts, it needs decoding). Two running minimums:
/// of the bytes (controls below tab) and of the bytes minus `0B` (so `0B..=1F`
/// become `00..=14`, and tab and newline wrap to `FE`/`FF`).
///
/// Text without any byte below `20` (most long values) costs one
/// [`any_below`] pass; the exact check runs only on a span that has some.
#[inline]
pub(crate) fn any_control_but_tab_lf(bytes: &[u8]) -> bool {
    any_below(bytes, 0x20) && exact_control_but_tab_lf(bytes)
}

#[inline(never)]
fn exact_control_but_tab_lf(bytes: &[u8]) -> bool {
    let mut low = [0xFF_u8; 32];
    let mut high = [0xFF_u8; 32];
    let mut chunks = bytes.chunks_exact(32);
    let mut fold = |chunk: &[u8]| {
        for ((l, h), &b) in low.iter_mut().zip(high.iter_mut()).zip(chunk) {
            *l = (*l).min(b);
            *h = (*h).min(b.wrapping_sub(0x0B));
        }
    };
    for chunk in &mut chunks {
        fold(chunk);
    }
    fold(chunks.remainder());
    let min = |lanes: &[u8; 32]| lanes.iter().fold(0xFF, |m, &b| m.min(b));
    (min(&low) < 0x09) | (min(&high) < 0x20 - 0x0B)
}

/// A byte class: `true` for the bytes a scanner must stop at.
pub(crate) type Table = [bool; 256];

/// Builds a [`Table`] from a `const fn` predicate at compile time.
macro_rules! byte_table {
    ($pred:path) => {{
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = $pred(i as u8);
            i += 1;
        }
        t
    }};
}
pub(crate) use byte_table;

/// Whether `table` marks `b`. A `u8` always indexes a 256-entry table, so the
/// `get` compiles to a plain load.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn is(table: &Table, b: u8) -> bool {
    table.get(usize::from(b)).copied().unwrap_or(true)
}

/// Length of the UTF-8 sequence that starts with `b` (1 for ASCII and for
/// stray continuation bytes, which validation rejects elsewhere).
#[inline]
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Decodes the character at `i`, validating it. `None` for invalid UTF-8 or
/// the end of input.
#[inline]
pub(crate) fn char_at(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let n = utf8_len(b);
    let seq = bytes.get(i..i.checked_add(n)?)?;
    let s = core::str::from_utf8(seq).ok()?;
    s.chars().next().map(|c| (c, n))
}

/// Validates `bytes` as UTF-8, reporting the first bad byte.
#[inline]
pub(crate) fn utf8(bytes: &[u8], base: usize) -> PResult<&str> {
    match crate::simd::utf8(bytes) {
        Ok(s) => Ok(s),
        Err(valid_up_to) => fail(ErrorKind::InvalidUtf8, base + valid_up_to),
    }
}

/// [`utf8`] that also returns the length of an ASCII prefix of `bytes`
/// ([`crate::simd::utf8_ascii`]).
#[inline]
pub(crate) fn utf8_ascii(bytes: &[u8], base: usize) -> PResult<(&str, usize)> {
    match crate::simd::utf8_ascii(bytes) {
        Ok(ok) => Ok(ok),
        Err(valid_up_to) => fail(ErrorKind::InvalidUtf8, base + valid_up_to),
    }
}

/// Parses the hexadecimal digits of a `\uXXXX` escape or `&#x…;` reference.
#[inline]
pub(crate) fn hex_val(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'a'..=b'f' => Some(u32::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(b - b'A' + 10)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_keeps_every_listed_kind_and_offset() {
        use alloc::vec::Vec;
        // Word-sized, so the hot results fit in two registers.
        assert_eq!(core::mem::size_of::<Fail>(), 8);
        assert_eq!(core::mem::size_of::<PResult<usize>>(), 16);
        assert_eq!(core::mem::size_of::<PResult<(usize, bool)>>(), 16);
        assert_eq!(core::mem::size_of::<PResult<()>>(), 8);
        let mut seen = Vec::new();
        for (i, &kind) in KINDS.iter().enumerate() {
            assert!(!seen.contains(&kind), "{kind:?} listed twice");
            seen.push(kind);
            for at in [0, 1, i, 4095, u32::MAX as usize, AT_MASK as usize] {
                let f = Fail::new(kind, at);
                assert_eq!((f.kind(), f.at()), (kind, at));
                let Err(g) = fail::<()>(kind, at) else {
                    panic!("fail gave Ok")
                };
                assert_eq!(f, g);
                assert_eq!(
                    alloc::format!("{f:?}"),
                    alloc::format!("Fail {{ kind: {kind:?}, at: {at} }}")
                );
            }
        }
        // Equal only for the same kind and offset.
        assert_ne!(Fail::new(KINDS[0], 1), Fail::new(KINDS[0], 2));
        assert_ne!(Fail::new(KINDS[0], 1), Fail::new(KINDS[1], 1));
    }

    /// Every kind the crate builds is in [`KINDS`]: the names after
    /// `ErrorKind::` and the texts on `expected` lines, in every source file
    /// but the error types themselves and the timestamp parser (which has
    /// its own `(ValueErrorKind, offset)` failure and never builds a `Fail`).
    #[test]
    fn every_kind_built_is_listed() {
        use alloc::string::String;
        use alloc::vec::Vec;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = alloc::vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        assert!(
            files.len() > 30,
            "only {} source files under {root:?}",
            files.len()
        );
        let skip = ["error.rs", "time.rs", "tests.rs"];
        let names: Vec<String> = KINDS.iter().map(|k| alloc::format!("{k:?}")).collect();
        let listed = |text: &str| {
            let kind = ErrorKind::UnexpectedByte {
                expected: String::from(text).leak(),
            };
            KINDS.contains(&kind)
        };
        let (mut idents, mut texts) = (0, 0);
        for path in &files {
            let name = path.file_name().unwrap().to_str().unwrap();
            if skip.contains(&name) {
                continue;
            }
            let source = std::fs::read_to_string(path).unwrap();
            // This file's tests name kinds that are not listed on purpose.
            let source = match source.find("#[cfg(test)]\nmod tests {") {
                Some(end) if name == "scan.rs" => &source[..end],
                _ => &source[..],
            };
            let mut prev = "";
            for (n, line) in source.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                let at = alloc::format!("{}:{}", path.display(), n + 1);
                let mut rest = code;
                while let Some(k) = rest.find("ErrorKind::") {
                    let before = &rest[..k];
                    rest = &rest[k + "ErrorKind::".len()..];
                    let last = before.chars().next_back();
                    if last.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        || before.ends_with("io::")
                    {
                        continue; // `ValueErrorKind::`, `io::ErrorKind::`
                    }
                    let ident: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                    if !["UnexpectedByte", "Value", ""].contains(&ident.as_str()) {
                        assert!(
                            names.contains(&ident),
                            "{at}: ErrorKind::{ident} is not in KINDS"
                        );
                        idents += 1;
                    }
                }
                // `ValueErrorKind::Syntax` texts go into an `Error`, never a `Fail`.
                let syntax = code.contains("Syntax") || prev.contains("Syntax {");
                prev = code;
                if code.contains("expected") && !syntax {
                    for (i, text) in code.split('"').enumerate() {
                        if i % 2 == 1 {
                            assert!(listed(text), "{at}: expected {text:?} is not in KINDS");
                            texts += 1;
                        }
                    }
                }
            }
        }
        // The scan saw the sources it is meant to read.
        assert!(idents > 100, "only {idents} kinds named");
        assert!(texts > 15, "only {texts} expected texts");
    }

    #[test]
    fn find_crosses_chunk_boundaries() {
        // Every position of the needle, in inputs of every length up to 70,
        // against a naive search.
        for len in 0..70 {
            for at in 0..=len {
                let mut v = alloc::vec![b'a'; len];
                if at < len {
                    v[at] = b'<';
                }
                let naive = v.iter().position(|&b| b == b'<').unwrap_or(len);
                for from in 0..=len {
                    let want = if naive >= from { naive } else { len };
                    assert_eq!(
                        find(&v, from, |b| b == b'<'),
                        want,
                        "len {len} at {at} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn char_at_validates() {
        assert_eq!(char_at("中".as_bytes(), 0), Some(('中', 3)));
        assert_eq!(char_at(b"\xED\xA0\x80", 0), None);
        assert_eq!(char_at(b"\xC0\x80", 0), None);
        assert_eq!(char_at(b"\xE4\xB8", 0), None);
        assert_eq!(char_at(b"", 0), None);
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;

    #[test]
    fn find_class_and_skip_ws_agree_with_a_byte_by_byte_search() {
        // Inputs of every length up to 70 (shorter than a block, the last
        // block overlapping, several blocks), every start, every position of
        // a hit, against the scalar definitions.
        let class = |v: V16| v.eq(b'"') | v.lt(0x20);
        let special = |b: u8| b == b'"' || b < 0x20;
        // Under Miri (slow) only the lengths around block boundaries.
        let lens: alloc::vec::Vec<usize> = if cfg!(miri) {
            alloc::vec![0, 1, 15, 16, 17, 32, 33]
        } else {
            (0..70).collect()
        };
        for len in lens {
            for at in 0..=len {
                for hit in [b'"', 0x01, b'x'] {
                    let mut v = alloc::vec![b' '; len];
                    if at < len {
                        v[at] = hit;
                    }
                    for from in 0..=len + 1 {
                        let naive = (from..len).find(|&j| special(v[j])).unwrap_or(len);
                        let got = find_class(&v, from, class, special);
                        assert_eq!(got, naive.max(from.min(len)), "class {len} {at} {from}");
                        let blank = (from..len).find(|&j| !is_ws(v[j])).unwrap_or(len);
                        assert_eq!(skip_ws(&v, from), blank.max(from), "ws {len} {at} {from}");
                    }
                }
            }
        }
    }

    #[test]
    fn find_run_agrees_with_find_class() {
        let mask = |v: V16| v.eq(b'"') | v.eq(b'\\') | v.lt(0x20);
        let tail = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        let next = |rest: &[u8]| memchr::memchr2(b'"', b'\\', rest);
        for len in [0usize, 1, 7, 8, 63, 64, 65, 100, 200, 300] {
            for special in [b'"', b'\\', 0x01, b'\n', 0x1F] {
                for at in (0..len).step_by(7).chain([len.saturating_sub(1)]) {
                    for from in [0, 1, 9] {
                        let mut v = alloc::vec![b'a'; len];
                        if at < len {
                            v[at] = special;
                        }
                        let want = find_class(&v, from, mask, tail);
                        let got = find_run(&v, from, mask, tail, next, |_, s| any_below(s, 0x20));
                        assert_eq!(got, want, "len {len} at {at} from {from} byte {special}");
                    }
                }
            }
        }
    }

    /// A loop that steps past each hit, as the XML text loop does, finds the
    /// same bytes as `find_class` when rare bytes (found by `bad`) and
    /// delimiters (found by `next`) are spaced around the short run's length,
    /// so later searches start inside a span `dense` marks.
    #[test]
    fn find_run_in_a_loop_finds_every_hit_of_find_class() {
        let mask = |v: V16| v.eq(b'<') | v.eq(b'&') | v.lt(0x20);
        let tail = |b: u8| b == b'<' || b == b'&' || b < 0x20;
        let next = |rest: &[u8]| memchr::memchr2(b'<', b'&', rest);
        // The XML text loop's pattern: `bad` remembers where its span ends.
        let dense = core::cell::Cell::new(0);
        let bad = |at: usize, s: &[u8]| {
            let hit = any_below(s, 0x20);
            if hit {
                dense.set(at + s.len());
            }
            hit
        };
        for gap in [1usize, 15, 16, 17, 63, 64, 65, 66, 100, 130] {
            for pattern in [&b"\r"[..], b"&", b"\r\r&", b"&\r", b"\x01<"] {
                let mut v = alloc::vec::Vec::new();
                for round in 0..12 {
                    v.extend(core::iter::repeat(b'a').take(gap + round % 3));
                    v.push(pattern[round % pattern.len()]);
                }
                v.extend_from_slice(&[b'a'; 70]);
                let (mut want, mut got) = (alloc::vec::Vec::new(), alloc::vec::Vec::new());
                let mut k = 0;
                while k < v.len() {
                    k = find_class(&v, k, mask, tail);
                    want.push(k);
                    k += 1;
                }
                dense.set(0);
                let mut k = 0;
                while k < v.len() {
                    k = if k < dense.get() {
                        find_class(&v, k, mask, tail)
                    } else {
                        find_run(&v, k, mask, tail, next, bad)
                    };
                    got.push(k);
                    k += 1;
                }
                assert_eq!(got, want, "gap {gap} pattern {pattern:?}");
            }
        }
    }

    #[test]
    fn span_checks_find_every_byte_at_every_position() {
        for len in [1usize, 2, 15, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = alloc::vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(
                        any_below(&v, 0x20),
                        b < 0x20,
                        "below len {len} at {at} byte {b}"
                    );
                    let control = b < 0x20 && b != b'\t' && b != b'\n';
                    assert_eq!(
                        any_control_but_tab_lf(&v),
                        control,
                        "control len {len} at {at} byte {b}"
                    );
                }
            }
        }
        assert!(!any_below(&[], 0x20));
        assert!(!any_control_but_tab_lf(&[]));
        assert!(!any_control_but_tab_lf(b"\t\n\t\n x \xFF\xFE\xEF"));
    }
}
