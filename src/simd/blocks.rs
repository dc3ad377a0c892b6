//! Classification of 64-byte blocks into bit masks, and the cursors that
//! classify a document one block at a time.
//!
//! Three layers, from the bottom:
//! - the masks of one block ([`JsonRaw`], [`XmlRaw`]): bit `j` of a mask is
//!   set exactly when byte `j` of the block is in the class;
//! - the JSON string state ([`JsonBlock`]): which bytes are escaped and which
//!   lie inside a string, carried from block to block in a [`JsonCarry`];
//! - the cursors ([`JsonBlocks`], [`XmlBlocks`]): they hand out the next
//!   block's masks when asked, from any starting offset, and keep nothing but
//!   their position and carry (no index of the document, no allocation).
//!
//! Every mask has a plain byte-loop definition ([`json_spec`], [`xml_spec`])
//! that the tests and the fuzz target compare each kernel with.

use super::level::{Kind, Level};
use super::v16::swar;

/// Bytes in a block.
pub(crate) const BLOCK: usize = 64;

/// Bits at even positions (0, 2, ..., 62).
const EVEN: u64 = 0x5555_5555_5555_5555;
/// Bits at odd positions (1, 3, ..., 63).
const ODD: u64 = !EVEN;

/// Fills a short last block; in no class of either format (and the cursors
/// clear every bit past the input anyway).
const PAD: u8 = b'a';

/// Declares the class masks of one block from each class's definition on
/// one byte: the struct (one `u64` a class, bit `j` for byte `j`), `spec`
/// (the masks by that definition), `masked` (every mask ANDed with `keep`)
/// and `row` (the masks in the order declared).
macro_rules! classes {
    ($($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $class:ident: $def:expr,)* })*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub(crate) struct $name {
            $($(#[$fdoc])* pub(crate) $class: u64,)*
        }

        impl $name {
            fn masked(self, keep: u64) -> Self {
                Self { $($class: self.$class & keep,)* }
            }

            /// The definition, byte by byte, for up to 64 bytes (`bytes[j]`
            /// is bit `j`). Slow and obviously right: the kernels are tested
            /// against it.
            fn spec(bytes: &[u8]) -> Self {
                debug_assert!(bytes.len() <= BLOCK, "more than a block");
                let mut r = Self::default();
                for (j, &b) in bytes.iter().take(BLOCK).enumerate() {
                    $(r.$class |= u64::from(($def)(b)) << j;)*
                }
                r
            }

            /// Every mask, in the order declared.
            pub(crate) fn row(&self) -> [u64; [$(stringify!($class)),*].len()] {
                [$(self.$class),*]
            }
        }
    )*};
}

classes! {
    /// The JSON classes of one block (RFC 8259 §2 and §7): bit `j` stands for
    /// byte `j`.
    JsonRaw {
        /// `"`.
        quote: |b| b == b'"',
        /// `\`.
        backslash: |b| b == b'\\',
        /// `{` and `[`.
        open: |b| b == b'{' || b == b'[',
        /// `}` and `]`.
        close: |b| b == b'}' || b == b']',
        /// `:` and `,`.
        punct: |b| b == b':' || b == b',',
        /// The four JSON blanks: space, tab, line feed, carriage return.
        whitespace: |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'),
        /// Bytes below `0x20` (not allowed raw inside a string).
        control: |b| b < 0x20,
    }

    /// The XML classes of one block (XML 1.0 §2.2-§2.4, §3.1).
    XmlRaw {
        /// `<`.
        lt: |b| b == b'<',
        /// `>`.
        gt: |b| b == b'>',
        /// `&`.
        amp: |b| b == b'&',
        /// `"`.
        dquote: |b| b == b'"',
        /// `'`.
        squote: |b| b == b'\'',
        /// `]` (the end of a CDATA section, and of `]]>` in text).
        rbracket: |b| b == b']',
        /// `=`.
        eq: |b| b == b'=',
        /// The four XML blanks (`S`): space, tab, line feed, carriage return.
        whitespace: |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'),
        /// Bytes below `0x20`.
        control: |b| b < 0x20,
        /// Bytes from `0x80`: parts of non-ASCII characters.
        non_ascii: |b| b >= 0x80,
    }
}

impl JsonRaw {
    /// The six structural characters `{}[]:,`.
    #[inline(always)]
    pub(crate) fn structural(&self) -> u64 {
        self.open | self.close | self.punct
    }
}

