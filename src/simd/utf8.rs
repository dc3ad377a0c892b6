//! The UTF-8 check every reader uses: ASCII is found 16 bytes at a time with
//! [`V16`] blocks (128 at a time with AVX2 on long inputs), the rest is
//! checked by `simdutf8`'s AVX2 kernel at the AVX2 level and by std below
//! it, and one `from_utf8_unchecked` joins the two.
//!
//! std's own check costs about 0.45 instructions a byte on ASCII and 10 on
//! Chinese text; the ASCII blocks cost 0.2 (SSE2) and 0.07 (AVX2), simdutf8
//! 0.8 on Chinese text (BENCHMARKS.md, "UTF-8 validation", has the counts).
//! simdutf8 alone is not used on everything because it hands inputs shorter
//! than 64 bytes to std (our values mostly are), and because the XML reader
//! needs the length of the ASCII prefix ([`utf8_ascii`]).
//!
//! [`utf8`] hands out a `&str` for bytes it has not given to
//! `core::str::from_utf8` whole: the prefix [`ascii_prefix`] found to be
//! ASCII (below `0x80`, through [`V16::bits`], which is the high bit of each
//! lane, or `_mm256_movemask_epi8`), followed by a rest that std or simdutf8
//! checked. The prefix is `debug_assert!`ed against `<[u8]>::is_ascii`, the
//! tests compare [`utf8`] at every level with `core::str::from_utf8` on every
//! length up to 150 with a non-ASCII byte or sequence at every position (and
//! on long inputs around the 128-byte steps), and every fuzz target feeds it
//! arbitrary bytes (through the readers' UTF-8 checks).
//!
//! The level is [`level::current`]: what `WANXIANG_SIMD` chose once
//! something asked for the level, the CPU's best before that (reading the
//! environment may allocate, and reading a document must not).

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
use super::level::Kind;
use super::level::{self, Level};
use super::V16;

/// Length of a prefix of `bytes` that is all ASCII: `bytes.len()` when every
/// byte is below `0x80`, otherwise at most the index of the first one that is
/// not (a multiple of 16, where the block holding it starts). Safe code; the
/// one `unsafe` that relies on it is in [`utf8`].
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn ascii_prefix(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let block = |k: usize| {
        bytes
            .get(k..k.wrapping_add(16))
            .and_then(|c| <&[u8; 16]>::try_from(c).ok())
            .map(V16::load)
    };
    if len < 16 {
        // Two overlapping words cover 8..=15 bytes; fewer go byte by byte.
        let word = |k: usize| {
            bytes
                .get(k..k.wrapping_add(8))
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
                .map_or(u64::MAX, u64::from_le_bytes)
        };
        let high = if len >= 8 {
            (word(0) | word(len - 8)) & 0x8080_8080_8080_8080
        } else {
            u64::from(bytes.iter().fold(0, |a, &b| a | b) & 0x80)
        };
        return if high == 0 { len } else { 0 };
    }
    let mut i = 0;
    // 64 bytes a step: the high bits of four blocks, or-ed, in one mask.
    for chunk in bytes.chunks_exact(64) {
        let (a, b) = chunk.split_at(32);
        let (a, c) = a.split_at(16);
        let (b, d) = b.split_at(16);
        let load = |q: &[u8]| <&[u8; 16]>::try_from(q).ok().map(V16::load);
        let (Some(a), Some(b), Some(c), Some(d)) = (load(a), load(b), load(c), load(d)) else {
            break;
        };
        if (a | b | c | d).bits() != 0 {
            break;
        }
        i += 64;
    }
    while let Some(v) = block(i) {
        if v.bits() != 0 {
            return i;
        }
        i += 16;
    }
    // The last bytes, as the input's last 16 (overlapping checked ones).
    match block(len - 16) {
        Some(v) if v.bits() == 0 => len,
        _ => i,
    }
}

