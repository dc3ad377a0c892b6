//! Path extraction over the XML tokenizer.
//!
//! One recursive call per element that some path enters (so recursion depth
//! is bounded by [`MAX_STEPS`](crate::path::MAX_STEPS), not by the document);
//! every other element is skipped by the reader without matching.

use super::{Cursor, Kind, Matcher, Sink, Trie};
use crate::config::{Options, Validation, MAX_DEPTH};
use crate::scan::{self, fail, PResult};
use crate::simd::V16;
use crate::text::{Escape, Text};
use crate::xml::{find_byte, next_attr, Content, Reader, Tok};
use crate::ErrorKind;

pub(crate) fn run<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    if options.validation == Validation::Skim {
        return skim::run(set, input, options, sink);
    }
    let mut r = Reader::blank(input, options);
    r.begin(options)?;
    let mut m = Matcher::new(set, sink, options);
    let skim = options.validation == Validation::Skim;
    let root = set.root();
    loop {
        match r.next_token()? {
            Tok::Start {
                start,
                name_end,
                end,
                empty,
            } => {
                if set.has_attr(root) {
                    attributes(input, |a, b| r.str(a, b), &mut m, root, name_end, end)?;
                }
                if !empty && element(&mut r, &mut m, root, start, end, skim, false)? {
                    return Ok(());
                }
                break;
            }
            Tok::Eof => return fail(ErrorKind::NoRoot, input.len()),
            _ => {}
        }
    }
    if !skim {
        r.finish()?;
    }
    Ok(())
}

/// The typed view's lists over a checked document, read by structure (the
/// `Skim` reader below): the next child element from `k` inside an element's
/// content, `(lt, name_end, content, empty)`, or `None` at its end tag.
pub(crate) fn next_child(input: &[u8], k: usize) -> PResult<Option<(usize, usize, usize, bool)>> {
    skim::next_child(input, k)
}

/// The offset after a child element [`next_child`] found.
pub(crate) fn past_child(input: &[u8], tag: (usize, usize, usize, bool)) -> PResult<usize> {
    skim::past_child(input, tag)
}

/// The engine over a child element [`next_child`] found, in a checked
/// document: returns the offset after the element.
pub(crate) fn read_child<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    tag: (usize, usize, usize, bool),
    options: &Options,
    sink: &mut S,
) -> PResult<usize> {
    skim::item(set, input, tag, options, sink)
}

/// Reads the content of the element at `cur` whose start tag spans
/// `start..content`, through its end tag; `escaped` when text already read
/// needs decoding. Returns `true` when `Skim` may stop.
fn element<'buf, S: Sink<'buf>>(
    r: &mut Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    start: usize,
    content: usize,
    skim: bool,
    escaped: bool,
) -> PResult<bool> {
    let set = m.set;
    let input = r.input();
    let descend = set.descends(cur);
    let ends = set.ends(cur);
    if descend {
        m.enter(cur);
    }
    let mut has_child = false;
    let mut escaped = escaped;
    let (content_end, end) = loop {
        match r.next_in_content()? {
            Tok::Text { escaped: e, .. } => escaped |= e,
            Tok::CData { .. } | Tok::Markup => escaped = true,
            Tok::Start {
                start: cs,
                name_end,
                end: ce,
                empty,
            } => {
                has_child = true;
                let child = match descend {
                    true => set.child_in(cur, input, cs + 1, name_end),
                    false => None,
                };
                let cc = match child {
                    Some(child) => m.item(cur, child, cs)?,
                    None => None,
                };
                let Some(cc) = cc else {
                    if !empty {
                        r.skip()?;
                    }
                    continue;
                };
                if set.has_attr(cc) {
                    attributes(input, |a, b| r.str(a, b), m, cc, name_end, ce)?;
                }
                if empty {
                    let e = set.ends(cc);
                    if e != 0 {
                        m.emit(e, Kind::Text, ce, Text::EMPTY)?;
                    }
                    m.done(cc);
                } else if set.descends(cc) {
                    if element(r, m, cc, cs, ce, skim, false)? {
                        return Ok(true);
                    }
                } else {
                    match r.leaf()? {
                        Content::Leaf { end, escaped, .. } => {
                            // A leaf value, read in one step.
                            emit_text(r, m, cc, ce, end, escaped)?;
                            m.done(cc);
                        }
                        Content::Text { escaped } => {
                            if element(r, m, cc, cs, ce, skim, escaped)? {
                                return Ok(true);
                            }
                        }
                    }
                }
                if skim && m.all_settled() {
                    return Ok(true);
                }
            }
            Tok::End { start: es, end: ee } => break (es, ee),
            Tok::Eof => return fail(ErrorKind::UnexpectedEof, input.len()),
        }
    };
    if ends != 0 {
        if has_child {
            let raw = r.str(start, end)?;
            m.emit(ends, Kind::Container, start, Text::plain(raw))?;
        } else {
            emit_text(r, m, cur, content, content_end, escaped)?;
        }
    }
    m.done(cur);
    Ok(false)
}

