//! Path extraction over the XML tokenizer.
//!
//! One recursive call per element that some path enters (so recursion depth
//! is bounded by [`MAX_STEPS`](crate::path::MAX_STEPS), not by the document);
//! every other element is skipped by the reader without matching.

use super::{Cursor, Facts, Kind, Mask, Matcher, Sink, Trie};
use crate::config::{Options, Validation, MAX_DEPTH};
use crate::scan::{self, fail, PResult};
use crate::text::{Escape, Text};
use crate::xml::{find_byte, next_attr, text_from, Content, Reader, Step};
use crate::ErrorKind;

pub(crate) fn run<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    if options.validation == Validation::Skim {
        return skim::run(set, input, options, sink);
    }
    let mut r = Reader::blank(input, options);
    r.begin(options)?;
    let mut m = Matcher::new(set, sink, options);
    let root = set.root();
    loop {
        match r.step()? {
            step @ (Step::Start | Step::Empty) => {
                let (start, name_end, end) = (r.token_start(), r.name_end(), r.offset());
                let empty = step == Step::Empty;
                if set.has_attr(root) {
                    attributes(
                        input,
                        |a, b| r.str(a, b),
                        false,
                        &mut m,
                        root,
                        name_end,
                        end,
                    )?;
                }
                if !empty {
                    element(&mut r, &mut m, root, set.facts(root), start, end, false)?;
                }
                break;
            }
            Step::Eof => return fail(ErrorKind::NoRoot, input.len()),
            _ => {}
        }
    }
    r.finish()
}

pub(crate) use skim::read_child;

/// `Full` extraction: reads the content of the element at `cur` (whose
/// [`Facts`] are `facts`) whose start tag spans `start..content`, through
/// its end tag; `escaped` when text already read needs decoding. (`Skim`
/// extraction is [`skim`]'s.) `Full` reads the whole document whatever
/// is found, so it keeps no settled paths: values go out with
/// [`Matcher::record`], and no instance is marked done.
fn element<'buf, S: Sink<'buf>>(
    r: &mut Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    facts: Facts,
    start: usize,
    content: usize,
    escaped: bool,
) -> PResult<()> {
    let input = r.input();
    let descend = facts.descends;
    if descend {
        m.enter(cur);
    }
    // The first-two-bytes filter of the children's names
    // ([`Trie::leads`]): a child it turns away is no path's, and its name
    // is not looked up.
    let [lead1, lead2] = match descend {
        true => m.set.leads(cur),
        false => [0, 0],
    };
    let mut has_child = false;
    let mut escaped = escaped;
    let (content_end, end) = loop {
        match r.step_in_content()? {
            Step::Text => {}
            Step::EscapedText | Step::CData | Step::Markup => escaped = true,
            step @ (Step::Start | Step::Empty) => {
                let (cs, name_end, ce) = (r.token_start(), r.name_end(), r.offset());
                let empty = step == Step::Empty;
                has_child = true;
                let b1 = input.get(cs + 1).copied().unwrap_or(0);
                let b2 = input.get(cs + 2).copied().unwrap_or(0);
                let found = match (lead1 >> (b1 & 63)) & (lead2 >> (b2 & 63)) & 1 {
                    0 => None,
                    _ => child(m, cur, input, cs + 1, name_end, cs)?,
                };
                let Some((cc, cf)) = found else {
                    if !empty {
                        r.skip()?;
                    }
                    continue;
                };
                if cf.has_attr {
                    attributes(input, |a, b| r.str(a, b), false, m, cc, name_end, ce)?;
                }
                if empty {
                    if cf.ends != 0 {
                        m.record(cf.ends, Kind::Text, ce, Text::EMPTY)?;
                    }
                } else if cf.descends {
                    element(r, m, cc, cf, cs, ce, false)?;
                } else {
                    match r.leaf()? {
                        Content::Leaf { end, escaped, .. } => {
                            // A leaf value, read in one step.
                            emit_text(r, m, cf.ends, ce, end, escaped)?;
                        }
                        Content::Text { escaped } => {
                            element(r, m, cc, cf, cs, ce, escaped)?;
                        }
                    }
                }
            }
            Step::End => break (r.token_start(), r.offset()),
            Step::Eof => return fail(ErrorKind::UnexpectedEof, input.len()),
        }
    };
    if facts.ends != 0 {
        if has_child {
            let raw = r.str(start, end)?;
            m.record(facts.ends, Kind::Container, start, Text::plain(raw))?;
        } else {
            emit_text(r, m, facts.ends, content, content_end, escaped)?;
        }
    }
    Ok(())
}

