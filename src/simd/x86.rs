//! The AVX2 kernels: 32 lanes a vector, and the string state's prefix XOR
//! as one carry-less multiply (PCLMULQDQ).
//!
//! # Safety
//! [`V32`] holds an AVX2 register, and its only constructor, [`V32::load`],
//! is an `unsafe fn` whose precondition is that the CPU supports AVX2. So
//! a `V32` value is a witness: the safe methods of [`Lanes`] on it call AVX2
//! intrinsics, which is sound because the value exists. The entry points
//! [`json_avx2`] and [`xml_avx2`] are `#[target_feature]` functions, called
//! only from `blocks.rs` on a level of kind AVX2, which `level.rs` makes only
//! after `is_x86_feature_detected!` said yes to AVX2 and PCLMULQDQ. The only
//! memory access is `_mm256_loadu_si256` of the 32 bytes of a `&[u8; 32]`
//! (unaligned loads are what it is for).

use core::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_broadcastsi128_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256,
    _mm256_min_epu8, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8, _mm256_setr_epi8,
    _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_srli_epi16, _mm256_testz_si256,
    _mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_set1_epi8, _mm_set_epi64x,
};

use super::blocks::{
    brackets, json_of, json_raw, xml_raw, Brackets, JsonBlock, JsonCarry, Lanes, XmlRaw, BLOCK,
};
use super::skip::{skip_with, SkipEnd};
use super::text::Nibbles;

/// Thirty-two byte lanes. Exists only where AVX2 is available (see the
/// module docs).
#[derive(Clone, Copy)]
pub(crate) struct V32(__m256i);

impl V32 {
    /// The 32 bytes of `chunk`.
    ///
    /// # Safety
    /// The CPU supports AVX2.
    #[inline(always)]
    unsafe fn load(chunk: &[u8; 32]) -> Self {
        // SAFETY: AVX2 is supported (this function's precondition); the load
        // reads the 32 bytes `chunk` borrows and needs no alignment.
        Self(unsafe { _mm256_loadu_si256(chunk.as_ptr().cast::<__m256i>()) })
    }
}

impl core::ops::BitOr for V32 {
    type Output = Self;
    #[inline(always)]
    fn bitor(self, o: Self) -> Self {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        Self(unsafe { _mm256_or_si256(self.0, o.0) })
    }
}

impl Lanes for V32 {
    const WIDTH: u32 = 32;

    #[inline(always)]
    fn eq(self, c: u8) -> Self {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        Self(unsafe { _mm256_cmpeq_epi8(self.0, _mm256_set1_epi8(c as i8)) })
    }

    #[inline(always)]
    fn lt(self, n: u8) -> Self {
        match n.checked_sub(1) {
            // SAFETY: a V32 exists only where AVX2 is supported; registers
            // only. `x <= max` exactly when `min(x, max) == x` (unsigned).
            Some(max) => Self(unsafe {
                _mm256_cmpeq_epi8(_mm256_min_epu8(self.0, _mm256_set1_epi8(max as i8)), self.0)
            }),
            // SAFETY: as above. No lane is below zero: all lanes out.
            None => Self(unsafe { _mm256_set1_epi8(0) }),
        }
    }

    #[inline(always)]
    fn or_bits(self, bits: u8) -> Self {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        Self(unsafe { _mm256_or_si256(self.0, _mm256_set1_epi8(bits as i8)) })
    }

    #[inline(always)]
    fn mask(self) -> u64 {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        u64::from(unsafe { _mm256_movemask_epi8(self.0) } as u32)
    }

