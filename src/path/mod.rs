//! Dot paths, compiled once into a [`PathSet`] and matched without allocation.
//!
//! # Syntax (crate docs, *Paths*)
//! ```text
//! path   = [select "."] step *("." step) ["." "@" name]   ; "@name" = XML attribute, last step only
//!        | select                                         ; the items of a top-level JSON array
//!        | "@" name                                       ; an attribute of the XML root element
//! step   = name ["." select]
//! select = "#" | index                                    ; "#" = every item, index = 0-based
//! ```
//! A `\` escapes `.`, `#`, `@`, `\` or a digit in a name (so `\#` and `\0` are
//! names). A leading selector is followed by a name, never by an attribute
//! (attributes are XML's, top-level arrays JSON's: such a path could match
//! nothing, so it is refused with [`ErrorKind::BadPath`]).
//!
//! # Semantics
//! Paths start inside the XML root element and at the top-level JSON object
//! (a top-level object whose only member is `"Response"` with an object value is
//! unwrapped). Every name step yields a list: the direct child elements with
//! that name in document order (XML), or the array's items when the member's
//! value is an array and a one-item list otherwise (JSON; a key that occurs
//! twice in one object adds its items after the first's, like repeated XML
//! siblings). No selector takes the first item, `k` the k-th, `#` all of them.
//! A path that ends on a container yields its raw text.
//!
//! A top-level JSON **array** (a batch of events, as some webhook senders post)
//! is a list like any other: paths start inside its items, each item read as
//! a document of its own (so `[{"Response": {…}}]` is unwrapped per item). A
//! leading selector picks items (`#.eventType` gives every item's,
//! `1.eventType` the second item's, a bare `#` every item, `2` the third item
//! itself); a path without one reads the first item (`eventType`), so a
//! document `D` and the array `[D]` give the same values. In a document whose
//! top level is not an array (every XML document, a JSON object or scalar), a
//! path with a leading selector is valid and finds nothing, like any path
//! whose names are absent: one [`PathSet`] serves batches and single events.
//!
//! # Matching
//! The paths are merged into a trie keyed by name. A position in a document is
//! a *cursor*: a trie node plus the set of paths still alive there (a bit
//! mask), so paths that share names but differ in selectors (`Jobs.#.Id` and
//! `Jobs.0.State`) share one walk. Entering a child narrows the mask by each
//! path's selector at that step; an empty mask means no path needs the child
//! and the reader skips it without looking inside. Item numbers are counted
//! per trie node in a fixed array, reset whenever the parent is entered.

mod found;
pub(crate) mod grammar;
pub(crate) mod schema;
pub(crate) mod select_json;
pub(crate) mod select_xml;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub use self::found::{Found, Hit, PathId, PathIndex};
pub(crate) use self::found::{OfTrie, Sink};
use self::found::{Slots, Visit};
use self::grammar::{parse, Parsed, Select};
use crate::scan::{fail, PResult};
pub use crate::text::Kind;
use crate::text::Text;
use crate::xml::skim::ends_name;
use crate::{Error, ErrorKind, Format};

/// Most paths in one [`PathSet`] (the alive set is a `u128`).
pub const MAX_PATHS: usize = 128;
/// Most steps (names and selectors) in one path.
pub const MAX_STEPS: usize = 32;
/// Most distinct trie nodes in one [`PathSet`] (item counters live in a fixed array of this size).
pub const MAX_NODES: usize = 256;

pub(crate) type Mask = u128;

