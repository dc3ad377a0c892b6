//! The public [`Reader`], its [`Event`]s, and the token-level interface the
//! path engine and the typed view drive (`seek`, `next_token`, `skip_here`, …).

use super::lex::{after_key, blanks, literal, number_short, string};
use super::skip::{skim_container, skip_full};
use crate::config::{Options, Settings, MAX_DEPTH};
use crate::scan::{self, fail, unexpected, PResult};
use crate::text::{Escape, Text};
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
    /// The `}` or `]` of the innermost container, or, at depth 0, the end
    /// of a complete document. One kind for both: with four kinds the
    /// readers' dispatch became a jump table once `PResult<Next>` got a tag
    /// of its own (the one-word `Fail`), 5-11% more time on `json::Reader`
    /// over twitter.json and citm_catalog.json.
    End,
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
    /// Skim, strictness and the depth limit.
    settings: Settings,
    /// In `Full`, the whole input as checked UTF-8: events slice their text
    /// out of it instead of checking each string again.
    valid: Option<&'buf str>,
}

impl<'buf> Reader<'buf> {
    /// A reader with the default [`Options`].
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`], [`ErrorKind::InvalidUtf8`], [`ErrorKind::UnsupportedEncoding`].
    pub fn new(input: &'buf [u8]) -> Result<Self, Error> {
        Self::with_options(input, &Options::default())
    }

    /// A reader with explicit options. In [`Validation::Full`](crate::config::Validation::Full) the whole input
    /// is checked to be UTF-8 here, in one pass.
    ///
    /// # Errors
    /// As for [`new`](Reader::new).
    pub fn with_options(input: &'buf [u8], options: &Options) -> Result<Self, Error> {
        Self::start(input, options).map_err(|f| f.error(input))
    }

    /// [`blank`](Self::blank) then [`begin`](Self::begin): a reader at its first token.
    fn start(input: &'buf [u8], options: &Options) -> PResult<Self> {
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
            settings: options.settings(),
            valid: None,
        }
    }

    /// Checks the size, encoding and UTF-8 of the input and steps over a BOM.
    pub(crate) fn begin(&mut self, options: &Options) -> PResult<()> {
        let prepared = prepare(self.input, options)?;
        self.pos = prepared.body;
        self.valid = prepared.valid;
        Ok(())
    }

    /// The next event.
    ///
    /// # Errors
    /// The first syntax error at or after the current position; after an error
    /// the reader should not be used again.
    #[allow(clippy::should_implement_trait)] // fallible, so not `Iterator::next`
    #[inline]
    pub fn next(&mut self) -> Result<Event<'buf>, Error> {
        match self.next_event() {
            Ok(e) => Ok(e),
            Err(f) => Err(f.error(self.input)),
        }
    }

    /// [`next`](Self::next) before its error is positioned: the token loop
    /// ([`seek_inline`](Self::seek_inline) and the value's lexer) in one
    /// function, building the event directly.
    #[inline(never)]
    fn next_event(&mut self) -> PResult<Event<'buf>> {
        let input = self.input;
        let i = match self.seek_inline()? {
            Next::End if self.depth == 0 => return Ok(Event::Eof),
            Next::End => {
                let close = input.get(self.pos).copied();
                self.pos += 1;
                self.depth -= 1;
                self.state = State::AfterValue;
                return Ok(if close == Some(b'}') {
                    Event::EndObject
                } else {
                    Event::EndArray
                });
            }
            Next::Key => {
                let i = self.pos;
                let (end, escaped) = string(input, i)?;
                // The `:` is read with the key (the usual `": "` in one step).
                self.pos = after_key(input, end)?;
                self.state = State::Value;
                return Ok(Event::Key(self.text(i + 1, end, escaped)?));
            }
            Next::Value(_) => self.pos,
        };
        let event = match input.get(i) {
            Some(&b @ (b'{' | b'[')) => {
                self.open_container(i)?;
                return Ok(if b == b'{' {
                    self.state = State::ObjectFirst;
                    Event::StartObject
                } else {
                    self.state = State::ArrayFirst;
                    Event::StartArray
                });
            }
            Some(b'"') => {
                let (end, escaped) = string(input, i)?;
                self.pos = end + 1;
                Event::String(self.text(i + 1, end, escaped)?)
            }
            Some(b't') => {
                self.pos = literal(input, i, b"true")?;
                Event::Bool(true)
            }
            Some(b'f') => {
                self.pos = literal(input, i, b"false")?;
                Event::Bool(false)
            }
            Some(b'n') => {
                self.pos = literal(input, i, b"null")?;
                Event::Null
            }
            _ => {
                let end = number_short(input, i)?;
                self.pos = end;
                Event::Number(self.str(i, end)?)
            }
        };
        self.state = State::AfterValue;
        Ok(event)
    }

    /// `input[start..end]` as `&str`: sliced out of the checked input in
    /// `Full`, checked here in `Skim`.
    #[inline(always)]
    fn str(&self, start: usize, end: usize) -> PResult<&'buf str> {
        match self.valid.and_then(|s| s.get(start..end)) {
            Some(s) => Ok(s),
            None => scan::utf8(self.input.get(start..end).unwrap_or(&[]), start),
        }
    }

    /// A string's contents `start..end` as [`Text`].
    #[inline(always)]
    fn text(&self, start: usize, end: usize, escaped: bool) -> PResult<Text<'buf>> {
        let escape = if escaped { Escape::Json } else { Escape::None };
        Ok(Text::new(self.str(start, end)?, escape))
    }

    /// Skips the next value (a whole object or array included). In
    /// [`Validation::Full`](crate::config::Validation::Full) everything skipped is checked; in
    /// [`Validation::Skim`](crate::config::Validation::Skim) containers are only followed bracket by bracket.
    ///
    /// # Errors
    /// As for [`next`](Reader::next); also when the next token is not a value.
    pub fn skip_value(&mut self) -> Result<(), Error> {
        self.skip().map(|_| ()).map_err(|f| f.error(self.input))
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
        self.seek_inline()
    }

    /// [`seek`](Self::seek), always inlined (into [`next_event`](Self::next_event)).
    #[inline(always)]
    fn seek_inline(&mut self) -> PResult<Next> {
        loop {
            let i = blanks(self.input, self.pos);
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
                        Some(b']') => Ok(Next::End),
                        Some(b) => value_start(b, i),
                        None => self.unclosed(),
                    }
                }
                State::AfterComma => {
                    return match b {
                        Some(b']') if self.settings.strict => {
                            fail(ErrorKind::TrailingComma, self.comma)
                        }
                        Some(b']') => Ok(Next::End),
                        Some(b) => value_start(b, i),
                        None => self.unclosed(),
                    }
                }
                State::ObjectFirst => {
                    return match b {
                        Some(b'}') => Ok(Next::End),
                        Some(b'"') => Ok(Next::Key),
                        None => self.unclosed(),
                        Some(_) => unexpected("a string key or `}`", i),
                    }
                }
                State::KeyAfterComma => {
                    return match b {
                        Some(b'}') if self.settings.strict => {
                            fail(ErrorKind::TrailingComma, self.comma)
                        }
                        Some(b'}') => Ok(Next::End),
                        Some(b'"') => Ok(Next::Key),
                        None => self.unclosed(),
                        Some(_) => unexpected("a string key", i),
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
                        Some(b']') if array => return Ok(Next::End),
                        Some(b'}') if !array => return Ok(Next::End),
                        None => return self.unclosed(),
                        Some(_) => {
                            let expected = if array { "`,` or `]`" } else { "`,` or `}`" };
                            return fail(ErrorKind::UnexpectedByte { expected }, i);
                        }
                    }
                }
                State::Done => {
                    return match b {
                        None => Ok(Next::End),
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
            Next::End if self.depth == 0 => return Ok(Tok::Eof),
            Next::End => {
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
                self.open_container(i)?;
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
                let end = number_short(input, i)?;
                self.pos = end;
                Tok::Atom { start: i, end }
            }
        };
        self.state = State::AfterValue;
        Ok(tok)
    }

    /// Opens the container whose `{` or `[` is at `i` (the state is the caller's).
    #[inline(always)]
    fn open_container(&mut self, i: usize) -> PResult<()> {
        if self.depth >= self.settings.max_depth {
            return fail(ErrorKind::DepthLimit, i);
        }
        if let Some(slot) = self.open.get_mut(self.depth) {
            // The input is at most u32::MAX bytes (Limits::max_input).
            *slot = u32::try_from(i).unwrap_or(u32::MAX);
        }
        self.depth += 1;
        self.pos = i + 1;
        Ok(())
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
            return unexpected("a value", self.pos);
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
        if self.settings.skim {
            let end = self.skim_container(start)?;
            self.pos = end;
            self.state = State::AfterValue;
            return Ok((start, end));
        }
        let end = skip_full(self.input, start, self.depth, &self.settings)?;
        self.pos = end;
        self.state = State::AfterValue;
        Ok((start, end))
    }

    /// `Skim` skip of the container at `start` (see [`skim_container`]).
    fn skim_container(&self, start: usize) -> PResult<usize> {
        skim_container(self.input, start, self.depth, self.settings.max_depth)
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

/// Checks that `b` can start a value.
#[inline]
fn value_start(b: u8, i: usize) -> PResult<Next> {
    match b {
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => Ok(Next::Value(b)),
        _ => unexpected("a value", i),
    }
}