    /// One table lookup instead of four compares: the four blanks have
    /// distinct low nibbles (0, 9, A, D), so a table indexed by the low
    /// nibble holds the one blank a lane could be, and a lane is a blank
    /// when it equals its entry. Other entries hold `FF`, which no lane that
    /// reaches the table equals: `vpshufb` gives 0 for lanes from `0x80`.
    #[inline(always)]
    fn blank(self) -> Self {
        const N: i8 = -1;
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        // The shuffle works within each 16-byte half, so both halves hold
        // the table.
        Self(unsafe {
            let table = _mm256_setr_epi8(
                0x20, N, N, N, N, N, N, N, N, 0x09, 0x0A, N, N, 0x0D, N, N, //
                0x20, N, N, N, N, N, N, N, N, 0x09, 0x0A, N, N, 0x0D, N, N,
            );
            _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, self.0), self.0)
        })
    }
}

#[inline(always)]
fn half(block: &[u8; BLOCK], k: usize) -> &[u8; 32] {
    const ZERO: [u8; 32] = [0; 32];
    match block.get(k * 32..).and_then(<[u8]>::first_chunk::<32>) {
        Some(c) => c,
        None => &ZERO,
    }
}

/// Bit `j` of the result is the XOR of bits `0..=j` of `x`: a carry-less
/// multiply by all ones keeps, in the low 64 bits, the XOR of `x` shifted
/// left by every amount.
///
/// # Safety
/// The CPU supports PCLMULQDQ (SSE2 is the x86-64 baseline).
#[inline(always)]
unsafe fn clmul_prefix_xor(x: u64) -> u64 {
    // Newer compilers call these intrinsics safe in some callers; 1.81 does not.
    #[allow(unused_unsafe)]
    // SAFETY: PCLMULQDQ is supported (this function's precondition); the
    // intrinsics work on registers only.
    unsafe {
        let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set1_epi8(-1), 0);
        _mm_cvtsi128_si64(product) as u64
    }
}

/// The JSON masks of a block with AVX2, and the string state's prefix XOR
/// as a carry-less multiply.
///
/// # Safety
/// The CPU supports AVX2 and PCLMULQDQ.
#[target_feature(enable = "avx2,pclmulqdq")]
pub(crate) unsafe fn json_avx2(block: &[u8; BLOCK], carry: &mut JsonCarry) -> JsonBlock {
    // SAFETY: AVX2 is supported (this function's precondition).
    let parts = unsafe { [V32::load(half(block, 0)), V32::load(half(block, 1))] };
    // SAFETY: PCLMULQDQ is supported (this function's precondition).
    json_of(json_raw(parts), carry, |q| unsafe { clmul_prefix_xor(q) })
}

/// [`Brackets`] of a block with AVX2.
///
/// # Safety
/// The CPU supports AVX2 and PCLMULQDQ.
#[inline(always)]
unsafe fn brackets_avx2(block: &[u8; BLOCK], carry: &mut JsonCarry) -> Brackets {
    // SAFETY: AVX2 is supported (this function's precondition).
    let parts = unsafe { [V32::load(half(block, 0)), V32::load(half(block, 1))] };
    // SAFETY: PCLMULQDQ is supported (this function's precondition).
    brackets(json_raw(parts), carry, |q| unsafe { clmul_prefix_xor(q) })
}

/// [`Brackets`] of one block with AVX2, callable on its own (the tests
/// compare it with the definition).
///
/// # Safety
/// The CPU supports AVX2 and PCLMULQDQ.
#[cfg(test)]
#[target_feature(enable = "avx2,pclmulqdq")]
pub(crate) unsafe fn brackets_avx2_block(block: &[u8; BLOCK], carry: &mut JsonCarry) -> Brackets {
    // SAFETY: this function's precondition is `brackets_avx2`'s.
    unsafe { brackets_avx2(block, carry) }
}

/// The mask skip (`skip.rs`) with the AVX2 kernel, the whole loop compiled
/// for AVX2 so that the kernel inlines into it, and with POPCNT, so that the
/// bracket counts of each block are one instruction each (without it they
/// were a dozen: about a third of the skip of a short container).
///
/// # Safety
/// The CPU supports AVX2, PCLMULQDQ and POPCNT.
#[target_feature(enable = "avx2,pclmulqdq,popcnt")]
pub(crate) unsafe fn skip_avx2(input: &[u8], start: usize, room: usize) -> SkipEnd {
    // SAFETY: this function's precondition is `brackets_avx2`'s.
    skip_with(input, start, room, |b, c| unsafe { brackets_avx2(b, c) })
}

