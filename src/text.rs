//! `Text<'buf>`: a value as it stands in the input, decoded only on request.
//!
//! The readers never decode into the input and never allocate. A value is
//! handed out as the raw slice plus what it takes to decode it:
//!
//! - XML character data: the five predefined entities, decimal and hexadecimal
//!   character references (non-BMP too), CDATA sections joined with the text
//!   around them, comments and processing instructions inside the element
//!   dropped, and line ends normalised (`\r\n` and lone `\r` become `\n`,
//!   XML 1.0 §2.11);
//! - XML attribute values: the same references, and literal tab, newline and
//!   carriage return replaced by a space (§3.3.3);
//! - JSON strings: the escapes of RFC 8259 §7, surrogate pairs joined.
//!
//! A `Text` only ever holds a slice that its reader has validated, so decoding
//! cannot fail. Comparison with a `&str` walks the decoded pieces without
//! building a string.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use core::hash::{Hash, Hasher};

use crate::scan::hex_val;

/// How the raw slice of a [`Text`] is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Escape {
    /// The raw slice is the value.
    None,
    /// XML element content: references, CDATA, comments/PIs, line ends.
    XmlContent,
    /// XML attribute value: references, whitespace normalisation.
    XmlAttr,
    /// JSON string contents (between the quotes): backslash escapes.
    Json,
}

/// A borrowed value that knows whether it needs decoding.
///
/// `'buf` is the lifetime of the caller's input buffer: the raw slice points
/// into it.
///
/// # Examples
/// ```
/// use wanxiang::PathSet;
/// let paths = PathSet::compile(["UserData"])?;
/// let doc = br#"<Response><UserData>a &amp; b</UserData></Response>"#;
/// let mut slots = [wanxiang::Hit::EMPTY; 4];
/// let found = paths.extract(doc, &mut slots)?;
/// let text = found.first(0).unwrap().text();
/// assert!(text.needs_decoding());
/// assert_eq!(text.raw(), "a &amp; b");
/// assert_eq!(text.to_cow(), "a & b");
/// assert!(text == "a & b"); // compares without allocating
/// # Ok::<(), wanxiang::Error>(())
/// ```
///
/// # Comparing and printing
/// Every comparison is by the **decoded** value and never allocates: a `Text`
/// equals a `&str`, `str` or `String` (both ways round) and another `Text`
/// that decode to the same string, so `a &amp; b` from XML equals `a & b`
/// from JSON; `Hash` agrees with that equality. `Display` writes the decoded
/// value, `Debug` shows it too (and the raw slice beside it when they
/// differ).
///
/// A `Text` cannot be a `&str` in general (an escaped value has no decoded
/// copy to borrow), so accessors return `Option<Text>`. To compare one with
/// a literal, turn the literal into a `Text` (`From<&str>`); to default a
/// missing value, do the same, or get a string with
/// [`to_cow`](Text::to_cow) / `String::from`:
/// ```
/// use wanxiang::{Callback, Text};
/// let cb = Callback::parse(br#"{"JobsDetail": {"JobId": "j\u0031", "Tag": "a&b"}}"#)?;
/// let job = cb.jobs().next().unwrap();
/// assert_eq!(job.job_id(), Some("j1".into())); // Option<Text> == Option<Text>
/// assert_eq!(job.job_id().unwrap(), "j1"); // Text == &str
/// assert_eq!(job.code().unwrap_or("-".into()).to_string(), "-");
/// let id: String = job.job_id().map(String::from).unwrap_or_default();
/// assert_eq!(id, "j1");
/// assert_eq!(format!("{:?}", job.tag().unwrap()), r#"Text("a&b")"#);
/// assert_eq!(
///     format!("{:?}", job.job_id().unwrap()),
///     r#"Text { decoded: "j1", raw: "j\\u0031" }"#
/// );
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Text<'buf> {
    raw: &'buf str,
    escape: Escape,
}

impl<'buf> Text<'buf> {
    /// The empty text.
    pub const EMPTY: Self = Text {
        raw: "",
        escape: Escape::None,
    };

