//! Lexing: strings and their escapes, numbers, the literals, the `:` after a
//! key and the blanks between tokens.

use crate::scan::{self, fail, PResult};
use crate::simd::V16;
use crate::text::{hex4, Escape};
use crate::ErrorKind;

/// [`scan::skip_ws`] for the blanks between tokens of pretty-printed JSON: a
/// newline and spaces, tested 16 bytes at a time for those two bytes only.
/// A tab or CR among them (or the end of a short input) continues in
/// [`scan::skip_ws`], which tests all four.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(super) fn blanks(input: &[u8], mut i: usize) -> usize {
    match input.get(i..).and_then(<[u8]>::first_chunk::<2>) {
        Some(&[a, _]) if a > b' ' => return i,
        // One blank (`, ` or a newline between unindented lines) before a
        // token: no block, and the offset after it does not wait for one.
        Some(&[a, b]) if b > b' ' && (a == b' ' || a == b'\n') => return i + 1,
        Some(_) => {}
        // The last byte, or none.
        None => return blanks_rest(input, i),
    }
    while let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let v = V16::load(chunk);
        let stop = !(v.eq(b' ') | v.eq(b'\n')).bits() & 0xFFFF;
        if stop != 0 {
            let k = i + stop.trailing_zeros() as usize;
            return match input.get(k) {
                Some(&b) if b > b' ' => k,
                _ => blanks_rest(input, k),
            };
        }
        i += 16;
    }
    blanks_rest(input, i)
}

/// [`blanks`] from a byte that is no space or newline, or near the end.
#[inline(never)]
fn blanks_rest(input: &[u8], i: usize) -> usize {
    scan::skip_ws(input, i)
}

/// A member's key at `i` (its `"`) and the `:` after it. Returns the offset of
/// the member's value (after whitespace).
#[inline]
pub(super) fn member_value(input: &[u8], i: usize) -> PResult<usize> {
    let end = string(input, i)?.0;
    after_key(input, end)
}

/// The `:` after a key whose closing quote is at `end`. Returns the offset of
/// the member's value (after whitespace).
#[inline(always)]
pub(crate) fn after_key(input: &[u8], end: usize) -> PResult<usize> {
    // The usual spellings first: `"key": value` and `"key":value` (what the
    // general path below returns for them).
    if let Some(&[b':', b, v]) = input.get(end + 1..).and_then(<[u8]>::first_chunk::<3>) {
        if b > b' ' {
            return Ok(end + 2);
        }
        if b == b' ' && v > b' ' {
            return Ok(end + 3);
        }
    }
    // `"key" : value`, the spelling of some pretty-printers.
    if let Some(&[b' ', b':', b' ', v]) = input.get(end + 1..).and_then(<[u8]>::first_chunk::<4>) {
        if v > b' ' {
            return Ok(end + 4);
        }
    }
    let k = scan::skip_ws(input, end + 1);
    match input.get(k) {
        Some(b':') => Ok(scan::skip_ws(input, k + 1)),
        None => Ok(k),
        Some(_) => fail(ErrorKind::UnexpectedByte { expected: "`:`" }, k),
    }
}

/// A scalar value as the path layer and the typed view hand it out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scalar {
    pub kind: crate::text::Kind,
    /// The value's text: `start..end` of the input (a string's without its quotes).
    pub start: usize,
    pub end: usize,
    pub escape: Escape,
    /// The offset after the value.
    pub after: usize,
}

/// The string, number or literal at `i`, checked. `Ok(None)` when the byte
/// there starts none of them: a container, anything else, or the end of input.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn scalar(input: &[u8], i: usize) -> PResult<Option<Scalar>> {
    use crate::text::Kind;
    let plain = |kind, end| Scalar {
        kind,
        start: i,
        end,
        escape: Escape::None,
        after: end,
    };
    Ok(Some(match input.get(i) {
        Some(b'"') => {
            let (q, escaped) = string(input, i)?;
            let escape = if escaped { Escape::Json } else { Escape::None };
            Scalar {
                kind: Kind::String,
                start: i + 1,
                end: q,
                escape,
                after: q + 1,
            }
        }
        Some(b't') => plain(Kind::Bool, literal(input, i, b"true")?),
        Some(b'f') => plain(Kind::Bool, literal(input, i, b"false")?),
        Some(b'n') => plain(Kind::Null, literal(input, i, b"null")?),
        Some(b'-' | b'0'..=b'9') => plain(Kind::Number, number(input, i)?),
        _ => return Ok(None),
    }))
}

