//! Reading a document by its structure alone, for `Skim` extraction and for
//! slices of a document that has been checked whole.
//!
//! Markup is found by its `<`: in a well-formed document every `<` outside
//! comments, CDATA sections and processing instructions opens markup (a
//! `<` may not appear in text or in attribute values), and the byte after
//! it tells which. Start tags are read to their `>` with quoted attribute
//! values stepped over whole; end tags are taken as closing the innermost
//! open element, without comparing names, and left at their `</` (the next
//! search for a `<` steps over the rest). An element is skipped by counting
//! start and end tags. Nothing here checks names, text or attributes: what
//! a caller returns it checks itself (`text_from`, then UTF-8).

use super::lex::find_byte;
use super::reader::{Reader, Tok};
use crate::config::{Options, MAX_DEPTH};
use crate::error::ErrorKind;
use crate::scan::{self, fail, PResult};
use crate::simd::V16;

/// The rest of the block in hand after a `<` [`Lts::after_tag_then`]
/// found: the `<` bits from `k` on, that one's cleared.
pub(crate) struct Then {
    k: usize,
    rest: u64,
}

impl Then {
    /// The first `<` after the one found at `e`.
    #[inline(always)]
    pub(crate) fn get(self, lts: &mut Lts<'_>, e: usize) -> usize {
        match self.rest {
            0 => lts.next(e + 1),
            rest => self.k + rest.trailing_zeros() as usize,
        }
    }
}

/// The `<` bytes of the input, found 64 at a time: a mask with one bit
/// per byte of the block that starts at `base` (a block starts wherever
/// a search first leaves the one before). Searches go forward through
/// the document, so each byte is classified at most once per jump.
pub(crate) struct Lts<'a> {
    input: &'a [u8],
    base: usize,
    bits: u64,
}

impl<'a> Lts<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        // No block yet: every offset is far from `base`.
        Lts {
            input,
            base: usize::MAX / 2,
            bits: 0,
        }
    }

    /// The first `<` at or after `k`, or the input's length when there is
    /// none (a plain offset: `input.get(i + 1)` is `None` there as for a
    /// `<` that ends the input, and no `Option` goes through the loops).
    #[inline(always)]
    pub(crate) fn next(&mut self, k: usize) -> usize {
        self.next_then(k).0
    }

    /// The first `<` at or after `end`, the end of the start tag opened at
    /// `lt`: searched from `lt`, so the search does not wait for the tag's
    /// end to be found (the first `<` after a tag's own is mostly past its
    /// end), and again from `end` when it lies inside the tag (a `<` in a
    /// name or in a quoted value).
    #[inline(always)]
    pub(crate) fn after_tag(&mut self, lt: usize, end: usize) -> usize {
        self.after_tag_then(lt, end).0
    }

    /// [`after_tag`](Self::after_tag), and what finds the first `<` after
    /// the one it finds ([`Then::get`]): a skipped leaf's end tag is mostly
    /// followed by the next markup in the same block, taken from the mask
    /// in hand instead of a search.
    #[inline(always)]
    pub(crate) fn after_tag_then(&mut self, lt: usize, end: usize) -> (usize, Then) {
        match self.next_then(lt + 1) {
            (e, then) if e >= end => (e, then),
            _ => self.next_then(end),
        }
    }

    /// [`next`](Self::next), and the [`Then`] of what it finds.
    #[inline(always)]
    fn next_then(&mut self, k: usize) -> (usize, Then) {
        let mut k = k;
        loop {
            let off = k.wrapping_sub(self.base);
            if off < 64 {
                let m = self.bits >> off;
                if m != 0 {
                    // The mask without its lowest bit: the `<` after.
                    let rest = m & (m - 1);
                    return (k + m.trailing_zeros() as usize, Then { k, rest });
                }
                k = self.base + 64;
            }
            if k >= self.input.len() {
                return (self.input.len(), Then { k, rest: 0 });
            }
            self.load(k);
        }
    }

    /// Classifies the 64 bytes from `k` (fewer at the end of input).
    #[inline(never)]
    fn load(&mut self, k: usize) {
        // The `<` bits of one 16-byte quarter; the block is a fixed-size
        // array, so the slicing compiles to plain loads.
        let quarter = |b: &[u8; 64], j: usize| {
            b.get(j * 16..j * 16 + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok())
                .map_or(0, |c| u64::from(V16::load(c).eq(b'<').bits()))
        };
        let bits = |b: &[u8; 64]| {
            quarter(b, 0) | quarter(b, 1) << 16 | quarter(b, 2) << 32 | quarter(b, 3) << 48
        };
        self.base = k;
        self.bits = match self.input.get(k..).and_then(<[u8]>::first_chunk::<64>) {
            Some(b) => bits(b),
            None => {
                // The last bytes, padded with zeros (never `<`).
                let mut pad = [0u8; 64];
                let rest = self.input.get(k..).unwrap_or(&[]);
                for (d, &b) in pad.iter_mut().zip(rest) {
                    *d = b;
                }
                bits(&pad)
            }
        };
    }
}

