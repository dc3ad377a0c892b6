//! Lexing: names (XML 1.0 §2.3) and their comparison, runs of character
//! data, references, and the checks of single characters.

use super::reader::Reader;
use crate::scan::{self, fail, is_ws, word_in, PResult};
use crate::simd::V16;
use crate::text::char_ref;
use crate::ErrorKind;

// ---- name characters (XML 1.0 fifth edition, §2.3) ------------------------

const fn ascii_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() | (b == b'_') | (b == b':')
}
const fn ascii_name_char(b: u8) -> bool {
    ascii_name_start(b) | b.is_ascii_digit() | (b == b'-') | (b == b'.')
}
// Const evaluation: an index out of bounds would fail the build, not panic at run time.
#[allow(clippy::indexing_slicing)]
static NAME_START: scan::Table = scan::byte_table!(ascii_name_start);
// Const evaluation: an index out of bounds would fail the build, not panic at run time.
#[allow(clippy::indexing_slicing)]
static NAME_CHAR: scan::Table = scan::byte_table!(ascii_name_char);

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// End of the name starting at `i`, or `BadName` at `i` when there is none.
/// ASCII goes through the tables; anything else through the ranges of §2.3.
#[inline(always)]
pub(super) fn scan_name(input: &[u8], i: usize) -> PResult<usize> {
    let k = match input.get(i) {
        Some(&b) if scan::is(&NAME_START, b) => i + 1,
        Some(&b) if b >= 0x80 => match scan::char_at(input, i) {
            Some((c, n)) if is_name_start_char(c) => i + n,
            Some(_) => return fail(ErrorKind::BadName, i),
            None => return fail(ErrorKind::InvalidUtf8, i),
        },
        _ => return fail(ErrorKind::BadName, i),
    };
    name_rest(input, k)
}

/// [`scan_name`] from `k`, inside a name whose bytes before `k` are checked.
#[inline(always)]
pub(super) fn name_rest(input: &[u8], mut k: usize) -> PResult<usize> {
    loop {
        // ASCII name characters 16 at a time, then the last few one by one.
        loop {
            let Some(Ok(chunk)) = input.get(k..k.wrapping_add(16)).map(<&[u8; 16]>::try_from)
            else {
                while input.get(k).is_some_and(|&b| scan::is(&NAME_CHAR, b)) {
                    k += 1;
                }
                break;
            };
            let stop = non_name_bits(V16::load(chunk));
            if stop != 0 {
                k += stop.trailing_zeros() as usize;
                break;
            }
            k += 16;
        }
        match input.get(k) {
            Some(&b) if b >= 0x80 => match scan::char_at(input, k) {
                Some((c, n)) if is_name_char(c) => k += n,
                Some(_) => return Ok(k),
                None => return fail(ErrorKind::InvalidUtf8, k),
            },
            _ => return Ok(k),
        }
    }
}

/// Bit `j` set when byte `j` of the block is not an ASCII name character
/// (`NAME_CHAR`): letters (folded to lower case), `-` `.` digits `:` (0x2D to
/// 0x3A but `/`) and `_`. Bytes from 0x80 are always set.
#[inline(always)]
pub(super) fn non_name_bits(v: V16) -> u32 {
    let name = v.or_bits(0x20).range(b'a', b'z') | v.range(b'-', b':') | v.eq(b'_');
    (!name.bits() | v.eq(b'/').bits()) & 0xFFFF
}

/// [`scan::find_run`] (16 bytes at a time over the first 64, then `long`,
/// a `memchr`) for the bytes `mask`/`tail` mark, as an `Option`: skipped
/// content is mostly short, where a `memchr` call costs more than it saves.
#[inline(always)]
pub(super) fn find_short(
    input: &[u8],
    k: usize,
    mask: impl Fn(V16) -> V16 + Copy,
    tail: impl Fn(u8) -> bool + Copy,
    long: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let at = scan::find_run(input, k, mask, tail, long, |_, _| false);
    (at < input.len()).then_some(at)
}