/// Inputs from this length look for their ASCII prefix with AVX2 (where the
/// level has it): below it the 16-byte blocks are as fast, and a short ASCII
/// value does not look the level up.
const LONG: usize = 256;

/// [`ascii_prefix`] with AVX2: 128 bytes a step (four loads, their high bits
/// or-ed into one mask), then [`ascii_prefix`] from the first step that is
/// not all ASCII, or over the last bytes.
///
/// # Safety
/// The CPU supports AVX2.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
unsafe fn ascii_prefix_avx2(bytes: &[u8]) -> usize {
    use core::arch::x86_64::{__m256i, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256};
    let load = |q: &[u8; 32]| {
        // SAFETY: AVX2 is supported (this function's precondition); the load
        // reads the 32 bytes `q` borrows and needs no alignment.
        unsafe { _mm256_loadu_si256(q.as_ptr().cast::<__m256i>()) }
    };
    let mut i = 0;
    for step in bytes.chunks_exact(128) {
        let Some((a, rest)) = step.split_first_chunk::<32>() else {
            break;
        };
        let Some((b, rest)) = rest.split_first_chunk::<32>() else {
            break;
        };
        let Some((c, rest)) = rest.split_first_chunk::<32>() else {
            break;
        };
        let Some(d) = rest.first_chunk::<32>() else {
            break;
        };
        // Newer compilers call these intrinsics safe here; 1.81 does not.
        #[allow(unused_unsafe)]
        // SAFETY: AVX2 is supported (this function's precondition);
        // registers only.
        let high = unsafe {
            _mm256_movemask_epi8(_mm256_or_si256(
                _mm256_or_si256(load(a), load(b)),
                _mm256_or_si256(load(c), load(d)),
            ))
        };
        if high != 0 {
            break;
        }
        i += 128;
    }
    i + bytes.get(i..).map_or(0, ascii_prefix)
}

/// The length of an ASCII prefix of `bytes` (see [`ascii_prefix`]), with
/// AVX2 where `level` has it.
#[inline(always)]
fn prefix(bytes: &[u8], level: Level) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if level.kind() == Kind::Avx2 {
        // SAFETY: a level of kind AVX2 is made only in `level.rs`, after
        // detection said yes to AVX2 (see its module docs).
        return unsafe { ascii_prefix_avx2(bytes) };
    }
    let _ = level;
    ascii_prefix(bytes)
}

/// `Ok` when `rest` (which holds a byte from `0x80`) is UTF-8, otherwise
/// `Err(valid_up_to)` within `rest`: simdutf8's AVX2 kernel at the AVX2
/// level, `core::str::from_utf8` below it.
#[inline(always)]
fn rest_utf8(rest: &[u8], level: Level) -> Result<(), usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if level.kind() == Kind::Avx2 && rest.len() >= 16 {
        // SAFETY: the kernel's one precondition is that the CPU supports
        // AVX2, and a level of kind AVX2 is made only in `level.rs`, after
        // detection said yes to it (see its module docs). Below 16 bytes std
        // is as fast (the kernel copies a short input into a 64-byte block).
        return unsafe { simdutf8::compat::imp::x86::avx2::validate_utf8(rest) }
            .map_err(|e| e.valid_up_to());
    }
    let _ = level;
    core::str::from_utf8(rest)
        .map(|_| ())
        .map_err(|e| e.valid_up_to())
}

/// `bytes` as `&str`, or `Err(valid_up_to)` (as [`core::str::Utf8Error`]
/// gives it) when they are not UTF-8. ASCII is checked in blocks
/// ([`ascii_prefix`]); from the first block that is not all ASCII,
/// simdutf8 (AVX2 level) or std checks the rest. On ASCII this is about half
/// the instructions of `core::str::from_utf8` over 64 KiB with SSE2 (a
/// sixth with AVX2), and a third of them on a 13-byte value.
/// Not inlined: callers stay small on their fast paths.
#[inline(never)]
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    match short(bytes) {
        Ok(s) => Ok(s),
        Err(hint) => utf8_other(bytes, hint),
    }
}

