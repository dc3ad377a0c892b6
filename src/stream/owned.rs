//! Owned frames: [`FrameCodec`] over `bytes::BytesMut`, [`FrameReader`] over
//! `std::io::Read`, and the `tokio_util::codec::Decoder` implementation.

use bytes::{Buf, Bytes, BytesMut};

use super::{Frame, Framer, Status};
use crate::Error;

/// Frames a `bytes::BytesMut` into `bytes::Bytes` documents without copying.
///
/// Append what arrives to the `BytesMut` and call
/// [`next_frame`](FrameCodec::next_frame) until it returns `None`; at the end
/// of the input call [`finish`](FrameCodec::finish) until it does. Each
/// document is split off the front of the buffer (`split_to().freeze()`): it
/// shares the buffer's memory, and the whitespace before it is dropped. With
/// the `tokio-codec` feature this is also a `tokio_util::codec::Decoder`.
///
/// # Examples
/// ```
/// use bytes::BytesMut;
/// use wanxiang::stream::FrameCodec;
/// let mut codec = FrameCodec::default();
/// let mut buf = BytesMut::from(&b"{\"EventName\":\"TaskFinish\"}\n<Respo"[..]);
/// let (frame, doc) = codec.next_frame(&mut buf)?.unwrap();
/// assert_eq!(&doc[..], b"{\"EventName\":\"TaskFinish\"}");
/// assert_eq!(frame.index(), 0);
/// assert!(codec.next_frame(&mut buf)?.is_none()); // "<Respo" waits for more
/// buf.extend_from_slice(b"nse/>");
/// let (_, doc) = codec.finish(&mut buf)?.unwrap();
/// assert_eq!(&doc[..], b"<Response/>");
/// assert!(codec.finish(&mut buf)?.is_none());
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct FrameCodec {
    framer: Framer,
}

impl FrameCodec {
    /// A codec over `framer` (for its maximum frame length).
    pub fn new(framer: Framer) -> Self {
        FrameCodec { framer }
    }

    /// The framer, for its counters and [`Framer::location`].
    pub fn framer(&self) -> &Framer {
        &self.framer
    }

    /// Splits the next whole document off the front of `buf`, or returns
    /// `None` when more bytes are needed.
    ///
    /// # Errors
    /// As for [`Framer::frame`].
    pub fn next_frame(&mut self, buf: &mut BytesMut) -> Result<Option<(Frame, Bytes)>, Error> {
        match self.framer.frame(buf)? {
            Status::Complete(frame) => Ok(Some((frame, split(buf, &frame)))),
            Status::Partial => Ok(None),
        }
    }

    /// Like [`next_frame`](FrameCodec::next_frame) at the end of the input:
    /// `None` when no document is left (trailing whitespace is then cleared).
    ///
    /// # Errors
    /// As for [`Framer::finish`].
    pub fn finish(&mut self, buf: &mut BytesMut) -> Result<Option<(Frame, Bytes)>, Error> {
        match self.framer.finish(buf)? {
            Some(frame) => Ok(Some((frame, split(buf, &frame)))),
            None => {
                buf.clear();
                Ok(None)
            }
        }
    }
}

/// Drops what precedes the document and splits the document off, sharing memory.
fn split(buf: &mut BytesMut, frame: &Frame) -> Bytes {
    let start = frame.start().min(buf.len());
    buf.advance(start);
    let len = frame.end().saturating_sub(start).min(buf.len());
    buf.split_to(len).freeze()
}

#[cfg(feature = "std")]
pub use self::reader::{FrameReader, ReadError};

#[cfg(feature = "std")]
mod reader {
    use std::io::{self, Read};

    use bytes::{Bytes, BytesMut};

    use super::{Frame, FrameCodec, Framer};
    use crate::Error;

    /// A failure reading a stream: the reader's I/O error, or a framing error.
    #[derive(Debug)]
    pub enum ReadError {
        /// Reading the bytes failed.
        Io(io::Error),
        /// The stream's framing failed (see [`Framer::frame`]).
        Frame(Error),
    }

