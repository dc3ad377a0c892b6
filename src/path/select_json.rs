//! Path extraction over JSON, by recursive descent on byte positions.
//!
//! The pull [`Reader`](crate::json::Reader) keeps an explicit state machine so it can
//! stop after any token; extraction does not need that, so it walks the
//! grammar directly (the position in the code is the state) with the same
//! checked primitives (`string`, `number`, `literal`, [`skip_full`]). One call
//! per object that some path enters, so recursion depth is bounded by
//! [`MAX_STEPS`](crate::path::MAX_STEPS), not by the document; every other
//! value is skipped without matching: checked by [`skip_full`] in `Full`,
//! followed bracket by bracket in `Skim`.

use super::{Cursor, Kind, Mask, Matcher, Sink, Trie};
use crate::config::{Options, Settings};
use crate::json::{after_key, literal, number, number_items, scalar, skip_full, string};
use crate::scan::{self, fail, skip_ws, unexpected, PResult};
use crate::simd::V16;
use crate::text::{Escape, Text};
use crate::ErrorKind;

/// The inner object of a JSON document checked already, when the document
/// is `{"Response": {…}}` (one member, named `Response` as decoded, whose
/// value is an object), as every extraction unwraps it: the offsets of its
/// `{` and just past its `}`. `None` for any other document. Read by
/// brackets only, with `options`' depth limit.
pub(crate) fn response_object(input: &[u8], options: &Options) -> Option<(usize, usize)> {
    let body = crate::json::prepare(input, options).ok()?.body;
    let w = Extraction {
        input,
        valid: None,
        settings: options.settings(),
    };
    let start = skip_ws(input, body);
    if input.get(start) != Some(&b'{') {
        return None;
    }
    let (inner, close) = w.wrapper(start).ok()??;
    // Back from the outer `}`: blanks, at most one comma (the check allowed
    // it), blanks, then the inner object's `}`.
    let before = |mut at: usize| {
        while at > inner && matches!(input.get(at - 1), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            at -= 1;
        }
        at
    };
    let mut end = before(close);
    if end > inner && input.get(end - 1) == Some(&b',') {
        end = before(end - 1);
    }
    (end > inner && input.get(end - 1) == Some(&b'}')).then_some((inner, end))
}

/// One JSON extraction: the input and the settings it is read with (the
/// matcher is passed alongside).
struct Extraction<'buf> {
    input: &'buf [u8],
    /// The whole input as validated UTF-8 (`Full` only).
    valid: Option<&'buf str>,
    /// Skim, strictness and the depth limit.
    settings: Settings,
}

pub(crate) fn run<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    let crate::input::Prepared { body, valid, .. } = crate::json::prepare(input, options)?;
    let w = Extraction {
        input,
        valid,
        settings: options.settings(),
    };
    let mut m = Matcher::new(set, sink, options);
    let root = set.root();
    let start = skip_ws(input, body);
    let end = if input.get(start) == Some(&b'{') {
        match w.wrapper(start)? {
            Some((inner, close)) => {
                let (_, stop) = w.object(&mut m, root, inner, 2, None)?;
                if stop {
                    return Ok(());
                }
                // The lookahead found the outer `}` (after an optional trailing comma).
                close + 1
            }
            None => {
                let (end, stop) = w.object(&mut m, root, start, 1, None)?;
                if stop {
                    return Ok(());
                }
                end
            }
        }
    } else if input.get(start) == Some(&b'[') {
        let around = m.top_array();
        let (end, stop) = w.items::<S, true>(&mut m, around, 0, start, 1)?;
        if stop {
            return Ok(());
        }
        end
    } else {
        w.skip(start, 0, start)?
    };
    if !w.settings.skim {
        let rest = skip_ws(input, end);
        if rest < input.len() {
            return fail(ErrorKind::TrailingData, rest);
        }
    }
    Ok(())
}

/// The engine over one value of a document that has been checked already
/// (the typed view's items): the value at `at` in `input`, read with the
/// root cursor of `set` (a top-level array's items as in a document).
/// `valid` is `input` as checked UTF-8, when the caller has it. Returns the
/// offset after the value; a sink that stops the run ends it with its error.
/// `memo` carries the keys of the previous item of the same list, when the
/// caller reads a list item by item.
pub(crate) fn item<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    valid: Option<&'buf str>,
    at: usize,
    options: &Options,
    sink: &mut S,
    memo: Option<&mut Memo>,
) -> PResult<usize> {
    let w = Extraction {
        input,
        valid,
        settings: options.settings(),
    };
    let mut m = Matcher::new(set, sink, options);
    let (end, _) = if input.get(at) == Some(&b'[') {
        let around = m.top_array();
        w.items::<S, true>(&mut m, around, 0, at, 1)?
    } else {
        w.value(&mut m, set.root(), at, 0, at, memo)?
    };
    Ok(end)
}

