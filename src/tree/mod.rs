//! A format-agnostic walk over the readers' tokenizers: the machinery under
//! the typed view ([`crate::callback`]).
//!
//! # The model
//! Both formats are seen as the path layer sees them (crate docs, *Paths*): a container
//! (an XML element, a JSON object) holds *items*, each with a name. An XML
//! child element is one item; a JSON member is one item, or one item per
//! array entry when its value is an array (so `JobsDetail` reads the same as
//! an object or an array, and repeated XML siblings need not be adjacent).
//! [`Walk::next_item`] yields the next item of the container the walk is in;
//! the caller then reads it ([`Walk::value`]), goes into it
//! ([`Walk::enter`]) or skips it ([`Walk::skip`]). The per-container state
//! (which JSON array is being flattened) lives in a [`Level`] on the caller's
//! stack, so recursion over a bounded schema or path needs no heap.
//!
//! # Sub-documents
//! An XML element and a JSON object or array cut out of a well-formed
//! document are well-formed documents of their own. After the whole callback
//! has been checked once, every later walk (the jobs, the tasks, one job's
//! `CosHeaders`, a raw path) opens a reader over just the slice it needs, in
//! [`Validation::Skim`] mode with limits that cannot trip, and adds the
//! slice's offset back to every position. No reader is ever resumed in the
//! middle of a document.
//!
//! # Spans and tables
//! A value found by a walk is a [`Span`]: its byte range in the document, its
//! [`Kind`] and how to decode it, in 12 bytes. A [`Table`] is a fixed array of
//! spans filled in one walk over an item by [`fill`], driven by a static
//! schema ([`Entry`] trees): each schema entry takes the first item with its
//! name, exactly as a path without a selector does.
//!
//! [`path`] reads raw paths (crate docs, *Paths*) over the same walk, for the
//! escape hatches `Job::get` and friends.

use crate::config::{Limits, Options, Validation, MAX_DEPTH};
use crate::json::{self, Next};
use crate::path::{Hit, Kind};
use crate::scan::{fail, Fail, PResult};
use crate::text::{Escape, Text};
use crate::{xml, ErrorKind, Format};

mod json_fill;
mod path;
mod xml_fill;

pub(crate) use path::find_path;

/// A value's place in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
    /// `None`: absent.
    pub kind: Option<Kind>,
    pub escape: Escape,
}

/// Inputs are at most `u32::MAX` bytes ([`Limits::with_max_input`]).
fn narrow(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Span {
    pub const ABSENT: Span = Span {
        start: 0,
        end: 0,
        kind: None,
        escape: Escape::None,
    };

    fn new(kind: Kind, start: usize, end: usize, escape: Escape) -> Span {
        Span {
            start: narrow(start),
            end: narrow(end),
            kind: Some(kind),
            escape,
        }
    }

    /// A whole container, `start..end`.
    pub fn container(start: usize, end: usize) -> Span {
        Span::new(Kind::Container, start, end, Escape::None)
    }

    pub fn range(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }

    /// The value as text: `None` when absent or JSON `null`. The slice was
    /// validated with the document, so the UTF-8 check cannot fail.
    pub fn text<'buf>(&self, input: &'buf [u8]) -> Option<Text<'buf>> {
        match self.kind {
            None | Some(Kind::Null) => None,
            Some(_) => self.raw_text(input),
        }
    }

    fn raw_text<'buf>(&self, input: &'buf [u8]) -> Option<Text<'buf>> {
        let (a, b) = self.range();
        let raw = crate::simd::utf8(input.get(a..b)?).ok()?;
        Some(Text::new(raw, self.escape))
    }

    /// The value as the path layer reports it: `None` only when absent.
    pub fn hit<'buf>(&self, input: &'buf [u8]) -> Option<Hit<'buf>> {
        let kind = self.kind?;
        Some(Hit::new(
            0,
            kind,
            self.start as usize,
            self.raw_text(input)?,
        ))
    }
}

/// How many spans a [`Table`] holds (the job schema needs 30).
pub(crate) const SLOTS: usize = 30;

