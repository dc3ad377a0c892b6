//! The structural scan behind [`Framer`]: a resumable state machine over the
//! caller's buffer, one small recogniser per construct (JSON strings and
//! brackets; XML tags with their quoted values, comments, CDATA sections,
//! processing instructions and `<!…>` declarations).

use super::Framer;
use crate::json::{structural, structural_mask};
use crate::simd::V16;
use crate::{scan, Error, ErrorKind, Format, Limits, Options};

/// The kinds of markup whose end is a fixed terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// `<!-- … -->` (XML 1.0 §2.5)
    Comment,
    /// `<![CDATA[ … ]]>` (§2.7)
    Cdata,
    /// `<? … ?>` (§2.6) and the `<?xml …?>` declaration (§2.8)
    Pi,
}

impl Markup {
    fn terminator(self) -> &'static [u8] {
        match self {
            Markup::Comment => b"-->",
            Markup::Cdata => b"]]>",
            Markup::Pi => b"?>",
        }
    }
}

/// Where the structural scan is. Offsets are into the caller's buffer.
///
/// ```text
///  Gap --ws, skipped <!--…--> / <?pi?>--> Gap
///   |--BOM--> AfterBom --ws--> (first byte decides, as below)
///   |--`{` `[`--> JsonNested --matching close at depth 0--> done
///   |--`"`--> JsonString --`"` at depth 0, or raw LF--> done
///   |--`}` `]`--> done (a one-byte garbage frame)
///   |--other--> JsonAtom --ws or `{}[]"<`--> done
///   `--`<`--> XmlContent --end of the root element--> done
///                 <-> XmlTag / XmlEndTag / XmlMarkup / XmlDecl
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Before a document: whitespace, and (XML) comments and PIs to skip.
    Gap,
    /// A comment or PI between documents, opened at `open`.
    GapMarkup { open: usize, kind: Markup },
    /// A document began with a byte-order mark; its format is not known yet.
    AfterBom,
    /// Inside a JSON container, outside strings.
    JsonNested,
    /// Inside a JSON string (a top-level one when `depth == 0`).
    JsonString,
    /// A top-level number, literal or garbage run.
    JsonAtom,
    /// XML character data or prolog, between markup.
    XmlContent,
    /// A comment, CDATA section or PI inside a document.
    XmlMarkup { kind: Markup },
    /// A start tag; `quote` is the open attribute quote or 0.
    XmlTag { quote: u8 },
    /// An end tag.
    XmlEndTag,
    /// `<!DOCTYPE …>` or another `<!…>`: `>` closes, `<` nests, quotes hide both.
    XmlDecl { nest: usize, quote: u8 },
}

/// What a scan ended with.
pub(super) enum Scan {
    /// The document ends at this offset (exclusive).
    Done(usize),
    /// The bytes ran out.
    More,
}

/// What one step of the state machine found.
enum Step {
    /// Go on at this offset (in the mode the step set).
    Go(usize),
    /// The document ends at this offset (exclusive).
    Done(usize),
    /// The bytes ran out; resume at this offset.
    Wait(usize),
}

impl Framer {
    /// Runs the state machine over `w` from `self.pos`. On `More`, `self.pos`
    /// and `self.mode` say where to resume.
    pub(super) fn scan(&mut self, w: &[u8], eof: bool) -> Scan {
        let mut k = self.pos;
        loop {
            let step = match self.mode {
                Mode::Gap => self.gap(w, k, eof),
                Mode::GapMarkup { kind, .. } => self.markup(w, k, kind, Mode::Gap),
                Mode::XmlMarkup { kind } => self.markup(w, k, kind, Mode::XmlContent),
                Mode::AfterBom => {
                    let i = scan::skip_ws(w, k);
                    match w.get(i) {
                        None => Step::Wait(i),
                        Some(&b) => self.begin(b, i),
                    }
                }
                Mode::JsonNested => self.json_nested(w, k),
                Mode::JsonString => self.json_string(w, k),
                Mode::JsonAtom => {
                    let i = scan::find(w, k, |b| {
                        scan::is_ws(b) || matches!(b, b'{' | b'}' | b'[' | b']' | b'"' | b'<')
                    });
                    if i < w.len() || eof {
                        Step::Done(i)
                    } else {
                        Step::Wait(i)
                    }
                }
                Mode::XmlContent => self.xml_content(w, k),
                Mode::XmlTag { quote } => self.xml_tag(w, k, quote),
                Mode::XmlEndTag => self.xml_end_tag(w, k),
                Mode::XmlDecl { nest, quote } => self.xml_decl(w, k, nest, quote),
            };
            match step {
                Step::Go(i) => k = i,
                Step::Done(i) => return Scan::Done(i),
                Step::Wait(i) => {
                    self.pos = i;
                    return Scan::More;
                }
            }
        }
    }