/// [`utf8`], inlined: for a hot call site whose values are mostly short
/// ASCII (the leaf values `Skim` extraction returns), where the call and
/// its result cost as much as the check.
#[inline(always)]
pub(crate) fn utf8_inline(bytes: &[u8]) -> Result<&str, usize> {
    match short(bytes) {
        Ok(s) => Ok(s),
        Err(hint) => utf8_other(bytes, hint),
    }
}

/// [`utf8`] that also returns the length of an ASCII prefix of `bytes` (see
/// [`ascii_prefix`]: every byte before it is ASCII, the whole input when it
/// is all ASCII). The XML reader uses it to skip the `EF` check (U+FFFE and
/// U+FFFF) in text that lies in that prefix.
#[inline(never)]
pub(crate) fn utf8_ascii(bytes: &[u8]) -> Result<(&str, usize), usize> {
    match short(bytes) {
        Ok(s) => Ok((s, bytes.len())),
        Err(hint) => ascii_other(bytes, hint),
    }
}

/// A short input that is all ASCII (most values) as `&str`: the 16-byte
/// blocks and nothing else, no call, no level. Otherwise `Err` with the
/// length of the ASCII prefix of a short input, `None` for a long one.
#[inline(always)]
fn short(bytes: &[u8]) -> Result<&str, Option<usize>> {
    if bytes.len() >= LONG {
        return Err(None);
    }
    let n = ascii_prefix(bytes);
    if n != bytes.len() {
        return Err(Some(n));
    }
    debug_assert!(bytes.is_ascii(), "ascii_prefix");
    // SAFETY: every byte of `bytes` is ASCII (`ascii_prefix` returns the
    // whole length only then; the tests below check it), so UTF-8.
    Ok(unsafe { core::str::from_utf8_unchecked(bytes) })
}

/// [`utf8`] past [`short`]. Its own function so that [`utf8`] ends in a
/// jump, not a call (no registers to save on the short path).
#[inline(never)]
fn utf8_other(bytes: &[u8], hint: Option<usize>) -> Result<&str, usize> {
    other(bytes, hint, level::current()).map(|(s, _)| s)
}

/// [`utf8_ascii`] past [`short`] (as [`utf8_other`]).
#[inline(never)]
fn ascii_other(bytes: &[u8], hint: Option<usize>) -> Result<(&str, usize), usize> {
    other(bytes, hint, level::current())
}

/// Past [`short`]: the ASCII prefix (`hint`, or found at `level` in a long
/// input), then the rest.
#[inline(always)]
fn other(bytes: &[u8], hint: Option<usize>, level: Level) -> Result<(&str, usize), usize> {
    let n = match hint {
        Some(n) => n,
        None => prefix(bytes, level),
    };
    debug_assert!(bytes.get(..n).is_some_and(<[u8]>::is_ascii), "ascii_prefix");
    let Some(rest) = bytes.get(n..) else {
        return Err(0);
    };
    // All ASCII (the usual case) skips the check of an empty rest.
    let checked = match rest {
        [] => Ok(()),
        _ => rest_utf8(rest, level).map_err(|at| n + at),
    };
    match checked {
        // SAFETY: `bytes[..n]` is ASCII (`ascii_prefix` or
        // `ascii_prefix_avx2`, whose block masks the tests below check at
        // every level, and the debug_assert above), so it is UTF-8 and ends
        // on a character boundary; `bytes[n..]` is empty or UTF-8, just
        // checked. UTF-8 followed by UTF-8 is UTF-8.
        Ok(()) => Ok((unsafe { core::str::from_utf8_unchecked(bytes) }, n)),
        Err(at) => Err(at),
    }
}

/// [`utf8_ascii`] at a given level (the tests run every level).
#[cfg(test)]
fn checked(bytes: &[u8], level: Level) -> Result<(&str, usize), usize> {
    match short(bytes) {
        Ok(s) => Ok((s, bytes.len())),
        Err(hint) => other(bytes, hint, level),
    }
}