impl<'buf> Extraction<'buf> {
    /// `input[a..b]` as checked UTF-8.
    #[inline]
    fn str(&self, a: usize, b: usize) -> PResult<&'buf str> {
        scan::str_at(self.valid, self.input, a, b)
    }

    /// [`str`](Self::str) for a value the engine returns: without the
    /// checked whole input (`Skim`), a short ASCII value is checked inline
    /// ([`crate::simd::utf8_inline`]).
    #[inline(always)]
    fn value_str(&self, a: usize, b: usize) -> PResult<&'buf str> {
        if let Some(s) = self.valid.and_then(|s| s.get(a..b)) {
            return Ok(s);
        }
        match crate::simd::utf8_inline(self.input.get(a..b).unwrap_or(&[])) {
            Ok(s) => Ok(s),
            Err(valid_up_to) => fail(ErrorKind::InvalidUtf8, a + valid_up_to),
        }
    }

    /// Skips the value at `i`; `depth` containers are open around it, the
    /// innermost opened at `open` (where an unexpected end of input points).
    /// Strings (most skipped values) are inline; the rest is out of line.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn skip(&self, i: usize, depth: usize, open: usize) -> PResult<usize> {
        if self.input.get(i) == Some(&b'"') {
            return Ok(string(self.input, i)?.0 + 1);
        }
        self.skip_other(i, depth, open)
    }

    /// [`skip`](Self::skip) of anything but a string (strings and literals
    /// are checked the same way in both modes; numbers only in `Full`).
    #[inline(never)]
    fn skip_other(&self, i: usize, depth: usize, open: usize) -> PResult<usize> {
        let input = self.input;
        match input.get(i) {
            // `Skim` trusts a number no path returns: its extent only.
            Some(b'-' | b'0'..=b'9') if self.settings.skim => return Ok(skim_number(input, i)),
            Some(b'-' | b'0'..=b'9') => return number(input, i),
            None => return self.eof(open),
            _ => {}
        }
        if self.settings.skim {
            return match input.get(i) {
                Some(b'{' | b'[') => self.skim_container(i, depth),
                Some(b't') => literal(input, i, b"true"),
                Some(b'f') => literal(input, i, b"false"),
                Some(b'n') => literal(input, i, b"null"),
                _ => unexpected("a value", i),
            };
        }
        skip_full(input, i, depth, &self.settings)
    }

    /// The items of an array no path ends on ([`items`](Self::items) in
    /// `Full`), from the item at `i`, while they are no objects: each is
    /// counted and skipped. Returns the offset after the array's `]`, or
    /// (`Err`) the offset of the next item that is an object. Out of line,
    /// so the arrays that do not take it keep [`items`](Self::items) as it
    /// was.
    #[inline(never)]
    fn inert_items<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        child: u16,
        mut i: usize,
        depth: usize,
        start: usize,
    ) -> PResult<Result<usize, usize>> {
        let input = self.input;
        // `m.item` without the selection, which nothing here uses: the
        // count is kept in a register and stored back when the run ends.
        let slot = usize::from(child);
        let limit = if m.set.counted(child) {
            m.max_items
        } else {
            usize::MAX
        };
        let mut count = m.counters.get(slot).copied();
        let end = loop {
            // A run of plain numbers, a window at a time, while the count
            // stays within the limit (else item by item, which fails at the
            // item past it).
            if matches!(input.get(i), Some(b'-' | b'0'..=b'9')) {
                while let Some((next, items)) = number_items(input, i) {
                    if let Some(n) = count {
                        match u32::try_from(n as usize + items) {
                            Ok(total) if total as usize <= limit => count = Some(total),
                            _ => break,
                        }
                    }
                    i = next;
                }
            }
            if let Some(n) = count {
                if n as usize >= limit {
                    return fail(ErrorKind::ItemLimit, i);
                }
                count = Some(n + 1);
            }
            i = self.skip_item(i, depth, start)?;
            i = skip_ws(input, i);
            match input.get(i) {
                Some(b',') => {
                    let comma = i;
                    i = skip_ws(input, i + 1);
                    match input.get(i) {
                        Some(b']') if self.settings.strict => {
                            return fail(ErrorKind::TrailingComma, comma)
                        }
                        Some(b']') => break Ok(i + 1),
                        Some(b'{') => break Err(i),
                        _ => {}
                    }
                }
                Some(b']') => break Ok(i + 1),
                None => return self.eof(start),
                Some(_) => return unexpected("`,` or `]`", i),
            }
        };
        if let (Some(n), Some(c)) = (count, m.counters.get_mut(slot)) {
            *c = n;
        }
        Ok(end)
    }

    /// [`skip`](Self::skip) of an item of an array in `Full`: numbers (the
    /// arrays of numbers) and strings inline.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn skip_item(&self, i: usize, depth: usize, open: usize) -> PResult<usize> {
        match self.input.get(i) {
            Some(b'-' | b'0'..=b'9') => number(self.input, i),
            Some(b'"') => Ok(string(self.input, i)?.0 + 1),
            _ => self.skip_other(i, depth, open),
        }
    }

    /// `Skim` skip of the container at `start`: brackets and strings only.
    fn skim_container(&self, start: usize, depth: usize) -> PResult<usize> {
        crate::json::skim_container(self.input, start, depth, self.settings.max_depth)
    }

    /// The input ended inside the container opened at `open`.
    #[cold]
    fn eof<T>(&self, open: usize) -> PResult<T> {
        let kind = match self.input.get(open) {
            Some(b'[') => ErrorKind::UnclosedArray,
            Some(b'{') => ErrorKind::UnclosedObject,
            _ => ErrorKind::UnexpectedEof,
        };
        fail(kind, open)
    }

    /// Whether the object at `start` is `{"Response": {…}}` (one member, named
    /// `Response` as decoded, whose value is an object; a trailing comma is
    /// allowed unless strict). Returns the offsets of the inner object and of
    /// the outer `}`. Looks ahead by brackets only; the real pass checks.
    #[inline(always)]
    fn wrapper(&self, start: usize) -> PResult<Option<(usize, usize)>> {
        let input = self.input;
        let k = skip_ws(input, start + 1);
        if input.get(k) != Some(&b'"') {
            return Ok(None);
        }
        // Most first keys are plainly something else: when the eight bytes
        // after the quote hold no backslash, they are the key's own bytes
        // (or its closing quote and what follows), and a key that decodes to
        // `Response` starts with exactly these eight.
        if let Some(head) = input.get(k + 1..).and_then(<[u8]>::first_chunk::<8>) {
            let head = u64::from_le_bytes(*head);
            if head != u64::from_le_bytes(*b"Response") && !has_byte(head, b'\\') {
                return Ok(None);
            }
        }
        // Any error here is left for the real pass to find and report in
        // reading order: a failed lookahead just means "not a wrapper".
        Ok(self.wrapper_ahead(k).ok().flatten())
    }

    /// [`wrapper`](Self::wrapper) from the first key's quote at `k`.
    #[inline(never)]
    fn wrapper_ahead(&self, k: usize) -> PResult<Option<(usize, usize)>> {
        let input = self.input;
        let (end, escaped) = string(input, k)?;
        let is_response = if escaped {
            Text::new(self.str(k + 1, end)?, Escape::Json).eq_str("Response")
        } else {
            input.get(k + 1..end) == Some(b"Response")
        };
        if !is_response {
            return Ok(None);
        }
        let inner = after_key(input, end)?;
        if input.get(inner) != Some(&b'{') {
            return Ok(None);
        }
        let after = self.skim_container(inner, 1)?;
        let mut close = skip_ws(input, after);
        if input.get(close) == Some(&b',') && !self.settings.strict {
            close = skip_ws(input, close + 1);
        }
        Ok((input.get(close) == Some(&b'}')).then_some((inner, close)))
    }

    /// The object at `start` (its `{`), at nesting `depth` (the top object is
    /// 1), which cursor `cur` selects. Returns the offset after its `}` and
    /// whether `Skim` may stop.
    fn object<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        start: usize,
        depth: usize,
        memo: Option<&mut Memo>,
    ) -> PResult<(usize, bool)> {
        // Three copies: the loop without a memo stays as lean as it can be,
        // and `Skim` without a memo steps between members its own way.
        match memo {
            None if self.settings.skim => {
                self.members::<S, false, true>(m, cur, start, depth, None)
            }
            None => self.members::<S, false, false>(m, cur, start, depth, None),
            memo => self.members::<S, true, false>(m, cur, start, depth, memo),
        }
    }

    /// [`object`](Self::object); `MEMO` tells whether `memo` may be `Some`.
    /// `SKIM` (never with a memo) skips values by [`skim_skip`](Self::skim_skip)
    /// and takes the step from one member to the next ([`next_member_trusting`]) in
    /// one 16-byte look where the usual `,` (blanks) `"` or (blanks) `}` is
    /// there: the same grammar and the same errors; once a step of the
    /// object was `,` (blanks) `"`, the next step expects the key at the
    /// same distance ([`next_member_at`]), which the look then confirms. It also reads a key of
    /// at most 15 bytes in one look ([`short_key`]: its end, the words the
    /// trie compares, the value's start), checks the children's name filter
    /// ([`Trie::bloom`]) before the look-up, and leaves every other key to
    /// [`string`].
    fn members<'p, 's, S: Sink<'buf>, const MEMO: bool, const SKIM: bool>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        start: usize,
        depth: usize,
        mut memo: Option<&mut Memo>,
    ) -> PResult<(usize, bool)> {
        if !MEMO {
            memo = None;
        }
        let input = self.input;
        let set = m.set;
        if depth > self.settings.max_depth {
            return fail(ErrorKind::DepthLimit, start);
        }
        if let Some(memo) = memo.as_deref_mut() {
            memo.start(cur);
        }
        let mut nth = 0usize;
        let lean = SKIM && m.lean();
        // `Skim`: the distance from a value's end to the next key's quote
        // at the last step of this object that was a `,` and blanks (0:
        // none yet), which [`next_member_at`] expects again.
        let mut gap = 0usize;
        // `Skim` looks the cursor up once (the object's end uses its
        // settled paths).
        let (descend, ends, settled) = if SKIM {
            let facts = set.facts(cur);
            (facts.descends, facts.ends, facts.settled)
        } else {
            (set.descends(cur), set.ends(cur), 0)
        };
        if descend {
            m.enter(cur);
        }
        let mut i = if SKIM {
            first_solid(input, start + 1)
        } else {
            skip_ws(input, start + 1)
        };
        match input.get(i) {
            Some(b'"') => {}
            Some(b'}') => return self.close(m, cur, ends, start, i),
            None => return self.eof(start),
            Some(_) => {
                return fail(
                    ErrorKind::UnexpectedByte {
                        expected: "a string key or `}`",
                    },
                    i,
                )
            }
        }
        // `Skim`'s filter on the names of the children (none when no path
        // goes below).
        let bloom = if SKIM && descend { set.bloom(cur) } else { 0 };
        let skip = |i| {
            if SKIM {
                self.skim_skip(i, depth, start)
            } else {
                self.skip(i, depth, start)
            }
        };
        loop {
            // A key starts at `i`.
            // `Skim` (no memo): a key of at most 15 bytes, its end and its
            // words from one look.
            let short = if SKIM { short_key(input, i) } else { None };
            let (key_end, child, value) = if let Some((key_end, head, tail, value)) = short {
                let child = if bloom & super::bloom_bit(key_end - i - 1, head) != 0 {
                    set.child_words(cur, input, i + 1, key_end, head, tail)
                } else {
                    None
                };
                (key_end, child, value)
            } else {
                let (key_end, escaped) = string(input, i)?;
                let child = if !descend {
                    None
                } else if escaped {
                    set.child_decoded(cur, Text::new(self.str(i + 1, key_end)?, Escape::Json))
                } else if let Some(memo) = memo.as_deref_mut() {
                    memo.child(set, cur, input, nth, i + 1, key_end)
                } else {
                    set.child_in(cur, input, i + 1, key_end)
                };
                (key_end, child, None)
            };
            nth += 1;
            i = match value {
                Some(value) => value,
                None => after_key(input, key_end)?,
            };
            match child {
                None => i = skip(i)?,
                Some(child) if input.get(i) == Some(&b'[') => {
                    let (end, stop) = self.items::<S, false>(m, cur, child, i, depth + 1)?;
                    if stop {
                        return Ok((end, true));
                    }
                    i = end;
                }
                // A lean run's first item of `child` ([`Matcher::fresh`]):
                // what [`Matcher::item`] selects, without the limit (a lean
                // run has room for one item) or a record mark (it has none).
                Some(child) => match if lean && m.fresh(child) {
                    set.select(cur, child, 0)
                } else {
                    m.item(cur, child, i)?
                } {
                    None => i = skip(i)?,
                    // `Skim`: a string where paths end and none goes on
                    // (most values returned), with one look-up of the node.
                    Some(cc) if SKIM && input.get(i) == Some(&b'"') => {
                        let (end, stop) = self.string_leaf(m, cc, i)?;
                        if stop {
                            return Ok((end, true));
                        }
                        i = end;
                    }
                    Some(cc) => {
                        let (end, stop) = self.value(m, cc, i, depth, start, None)?;
                        if stop {
                            return Ok((end, true));
                        }
                        i = end;
                    }
                },
            }
            let next = if SKIM {
                match next_member_at(input, i, gap) {
                    Some(key) => Ok(key),
                    None => match next_member_trusting(input, i) {
                        Some(next) => {
                            if let Ok(key) = next {
                                gap = if input.get(i) == Some(&b',') {
                                    key - i
                                } else {
                                    0
                                };
                            }
                            next
                        }
                        None => self.after_member(i, start)?,
                    },
                }
            } else {
                // `after_member`, written out: `Full`'s every step.
                i = skip_ws(input, i);
                match input.get(i) {
                    Some(b',') => {
                        let comma = i;
                        i = skip_ws(input, i + 1);
                        match input.get(i) {
                            Some(b'"') => Ok(i),
                            Some(b'}') if self.settings.strict => {
                                return fail(ErrorKind::TrailingComma, comma)
                            }
                            Some(b'}') => break,
                            None => return self.eof(start),
                            Some(_) => {
                                return fail(
                                    ErrorKind::UnexpectedByte {
                                        expected: "a string key",
                                    },
                                    i,
                                )
                            }
                        }
                    }
                    Some(b'}') => break,
                    None => return self.eof(start),
                    Some(_) => {
                        return fail(
                            ErrorKind::UnexpectedByte {
                                expected: "`,` or `}`",
                            },
                            i,
                        )
                    }
                }
            };
            match next {
                Ok(key) => i = key,
                Err(close) => {
                    i = close;
                    break;
                }
            }
        }
        if SKIM {
            // [`close`](Self::close) with the facts at hand.
            self.emit_object(m, ends, start, i)?;
            m.settled |= settled;
            return Ok((i + 1, m.all_settled()));
        }
        self.close(m, cur, ends, start, i)
    }

    /// [`value`](Self::value) in `Skim` of the string at `i` (its opening
    /// quote), which cursor `cur` selects: the same hits and the same end,
    /// with the cursor's [`Facts`](super::Facts) looked up once.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn string_leaf<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        i: usize,
    ) -> PResult<(usize, bool)> {
        let facts = m.set.facts(cur);
        let (q, escaped) = string(self.input, i)?;
        if facts.ends != 0 {
            let escape = if escaped { Escape::Json } else { Escape::None };
            let text = Text::new(self.value_str(i + 1, q)?, escape);
            m.emit(facts.ends, Kind::String, i + 1, text)?;
        }
        m.done_with(&facts);
        Ok((q + 1, m.all_settled()))
    }

    /// [`skip`](Self::skip) in `Skim`: strings and containers inline (a
    /// container goes straight to the bracket skip), the rest out of line.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn skim_skip(&self, i: usize, depth: usize, open: usize) -> PResult<usize> {
        match self.input.get(i) {
            Some(b'"') => Ok(string(self.input, i)?.0 + 1),
            Some(b'{' | b'[') => self.skim_container(i, depth),
            _ => self.skip_other(i, depth, open),
        }
    }

    /// After a member's value, at `i`, of the object opened at `start`:
    /// the next key's quote (`Ok`) or the object's `}` (`Err`), with the
    /// errors of [`members`](Self::members).
    #[inline(never)]
    fn after_member(&self, i: usize, start: usize) -> PResult<Result<usize, usize>> {
        let input = self.input;
        let i = skip_ws(input, i);
        match input.get(i) {
            Some(b',') => {
                let comma = i;
                let i = skip_ws(input, i + 1);
                match input.get(i) {
                    Some(b'"') => Ok(Ok(i)),
                    Some(b'}') if self.settings.strict => fail(ErrorKind::TrailingComma, comma),
                    Some(b'}') => Ok(Err(i)),
                    None => self.eof(start),
                    Some(_) => unexpected("a string key", i),
                }
            }
            Some(b'}') => Ok(Err(i)),
            None => self.eof(start),
            Some(_) => unexpected("`,` or `}`", i),
        }
    }

    /// The end of the object opened at `start` whose `}` is at `i`.
    #[inline]
    fn close<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        ends: Mask,
        start: usize,
        i: usize,
    ) -> PResult<(usize, bool)> {
        self.emit_object(m, ends, start, i)?;
        m.done(cur);
        Ok((i + 1, self.settings.skim && m.all_settled()))
    }

    /// The object opened at `start` whose `}` is at `i`, to the paths of
    /// `ends` that end at it.
    #[inline(always)]
    fn emit_object<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        ends: Mask,
        start: usize,
        i: usize,
    ) -> PResult<()> {
        if ends != 0 {
            self.check_container(start, i + 1)?;
            let text = Text::plain(self.str(start, i + 1)?);
            m.emit(ends, Kind::Container, start, text)?;
        }
        Ok(())
    }

    /// Checks the object or array `a..b` the engine returns, when `Skim`
    /// read it ([`Settings::check_containers`]): it walked only the members
    /// some path needs and followed the rest by their brackets, so the
    /// container is checked here as `Full` checks it.
    #[inline(always)]
    fn check_container(&self, a: usize, b: usize) -> PResult<()> {
        if self.settings.check_containers {
            self.recheck(a, b)?;
        }
        Ok(())
    }

    /// The end of the object or array at `i` that a path returns, checked
    /// ([`check_container`](Self::check_container)). Out of line: few paths
    /// return a container, and the value step stays small.
    #[inline(never)]
    fn returned_container(&self, i: usize, depth: usize, open: usize) -> PResult<usize> {
        let end = self.skip(i, depth, open)?;
        self.check_container(i, end)?;
        Ok(end)
    }

    /// [`check_container`](Self::check_container)'s check, out of line (few
    /// paths return a container): its UTF-8 first, as `Full` checks it
    /// first, then its grammar, nesting counted from it (the walk has
    /// checked the depth already).
    #[cold]
    #[inline(never)]
    fn recheck(&self, a: usize, b: usize) -> PResult<()> {
        self.str(a, b)?;
        let end = skip_full(self.input, a, 0, &self.settings)?;
        debug_assert_eq!(end, b, "a container's end");
        Ok(())
    }

    /// The array at `start` that is the value of member `child` of the object
    /// at `cur`: each item is one occurrence of the name. With `TOP`, the
    /// top-level array: `cur` is the cursor around it, `child` the root node,
    /// and each item is read as a document ([`top_item`](Self::top_item)).
    fn items<'p, 's, S: Sink<'buf>, const TOP: bool>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        child: u16,
        start: usize,
        depth: usize,
    ) -> PResult<(usize, bool)> {
        let input = self.input;
        if depth > self.settings.max_depth {
            return fail(ErrorKind::DepthLimit, start);
        }
        let mut i = skip_ws(input, start + 1);
        if input.get(i) == Some(&b']') {
            return Ok((i + 1, false));
        }
        // Built after the first item: it has no keys before it to compare
        // with, and many arrays (one job, say) have no second.
        let mut memo: Option<Memo> = None;
        // In `Full`, an item that no path ends on and that is no object
        // (an array of numbers, say) is only counted and checked: `value`
        // would skip it, and what `done` records only `Skim` acts on. Paths
        // alive at an item are a subset of `cur.alive`, so no path ends on
        // any item when none ends under all of `cur.alive`.
        let inert = !self.settings.skim
            && child != m.mark
            && m.set.ends(Cursor {
                node: child,
                alive: cur.alive,
            }) == 0;
        loop {
            if inert && input.get(i) != Some(&b'{') {
                match self.inert_items(m, child, i, depth, start)? {
                    Ok(end) => return Ok((end, false)),
                    Err(object) => {
                        // An object item after a comma.
                        i = object;
                        if memo.is_none() {
                            memo = Some(Memo::new());
                        }
                    }
                }
            }
            match m.item(cur, child, i)? {
                None => i = self.skip(i, depth, start)?,
                Some(cc) => {
                    let (end, stop) = if TOP {
                        self.top_item(m, cc, i, start, memo.as_mut())?
                    } else {
                        self.value(m, cc, i, depth, start, memo.as_mut())?
                    };
                    if stop {
                        return Ok((end, true));
                    }
                    i = end;
                }
            }
            i = skip_ws(input, i);
            match input.get(i) {
                Some(b',') => {
                    if memo.is_none() {
                        memo = Some(Memo::new());
                    }
                    let comma = i;
                    i = skip_ws(input, i + 1);
                    if input.get(i) == Some(&b']') {
                        if self.settings.strict {
                            return fail(ErrorKind::TrailingComma, comma);
                        }
                        return Ok((i + 1, false));
                    }
                }
                Some(b']') => return Ok((i + 1, false)),
                None => return self.eof(start),
                Some(_) => {
                    return fail(
                        ErrorKind::UnexpectedByte {
                            expected: "`,` or `]`",
                        },
                        i,
                    )
                }
            }
        }
    }

    /// Item `i` of the top-level array opened at `open`, which cursor `cur`
    /// selects: read like a document, so an object `{"Response": {…}}` is
    /// unwrapped for the paths that go into it (a path that ends on the item
    /// gets the whole item). Returns the offset after it and whether `Skim`
    /// may stop.
    fn top_item<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        i: usize,
        open: usize,
        memo: Option<&mut Memo>,
    ) -> PResult<(usize, bool)> {
        let set = m.set;
        if self.input.get(i) == Some(&b'{') && set.descends(cur) {
            if let Some((inner, close)) = self.wrapper(i)? {
                let ends = set.ends(cur);
                let into = Cursor {
                    node: cur.node,
                    alive: cur.alive & !ends,
                };
                // The array is at depth 1, the item at 2, the inner object at 3.
                let (_, stop) = self.object(m, into, inner, 3, None)?;
                if stop {
                    return Ok((close + 1, true));
                }
                let end = close + 1;
                if ends != 0 {
                    self.check_container(i, end)?;
                    m.emit(ends, Kind::Container, i, Text::plain(self.str(i, end)?))?;
                }
                m.done(cur);
                return Ok((end, self.settings.skim && m.all_settled()));
            }
        }
        self.value(m, cur, i, 1, open, memo)
    }

    /// The value at `i` that cursor `cur` selects, inside a container at
    /// `depth` opened at `open`. Returns the offset after it and whether
    /// `Skim` may stop.
    // Always inlined: with a second caller ([`top_item`](Self::top_item)) it
    // was kept out of line, which cost about 2% on object-document
    // extraction (callgrind, `jobs100-json ours-full`).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn value<'p, 's, S: Sink<'buf>>(
        &self,
        m: &mut Matcher<'p, 's, S>,
        cur: Cursor,
        i: usize,
        depth: usize,
        open: usize,
        memo: Option<&mut Memo>,
    ) -> PResult<(usize, bool)> {
        let input = self.input;
        let set = m.set;
        if input.get(i) == Some(&b'{') && set.descends(cur) {
            return self.object(m, cur, i, depth + 1, memo);
        }
        let ends = set.ends(cur);
        let end = if ends == 0 {
            self.skip(i, depth, open)?
        } else {
            let (kind, a, b, escape, end) = match input.get(i) {
                Some(b'{' | b'[') => {
                    let end = self.returned_container(i, depth, open)?;
                    (Kind::Container, i, end, Escape::None, end)
                }
                None => return self.eof(open),
                Some(_) => match scalar(input, i)? {
                    Some(v) => (v.kind, v.start, v.end, v.escape, v.after),
                    None => {
                        return fail(
                            ErrorKind::UnexpectedByte {
                                expected: "a value",
                            },
                            i,
                        )
                    }
                },
            };
            m.emit(ends, kind, a, Text::new(self.str(a, b)?, escape))?;
            end
        };
        m.done(cur);
        Ok((end, self.settings.skim && m.all_settled()))
    }
}