/// The first `c` at or after `k`.
#[inline(always)]
pub(crate) fn find_byte(input: &[u8], k: usize, c: u8) -> Option<usize> {
    find_short(
        input,
        k,
        |v: V16| v.eq(c),
        |b| b == c,
        |rest| memchr::memchr(c, rest),
    )
}

/// Whether `b`, the byte after a tag's name (`None` at the end of input),
/// ends the name there: whitespace, `>` or `/`. Used to compare an end tag
/// with its start tag, and by the typed view's walk over checked tags.
#[inline]
pub(crate) fn ends_name(b: Option<&u8>) -> bool {
    match b {
        None => true,
        Some(&b) => is_ws(b) || b == b'>' || b == b'/',
    }
}

/// Bytes that the content scanner must look at: markup, references, a
/// possible `]]>`, `\r` (which makes the text need decoding), C0 controls
/// other than tab and newline (illegal), and `EF` (a possible U+FFFE/U+FFFF).
/// One definition with the SIMD kernel's (`simd::text`).
use crate::simd::text::special as text_special;
/// [`text_special`] on a block.
#[inline(always)]
fn text_mask(v: V16) -> V16 {
    // C0 controls but tab (09) and newline (0A): below 09, or from 0B to 1F.
    let controls = v.lt(0x09) | v.range(0x0B, 0x1F);
    v.eq(b'<') | v.eq(b'&') | v.eq(b']') | v.eq(0xEF) | controls
}

/// The delimiter search of long text: the next `<`, reference or `]`.
#[inline(always)]
fn text_next(rest: &[u8]) -> Option<usize> {
    memchr::memchr3(b'<', b'&', b']', rest)
}

/// `U+FFFE` and `U+FFFF` are UTF-8 `EF BF BE` and `EF BF BF`: not XML `Char`s.
#[inline]
fn check_ef(input: &[u8], k: usize) -> PResult<()> {
    match input.get(k + 1..k + 3) {
        Some([0xBF, 0xBE | 0xBF]) => fail(ErrorKind::IllegalChar, k),
        _ => Ok(()),
    }
}

/// Checks `input[k]`, a byte below 0x20 or 0xEF found by a scanner. Returns
/// whether it is a `\r` (which makes the text need decoding).
#[inline]
pub(super) fn check_other(input: &[u8], k: usize, b: u8) -> PResult<bool> {
    match b {
        b'\r' => Ok(true),
        b'\n' | b'\t' => Ok(false),
        0xEF => check_ef(input, k).map(|()| false),
        _ => fail(ErrorKind::IllegalChar, k),
    }
}

/// Whether `input[a..a + len]` and `input[b..b + len]` are there and equal.
#[inline(always)]
pub(super) fn same_at(input: &[u8], a: usize, b: usize, len: usize) -> bool {
    match (word_in(input, a), word_in(input, b)) {
        // Short names (most): one masked compare of two words.
        (Some(x), Some(y)) if len <= 8 => {
            let keep = if len >= 8 {
                u64::MAX
            } else {
                (1u64 << (len * 8)) - 1
            };
            (x ^ y) & keep == 0
        }
        _ => same(input.get(a..a + len), input.get(b..b + len)),
    }
}