/// A trie the selection engines walk: what [`Matcher`], `select_xml` and
/// `select_json` ask of a set of paths. [`PathSet`] is the compiled one;
/// the typed view's schemas ([`schema::Schema`]) and one raw path read from
/// its text ([`schema::OnePath`]) are the others, built without allocating.
///
/// Node `0` is the root: the container paths start in, and (child `0` of
/// [`around_root`](Trie::around_root)) the items of a top-level JSON array.
pub(crate) trait Trie {
    /// The cursor at the top of a document: inside the XML root element or
    /// the top JSON object. Paths with a leading selector are not alive there.
    fn root(&self) -> Cursor;
    /// The cursor around a top-level JSON array: its items are the root
    /// node's, selected by [`Matcher::item`] with child `0`.
    fn around_root(&self) -> Cursor;
    /// All paths.
    fn all(&self) -> Mask;
    /// Paths settled by their first value.
    fn single(&self) -> Mask;
    /// Paths with a leading selector.
    fn lead(&self) -> Mask;
    /// The node whose selected items start records ([`NO_MARK`]: none).
    fn mark(&self) -> u16;
    /// The path index marker hits carry.
    fn marker(&self) -> usize;
    /// The element/member child of `cur` named `input[a..b]`, if any path
    /// alive at `cur` goes there.
    fn child_in(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<u16>;
    /// Like [`child_in`](Trie::child_in) for a name that needs decoding (a
    /// JSON key with escapes): compares decoded.
    fn child_decoded(&self, cur: Cursor, name: Text<'_>) -> Option<u16>;
    /// A filter on the names of `cur`'s children: bit [`bloom_bit`] of a
    /// name's length and first word is set for every child (a superset: a
    /// set bit proves nothing). The default filters nothing.
    #[inline(always)]
    fn bloom(&self, cur: Cursor) -> u64 {
        let _ = cur;
        !0
    }
    /// [`child_in`](Trie::child_in) for a name of at most 16 bytes whose
    /// words the caller read already: `head` its first eight bytes and
    /// `tail` the next eight, each zero-padded past the name's end. The
    /// caller may have checked [`bloom`](Trie::bloom) first; this does not.
    #[inline(always)]
    fn child_words(
        &self,
        cur: Cursor,
        input: &[u8],
        a: usize,
        b: usize,
        head: u64,
        tail: u64,
    ) -> Option<u16> {
        let _ = (head, tail);
        self.child_in(cur, input, a, b)
    }
    /// The cursor for item `index` of child node `child` under `cur`, or
    /// `None` when no path selects that item.
    fn select(&self, cur: Cursor, child: u16, index: u32) -> Option<Cursor>;
    /// Paths whose value is the node at `cur` itself.
    fn ends(&self, cur: Cursor) -> Mask;
    /// Whether some path goes on below `cur` (to a child element or member).
    fn descends(&self, cur: Cursor) -> bool;
    /// Whether some path at `cur` asks for an attribute.
    fn has_attr(&self, cur: Cursor) -> bool;
    /// Paths that want attribute `name` of the element at `cur`.
    fn attr(&self, cur: Cursor, name: &[u8]) -> Mask;
    /// Children of `cur` (for resetting their item counters).
    fn children(&self, cur: Cursor) -> &[u16];
    /// Paths that can get no more values once this instance of `cur` is done.
    fn settled(&self, cur: Cursor) -> Mask;
    /// A filter on the first two bytes of the element/member names of
    /// `cur`'s children: bit `b & 63` of word 0 for a first byte `b`, of word
    /// 1 for a second byte. A name whose two bits are not both set is no
    /// child's (a superset: a set bit proves nothing). The default filters
    /// nothing.
    #[inline(always)]
    fn leads(&self, cur: Cursor) -> [u64; 2] {
        let _ = cur;
        [!0, !0]
    }
    /// Whether the items of node `child` count against
    /// [`Limits::max_items`](crate::Limits::max_items) (a [`PathSet`]: all).
    #[inline(always)]
    fn counted(&self, child: u16) -> bool {
        let _ = child;
        true
    }
    /// [`ends`](Trie::ends), [`settled`](Trie::settled),
    /// [`descends`](Trie::descends) and [`has_attr`](Trie::has_attr) of
    /// `cur` in one look-up (what `Skim` asks of each element it enters).
    #[inline(always)]
    fn facts(&self, cur: Cursor) -> Facts {
        Facts {
            ends: self.ends(cur),
            settled: self.settled(cur),
            descends: self.descends(cur),
            has_attr: self.has_attr(cur),
        }
    }
    /// Whether every path is absolute (no leading selector) and takes the
    /// first item at every step (no `#`, no index above 0), with no record
    /// marks: then every path through a node is alive wherever the node is
    /// entered, so a child's cursor and [`Facts`] can be read from its
    /// parent's table ([`lean_child`](Trie::lean_child)), and only a node's
    /// first item is selected ([`Matcher::fresh`]).
    #[inline(always)]
    fn lean(&self) -> bool {
        false
    }
    /// For a [`lean`](Trie::lean) trie: the child of `cur` named
    /// `input[a..b]` as the cursor of its first item, with its [`Facts`].
    #[inline(always)]
    fn lean_child(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<(Cursor, Facts)> {
        let child = self.child_in(cur, input, a, b)?;
        let cc = self.select(cur, child, 0)?;
        Some((cc, self.facts(cc)))
    }
    /// For a [`lean`](Trie::lean) trie whose names an XML start tag can
    /// hold whole: the kids of `cur` as [`LeanNode::find`] matches them
    /// where a name stands in the input. The default has none (the caller
    /// finds a name's end and asks [`lean_child`](Trie::lean_child)).
    #[inline(always)]
    fn lean_node(&self, cur: Cursor) -> Option<&LeanNode> {
        let _ = cur;
        None
    }
    /// For a [`lean`](Trie::lean) trie: the [`Facts`] of `cc`, a later
    /// item of a node (selected by [`Matcher::item`]) whose first item's
    /// are `first`. The default gives `first`: a [`PathSet`] selects no
    /// later item in a lean run.
    #[inline(always)]
    fn later_facts(&self, cc: Cursor, first: Facts) -> Facts {
        let _ = cc;
        first
    }
    /// Whether a run can ever settle every path before its end. `false`
    /// lets [`Matcher::all_settled`] answer without looking at the masks.
    #[inline(always)]
    fn settles(&self) -> bool {
        true
    }
}

/// What [`Trie::facts`] tells of a cursor.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// Paths whose value is the node itself.
    pub ends: Mask,
    /// Paths that can get no more values once this instance is done.
    pub settled: Mask,
    /// Whether some path goes on below it.
    pub descends: bool,
    /// Whether some path asks for one of its attributes.
    pub has_attr: bool,
}

/// One node of the trie: the paths that reach it through one name.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The decoded name of the step that leads here.
    name: Box<[u8]>,
    /// An `@name` attribute node (a leaf).
    attr: bool,
    /// Child nodes (element/member names), then attribute nodes.
    children: Box<[u16]>,
    /// Paths that pass through or end here.
    paths: Mask,
    /// Paths that end here.
    ends: Mask,
    /// Paths whose selector at this step is `#`.
    all: Mask,
    /// Paths whose selector at this step is "first" (none, or `0`).
    first: Mask,
    /// Paths with an index selector above 0 at this step.
    index: Box<[(u32, Mask)]>,
    /// Paths through here whose steps up to here have no `#`: once one instance
    /// of this node is done, these can get no more values.
    settled: Mask,
    /// Some child of this node is an attribute node.
    has_attr: bool,
    /// Paths that go on below this node (to an element/member child):
    /// [`Facts::descends`] when one of them is alive.
    below: Mask,
    /// The element/member children, for [`PathSet::child_in`]: compared by
    /// length and first eight bytes before any node is loaded.
    kids: Box<[Kid]>,
    /// The kids again, each with the [`Facts`] of its node when every path
    /// through it is alive (so in a [`lean`](Trie::lean) set):
    /// [`PathSet::lean_child`] answers from the parent, without loading the
    /// child's node. A table of its own, so the general route's `kids` stay
    /// small.
    lean_kids: LeanNode,
    /// One bit per kid, [`bloom_bit`] of its length and head: a name whose
    /// bit is clear is no kid's, found with one test (most names in a
    /// document are not the paths').
    bloom: u64,
    /// [`Trie::leads`] of this node, from its kids.
    leads: [u64; 2],
}

/// [`Node::leads`] of a node with these kids: the bit of each first and
/// second byte; a name of one byte (or none) lets every second byte (or
/// every name) through.
fn leads_of(kids: &[Kid]) -> [u64; 2] {
    kids.iter().fold([0, 0], |[a, b], k| {
        let h = k.head.to_le_bytes();
        match k.len {
            0 => [!0, !0],
            1 => [a | 1 << (h[0] & 63), !0],
            _ => [a | 1 << (h[0] & 63), b | 1 << (h[1] & 63)],
        }
    })
}

/// The bit of a name of length `len` whose [`head`] is `h` in
/// [`Node::bloom`]: a multiplicative hash, top six bits.
#[inline(always)]
pub(crate) fn bloom_bit(len: usize, h: u64) -> u64 {
    1 << (h
        .wrapping_add(len as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        >> 58)
}

/// An element/member child as [`PathSet::child_in`] compares it.
#[derive(Debug, Clone, Copy)]
struct Kid {
    /// Name length.
    len: usize,
    /// The name's first eight bytes, zero-padded ([`head`]).
    head: u64,
    /// Its next eight bytes, zero-padded: names up to sixteen bytes are
    /// compared as two words, with no call.
    tail: u64,
    /// The paths through it (no node is loaded to test the alive set).
    paths: Mask,
    id: u16,
}

/// A [`Kid`] with its node's [`Facts`], for [`PathSet::lean_child`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeanKid {
    kid: Kid,
    facts: Facts,
    /// The bytes of [`Kid::head`] and [`Kid::tail`] the name fills, for
    /// [`LeanNode::find`]: the input's next sixteen bytes, masked,
    /// are the name's two words when it starts them.
    masks: [u64; 2],
}

impl LeanKid {
    /// The child as a lean run enters it: every path through it alive,
    /// with its node's facts.
    #[inline(always)]
    pub(crate) fn get(&self) -> (Cursor, Facts) {
        let cc = Cursor {
            node: self.kid.id,
            alive: self.kid.paths,
        };
        (cc, self.facts)
    }
}

/// The kids of a node of a [`lean`](Trie::lean) set ([`Node::lean_kids`]),
/// with what finds one by the first byte of a name.
#[derive(Debug, Clone)]
pub(crate) struct LeanNode {
    kids: Box<[LeanKid]>,
    /// By the low six bits of a name's first byte: 0 when no kid's name
    /// starts so, [`SEVERAL`] when more than one kid's may, else the one
    /// kid's index plus one.
    first: [u8; 64],
}

/// [`LeanNode::first`] for a first byte more than one kid may start with.
const SEVERAL: u8 = u8::MAX;

impl LeanNode {
    fn new(kids: Box<[LeanKid]>) -> LeanNode {
        let mut first = [0u8; 64];
        for (j, lk) in kids.iter().enumerate() {
            if let Some(slot) = first.get_mut((lk.kid.head & 63) as usize) {
                *slot = match (*slot, u8::try_from(j + 1)) {
                    (0, Ok(k)) if k != SEVERAL => k,
                    _ => SEVERAL,
                };
            }
        }
        LeanNode { kids, first }
    }