/// After a member's value, at `i`: the next key's opening quote (`Ok`)
/// when the 16 bytes at `i` hold blanks, `,` and blanks up to that quote
/// (or up to their end, then more blanks), or the object's `}` (`Err`)
/// after only blanks; `None` otherwise, for the general path (which also
/// finds every error). Checked by the four blanks of [`skip_ws`], it
/// answers what the general path answers.
#[cfg(test)]
fn next_member(input: &[u8], i: usize) -> Option<Result<usize, usize>> {
    next_member_by(input, i, |v| {
        v.eq(b' ') | v.eq(b'\n') | v.eq(b'\t') | v.eq(b'\r')
    })
}

/// [`next_member`] for `Skim`, which takes every byte up to the space for a
/// blank (one compare instead of four): on a valid document, where no
/// control byte stands outside a string, the same answers; elsewhere it may
/// step over a control byte that the general path refuses. Its answer is
/// always a `"` or `}` of the input at or after `i`.
#[inline(always)]
fn next_member_trusting(input: &[u8], i: usize) -> Option<Result<usize, usize>> {
    next_member_by(input, i, |v| v.lt(b' ' + 1))
}

/// [`next_member_trusting`] where an object's layout repeats: when the 16
/// bytes at `i` hold a `,` at `i`, then blanks, then the next key's quote
/// at `i + gap` (`gap` from 1 to 15, learned from the object's previous
/// step), that quote's offset, [`next_member_trusting`]'s answer; `None`
/// otherwise. The offset is known before the look, which only confirms
/// it: reading the next key does not wait for the look (a branch, not a
/// data dependency), so the step leaves the chain of dependent loads that
/// runs from one member to the next.
#[inline(always)]
fn next_member_at(input: &[u8], i: usize, gap: usize) -> Option<usize> {
    if !(1..16).contains(&gap) {
        return None;
    }
    let chunk = input.get(i..).and_then(<[u8]>::first_chunk::<16>)?;
    let solid = !V16::load(chunk).lt(b' ' + 1).bits();
    // Bytes `0..=gap`: the two ends above the space, all between blanks.
    let span = (2u32 << gap) - 1;
    let ends = 1 | 1u32 << gap;
    let laid_out = solid & span == ends && chunk.first() == Some(&b',');
    (laid_out && chunk.get(gap) == Some(&b'"')).then_some(i + gap)
}

