//! Framing: many documents in one byte stream.
//!
//! Callbacks are archived and replayed as NDJSON logs, concatenated JSON,
//! concatenated XML dumps and message-queue batches. A [`Framer`] finds where
//! each document of such a stream begins and ends, given the bytes read so far,
//! in the style of `httparse`: [`Framer::frame`] answers
//! [`Status::Complete`] with a [`Frame`] (the document's range and how many
//! bytes to drop) or [`Status::Partial`] when it needs more bytes. Incomplete
//! input is not an error; [`Framer::finish`] says that no more bytes will come
//! and turns a trailing partial document into its error.
//!
//! ```
//! use wanxiang::stream::{Framer, Status};
//!
//! let mut framer = Framer::new();
//! let mut buf = Vec::new();
//! buf.extend_from_slice(br#"{"EventName": "TaskFin"#); // a first chunk
//! assert!(framer.frame(&buf)?.is_partial());
//!
//! buf.extend_from_slice(b"ish\"}\n<?xml version=\"1.0\"?><Response/>\n");
//! let Status::Complete(first) = framer.frame(&buf)? else { panic!("complete") };
//! assert_eq!(first.document(&buf), br#"{"EventName": "TaskFinish"}"#);
//! buf.drain(..first.consumed()); // the caller drops what was consumed
//!
//! let Status::Complete(second) = framer.frame(&buf)? else { panic!("complete") };
//! assert_eq!(second.document(&buf), b"<?xml version=\"1.0\"?><Response/>");
//! assert_eq!((second.index(), second.location().line), (1, 2));
//! buf.drain(..second.consumed());
//!
//! assert!(framer.frame(&buf)?.is_partial()); // only "\n" is left
//! assert_eq!(framer.finish(&buf)?, None); // and no document at the end
//! # Ok::<(), wanxiang::Error>(())
//! ```
//!
//! # What a frame is
//! Framing is a structural scan only: it finds boundaries and validates
//! nothing. Each frame is then read with [`PathSet`](crate::PathSet) (or
//! [`Callback`](crate::Callback), [`OwnedCallback`](crate::OwnedCallback)) in
//! [`Validation::Full`](crate::Validation::Full), which checks it. A broken
//! document therefore costs one bad frame, and the frames after it are found
//! as usual wherever the scan can tell where it ends (see *Recovery*).
//!
//! Whitespace between documents belongs to no document: it is counted in
//! [`Frame::consumed`] but lies before [`Frame::start`]. The format is decided
//! per document, by its first byte: `<` is XML, anything else JSON, so one
//! stream may mix both. A UTF-8 byte-order mark starts a document (it is kept
//! in the frame, where the readers accept it).
//!
//! - **JSON** (RFC 8259), NDJSON or concatenated with any whitespace between:
//!   an object or array ends at its matching bracket (strings and their
//!   escapes are followed, brackets counted); a top-level string at its
//!   closing quote; a top-level number or literal at the first whitespace or
//!   `{ } [ ] " <` after it, so `1 2` is two documents and a number at the
//!   very end of the input is only complete at [`Framer::finish`].
//! - **XML** (XML 1.0 §2.1 `document`): a document is an optional
//!   `<?xml …?>` declaration, its prolog (comments, processing instructions,
//!   a DOCTYPE, which the readers then refuse) and one root element; the
//!   frame ends with the root's end tag (or `/>`). Tags are followed with
//!   their quoted attribute values; comments, CDATA sections and processing
//!   instructions are skipped to their terminators; elements are counted.
//! - **Comments and processing instructions between XML documents** (after
//!   a root element and before the next declaration or root) belong to no
//!   document: they are skipped, counted in `consumed` but outside the frame.
//!   A stream can thus separate documents with `<!-- … -->` and still give
//!   every document its own `<?xml …?>` at its very start, where XML requires
//!   it. Skipped markup is checked as a reader checks it; a malformed comment
//!   or PI is not skipped but becomes a frame of its own, which the reader
//!   rejects. A comment after the declaration and before the root is the
//!   document's prolog and stays in the frame.
//!
//! # Recovery
//! Framing never fails on a syntax error; a garbage byte sequence between
//! documents becomes a frame of its own that the reader rejects. Two cases
//! end a frame early so that one broken NDJSON line does not swallow the next
//! document: a raw line feed inside a JSON string (never valid, RFC 8259 §7)
//! and a closing bracket that does not match the open one (the kinds of the
//! first 256 levels are tracked in a bit set). An unclosed object, element,
//! string or comment does swallow what follows: the frame then grows until
//! [`Framer::finish`] reports the unclosed construct, or until the maximum
//! frame length stops it with [`ErrorKind::SizeLimit`]. Those two are the
//! only framing errors, and the framer is fused after one: a stream that has
//! lost its structure cannot be resynchronised without guessing.
//!
//! # Memory and cost
//! The framer is a few words of state: it never allocates and never copies.
//! The caller keeps the bytes of the frame in progress, at most
//! [`Framer::max_frame`] of them (whitespace and skipped markup before the
//! document included): a runaway document is an error, not an unbounded
//! buffer. Scanning resumes where the previous call stopped, so feeding a
//! frame in any number of chunks costs about one pass over it (only an
//! opener such as `<![CDATA[`, a terminator such as `-->` or an escape that
//! straddles the end of the bytes is looked at again), unlike re-parsing a
//! growing buffer from byte 0, which is quadratic in the number of chunks.
//! Each complete frame is also counted for newlines once, to keep
//! [`Location`]s. [`Framer::finish`] on a truncated document reads it once
//! more to report its first error.
//!
//! For owned frames, [`FrameCodec`] splits a `bytes::BytesMut` into
//! `bytes::Bytes` documents without copying, [`FrameReader`] (feature `std`)
//! drives it from any `std::io::Read` in bounded memory, and with the
//! `tokio-codec` feature [`FrameCodec`] is a `tokio_util::codec::Decoder`.