#[cfg(test)]
mod tests {
    use crate::simd::level::available;

    /// [`super::checked`] at every level this CPU has, and the entry points
    /// at the current level, against `core::str::from_utf8`.
    fn agree(doc: &[u8]) {
        let want = core::str::from_utf8(doc).map_err(|e| e.valid_up_to());
        let got = super::utf8(doc);
        assert_eq!(got, want, "{doc:?}");
        if let Ok(s) = got {
            assert_eq!(s.as_bytes(), doc);
        }
        // The variant that also reports the ASCII prefix.
        let with_prefix = super::utf8_ascii(doc);
        assert_eq!(with_prefix.map(|(s, _)| s), got, "{doc:?}");
        for level in available() {
            let at = super::checked(doc, level);
            assert_eq!(at.map(|(s, _)| s), want, "{level:?} {doc:?}");
            if let Ok((_, n)) = at {
                assert!(doc.get(..n).is_some_and(<[u8]>::is_ascii), "{doc:?}: {n}");
                assert_eq!(n == doc.len(), doc.is_ascii(), "{level:?} {doc:?}: {n}");
            }
        }
    }

    const ODD: &[&[u8]] = &[
        b"\x80",
        b"\xFF",
        b"\xC3\xA9",
        b"\xC3",
        b"\xE4\xB8\xAD",
        b"\xE4\xB8",
        b"\xF0\x9F\x98\x80",
        b"\xED\xA0\x80",
        b"\xC0\xAF",
        b"\x7F",
        b"\x00",
    ];

    /// Long inputs (the AVX2 prefix from [`super::LONG`] bytes): an odd
    /// sequence around every 128-byte step and at the ends, in ASCII and in
    /// Chinese text.
    #[test]
    fn long_inputs_agree_with_std() {
        if cfg!(miri) {
            return;
        }
        let chinese = "数据万象回调测试：翻译任务完成。".repeat(40);
        for len in [255, 256, 300, 383, 384, 385, 520, 1000] {
            for fill in [&b"a"[..], chinese.as_bytes()] {
                let plain: alloc::vec::Vec<u8> = fill.iter().copied().cycle().take(len).collect();
                let spots = (0..len).filter(|k| k % 128 < 3 || k % 128 > 124 || k % 37 == 0);
                agree_with_odd_at(&plain, spots);
            }
        }
    }

    /// [`super::utf8`] against `core::str::from_utf8` at every length up to
    /// 150, with one odd byte or sequence at every position: ASCII is found
    /// at every offset of the block loops and of the overlapped tail.
    #[test]
    fn utf8_agrees_with_std() {
        let max = if cfg!(miri) { 40 } else { 150 };
        for len in 0..max {
            agree_with_odd_at(&alloc::vec![b'a'; len], 0..len);
        }
    }

    /// [`agree`] on `plain`, and on `plain` with each [`ODD`] sequence
    /// written at each of `spots` (padded with `a` to at least its length).
    fn agree_with_odd_at(plain: &[u8], spots: impl Iterator<Item = usize>) {
        agree(plain);
        for at in spots {
            for seq in ODD {
                let mut doc = plain[..at].to_vec();
                doc.extend_from_slice(seq);
                doc.resize(plain.len().max(at + seq.len()), b'a');
                agree(&doc);
            }
        }
    }

    #[test]
    fn ascii_prefix_stops_before_the_first_high_byte() {
        let max = if cfg!(miri) { 70 } else { 150 };
        for len in 0..max {
            for at in 0..len {
                let mut doc = alloc::vec![b'x'; len];
                doc[at] = 0x80;
                let n = super::ascii_prefix(&doc);
                assert!(n <= at, "len {len} at {at}: {n}");
            }
            assert_eq!(super::ascii_prefix(&alloc::vec![b'x'; len]), len);
        }
    }
}
