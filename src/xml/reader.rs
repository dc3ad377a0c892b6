//! The public [`Reader`], its [`Event`]s and [`Tag`]s, the [`Attributes`]
//! iterator, and the token-level interface the path engine and the typed
//! view drive ([`Tok`], [`Content`], [`Reader::next_token`] and its kin).

use super::lex::{find_byte, Short};
use crate::config::{Limits, Options, Settings, MAX_DEPTH};
use crate::scan::{self, fail, is_ws, Fail, PResult};
use crate::simd::V16;
use crate::text::{Escape, Text};
use crate::{Error, ErrorKind};

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Prolog,
    Content,
    Epilog,
}

/// The length from which an open element's name length is not kept but
/// read again (see `Reader::open_len`).
pub(super) const LONG_NAME: u8 = u8::MAX;

/// A token of the internal tokenizer (offsets into the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A start tag from `start` (the `<`) to `end` (after `>`); the name is
    /// `start + 1 .. name_end`. `empty` for `<x/>`.
    Start {
        start: usize,
        name_end: usize,
        end: usize,
        empty: bool,
    },
    /// An end tag from `start` (the `<`) to `end` (after `>`).
    End { start: usize, end: usize },
    /// Character data; `escaped` when it holds references or `\r`.
    Text {
        start: usize,
        end: usize,
        escaped: bool,
    },
    /// A CDATA section from its `<` to after `]]>`.
    CData { start: usize, end: usize },
    /// A comment or processing instruction inside the root element.
    Markup,
    /// The end of a complete document.
    Eof,
}

/// The kind of the token [`Reader::step`] read. Its offsets stay in the
/// reader (the token starts at `tok`, ends at `pos`; a start tag's name
/// ends at `name_end`), so the result is one byte and comes back in
/// registers: a [`Tok`] returned through `?` went through the stack, and
/// its 24 bytes of offsets, written as three 8-byte stores, were read back
/// with a 16-byte load that waits for both stores to retire (a
/// store-forwarding stall on every tag; `perf annotate` of `Reader::next`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// A start tag.
    Start,
    /// An empty-element tag.
    Empty,
    /// An end tag.
    End,
    /// Character data that needs no decoding.
    Text,
    /// Character data with references or `\r`.
    EscapedText,
    /// A CDATA section.
    CData,
    /// A comment or processing instruction inside the root element.
    Markup,
    /// The end of a complete document.
    Eof,
}

/// A borrowed XML pull reader.
///
/// `'buf` is the lifetime of the input buffer; every slice it hands out
/// borrows from it.
///
/// # Examples
/// ```
/// use wanxiang::xml::{Event, Reader};
/// let mut r = Reader::new(b"<?xml version='1.0'?><a x=\"1\">hi &amp; bye<b/></a>")?;
/// let mut seen = Vec::new();
/// loop {
///     match r.next()? {
///         Event::Start(t) => seen.push(format!("start {}", t.name_str().unwrap())),
///         Event::Empty(t) => seen.push(format!("empty {}", t.name_str().unwrap())),
///         Event::End(t) => seen.push(format!("end {}", t.name_str().unwrap())),
///         Event::Text(t) => seen.push(format!("text {}", t.to_cow())),
///         Event::CData(t) => seen.push(format!("cdata {t}")),
///         Event::Eof => break,
///     }
/// }
/// assert_eq!(seen, ["start a", "text hi & bye", "empty b", "end a"]);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'buf> {
    pub(super) input: &'buf [u8],
    pub(super) pos: usize,
    /// Where the last token of [`step`](Self::step) starts.
    pub(super) tok: usize,
    /// Where the name of the last start tag ends.
    pub(super) name_end: usize,
    pub(super) depth: usize,
    /// Offset (the byte after its `<`) of the name of each open element.
    pub(super) open: [u32; MAX_DEPTH],
    /// Length of the name of each open element, [`LONG_NAME`] for one of
    /// that length or more (read again from the start tag). Kept apart from
    /// the offsets so the reader is 1.4 KiB, not 2.1: a small document paid
    /// for zeroing it and, through `Reader::with_options`, moving it
    /// (`memset` and `memmove` were 6% of `sample_1.xml`'s time).
    pub(super) open_len: [u8; MAX_DEPTH],
    pub(super) state: State,
    /// Skim and the depth and attribute limits.
    pub(super) settings: Settings,
    /// The whole input as validated UTF-8 (`Full` only).
    pub(super) valid: Option<&'buf str>,
    /// `input[..ascii]` is all ASCII (`Full` only, else 0): text there holds
    /// no `EF` to check.
    pub(super) ascii: usize,
}