    /// Between documents: skips whitespace, and comments and PIs before an XML
    /// document; anything else starts a document.
    fn gap(&mut self, w: &[u8], k: usize, eof: bool) -> Step {
        let i = scan::skip_ws(w, k);
        let rest = w.get(i..).unwrap_or(&[]);
        let Some(&b) = rest.first() else {
            return Step::Wait(i);
        };
        if b == b'<' {
            if rest.starts_with(b"<!--") {
                self.mode = Mode::GapMarkup {
                    open: i,
                    kind: Markup::Comment,
                };
                return Step::Go(i + 4);
            }
            if let Some(target) = rest.strip_prefix(b"<?") {
                // `<?xml` then whitespace or `?` is a declaration: it starts a
                // document. Another target is a PI to skip.
                let xml = target
                    .iter()
                    .zip(b"xml")
                    .all(|(a, b)| a.eq_ignore_ascii_case(b));
                match target.get(3) {
                    None if xml && !eof => return Step::Wait(i),
                    Some(&c) if xml && (scan::is_ws(c) || c == b'?') => {}
                    None if xml => {}
                    _ => {
                        self.mode = Mode::GapMarkup {
                            open: i,
                            kind: Markup::Pi,
                        };
                        return Step::Go(i + 2);
                    }
                }
            } else if b"<!--".starts_with(rest) && !eof {
                return Step::Wait(i);
            }
        } else if b == 0xEF {
            if rest.starts_with(crate::input::BOM) {
                self.doc = i;
                self.mode = Mode::AfterBom;
                return Step::Go(i + 3);
            }
            if crate::input::BOM.starts_with(rest) && !eof {
                return Step::Wait(i);
            }
        }
        self.doc = i;
        self.begin(b, i)
    }

    /// The document's first significant byte `b`, at `i`, decides its format.
    fn begin(&mut self, b: u8, i: usize) -> Step {
        self.format = if b == b'<' { Format::Xml } else { Format::Json };
        match b {
            b'<' => {
                self.mode = Mode::XmlContent;
                Step::Go(i)
            }
            b'{' | b'[' => {
                self.push(b == b'[');
                self.mode = Mode::JsonNested;
                Step::Go(i + 1)
            }
            b'"' => {
                self.mode = Mode::JsonString;
                Step::Go(i + 1)
            }
            // A closing bracket with nothing open: a one-byte frame the reader rejects.
            b'}' | b']' => Step::Done(i + 1),
            _ => {
                self.mode = Mode::JsonAtom;
                Step::Go(i + 1)
            }
        }
    }

    /// A comment, CDATA section or PI: its terminator, then `after`.
    fn markup(&mut self, w: &[u8], k: usize, kind: Markup, after: Mode) -> Step {
        let term = kind.terminator();
        match memchr::memmem::find(w.get(k..).unwrap_or(&[]), term) {
            Some(e) => {
                let end = k + e + term.len();
                if let Mode::GapMarkup { open, .. } = self.mode {
                    // Markup between documents is skipped only if a reader
                    // accepts it; a malformed one is a frame of its own.
                    if !skippable(w.get(open..end).unwrap_or(&[])) {
                        self.doc = open;
                        self.format = Format::Xml;
                        return Step::Done(end);
                    }
                }
                self.mode = after;
                Step::Go(end)
            }
            // The last bytes may begin the terminator: look at them again.
            None => Step::Wait(w.len().saturating_sub(term.len() - 1).max(k)),
        }
    }