    pub(crate) fn new(raw: &'buf str, escape: Escape) -> Self {
        Text { raw, escape }
    }

    /// How the raw slice decodes.
    pub(crate) fn escape(&self) -> Escape {
        self.escape
    }

    /// A text that needs no decoding.
    pub fn plain(raw: &'buf str) -> Self {
        Text {
            raw,
            escape: Escape::None,
        }
    }

    /// The raw slice, exactly as it stands in the input.
    pub fn raw(&self) -> &'buf str {
        self.raw
    }

    /// Whether the raw slice differs from the decoded value.
    pub fn needs_decoding(&self) -> bool {
        self.escape != Escape::None
    }

    /// The value as a borrowed `&str`, when it needs no decoding.
    pub fn as_str(&self) -> Option<&'buf str> {
        if self.needs_decoding() {
            None
        } else {
            Some(self.raw)
        }
    }

    /// Appends the decoded value to `out` (which is not cleared first).
    pub fn decode_into(&self, out: &mut String) {
        if !self.needs_decoding() {
            out.push_str(self.raw);
            return;
        }
        out.reserve(self.raw.len());
        for piece in self.pieces() {
            match piece {
                Piece::Str(s) => out.push_str(s),
                Piece::Char(c) => out.push(c),
            }
        }
    }

    /// The decoded value: borrowed when no decoding is needed, owned otherwise.
    pub fn to_cow(&self) -> Cow<'buf, str> {
        match self.as_str() {
            Some(s) => Cow::Borrowed(s),
            None => {
                let mut s = String::new();
                self.decode_into(&mut s);
                Cow::Owned(s)
            }
        }
    }

    /// Whether the decoded value equals `other`. Never allocates.
    pub fn eq_str(&self, other: &str) -> bool {
        if !self.needs_decoding() {
            return self.raw == other;
        }
        let mut rest = other;
        for piece in self.pieces() {
            match piece {
                Piece::Str(s) => match rest.strip_prefix(s) {
                    Some(r) => rest = r,
                    None => return false,
                },
                Piece::Char(c) => match rest.strip_prefix(c) {
                    Some(r) => rest = r,
                    None => return false,
                },
            }
        }
        rest.is_empty()
    }

    /// Writes the decoded value to a formatter or other `fmt::Write`, without allocating.
    pub fn write_to<W: fmt::Write>(&self, w: &mut W) -> fmt::Result {
        if !self.needs_decoding() {
            return w.write_str(self.raw);
        }
        for piece in self.pieces() {
            match piece {
                Piece::Str(s) => w.write_str(s)?,
                Piece::Char(c) => w.write_char(c)?,
            }
        }
        Ok(())
    }

    fn pieces(&self) -> Pieces<'buf> {
        Pieces {
            rest: self.raw,
            escape: self.escape,
            in_cdata: false,
        }
    }

    /// The decoded characters.
    fn chars(&self) -> impl Iterator<Item = char> + 'buf {
        self.pieces().flat_map(|piece| {
            let (run, one) = match piece {
                Piece::Str(s) => (s, None),
                Piece::Char(c) => ("", Some(c)),
            };
            run.chars().chain(one)
        })
    }
}

impl PartialEq for Text<'_> {
    /// Equal when the decoded values are equal (whatever the escaping).
    fn eq(&self, other: &Text<'_>) -> bool {
        if self.escape == other.escape && self.raw == other.raw {
            return true;
        }
        if !other.needs_decoding() {
            return self.eq_str(other.raw);
        }
        if !self.needs_decoding() {
            return other.eq_str(self.raw);
        }
        self.chars().eq(other.chars())
    }
}

impl Eq for Text<'_> {}

impl Hash for Text<'_> {
    /// Hashes the decoded value, fed to the hasher in fixed 64-byte blocks so
    /// that equal values hash alike however their escapes split them.
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut block = Block {
            bytes: [0; 64],
            len: 0,
            state,
        };
        // Writing to `Block` never fails.
        let _ = self.write_to(&mut block);
        let len = block.len;
        block.state.write(block.bytes.get(..len).unwrap_or(&[]));
        block.state.write_u8(0xff);
    }
}