/// The next child element of an element of a checked document, from
/// `k` inside its content: `(lt, name_end, content, empty)`, or `None`
/// at the element's end tag.
pub(crate) fn next_child(input: &[u8], k: usize) -> PResult<Option<(usize, usize, usize, bool)>> {
    let mut k = k;
    loop {
        let Some(i) = find_byte(input, k, b'<') else {
            return Ok(None);
        };
        match input.get(i + 1) {
            Some(b'/') | None => return Ok(None),
            Some(b'!' | b'?') => k = markup(input, i)?,
            Some(_) => {
                let (name_end, content, empty) = start_tag(input, i)?;
                return Ok(Some((i, name_end, content, empty)));
            }
        }
    }
}

/// The offset after the element of a checked document whose start tag
/// [`next_child`] read.
pub(crate) fn past_child(
    input: &[u8],
    (lt, _, content, empty): (usize, usize, usize, bool),
) -> PResult<usize> {
    if empty {
        return Ok(content);
    }
    let after = skip(input, &mut Lts::new(input), MAX_DEPTH, lt, content, 1)?;
    end_tag_end(input, after)
}

/// The offset after the `>` of the end tag whose `</` ends at `k`.
pub(crate) fn end_tag_end(input: &[u8], k: usize) -> PResult<usize> {
    match find_byte(input, k, b'>') {
        Some(gt) => Ok(gt + 1),
        None => fail(ErrorKind::UnclosedTag, k.saturating_sub(2)),
    }
}

/// The checks before the first token (a declaration is read by a
/// reader, as in `Full`; the size limit and the encoding were checked by
/// [`PathSet::run`] before the format was sniffed), then comments and
/// processing instructions up to the root's start tag, by their
/// delimiters. Returns the root's `<`.
pub(crate) fn root(input: &[u8], options: &Options) -> PResult<usize> {
    let body = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if input.get(body..).is_some_and(|s| s.starts_with(b"<?xml")) {
        let mut r = Reader::blank(input, options);
        r.begin(options)?;
        loop {
            match r.next_token()? {
                Tok::Start { start, .. } => return Ok(start),
                Tok::Eof => return fail(ErrorKind::NoRoot, input.len()),
                _ => {}
            }
        }
    }
    let mut k = body;
    loop {
        k = scan::skip_ws(input, k);
        match input.get(k) {
            None => return fail(ErrorKind::NoRoot, input.len()),
            Some(b'<') => match input.get(k + 1) {
                Some(b'!' | b'?') => k = markup(input, k)?,
                _ => return Ok(k),
            },
            Some(_) => return fail(ErrorKind::TextOutsideRoot, k),
        }
    }
}