    /// Opens a JSON container at the current depth.
    fn push(&mut self, array: bool) {
        let level = self.depth;
        if let Some(word) = self.kinds.get_mut(level / 64) {
            let bit = 1u64 << (level % 64);
            if array {
                *word |= bit;
            } else {
                *word &= !bit;
            }
        }
        self.depth = self.depth.saturating_add(1);
    }

    /// Inside a container: strings and brackets (RFC 8259 §2), the bytes a
    /// `Skim` skip follows.
    fn json_nested(&mut self, w: &[u8], k: usize) -> Step {
        let i = scan::find_class(w, k, structural_mask, structural);
        match w.get(i) {
            None => Step::Wait(i),
            Some(b'"') => {
                self.mode = Mode::JsonString;
                Step::Go(i + 1)
            }
            Some(&b @ (b'{' | b'[')) => {
                self.push(b == b'[');
                Step::Go(i + 1)
            }
            Some(&b) => {
                let level = self.depth.saturating_sub(1);
                let open_array = self
                    .kinds
                    .get(level / 64)
                    .map(|word| word >> (level % 64) & 1 == 1);
                self.depth = level;
                // A mismatched bracket ends the (invalid) document here.
                if level == 0 || open_array.is_some_and(|a| a != (b == b']')) {
                    Step::Done(i + 1)
                } else {
                    Step::Go(i + 1)
                }
            }
        }
    }

    /// Inside a string (RFC 8259 §7): its closing quote, skipping escapes.
    fn json_string(&mut self, w: &[u8], k: usize) -> Step {
        let i = scan::find_class(w, k, string_mask, string_special);
        match w.get(i) {
            None => Step::Wait(i),
            Some(b'"') if self.depth == 0 => Step::Done(i + 1),
            Some(b'"') => {
                self.mode = Mode::JsonNested;
                Step::Go(i + 1)
            }
            Some(b'\\') if i + 1 < w.len() => Step::Go(i + 2),
            Some(b'\\') => Step::Wait(i),
            // A raw line feed is never inside a valid string: the document
            // ends here, so a broken NDJSON line leaves the next one alone.
            Some(_) => Step::Done(i + 1),
        }
    }

    /// XML text or prolog: the next `<` and what it opens (XML 1.0 §2.4–2.8, §3.1).
    fn xml_content(&mut self, w: &[u8], k: usize) -> Step {
        let Some(lt) = memchr::memchr(b'<', w.get(k..).unwrap_or(&[])) else {
            return Step::Wait(w.len());
        };
        let i = k + lt;
        let rest = w.get(i..).unwrap_or(&[]);
        let (mode, skip) = match rest.get(1) {
            None => return Step::Wait(i),
            Some(b'/') => (Mode::XmlEndTag, 2),
            Some(b'?') => (Mode::XmlMarkup { kind: Markup::Pi }, 2),
            Some(b'!') if rest.starts_with(b"<!--") => (
                Mode::XmlMarkup {
                    kind: Markup::Comment,
                },
                4,
            ),
            Some(b'!') if rest.starts_with(b"<![CDATA[") => (
                Mode::XmlMarkup {
                    kind: Markup::Cdata,
                },
                9,
            ),
            // Too short to tell a comment or CDATA from a declaration.
            Some(b'!') if b"<!--".starts_with(rest) || b"<![CDATA[".starts_with(rest) => {
                return Step::Wait(i)
            }
            Some(b'!') => (Mode::XmlDecl { nest: 1, quote: 0 }, 2),
            Some(_) => (Mode::XmlTag { quote: 0 }, 1),
        };
        self.mode = mode;
        Step::Go(i + skip)
    }

