//! The path grammar, written once: a path's text read segment by segment
//! into steps (names, selectors, a final attribute), without allocating.
//!
//! [`Steps`] checks the path as it goes and gives every error at the same
//! place whoever reads it: [`PathSet::compile`](crate::PathSet::compile) (through
//! [`parse`], which copies the steps out for the trie) and the typed view's
//! raw-path lookups (`Job::get` and friends, which read the steps straight
//! from the text).

use alloc::vec::Vec;

use super::MAX_STEPS;
use crate::scan::{fail, PResult};
use crate::ErrorKind;

/// The selector of one name step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Select {
    All,
    Index(u32),
}

/// One step of a path, borrowed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step<'p> {
    /// The name as written, `\` escapes included, without an attribute's `@`.
    pub(crate) name: &'p str,
    /// Whether `name` holds a `\` escape.
    pub(crate) escaped: bool,
    pub(crate) attr: bool,
    /// The selector written after the name (`None` reads the first match).
    pub(crate) select: Option<Select>,
}

impl Step<'_> {
    /// Whether the step picks the `index`th (0-based) match of its name.
    #[inline]
    pub(crate) fn picks(&self, index: u64) -> bool {
        match self.select {
            Some(Select::All) => true,
            Some(Select::Index(k)) => index == u64::from(k),
            None => index == 0,
        }
    }
}

/// What came before a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    Name,
    Selected,
    Attr,
}

/// One segment (text up to an unescaped `.`): a selector or a step.
#[derive(Debug, Clone, Copy)]
enum Segment<'p> {
    Select(Select),
    Step(Step<'p>),
}

/// The steps of a path, checked as they are read: an `Err` (a
/// [`BadPath`](ErrorKind::BadPath) or [`PathLimit`](ErrorKind::PathLimit)
/// with its offset into the text) is the last item. A selector is given
/// with the name it follows; a leading one (items of a top-level JSON array)
/// is taken with [`Steps::lead`].
#[derive(Debug, Clone)]
pub(crate) struct Steps<'p> {
    text: &'p str,
    /// Where the next segment starts; `None` after the last one or an error.
    at: Option<usize>,
    last: Last,
    lead: bool,
    steps: usize,
    attrs: usize,
    /// The segment read after a name to look for its selector, when it was
    /// not one (read once, given next).
    ahead: Option<PResult<Segment<'p>>>,
}

/// The steps of `text`.
pub(crate) fn steps(text: &str) -> Steps<'_> {
    Steps {
        text,
        at: Some(0),
        last: Last::Start,
        lead: false,
        steps: 0,
        attrs: 0,
        ahead: None,
    }
}

/// Checks `text` against the path grammar (crate docs, *Paths*), exactly as
/// [`PathSet::compile`](crate::PathSet::compile) does.
pub(crate) fn check(text: &str) -> PResult<()> {
    let mut path = steps(text);
    while let Some(segment) = path.segment() {
        segment?;
    }
    Ok(())
}

impl<'p> Steps<'p> {
    /// Takes the path's leading selector, if it has one (call it first).
    pub(crate) fn lead(&mut self) -> Option<Select> {
        let mut ahead = self.clone();
        match ahead.segment() {
            Some(Ok(Segment::Select(select))) => {
                *self = ahead;
                Some(select)
            }
            _ => None,
        }
    }

    /// Reads the next segment; an error ends the path.
    fn segment(&mut self) -> Option<PResult<Segment<'p>>> {
        let start = self.at?;
        let read = self.read(start);
        if read.is_err() {
            self.at = None;
        }
        Some(read)
    }

    fn read(&mut self, start: usize) -> PResult<Segment<'p>> {
        let bytes = self.text.as_bytes();
        let mut i = start;
        let mut escaped = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'.' => break,
                b'\\' => {
                    if !matches!(
                        bytes.get(i + 1),
                        Some(b'.' | b'#' | b'@' | b'\\' | b'0'..=b'9')
                    ) {
                        return fail(ErrorKind::BadPath, i);
                    }
                    escaped = true;
                    i += 2;
                }
                _ => i += 1,
            }
        }
        let raw = bytes.get(start..i).unwrap_or(&[]);
        if raw.is_empty() {
            return fail(ErrorKind::BadPath, start);
        }
        // `.`, `@` and an escape's two bytes are ASCII: these are boundaries.
        let name = |from: usize| self.text.get(from..i).unwrap_or("");
        let segment = if let Some(select) = selector(raw, start)? {
            match self.last {
                Last::Name => {}
                // A selector may lead the path: it picks items of a
                // top-level JSON array.
                Last::Start => self.lead = true,
                _ => return fail(ErrorKind::BadPath, start),
            }
            self.last = Last::Selected;
            Segment::Select(select)
        } else if raw.first() == Some(&b'@') {
            // An attribute after a leading selector could match nothing:
            // attributes are XML's, top-level arrays JSON's.
            if raw.len() < 2 || self.lead {
                return fail(ErrorKind::BadPath, start);
            }
            self.steps += 1;
            self.attrs += 1;
            self.last = Last::Attr;
            Segment::Step(Step {
                name: name(start + 1),
                escaped,
                attr: true,
                select: None,
            })
        } else {
            if self.last == Last::Attr {
                // An attribute must be the last step.
                return fail(ErrorKind::BadPath, start);
            }
            self.steps += 1;
            self.last = Last::Name;
            Segment::Step(Step {
                name: name(start),
                escaped,
                attr: false,
                select: None,
            })
        };
        if self.steps > MAX_STEPS {
            return fail(ErrorKind::PathLimit, start);
        }
        if i == bytes.len() {
            if self.last == Last::Attr && self.attrs > 1 {
                return fail(ErrorKind::BadPath, 0);
            }
            self.at = None;
        } else {
            i += 1; // the '.'
            if i == bytes.len() {
                return fail(ErrorKind::BadPath, i);
            }
            self.at = Some(i);
        }
        Ok(segment)
    }
}

