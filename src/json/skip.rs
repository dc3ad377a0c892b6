//! Skipping a whole value: `Full` (checked, with exact errors) and `Skim`
//! (brackets and strings only).

use super::lex::{after_key, blanks, literal, member_value, number, string};
use crate::config::{Settings, MAX_DEPTH};
use crate::scan::{self, fail, unexpected, PResult};
use crate::simd::V16;
use crate::ErrorKind;

/// Skips the value that starts at `start` (after whitespace), checking all of
/// it. `depth` containers are already open around it. Returns the offset after
/// the value.
///
/// The common case (a valid value at most 64 containers deep) takes
/// [`skip_valid`]; anything else is walked again from `start` by
/// [`skip_checked`], which finds and positions the error.
#[inline]
pub(crate) fn skip_full(
    input: &[u8],
    start: usize,
    depth: usize,
    settings: &Settings,
) -> PResult<usize> {
    let Settings {
        max_depth, strict, ..
    } = *settings;
    match skip_valid(input, start, depth, max_depth, strict) {
        Some(end) => Ok(end),
        None => skip_checked(input, start, depth, max_depth, strict),
    }
}

/// [`skip_full`] for a value that is valid: the offset after it, or `None`
/// at the first thing that is not plainly valid (any error, a trailing comma
/// when strict, more than 64 open containers). It accepts exactly what
/// [`skip_checked`] accepts, up to those cases, and ends at the same offset;
/// it just carries no error positions and keeps the kinds of the open
/// containers in one word.
#[inline(never)]
fn skip_valid(
    input: &[u8],
    mut i: usize,
    depth: usize,
    max_depth: usize,
    strict: bool,
) -> Option<usize> {
    // Bit `d` is set when the container at nesting `d` (0 = the value itself) is an array.
    let mut arrays = 0u64;
    let mut d = 0usize;
    // `skip_checked` fails with `DepthLimit` when `depth + d >= max_depth` at an opener.
    let room = max_depth.saturating_sub(depth).min(64);
    'value: loop {
        match *input.get(i)? {
            b'"' => i = string(input, i).ok()?.0 + 1,
            b'{' => {
                if d >= room {
                    return None;
                }
                arrays &= !(1u64 << d);
                d += 1;
                i = blanks(input, i + 1);
                match *input.get(i)? {
                    b'"' => {
                        i = key_value(input, i)?;
                        continue 'value;
                    }
                    b'}' => {
                        d -= 1;
                        i += 1;
                    }
                    _ => return None,
                }
            }
            b'[' => {
                if d >= room {
                    return None;
                }
                arrays |= 1u64 << d;
                d += 1;
                i = blanks(input, i + 1);
                if input.get(i) != Some(&b']') {
                    continue 'value;
                }
                d -= 1;
                i += 1;
            }
            b'-' | b'0'..=b'9' => i = number(input, i).ok()?,
            b't' => i = literal(input, i, b"true").ok()?,
            b'f' => i = literal(input, i, b"false").ok()?,
            b'n' => i = literal(input, i, b"null").ok()?,
            _ => return None,
        }
        // A value ended at `i`: close containers until a comma starts the next.
        loop {
            let Some(top) = d.checked_sub(1) else {
                return Some(i);
            };
            let array = arrays >> top & 1 != 0;
            i = blanks(input, i);
            match *input.get(i)? {
                b',' => {
                    i = blanks(input, i + 1);
                    match (array, *input.get(i)?) {
                        (false, b'"') => {
                            i = key_value(input, i)?;
                            continue 'value;
                        }
                        (true, b']') | (false, b'}') if !strict => {
                            d = top;
                            i += 1;
                        }
                        (true, b']') | (false, _) => return None,
                        (true, _) => continue 'value,
                    }
                }
                b']' if array => {
                    d = top;
                    i += 1;
                }
                b'}' if !array => {
                    d = top;
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

/// [`member_value`] for [`skip_valid`]: `None` at any error.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn key_value(input: &[u8], i: usize) -> Option<usize> {
    let end = string(input, i).ok()?.0;
    after_key(input, end).ok()
}

/// [`skip_full`] with exact errors.
///
/// Iterative: the kinds of the open containers are bits of a 256-bit stack,
/// so neither the heap nor the call stack grows with the document's depth.
#[cold]
#[inline(never)]
fn skip_checked(
    input: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
    strict: bool,
) -> PResult<usize> {
    let mut arrays = [0u64; MAX_DEPTH / 64];
    let mut d = 0usize;
    let mut i = start;
    let is_array = |arrays: &[u64; MAX_DEPTH / 64], d: usize| {
        arrays.get(d / 64).is_some_and(|w| w >> (d % 64) & 1 == 1)
    };
    loop {
        // A value starts at `i`.
        match input.get(i) {
            Some(&b @ (b'{' | b'[')) => {
                if depth + d >= max_depth {
                    return fail(ErrorKind::DepthLimit, i);
                }
                if let Some(w) = arrays.get_mut(d / 64) {
                    let bit = 1u64 << (d % 64);
                    *w = if b == b'[' { *w | bit } else { *w & !bit };
                }
                d += 1;
                i = scan::skip_ws(input, i + 1);
                match (b, input.get(i)) {
                    (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                        d -= 1;
                        i += 1;
                    }
                    (b'{', Some(b'"')) => {
                        i = member_value(input, i)?;
                        continue;
                    }
                    (_, None) => {
                        return fail(unclosed_kind(input, start, i), unclosed_at(input, start))
                    }
                    (b'{', Some(_)) => return unexpected("a string key or `}`", i),
                    _ => continue,
                }
            }
            Some(b'"') => i = string(input, i)?.0 + 1,
            Some(b't') => i = literal(input, i, b"true")?,
            Some(b'f') => i = literal(input, i, b"false")?,
            Some(b'n') => i = literal(input, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => i = number(input, i)?,
            None if d > 0 => {
                return fail(unclosed_kind(input, start, i), unclosed_at(input, start))
            }
            None => return fail(ErrorKind::UnexpectedEof, i),
            Some(_) => return unexpected("a value", i),
        }
        // A value ended at `i`: close containers until a comma starts the next.
        loop {
            if d == 0 {
                return Ok(i);
            }
            let array = is_array(&arrays, d - 1);
            i = scan::skip_ws(input, i);
            match input.get(i) {
                Some(b',') => {
                    let comma = i;
                    i = scan::skip_ws(input, i + 1);
                    match (array, input.get(i)) {
                        (true, Some(b']')) | (false, Some(b'}')) => {
                            if strict {
                                return fail(ErrorKind::TrailingComma, comma);
                            }
                            d -= 1;
                            i += 1;
                        }
                        (true, Some(_)) => break,
                        (false, Some(b'"')) => {
                            i = member_value(input, i)?;
                            break;
                        }
                        (_, None) => {
                            return fail(unclosed_kind(input, start, i), unclosed_at(input, start))
                        }
                        (false, Some(_)) => return unexpected("a string key", i),
                    }
                }
                Some(b']') if array => {
                    d -= 1;
                    i += 1;
                }
                Some(b'}') if !array => {
                    d -= 1;
                    i += 1;
                }
                None => return fail(unclosed_kind(input, start, i), unclosed_at(input, start)),
                Some(_) => {
                    let expected = if array { "`,` or `]`" } else { "`,` or `}`" };
                    return fail(ErrorKind::UnexpectedByte { expected }, i);
                }
            }
        }
    }
}

/// The bytes a `Skim` skip follows: quotes and brackets.
#[inline(always)]
pub(crate) fn structural(b: u8) -> bool {
    (b == b'"') | (b == b'{') | (b == b'}') | (b == b'[') | (b == b']')
}

/// [`structural`] on a block of 16 lanes. `b | 0x20` maps `[` and `]` onto `{` and `}`
/// and no other byte onto either.
#[inline(always)]
pub(crate) fn structural_mask(v: V16) -> V16 {
    let folded = v.or_bits(0x20);
    v.eq(b'"') | folded.eq(b'{') | folded.eq(b'}')
}

/// Quotes and backslashes on a block.
#[inline(always)]
fn quote_mask(v: V16) -> V16 {
    v.eq(b'"') | v.eq(b'\\')
}

/// `Skim` skip of the container at `start`, inside `depth` open containers:
/// follows brackets and strings only. Returns the offset after its closing
/// bracket. An input that ends inside it is an error at the innermost
/// container still open, as in `Full`.
///
/// Where the CPU has AVX2, brackets are counted 64 bytes at a time in the
/// block masks (`simd::skip`); whatever that cannot answer alone (an error,
/// a backslash outside strings) is answered by [`skim_bytes`], so the result
/// is always [`skim_bytes`]'s.
#[inline]
pub(crate) fn skim_container(
    input: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
) -> PResult<usize> {
    match crate::simd::skip::skim_end(input, start, max_depth.saturating_sub(depth)) {
        Some(end) => Ok(end),
        None => skim_bytes(input, start, depth, max_depth),
    }
}

/// [`skim_container`] byte by byte, 16 bytes at a time: the definition, and
/// the path of every level but AVX2.
pub(crate) fn skim_bytes(
    input: &[u8],
    start: usize,
    depth: usize,
    max_depth: usize,
) -> PResult<usize> {
    let mut d = 0usize;
    let mut k = start;
    loop {
        k = scan::find_class(input, k, structural_mask, structural);
        match input.get(k) {
            None => {
                let open = unclosed_at(input, start);
                let kind = if input.get(open) == Some(&b'[') {
                    ErrorKind::UnclosedArray
                } else {
                    ErrorKind::UnclosedObject
                };
                return fail(kind, open);
            }
            Some(b'"') => {
                let mut j = k + 1;
                loop {
                    j = scan::find_class(input, j, quote_mask, |b| (b == b'"') | (b == b'\\'));
                    match input.get(j) {
                        Some(b'"') => break,
                        Some(_) => j += 2,
                        None => return fail(ErrorKind::UnclosedString, k),
                    }
                }
                k = j + 1;
            }
            Some(b'{' | b'[') => {
                d += 1;
                if depth + d > max_depth {
                    return fail(ErrorKind::DepthLimit, k);
                }
                k += 1;
            }
            Some(_) => {
                d -= 1;
                k += 1;
                if d == 0 {
                    return Ok(k);
                }
            }
        }
    }
}

/// The input ended inside the value that starts at `start`: the innermost
/// container still open is where the error points. Cold: walks the value
/// again with a stack of opener offsets.
#[cold]
#[inline(never)]
fn unclosed_at(input: &[u8], start: usize) -> usize {
    let mut open = [0usize; MAX_DEPTH];
    let mut d = 0usize;
    let mut k = start;
    while let Some(&b) = input.get(k) {
        match b {
            b'"' => {
                let mut j = k + 1;
                loop {
                    match input.get(j) {
                        Some(b'"') => break,
                        Some(b'\\') => j += 2,
                        Some(_) => j += 1,
                        None => return k,
                    }
                }
                k = j;
            }
            b'{' | b'[' => {
                if let Some(slot) = open.get_mut(d) {
                    *slot = k;
                }
                d += 1;
            }
            b'}' | b']' => d = d.saturating_sub(1),
            _ => {}
        }
        k += 1;
    }
    d.checked_sub(1)
        .and_then(|d| open.get(d).copied())
        .unwrap_or(start)
}

/// The kind for an input that ends inside the value at `start`.
#[cold]
fn unclosed_kind(input: &[u8], start: usize, _end: usize) -> ErrorKind {
    let at = unclosed_at(input, start);
    match input.get(at) {
        Some(b'[') => ErrorKind::UnclosedArray,
        Some(b'"') => ErrorKind::UnclosedString,
        _ => ErrorKind::UnclosedObject,
    }
}