    /// The kid whose name starts the input at `a`, ended there by a byte
    /// that ends an XML name (whitespace, `/` or `>`, as
    /// `xml::skim::start_tag` reads a name), with the offset of that byte:
    /// found without searching for the name's end first. The input's next
    /// sixteen bytes are read as two words and the kid the first byte
    /// points to ([`first`](Self::first)) is matched under its masks (a
    /// name never holds a byte that ends one, [`PathSet::lean_node`], so
    /// the first such byte is the one after the name). `Ok(None)` when
    /// the name is no kid's; `Err(())` when this cannot tell (fewer than
    /// sixteen bytes left, or a kid's name longer than sixteen whose first
    /// sixteen match): then the caller finds the end and asks
    /// [`Trie::lean_child`].
    #[inline(always)]
    #[allow(clippy::result_unit_err)]
    pub(crate) fn find(&self, input: &[u8], a: usize) -> Result<Option<(&LeanKid, usize)>, ()> {
        let Some(words) = input.get(a..).and_then(<[u8]>::first_chunk::<16>) else {
            return Err(());
        };
        let (w0, w1) = words.split_at(8);
        let word = |w: &[u8]| w.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
        let (w0, w1) = (word(w0), word(w1));
        // Whether `lk` is the name: `Some(end)`, `None` when not, `Err`
        // when the sixteen bytes cannot tell.
        let named = |lk: &LeanKid| -> Result<Option<usize>, ()> {
            let LeanKid { kid, masks, .. } = lk;
            if w0 & masks[0] != kid.head || w1 & masks[1] != kid.tail {
                return Ok(None);
            }
            if kid.len > 16 {
                return Err(());
            }
            let end = a + kid.len;
            Ok(match input.get(end) {
                Some(&b) if ends_name(b) => Some(end),
                _ => None,
            })
        };
        match self
            .first
            .get((w0 & 63) as usize)
            .copied()
            .unwrap_or(SEVERAL)
        {
            0 => Ok(None),
            SEVERAL => {
                for lk in self.kids.iter() {
                    if let Some(end) = named(lk)? {
                        return Ok(Some((lk, end)));
                    }
                }
                Ok(None)
            }
            k => match self.kids.get(usize::from(k) - 1) {
                Some(lk) => Ok(named(lk)?.map(|end| (lk, end))),
                None => Ok(None),
            },
        }
    }
}

/// The first eight bytes of `name`, zero-padded, as one word.
#[inline(always)]
fn head(name: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    match name.get(..8) {
        Some(first) => w.copy_from_slice(first),
        None => {
            for (d, &b) in w.iter_mut().zip(name) {
                *d = b;
            }
        }
    }
    u64::from_le_bytes(w)
}

/// Bytes 8 to 16 of `name`, zero-padded, as one word ([`head`] of
/// `name[8..]`, 0 for a name of eight bytes or fewer), read as the name's last
/// eight bytes shifted down when it is shorter than 16: no copy (the copy
/// of the name's last few bytes was a call to `memcpy`).
#[inline(always)]
fn tail(name: &[u8]) -> u64 {
    let word = |k: usize| {
        name.get(k..k.wrapping_add(8))
            .and_then(<[u8]>::first_chunk::<8>)
            .map_or(0, |w| u64::from_le_bytes(*w))
    };
    match name.len() {
        0..=8 => 0,
        len @ 9..=15 => word(len - 8) >> ((16 - len) * 8),
        _ => word(8),
    }
}

/// The name `input[a..b]` and its [`head`], read as one word from the input
/// when eight bytes are there, then masked to the name's length (no copy of
/// a short name).
#[inline(always)]
pub(crate) fn head_in(input: &[u8], a: usize, b: usize) -> (&[u8], u64) {
    let name = input.get(a..b).unwrap_or(&[]);
    let h = match input.get(a..).and_then(<[u8]>::first_chunk::<8>) {
        Some(w) if name.len() >= 8 => u64::from_le_bytes(*w),
        Some(w) => u64::from_le_bytes(*w) & ((1u64 << (name.len() * 8)) - 1),
        None => head(name),
    };
    (name, h)
}

/// A compiled set of paths. Compile once, extract from many documents.
///
/// Values are looked up by the path's index or by the [`PathId`]
/// that [`PathSet::builder`] hands out; several fields of each item of a
/// list are read with a [`RecordSet`](crate::RecordSet).
///
/// # Examples
/// ```
/// use wanxiang::{Hit, PathSet};
/// let paths = PathSet::compile(["EventName", "JobsDetail.#.JobId"])?;
/// let xml = b"<Response><EventName>TaskFinish</EventName>\
///     <JobsDetail><JobId>a</JobId></JobsDetail><JobsDetail><JobId>b</JobId></JobsDetail></Response>";
/// let json = br#"{"EventName": "TaskFinish", "JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#;
/// for doc in [&xml[..], &json[..]] {
///     let mut slots = [Hit::EMPTY; 8];
///     let found = paths.extract(doc, &mut slots)?;
///     assert!(found.first(0).unwrap().text() == "TaskFinish");
///     let ids: Vec<_> = found.all(1).map(|h| h.text().raw()).collect();
///     assert_eq!(ids, ["a", "b"]);
/// }
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PathSet {
    nodes: Box<[Node]>,
    sources: Box<[String]>,
    /// Paths with no `#` step: the first value settles them.
    single: Mask,
    /// Paths with at least one `#` step.
    multi: Mask,
    /// Every path.
    all: Mask,
    /// The trie node whose selected items start records ([`NO_MARK`] for a
    /// plain set); see `crate::records`.
    mark: u16,
    /// Paths with a leading selector: only a top-level JSON array has items
    /// for them.
    lead: Mask,
    /// [`Trie::lean`].
    lean: bool,
    /// A lean set whose element names an XML start tag can hold whole
    /// ([`Trie::lean_node`]).
    lean_xml: bool,
}

/// No record marks.
const NO_MARK: u16 = u16::MAX;

impl PathSet {
    /// Compiles paths. This is the one place that allocates.
    ///
    /// # Errors
    /// [`ErrorKind::BadPath`] with the offset into the first malformed path's
    /// text, or [`ErrorKind::PathLimit`] for more than [`MAX_PATHS`] paths,
    /// [`MAX_STEPS`] steps in one path or [`MAX_NODES`] trie nodes.
    pub fn compile<I, S>(paths: I) -> Result<PathSet, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut sources: Vec<String> = Vec::new();
        let mut parsed: Vec<Parsed> = Vec::new();
        for p in paths {
            let text = p.as_ref();
            if sources.len() == MAX_PATHS {
                return Err(Error::at(ErrorKind::PathLimit, 0, text.as_bytes()));
            }
            let one = parse(text).map_err(|f| f.error(text.as_bytes()))?;
            sources.push(String::from(text));
            parsed.push(one);
        }
        Self::build(sources, &parsed)
    }