/// Feeds bytes to a hasher in full 64-byte blocks (the rest stays in `bytes`).
struct Block<'h, H: Hasher> {
    bytes: [u8; 64],
    len: usize,
    state: &'h mut H,
}

impl<H: Hasher> fmt::Write for Block<'_, H> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
            if self.len == self.bytes.len() {
                self.state.write(&self.bytes);
                self.len = 0;
            }
        }
        Ok(())
    }
}

/// `Text == s` and `s == Text` for each string type, by [`Text::eq_str`].
macro_rules! eq_str {
    ($($s:ty),*) => {$(
        impl PartialEq<$s> for Text<'_> {
            fn eq(&self, other: &$s) -> bool {
                self.eq_str(other)
            }
        }

        impl PartialEq<Text<'_>> for $s {
            fn eq(&self, other: &Text<'_>) -> bool {
                other.eq_str(self)
            }
        }
    )*};
}

eq_str!(str, &str, String);

impl<'buf> From<&'buf str> for Text<'buf> {
    /// A text that needs no decoding, as [`Text::plain`].
    fn from(s: &'buf str) -> Self {
        Text::plain(s)
    }
}

impl From<Text<'_>> for String {
    /// The decoded value (allocates).
    fn from(t: Text<'_>) -> String {
        let mut s = String::new();
        t.decode_into(&mut s);
        s
    }
}

impl<'buf> From<Text<'buf>> for Cow<'buf, str> {
    /// The decoded value, borrowed when it needs no decoding (as [`Text::to_cow`]).
    fn from(t: Text<'buf>) -> Self {
        t.to_cow()
    }
}

impl fmt::Display for Text<'_> {
    /// Writes the decoded value without allocating, honouring width, fill,
    /// alignment and precision (in characters) as `str` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        if let Some(s) = self.as_str() {
            return f.pad(s);
        }
        if f.width().is_none() && f.precision().is_none() {
            return self.write_to(f);
        }
        let shown = match f.precision() {
            Some(p) => self.chars().take(p).count(),
            None => self.chars().count(),
        };
        let pad = f.width().map_or(0, |w| w.saturating_sub(shown));
        let (before, after) = match f.align() {
            Some(fmt::Alignment::Right) => (pad, 0),
            Some(fmt::Alignment::Center) => (pad / 2, pad - pad / 2),
            Some(fmt::Alignment::Left) | None => (0, pad),
        };
        let fill = f.fill();
        for _ in 0..before {
            f.write_char(fill)?;
        }
        for c in self.chars().take(shown) {
            f.write_char(c)?;
        }
        for _ in 0..after {
            f.write_char(fill)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Text<'_> {
    /// `Text("j1")`; for a value with escapes, `Text { decoded: "a & b", raw: "a &amp; b" }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Some(s) => f.debug_tuple("Text").field(&s).finish(),
            None => f
                .debug_struct("Text")
                .field("decoded", &Decoded(*self))
                .field("raw", &self.raw)
                .finish(),
        }
    }
}

/// The decoded value quoted and escaped as `str`'s `Debug` does, without allocating.
struct Decoded<'buf>(Text<'buf>);

impl fmt::Debug for Decoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                // `char::escape_debug` escapes `'`, which `str`'s Debug leaves alone.
                '\'' => f.write_char(c)?,
                _ => write!(f, "{}", c.escape_debug())?,
            }
        }
        f.write_char('"')
    }
}

/// One decoded piece: a run borrowed from the input, or a single decoded character.
enum Piece<'a> {
    Str(&'a str),
    Char(char),
}