/// A comment, CDATA section or processing instruction at `lt` (a `<`
/// followed by `!` or `?`), found by its closing delimiter only; a
/// `<!DOCTYPE` is refused as in `Full`. Returns the offset after it.
#[cold]
#[inline(never)]
pub(crate) fn markup(input: &[u8], lt: usize) -> PResult<usize> {
    let rest = |k: usize| input.get(k..).unwrap_or(&[]);
    let (open, close, unclosed): (&[u8], &[u8], ErrorKind) = if rest(lt).starts_with(b"<?") {
        (b"<?", b"?>", ErrorKind::UnclosedPi)
    } else if rest(lt).starts_with(b"<!--") {
        (b"<!--", b"-->", ErrorKind::UnclosedComment)
    } else if rest(lt).starts_with(b"<![CDATA[") {
        (b"<![CDATA[", b"]]>", ErrorKind::UnclosedCdata)
    } else if rest(lt).starts_with(b"<!DOCTYPE") {
        return fail(ErrorKind::Doctype, lt);
    } else {
        return fail(ErrorKind::BadMarkup, lt);
    };
    match memchr::memmem::find(rest(lt + open.len()), close) {
        Some(e) => Ok(lt + open.len() + e + close.len()),
        None => fail(unclosed, lt),
    }
}

/// Whether `b` ends a name as [`start_tag`] reads one: `>`, `/` or
/// whitespace (any byte up to a space). `>` is tested first: it is the
/// byte after most names (callgrind: 40 instructions a seed document in a
/// lean `Skim` run, against testing whitespace first).
#[inline(always)]
pub(crate) fn ends_name(b: u8) -> bool {
    b == b'>' || b == b'/' || b <= 0x20
}

/// The start tag at `lt`, by its structure: the end of its name, the
/// offset after its `>`, and whether it is an empty-element tag.
#[inline(always)]
pub(crate) fn start_tag(input: &[u8], lt: usize) -> PResult<(usize, usize, bool)> {
    // A name ends at whitespace, `/` or `>` (`ends_name`, 16 bytes at a time).
    let name_end = scan::find_class(
        input,
        lt + 1,
        |v: V16| v.lt(0x21) | v.eq(b'>') | v.eq(b'/'),
        ends_name,
    );
    tag_after_name(input, lt, name_end)
}

/// [`start_tag`] from `name_end`, the first byte after `lt + 1` that ends
/// a name (whitespace, `/` or `>`; the input's length when there is none).
#[inline(always)]
pub(crate) fn tag_after_name(
    input: &[u8],
    lt: usize,
    name_end: usize,
) -> PResult<(usize, usize, bool)> {
    match input.get(name_end) {
        Some(b'>') => Ok((name_end, name_end + 1, false)),
        Some(b'/') if input.get(name_end + 1) == Some(&b'>') => Ok((name_end, name_end + 2, true)),
        Some(_) => {
            let (end, empty) = tag_end(input, lt, name_end)?;
            Ok((name_end, end, empty))
        }
        None => fail(ErrorKind::UnclosedTag, lt),
    }
}

/// The rest of the start tag opened at `lt` from `k`: the offset after
/// its `>` (quoted values, which may hold `>`, stepped over whole), and
/// whether it is an empty-element tag.
#[inline(always)]
fn tag_end(input: &[u8], lt: usize, k: usize) -> PResult<(usize, bool)> {
    let mut k = k;
    loop {
        let p = scan::find_run(
            input,
            k,
            |v: V16| v.eq(b'>') | v.eq(b'"') | v.eq(b'\''),
            |b| matches!(b, b'>' | b'"' | b'\''),
            |rest| memchr::memchr3(b'>', b'"', b'\'', rest),
            |_, _| false,
        );
        match input.get(p) {
            Some(&q @ (b'"' | b'\'')) => match find_byte(input, p + 1, q) {
                Some(e) => k = e + 1,
                None => return fail(ErrorKind::UnclosedAttribute, p),
            },
            Some(_) => return Ok((p + 1, input.get(p.wrapping_sub(1)) == Some(&b'/'))),
            None => return fail(ErrorKind::UnclosedTag, lt),
        }
    }
}