/// The XML masks of a block with AVX2.
///
/// # Safety
/// The CPU supports AVX2.
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn xml_avx2(block: &[u8; BLOCK]) -> XmlRaw {
    // SAFETY: AVX2 is supported (this function's precondition).
    let parts = unsafe { [V32::load(half(block, 0)), V32::load(half(block, 1))] };
    xml_raw(parts)
}

/// The first byte at or after `k` that ends a run of JSON string contents
/// (`"`, `\` or a byte below `0x20`), or `input.len()`: 64 bytes a step
/// while 64 are left, then 32, then the input's last 32 bytes (lanes before
/// `k` ignored), then byte by byte for an input shorter than 32 bytes. The
/// definition is `string::stop_spec`.
///
/// # Safety
/// The CPU supports AVX2.
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn string_stop_avx2(input: &[u8], mut k: usize) -> usize {
    #[inline(always)]
    fn stops(v: V32) -> u64 {
        (v.eq(b'"') | v.eq(b'\\') | v.lt(0x20)).mask()
    }
    while let Some(block) = input.get(k..).and_then(<[u8]>::first_chunk::<BLOCK>) {
        // SAFETY: AVX2 is supported (this function's precondition).
        let (a, b) = unsafe { (V32::load(half(block, 0)), V32::load(half(block, 1))) };
        let m = stops(a) | stops(b) << 32;
        if m != 0 {
            return k + m.trailing_zeros() as usize;
        }
        k += BLOCK;
    }
    if let Some(chunk) = input.get(k..).and_then(<[u8]>::first_chunk::<32>) {
        // SAFETY: AVX2 is supported (this function's precondition).
        let m = stops(unsafe { V32::load(chunk) });
        if m != 0 {
            return k + m.trailing_zeros() as usize;
        }
        k += 32;
    }
    let len = input.len();
    if k >= len {
        return len;
    }
    // Fewer than 32 bytes are left after `k`, so `k > last`.
    if let Some(last) = len.checked_sub(32) {
        if let Some(chunk) = input.get(last..).and_then(<[u8]>::first_chunk::<32>) {
            // SAFETY: AVX2 is supported (this function's precondition).
            let m = stops(unsafe { V32::load(chunk) }) >> (k - last);
            return if m != 0 {
                k + m.trailing_zeros() as usize
            } else {
                len
            };
        }
    }
    super::string::stop_spec(input, k)
}

/// A class's two nibble tables (`text::Nibbles`) in both halves of a
/// register.
#[derive(Clone, Copy)]
struct Tables {
    low: __m256i,
    high: __m256i,
    nibble: __m256i,
}

impl Tables {
    /// # Safety
    /// The CPU supports AVX2.
    #[inline(always)]
    unsafe fn new(class: &Nibbles) -> Self {
        // SAFETY: AVX2 is supported (this function's precondition); each load
        // reads the 16 bytes of a `[u8; 16]` and needs no alignment.
        unsafe {
            Self {
                low: _mm256_broadcastsi128_si256(_mm_loadu_si128(class.low.as_ptr().cast())),
                high: _mm256_broadcastsi128_si256(_mm_loadu_si128(class.high.as_ptr().cast())),
                nibble: _mm256_set1_epi8(0x0F),
            }
        }
    }