/// Walks a raw slice and yields its decoded pieces.
struct Pieces<'a> {
    rest: &'a str,
    escape: Escape,
    /// Inside a CDATA section (XML content only).
    in_cdata: bool,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let bytes = self.rest.as_bytes();
            let stop = match (self.escape, self.in_cdata) {
                (Escape::None, _) => bytes.len(),
                (Escape::Json, _) => memchr::memchr(b'\\', bytes).unwrap_or(bytes.len()),
                (Escape::XmlContent, false) => {
                    memchr::memchr3(b'&', b'<', b'\r', bytes).unwrap_or(bytes.len())
                }
                (Escape::XmlContent, true) => {
                    memchr::memchr2(b']', b'\r', bytes).unwrap_or(bytes.len())
                }
                (Escape::XmlAttr, _) => bytes
                    .iter()
                    .position(|&b| matches!(b, b'&' | b'\r' | b'\n' | b'\t'))
                    .unwrap_or(bytes.len()),
            };
            if stop > 0 {
                // Every stop byte is ASCII, so `stop` is a char boundary.
                let (run, rest) = self.rest.split_at(stop);
                self.rest = rest;
                return Some(Piece::Str(run));
            }
            if let Some(piece) = self.special() {
                return Some(piece);
            }
        }
    }
}

impl<'a> Pieces<'a> {
    /// Decodes the construct at the start of `rest` (which starts with a stop
    /// byte). Returns `None` when the construct decodes to nothing (a comment,
    /// a CDATA marker), after advancing past it.
    fn special(&mut self) -> Option<Piece<'a>> {
        let bytes = self.rest.as_bytes();
        match (self.escape, bytes.first().copied()) {
            (Escape::Json, _) => {
                let (c, len) = json_escape(bytes).unwrap_or(('\\', 1));
                self.advance(len);
                Some(Piece::Char(c))
            }
            (Escape::XmlContent | Escape::XmlAttr, Some(b'\r')) => {
                let len = if bytes.get(1) == Some(&b'\n') { 2 } else { 1 };
                self.advance(len);
                Some(Piece::Char(if self.escape == Escape::XmlAttr {
                    ' '
                } else {
                    '\n'
                }))
            }
            (Escape::XmlAttr, Some(b'\n' | b'\t')) => {
                self.advance(1);
                Some(Piece::Char(' '))
            }
            (_, Some(b'&')) => {
                let (c, len) = xml_reference(bytes).unwrap_or(('&', 1));
                self.advance(len);
                Some(Piece::Char(c))
            }
            (_, Some(b']')) => {
                // Inside CDATA: `]]>` ends it; any other `]` is text.
                if bytes.starts_with(b"]]>") {
                    self.in_cdata = false;
                    self.advance(3);
                    None
                } else {
                    self.advance(1);
                    Some(Piece::Char(']'))
                }
            }
            (_, Some(b'<')) => {
                if bytes.starts_with(b"<![CDATA[") {
                    self.in_cdata = true;
                    self.advance(9);
                } else if bytes.starts_with(b"<!--") {
                    let end = memchr::memmem::find(bytes.get(4..).unwrap_or(&[]), b"-->")
                        .map_or(bytes.len(), |i| i + 7);
                    self.advance(end);
                } else if bytes.starts_with(b"<?") {
                    let end = memchr::memmem::find(bytes.get(2..).unwrap_or(&[]), b"?>")
                        .map_or(bytes.len(), |i| i + 4);
                    self.advance(end);
                } else {
                    // Not produced by the readers; pass the byte through.
                    self.advance(1);
                    return Some(Piece::Char('<'));
                }
                None
            }
            _ => {
                // Unreachable for slices the readers produced: pass one char through.
                let c = self.rest.chars().next()?;
                self.advance(c.len_utf8());
                Some(Piece::Char(c))
            }
        }
    }

    fn advance(&mut self, n: usize) {
        // Every construct above is ASCII-delimited, so `n` lands on a char
        // boundary; `get` keeps this total even if it did not.
        self.rest = self.rest.get(n..).unwrap_or("");
    }
}

