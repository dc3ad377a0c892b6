//! Raw paths over a [`Walk`]: the escape hatch of the typed view
//! (`Job::get`, `Task::get`, `Workflow::get`, `Callback::get`).
//!
//! A path is checked against the path grammar (crate docs, *Paths*) exactly as
//! [`PathSet::compile`](crate::PathSet::compile) checks it (same error kinds
//! and offsets) but without compiling anything: the steps are read from the
//! path text as the search goes, so nothing allocates. The search gives the
//! first value, in document order, that the path layer would give.

use core::fmt;

use super::{rebase, Item, Level, Name, Reader, Shape, Span, Walk};
use crate::json::Next;
use crate::path::MAX_STEPS;
use crate::scan::{fail, PResult};
use crate::ErrorKind;

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

/// The selector of one path step (no selector is index 0, as in the path layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Select {
    Index(u32),
    All,
}

/// One step of a checked path.
#[derive(Debug, Clone, Copy)]
struct Step<'p> {
    /// The name as written, `\` escapes included, without a leading `@`.
    name: &'p str,
    escaped: bool,
    attr: bool,
    select: Select,
}

/// Splits off the segment of `path` that starts at `i` (up to an unescaped
/// `.`). Returns the segment and where it ends.
fn segment(path: &str, i: usize) -> (&str, usize) {
    let b = path.as_bytes();
    let mut k = i;
    while let Some(&c) = b.get(k) {
        match c {
            b'.' => break,
            b'\\' => k += 2,
            _ => k += 1,
        }
    }
    let k = k.min(b.len());
    // `.` and `\` are ASCII and an escape is two ASCII bytes (checked), so `k` is a boundary.
    (path.get(i..k).unwrap_or(""), k)
}

fn is_index(seg: &str) -> bool {
    !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit())
}

/// Checks `path` against the path grammar (crate docs, *Paths*) exactly as
/// [`PathSet::compile`](crate::PathSet::compile) does, with the same error
/// kinds and offsets, without allocating.
pub(crate) fn check_path(path: &str) -> PResult<()> {
    let b = path.as_bytes();
    if b.is_empty() {
        return fail(ErrorKind::BadPath, 0);
    }
    #[derive(PartialEq)]
    enum Last {
        None,
        Name,
        Selected,
        Attr,
    }
    let mut last = Last::None;
    let mut lead = false;
    let mut steps = 0usize;
    let mut attrs = 0usize;
    let mut i = 0;
    loop {
        let start = i;
        let mut decoded = 0usize;
        while let Some(&c) = b.get(i) {
            match c {
                b'.' => break,
                b'\\' => {
                    if !matches!(b.get(i + 1), Some(b'.' | b'#' | b'@' | b'\\' | b'0'..=b'9')) {
                        return fail(ErrorKind::BadPath, i);
                    }
                    i += 2;
                }
                _ => i += 1,
            }
            decoded += 1;
        }
        let raw = b.get(start..i).unwrap_or(&[]);
        if raw.is_empty() {
            return fail(ErrorKind::BadPath, start);
        }
        let plain_first = raw.first() != Some(&b'\\');
        if plain_first && (raw == b"#" || raw.iter().all(u8::is_ascii_digit)) {
            // A selector follows a name, or leads the path (items of a
            // top-level JSON array).
            if last != Last::Name && start != 0 {
                return fail(ErrorKind::BadPath, start);
            }
            lead |= start == 0;
            if raw != b"#" {
                let mut v: u32 = 0;
                for &d in raw {
                    v = match v
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u32::from(d - b'0')))
                    {
                        Some(v) => v,
                        None => return fail(ErrorKind::BadPath, start),
                    };
                }
            }
            last = Last::Selected;
        } else if plain_first && raw.first() == Some(&b'@') {
            // No attribute after a leading selector: attributes are XML's,
            // top-level arrays JSON's.
            if decoded < 2 || lead {
                return fail(ErrorKind::BadPath, start);
            }
            steps += 1;
            attrs += 1;
            last = Last::Attr;
        } else {
            if last == Last::Attr {
                return fail(ErrorKind::BadPath, start);
            }
            steps += 1;
            last = Last::Name;
        }
        if steps > MAX_STEPS {
            return fail(ErrorKind::PathLimit, start);
        }
        match b.get(i) {
            None => break,
            Some(_) => {
                i += 1;
                if i == b.len() {
                    return fail(ErrorKind::BadPath, i);
                }
            }
        }
    }
    if last == Last::Attr && attrs > 1 {
        return fail(ErrorKind::BadPath, 0);
    }
    Ok(())
}

/// The steps of a path that [`check_path`] accepted.
#[derive(Debug, Clone)]
struct Steps<'p> {
    path: &'p str,
    pos: usize,
}

impl<'p> Iterator for Steps<'p> {
    type Item = Step<'p>;

