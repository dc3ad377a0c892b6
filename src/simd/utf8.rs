//! The UTF-8 check every reader uses: ASCII is found 64 bytes at a time
//! with [`V16`] blocks, std checks the rest, and one `from_utf8_unchecked`
//! joins the two.
//!
//! std's own check costs about 0.45 instructions a byte on ASCII, twice these
//! blocks; on the 64 KiB UserData callback it was 29.2k of our 64.6k
//! instructions. [`utf8`] hands out a `&str` for bytes it has not given to
//! `core::str::from_utf8` whole: the prefix [`ascii_prefix`] found to be
//! ASCII (below `0x80`, through [`V16::bits`], which is the high bit of each
//! lane), followed by a rest that std checked. The prefix is
//! `debug_assert!`ed against `<[u8]>::is_ascii`, the tests compare [`utf8`]
//! with `core::str::from_utf8` on every length up to 150 with a non-ASCII
//! byte or sequence at every position, and every fuzz target feeds it
//! arbitrary bytes (through the readers' UTF-8 checks).

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

/// `bytes` as `&str`, or `Err(valid_up_to)` (as [`core::str::Utf8Error`]
/// gives it) when they are not UTF-8. ASCII is checked 64 bytes at a time
/// ([`ascii_prefix`]); std checks the rest, from the first block that is not
/// all ASCII. On ASCII this is about half the instructions of
/// `core::str::from_utf8` over 64 KiB, and a third of them on a 13-byte value.
/// Not inlined: callers stay small on their fast paths.
#[inline(never)]
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    checked(bytes).map(|(s, _)| s)
}

/// [`utf8`], inlined: for a hot call site whose values are mostly short
/// ASCII (the leaf values `Skim` extraction returns), where the call and
/// its result cost as much as the check.
#[inline(always)]
pub(crate) fn utf8_inline(bytes: &[u8]) -> Result<&str, usize> {
    checked(bytes).map(|(s, _)| s)
}

/// [`utf8`] that also returns the length of an ASCII prefix of `bytes` (see
/// [`ascii_prefix`]: every byte before it is ASCII, the whole input when it
/// is all ASCII). The XML reader uses it to skip the `EF` check (U+FFFE and
/// U+FFFF) in text that lies in that prefix.
#[inline(never)]
pub(crate) fn utf8_ascii(bytes: &[u8]) -> Result<(&str, usize), usize> {
    checked(bytes)
}

#[inline(always)]
fn checked(bytes: &[u8]) -> Result<(&str, usize), usize> {
    let n = ascii_prefix(bytes);
    debug_assert!(bytes.get(..n).is_some_and(<[u8]>::is_ascii), "ascii_prefix");
    let Some(rest) = bytes.get(n..) else {
        return Err(0);
    };
    // All ASCII (the usual case) skips std's call on an empty rest.
    let checked = match rest {
        [] => Ok(()),
        _ => core::str::from_utf8(rest)
            .map(|_| ())
            .map_err(|e| n + e.valid_up_to()),
    };
    match checked {
        // SAFETY: `bytes[..n]` is ASCII (`ascii_prefix`, whose block masks
        // the tests below check lane by lane, and the debug_assert above),
        // so it is UTF-8 and ends on a character boundary; `bytes[n..]` is
        // empty or UTF-8, just checked. UTF-8 followed by UTF-8 is UTF-8.
        Ok(()) => Ok((unsafe { core::str::from_utf8_unchecked(bytes) }, n)),
        Err(at) => Err(at),
    }
}

#[cfg(test)]
mod tests {
    /// [`super::utf8`] against `core::str::from_utf8` at every length up to
    /// 150, with one odd byte or sequence at every position: ASCII is found
    /// at every offset of the block loops and of the overlapped tail.
    #[test]
    fn utf8_agrees_with_std() {
        let odd: &[&[u8]] = &[
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
        let max = if cfg!(miri) { 40 } else { 150 };
        for len in 0..max {
            let plain = alloc::vec![b'a'; len];
            let check = |doc: &[u8]| {
                let want = core::str::from_utf8(doc).map_err(|e| e.valid_up_to());
                let got = super::utf8(doc);
                assert_eq!(got, want, "{doc:?}");
                if let Ok(s) = got {
                    assert_eq!(s.as_bytes(), doc);
                }
                // The variant that also reports the ASCII prefix.
                let with_prefix = super::utf8_ascii(doc);
                assert_eq!(with_prefix.map(|(s, _)| s), got, "{doc:?}");
                if let Ok((_, n)) = with_prefix {
                    assert!(doc.get(..n).is_some_and(<[u8]>::is_ascii), "{doc:?}: {n}");
                    assert_eq!(n == doc.len(), doc.is_ascii(), "{doc:?}: {n}");
                }
            };
            check(&plain);
            for at in 0..len {
                for seq in odd {
                    let mut doc = plain.clone();
                    doc.truncate(at);
                    doc.extend_from_slice(seq);
                    doc.resize(len.max(at + seq.len()), b'a');
                    check(&doc);
                }
            }
        }
    }

    #[test]
    fn ascii_prefix_stops_before_the_first_high_byte() {
        for len in 0..150 {
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