/// Decodes the reference at the start of `bytes` (`&name;` or `&#…;`).
/// Returns the character and the reference's length.
pub(crate) fn xml_reference(bytes: &[u8]) -> Option<(char, usize)> {
    let semi = memchr::memchr(b';', bytes)?;
    let body = bytes.get(1..semi)?;
    let c = match body {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        [b'#', b'x', hex @ ..] => char_ref(hex, 16)?,
        [b'#', dec @ ..] => char_ref(dec, 10)?,
        _ => return None,
    };
    Some((c, semi + 1))
}

/// The value of a character reference's digits, if it names a legal XML `Char` (§2.2).
pub(crate) fn char_ref(digits: &[u8], radix: u32) -> Option<char> {
    if digits.is_empty() {
        return None;
    }
    // Leading zeros are legal (`&#0000065;`); what is left has at most 7 digits.
    let first = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    let significant = digits.get(first..).unwrap_or(&[]);
    if significant.len() > 8 {
        return None;
    }
    let mut v: u32 = 0;
    for &d in digits {
        let x = if radix == 16 {
            hex_val(d)?
        } else if d.is_ascii_digit() {
            u32::from(d - b'0')
        } else {
            return None;
        };
        v = v.checked_mul(radix)?.checked_add(x)?;
    }
    let c = char::from_u32(v)?;
    is_xml_char(c).then_some(c)
}