/// [`next_member`] with the blanks of the 16-byte look given by `blanks`.
#[inline(always)]
fn next_member_by(
    input: &[u8],
    i: usize,
    blanks: impl Fn(V16) -> V16,
) -> Option<Result<usize, usize>> {
    let chunk = input.get(i..).and_then(<[u8]>::first_chunk::<16>)?;
    let blank = blanks(V16::load(chunk));
    let solid = !blank.bits() & 0xFFFF;
    let first = solid.trailing_zeros() as usize;
    match chunk.get(first)? {
        b',' => {
            let rest = solid & solid.wrapping_sub(1);
            // Only blanks after the comma in these 16 bytes (a deep
            // indentation): the next key is after more of them.
            let next = match rest {
                0 => skip_ws(input, i + 16),
                _ => i + rest.trailing_zeros() as usize,
            };
            (input.get(next)? == &b'"').then_some(Ok(next))
        }
        b'}' => Some(Err(i + first)),
        _ => None,
    }
}

/// The key whose opening quote is at `i`, when it ends within the 16 bytes
/// after the quote with no escape and no control byte: the offset of its
/// closing quote and its first and second eight bytes, zero-padded past
/// its end (the words [`Trie::child_words`] compares), and where the look
/// shows it, the start of the member's value ([`after_key`]'s answer).
/// `None` sends the key the checked way ([`string`]), which also finds its
/// errors.
#[inline(always)]
fn short_key(input: &[u8], i: usize) -> Option<(usize, u64, u64, Option<usize>)> {
    let chunk = input.get(i + 1..).and_then(<[u8]>::first_chunk::<16>)?;
    let v = V16::load(chunk);
    let quote = v.eq(b'"');
    let stops = (quote | v.eq(b'\\') | v.lt(0x20)).bits();
    // The first stop, as a bit: a quote (the key's end) or nothing to do.
    let first = stops & stops.wrapping_neg();
    if first & quote.bits() == 0 {
        return None;
    }
    let k = first.trailing_zeros() as usize;
    // The name's bytes (`k` is at most 15), zero-padded.
    let mask = NAME_MASKS.get(k & 15).copied().unwrap_or(0);
    let name = u128::from_le_bytes(*chunk) & mask;
    let end = i + 1 + k;
    // The value after it, where [`after_key`]'s usual spellings (`":v`,
    // `": v`) are within the look.
    let value = match (chunk.get(k + 1), chunk.get(k + 2), chunk.get(k + 3)) {
        (Some(b':'), Some(&b), _) if b > b' ' => Some(end + 2),
        (Some(b':'), Some(b' '), Some(&v)) if v > b' ' => Some(end + 3),
        _ => None,
    };
    Some((end, name as u64, (name >> 64) as u64, value))
}

