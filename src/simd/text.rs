//! The end of a run of XML character data: the first byte at or after an
//! offset that the text scanner must look at ([`TEXT`]: `<`, `&`, `]`, a
//! C0 control other than tab and newline, or `EF`), or that ends plain text
//! ([`PLAIN`], for `Skim`), 128 bytes a step at the AVX2 level.
//!
//! A class of several bytes and ranges, which compares would test one by
//! one, is two table lookups instead (`vpshufb`), one indexed by a byte's
//! low nibble and one by its high nibble, each giving a byte of flag bits
//! ([`Nibbles`]). The readers' text scanners come here for runs longer
//! than their short blocks; below AVX2 they keep their `memchr3` search and
//! check the span for the rare bytes after it.

use super::level::{Kind, Level};

/// The bytes a text run stops at, byte by byte: markup, a reference, a
/// possible `]]>`, the C0 controls other than tab and newline (`\r`
/// included), and `EF` (a possible U+FFFE or U+FFFF).
#[inline(always)]
pub(crate) const fn special(b: u8) -> bool {
    (b == b'<')
        | (b == b'&')
        | (b == b']')
        | ((b < 0x20) & (b != b'\t') & (b != b'\n'))
        | (b == 0xEF)
}

/// A byte class as two 16-entry tables of flag bits, one indexed by a
/// byte's low nibble and one by its high nibble: a byte is in the class when
/// its two entries share a bit. Each bit stands for the high nibbles whose
/// bytes in the class have the same set of low nibbles, so a class fits
/// when its high nibbles have at most eight such sets.
pub(crate) struct Nibbles {
    pub(crate) low: [u8; 16],
    pub(crate) high: [u8; 16],
    /// The class byte by byte: the definition the tables are built from.
    pub(crate) is: fn(u8) -> bool,
}

/// The [`Nibbles`] of the class `$in` (a `const fn(u8) -> bool`), built at
/// compile time; a class that does not fit fails the build.
macro_rules! nibbles {
    ($in:path) => {{
        // The set of low nibbles in the class, for each high nibble.
        let mut sets = [0u16; 16];
        let mut b = 0;
        while b < 256 {
            if $in(b as u8) {
                sets[b >> 4] |= 1 << (b & 0x0F);
            }
            b += 1;
        }
        let mut low = [0u8; 16];
        let mut high = [0u8; 16];
        let mut bits = 0;
        let mut h = 0;
        while h < 16 {
            if sets[h] != 0 {
                // The bit of an earlier high nibble with the same set, or a
                // new one.
                let mut bit = 0u8;
                let mut e = 0;
                while e < h {
                    if sets[e] == sets[h] {
                        bit = high[e];
                    }
                    e += 1;
                }
                if bit == 0 {
                    assert!(bits < 8, "the class needs more than eight bits");
                    bit = 1 << bits;
                    bits += 1;
                }
                high[h] = bit;
                let mut l = 0;
                while l < 16 {
                    if sets[h] >> l & 1 == 1 {
                        low[l] |= bit;
                    }
                    l += 1;
                }
            }
            h += 1;
        }
        Nibbles { low, high, is: $in }
    }};
}

/// The text class ([`special`]) as tables.
// Const evaluation: an index out of bounds would fail the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const TEXT: Nibbles = nibbles!(special);

/// The bytes that end a run of plain text (what `Skim` extraction returns
/// without a check): `<`, `&`, `]`, and every byte outside printable ASCII
/// (`0x20..0x80`).
#[inline(always)]
pub(crate) const fn not_plain(b: u8) -> bool {
    (b == b'<') | (b == b'&') | (b == b']') | (b < 0x20) | (b >= 0x80)
}

/// [`not_plain`] in each lane of a block.
#[inline(always)]
pub(crate) fn not_plain16(v: super::V16) -> super::V16 {
    v.eq(b'<') | v.eq(b'&') | v.eq(b']') | v.lt(0x20) | v.range(0x80, 0xFF)
}

/// The plain text at `k` when it ends within 64 bytes (the values `Skim`
/// returns mostly do): the offset of the first byte at or after `k` that is
/// [`not_plain`], and the text before it as `&str`, found by the same
/// 16-byte blocks that prove it ASCII (no UTF-8 check after the search).
/// `None` for a longer run, or one that reaches the last 15 bytes of the
/// input: the caller searches those another way.
#[inline(always)]
pub(crate) fn plain_short(input: &[u8], k: usize) -> Option<(usize, &str)> {
    let mut j = k;
    while j < k.saturating_add(64) {
        let chunk = input.get(j..j.wrapping_add(16))?;
        let m = not_plain16(super::V16::load(<&[u8; 16]>::try_from(chunk).ok()?)).bits();
        if m != 0 {
            let end = j + m.trailing_zeros() as usize;
            let span = input.get(k..end)?;
            debug_assert!(span.iter().all(|&c| !not_plain(c)), "plain_short");
            // SAFETY: `span` is `k..end`, and every byte of it lies in a
            // block loaded above whose lanes up to `end` (the block's
            // first `not_plain` lane) are not `not_plain`, so below `0x80`:
            // ASCII, which is UTF-8. The tests compare this with the
            // definition at every length and position.
            return Some((end, unsafe { core::str::from_utf8_unchecked(span) }));
        }
        j += 16;
    }
    None
}