/// The child of `cur` named `input[a..b]` (its `<` at `at`) that some path
/// selects, with its [`Facts`]: in a [`lean`](crate::path::Trie::lean) run
/// both come with its name, from the parent's table, when it is the
/// node's first item (another is counted, for the item limit, and selected
/// by no path). Out of line in debug builds, where its temporaries would
/// grow the frame of every level of the engines' recursion.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline(never))]
fn child<'buf, S: Sink<'buf>>(
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    input: &[u8],
    a: usize,
    b: usize,
    at: usize,
) -> PResult<Option<(Cursor, Facts)>> {
    let set = m.set;
    if !m.lean() {
        return Ok(match set.child_in(cur, input, a, b) {
            Some(child) => m.item(cur, child, at)?.map(|cc| (cc, set.facts(cc))),
            None => None,
        });
    }
    match set.lean_child(cur, input, a, b) {
        Some(kid) => lean_item(m, cur, kid, at),
        None => Ok(None),
    }
}

/// The child `kid` of `cur` a lean look-up found, counted: itself when it
/// is the node's first item, else what [`Matcher::item`] selects.
#[inline(always)]
fn lean_item<'buf, S: Sink<'buf>>(
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    (cc, cf): (Cursor, Facts),
    at: usize,
) -> PResult<Option<(Cursor, Facts)>> {
    if m.fresh(cc.node) {
        return Ok(Some((cc, cf)));
    }
    let set = m.set;
    Ok(m.item(cur, cc.node, at)?
        .map(|cc| (cc, set.later_facts(cc, cf))))
}

/// Records the character data `content..end` for the paths `ends`. Always
/// inlined when optimised: out of line, its call saved and restored six
/// registers around the ~50 instructions of the write.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn emit_text<'buf, S: Sink<'buf>>(
    r: &Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    ends: Mask,
    content: usize,
    end: usize,
    escaped: bool,
) -> PResult<()> {
    if ends != 0 {
        let escape = if escaped {
            Escape::XmlContent
        } else {
            Escape::None
        };
        m.record(
            ends,
            Kind::Text,
            content,
            Text::new(r.str(content, end)?, escape),
        )?;
    }
    Ok(())
}

/// Emits the attributes of the start tag whose attribute area is
/// `name_end..end` that some path at `cur` asks for; `str` gives a range of
/// the input as checked UTF-8. `skim`: the tag was not read by the checking
/// reader, so the characters of the values returned are checked here.
#[allow(clippy::too_many_arguments)]
fn attributes<'buf, S: Sink<'buf>>(
    input: &'buf [u8],
    str: impl Fn(usize, usize) -> PResult<&'buf str>,
    skim: bool,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    name_end: usize,
    end: usize,
) -> PResult<()> {
    let area = input.get(name_end..end).unwrap_or(&[]);
    let mut p = 0;
    // The paths given a value on this element: a second value for one is a
    // second attribute of the same name, which `Full` refused while reading
    // the tag and `Skim` refuses here (it reads no other duplicates).
    let mut given = 0;
    while let Some(((n0, n1), v0, v1)) = next_attr(area, &mut p) {
        let paths = m.set.attr(cur, area.get(n0..n1).unwrap_or(&[]));
        if paths == 0 {
            continue;
        }
        if paths & given != 0 {
            return fail(ErrorKind::DuplicateAttribute, name_end + n0);
        }
        given |= paths;
        let at = name_end + v0;
        // Checked already in `Full` (the whole input up front, then the tag
        // by the reader), checked here in `Skim`: first its UTF-8, as `Full`
        // does, then its characters, as the reader does.
        let value = str(at, name_end + v1)?;
        if skim {
            let open = at - 1;
            let quote = input.get(open).copied().unwrap_or(b'"');
            let close = crate::xml::attribute_chars(input, open, quote)?;
            debug_assert_eq!(close, name_end + v1, "the value's closing quote");
        }
        let escaped = value
            .bytes()
            .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
        let escape = if escaped {
            Escape::XmlAttr
        } else {
            Escape::None
        };
        m.emit(paths, Kind::Text, at, Text::new(value, escape))?;
    }
    Ok(())
}