/// One JSON block with its string state.
///
/// A backslash escapes the byte after it wherever it stands (in valid JSON
/// backslashes occur only inside strings, where this is the grammar); the
/// quotes that are not escaped open and close strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct JsonBlock {
    /// The classes of the bytes.
    pub(crate) raw: JsonRaw,
    /// Bytes escaped by the backslash before them: the byte after an
    /// odd-length run of backslashes, and every second backslash of a run.
    pub(crate) escaped: u64,
    /// Bytes inside a string: an opening quote and what follows it up to,
    /// not including, its closing quote.
    pub(crate) in_string: u64,
}

impl JsonBlock {
    /// Structural characters outside strings: the bytes a tokenizer stops at.
    #[inline(always)]
    pub(crate) fn structural_outside(&self) -> u64 {
        self.raw.structural() & !self.in_string
    }

    fn masked(self, keep: u64) -> Self {
        Self {
            raw: self.raw.masked(keep),
            escaped: self.escaped & keep,
            in_string: self.in_string & keep,
        }
    }
}

/// What one JSON block tells the next: whether its first byte is escaped
/// (the block ended in an odd run of backslashes), and whether it starts
/// inside a string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct JsonCarry {
    /// The next block's first byte is escaped.
    pub(crate) escaped: bool,
    /// The next block starts inside a string.
    pub(crate) in_string: bool,
}

// ---- the definitions --------------------------------------------------------

/// The definition of the JSON masks, byte by byte, for up to 64 bytes
/// (`bytes[j]` is bit `j`); `carry` goes in and comes out as for a kernel.
/// Slow and obviously right: the kernels are tested against it.
pub(crate) fn json_spec(bytes: &[u8], carry: &mut JsonCarry) -> JsonBlock {
    let mut out = JsonBlock {
        raw: JsonRaw::spec(bytes),
        ..JsonBlock::default()
    };
    for (j, &b) in bytes.iter().take(BLOCK).enumerate() {
        let bit = 1u64 << j;
        if carry.escaped {
            carry.escaped = false;
            out.escaped |= bit;
        } else if b == b'\\' {
            carry.escaped = true;
        } else if b == b'"' {
            carry.in_string = !carry.in_string;
        }
        if carry.in_string {
            out.in_string |= bit;
        }
    }
    out
}

/// The definition of the XML masks, byte by byte, for up to 64 bytes.
pub(crate) fn xml_spec(bytes: &[u8]) -> XmlRaw {
    XmlRaw::spec(bytes)
}

// ---- the kernels, written once over a lane type ----------------------------

/// A vector of byte lanes the kernels are written over. A class mask has
/// each lane's top bit set (in) or clear (out).
pub(crate) trait Lanes: Copy + core::ops::BitOr<Output = Self> {
    /// Lanes in one vector.
    const WIDTH: u32;
    /// Lanes equal to `c`.
    fn eq(self, c: u8) -> Self;
    /// Lanes below `n` (unsigned).
    fn lt(self, n: u8) -> Self;
    /// The lanes with bits `bits` set (`x | bits`).
    fn or_bits(self, bits: u8) -> Self;
    /// Bit `j` is the top bit of lane `j`; on raw input bytes, the lanes from `0x80`.
    fn mask(self) -> u64;
    /// Lanes holding one of the four blanks of JSON and XML: space, tab,
    /// line feed, carriage return.
    #[inline(always)]
    fn blank(self) -> Self {
        self.eq(b' ') | self.eq(b'\n') | self.eq(b'\r') | self.eq(b'\t')
    }
}

