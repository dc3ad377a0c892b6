//! Field tables: where the values of one item (job, task, workflow, header)
//! are, as the path engine found them, in a fixed array inside the view.

use crate::path::schema::Schema;
use crate::path::{Hit, Kind, OfTrie, Sink};
use crate::text::{Escape, Text};

/// A value's place in the document, and its kind and escape ([`Span::code`]).
/// All zeros when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
    /// `0`: absent; else the kind (`1..=6`: [`KINDS`], `1` for JSON
    /// `null`, so that a value with text has bit 1 or 2 set) and bit 3
    /// when the value holds escapes. A value's escape is the one of its kind: the
    /// engines give XML text (`XmlContent`) and JSON strings (`Json`)
    /// escapes, and read no attribute for a schema (`Trie::has_attr` of a
    /// `Schema` is false), whose `XmlAttr` would not round-trip. Four bits,
    /// so that a [`Table`] is 256 bytes.
    code: u8,
}

/// The kinds by [`Span::code`] less one: `null` first, so that the values
/// with text are those whose code is 2 or more (one test; callgrind).
const KINDS: [Kind; 6] = [
    Kind::Null,
    Kind::Text,
    Kind::String,
    Kind::Number,
    Kind::Bool,
    Kind::Container,
];

/// The escape of each [`Span::code`].
#[allow(clippy::indexing_slicing)] // A constant: an index out of range fails the build.
const ESCAPES: [Escape; 16] = {
    let mut e = [Escape::None; 16];
    let mut c = 1 | 8;
    while c < 16 {
        e[c] = match c & 7 {
            3 => Escape::Json,
            _ => Escape::XmlContent,
        };
        c += 1;
    }
    e
};

/// Inputs are at most `u32::MAX` bytes ([`Limits::with_max_input`](crate::Limits::with_max_input)).
pub(crate) fn narrow(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The low bits of the [`Span::code`] of `kind`: its place in [`KINDS`]
/// plus one.
#[inline(always)]
const fn code(kind: Kind) -> u8 {
    match kind {
        Kind::Null => 1,
        Kind::Text => 2,
        Kind::String => 3,
        Kind::Number => 4,
        Kind::Bool => 5,
        Kind::Container => 6,
    }
}

impl Span {
    pub const ABSENT: Span = Span {
        start: 0,
        end: 0,
        code: 0,
    };

    /// The span of a value the engine found in a slice at document offset `base`.
    #[inline]
    pub fn of(hit: &Hit<'_>, base: usize) -> Span {
        let text = hit.text();
        Span::new(
            base + hit.offset(),
            text.raw().len(),
            hit.kind(),
            text.escape(),
        )
    }

    /// The span of a value of `kind` and `len` bytes at document offset
    /// `start`, escaped as `escape`.
    #[inline(always)]
    pub fn new(start: usize, len: usize, kind: Kind, escape: Escape) -> Span {
        debug_assert_ne!(escape, Escape::XmlAttr, "no attribute in a table");
        let escaped = escape != Escape::None;
        // Offsets in a document, which is at most `u32::MAX` bytes (the
        // engines refuse a longer one): `as` cuts nothing (and costs no
        // compare, as `narrow` does, for every value found).
        #[allow(clippy::cast_possible_truncation)]
        let (start, end) = (start as u32, (start + len) as u32);
        Span {
            start,
            end,
            code: code(kind) | u8::from(escaped) << 3,
        }
    }

    pub fn range(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }

    /// The value's kind; `None` when absent.
    #[inline]
    pub fn kind(&self) -> Option<Kind> {
        KINDS
            .get(usize::from(self.code & 7).wrapping_sub(1))
            .copied()
    }

    #[inline]
    fn escape(&self) -> Escape {
        ESCAPES
            .get(usize::from(self.code))
            .copied()
            .unwrap_or(Escape::None)
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
        // Neither absent (0) nor `null` (1); escapes are bit 3.
        match self.code & 6 {
            0 => None,
            _ => self.raw_text(input, item),
        }
    }

    /// [`text`](Span::text) of a value whose raw bytes are `raw`, kept as
    /// checked UTF-8 by the pass that found it: no cut, no check.
    #[inline]
    pub fn text_of<'buf>(&self, raw: &'buf str) -> Option<Text<'buf>> {
        match self.code & 6 {
            0 => None,
            _ => Some(Text::new(raw, self.escape())),
        }
    }

    #[inline]
    fn raw_text<'buf>(
        &self,
        input: &'buf [u8],
        item: Option<(&'buf str, u32)>,
    ) -> Option<Text<'buf>> {
        let cut = item.and_then(|(s, at)| {
            cut(
                s,
                self.start.wrapping_sub(at) as usize,
                self.end.wrapping_sub(at) as usize,
            )
        });
        let raw = match cut {
            Some(raw) => raw,
            None => {
                let (a, b) = self.range();
                crate::simd::utf8(input.get(a..b)?).ok()?
            }
        };
        Some(Text::new(raw, self.escape()))
    }

    /// The value as the path layer reports it: `None` only when absent.
    pub fn hit<'buf>(
        &self,
        input: &'buf [u8],
        item: Option<(&'buf str, u32)>,
    ) -> Option<Hit<'buf>> {
        let kind = self.kind()?;
        Some(Hit::new(
            0,
            kind,
            self.start as usize,
            self.raw_text(input, item)?,
        ))
    }
}