/// Whether two names are equal: eight bytes at a time, no call into `memcmp`
/// for the short names of callbacks.
#[inline(always)]
fn same(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    if a.len() != b.len() {
        return false;
    }
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        if x != y {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// `&lt;`, `&gt;`, `&amp;`, `&apos;` and `&quot;` as little-endian words.
const LT: u64 = word(b"&lt;");
const GT: u64 = word(b"&gt;");
const AMP: u64 = word(b"&amp;");
const APOS: u64 = word(b"&apos;");
const QUOT: u64 = word(b"&quot;");

/// Up to eight bytes as a little-endian word, zero-padded.
const fn word(bytes: &[u8]) -> u64 {
    let mut w = 0u64;
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        // Const evaluation: an index out of bounds would fail the build.
        #[allow(clippy::indexing_slicing)]
        let b = bytes[i];
        w = w << 8 | b as u64;
    }
    w
}

/// A reference at `k` (a `&`), checked. Returns the offset after its `;`.
#[inline]
///
/// A reference cut by the end of input is `UnexpectedEof`, which the caller
/// turns into the end-of-input kind of the construct around it.
pub(super) fn reference(input: &[u8], k: usize) -> PResult<usize> {
    // The five predefined entities, each from one word: no name scan.
    if let Some(w) = word_in(input, k) {
        let four = w & 0xFFFF_FFFF;
        if four == LT || four == GT {
            return Ok(k + 4);
        }
        if w & 0xFF_FFFF_FFFF == AMP {
            return Ok(k + 5);
        }
        let six = w & 0xFFFF_FFFF_FFFF;
        if six == APOS || six == QUOT {
            return Ok(k + 6);
        }
    }
    if input.get(k + 1).is_none() {
        return fail(ErrorKind::UnexpectedEof, input.len());
    }
    if input.get(k + 1) == Some(&b'#') {
        let (radix, d0) = if input.get(k + 2) == Some(&b'x') {
            (16, k + 3)
        } else {
            (10, k + 2)
        };
        let mut d1 = d0;
        while input.get(d1).is_some_and(|&b| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        }) {
            d1 += 1;
        }
        if d1 == input.len() {
            return fail(ErrorKind::UnexpectedEof, input.len());
        }
        if d1 == d0 || input.get(d1) != Some(&b';') {
            return fail(ErrorKind::BadCharRef, k);
        }
        return match char_ref(input.get(d0..d1).unwrap_or(&[]), radix) {
            Some(_) => Ok(d1 + 1),
            None => fail(ErrorKind::BadCharRef, k),
        };
    }
    let Ok(name_end) = scan_name(input, k + 1) else {
        return fail(ErrorKind::BadEntityRef, k);
    };
    if name_end == input.len() {
        return fail(ErrorKind::UnexpectedEof, input.len());
    }
    if input.get(name_end) != Some(&b';') {
        return fail(ErrorKind::BadEntityRef, k);
    }
    match input.get(k + 1..name_end) {
        Some(b"lt" | b"gt" | b"amp" | b"apos" | b"quot") => Ok(name_end + 1),
        _ => fail(ErrorKind::UnknownEntity, k),
    }
}

impl<'buf> Reader<'buf> {
    /// Character data from `i` up to the next `<` (or the end of input).
    #[inline(always)]
    pub(super) fn text(&self, i: usize) -> PResult<(usize, bool)> {
        let input = self.input;
        // Indentation between tags: newline, tabs and spaces up to the next
        // `<`. (`\r` is left to the general loop: it makes text need decoding.)
        let k = scan::skip_ws_lf(input, i);
        if input.get(k) == Some(&b'<') {
            return Ok((k, false));
        }
        self.text_on(k)
    }

    /// [`text`](Self::text) from `k`, past any indentation that ends at a `<`.
    #[inline(always)]
    pub(super) fn text_on(&self, k: usize) -> PResult<(usize, bool)> {
        let input = self.input;
        // `text_from`, with the error mapped on the out-of-line path only.
        let dense = core::cell::Cell::new(0);
        let k = find_text(input, k, self.ascii, &dense);
        match input.get(k) {
            None | Some(b'<') => Ok((k, false)),
            Some(_) => text_rest(input, k, self.ascii, dense.get()).map_err(|f| self.cut(f)),
        }
    }
}

/// What [`short_text`] read.
pub(super) enum Short {
    /// The text ends here, at a `<`; `true` when a `/` follows it.
    Ends(usize, bool),
    /// The 16 bytes from the start are text that needs no decoding, and it
    /// goes on from here.
    From(usize),
}