/// `Skim` extraction: the document is read by its structure alone
/// (`xml::skim`: markup found by its `<`, end tags not compared, elements no
/// path needs skipped by counting tags), trusting what it does not return.
/// Names are compared with the paths' only for elements some path enters,
/// and only for children whose first two name bytes pass the node's filter
/// (`Trie::leads`; the others are stepped over unread); the values returned
/// are checked as in `Full` (`xml::text_from`, then UTF-8).
mod skim {
    use super::*;
    use crate::xml::skim::{
        end_tag_end, markup, past_child, plain_leaf, root, skip, start_tag, tag_after_name, Lts,
    };

    /// Steps over the element whose start tag opened at `lt` and ended
    /// before `ce` (`empty` if it was an empty-element tag), a child no path
    /// enters: returns the offset after its end tag's `</`.
    #[inline(always)]
    fn pass(
        input: &[u8],
        lts: &mut Lts<'_>,
        max_depth: usize,
        lt: usize,
        ce: usize,
        empty: bool,
        depth: usize,
    ) -> PResult<usize> {
        if empty {
            return Ok(ce);
        }
        let e = lts.after_tag(lt, ce);
        if input.get(e + 1) == Some(&b'/') {
            // A leaf (its first markup is an end tag): what `skip` would
            // find first, without the call.
            return Ok(e + 2);
        }
        skip(input, lts, max_depth, lt, ce, depth + 1)
    }

    pub(super) fn run<'buf, S: Sink<'buf>>(
        set: &S::Trie,
        input: &'buf [u8],
        options: &Options,
        sink: &mut S,
    ) -> PResult<()> {
        let lt = root(input, options)?;
        let (name_end, end, empty) = start_tag(input, lt)?;
        let mut m = Matcher::new(set, sink, options);
        let root = set.root();
        if set.has_attr(root) {
            attributes(input, str_of(input), true, &mut m, root, name_end, end)?;
        }
        if !empty {
            let max_depth = options.limits.max_depth();
            let mut lts = Lts::new(input);
            element(input, &mut lts, max_depth, &mut m, root, lt, end, 1)?;
        }
        Ok(())
    }

    /// The engine over a child element `xml::skim::next_child` found, in a
    /// checked document, read by structure: returns the offset after the
    /// element.
    pub(crate) fn read_child<'buf, S: Sink<'buf>>(
        set: &S::Trie,
        input: &'buf [u8],
        tag: (usize, usize, usize, bool),
        options: &Options,
        sink: &mut S,
    ) -> PResult<usize> {
        let (lt, name_end, content, empty) = tag;
        let mut m = Matcher::new(set, sink, options);
        let root = set.root();
        if set.has_attr(root) {
            attributes(input, str_of(input), true, &mut m, root, name_end, content)?;
        }
        if empty {
            return Ok(content);
        }
        let mut lts = Lts::new(input);
        match element(input, &mut lts, MAX_DEPTH, &mut m, root, lt, content, 1)? {
            Some(after) => end_tag_end(input, after),
            // Every field known before the end: find the end by structure.
            None => past_child(input, tag),
        }
    }