/// [`Lanes`] for a 16-lane type, by its own methods of the same names.
macro_rules! lanes16 {
    ($($(#[$cfg:meta])* $v16:ty;)*) => {$(
        $(#[$cfg])*
        impl Lanes for $v16 {
            const WIDTH: u32 = 16;
            #[inline(always)]
            fn eq(self, c: u8) -> Self {
                <$v16>::eq(self, c)
            }
            #[inline(always)]
            fn lt(self, n: u8) -> Self {
                <$v16>::lt(self, n)
            }
            #[inline(always)]
            fn or_bits(self, bits: u8) -> Self {
                <$v16>::or_bits(self, bits)
            }
            #[inline(always)]
            fn mask(self) -> u64 {
                u64::from(self.bits())
            }
        }
    )*};
}

lanes16! {
    swar::V16;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    super::v16::sse2::V16;
}

/// The JSON classes of a block given as `N` vectors of lanes, in order.
#[inline(always)]
pub(crate) fn json_raw<L: Lanes, const N: usize>(parts: [L; N]) -> JsonRaw {
    debug_assert_eq!(N as u32 * L::WIDTH, BLOCK as u32, "parts cover a block");
    let mut r = JsonRaw::default();
    let mut shift = 0;
    for v in parts {
        // `x | 0x20` maps `[` and `]` onto `{` and `}`, and nothing else onto either.
        let folded = v.or_bits(0x20);
        r.quote |= v.eq(b'"').mask() << shift;
        r.backslash |= v.eq(b'\\').mask() << shift;
        r.open |= folded.eq(b'{').mask() << shift;
        r.close |= folded.eq(b'}').mask() << shift;
        r.punct |= (v.eq(b':') | v.eq(b',')).mask() << shift;
        r.whitespace |= v.blank().mask() << shift;
        r.control |= v.lt(0x20).mask() << shift;
        shift += L::WIDTH;
    }
    r
}

/// The XML classes of a block given as `N` vectors of lanes, in order.
#[inline(always)]
pub(crate) fn xml_raw<L: Lanes, const N: usize>(parts: [L; N]) -> XmlRaw {
    debug_assert_eq!(N as u32 * L::WIDTH, BLOCK as u32, "parts cover a block");
    let mut r = XmlRaw::default();
    let mut shift = 0;
    for v in parts {
        r.lt |= v.eq(b'<').mask() << shift;
        r.gt |= v.eq(b'>').mask() << shift;
        r.amp |= v.eq(b'&').mask() << shift;
        r.dquote |= v.eq(b'"').mask() << shift;
        r.squote |= v.eq(b'\'').mask() << shift;
        r.rbracket |= v.eq(b']').mask() << shift;
        r.eq |= v.eq(b'=').mask() << shift;
        r.whitespace |= v.blank().mask() << shift;
        r.control |= v.lt(0x20).mask() << shift;
        r.non_ascii |= v.mask() << shift;
        shift += L::WIDTH;
    }
    r
}

// ---- the carried string state ------------------------------------------------

/// The escaped bytes of a block whose backslashes are `backslash`; `carry`
/// says whether its first byte is escaped, and on return whether the next
/// block's is.
///
/// A run of backslashes that starts at bit `s` escapes the bytes at odd
/// distances from `s`: every second backslash of the run, and the byte after
/// the run when the run is odd. So a byte after a backslash is escaped when
/// its position and its run's start differ in parity. The runs that start at
/// odd positions are found with one addition: adding a run's lowest bit to
/// the mask carries through the run and clears it, and nothing crosses the
/// zero bit that ends a run. A run reaching bit 63 escapes the next block's
/// first byte when it started at an odd position (64 minus an odd start is
/// odd). An escaped first byte belongs to the previous block's run, so it
/// does not start one here even if it is a backslash.
#[inline(always)]
pub(crate) fn escaped(backslash: u64, carry: &mut bool) -> u64 {
    let first = u64::from(*carry);
    let b = backslash & !first;
    let starts = b & !(b << 1);
    // Bits of the runs that start at odd positions.
    let odd_runs = b & !b.wrapping_add(starts & ODD);
    *carry = odd_runs >> 63 != 0;
    // Position of the byte after a backslash has the parity of its run's start
    // shifted by one: flip the expected parity (ODD) for the odd-started runs.
    ((b << 1) & ((odd_runs << 1) ^ ODD)) | first
}

/// Bit `j` of the result is the XOR of bits `0..=j` of `x`, by doubling
/// shifts (six shift-xor steps); the AVX2 kernel uses a carry-less multiply.
#[inline(always)]
pub(crate) fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The escape step of [`JsonBlock`]: escaped bytes, and the quotes that
/// delimit strings.
#[inline(always)]
pub(crate) fn string_quotes(quote: u64, backslash: u64, carry: &mut JsonCarry) -> (u64, u64) {
    let escaped = escaped(backslash, &mut carry.escaped);
    (escaped, quote & !escaped)
}

/// The last step of [`JsonBlock`]: `toggles` is the prefix XOR of the
/// string quotes; a block that starts inside a string inverts it. Returns
/// the in-string mask and carries its last bit.
#[inline(always)]
pub(crate) fn in_string(toggles: u64, carry: &mut JsonCarry) -> u64 {
    let in_string = toggles ^ 0u64.wrapping_sub(u64::from(carry.in_string));
    carry.in_string = in_string >> 63 != 0;
    in_string
}

/// The brackets outside strings of one block: all a container skip needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Brackets {
    /// `{` and `[` outside strings.
    pub(crate) open: u64,
    /// `}` and `]` outside strings.
    pub(crate) close: u64,
    /// Backslashes outside strings, where the reader's skip and the masks
    /// part ways (the reader ignores them, the masks let them escape).
    pub(crate) stray: u64,
}

/// [`Brackets`] from the classes of a block ([`json_raw`], of which a
/// skip uses four masks: the others are not computed once it is inlined)
/// and the prefix XOR of the string quotes (`prefix` is the level's way to
/// compute it).
#[inline(always)]
pub(crate) fn brackets(
    raw: JsonRaw,
    carry: &mut JsonCarry,
    prefix: impl FnOnce(u64) -> u64,
) -> Brackets {
    let JsonRaw {
        quote,
        backslash,
        open,
        close,
        ..
    } = raw;
    // Most blocks a skip reads hold no backslash and do not start escaped:
    // then no byte is escaped, every quote delimits a string, and the
    // escape step (a dozen operations) would change nothing, the carry
    // included.
    let quotes = if backslash == 0 && !carry.escaped {
        quote
    } else {
        string_quotes(quote, backslash, carry).1
    };
    let outside = !in_string(prefix(quotes), carry);
    Brackets {
        open: open & outside,
        close: close & outside,
        stray: backslash & outside,
    }
}

// ---- the portable and SSE2 kernels ------------------------------------------

#[inline(always)]
fn part16(block: &[u8; BLOCK], k: usize) -> &[u8; 16] {
    const ZERO: [u8; 16] = [0; 16];
    match block.get(k * 16..).and_then(<[u8]>::first_chunk::<16>) {
        Some(c) => c,
        None => &ZERO,
    }
}

/// The four 16-byte parts of a block as lanes (`load` is the lane type's).
#[inline(always)]
fn parts16<L>(block: &[u8; BLOCK], load: impl Fn(&[u8; 16]) -> L) -> [L; 4] {
    let v = |k| load(part16(block, k));
    [v(0), v(1), v(2), v(3)]
}

/// [`JsonBlock`] from a block's classes: the escape step, then the string
/// state from the prefix XOR of the string quotes (`prefix` is the level's
/// way to compute it).
#[inline(always)]
pub(crate) fn json_of(
    raw: JsonRaw,
    carry: &mut JsonCarry,
    prefix: impl FnOnce(u64) -> u64,
) -> JsonBlock {
    let (escaped, quotes) = string_quotes(raw.quote, raw.backslash, carry);
    let in_string = in_string(prefix(quotes), carry);
    JsonBlock {
        raw,
        escaped,
        in_string,
    }
}

/// The JSON masks of a block with a 16-lane kernel (portable or SSE2).
#[inline]
fn json16<L: Lanes>(
    block: &[u8; BLOCK],
    carry: &mut JsonCarry,
    load: impl Fn(&[u8; 16]) -> L,
) -> JsonBlock {
    json_of(json_raw(parts16(block, load)), carry, prefix_xor)
}

/// The XML masks of a block with a 16-lane kernel (portable or SSE2).
#[inline]
fn xml16<L: Lanes>(block: &[u8; BLOCK], load: impl Fn(&[u8; 16]) -> L) -> XmlRaw {
    xml_raw(parts16(block, load))
}

/// [`Brackets`] of a block with the portable kernel.
#[inline(always)]
pub(crate) fn brackets_portable(block: &[u8; BLOCK], carry: &mut JsonCarry) -> Brackets {
    brackets(json_raw(parts16(block, swar::V16::load)), carry, prefix_xor)
}

/// [`Brackets`] of a block with the SSE2 kernel.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn brackets_sse2(block: &[u8; BLOCK], carry: &mut JsonCarry) -> Brackets {
    let load = super::v16::sse2::V16::load;
    brackets(json_raw(parts16(block, load)), carry, prefix_xor)
}

