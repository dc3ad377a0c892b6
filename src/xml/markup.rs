//! Markup: start and end tags with their attributes, comments, processing
//! instructions, CDATA sections, the `<?xml …?>` declaration, and the
//! refusal of `<!DOCTYPE`.

use super::lex::{
    check_other, ends_name, find_byte, name_rest, non_name_bits, reference, same_at, scan_name,
};
use super::reader::{next_attr, Reader, State, Step, LONG_NAME};
use crate::scan::{self, fail, is_ws, unexpected, Fail, PResult};
use crate::simd::V16;
use crate::ErrorKind;

/// What follows a start tag's name or one of its attributes.
enum After {
    /// The tag ends before this offset; `true` for an empty-element tag.
    End(usize, bool),
    /// An attribute name starts here.
    Attribute(usize),
}

/// Reads from `k` (after the name or an attribute of the start tag opened at
/// `tag`) to the tag's end or the next attribute.
#[inline(always)]
fn tag_end(input: &[u8], tag: usize, mut k: usize) -> PResult<After> {
    loop {
        match input.get(k) {
            Some(b'>') => return Ok(After::End(k + 1, false)),
            Some(b'/') => {
                return match input.get(k + 1) {
                    Some(b'>') => Ok(After::End(k + 2, true)),
                    None => fail(ErrorKind::UnclosedTag, tag),
                    Some(_) => fail(ErrorKind::UnexpectedByte { expected: "`>`" }, k + 1),
                }
            }
            Some(&b) if is_ws(b) => {
                k = skip_sep(input, k);
                match input.get(k) {
                    Some(b'>' | b'/') => continue,
                    None => return fail(ErrorKind::UnclosedTag, tag),
                    Some(_) => return Ok(After::Attribute(k)),
                }
            }
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => return unexpected("whitespace, `>` or `/>`", k),
        }
    }
}

/// The first byte at or after `k` that is not whitespace, when `input[k]`
/// is whitespace. Tests the next byte first: most separators between
/// attributes are one space, where that saves the 16-byte search.
#[inline(always)]
pub(super) fn skip_sep(input: &[u8], k: usize) -> usize {
    match input.get(k + 1) {
        Some(&c) if c > b' ' => k + 1,
        _ => scan::skip_ws(input, k + 1),
    }
}

/// The 16 bytes at `k` and the lane of the first byte in them that is not an
/// ASCII name character (32 when there is none), for [`name_block`] and
/// [`start_name`]. `None` without 16 bytes, or when the byte at `k` is not an
/// ASCII name start.
#[inline(always)]
fn block_at_name(input: &[u8], k: usize) -> Option<(V16, u32)> {
    let chunk = scan::block_at(input, k)?;
    let first = chunk[0];
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b':') {
        return None;
    }
    let v = V16::load(chunk);
    Some((v, non_name_bits(v).trailing_zeros()))
}

/// The block of 16 bytes at `k` and the lane where the name that starts at
/// `k` ends, when that name is ASCII and ends in the block at an ASCII byte:
/// then [`scan_name`] would return `k` plus the lane, which is found here
/// from the block's masks, with no load at the name's end. `None` for
/// anything else (no name, a longer name, a byte from `0x80` up), which
/// [`scan_name`] reads. (Element names: [`start_name`].)
#[inline(always)]
fn name_block(input: &[u8], k: usize) -> Option<(V16, u32)> {
    let (v, e) = block_at_name(input, k)?;
    // `e` is 32 when the name fills the block; a byte from 0x80 up that
    // stops it may be a name character.
    if e >= 16 || (!v.lt(0x80).bits() >> e) & 1 != 0 {
        return None;
    }
    Some((v, e))
}