    fn next(&mut self) -> Option<Step<'p>> {
        if self.pos >= self.path.len() {
            return None;
        }
        let (seg, end) = segment(self.path, self.pos);
        self.pos = end + 1;
        if let Some(name) = seg.strip_prefix('@') {
            return Some(Step {
                name,
                escaped: name.contains('\\'),
                attr: true,
                select: Select::Index(0),
            });
        }
        let mut select = Select::Index(0);
        if self.pos < self.path.len() {
            let (next, next_end) = segment(self.path, self.pos);
            if next == "#" {
                select = Select::All;
                self.pos = next_end + 1;
            } else if is_index(next) {
                select = Select::Index(next.parse().unwrap_or(u32::MAX));
                self.pos = next_end + 1;
            }
        }
        Some(Step {
            name: seg,
            escaped: seg.contains('\\'),
            attr: false,
            select,
        })
    }
}

/// Splits the leading selector (items of a top-level JSON array) off a path
/// that [`check_path`] accepted: the selector, if written, and the steps.
fn lead(path: &str) -> (Option<Select>, Steps<'_>) {
    let (seg, end) = segment(path, 0);
    let select = match seg {
        "#" => Select::All,
        _ if is_index(seg) => Select::Index(seg.parse().unwrap_or(u32::MAX)),
        _ => return (None, Steps { path, pos: 0 }),
    };
    (Some(select), Steps { path, pos: end + 1 })
}

/// The first value (in document order) that the path layer would give for
/// `path` read from inside `top`, the top item of `walk`. `path` must have
/// passed [`check_path`].
pub(crate) fn find_path<'buf>(
    walk: &mut Walk<'buf>,
    top: &Item<'buf>,
    path: &str,
) -> PResult<Option<Span>> {
    let (select, mut steps) = lead(path);
    if let (Reader::Json(_), Shape::Value { first: b'[' }) = (&walk.r, top.shape) {
        return top_items(walk, select.unwrap_or(Select::Index(0)), steps);
    }
    if select.is_some() {
        // Only a top-level JSON array has items to select.
        return Ok(None);
    }
    let Some(first) = steps.next() else {
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
    let first = steps.next();
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
/// Recursion is bounded by [`MAX_STEPS`].
fn search<'buf>(walk: &mut Walk<'buf>, step: &Step<'_>, rest: Steps<'_>) -> PResult<Option<Span>> {
    let mut after = rest.clone();
    let next = after.next();
    let mut level = Level::default();
    let mut count: u64 = 0;
    while let Some(item) = walk.next_item(&mut level)? {
        if !matches(&item.name, step) {
            walk.skip(&item)?;
            continue;
        }
        let index = count;
        count += 1;
        let chosen = match step.select {
            Select::All => true,
            Select::Index(k) => index == u64::from(k),
        };
        if !chosen {
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
    use crate::PathSet;
    use alloc::string::String;

    #[test]
    fn path_check_agrees_with_compile() {
        let paths = [
            "",
            "a",
            "a..b",
            "a.",
            ".a",
            "#",
            "a.#.#",
            "a.1.2",
            "a.@x.b",
            "a.@",
            r"a\x",
            r"a\",
            "a.99999999999",
            "a.4294967295",
            "a.4294967296",
            "@id",
            "a.@x.@y",
            r"a\.b.\#.\1\@x.@id",
            r"@\.",
            "a.#.b.0.c.@d",
            "JobsDetail.#.Input.CosHeaders.#.Key",
            "a.@x.#",
            "a.中文.b",
            r"\@x",
            "#.a",
            "0.a.#.b",
            "3",
            "#.#",
            "0.1",
            "#.",
            "#.@id",
            "1.a.@id",
            r"\#.a",
            "99999999999.a",
        ];
        for p in paths {
            let ours = check_path(p).map_err(|f| (f.kind, f.at));
            let theirs = PathSet::compile([p])
                .map(|_| ())
                .map_err(|e| (e.kind(), e.offset()));
            assert_eq!(ours, theirs, "{p:?}");
        }
        let long = ["a"; MAX_STEPS + 1].join(".");
        assert_eq!(
            check_path(&long).map_err(|f| f.kind),
            Err(ErrorKind::PathLimit)
        );
        assert!(check_path(&long[2..]).is_ok());
    }

    #[test]
    fn steps_split_names_and_selectors() {
        let all: alloc::vec::Vec<(String, bool, Select)> = Steps {
            path: r"a\.b.#.c.3.d.@e",
            pos: 0,
        }
        .map(|s| (String::from(s.name), s.attr, s.select))
        .collect();
        assert_eq!(
            all,
            [
                (String::from(r"a\.b"), false, Select::All),
                (String::from("c"), false, Select::Index(3)),
                (String::from("d"), false, Select::Index(0)),
                (String::from("e"), true, Select::Index(0)),
            ]
        );
    }

    #[test]
    fn escaped_names_compare_decoded() {
        let step = Step {
            name: r"a\.b",
            escaped: true,
            attr: false,
            select: Select::All,
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
