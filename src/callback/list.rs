//! Reading items of a checked document after [`Callback::parse`](super::Callback::parse):
//! one item into a field table ([`read`]), the items of one name in a
//! container, one at a time ([`List`]), and the first value of a raw path
//! ([`get_in`], [`get_doc`]).
//!
//! Tables and raw paths are read by the path engine (`path::select_xml`,
//! `path::select_json`) over a constant schema or a path read onto the
//! stack. A [`List`] steps from item to item with the pull readers, which
//! can stop after any item: the engine reads each item the list lands on,
//! and the reader moves past it.
//!
//! # Slices
//! An XML element and a JSON value cut out of a well-formed document are
//! well-formed documents of their own. Every read here opens a reader over
//! just the slice it needs, in [`Validation::Skim`] mode with limits that
//! cannot trip, and adds the slice's offset back to every position.

use core::marker::PhantomData;

use crate::config::{Limits, Options, Validation, MAX_DEPTH};
use crate::error::Error;
use crate::json::{self, Next};
use crate::path::schema::{OnePath, Schema};
use crate::path::select_json::Memo;
use crate::path::{self, grammar, select_json, select_xml, Hit, OfTrie, Sink};
use crate::scan::PResult;
use crate::text::{Escape, Text};
use crate::{xml, Format};

use super::table::{Fill, Table};

/// Options for reads of slices of a document that has been checked whole:
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
        checked: true,
    }
}

/// The start tag an XML reader has just read: `(start, name_end, end, empty)`.
type Tag = (usize, usize, usize, bool);

/// The start tag of the top element of `slice`, an element of a checked
/// document.
fn open_xml(slice: &[u8]) -> Option<Tag> {
    xml::skim::next_child(slice, 0).ok().flatten()
}

/// Runs the engine for `trie` over the item `span` of the checked document
/// `input`, into `sink` (which adds `span.0` back to the positions).
fn run_item<'buf, S: Sink<'buf>>(
    trie: &S::Trie,
    input: &'buf [u8],
    format: Format,
    span: (usize, usize),
    sink: &mut S,
) -> PResult<usize> {
    let slice = input.get(span.0..span.1).unwrap_or(&[]);
    match format {
        Format::Xml => match open_xml(slice) {
            Some(tag) => select_xml::read_child(trie, slice, tag, &trusted(), sink),
            None => Ok(0),
        },
        Format::Json => select_json::item(trie, slice, None, 0, &trusted(), sink, None),
    }
}

/// Runs the engine for `schema` over the item `span` of the checked
/// document `input`, into a table.
pub(crate) fn read(input: &[u8], format: Format, span: (usize, usize), schema: &Schema) -> Table {
    let mut table = Table::EMPTY;
    let mut fill = Fill {
        table: &mut table,
        base: span.0,
    };
    let read = run_item(schema, input, format, span, &mut fill);
    debug_assert!(read.is_ok(), "a checked document failed to read: {read:?}");
    table
}

// ---- raw paths -----------------------------------------------------------------

/// The sink of a raw path: keeps the first value and stops the run.
struct First<'buf, 'p> {
    hit: Option<Hit<'buf>>,
    base: usize,
    path: PhantomData<OnePath<'p>>,
}

impl<'buf> First<'buf, '_> {
    fn new(base: usize) -> Self {
        First {
            hit: None,
            base,
            path: PhantomData,
        }
    }
}

impl<'p> OfTrie for First<'_, 'p> {
    type Trie = OnePath<'p>;
}

impl<'buf> Sink<'buf> for First<'buf, '_> {
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        self.hit = Some(Hit::new(
            0,
            hit.kind(),
            self.base + hit.offset(),
            hit.text(),
        ));
        false
    }
}

fn check(path: &str) -> Result<OnePath<'_>, Error> {
    grammar::check(path).map_err(|f| f.error(path.as_bytes()))?;
    Ok(OnePath::new(path))
}

/// The first value of `path` in the whole checked document `input`, as
/// [`PathSet::extract`](crate::PathSet::extract) gives it.
pub(crate) fn get_doc<'buf>(input: &'buf [u8], path: &str) -> Result<Option<Hit<'buf>>, Error> {
    let one = check(path)?;
    let mut first = First::new(0);
    let run = path::select(&one, input, &trusted(), &mut first);
    debug_assert!(run.is_ok() || first.hit.is_some(), "{run:?}");
    Ok(first.hit)
}

/// The first value of `path` inside the item `span` of the checked document
/// `input`.
pub(crate) fn get_in<'buf>(
    input: &'buf [u8],
    format: Format,
    span: (usize, usize),
    path: &str,
) -> Result<Option<Hit<'buf>>, Error> {
    let one = check(path)?;
    let mut first = First::new(span.0);
    let run = run_item(&one, input, format, span, &mut first);
    debug_assert!(run.is_ok() || first.hit.is_some(), "{run:?}");
    Ok(first.hit)
}

// ---- lists -----------------------------------------------------------------------

