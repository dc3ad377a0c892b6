//! Field tables: where the values of one item (job, task, workflow, header)
//! are, as the path engine found them, in a fixed array inside the view.

use crate::path::schema::Schema;
use crate::path::{Hit, Kind, OfTrie, Sink};
use crate::text::{Escape, Text};

/// A value's place in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
    /// `None`: absent.
    pub kind: Option<Kind>,
    pub escape: Escape,
}

/// Inputs are at most `u32::MAX` bytes ([`Limits::with_max_input`](crate::Limits::with_max_input)).
pub(crate) fn narrow(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Span {
    pub const ABSENT: Span = Span {
        start: 0,
        end: 0,
        kind: None,
        escape: Escape::None,
    };

    /// The span of a value the engine found in a slice at document offset `base`.
    #[inline]
    pub fn of(hit: &Hit<'_>, base: usize) -> Span {
        let start = base + hit.offset();
        Span {
            start: narrow(start),
            end: narrow(start + hit.text().raw().len()),
            kind: Some(hit.kind()),
            escape: hit.text().escape(),
        }
    }

    pub fn range(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }

    /// The value as text: `None` when absent or JSON `null`. The slice was
    /// validated with the document, so the UTF-8 check cannot fail.
    pub fn text<'buf>(&self, input: &'buf [u8]) -> Option<Text<'buf>> {
        self.text_in(input, None)
    }

    /// [`text`](Span::text), cut out of `item` when it is given: the text
    /// of the item the value is in, as checked UTF-8, with its offset in
    /// the document (no UTF-8 check of the value, only of its two ends).
    #[inline]
    pub fn text_in<'buf>(
        &self,
        input: &'buf [u8],
        item: Option<(&'buf str, u32)>,
    ) -> Option<Text<'buf>> {
        match self.kind {
            None | Some(Kind::Null) => None,
            Some(_) => self.raw_text(input, item),
        }
    }

    #[inline]
    fn raw_text<'buf>(
        &self,
        input: &'buf [u8],
        item: Option<(&'buf str, u32)>,
    ) -> Option<Text<'buf>> {
        let cut = item.and_then(|(s, at)| {
            s.get(self.start.wrapping_sub(at) as usize..self.end.wrapping_sub(at) as usize)
        });
        let raw = match cut {
            Some(raw) => raw,
            None => {
                let (a, b) = self.range();
                crate::simd::utf8(input.get(a..b)?).ok()?
            }
        };
        Some(Text::new(raw, self.escape))
    }

    /// The value as the path layer reports it: `None` only when absent.
    pub fn hit<'buf>(
        &self,
        input: &'buf [u8],
        item: Option<(&'buf str, u32)>,
    ) -> Option<Hit<'buf>> {
        let kind = self.kind?;
        Some(Hit::new(
            0,
            kind,
            self.start as usize,
            self.raw_text(input, item)?,
        ))
    }
}

/// How many spans a [`Table`] holds (the job schema needs 30).
pub(crate) const SLOTS: usize = 30;

/// The spans of one item's known fields, by slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Table(pub [Span; SLOTS]);

impl Table {
    pub const EMPTY: Table = Table([Span::ABSENT; SLOTS]);

    pub fn get(&self, slot: usize) -> Span {
        self.0.get(slot).copied().unwrap_or(Span::ABSENT)
    }
}

/// The sink that fills a [`Table`]: the engine's hit for slot `k` (a schema
/// slot is a "path index") is the value of field `k`, found in a slice at
/// document offset `base`. A schema reads the first item of each name, so
/// each slot gets at most one value.
pub(crate) struct Fill<'t> {
    pub table: &'t mut Table,
    pub base: usize,
}

impl OfTrie for Fill<'_> {
    type Trie = Schema;
}

impl<'buf> Sink<'buf> for Fill<'_> {
    #[inline]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        if let Some(s) = self.table.0.get_mut(hit.path()) {
            *s = Span::of(&hit, self.base);
        }
        true
    }
}