/// Character data from `i` that ends in the 16 bytes at `i`, at a `<`, with
/// no byte before it that [`text_mask`] marks (most values of a callback,
/// and the indentation before a tag): where it ends, and whether a `/`
/// follows that `<` (an end tag). The `<` and the `/` come from the block's
/// masks, with no load at the text's end. When no byte of the block is
/// marked, where the text goes on ([`Reader::text_on`] reads on from
/// there). `None` for anything else, which [`Reader::text`] reads: it gives
/// the same end for this text, which needs no decoding.
#[inline(always)]
pub(super) fn short_text(input: &[u8], i: usize) -> Option<Short> {
    let chunk = scan::block_at(input, i)?;
    let v = V16::load(chunk);
    let stops = text_mask(v).bits();
    if stops == 0 {
        return Some(Short::From(i + 16));
    }
    let t = stops.trailing_zeros();
    if (v.eq(b'<').bits() >> t) & 1 == 0 {
        return None;
    }
    let end = i + t as usize;
    let slash = match t {
        0..=14 => (v.eq(b'/').bits() >> (t + 1)) & 1 != 0,
        _ => input.get(end + 1) == Some(&b'/'),
    };
    Some(Short::Ends(end, slash))
}

/// Character data from `k` up to the next `<` (or the end of input),
/// checked: references, `]]>`, the characters that are not `Char`s. Returns
/// where it ends and whether it needs decoding (a reference or a `\r`).
/// `input[..ascii]` is known to be ASCII (0 when nothing is known), so no
/// `EF` is looked for there. The reader's text, and the check of a value
/// that `Skim` extraction returns (no reader there). An end of input inside
/// a reference is `UnexpectedEof`, which the reader turns into the element
/// left open.
#[inline(always)]
pub(crate) fn text_from(input: &[u8], k: usize, ascii: usize) -> PResult<(usize, bool)> {
    // The end of the last long span that held a rare byte (see `text_rest`).
    let dense = core::cell::Cell::new(0);
    let k = find_text(input, k, ascii, &dense);
    match input.get(k) {
        None | Some(b'<') => Ok((k, false)),
        Some(_) => text_rest(input, k, ascii, dense.get()),
    }
}

/// The first byte of text at or after `k` that [`text_special`] marks
/// ([`scan::find_run`]). Long text is searched by the SIMD kernel of
/// `simd::text` where the level has one (it stops at exactly these bytes).
/// Elsewhere it is searched with [`text_next`], then the span before the
/// hit is checked for the rare bytes: a control other than tab and newline,
/// or an `EF` (a possible U+FFFE or U+FFFF) past the ASCII prefix
/// `input[..ascii]`. A span that has one ends in `dense`.
#[inline(always)]
fn find_text(input: &[u8], k: usize, ascii: usize, dense: &core::cell::Cell<usize>) -> usize {
    // Whether the kernel gave the end (then the span holds no rare byte).
    let exact = core::cell::Cell::new(false);
    let next = |rest: &[u8]| match crate::simd::text::stop(rest, 0, &crate::simd::text::TEXT) {
        Some(at) => {
            exact.set(true);
            (at < rest.len()).then_some(at)
        }
        None => text_next(rest),
    };
    let rare = |at: usize, span: &[u8]| {
        if exact.get() {
            return false;
        }
        let hit = scan::any_control_but_tab_lf(span)
            || (at + span.len() > ascii && memchr::memchr(0xEF, span).is_some());
        if hit {
            dense.set(at + span.len());
        }
        hit
    };
    scan::find_run(input, k, text_mask, text_special, next, rare)
}