/// The plain-text class ([`not_plain`]) as tables.
// Const evaluation: an index out of bounds would fail the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const PLAIN: Nibbles = nibbles!(not_plain);

/// The tables' answer for one byte, as the kernels compute it per lane.
#[cfg(test)]
fn by_tables(t: &Nibbles, b: u8) -> bool {
    let low = t.low.get(usize::from(b & 0x0F)).copied().unwrap_or(0);
    let high = t.high.get(usize::from(b >> 4)).copied().unwrap_or(0);
    low & high != 0
}

/// The definition: the first byte at or after `k` in `class`, or
/// `input.len()` when there is none.
pub(crate) fn stop_spec(input: &[u8], k: usize, class: &Nibbles) -> usize {
    let mut j = k;
    while let Some(&b) = input.get(j) {
        if (class.is)(b) {
            return j;
        }
        j += 1;
    }
    input.len()
}

/// [`stop_spec`] by the kernel of the current level (`level::current`, which
/// never reads the environment, so never allocates), or `None` when that
/// level has no kernel faster than the reader's own search (below AVX2).
#[inline]
pub(crate) fn stop(input: &[u8], k: usize, class: &Nibbles) -> Option<usize> {
    match super::level::current().kind() {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2 was detected
        // (`level.rs`), the precondition of `class_stop_avx2`.
        Kind::Avx2 => Some(unsafe { super::x86::class_stop_avx2(input, k, class) }),
        _ => None,
    }
}

/// [`stop_spec`] by the kernel of `level` (the definition itself where the
/// level has none), for the tests and the `classify` fuzz target.
pub(crate) fn stop_at(input: &[u8], k: usize, class: &Nibbles, level: Level) -> usize {
    match level.kind() {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        // SAFETY: a level of kind AVX2 exists only when AVX2 was detected
        // (`level.rs`), the precondition of `class_stop_avx2`.
        Kind::Avx2 => unsafe { super::x86::class_stop_avx2(input, k, class) },
        _ => stop_spec(input, k, class),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_give_the_class_of_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(by_tables(&TEXT, b), special(b), "{b:#04x}");
            assert_eq!(by_tables(&PLAIN, b), not_plain(b), "{b:#04x}");
        }
    }

    /// `plain_short` against the definition: inputs of 0 to 100 bytes, from
    /// every offset (runs of 0 to 100 bytes, ending inside the 64 bytes it
    /// searches, past them, and near the input's end), one byte of each kind
    /// at every position.
    #[test]
    fn plain_short_stops_where_the_definition_does() {
        let edges = [
            0x00, 0x1F, 0x20, b'&', b'<', b']', b'>', 0x7E, 0x7F, 0x80, 0xC3, 0xFF,
        ];
        // Under Miri, a sample of lengths, positions and starts.
        let step = |n: usize| if cfg!(miri) { n } else { 1 };
        let mut found = 0;
        for len in (0..=100usize).step_by(step(19)) {
            for bad in [None].into_iter().chain(edges.iter().map(|&e| Some(e))) {
                for at in (0..len.max(1)).step_by(step(11)) {
                    let mut v = alloc::vec![b'a'; len];
                    if let (Some(e), Some(b)) = (bad, v.get_mut(at)) {
                        *b = e;
                    }
                    for k in (0..=len + 1).step_by(step(7)) {
                        let end = stop_spec(&v, k.min(len), &PLAIN);
                        match plain_short(&v, k) {
                            Some((e, s)) => {
                                assert_eq!(e, end, "{v:?} from {k}");
                                assert_eq!(s.as_bytes(), &v[k..e]);
                                found += 1;
                            }
                            // Only a long run, or one near the end, is left.
                            None => assert!(end >= k + 64 || end + 16 > len, "{v:?} from {k}"),
                        }
                    }
                    if bad.is_none() {
                        break;
                    }
                }
            }
        }
        assert!(found > if cfg!(miri) { 100 } else { 10_000 }, "{found}");
    }

    /// The stop sweep (`simd::tests::stop_sweep`) over a 200-byte input
    /// (the 128-byte loop, the 32-byte steps and the tail) and every tail
    /// length, for both classes.
    #[test]
    fn every_level_stops_where_the_definition_does() {
        let edges = [
            0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, b'&', b'<', b']', b'>', 0x7F, 0x80,
            0xEE, 0xEF, 0xF0, 0xFF,
        ];
        let lens = [
            0, 1, 15, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128, 129, 150, 191, 192, 193,
        ];
        for class in [&TEXT, &PLAIN] {
            let spec = |input: &[u8], k| stop_spec(input, k, class);
            let kernel = |input: &[u8], k, level| stop_at(input, k, class, level);
            crate::simd::tests::stop_sweep(200, &lens, &edges, 5, spec, kernel);
        }
    }
}