    fn build(sources: Vec<String>, parsed: &[Parsed]) -> Result<PathSet, Error> {
        struct Proto {
            name: Vec<u8>,
            attr: bool,
            children: Vec<u16>,
            paths: Mask,
            ends: Mask,
            all: Mask,
            first: Mask,
            index: Vec<(u32, Mask)>,
            settled: Mask,
        }
        let new = |name: Vec<u8>, attr: bool| Proto {
            name,
            attr,
            children: Vec::new(),
            paths: 0,
            ends: 0,
            all: 0,
            first: 0,
            index: Vec::new(),
            settled: 0,
        };
        let mut nodes = alloc::vec![new(Vec::new(), false)];
        let limit = || Error::at(ErrorKind::PathLimit, 0, b"");
        let mut single: Mask = 0;
        let mut lead: Mask = 0;
        for (
            p,
            Parsed {
                lead: select,
                steps,
            },
        ) in parsed.iter().enumerate()
        {
            let bit: Mask = 1 << p;
            let mut cur = 0usize;
            let mut no_all_yet = *select != Some(Select::All);
            if select.is_some() {
                lead |= bit;
            }
            // The root node's selectors pick items of a top-level JSON array;
            // no leading selector takes the first.
            if let Some(root) = nodes.first_mut() {
                root.paths |= bit;
                match select {
                    Some(Select::All) => root.all |= bit,
                    Some(Select::Index(0)) | None => root.first |= bit,
                    Some(Select::Index(i)) => match root.index.iter_mut().find(|(j, _)| j == i) {
                        Some((_, m)) => *m |= bit,
                        None => root.index.push((*i, bit)),
                    },
                }
                if no_all_yet {
                    root.settled |= bit;
                }
                if steps.is_empty() {
                    root.ends |= bit;
                }
            }
            for (k, step) in steps.iter().enumerate() {
                let children = nodes.get(cur).map_or(&[][..], |n| &n.children[..]);
                let found = children.iter().copied().find(|&c| {
                    nodes
                        .get(usize::from(c))
                        .is_some_and(|n| n.attr == step.attr && n.name == step.name)
                });
                let next = match found {
                    Some(c) => usize::from(c),
                    None => {
                        let id = nodes.len();
                        let id16 = u16::try_from(id).map_err(|_| limit())?;
                        if id == MAX_NODES {
                            return Err(limit());
                        }
                        nodes.push(new(step.name.clone(), step.attr));
                        if let Some(parent) = nodes.get_mut(cur) {
                            parent.children.push(id16);
                        }
                        id
                    }
                };
                let Some(n) = nodes.get_mut(next) else {
                    return Err(limit());
                };
                n.paths |= bit;
                match step.select {
                    Some(Select::All) => {
                        n.all |= bit;
                        no_all_yet = false;
                    }
                    Some(Select::Index(0)) | None => n.first |= bit,
                    Some(Select::Index(i)) => match n.index.iter_mut().find(|(j, _)| *j == i) {
                        Some((_, m)) => *m |= bit,
                        None => n.index.push((i, bit)),
                    },
                }
                if no_all_yet {
                    n.settled |= bit;
                }
                if k + 1 == steps.len() {
                    n.ends |= bit;
                }
                cur = next;
            }
            if no_all_yet {
                single |= bit;
            }
        }
        let attrs: Vec<bool> = nodes.iter().map(|n| n.attr).collect();
        let kids_of = |children: &[u16]| -> Box<[Kid]> {
            children
                .iter()
                .filter_map(|&c| {
                    let n = nodes.get(usize::from(c))?;
                    (!n.attr).then(|| Kid {
                        len: n.name.len(),
                        head: head(&n.name),
                        tail: head(n.name.get(8..).unwrap_or(&[])),
                        paths: n.paths,
                        id: c,
                    })
                })
                .collect()
        };
        // The kids with the facts of their nodes, every path alive.
        let facts_of = |kids: &[Kid]| -> Box<[LeanKid]> {
            kids.iter()
                .filter_map(|&kid| {
                    let n = nodes.get(usize::from(kid.id))?;
                    let facts = Facts {
                        ends: n.ends,
                        settled: n.settled,
                        descends: !n.children.is_empty() && n.paths & !n.ends != 0,
                        has_attr: n
                            .children
                            .iter()
                            .any(|&a| nodes.get(usize::from(a)).is_some_and(|a| a.attr)),
                    };
                    let fill = |n: usize| match n {
                        0..=7 => (1u64 << (n * 8)) - 1,
                        _ => !0,
                    };
                    let masks = [fill(kid.len), fill(kid.len.saturating_sub(8))];
                    Some(LeanKid { kid, facts, masks })
                })
                .collect()
        };
        let kids: Vec<Box<[Kid]>> = nodes.iter().map(|n| kids_of(&n.children)).collect();
        let lean_kids: Vec<LeanNode> = kids.iter().map(|k| LeanNode::new(facts_of(k))).collect();
        let all: Mask = if parsed.len() == MAX_PATHS {
            Mask::MAX
        } else {
            (1 << parsed.len()) - 1
        };
        // Every step of every path takes the first item (no `#`, no index
        // above 0) and no path has a leading selector.
        let lean = lead == 0 && nodes.iter().all(|n| n.all == 0 && n.index.is_empty());
        // Every element/member name is one `xml::skim::start_tag` can read
        // whole: not empty, and no byte of it ends a name.
        let xml_names = nodes
            .iter()
            .skip(1)
            .all(|n| n.attr || !n.name.is_empty() && !n.name.iter().any(|&b| ends_name(b)));
        let nodes: Vec<Node> = nodes
            .into_iter()
            .zip(kids.into_iter().zip(lean_kids))
            .map(|(n, (kids, lean_kids))| Node {
                bloom: kids.iter().fold(0, |b, k| b | bloom_bit(k.len, k.head)),
                leads: leads_of(&kids),
                kids,
                lean_kids,
                below: if n.children.is_empty() {
                    0
                } else {
                    n.paths & !n.ends
                },
                has_attr: n
                    .children
                    .iter()
                    .any(|&c| attrs.get(usize::from(c)).copied().unwrap_or(false)),
                name: n.name.into_boxed_slice(),
                attr: n.attr,
                children: n.children.into_boxed_slice(),
                paths: n.paths,
                ends: n.ends,
                all: n.all,
                first: n.first,
                index: n.index.into_boxed_slice(),
                settled: n.settled,
            })
            .collect();
        Ok(PathSet {
            nodes: nodes.into_boxed_slice(),
            sources: sources.into_boxed_slice(),
            single,
            multi: all & !single,
            all,
            mark: NO_MARK,
            lead,
            lean,
            lean_xml: lean && xml_names,
        })
    }