/// The characters of the attribute value whose opening quote `quote` is at
/// `j`, checked: no `<`, references well formed, no character XML forbids.
/// Returns the offset of the closing quote. The general loop over an
/// attribute value (`attribute_block` is the shortcut for a short plain
/// one): the reader takes every value it cannot shortcut through it, and
/// `Skim` checks the values it returns with it.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
pub(crate) fn attribute_chars(input: &[u8], j: usize, quote: u8) -> PResult<usize> {
    let mut v = j + 1;
    loop {
        v = scan::find_class(
            input,
            v,
            |x: V16| x.eq(quote) | x.eq(b'<') | x.eq(b'&') | x.lt(0x20) | x.eq(0xEF),
            |b| b == quote || b == b'<' || b == b'&' || b < 0x20 || b == 0xEF,
        );
        match input.get(v) {
            None => return fail(ErrorKind::UnclosedAttribute, j),
            Some(&b) if b == quote => return Ok(v),
            Some(b'<') => return fail(ErrorKind::LtInAttribute, v),
            Some(b'&') => {
                v = reference(input, v).map_err(|f| match f.kind() {
                    ErrorKind::UnexpectedEof => Fail::new(ErrorKind::UnclosedAttribute, j),
                    _ => f,
                })?
            }
            Some(&b) => {
                check_other(input, v, b)?;
                v += 1;
            }
        }
    }
}

/// The common attribute, checked from the 16 bytes at `k` alone: an ASCII
/// name, `=` right after it, a quote right after that, and a value of ASCII
/// bytes and characters from `0x80` up (no `<`, reference, byte below
/// `0x20` or `EF`) that closes in the block, followed by whitespace, `>` or
/// `/`. Returns the name's end and the offset after the closing quote; that
/// offset is 0 when only the name ends in the block (an ASCII name followed
/// by an ASCII byte), and the general path reads the rest from the name's
/// end. `None` for anything else, which the general path reads (and
/// reports) as before: nothing this accepts is an error there.
///
/// The lanes come from one load and its masks, so finding the `=`, the
/// quotes and the value's end waits on no load at an offset just computed.
#[inline(always)]
fn attribute_block(input: &[u8], k: usize) -> Option<(usize, usize)> {
    let (v, e) = name_block(input, k)?;
    let name_end = k + e as usize;
    if e >= 15 || (v.eq(b'=').bits() >> e) & 1 == 0 {
        return Some((name_end, 0));
    }
    let q = e + 1;
    let double = v.eq(b'"').bits();
    let quotes = if (double >> q) & 1 != 0 {
        double
    } else {
        let single = v.eq(b'\'').bits();
        if (single >> q) & 1 == 0 {
            return Some((name_end, 0));
        }
        single
    };
    // The opening quote is the lowest bit of `quotes` (the name and the `=`
    // hold none, nor any stop): clearing the bits up to it leaves the stops
    // of the value, without waiting for `q`.
    let stops = (v.eq(b'<') | v.eq(b'&') | v.lt(0x20) | v.eq(0xEF)).bits() | quotes;
    let rest = stops & !(quotes ^ quotes.wrapping_sub(1));
    let c = rest.trailing_zeros();
    if rest == 0 || (quotes >> c) & 1 == 0 {
        return Some((name_end, 0));
    }
    let after = k + c as usize + 1;
    match input.get(after) {
        Some(&b) if is_ws(b) || b == b'>' || b == b'/' => Some((name_end, after)),
        _ => Some((name_end, 0)),
    }
}

/// What [`start_name`] read of a start tag's name from one block.
enum Name {
    /// The name ends here and the tag's `>` follows (`<name>`).
    Plain(usize),
    /// The name ends here, at an ASCII byte other than `>`.
    Ends(usize),
    /// The name goes on from here (the block is all name, or a byte from
    /// `0x80` up follows): [`name_rest`] reads on.
    From(usize),
}

/// The name of a start tag that starts at `k` (after the `<`), from the 16
/// bytes at `k`: a name that is ASCII and ends in the block at an ASCII
/// byte ends where [`scan_name`] would end it, and the tag is `<name>` (most
/// tags of a callback) when that byte is `>`; both come from the block's
/// masks, with no load at the name's end. Else where [`name_rest`] goes on.
/// `None` without 16 bytes or a first byte that is not an ASCII name start,
/// which [`scan_name`] reads (and reports).
#[inline(always)]
fn start_name(input: &[u8], k: usize) -> Option<Name> {
    // `e` is 32 when the name fills the block (then no bit is at `e`).
    let (v, e) = block_at_name(input, k)?;
    if (u64::from(v.eq(b'>').bits()) >> e) & 1 != 0 {
        return Some(Name::Plain(k + e as usize));
    }
    if e >= 16 {
        return Some(Name::From(k + 16));
    }
    // The top bits of the block's bytes: a byte from `0x80` up stops the
    // ASCII mask but may go on with the name.
    Some(match (v.bits() >> e) & 1 {
        0 => Name::Ends(k + e as usize),
        _ => Name::From(k + e as usize),
    })
}

