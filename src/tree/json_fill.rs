//! [`fill`](super::fill) for a JSON object in a slice of a checked document,
//! straight over the bytes.
//!
//! After [`Callback::parse`](crate::Callback::parse) has checked the whole
//! document, every later job, task or workflow is read from a slice that is
//! known to be well-formed. The general walk reads it through the event
//! reader's state machine (a seek before each token, a state per token), and
//! that cost about 16k instructions per job of the 100-job callback, three
//! times what the path layer spends on the same job. This walk reads a
//! member as the path layer does: the key, the `:`, the value (read when the
//! schema wants it, skimmed bracket by bracket otherwise), then `,` or `}`.
//!
//! It yields exactly what [`fill`](super::fill) yields: the first item of
//! each schema entry, an array member seen as one item per entry, the same
//! spans. In debug builds [`super::fill_item`] runs both and compares them.
//! On input that is not well-formed it returns an error or a partial table,
//! never a panic; it is only called on checked slices.

use crate::config::MAX_DEPTH;
use crate::json;
use crate::path::Kind;
use crate::scan::{self, fail, PResult};
use crate::text::Escape;
use crate::ErrorKind;

use super::{Entry, Name, Span, Table};

/// Reads the object whose `{` is at `open` in `input` (a slice at document
/// offset `base`, with `depth` containers open around the object), putting the
/// first value of each schema entry into `table`. Returns the offset after
/// its `}`.
pub(super) fn object(
    input: &[u8],
    base: usize,
    open: usize,
    depth: usize,
    schema: &[Entry],
    table: &mut Table,
) -> PResult<usize> {
    let mut seen: u64 = 0;
    let mut i = scan::skip_ws(input, open + 1);
    let inner = depth + 1;
    loop {
        match input.get(i) {
            Some(b'}') => return Ok(i + 1),
            Some(b'"') => {}
            _ => return unexpected(i),
        }
        let (end, escaped) = json::string(input, i)?;
        let name = Name {
            raw: input.get(i + 1..end).unwrap_or(&[]),
            escaped,
        };
        i = json::after_key(input, end)?;
        if input.get(i) == Some(&b'[') {
            // One item per entry, as `Walk::next_item` flattens arrays.
            i = scan::skip_ws(input, i + 1);
            loop {
                match input.get(i) {
                    Some(b']') => break,
                    Some(_) => {}
                    None => return unexpected(i),
                }
                i = item(input, base, i, inner + 1, name, schema, &mut seen, table)?;
                i = separator(input, i, b']')?;
            }
            i += 1;
        } else {
            i = item(input, base, i, inner, name, schema, &mut seen, table)?;
        }
        i = separator(input, i, b'}')?;
    }
}

/// After a value: whitespace, then `,` (and the next item's first byte) or
/// the closing bracket `close` (left in place). A trailing comma before it
/// was accepted by the check, so it is stepped over here too.
#[inline]
fn separator(input: &[u8], i: usize, close: u8) -> PResult<usize> {
    let i = scan::skip_ws(input, i);
    match input.get(i) {
        Some(&b) if b == close => Ok(i),
        Some(b',') => Ok(scan::skip_ws(input, i + 1)),
        _ => unexpected(i),
    }
}

#[cold]
fn unexpected<T>(i: usize) -> PResult<T> {
    fail(
        ErrorKind::UnexpectedByte {
            expected: "well-formed JSON (a checked slice)",
        },
        i,
    )
}

/// One item (a member's value, or one entry of a member's array) at `i`,
/// inside `depth` open containers. Returns the offset after it.
#[allow(clippy::too_many_arguments)]
#[inline]
fn item(
    input: &[u8],
    base: usize,
    i: usize,
    depth: usize,
    name: Name<'_>,
    schema: &[Entry],
    seen: &mut u64,
    table: &mut Table,
) -> PResult<usize> {
    let found = schema
        .iter()
        .enumerate()
        .find(|(k, e)| *seen & (1 << k) == 0 && name.is(e.name));
    let Some((k, entry)) = found else {
        return skip(input, i, depth);
    };
    *seen |= 1 << k;
    if !entry.children.is_empty() && input.get(i) == Some(&b'{') {
        let end = object(input, base, i, depth, entry.children, table)?;
        table.set(entry.slot, Span::container(base + i, base + end));
        return Ok(end);
    }
    let (span, end) = value(input, base, i, depth)?;
    table.set(entry.slot, span);
    Ok(end)
}

/// The span of the value at `i`, as `Walk::value` gives it, and the offset
/// after the value.
fn value(input: &[u8], base: usize, i: usize, depth: usize) -> PResult<(Span, usize)> {
    let (kind, a, b, escape, end) = match input.get(i) {
        Some(b'"') => {
            let (end, escaped) = json::string(input, i)?;
            let escape = if escaped { Escape::Json } else { Escape::None };
            (Kind::String, i + 1, end, escape, end + 1)
        }
        Some(b'{' | b'[') => {
            let end = json::skim_container(input, i, depth, MAX_DEPTH)?;
            (Kind::Container, i, end, Escape::None, end)
        }
        Some(b't') => {
            let end = json::literal(input, i, b"true")?;
            (Kind::Bool, i, end, Escape::None, end)
        }
        Some(b'f') => {
            let end = json::literal(input, i, b"false")?;
            (Kind::Bool, i, end, Escape::None, end)
        }
        Some(b'n') => {
            let end = json::literal(input, i, b"null")?;
            (Kind::Null, i, end, Escape::None, end)
        }
        _ => {
            let end = json::number(input, i)?;
            (Kind::Number, i, end, Escape::None, end)
        }
    };
    Ok((Span::new(kind, base + a, base + b, escape), end))
}

/// Steps over the value at `i`. Returns the offset after it.
#[inline]
fn skip(input: &[u8], i: usize, depth: usize) -> PResult<usize> {
    match input.get(i) {
        Some(b'"') => Ok(json::string(input, i)?.0 + 1),
        Some(b'{' | b'[') => json::skim_container(input, i, depth, MAX_DEPTH),
        _ => value(input, 0, i, depth).map(|(_, end)| end),
    }
}