    /// `input[a..b]` as checked UTF-8.
    fn str_of<'buf>(input: &'buf [u8]) -> impl Fn(usize, usize) -> PResult<&'buf str> + 'buf {
        move |a, b| scan::utf8(input.get(a..b).unwrap_or(&[]), a)
    }

    /// The content of the element at `cur` opened at `lt` (nesting `depth`),
    /// from `content`, after its start tag, through its end tag. Returns an
    /// offset inside the end tag, after its `</`, or `None` when every path
    /// is settled.
    #[allow(clippy::too_many_arguments)]
    fn element<'buf, S: Sink<'buf>>(
        input: &'buf [u8],
        lts: &mut Lts<'_>,
        max_depth: usize,
        m: &mut Matcher<'_, '_, S>,
        cur: Cursor,
        lt: usize,
        content: usize,
        depth: usize,
    ) -> PResult<Option<usize>> {
        let set = m.set;
        let facts = set.facts(cur);
        let descend = facts.descends;
        let ends = facts.ends;
        if descend {
            m.enter(cur);
        }
        // The first-two-bytes filter of the children's names: a child it
        // turns away is stepped over without reading its name.
        let [lead1, lead2] = match descend {
            true => set.leads(cur),
            false => [0, 0],
        };
        // In a lean run, the children's names matched where they stand.
        let lean = match descend && m.lean() {
            true => set.lean_node(cur),
            false => None,
        };
        // Whether the text read so far may be this element's value: a path
        // ends here and no child has shown (one flag, tested per markup).
        let mut value = ends != 0;
        let mut escaped = false;
        let mut k = content;
        let close = loop {
            // The text before the next markup: checked only while it may be
            // this element's value.
            let i = if value {
                let (i, e) = text_from(input, k, 0)?;
                escaped |= e;
                i
            } else {
                lts.next(k)
            };
            let b1 = match input.get(i + 1) {
                // A name starts above `?` (mostly): one compare for a child.
                Some(&b) if b > b'?' => b,
                Some(b'/') => break i,
                Some(b'!' | b'?') => {
                    k = markup(input, i)?;
                    escaped = true;
                    continue;
                }
                Some(&b) => b,
                None => return fail(ErrorKind::UnclosedElement, lt),
            };
            let b2 = input.get(i + 2).copied().unwrap_or(0);
            if (lead1 >> (b1 & 63)) & (lead2 >> (b2 & 63)) & 1 == 0 {
                let (_, ce, empty) = start_tag(input, i)?;
                value = false;
                if depth >= max_depth {
                    return fail(ErrorKind::DepthLimit, i);
                }
                k = pass(input, lts, max_depth, i, ce, empty, depth)?;
                continue;
            }
            // A name the filter lets through: in a lean run, compared
            // with the kids' names where it stands, which finds its end;
            // else its end is found first and the name looked up. (The
            // filter lets nothing through when no path goes below `cur`.)
            let (name_end, ce, empty, found) = match lean.map(|kids| kids.find(input, i + 1)) {
                Some(Ok(named)) => {
                    let (name_end, ce, empty) = match named {
                        Some((_, name_end)) => tag_after_name(input, i, name_end)?,
                        None => start_tag(input, i)?,
                    };
                    if depth >= max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    let found = match named {
                        Some((kid, _)) => super::lean_item(m, cur, kid.get(), i)?,
                        None => None,
                    };
                    (name_end, ce, empty, found)
                }
                _ => {
                    let (name_end, ce, empty) = start_tag(input, i)?;
                    if depth >= max_depth {
                        return fail(ErrorKind::DepthLimit, i);
                    }
                    let found = super::child(m, cur, input, i + 1, name_end, i)?;
                    (name_end, ce, empty, found)
                }
            };
            value = false;
            let Some((cc, cf)) = found else {
                k = pass(input, lts, max_depth, i, ce, empty, depth)?;
                continue;
            };
            if cf.has_attr {
                attributes(input, str_of(input), true, m, cc, name_end, ce)?;
            }
            if empty {
                let e = cf.ends;
                if e != 0 {
                    m.emit(e, Kind::Text, ce, Text::EMPTY)?;
                }
                m.done_with(&cf);
                k = ce;
            } else {
                let plain = match cf.descends {
                    false => plain_leaf(input, ce)?,
                    true => None,
                };
                if let Some((s, p)) = plain {
                    // A leaf of plain text, read in one step.
                    let e = cf.ends;
                    if e != 0 {
                        m.emit(e, Kind::Text, ce, Text::plain(s))?;
                    }
                    m.done_with(&cf);
                    k = p + 2;
                } else {
                    match element(input, lts, max_depth, m, cc, i, ce, depth + 1)? {
                        Some(after) => k = after,
                        None => return Ok(None),
                    }
                }
            }
            if m.all_settled() {
                return Ok(None);
            }
        };
        if ends != 0 {
            if !value {
                // A child showed: the value is the element's markup.
                let Some(gt) = find_byte(input, close + 2, b'>') else {
                    return fail(ErrorKind::UnclosedTag, close);
                };
                let raw = str_of(input)(lt, gt + 1)?;
                // Read by structure: checked as `Full` reads it, once its
                // UTF-8 is (as `Full` checks that first).
                if m.check_containers {
                    let after = crate::xml::check_element(input, lt, m.limits)?;
                    debug_assert_eq!(after, gt + 1, "the element's end");
                }
                m.emit(ends, Kind::Container, lt, Text::plain(raw))?;
            } else {
                let text = str_of(input)(content, close)?;
                let escape = if escaped {
                    Escape::XmlContent
                } else {
                    Escape::None
                };
                m.emit(ends, Kind::Text, content, Text::new(text, escape))?;
            }
        }
        m.done_with(&facts);
        Ok(Some(close + 2))
    }
}