/// Where a list is inside the top container of a slice.
#[derive(Debug, Clone)]
// Boxing the larger reader would allocate; a list lives on the caller's stack.
#[allow(clippy::large_enum_variant)]
enum Step<'buf> {
    /// The offset in the element's content where the next child may start
    /// (read by structure: the document was checked).
    Xml(usize),
    /// `array`: inside the array value of a member with the list's name.
    Json { r: json::Reader<'buf>, array: bool },
}

/// An item the list has landed on, not read yet.
enum At {
    Xml(Tag),
    /// The first byte of a JSON value, at `at`.
    Json {
        at: usize,
        first: u8,
    },
}

/// The items named `name` of one container of a checked document, in
/// document order: XML child elements with that name, adjacent or not; a
/// JSON member's value, or each entry of it when it is an array (a name
/// that occurs twice adds its items after the first's).
#[derive(Debug, Clone)]
pub(crate) struct List<'buf> {
    input: &'buf [u8],
    format: Format,
    /// The container's slice and its offset in the document.
    slice: &'buf [u8],
    /// The JSON container's slice as checked UTF-8: checked once here, so
    /// that the values read from it are not checked one by one.
    valid: Option<&'buf str>,
    base: usize,
    step: Option<Step<'buf>>,
    name: &'static str,
    /// The keys of the last JSON item read, and the schema (the address of
    /// its nodes) they were looked up in.
    memo: Memo,
    memo_of: usize,
}

impl<'buf> List<'buf> {
    /// The items named `name` in the container the paths of the checked
    /// document `input` start in: the XML root element, or the top JSON
    /// object (the inner one of `{"Response": {…}}`, as the path layer
    /// unwraps it). Found here, when a list of the root is walked, rather
    /// than recorded by every checking pass.
    pub(crate) fn root(input: &'buf [u8], format: Format, name: &'static str) -> Self {
        let span = match format {
            Format::Xml => (0, input.len()),
            Format::Json => {
                select_json::response_object(input, &trusted()).unwrap_or((0, input.len()))
            }
        };
        List::open(input, format, Some(span), name)
    }

    /// The items named `name` in the container at `span` (none when `None`,
    /// or when it is not an element or an object: a span that starts
    /// before an XML element or a JSON object, blanks and markup first, is
    /// read from that element or object on).
    pub(crate) fn open(
        input: &'buf [u8],
        format: Format,
        span: Option<(usize, usize)>,
        name: &'static str,
    ) -> Self {
        let (a, b) = span.unwrap_or((0, 0));
        let slice = input.get(a..b).unwrap_or(&[]);
        let step = span.and_then(|_| match format {
            Format::Xml => match open_xml(slice)? {
                (.., true) => None,
                (.., content, false) => Some(Step::Xml(content)),
            },
            Format::Json => {
                let options = trusted();
                let mut r = json::Reader::blank(slice, &options);
                r.begin(&options).ok()?;
                match r.seek().ok()? {
                    Next::Value(b'{') => {
                        r.value_here().ok()?;
                        Some(Step::Json { r, array: false })
                    }
                    _ => None,
                }
            }
        });
        let valid = match (&step, format) {
            (Some(_), Format::Json) => crate::simd::utf8(slice).ok(),
            _ => None,
        };
        List {
            input,
            format,
            slice,
            valid,
            base: a,
            step,
            name,
            memo: Memo::new(),
            memo_of: 0,
        }
    }