/// How [`Reader::attribute_run`] stopped.
enum Run {
    /// The tag ends before this offset; `true` for an empty-element tag.
    Done(usize, bool),
    /// The table of names is full; the next attribute starts at the offset,
    /// and this many were read.
    Full(usize, usize),
}

/// Attribute names a start tag keeps on its stack before it moves to the
/// larger table (most real tags have fewer: 2 to 3 in RSS or RPM metadata).
/// The table is zeroed for every tag with attributes: 128 bytes here (256
/// with 16 names cost 4% more instructions on `rpm_primary.xml`, callgrind).
const SEEN_SMALL: usize = 8;

/// Attribute names the middle table holds (16 bytes each, zeroed when a tag
/// has more than [`SEEN_SMALL`] attributes: 512 bytes, enough for the
/// 16 to 31 attributes of most tags of `players.xml`; going straight to
/// [`SEEN_LARGE`] zeroed 4 KiB for each of them, a fifth of its instructions).
const SEEN_MID: usize = 32;

/// Attribute names the largest table holds: the default
/// [`Limits::max_attributes`](crate::Limits::max_attributes), so with the
/// default limits no name is ever re-read.
const SEEN_LARGE: usize = 256;

/// The names of the attributes of one start tag read so far, for the Unique
/// Att Spec check (XML 1.0 §3.1) without re-reading earlier attributes. Each
/// name is kept as its first eight bytes and its length (one compare of each
/// rejects almost every pair) and its offset, for the pairs that agree on
/// both and are longer than eight bytes. A 256-bit filter over a hash of
/// the first word and the length comes first: a name whose bit is clear was
/// not seen, and only a name whose bit is set is compared with the others.
///
/// # Complexity
/// A name whose filter bit is clear costs one test (with 31 names before it,
/// the bit is set for at most 31 of the 256, so at least 7 names in 8 take
/// this path). A name whose bit is set is compared with every name before
/// it: at most `N` word compares, plus a byte compare for names with the
/// same length and first eight bytes. The worst case (every bit set: a
/// tag of more than 256 names, or names made to collide) is `n²/2` word
/// compares for a tag of `n` attributes; with the default limit of 256, at
/// most 32 640 for a tag of at least 1.3 KB. The tables cost `16 × N + 32`
/// bytes of stack: 160 bytes for every tag with attributes, 512 bytes more
/// for a tag with more than 8, 4 KiB more for one with more than 32.
struct Seen<const N: usize> {
    /// One bit per hash of the names read so far (see [`filter_bit`]).
    filter: [u64; 4],
    heads: [u64; N],
    /// Offset and length of each name.
    names: [(u32, u32); N],
    len: usize,
}