/// Skips the content and end tag of the element opened at `lt` (at
/// nesting `depth`) from `k`, after its start tag, by counting tags.
/// Returns an offset inside its end tag, after the `</`.
pub(crate) fn skip(
    input: &[u8],
    lts: &mut Lts<'_>,
    max_depth: usize,
    lt: usize,
    k: usize,
    depth: usize,
) -> PResult<usize> {
    let mut open = 1usize;
    // The next markup (the input's length when there is none), found ahead
    // by the leaf step below.
    let mut i = lts.next(k);
    loop {
        match input.get(i + 1) {
            // A name starts above `?` (mostly): one compare for a start tag.
            Some(&b) if b > b'?' => {}
            Some(b'/') => {
                open -= 1;
                if open == 0 {
                    return Ok(i + 2);
                }
                i = lts.next(i + 2);
                continue;
            }
            Some(b'!' | b'?') => {
                i = lts.next(markup(input, i)?);
                continue;
            }
            Some(_) => {}
            None if i < input.len() => return fail(ErrorKind::UnclosedTag, i),
            None => return fail(ErrorKind::UnclosedElement, lt),
        }
        // A start tag. As `start_tag` reads it: a tag with no attributes
        // ends right after its name, found without the quote search.
        let (_, end, empty) = start_tag(input, i)?;
        // The child is one level below the `open` elements.
        if depth + open > max_depth {
            return fail(ErrorKind::DepthLimit, i);
        }
        let (e, then) = lts.after_tag_then(i, end);
        i = e;
        if !empty {
            if input.get(e + 1) == Some(&b'/') {
                // A leaf: its end tag is the next markup, and closes it
                // at once.
                i = then.get(lts, e);
            } else {
                open += 1;
            }
        }
    }
}

/// Whether every byte of `span` is printable ASCII (`0x20..0x80`): a
/// running maximum of `b - 0x20` (bytes below `0x20` wrap to the top),
/// which vectorises.
#[inline]
fn all_plain(span: &[u8]) -> bool {
    let mut high = [0u8; 32];
    let mut chunks = span.chunks_exact(32);
    for chunk in &mut chunks {
        for (h, &b) in high.iter_mut().zip(chunk) {
            *h = (*h).max(b.wrapping_sub(0x20));
        }
    }
    for (h, &b) in high.iter_mut().zip(chunks.remainder()) {
        *h = (*h).max(b.wrapping_sub(0x20));
    }
    high.iter().fold(0, |m, &b| m.max(b)) < 0x60
}

/// The value of a leaf whose content starts at `k`, when it is plain text
/// up to an end tag: the text and the end tag's `<`; `None` otherwise (then
/// the content needs the general reading). Plain text is what [`plain_end`]
/// finds; a short run comes with its text proven ASCII by the search
/// ([`plain_short`](crate::simd::text::plain_short)), a longer one is
/// checked as UTF-8 after it.
#[inline(always)]
pub(crate) fn plain_leaf(input: &[u8], k: usize) -> PResult<Option<(&str, usize)>> {
    let (p, text) = match crate::simd::text::plain_short(input, k) {
        Some((p, text)) => (p, Some(text)),
        None => (plain_end(input, k), None),
    };
    if input.get(p) != Some(&b'<') || input.get(p + 1) != Some(&b'/') {
        return Ok(None);
    }
    match text {
        Some(text) => Ok(Some((text, p))),
        None => match crate::simd::utf8_inline(input.get(k..p).unwrap_or(&[])) {
            Ok(text) => Ok(Some((text, p))),
            Err(bad) => fail(ErrorKind::InvalidUtf8, k + bad),
        },
    }
}

