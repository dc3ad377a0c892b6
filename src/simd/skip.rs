//! A prototype: skipping one JSON container by counting brackets in the
//! block masks, to measure what the structural stage buys a skip.
//!
//! It does what the reader's `Skim` skip does (follow strings and brackets,
//! check nothing else) without looking at bytes: per block, the brackets
//! outside strings are two masks, and the depth moves by their counts. Only a
//! block with a closing bracket is walked bit by bit, and only up to the
//! close that ends the container.
//!
//! The readers' `Skim` skip of a container (`json::skim_container`) goes
//! through [`skim_end`] at the AVX2 level: a clean end is the answer, and
//! anything else (an unclosed container, the depth limit, a backslash
//! outside strings) is answered again by the reader's byte loop, so errors
//! and their offsets are the byte loop's. At the SSE2 level the mask skip
//! measured slower than the byte loop (callgrind: 8.6k against 8.5k
//! instructions on the seed callback's `Skim` extract, 1.73M against 1.34M
//! on a `Skim` extract near the end of twitter.json), so SSE2 and portable
//! keep the byte loop.
//!
//! Two things made it pay, both visible in instruction counts (callgrind,
//! `examples/classify_profile.rs`, skipping the outermost container of each
//! document, AVX2 level): a kernel that computes only the four masks a skip
//! needs (quotes, backslashes, openers, closers) instead of all seven
//! classes, and the whole loop compiled once per level ([`skip_with`] inlined
//! into a `#[target_feature]` function), so the kernel inlines into it rather
//! than being called once a block. Through the general cursor it took 2.19M
//! instructions on twitter.json (617 KiB) where the reader's `Skim` skip takes
//! 1.30M; written this way, 1.10M. On citm_catalog.json (1.6 MiB), 3.00M
//! against 3.61M; on the 975-byte seed callback, 2.0k against 2.9k. The
//! reader's `Full` skip, which checks every byte, takes 2.42M, 6.81M and 4.2k.

use super::blocks::{block_at, Block, Brackets, JsonCarry, BLOCK};
use super::level::{Kind, Level};

/// How a skip ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipEnd {
    /// The container ended; the offset after its closing bracket.
    End(usize),
    /// The input ended inside the container (or inside a string in it).
    Unclosed,
    /// The opener at this offset nests deeper than allowed.
    TooDeep(usize),
    /// The start offset holds no `{` or `[`.
    NotAContainer,
    /// A backslash stands outside every string in a block the skip read:
    /// the masks let it escape the byte after it, the reader's skip ignores
    /// it, so the answer is left to the reader.
    Stray,
}

/// The `Skim` skip of the container at `start` by the masks, where that is
/// faster than the reader's byte loop (the AVX2 level): the offset after it,
/// or `None` when the reader must answer (another level, or anything but a
/// clean end: unclosed, too deep, a backslash outside strings). `room` is
/// the reader's `max_depth` minus the containers already open. Where it
/// answers, the answer is the reader's (`json::skim_bytes`), which the
/// `classify` fuzz target and the tests check.
///
/// The level is the one already chosen (`level::chosen`): choosing reads
/// the environment, which may allocate, and a skip must not. Until
/// something has chosen it (`Options::with_validation(Skim)`,
/// `simd_level`, a block cursor), the reader's loop answers.
#[inline]
pub(crate) fn skim_end(input: &[u8], start: usize, room: usize) -> Option<usize> {
    match super::level::chosen()?.kind() {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2, PCLMULQDQ and
        // POPCNT were detected (`level.rs`), the precondition of `skip_avx2`.
        Kind::Avx2 => match unsafe { super::x86::skip_avx2(input, start, room) } {
            SkipEnd::End(end) => Some(end),
            _ => None,
        },
        _ => None,
    }
}

/// Skips the container that opens at `start`, allowing `room` nested
/// containers including itself (the reader's `max_depth` minus the depth
/// already open). Backslashes escape wherever they stand (see
/// `JsonBlock`), which is the grammar inside strings; valid JSON has no
/// others, and a block that holds one ends the skip with
/// [`SkipEnd::Stray`].
pub(crate) fn skip_container(input: &[u8], start: usize, room: usize, level: Level) -> SkipEnd {
    match level.kind() {
        Kind::Portable => skip_with(input, start, room, super::blocks::brackets_portable),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        Kind::Sse2 => skip_with(input, start, room, super::blocks::brackets_sse2),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2, PCLMULQDQ and
        // POPCNT were detected (`level.rs`), the precondition of `skip_avx2`.
        Kind::Avx2 => unsafe { super::x86::skip_avx2(input, start, room) },
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        _ => skip_with(input, start, room, super::blocks::brackets_portable),
    }
}

/// [`skip_container`] with the block kernel `classify`; inlined into each
/// level's caller, so the AVX2 kernel inlines into an AVX2 loop.
#[inline(always)]
pub(crate) fn skip_with(
    input: &[u8],
    start: usize,
    room: usize,
    mut classify: impl FnMut(&[u8; BLOCK], &mut JsonCarry) -> Brackets,
) -> SkipEnd {
    if !matches!(input.get(start), Some(b'{' | b'[')) {
        return SkipEnd::NotAContainer;
    }
    let mut carry = JsonCarry::default();
    let mut depth = 0usize;
    let mut at = start;
    while let Some((block, keep)) = block_at(input, at) {
        let Brackets {
            mut open,
            mut close,
            stray,
        } = match &block {
            Block::Whole(b) => classify(b, &mut carry),
            Block::Padded(b) => {
                let m = classify(b, &mut carry);
                Brackets {
                    open: m.open & keep,
                    close: m.close & keep,
                    stray: m.stray & keep,
                }
            }
        };
        if stray != 0 {
            return SkipEnd::Stray;
        }
        // Fewer closers than open containers: the depth cannot reach zero
        // in this block, and if all openers stay within `room` it is only
        // the counts that matter.
        let (opens, closes) = (open.count_ones() as usize, close.count_ones() as usize);
        if closes < depth && depth + opens <= room {
            depth = depth + opens - closes;
            at += BLOCK;
            continue;
        }
        loop {
            // The openers before the next close (all of them when none is left).
            let before = match close {
                0 => u64::MAX,
                c => (c & c.wrapping_neg()) - 1,
            };
            let opened = open & before;
            let n = opened.count_ones() as usize;
            if depth + n > room {
                // The opener that makes it `room + 1` deep.
                return SkipEnd::TooDeep(at + nth_bit(opened, room - depth));
            }
            depth += n;
            if close == 0 {
                break;
            }
            depth = match depth.checked_sub(1) {
                // A close with nothing open cannot come first: `start` opens.
                None => return SkipEnd::Unclosed,
                Some(d) => d,
            };
            if depth == 0 {
                return SkipEnd::End(at + close.trailing_zeros() as usize + 1);
            }
            open &= !before;
            close &= close - 1;
        }
        at += BLOCK;
    }
    SkipEnd::Unclosed
}

/// The position of the set bit of `x` that has `k` set bits below it.
fn nth_bit(mut x: u64, k: usize) -> usize {
    for _ in 0..k {
        x &= x.wrapping_sub(1);
    }
    x.trailing_zeros() as usize
}