/// `true`, `false` or `null` at `i`. Returns the offset after it.
#[inline]
pub(crate) fn literal(input: &[u8], i: usize, word: &[u8]) -> PResult<usize> {
    let end = i + word.len();
    if input.get(i..end) != Some(word) {
        // Cut by the end of input (`tru`): more bytes might have made it valid.
        if input.get(i..).is_some_and(|rest| word.starts_with(rest)) {
            return fail(ErrorKind::UnexpectedEof, input.len());
        }
        return fail(ErrorKind::BadLiteral, i);
    }
    Ok(end)
}

/// The bytes a string scan stops at: its end, an escape, a raw control.
#[inline(always)]
const fn string_special(b: u8) -> bool {
    (b == b'"') | (b == b'\\') | (b < 0x20)
}

/// [`string_special`] on a block.
#[inline(always)]
fn string_mask(v: V16) -> V16 {
    v.eq(b'"') | v.eq(b'\\') | v.lt(0x20)
}

/// The string whose opening quote is at `i` (RFC 8259 §7). Returns the offset
/// of the closing quote and whether it holds escapes.
///
/// The common case (no escape before the closing quote) is inlined; escapes
/// and errors continue out of line.
#[inline(always)]
pub(crate) fn string(input: &[u8], i: usize) -> PResult<(usize, bool)> {
    // Most keys and many values end within the 16 bytes after the quote.
    let k = string_next(input, i + 1);
    match input.get(k) {
        Some(b'"') => Ok((k, false)),
        _ => string_slow(input, i, k),
    }
}

/// The first byte at or after `k` that ends a run of string contents: by the
/// block kernel at the AVX2 level (`simd::string`), else 16 bytes at a time
/// and `memchr` for long runs.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn string_run(input: &[u8], k: usize) -> usize {
    match crate::simd::string::stop(input, k) {
        Some(end) => end,
        None => scan::find_run(
            input,
            k,
            string_mask,
            string_special,
            |rest| memchr::memchr2(b'"', b'\\', rest),
            |_, span| scan::any_below(span, 0x20),
        ),
    }
}

/// [`string_run`] testing the first 32 bytes inline, 16 at a time (most
/// keys and many values end there, and the next escape is often close).
#[inline(always)]
fn string_next(input: &[u8], k: usize) -> usize {
    let block = |at: usize| {
        input
            .get(at..)
            .and_then(<[u8]>::first_chunk::<16>)
            .map(|chunk| string_mask(V16::load(chunk)).bits())
    };
    match block(k) {
        Some(0) => {}
        Some(m) => return k + m.trailing_zeros() as usize,
        None => return string_run(input, k),
    }
    match block(k + 16) {
        Some(0) => string_run(input, k + 32),
        Some(m) => k + 16 + m.trailing_zeros() as usize,
        None => string_run(input, k + 16),
    }
}

/// [`string`] from the first escape, control or end of input at `k`.
#[inline(never)]
fn string_slow(input: &[u8], i: usize, mut k: usize) -> PResult<(usize, bool)> {
    let mut escaped = false;
    loop {
        match input.get(k) {
            Some(b'"') => return Ok((k, escaped)),
            Some(b'\\') => {
                escaped = true;
                k = escape(input, i, k)?;
                // Escapes come in runs (`\u65e5\u672c`): the byte after
                // one is looked at before a block is searched.
                if input.get(k) == Some(&b'\\') {
                    continue;
                }
            }
            Some(_) => return fail(ErrorKind::ControlInString, k),
            None => return fail(ErrorKind::UnclosedString, i),
        }
        k = string_next(input, k);
    }
}

/// Bit `b` is set for each byte `b` that makes a one-letter escape after a
/// backslash: `"`, `\\`, `/`, `b`, `f`, `n`, `r`, `t`.
const SHORT_ESCAPES: u128 =
    1 << b'"' | 1 << b'\\' | 1 << b'/' | 1 << b'b' | 1 << b'f' | 1 << b'n' | 1 << b'r' | 1 << b't';

