//! Byte-level helpers shared by both readers: byte classes, whitespace, the
//! chunked "find the next byte that needs attention" loop, UTF-8 decoding of
//! single characters.
//!
//! # The chunked search
//! Text runs on callbacks are short (indentation, ids) or long (`UserData`,
//! media info). [`find`] handles both without `unsafe`: it tests 16 bytes at a
//! time with a branch-free predicate that LLVM turns into SSE2 compares on the
//! baseline x86-64 target, and only walks byte by byte inside the first chunk
//! that holds a candidate. Calling `memchr` once per short token costs more
//! than it saves (its setup dominates on 5–20 byte runs), so `memchr` is used
//! for the long searches with a single needle (comment and CDATA ends, skips).

use crate::ErrorKind;

/// An error found inside the crate, before it is positioned with line and
/// column at the public boundary (see [`crate::Error::at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail {
    pub kind: ErrorKind,
    pub at: usize,
}

/// Result type of the internal scanners.
pub(crate) type PResult<T> = Result<T, Fail>;

/// Builds an internal failure. Cold: errors are rare.
#[cold]
#[inline(never)]
pub(crate) fn fail<T>(kind: ErrorKind, at: usize) -> PResult<T> {
    Err(Fail { kind, at })
}

/// XML `S` and JSON whitespace are the same four bytes.
#[inline(always)]
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Index of the first non-whitespace byte at or after `i` (or `bytes.len()`).
#[inline(always)]
pub(crate) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        if !is_ws(b) {
            break;
        }
        i += 1;
    }
    i
}

/// Index of the first byte at or after `i` for which `special` holds, or
/// `bytes.len()`. See the module docs for why it is chunked.
#[inline(always)]
pub(crate) fn find(bytes: &[u8], mut i: usize, special: impl Fn(u8) -> bool + Copy) -> usize {
    while let Some(chunk) = bytes.get(i..i.wrapping_add(16)) {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            break;
        };
        let mut any = false;
        for &b in chunk {
            any |= special(b);
        }
        if any {
            break;
        }
        i += 16;
    }
    while let Some(&b) = bytes.get(i) {
        if special(b) {
            return i;
        }
        i += 1;
    }
    i
}

/// Length of the UTF-8 sequence that starts with `b` (1 for ASCII and for
/// stray continuation bytes, which validation rejects elsewhere).
#[inline]
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Decodes the character at `i`, validating it. `None` for invalid UTF-8 or
/// the end of input.
#[inline]
pub(crate) fn char_at(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let n = utf8_len(b);
    let seq = bytes.get(i..i.checked_add(n)?)?;
    let s = core::str::from_utf8(seq).ok()?;
    s.chars().next().map(|c| (c, n))
}

/// Validates `bytes` as UTF-8, reporting the first bad byte.
#[inline]
pub(crate) fn utf8(bytes: &[u8], base: usize) -> PResult<&str> {
    match core::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => fail(ErrorKind::InvalidUtf8, base + e.valid_up_to()),
    }
}

/// Parses the hexadecimal digits of a `\uXXXX` escape or `&#x…;` reference.
#[inline]
pub(crate) fn hex_val(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'a'..=b'f' => Some(u32::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(b - b'A' + 10)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_crosses_chunk_boundaries() {
        // Every position of the needle, in inputs of every length up to 70,
        // against a naive search.
        for len in 0..70 {
            for at in 0..=len {
                let mut v = alloc::vec![b'a'; len];
                if at < len {
                    v[at] = b'<';
                }
                let naive = v.iter().position(|&b| b == b'<').unwrap_or(len);
                for from in 0..=len {
                    let want = if naive >= from { naive } else { len };
                    assert_eq!(
                        find(&v, from, |b| b == b'<'),
                        want,
                        "len {len} at {at} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn char_at_validates() {
        assert_eq!(char_at("中".as_bytes(), 0), Some(('中', 3)));
        assert_eq!(char_at(b"\xED\xA0\x80", 0), None);
        assert_eq!(char_at(b"\xC0\x80", 0), None);
        assert_eq!(char_at(b"\xE4\xB8", 0), None);
        assert_eq!(char_at(b"", 0), None);
    }
}