    /// Number of paths.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether the set holds no path.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The text of path `i`, as given to [`compile`](PathSet::compile).
    pub fn path(&self, i: usize) -> Option<&str> {
        self.sources.get(i).map(String::as_str)
    }

    /// Whether path `i` has a `#` step (and so may yield many values).
    pub fn is_multi(&self, i: usize) -> bool {
        i < MAX_PATHS && self.multi & (1 << i) != 0
    }

    /// Extracts every path from `input` (XML or JSON, sniffed) with the default
    /// [`Options`](crate::Options), writing values into the caller's `slots`.
    ///
    /// # Errors
    /// Any [`Error`] of the document; otherwise [`ErrorKind::Capacity`] when
    /// `slots` is too small for the values found, with
    /// [`Error::needed`] giving the number of slots the document needs (the
    /// count is exact and a document error comes first: extraction goes on as if the slots were big
    /// enough).
    ///
    /// # Complexity
    /// Linear in the input; each byte is visited a bounded number of times and
    /// subtrees no path needs are skipped without being matched.
    pub fn extract<'buf, 'out>(
        &self,
        input: &'buf [u8],
        slots: &'out mut [Hit<'buf>],
    ) -> Result<Found<'buf, 'out>, Error> {
        self.extract_with(input, &crate::Options::default(), slots)
    }

    /// [`extract`](PathSet::extract) with explicit options.
    ///
    /// # Errors
    /// As for [`extract`](PathSet::extract).
    pub fn extract_with<'buf, 'out>(
        &self,
        input: &'buf [u8],
        options: &crate::Options,
        slots: &'out mut [Hit<'buf>],
    ) -> Result<Found<'buf, 'out>, Error> {
        let mut sink = Slots {
            slots: &mut *slots,
            len: 0,
        };
        let format = select(self, input, options, &mut sink)?;
        let len = sink.len;
        if len > slots.len() {
            return Err(Error::capacity(len));
        }
        Ok(Found {
            hits: slots.get(..len).unwrap_or(&[]),
            format,
        })
    }

    /// Calls `f` with every value found, in document order per path, without
    /// any output storage.
    ///
    /// # Errors
    /// Any [`Error`] of the document.
    pub fn visit<'buf>(
        &self,
        input: &'buf [u8],
        options: &crate::Options,
        f: impl FnMut(Hit<'buf>),
    ) -> Result<Format, Error> {
        let mut sink = Visit(f);
        select(self, input, options, &mut sink)
    }

    /// Makes every selected item of the node `depth` name steps down path 0
    /// start a record: the matcher emits a marker hit (path index
    /// [`len`](Self::len), the item's offset, no text) before anything found
    /// inside the item. Returns `false` when path 0 has no such node.
    pub(crate) fn mark_items(&mut self, depth: usize) -> bool {
        let mut cur = 0u16;
        for _ in 0..depth {
            let next = self.node(cur).and_then(|n| {
                n.children
                    .iter()
                    .copied()
                    .find(|&c| self.node(c).is_some_and(|c| !c.attr && c.paths & 1 != 0))
            });
            match next {
                Some(c) => cur = c,
                None => return false,
            }
        }
        self.mark = cur;
        // A marked node's items are counted and announced: the general
        // bookkeeping.
        self.lean = false;
        self.lean_xml = false;
        // The root node is marked only for a prefix that is a leading
        // selector (`#`, `k`): the items of a top-level JSON array.
        cur != 0 || self.lead & 1 != 0
    }

    #[inline(always)]
    fn child_with_head(&self, cur: Cursor, name: &[u8], h: u64) -> Option<u16> {
        let node = self.node(cur.node)?;
        if node.bloom & bloom_bit(name.len(), h) == 0 {
            return None;
        }
        // Bytes 8 to 16 of a longer name, as a word: read after the
        // head (the name's own bytes stay in `name`).
        let tail = tail(name);
        node.kids
            .iter()
            .find(|k| self.names(k, name, h, tail) && k.paths & cur.alive != 0)
            .map(|k| k.id)
    }

    /// Whether `kid` is `name`, whose head and tail words are `h` and
    /// `tail`: the same length and two words, and past sixteen bytes the
    /// same rest (read from the kid's node).
    #[inline(always)]
    fn names(&self, kid: &Kid, name: &[u8], h: u64, tail: u64) -> bool {
        kid.len == name.len()
            && kid.head == h
            && kid.tail == tail
            && (name.len() <= 16
                || self
                    .node(kid.id)
                    .is_some_and(|n| n.name.get(16..) == name.get(16..)))
    }

    fn node(&self, id: u16) -> Option<&Node> {
        self.nodes.get(usize::from(id))
    }
}

impl Trie for PathSet {
    fn root(&self) -> Cursor {
        Cursor {
            node: 0,
            alive: self.all & !self.lead,
        }
    }

    fn around_root(&self) -> Cursor {
        Cursor {
            node: 0,
            alive: self.all,
        }
    }

    fn all(&self) -> Mask {
        self.all
    }

    fn single(&self) -> Mask {
        self.single
    }

