//! Blocks of bytes tested many at a time: the one module of the crate that
//! uses `unsafe`.
//!
//! # What lives here
//! - [`V16`] (`v16.rs`): sixteen byte lanes, on which today's scanners test a
//!   byte class and take the first match from a 16-bit mask. SSE2 on x86-64
//!   (part of the baseline), two 64-bit words (SWAR) elsewhere.
//! - [`utf8()`] (`utf8.rs`): the UTF-8 check of every reader; ASCII is found
//!   with blocks (AVX2 on long inputs at that level), so joining it to the
//!   check of the rest (simdutf8's AVX2 kernel at that level, std below it)
//!   takes one `from_utf8_unchecked`.
//! - The structural stage (`blocks.rs`, `x86.rs`), not yet walked by the
//!   readers: 64-byte blocks classified into 64-bit masks, one bit a byte,
//!   by a kernel chosen once per process (`level.rs`).
//! - A skip over those masks (`skip.rs`), which the JSON readers' `Skim`
//!   skip of a container uses at the AVX2 level.
//! - The end of a run of JSON string contents (`string.rs`), 64 bytes a
//!   step at the AVX2 level, for the JSON lexer's strings longer than 16
//!   bytes.
//! - The end of a run of XML text (`text.rs`): the first byte of a class
//!   (the reader's text stops, or the end of plain text for `Skim`) by two
//!   nibble-table lookups, 128 bytes a step at the AVX2 level, for text
//!   runs longer than 64 bytes. The hooks for the fuzz
//!   target and the profiling example are outside this module
//!   (`src/probe.rs`, hidden), above the readers, because they compare the
//!   skipper with the JSON reader's.
//!
//! # The structural stage
//! A cursor (`JsonBlocks`, `XmlBlocks`) starts at any offset of a document
//! and, each time it is asked, classifies the next 64 bytes; the last block
//! is padded on the stack and its masks cleared past the end. Nothing is
//! stored but the cursor's offset and carry, so a reader can skip ahead,
//! stop early, or start a cursor where a value begins, without an index of
//! the document and without allocating.
//!
//! JSON blocks give quotes, backslashes, `{[`, `}]`, `:,`, the four blanks
//! and the bytes below `0x20`; from these, which bytes are escaped and which
//! lie inside a string. XML blocks give `<`, `>`, `&`, `"`, `'`, `]`, `=`,
//! the four blanks, the bytes below `0x20` and the bytes from `0x80`.
//!
//! **Carried state** (JSON only). Two bits cross from one block to the next:
//! whether the next block's first byte is escaped (the block ended inside a
//! run of backslashes of odd length so far), and whether it starts inside a
//! string. The escaped bytes of a block come from its backslash mask by
//! parity: a run of backslashes escapes the bytes at odd distances from its
//! start, and the runs that start at odd positions are found with one
//! addition (`blocks::escaped` explains it). The quotes that are not escaped
//! toggle the string state; the running XOR of their mask (a prefix XOR,
//! one carry-less multiply with PCLMULQDQ, six shift-xor steps without it)
//! gives the in-string mask, inverted when the block starts inside a string.
//!
//! **Dispatch.** A `Level` names the kernels: `portable` (SWAR words, every
//! target, and always under Miri), `sse2` (x86-64 baseline) and `avx2` (with
//! PCLMULQDQ and POPCNT). The first use detects the best level the CPU has with
//! `is_x86_feature_detected!` and caches it in an atomic; the environment
//! variable `WANXIANG_SIMD=portable|sse2|avx2`, read at that moment, can
//! lower it, never raise it. The UTF-8 check never reads the environment (a
//! read may allocate): before the first detection it uses the CPU's best
//! level. The `force-portable` cargo feature makes every
//! block type portable, [`V16`] included. [`simd_level`] tells which level
//! runs. Without the `std` feature there is no detection, and AVX2 is used
//! only when the build enables it for every CPU.
//!
//! # Safety
//! The argument is made where the code is; in short:
//! - SSE2 code is compiled only under `cfg(target_feature = "sse2")`, so it
//!   runs only on CPUs that have it.
//! - AVX2 code sits in `#[target_feature]` functions and in a vector type
//!   whose only constructor is `unsafe` with "AVX2 is supported" as its
//!   precondition. They are called only on a `Level` of kind AVX2, and that
//!   type cannot be made outside `level.rs`, which makes it only after
//!   detection said yes. The UTF-8 check's AVX2 steps and simdutf8's AVX2
//!   kernel (an `unsafe fn` whose one precondition is AVX2) are called on
//!   such a level only.
//! - Memory is touched only by unaligned loads of exactly the bytes of a
//!   `&[u8; 16]` or `&[u8; 32]`; a short last block is copied into a
//!   stack array first, so no load reads past the input.
//! - Every kernel is compared with a byte-loop definition for every byte
//!   value in every lane, on documents of every length and alignment, and on
//!   arbitrary bytes by the `classify` fuzz target; the portable path runs
//!   under Miri (`scripts/miri.sh`).

#![allow(unsafe_code)]

pub(crate) mod blocks;
pub(crate) mod level;
pub(crate) mod skip;
pub(crate) mod string;
pub(crate) mod text;
mod utf8;
mod v16;
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod x86;

#[cfg(test)]
mod tests;

pub(crate) use utf8::{utf8, utf8_ascii, utf8_inline};
pub(crate) use v16::V16;

/// The name of the instruction set that classifies blocks in this process:
/// `"avx2"`, `"sse2"` or `"portable"`.
///
/// Chosen at the first call (or first use of a classifier): the best level
/// the CPU supports, lowered by the environment variable `WANXIANG_SIMD`
/// (`portable`, `sse2` or `avx2`) when it is set. It never rises above what
/// the CPU has. Benches print it beside their numbers.
///
/// ```
/// let level = wanxiang::simd_level();
/// assert!(["avx2", "sse2", "portable"].contains(&level));
/// ```
pub fn simd_level() -> &'static str {
    level::level().name()
}
