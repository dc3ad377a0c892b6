//! A borrowed pull reader for JSON (RFC 8259).
//!
//! The input is never modified and needs no padding. Strings come back as the
//! slice between their quotes with a "needs unescaping" flag, numbers as their
//! literal text. Everything is validated: the grammar, every escape (surrogate
//! pairs must pair up), raw control characters, and (in
//! [`Validation::Full`]) UTF-8 for the whole input, in one pass up front.
//! Open containers are kept as offsets in a fixed array of
//! [`MAX_DEPTH`]: the reader never allocates.
//!
//! The one leniency, on by default because Tencent's own examples need it, is
//! a trailing comma before `}` or `]`; [`Options::strict`] rejects it.
//!
//! # States
//! ```text
//! Start --value--> Done
//!   `{` -> ObjectFirst --key--> Colon --`:`--> Value --value--> AfterValue
//!   `[` -> ArrayFirst  --value--> AfterValue
//! AfterValue --`,`--> KeyAfterComma (object) | AfterComma (array)
//! AfterValue/ObjectFirst/ArrayFirst --`}`/`]`--> AfterValue of the parent, or Done
//! ```

use crate::config::{Options, Validation, MAX_DEPTH};
use crate::scan::{self, fail, PResult};
use crate::simd::V16;
use crate::text::{hex4, Escape, Text};
use crate::{Error, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Value,
    ArrayFirst,
    AfterComma,
    ObjectFirst,
    KeyAfterComma,
    AfterValue,
    Done,
}

/// What comes next, after separators are consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// A value starting with this byte (already checked to start a value).
    Value(u8),
    /// An object key (at its `"`).
    Key,
    /// The `}` or `]` of the innermost container.
    Close,
    /// The end of a complete document.
    Eof,
}

/// A token of the internal tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    StartObject,
    StartArray,
    End,
    /// A key or string: the offsets of its contents (between the quotes).
    Key {
        start: usize,
        end: usize,
        escaped: bool,
    },
    Str {
        start: usize,
        end: usize,
        escaped: bool,
    },
    /// A number, `true`, `false` or `null`: its literal text.
    Atom {
        start: usize,
        end: usize,
    },
    Eof,
}