/// The spans of one item's known fields, filled by [`fill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Table(pub [Span; SLOTS]);

impl Table {
    pub const EMPTY: Table = Table([Span::ABSENT; SLOTS]);

    pub fn get(&self, slot: usize) -> Span {
        self.0.get(slot).copied().unwrap_or(Span::ABSENT)
    }

    fn set(&mut self, slot: Option<usize>, span: Span) {
        if let Some(s) = slot.and_then(|i| self.0.get_mut(i)) {
            *s = span;
        }
    }
}

/// One node of a static schema: a name, the slot its value goes to, and
/// (for a container) the entries inside it.
pub(crate) struct Entry {
    pub name: &'static str,
    pub slot: Option<usize>,
    pub children: &'static [Entry],
}

impl Entry {
    pub const fn leaf(name: &'static str, slot: usize) -> Entry {
        Entry {
            name,
            slot: Some(slot),
            children: &[],
        }
    }
    pub const fn group(name: &'static str, children: &'static [Entry]) -> Entry {
        Entry {
            name,
            slot: None,
            children,
        }
    }
}

/// The name of an item: an XML element name as written, or a JSON key
/// (which may hold escapes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Name<'buf> {
    raw: &'buf [u8],
    escaped: bool,
}

impl<'buf> Name<'buf> {
    const NONE: Name<'static> = Name {
        raw: b"",
        escaped: false,
    };

    /// Whether the (decoded) name is `s`. Never allocates.
    pub fn is(&self, s: &str) -> bool {
        if !self.escaped {
            return self.raw == s.as_bytes();
        }
        self.text().is_some_and(|t| t.eq_str(s))
    }

    fn text(&self) -> Option<Text<'buf>> {
        let raw = crate::simd::utf8(self.raw).ok()?;
        let escape = if self.escaped {
            Escape::Json
        } else {
            Escape::None
        };
        Some(Text::new(raw, escape))
    }
}

/// One item of a container, as [`Walk::next_item`] yields it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'buf> {
    pub name: Name<'buf>,
    /// Document offset of the item: the `<` of an element, the first byte of a JSON value.
    pub start: usize,
    /// A JSON item that is one entry of an array value.
    pub from_array: bool,
    shape: Shape,
}

impl<'buf> Item<'buf> {
    /// The item of an XML start tag read from `input` (the walk's slice, at
    /// document offset `base`); `None` for any other token.
    fn element(input: &'buf [u8], base: usize, tok: xml::Tok) -> Option<Item<'buf>> {
        let xml::Tok::Start {
            start,
            name_end,
            end,
            empty,
        } = tok
        else {
            return None;
        };
        Some(Item {
            name: Name {
                raw: input.get(start + 1..name_end).unwrap_or(&[]),
                escaped: false,
            },
            start: base + start,
            from_array: false,
            shape: Shape::Element {
                name_end,
                tag_end: end,
                empty,
            },
        })
    }

    /// Whether the item is a JSON object (what a JSON wrapper must hold).
    pub fn is_object(&self) -> bool {
        matches!(self.shape, Shape::Value { first: b'{' })
    }
}

/// Offsets here are relative to the walk's slice.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Element {
        name_end: usize,
        tag_end: usize,
        empty: bool,
    },
    Value {
        first: u8,
    },
}

/// Per-container state of a walk: the members seen, and the JSON array being
/// flattened (its member's name).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Level<'buf> {
    array: Option<Name<'buf>>,
    /// Members (JSON keys, XML child elements) read so far.
    pub members: u32,
}

#[derive(Debug, Clone)]
// Boxing the larger reader would allocate; a walk lives on the caller's stack.
#[allow(clippy::large_enum_variant)]
enum Reader<'buf> {
    Xml(xml::Reader<'buf>),
    Json(json::Reader<'buf>),
}

/// A walk over a document or a slice of one.
#[derive(Debug, Clone)]
pub(crate) struct Walk<'buf> {
    r: Reader<'buf>,
    /// The slice being read.
    input: &'buf [u8],
    /// Its offset in the document.
    base: usize,
    /// A slice of a document checked whole ([`Walk::trusted_slice`]): XML
    /// elements are then filled by [`xml_fill`].
    trusted: bool,
}