    /// The document.
    pub(crate) fn input(&self) -> &'buf [u8] {
        self.input
    }

    /// The document's format.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// The document's bytes `a..b` (an item read by [`next`](List::next)) as
    /// checked UTF-8, when the list's container was checked (JSON).
    pub(crate) fn text(&self, a: usize, b: usize) -> Option<&'buf str> {
        self.valid?
            .get(a.wrapping_sub(self.base)..b.wrapping_sub(self.base))
    }

    /// Whether the (decoded) name `input[a..b]` is the list's.
    fn named(&self, a: usize, b: usize, escaped: bool) -> bool {
        let raw = self.slice.get(a..b).unwrap_or(&[]);
        if !escaped {
            return raw == self.name.as_bytes();
        }
        crate::simd::utf8(raw).is_ok_and(|s| Text::new(s, Escape::Json).eq_str(self.name))
    }

    /// Moves to the next item named `name`.
    fn next_at(&mut self) -> PResult<Option<At>> {
        let name = self.name;
        let slice = self.slice;
        let named = |a: usize, b: usize| slice.get(a..b) == Some(name.as_bytes());
        match &mut self.step {
            None => Ok(None),
            Some(Step::Xml(k)) => loop {
                let Some(tag) = xml::skim::next_child(slice, *k)? else {
                    return Ok(None);
                };
                let (lt, name_end, ..) = tag;
                if named(lt + 1, name_end) {
                    return Ok(Some(At::Xml(tag)));
                }
                *k = xml::skim::past_child(slice, tag)?;
            },
            Some(Step::Json { .. }) => self.next_json(),
        }
    }

    fn next_json(&mut self) -> PResult<Option<At>> {
        loop {
            let Some(Step::Json { r, array }) = &mut self.step else {
                return Ok(None);
            };
            if *array {
                match r.seek()? {
                    Next::Value(first) => {
                        return Ok(Some(At::Json {
                            at: r.offset(),
                            first,
                        }))
                    }
                    _ => {
                        // The `]`.
                        r.next_token()?;
                        *array = false;
                        continue;
                    }
                }
            }
            let json::Tok::Key {
                start,
                end,
                escaped,
            } = r.next_token()?
            else {
                return Ok(None);
            };
            let Next::Value(first) = r.seek()? else {
                return Ok(None);
            };
            let named = self.named(start, end, escaped);
            let Some(Step::Json { r, array }) = &mut self.step else {
                return Ok(None);
            };
            match (named, first) {
                (true, b'[') => {
                    r.next_token()?;
                    *array = true;
                }
                (true, _) => {
                    return Ok(Some(At::Json {
                        at: r.offset(),
                        first,
                    }))
                }
                (false, _) => {
                    r.skip_here(first)?;
                }
            }
        }
    }

    /// Steps over the next item without reading it. Returns whether there was one.
    pub(crate) fn pass(&mut self) -> bool {
        let stepped = match self.next_at() {
            Ok(Some(at)) => match (&mut self.step, at) {
                (Some(Step::Xml(k)), At::Xml(tag)) => {
                    match xml::skim::past_child(self.slice, tag) {
                        Ok(end) => {
                            *k = end;
                            true
                        }
                        Err(_) => false,
                    }
                }
                (Some(Step::Json { r, .. }), At::Json { first, .. }) => r.skip_here(first).is_ok(),
                _ => false,
            },
            _ => false,
        };
        if !stepped {
            self.step = None;
        }
        stepped
    }

    /// Reads the next item with `schema` into `table` (empty): returns its
    /// span in the document. The table is the caller's, so that it is
    /// filled where it will stay instead of being copied there.
    pub(crate) fn next(&mut self, schema: &Schema, table: &mut Table) -> Option<(usize, usize)> {
        let found = self.read_next(schema, table);
        debug_assert!(
            found.is_ok(),
            "a checked document failed to read: {found:?}"
        );
        match found {
            Ok(Some(item)) => Some(item),
            _ => {
                self.step = None;
                None
            }
        }
    }

    fn read_next(&mut self, schema: &Schema, table: &mut Table) -> PResult<Option<(usize, usize)>> {
        let Some(at) = self.next_at()? else {
            return Ok(None);
        };
        let base = self.base;
        let mut fill = Fill { table, base };
        let span = match (&mut self.step, at) {
            (Some(Step::Xml(k)), At::Xml(tag)) => {
                let end = select_xml::read_child(schema, self.slice, tag, &trusted(), &mut fill)?;
                *k = end;
                (tag.0, end)
            }
            (Some(Step::Json { r, .. }), At::Json { at, .. }) => {
                // The keys of the last item read apply to this one only
                // under the same schema.
                let of = schema.nodes.as_ptr() as usize;
                if self.memo_of != of {
                    self.memo = Memo::new();
                    self.memo_of = of;
                }
                let end = select_json::item(
                    schema,
                    self.slice,
                    self.valid,
                    at,
                    &trusted(),
                    &mut fill,
                    Some(&mut self.memo),
                )?;
                r.past_value(end);
                (at, end)
            }
            _ => return Ok(None),
        };
        Ok(Some((base + span.0, base + span.1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The root of the jobs' list in JSON: the inner object of a
    /// `{"Response": {…}}` document, else the whole document.
    #[test]
    fn the_root_of_a_json_document_is_its_unwrapped_object() {
        let cases: [(&[u8], Option<&[u8]>); 10] = [
            (br#"{"Response": {"a": 1}}"#, Some(br#"{"a": 1}"#)),
            (b"\xEF\xBB\xBF {\"Response\" :\n{ } \r\n}\n", Some(b"{ }")),
            (br#"{"Response": {"a": [1]} , }"#, Some(br#"{"a": [1]}"#)),
            (br#"{"Respons\u0065": {"b": {}}}"#, Some(br#"{"b": {}}"#)),
            (br#"{"Response": {}, "b": 1}"#, None),
            (br#"{"Response": [{}]}"#, None),
            (br#"{"Responses": {}}"#, None),
            (br#"{"b": 1, "Response": {}}"#, None),
            (br#"[{"Response": {}}]"#, None),
            (br#"{}"#, None),
        ];
        for (doc, inner) in cases {
            let got = select_json::response_object(doc, &trusted());
            let want = inner.map(|i| {
                let at = doc.windows(i.len()).rposition(|w| w == i).unwrap();
                (at, at + i.len())
            });
            assert_eq!(got, want, "{}", alloc::string::String::from_utf8_lossy(doc));
        }
    }
}