/// What [`Reader::leaf`] found after a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Content {
    /// Text up to `end`, then the end tag, which ends at `after`.
    Leaf {
        end: usize,
        after: usize,
        escaped: bool,
    },
    /// Text (possibly empty) that markup other than the end tag follows.
    Text { escaped: bool },
}

/// One event of [`Reader::next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'buf> {
    /// A start tag `<name …>`.
    Start(Tag<'buf>),
    /// An empty-element tag `<name …/>` (no `End` follows).
    Empty(Tag<'buf>),
    /// An end tag `</name>`.
    End(Tag<'buf>),
    /// A run of character data between markup (references not yet decoded).
    Text(Text<'buf>),
    /// The content of a CDATA section (never needs decoding).
    CData(&'buf str),
    /// The end of the document.
    Eof,
}

/// A start, empty-element or end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'buf> {
    name: &'buf [u8],
    /// The attribute area, checked (UTF-8 included) when the tag was read.
    attrs: &'buf str,
    attrs_offset: usize,
    offset: usize,
}

impl<'buf> Tag<'buf> {
    /// The element name as written (prefix included).
    pub fn name(&self) -> &'buf [u8] {
        self.name
    }
    /// The name as a `&str` (`None` only for names that are not UTF-8, which a
    /// `Full` reader never produces).
    pub fn name_str(&self) -> Option<&'buf str> {
        crate::simd::utf8(self.name).ok()
    }
    /// Byte offset of the tag's `<`.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The attributes, in document order (none for end tags).
    pub fn attributes(&self) -> Attributes<'buf> {
        Attributes {
            bytes: self.attrs,
            pos: 0,
            base: self.attrs_offset,
        }
    }
}

/// One attribute of a start tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'buf> {
    /// The name as written.
    pub name: &'buf [u8],
    /// The value between the quotes.
    pub value: Text<'buf>,
    /// Byte offset of the value (after the opening quote).
    pub offset: usize,
}

/// Iterator over the attributes of a tag that the reader has already checked
/// (the values are slices of the tag's checked text: nothing is validated twice).
#[derive(Debug, Clone)]
pub struct Attributes<'buf> {
    bytes: &'buf str,
    pos: usize,
    base: usize,
}

impl<'buf> Iterator for Attributes<'buf> {
    type Item = Attribute<'buf>;

    #[inline]
    fn next(&mut self) -> Option<Attribute<'buf>> {
        let bytes = self.bytes.as_bytes();
        let (name, v0, v1, escaped) = attr_at(bytes, &mut self.pos)?;
        // Quotes are ASCII, so the value is a `str` slice of the checked area.
        let value = self.bytes.get(v0..v1)?;
        Some(Attribute {
            name: bytes.get(name.0..name.1)?,
            value: Text::new(
                value,
                if escaped {
                    Escape::XmlAttr
                } else {
                    Escape::None
                },
            ),
            offset: self.base + v0,
        })
    }
}

/// Steps over one attribute of an already-validated attribute area.
/// Returns the name range and the value range.
#[inline]
pub(crate) fn next_attr(bytes: &[u8], pos: &mut usize) -> Option<((usize, usize), usize, usize)> {
    attr_at(bytes, pos).map(|(name, v0, v1, _)| (name, v0, v1))
}

/// [`next_attr`], also telling whether the value holds a reference, tab,
/// newline or `\r` (bytes its decoding changes). One pass over the value:
/// in a checked area the only bytes below `0x20` are those three.
#[inline(always)]
fn attr_at(bytes: &[u8], pos: &mut usize) -> Option<((usize, usize), usize, usize, bool)> {
    let n0 = match bytes.get(*pos) {
        Some(&b) if is_ws(b) => super::markup::skip_sep(bytes, *pos),
        _ => *pos,
    };
    let first = *bytes.get(n0)?;
    if first == b'/' || first == b'>' {
        return None;
    }
    if let Some(chunk) = scan::block_at(bytes, n0) {
        if let Some(found) = attr_block(bytes, n0, V16::load(chunk)) {
            *pos = found.2 + 1;
            return Some(found);
        }
    }
    // The name ends at whitespace or at the `=`.
    let n1 = scan::find_class(
        bytes,
        n0,
        |v: V16| v.eq(b'=') | v.lt(0x21),
        |b| b == b'=' || b <= b' ',
    );
    let eq = scan::skip_ws(bytes, n1);
    if bytes.get(eq) != Some(&b'=') {
        return None;
    }
    let q = scan::skip_ws(bytes, eq + 1);
    let quote = *bytes.get(q)?;
    let (v1, escaped) = value_end(bytes, q + 1, quote)?;
    *pos = v1 + 1;
    Some(((n0, n1), q + 1, v1, escaped))
}