/// The escape at `k` inside the string opened at `open`. Returns the offset after it.
fn escape(input: &[u8], open: usize, k: usize) -> PResult<usize> {
    match input.get(k + 1) {
        // One bit test rather than a jump table on the letter, whose
        // indirect branch the letters of a text's escapes (`\n`, `\"`, `\\`)
        // keep mispredicting.
        Some(&b) if b < 128 && SHORT_ESCAPES >> b & 1 != 0 => Ok(k + 2),
        Some(b'u') => {
            // Four hex digits that cannot start a surrogate (the first is not
            // `d` or `D`): the usual case, without computing the value.
            if let Some(digits) = input.get(k + 2..).and_then(<[u8]>::first_chunk::<4>) {
                if plain_hex4(u32::from_le_bytes(*digits)) {
                    return Ok(k + 6);
                }
            }
            let Some(hi) = input.get(k + 2..k + 6).and_then(hex4) else {
                return match input.get(k + 2..) {
                    Some(rest) if rest.len() < 4 && rest.iter().all(u8::is_ascii_hexdigit) => {
                        fail(ErrorKind::UnclosedString, open)
                    }
                    _ => fail(ErrorKind::BadEscape, k),
                };
            };
            match hi {
                0xD800..=0xDBFF => {
                    let lo = (input.get(k + 6..k + 8) == Some(b"\\u"))
                        .then(|| input.get(k + 8..k + 12).and_then(hex4))
                        .flatten();
                    match lo {
                        Some(0xDC00..=0xDFFF) => Ok(k + 12),
                        // The low half is cut by the end of input.
                        _ if cut_escape(input.get(k + 6..).unwrap_or(&[])) => {
                            fail(ErrorKind::UnclosedString, open)
                        }
                        _ => fail(ErrorKind::BadSurrogate, k),
                    }
                }
                0xDC00..=0xDFFF => fail(ErrorKind::BadSurrogate, k),
                _ => Ok(k + 6),
            }
        }
        None => fail(ErrorKind::UnclosedString, open),
        Some(_) => fail(ErrorKind::BadEscape, k),
    }
}

/// Whether the four bytes of `w` (the first in its low byte) are hex digits,
/// the first not `d` or `D`: the digits of a `\u` escape that is no surrogate
/// half. One test on the word rather than four on the bytes.
#[inline(always)]
fn plain_hex4(w: u32) -> bool {
    const ONES: u32 = 0x0101_0101;
    const HIGH: u32 = 0x8080_8080;
    // The high bit of each byte of `x` in `lo..=hi`, for `x`'s bytes below
    // 0x80 (then no byte's sum carries into the next).
    let within = |x: u32, lo: u8, hi: u8| {
        x.wrapping_add((0x80 - u32::from(lo)) * ONES)
            & !x.wrapping_add((0x7f - u32::from(hi)) * ONES)
            & HIGH
    };
    let lower = w | 0x2020_2020;
    let hex = within(w, b'0', b'9') | within(lower, b'a', b'f');
    w & HIGH == 0 && hex == HIGH && lower & 0xff != u32::from(b'd')
}

