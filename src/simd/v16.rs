//! [`V16`]: sixteen byte lanes, the block the scanners test a byte class on.
//!
//! A class is written once as an expression over a block (`v.eq(b'"') |
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
//! The portable version (two SWAR words) serves every other target, and every
//! target when the `force-portable` feature is on.
//!
//! # Safety
//! Every `unsafe` block of the SSE2 version calls an SSE2 intrinsic under
//! `cfg(target_feature = "sse2")`, so the instruction exists on every CPU the
//! build can run on. The only intrinsic that touches memory is
//! `_mm_loadu_si128`, and it reads exactly the 16 bytes of a `&[u8; 16]`
//! (unaligned loads are what it is for). Nothing else reads or writes memory.
//! The tests at the end compare every operation with its scalar definition
//! for every byte value in every lane, and the fuzz targets run the scanners
//! that use it on arbitrary input.

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "force-portable")
))]
pub(crate) use sse2::V16;
#[cfg(not(all(
    target_arch = "x86_64",
    target_feature = "sse2",
    not(feature = "force-portable")
)))]
pub(crate) use swar::V16;

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
// With `force-portable` only the block kernels use it, and not every method.
#[cfg_attr(feature = "force-portable", allow(dead_code))]
pub(crate) mod sse2 {
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
#[allow(dead_code)] // on x86-64 only the tests and the block kernels use every method
pub(crate) mod swar {
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
