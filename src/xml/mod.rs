//! A borrowed pull reader for XML 1.0 (fifth edition) documents.
//!
//! [`Reader::next`] yields [`Event`]s whose names and values are slices of the
//! caller's buffer. Comments, processing instructions and the `<?xml …?>`
//! declaration are checked and skipped; a `<!DOCTYPE` is an error (no DTD is
//! ever read, so no entity expansion and nothing external). Open elements are
//! kept in a fixed array of [`MAX_DEPTH`] offsets: the reader
//! never allocates.
//!
//! # What is checked (XML 1.0 section in brackets)
//! - matching end tags [§3 WFC Element Type Match], one root element, only
//!   whitespace, comments and PIs outside it [§2.1];
//! - every character is a `Char` [§2.2] and the input is UTF-8 [§4.3.3];
//! - names [§2.3], attributes: `Name Eq AttValue`, whitespace between them,
//!   no `<` in values, no duplicates [§3.1];
//! - references: the five predefined entities and character references to a
//!   legal `Char` [§4.1, §4.6]; no `]]>` in text [§2.4]; no `--` in comments
//!   [§2.5]; PI targets other than `xml` [§2.6]; terminated CDATA [§2.7];
//! - the declaration's `version`, `encoding` (UTF-8 only) and `standalone` [§2.8].
//!
//! # States
//! ```text
//!  Prolog --root start tag--> Content --root end tag--> Epilog --end of input--> done
//!    |  (root is <x/>) ---------------------------------^
//! ```
//! In `Prolog` and `Epilog` only whitespace, comments and PIs may appear.

use crate::config::{Options, Validation, MAX_DEPTH};
use crate::scan::{self, fail, find, is_ws, word_at, Fail, PResult};
use crate::simd::V16;
use crate::text::{char_ref, Escape, Text};
use crate::{Error, ErrorKind};

/// Where the reader is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prolog,
    Content,
    Epilog,
}

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
    input: &'buf [u8],
    pos: usize,
    depth: usize,
    /// Offset (the byte after its `<`) and length of the name of each open element.
    open: [(u32, u32); MAX_DEPTH],
    state: State,
    max_depth: usize,
    max_attrs: usize,
    skim: bool,
    /// The whole input as validated UTF-8 (`Full` only).
    valid: Option<&'buf str>,
    /// `input[..ascii]` is all ASCII (`Full` only, else 0): text there holds
    /// no `EF` to check.
    ascii: usize,
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

    fn next(&mut self) -> Option<Attribute<'buf>> {
        let bytes = self.bytes.as_bytes();
        let (name, v0, v1) = next_attr(bytes, &mut self.pos)?;
        // Quotes are ASCII, so the value is a `str` slice of the checked area.
        let value = self.bytes.get(v0..v1)?;
        let escaped = value
            .bytes()
            .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
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

/// What follows a start tag's name or one of its attributes.
enum After {
    /// The tag ends before this offset; `true` for an empty-element tag.
    End(usize, bool),
    /// An attribute name starts here.
    Attribute(usize),
}

/// Reads from `k` (after the name or an attribute of the start tag opened at
/// `tag`) to the tag's end or the next attribute.
#[inline(always)]
fn tag_end(input: &[u8], tag: usize, mut k: usize) -> PResult<After> {
    loop {
        match input.get(k) {
            Some(b'>') => return Ok(After::End(k + 1, false)),
            Some(b'/') => {
                return match input.get(k + 1) {
                    Some(b'>') => Ok(After::End(k + 2, true)),
                    None => fail(ErrorKind::UnclosedTag, tag),
                    Some(_) => fail(ErrorKind::UnexpectedByte { expected: "`>`" }, k + 1),
                }
            }
            Some(&b) if is_ws(b) => {
                k = scan::skip_ws(input, k);
                match input.get(k) {
                    Some(b'>' | b'/') => continue,
                    None => return fail(ErrorKind::UnclosedTag, tag),
                    Some(_) => return Ok(After::Attribute(k)),
                }
            }
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => {
                return fail(
                    ErrorKind::UnexpectedByte {
                        expected: "whitespace, `>` or `/>`",
                    },
                    k,
                )
            }
        }
    }
}

/// How [`Reader::attribute_run`] stopped.
enum Run {
    /// The tag ends before this offset; `true` for an empty-element tag.
    Done(usize, bool),
    /// The table of names is full; the next attribute starts at the offset,
    /// and this many were read.
    Full(usize, usize),
}

/// Attribute names a start tag keeps on its stack before it moves to the
/// larger table (most real tags have fewer: 2 to 3 in RSS or RPM metadata,
/// 14 on average in `players.xml`).
const SEEN_SMALL: usize = 16;

/// Attribute names the larger table holds: the default
/// [`Limits::max_attributes`](crate::Limits::max_attributes), so with the
/// default limits no name is ever re-read.
const SEEN_LARGE: usize = 256;