    /// Names are matched by length and head (first eight bytes);
    /// the head is read as one word from the input when eight bytes are
    /// there, then masked to the name's length (no copy of a short name).
    #[inline(always)]
    fn child_in(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<u16> {
        let (name, h) = head_in(input, a, b);
        self.child_with_head(cur, name, h)
    }

    #[inline(always)]
    fn bloom(&self, cur: Cursor) -> u64 {
        self.node(cur.node).map_or(0, |n| n.bloom)
    }

    #[inline(always)]
    fn child_words(
        &self,
        cur: Cursor,
        _input: &[u8],
        a: usize,
        b: usize,
        h: u64,
        tail: u64,
    ) -> Option<u16> {
        let len = b.wrapping_sub(a);
        let node = self.node(cur.node)?;
        // A name of at most 16 bytes is its length and its two words.
        node.kids
            .iter()
            .find(|k| k.len == len && k.head == h && k.tail == tail && k.paths & cur.alive != 0)
            .map(|k| k.id)
    }

    fn child_decoded(&self, cur: Cursor, name: Text<'_>) -> Option<u16> {
        let node = self.node(cur.node)?;
        node.children.iter().copied().find(|&c| {
            self.node(c).is_some_and(|n| {
                !n.attr
                    && n.paths & cur.alive != 0
                    && core::str::from_utf8(&n.name).is_ok_and(|s| name.eq_str(s))
            })
        })
    }

    #[inline]
    fn select(&self, cur: Cursor, child: u16, index: u32) -> Option<Cursor> {
        let n = self.node(child)?;
        let mut sel = n.all;
        if index == 0 {
            sel |= n.first;
        } else {
            for &(i, m) in n.index.iter() {
                if i == index {
                    sel |= m;
                }
            }
        }
        let alive = cur.alive & n.paths & sel;
        (alive != 0).then_some(Cursor { node: child, alive })
    }

    #[inline]
    fn ends(&self, cur: Cursor) -> Mask {
        self.node(cur.node).map_or(0, |n| n.ends & cur.alive)
    }

    #[inline(always)]
    fn facts(&self, cur: Cursor) -> Facts {
        match self.node(cur.node) {
            Some(n) => Facts {
                ends: n.ends & cur.alive,
                settled: n.settled & cur.alive,
                descends: n.below & cur.alive != 0,
                has_attr: n.has_attr,
            },
            None => Facts {
                ends: 0,
                settled: 0,
                descends: false,
                has_attr: false,
            },
        }
    }

    #[inline]
    fn descends(&self, cur: Cursor) -> bool {
        self.node(cur.node)
            .is_some_and(|n| n.below & cur.alive != 0)
    }

    #[inline]
    fn has_attr(&self, cur: Cursor) -> bool {
        self.node(cur.node).is_some_and(|n| n.has_attr)
    }

    fn attr(&self, cur: Cursor, name: &[u8]) -> Mask {
        let Some(node) = self.node(cur.node) else {
            return 0;
        };
        let mut m = 0;
        for &c in node.children.iter() {
            if let Some(n) = self.node(c) {
                if n.attr && &*n.name == name {
                    m |= n.ends & cur.alive;
                }
            }
        }
        m
    }

    #[inline]
    fn children(&self, cur: Cursor) -> &[u16] {
        self.node(cur.node).map_or(&[], |n| &n.children)
    }

    #[inline]
    fn settled(&self, cur: Cursor) -> Mask {
        self.node(cur.node).map_or(0, |n| n.settled & cur.alive)
    }

    #[inline(always)]
    fn leads(&self, cur: Cursor) -> [u64; 2] {
        self.node(cur.node).map_or([!0, !0], |n| n.leads)
    }

    fn lead(&self) -> Mask {
        self.lead
    }

    fn mark(&self) -> u16 {
        self.mark
    }

    fn marker(&self) -> usize {
        self.len()
    }

    #[inline(always)]
    fn lean(&self) -> bool {
        self.lean
    }

    /// In a lean set every path through a node is alive there, so the
    /// child's cursor and facts are its kid entry's.
    #[inline(always)]
    fn lean_child(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<(Cursor, Facts)> {
        let (name, h) = head_in(input, a, b);
        let node = self.node(cur.node)?;
        if node.bloom & bloom_bit(name.len(), h) == 0 {
            return None;
        }
        let tail = tail(name);
        let LeanKid { kid: k, facts, .. } = node
            .lean_kids
            .kids
            .iter()
            .find(|LeanKid { kid, .. }| self.names(kid, name, h, tail))?;
        Some((
            Cursor {
                node: k.id,
                alive: k.paths,
            },
            *facts,
        ))
    }

    #[inline(always)]
    fn lean_node(&self, cur: Cursor) -> Option<&LeanNode> {
        match self.lean_xml {
            true => self.node(cur.node).map(|n| &n.lean_kids),
            false => None,
        }
    }
}

/// Runs the engine for the paths of `set` over the document `input` (XML or
/// JSON, sniffed), putting what it finds into `sink`.
pub(crate) fn select<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    options: &crate::Options,
    sink: &mut S,
) -> Result<Format, Error> {
    // The size limit comes first: sniffing reads leading whitespace.
    let max = options.limits.max_input();
    if input.len() > max {
        return Err(Error::at(ErrorKind::SizeLimit, max, input));
    }
    let format = crate::sniff(input)?;
    let result = match format {
        Format::Xml => select_xml::run(set, input, options, sink),
        Format::Json => select_json::run(set, input, options, sink),
    };
    result.map_err(|f| f.error(input))?;
    Ok(format)
}

/// A position in the trie: a node and the paths still alive there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub node: u16,
    pub alive: Mask,
}

/// The bookkeeping both engines share: item counters, settled paths, output.
pub(crate) struct Matcher<'p, 's, S: OfTrie> {
    pub set: &'p S::Trie,
    pub sink: &'s mut S,
    counters: [u32; MAX_NODES],
    /// [`Trie::lean`] of the set, unless the item limit is 0.
    lean: bool,
    /// [`Trie::all`] of the set, for [`all_settled`](Self::all_settled).
    all: Mask,
    /// Paths that can get no more values.
    pub settled: Mask,
    max_items: usize,
    /// The caller's limits, for a `Skim` check of an element it returns
    /// ([`crate::xml::check_element`]).
    pub limits: crate::config::Limits,
    /// Whether it makes that check
    /// ([`Settings::check_containers`](crate::config::Settings::check_containers)).
    pub check_containers: bool,
    /// [`PathSet::mark`] and the path index its marker hits carry.
    mark: u16,
    marker: usize,
}

impl<'p, 's, 'buf, S: Sink<'buf>> Matcher<'p, 's, S> {
    pub fn new(set: &'p S::Trie, sink: &'s mut S, options: &crate::Options) -> Self {
        Matcher {
            set,
            sink,
            counters: [0; MAX_NODES],
            // A limit of no items takes the general route, where `item`
            // refuses the first one: `fresh` need not ask.
            lean: set.lean() && options.limits.max_items() > 0,
            all: set.all(),
            // Paths with a leading selector find nothing unless the document
            // is a top-level array ([`top_array`](Self::top_array)).
            settled: set.lead(),
            max_items: options.limits.max_items(),
            limits: options.limits,
            check_containers: options.settings().check_containers,
            mark: set.mark(),
            marker: set.marker(),
        }
    }

    /// The document is a top-level JSON array: every path is alive, and
    /// the returned cursor is the one around it (its items are child `0`).
    pub fn top_array(&mut self) -> Cursor {
        self.settled = 0;
        self.set.around_root()
    }

    /// Resets the item counters of `cur`'s children: a new parent instance.
    #[inline]
    pub fn enter(&mut self, cur: Cursor) {
        for &c in self.set.children(cur) {
            if let Some(n) = self.counters.get_mut(usize::from(c)) {
                *n = 0;
            }
        }
    }

    /// Whether this run is [`lean`](Trie::lean).
    #[inline(always)]
    pub fn lean(&self) -> bool {
        self.lean
    }

