//! [`fill`](super::fill) for an XML element of a checked document, straight
//! over the bytes.
//!
//! After [`Callback::parse`](crate::Callback::parse) has checked the whole
//! document, the jobs after the first (and the tasks, and the workflow) are
//! read from slices known to be well-formed. The general walk reads them
//! through the tokenizer, which checks names, end tags and characters again:
//! about 16k instructions per job of the 100-job callback. This walk only
//! finds the tags: `<`, the name, `>` (outside quoted attribute values), the
//! text of a leaf up to its end tag.
//!
//! It yields exactly what [`fill`](super::fill) yields (in debug builds
//! [`super::fill_item`] runs both and compares them), and gives up, returning
//! `None`, on what it does not model: comments, processing instructions and
//! CDATA sections anywhere in the element, and a wanted value whose content
//! is not plain text. The general walk then reads the element.

use crate::scan;
use crate::simd::V16;
use crate::text::Escape;
use crate::text::Kind;
use crate::xml::{ends_name, find_byte};

use super::{Entry, Name, Span, Table};

/// A start tag: where its name ends, where the tag ends (after `>`), and
/// whether it is empty (`/>`).
struct Tag {
    name_end: usize,
    end: usize,
    empty: bool,
}

/// The start tag whose `<` is at `lt`.
#[inline]
fn start_tag(input: &[u8], lt: usize) -> Option<Tag> {
    let mut k = lt + 1;
    while !ends_name(input.get(k)) {
        k += 1;
    }
    let name_end = k;
    // `>` outside quoted attribute values.
    loop {
        match input.get(k)? {
            b'>' => break,
            &q @ (b'"' | b'\'') => k = find_byte(input, k + 1, q)? + 1,
            _ => k += 1,
        }
    }
    Some(Tag {
        name_end,
        end: k + 1,
        empty: input.get(k.checked_sub(1)?) == Some(&b'/'),
    })
}

/// The next `<` at or after `k` that starts a tag, or `None` at markup this
/// walk gives up on (`<!` and `<?`).
#[inline]
fn next_tag(input: &[u8], k: usize) -> Option<usize> {
    let lt = find_byte(input, k, b'<')?;
    match input.get(lt + 1)? {
        b'!' | b'?' => None,
        _ => Some(lt),
    }
}

/// Reads the content of the element whose start tag ends at `open` (in
/// `input`, at document offset `base`) through its end tag, putting the
/// first value of each schema entry into `table`. Returns the offset after
/// the end tag.
pub(super) fn content(
    input: &[u8],
    base: usize,
    open: usize,
    schema: &[Entry],
    table: &mut Table,
) -> Option<usize> {
    let mut seen: u64 = 0;
    let mut k = open;
    loop {
        let lt = next_tag(input, k)?;
        if input.get(lt + 1) == Some(&b'/') {
            return Some(find_byte(input, lt + 2, b'>')? + 1);
        }
        let tag = start_tag(input, lt)?;
        let name = Name {
            raw: input.get(lt + 1..tag.name_end)?,
            escaped: false,
        };
        k = match super::take(schema, &mut seen, &name) {
            None if tag.empty => tag.end,
            None => skip(input, tag.end)?,
            Some(entry) => {
                if tag.empty {
                    table.set(
                        entry.slot,
                        Span::new(Kind::Text, base + tag.end, base + tag.end, Escape::None),
                    );
                    tag.end
                } else if !entry.children.is_empty() {
                    let end = content(input, base, tag.end, entry.children, table)?;
                    table.set(entry.slot, Span::container(base + lt, base + end));
                    end
                } else {
                    let (span, end) = leaf(input, base, tag.end)?;
                    table.set(entry.slot, span);
                    end
                }
            }
        };
    }
}

/// A wanted leaf whose start tag ends at `open`: its text, when the next tag
/// is its end tag, as the general walk's span, and the offset after the end
/// tag.
#[inline]
fn leaf(input: &[u8], base: usize, open: usize) -> Option<(Span, usize)> {
    let lt = next_tag(input, open)?;
    if input.get(lt + 1) != Some(&b'/') {
        return None;
    }
    let text = input.get(open..lt)?;
    // A reference or a CR: what makes the general walk's text need decoding.
    let special = |b: u8| (b == b'&') | (b == b'\r');
    let at = scan::find_class(text, 0, |v: V16| v.eq(b'&') | v.eq(b'\r'), special);
    let escape = if at < text.len() {
        Escape::XmlContent
    } else {
        Escape::None
    };
    let end = find_byte(input, lt + 2, b'>')? + 1;
    Some((Span::new(Kind::Text, base + open, base + lt, escape), end))
}

/// Steps over the content of an element whose start tag ends at `open` and
/// over its end tag. Returns the offset after the end tag.
fn skip(input: &[u8], open: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut k = open;
    loop {
        let lt = next_tag(input, k)?;
        if input.get(lt + 1) == Some(&b'/') {
            k = find_byte(input, lt + 2, b'>')? + 1;
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        } else {
            let tag = start_tag(input, lt)?;
            depth += usize::from(!tag.empty);
            k = tag.end;
        }
    }
}