/// Options for walks over slices of a document that has been checked whole:
/// `Skim` (no second validation) and limits that cannot trip on them.
pub(crate) fn trusted() -> Options {
    Options {
        limits: Limits::default()
            .with_max_input(usize::MAX)
            .with_max_depth(MAX_DEPTH)
            .with_max_attributes(usize::MAX)
            .with_max_items(usize::MAX),
        validation: Validation::Skim,
        strict: false,
    }
}

impl<'buf> Walk<'buf> {
    /// A walk over `input` (the document, or the slice of it at `base`) that
    /// has not read anything yet: [`begin`](Self::begin) must run first.
    /// Split from it so the caller builds the walk (and its reader's stack)
    /// in place instead of moving it out of a `Result`.
    #[inline(always)]
    pub fn blank(input: &'buf [u8], base: usize, format: Format, options: &Options) -> Walk<'buf> {
        Walk {
            r: match format {
                Format::Xml => Reader::Xml(xml::Reader::blank(input, options)),
                Format::Json => Reader::Json(json::Reader::blank(input, options)),
            },
            input,
            base,
            trusted: false,
        }
    }

    /// A [`blank`](Self::blank) walk over the slice `start..end` of the
    /// document `doc`, which has been checked whole: open it with
    /// `begin(&trusted())`. A span outside `doc` gives an empty walk, whose
    /// `begin` fails.
    #[inline(always)]
    pub fn trusted_slice(
        doc: &'buf [u8],
        (start, end): (usize, usize),
        format: Format,
    ) -> Walk<'buf> {
        let slice = doc.get(start..end).unwrap_or(&[]);
        Walk {
            trusted: true,
            ..Walk::blank(slice, start, format, &trusted())
        }
    }