/// The word and bit of the [`Seen`] filter for a name with first word `h`
/// (zero-padded) and length `len`: the top eight bits of a multiplicative
/// hash of both.
#[inline(always)]
fn filter_bit(h: u64, len: u32) -> (usize, u64) {
    let x = (h ^ u64::from(len).rotate_right(8)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let top = (x >> 56) as usize;
    (top >> 6, 1u64 << (top & 63))
}

impl<const N: usize> Seen<N> {
    fn new() -> Self {
        Seen {
            filter: [0; 4],
            heads: [0; N],
            names: [(0, 0); N],
            len: 0,
        }
    }

    /// A larger table with the same names.
    fn grow<const M: usize>(&self) -> Seen<M> {
        let mut more = Seen::<M>::new();
        for ((h, n), (mh, mn)) in self
            .heads
            .iter()
            .zip(&self.names)
            .zip(more.heads.iter_mut().zip(more.names.iter_mut()))
            .take(self.len)
        {
            *mh = *h;
            *mn = *n;
        }
        more.filter = self.filter;
        more.len = self.len.min(M);
        more
    }

    fn is_full(&self) -> bool {
        self.len >= N
    }

    /// Whether `input[a..b]` is one of the names; records it when it is not
    /// and there is room.
    #[inline]
    fn check(&mut self, input: &[u8], a: usize, b: usize) -> bool {
        let name = input.get(a..b).unwrap_or(&[]);
        let h = match scan::word_in(input, a) {
            // One load and a mask: no copy of a short name.
            Some(w) if name.len() < 8 => w & ((1u64 << (name.len() * 8)) - 1),
            Some(w) => w,
            None => first_word(name),
        };
        // The input is at most u32::MAX bytes (Limits::max_input).
        let len = u32::try_from(name.len()).unwrap_or(u32::MAX);
        let n = self.len.min(N);
        let (word, bit) = filter_bit(h, len);
        let f = self.filter.get(word).copied().unwrap_or(0);
        if f & bit != 0 && self.compare(input, name, h, len) {
            return true;
        }
        if let Some(f) = self.filter.get_mut(word) {
            *f |= bit;
        }
        if let (Some(hs), Some(ns)) = (self.heads.get_mut(n), self.names.get_mut(n)) {
            *hs = h;
            *ns = (u32::try_from(a).unwrap_or(u32::MAX), len);
            self.len = n + 1;
        }
        false
    }

    /// Whether a name read so far has the first word `h`, the length `len`
    /// and the bytes of `name` (which starts at a higher offset of `input`).
    /// Out of line: only names whose filter bit is set get here.
    #[inline(never)]
    fn compare(&self, input: &[u8], name: &[u8], h: u64, len: u32) -> bool {
        let n = self.len.min(N);
        let heads = self.heads.get(..n).unwrap_or(&[]);
        let names = self.names.get(..n).unwrap_or(&[]);
        for (&hh, &(at, l)) in heads.iter().zip(names) {
            if hh == h && l == len {
                let at = at as usize;
                if name.len() <= 8 || input.get(at + 8..at + name.len()) == name.get(8..) {
                    return true;
                }
            }
        }
        false
    }
}

/// The first eight bytes of `name`, zero-padded, as one word.
#[inline(always)]
fn first_word(name: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (d, &b) in w.iter_mut().zip(name) {
        *d = b;
    }
    u64::from_le_bytes(w)
}

impl<'buf> Reader<'buf> {
    /// Markup at `i` (a `<`): the reader moves past it (a start tag also
    /// sets `name_end`). `CONTENT` when the caller knows the reader is inside
    /// the root element (`State::Content`): the state checks and the state
    /// store of a start tag are then left out.
    #[inline(always)]
    pub(super) fn markup<const CONTENT: bool>(&mut self, i: usize) -> PResult<Step> {
        let input = self.input;
        match input.get(i + 1) {
            Some(b'/') => self.end_tag(i),
            Some(b'!') => {
                let rest = input.get(i..).unwrap_or(&[]);
                if rest.starts_with(b"<!--") {
                    self.pos = comment(input, i)?;
                    Ok(Step::Markup)
                } else if rest.starts_with(b"<![CDATA[") {
                    if !CONTENT && self.state != State::Content {
                        return fail(ErrorKind::TextOutsideRoot, i);
                    }
                    self.pos = cdata(input, i)?;
                    Ok(Step::CData)
                } else if rest.starts_with(b"<!DOCTYPE") {
                    fail(ErrorKind::Doctype, i)
                } else if b"<!DOCTYPE".starts_with(rest)
                    || b"<![CDATA[".starts_with(rest)
                    || b"<!--".starts_with(rest)
                {
                    // The input ends inside the keyword.
                    fail(ErrorKind::UnclosedTag, i)
                } else {
                    fail(ErrorKind::BadMarkup, i)
                }
            }
            Some(b'?') => {
                self.pos = pi(input, i)?;
                Ok(Step::Markup)
            }
            Some(_) => self.start_tag::<CONTENT>(i),
            None => fail(ErrorKind::UnclosedTag, i),
        }
    }

    /// A start or empty-element tag at `i` (`CONTENT`: see [`markup`](Self::markup)).
    #[inline(always)]
    fn start_tag<const CONTENT: bool>(&mut self, i: usize) -> PResult<Step> {
        let input = self.input;
        debug_assert!(!CONTENT || self.state == State::Content);
        if !CONTENT && self.state == State::Epilog {
            return fail(ErrorKind::MultipleRoots, i);
        }
        if self.depth >= self.settings.max_depth {
            return fail(ErrorKind::DepthLimit, i);
        }
        let (name_end, end, empty) = match start_name(input, i + 1) {
            Some(Name::Plain(name_end)) => (name_end, name_end + 1, false),
            found => {
                let name_end = match found {
                    Some(Name::Plain(name_end) | Name::Ends(name_end)) => name_end,
                    Some(Name::From(k)) => name_rest(input, k)?,
                    None => scan_name(input, i + 1)?,
                };
                let (end, empty) = match tag_end(input, i, name_end)? {
                    After::End(end, empty) => (end, empty),
                    After::Attribute(k) => self.attributes(i, name_end, k)?,
                };
                (name_end, end, empty)
            }
        };
        self.pos = end;
        self.name_end = name_end;
        if empty {
            if !CONTENT && self.state == State::Prolog {
                self.state = State::Epilog;
            }
        } else {
            if let (Some(slot), Some(len)) = (
                self.open.get_mut(self.depth),
                self.open_len.get_mut(self.depth),
            ) {
                // The input is at most u32::MAX bytes (Limits::max_input).
                *slot = u32::try_from(i + 1).unwrap_or(u32::MAX);
                *len = u8::try_from(name_end - i - 1).unwrap_or(LONG_NAME);
            }
            self.depth += 1;
            if !CONTENT {
                self.state = State::Content;
            }
        }
        Ok(if empty { Step::Empty } else { Step::Start })
    }

    /// The attributes of the start tag opened at `tag` (its name ends at
    /// `name_end`), the first of which starts at `k`, through the tag's end.
    /// Returns the offset after the tag and whether it is an empty-element tag.
    ///
    /// Out of line: most tags have no attributes, and this one holds the
    /// table of names read so far ([`Seen`]), which is on the stack only here.
    #[inline(never)]
    fn attributes(&self, tag: usize, name_end: usize, k: usize) -> PResult<(usize, bool)> {
        let mut seen = Seen::<SEEN_SMALL>::new();
        let (end, empty) = match self.attribute_run(tag, k, 0, &mut seen, None)? {
            Run::Done(end, empty) => (end, empty),
            Run::Full(k, count) => self.many_attributes(tag, k, count, &seen)?,
        };
        if self.settings.skim {
            // Full mode validated all of the input up front; Skim has not.
            scan::utf8(self.input.get(name_end..end).unwrap_or(&[]), name_end)?;
        }
        Ok((end, empty))
    }

    /// [`attributes`](Self::attributes) of a tag with more than
    /// [`SEEN_SMALL`] attributes, from the one at `k` (`count` read so far).
    #[cold]
    #[inline(never)]
    fn many_attributes(
        &self,
        tag: usize,
        k: usize,
        count: usize,
        small: &Seen<SEEN_SMALL>,
    ) -> PResult<(usize, bool)> {
        let mut seen = small.grow::<SEEN_MID>();
        match self.attribute_run(tag, k, count, &mut seen, None)? {
            Run::Done(end, empty) => Ok((end, empty)),
            Run::Full(k, count) => self.most_attributes(tag, k, count, &seen),
        }
    }

    /// [`many_attributes`](Self::many_attributes) past [`SEEN_MID`] names.
    #[cold]
    #[inline(never)]
    fn most_attributes(
        &self,
        tag: usize,
        k: usize,
        count: usize,
        mid: &Seen<SEEN_MID>,
    ) -> PResult<(usize, bool)> {
        let mut seen = mid.grow::<SEEN_LARGE>();
        match self.attribute_run(tag, k, count, &mut seen, None)? {
            Run::Done(end, empty) => Ok((end, empty)),
            // Only with a limit raised above SEEN_LARGE: the names past the
            // table are compared by re-reading them (quadratic in their number).
            Run::Full(k, count) => match self.attribute_run(tag, k, count, &mut seen, Some(k))? {
                Run::Done(end, empty) => Ok((end, empty)),
                Run::Full(..) => fail(ErrorKind::AttributeLimit, k),
            },
        }
    }

    /// Reads attributes from the one at `k` (`count` read before it in this
    /// tag) until the tag ends or `seen` is full. With `reread`, `seen` is
    /// full and the names from offset `reread` on are compared by re-reading.
    fn attribute_run<const N: usize>(
        &self,
        tag: usize,
        mut k: usize,
        mut count: usize,
        seen: &mut Seen<N>,
        reread: Option<usize>,
    ) -> PResult<Run> {
        let input = self.input;
        loop {
            if reread.is_none() && seen.is_full() {
                return Ok(Run::Full(k, count));
            }
            count += 1;
            if count > self.settings.max_attributes {
                return fail(ErrorKind::AttributeLimit, k);
            }
            let (name_end, done) = match attribute_block(input, k) {
                Some((name_end, after)) => (name_end, after),
                None => (self.attribute_name(tag, k)?, 0),
            };
            // Unique Att Spec (XML 1.0 §3.1): no name twice in one tag.
            let mut dup = seen.check(input, k, name_end);
            if let (false, Some(from)) = (dup, reread) {
                let name = input.get(k..name_end);
                let before = input.get(from..k).unwrap_or(&[]);
                let mut p = 0;
                while let Some(((a, b), _, _)) = next_attr(before, &mut p) {
                    dup |= before.get(a..b) == name;
                }
            }
            if dup {
                return fail(ErrorKind::DuplicateAttribute, k);
            }
            let after = if done != 0 {
                done
            } else {
                self.attribute_value(tag, name_end)?
            };
            match tag_end(input, tag, after)? {
                After::End(end, empty) => return Ok(Run::Done(end, empty)),
                After::Attribute(next) => k = next,
            }
        }
    }

    /// The name of the attribute that starts at `k`, inside the tag opened
    /// at `tag`. Returns where the name ends.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn attribute_name(&self, tag: usize, k: usize) -> PResult<usize> {
        let input = self.input;
        let name_end = match scan_name(input, k) {
            Ok(e) => e,
            Err(f) if f.kind() == ErrorKind::BadName => return fail(ErrorKind::BadAttribute, k),
            Err(f) => return Err(f),
        };
        if name_end == input.len() {
            return fail(ErrorKind::UnclosedTag, tag);
        }
        Ok(name_end)
    }

    /// The `= "value"` of an attribute whose name ends at `name_end`, inside
    /// the tag opened at `tag`. Returns the offset after the closing quote.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn attribute_value(&self, tag: usize, name_end: usize) -> PResult<usize> {
        let input = self.input;
        let mut j = scan::skip_ws(input, name_end);
        match input.get(j) {
            Some(b'=') => {}
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => return fail(ErrorKind::BadAttribute, j),
        }
        j = scan::skip_ws(input, j + 1);
        let quote = match input.get(j) {
            Some(&q @ (b'"' | b'\'')) => q,
            None => return fail(ErrorKind::UnclosedTag, tag),
            Some(_) => return fail(ErrorKind::BadAttribute, j),
        };
        let after = attribute_chars(input, j, quote)? + 1;
        match input.get(after) {
            Some(&b) if is_ws(b) || b == b'>' || b == b'/' => Ok(after),
            None => fail(ErrorKind::UnclosedTag, tag),
            Some(_) => fail(ErrorKind::BadAttribute, after),
        }
    }

    /// An end tag at `i`.
    #[inline(always)]
    pub(super) fn end_tag(&mut self, i: usize) -> PResult<Step> {
        let input = self.input;
        if self.depth == 0 {
            return fail(ErrorKind::UnexpectedEndTag, i);
        }
        if input.get(i + 2).is_none() {
            return fail(ErrorKind::UnclosedTag, i);
        }
        // Compare with the open element's name directly: no name scan.
        let (open, len) = self.open_name(self.depth - 1);
        if len < 8 {
            // A short name and the `>` right after it (most end tags): the
            // name, the `>` and the byte count from one word of each.
            if let (Some(x), Some(y)) = (scan::word_in(input, i + 2), scan::word_in(input, open)) {
                let keep = (1u64 << (len * 8)) - 1;
                if (x ^ y) & keep == 0 && (x >> (len * 8)) & 0xFF == u64::from(b'>') {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.state = State::Epilog;
                    }
                    self.pos = i + 3 + len;
                    return Ok(Step::End);
                }
            }
        }
        let name_end = i + 2 + len;
        let matches = same_at(input, i + 2, open, len) && ends_name(input.get(name_end));
        if !matches {
            return match input.get(i + 2..name_end) {
                // The input ends inside what may still be the right name.
                None if input
                    .get(open..open + len)
                    .is_some_and(|n| n.starts_with(input.get(i + 2..).unwrap_or(&[]))) =>
                {
                    fail(ErrorKind::UnclosedTag, i)
                }
                _ => fail(ErrorKind::MismatchedEndTag, i),
            };
        }
        let k = scan::skip_ws(input, name_end);
        match input.get(k) {
            Some(b'>') => {}
            None => return fail(ErrorKind::UnclosedTag, i),
            Some(_) => return fail(ErrorKind::UnexpectedByte { expected: "`>`" }, k),
        }
        self.depth -= 1;
        if self.depth == 0 {
            self.state = State::Epilog;
        }
        self.pos = k + 1;
        Ok(Step::End)
    }

    /// The `<?xml …?>` declaration at `i` (XML 1.0 §2.8). Every error points at
    /// the declaration's `<`.
    pub(super) fn declaration(&self, i: usize) -> PResult<usize> {
        let input = self.input;
        let bad = || fail(ErrorKind::BadDeclaration, i);
        // The first `?>` (a `memmem` finder costs more to build than this
        // short search: the declaration is read once per document).
        let mut q = i + 1;
        let close = loop {
            let Some(at) = find_byte(input, q, b'?') else {
                return fail(ErrorKind::UnclosedPi, i);
            };
            if input.get(at + 1) == Some(&b'>') {
                break at - i;
            }
            q = at + 1;
        };
        let body = input.get(i + 5..i + close).unwrap_or(&[]);
        let mut k = 0;
        // Each pseudo-attribute: S name S? = S? quoted value.
        let pseudo = |k: &mut usize| -> Option<(&[u8], &[u8])> {
            let s = *k;
            *k = scan::skip_ws(body, *k);
            if *k == s || *k == body.len() {
                *k = s;
                return None;
            }
            let n0 = *k;
            // The name's letters from one block when it ends there (every
            // name this accepts does): byte by byte they were 3% of the
            // time of `sample_1.xml`, a small document with a declaration.
            if let Some(Ok(chunk)) = body.get(*k..*k + 16).map(<&[u8; 16]>::try_from) {
                let letters = V16::load(chunk).or_bits(0x20).range(b'a', b'z').bits();
                // 16 when all are letters: the loop below reads on.
                *k += (!letters & 0xFFFF | 0x1_0000).trailing_zeros() as usize;
            }
            while body.get(*k).is_some_and(|b| b.is_ascii_alphabetic()) {
                *k += 1;
            }
            let name = body.get(n0..*k)?;
            *k = scan::skip_ws(body, *k);
            if body.get(*k) != Some(&b'=') {
                return Some((name, b"\0"));
            }
            *k = scan::skip_ws(body, *k + 1);
            let q = *body.get(*k).filter(|&&q| q == b'"' || q == b'\'')?;
            let v0 = *k + 1;
            let v1 = v0 + memchr::memchr(q, body.get(v0..)?)?;
            *k = v1 + 1;
            Some((name, body.get(v0..v1)?))
        };
        match pseudo(&mut k) {
            Some((b"version", v))
                if v.len() > 2
                    && v.starts_with(b"1.")
                    && v.iter().skip(2).all(u8::is_ascii_digit) => {}
            _ => return bad(),
        }
        let mut next = pseudo(&mut k);
        if let Some((b"encoding", v)) = next {
            let well_formed = v.first().is_some_and(u8::is_ascii_alphabetic)
                && v.iter()
                    .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !well_formed {
                return bad();
            }
            if !v.eq_ignore_ascii_case(b"UTF-8") {
                return fail(ErrorKind::UnsupportedEncoding, i);
            }
            next = pseudo(&mut k);
        }
        if let Some((b"standalone", v)) = next {
            if v != b"yes" && v != b"no" {
                return bad();
            }
            next = pseudo(&mut k);
        }
        if next.is_some() || scan::skip_ws(body, k) != body.len() {
            return bad();
        }
        Ok(i + close + 2)
    }
}

