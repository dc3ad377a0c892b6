//! Sixteen bytes at a time: the one place in the crate that uses `unsafe`.
//!
//! Two things live here: the block type [`V16`], and [`utf8`], the UTF-8
//! check every reader uses, which finds ASCII with blocks and so needs one
//! `from_utf8_unchecked`.
//!
//! The scanners test a block of 16 input bytes against a byte class and take
//! the index of the first byte in the class from a bit mask. [`V16`] is that
//! block: a class is written once as an expression over it (`v.eq(b'"') |
//! v.lt(0x20)`), and [`V16::bits`] turns the lanes into a 16-bit mask whose
//! bit `j` is set exactly when byte `j` is in the class.
//!
//! On x86-64, SSE2 is part of the baseline target, so each operation is one
//! instruction (`pcmpeqb`, `pminub`, `psubb`, `por`, `pmovmskb`). Safe Rust
//! cannot call these intrinsics on stable: even with SSE2 enabled for the
//! whole build, an intrinsic is an `unsafe fn` outside a `#[target_feature]`
//! function, and calling such a function from one without the attribute is
//! unsafe too (E0133); LLVM does not turn the portable loops into
//! `pmovmskb`. Replacing the eight-byte SWAR loops of the scanners by these
//! blocks took the seed XML from 18.1k to 15.4k instructions per document and
//! the seed JSON from 13.0k to 10.4k (callgrind, `examples/profile_extract.rs`).
//! The portable version below (two SWAR words) serves every other target.
//!
//! # Safety
//! Every `unsafe` block here calls an SSE2 intrinsic under
//! `cfg(target_feature = "sse2")`, so the instruction exists on every CPU the
//! build can run on. The only intrinsic that touches memory is
//! `_mm_loadu_si128`, and it reads exactly the 16 bytes of a `&[u8; 16]`
//! (unaligned loads are what it is for). Nothing else reads or writes memory.
//! The tests at the end compare every operation with its scalar definition
//! for every byte value in every lane, and the fuzz targets run the scanners
//! that use it on arbitrary input.
//!
//! [`utf8`] hands out a `&str` for bytes it has not given to
//! `core::str::from_utf8` whole: the prefix [`ascii_prefix`] found to be
//! ASCII (below `0x80`, through [`V16::bits`], which is the high bit of each
//! lane), followed by a rest that std checked. std's own check costs about
//! 0.45 instructions a byte on ASCII, twice these blocks; on the 64 KiB
//! UserData callback it was 29.2k of our 64.6k instructions. The prefix is
//! `debug_assert!`ed against `<[u8]>::is_ascii`, the tests compare [`utf8`]
//! with `core::str::from_utf8` on every length up to 150 with a non-ASCII
//! byte or sequence at every position, and every fuzz target feeds it
//! arbitrary bytes (through the readers' UTF-8 checks).