/// Emits the character data `content..end` for the paths that end at `cur`.
#[inline]
fn emit_text<'buf, S: Sink<'buf>>(
    r: &Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    content: usize,
    end: usize,
    escaped: bool,
) -> PResult<()> {
    let ends = m.set.ends(cur);
    if ends != 0 {
        let escape = if escaped {
            Escape::XmlContent
        } else {
            Escape::None
        };
        m.emit(
            ends,
            Kind::Text,
            content,
            Text::new(r.str(content, end)?, escape),
        )?;
    }
    Ok(())
}

/// Emits the attributes of the start tag whose attribute area is
/// `name_end..end` that some path at `cur` asks for; `str` gives a range of
/// the input as checked UTF-8.
fn attributes<'buf, S: Sink<'buf>>(
    input: &'buf [u8],
    str: impl Fn(usize, usize) -> PResult<&'buf str>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    name_end: usize,
    end: usize,
) -> PResult<()> {
    let area = input.get(name_end..end).unwrap_or(&[]);
    let mut p = 0;
    while let Some(((n0, n1), v0, v1)) = next_attr(area, &mut p) {
        let paths = m.set.attr(cur, area.get(n0..n1).unwrap_or(&[]));
        if paths == 0 {
            continue;
        }
        let at = name_end + v0;
        // Checked already in `Full` (the whole input, up front), checked here in `Skim`.
        let value = str(at, name_end + v1)?;
        let escaped = value
            .bytes()
            .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
        let escape = if escaped {
            Escape::XmlAttr
        } else {
            Escape::None
        };
        m.emit(paths, Kind::Text, at, Text::new(value, escape))?;
    }
    Ok(())
}

/// `Skim` extraction: the document is read by its structure alone, trusting
/// what it does not return.
///
/// Markup is found by its `<`: in a well-formed document every `<` outside
/// comments, CDATA sections and processing instructions opens markup (a
/// `<` may not appear in text or in attribute values), and the byte after
/// it tells which. Start tags are read to their `>` with quoted attribute
/// values stepped over whole; end tags are taken as closing the innermost
/// open element, without comparing names, and left at their `</` (the next
/// search for a `<` steps over the rest). An element no path needs is
/// skipped by counting start and end tags. Names are compared with the
/// paths' only for elements some path enters. The values returned are
/// checked as in `Full` (`Reader::skim_text`, then UTF-8).
mod skim {
    use super::*;