/// [`attr_at`] for the common form `name="value"` (or `'value'`: nothing
/// between the name, the `=` and the quote) whose name and opening quote are
/// in the 16 bytes `v` at `n0`: the name's end, the quote and, when the
/// block holds it, the value's end come from the block's masks, with no
/// load that waits for the search before it. `None` for any other form.
#[inline(always)]
fn attr_block(bytes: &[u8], n0: usize, v: V16) -> Option<((usize, usize), usize, usize, bool)> {
    let eqs = v.eq(b'=').bits();
    let e = (eqs | v.lt(0x21).bits()).trailing_zeros();
    // `e` is 32 when nothing stops the name: `>> e` is then out of range.
    if e >= 15 || (eqs >> e) & 1 == 0 {
        return None;
    }
    let q = e + 1;
    let double = v.eq(b'"').bits();
    let (quotes, quote) = if (double >> q) & 1 != 0 {
        (double, b'"')
    } else {
        let single = v.eq(b'\'').bits();
        if (single >> q) & 1 == 0 {
            return None;
        }
        (single, b'\'')
    };
    let v0 = n0 + q as usize + 1;
    let special = (v.eq(b'&') | v.lt(0x20)).bits();
    // The lanes after the opening quote, the lowest bit of `quotes` (the
    // name and the `=` hold none): found without waiting for `q`.
    let after = !(quotes ^ quotes.wrapping_sub(1));
    let closing = quotes & after;
    let (v1, escaped) = if closing != 0 {
        // The closing quote's lane, at most 15.
        let lane = closing.trailing_zeros();
        (
            n0 + lane as usize,
            special & after & ((1u32 << lane) - 1) != 0,
        )
    } else {
        // Nothing in the block after the quote is the closing quote.
        let (v1, more) = value_end(bytes, n0 + 16, quote)?;
        (v1, special & after != 0 || more)
    };
    Some(((n0, n0 + e as usize), v0, v1, escaped))
}

/// The closing `quote` of a value of a checked area, searched from `k`, and
/// whether the value from `k` holds a reference or a byte below `0x20`.
#[inline(always)]
fn value_end(bytes: &[u8], k: usize, quote: u8) -> Option<(usize, bool)> {
    let hit = scan::find_class(
        bytes,
        k,
        |v: V16| v.eq(quote) | v.eq(b'&') | v.lt(0x20),
        |b| b == quote || b == b'&' || b < 0x20,
    );
    match bytes.get(hit) {
        Some(&b) if b == quote => Some((hit, false)),
        Some(_) => Some((find_byte(bytes, hit, quote)?, true)),
        None => None,
    }
}

impl<'buf> Reader<'buf> {
    /// A reader with the default [`Options`].
    ///
    /// # Errors
    /// The document's size, encoding or declaration is unacceptable (see
    /// [`Reader::with_options`]).
    pub fn new(input: &'buf [u8]) -> Result<Self, Error> {
        Self::with_options(input, &Options::default())
    }

