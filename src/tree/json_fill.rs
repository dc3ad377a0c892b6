//! [`fill`](super::fill) for a JSON object, straight over the bytes.
//!
//! The general walk reads an item through the event reader's state machine
//! (a seek before each token, a state per token): about 16k instructions per
//! job of the 100-job callback, three times what the path layer spends on the
//! same job. This walk reads a member as the path layer does: the key, the
//! `:`, the value (read when the schema wants it, skipped otherwise), then
//! `,` or `}`, with the readers' own token functions.
//!
//! It yields exactly what [`fill`](super::fill) yields: the first item of
//! each schema entry, an array member seen as one item per entry, the same
//! spans; in debug builds [`super::fill_item`] runs both and compares them.
//! It is never more lenient than the general walk: in a `Full` walk (the
//! check behind `Callback::parse`) skipped values are checked by
//! [`json::skip_full`], and the depth limit and strictness apply; in a
//! `Skim` walk (a slice of a checked document) they are skimmed. On any
//! error it gives up, and the caller reads the item again with the general
//! walk, which finds the error and reports it exactly as before.

use crate::json;
use crate::scan::{self, fail, PResult};
use crate::text::Escape;
use crate::text::Kind;
use crate::ErrorKind;

use super::{Entry, Name, Span, Table};

/// How the walk's reader reads: what a skipped container costs, and the
/// limits a `Full` walk enforces.
#[derive(Clone, Copy)]
pub(super) struct Mode {
    /// `Skim`: the slice was checked already; skipped containers are skimmed.
    pub skim: bool,
    pub strict: bool,
    pub max_depth: usize,
}

/// Reads the object whose `{` is at `open` in `input` (a slice at document
/// offset `base`, with `depth` containers open around the object), putting the
/// first value of each schema entry into `table`. Returns the offset after
/// its `}`.
pub(super) fn object(
    input: &[u8],
    base: usize,
    open: usize,
    depth: usize,
    mode: Mode,
    schema: &[Entry],
    table: &mut Table,
) -> PResult<usize> {
    if depth >= mode.max_depth {
        return unexpected(open);
    }
    let mut seen: u64 = 0;
    let mut i = scan::skip_ws(input, open + 1);
    let inner = depth + 1;
    let mut comma = false;
    loop {
        match input.get(i) {
            Some(b'}') if !(comma && mode.strict) => return Ok(i + 1),
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
            if inner >= mode.max_depth {
                return unexpected(i);
            }
            i = scan::skip_ws(input, i + 1);
            let mut comma = false;
            loop {
                match input.get(i) {
                    Some(b']') if !(comma && mode.strict) => break,
                    Some(_) => {}
                    None => return unexpected(i),
                }
                let at = inner + 1;
                i = item(input, base, i, at, mode, name, schema, &mut seen, table)?;
                (i, comma) = separator(input, i, b']')?;
            }
            i += 1;
        } else {
            i = item(input, base, i, inner, mode, name, schema, &mut seen, table)?;
        }
        (i, comma) = separator(input, i, b'}')?;
    }
}

/// After a value: whitespace, then `,` (and the whitespace after it) or the
/// closing bracket `close` (left in place). Returns where the next item or
/// the bracket is, and whether a comma came first (a trailing comma, when
/// the bracket follows, is accepted unless strict).
#[inline]
fn separator(input: &[u8], i: usize, close: u8) -> PResult<(usize, bool)> {
    let i = scan::skip_ws(input, i);
    match input.get(i) {
        Some(&b) if b == close => Ok((i, false)),
        Some(b',') => Ok((scan::skip_ws(input, i + 1), true)),
        _ => unexpected(i),
    }
}

#[cold]
fn unexpected<T>(i: usize) -> PResult<T> {
    fail(
        ErrorKind::UnexpectedByte {
            expected: "a well-formed item (read again by the general walk)",
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
    mode: Mode,
    name: Name<'_>,
    schema: &[Entry],
    seen: &mut u64,
    table: &mut Table,
) -> PResult<usize> {
    let Some(entry) = super::take(schema, seen, &name) else {
        return skip(input, i, depth, mode);
    };
    if !entry.children.is_empty() && input.get(i) == Some(&b'{') {
        let end = object(input, base, i, depth, mode, entry.children, table)?;
        table.set(entry.slot, Span::container(base + i, base + end));
        return Ok(end);
    }
    let (span, end) = value(input, base, i, depth, mode)?;
    table.set(entry.slot, span);
    Ok(end)
}

/// The span of the value at `i`, as `Walk::value` gives it, and the offset
/// after the value.
fn value(input: &[u8], base: usize, i: usize, depth: usize, mode: Mode) -> PResult<(Span, usize)> {
    let (kind, a, b, escape, end) = match input.get(i) {
        Some(b'{' | b'[') => {
            let end = container(input, i, depth, mode)?;
            (Kind::Container, i, end, Escape::None, end)
        }
        _ => match json::scalar(input, i)? {
            Some(v) => (v.kind, v.start, v.end, v.escape, v.after),
            None => return unexpected(i),
        },
    };
    Ok((Span::new(kind, base + a, base + b, escape), end))
}

/// Steps over the value at `i`. Returns the offset after it.
#[inline]
fn skip(input: &[u8], i: usize, depth: usize, mode: Mode) -> PResult<usize> {
    match input.get(i) {
        Some(b'"') => Ok(json::string(input, i)?.0 + 1),
        Some(b'{' | b'[') => container(input, i, depth, mode),
        _ => value(input, 0, i, depth, mode).map(|(_, end)| end),
    }
}

/// Steps over the container at `i` as the walk's reader would.
#[inline]
fn container(input: &[u8], i: usize, depth: usize, mode: Mode) -> PResult<usize> {
    if mode.skim {
        json::skim_container(input, i, depth, mode.max_depth)
    } else {
        json::skip_full(input, i, depth, mode.max_depth, mode.strict)
    }
}