/// The first byte above the space at or after `i` (`Skim`, which takes
/// every byte up to the space for a blank, as [`next_member_trusting`]):
/// in a valid document, [`skip_ws`]'s answer, which answers where 16 bytes
/// are not left or hold only blanks.
#[inline(always)]
fn first_solid(input: &[u8], i: usize) -> usize {
    if let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let solid = !V16::load(chunk).lt(b' ' + 1).bits() & 0xFFFF;
        if solid != 0 {
            return i + solid.trailing_zeros() as usize;
        }
    }
    skip_ws(input, i)
}

/// `NAME_MASKS[k]` keeps the first `k` bytes of a little-endian `u128`.
// Built at compile time, where an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const NAME_MASKS: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut k = 1;
    while k < 16 {
        masks[k] = (1u128 << (k * 8)) - 1;
        k += 1;
    }
    masks
};

/// Whether one of the eight bytes of `word` is `byte` (exact: the borrow
/// of the subtraction only runs past a byte that is zero).
#[inline(always)]
fn has_byte(word: u64, byte: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let v = word ^ (ONES * u64::from(byte));
    v.wrapping_sub(ONES) & !v & (ONES << 7) != 0
}

/// The end of the number that starts at `i` (a `-` or a digit), trusted
/// (`Skim`, for a number no path returns): the first byte from `i` on that
/// no number holds (a digit, `+`, `-`, `.`, `e`, `E`; `/` passes too). In
/// a valid document that is the end [`number`] finds; in another, a run
/// [`number`] refuses is stepped over, and whatever follows it is read as
/// usual. Where 16 bytes are not left, or the run is longer, [`number`]
/// answers (and checks).
#[inline]
fn skim_number(input: &[u8], i: usize) -> usize {
    if let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let v = V16::load(chunk);
        let held = v.range(b'-', b'9') | v.eq(b'+') | v.or_bits(0x20).eq(b'e');
        let stops = !held.bits() & 0xFFFF;
        if stops != 0 {
            return i + stops.trailing_zeros() as usize;
        }
    }
    // Fewer than 16 bytes left, or a run of 16 or more.
    match number(input, i) {
        Ok(end) => end,
        // A run `number` refuses: step over it as above, byte by byte.
        Err(_) => {
            let mut k = i;
            while input
                .get(k)
                .is_some_and(|&b| matches!(b, b'-'..=b'9' | b'+' | b'e' | b'E'))
            {
                k += 1;
            }
            k
        }
    }
}