impl<'p> Iterator for Steps<'p> {
    type Item = PResult<Step<'p>>;

    fn next(&mut self) -> Option<PResult<Step<'p>>> {
        let mut step = loop {
            let segment = match self.ahead.take() {
                Some(segment) => segment,
                None => self.segment()?,
            };
            match segment {
                Ok(Segment::Step(step)) => break step,
                // A leading selector that `lead` did not take.
                Ok(Segment::Select(_)) => {}
                Err(e) => return Some(Err(e)),
            }
        };
        if !step.attr {
            // A selector after a name belongs to it; any other segment (or
            // an error) is the next item's.
            match self.segment() {
                Some(Ok(Segment::Select(select))) => step.select = Some(select),
                other => self.ahead = other,
            }
        }
        Some(Ok(step))
    }
}

/// Reads a selector segment (`#` or a 0-based index); `None` for a name
/// (an escaped `#` or digit is one). An index too large for a `u32` is an
/// error at `at`.
fn selector(raw: &[u8], at: usize) -> PResult<Option<Select>> {
    if raw == b"#" {
        return Ok(Some(Select::All));
    }
    if raw.is_empty() || !raw.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    // Digits only: the count parser fails only on overflow.
    match crate::time::parse_level(raw) {
        Ok(Some(v)) => Ok(Some(Select::Index(v))),
        _ => fail(ErrorKind::BadPath, at),
    }
}

/// One step copied out of the path, its name unescaped (for the trie).
#[derive(Debug)]
pub(super) struct OwnedStep {
    pub(super) name: Vec<u8>,
    pub(super) attr: bool,
    pub(super) select: Option<Select>,
}

/// One parsed path: the selector of the top-level array's items, if written
/// (`None` reads the first item, like a name step without one), then the steps.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) lead: Option<Select>,
    pub(super) steps: Vec<OwnedStep>,
}

/// Parses one path for the trie. Offsets in errors are into `text`.
pub(super) fn parse(text: &str) -> PResult<Parsed> {
    let mut path = steps(text);
    let lead = path.lead();
    let mut steps = Vec::new();
    for step in path {
        let step = step?;
        let mut name = Vec::with_capacity(step.name.len());
        let mut raw = step.name.bytes();
        while let Some(b) = raw.next() {
            match b {
                b'\\' => name.extend(raw.next()),
                _ => name.push(b),
            }
        }
        steps.push(OwnedStep {
            name,
            attr: step.attr,
            select: step.select,
        });
    }
    Ok(Parsed { lead, steps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PathSet;

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
            let ours = check(p).map_err(|f| (f.kind(), f.at()));
            let theirs = PathSet::compile([p])
                .map(|_| ())
                .map_err(|e| (e.kind(), e.offset()));
            assert_eq!(ours, theirs, "{p:?}");
        }
        let long = ["a"; MAX_STEPS + 1].join(".");
        assert_eq!(
            check(&long).map_err(|f| f.kind()),
            Err(ErrorKind::PathLimit)
        );
        assert!(check(&long[2..]).is_ok());
    }

    #[test]
    fn steps_split_names_and_selectors() {
        let all: Vec<(&str, bool, Option<Select>)> = steps(r"a\.b.#.c.3.d.@e")
            .map(|s| s.map(|s| (s.name, s.attr, s.select)))
            .collect::<PResult<_>>()
            .unwrap();
        assert_eq!(
            all,
            [
                (r"a\.b", false, Some(Select::All)),
                ("c", false, Some(Select::Index(3))),
                ("d", false, None),
                ("e", true, None),
            ]
        );
    }
}