/// The first `stop`, byte below `0x20` or `EF` at or after `k` (the bytes
/// the comment, CDATA and PI scanners look at), 16 bytes at a time.
#[inline(always)]
fn find_stop(input: &[u8], k: usize, stop: u8) -> usize {
    scan::find_class(
        input,
        k,
        |v: V16| v.eq(stop) | v.lt(0x20) | v.eq(0xEF),
        |b| b == stop || b < 0x20 || b == 0xEF,
    )
}

/// A comment at `i`, checked (XML 1.0 §2.5). Returns the offset after `-->`.
fn comment(input: &[u8], i: usize) -> PResult<usize> {
    body(input, i, i + 4, b'-', ErrorKind::UnclosedComment, |k| {
        (input.get(k + 1) == Some(&b'-')).then(|| match input.get(k + 2) {
            Some(b'>') => Ok(k + 3),
            None => fail(ErrorKind::UnclosedComment, i),
            Some(_) => fail(ErrorKind::BadComment, k),
        })
    })
}

/// A CDATA section at `i` (XML 1.0 §2.7). Returns the offset after `]]>`.
fn cdata(input: &[u8], i: usize) -> PResult<usize> {
    body(input, i, i + 9, b']', ErrorKind::UnclosedCdata, |k| {
        (input.get(k..k + 3) == Some(b"]]>")).then_some(Ok(k + 3))
    })
}

