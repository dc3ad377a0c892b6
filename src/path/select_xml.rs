//! Path extraction over the XML tokenizer.
//!
//! One recursive call per element that some path enters (so recursion depth
//! is bounded by [`MAX_STEPS`](crate::path::MAX_STEPS), not by the document);
//! every other element is skipped by the reader without matching.

use super::{Cursor, Kind, Matcher, Sink, Trie};
use crate::config::{Options, Validation};
use crate::scan::{fail, PResult};
use crate::text::{Escape, Text};
use crate::xml::{next_attr, Content, Reader, Tok};
use crate::ErrorKind;

pub(crate) fn run<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    input: &'buf [u8],
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    let mut r = Reader::blank(input, options);
    r.begin(options)?;
    let mut m = Matcher::new(set, sink, options);
    let skim = options.validation == Validation::Skim;
    let root = set.root();
    loop {
        match r.next_token()? {
            Tok::Start {
                start,
                name_end,
                end,
                empty,
            } => {
                if set.has_attr(root) {
                    attributes(&r, &mut m, root, name_end, end)?;
                }
                if !empty && element(&mut r, &mut m, root, start, end, skim, false)? {
                    return Ok(());
                }
                break;
            }
            Tok::Eof => return fail(ErrorKind::NoRoot, input.len()),
            _ => {}
        }
    }
    if !skim {
        r.finish()?;
    }
    Ok(())
}

/// The engine over one element of a document that has been checked
/// already (the typed view's items), whose start tag `r` has just read
/// (`start`, `name_end` and the end of the tag, `content`; `empty` for
/// `<a/>`), with the root cursor of `set`. `r` ends after the element.
pub(crate) fn item<'buf, S: Sink<'buf>>(
    set: &S::Trie,
    r: &mut Reader<'buf>,
    (start, name_end, content, empty): (usize, usize, usize, bool),
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    let mut m = Matcher::new(set, sink, options);
    let root = set.root();
    if set.has_attr(root) {
        attributes(r, &mut m, root, name_end, content)?;
    }
    if !empty {
        element(r, &mut m, root, start, content, false, false)?;
    }
    Ok(())
}

/// Reads the content of the element at `cur` whose start tag spans
/// `start..content`, through its end tag; `escaped` when text already read
/// needs decoding. Returns `true` when `Skim` may stop.
fn element<'buf, S: Sink<'buf>>(
    r: &mut Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    start: usize,
    content: usize,
    skim: bool,
    escaped: bool,
) -> PResult<bool> {
    let set = m.set;
    let input = r.input();
    let descend = set.descends(cur);
    let ends = set.ends(cur);
    if descend {
        m.enter(cur);
    }
    let mut has_child = false;
    let mut escaped = escaped;
    let (content_end, end) = loop {
        match r.next_in_content()? {
            Tok::Text { escaped: e, .. } => escaped |= e,
            Tok::CData { .. } | Tok::Markup => escaped = true,
            Tok::Start {
                start: cs,
                name_end,
                end: ce,
                empty,
            } => {
                has_child = true;
                let child = match descend {
                    true => set.child_in(cur, input, cs + 1, name_end),
                    false => None,
                };
                let cc = match child {
                    Some(child) => m.item(cur, child, cs)?,
                    None => None,
                };
                let Some(cc) = cc else {
                    if !empty {
                        r.skip()?;
                    }
                    continue;
                };
                if set.has_attr(cc) {
                    attributes(r, m, cc, name_end, ce)?;
                }
                if empty {
                    let e = set.ends(cc);
                    if e != 0 {
                        m.emit(e, Kind::Text, ce, Text::EMPTY)?;
                    }
                    m.done(cc);
                } else if set.descends(cc) {
                    if element(r, m, cc, cs, ce, skim, false)? {
                        return Ok(true);
                    }
                } else {
                    match r.leaf()? {
                        Content::Leaf { end, escaped, .. } => {
                            // A leaf value, read in one step.
                            emit_text(r, m, cc, ce, end, escaped)?;
                            m.done(cc);
                        }
                        Content::Text { escaped } => {
                            if element(r, m, cc, cs, ce, skim, escaped)? {
                                return Ok(true);
                            }
                        }
                    }
                }
                if skim && m.all_settled() {
                    return Ok(true);
                }
            }
            Tok::End { start: es, end: ee } => break (es, ee),
            Tok::Eof => return fail(ErrorKind::UnexpectedEof, input.len()),
        }
    };
    if ends != 0 {
        if has_child {
            let raw = r.str(start, end)?;
            m.emit(ends, Kind::Container, start, Text::plain(raw))?;
        } else {
            emit_text(r, m, cur, content, content_end, escaped)?;
        }
    }
    m.done(cur);
    Ok(false)
}

/// Emits the character data `content..end` for the paths that end at `cur`.
#[inline]
fn emit_text<'buf, S: Sink<'buf>>(
    r: &Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    content: usize,
    end: usize,
    escaped: bool,
) -> PResult<()> {
    let ends = m.set.ends(cur);
    if ends != 0 {
        let escape = if escaped {
            Escape::XmlContent
        } else {
            Escape::None
        };
        m.emit(
            ends,
            Kind::Text,
            content,
            Text::new(r.str(content, end)?, escape),
        )?;
    }
    Ok(())
}

/// Emits the attributes of the start tag whose attribute area is
/// `name_end..end` that some path at `cur` asks for.
fn attributes<'buf, S: Sink<'buf>>(
    r: &Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    name_end: usize,
    end: usize,
) -> PResult<()> {
    let area = r.input().get(name_end..end).unwrap_or(&[]);
    let mut p = 0;
    while let Some(((n0, n1), v0, v1)) = next_attr(area, &mut p) {
        let paths = m.set.attr(cur, area.get(n0..n1).unwrap_or(&[]));
        if paths == 0 {
            continue;
        }
        let at = name_end + v0;
        // Checked already in `Full` (the whole input, up front), checked here in `Skim`.
        let value = r.str(at, name_end + v1)?;
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
