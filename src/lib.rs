//! Zero-allocation readers for Tencent Cloud Infinite (数据万象) job callbacks.
//!
//! When a CI job finishes, Tencent POSTs a small XML or JSON document to the
//! job's callback URL. `wanxiang` pulls only the fields you ask for out of it,
//! as slices of your own buffer, without allocating and without parsing what
//! you did not ask for.
//!
//! ```
//! use wanxiang::{Hit, PathSet};
//!
//! // Compile the paths once (this allocates), reuse them for every callback.
//! let paths = PathSet::compile(["EventName", "JobsDetail.#.JobId", "JobsDetail.#.State"])?;
//!
//! let body = br#"{"EventName": "TaskFinish",
//!                 "JobsDetail": [{"JobId": "j1", "State": "Success"},
//!                                {"JobId": "j2", "State": "Failed"}]}"#;
//! let mut slots = [Hit::EMPTY; 16]; // the caller owns the output
//! let found = paths.extract(body, &mut slots)?; // no allocation from here on
//! assert!(found.first(0).unwrap().text() == "TaskFinish");
//! let states: Vec<&str> = found.all(2).map(|h| h.text().raw()).collect();
//! assert_eq!(states, ["Success", "Failed"]);
//! # Ok::<(), wanxiang::Error>(())
//! ```
//!
//! # Layers
//! - [`xml::Reader`] and [`json::Reader`]: borrowed pull readers that validate
//!   what they read and can skip a whole element or value cheaply.
//! - [`Text`]: a raw value that decodes (entities, escapes, CDATA) only on request.
//! - [`PathSet`]: dot paths (`JobsDetail.#.Input.CosHeaders.#.Key`) compiled once
//!   and matched over either format, skipping every subtree no path needs.
//!
//! # Guarantees
//! - **No allocation** in reading, extracting, and every decoding-free access
//!   ([`Text::as_str`], [`Text::eq_str`], [`Text::write_to`]); a test with a
//!   counting global allocator checks it over the whole corpus.
//! - **No panics, bounded work**: every input gives values or an [`Error`] with
//!   a matchable [`ErrorKind`], a byte offset and line/column; time is linear in
//!   the input; nesting, size, attributes and list items are bounded by [`Limits`].
//! - **`unsafe` in one module only**: `#![deny(unsafe_code)]`, allowed only in
//!   the private `simd` module, where each block calls an SSE2 intrinsic (part
//!   of the x86-64 baseline) on registers or loads the 16 bytes of a
//!   `&[u8; 16]`. Every operation is tested against its scalar definition for
//!   every byte value in every lane; other targets use a portable version.
//!
//! # Policies
//! - [`Validation::Full`] (default) checks the whole document, also what is
//!   skipped; [`Validation::Skim`] stops as soon as every value is known.
//! - JSON trailing commas are accepted by default (Tencent's own examples have
//!   them) and rejected by [`Options::strict`]; nothing else non-standard is.
//! - XML `<!DOCTYPE` is rejected: no DTD, no entity expansion, nothing external.
//!
//! # Crate features
//! - `std` (default): implies `memchr/std`, builds the `wanxiang` CLI and adds
//!   [`stream::FrameReader`] over `std::io::Read`. Without it the library is
//!   `no_std` + `alloc`.
//! - `tokio-codec` (off): [`stream::FrameCodec`] implements
//!   `tokio_util::codec::Decoder`, for `FramedRead` over any `AsyncRead`. It
//!   adds tokio-util and tokio's I/O traits (no runtime) to the build.
#![no_std]
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod callback;
mod config;
mod error;
pub mod json;
mod owned;
pub mod path;
mod scan;
mod simd;
pub mod stream;
mod text;
mod time;
mod tree;
pub mod xml;

pub use config::{Limits, Options, Validation, MAX_DEPTH};
pub use error::{Category, Error, ErrorKind};
pub use path::{Found, Hit, Kind, PathSet};
pub use simd::{probe as __simd_probe, simd_level};
pub use stream::Status;
pub use text::Text;

pub use callback::{
    Callback, Event, Header, Headers, Job, JobField, Jobs, State, Task, TaskField, Tasks, Workflow,
    WorkflowField,
};
pub use owned::{OwnedCallback, OwnedJob, OwnedTask, OwnedWorkflow};
pub use time::{Timestamp, ValueErrorKind};

