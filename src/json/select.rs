//! Path extraction over the JSON tokenizer.
//!
//! One recursive call per object that some path enters (so recursion depth is
//! bounded by [`MAX_STEPS`](crate::path::MAX_STEPS), not by the document);
//! every other value is skipped by the reader without matching.

use super::{Next, Reader, Tok};
use crate::config::{Options, Validation};
use crate::path::{Cursor, Kind, Matcher, PathSet, Sink};
use crate::scan::{self, fail, PResult};
use crate::text::{Escape, Text};
use crate::ErrorKind;

pub(crate) fn run<'buf, S: Sink<'buf>>(
    set: &PathSet,
    input: &'buf [u8],
    options: &Options,
    sink: &mut S,
) -> PResult<()> {
    let mut r = Reader::start(input, options)?;
    let mut m = Matcher::new(set, sink, options);
    let skim = options.validation == Validation::Skim;
    let root = set.root();
    if r.seek()? != Next::Value(b'{') {
        r.skip()?;
    } else {
        let wrapped = is_wrapper(&r)?;
        let start = r.pos;
        r.next_token()?; // `{`
        if wrapped {
            r.next_token()?; // "Response"
            let inner = r.seek().map(|_| r.pos)?;
            r.next_token()?; // `{`
            if object(&mut r, &mut m, root, inner, skim)? {
                return Ok(());
            }
            r.next_token()?; // the outer `}` (checked by is_wrapper)
        } else if object(&mut r, &mut m, root, start, skim)? {
            return Ok(());
        }
    }
    if !skim {
        r.finish()?;
    }
    Ok(())
}

/// Whether the object at the reader's position is `{"Response": {…}}`: one
/// member, named `Response`, whose value is an object. Looks ahead on a copy
/// of the reader, skipping the inner object by its brackets only (the real
/// pass checks it).
fn is_wrapper(r: &Reader<'_>) -> PResult<bool> {
    let mut ahead = r.clone();
    ahead.next_token()?;
    let Tok::Key {
        start,
        end,
        escaped,
    } = ahead.next_token()?
    else {
        return Ok(false);
    };
    let key = ahead.input().get(start..end).unwrap_or(&[]);
    let is_response = if escaped {
        let s = scan::utf8(key, start)?;
        Text::new(s, Escape::Json).eq_str("Response")
    } else {
        key == b"Response"
    };
    if !is_response || ahead.seek()? != Next::Value(b'{') {
        return Ok(false);
    }
    let end = ahead.skim_container(ahead.pos)?;
    ahead.pos = end;
    ahead.state = super::State::AfterValue;
    Ok(ahead.seek()? == Next::Close)
}

/// Reads the members of the object at `cur` whose `{` is at `start` and has
/// been consumed, through its `}`. Returns `true` when `Skim` may stop.
fn object<'buf, S: Sink<'buf>>(
    r: &mut Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    start: usize,
    skim: bool,
) -> PResult<bool> {
    let set = m.set;
    let input = r.input();
    let descend = set.descends(cur);
    let ends = set.ends(cur);
    if descend {
        m.enter(cur);
    }
    loop {
        let (k0, k1, escaped) = match r.next_token()? {
            Tok::Key {
                start,
                end,
                escaped,
            } => (start, end, escaped),
            Tok::End => break,
            _ => return fail(ErrorKind::UnexpectedEof, r.pos),
        };
        let child = if !descend {
            None
        } else if escaped {
            let name = scan::utf8(input.get(k0..k1).unwrap_or(&[]), k0)?;
            set.child_decoded(cur, Text::new(name, Escape::Json))
        } else {
            set.child(cur, input.get(k0..k1).unwrap_or(&[]))
        };
        let Some(child) = child else {
            r.skip()?;
            continue;
        };
        if r.seek()? == Next::Value(b'[') {
            // Every item of the array is one occurrence of the name.
            r.next_token()?;
            loop {
                if r.seek()? == Next::Close {
                    r.next_token()?;
                    break;
                }
                let at = r.pos;
                match m.item(cur, child, at)? {
                    None => {
                        r.skip()?;
                    }
                    Some(cc) => {
                        if value(r, m, cc, skim)? {
                            return Ok(true);
                        }
                    }
                }
            }
        } else {
            let at = r.pos;
            match m.item(cur, child, at)? {
                None => {
                    r.skip()?;
                }
                Some(cc) => {
                    if value(r, m, cc, skim)? {
                        return Ok(true);
                    }
                }
            }
        }
    }
    if ends != 0 {
        let raw = scan::utf8(input.get(start..r.pos).unwrap_or(&[]), start)?;
        m.emit(ends, Kind::Container, start, Text::plain(raw))?;
    }
    m.done(cur);
    Ok(skim && m.all_settled())
}

/// Reads the value at the reader's position, which path cursor `cur` selects.
/// Returns `true` when `Skim` may stop.
fn value<'buf, S: Sink<'buf>>(
    r: &mut Reader<'buf>,
    m: &mut Matcher<'_, '_, S>,
    cur: Cursor,
    skim: bool,
) -> PResult<bool> {
    let set = m.set;
    let input = r.input();
    let at = r.pos;
    let ends = set.ends(cur);
    if input.get(at) == Some(&b'{') && set.descends(cur) {
        r.next_token()?;
        return object(r, m, cur, at, skim);
    }
    if ends == 0 {
        r.skip()?;
    } else {
        let (kind, start, end, escape) = match input.get(at) {
            Some(b'{' | b'[') => {
                let (s, e) = r.skip()?;
                (Kind::Container, s, e, Escape::None)
            }
            _ => match r.next_token()? {
                Tok::Str {
                    start,
                    end,
                    escaped,
                } => {
                    let escape = if escaped { Escape::Json } else { Escape::None };
                    (Kind::String, start, end, escape)
                }
                Tok::Atom { start, end } => {
                    let kind = match input.get(start) {
                        Some(b't' | b'f') => Kind::Bool,
                        Some(b'n') => Kind::Null,
                        _ => Kind::Number,
                    };
                    (kind, start, end, Escape::None)
                }
                _ => {
                    return fail(
                        ErrorKind::UnexpectedByte {
                            expected: "a value",
                        },
                        at,
                    )
                }
            },
        };
        let raw = scan::utf8(input.get(start..end).unwrap_or(&[]), start)?;
        m.emit(ends, kind, start, Text::new(raw, escape))?;
    }
    m.done(cur);
    Ok(skim && m.all_settled())
}