/// XML 1.0 `Char`: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Decodes the JSON escape at the start of `bytes` (which starts with `\`),
/// joining a surrogate pair. Returns the character and the escape's length.
pub(crate) fn json_escape(bytes: &[u8]) -> Option<(char, usize)> {
    let c = match bytes.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = hex4(bytes.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&hi) {
                if bytes.get(6..8)? != b"\\u" {
                    return None;
                }
                let lo = hex4(bytes.get(8..12)?)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                let v = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Some((char::from_u32(v)?, 12));
            }
            return Some((char::from_u32(hi)?, 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

/// Four hexadecimal digits.
pub(crate) fn hex4(digits: &[u8]) -> Option<u32> {
    let mut v = 0;
    for &d in digits {
        v = v * 16 + hex_val(d)?;
    }
    Some(v)
}

// Defined here, below the readers, so that `json::Scalar` can carry it without
// the readers knowing of paths; `path` re-exports it.
/// The shape of a value found by a path, or of a JSON scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// XML character data (element content or attribute value).
    Text,
    /// A JSON string.
    String,
    /// A JSON number, as its literal text.
    Number,
    /// JSON `true` or `false`, as its literal text.
    Bool,
    /// JSON `null`.
    Null,
    /// An XML element with child elements, or a JSON object or array: the raw text.
    Container,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(raw: &str, e: Escape) -> String {
        let t = Text::new(raw, e);
        let mut s = String::new();
        t.decode_into(&mut s);
        assert!(t.eq_str(&s), "eq_str disagrees with decode for {raw:?}");
        assert_eq!(alloc::format!("{t}"), s);
        s
    }

    #[test]
    fn xml_content() {
        let x = Escape::XmlContent;
        assert_eq!(dec("a &amp; b &lt;&gt;&quot;&apos;", x), "a & b <>\"'");
        assert_eq!(dec("&#20013;&#x4E2D;&#x1F600;", x), "中中😀");
        assert_eq!(dec("x<![CDATA[<a> & ]] ]]>y", x), "x<a> & ]] y");
        assert_eq!(dec("a<!-- c -->b<?pi x?>c", x), "abc");
        assert_eq!(dec("a\r\nb\rc", x), "a\nb\nc");
        assert_eq!(dec("<![CDATA[a\r\nb]]>", x), "a\nb");
        assert_eq!(dec("&#13;", x), "\r");
    }

    #[test]
    fn xml_attr() {
        assert_eq!(dec("a\tb\r\nc\nd&#9;", Escape::XmlAttr), "a b c d\t");
    }

    #[test]
    fn json_string() {
        let j = Escape::Json;
        assert_eq!(
            dec(r#"a\"b\\c\/d\b\f\n\r\t"#, j),
            "a\"b\\c/d\u{8}\u{c}\n\r\t"
        );
        assert_eq!(dec(r"\u4e2d\ud83d\ude00\u0041", j), "中😀A");
    }

    #[test]
    fn comparison_is_exact() {
        let t = Text::new("a&amp;b", Escape::XmlContent);
        assert!(t == "a&b");
        assert!(t != "a&b ");
        assert!(t != "a&");
        assert!(t != "a&amp;b");
        assert_eq!(t.as_str(), None);
        assert_eq!(Text::plain("x").as_str(), Some("x"));
    }

    #[test]
    #[cfg(feature = "std")]
    fn equality_and_hash_follow_the_decoded_value() {
        use core::hash::BuildHasher;
        let xml = Text::new("a &amp; b&#x20;&#x4E2D;", Escape::XmlContent);
        let json = Text::new(r"a & b \u4e2d", Escape::Json);
        let plain = Text::plain("a & b 中");
        let hasher = std::hash::RandomState::new();
        for (x, y) in [(xml, json), (json, plain), (plain, xml), (xml, xml)] {
            assert_eq!(x, y);
            assert_eq!(hasher.hash_one(x), hasher.hash_one(y));
        }
        assert_ne!(xml, Text::plain("a & b 中 "));
        assert_ne!(xml, Text::plain("a & b "));
        assert_ne!(Text::plain("ab"), Text::new("a&amp;", Escape::XmlContent));
        // Longer than one hashing block, split differently by escapes.
        let long = "x".repeat(70) + "&amp;" + &"y".repeat(70);
        let decoded = "x".repeat(70) + "&" + &"y".repeat(70);
        let (a, b) = (Text::new(&long, Escape::XmlContent), Text::plain(&decoded));
        assert_eq!(a, b);
        assert_eq!(hasher.hash_one(a), hasher.hash_one(b));
        assert_ne!(hasher.hash_one(a), hasher.hash_one(Text::plain(&long)));
    }

    #[test]
    fn display_pads_decoded_values_like_str() {
        // One format string per spec, applied to the text and to the `str`.
        macro_rules! formatted {
            ($v:expr, $spec:expr) => {
                match $spec {
                    "" => alloc::format!("{}", $v),
                    "<6" => alloc::format!("{:<6}", $v),
                    ">6" => alloc::format!("{:>6}", $v),
                    "^6" => alloc::format!("{:^6}", $v),
                    "*^7" => alloc::format!("{:*^7}", $v),
                    ".2" => alloc::format!("{:.2}", $v),
                    "6.1" => alloc::format!("{:6.1}", $v),
                    _ => alloc::format!("{:2}", $v),
                }
            };
        }
        let t = Text::new("&#x4E2D;&amp;b", Escape::XmlContent);
        for spec in ["", "<6", ">6", "^6", "*^7", ".2", "6.1", "2"] {
            assert_eq!(formatted!(t, spec), formatted!("中&b", spec), "{{:{spec}}}");
        }
    }

    #[test]
    fn debug_shows_the_value() {
        assert_eq!(
            alloc::format!("{:?}", Text::plain("j\"1")),
            r#"Text("j\"1")"#
        );
        let t = Text::new("it&apos;s &quot;x&quot;\t", Escape::XmlContent);
        assert_eq!(
            alloc::format!("{t:?}"),
            r#"Text { decoded: "it's \"x\"\t", raw: "it&apos;s &quot;x&quot;\t" }"#
        );
    }

    #[test]
    fn char_refs() {
        assert_eq!(char_ref(b"0", 10), None);
        assert_eq!(char_ref(b"D800", 16), None);
        assert_eq!(char_ref(b"110000", 16), None);
        assert_eq!(char_ref(b"12345678901234567890", 10), None);
        assert_eq!(char_ref(b"FFFE", 16), None);
        assert_eq!(char_ref(b"9", 10), Some('\t'));
        assert_eq!(char_ref(b"", 10), None);
    }
}
