//! Property: every block classifier this CPU runs (portable, SSE2, AVX2)
//! gives exactly the masks of the byte-loop definitions, for arbitrary
//! bytes, from an arbitrary start offset (so every alignment and every tail
//! length), with the JSON string state carried across every block of the
//! input. And the prototype mask skip gives the same answer at every level,
//! the same as the reader's `Skim` skip whenever no backslash stands outside
//! a string, and the same end as the `Full` skip whenever that one accepts.
//! And the end of a run of string contents, and of a run of XML character
//! data, is the byte loop's at every level.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wanxiang::__simd_probe as probe;

/// Whether some backslash lies outside every string (where the masks, which
/// let a backslash escape anywhere, and the reader's skip differ).
fn backslash_outside_strings(input: &[u8]) -> bool {
    let (mut inside, mut escape) = (false, false);
    for &b in input {
        if escape {
            escape = false;
        } else if b == b'\\' {
            if !inside {
                return true;
            }
            escape = true;
        } else if b == b'"' {
            inside = !inside;
        }
    }
    false
}

fuzz_target!(|data: &[u8]| {
    let Some((&knob, input)) = data.split_first() else {
        return;
    };
    let start = usize::from(knob) % (input.len() + 1);

    let mut want = Vec::new();
    probe::json_blocks_spec(input, start, |at, m| want.push((at, m)));
    let mut want_xml = Vec::new();
    probe::xml_blocks_spec(input, start, |at, m| want_xml.push((at, m)));
    for level in probe::levels() {
        let mut got = Vec::new();
        assert!(probe::json_blocks(input, start, level, |at, m| got.push((at, m))));
        assert_eq!(got, want, "json, {level}, start {start}");
        let mut got = Vec::new();
        assert!(probe::xml_blocks(input, start, level, |at, m| got.push((at, m))));
        assert_eq!(got, want_xml, "xml, {level}, start {start}");
    }

    // The end of a run of string contents, from `start` and from the byte
    // after the first quote or backslash (an escape's end, a string's start).
    let after = input
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'"' || b == b'\\'))
        .map_or(input.len(), |k| start + k + 1);
    for k in [start, after] {
        let want = probe::string_stop_spec(input, k);
        for level in probe::levels() {
            assert_eq!(
                probe::string_stop(input, k, level),
                Some(want),
                "string stop, {level}, from {k}"
            );
        }
    }

    // The end of a run of XML character data, from `start` and from the
    // byte after the first stop there (where the reader resumes).
    let first = probe::text_stop_spec(input, start);
    for k in [start, (first + 1).min(input.len())] {
        let want = probe::text_stop_spec(input, k);
        for level in probe::levels() {
            assert_eq!(
                probe::text_stop(input, k, level),
                Some(want),
                "text stop, {level}, from {k}"
            );
        }
    }

    // The skip, from the first `{` or `[` at or after `start`.
    let Some(open) = input
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'{' || b == b'['))
        .map(|k| start + k)
    else {
        return;
    };
    let room = 1 + usize::from(knob % 16);
    // The readers' `Skim` skip against the byte loop, from the first few
    // openers (strings or not), at two depths and two limits.
    let openers = input[open..]
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'{' || b == b'[')
        .map(|(k, _)| open + k)
        .take(8);
    for at in openers {
        for (depth, max_depth) in [(0, room), (usize::from(knob % 4), 256), (0, 0), (300, 256)] {
            let [integrated, bytes] = probe::skim_both(input, at, depth, max_depth);
            assert_eq!(
                integrated, bytes,
                "skim at {at}, depth {depth} of {max_depth}"
            );
        }
    }
    let Some(first) = probe::skip_masks(input, open, room, "portable") else {
        panic!("portable always runs");
    };
    for level in probe::levels() {
        assert_eq!(
            probe::skip_masks(input, open, room, level),
            Some(first),
            "{level}"
        );
    }
    // From `open` as a value start: the string state is clean there only
    // when no string was open before it; take the whole input from `open`.
    let tail = &input[open..];
    if !backslash_outside_strings(tail) {
        let masks = probe::skip_masks(tail, 0, room, "portable");
        let skim = probe::skip_skim(tail, 0, room);
        assert_eq!(masks, Some(skim), "skim");
        if let Some(end) = probe::skip_full(tail, 0, room) {
            assert_eq!(masks, Some(probe::SkipEnd::End(end)), "full");
        }
    }
});