// ---- dispatch ------------------------------------------------------------------

/// The JSON masks of a whole block at `level`, carrying `carry`.
#[inline]
pub(crate) fn json_block(level: Level, block: &[u8; BLOCK], carry: &mut JsonCarry) -> JsonBlock {
    match level.kind() {
        Kind::Portable => json16(block, carry, swar::V16::load),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        Kind::Sse2 => json16(block, carry, super::v16::sse2::V16::load),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2 and PCLMULQDQ
        // were detected (`level.rs` makes it nowhere else), which is the
        // one precondition of `json_avx2`.
        Kind::Avx2 => unsafe { super::x86::json_avx2(block, carry) },
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        _ => json16(block, carry, swar::V16::load),
    }
}

/// [`Brackets`] of a whole block at `level`, carrying `carry` (the skip
/// calls the kernels directly; the tests use this).
#[cfg(test)]
pub(crate) fn brackets_block(level: Level, block: &[u8; BLOCK], carry: &mut JsonCarry) -> Brackets {
    match level.kind() {
        Kind::Portable => brackets_portable(block, carry),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        Kind::Sse2 => brackets_sse2(block, carry),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: the level proves AVX2 and PCLMULQDQ were detected.
        Kind::Avx2 => unsafe { super::x86::brackets_avx2_block(block, carry) },
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        _ => brackets_portable(block, carry),
    }
}