/// The unescaped keys of the last object items of an array, by position,
/// with the child each names: items of one array mostly have the same keys in
/// the same order, so each key of the next item is compared with the one at
/// its position before [`Trie::child_in`] looks it up.
#[derive(Clone)]
pub(crate) struct Memo {
    /// The cursor the children were looked up under.
    cur: Option<Cursor>,
    keys: [MemoKey; MEMO_KEYS],
}

/// One remembered key: the 16 input bytes that end with its closing quote,
/// its length, and its child. Only keys of at most [`MEMO_LEN`] bytes are
/// remembered, so the key lies within those 16 bytes: a key with the same
/// length and the same 16 bytes before its closing quote is the same key.
#[derive(Clone, Copy)]
struct MemoKey {
    tail: u128,
    len: usize,
    child: Option<u16>,
}

/// No key (no key has this length).
const NO_KEY: MemoKey = MemoKey {
    tail: 0,
    len: usize::MAX,
    child: None,
};

/// Keys remembered per item.
const MEMO_KEYS: usize = 16;
/// The longest key remembered.
const MEMO_LEN: usize = 14;

impl core::fmt::Debug for Memo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Memo").finish_non_exhaustive()
    }
}

impl Memo {
    pub(crate) fn new() -> Self {
        Memo {
            cur: None,
            keys: [NO_KEY; MEMO_KEYS],
        }
    }

