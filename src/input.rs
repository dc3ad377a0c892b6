//! Input preparation, below both readers: the [`Format`] of a document, the
//! UTF-8 byte-order mark, sniffing XML from JSON, and the size, encoding and
//! (in `Full`) UTF-8 checks both readers make before their first token.

use crate::config::{Options, Validation};
use crate::error::{Category, Error, ErrorKind};
use crate::scan;

/// The two document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// XML: the first significant byte is `<`.
    Xml,
    /// JSON: anything else.
    Json,
}

impl Format {
    /// `"xml"` or `"json"`, the same text as `Display` gives.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::Format;
    /// assert_eq!(Format::Xml.as_str(), "xml");
    /// assert_eq!(Format::Json.to_string(), "json");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }
}

impl core::fmt::Display for Format {
    /// `xml` or `json`, lower case (as [`Format::as_str`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.as_str())
    }
}

/// The UTF-8 byte-order mark.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

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
    sniff_at(input).map_err(|f| f.error(input))
}

/// [`sniff`] with a crate-internal error.
pub(crate) fn sniff_at(input: &[u8]) -> scan::PResult<Format> {
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
pub(crate) fn prepare<'buf>(input: &'buf [u8], options: &Options) -> scan::PResult<Prepared<'buf>> {
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
pub(crate) fn prepare_first<'buf>(
    input: &'buf [u8],
    options: &Options,
    read_prefix: fn(&[u8], &Options) -> scan::PResult<()>,
) -> scan::PResult<Prepared<'buf>> {
    match prepare(input, options) {
        Err(bad) if bad.kind() == ErrorKind::InvalidUtf8 => {
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
    let prefix = input.get(..bad.at()).unwrap_or(&[]);
    match read_prefix(prefix, options) {
        Err(f) if f.at() < bad.at() && f.kind().category() != Category::Eof => f,
        _ => bad,
    }
}