/// Whether `rest`, all that is left of the input, is the start of a `\uXXXX`
/// escape cut short.
fn cut_escape(rest: &[u8]) -> bool {
    rest.len() < 6
        && rest.iter().enumerate().all(|(n, &b)| match n {
            0 => b == b'\\',
            1 => b == b'u',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The number at `i` (RFC 8259 §6). Returns the offset after it.
///
/// The usual shapes, `-?(0|[1-9][0-9]*)(.[0-9]+)?` followed by a byte that
/// cannot continue a number, are read inline; anything else (an exponent,
/// an error, the end of input) is read again from `i` by [`number_checked`].
#[inline(always)]
pub(crate) fn number(input: &[u8], i: usize) -> PResult<usize> {
    match input.get(i..).and_then(<[u8]>::first_chunk::<32>) {
        Some(block) => number_block(input, i, block),
        None => number_short(input, i),
    }
}

/// [`number`] where 32 bytes are left from `i` (`block`). The number's end
/// is the first byte after the first that is neither a digit nor a `.`, found
/// in one mask of the block: the next token's offset hangs on one chain of
/// vector and bit operations (no loop, no load of a byte found on the way).
/// The shape is checked beside that chain, by bits and predictable branches;
/// a shape it does not take (32 bytes or more, an exponent, an error) is
/// read again from `i` by [`number_checked`].
#[inline(always)]
fn number_block(input: &[u8], i: usize, block: &[u8; 32]) -> PResult<usize> {
    let (lo, hi) = block.split_at(16);
    let (lo, hi) = match (lo.first_chunk::<16>(), hi.first_chunk::<16>()) {
        (Some(lo), Some(hi)) => (V16::load(lo), V16::load(hi)),
        _ => return number_short(input, i),
    };
    let both = |f: fn(V16) -> V16| u64::from(f(lo).bits()) | u64::from(f(hi).bits()) << 16;
    // Bit `j` is set when byte `j` is neither a digit nor a `.` (and for
    // every `j` from 32 on, so the first stop is at most 32).
    let stops = !both(|v| v.range(b'0', b'9') | v.eq(b'.'));
    let end = (stops & !1).trailing_zeros() as usize;
    let dots = both(|v| v.eq(b'.')) & ((1u64 << end) - 1);
    let sign = usize::from(block[0] == b'-');
    let zero = block.get(sign) == Some(&b'0');
    // The integer part is `sign..int`: up to the dot, or the whole number.
    let int = (dots | 1u64 << end).trailing_zeros() as usize;
    let bad = (stops & 1 != 0) & (sign == 0) // no `-` or digit first
        | (int <= sign) // no integer digit
        | zero & (int > sign + 1) // a leading zero
        | (dots & dots.wrapping_sub(1) != 0) // two dots
        | (dots != 0) & (int + 1 == end) // no digit after the dot
        | (end >= 32);
    if bad {
        return number_checked(input, i);
    }
    // `end < 32`, and the byte there is neither a digit nor a `.`.
    match block.get(end) {
        Some(b'e' | b'E' | b'+' | b'-') | None => number_checked(input, i),
        Some(_) => Ok(i + end),
    }
}

/// [`number`] near the end of the input, byte by byte: the usual shapes
/// inline, the rest by [`number_checked`]. Also the pull reader's number:
/// there, [`number_block`]'s fixed cost per number was more than this loop
/// on documents of short numbers (random.json every event: 10% more time).
#[inline(always)]
pub(crate) fn number_short(input: &[u8], i: usize) -> PResult<usize> {
    let mut k = i + usize::from(input.get(i) == Some(&b'-'));
    match input.get(k) {
        Some(b'1'..=b'9') => k = digits(input, k + 1),
        Some(b'0') => k += 1,
        _ => return number_checked(input, i),
    }
    if input.get(k) == Some(&b'.') {
        let after = digits(input, k + 1);
        if after == k + 1 {
            return number_checked(input, i);
        }
        k = after;
    }
    match input.get(k) {
        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') => number_checked(input, i),
        _ => Ok(k),
    }
}

/// [`number`] in full, with its errors.
#[inline(never)]
fn number_checked(input: &[u8], i: usize) -> PResult<usize> {
    number_by(input, i, digits)
}

/// The number grammar, with `digits` (the end of a run of digits from an
/// offset) as the one step that may vary: [`digits`] here, a byte loop in
/// the tests that check the fast paths against this definition.
#[inline(always)]
pub(super) fn number_by(
    input: &[u8],
    i: usize,
    digits: impl Fn(&[u8], usize) -> usize,
) -> PResult<usize> {
    let digit = |k: usize| input.get(k).is_some_and(u8::is_ascii_digit);
    let digits = |k: usize| digits(input, k);
    // A digit is missing at `k`: the number is cut by the end of input
    // (`-`, `1.`, `1e+`) or malformed.
    let missing = |k: usize| {
        let kind = if k >= input.len() {
            ErrorKind::UnexpectedEof
        } else {
            ErrorKind::BadNumber
        };
        fail(kind, if k >= input.len() { input.len() } else { i })
    };
    let mut k = i;
    if input.get(k) == Some(&b'-') {
        k += 1;
    }
    match input.get(k) {
        Some(b'0') => k += 1,
        Some(b'1'..=b'9') => k = digits(k + 1),
        _ => return missing(k),
    }
    if input.get(k) == Some(&b'.') {
        if !digit(k + 1) {
            return missing(k + 1);
        }
        k = digits(k + 1);
    }
    if matches!(input.get(k), Some(b'e' | b'E')) {
        k += 1;
        if matches!(input.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if !digit(k) {
            return missing(k);
        }
        k = digits(k);
    }
    if matches!(
        input.get(k),
        Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
    ) {
        return fail(ErrorKind::BadNumber, i);
    }
    Ok(k)
}

/// The first byte at or after `k` that is not an ASCII digit (or the end of
/// input): eight bytes a step while eight are left.
///
/// In a word `t` of the bytes xor `0x30`, a digit is a byte from 0 to 9. Adding
/// `0x76` to each byte sets its high bit exactly when it is at least `0x0A` (up
/// to `0x89`); bytes from `0x80` have it set already, so `(t + 0x76..) | t`
/// flags every byte that is no digit. A byte from `0x8A` carries into the
/// next byte up, which may flag a digit there, but only above a byte already
/// flagged: the lowest flag is always the first byte that is no digit.
#[inline(always)]
fn digits(input: &[u8], mut k: usize) -> usize {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const TO_HIGH: u64 = 0x7676_7676_7676_7676;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(w) = scan::word_at(input, k) {
        let t = w ^ ZEROS;
        let stop = (t.wrapping_add(TO_HIGH) | t) & HIGH;
        if stop != 0 {
            return k + (stop.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    while input.get(k).is_some_and(u8::is_ascii_digit) {
        k += 1;
    }
    k
}

/// The masks of one 64-byte window that [`number_items`] reads: bit `j` is
/// byte `j`.
struct NumberMasks {
    digit: u64,
    dot: u64,
    minus: u64,
    comma: u64,
    /// Bytes up to a space: the blanks, and the control bytes.
    low: u64,
}

impl NumberMasks {
    #[inline(always)]
    fn new(window: &[u8; 64]) -> Self {
        Self {
            digit: window_mask(window, |v| v.range(b'0', b'9')),
            dot: window_mask(window, |v| v.eq(b'.')),
            minus: window_mask(window, |v| v.eq(b'-')),
            comma: window_mask(window, |v| v.eq(b',')),
            low: window_mask(window, |v| v.lt(b' ' + 1)),
        }
    }
}

/// One mask of a 64-byte window, for the masks [`number_items`] needs only
/// where some bytes call for them (blanks, zeros).
#[inline(always)]
fn window_mask(window: &[u8; 64], class: impl Fn(V16) -> V16) -> u64 {
    let mut mask = 0;
    let mut shift = 0;
    for chunk in window.chunks_exact(16) {
        let Some(chunk) = chunk.first_chunk::<16>() else {
            break;
        };
        mask |= u64::from(class(V16::load(chunk)).bits()) << shift;
        shift += 16;
    }
    mask
}

/// The first byte that is not in `blank` from each bit of `from` (each bit
/// either not in `blank` or the first of a run of `blank` bits). The runs
/// crossed must end below bit 63.
#[inline(always)]
fn past_blanks(from: u64, blank: u64) -> u64 {
    (blank.wrapping_add(from & blank) & !blank) | (from & !blank)
}

/// Items of an array that are plain numbers, read a 64-byte window at a time.
/// `i` is the start of an item. Returns the offset of the first item after
/// the ones taken and how many were taken, or `None` when none is.
///
/// The items taken are those from `i` up to the last item in the window
/// that starts with a digit or `-` before the first byte that is neither in
/// a number nor a separator (an exponent, a bracket, a quote, a control
/// byte): all of them or none. All are taken when each is a plain number,
/// `-?(0|[1-9][0-9]*)(.[0-9]+)?`, followed by blanks, a comma and blanks:
/// exactly what [`number`] and the blanks, the comma and the blanks after
/// it would read, item after item, without an error, ending at the same
/// offset. Otherwise the caller reads the items one by one, and finds and
/// places any error. The window is validated as a whole, by bit operations
/// on its masks, without a branch per item.
#[inline]
pub(crate) fn number_items(input: &[u8], i: usize) -> Option<(usize, usize)> {
    let window = input.get(i..)?.first_chunk::<64>()?;
    let NumberMasks {
        digit,
        dot,
        minus,
        comma,
        low,
    } = NumberMasks::new(window);
    // Blanks only where some byte is up to a space (none in a compact array).
    let blank = if low == 0 {
        0
    } else {
        window_mask(window, |v| {
            v.eq(b' ') | v.eq(b'\n') | v.eq(b'\r') | v.eq(b'\t')
        })
    };
    let num = digit | dot | minus;
    // Up to the first byte that is neither in a number nor a separator.
    let other = !(num | comma | blank);
    let valid = match other.trailing_zeros() {
        64 => u64::MAX,
        k => (1u64 << k) - 1,
    };
    let starts = num & !(num << 1) & valid;
    // The item the run stops at starts with what starts a number.
    let later = starts & (digit | minus) & !1;
    if starts & 1 == 0 || later == 0 {
        return None;
    }
    // The last such item start in the window: every run of number bytes
    // below it is whole, and followed by a separator.
    let cut = 63 - later.leading_zeros();
    let inside = (1u64 << cut) - 1;
    let (dot, minus, comma) = (dot & inside, minus & inside, comma & inside);
    let ends = num & !(num >> 1) & inside;
    let first = (starts & inside & !minus) | minus << 1;
    // The fraction digits end at a byte that is neither a digit, a `.` nor
    // a `-` (the carry of the addition runs through each fraction's digits).
    let fraction_end = digit.wrapping_add(dot << 1) & !digit;
    // A leading zero is one in front of another digit: its mask only where
    // an integer part has two digits or more.
    let long = first << 1 & digit;
    let zeros = if long == 0 {
        0
    } else {
        long & window_mask(window, |v| v.eq(b'0')) << 1
    };
    let bad = (minus & !starts) // a `-` inside a number
        | (minus << 1 & !digit) // no digit after a `-`
        | (dot & !(digit << 1)) // no digit before a `.`
        | (dot << 1 & !digit) // no digit after a `.`
        | (fraction_end & (dot | minus) & inside) // a second `.`, or a `-`
        | zeros // a leading zero
        | (past_blanks(ends << 1, blank) & !comma) // no comma after a number
        | (past_blanks(comma << 1, blank) & !num); // no number after a comma
    if bad != 0 {
        return None;
    }
    Some((i + cut as usize, (starts & inside).count_ones() as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_hex4_is_four_hex_digits_not_starting_a_surrogate() {
        let by_bytes = |b: [u8; 4]| b.iter().all(u8::is_ascii_hexdigit) && b[0] | 0x20 != b'd';
        // Every digit, the bytes next to each range, and bytes whose sums
        // would carry.
        let edges = b"09afAFdDcCeE/:@G`g \x00\x10\x19\x7f\x80\xb0\xff";
        for a in edges {
            for b in edges {
                for c in edges {
                    for d in edges {
                        let w = [*a, *b, *c, *d];
                        assert_eq!(plain_hex4(u32::from_le_bytes(w)), by_bytes(w), "{w:?}");
                    }
                }
            }
        }
        for at in 0..4 {
            for v in 0..=255 {
                for base in [*b"0000", *b"fFaA", *b"9e9E", *b"c0de"] {
                    let mut w = base;
                    w[at] = v;
                    assert_eq!(plain_hex4(u32::from_le_bytes(w)), by_bytes(w), "{w:?}");
                }
            }
        }
    }

    #[test]
    fn runs_of_escapes_end_where_the_string_ends_and_fail_where_they_go_wrong() {
        let good: [&[u8]; 7] = [
            b"\\u65e5",
            b"\\n",
            b"\\uD834\\uDD1E",
            b"\\\\",
            b"text",
            b"\\u00E9",
            b"\\\"",
        ];
        for a in good {
            for b in good {
                for c in good {
                    let body = [a, b, c].concat();
                    let doc = [b"\"".as_slice(), &body, b"\"x"].concat();
                    let escaped = body.contains(&b'\\');
                    assert_eq!(
                        string(&doc, 0).ok(),
                        Some((doc.len() - 2, escaped)),
                        "{doc:?}"
                    );
                    // Cut short anywhere: the string is unclosed.
                    for cut in 1..doc.len() - 1 {
                        let err = string(&doc[..cut], 0).map_err(|e| e.kind());
                        assert_eq!(err, Err(ErrorKind::UnclosedString), "{:?}", &doc[..cut]);
                    }
                    // A bad escape after the run fails at its backslash.
                    for bad in [b"\\x".as_slice(), b"\\u12g4", b"\\udc00", b"\\ud800\\n"] {
                        let doc = [b"\"".as_slice(), &body, bad, b"\""].concat();
                        let err = string(&doc, 0).map_err(|e| (e.kind(), e.at()));
                        let kind = match bad.get(2) {
                            Some(b'd') => ErrorKind::BadSurrogate,
                            _ => ErrorKind::BadEscape,
                        };
                        assert_eq!(err, Err((kind, 1 + body.len())), "{doc:?}");
                    }
                }
            }
        }
    }
}