#![allow(unsafe_code)]

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

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) use sse2::V16;
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(crate) use swar::V16;

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128, _mm_sub_epi8,
    };

    /// Sixteen byte lanes; a lane of a class mask is `FF` (in) or `00` (out).
    #[derive(Clone, Copy)]
    pub(crate) struct V16(__m128i);

    impl V16 {
        /// The 16 bytes of `chunk`.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn load(chunk: &[u8; 16]) -> Self {
            // SAFETY: SSE2 is enabled (cfg above); the load reads the 16
            // bytes `chunk` borrows, and has no alignment requirement.
            Self(unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) })
        }

        /// Lanes equal to `c`.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn eq(self, c: u8) -> Self {
            // SAFETY: SSE2 is enabled; register operations only.
            Self(unsafe { _mm_cmpeq_epi8(self.0, _mm_set1_epi8(c as i8)) })
        }

        /// Lanes from 0 to `max` (unsigned).
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn le(self, max: u8) -> Self {
            // SAFETY: SSE2 is enabled; register operations only. `x <= max`
            // exactly when `min(x, max) == x` (unsigned minimum).
            Self(unsafe { _mm_cmpeq_epi8(_mm_min_epu8(self.0, _mm_set1_epi8(max as i8)), self.0) })
        }

        /// Lanes below `n` (unsigned).
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn lt(self, n: u8) -> Self {
            match n.checked_sub(1) {
                Some(max) => self.le(max),
                // SAFETY: SSE2 is enabled; register operations only.
                None => Self(unsafe { _mm_setzero_si128() }),
            }
        }

        /// Lanes from `lo` to `hi` inclusive (unsigned, `lo <= hi`).
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn range(self, lo: u8, hi: u8) -> Self {
            debug_assert!(lo <= hi, "empty range");
            // SAFETY: SSE2 is enabled; register operations only. `x - lo`
            // wraps below `lo`, so `lo <= x <= hi` exactly when `x - lo <= hi - lo`.
            let d = Self(unsafe { _mm_sub_epi8(self.0, _mm_set1_epi8(lo as i8)) });
            d.le(hi.wrapping_sub(lo))
        }

        /// The lanes with bits `bits` set to one (`x | bits`).
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn or_bits(self, bits: u8) -> Self {
            // SAFETY: SSE2 is enabled; register operations only.
            Self(unsafe { _mm_or_si128(self.0, _mm_set1_epi8(bits as i8)) })
        }

        /// Bit `j` is the top bit of lane `j`.
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn bits(self) -> u32 {
            // SAFETY: SSE2 is enabled; register operations only.
            (unsafe { _mm_movemask_epi8(self.0) }) as u32 & 0xFFFF
        }
    }

    impl core::ops::BitOr for V16 {
        type Output = Self;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn bitor(self, o: Self) -> Self {
            // SAFETY: SSE2 is enabled; register operations only.
            Self(unsafe { _mm_or_si128(self.0, o.0) })
        }
    }

    impl core::ops::BitAnd for V16 {
        type Output = Self;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn bitand(self, o: Self) -> Self {
            // SAFETY: SSE2 is enabled; register operations only.
            Self(unsafe { _mm_and_si128(self.0, o.0) })
        }
    }
}