/// The two document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// XML: the first significant byte is `<`.
    Xml,
    /// JSON: anything else.
    Json,
}

impl Format {
    /// `"xml"` or `"json"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Tells XML from JSON by the first byte after an optional UTF-8 byte-order
/// mark and whitespace: `<` is XML, anything else JSON. Headers are not
/// trusted; this is all a receiver needs.
///
/// # Errors
/// [`ErrorKind::Empty`] when there is nothing but whitespace,
/// [`ErrorKind::UnsupportedEncoding`] for a UTF-16 byte-order mark.
///
/// # Examples
/// ```
/// use wanxiang::{sniff, Format};
/// assert_eq!(sniff(b"\xEF\xBB\xBF  <Response/>").unwrap(), Format::Xml);
/// assert_eq!(sniff(b"\n{}").unwrap(), Format::Json);
/// assert_eq!(sniff(b" \n").unwrap_err().kind(), wanxiang::ErrorKind::Empty);
/// ```
pub fn sniff(input: &[u8]) -> Result<Format, Error> {
    sniff_at(input).map_err(|f| Error::at(f.kind, f.at, input))
}

fn sniff_at(input: &[u8]) -> scan::PResult<Format> {
    if input.starts_with(b"\xFE\xFF") || input.starts_with(b"\xFF\xFE") {
        return scan::fail(ErrorKind::UnsupportedEncoding, 0);
    }
    let body = if input.starts_with(BOM) { 3 } else { 0 };
    let first = scan::skip_ws(input, body);
    match input.get(first) {
        None => scan::fail(ErrorKind::Empty, first),
        Some(b'<') => Ok(Format::Xml),
        Some(_) => Ok(Format::Json),
    }
}

/// What [`prepare`] found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prepared<'buf> {
    /// The offset after an optional byte-order mark.
    pub body: usize,
    /// In `Full`, the whole input as validated UTF-8.
    pub valid: Option<&'buf str>,
    /// In `Full`, the length of a prefix of the input that is all ASCII
    /// (the whole input when it is); 0 in `Skim`.
    pub ascii: usize,
}

/// Checks what both readers need before the first token: the size limit, the
/// encoding, and (in `Full`) UTF-8 over the whole input. Returns the offset
/// after an optional byte-order mark and, in `Full`, the input as a validated
/// `&str` (so values can be sliced out of it without validating them again).
fn prepare<'buf>(input: &'buf [u8], options: &Options) -> scan::PResult<Prepared<'buf>> {
    if input.len() > options.limits.max_input() {
        return scan::fail(ErrorKind::SizeLimit, options.limits.max_input());
    }
    sniff_at(input)?;
    let (valid, ascii) = match options.validation {
        Validation::Full => {
            let (s, ascii) = scan::utf8_ascii(input, 0)?;
            (Some(s), ascii)
        }
        Validation::Skim => (None, 0),
    };
    let body = if input.starts_with(BOM) { 3 } else { 0 };
    Ok(Prepared { body, valid, ascii })
}

/// [`prepare`] with the first-error rule. `Full` mode checks UTF-8 over the
/// whole input before the first token, so a bad byte deep in the document
/// would hide an earlier error (a `<!DOCTYPE`, a non-UTF-8 `encoding=`, a
/// broken tag). On that cold path the valid prefix before the bad byte is read
/// with `read_prefix`: an error there comes first in reading order and wins,
/// unless it only says that the prefix ends early.
#[inline]
fn prepare_first<'buf>(
    input: &'buf [u8],
    options: &Options,
    read_prefix: fn(&[u8], &Options) -> scan::PResult<()>,
) -> scan::PResult<Prepared<'buf>> {
    match prepare(input, options) {
        Err(bad) if bad.kind == ErrorKind::InvalidUtf8 => {
            Err(first_error(input, bad, options, read_prefix))
        }
        prepared => prepared,
    }
}

#[cold]
#[inline(never)]
fn first_error(
    input: &[u8],
    bad: scan::Fail,
    options: &Options,
    read_prefix: fn(&[u8], &Options) -> scan::PResult<()>,
) -> scan::Fail {
    let prefix = input.get(..bad.at).unwrap_or(&[]);
    match read_prefix(prefix, options) {
        Err(f) if f.at < bad.at && f.kind.category() != Category::Eof => f,
        _ => bad,
    }
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
