//! Reading a JSON document by its structure alone, for `Skim` extraction.
//!
//! [`Structure`] walks the structural bytes of a document in order: the
//! quotes that open and close strings, `{` `[` `}` `]` `:` `,` outside
//! strings. It classifies the input 64 bytes at a time (the block masks of
//! `simd::blocks`, at the level the process runs) and hands out the set bits
//! one by one, so a key or a string is two bits, whatever its length, and a
//! container nobody needs is stepped over by counting its brackets a block
//! at a time. The string state crosses blocks in the carry (inside a string,
//! escape parity), so nothing is stored but the current block's masks.
//!
//! Nothing here checks what it steps over: numbers and literals have no bit
//! and are never looked at, keys and strings are found by their quotes, and
//! a backslash escapes the byte after it wherever it stands. What a caller
//! returns it checks itself (`json::scalar`, then UTF-8). On invalid input
//! the bits can disagree with the bytes; every step checks the byte it
//! expects, so a disagreement is an error, never a panic or a loop: each
//! step takes a bit or a block, and a block is classified once.

use crate::config::MAX_DEPTH;
use crate::error::ErrorKind;
use crate::scan::{fail, PResult};
use crate::simd::blocks::{block_at, json_block, Block, JsonCarry, BLOCK};
use crate::simd::level::{self, Level};

/// The structural bytes of a document, from a start offset on, one at a time.
pub(crate) struct Structure<'a> {
    input: &'a [u8],
    level: Level,
    /// The offset of the current block (bit `j` of the masks is byte `base + j`).
    base: usize,
    /// The offset of the next block.
    next: usize,
    /// Structural bits of the current block not taken yet.
    bits: u64,
    /// `{` and `[` outside strings in the current block.
    open: u64,
    /// `}` and `]` outside strings in the current block.
    close: u64,
    /// Backslashes in the current block.
    backslash: u64,
    /// The string state the next block starts in.
    carry: JsonCarry,
}

impl<'a> Structure<'a> {
    /// The structure of `input` from `start`, which lies outside any string
    /// (where the document or a value begins).
    pub(crate) fn new(input: &'a [u8], start: usize) -> Self {
        Structure {
            input,
            level: level::current(),
            base: start,
            next: start,
            bits: 0,
            open: 0,
            close: 0,
            backslash: 0,
            carry: JsonCarry::default(),
        }
    }

    /// Classifies the next block. `false` at the end of the input.
    #[inline(never)]
    fn load(&mut self) -> bool {
        let at = self.next;
        let Some((block, keep)) = block_at(self.input, at) else {
            return false;
        };
        let b = match &block {
            Block::Whole(b) => json_block(self.level, b, &mut self.carry),
            Block::Padded(b) => json_block(self.level, b, &mut self.carry),
        };
        let outside = !b.in_string & keep;
        let quotes = b.raw.quote & !b.escaped & keep;
        self.base = at;
        self.next = at.saturating_add(BLOCK);
        self.open = b.raw.open & outside;
        self.close = b.raw.close & outside;
        self.bits = self.open | self.close | (b.raw.punct & outside) | quotes;
        self.backslash = b.raw.backslash & keep;
        true
    }

    /// The offset of the next structural byte, taking it; `None` at the end
    /// of the input.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            if !self.load() {
                return None;
            }
        }
        let j = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(self.base + j)
    }

    /// Takes the structural byte at `at`, which must be the next one.
    /// `false` when it is not (the bits and the bytes disagree: invalid
    /// input).
    #[inline(always)]
    pub(crate) fn take(&mut self, at: usize) -> bool {
        self.next() == Some(at)
    }

    /// Takes structural bytes up to and including the one at `at`. `false`
    /// when `at` is not one of them (the input ended or it was passed).
    pub(crate) fn advance_to(&mut self, at: usize) -> bool {
        while let Some(k) = self.next() {
            if k >= at {
                return k == at;
            }
        }
        false
    }

    /// Whether a backslash stands in `input[a..b]`, where `b` is the
    /// structural byte just taken (the closing quote of a string that opens
    /// before `a`).
    #[inline(always)]
    pub(crate) fn escaped(&self, a: usize, b: usize) -> bool {
        match (a.checked_sub(self.base), b.checked_sub(self.base)) {
            (Some(lo), Some(hi)) if hi < BLOCK && lo <= hi => {
                let below_hi = (1u64 << hi) - 1;
                let below_lo = (1u64 << lo) - 1;
                self.backslash & below_hi & !below_lo != 0
            }
            _ => self
                .input
                .get(a..b)
                .is_some_and(|s| memchr::memchr(b'\\', s).is_some()),
        }
    }

    /// Steps over the container whose opener at `start` was just taken,
    /// with `room` containers allowed to be open in it, itself included (at
    /// least 1). Returns the offset after its closing bracket, with every
    /// structural byte up to it taken.
    pub(crate) fn skip_container(&mut self, start: usize, room: usize) -> PResult<usize> {
        let mut depth = 1usize;
        loop {
            let mut open = self.open & self.bits;
            let mut close = self.close & self.bits;
            let (opens, closes) = (open.count_ones() as usize, close.count_ones() as usize);
            if closes < depth && depth + opens <= room {
                // The depth cannot reach zero in this block: only the counts matter.
                depth = depth + opens - closes;
            } else {
                loop {
                    let lowest = close & close.wrapping_neg();
                    // The openers before the next close (all of them when none is left).
                    let before = lowest.wrapping_sub(1);
                    let opened = open & before;
                    let n = opened.count_ones() as usize;
                    if depth + n > room {
                        let j = nth_bit(opened, room.saturating_sub(depth));
                        return fail(ErrorKind::DepthLimit, self.base + j);
                    }
                    depth += n;
                    if close == 0 {
                        break;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.bits &= !(lowest | before);
                        return Ok(self.base + lowest.trailing_zeros() as usize + 1);
                    }
                    open &= !before;
                    close &= close - 1;
                }
            }
            self.bits = 0;
            if !self.load() {
                return fail(unclosed(self.input, start), start);
            }
        }
    }
}

/// The error for an input that ends inside the container opened at `start`.
#[cold]
fn unclosed(input: &[u8], start: usize) -> ErrorKind {
    if input.get(start) == Some(&b'[') {
        ErrorKind::UnclosedArray
    } else {
        ErrorKind::UnclosedObject
    }
}

/// The position of the set bit of `x` that has `k` set bits below it (64
/// when there is none).
fn nth_bit(mut x: u64, k: usize) -> usize {
    for _ in 0..k.min(MAX_DEPTH) {
        x &= x.wrapping_sub(1);
    }
    x.trailing_zeros() as usize
}