/// [`text_from`] from the first byte at `k` that is not `<`: a reference,
/// `]`, `EF` or a control. `dense` is where the long span that held a rare
/// byte ends (0 if none): the rest of such a span is walked block by block,
/// not searched again with `memchr3` and the span check, which would be
/// quadratic when rare bytes (CR line ends, say) are spaced more than the
/// short run apart. Out of line: most text has none of these bytes.
#[inline(never)]
fn text_rest(input: &[u8], mut k: usize, ascii: usize, dense: usize) -> PResult<(usize, bool)> {
    let dense = core::cell::Cell::new(dense);
    let mut escaped = false;
    loop {
        match input.get(k) {
            None | Some(b'<') => return Ok((k, escaped)),
            Some(b'&') => {
                k = reference(input, k)?;
                escaped = true;
            }
            Some(b']') => {
                if input.get(k..k + 3) == Some(b"]]>") {
                    return fail(ErrorKind::CdataEndInText, k);
                }
                k += 1;
            }
            Some(&b) => {
                escaped |= check_other(input, k, b)?;
                k += 1;
            }
        }
        k = if k < dense.get() {
            scan::find_class(input, k, text_mask, text_special)
        } else {
            find_text(input, k, ascii, &dense)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text of every length up to 300 (short blocks, the long search, the
    /// kernel's 128- and 32-byte steps and its tail) with one byte the
    /// scanner must stop at placed at the start, a third of the way and the
    /// end: the run ends, fails or needs decoding exactly there, with and
    /// without a known ASCII prefix.
    #[test]
    fn text_stops_at_the_first_special_byte_wherever_it_is() {
        let cases: [(&[u8], Result<bool, ErrorKind>); 7] = [
            (b"<", Ok(false)),
            (b"&amp;", Ok(true)),
            (b"&x", Err(ErrorKind::BadEntityRef)),
            (b"\r", Ok(true)),
            (b"]]>", Err(ErrorKind::CdataEndInText)),
            (b"\x01", Err(ErrorKind::IllegalChar)),
            ("\u{FFFF}".as_bytes(), Err(ErrorKind::IllegalChar)),
        ];
        let mut input = alloc::vec::Vec::new();
        for len in (0..300usize).step_by(if cfg!(miri) { 41 } else { 1 }) {
            for at in [0, len / 3, len.saturating_sub(1)] {
                for (bytes, want) in &cases {
                    input.clear();
                    input.resize(len, b'a');
                    input.splice(at..at, bytes.iter().copied());
                    input.extend_from_slice(b"tail text<");
                    let lt = input.len() - 1;
                    for ascii in [0, at] {
                        let got = text_from(&input, 0, ascii);
                        let want = match *want {
                            Ok(_) if bytes == b"<" => Ok((at, false)),
                            Ok(escaped) => Ok((lt, escaped)),
                            Err(kind) => fail(kind, at),
                        };
                        assert_eq!(got, want, "{len} bytes, {bytes:?} at {at}, ascii {ascii}");
                    }
                }
            }
        }
    }

    /// The predefined entities are read from one word when eight bytes are
    /// left, and by name when fewer are: the same answers either way, and
    /// near misses (cut, a byte changed, no `;`) are refused as before.
    #[test]
    fn predefined_entities_with_any_number_of_bytes_after_them() {
        for entity in ["&lt;", "&gt;", "&amp;", "&apos;", "&quot;"] {
            for pad in 0..10 {
                let mut input = alloc::vec::Vec::from(entity.as_bytes());
                input.resize(entity.len() + pad, b'<');
                assert_eq!(reference(&input, 0), Ok(entity.len()), "{entity} +{pad}");
                // Cut before its `;`.
                for cut in 2..entity.len() {
                    let mut input = alloc::vec::Vec::from(&entity.as_bytes()[..cut]);
                    input.resize(cut + pad, b'<');
                    let got = reference(&input, 0).map_err(|f| f.kind());
                    let want = if pad == 0 {
                        ErrorKind::UnexpectedEof
                    } else {
                        ErrorKind::BadEntityRef
                    };
                    assert_eq!(got, Err(want), "{:?}", input);
                }
                // One byte of the name changed.
                for at in 1..entity.len() - 1 {
                    let mut input = input.clone();
                    input[at] = b'x';
                    assert_eq!(
                        reference(&input, 0).map_err(|f| f.kind()),
                        Err(ErrorKind::UnknownEntity),
                        "{:?}",
                        input
                    );
                }
            }
        }
    }

    #[test]
    fn name_block_agrees_with_the_table_in_every_lane() {
        for lane in 0..16 {
            for b in 0..=255u8 {
                for fill in [0u8, b'a', b'/', 0x7F, 0x80, 0xFF] {
                    let mut block = [fill; 16];
                    block[lane] = b;
                    let stop = non_name_bits(V16::load(&block));
                    for (l, &byte) in block.iter().enumerate() {
                        assert_eq!(stop >> l & 1 == 0, ascii_name_char(byte), "{block:?}");
                    }
                    assert_eq!(stop >> 16, 0);
                }
            }
        }
    }
}