/// The portable version; also compiled for the tests on x86-64, which check
/// both versions against the same definitions.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[allow(dead_code)]
mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

    /// Sixteen byte lanes as two SWAR words; a lane of a class mask has its
    /// high bit set (in) or clear (out), and its other bits clear.
    #[derive(Clone, Copy)]
    pub(crate) struct V16(u64, u64);

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    const fn eq_word(w: u64, c: u8) -> u64 {
        let y = w ^ (ONES * c as u64);
        !(((y & LOW7) + LOW7) | y) & HIGH
    }

    /// Lanes of `w` from 0 to `max` inclusive.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    const fn le_word(w: u64, max: u8) -> u64 {
        // Per 7-bit lane, the high bit of `sum` says `x & 7F > max & 7F`
        // (no carry crosses a lane). Below 0x80, `x <= max` needs a clear top
        // bit too; from 0x80, a clear top bit is enough.
        let sum = (w & LOW7) + ONES * (0x7F - (max & 0x7F) as u64);
        if max < 0x80 {
            !(sum | w) & HIGH
        } else {
            !(sum & w) & HIGH
        }
    }

    impl V16 {
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn load(chunk: &[u8; 16]) -> Self {
            let (a, b) = chunk.split_at(8);
            let word = |s: &[u8]| <[u8; 8]>::try_from(s).map_or(0, u64::from_le_bytes);
            Self(word(a), word(b))
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn eq(self, c: u8) -> Self {
            Self(eq_word(self.0, c), eq_word(self.1, c))
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn lt(self, n: u8) -> Self {
            match n.checked_sub(1) {
                None => Self(0, 0),
                Some(max) => Self(le_word(self.0, max), le_word(self.1, max)),
            }
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn range(self, lo: u8, hi: u8) -> Self {
            debug_assert!(lo <= hi, "empty range");
            let d = ONES * lo as u64;
            // Lane-wise wrapping subtraction: subtract the low seven bits from
            // lanes with the top bit set (no borrow leaves a lane), then fix
            // the top bit.
            let sub = |w: u64| ((w | HIGH) - (d & LOW7)) ^ ((w ^ !d) & HIGH);
            let span = hi.wrapping_sub(lo);
            let x = Self(sub(self.0), sub(self.1));
            Self(le_word(x.0, span), le_word(x.1, span))
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn or_bits(self, bits: u8) -> Self {
            let b = ONES * u64::from(bits);
            Self(self.0 | b, self.1 | b)
        }

        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        pub(crate) fn bits(self) -> u32 {
            // Gather the eight lane bits of a word into one byte: after the
            // shift lane `k` holds its bit at `8k`; the multiplier moves it to
            // bit `56 + k`, and no two partial products share a bit.
            let pack =
                |w: u64| ((((w & HIGH) >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32;
            pack(self.0) | pack(self.1) << 8
        }
    }

    impl core::ops::BitOr for V16 {
        type Output = Self;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn bitor(self, o: Self) -> Self {
            Self(self.0 | o.0, self.1 | o.1)
        }
    }

    impl core::ops::BitAnd for V16 {
        type Output = Self;
        #[cfg_attr(not(debug_assertions), inline(always))]
        #[cfg_attr(debug_assertions, inline)]
        fn bitand(self, o: Self) -> Self {
            Self(self.0 & o.0, self.1 & o.1)
        }
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

    /// Runs `check` on blocks where lane `lane` holds each byte value and the
    /// other lanes one of a few fillers.
    /// Under Miri, which checks the `unsafe` blocks but runs slowly, each
    /// byte value goes through one lane, with one filler.
    fn every_byte_in_every_lane(mut check: impl FnMut(&[u8; 16])) {
        let fills: &[u8] = if cfg!(miri) {
            &[0x80]
        } else {
            &[0, 0x1F, 0x20, b'a', 0x7F, 0x80, 0xFF]
        };
        for lane in 0..16 {
            for b in 0..=255u8 {
                if cfg!(miri) && usize::from(b) % 16 != lane {
                    continue;
                }
                for &fill in fills {
                    let mut block = [fill; 16];
                    block[lane] = b;
                    check(&block);
                }
            }
        }
    }

    fn expect(block: &[u8; 16], got: u32, pred: impl Fn(u8) -> bool, what: &str) {
        let mut want = 0u32;
        for (j, &b) in block.iter().enumerate() {
            want |= u32::from(pred(b)) << j;
        }
        assert_eq!(got, want, "{what} on {block:?}");
    }

    /// Each operation the scanners use, against its scalar definition.
    macro_rules! agree {
        ($name:ident, $V16:ty) => {
            #[test]
            fn $name() {
                every_byte_in_every_lane(|block| {
                    let v = <$V16>::load(block);
                    for c in [0u8, b'"', b'<', 0x7F, 0x80, 0xEF, 0xFF] {
                        expect(block, v.eq(c).bits(), |b| b == c, "eq");
                    }
                    for n in [0u8, 1, 0x09, 0x0B, 0x20, 0x7F, 0x80, 0x81, 0xFF] {
                        expect(block, v.lt(n).bits(), |b| b < n, "lt");
                    }
                    for (lo, hi) in [
                        (b'a', b'z'),
                        (b'-', b':'),
                        (0, 0x1F),
                        (0x80, 0xFF),
                        (0x70, 0x90),
                    ] {
                        let got = v.range(lo, hi).bits();
                        expect(block, got, |b| (lo..=hi).contains(&b), "range");
                    }
                    let folded = v.or_bits(0x20).eq(b'a').bits();
                    expect(block, folded, |b| b | 0x20 == b'a', "or_bits");
                    let (x, y) = (v.eq(b'a'), v.lt(0x20));
                    expect(block, (x | y).bits(), |b| b == b'a' || b < 0x20, "or");
                    expect(block, (y & v.lt(0x0A)).bits(), |b| b < 0x0A, "and");
                });
            }
        };
    }
    agree!(
        the_portable_version_agrees_with_the_definitions,
        super::swar::V16
    );
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    agree!(
        the_sse2_version_agrees_with_the_definitions,
        super::sse2::V16
    );
}