    /// Checks the input's size and encoding (and XML declaration) and reads
    /// up to its top item: the root element, or the top JSON value.
    pub fn begin(&mut self, options: &Options) -> PResult<Item<'buf>> {
        let base = self.base;
        match &mut self.r {
            Reader::Xml(r) => r.begin(options),
            Reader::Json(r) => r.begin(options),
        }
        .map_err(rebase(base))?;
        self.top().map_err(rebase(base))
    }

    fn top(&mut self) -> PResult<Item<'buf>> {
        let input = self.input;
        match &mut self.r {
            Reader::Xml(r) => loop {
                match r.next_token()? {
                    tok @ xml::Tok::Start { .. } => {
                        if let Some(item) = Item::element(input, self.base, tok) {
                            return Ok(item);
                        }
                    }
                    xml::Tok::Eof => return fail(ErrorKind::NoRoot, input.len()),
                    _ => {}
                }
            },
            Reader::Json(r) => match r.seek()? {
                Next::Value(first) => Ok(Item {
                    name: Name::NONE,
                    start: self.base + r.offset(),
                    from_array: false,
                    shape: Shape::Value { first },
                }),
                _ => fail(
                    ErrorKind::UnexpectedByte {
                        expected: "a value",
                    },
                    r.offset(),
                ),
            },
        }
    }

    /// Document offset of the next unread byte (after a container's end,
    /// once [`next_item`](Self::next_item) has returned `None` for it).
    pub fn offset(&self) -> usize {
        self.base
            + match &self.r {
                Reader::Xml(r) => r.offset(),
                Reader::Json(r) => r.offset(),
            }
    }

    /// The next item of the container the walk is in, or `None` after its end.
    pub fn next_item(&mut self, level: &mut Level<'buf>) -> PResult<Option<Item<'buf>>> {
        self.next_item_rel(level).map_err(rebase(self.base))
    }

    fn next_item_rel(&mut self, level: &mut Level<'buf>) -> PResult<Option<Item<'buf>>> {
        let input = self.input;
        let base = self.base;
        match &mut self.r {
            Reader::Xml(r) => loop {
                match r.next_in_content()? {
                    tok @ xml::Tok::Start { .. } => {
                        level.members = level.members.saturating_add(1);
                        return Ok(Item::element(input, base, tok));
                    }
                    xml::Tok::End { .. } => return Ok(None),
                    xml::Tok::Eof => return fail(ErrorKind::UnexpectedEof, input.len()),
                    _ => {}
                }
            },
            Reader::Json(r) => loop {
                if let Some(name) = level.array {
                    match r.seek()? {
                        Next::Close => {
                            r.next_token()?;
                            level.array = None;
                            continue;
                        }
                        Next::Value(first) => {
                            return Ok(Some(Item {
                                name,
                                start: base + r.offset(),
                                from_array: true,
                                shape: Shape::Value { first },
                            }))
                        }
                        _ => return fail(ErrorKind::UnclosedArray, r.offset()),
                    }
                }
                match r.next_token()? {
                    json::Tok::Key {
                        start,
                        end,
                        escaped,
                    } => {
                        level.members = level.members.saturating_add(1);
                        let name = Name {
                            raw: input.get(start..end).unwrap_or(&[]),
                            escaped,
                        };
                        match r.seek()? {
                            Next::Value(b'[') => {
                                r.next_token()?;
                                level.array = Some(name);
                            }
                            Next::Value(first) => {
                                return Ok(Some(Item {
                                    name,
                                    start: base + r.offset(),
                                    from_array: false,
                                    shape: Shape::Value { first },
                                }))
                            }
                            _ => {
                                return fail(
                                    ErrorKind::UnexpectedByte {
                                        expected: "a value",
                                    },
                                    r.offset(),
                                )
                            }
                        }
                    }
                    json::Tok::End => return Ok(None),
                    _ => return fail(ErrorKind::UnclosedObject, r.offset()),
                }
            },
        }
    }

    /// Goes into `item` when it is a container with named children (a
    /// non-empty element, a JSON object). Returns `false`, having consumed
    /// nothing, otherwise: the caller then reads or skips it.
    pub fn enter(&mut self, item: &Item<'buf>) -> PResult<bool> {
        match (&mut self.r, item.shape) {
            (Reader::Xml(_), Shape::Element { empty, .. }) => Ok(!empty),
            (Reader::Json(r), Shape::Value { first: b'{' }) => {
                r.value_here().map_err(rebase(self.base))?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Skips `item` (not entered). Returns the document offset of its end.
    pub fn skip(&mut self, item: &Item<'buf>) -> PResult<usize> {
        let base = self.base;
        match (&mut self.r, item.shape) {
            (Reader::Xml(_), Shape::Element { tag_end, empty, .. }) if empty => Ok(base + tag_end),
            (Reader::Xml(r), _) => {
                r.skip().map_err(rebase(base))?;
                Ok(base + r.offset())
            }
            (Reader::Json(r), Shape::Value { first }) => {
                let (_, end) = r.skip_here(first).map_err(rebase(base))?;
                Ok(base + end)
            }
            // Not built: a JSON walk yields only values.
            (Reader::Json(r), Shape::Element { .. }) => {
                let (_, end) = r.skip().map_err(rebase(base))?;
                Ok(base + end)
            }
        }
    }

    /// Reads `item` (not entered) whole, as the path layer reports a value.
    pub fn value(&mut self, item: &Item<'buf>) -> PResult<Span> {
        self.value_rel(item).map_err(rebase(self.base))
    }

    fn value_rel(&mut self, item: &Item<'buf>) -> PResult<Span> {
        let base = self.base;
        match (&mut self.r, item.shape) {
            (Reader::Xml(r), Shape::Element { tag_end, empty, .. }) => {
                if empty {
                    return Ok(Span::new(
                        Kind::Text,
                        base + tag_end,
                        base + tag_end,
                        Escape::None,
                    ));
                }
                // The leaf fast path: `<Name>value</Name>` in one step.
                let mut escaped = match r.leaf()? {
                    xml::Content::Leaf { end, escaped, .. } => {
                        let escape = if escaped {
                            Escape::XmlContent
                        } else {
                            Escape::None
                        };
                        return Ok(Span::new(Kind::Text, base + tag_end, base + end, escape));
                    }
                    xml::Content::Text { escaped } => escaped,
                };
                let mut has_child = false;
                let (content_end, end) = loop {
                    match r.next_token()? {
                        xml::Tok::Text { escaped: e, .. } => escaped |= e,
                        xml::Tok::CData { .. } | xml::Tok::Markup => escaped = true,
                        xml::Tok::Start { empty, .. } => {
                            has_child = true;
                            if !empty {
                                r.skip()?;
                            }
                        }
                        xml::Tok::End { start, end } => break (start, end),
                        xml::Tok::Eof => return fail(ErrorKind::UnexpectedEof, r.offset()),
                    }
                };
                Ok(if has_child {
                    Span::container(item.start, base + end)
                } else {
                    let escape = if escaped {
                        Escape::XmlContent
                    } else {
                        Escape::None
                    };
                    Span::new(Kind::Text, base + tag_end, base + content_end, escape)
                })
            }
            (Reader::Json(r), Shape::Value { first }) => {
                if first == b'{' || first == b'[' {
                    let (start, end) = r.skip_here(first)?;
                    return Ok(Span::container(base + start, base + end));
                }
                match r.value_here()? {
                    json::Tok::Str {
                        start,
                        end,
                        escaped,
                    } => {
                        let escape = if escaped { Escape::Json } else { Escape::None };
                        Ok(Span::new(Kind::String, base + start, base + end, escape))
                    }
                    json::Tok::Atom { start, end } => {
                        let kind = match first {
                            b't' | b'f' => Kind::Bool,
                            b'n' => Kind::Null,
                            _ => Kind::Number,
                        };
                        Ok(Span::new(kind, base + start, base + end, Escape::None))
                    }
                    _ => fail(
                        ErrorKind::UnexpectedByte {
                            expected: "a value",
                        },
                        r.offset(),
                    ),
                }
            }
            _ => fail(ErrorKind::UnexpectedEof, item.start.saturating_sub(base)),
        }
    }

    /// [`fill_item`] by a fast fill, when one applies: [`json_fill`] for a
    /// JSON object, [`xml_fill`] for a non-empty element of a trusted walk.
    /// `Some` offset after the item, with the reader moved there. `None`,
    /// with nothing read and `table` empty, when none applies or the fast
    /// fill gives up (the item is not well-formed, or holds markup
    /// `xml_fill` does not model): the general walk then reads it.
    fn fill_fast(
        &mut self,
        item: &Item<'buf>,
        schema: &[Entry],
        table: &mut Table,
    ) -> Option<usize> {
        let (input, base, trusted) = (self.input, self.base, self.trusted);
        let end = match (&mut self.r, item.shape) {
            (Reader::Json(r), Shape::Value { first: b'{' }) => {
                let (skim, strict, max_depth) = r.mode();
                let mode = json_fill::Mode {
                    skim,
                    strict,
                    max_depth,
                };
                let filled =
                    json_fill::object(input, base, r.offset(), r.depth(), mode, schema, table);
                let end = filled.ok();
                if let Some(end) = end {
                    r.past_value(end);
                }
                end
            }
            (
                Reader::Xml(r),
                Shape::Element {
                    tag_end,
                    empty: false,
                    ..
                },
            ) if trusted => {
                let end = xml_fill::content(input, base, tag_end, schema, table);
                if let Some(end) = end {
                    r.past_element(end);
                }
                end
            }
            _ => return None,
        };
        if end.is_none() {
            // Half filled: empty again, as the caller gave it (`fill_item`).
            *table = Table::EMPTY;
        }
        end.map(|end| base + end)
    }

    /// Checks the rest of the document after the top item.
    pub fn finish(&mut self) -> PResult<()> {
        match &mut self.r {
            Reader::Xml(r) => r.finish(),
            Reader::Json(r) => r.finish(),
        }
        .map_err(rebase(self.base))
    }

    /// The first attribute of the XML element `item` whose name is `wanted`.
    fn attribute(&self, item: &Item<'buf>, wanted: impl Fn(&Name<'buf>) -> bool) -> Option<Span> {
        let Shape::Element {
            name_end, tag_end, ..
        } = item.shape
        else {
            return None;
        };
        let area = self.input.get(name_end..tag_end)?;
        let mut p = 0;
        while let Some(((n0, n1), v0, v1)) = xml::next_attr(area, &mut p) {
            let name = Name {
                raw: area.get(n0..n1)?,
                escaped: false,
            };
            if wanted(&name) {
                let raw = area.get(v0..v1)?;
                let escaped = raw
                    .iter()
                    .any(|&b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
                let escape = if escaped {
                    Escape::XmlAttr
                } else {
                    Escape::None
                };
                let at = self.base + name_end;
                return Some(Span::new(Kind::Text, at + v0, at + v1, escape));
            }
        }
        None
    }
}

/// Moves an error found in a slice to its place in the document.
fn rebase(base: usize) -> impl Fn(Fail) -> Fail {
    move |f| Fail {
        kind: f.kind,
        at: f.at.saturating_add(base),
    }
}

/// The first entry of `schema` named `name` that is not in `seen` yet (bit
/// `i` for entry `i`; a schema level has far fewer than 64 entries), marked
/// as seen: only the first value of each entry is kept.
#[inline]
fn take<'s>(schema: &'s [Entry], seen: &mut u64, name: &Name<'_>) -> Option<&'s Entry> {
    let (i, entry) = schema
        .iter()
        .enumerate()
        .find(|(i, e)| *seen & (1 << i) == 0 && name.is(e.name))?;
    *seen |= 1 << i;
    Some(entry)
}

/// Reads the children of the container the walk has entered, through its
/// end, putting the first value of each schema entry into `table`.
///
/// Recursion follows the schema (at most three levels), not the document.
pub(crate) fn fill(walk: &mut Walk<'_>, schema: &[Entry], table: &mut Table) -> PResult<()> {
    let mut level = Level::default();
    // Entries already taken (a schema level has far fewer than 64 entries).
    let mut seen: u64 = 0;
    while let Some(item) = walk.next_item(&mut level)? {
        let Some(entry) = take(schema, &mut seen, &item.name) else {
            walk.skip(&item)?;
            continue;
        };
        if !entry.children.is_empty() && walk.enter(&item)? {
            fill(walk, entry.children, table)?;
            table.set(entry.slot, Span::container(item.start, walk.offset()));
        } else {
            let span = walk.value(&item)?;
            table.set(entry.slot, span);
        }
    }
    Ok(())
}

/// [`fill`] for an item that has just been yielded (not entered), into an
/// empty `table`. Returns the document offset of the item's end.
pub(crate) fn fill_item<'buf>(
    walk: &mut Walk<'buf>,
    item: &Item<'buf>,
    schema: &[Entry],
    table: &mut Table,
) -> PResult<usize> {
    debug_assert!(*table == Table::EMPTY, "fill_item takes an empty table");
    #[cfg(debug_assertions)]
    let before = (walk.clone(), *table);
    if let Some(end) = walk.fill_fast(item, schema, table) {
        // The general walk must agree, span for span.
        #[cfg(debug_assertions)]
        {
            let (mut general, mut t) = before;
            let e = fill_general(&mut general, item, schema, &mut t);
            debug_assert_eq!((e.ok(), t), (Some(end), *table), "fast fill");
            debug_assert_eq!(general.offset(), walk.offset(), "fast fill offset");
        }
        return Ok(end);
    }
    fill_general(walk, item, schema, table)
}

/// [`fill_item`] by the general walk.
fn fill_general<'buf>(
    walk: &mut Walk<'buf>,
    item: &Item<'buf>,
    schema: &[Entry],
    table: &mut Table,
) -> PResult<usize> {
    if walk.enter(item)? {
        fill(walk, schema, table)?;
        Ok(walk.offset())
    } else {
        walk.skip(item)
    }
}