    /// A start tag: its `>` outside quoted attribute values (§3.1).
    fn xml_tag(&mut self, w: &[u8], k: usize, quote: u8) -> Step {
        let rest = w.get(k..).unwrap_or(&[]);
        if quote != 0 {
            return match memchr::memchr(quote, rest) {
                Some(e) => {
                    self.mode = Mode::XmlTag { quote: 0 };
                    Step::Go(k + e + 1)
                }
                None => Step::Wait(w.len()),
            };
        }
        let Some(e) = memchr::memchr3(b'>', b'"', b'\'', rest) else {
            return Step::Wait(w.len());
        };
        let i = k + e;
        match w.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                self.mode = Mode::XmlTag { quote: q };
                Step::Go(i + 1)
            }
            _ => {
                self.mode = Mode::XmlContent;
                let empty = i.checked_sub(1).and_then(|j| w.get(j)) == Some(&b'/');
                if !empty {
                    self.depth = self.depth.saturating_add(1);
                    Step::Go(i + 1)
                } else if self.depth == 0 {
                    Step::Done(i + 1)
                } else {
                    Step::Go(i + 1)
                }
            }
        }
    }

    /// An end tag: its `>`. The root's ends the document.
    fn xml_end_tag(&mut self, w: &[u8], k: usize) -> Step {
        let Some(e) = memchr::memchr(b'>', w.get(k..).unwrap_or(&[])) else {
            return Step::Wait(w.len());
        };
        self.mode = Mode::XmlContent;
        match self.depth {
            // With nothing open, a stray end tag is a frame of its own.
            0 | 1 => {
                self.depth = 0;
                Step::Done(k + e + 1)
            }
            d => {
                self.depth = d - 1;
                Step::Go(k + e + 1)
            }
        }
    }

    /// `<!DOCTYPE …>` or another `<!…>`, with an internal subset's nested `<…>`.
    fn xml_decl(&mut self, w: &[u8], k: usize, nest: usize, quote: u8) -> Step {
        if quote != 0 {
            return match memchr::memchr(quote, w.get(k..).unwrap_or(&[])) {
                Some(e) => {
                    self.mode = Mode::XmlDecl { nest, quote: 0 };
                    Step::Go(k + e + 1)
                }
                None => Step::Wait(w.len()),
            };
        }
        let i = scan::find(w, k, |b| matches!(b, b'<' | b'>' | b'"' | b'\''));
        let mode = match w.get(i) {
            None => return Step::Wait(i),
            Some(b'<') => Mode::XmlDecl {
                nest: nest.saturating_add(1),
                quote: 0,
            },
            Some(b'>') if nest <= 1 => Mode::XmlContent,
            Some(b'>') => Mode::XmlDecl {
                nest: nest - 1,
                quote: 0,
            },
            Some(&q) => Mode::XmlDecl { nest, quote: q },
        };
        self.mode = mode;
        Step::Go(i + 1)
    }
}

/// The bytes a string scan stops at: its end, an escape, a raw line feed.
#[inline(always)]
fn string_special(b: u8) -> bool {
    matches!(b, b'"' | b'\\' | b'\n')
}

/// [`string_special`] on a block.
#[inline(always)]
fn string_mask(v: V16) -> V16 {
    v.eq(b'"') | v.eq(b'\\') | v.eq(b'\n')
}

/// Reads `doc` to its end with a reader in `Full` mode (no size limit: the
/// framer has its own).
fn read_all(doc: &[u8]) -> Result<(), Error> {
    let options = Options::new().limits(Limits::default().with_max_input(usize::MAX));
    match crate::sniff(doc)? {
        Format::Xml => {
            let mut r = crate::xml::Reader::with_options(doc, &options)?;
            while !matches!(r.next()?, crate::xml::Event::Eof) {}
        }
        Format::Json => {
            let mut r = crate::json::Reader::with_options(doc, &options)?;
            while !matches!(r.next()?, crate::json::Event::Eof) {}
        }
    }
    Ok(())
}

/// Whether a comment or PI found between documents is well-formed (XML 1.0
/// §2.5, §2.6): read alone, the only thing missing is a root element.
fn skippable(markup: &[u8]) -> bool {
    matches!(read_all(markup), Err(e) if e.kind() == ErrorKind::NoRoot)
}

/// The first error of the truncated document at `at` in `buf`, as a reader
/// in `Full` mode sees it.
#[cold]
#[inline(never)]
pub(super) fn first_error(buf: &[u8], at: usize) -> (ErrorKind, usize) {
    match read_all(buf.get(at..).unwrap_or(&[])) {
        Err(e) => (e.kind(), at.saturating_add(e.offset())),
        Ok(()) => (ErrorKind::UnexpectedEof, at),
    }
}