    impl core::fmt::Display for ReadError {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            match self {
                ReadError::Io(e) => write!(f, "read error: {e}"),
                ReadError::Frame(e) => e.fmt(f),
            }
        }
    }

    impl std::error::Error for ReadError {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                ReadError::Io(e) => Some(e),
                ReadError::Frame(e) => Some(e),
            }
        }
    }

    impl From<io::Error> for ReadError {
        fn from(e: io::Error) -> Self {
            ReadError::Io(e)
        }
    }

    impl From<Error> for ReadError {
        fn from(e: Error) -> Self {
            ReadError::Frame(e)
        }
    }

    /// The documents of a `std::io::Read` stream, as `Bytes`, in bounded memory.
    ///
    /// Reads in chunks (64 KiB by default) into one `BytesMut` and splits each
    /// document off with a [`FrameCodec`]. The buffer holds at most the
    /// framer's [`max_frame`](Framer::max_frame) plus one chunk (plus the
    /// documents the caller still holds, which share its memory). Stops after
    /// the first error. Use a [`Frame`]'s [`location`](Frame::location) to
    /// place errors found in its document, and [`FrameReader::framer`]'s
    /// [`location`](Framer::location) for a framing error.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::stream::{FrameReader, Framer};
    /// let input: &[u8] = b"{\"a\":1}\n{\"a\":2}\n";
    /// let docs: Vec<_> = FrameReader::new(input, Framer::new())
    ///     .map(|r| r.map(|(_, doc)| doc))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(docs, [&b"{\"a\":1}"[..], b"{\"a\":2}"]);
    /// # Ok::<(), wanxiang::stream::ReadError>(())
    /// ```
    #[derive(Debug)]
    pub struct FrameReader<R> {
        reader: R,
        buf: BytesMut,
        codec: FrameCodec,
        chunk: usize,
        eof: bool,
        done: bool,
    }

    impl<R: Read> FrameReader<R> {
        /// Frames what `reader` yields with `framer`.
        pub fn new(reader: R, framer: Framer) -> Self {
            FrameReader {
                reader,
                buf: BytesMut::new(),
                codec: FrameCodec::new(framer),
                chunk: 64 << 10,
                eof: false,
                done: false,
            }
        }

        /// Sets the size of each read (at least 1 byte).
        #[must_use]
        pub fn with_chunk(mut self, bytes: usize) -> Self {
            self.chunk = bytes.max(1);
            self
        }

        /// The framer, for its counters and [`Framer::location`].
        pub fn framer(&self) -> &Framer {
            self.codec.framer()
        }

        /// Reads one more chunk; sets `eof` at the end of the input.
        fn fill(&mut self) -> io::Result<()> {
            let n = self.buf.len();
            self.buf.resize(n.saturating_add(self.chunk), 0);
            let read = match self.buf.get_mut(n..) {
                Some(spare) => self.reader.read(spare),
                None => Ok(0),
            };
            match read {
                Ok(0) => {
                    self.buf.truncate(n);
                    self.eof = true;
                }
                Ok(got) => self.buf.truncate(n.saturating_add(got)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => self.buf.truncate(n),
                Err(e) => {
                    self.buf.truncate(n);
                    return Err(e);
                }
            }
            Ok(())
        }
    }

    impl<R: Read> Iterator for FrameReader<R> {
        type Item = Result<(Frame, Bytes), ReadError>;

        fn next(&mut self) -> Option<Self::Item> {
            while !self.done {
                let next = if self.eof {
                    self.codec.finish(&mut self.buf)
                } else {
                    self.codec.next_frame(&mut self.buf)
                };
                match next {
                    Ok(Some(frame)) => return Some(Ok(frame)),
                    Ok(None) if self.eof => self.done = true,
                    Ok(None) => {
                        if let Err(e) = self.fill() {
                            self.done = true;
                            return Some(Err(ReadError::Io(e)));
                        }
                    }
                    Err(e) => {
                        self.done = true;
                        return Some(Err(ReadError::Frame(e)));
                    }
                }
            }
            None
        }
    }
}

#[cfg(feature = "tokio-codec")]
impl tokio_util::codec::Decoder for FrameCodec {
    type Item = (Frame, Bytes);
    type Error = ReadError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, ReadError> {
        Ok(self.next_frame(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, ReadError> {
        Ok(self.finish(src)?)
    }
}