    /// The `<` bytes of the input, found 64 at a time: a mask with one bit
    /// per byte of the block that starts at `base` (a block starts wherever
    /// a search first leaves the one before). Searches go forward through
    /// the document, so each byte is classified at most once per jump.
    pub(super) struct Lts<'a> {
        input: &'a [u8],
        base: usize,
        bits: u64,
    }

    impl<'a> Lts<'a> {
        pub(super) fn new(input: &'a [u8]) -> Self {
            // No block yet: every offset is far from `base`.
            Lts {
                input,
                base: usize::MAX / 2,
                bits: 0,
            }
        }

        /// The first `<` at or after `k`.
        #[inline(always)]
        pub(super) fn next(&mut self, k: usize) -> Option<usize> {
            let mut k = k;
            loop {
                let off = k.wrapping_sub(self.base);
                if off < 64 {
                    let m = self.bits >> off;
                    if m != 0 {
                        return Some(k + m.trailing_zeros() as usize);
                    }
                    k = self.base + 64;
                }
                if k >= self.input.len() {
                    return None;
                }
                self.load(k);
            }
        }

        /// Classifies the 64 bytes from `k` (fewer at the end of input).
        #[inline(never)]
        fn load(&mut self, k: usize) {
            let block = |c: &[u8]| {
                <&[u8; 16]>::try_from(c).map_or(0, |c| u64::from(V16::load(c).eq(b'<').bits()))
            };
            let bits = |b: &[u8]| {
                block(b.get(..16).unwrap_or(&[]))
                    | block(b.get(16..32).unwrap_or(&[])) << 16
                    | block(b.get(32..48).unwrap_or(&[])) << 32
                    | block(b.get(48..64).unwrap_or(&[])) << 48
            };
            self.base = k;
            self.bits = match self.input.get(k..k.wrapping_add(64)) {
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

    pub(super) fn run<'buf, S: Sink<'buf>>(
        set: &S::Trie,
        input: &'buf [u8],
        options: &Options,
        sink: &mut S,
    ) -> PResult<()> {
        let lt = root(input, options)?;
        let (name_end, end, empty) = start_tag(input, lt)?;
        let mut m = Matcher::new(set, sink, options);
        let root = set.root();
        if set.has_attr(root) {
            attributes(input, str_of(input), &mut m, root, name_end, end)?;
        }
        if !empty {
            let max_depth = options.limits.max_depth();
            let mut lts = Lts::new(input);
            element(input, &mut lts, max_depth, &mut m, root, lt, end, 1)?;
        }
        Ok(())
    }

    /// The next child element of an element of a checked document, from
    /// `k` inside its content: `(lt, name_end, content, empty)`, or `None`
    /// at the element's end tag.
    pub(super) fn next_child(
        input: &[u8],
        k: usize,
    ) -> PResult<Option<(usize, usize, usize, bool)>> {
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
    pub(super) fn past_child(
        input: &[u8],
        (lt, _, content, empty): (usize, usize, usize, bool),
    ) -> PResult<usize> {
        if empty {
            return Ok(content);
        }
        let after = skip(input, &mut Lts::new(input), MAX_DEPTH, lt, content, 1)?;
        end_tag_end(input, after, lt)
    }

    /// The offset after the `>` of the end tag whose `</` ends before `k`.
    fn end_tag_end(input: &[u8], k: usize, lt: usize) -> PResult<usize> {
        match find_byte(input, k, b'>') {
            Some(gt) => Ok(gt + 1),
            None => fail(ErrorKind::UnclosedTag, lt),
        }
    }

    /// The engine over one child element of a checked document, read by
    /// structure: returns the offset after the element.
    pub(super) fn item<'buf, S: Sink<'buf>>(
        set: &S::Trie,
        input: &'buf [u8],
        tag: (usize, usize, usize, bool),
        options: &Options,
        sink: &mut S,
    ) -> PResult<usize> {
        let (lt, name_end, content, empty) = tag;
        let mut m = Matcher::new(set, sink, options);
        let root = set.root();
        if set.has_attr(root) {
            attributes(input, str_of(input), &mut m, root, name_end, content)?;
        }
        if empty {
            return Ok(content);
        }
        let mut lts = Lts::new(input);
        match element(input, &mut lts, MAX_DEPTH, &mut m, root, lt, content, 1)? {
            Some(after) => end_tag_end(input, after, lt),
            // Every field known before the end: find the end by structure.
            None => past_child(input, tag),
        }
    }

    /// `input[a..b]` as checked UTF-8.
    fn str_of<'buf>(input: &'buf [u8]) -> impl Fn(usize, usize) -> PResult<&'buf str> + 'buf {
        move |a, b| scan::utf8(input.get(a..b).unwrap_or(&[]), a)
    }

    /// The checks before the first token (a declaration is read by a
    /// reader, as in `Full`; the size limit and the encoding were checked by
    /// [`PathSet::run`] before the format was sniffed), then comments and
    /// processing instructions up to the root's start tag, by their
    /// delimiters. Returns the root's `<`.
    fn root(input: &[u8], options: &Options) -> PResult<usize> {
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
    fn markup(input: &[u8], lt: usize) -> PResult<usize> {
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

    /// The start tag at `lt`, by its structure: the end of its name, the
    /// offset after its `>`, and whether it is an empty-element tag.
    #[inline(always)]
    fn start_tag(input: &[u8], lt: usize) -> PResult<(usize, usize, bool)> {
        // A name ends at whitespace, `/` or `>`.
        let name_end = scan::find_class(
            input,
            lt + 1,
            |v: V16| v.lt(0x21) | v.eq(b'>') | v.eq(b'/'),
            |b| b <= 0x20 || b == b'>' || b == b'/',
        );
        match input.get(name_end) {
            Some(b'>') => Ok((name_end, name_end + 1, false)),
            Some(b'/') if input.get(name_end + 1) == Some(&b'>') => {
                Ok((name_end, name_end + 2, true))
            }
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
    fn skip(
        input: &[u8],
        lts: &mut Lts<'_>,
        max_depth: usize,
        lt: usize,
        k: usize,
        depth: usize,
    ) -> PResult<usize> {
        let mut open = 1usize;
        let mut k = k;
        loop {
            let Some(i) = lts.next(k) else {
                return fail(ErrorKind::UnclosedElement, lt);
            };
            match input.get(i + 1) {
                Some(b'/') => {
                    k = i + 2;
                    open -= 1;
                    if open == 0 {
                        return Ok(k);
                    }
                }
                Some(b'!' | b'?') => k = markup(input, i)?,
                Some(_) => {
                    let (end, empty) = tag_end(input, i, i + 1)?;
                    // The child is one level below the `open` elements.
                    if depth + open > max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    if !empty {
                        open += 1;
                    }
                    k = end;
                }
                None => return fail(ErrorKind::UnclosedTag, i),
            }
        }
    }

    /// Bytes outside printable ASCII, and `<`, `&` and `]`: where
    /// [`plain_end`] stops.
    #[inline(always)]
    fn plain_class(v: V16) -> V16 {
        v.eq(b'<') | v.eq(b'&') | v.eq(b']') | v.lt(0x20) | v.range(0x80, 0xFF)
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

    /// The first byte at or after `k` that is `<`, `&`, `]` or not
    /// printable ASCII: a value that ends at a `<` found here is plain text
    /// (no reference, no `]]>`, no character to check).
    #[inline(always)]
    fn plain_end(input: &[u8], k: usize) -> usize {
        scan::find_run(
            input,
            k,
            plain_class,
            |b| matches!(b, b'<' | b'&' | b']') || !(0x20..0x80).contains(&b),
            |rest| memchr::memchr3(b'<', b'&', b']', rest),
            |_, span| !all_plain(span),
        )
    }

    /// The content of the element at `cur` opened at `lt` (nesting `depth`),
    /// from `content`, after its start tag, through its end tag. Returns an
    /// offset inside the end tag, after its `</`, or `None` when every path
    /// is settled.
    #[allow(clippy::too_many_arguments)]
    fn element<'buf, S: Sink<'buf>>(
        input: &'buf [u8],
        lts: &mut Lts<'_>,
        max_depth: usize,
        m: &mut Matcher<'_, '_, S>,
        cur: Cursor,
        lt: usize,
        content: usize,
        depth: usize,
    ) -> PResult<Option<usize>> {
        let set = m.set;
        let descend = set.descends(cur);
        let ends = set.ends(cur);
        if descend {
            m.enter(cur);
        }
        let mut has_child = false;
        let mut escaped = false;
        let mut k = content;
        let close = loop {
            // The text before the next markup: checked only while it may be
            // this element's value.
            let i = if ends != 0 && !has_child {
                let (i, e) = Reader::skim_text(input, k)?;
                escaped |= e;
                i
            } else {
                lts.next(k).unwrap_or(input.len())
            };
            match input.get(i + 1) {
                Some(b'/') => break i,
                Some(b'!' | b'?') => {
                    k = markup(input, i)?;
                    escaped = true;
                }
                Some(_) => {
                    let (name_end, ce, empty) = start_tag(input, i)?;
                    has_child = true;
                    if depth >= max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    let child = match descend {
                        true => set.child_in(cur, input, i + 1, name_end),
                        false => None,
                    };
                    let cc = match child {
                        Some(child) => m.item(cur, child, i)?,
                        None => None,
                    };
                    let Some(cc) = cc else {
                        k = if empty {
                            ce
                        } else {
                            skip(input, lts, max_depth, i, ce, depth + 1)?
                        };
                        continue;
                    };
                    if set.has_attr(cc) {
                        attributes(input, str_of(input), m, cc, name_end, ce)?;
                    }
                    if empty {
                        let e = set.ends(cc);
                        if e != 0 {
                            m.emit(e, Kind::Text, ce, Text::EMPTY)?;
                        }
                        m.done(cc);
                        k = ce;
                    } else {
                        let leaf = !set.descends(cc);
                        let p = if leaf { plain_end(input, ce) } else { ce };
                        if leaf && input.get(p) == Some(&b'<') && input.get(p + 1) == Some(&b'/') {
                            // A leaf of plain text, read in one step.
                            let e = set.ends(cc);
                            if e != 0 {
                                let bytes = input.get(ce..p).unwrap_or(&[]);
                                let s = match crate::simd::utf8_inline(bytes) {
                                    Ok(s) => s,
                                    Err(bad) => return fail(ErrorKind::InvalidUtf8, ce + bad),
                                };
                                m.emit(e, Kind::Text, ce, Text::plain(s))?;
                            }
                            m.done(cc);
                            k = p + 2;
                        } else {
                            match element(input, lts, max_depth, m, cc, i, ce, depth + 1)? {
                                Some(after) => k = after,
                                None => return Ok(None),
                            }
                        }
                    }
                    if m.all_settled() {
                        return Ok(None);
                    }
                }
                None => return fail(ErrorKind::UnclosedElement, lt),
            }
        };
        if ends != 0 {
            if has_child {
                let Some(gt) = find_byte(input, close + 2, b'>') else {
                    return fail(ErrorKind::UnclosedTag, close);
                };
                let raw = str_of(input)(lt, gt + 1)?;
                m.emit(ends, Kind::Container, lt, Text::plain(raw))?;
            } else {
                let text = str_of(input)(content, close)?;
                let escape = if escaped {
                    Escape::XmlContent
                } else {
                    Escape::None
                };
                m.emit(ends, Kind::Text, content, Text::new(text, escape))?;
            }
        }
        m.done(cur);
        Ok(Some(close + 2))
    }
}