/// The XML masks of a whole block at `level`.
#[inline]
pub(crate) fn xml_block(level: Level, block: &[u8; BLOCK]) -> XmlRaw {
    match level.kind() {
        Kind::Portable => xml16(block, swar::V16::load),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        Kind::Sse2 => xml16(block, super::v16::sse2::V16::load),
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: as in `json_block`: the level proves AVX2 was detected.
        Kind::Avx2 => unsafe { super::x86::xml_avx2(block) },
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        _ => xml16(block, swar::V16::load),
    }
}

// ---- the cursors ----------------------------------------------------------------

/// The bytes of `input` from `at`, as a whole block, or padded with [`PAD`]
/// when fewer than 64 remain, with the mask of the real ones. `None` at the end.
#[inline(always)]
pub(crate) fn block_at(input: &[u8], at: usize) -> Option<(Block<'_>, u64)> {
    let rest = input.get(at..).filter(|r| !r.is_empty())?;
    if let Some(whole) = rest.first_chunk::<BLOCK>() {
        return Some((Block::Whole(whole), u64::MAX));
    }
    let mut padded = [PAD; BLOCK];
    padded.get_mut(..rest.len())?.copy_from_slice(rest);
    // 1..=63 bytes remain here.
    Some((Block::Padded(padded), (1u64 << rest.len()) - 1))
}

/// A block of the input, or the padded copy of its last bytes.
pub(crate) enum Block<'a> {
    /// 64 bytes of the input.
    Whole(&'a [u8; BLOCK]),
    /// The last 1 to 63 bytes, padded.
    Padded([u8; BLOCK]),
}

/// A cursor over the JSON blocks of a document: each call of
/// [`next_block`](Self::next_block) classifies the next 64 bytes (fewer at
/// the end) and carries the string state to the block after.
#[derive(Clone, Debug)]
pub(crate) struct JsonBlocks<'a> {
    input: &'a [u8],
    next: usize,
    carry: JsonCarry,
    level: Level,
}

impl<'a> JsonBlocks<'a> {
    /// Blocks of `input` from offset `start`, which lies outside any string
    /// and is not escaped (where a value, key or the document starts).
    pub(crate) fn new(input: &'a [u8], start: usize, level: Level) -> Self {
        Self {
            input,
            next: start,
            carry: JsonCarry::default(),
            level,
        }
    }

    /// The next block: its offset in the input and its masks, with the bits
    /// past the end of the input clear. `None` at the end of the input.
    #[inline]
    pub(crate) fn next_block(&mut self) -> Option<(usize, JsonBlock)> {
        let at = self.next;
        let (block, keep) = block_at(self.input, at)?;
        self.next = at.saturating_add(BLOCK);
        Some(match block {
            Block::Whole(b) => (at, json_block(self.level, b, &mut self.carry)),
            Block::Padded(b) => (at, json_block(self.level, &b, &mut self.carry).masked(keep)),
        })
    }
}

/// A cursor over the XML blocks of a document (no state is carried).
#[derive(Clone, Debug)]
pub(crate) struct XmlBlocks<'a> {
    input: &'a [u8],
    next: usize,
    level: Level,
}

impl<'a> XmlBlocks<'a> {
    /// Blocks of `input` from offset `start`.
    pub(crate) fn new(input: &'a [u8], start: usize, level: Level) -> Self {
        Self {
            input,
            next: start,
            level,
        }
    }

    /// The next block: its offset and masks (bits past the input clear), or
    /// `None` at the end of the input.
    #[inline]
    pub(crate) fn next_block(&mut self) -> Option<(usize, XmlRaw)> {
        let at = self.next;
        let (block, keep) = block_at(self.input, at)?;
        self.next = at.saturating_add(BLOCK);
        Some(match block {
            Block::Whole(b) => (at, xml_block(self.level, b)),
            Block::Padded(b) => (at, xml_block(self.level, &b).masked(keep)),
        })
    }
}