    /// A reader with explicit options. In [`Validation::Full`](crate::config::Validation::Full) the whole input
    /// is checked to be UTF-8 here, in one pass.
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`], [`ErrorKind::InvalidUtf8`],
    /// [`ErrorKind::UnsupportedEncoding`], [`ErrorKind::BadDeclaration`].
    pub fn with_options(input: &'buf [u8], options: &Options) -> Result<Self, Error> {
        // Built in place, not moved out of the `PResult` of `start`: the
        // reader is over 1 KiB, and a small document paid a `memcpy` of it.
        let mut r = Self::blank(input, options);
        match r.begin(options) {
            Ok(()) => Ok(r),
            Err(f) => Err(f.error(input)),
        }
    }

    /// [`blank`](Self::blank) then [`begin`](Self::begin): a reader at its first token.
    pub(crate) fn start(input: &'buf [u8], options: &Options) -> PResult<Self> {
        let mut r = Self::blank(input, options);
        r.begin(options)?;
        Ok(r)
    }

    /// A reader that has not looked at its input yet; [`begin`](Self::begin)
    /// must run before the first token. Split from it so a caller can build
    /// the reader (and its 1.4 KiB stack) in place instead of moving it out of
    /// a `Result`.
    #[inline(always)]
    pub(crate) fn blank(input: &'buf [u8], options: &Options) -> Self {
        Reader {
            input,
            pos: 0,
            tok: 0,
            name_end: 0,
            depth: 0,
            open: [0; MAX_DEPTH],
            open_len: [0; MAX_DEPTH],
            state: State::Prolog,
            settings: options.settings(),
            valid: None,
            ascii: 0,
        }
    }

    /// Checks the size, encoding and UTF-8 of the input and reads an XML
    /// declaration.
    pub(crate) fn begin(&mut self, options: &Options) -> PResult<()> {
        let input = self.input;
        let crate::input::Prepared { body, valid, ascii } = prepare(input, options)?;
        self.pos = body;
        self.valid = valid;
        self.ascii = ascii;
        if input.get(body..).is_some_and(|s| s.starts_with(b"<?xml"))
            && input.get(body + 5).is_some_and(|&b| is_ws(b) || b == b'?')
        {
            self.pos = self.declaration(body)?;
        }
        Ok(())
    }

    /// The next event.
    ///
    /// # Errors
    /// The first well-formedness error at or after the current position; after
    /// an error the reader should not be used again.
    #[allow(clippy::should_implement_trait)] // fallible, so not `Iterator::next`
    pub fn next(&mut self) -> Result<Event<'buf>, Error> {
        self.next_event().map_err(|f| f.error(self.input))
    }

    fn next_event(&mut self) -> PResult<Event<'buf>> {
        loop {
            let input = self.input;
            let slice = |a: usize, b: usize| input.get(a..b).unwrap_or(&[]);
            let step = self.step()?;
            let (start, end) = (self.tok, self.pos);
            return Ok(match step {
                Step::Start | Step::Empty => {
                    let name_end = self.name_end;
                    let attrs_end = if step == Step::Empty {
                        end - 2
                    } else {
                        end - 1
                    };
                    let tag = Tag {
                        name: slice(start + 1, name_end),
                        // Checked by `start_tag` (in `Skim`, when it has attributes:
                        // without, the area is whitespace, checked here in a step).
                        attrs: scan::str_at(self.valid, input, name_end, attrs_end)?,
                        attrs_offset: name_end,
                        offset: start,
                    };
                    if step == Step::Empty {
                        Event::Empty(tag)
                    } else {
                        Event::Start(tag)
                    }
                }
                Step::End => {
                    // `end_tag` matched the name of the element it closed,
                    // whose slot is the one just above the depth now.
                    let len = self.open_name(self.depth).1;
                    let name_end = start + 2 + len;
                    Event::End(Tag {
                        name: slice(start + 2, name_end),
                        attrs: "",
                        attrs_offset: name_end,
                        offset: start,
                    })
                }
                Step::Text | Step::EscapedText => {
                    let s = self.str(start, end)?;
                    Event::Text(Text::new(
                        s,
                        if step == Step::EscapedText {
                            Escape::XmlContent
                        } else {
                            Escape::None
                        },
                    ))
                }
                Step::CData => Event::CData(self.str(start + 9, end - 3)?),
                Step::Markup => continue,
                Step::Eof => Event::Eof,
            });
        }
    }

    /// Skips the rest of the element whose start tag was the last event: its
    /// content and its end tag. In [`Validation::Full`](crate::config::Validation::Full) everything skipped is
    /// checked; in [`Validation::Skim`](crate::config::Validation::Skim) only the structure is followed.
    ///
    /// # Errors
    /// As for [`next`](Reader::next); also when there is no open element.
    pub fn skip_element(&mut self) -> Result<(), Error> {
        if self.depth == 0 {
            return Err(Error::at(ErrorKind::UnexpectedEndTag, self.pos, self.input));
        }
        self.skip().map_err(|f| f.error(self.input))
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Number of open elements.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Where the token of the last [`step`](Self::step) starts.
    #[inline(always)]
    pub(crate) fn token_start(&self) -> usize {
        self.tok
    }

    /// Where the name of the last start tag ends.
    #[inline(always)]
    pub(crate) fn name_end(&self) -> usize {
        self.name_end
    }

    /// The input as `&str` for a range the reader has validated.
    pub(crate) fn input(&self) -> &'buf [u8] {
        self.input
    }

    // ---- tokenizer ----------------------------------------------------------

    /// The next token. Comments and PIs outside the root are skipped here;
    /// inside it they come back as [`Tok::Markup`] so callers know the
    /// element's text needs decoding.
    #[inline]
    pub(crate) fn next_token(&mut self) -> PResult<Tok> {
        let step = self.step()?;
        Ok(self.tok(step))
    }

    /// The token [`step`](Self::step) just read, with its offsets.
    #[inline(always)]
    pub(crate) fn tok(&self, step: Step) -> Tok {
        let (start, end) = (self.tok, self.pos);
        match step {
            Step::Start | Step::Empty => Tok::Start {
                start,
                name_end: self.name_end,
                end,
                empty: step == Step::Empty,
            },
            Step::End => Tok::End { start, end },
            Step::Text | Step::EscapedText => Tok::Text {
                start,
                end,
                escaped: step == Step::EscapedText,
            },
            Step::CData => Tok::CData { start, end },
            Step::Markup => Tok::Markup,
            Step::Eof => Tok::Eof,
        }
    }

    /// [`next_token`](Self::next_token) as a [`Step`]: the token starts at
    /// `tok` and ends at `pos`. Always inlined when optimised: the event
    /// loop and the path engine take the step in registers.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn step(&mut self) -> PResult<Step> {
        loop {
            let i = self.pos;
            self.tok = i;
            match self.input.get(i) {
                None => return self.eof(),
                Some(b'<') => {
                    let step = self.markup::<false>(i)?;
                    if step == Step::Markup && self.state != State::Content {
                        continue;
                    }
                    return Ok(step);
                }
                Some(_) => {
                    if self.state != State::Content {
                        let k = scan::skip_ws(self.input, i);
                        if k < self.input.len() && self.input.get(k) != Some(&b'<') {
                            return fail(ErrorKind::TextOutsideRoot, k);
                        }
                        self.pos = k;
                        continue;
                    }
                    let (end, escaped) = self.text(i)?;
                    self.pos = end;
                    return Ok(if escaped {
                        Step::EscapedText
                    } else {
                        Step::Text
                    });
                }
            }
        }
    }

    /// [`step`](Self::step) for callers that ignore whitespace between
    /// tags (path extraction, skipping): inside the root, an indentation run
    /// (no `\r`) followed by markup is stepped over without a `Text` token.
    /// Such a run can hold no error and needs no decoding. Only for a reader
    /// inside an element (depth at least one, so `State::Content`: the path
    /// engine's walk and [`skip`](Self::skip)), which lets a start tag skip
    /// the checks and the store of the state.
    ///
    /// Always inlined when optimised: the step then stays in registers
    /// (6% fewer instructions on the seed, 9% on 100 jobs, callgrind, when
    /// it returned a whole token); only hinted with debug assertions, for
    /// the stack reason given at [`leaf`](Self::leaf).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn step_in_content(&mut self) -> PResult<Step> {
        debug_assert!(
            self.state == State::Content,
            "step_in_content outside the root"
        );
        let k = scan::skip_ws_lf(self.input, self.pos);
        if self.input.get(k) == Some(&b'<') {
            self.tok = k;
            return self.markup::<true>(k);
        }
        self.step()
    }

    /// Turns `UnexpectedEof` from a scanner inside the content into the
    /// unclosed element it leaves.
    #[cold]
    pub(super) fn cut(&self, f: Fail) -> Fail {
        match (f.kind(), self.eof()) {
            (ErrorKind::UnexpectedEof, Err(unclosed)) => unclosed,
            _ => f,
        }
    }

    #[cold]
    fn eof(&self) -> PResult<Step> {
        match self.state {
            State::Epilog => Ok(Step::Eof),
            State::Prolog => fail(ErrorKind::NoRoot, self.input.len()),
            State::Content => {
                let at = self
                    .open
                    .get(self.depth.wrapping_sub(1))
                    .map_or(0, |&o| (o as usize).saturating_sub(1));
                fail(ErrorKind::UnclosedElement, at)
            }
        }
    }

    /// Offset and length of the name of the open element in `slot`.
    #[inline(always)]
    pub(super) fn open_name(&self, slot: usize) -> (usize, usize) {
        let at = self.open.get(slot).map_or(0, |&o| o as usize);
        match self.open_len.get(slot) {
            Some(&n) if n < LONG_NAME => (at, usize::from(n)),
            Some(_) => (at, self.long_name(at)),
            None => (at, 0),
        }
    }

    /// The length of a name of [`LONG_NAME`] bytes or more at `at`, read
    /// again (the start tag's name was read with the same scanner).
    #[cold]
    #[inline(never)]
    fn long_name(&self, at: usize) -> usize {
        super::lex::scan_name(self.input, at).map_or(0, |end| end - at)
    }

    /// `input[a..b]` as checked UTF-8.
    #[inline]
    pub(crate) fn str(&self, a: usize, b: usize) -> PResult<&'buf str> {
        scan::str_at(self.valid, self.input, a, b)
    }

    /// The leaf fast path, right after a start tag. Reads the character data
    /// that follows; when the end tag comes next (`<Name>value</Name>`, most
    /// elements of a callback) consumes it too and returns [`Content::Leaf`],
    /// else stops before the markup and returns [`Content::Text`]. Either way
    /// the text is read once.
    ///
    /// Always inlined when optimised (2–4% fewer instructions on the seed and
    /// on 100 jobs, callgrind); only hinted in builds with debug assertions,
    /// where an always-inlined scanner makes the unoptimised frame of
    /// `path::select_xml::element` big enough to overflow a 64 KiB thread stack at a
    /// few path steps (`tests/hostile.rs`, with Rust 1.85).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn leaf(&mut self) -> PResult<Content> {
        let (end, escaped) = match super::lex::short_text(self.input, self.pos) {
            Some(Short::Ends(end, slash)) => {
                if slash {
                    self.end_tag(end)?;
                    return Ok(Content::Leaf {
                        end,
                        after: self.pos,
                        escaped: false,
                    });
                }
                self.pos = end;
                return Ok(Content::Text { escaped: false });
            }
            // Text that fills the block: no indentation to skip.
            Some(Short::From(k)) => self.text_on(k)?,
            None => self.text(self.pos)?,
        };
        if self.input.get(end + 1) == Some(&b'/') {
            self.end_tag(end)?;
            return Ok(Content::Leaf {
                end,
                after: self.pos,
                escaped,
            });
        }
        self.pos = end;
        Ok(Content::Text { escaped })
    }

    /// Checks the rest of the document after the root element.
    ///
    /// Most documents end at their root's end tag, or with a line break or
    /// other whitespace after it: that is found here, inline, without the
    /// steps of [`finish_steps`](Self::finish_steps) (80 instructions of
    /// the seed's 11,568, callgrind).
    #[inline(always)]
    pub(crate) fn finish(&mut self) -> PResult<()> {
        if self.state == State::Epilog {
            let input = self.input;
            let rest = input.get(self.pos..).unwrap_or(&[]);
            if rest.len() < 16 && rest.iter().all(|&b| is_ws(b)) {
                self.pos = input.len();
                return Ok(());
            }
        }
        self.finish_steps()
    }

    /// [`finish`](Self::finish) step by step.
    #[inline(never)]
    fn finish_steps(&mut self) -> PResult<()> {
        while self.step()? != Step::Eof {}
        Ok(())
    }
}

/// Checks the element whose start tag opens at `lt`, and everything in it,
/// as `Full` reads them (under `limits`, its nesting counted from it), and
/// returns the offset after its end tag. For `Skim`, which finds the markup
/// of an element it returns by structure alone; the caller has checked its
/// UTF-8. Out of line: few paths return an element with children.
#[inline(never)]
pub(crate) fn check_element(input: &[u8], lt: usize, limits: Limits) -> PResult<usize> {
    let options = Options::new().with_limits(limits);
    // A reader whose root is the element: its last step is the element's end.
    let mut r = Reader::blank(input, &options);
    r.pos = lt;
    loop {
        let step = r.step()?;
        if r.depth == 0 && step != Step::Markup {
            return Ok(r.pos);
        }
    }
}

/// [`crate::input::prepare`] with the first-error rule of [`crate::input::prepare_first`],
/// reading a valid prefix with this format's reader.
#[inline]
pub(crate) fn prepare<'buf>(
    input: &'buf [u8],
    options: &Options,
) -> PResult<crate::input::Prepared<'buf>> {
    crate::input::prepare_first(input, options, read_all)
}

/// Reads a whole document token by token (the cold path of [`prepare`]).
fn read_all(input: &[u8], options: &Options) -> PResult<()> {
    let mut r = Reader::start(input, options)?;
    while r.step()? != Step::Eof {}
    Ok(())
}
