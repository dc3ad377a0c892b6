//! What a [`PathSet`](super::PathSet) extraction gives: [`Hit`] values,
//! the [`Found`] view over the caller's slots, the names a path is looked
//! up by ([`PathIndex`]: an index or a [`PathId`]), and the sinks the
//! engines write into.

#[cfg(doc)]
use super::PathSet;
use super::MAX_PATHS;
use crate::text::{Escape, Kind, Text};
use crate::Format;

/// One value found by one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'buf> {
    path: u16,
    kind: Kind,
    offset: usize,
    text: Text<'buf>,
}

impl<'buf> Hit<'buf> {
    /// An unused slot, to initialise the caller's slot array.
    pub const EMPTY: Self = Hit {
        path: u16::MAX,
        kind: Kind::Null,
        offset: 0,
        text: Text::EMPTY,
    };

    pub(crate) fn new(path: usize, kind: Kind, offset: usize, text: Text<'buf>) -> Self {
        Hit {
            path: u16::try_from(path).unwrap_or(u16::MAX),
            kind,
            offset,
            text,
        }
    }

    /// The index of the path (in the order given to [`PathSet::compile`]).
    pub fn path(&self) -> usize {
        usize::from(self.path)
    }

    /// The shape of the value.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Byte offset of the value's raw text in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The value: raw slice of the input plus how to decode it.
    pub fn text(&self) -> Text<'buf> {
        self.text
    }
}

/// The values [`PathSet::extract`] found, borrowed from the caller's slots.
#[derive(Debug, Clone, Copy)]
pub struct Found<'buf, 'out> {
    pub(super) hits: &'out [Hit<'buf>],
    pub(super) format: Format,
}

impl<'buf, 'out> Found<'buf, 'out> {
    pub(crate) fn new(hits: &'out [Hit<'buf>], format: Format) -> Self {
        Found { hits, format }
    }

    /// The format the document was read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Every value, grouped by nothing: per path in document order.
    pub fn hits(&self) -> &'out [Hit<'buf>] {
        self.hits
    }

    /// The first value of a path, or `None` when it is absent. The path is
    /// named by its index (a `usize`) or by the [`PathId`](crate::PathId)
    /// [`PathSet::builder`] returned for it.
    pub fn first(&self, path: impl PathIndex) -> Option<&'out Hit<'buf>> {
        let path = path.index();
        self.hits.iter().find(|h| h.path() == path)
    }

    /// Every value of a path (named as for [`first`](Found::first)), in
    /// document order.
    ///
    /// The lists of two paths are not aligned item by item: when one job
    /// lacks a field, pairing `JobsDetail.#.JobId` with
    /// `JobsDetail.#.Operation.Output.Object` by position gives a job another
    /// job's value. Read several fields per item with a
    /// [`RecordSet`](crate::RecordSet).
    pub fn all(&self, path: impl PathIndex) -> impl Iterator<Item = &'out Hit<'buf>> + 'out {
        let path = path.index();
        self.hits.iter().filter(move |h| h.path() == path)
    }
}

/// A handle on one path of a [`PathSet`] (or one field of a
/// [`RecordSet`](crate::RecordSet)): what [`PathSetBuilder::add`](crate::PathSetBuilder::add) returns.
///
/// It is the path's index in its set, typed, so that it is passed where an
/// index is wanted ([`Found::first`](crate::Found::first),
/// [`Record::first`](crate::Record::first), …) and cannot be mistaken for
/// another number. A handle only means something for the set it came from.
///
/// # Examples
/// ```
/// use wanxiang::{Hit, PathSet};
/// let mut paths = PathSet::builder();
/// let state = paths.add("JobsDetail.State")?;
/// let event = paths.add("EventName")?;
/// let paths = paths.build()?;
/// let mut slots = [Hit::EMPTY; 4];
/// let found = paths.extract(br#"{"EventName": "TaskFinish", "JobsDetail": {"State": "Success"}}"#, &mut slots)?;
/// assert!(found.first(event).unwrap().text() == "TaskFinish");
/// assert!(found.first(state).unwrap().text() == "Success");
/// assert_eq!(state.index(), 0);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(u16);

impl PathId {
    /// A handle from an index below [`MAX_PATHS`].
    pub(crate) fn new(index: usize) -> Option<PathId> {
        if index < MAX_PATHS {
            u16::try_from(index).ok().map(PathId)
        } else {
            None
        }
    }

    /// The path's index in its set (the order it was added in).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl From<PathId> for usize {
    fn from(id: PathId) -> usize {
        id.index()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for super::PathId {}
}

/// How a path (or a record field) is named when its values are looked up:
/// by its index (`usize`, the order given at compile time) or by its
/// [`PathId`]. Sealed: only those two.
pub trait PathIndex: sealed::Sealed + Copy {
    /// The index in the set.
    fn index(self) -> usize;
}

impl PathIndex for usize {
    #[inline]
    fn index(self) -> usize {
        self
    }
}

impl PathIndex for PathId {
    #[inline]
    fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// The kind of trie a sink is fed from (a [`Sink`] for a [`PathSet`] gets
/// path indexes; one for a typed-view schema gets its table slots).
pub(crate) trait OfTrie {
    type Trie: super::Trie + ?Sized;
}

/// Where the engines put what they find.
pub(crate) trait Sink<'buf>: OfTrie {
    /// Takes one value; `false` when there is no room.
    fn hit(&mut self, hit: Hit<'buf>) -> bool;

    /// [`hit`](Sink::hit) with the value in parts, as the engines have it
    /// (the text as its raw bytes and escape). A sink called out of line
    /// takes them in registers, where a `Hit` is built in memory first.
    #[inline(always)]
    fn value(
        &mut self,
        path: usize,
        kind: Kind,
        offset: usize,
        raw: &'buf str,
        escape: Escape,
    ) -> bool {
        self.hit(Hit::new(path, kind, offset, Text::new(raw, escape)))
    }
}

/// The caller's slots. When they are full it goes on counting (and drops the
/// values), so a [`Capacity`](crate::ErrorKind::Capacity) error can say how many
/// slots the document needs, and a document error later on still wins.
pub(super) struct Slots<'a, 'buf> {
    pub(super) slots: &'a mut [Hit<'buf>],
    pub(super) len: usize,
}

impl OfTrie for Slots<'_, '_> {
    type Trie = super::PathSet;
}

impl<'buf> Sink<'buf> for Slots<'_, 'buf> {
    #[inline]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        if let Some(slot) = self.slots.get_mut(self.len) {
            *slot = hit;
        }
        self.len = self.len.saturating_add(1);
        true
    }
}

/// Hands every value to a closure.
pub(super) struct Visit<F>(pub(super) F);

impl<F> OfTrie for Visit<F> {
    type Trie = super::PathSet;
}

impl<'buf, F: FnMut(Hit<'buf>)> Sink<'buf> for Visit<F> {
    #[inline]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        (self.0)(hit);
        true
    }
}
