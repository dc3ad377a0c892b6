//! The path grammar: one path's text parsed into steps (names, selectors,
//! a final attribute), before the steps are merged into the trie.

use alloc::vec::Vec;

use super::MAX_STEPS;
use crate::scan::{fail, PResult};
use crate::ErrorKind;

/// The selector of one name step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Select {
    All,
    Index(u32),
}

/// One parsed step.
#[derive(Debug)]
pub(super) struct Step {
    pub(super) name: Vec<u8>,
    pub(super) attr: bool,
    pub(super) select: Option<Select>,
}

/// One parsed path: the selector of the top-level array's items, if written
/// (`None` reads the first item, like a name step without one), then the steps.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) lead: Option<Select>,
    pub(super) steps: Vec<Step>,
}

/// Reads a selector segment (`#` or a 0-based index); `None` for a name.
/// An index too large for a `u32` is an error at `at`.
pub(super) fn selector(raw: &[u8], escaped_first: bool, at: usize) -> PResult<Option<Select>> {
    if escaped_first {
        return Ok(None);
    }
    if raw == b"#" {
        return Ok(Some(Select::All));
    }
    if raw.is_empty() || !raw.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    let mut v: u32 = 0;
    for &d in raw {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(d - b'0')))
        {
            Some(v) => v,
            None => return fail(ErrorKind::BadPath, at),
        };
    }
    Ok(Some(Select::Index(v)))
}

/// Parses one path. Offsets in errors are into `text`.
pub(super) fn parse(text: &str) -> PResult<Parsed> {
    let bytes = text.as_bytes();
    let mut steps: Vec<Step> = Vec::new();
    let mut lead = None;
    let mut i = 0;
    if bytes.is_empty() {
        return fail(ErrorKind::BadPath, 0);
    }
    loop {
        let seg_start = i;
        // One segment, up to an unescaped '.'.
        let mut name = Vec::new();
        let mut escaped_first = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'.' => break,
                b'\\' => {
                    match bytes.get(i + 1) {
                        Some(&e @ (b'.' | b'#' | b'@' | b'\\' | b'0'..=b'9')) => name.push(e),
                        _ => return fail(ErrorKind::BadPath, i),
                    }
                    if i == seg_start {
                        escaped_first = true;
                    }
                    i += 2;
                }
                _ => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        let raw = bytes.get(seg_start..i).unwrap_or(&[]);
        if raw.is_empty() {
            return fail(ErrorKind::BadPath, seg_start);
        }
        let last_is_name = steps.last().is_some_and(|s| s.select.is_none() && !s.attr);
        if let Some(select) = selector(raw, escaped_first, seg_start)? {
            match steps.last_mut() {
                Some(s) if last_is_name => s.select = Some(select),
                // A selector may lead the path: it picks items of a
                // top-level JSON array.
                None if seg_start == 0 => lead = Some(select),
                _ => return fail(ErrorKind::BadPath, seg_start),
            }
        } else if !escaped_first && raw.first() == Some(&b'@') {
            // An attribute after a leading selector could match nothing:
            // attributes are XML's, top-level arrays JSON's.
            if name.len() < 2 || lead.is_some() {
                return fail(ErrorKind::BadPath, seg_start);
            }
            name.remove(0);
            steps.push(Step {
                name,
                attr: true,
                select: None,
            });
        } else {
            if steps.last().is_some_and(|s| s.attr) {
                // An attribute must be the last step.
                return fail(ErrorKind::BadPath, seg_start);
            }
            steps.push(Step {
                name,
                attr: false,
                select: None,
            });
        }
        if steps.len() > MAX_STEPS {
            return fail(ErrorKind::PathLimit, seg_start);
        }
        match bytes.get(i) {
            None => break,
            Some(_) => {
                i += 1; // the '.'
                if i == bytes.len() {
                    return fail(ErrorKind::BadPath, i);
                }
            }
        }
    }
    if steps.last().is_some_and(|s| s.attr) && steps.iter().rev().skip(1).any(|s| s.attr) {
        return fail(ErrorKind::BadPath, 0);
    }
    Ok(Parsed { lead, steps })
}