/// `s[a..b]` when `b` is inside `s` (before its end) and both ends start a
/// character; else `None` (the caller then checks the value on its own).
/// The values of an item end before the item does, so the end is inside.
/// `str::get` alone also takes `0` and `s.len()` as ends, tested first:
/// with the two ends tested here, the compiler drops its tests (callgrind:
/// 7 instructions less a value).
#[inline(always)]
fn cut(s: &str, a: usize, b: usize) -> Option<&str> {
    let bytes = s.as_bytes();
    if a > b {
        return None;
    }
    let (&x, &y) = (bytes.get(b)?, bytes.get(a)?);
    // A UTF-8 continuation byte is `0b10xx_xxxx`, below -64 as `i8`.
    #[allow(clippy::cast_possible_wrap)]
    let starts = |c: u8| c as i8 >= -0x40;
    match starts(x) && starts(y) {
        true => s.get(a..b),
        false => None,
    }
}

/// How many spans a [`Table`] holds (the job schema needs 30).
pub(crate) const SLOTS: usize = 30;

/// The spans of one item's known fields, by slot: each value's place, and
/// its [`Span::code`] in four bits (`0`: absent). 256 bytes, not
/// 30 [`Span`]s' 360: the views copy their table whole (into the iterator,
/// into each item given), and glibc's `memcpy` copies up to 256 bytes with
/// no loop (callgrind: 64 instructions a copy of 360 bytes, 29 of 256).
/// All zeros when empty, so it is cleared by `memset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Table {
    /// `start..end` of each slot's value.
    ranges: [[u32; 2]; SLOTS],
    /// Slot `s`'s [`Span::code`]: bits `4 * (s % 16)..` of word `s / 16`.
    codes: [u64; 2],
}

impl Table {
    pub const EMPTY: Table = Table {
        ranges: [[0; 2]; SLOTS],
        codes: [0; 2],
    };

    #[inline]
    pub fn get(&self, slot: usize) -> Span {
        match (self.ranges.get(slot), self.codes.get(slot / 16)) {
            (Some(&[start, end]), Some(&codes)) => Span {
                start,
                end,
                code: (codes >> (4 * (slot % 16)) & 15) as u8,
            },
            _ => Span::ABSENT,
        }
    }

    /// Writes `span` at `slot` (nothing past [`SLOTS`]), which is absent:
    /// a table starts [`EMPTY`](Table::EMPTY) and a schema gives each slot
    /// one value at most (the first item of each name).
    #[inline]
    pub fn set(&mut self, slot: usize, span: Span) {
        if let (Some(range), Some(codes)) =
            (self.ranges.get_mut(slot), self.codes.get_mut(slot / 16))
        {
            let shift = 4 * (slot % 16);
            debug_assert_eq!(*codes >> shift & 15, 0, "slot {slot} written twice");
            *range = [span.start, span.end];
            *codes |= u64::from(span.code) << shift;
        }
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
        self.table.set(hit.path(), Span::of(&hit, self.base));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cut of an item's text is `str::get`'s wherever it is taken, and
    /// it is taken for every value inside the item (that ends before it):
    /// one-, two-, three- and four-byte characters at every place, every
    /// pair of ends, past the end too.
    #[test]
    fn cuts_are_those_of_str_get() {
        let mut texts = alloc::vec::Vec::new();
        for n in 0..20 {
            for c in ["a", "é", "中", "😀"] {
                let mut t = alloc::string::String::from("<J>");
                t.extend(core::iter::repeat_n('x', n));
                t.push_str(c);
                t.push_str("y</J>");
                texts.push(t);
            }
        }
        for s in &texts {
            for a in 0..s.len() + 3 {
                for b in 0..s.len() + 3 {
                    let got = cut(s, a, b);
                    let want = s.get(a..b);
                    if got.is_some() || b < s.len() {
                        assert_eq!(got, want, "{s} {a} {b}");
                    } else {
                        assert_eq!(got, None, "{s} {a} {b}");
                    }
                }
            }
        }
    }

    /// Every kind and escape the engines give a schema's values comes
    /// back from a table, at every slot, and an empty table (all zeros) has
    /// no value.
    #[test]
    fn spans_round_trip_through_a_table() {
        let given = [
            (Kind::Text, Escape::None),
            (Kind::Text, Escape::XmlContent),
            (Kind::String, Escape::None),
            (Kind::String, Escape::Json),
            (Kind::Number, Escape::None),
            (Kind::Bool, Escape::None),
            (Kind::Null, Escape::None),
            (Kind::Container, Escape::None),
        ];
        let input = "0123456789";
        for (kind, escape) in given {
            for slot in 0..SLOTS {
                let mut table = Table::EMPTY;
                let (a, b) = (slot % 4, 4 + slot % 5);
                let hit = Hit::new(slot, kind, a, Text::new(&input[a..b], escape));
                let span = Span::of(&hit, 1);
                assert_eq!(
                    (span.kind(), span.escape(), span.range()),
                    (Some(kind), escape, (a + 1, b + 1))
                );
                table.set(slot, span);
                for other in 0..SLOTS + 2 {
                    let want = if other == slot { span } else { Span::ABSENT };
                    assert_eq!(table.get(other), want, "{kind:?} {escape:?} {slot} {other}");
                }
                let text = table.get(slot).text(b"-0123456789");
                let want = (kind != Kind::Null).then(|| Text::new(&input[a..b], escape));
                assert_eq!(
                    text.map(|t| (t.raw(), t.escape())),
                    want.map(|t| (t.raw(), t.escape()))
                );
            }
        }
        assert_eq!(Table::EMPTY.get(0), Span::ABSENT);
        assert_eq!(Span::ABSENT.kind(), None);
        assert_eq!(Span::ABSENT.text(b"x"), None);
        assert_eq!(core::mem::size_of::<Table>(), 256);
    }
}