/// The first byte at or after `k` that is `<`, `&`, `]` or not
/// printable ASCII: a value that ends at a `<` found here is plain text
/// (no reference, no `]]>`, no character to check). A long run is searched
/// by the SIMD kernel where the level has one, else with `memchr3` and a
/// check of the span.
#[inline(always)]
pub(crate) fn plain_end(input: &[u8], k: usize) -> usize {
    use crate::simd::text::{self, not_plain, not_plain16, PLAIN};
    // Whether the SIMD kernel gave the end (then the span is plain).
    let exact = core::cell::Cell::new(false);
    scan::find_run(
        input,
        k,
        not_plain16,
        not_plain,
        |rest| match text::stop(rest, 0, &PLAIN) {
            Some(at) => {
                exact.set(true);
                (at < rest.len()).then_some(at)
            }
            None => memchr::memchr3(b'<', b'&', b']', rest),
        },
        |_, span| !exact.get() && !all_plain(span),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading `plain_leaf` replaces: [`plain_end`], an end tag there,
    /// the span as UTF-8.
    fn by_plain_end(input: &[u8], k: usize) -> PResult<Option<(&str, usize)>> {
        let p = plain_end(input, k);
        if input.get(p) != Some(&b'<') || input.get(p + 1) != Some(&b'/') {
            return Ok(None);
        }
        match core::str::from_utf8(input.get(k..p).unwrap_or(&[])) {
            Ok(s) => Ok(Some((s, p))),
            Err(e) => fail(ErrorKind::InvalidUtf8, k + e.valid_up_to()),
        }
    }

    /// The reading `skip` shortens, written plainly: each next `<` found by
    /// `find_byte` from where the markup before it ends.
    fn skip_by_find(
        input: &[u8],
        max_depth: usize,
        lt: usize,
        k: usize,
        depth: usize,
    ) -> PResult<usize> {
        let mut open = 1usize;
        let mut next = find_byte(input, k, b'<');
        loop {
            let Some(i) = next else {
                return fail(ErrorKind::UnclosedElement, lt);
            };
            match input.get(i + 1) {
                Some(b'/') => {
                    open -= 1;
                    if open == 0 {
                        return Ok(i + 2);
                    }
                    next = find_byte(input, i + 2, b'<');
                }
                Some(b'!' | b'?') => next = find_byte(input, markup(input, i)?, b'<'),
                Some(_) => {
                    let (_, end, empty) = start_tag(input, i)?;
                    if depth + open > max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    next = find_byte(input, end, b'<');
                    if !empty {
                        match next {
                            Some(e) if input.get(e + 1) == Some(&b'/') => {
                                next = find_byte(input, e + 2, b'<')
                            }
                            _ => open += 1,
                        }
                    }
                }
                None => return fail(ErrorKind::UnclosedTag, i),
            }
        }
    }

    /// `skip` (its next `<` searched from a tag's own `<`, its offsets
    /// without `Option`, its start tags told by one compare) gives what
    /// [`skip_by_find`] does, at the same offsets and with the same errors:
    /// content of leaves, empty-element tags, nested elements, comments,
    /// CDATA sections and processing instructions holding `<`, `<` and `>`
    /// in quoted attribute values, names of 1 to 20 bytes and names that
    /// start below `?`, each after 0 to 69 bytes of padding (so the 64-byte
    /// blocks start everywhere), cut short at every length, with depth
    /// limits that do and do not bite.
    #[test]
    fn skip_reads_as_a_plain_search() {
        let parts: [&[u8]; 12] = [
            b"<a>x</a>",
            b"<bb/>",
            b"<c d=\"<>\"/>",
            b"<e f='x<y>'>t</e>",
            b"<!-- < -->",
            b"<![CDATA[<a>]]>",
            b"<?p <q?>",
            b"<g><h>1</h><i/></g>",
            b"<j k=\"v\">w</j >",
            b"<1>2</1>",
            b"<:m></:m>",
            b"<n\t/>",
        ];
        let mut checked = 0;
        for len in 1..=20usize {
            let name: alloc::vec::Vec<u8> = (0..len).map(|j| b'a' + (j % 26) as u8).collect();
            for (p, part) in parts.iter().enumerate() {
                let mut body = alloc::vec::Vec::new();
                body.extend_from_slice(b"<");
                body.extend_from_slice(&name);
                body.extend_from_slice(b">");
                body.extend_from_slice(part);
                body.extend_from_slice(parts[(p + len) % parts.len()]);
                body.extend_from_slice(b"</");
                body.extend_from_slice(&name);
                body.extend_from_slice(b">");
                body.extend_from_slice(part);
                body.extend_from_slice(b"</r>");
                for pad in (0..70usize).filter(|pad| pad % 7 == len % 7 || *pad < 3) {
                    let mut doc = alloc::vec![b' '; pad];
                    doc.extend_from_slice(b"<r>");
                    let lt = pad;
                    let k = doc.len();
                    doc.extend_from_slice(&body);
                    for cut in k..=doc.len() {
                        let v = &doc[..cut];
                        for max_depth in [1, 2, 3, MAX_DEPTH] {
                            let want = skip_by_find(v, max_depth, lt, k, 1);
                            let got = skip(v, &mut Lts::new(v), max_depth, lt, k, 1);
                            assert_eq!(
                                got.as_ref().map_err(|f| (f.kind(), f.at())),
                                want.as_ref().map_err(|f| (f.kind(), f.at())),
                                "{:?} from {k}, max depth {max_depth}",
                                core::str::from_utf8(v)
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// `Lts::after_tag` and `Lts::next` find what `find_byte` does from the
    /// tag's end, also when a `<` lies inside the tag, a search crosses a
    /// block or finds none in a whole block: inputs with a `<` every 1 to
    /// 70 bytes, every pair of a `<` and a later end, with the blocks loaded
    /// from several places.
    #[test]
    fn after_tag_finds_the_first_lt_after_the_tag() {
        for gap in 1..=70usize {
            let v: alloc::vec::Vec<u8> = (0..200)
                .map(|j| if j % gap == 0 { b'<' } else { b'a' })
                .collect();
            for lt in (0..v.len()).filter(|&j| v[j] == b'<') {
                for end in lt + 1..(lt + 90).min(v.len() + 1) {
                    for warm in [None, Some(0), Some(lt)] {
                        let mut lts = Lts::new(&v);
                        let mut ahead = Lts::new(&v);
                        if let Some(w) = warm {
                            lts.next(w);
                            ahead.next(w);
                        }
                        let want = find_byte(&v, end, b'<').unwrap_or(v.len());
                        assert_eq!(
                            lts.after_tag(lt, end),
                            want,
                            "gap {gap} lt {lt} end {end} warm {warm:?}"
                        );
                        assert_eq!(ahead.next(end), want, "gap {gap} end {end} warm {warm:?}");
                    }
                }
            }
        }
    }

    /// `plain_leaf` gives what `plain_end` does: values of 0 to 150 bytes
    /// (shorter and longer than the 64 bytes `plain_short` searches), after
    /// 0 to 69 bytes, ended by an end tag, a start tag, `<!`, a lone `<` or
    /// the input's end, with a byte of each kind at a few places (and an
    /// `é`, two bytes).
    #[test]
    fn plain_leaf_reads_as_plain_end() {
        let odd: [&[u8]; 9] = [
            b"&",
            b"]",
            b"\x01",
            b"\t",
            b"\x7F",
            b"\xC3\xA9",
            b"\xFF",
            b">",
            b"/",
        ];
        let ends: [&[u8]; 6] = [b"</a>", b"<b>", b"<!-- -->", b"<", b"", b"/<"];
        let mut checked = 0;
        for pad in 0..70usize {
            for len in (0..=150usize).filter(|l| l % 7 == 0 || l % 64 < 3 || *l < 20) {
                for end in ends {
                    for bad in [None].into_iter().chain(odd.iter().map(Some)) {
                        for at in [0, len / 2, len.saturating_sub(1)] {
                            let mut v = alloc::vec![b'x'; pad];
                            let k = v.len();
                            let mut value = alloc::vec![b'v'; len];
                            if let Some(b) = bad {
                                if at < len {
                                    value.splice(at..at + 1, b.iter().copied());
                                }
                            }
                            v.extend_from_slice(&value);
                            v.extend_from_slice(end);
                            let want = by_plain_end(&v, k);
                            let got = plain_leaf(&v, k);
                            assert_eq!(
                                got.as_ref().map_err(|f| (f.kind(), f.at())),
                                want.as_ref().map_err(|f| (f.kind(), f.at())),
                                "{v:?} from {k}"
                            );
                            checked += 1;
                            if bad.is_none() {
                                break;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 50_000, "{checked}");
    }
}
