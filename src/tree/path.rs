//! Raw paths over a [`Walk`]: the escape hatch of the typed view
//! (`Job::get`, `Task::get`, `Workflow::get`, `Callback::get`).
//!
//! A path is checked by the path layer's grammar
//! ([`PathSet::compile`](crate::PathSet::compile) reads paths with it too),
//! but nothing is compiled: the steps are read from the path text as the
//! search goes, so nothing allocates. The search gives the first value, in
//! document order, that the path layer would give.

use core::fmt;

use super::{rebase, Item, Level, Name, Reader, Shape, Span, Walk};
use crate::json::Next;
use crate::path::grammar::{self, Select, Step, Steps};
use crate::scan::PResult;

/// Whether an item's name is that of a path step (whose text may hold `\` escapes).
fn matches(name: &Name<'_>, step: &Step<'_>) -> bool {
    if !step.escaped {
        return name.is(step.name);
    }
    let Some(text) = name.text() else {
        return false;
    };
    let mut cmp = Compare {
        want: unescape(step.name),
    };
    text.write_to(&mut cmp).is_ok() && cmp.want.next().is_none()
}

/// The characters of a path step's name with its `\` escapes removed.
fn unescape(step: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = step.chars();
    core::iter::from_fn(move || match chars.next()? {
        '\\' => chars.next(),
        c => Some(c),
    })
}

/// A `fmt::Write` that compares what is written with a stream of characters.
struct Compare<I> {
    want: I,
}

impl<I: Iterator<Item = char>> fmt::Write for Compare<I> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.want.next() != Some(c) {
                return Err(fmt::Error);
            }
        }
        Ok(())
    }
}

/// The next step of a path that [`grammar::check`] accepted.
fn next<'p>(steps: &mut Steps<'p>) -> Option<Step<'p>> {
    steps.next()?.ok()
}

/// The first value (in document order) that the path layer would give for
/// `path` read from inside `top`, the top item of `walk`. `path` must have
/// passed [`grammar::check`].
pub(crate) fn find_path<'buf>(
    walk: &mut Walk<'buf>,
    top: &Item<'buf>,
    path: &str,
) -> PResult<Option<Span>> {
    let mut steps = grammar::steps(path);
    let select = steps.lead();
    if let (Reader::Json(_), Shape::Value { first: b'[' }) = (&walk.r, top.shape) {
        return top_items(walk, select.unwrap_or(Select::Index(0)), steps);
    }
    if select.is_some() {
        // Only a top-level JSON array has items to select.
        return Ok(None);
    }
    let Some(first) = next(&mut steps) else {
        return Ok(None);
    };
    if first.attr {
        return Ok(walk.attribute(top, |n| matches(n, &first)));
    }
    if !walk.enter(top)? {
        return Ok(None);
    }
    search(walk, &first, steps)
}

/// The walk is at a top-level JSON array (its `[` not read yet): the first
/// value of `steps` read inside each item that `select` picks, in order, each
/// item read like a document (`{"Response": {…}}` unwrapped). No steps: the
/// item itself.
fn top_items<'buf>(
    walk: &mut Walk<'buf>,
    select: Select,
    mut steps: Steps<'_>,
) -> PResult<Option<Span>> {
    let base = walk.base;
    let first = next(&mut steps);
    let mut index: u64 = 0;
    if let Reader::Json(r) = &mut walk.r {
        r.next_token().map_err(rebase(base))?;
    }
    loop {
        let Reader::Json(r) = &mut walk.r else {
            return Ok(None);
        };
        let item = match r.seek().map_err(rebase(base))? {
            Next::Value(first) => Item {
                name: Name::NONE,
                start: base + r.offset(),
                from_array: true,
                shape: Shape::Value { first },
            },
            _ => return Ok(None),
        };
        let chosen = match select {
            Select::All => true,
            Select::Index(k) => index == u64::from(k),
        };
        index += 1;
        if !chosen {
            walk.skip(&item)?;
            continue;
        }
        let Some(step) = &first else {
            return walk.value(&item).map(Some);
        };
        if step.attr || !walk.enter(&item)? {
            walk.skip(&item)?;
        } else {
            let mut level = Level::default();
            let inner = match response_wrapper(walk)? {
                true => walk.next_item(&mut level)?,
                false => None,
            };
            if let Some(inner) = inner {
                walk.enter(&inner)?;
            }
            if let Some(span) = search(walk, step, steps.clone())? {
                return Ok(Some(span));
            }
            if inner.is_some() {
                // The end of the item, after its one member.
                while walk.next_item(&mut level)?.is_some() {}
            }
        }
        if select != Select::All {
            return Ok(None);
        }
    }
}

/// Whether the entered object is `{"Response": {…}}` (its only member is
/// `Response`, an object), read ahead on a copy of the walk.
fn response_wrapper(walk: &Walk<'_>) -> PResult<bool> {
    let mut ahead = walk.clone();
    let mut level = Level::default();
    match ahead.next_item(&mut level)? {
        Some(item) if !item.from_array && item.is_object() && item.name.is("Response") => {
            ahead.skip(&item)?;
            Ok(ahead.next_item(&mut level)?.is_none())
        }
        _ => Ok(false),
    }
}

/// Searches the entered container for `step`, then the rest of the path.
/// Recursion is bounded by [`MAX_STEPS`](crate::path::MAX_STEPS).
fn search<'buf>(walk: &mut Walk<'buf>, step: &Step<'_>, rest: Steps<'_>) -> PResult<Option<Span>> {
    let mut after = rest.clone();
    let next = next(&mut after);
    let mut level = Level::default();
    let mut count: u64 = 0;
    while let Some(item) = walk.next_item(&mut level)? {
        if !matches(&item.name, step) {
            walk.skip(&item)?;
            continue;
        }
        let index = count;
        count += 1;
        if !step.picks(index) {
            walk.skip(&item)?;
            continue;
        }
        match &next {
            None => return walk.value(&item).map(Some),
            Some(attr) if attr.attr => {
                if let Some(span) = walk.attribute(&item, |n| matches(n, attr)) {
                    return Ok(Some(span));
                }
                walk.skip(&item)?;
            }
            Some(child) => {
                if walk.enter(&item)? {
                    if let Some(span) = search(walk, child, after.clone())? {
                        return Ok(Some(span));
                    }
                } else {
                    walk.skip(&item)?;
                }
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_names_compare_decoded() {
        let step = Step {
            name: r"a\.b",
            escaped: true,
            attr: false,
            select: Some(Select::All),
        };
        let plain = Name {
            raw: b"a.b",
            escaped: false,
        };
        let json = Name {
            raw: br"a\u002eb",
            escaped: true,
        };
        assert!(matches(&plain, &step) && matches(&json, &step));
        let longer = Name {
            raw: b"a.bc",
            escaped: false,
        };
        assert!(!matches(&longer, &step));
    }
}