mod machine;
mod owned;

use core::ops::Range;

use crate::{Error, ErrorKind, Format, Limits};

use self::machine::{first_error, Markup, Mode, Scan};
pub use self::owned::FrameCodec;
#[cfg(feature = "std")]
pub use self::owned::{FrameReader, ReadError};

/// The answer to "is there a whole document yet?".
///
/// `Partial` is not an error: more bytes are needed (`httparse::Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// The value is complete.
    Complete(T),
    /// More bytes are needed.
    Partial,
}

impl<T> Status<T> {
    /// Whether this is `Complete`.
    pub fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(_))
    }
    /// Whether this is `Partial`.
    pub fn is_partial(&self) -> bool {
        matches!(self, Status::Partial)
    }
    /// The complete value, or `None` for `Partial`.
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(t) => Some(t),
            Status::Partial => None,
        }
    }
    /// Maps the complete value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Status<U> {
        match self {
            Status::Complete(t) => Status::Complete(f(t)),
            Status::Partial => Status::Partial,
        }
    }
}

/// A position in the whole stream: byte offset (0-based), line and column
/// (1-based; the column counts bytes, as in [`Error`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// Bytes before this position in the stream.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in bytes.
    pub column: u64,
}

impl Default for Location {
    fn default() -> Self {
        Location::START
    }
}

impl Location {
    /// The start of a stream.
    pub const START: Location = Location {
        offset: 0,
        line: 1,
        column: 1,
    };

    /// The stream location of `error`, whose offset, line and column count
    /// from `self`: from a frame's [`Frame::location`] for an error reading
    /// that document, from [`Framer::location`] for a framing error.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::stream::Framer;
    /// let stream = b"{\"a\": 1}\n{\"a\":\n  tru}\n";
    /// let (frame, doc) = Framer::new().frames(stream).nth(1).unwrap()?;
    /// let err = wanxiang::json::Reader::new(doc)?.skip_value().unwrap_err();
    /// let at = frame.location().of(&err);
    /// assert_eq!((at.offset, at.line, at.column), (17, 3, 3));
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn of(&self, error: &Error) -> Location {
        let line = u64::from(error.line());
        let column = u64::from(error.column());
        Location {
            offset: self.offset.saturating_add(error.offset() as u64),
            line: self.line.saturating_add(line.saturating_sub(1)),
            column: if line <= 1 {
                self.column.saturating_add(column.saturating_sub(1))
            } else {
                column
            },
        }
    }

    /// The location after `bytes`, which start at `self`.
    fn advance(self, bytes: &[u8]) -> Location {
        let offset = self.offset.saturating_add(bytes.len() as u64);
        match memchr::memrchr(b'\n', bytes) {
            None => Location {
                offset,
                column: self.column.saturating_add(bytes.len() as u64),
                ..self
            },
            Some(last) => Location {
                offset,
                line: self
                    .line
                    .saturating_add(memchr::memchr_iter(b'\n', bytes).count() as u64),
                column: (bytes.len() - last) as u64,
            },
        }
    }
}

/// One document found by a [`Framer`].
///
/// Offsets ([`start`](Frame::start), [`end`](Frame::end),
/// [`consumed`](Frame::consumed)) count from the start of the buffer the frame
/// was found in; [`location`](Frame::location) is absolute in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    start: usize,
    end: usize,
    format: Format,
    index: u64,
    location: Location,
}