/// The names of the attributes of one start tag read so far, for the Unique
/// Att Spec check (XML 1.0 §3.1) without re-reading earlier attributes. Each
/// name is kept as its first eight bytes and its length (one compare of each
/// rejects almost every pair) and its offset, for the pairs that agree on
/// both and are longer than eight bytes.
///
/// # Complexity
/// A new name is compared with every name before it: at most `N` word
/// compares, plus a byte compare for names with the same length and first
/// eight bytes. For a tag of `n` attributes that is `n²/2` word compares;
/// with the default limit of 256, at most 32 640 for a tag of at least
/// 1.3 KB. The tables cost `16 × N` bytes of stack: 256 bytes for every
/// tag with attributes, 4 KiB more for a tag with more than 16.
struct Seen<const N: usize> {
    heads: [u64; N],
    /// Offset and length of each name.
    names: [(u32, u32); N],
    len: usize,
}

impl<const N: usize> Seen<N> {
    fn new() -> Self {
        Seen {
            heads: [0; N],
            names: [(0, 0); N],
            len: 0,
        }
    }

    /// A larger table with the same names.
    fn grow<const M: usize>(&self) -> Seen<M> {
        let mut more = Seen::<M>::new();
        for ((h, n), (mh, mn)) in self
            .heads
            .iter()
            .zip(&self.names)
            .zip(more.heads.iter_mut().zip(more.names.iter_mut()))
            .take(self.len)
        {
            *mh = *h;
            *mn = *n;
        }
        more.len = self.len.min(M);
        more
    }

    fn is_full(&self) -> bool {
        self.len >= N
    }

    /// Whether `input[a..b]` is one of the names; records it when it is not
    /// and there is room.
    #[inline]
    fn check(&mut self, input: &[u8], a: usize, b: usize) -> bool {
        let name = input.get(a..b).unwrap_or(&[]);
        let h = first_word(name);
        // The input is at most u32::MAX bytes (Limits::max_input).
        let len = u32::try_from(name.len()).unwrap_or(u32::MAX);
        let n = self.len.min(N);
        let heads = self.heads.get(..n).unwrap_or(&[]);
        let names = self.names.get(..n).unwrap_or(&[]);
        for (&hh, &(at, l)) in heads.iter().zip(names) {
            if hh == h && l == len {
                let at = at as usize;
                if name.len() <= 8 || input.get(at + 8..at + name.len()) == name.get(8..) {
                    return true;
                }
            }
        }
        if let (Some(hs), Some(ns)) = (self.heads.get_mut(n), self.names.get_mut(n)) {
            *hs = h;
            *ns = (u32::try_from(a).unwrap_or(u32::MAX), len);
            self.len = n + 1;
        }
        false
    }
}

/// The first eight bytes of `name`, zero-padded, as one word.
#[inline(always)]
fn first_word(name: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (d, &b) in w.iter_mut().zip(name) {
        *d = b;
    }
    u64::from_le_bytes(w)
}

