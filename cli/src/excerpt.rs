//! The line of a document around an error, with a caret under the column.
//!
//! Hand-written rather than through a diagnostics crate (annotate-snippets
//! and the like): those lay a report out the way rustc does, with the
//! position on a second `-->` line, while our contract puts
//! `source:line:col: error: message` first on one line, for grep and
//! editors. What is left, a window of one line and a caret, is this file;
//! long lines (a minified document is one line of megabytes) are cut to a
//! window around the error.

/// Characters of a line shown around an error.
const EXCERPT_WIDTH: usize = 72;
/// Characters kept before the error when a long line is cut.
const EXCERPT_BEFORE: usize = 32;

/// The line holding `offset`, cut to a window around it when long, and a
/// line with a caret under `offset`. `None` when the line is blank.
pub fn excerpt(body: &[u8], offset: usize) -> Option<(String, String)> {
    let offset = offset.min(body.len());
    let (head, rest) = body.split_at(offset);
    let start = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let before = shown(head.get(start..).unwrap_or(&[]));
    let mut after = shown(rest.get(..end).unwrap_or(&[]));
    if after.last() == Some(&'\r') {
        after.pop();
    }
    if before.iter().chain(&after).all(|c| c.is_whitespace()) {
        return None;
    }
    let long = before.len() + after.len() > EXCERPT_WIDTH;
    let cut = if long && before.len() > EXCERPT_BEFORE {
        before.len() - EXCERPT_BEFORE
    } else {
        0
    };
    let before = before.get(cut..).unwrap_or(&[]);
    let room = EXCERPT_WIDTH.saturating_sub(before.len()).max(1);
    let lead = if cut > 0 { "…" } else { "" };
    let tail = if after.len() > room { "…" } else { "" };
    let after = after.get(..room.min(after.len())).unwrap_or(&[]);
    let text: String = lead
        .chars()
        .chain(before.iter().copied())
        .chain(after.iter().copied())
        .chain(tail.chars())
        .collect();
    let mut caret: String = " ".repeat(lead.chars().count());
    for &c in before {
        caret.push_str(match c {
            '\t' => "\t",
            c if is_wide(c) => "  ",
            _ => " ",
        });
    }
    caret.push('^');
    Some((text, caret))
}

/// The characters of `bytes` as they can be shown on one terminal line:
/// invalid UTF-8 and control characters (but tabs) as U+FFFD.
fn shown(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c != '\t' && c != '\r' && c.is_control() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// East Asian wide characters take two columns (a close approximation of
/// Unicode's East_Asian_Width W/F ranges, enough to place the caret).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' | '\u{1F300}'..='\u{1F64F}' | '\u{1F900}'..='\u{1F9FF}'
        | '\u{20000}'..='\u{3FFFD}')
}