    /// Nonzero lanes where the byte is in the class: the flags of its low
    /// nibble AND those of its high nibble. The shift is by 16-bit lanes,
    /// so the bits it brings in from the next byte are masked off before the
    /// lookup.
    #[inline(always)]
    fn classify(self, v: V32) -> __m256i {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        unsafe {
            let low = _mm256_shuffle_epi8(self.low, _mm256_and_si256(v.0, self.nibble));
            let high_nibble = _mm256_and_si256(_mm256_srli_epi16::<4>(v.0), self.nibble);
            let high = _mm256_shuffle_epi8(self.high, high_nibble);
            _mm256_and_si256(low, high)
        }
    }

    /// Bit `j` set when byte `j` of `v` is in the class.
    #[inline(always)]
    fn mask(self, v: V32) -> u64 {
        // SAFETY: a V32 exists only where AVX2 is supported; registers only.
        let none = unsafe {
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(self.classify(v), _mm256_setzero_si256()))
        };
        u64::from(!(none as u32))
    }
}

/// The first byte at or after `k` in `class` (`text::Nibbles`), or
/// `input.len()`: 128 bytes a step while 128 are left (one test of the four
/// lookups), then 32 at a time, then the input's last 32 bytes (lanes before
/// `k` ignored), then byte by byte for an input shorter than 32 bytes. The
/// definition is `text::stop_spec`.
///
/// # Safety
/// The CPU supports AVX2.
#[target_feature(enable = "avx2")]
pub(crate) unsafe fn class_stop_avx2(input: &[u8], k: usize, class: &Nibbles) -> usize {
    // SAFETY: AVX2 is supported (this function's precondition).
    let t = unsafe { Tables::new(class) };
    // SAFETY: as above.
    let load = |chunk: &[u8; 32]| unsafe { V32::load(chunk) };
    let mut at = k;
    let mut rest = input.get(k..).unwrap_or(&[]);
    while let Some((block, tail)) = rest.split_first_chunk::<128>() {
        let [a, b, c, d] = quarters(block).map(load);
        let (ca, cb, cc, cd) = (t.classify(a), t.classify(b), t.classify(c), t.classify(d));
        // Newer compilers call these intrinsics safe here; 1.81 does not.
        #[allow(unused_unsafe)]
        // SAFETY: as above; registers only.
        let any = unsafe {
            let all = _mm256_or_si256(_mm256_or_si256(ca, cb), _mm256_or_si256(cc, cd));
            _mm256_testz_si256(all, all) == 0
        };
        if any {
            let low = t.mask(a) | t.mask(b) << 32;
            if low != 0 {
                return at + low.trailing_zeros() as usize;
            }
            let high = t.mask(c) | t.mask(d) << 32;
            return at + 64 + high.trailing_zeros() as usize;
        }
        rest = tail;
        at += 128;
    }
    while let Some((chunk, tail)) = rest.split_first_chunk::<32>() {
        let m = t.mask(load(chunk));
        if m != 0 {
            return at + m.trailing_zeros() as usize;
        }
        rest = tail;
        at += 32;
    }
    let len = input.len();
    if at >= len {
        return len;
    }
    // Fewer than 32 bytes are left after `at`, so `at > last`.
    if let Some(last) = len.checked_sub(32) {
        if let Some(chunk) = input.get(last..).and_then(<[u8]>::first_chunk::<32>) {
            let m = t.mask(load(chunk)) >> (at - last);
            return if m != 0 {
                at + m.trailing_zeros() as usize
            } else {
                len
            };
        }
    }
    super::text::stop_spec(input, at, class)
}

/// The four 32-byte quarters of a 128-byte block.
#[inline(always)]
fn quarters(block: &[u8; 128]) -> [&[u8; 32]; 4] {
    let (a, rest) = block.split_first_chunk::<32>().unwrap_or((&[0; 32], &[]));
    let (b, rest) = rest.split_first_chunk::<32>().unwrap_or((&[0; 32], &[]));
    let (c, rest) = rest.split_first_chunk::<32>().unwrap_or((&[0; 32], &[]));
    let (d, _) = rest.split_first_chunk::<32>().unwrap_or((&[0; 32], &[]));
    [a, b, c, d]
}