    /// A lean run's first item of node `child` ([`item`](Self::item)'s
    /// common case, without the selection: every path alive takes it):
    /// `true` when it is one, and counted. A lean run has room for one
    /// item at least ([`lean`](Self::lean)), so the limit is not asked.
    #[inline(always)]
    pub fn fresh(&mut self, child: u16) -> bool {
        match self.counters.get_mut(usize::from(child)) {
            Some(n) if *n == 0 => {
                *n = 1;
                true
            }
            _ => false,
        }
    }

    /// Counts one more item of child node `child` and returns the cursor for it
    /// when some path selects it. `at` positions an item-limit error.
    #[inline]
    pub fn item(&mut self, cur: Cursor, child: u16, at: usize) -> PResult<Option<Cursor>> {
        let Some(n) = self.counters.get_mut(usize::from(child)) else {
            return Ok(None);
        };
        let index = *n;
        if index as usize >= self.max_items && self.set.counted(child) {
            return fail(ErrorKind::ItemLimit, at);
        }
        *n = index + 1;
        let selected = self.set.select(cur, child, index);
        if child == self.mark && selected.is_some() {
            // A record starts: its marker goes out before anything inside it.
            if !self
                .sink
                .hit(Hit::new(self.marker, Kind::Container, at, Text::EMPTY))
            {
                return fail(ErrorKind::Capacity, at);
            }
        }
        Ok(selected)
    }