/// Steps over one attribute of an already-validated attribute area.
/// Returns the name range and the value range.
pub(crate) fn next_attr(bytes: &[u8], pos: &mut usize) -> Option<((usize, usize), usize, usize)> {
    let n0 = scan::skip_ws(bytes, *pos);
    let first = *bytes.get(n0)?;
    if first == b'/' || first == b'>' {
        return None;
    }
    let eq = n0 + memchr::memchr(b'=', bytes.get(n0..)?)?;
    let mut n1 = eq;
    while n1 > n0 && bytes.get(n1 - 1).is_some_and(|&b| is_ws(b)) {
        n1 -= 1;
    }
    let q = scan::skip_ws(bytes, eq + 1);
    let quote = *bytes.get(q)?;
    let v1 = q + 1 + memchr::memchr(quote, bytes.get(q + 1..)?)?;
    *pos = v1 + 1;
    Some(((n0, n1), q + 1, v1))
}

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
fn scan_name(input: &[u8], i: usize) -> PResult<usize> {
    let mut k = match input.get(i) {
        Some(&b) if scan::is(&NAME_START, b) => i + 1,
        Some(&b) if b >= 0x80 => match scan::char_at(input, i) {
            Some((c, n)) if is_name_start_char(c) => i + n,
            Some(_) => return fail(ErrorKind::BadName, i),
            None => return fail(ErrorKind::InvalidUtf8, i),
        },
        _ => return fail(ErrorKind::BadName, i),
    };
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
fn non_name_bits(v: V16) -> u32 {
    let name = v.or_bits(0x20).range(b'a', b'z') | v.range(b'-', b':') | v.eq(b'_');
    (!name.bits() | v.eq(b'/').bits()) & 0xFFFF
}

/// [`scan::find_run`] (16 bytes at a time over the first 64, then `long`,
/// a `memchr`) for the bytes `mask`/`tail` mark, as an `Option`: skipped
/// content is mostly short, where a `memchr` call costs more than it saves.
#[inline(always)]
fn find_short(
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
/// Written with `|`, not `||`, so the chunked search vectorises it.
#[inline(always)]
const fn text_special(b: u8) -> bool {
    (b == b'<')
        | (b == b'&')
        | (b == b']')
        | ((b < 0x20) & (b != b'\t') & (b != b'\n'))
        | (b == 0xEF)
}
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
fn check_other(input: &[u8], k: usize, b: u8) -> PResult<bool> {
    match b {
        b'\r' => Ok(true),
        b'\n' | b'\t' => Ok(false),
        0xEF => check_ef(input, k).map(|()| false),
        _ => fail(ErrorKind::IllegalChar, k),
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

    /// A reader with explicit options. In [`Validation::Full`] the whole input
    /// is checked to be UTF-8 here, in one pass.
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`], [`ErrorKind::InvalidUtf8`],
    /// [`ErrorKind::UnsupportedEncoding`], [`ErrorKind::BadDeclaration`].
    pub fn with_options(input: &'buf [u8], options: &Options) -> Result<Self, Error> {
        Self::start(input, options).map_err(|f| Error::at(f.kind, f.at, input))
    }

    /// [`blank`](Self::blank) then [`begin`](Self::begin): a reader at its first token.
    pub(crate) fn start(input: &'buf [u8], options: &Options) -> PResult<Self> {
        let mut r = Self::blank(input, options);
        r.begin(options)?;
        Ok(r)
    }

    /// A reader that has not looked at its input yet; [`begin`](Self::begin)
    /// must run before the first token. Split from it so a caller can build
    /// the reader (and its 2 KiB stack) in place instead of moving it out of
    /// a `Result`.
    #[inline(always)]
    pub(crate) fn blank(input: &'buf [u8], options: &Options) -> Self {
        Reader {
            input,
            pos: 0,
            depth: 0,
            open: [(0, 0); MAX_DEPTH],
            state: State::Prolog,
            max_depth: options.limits.max_depth(),
            max_attrs: options.limits.max_attributes(),
            skim: options.validation == Validation::Skim,
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
        self.next_event()
            .map_err(|f| Error::at(f.kind, f.at, self.input))
    }

    fn next_event(&mut self) -> PResult<Event<'buf>> {
        loop {
            let input = self.input;
            let slice = |a: usize, b: usize| input.get(a..b).unwrap_or(&[]);
            return Ok(match self.next_token()? {
                Tok::Start {
                    start,
                    name_end,
                    end,
                    empty,
                } => {
                    let attrs_end = if empty { end - 2 } else { end - 1 };
                    let tag = Tag {
                        name: slice(start + 1, name_end),
                        // Checked by `start_tag` (in `Skim`, when it has attributes:
                        // without, the area is whitespace, checked here in a step).
                        attrs: scan::str_at(self.valid, input, name_end, attrs_end)?,
                        attrs_offset: name_end,
                        offset: start,
                    };
                    if empty {
                        Event::Empty(tag)
                    } else {
                        Event::Start(tag)
                    }
                }
                Tok::End { start, end } => {
                    let name_end = scan_name(input, start + 2)?;
                    let _ = end;
                    Event::End(Tag {
                        name: slice(start + 2, name_end),
                        attrs: "",
                        attrs_offset: name_end,
                        offset: start,
                    })
                }
                Tok::Text {
                    start,
                    end,
                    escaped,
                } => {
                    let s = scan::utf8(slice(start, end), start)?;
                    Event::Text(Text::new(
                        s,
                        if escaped {
                            Escape::XmlContent
                        } else {
                            Escape::None
                        },
                    ))
                }
                Tok::CData { start, end } => {
                    Event::CData(scan::utf8(slice(start + 9, end - 3), start + 9)?)
                }
                Tok::Markup => continue,
                Tok::Eof => Event::Eof,
            });
        }
    }

    /// Skips the rest of the element whose start tag was the last event: its
    /// content and its end tag. In [`Validation::Full`] everything skipped is
    /// checked; in [`Validation::Skim`] only the structure is followed.
    ///
    /// # Errors
    /// As for [`next`](Reader::next); also when there is no open element.
    pub fn skip_element(&mut self) -> Result<(), Error> {
        if self.depth == 0 {
            return Err(Error::at(ErrorKind::UnexpectedEndTag, self.pos, self.input));
        }
        self.skip().map_err(|f| Error::at(f.kind, f.at, self.input))
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Number of open elements.
    pub fn depth(&self) -> usize {
        self.depth
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
        loop {
            let i = self.pos;
            match self.input.get(i) {
                None => return self.eof(),
                Some(b'<') => {
                    let tok = self.markup(i)?;
                    if tok == Tok::Markup && self.state != State::Content {
                        continue;
                    }
                    return Ok(tok);
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
                    return Ok(Tok::Text {
                        start: i,
                        end,
                        escaped,
                    });
                }
            }
        }
    }

    /// [`next_token`](Self::next_token) for callers that ignore whitespace
    /// between tags (path extraction, skipping): inside the root, an
    /// indentation run (no `\r`) followed by markup is stepped over without a
    /// `Text` token. Such a run can hold no error and needs no decoding.
    ///
    /// Always inlined when optimised: the token then stays in registers
    /// instead of going through memory (6% fewer instructions on the seed,
    /// 9% on 100 jobs, callgrind); only hinted with debug assertions, for the
    /// stack reason given at [`leaf`](Self::leaf).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn next_in_content(&mut self) -> PResult<Tok> {
        let k = scan::skip_ws_lf(self.input, self.pos);
        if self.input.get(k) == Some(&b'<') && self.state == State::Content {
            return self.markup(k);
        }
        self.next_token()
    }

    /// Turns `UnexpectedEof` from a scanner inside the content into the
    /// unclosed element it leaves.
    #[cold]
    fn cut(&self, f: Fail) -> Fail {
        match (f.kind, self.eof()) {
            (ErrorKind::UnexpectedEof, Err(unclosed)) => unclosed,
            _ => f,
        }
    }

    #[cold]
    fn eof(&self) -> PResult<Tok> {
        match self.state {
            State::Epilog => Ok(Tok::Eof),
            State::Prolog => fail(ErrorKind::NoRoot, self.input.len()),
            State::Content => {
                let at = self
                    .open
                    .get(self.depth.wrapping_sub(1))
                    .map_or(0, |&(o, _)| (o as usize).saturating_sub(1));
                fail(ErrorKind::UnclosedElement, at)
            }
        }
    }

    /// `input[a..b]` as checked UTF-8.
    #[inline]
    pub(crate) fn str(&self, a: usize, b: usize) -> PResult<&'buf str> {
        scan::str_at(self.valid, self.input, a, b)
    }

    /// Character data from `i` up to the next `<` (or the end of input).
    #[inline(always)]
    fn text(&self, i: usize) -> PResult<(usize, bool)> {
        let input = self.input;
        // Indentation between tags: newline, tabs and spaces up to the next
        // `<`. (`\r` is left to the general loop: it makes text need decoding.)
        let mut k = scan::skip_ws_lf(input, i);
        if input.get(k) == Some(&b'<') {
            return Ok((k, false));
        }
        // The end of the last long span that held a rare byte (see
        // `text_rest`).
        let dense = core::cell::Cell::new(0);
        k = self.find_text(k, &dense);
        match input.get(k) {
            None | Some(b'<') => Ok((k, false)),
            Some(_) => self.text_rest(k, dense.get()),
        }
    }

    /// The first byte of text at or after `k` that [`text_special`] marks
    /// ([`scan::find_run`]). Long text is searched with [`text_next`], then
    /// the span before the hit is checked for the rare bytes: a control other
    /// than tab and newline, or an `EF` (a possible U+FFFE or U+FFFF) past the
    /// ASCII prefix. A span that has one ends in `dense`.
    #[inline(always)]
    fn find_text(&self, k: usize, dense: &core::cell::Cell<usize>) -> usize {
        let rare = |at: usize, span: &[u8]| {
            let hit = scan::any_control_but_tab_lf(span)
                || (at + span.len() > self.ascii && memchr::memchr(0xEF, span).is_some());
            if hit {
                dense.set(at + span.len());
            }
            hit
        };
        scan::find_run(self.input, k, text_mask, text_special, text_next, rare)
    }

    /// [`text`](Self::text) from the first byte at `k` that is not `<`: a
    /// reference, `]`, `EF` or a control. `dense` is where the long span that
    /// held a rare byte ends (0 if none): the rest of such a span is walked
    /// block by block, not searched again with `memchr3` and the span check,
    /// which would be quadratic when rare bytes (CR line ends, say) are spaced
    /// more than the short run apart. Out of line: most text has none of
    /// these bytes.
    #[inline(never)]
    fn text_rest(&self, mut k: usize, dense: usize) -> PResult<(usize, bool)> {
        let input = self.input;
        let dense = core::cell::Cell::new(dense);
        let mut escaped = false;
        loop {
            match input.get(k) {
                None | Some(b'<') => return Ok((k, escaped)),
                Some(b'&') => {
                    k = reference(input, k).map_err(|f| self.cut(f))?;
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
                self.find_text(k, &dense)
            };
        }
    }

    /// Markup at `i` (a `<`).
    #[inline(always)]
    fn markup(&mut self, i: usize) -> PResult<Tok> {
        let input = self.input;
        match input.get(i + 1) {
            Some(b'/') => self.end_tag(i),
            Some(b'!') => {
                let rest = input.get(i..).unwrap_or(&[]);
                if rest.starts_with(b"<!--") {
                    self.pos = comment(input, i)?;
                    Ok(Tok::Markup)
                } else if rest.starts_with(b"<![CDATA[") {
                    if self.state != State::Content {
                        return fail(ErrorKind::TextOutsideRoot, i);
                    }
                    let end = cdata(input, i)?;
                    self.pos = end;
                    Ok(Tok::CData { start: i, end })
                } else if rest.starts_with(b"<!DOCTYPE") {
                    fail(ErrorKind::Doctype, i)
                } else if b"<!DOCTYPE".starts_with(rest)
                    || b"<![CDATA[".starts_with(rest)
                    || b"<!--".starts_with(rest)
                {
                    // The input ends inside the keyword.
                    fail(ErrorKind::UnclosedTag, i)
                } else {
                    fail(ErrorKind::BadMarkup, i)
                }
            }
            Some(b'?') => {
                self.pos = pi(input, i)?;
                Ok(Tok::Markup)
            }
            Some(_) => self.start_tag(i),
            None => fail(ErrorKind::UnclosedTag, i),
        }
    }

    /// A start or empty-element tag at `i`.
    #[inline(always)]
    fn start_tag(&mut self, i: usize) -> PResult<Tok> {
        let input = self.input;
        if self.state == State::Epilog {
            return fail(ErrorKind::MultipleRoots, i);
        }
        if self.depth >= self.max_depth {
            return fail(ErrorKind::DepthLimit, i);
        }
        let name_end = scan_name(input, i + 1)?;
        let (end, empty) = match tag_end(input, i, name_end)? {
            After::End(end, empty) => (end, empty),
            After::Attribute(k) => self.attributes(i, name_end, k)?,
        };
        self.pos = end;
        if empty {
            if self.state == State::Prolog {
                self.state = State::Epilog;
            }
        } else {
            if let Some(slot) = self.open.get_mut(self.depth) {
                // The input is at most u32::MAX bytes (Limits::max_input).
                let at = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let len = u32::try_from(name_end - i - 1).unwrap_or(u32::MAX);
                *slot = (at, len);
            }
            self.depth += 1;
            self.state = State::Content;
        }
        Ok(Tok::Start {
            start: i,
            name_end,
            end,
            empty,
        })
    }

    /// The attributes of the start tag opened at `tag` (its name ends at
    /// `name_end`), the first of which starts at `k`, through the tag's end.
    /// Returns the offset after the tag and whether it is an empty-element tag.
    ///
    /// Out of line: most tags have no attributes, and this one holds the
    /// table of names read so far ([`Seen`]), which is on the stack only here.
    #[inline(never)]
    fn attributes(&self, tag: usize, name_end: usize, k: usize) -> PResult<(usize, bool)> {
        let mut seen = Seen::<SEEN_SMALL>::new();
        let (end, empty) = match self.attribute_run(tag, k, 0, &mut seen, None)? {
            Run::Done(end, empty) => (end, empty),
            Run::Full(k, count) => self.many_attributes(tag, k, count, &seen)?,
        };
        if self.skim {
            // Full mode validated all of the input up front; Skim has not.
            scan::utf8(self.input.get(name_end..end).unwrap_or(&[]), name_end)?;
        }
        Ok((end, empty))
    }

    /// [`attributes`](Self::attributes) of a tag with more than
    /// [`SEEN_SMALL`] attributes, from the one at `k` (`count` read so far).
    #[cold]
    #[inline(never)]
    fn many_attributes(
        &self,
        tag: usize,
        k: usize,
        count: usize,
        small: &Seen<SEEN_SMALL>,
    ) -> PResult<(usize, bool)> {
        let mut seen = small.grow::<SEEN_LARGE>();
        match self.attribute_run(tag, k, count, &mut seen, None)? {
            Run::Done(end, empty) => Ok((end, empty)),
            // Only with a limit raised above SEEN_LARGE: the names past the
            // table are compared by re-reading them (quadratic in their number).
            Run::Full(k, count) => match self.attribute_run(tag, k, count, &mut seen, Some(k))? {
                Run::Done(end, empty) => Ok((end, empty)),
                Run::Full(..) => fail(ErrorKind::AttributeLimit, k),
            },
        }
    }

    /// Reads attributes from the one at `k` (`count` read before it in this
    /// tag) until the tag ends or `seen` is full. With `reread`, `seen` is
    /// full and the names from offset `reread` on are compared by re-reading.
    fn attribute_run<const N: usize>(
        &self,
        tag: usize,
        mut k: usize,
        mut count: usize,
        seen: &mut Seen<N>,
        reread: Option<usize>,
    ) -> PResult<Run> {
        let input = self.input;
        loop {
            if reread.is_none() && seen.is_full() {
                return Ok(Run::Full(k, count));
            }
            count += 1;
            if count > self.max_attrs {
                return fail(ErrorKind::AttributeLimit, k);
            }
            let name_end = self.attribute_name(tag, k)?;
            // Unique Att Spec (XML 1.0 §3.1): no name twice in one tag.
            let mut dup = seen.check(input, k, name_end);
            if let (false, Some(from)) = (dup, reread) {
                let name = input.get(k..name_end);
                let before = input.get(from..k).unwrap_or(&[]);
                let mut p = 0;
                while let Some(((a, b), _, _)) = next_attr(before, &mut p) {
                    dup |= before.get(a..b) == name;
                }
            }
            if dup {
                return fail(ErrorKind::DuplicateAttribute, k);
            }
            let after = self.attribute_value(tag, name_end)?;
            match tag_end(input, tag, after)? {
                After::End(end, empty) => return Ok(Run::Done(end, empty)),
                After::Attribute(next) => k = next,
            }
        }
    }

    /// The name of the attribute that starts at `k`, inside the tag opened
    /// at `tag`. Returns where the name ends.
    #[inline]
    fn attribute_name(&self, tag: usize, k: usize) -> PResult<usize> {
        let input = self.input;
        let name_end = match scan_name(input, k) {
            Ok(e) => e,
            Err(f) if f.kind == ErrorKind::BadName => return fail(ErrorKind::BadAttribute, k),
            Err(f) => return Err(f),
        };
        if name_end == input.len() {
            return fail(ErrorKind::UnclosedTag, tag);
        }
        Ok(name_end)
    }

    /// The `= "value"` of an attribute whose name ends at `name_end`, inside
    /// the tag opened at `tag`. Returns the offset after the closing quote.
    fn attribute_value(&self, tag: usize, name_end: usize) -> PResult<usize> {
        let input = self.input;
        let mut j = scan::skip_ws(input, name_end);
        match input.get(j) {
            Some(b'=') => {}
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => return fail(ErrorKind::BadAttribute, j),
        }
        j = scan::skip_ws(input, j + 1);
        let quote = match input.get(j) {
            Some(&q @ (b'"' | b'\'')) => q,
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => return fail(ErrorKind::BadAttribute, j),
        };
        let mut v = j + 1;
        loop {
            v = find(input, v, |b| {
                b == quote || b == b'<' || b == b'&' || b < 0x20 || b == 0xEF
            });
            match input.get(v) {
                None => return fail(ErrorKind::UnclosedAttribute, j),
                Some(&b) if b == quote => break,
                Some(b'<') => return fail(ErrorKind::LtInAttribute, v),
                Some(b'&') => {
                    v = reference(input, v).map_err(|f| match f.kind {
                        ErrorKind::UnexpectedEof => Fail {
                            kind: ErrorKind::UnclosedAttribute,
                            at: j,
                        },
                        _ => f,
                    })?
                }
                Some(&b) => {
                    check_other(input, v, b)?;
                    v += 1;
                }
            }
        }
        let after = v + 1;
        match input.get(after) {
            Some(&b) if is_ws(b) || b == b'>' || b == b'/' => Ok(after),
            None => fail(ErrorKind::UnclosedTag, tag),
            Some(_) => fail(ErrorKind::BadAttribute, after),
        }
    }

    /// An end tag at `i`.
    #[inline(always)]
    fn end_tag(&mut self, i: usize) -> PResult<Tok> {
        let input = self.input;
        if self.depth == 0 {
            return fail(ErrorKind::UnexpectedEndTag, i);
        }
        if input.get(i + 2).is_none() {
            return fail(ErrorKind::UnclosedTag, i);
        }
        // Compare with the open element's name directly: no name scan.
        let (open, len) = self
            .open
            .get(self.depth - 1)
            .map_or((0, 0), |&(o, n)| (o as usize, n as usize));
        let name_end = i + 2 + len;
        let matches = same_at(input, i + 2, open, len) && ends_name(input.get(name_end));
        if !matches {
            return match input.get(i + 2..name_end) {
                // The input ends inside what may still be the right name.
                None if input
                    .get(open..open + len)
                    .is_some_and(|n| n.starts_with(input.get(i + 2..).unwrap_or(&[]))) =>
                {
                    fail(ErrorKind::UnclosedTag, i)
                }
                _ => fail(ErrorKind::MismatchedEndTag, i),
            };
        }
        let k = scan::skip_ws(input, name_end);
        match input.get(k) {
            Some(b'>') => {}
            None => return fail(ErrorKind::UnclosedTag, i),
            Some(_) => return fail(ErrorKind::UnexpectedByte { expected: "`>`" }, k),
        }
        self.depth -= 1;
        if self.depth == 0 {
            self.state = State::Epilog;
        }
        self.pos = k + 1;
        Ok(Tok::End {
            start: i,
            end: k + 1,
        })
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
        let (end, escaped) = self.text(self.pos)?;
        if self.input.get(end + 1) == Some(&b'/') {
            if let Tok::End { end: after, .. } = self.end_tag(end)? {
                return Ok(Content::Leaf {
                    end,
                    after,
                    escaped,
                });
            }
        }
        self.pos = end;
        Ok(Content::Text { escaped })
    }

    /// Skips to the end of the innermost open element. Always inlined: most
    /// skipped elements are leaves, read by the inlined [`leaf`](Self::leaf)
    /// (`Full` 1.8% fewer instructions on the seed, callgrind). Only hinted
    /// with debug assertions, for the stack reason given at `leaf`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn skip(&mut self) -> PResult<()> {
        if self.skim {
            return self.skim_skip();
        }
        let target = self.depth.saturating_sub(1);
        if let Content::Leaf { .. } = self.leaf()? {
            return Ok(());
        }
        while self.depth > target {
            if let Tok::Start { empty: false, .. } = self.next_in_content()? {
                self.leaf()?;
            }
        }
        Ok(())
    }

    /// `Skim` skip: follows tags, comments, CDATA and PIs to find the end of the
    /// innermost open element, without checking names or characters.
    fn skim_skip(&mut self) -> PResult<()> {
        let input = self.input;
        let opener = self
            .open
            .get(self.depth.wrapping_sub(1))
            .map_or(0, |&(o, _)| (o as usize).saturating_sub(1));
        let mut depth = 1usize;
        let mut k = self.pos;
        let rest = |k: usize| input.get(k..).unwrap_or(&[]);
        loop {
            let Some(i) = find_byte(input, k, b'<') else {
                return fail(ErrorKind::UnclosedElement, opener);
            };
            match input.get(i + 1) {
                Some(b'/') => {
                    let Some(gt) = find_byte(input, i, b'>') else {
                        return fail(ErrorKind::UnclosedTag, i);
                    };
                    k = gt + 1;
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Some(b'!') if rest(i).starts_with(b"<!--") => {
                    let Some(e) = memchr::memmem::find(rest(i + 4), b"-->") else {
                        return fail(ErrorKind::UnclosedComment, i);
                    };
                    k = i + 4 + e + 3;
                }
                Some(b'!') if rest(i).starts_with(b"<![CDATA[") => {
                    let Some(e) = memchr::memmem::find(rest(i + 9), b"]]>") else {
                        return fail(ErrorKind::UnclosedCdata, i);
                    };
                    k = i + 9 + e + 3;
                }
                Some(b'!') if rest(i).starts_with(b"<!DOCTYPE") => {
                    return fail(ErrorKind::Doctype, i);
                }
                Some(b'!') => return fail(ErrorKind::BadMarkup, i),
                Some(b'?') => {
                    let Some(e) = memchr::memmem::find(rest(i + 2), b"?>") else {
                        return fail(ErrorKind::UnclosedPi, i);
                    };
                    k = i + 2 + e + 2;
                }
                Some(_) => {
                    // A start tag: find its `>` outside quoted attribute values.
                    let mut j = i + 1;
                    loop {
                        let Some(p) = find_short(
                            input,
                            j,
                            |v: V16| v.eq(b'>') | v.eq(b'"') | v.eq(b'\''),
                            |b| matches!(b, b'>' | b'"' | b'\''),
                            |rest| memchr::memchr3(b'>', b'"', b'\'', rest),
                        ) else {
                            return fail(ErrorKind::UnclosedTag, i);
                        };
                        j = p;
                        match input.get(j) {
                            Some(&q @ (b'"' | b'\'')) => {
                                let Some(e) = find_byte(input, j + 1, q) else {
                                    return fail(ErrorKind::UnclosedAttribute, j);
                                };
                                j = e + 1;
                            }
                            _ => break,
                        }
                    }
                    // The child is one level below `depth`, empty or not.
                    if self.depth + depth > self.max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    if input.get(j - 1) != Some(&b'/') {
                        depth += 1;
                    }
                    k = j + 1;
                }
                None => return fail(ErrorKind::UnclosedTag, i),
            }
        }
        self.pos = k;
        self.depth -= 1;
        if self.depth == 0 {
            self.state = State::Epilog;
        }
        Ok(())
    }

    /// Moves past the innermost open element, which ends at `end`, read by
    /// someone else from the end of its start tag (the typed view's
    /// `xml_fill`), as [`skip`](Self::skip) would have.
    pub(crate) fn past_element(&mut self, end: usize) {
        self.pos = end;
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.state = State::Epilog;
        }
    }

    /// Checks the rest of the document after the root element.
    pub(crate) fn finish(&mut self) -> PResult<()> {
        while self.next_token()? != Tok::Eof {}
        Ok(())
    }

    /// The `<?xml …?>` declaration at `i` (XML 1.0 §2.8). Every error points at
    /// the declaration's `<`.
    fn declaration(&self, i: usize) -> PResult<usize> {
        let input = self.input;
        let bad = || fail(ErrorKind::BadDeclaration, i);
        let Some(close) = memchr::memmem::find(input.get(i..).unwrap_or(&[]), b"?>") else {
            return fail(ErrorKind::UnclosedPi, i);
        };
        let body = input.get(i + 5..i + close).unwrap_or(&[]);
        let mut k = 0;
        // Each pseudo-attribute: S name S? = S? quoted value.
        let pseudo = |k: &mut usize| -> Option<(&[u8], &[u8])> {
            let s = *k;
            *k = scan::skip_ws(body, *k);
            if *k == s || *k == body.len() {
                *k = s;
                return None;
            }
            let n0 = *k;
            while body.get(*k).is_some_and(|b| b.is_ascii_alphabetic()) {
                *k += 1;
            }
            let name = body.get(n0..*k)?;
            *k = scan::skip_ws(body, *k);
            if body.get(*k) != Some(&b'=') {
                return Some((name, b"\0"));
            }
            *k = scan::skip_ws(body, *k + 1);
            let q = *body.get(*k).filter(|&&q| q == b'"' || q == b'\'')?;
            let v0 = *k + 1;
            let v1 = v0 + memchr::memchr(q, body.get(v0..)?)?;
            *k = v1 + 1;
            Some((name, body.get(v0..v1)?))
        };
        match pseudo(&mut k) {
            Some((b"version", v))
                if v.len() > 2
                    && v.starts_with(b"1.")
                    && v.iter().skip(2).all(u8::is_ascii_digit) => {}
            _ => return bad(),
        }
        let mut next = pseudo(&mut k);
        if let Some((b"encoding", v)) = next {
            let well_formed = v.first().is_some_and(u8::is_ascii_alphabetic)
                && v.iter()
                    .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !well_formed {
                return bad();
            }
            if !v.eq_ignore_ascii_case(b"UTF-8") {
                return fail(ErrorKind::UnsupportedEncoding, i);
            }
            next = pseudo(&mut k);
        }
        if let Some((b"standalone", v)) = next {
            if v != b"yes" && v != b"no" {
                return bad();
            }
            next = pseudo(&mut k);
        }
        if next.is_some() || scan::skip_ws(body, k) != body.len() {
            return bad();
        }
        Ok(i + close + 2)
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
    while r.next_token()? != Tok::Eof {}
    Ok(())
}

/// Whether `input[a..a + len]` and `input[b..b + len]` are there and equal.
#[inline(always)]
fn same_at(input: &[u8], a: usize, b: usize, len: usize) -> bool {
    match (word_at(input, a), word_at(input, b)) {
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

/// A reference at `k` (a `&`), checked. Returns the offset after its `;`.
#[inline]
///
/// A reference cut by the end of input is `UnexpectedEof`, which the caller
/// turns into the end-of-input kind of the construct around it.
fn reference(input: &[u8], k: usize) -> PResult<usize> {
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

/// A comment at `i`, checked (XML 1.0 §2.5). Returns the offset after `-->`.
fn comment(input: &[u8], i: usize) -> PResult<usize> {
    let mut k = i + 4;
    loop {
        k = find(input, k, |b| b == b'-' || b < 0x20 || b == 0xEF);
        match input.get(k) {
            None => return fail(ErrorKind::UnclosedComment, i),
            Some(b'-') => {
                if input.get(k + 1) == Some(&b'-') {
                    return match input.get(k + 2) {
                        Some(b'>') => Ok(k + 3),
                        None => fail(ErrorKind::UnclosedComment, i),
                        Some(_) => fail(ErrorKind::BadComment, k),
                    };
                }
                k += 1;
            }
            Some(&b) => {
                check_other(input, k, b)?;
                k += 1;
            }
        }
    }
}

/// A CDATA section at `i` (XML 1.0 §2.7). Returns the offset after `]]>`.
fn cdata(input: &[u8], i: usize) -> PResult<usize> {
    let mut k = i + 9;
    loop {
        k = find(input, k, |b| b == b']' || b < 0x20 || b == 0xEF);
        match input.get(k) {
            None => return fail(ErrorKind::UnclosedCdata, i),
            Some(b']') => {
                if input.get(k..k + 3) == Some(b"]]>") {
                    return Ok(k + 3);
                }
                k += 1;
            }
            Some(&b) => {
                check_other(input, k, b)?;
                k += 1;
            }
        }
    }
}

/// A processing instruction at `i` (XML 1.0 §2.6). Returns the offset after `?>`.
fn pi(input: &[u8], i: usize) -> PResult<usize> {
    if input.get(i + 2).is_none() {
        return fail(ErrorKind::UnclosedPi, i);
    }
    let name_end = scan_name(input, i + 2)?;
    if name_end == input.len() {
        return fail(ErrorKind::UnclosedPi, i);
    }
    if input
        .get(i + 2..name_end)
        .is_some_and(|t| t.eq_ignore_ascii_case(b"xml"))
    {
        return fail(ErrorKind::BadDeclaration, i);
    }
    match input.get(name_end) {
        Some(b'?') if input.get(name_end + 1) == Some(&b'>') => return Ok(name_end + 2),
        Some(b'?') if input.get(name_end + 1).is_none() => return fail(ErrorKind::UnclosedPi, i),
        Some(&b) if is_ws(b) => {}
        None => return fail(ErrorKind::UnclosedPi, i),
        Some(_) => {
            return fail(
                ErrorKind::UnexpectedByte {
                    expected: "whitespace or `?>`",
                },
                name_end,
            )
        }
    }
    let mut k = name_end;
    loop {
        k = find(input, k, |b| b == b'?' || b < 0x20 || b == 0xEF);
        match input.get(k) {
            None => return fail(ErrorKind::UnclosedPi, i),
            Some(b'?') => {
                if input.get(k + 1) == Some(&b'>') {
                    return Ok(k + 2);
                }
                k += 1;
            }
            Some(&b) => {
                check_other(input, k, b)?;
                k += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod swar_name_tests {
    use super::*;

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