    /// A new item, whose keys are looked up under `cur`.
    #[inline]
    fn start(&mut self, cur: Cursor) {
        if self.cur != Some(cur) {
            self.cur = Some(cur);
            self.keys = [NO_KEY; MEMO_KEYS];
        }
    }

    /// [`Trie::child_in`] for key number `nth` of the item, `input[a..b]`
    /// (its closing quote is at `b`).
    #[inline]
    fn child<T: Trie + ?Sized>(
        &mut self,
        set: &T,
        cur: Cursor,
        input: &[u8],
        nth: usize,
        a: usize,
        b: usize,
    ) -> Option<u16> {
        let len = b - a;
        let tail = b
            .checked_sub(15)
            .and_then(|t| input.get(t..))
            .and_then(<[u8]>::first_chunk::<16>)
            .map(|t| u128::from_le_bytes(*t));
        let slot = self.keys.get_mut(nth);
        match (tail, slot) {
            (Some(tail), Some(slot)) => {
                if slot.tail == tail && slot.len == len {
                    return slot.child;
                }
                let child = set.child_in(cur, input, a, b);
                if len <= MEMO_LEN {
                    *slot = MemoKey { tail, len, child };
                }
                child
            }
            _ => set.child_in(cur, input, a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;
    use std::string::{String, ToString};
    use std::vec;

    /// The wrapper is found by its decoded name, and only by it: an escaped
    /// `Response` unwraps, a key that starts like it or is longer does not,
    /// in both modes.
    #[test]
    fn the_wrapper_is_named_response_as_decoded() {
        let set = crate::PathSet::compile(["a"]).unwrap();
        let cases: [(&[u8], Option<&str>); 6] = [
            (br#"{"Response": {"a": "1"}}"#, Some("1")),
            (br#"{"Respons\u0065": {"a": "2"}}"#, Some("2")),
            (br#"{"\u0052esponse": {"a": "3"}}"#, Some("3")),
            (br#"{"Respo": {"a": "4"}}"#, None),
            (br#"{"Responses": {"a": "5"}}"#, None),
            (br#"{"Response" : {"a": "6"}, }"#, Some("6")),
        ];
        for skim in [false, true] {
            let options = if skim {
                Options::new().validation(crate::Validation::Skim)
            } else {
                Options::new()
            };
            for (doc, want) in cases {
                let mut slots = [crate::Hit::EMPTY; 4];
                let found = set.extract_with(doc, &options, &mut slots).unwrap();
                let got = found.hits().first().map(|h| h.text().raw());
                assert_eq!(got, want, "{:?} skim {skim}", String::from_utf8_lossy(doc));
            }
        }
    }

    /// `Skim` finds what `Full` finds, hit for hit, in objects whose
    /// members are laid out with gaps that repeat, change and end in `}`
    /// at every distance (the step at a learned gap and its refusals),
    /// with string, number, literal and container values.
    #[test]
    fn skim_steps_at_learned_gaps_as_full() {
        let set = crate::PathSet::compile(["k0", "k3", "o.k1", "o.k4", "k7"]).unwrap();
        let skim = Options::new().validation(crate::Validation::Skim);
        let full = Options::new();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut hits = 0usize;
        for _ in 0..3_000 {
            let mut doc = String::new();
            let blanks = |doc: &mut String, rand: &mut dyn FnMut(u64) -> u64| {
                // Mostly one layout, sometimes another, up to 20 blanks.
                let n = if rand(4) == 0 { rand(21) } else { 9 };
                for _ in 0..n {
                    doc.push([' ', '\n', '\t', ' '][rand(4) as usize]);
                }
            };
            let object = |doc: &mut String, depth: u32, rand: &mut dyn FnMut(u64) -> u64| {
                doc.push('{');
                let members = rand(9);
                for k in 0..members {
                    blanks(doc, rand);
                    let name = if depth == 0 && rand(3) == 0 {
                        'o'.to_string()
                    } else {
                        format!("k{}", rand(9))
                    };
                    doc.push_str(&format!("\"{name}\":{}", [" ", "", "  "][rand(3) as usize]));
                    match (name.as_str(), rand(5)) {
                        ("o", _) | (_, 0) if depth == 0 => {
                            doc.push_str("{\"k1\": \"in\", \"k4\": [1, {\"k1\": 2}]}");
                        }
                        (_, 1) => doc.push_str(&format!("{}", rand(1000))),
                        (_, 2) => doc.push_str("true"),
                        (_, 3) => {
                            doc.push_str(&"v".repeat(rand(20) as usize).replace('v', "\"w\""))
                        }
                        _ => doc.push_str(&format!("\"s{}\"", "x".repeat(rand(30) as usize))),
                    }
                    if k + 1 < members {
                        doc.push(',');
                    }
                }
                blanks(doc, rand);
                doc.push('}');
            };
            object(&mut doc, 0, &mut rand);
            let mut a = [crate::Hit::EMPTY; 64];
            let mut b = [crate::Hit::EMPTY; 64];
            let got = set.extract_with(doc.as_bytes(), &skim, &mut a);
            let want = set.extract_with(doc.as_bytes(), &full, &mut b);
            match (got, want) {
                (Ok(got), Ok(want)) => {
                    let view = |f: &crate::Found<'_, '_>| {
                        f.hits()
                            .iter()
                            .map(|h| (h.kind(), h.text().raw().to_string()))
                            .collect::<vec::Vec<_>>()
                    };
                    assert_eq!(view(&got), view(&want), "{doc}");
                    hits += want.hits().len();
                }
                // A value of several strings in a row is no document:
                // `Skim` may accept it, never hand out more.
                (_, Err(_)) => {}
                (Err(e), Ok(_)) => panic!("{doc}: {e:?}"),
            }
        }
        assert!(hits > 3_000, "{hits}");
    }

    /// Where [`short_key`] answers, it is [`string`]'s end for a key with
    /// no escape, and its words are the name's first and second eight
    /// bytes, zero-padded: on strings over quotes, backslashes, control
    /// bytes and letters, of every length around 16, at every offset.
    #[test]
    fn short_key_answers_as_the_checked_string() {
        const ALPHABET: &[u8] = b"\"\\\x01\x1fab~\x7f\xc3: \n";
        let word = |name: &[u8]| {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(name) {
                *d = *s;
            }
            u64::from_le_bytes(w)
        };
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut answered = 0;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let mut input = vec![b' ', b'"'];
            let mut r = seed >> 8;
            for _ in 0..len {
                // Mostly letters, so quotes come after runs of every length.
                let pick = (r % 24) as usize;
                r = r.rotate_right(7) ^ seed;
                input.push(if pick < ALPHABET.len() {
                    ALPHABET[pick]
                } else {
                    b'k'
                });
            }
            if let Some((end, head, tail, value)) = short_key(&input, 1) {
                answered += 1;
                assert_eq!(string(&input, 1).ok(), Some((end, false)), "{input:?}");
                if let Some(value) = value {
                    assert_eq!(after_key(&input, end).ok(), Some(value), "{input:?}");
                }
                let name = &input[2..end];
                assert!(name.len() <= 15);
                assert_eq!(head, word(name), "{input:?}");
                assert_eq!(tail, word(name.get(8..).unwrap_or(&[])), "{input:?}");
            }
        }
        assert!(answered > 1000, "{answered}");
    }

    /// [`first_solid`] answers as [`skip_ws`] where only the four blanks
    /// stand before its answer, and anywhere answers an offset at or after
    /// where it looked that holds a byte above the space, or [`skip_ws`]'s
    /// answer: on strings over blanks, control bytes and letters, with runs
    /// long enough to cross its 16-byte look, at every offset.
    #[test]
    fn first_solid_answers_as_skip_ws() {
        const ALPHABET: &[u8] = b" \n\t\r\x01\x1f\"}a";
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut r = seed;
            let len = (r % 40) as usize;
            r /= 40;
            let mut input = vec![];
            for _ in 0..len {
                let pick = (r % 12) as usize;
                r = r.rotate_right(5) ^ seed;
                input.push(*ALPHABET.get(pick).unwrap_or(&b' '));
            }
            for i in 0..=input.len() {
                let got = first_solid(&input, i);
                let want = skip_ws(&input, i);
                assert!(got >= i && got <= input.len(), "{input:?} at {i}");
                let solid = input.get(got).is_some_and(|&b| b > b' ');
                assert!(solid || got == want, "{input:?} at {i}");
                if input[i..got].iter().all(|b| b" \n\t\r".contains(b)) {
                    assert_eq!(got, want, "{input:?} at {i}");
                }
            }
        }
    }

    /// [`has_byte`] answers as a byte-by-byte look, on words with the byte
    /// in every lane, next to its neighbours, and nowhere.
    #[test]
    fn has_byte_answers_as_a_byte_look() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..200_000u32 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bytes = seed.to_le_bytes();
            // Bytes near the one looked for, so borrows cross lanes.
            for b in bytes.iter_mut() {
                if *b & 3 == 0 {
                    *b = b'\\'.wrapping_add((*b >> 2) % 3).wrapping_sub(1);
                }
            }
            let byte = if round % 4 == 0 {
                (round >> 2) as u8
            } else {
                b'\\'
            };
            let word = u64::from_le_bytes(bytes);
            assert_eq!(
                has_byte(word, byte),
                bytes.contains(&byte),
                "{bytes:?} {byte}"
            );
        }
    }

    /// Every answer of the one-look step [`next_member`] is the general
    /// path's ([`Extraction::after_member`]), strict or not, and every
    /// answer of the step at a learned gap ([`next_member_at`]) is the
    /// trusting step's, at every gap: on every
    /// string of up to 20 bytes over the bytes that matter there (blanks,
    /// `,`, `"`, `}`, a control byte, a letter), at several offsets, with
    /// blank runs long enough to cross the 16-byte look. `Skim`'s trusting
    /// step answers the same where no control byte is in its way, and
    /// anywhere points at a `"` or `}` at or after where it looked.
    #[test]
    fn next_member_answers_as_the_general_path() {
        const ALPHABET: &[u8] = b" \n\t\r,\"}x\x01";
        let mut answered = 0usize;
        let mut checked = 0usize;
        let mut predicted = 0usize;
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for strict in [false, true] {
            let options = if strict {
                Options::new()
                    .validation(crate::Validation::Skim)
                    .strict(true)
            } else {
                Options::new().validation(crate::Validation::Skim)
            };
            for round in 0..40_000usize {
                // A pseudo-random string: mostly blanks, some runs of 16+.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let mut r = seed;
                let len = (r % 21) as usize + 1;
                r /= 21;
                let mut input = vec![b'{'];
                for _ in 0..len {
                    let pick = (r % 16) as usize;
                    r = r.rotate_right(5) ^ (round as u64);
                    match pick {
                        0..=8 => input.push(ALPHABET[pick]),
                        9..=11 => input.push(b' '),
                        12 => input.extend_from_slice(&[b' '; 17]),
                        _ => input.push(b'\n'),
                    }
                }
                let w = Extraction {
                    input: &input,
                    valid: None,
                    settings: options.settings(),
                };
                for i in 1..input.len() {
                    checked += 1;
                    // The trusting step: where no control byte is near,
                    // the general path's answer; anywhere, a `"` or `}`.
                    if let Some(fast) = next_member_trusting(&input, i) {
                        let at = fast.unwrap_or_else(|close| close);
                        let want = if fast.is_ok() { b'"' } else { b'}' };
                        assert!(at >= i && input.get(at) == Some(&want), "{input:?} at {i}");
                        if !input[i..=at].contains(&1) {
                            assert_eq!(w.after_member(i, 0).ok(), Some(fast), "{input:?} at {i}");
                        }
                    }
                    // The step at a learned gap: the trusting step's answer.
                    for gap in 0..17 {
                        if let Some(key) = next_member_at(&input, i, gap) {
                            predicted += 1;
                            assert_eq!(
                                next_member_trusting(&input, i),
                                Some(Ok(key)),
                                "{input:?} at {i} gap {gap}"
                            );
                        }
                    }
                    if let Some(fast) = next_member(&input, i) {
                        answered += 1;
                        assert_eq!(
                            w.after_member(i, 0).ok(),
                            Some(fast),
                            "{:?} at {i} (strict {strict})",
                            String::from_utf8_lossy(&input)
                        );
                    }
                }
            }
        }
        // The sweep reaches the step's answers, not only its refusals.
        assert!(answered > checked / 50, "{answered} of {checked}");
        assert!(predicted > 1000, "{predicted} of {checked}");
    }
}