impl Frame {
    /// Where the document starts (after the whitespace and skipped markup before it).
    pub fn start(&self) -> usize {
        self.start
    }
    /// Where the document ends (exclusive).
    pub fn end(&self) -> usize {
        self.end
    }
    /// Bytes to drop from the front of the buffer before the next call: the
    /// whitespace before the document and the document (equal to [`end`](Frame::end)).
    pub fn consumed(&self) -> usize {
        self.end
    }
    /// `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
    /// The document's bytes in `buf`, the buffer the frame was found in
    /// (empty if `buf` is another, shorter buffer).
    pub fn document<'buf>(&self, buf: &'buf [u8]) -> &'buf [u8] {
        buf.get(self.range()).unwrap_or(&[])
    }
    /// The document's format, from its first byte.
    pub fn format(&self) -> Format {
        self.format
    }
    /// The 0-based index of the document in the stream.
    pub fn index(&self) -> u64 {
        self.index
    }
    /// Where the document starts in the stream. Turn an error found in the
    /// document into a stream position with [`Location::of`].
    pub fn location(&self) -> Location {
        self.location
    }
}

/// Finds document boundaries in a stream fed in chunks of any size.
///
/// Call [`frame`](Framer::frame) with the unconsumed bytes of the stream so
/// far. After `Partial`, call again with the same bytes plus more. After
/// `Complete(frame)`, drop [`frame.consumed()`](Frame::consumed) bytes from the
/// front before the next call. At the end of the input, call
/// [`finish`](Framer::finish) until it returns `None`. Breaking this contract
/// cannot make the framer panic, only find wrong frames. See the
/// [module docs](self) for what a frame is, and its cost.
///
/// # Examples
/// One document per call, then `finish` for the number that only the end of
/// the input can close:
/// ```
/// use wanxiang::stream::{Framer, Status};
/// let mut framer = Framer::new();
/// let mut buf: &[u8] = b"{\"a\":[1,2]} \"two\"\n3";
/// let mut docs = Vec::new();
/// while let Status::Complete(f) = framer.frame(buf)? {
///     docs.push(f.document(buf));
///     buf = &buf[f.consumed()..];
/// }
/// while let Some(f) = framer.finish(buf)? {
///     docs.push(f.document(buf));
///     buf = &buf[f.consumed()..];
/// }
/// assert_eq!(docs, [&b"{\"a\":[1,2]}"[..], b"\"two\"", b"3"]);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Framer {
    max_frame: usize,
    // The frame in progress (offsets into the caller's buffer).
    pos: usize,
    mode: Mode,
    doc: usize,
    format: Format,
    depth: usize,
    /// JSON: bracket kind of the first 256 levels, bit set for `[`.
    kinds: [u64; 4],
    // The stream.
    base: Location,
    documents: u64,
    failed: Option<Error>,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new()
    }
}

impl Framer {
    /// A framer whose maximum frame is [`Limits::default`]'s `max_input` (16 MiB).
    pub fn new() -> Self {
        Framer {
            max_frame: Limits::default().max_input(),
            pos: 0,
            mode: Mode::Gap,
            doc: 0,
            format: Format::Json,
            depth: 0,
            kinds: [0; 4],
            base: Location::START,
            documents: 0,
            failed: None,
        }
    }

    /// Sets the most bytes one frame may need: the document and the
    /// whitespace or skipped markup before it. A frame of exactly `bytes` is
    /// accepted; one byte more is [`ErrorKind::SizeLimit`].
    #[must_use]
    pub fn with_max_frame(mut self, bytes: usize) -> Self {
        self.max_frame = bytes;
        self
    }

    /// The maximum frame length in force.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    /// Documents framed so far (the index the next one will have).
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The stream location of the first unconsumed byte: where the buffer of
    /// the next call starts. A framing error's position counts from here.
    pub fn location(&self) -> Location {
        self.base
    }