/// The content of the comment, CDATA section or PI opened at `i`, from `k`:
/// every character checked, and at each `stop` byte `end` says whether the
/// construct closes there (`Some`, with the result). `unclosed` at `i` when
/// the input ends first.
#[inline(always)]
fn body(
    input: &[u8],
    i: usize,
    mut k: usize,
    stop: u8,
    unclosed: ErrorKind,
    end: impl Fn(usize) -> Option<PResult<usize>>,
) -> PResult<usize> {
    loop {
        k = find_stop(input, k, stop);
        match input.get(k) {
            None => return fail(unclosed, i),
            Some(&b) if b == stop => {
                if let Some(result) = end(k) {
                    return result;
                }
            }
            Some(&b) => {
                check_other(input, k, b)?;
            }
        }
        k += 1;
    }
}

/// A processing instruction at `i` (XML 1.0 §2.6). Returns the offset after `?>`.
fn pi(input: &[u8], i: usize) -> PResult<usize> {
    if input.get(i + 2).is_none() {
        return fail(ErrorKind::UnclosedPi, i);
    }
    let name_end = scan_name(input, i + 2)?;
    if name_end == input.len() {
        return fail(ErrorKind::UnclosedPi, i);
    }
    if input
        .get(i + 2..name_end)
        .is_some_and(|t| t.eq_ignore_ascii_case(b"xml"))
    {
        return fail(ErrorKind::BadDeclaration, i);
    }
    match input.get(name_end) {
        Some(b'?') if input.get(name_end + 1) == Some(&b'>') => return Ok(name_end + 2),
        Some(b'?') if input.get(name_end + 1).is_none() => return fail(ErrorKind::UnclosedPi, i),
        Some(&b) if is_ws(b) => {}
        None => return fail(ErrorKind::UnclosedPi, i),
        Some(_) => return unexpected("whitespace or `?>`", name_end),
    }
    body(input, i, name_end, b'?', ErrorKind::UnclosedPi, |k| {
        (input.get(k + 1) == Some(&b'>')).then_some(Ok(k + 2))
    })
}