    /// Emits `text` for every path in `paths` and settles those the first
    /// value settles ([`Trie::single`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn emit(
        &mut self,
        paths: Mask,
        kind: Kind,
        offset: usize,
        text: Text<'buf>,
    ) -> PResult<()> {
        self.record(paths, kind, offset, text)?;
        self.settled |= paths & self.set.single();
        Ok(())
    }

    /// Emits `text` for every path in `paths`, settling none: for a walk
    /// that reads the whole document whatever is settled (`Full` XML keeps
    /// no settled paths). Always inlined when optimised: a value is mostly
    /// one path, and the call cost as much as the write.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub fn record(
        &mut self,
        paths: Mask,
        kind: Kind,
        offset: usize,
        text: Text<'buf>,
    ) -> PResult<()> {
        if paths & paths.wrapping_sub(1) == 0 {
            // One path (most values): no loop over the mask.
            if paths != 0 {
                let p = paths.trailing_zeros() as usize;
                if !self.sink.value(p, kind, offset, text.raw(), text.escape()) {
                    return fail(ErrorKind::Capacity, offset);
                }
            }
            return Ok(());
        }
        let mut m = paths;
        while m != 0 {
            let p = m.trailing_zeros() as usize;
            m &= m - 1;
            if !self.sink.value(p, kind, offset, text.raw(), text.escape()) {
                return fail(ErrorKind::Capacity, offset);
            }
        }
        Ok(())
    }

    /// One instance of `cur` is done.
    #[inline]
    pub fn done(&mut self, cur: Cursor) {
        self.settled |= self.set.settled(cur);
    }

    /// One instance of a cursor whose [`Facts`] are `facts` is done: [`done`](Self::done)
    /// without the look-up.
    #[inline(always)]
    pub fn done_with(&mut self, facts: &Facts) {
        self.settled |= facts.settled;
    }

    /// Whether every path is settled (only `Skim` acts on it).
    #[inline]
    pub fn all_settled(&self) -> bool {
        self.set.settles() && self.settled & self.all == self.all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(p: &str) -> Result<Vec<(String, bool, Option<Select>)>, usize> {
        parse(p)
            .map(|v| {
                assert_eq!(v.lead, None, "{p:?}");
                v.steps
                    .into_iter()
                    .map(|s| (String::from_utf8(s.name).unwrap(), s.attr, s.select))
                    .collect()
            })
            .map_err(|f| f.at())
    }

    /// The leading selector and the names of a path.
    fn lead(p: &str) -> Result<(Option<Select>, Vec<String>), usize> {
        parse(p)
            .map(|v| {
                let names = v.steps.into_iter();
                let names = names.map(|s| String::from_utf8(s.name).unwrap());
                (v.lead, names.collect())
            })
            .map_err(|f| f.at())
    }

    #[test]
    fn child_in_finds_names_wherever_they_sit_in_the_input() {
        let names = [
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnopq",
        ];
        let set = PathSet::compile(names).unwrap();
        let root = set.root();
        for name in names {
            for (before, after) in [
                ("", ""),
                ("<", ">rest of the input"),
                ("\"", "\""),
                ("xx", ""),
            ] {
                let input = alloc::format!("{before}{name}{after}");
                let (a, b) = (before.len(), before.len() + name.len());
                let child = set.child_in(root, input.as_bytes(), a, b);
                assert!(child.is_some(), "{input:?}");
                // A name one byte shorter or longer is another name.
                assert_ne!(
                    set.child_in(root, input.as_bytes(), a, b - 1),
                    child,
                    "{input:?}"
                );
                if !after.is_empty() {
                    assert_ne!(
                        set.child_in(root, input.as_bytes(), a, b + 1),
                        child,
                        "{input:?}"
                    );
                }
            }
        }
        assert_eq!(set.child_in(root, b"abcdefgX", 0, 8), None);
        assert_eq!(set.child_in(root, b"abcdefghiX", 0, 10), None);
        // A name that differs from a path's in one byte after the first
        // eight (compared as a second word up to sixteen, then as bytes).
        for at in 8..17 {
            let mut other = *b"abcdefghijklmnopq";
            other[at] = b'X';
            assert_eq!(set.child_in(root, &other, 0, 17), None, "byte {at}");
        }
        assert!(set.child_in(root, b"abcdefghijklmnopq", 0, 17).is_some());
    }

    #[test]
    fn tail_is_the_head_of_bytes_eight_on() {
        let name = b"abcdefghijklmnopqrs\xFF\x00";
        for a in 0..name.len() {
            for b in a..=name.len() {
                let n = &name[a..b];
                let want = if n.len() <= 8 { 0 } else { head(&n[8..]) };
                assert_eq!(tail(n), want, "{n:?}");
            }
        }
    }

    #[test]
    fn head_is_the_first_eight_bytes_zero_padded() {
        let name = b"abcdefghij\xFF\x00";
        for a in 0..name.len() {
            for b in a..=name.len() {
                let n = &name[a..b];
                let mut w = [0u8; 8];
                for (d, &c) in w.iter_mut().zip(n) {
                    *d = c;
                }
                assert_eq!(head(n), u64::from_le_bytes(w), "{n:?}");
            }
        }
    }

    #[test]
    fn grammar() {
        use Select::*;
        let s = |n: &str, sel| (String::from(n), false, sel);
        assert_eq!(steps("EventName"), Ok(alloc::vec![s("EventName", None)]));
        assert_eq!(
            steps("JobsDetail.#.Input.CosHeaders.3.Key"),
            Ok(alloc::vec![
                s("JobsDetail", Some(All)),
                s("Input", None),
                s("CosHeaders", Some(Index(3))),
                s("Key", None)
            ])
        );
        assert_eq!(
            steps(r"a\.b.\#.\1\@x.@id"),
            Ok(alloc::vec![
                s("a.b", None),
                s("#", None),
                s("1@x", None),
                (String::from("id"), true, None)
            ])
        );
        assert_eq!(
            steps("@id"),
            Ok(alloc::vec![(String::from("id"), true, None)])
        );
        // Errors point into the path text.
        assert_eq!(steps(""), Err(0));
        assert_eq!(steps("a..b"), Err(2));
        assert_eq!(steps("a."), Err(2));
        assert_eq!(steps(".a"), Err(0));
        assert_eq!(steps("a.#.#"), Err(4));
        assert_eq!(steps("a.1.2"), Err(4));
        assert_eq!(steps("a.@x.b"), Err(5));
        assert_eq!(steps("a.@"), Err(2));
        assert_eq!(steps(r"a\x"), Err(1));
        assert_eq!(steps(r"a\"), Err(1));
        assert_eq!(steps("a.99999999999"), Err(2));
    }

    #[test]
    fn leading_selectors_pick_items_of_a_top_level_array() {
        use Select::*;
        let names = |n: &[&str]| n.iter().map(|s| String::from(*s)).collect::<Vec<_>>();
        assert_eq!(lead("#"), Ok((Some(All), names(&[]))));
        assert_eq!(lead("12"), Ok((Some(Index(12)), names(&[]))));
        assert_eq!(lead("#.a.b"), Ok((Some(All), names(&["a", "b"]))));
        assert_eq!(lead("0.a.#.b"), Ok((Some(Index(0)), names(&["a", "b"]))));
        assert_eq!(lead("a"), Ok((None, names(&["a"]))));
        // An escaped `#` or digit is a name.
        assert_eq!(lead(r"\#.a"), Ok((None, names(&["#", "a"]))));
        assert_eq!(lead(r"\1"), Ok((None, names(&["1"]))));
        // One leading selector, then a name.
        assert_eq!(lead("#.#"), Err(2));
        assert_eq!(lead("0.1"), Err(2));
        assert_eq!(lead("#."), Err(2));
        assert_eq!(lead("99999999999.a"), Err(0));
        // No attribute after a leading selector: it could never match.
        assert_eq!(lead("#.@id"), Err(2));
        assert_eq!(lead("1.a.@id"), Err(4));
        let set = PathSet::compile(["#.a", "1", "a", "0.b"]).unwrap();
        assert!(set.is_multi(0) && !set.is_multi(1) && !set.is_multi(2) && !set.is_multi(3));
    }

    #[test]
    fn limits() {
        let many: Vec<String> = (0..=MAX_PATHS).map(|i| alloc::format!("p{i}")).collect();
        let e = PathSet::compile(&many).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PathLimit);
        assert!(PathSet::compile(&many[..MAX_PATHS]).is_ok());
        let deep: Vec<&str> = alloc::vec!["a"; MAX_STEPS + 1];
        assert_eq!(
            PathSet::compile([deep.join(".")]).unwrap_err().kind(),
            ErrorKind::PathLimit
        );
        assert!(PathSet::compile([deep[..MAX_STEPS].join(".")]).is_ok());
    }

    /// `LeanNode::find` (each kid's name compared where a name stands, its
    /// end not searched for) agrees with the reading it shortens: the name
    /// up to the first whitespace, `/` or `>` (as `xml::skim::start_tag`
    /// reads it), then `lean_child`. Kids of 1 to 20 bytes with first bytes
    /// of their own, shared, or alike in their low six bits, names that
    /// are prefixes of others; each name whole, cut by a byte, grown by a
    /// byte and with its last byte changed, before each kind of byte, cut
    /// short at every length. `Err` only where it may be.
    #[test]
    fn lean_find_reads_as_name_end_then_lean_child() {
        let long: String = (0..20).map(|j| char::from(b'a' + j)).collect();
        let sets: [Vec<String>; 3] = [
            (1..=20)
                .map(|n| alloc::format!("{}{}", char::from(b'A' + n as u8), &long[..n - 1]))
                .collect(),
            (1..=20).map(|n| String::from(&long[..n])).collect(),
            ["a", "!b", "ab", "!", "q", "Q", "qz", "~"]
                .map(String::from)
                .to_vec(),
        ];
        let (mut found, mut checked) = (0, 0);
        for names in &sets {
            let set = PathSet::compile(names.iter().map(|n| alloc::format!("r.{n}"))).unwrap();
            assert!(set.lean_xml, "{names:?}");
            let r = set.lean_child(set.root(), b"r", 0, 1).unwrap().0;
            let kids = set.lean_node(r).unwrap();
            for name in names.iter().map(|n| n.as_bytes().to_vec()) {
                let mut grown = name.clone();
                grown.push(b'q');
                let mut changed = name.clone();
                if let Some(b) = changed.last_mut() {
                    *b ^= 1;
                }
                let cut = &name[..name.len() - 1];
                for cand in [&name[..], cut, &grown[..], &changed[..]] {
                    for end in [
                        &b">"[..],
                        b"/>",
                        b" a='1'>",
                        b"\t>",
                        b"\n",
                        b"x>",
                        b"=",
                        b"\x7f",
                        b"<",
                    ] {
                        for pad in 0..3 {
                            let mut doc = alloc::vec![b' '; pad];
                            doc.push(b'<');
                            let a = doc.len();
                            doc.extend_from_slice(cand);
                            doc.extend_from_slice(end);
                            doc.extend_from_slice(b"text</x></r>");
                            for len in a..=doc.len() {
                                let v = &doc[..len];
                                let stop = v[a..].iter().position(|&b| ends_name(b)).map(|p| a + p);
                                let want =
                                    stop.and_then(|e| set.lean_child(r, v, a, e).map(|k| (k, e)));
                                match kids.find(v, a) {
                                    Ok(got) => {
                                        let got = got.map(|(lk, e)| (lk.get(), e));
                                        let same = match (got, want) {
                                            (Some(((c, f), e)), Some(((wc, wf), we))) => {
                                                c == wc
                                                    && e == we
                                                    && (f.ends, f.settled, f.descends, f.has_attr)
                                                        == (
                                                            wf.ends,
                                                            wf.settled,
                                                            wf.descends,
                                                            wf.has_attr,
                                                        )
                                            }
                                            (None, None) => true,
                                            _ => false,
                                        };
                                        assert!(same, "{:?} at {a}", String::from_utf8_lossy(v));
                                        found += usize::from(got.is_some());
                                    }
                                    Err(()) => assert!(
                                        len - a < 16
                                            || names.iter().any(|n| n.len() > 16
                                                && v[a..].starts_with(&n.as_bytes()[..16])),
                                        "{:?} at {a}",
                                        String::from_utf8_lossy(v)
                                    ),
                                }
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 20_000 && found > 1_000, "{checked} {found}");
    }
}