    /// Looks for the next whole document at the start of `buf`, the
    /// unconsumed bytes of the stream.
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`] when the frame needs more than
    /// [`max_frame`](Framer::max_frame) bytes, at the document's first byte
    /// (at a skipped comment's `<`, or at 0 when only whitespace was seen).
    /// Offsets count from the start of `buf`; [`Framer::location`] places
    /// them in the stream. The framer is fused: after an error every call
    /// returns it again.
    ///
    /// # Complexity
    /// Resumes where the previous `Partial` stopped: linear in the new bytes,
    /// plus a few bytes of a construct that straddled the old end.
    pub fn frame(&mut self, buf: &[u8]) -> Result<Status<Frame>, Error> {
        self.run(buf, false).map(|f| match f {
            Some(f) => Status::Complete(f),
            None => Status::Partial,
        })
    }

    /// Like [`frame`](Framer::frame), knowing that no byte will follow `buf`:
    /// returns the next document, or `None` when only whitespace (and skipped
    /// markup) is left.
    ///
    /// # Errors
    /// [`ErrorKind::SizeLimit`] as for [`frame`](Framer::frame); for a
    /// document cut short, the first error a reader finds in it (usually its
    /// unclosed kind, such as [`ErrorKind::UnclosedObject`] at the innermost
    /// open `{`, or [`ErrorKind::UnclosedElement`]); for a comment or PI cut
    /// short between documents, [`ErrorKind::UnclosedComment`] or
    /// [`ErrorKind::UnclosedPi`] at its `<`.
    pub fn finish(&mut self, buf: &[u8]) -> Result<Option<Frame>, Error> {
        self.run(buf, true)
    }

    /// Frames a whole input held in memory, calling [`finish`](Framer::finish)
    /// for each document. Yields each frame with its document's bytes; stops
    /// after the first error.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::stream::Framer;
    /// let docs: Vec<&[u8]> = Framer::new()
    ///     .frames(b"<a/>\n<!-- between -->\n<?xml version=\"1.0\"?>\n<b>x</b>")
    ///     .map(|r| r.map(|(_, doc)| doc))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(docs, [&b"<a/>"[..], b"<?xml version=\"1.0\"?>\n<b>x</b>"]);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn frames(self, input: &[u8]) -> Frames<'_> {
        Frames {
            framer: self,
            rest: input,
            done: false,
        }
    }

    fn run(&mut self, buf: &[u8], eof: bool) -> Result<Option<Frame>, Error> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if buf.len() < self.pos {
            // Not the bytes of the previous call: start this frame over.
            self.reset();
        }
        let window = buf.get(..self.max_frame.saturating_add(1)).unwrap_or(buf);
        let over = buf.len() > self.max_frame;
        let end = match self.scan(window, eof && !over) {
            Scan::Done(end) if end <= self.max_frame => end,
            Scan::Done(_) => return Err(self.fail(ErrorKind::SizeLimit, self.limit_at(), buf)),
            Scan::More if over => {
                return Err(self.fail(ErrorKind::SizeLimit, self.limit_at(), buf))
            }
            Scan::More if !eof => return Ok(None),
            Scan::More => return self.at_eof(buf),
        };
        let start = self.doc.min(end);
        let location = self.base.advance(buf.get(..start).unwrap_or(&[]));
        self.base = location.advance(buf.get(start..end).unwrap_or(&[]));
        let frame = Frame {
            start,
            end,
            format: self.format,
            index: self.documents,
            location,
        };
        self.documents += 1;
        self.reset();
        Ok(Some(frame))
    }

    /// The input ended where the scan stopped (`eof` and not over the limit).
    #[cold]
    fn at_eof(&mut self, buf: &[u8]) -> Result<Option<Frame>, Error> {
        let (kind, at) = match self.mode {
            Mode::Gap if self.pos >= buf.len() => {
                self.reset();
                return Ok(None);
            }
            // An opener too short to classify, or a partial byte-order mark.
            Mode::Gap => first_error(buf, self.pos),
            Mode::GapMarkup { open, kind } => (
                if kind == Markup::Comment {
                    ErrorKind::UnclosedComment
                } else {
                    ErrorKind::UnclosedPi
                },
                open,
            ),
            _ => first_error(buf, self.doc),
        };
        Err(self.fail(kind, at, buf))
    }

    /// Where a size-limit error points: the document, or the skipped markup,
    /// or the start of the buffer.
    fn limit_at(&self) -> usize {
        match self.mode {
            Mode::Gap => 0,
            Mode::GapMarkup { open, .. } => open,
            _ => self.doc,
        }
    }

    #[cold]
    fn fail(&mut self, kind: ErrorKind, at: usize, buf: &[u8]) -> Error {
        let e = Error::at(kind, at, buf);
        self.failed = Some(e);
        e
    }

    fn reset(&mut self) {
        self.pos = 0;
        self.mode = Mode::Gap;
        self.doc = 0;
        self.depth = 0;
    }
}

/// The documents of a whole input: see [`Framer::frames`].
#[derive(Debug, Clone)]
pub struct Frames<'buf> {
    framer: Framer,
    rest: &'buf [u8],
    done: bool,
}

impl<'buf> Frames<'buf> {
    /// The framer (for [`Framer::location`] after an error).
    pub fn framer(&self) -> &Framer {
        &self.framer
    }
}

impl<'buf> Iterator for Frames<'buf> {
    /// A frame (offsets relative to the input left after the previous
    /// frame) and its document's bytes.
    type Item = Result<(Frame, &'buf [u8]), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.framer.finish(self.rest) {
            Ok(Some(frame)) => {
                let doc = frame.document(self.rest);
                self.rest = self.rest.get(frame.consumed()..).unwrap_or(&[]);
                Some(Ok((frame, doc)))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