/// One event of [`Reader::next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'buf> {
    /// `{`
    StartObject,
    /// `}`
    EndObject,
    /// `[`
    StartArray,
    /// `]`
    EndArray,
    /// An object key (escapes not yet decoded).
    Key(Text<'buf>),
    /// A string value (escapes not yet decoded).
    String(Text<'buf>),
    /// A number, as its literal text.
    Number(&'buf str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// The end of the document.
    Eof,
}

/// A borrowed JSON pull reader.
///
/// `'buf` is the lifetime of the input buffer; every slice it hands out
/// borrows from it.
///
/// # Examples
/// ```
/// use wanxiang::json::{Event, Reader};
/// let mut r = Reader::new(br#"{"a": [1, "x\n"], "b": null,}"#)?;
/// assert_eq!(r.next()?, Event::StartObject);
/// match r.next()? { Event::Key(k) => assert!(k == "a"), e => panic!("{e:?}") }
/// assert_eq!(r.next()?, Event::StartArray);
/// assert_eq!(r.next()?, Event::Number("1"));
/// match r.next()? { Event::String(s) => assert_eq!(s.to_cow(), "x\n"), e => panic!("{e:?}") }
/// assert_eq!(r.next()?, Event::EndArray);
/// r.next()?; // key "b"
/// r.skip_value()?;
/// assert_eq!(r.next()?, Event::EndObject); // the trailing comma is accepted by default
/// assert_eq!(r.next()?, Event::Eof);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'buf> {
    input: &'buf [u8],
    pos: usize,
    depth: usize,
    /// Offset of the `{` or `[` of each open container.
    open: [u32; MAX_DEPTH],
    state: State,
    /// Offset of the last comma (for `TrailingComma`).
    comma: usize,
    max_depth: usize,
    strict: bool,
    skim: bool,
}

impl<'buf> Reader<'buf> {
    /// A reader with the default [`Options`].
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`], [`ErrorKind::InvalidUtf8`], [`ErrorKind::UnsupportedEncoding`].
    pub fn new(input: &'buf [u8]) -> Result<Self, Error> {
        Self::with_options(input, &Options::default())
    }

    /// A reader with explicit options. In [`Validation::Full`] the whole input
    /// is checked to be UTF-8 here, in one pass.
    ///
    /// # Errors
    /// As for [`new`](Reader::new).
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
    /// the reader (and its 1 KiB stack) in place instead of moving it out of
    /// a `Result`.
    #[inline(always)]
    pub(crate) fn blank(input: &'buf [u8], options: &Options) -> Self {
        Reader {
            input,
            pos: 0,
            depth: 0,
            open: [0; MAX_DEPTH],
            state: State::Start,
            comma: 0,
            max_depth: options.limits.max_depth(),
            strict: options.strict,
            skim: options.validation == Validation::Skim,
        }
    }

    /// Checks the size, encoding and UTF-8 of the input and steps over a BOM.
    pub(crate) fn begin(&mut self, options: &Options) -> PResult<()> {
        self.pos = prepare(self.input, options)?.body;
        Ok(())
    }

    /// The next event.
    ///
    /// # Errors
    /// The first syntax error at or after the current position; after an error
    /// the reader should not be used again.
    #[allow(clippy::should_implement_trait)] // fallible, so not `Iterator::next`
    pub fn next(&mut self) -> Result<Event<'buf>, Error> {
        self.next_event()
            .map_err(|f| Error::at(f.kind, f.at, self.input))
    }

    fn next_event(&mut self) -> PResult<Event<'buf>> {
        let input = self.input;
        let text = |start: usize, end: usize, escaped: bool| -> PResult<Text<'buf>> {
            let s = scan::utf8(input.get(start..end).unwrap_or(&[]), start)?;
            Ok(Text::new(
                s,
                if escaped { Escape::Json } else { Escape::None },
            ))
        };
        Ok(match self.next_token()? {
            Tok::StartObject => Event::StartObject,
            Tok::StartArray => Event::StartArray,
            Tok::End => {
                if self.input.get(self.pos - 1) == Some(&b'}') {
                    Event::EndObject
                } else {
                    Event::EndArray
                }
            }
            Tok::Key {
                start,
                end,
                escaped,
            } => Event::Key(text(start, end, escaped)?),
            Tok::Str {
                start,
                end,
                escaped,
            } => Event::String(text(start, end, escaped)?),
            Tok::Atom { start, end } => match input.get(start..end).unwrap_or(&[]) {
                b"true" => Event::Bool(true),
                b"false" => Event::Bool(false),
                b"null" => Event::Null,
                n => Event::Number(scan::utf8(n, start)?),
            },
            Tok::Eof => Event::Eof,
        })
    }

    /// Skips the next value (a whole object or array included). In
    /// [`Validation::Full`] everything skipped is checked; in
    /// [`Validation::Skim`] containers are only followed bracket by bracket.
    ///
    /// # Errors
    /// As for [`next`](Reader::next); also when the next token is not a value.
    pub fn skip_value(&mut self) -> Result<(), Error> {
        self.skip()
            .map(|_| ())
            .map_err(|f| Error::at(f.kind, f.at, self.input))
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Number of open containers.
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn in_array(&self) -> bool {
        let o = self
            .open
            .get(self.depth.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        self.input.get(o as usize) == Some(&b'[')
    }

    #[cold]
    fn unclosed<T>(&self) -> PResult<T> {
        if self.depth == 0 {
            return fail(ErrorKind::UnexpectedEof, self.input.len());
        }
        let o = self.open.get(self.depth - 1).copied().unwrap_or(0) as usize;
        let kind = if self.input.get(o) == Some(&b'[') {
            ErrorKind::UnclosedArray
        } else {
            ErrorKind::UnclosedObject
        };
        fail(kind, o)
    }

    /// Consumes whitespace and separators; leaves `pos` at the next token.
    #[inline]
    pub(crate) fn seek(&mut self) -> PResult<Next> {
        loop {
            let i = scan::skip_ws(self.input, self.pos);
            self.pos = i;
            let b = self.input.get(i).copied();
            match self.state {
                State::Start => {
                    return match b {
                        Some(b) => value_start(b, i),
                        None => fail(ErrorKind::Empty, i),
                    }
                }
                State::Value => {
                    return match b {
                        Some(b) => value_start(b, i),
                        None => self.unclosed(),
                    }
                }
                State::ArrayFirst => {
                    return match b {
                        Some(b']') => Ok(Next::Close),
                        Some(b) => value_start(b, i),
                        None => self.unclosed(),
                    }
                }
                State::AfterComma => {
                    return match b {
                        Some(b']') if self.strict => fail(ErrorKind::TrailingComma, self.comma),
                        Some(b']') => Ok(Next::Close),
                        Some(b) => value_start(b, i),
                        None => self.unclosed(),
                    }
                }
                State::ObjectFirst => {
                    return match b {
                        Some(b'}') => Ok(Next::Close),
                        Some(b'"') => Ok(Next::Key),
                        None => self.unclosed(),
                        Some(_) => fail(
                            ErrorKind::UnexpectedByte {
                                expected: "a string key or `}`",
                            },
                            i,
                        ),
                    }
                }
                State::KeyAfterComma => {
                    return match b {
                        Some(b'}') if self.strict => fail(ErrorKind::TrailingComma, self.comma),
                        Some(b'}') => Ok(Next::Close),
                        Some(b'"') => Ok(Next::Key),
                        None => self.unclosed(),
                        Some(_) => fail(
                            ErrorKind::UnexpectedByte {
                                expected: "a string key",
                            },
                            i,
                        ),
                    }
                }
                State::AfterValue => {
                    if self.depth == 0 {
                        self.state = State::Done;
                        continue;
                    }
                    let array = self.in_array();
                    match b {
                        Some(b',') => {
                            self.comma = i;
                            self.pos = i + 1;
                            self.state = if array {
                                State::AfterComma
                            } else {
                                State::KeyAfterComma
                            };
                        }
                        Some(b']') if array => return Ok(Next::Close),
                        Some(b'}') if !array => return Ok(Next::Close),
                        None => return self.unclosed(),
                        Some(_) => {
                            let expected = if array { "`,` or `]`" } else { "`,` or `}`" };
                            return fail(ErrorKind::UnexpectedByte { expected }, i);
                        }
                    }
                }
                State::Done => {
                    return match b {
                        None => Ok(Next::Eof),
                        Some(_) => fail(ErrorKind::TrailingData, i),
                    }
                }
            }
        }
    }

    /// The next token.
    #[inline]
    pub(crate) fn next_token(&mut self) -> PResult<Tok> {
        let i = match self.seek()? {
            Next::Eof => return Ok(Tok::Eof),
            Next::Close => {
                self.pos += 1;
                self.depth -= 1;
                self.state = State::AfterValue;
                return Ok(Tok::End);
            }
            Next::Key => {
                let (end, escaped) = string(self.input, self.pos)?;
                let start = self.pos + 1;
                // The `:` is read with the key (the usual `": "` in one step).
                self.pos = after_key(self.input, end)?;
                self.state = State::Value;
                return Ok(Tok::Key {
                    start,
                    end,
                    escaped,
                });
            }
            Next::Value(_) => self.pos,
        };
        self.value_token(i)
    }

    /// The value token at `i` (where [`seek`](Self::seek) stopped).
    #[inline]
    fn value_token(&mut self, i: usize) -> PResult<Tok> {
        let input = self.input;
        let tok = match input.get(i) {
            Some(&b @ (b'{' | b'[')) => {
                if self.depth >= self.max_depth {
                    return fail(ErrorKind::DepthLimit, i);
                }
                if let Some(slot) = self.open.get_mut(self.depth) {
                    // The input is at most u32::MAX bytes (Limits::max_input).
                    *slot = u32::try_from(i).unwrap_or(u32::MAX);
                }
                self.depth += 1;
                self.pos = i + 1;
                if b == b'{' {
                    self.state = State::ObjectFirst;
                    return Ok(Tok::StartObject);
                }
                self.state = State::ArrayFirst;
                return Ok(Tok::StartArray);
            }
            Some(b'"') => {
                let (end, escaped) = string(input, i)?;
                self.pos = end + 1;
                Tok::Str {
                    start: i + 1,
                    end,
                    escaped,
                }
            }
            Some(b't') => self.literal(i, b"true")?,
            Some(b'f') => self.literal(i, b"false")?,
            Some(b'n') => self.literal(i, b"null")?,
            _ => {
                let end = number(input, i)?;
                self.pos = end;
                Tok::Atom { start: i, end }
            }
        };
        self.state = State::AfterValue;
        Ok(tok)
    }

    fn literal(&mut self, i: usize, word: &[u8]) -> PResult<Tok> {
        let end = literal(self.input, i, word)?;
        self.pos = end;
        Ok(Tok::Atom { start: i, end })
    }

    /// The value token where [`seek`](Self::seek) has just returned
    /// `Next::Value`, without seeking again (the typed view's walk has
    /// always just sought when it reads or enters an item).
    #[inline]
    pub(crate) fn value_here(&mut self) -> PResult<Tok> {
        debug_assert!(self.sought(), "value_here without a seek to a value");
        self.value_token(self.pos)
    }

    /// Whether `pos` is where a seek stops at a value (debug checks only).
    fn sought(&self) -> bool {
        let mut r = self.clone();
        matches!(r.seek(), Ok(Next::Value(_))) && r.pos == self.pos
    }

    /// Moves past a value that ends at `end`, read by someone else from where
    /// [`seek`](Self::seek) stopped (the path engine, for the typed view's lists).
    pub(crate) fn past_value(&mut self, end: usize) {
        debug_assert!(self.sought(), "past_value without a seek to a value");
        self.pos = end;
        self.state = State::AfterValue;
    }

    /// Skips the next value. Returns its start and end offsets.
    pub(crate) fn skip(&mut self) -> PResult<(usize, usize)> {
        let Next::Value(b) = self.seek()? else {
            return fail(
                ErrorKind::UnexpectedByte {
                    expected: "a value",
                },
                self.pos,
            );
        };
        self.skip_here(b)
    }

    /// [`skip`](Self::skip) where [`seek`](Self::seek) has just returned
    /// `Next::Value(b)`.
    #[inline]
    pub(crate) fn skip_here(&mut self, b: u8) -> PResult<(usize, usize)> {
        debug_assert!(self.sought(), "skip_here without a seek to a value");
        let start = self.pos;
        if b != b'{' && b != b'[' {
            self.value_token(start)?;
            return Ok((start, self.pos));
        }
        if self.skim {
            let end = self.skim_container(start)?;
            self.pos = end;
            self.state = State::AfterValue;
            return Ok((start, end));
        }
        let end = skip_full(self.input, start, self.depth, self.max_depth, self.strict)?;
        self.pos = end;
        self.state = State::AfterValue;
        Ok((start, end))
    }

    /// `Skim` skip of the container at `start` (see [`skim_container`]).
    pub(crate) fn skim_container(&self, start: usize) -> PResult<usize> {
        skim_container(self.input, start, self.depth, self.max_depth)
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
    max_depth: usize,
    strict: bool,
) -> PResult<usize> {
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

/// [`scan::skip_ws`] for the blanks between tokens of pretty-printed JSON: a
/// newline and spaces, tested 16 bytes at a time for those two bytes only.
/// A tab or CR among them (or the end of a short input) continues in
/// [`scan::skip_ws`], which tests all four.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn blanks(input: &[u8], mut i: usize) -> usize {
    match input.get(i) {
        Some(&b) if b > b' ' => return i,
        None => return i,
        Some(_) => {}
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
                    (b'{', Some(_)) => {
                        return fail(
                            ErrorKind::UnexpectedByte {
                                expected: "a string key or `}`",
                            },
                            i,
                        )
                    }
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
            Some(_) => {
                return fail(
                    ErrorKind::UnexpectedByte {
                        expected: "a value",
                    },
                    i,
                )
            }
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
                        (false, Some(_)) => {
                            return fail(
                                ErrorKind::UnexpectedByte {
                                    expected: "a string key",
                                },
                                i,
                            )
                        }
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
fn structural(b: u8) -> bool {
    (b == b'"') | (b == b'{') | (b == b'}') | (b == b'[') | (b == b']')
}

/// [`structural`] on a block of 16 lanes. `b | 0x20` maps `[` and `]` onto `{` and `}`
/// and no other byte onto either.
#[inline(always)]
fn structural_mask(v: V16) -> V16 {
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

/// A member's key at `i` (its `"`) and the `:` after it. Returns the offset of
/// the member's value (after whitespace).
#[inline]
pub(crate) fn member_value(input: &[u8], i: usize) -> PResult<usize> {
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

/// The input ended inside the value that starts at `start`: the innermost
/// container still open is where the error points. Cold: walks the value
/// again with a stack of opener offsets.
#[cold]
#[inline(never)]
pub(crate) fn unclosed_at(input: &[u8], start: usize) -> usize {
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

/// Checks that `b` can start a value.
#[inline]
fn value_start(b: u8, i: usize) -> PResult<Next> {
    match b {
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => Ok(Next::Value(b)),
        _ => fail(
            ErrorKind::UnexpectedByte {
                expected: "a value",
            },
            i,
        ),
    }
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
    let k = match input.get(i + 1..).and_then(<[u8]>::first_chunk::<16>) {
        Some(chunk) => match string_mask(V16::load(chunk)).bits() {
            0 => string_run(input, i + 17),
            m => i + 1 + m.trailing_zeros() as usize,
        },
        None => string_run(input, i + 1),
    };
    match input.get(k) {
        Some(b'"') => Ok((k, false)),
        _ => string_slow(input, i, k),
    }
}

/// The first byte at or after `k` that ends a run of string contents.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn string_run(input: &[u8], k: usize) -> usize {
    scan::find_run(
        input,
        k,
        string_mask,
        string_special,
        |rest| memchr::memchr2(b'"', b'\\', rest),
        |_, span| scan::any_below(span, 0x20),
    )
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
            }
            Some(_) => return fail(ErrorKind::ControlInString, k),
            None => return fail(ErrorKind::UnclosedString, i),
        }
        k = scan::find_run(
            input,
            k,
            string_mask,
            string_special,
            |rest| memchr::memchr2(b'"', b'\\', rest),
            |_, span| scan::any_below(span, 0x20),
        );
    }
}

/// The escape at `k` inside the string opened at `open`. Returns the offset after it.
fn escape(input: &[u8], open: usize, k: usize) -> PResult<usize> {
    match input.get(k + 1) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(k + 2),
        Some(b'u') => {
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
#[inline]
pub(crate) fn number(input: &[u8], i: usize) -> PResult<usize> {
    let digit = |k: usize| input.get(k).is_some_and(u8::is_ascii_digit);
    let digits = |mut k: usize| {
        while digit(k) {
            k += 1;
        }
        k
    };
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

#[cfg(test)]
mod tests;
