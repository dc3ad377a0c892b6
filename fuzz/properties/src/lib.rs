//! The properties wanxiang's fuzz targets check, shared with
//! `cargo test --test properties`.
//!
//! Every function here takes plain data (bytes, or a [`Tree`]) and panics with
//! a message that names the violated property. The fuzz targets in
//! `fuzz/fuzz_targets/` depend on this crate by path, and the root package's
//! `tests/properties.rs` (through a path dev-dependency) runs every property
//! over every file of `corpus/`, so CI checks the same code without libFuzzer.
//! Not published (`publish = false`).
//!
//! | property | fuzz target |
//! |---|---|
//! | [`xml_reader`] | `xml_reader` |
//! | [`json_reader`] | `json_reader` |
//! | [`xml_vs_reference`] | `xml_vs_reference` |
//! | [`same_in_both_formats`] | `same_in_both_formats` |
//! | [`prefixes`], [`two_chunks`] | `chunked_and_prefix` |
//! | [`no_alloc`] | `no_alloc` (needs [`CountingAlloc`] as the global allocator) |
//! | [`typed_view`] | `typed_view` |
//! | [`records`] | `records` |
//! | [`top_array`] | `top_array` |

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use serde_json::Value;
use wanxiang::{
    json, xml, Category, Error, Format, Hit, Kind, Limits, Options, PathSet, Validation,
};

// ---------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------

/// Paths every extraction check uses: the standard callback paths of
/// `corpus/README.md`, plus attributes, containers and generic names the
/// fuzzer can reach quickly from small inputs.
pub const PATHS: &[&str] = &[
    "EventName",
    "JobsDetail.#.JobId",
    "JobsDetail.#.State",
    "JobsDetail.#.Code",
    "JobsDetail.#.Tag",
    "JobsDetail.#.Operation.Output.Object",
    "JobsDetail.#.Operation.UserData",
    "JobsDetail.#.Input.CosHeaders.#.Key",
    "JobsDetail.#.Input.CosHeaders.#.Value",
    "JobsDetail.Workflow.WorkflowId",
    "WorkflowExecution.RunId",
    "WorkflowExecution.Tasks.#.JobId",
    "WorkflowExecution.Tasks.#.State",
    "JobsDetail.JobId",
    "JobsDetail.Message",
    "JobsDetail.Operation.JobLevel",
    "JobsDetail",
    "JobsDetail.1",
    "JobsDetail.#.Input",
    "@id",
    "JobsDetail.#.@id",
    "a",
    "a.#",
    "a.b",
    "a.#.b.#",
    "a.1.b",
    "a.#.@x",
    "b",
];

/// The compiled [`PATHS`].
pub fn paths() -> PathSet {
    PathSet::compile(PATHS).expect("the fixed paths compile")
}

/// Whether `part` is a sub-slice of `whole` by address: the zero-copy invariant.
/// Empty slices are exempt (`<A/>` yields the static empty text).
fn inside(whole: &[u8], part: &[u8]) -> bool {
    if part.is_empty() {
        return true;
    }
    let w = whole.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    p >= w && p + part.len() <= w + whole.len()
}

/// Byte offset of `part` (a sub-slice) in `whole`.
fn offset_in(whole: &[u8], part: &[u8]) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

#[track_caller]
fn assert_inside(input: &[u8], part: &[u8], what: &str) {
    assert!(
        inside(input, part),
        "zero-copy: {what} {:?} is not a slice of the input",
        String::from_utf8_lossy(part)
    );
}

/// An error's offset is at most the input length, and its line and column
/// agree with a slow recount (1-based, columns in bytes).
#[track_caller]
pub fn check_error(input: &[u8], e: &Error) {
    assert!(
        e.offset() <= input.len(),
        "error offset {} past the input length {} ({e})",
        e.offset(),
        input.len()
    );
    let before = &input[..e.offset()];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = e.offset() - line_start + 1;
    assert_eq!(
        (e.line() as usize, e.column() as usize),
        (line, column),
        "line/column of {e} disagree with a recount"
    );
    let shown = e.to_string();
    assert!(
        shown.contains(&format!("(byte {})", e.offset())),
        "Display of {e:?} does not show its offset: {shown}"
    );
}

/// A value's decoded forms agree: `decode_into`, `eq_str`, `Display`, `to_cow`,
/// and `as_str` for values that need no decoding.
#[track_caller]
fn check_text(input: &[u8], t: wanxiang::Text<'_>) -> String {
    assert_inside(input, t.raw().as_bytes(), "text");
    let mut s = String::new();
    t.decode_into(&mut s);
    assert!(
        t.eq_str(&s),
        "eq_str disagrees with decode_into on {:?}",
        t.raw()
    );
    let mut longer = s.clone();
    longer.push('x');
    assert!(
        !t.eq_str(&longer),
        "eq_str accepts a longer string for {:?}",
        t.raw()
    );
    assert_eq!(t.to_string(), s, "Display disagrees with decode_into");
    assert_eq!(t.to_cow(), s.as_str(), "to_cow disagrees with decode_into");
    match t.as_str() {
        Some(plain) => {
            assert!(!t.needs_decoding());
            assert_eq!(plain, s, "as_str of plain text differs from its decoding");
            assert_eq!(plain, t.raw());
        }
        None => assert!(t.needs_decoding()),
    }
    s
}

/// A hit is a slice of the input at the offset it reports, and decodes consistently.
#[track_caller]
fn check_hit(input: &[u8], set: &PathSet, h: &Hit<'_>) {
    assert!(
        h.path() < set.len(),
        "hit for path {} of {}",
        h.path(),
        set.len()
    );
    let raw = h.text().raw().as_bytes();
    assert_inside(input, raw, "hit");
    if !raw.is_empty() {
        assert_eq!(
            offset_in(input, raw),
            h.offset(),
            "hit offset differs from where its slice is"
        );
    } else {
        assert!(h.offset() <= input.len(), "hit offset past the input");
    }
    check_text(input, h.text());
}

/// A container a path returns (an element with children, an object or an
/// array) is itself a document the reader accepts in `Full` under the same
/// options, in `Skim` too: `Skim` checks every value it returns.
fn check_container(input: &[u8], options: &Options, h: &Hit<'_>) {
    let raw = h.text().raw().as_bytes();
    if h.kind() != Kind::Container || raw.is_empty() {
        return;
    }
    let full = options.with_validation(Validation::Full);
    let read = match wanxiang::sniff(input) {
        Ok(Format::Xml) => read_xml(raw, &full, false).map(|_| ()),
        _ => read_json(raw, &full, false).map(|_| ()),
    };
    if let Err(e) = read {
        panic!(
            "a returned container is not valid alone ({e}): {:?}",
            String::from_utf8_lossy(raw)
        );
    }
}

/// One hit in a comparable form: (path, kind, offset, decoded text).
type Owned = (usize, Kind, usize, String);

fn own(h: &Hit<'_>) -> Owned {
    (
        h.path(),
        h.kind(),
        h.offset(),
        h.text().to_cow().into_owned(),
    )
}

/// Extracts with `visit`, checking every hit: the values found (also those
/// found before an error) and the verdict.
fn extract_all(set: &PathSet, input: &[u8], options: &Options) -> (Vec<Owned>, Result<(), Error>) {
    let mut hits = Vec::new();
    let r = set.visit(input, options, |h| {
        check_hit(input, set, &h);
        check_container(input, options, &h);
        hits.push(own(&h));
    });
    if let Err(e) = &r {
        check_error(input, e);
    }
    (hits, r.map(|_| ()))
}

/// [`extract_all`] as one `Result`.
fn extract(set: &PathSet, input: &[u8], options: &Options) -> Result<Vec<Owned>, Error> {
    let (hits, r) = extract_all(set, input, options);
    r.map(|()| hits)
}

/// `extract_with` into slots agrees with `visit`, and too few slots is a
/// `Capacity` error that counts every value (or the document's own error
/// when there is one), never a truncated answer.
fn check_slots(set: &PathSet, input: &[u8], options: &Options) -> Result<Vec<Owned>, Error> {
    const N: usize = 64;
    let (hits, verdict) = extract_all(set, input, options);
    let mut slots = [Hit::EMPTY; N];
    let got = set
        .extract_with(input, options, &mut slots)
        .map(|f| f.hits().iter().map(own).collect::<Vec<_>>());
    if hits.len() > N {
        let e = got.expect_err("more values than slots must be an error");
        match verdict {
            Ok(()) => assert_eq!(
                (e.kind(), e.needed(), e.offset()),
                (wanxiang::ErrorKind::Capacity, Some(hits.len()), 0),
                "too few slots gives {e}"
            ),
            Err(want) => {
                assert_eq!(e, want, "too few slots hides the document's error");
                check_error(input, &e);
            }
        }
    } else {
        let want = verdict.map(|()| hits);
        assert_eq!(got, want, "extract_with differs from visit");
    }
    extract(set, input, options)
}

/// The reader options each reader property runs under.
fn reader_options() -> [Options; 4] {
    [
        Options::default(),
        Options::new().validation(Validation::Skim),
        Options::new().limits(Limits::default().with_max_depth(3).with_max_attributes(2)),
        Options::new().strict(true),
    ]
}

// ---------------------------------------------------------------------------
// xml_reader
// ---------------------------------------------------------------------------

/// Reads `input` with the XML reader to the end or the first error, checking
/// every event. With `skip`, every second element below the root is skipped
/// with `skip_element` instead of being read. Returns the events as text.
fn read_xml(input: &[u8], options: &Options, skip: bool) -> Result<Vec<String>, Error> {
    let max_depth = options.get_limits().max_depth();
    let max_attrs = options.get_limits().max_attributes();
    let mut r = match xml::Reader::with_options(input, options) {
        Ok(r) => r,
        Err(e) => {
            check_error(input, &e);
            return Err(e);
        }
    };
    let mut out = Vec::new();
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut seen_root = false;
    let mut starts = 0usize;
    // Every event but `Eof` consumes at least one byte.
    for _ in 0..=input.len() + 1 {
        let before = r.offset();
        let ev = match r.next() {
            Ok(ev) => ev,
            Err(e) => {
                check_error(input, &e);
                return Err(e);
            }
        };
        let after = r.offset();
        assert!(after <= input.len(), "reader offset {after} past the input");
        assert!(
            r.depth() <= max_depth,
            "depth {} above the limit {max_depth}",
            r.depth()
        );
        if ev != xml::Event::Eof {
            assert!(
                after > before,
                "offset did not grow over {ev:?} ({before} -> {after})"
            );
        }
        match ev {
            xml::Event::Start(t) | xml::Event::Empty(t) => {
                let empty = matches!(ev, xml::Event::Empty(_));
                assert_inside(input, t.name(), "element name");
                assert!(!t.name().is_empty(), "empty element name");
                assert!(t.offset() >= before, "tag before the reader's position");
                assert_eq!(
                    input.get(t.offset()),
                    Some(&b'<'),
                    "tag offset is not a `<`"
                );
                assert_eq!(
                    offset_in(input, t.name()),
                    t.offset() + 1,
                    "name not after `<`"
                );
                if open.is_empty() {
                    assert!(!seen_root, "second root element accepted");
                    seen_root = true;
                }
                let mut names: Vec<&[u8]> = Vec::new();
                for a in t.attributes() {
                    assert_inside(input, a.name, "attribute name");
                    let raw = a.value.raw().as_bytes();
                    if !raw.is_empty() {
                        assert_eq!(offset_in(input, raw), a.offset, "attribute offset");
                    }
                    assert!(a.offset <= after, "attribute value after its tag");
                    check_text(input, a.value);
                    assert!(!names.contains(&a.name), "duplicate attribute accepted");
                    names.push(a.name);
                }
                assert!(names.len() <= max_attrs, "more attributes than the limit");
                let name = String::from_utf8_lossy(t.name()).into_owned();
                out.push(format!(
                    "{} {name} {:?}",
                    if empty { "empty" } else { "start" },
                    t.attributes()
                        .map(|a| (
                            String::from_utf8_lossy(a.name).into_owned(),
                            a.value.to_string()
                        ))
                        .collect::<Vec<_>>()
                ));
                if !empty {
                    open.push(t.name().to_vec());
                    assert_eq!(r.depth(), open.len(), "depth does not count open elements");
                    starts += 1;
                    if skip && open.len() >= 2 && starts % 2 == 0 {
                        if let Err(e) = r.skip_element() {
                            check_error(input, &e);
                            return Err(e);
                        }
                        open.pop();
                        out.push("skipped".into());
                        assert!(r.offset() > after, "skip_element did not advance");
                    }
                } else {
                    assert_eq!(r.depth(), open.len(), "an empty element changed the depth");
                }
            }
            xml::Event::End(t) => {
                assert_inside(input, t.name(), "end tag name");
                assert_eq!(
                    offset_in(input, t.name()),
                    t.offset() + 2,
                    "name not after `</`"
                );
                let want = open.pop().expect("an End event with no open element");
                assert_eq!(t.name(), &want[..], "End name differs from its Start");
                assert_eq!(r.depth(), open.len(), "depth does not count open elements");
                out.push(format!("end {}", String::from_utf8_lossy(t.name())));
            }
            xml::Event::Text(t) => {
                assert!(!open.is_empty(), "text outside the root");
                assert!(!t.raw().is_empty(), "empty Text event");
                assert!(offset_in(input, t.raw().as_bytes()) >= before);
                let s = check_text(input, t);
                out.push(format!("text {s:?}"));
            }
            xml::Event::CData(s) => {
                assert!(!open.is_empty(), "CDATA outside the root");
                assert_inside(input, s.as_bytes(), "CDATA");
                let at = s.as_ptr() as usize - input.as_ptr() as usize;
                assert!(
                    input[..at].ends_with(b"<![CDATA["),
                    "CDATA slice not after `<![CDATA[`"
                );
                assert!(
                    input[at + s.len()..].starts_with(b"]]>"),
                    "CDATA slice not before `]]>`"
                );
                out.push(format!("cdata {s:?}"));
            }
            xml::Event::Eof => {
                assert!(open.is_empty(), "Eof with open elements {open:?}");
                assert!(seen_root, "Eof without a root element");
                assert_eq!(r.depth(), 0);
                return Ok(out);
            }
        }
    }
    panic!("the XML reader gave more events than the input has bytes: it does not terminate");
}

/// **xml_reader**: on any bytes the XML reader terminates without panicking;
/// every slice it returns lies inside the input at the offset it reports;
/// its offset grows with every event; depth never exceeds the limit and
/// counts exactly the open elements; end tags match their start tags; errors
/// carry an in-range offset with a correct line and column. Skipping elements
/// with `skip_element` gives the same verdict as reading them (`Full`);
/// extraction accepts exactly what the reader accepts, with the same error;
/// and `Skim` accepts (with the same events and values) whatever `Full` accepts.
pub fn xml_reader(input: &[u8]) {
    let set = paths();
    let [full, skim, small, _] = reader_options();
    for options in [full, skim, small] {
        let read = read_xml(input, &options, false);
        let skipped = read_xml(input, &options, true);
        if options.get_validation() == Validation::Full {
            match (&read, &skipped) {
                (Ok(_), Ok(_)) => {}
                (Err(a), Err(b)) => assert_eq!(a, b, "skip_element changes the error"),
                _ => panic!("skip_element changes the verdict: read {read:?}, skipped {skipped:?}"),
            }
        }
        if wanxiang::sniff(input).ok() == Some(Format::Xml) {
            let got = check_slots(&set, input, &options);
            if options.get_validation() == Validation::Full {
                match (&read, &got) {
                    (Ok(_), Ok(_)) => {}
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b, "extraction and reader disagree on the error")
                    }
                    _ => panic!(
                        "extraction and reader disagree: reader {read:?}, extraction {got:?}"
                    ),
                }
            }
        }
    }
    if let Ok(events) = read_xml(input, &full, false) {
        let skim = Options::new().validation(Validation::Skim);
        let skimmed = read_xml(input, &skim, false).expect("Skim rejects a document Full accepts");
        assert_eq!(events, skimmed, "Skim reads different events from Full");
        read_xml(input, &skim, true).expect("Skim with skips rejects a document Full accepts");
        if wanxiang::sniff(input).ok() == Some(Format::Xml) {
            let a = extract(&set, input, &full).expect("extraction accepted above");
            let b = extract(&set, input, &skim).expect("Skim extraction rejects a valid document");
            assert_eq!(a, b, "Skim extracts different values from Full");
        }
    }
}

// ---------------------------------------------------------------------------
// json_reader
// ---------------------------------------------------------------------------

/// Reads `input` with the JSON reader, checking every event, and builds the
/// document as a `serde_json::Value` (objects as serde_json builds them: the
/// last of duplicate keys wins). With `skip`, every second member value is
/// skipped with `skip_value` and left out.
fn read_json(input: &[u8], options: &Options, skip: bool) -> Result<Option<Value>, Error> {
    let max_depth = options.get_limits().max_depth();
    let mut r = match json::Reader::with_options(input, options) {
        Ok(r) => r,
        Err(e) => {
            check_error(input, &e);
            return Err(e);
        }
    };
    enum Frame {
        Object(serde_json::Map<String, Value>, Option<String>),
        Array(Vec<Value>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut top: Option<Value> = None;
    let mut keys = 0usize;
    // A value finished: put it in its parent, or it is the document.
    fn place(stack: &mut [Frame], top: &mut Option<Value>, v: Value) {
        match stack.last_mut() {
            Some(Frame::Object(m, k)) => {
                let k = k.take().expect("a member value without a key");
                m.insert(k, v);
            }
            Some(Frame::Array(a)) => a.push(v),
            None => {
                assert!(top.is_none(), "a second top-level value");
                *top = Some(v);
            }
        }
    }
    for _ in 0..=input.len() + 1 {
        let before = r.offset();
        let ev = match r.next() {
            Ok(ev) => ev,
            Err(e) => {
                check_error(input, &e);
                return Err(e);
            }
        };
        let after = r.offset();
        assert!(after <= input.len(), "reader offset {after} past the input");
        assert!(
            r.depth() <= max_depth,
            "depth {} above the limit {max_depth}",
            r.depth()
        );
        if ev != json::Event::Eof {
            assert!(
                after > before,
                "offset did not grow over {ev:?} ({before} -> {after})"
            );
        }
        let quoted = |t: &wanxiang::Text<'_>| {
            let raw = t.raw().as_bytes();
            let at = offset_in(input, raw);
            assert!(
                at >= 1 && input[at - 1] == b'"',
                "string slice not after `\"`"
            );
            assert_eq!(
                input.get(at + raw.len()),
                Some(&b'"'),
                "string slice not before `\"`"
            );
            assert!(at > before);
        };
        match ev {
            json::Event::StartObject => stack.push(Frame::Object(Default::default(), None)),
            json::Event::StartArray => stack.push(Frame::Array(Vec::new())),
            json::Event::EndObject | json::Event::EndArray => {
                let v = match stack.pop() {
                    Some(Frame::Object(m, None)) if ev == json::Event::EndObject => {
                        Value::Object(m)
                    }
                    Some(Frame::Array(a)) if ev == json::Event::EndArray => Value::Array(a),
                    _ => panic!("{ev:?} does not close the open container"),
                };
                place(&mut stack, &mut top, v);
            }
            json::Event::Key(t) => {
                assert_inside(input, t.raw().as_bytes(), "key");
                quoted(&t);
                let k = check_text(input, t);
                match stack.last_mut() {
                    Some(Frame::Object(_, slot @ None)) => *slot = Some(k),
                    _ => panic!("a key outside an object, or two keys in a row"),
                }
                keys += 1;
                if skip && keys % 2 == 0 {
                    if let Err(e) = r.skip_value() {
                        check_error(input, &e);
                        return Err(e);
                    }
                    assert!(r.offset() > after, "skip_value did not advance");
                    if let Some(Frame::Object(_, k)) = stack.last_mut() {
                        *k = None;
                    }
                }
            }
            json::Event::String(t) => {
                assert_inside(input, t.raw().as_bytes(), "string");
                quoted(&t);
                let s = check_text(input, t);
                place(&mut stack, &mut top, Value::String(s));
            }
            json::Event::Number(n) => {
                assert_inside(input, n.as_bytes(), "number");
                assert!(offset_in(input, n.as_bytes()) >= before);
                assert!(
                    is_json_number(n.as_bytes()),
                    "number {n:?} does not follow RFC 8259's number grammar"
                );
                // serde_json's own reading of the same literal, so both sides round alike.
                // A literal beyond f64 (RFC 8259 §9 lets parsers limit the range: a
                // 400-digit integer, `1e400`) is one serde_json must refuse for its range
                // alone, and stays text here; then serde_json refuses the whole document
                // for the same reason, which the comparison in `json_reader` excuses.
                let v = match serde_json::from_str::<Value>(n) {
                    Ok(v) => {
                        assert!(v.is_number(), "serde_json reads number {n:?} as {v:?}");
                        v
                    }
                    Err(e) if serde_limit(&e) => Value::String(n.into()),
                    Err(e) => panic!("serde_json rejects the number {n:?} ({e})"),
                };
                place(&mut stack, &mut top, v);
            }
            json::Event::Bool(b) => place(&mut stack, &mut top, Value::Bool(b)),
            json::Event::Null => place(&mut stack, &mut top, Value::Null),
            json::Event::Eof => {
                assert!(stack.is_empty(), "Eof with open containers");
                assert_eq!(r.depth(), 0);
                assert!(top.is_some(), "Eof without a value");
                return Ok(top);
            }
        }
        assert_eq!(
            r.depth(),
            stack.len(),
            "depth does not count open containers"
        );
    }
    panic!("the JSON reader gave more events than the input has bytes: it does not terminate");
}

/// Whether `n` is exactly one number of RFC 8259 §6:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Written out here
/// so that the check does not depend on either parser.
fn is_json_number(n: &[u8]) -> bool {
    fn digits(n: &[u8]) -> usize {
        n.iter().take_while(|b| b.is_ascii_digit()).count()
    }
    let mut i = usize::from(n.first() == Some(&b'-'));
    match n.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(&n[i..]),
        _ => return false,
    }
    if n.get(i) == Some(&b'.') {
        let d = digits(&n[i + 1..]);
        if d == 0 {
            return false;
        }
        i += 1 + d;
    }
    if matches!(n.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(n.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let d = digits(&n[i..]);
        if d == 0 {
            return false;
        }
        i += d;
    }
    i == n.len()
}

/// Whether serde_json rejects `input` only for one of its own limits, which
/// RFC 8259 §9 allows ("An implementation may set limits on ... the range and
/// precision of numbers ... the maximum depth of nesting").
fn serde_limit(e: &serde_json::Error) -> bool {
    let m = e.to_string();
    m.starts_with("number out of range") || m.starts_with("recursion limit exceeded")
}

/// **json_reader**: the checks of [`xml_reader`] for JSON (termination, slices
/// inside the input, growing offsets, depth within the limit, balanced
/// containers, errors in range with correct line/column, `skip_value` and
/// extraction agreeing with the reader, `Skim` accepting what `Full` accepts);
/// and in strict mode acceptance agrees with serde_json on every input, with
/// the same value: a disagreement is a bug in one of them. A UTF-8 byte-order
/// mark is stripped for serde_json (RFC 8259 §8.1 lets parsers ignore it), and
/// our limits and serde_json's (depth, number range; RFC 8259 §9) excuse a
/// one-sided rejection. The default (lenient) mode accepts a superset of
/// strict, and where only strict rejects, the error is `TrailingComma`.
pub fn json_reader(input: &[u8]) {
    let set = paths();
    let [full, skim, small, strict] = reader_options();
    for options in [full, skim, small, strict] {
        let read = read_json(input, &options, false);
        let skipped = read_json(input, &options, true);
        if options.get_validation() == Validation::Full {
            match (&read, &skipped) {
                (Ok(_), Ok(_)) => {}
                (Err(a), Err(b)) => assert_eq!(a, b, "skip_value changes the error"),
                _ => panic!("skip_value changes the verdict: read {read:?}, skipped {skipped:?}"),
            }
        }
        if wanxiang::sniff(input).ok() == Some(Format::Json) {
            let got = check_slots(&set, input, &options);
            if options.get_validation() == Validation::Full {
                match (&read, &got) {
                    (Ok(_), Ok(_)) => {}
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b, "extraction and reader disagree on the error")
                    }
                    _ => panic!(
                        "extraction and reader disagree: reader {read:?}, extraction {got:?}"
                    ),
                }
            }
        }
    }
    let lenient = read_json(input, &full, false);
    let strict_read = read_json(input, &strict, false);
    match (&lenient, &strict_read) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "strict and lenient read different values"),
        (Ok(_), Err(e)) => assert_eq!(
            e.kind(),
            wanxiang::ErrorKind::TrailingComma,
            "strict rejects a lenient document for something other than a trailing comma"
        ),
        (Err(e), Ok(_)) => panic!("strict accepts what lenient rejects ({e})"),
        (Err(a), Err(b)) => {
            if b.kind() != wanxiang::ErrorKind::TrailingComma {
                assert_eq!(a, b, "strict and lenient report different errors");
            }
        }
    }
    if let Ok(value) = &lenient {
        let skim = Options::new().validation(Validation::Skim);
        let skimmed = read_json(input, &skim, false).expect("Skim rejects a document Full accepts");
        assert_eq!(value, &skimmed, "Skim reads a different value from Full");
        read_json(input, &skim, true).expect("Skim with skips rejects a document Full accepts");
        let a = extract(&set, input, &full).expect("extraction accepted above");
        let b = extract(&set, input, &skim).expect("Skim extraction rejects a valid document");
        assert_eq!(a, b, "Skim extracts different values from Full");
    }
    // The reference: serde_json, strict RFC 8259.
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let theirs = serde_json::from_slice::<Value>(body);
    match (&strict_read, &theirs) {
        (Ok(ours), Ok(theirs)) => assert_eq!(
            ours.as_ref(),
            Some(theirs),
            "wanxiang and serde_json read different values"
        ),
        (Err(e), Ok(_)) if e.category() == Category::Limit => {}
        (Err(e), Ok(_)) => panic!("wanxiang rejects ({e}) what serde_json accepts"),
        (Ok(_), Err(e)) if serde_limit(e) => {}
        (Ok(_), Err(e)) => panic!("wanxiang accepts what serde_json rejects ({e})"),
        (Err(_), Err(_)) => {}
    }
}

// ---------------------------------------------------------------------------
// xml_vs_reference
// ---------------------------------------------------------------------------

/// Whether roxmltree rejected the document for a rule of "Namespaces in XML
/// 1.0" (or one of its own limits), which XML 1.0 itself, the grammar
/// wanxiang implements, does not have: names with colons are plain names to
/// XML 1.0 (§2.3), prefixes need no declaration.
fn namespace_rule(e: &roxmltree::Error, input: &str) -> bool {
    use roxmltree::Error as R;
    match e {
        R::InvalidXmlPrefixUri(_)
        | R::UnexpectedXmlUri(_)
        | R::UnexpectedXmlnsUri(_)
        | R::InvalidElementNamePrefix(_)
        | R::DuplicatedNamespace(..)
        | R::UnknownNamespace(..)
        | R::NodesLimitReached
        | R::AttributesLimitReached
        | R::NamespacesLimitReached => true,
        // Two attributes with different qualified names that expand to the
        // same namespace name: only possible with namespace declarations.
        R::DuplicatedAttribute(..) => input.contains("xmlns"),
        // A name with a colon that is no QName (`a:b:c`, `:a`, `a:`): a
        // legal XML 1.0 Name (§2.3 [4] allows `:` anywhere), but Namespaces in
        // XML [7] `QName ::= PrefixedName | UnprefixedName` does not allow it.
        R::InvalidName(pos) => name_at(input, *pos).contains(':'),
        _ => false,
    }
}

/// The name-like token at roxmltree's 1-based row and (character) column.
fn name_at(input: &str, pos: roxmltree::TextPos) -> &str {
    let line_start = match pos.row {
        0 | 1 => 0,
        row => input
            .match_indices('\n')
            .nth(row as usize - 2)
            .map_or(input.len(), |(i, _)| i + 1),
    };
    let line = &input[line_start..];
    let at = line
        .char_indices()
        .nth((pos.col as usize).saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[at..];
    let end = rest
        .find(|c: char| c.is_whitespace() || "=/>\"'<".contains(c))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `e` is a character reference to a surrogate or to a number above
/// U+10FFFF, which roxmltree 0.20 turns into U+FFFD (`char::from_u32(n)
/// .unwrap_or('\u{FFFD}')` in its tokenizer) instead of rejecting it: XML 1.0
/// §4.1, WFC Legal Character, says "Characters referred to using character
/// references MUST match the production for Char", and §2.2 excludes both.
/// roxmltree is wrong there; wanxiang's `BadCharRef` is right.
fn roxmltree_maps_to_fffd(e: &Error, input: &[u8]) -> bool {
    if e.kind() != wanxiang::ErrorKind::BadCharRef {
        return false;
    }
    let rest = &input[e.offset()..];
    let (digits, radix) = match rest {
        [b'&', b'#', b'x', d @ ..] => (d, 16),
        [b'&', b'#', d @ ..] => (d, 10),
        _ => return false,
    };
    let end = digits
        .iter()
        .position(|&b| b == b';')
        .unwrap_or(digits.len());
    let Ok(text) = std::str::from_utf8(&digits[..end]) else {
        return false;
    };
    // roxmltree parses into a u32 and fails on overflow; only in-range values pass it.
    match u32::from_str_radix(text, radix) {
        Ok(n) => char::from_u32(n).is_none(),
        Err(_) => false,
    }
}

/// Whether `e` is a processing instruction whose target is followed by
/// neither whitespace nor `?>`, such as ``<?pi`x?>`` or ``<?xml` …?>``. XML 1.0
/// §2.6 \[16\] `PI ::= '<?' PITarget (S (Char* - (Char* '?>' Char*)))? '?>'`
/// requires the `S`; roxmltree 0.20 does not, and so also reads ``<?xml` ``
/// as a PI with the reserved target `xml` (which §2.6 forbids as well)
/// instead of a malformed declaration. wanxiang is right to reject both.
fn roxmltree_pi_without_space(e: &Error, input: &[u8]) -> bool {
    use wanxiang::ErrorKind as K;
    match e.kind() {
        K::UnexpectedByte { expected } => expected == "whitespace or `?>`",
        K::BadDeclaration => {
            let rest = &input[e.offset()..];
            rest.len() > 5
                && rest[..5].eq_ignore_ascii_case(b"<?xml")
                && !b" \t\r\n?".contains(&rest[5])
        }
        _ => false,
    }
}

/// Whether `e` rejects an XML declaration that an independent check of
/// XML 1.0 §2.8 finds malformed. roxmltree 0.20 only checks that the
/// pseudo-attribute names *start* with `version`, `encoding`, `standalone`
/// (so `versionoding="1.0"` passes) and never checks their values
/// (`version="2.0"`, `encoding="^TF-8"` pass), against [24] VersionInfo,
/// [26] `VersionNum ::= '1.' [0-9]+`, [80] EncodingDecl, [81]
/// `EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*` and [32] SDDecl.
fn roxmltree_lax_declaration(e: &Error, input: &[u8]) -> bool {
    if e.kind() != wanxiang::ErrorKind::BadDeclaration {
        return false;
    }
    let rest = &input[e.offset()..];
    rest.starts_with(b"<?xml")
        && rest.get(5).is_some_and(|b| b" \t\r\n".contains(b))
        && !xml_declaration_is_well_formed(rest)
}

/// Whether `e` rejects a processing instruction whose target is a case
/// variant of `xml` (`<?xMl …?>`, `<?XML?>`), or is exactly `xml` with no
/// space after it (`<?xml?>`, which is no declaration). XML 1.0 §2.6 [17]
/// `PITarget ::= Name - (('X' | 'x') ('M' | 'm') ('L' | 'l'))` excludes every
/// case variant; roxmltree 0.20 only treats the exact `<?xml ` as a
/// declaration and accepts the other spellings as ordinary PIs.
fn roxmltree_reserved_pi_target(e: &Error, input: &[u8]) -> bool {
    if e.kind() != wanxiang::ErrorKind::BadDeclaration {
        return false;
    }
    let rest = &input[e.offset()..];
    rest.len() > 5
        && rest.starts_with(b"<?")
        && rest[2..5].eq_ignore_ascii_case(b"xml")
        && (&rest[2..5] != b"xml" || rest[5] == b'?')
        && !(rest[5].is_ascii_alphanumeric() || b"_-.:".contains(&rest[5]) || rest[5] >= 0x80)
}

/// Whether `e` rejects a start tag that declares the default namespace twice
/// (`<a xmlns="urn:x" xmlns="urn:y"/>`). XML 1.0 §3.1 (WFC Unique Att Spec):
/// "No attribute name may appear more than once in the same start-tag", and
/// `xmlns` is an attribute name there. roxmltree 0.20 checks a repeated
/// `xmlns:p` (`DuplicatedNamespace`) but pushes every `xmlns` without looking
/// for an earlier one (`process_attribute` in its `parse.rs`).
fn roxmltree_duplicate_default_namespace(e: &Error, input: &[u8]) -> bool {
    e.kind() == wanxiang::ErrorKind::DuplicateAttribute
        && input[e.offset()..].starts_with(b"xmlns")
        && input
            .get(e.offset() + 5)
            .is_some_and(|b| b" \t\r\n=".contains(b))
}

/// Whether `e` rejects an end tag whose name differs from its start tag's
/// only by an empty prefix: `</:Tag>` closing `<Tag>`, or `</Tag>` closing
/// `<:Tag>`. XML 1.0 §3 (WFC Element Type Match): "The Name in an element's
/// end-tag MUST match the element type in the start-tag", and `:Tag` is not
/// `Tag` (nor, under Namespaces in XML, a QName at all). roxmltree 0.20
/// splits `:Tag` into an empty prefix and `Tag`, and matches the two.
fn roxmltree_empty_prefix_end_tag(e: &Error, input: &[u8]) -> bool {
    if e.kind() != wanxiang::ErrorKind::MismatchedEndTag {
        return false;
    }
    // The innermost open element at the error, by reading up to it.
    let Ok(mut r) = xml::Reader::new(input) else {
        return false;
    };
    let mut open: Vec<&[u8]> = Vec::new();
    while let Ok(ev) = r.next() {
        match ev {
            xml::Event::Start(t) => open.push(t.name()),
            xml::Event::End(_) => {
                open.pop();
            }
            xml::Event::Eof => return false,
            _ => {}
        }
    }
    let Some(start) = open.last() else {
        return false;
    };
    let rest = &input[e.offset() + 2..];
    let end = &rest[..rest
        .iter()
        .position(|b| b" \t\r\n>".contains(b))
        .unwrap_or(rest.len())];
    let strip = |n: &[u8]| {
        n.strip_prefix(b":")
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| n.to_vec())
    };
    *start != end && strip(start) == strip(end)
}

/// An independent check of `XMLDecl` (XML 1.0 §2.8 [23]) at the start of `decl`:
/// `'<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'`.
fn xml_declaration_is_well_formed(decl: &[u8]) -> bool {
    let Some(end) = decl.windows(2).position(|w| w == b"?>") else {
        return false;
    };
    let body = &decl[5..end];
    let ws = |b: u8| b" \t\r\n".contains(&b);
    let skip_ws = |i: &mut usize| {
        while body.get(*i).is_some_and(|&b| ws(b)) {
            *i += 1;
        }
    };
    // S name Eq quoted-value; returns the value.
    let pseudo = |i: &mut usize, name: &[u8]| -> Option<Vec<u8>> {
        let mut k = *i;
        if !body.get(k).is_some_and(|&b| ws(b)) {
            return None;
        }
        while body.get(k).is_some_and(|&b| ws(b)) {
            k += 1;
        }
        if !body[k..].starts_with(name) {
            return None;
        }
        k += name.len();
        while body.get(k).is_some_and(|&b| ws(b)) {
            k += 1;
        }
        if body.get(k) != Some(&b'=') {
            return None;
        }
        k += 1;
        while body.get(k).is_some_and(|&b| ws(b)) {
            k += 1;
        }
        let q = *body.get(k).filter(|&&q| q == b'"' || q == b'\'')?;
        let close = k + 1 + body[k + 1..].iter().position(|&b| b == q)?;
        let v = body[k + 1..close].to_vec();
        *i = close + 1;
        Some(v)
    };
    let mut i = 0;
    let Some(v) = pseudo(&mut i, b"version") else {
        return false;
    };
    if !(v.len() > 2 && v.starts_with(b"1.") && v[2..].iter().all(u8::is_ascii_digit)) {
        return false;
    }
    if let Some(enc) = pseudo(&mut i, b"encoding") {
        let ok = enc.first().is_some_and(u8::is_ascii_alphabetic)
            && enc
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return false;
        }
    }
    if let Some(sd) = pseudo(&mut i, b"standalone") {
        if sd != b"yes" && sd != b"no" {
            return false;
        }
    }
    skip_ws(&mut i);
    i == body.len()
}

/// Whether `ours` and roxmltree's `theirs` differ only where roxmltree kept
/// a literal carriage return that is directly followed by a reference
/// (`x\r&#x20;y`) or, in text with references, ends the text
/// (`x&#x20;\r</a>`), and wanxiang turned it into `\n`. XML 1.0 §2.11 normalises
/// line ends in the input before parsing: "any #xD that is not followed by
/// #xA" becomes #xA, and a reference is not a literal #xA, so `x\n y` is right.
/// roxmltree 0.20 fixes a pending `\r` up only when the next character is
/// literal text (`TextBuffer::push_from_text`), not when a reference or the
/// end of the text follows.
fn roxmltree_keeps_cr_before_reference(ours: &str, theirs: &str, source: &str) -> bool {
    let a: Vec<char> = ours.chars().collect();
    let b: Vec<char> = theirs.chars().collect();
    if a.len() != b.len() {
        return false;
    }
    let mut differences = 0;
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            if (*x, *y) != ('\n', '\r') {
                return false;
            }
            differences += 1;
        }
    }
    differences > 0 && differences <= source.matches("\r&").count() + source.matches("\r<").count()
}

/// The qualified name of the element whose `<` is at `at`, from the source.
fn qname_at(input: &str, at: usize) -> &str {
    let rest = &input[at + 1..];
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// A path step for a name: `.` (the only path metacharacter an XML name can
/// hold) is escaped with `\`.
fn step(name: &str) -> String {
    name.replace('\\', "\\\\").replace('.', "\\.")
}

/// The decoded text of a leaf element as roxmltree sees it: its text
/// children (CDATA included) joined, comments and PIs left out.
fn leaf_text(node: roxmltree::Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// Extracts a single path and returns its hits as (kind, decoded text).
fn values(input: &[u8], path: &str) -> Vec<(Kind, String)> {
    let set =
        PathSet::compile([path]).unwrap_or_else(|e| panic!("path {path:?} does not compile: {e}"));
    let mut out = Vec::new();
    set.visit(input, &Options::default(), |h| {
        check_hit(input, &set, &h);
        out.push((h.kind(), h.text().to_cow().into_owned()));
    })
    .unwrap_or_else(|e| panic!("extraction of {path:?} fails on an accepted document: {e}"));
    out
}

/// **xml_vs_reference**: where roxmltree (DTD disabled) accepts a document,
/// wanxiang accepts it too (unless it refuses it for a limit or a policy:
/// DOCTYPE, non-UTF-8 encoding) and extracts the same values: the decoded
/// text of every leaf element, the raw source slice of every element with
/// children, every attribute, addressed by paths with explicit indices, and
/// every `#` list. Where wanxiang accepts, roxmltree accepts too, except
/// for the rules of Namespaces in XML, which XML 1.0 does not have.
pub fn xml_vs_reference(input: &[u8]) {
    let ours = read_xml(input, &Options::default(), false);
    let text = match std::str::from_utf8(input) {
        Ok(t) => t,
        Err(e) => {
            assert!(
                ours.is_err(),
                "wanxiang accepts invalid UTF-8 ({e}); XML 1.0 §2.2, §4.3.3"
            );
            return;
        }
    };
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
    };
    let doc = match (&ours, roxmltree::Document::parse_with_options(text, opts)) {
        (Ok(_), Ok(doc)) => doc,
        (Ok(_), Err(e)) => {
            assert!(
                namespace_rule(&e, text),
                "wanxiang accepts what roxmltree rejects: {e}"
            );
            return;
        }
        (Err(e), Ok(_)) => {
            assert!(
                matches!(e.category(), Category::Limit | Category::Policy)
                    || roxmltree_maps_to_fffd(e, input)
                    || roxmltree_pi_without_space(e, input)
                    || roxmltree_lax_declaration(e, input)
                    || roxmltree_reserved_pi_target(e, input)
                    || roxmltree_empty_prefix_end_tag(e, input)
                    || roxmltree_duplicate_default_namespace(e, input),
                "wanxiang rejects ({e}) what roxmltree accepts"
            );
            return;
        }
        (Err(_), Err(_)) => return,
    };
    let root = doc.root_element();
    let mut checked = 0usize;
    // Root attributes: `@name`.
    for a in root.attributes() {
        let q = &text[a.range_qname()];
        let got = values(input, &format!("@{}", step(q)));
        assert_eq!(got, [(Kind::Text, a.value().to_string())], "attribute @{q}");
    }
    // Every element below the root, with its path of explicit indices.
    let mut work: Vec<(roxmltree::Node<'_, '_>, String, usize)> = vec![(root, String::new(), 0)];
    while let Some((node, path, depth)) = work.pop() {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for child in node.children().filter(|c| c.is_element()) {
            let q = qname_at(text, child.range().start);
            let k = match counts.iter_mut().find(|(n, _)| *n == q) {
                Some((_, k)) => {
                    *k += 1;
                    *k - 1
                }
                None => {
                    counts.push((q, 1));
                    0
                }
            };
            let p = if path.is_empty() {
                format!("{}.{k}", step(q))
            } else {
                format!("{path}.{}.{k}", step(q))
            };
            // MAX_STEPS names per path; deeper elements cannot be addressed.
            if depth + 1 > 32 || checked > 400 {
                continue;
            }
            checked += 1;
            let want = if child.children().any(|c| c.is_element()) {
                (Kind::Container, text[child.range()].to_string())
            } else {
                (Kind::Text, leaf_text(child))
            };
            let got = values(input, &p);
            if !(got.len() == 1
                && roxmltree_keeps_cr_before_reference(&got[0].1, &want.1, &text[child.range()]))
            {
                assert_eq!(got, [want], "element {p}");
            }
            for a in child.attributes().filter(|_| depth + 1 < 32) {
                let q = &text[a.range_qname()];
                let ap = format!("{p}.@{}", step(q));
                assert_eq!(
                    values(input, &ap),
                    [(Kind::Text, a.value().to_string())],
                    "attribute {ap}"
                );
            }
            work.push((child, p, depth + 1));
        }
        // `#` lists: every child with a name, in document order.
        if depth < 32 {
            for (q, n) in counts {
                let p = if path.is_empty() {
                    format!("{}.#", step(q))
                } else {
                    format!("{path}.{}.#", step(q))
                };
                assert_eq!(values(input, &p).len(), n, "number of items of {p}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// same_in_both_formats
// ---------------------------------------------------------------------------

/// Element/member names the tree builder picks from: callback names, a name
/// with a `.` (escaped in paths), one with a colon, non-ASCII ones.
pub const NAMES: &[&str] = &[
    "JobsDetail",
    "JobId",
    "State",
    "Code",
    "Message",
    "Input",
    "Object",
    "CosHeaders",
    "Key",
    "Value",
    "Operation",
    "Output",
    "UserData",
    "Tag",
    "Tasks",
    "a",
    "b",
    "x.y",
    "ns:z",
    "中文",
    "_1",
    "a-b",
    "Ünï",
];

/// A callback-shaped document, independent of its format.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// The members of the root (the XML root element, the top JSON object).
    pub members: Vec<Member>,
    /// XML root element name (one of [`NAMES`] or `Response`).
    pub root: usize,
    /// Wrap the JSON as `{"Response": {…}}`.
    pub wrap: bool,
    /// Pretty-print (indentation) or compact.
    pub pretty: bool,
}

/// One name with its items: adjacent XML siblings, a JSON member whose value
/// is an array (or the bare item when there is one and `array` is false).
#[derive(Debug, Clone)]
pub struct Member {
    /// Index into [`NAMES`].
    pub name: usize,
    /// Render the one item of a member as a one-item JSON array.
    pub array: bool,
    /// Escape the JSON key with `\u` escapes.
    pub escape_key: bool,
    /// At least one item.
    pub items: Vec<Item>,
}

/// One item.
#[derive(Debug, Clone)]
pub enum Item {
    /// A string, with a style seed for how its characters are escaped.
    Text(String, u64),
    /// A JSON number or boolean literal; XML text of the same characters.
    Literal(String),
    /// An object / element with children (at least one member).
    Object(Vec<Member>),
}

/// A character that XML 1.0 can carry (§2.2 `Char`); others are replaced.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => c,
        _ => '?',
    }
}

impl Tree {
    /// Makes any tree representable in both formats: legal XML characters,
    /// names from [`NAMES`], no empty member or object.
    pub fn normalize(&mut self) {
        fn members(ms: &mut Vec<Member>) {
            ms.retain(|m| !m.items.is_empty());
            for m in ms.iter_mut() {
                m.name %= NAMES.len();
                for it in m.items.iter_mut() {
                    match it {
                        Item::Text(s, _) => *s = s.chars().map(xml_char).collect(),
                        Item::Literal(_) => {}
                        Item::Object(inner) => {
                            members(inner);
                            if inner.is_empty() {
                                *it = Item::Text(String::new(), 0);
                            }
                        }
                    }
                }
            }
        }
        members(&mut self.members);
        self.root %= NAMES.len() + 1;
    }

    fn root_name(&self) -> &'static str {
        NAMES.get(self.root).copied().unwrap_or("Response")
    }

    /// The document as XML.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        if self.pretty {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        let root = self.root_name();
        out.push_str(&format!("<{root}>"));
        xml_members(&mut out, &self.members, self.pretty, 1);
        if self.pretty {
            out.push('\n');
        }
        out.push_str(&format!("</{root}>"));
        if self.pretty {
            out.push('\n');
        }
        out
    }

    /// The document as JSON.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        if self.wrap {
            out.push_str("{\"Response\":");
        }
        json_members(&mut out, &self.members, self.pretty, 1);
        if self.wrap {
            out.push('}');
        }
        out
    }

    /// Every path to check, with the values the model says it has: explicit
    /// indices to every item, and the same paths with every index as `#`.
    /// `None` marks a container (whose raw text differs between formats).
    pub fn expected(&self) -> Vec<(String, Vec<Option<String>>)> {
        // Explicit paths in document order: for each name (in order of first
        // appearance) its items across every member of that name, each
        // followed by its own subtree.
        fn walk(
            ms: &[Member],
            prefix: &str,
            depth: usize,
            out: &mut Vec<(String, Option<String>)>,
        ) {
            if depth >= 32 {
                return;
            }
            let mut seen: Vec<usize> = Vec::new();
            for m in ms {
                if seen.contains(&m.name) {
                    continue;
                }
                seen.push(m.name);
                let name = step(NAMES[m.name]);
                let items = ms
                    .iter()
                    .filter(|o| o.name == m.name)
                    .flat_map(|o| o.items.iter());
                for (k, it) in items.enumerate() {
                    let p = format!("{prefix}{name}.{k}");
                    match it {
                        Item::Text(s, _) | Item::Literal(s) => out.push((p, Some(s.clone()))),
                        Item::Object(inner) => {
                            out.push((p.clone(), None));
                            walk(inner, &format!("{p}."), depth + 1, out);
                        }
                    }
                }
            }
        }
        let mut explicit = Vec::new();
        walk(&self.members, "", 0, &mut explicit);
        let mut lists: Vec<String> = Vec::new();
        for (p, _) in &explicit {
            let all = split_path(p)
                .into_iter()
                .map(|s| {
                    if s.bytes().all(|b| b.is_ascii_digit()) {
                        "#".to_string()
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join(".");
            if !lists.contains(&all) {
                lists.push(all);
            }
        }
        let mut out: Vec<(String, Vec<Option<String>>)> = explicit
            .iter()
            .map(|(p, v)| (p.clone(), vec![v.clone()]))
            .collect();
        for all in lists {
            let vals = explicit
                .iter()
                .filter(|(e, _)| generalizes(&all, e))
                .map(|(_, v)| v.clone())
                .collect();
            out.push((all, vals));
        }
        out
    }
}

/// Whether the all-`#` path `all` covers the explicit path `explicit`
/// (same names, every index replaced by `#`, same length).
fn generalizes(all: &str, explicit: &str) -> bool {
    let a = split_path(all);
    let e = split_path(explicit);
    a.len() == e.len()
        && a.iter()
            .zip(&e)
            .all(|(x, y)| x == y || (x == "#" && y.bytes().all(|b| b.is_ascii_digit())))
}

/// Splits a path at unescaped dots.
fn split_path(p: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut esc = false;
    for c in p.chars() {
        if esc {
            out.last_mut().expect("non-empty").push(c);
            esc = false;
        } else if c == '\\' {
            out.last_mut().expect("non-empty").push(c);
            esc = true;
        } else if c == '.' {
            out.push(String::new());
        } else {
            out.last_mut().expect("non-empty").push(c);
        }
    }
    out
}

fn indent(out: &mut String, pretty: bool, depth: usize) {
    if pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn xml_members(out: &mut String, ms: &[Member], pretty: bool, depth: usize) {
    for m in ms {
        let name = NAMES[m.name];
        for it in &m.items {
            indent(out, pretty, depth);
            match it {
                Item::Text(s, style) => {
                    if s.is_empty() && style % 2 == 0 {
                        out.push_str(&format!("<{name}/>"));
                    } else {
                        out.push_str(&format!("<{name}>"));
                        xml_text(out, s, *style);
                        out.push_str(&format!("</{name}>"));
                    }
                }
                Item::Literal(s) => out.push_str(&format!("<{name}>{s}</{name}>")),
                Item::Object(inner) => {
                    out.push_str(&format!("<{name}>"));
                    xml_members(out, inner, pretty, depth + 1);
                    indent(out, pretty, depth);
                    out.push_str(&format!("</{name}>"));
                }
            }
        }
    }
}

/// A cheap deterministic stream of choices from a style seed.
struct Styles(u64);

impl Styles {
    fn next(&mut self, n: u64) -> u64 {
        // xorshift64*
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n
    }
}

/// Character data for `s`: each character plain (escaped where it must be),
/// as a decimal or hexadecimal character reference, inside a CDATA section,
/// or after a comment or processing instruction, chosen by `style`.
fn xml_text(out: &mut String, s: &str, style: u64) {
    let mut st = Styles(style);
    let mut in_cdata = false;
    let mut prev: [char; 2] = ['\0', '\0'];
    for c in s.chars() {
        let mut choice = if style == 0 { 0 } else { st.next(6) };
        // CDATA cannot hold `]]>` or keep a `\r` (§2.11 normalises it).
        if choice == 3 && (c == '\r' || (c == '>' && prev == [']', ']'])) {
            choice = 1;
        }
        if choice != 3 && in_cdata {
            out.push_str("]]>");
            in_cdata = false;
        }
        match choice {
            1 => out.push_str(&format!("&#{};", c as u32)),
            2 => out.push_str(&format!("&#x{:X};", c as u32)),
            3 => {
                if !in_cdata {
                    out.push_str("<![CDATA[");
                    in_cdata = true;
                }
                out.push(c);
            }
            4 => {
                out.push_str("<!-- c -->");
                xml_char_plain(out, c);
            }
            5 => {
                out.push_str("<?pi x?>");
                xml_char_plain(out, c);
            }
            _ => xml_char_plain(out, c),
        }
        prev = [prev[1], c];
    }
    if in_cdata {
        out.push_str("]]>");
    }
}

fn xml_char_plain(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("&lt;"),
        '&' => out.push_str("&amp;"),
        // Always escaped, so `]]>` never appears in text (§2.4).
        '>' => out.push_str("&gt;"),
        '\r' => out.push_str("&#13;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        c => out.push(c),
    }
}

fn json_members(out: &mut String, ms: &[Member], pretty: bool, depth: usize) {
    out.push('{');
    for (i, m) in ms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        indent(out, pretty, depth);
        let name = NAMES[m.name];
        if m.escape_key {
            json_string(out, name, u64::MAX);
        } else {
            json_string(out, name, 0);
        }
        out.push(':');
        if pretty {
            out.push(' ');
        }
        let array = m.array || m.items.len() > 1;
        if array {
            out.push('[');
        }
        for (k, it) in m.items.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            match it {
                Item::Text(s, style) => json_string(out, s, *style),
                Item::Literal(s) => out.push_str(s),
                Item::Object(inner) => json_members(out, inner, pretty, depth + 1),
            }
        }
        if array {
            out.push(']');
        }
    }
    if !ms.is_empty() {
        indent(out, pretty, depth - 1);
    }
    out.push('}');
}

/// A JSON string for `s`: each character literal (escaped where it must be),
/// as `\uXXXX` (a surrogate pair beyond the BMP), or a short escape, chosen by
/// `style` (`u64::MAX`: every character as `\u`).
fn json_string(out: &mut String, s: &str, style: u64) {
    let mut st = Styles(style);
    out.push('"');
    for c in s.chars() {
        let choice = match style {
            0 => 0,
            u64::MAX => 1,
            _ => st.next(3),
        };
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '/' if choice == 2 => Some("\\/"),
            _ => None,
        };
        if choice == 1 {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else if let Some(e) = short {
            out.push_str(e);
        } else if (c as u32) < 0x20 {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('"');
}

/// Extracts many paths at once (compiled in batches that fit a `PathSet`)
/// and returns, per path, its hits as (kind, decoded text).
fn extract_many(
    input: &[u8],
    paths: &[&str],
    options: &Options,
) -> Result<Vec<Vec<(Kind, String)>>, Error> {
    let mut out = Vec::new();
    for batch in paths.chunks(32) {
        let set = match PathSet::compile(batch) {
            Ok(set) => set,
            // Too many trie nodes for one set: one path at a time.
            Err(_) if batch.len() > 1 => {
                for p in batch {
                    out.extend(extract_many(input, &[p], options)?);
                }
                continue;
            }
            Err(e) => panic!("path {batch:?} does not compile: {e}"),
        };
        let mut got = vec![Vec::new(); batch.len()];
        set.visit(input, options, |h| {
            // The zero-copy check only: `check_text`'s five decodings per hit
            // made this target ~5x slower, and the reader targets check them.
            assert_inside(input, h.text().raw().as_bytes(), "hit");
            got[h.path()].push((h.kind(), h.text().to_cow().into_owned()));
        })?;
        out.extend(got);
    }
    Ok(out)
}

/// **same_in_both_formats**: a callback-shaped tree rendered as XML and as
/// JSON (names, nesting, repeated items, one-item arrays or bare values,
/// strings with characters that need escaping, each escaped one of several
/// ways) is accepted in both formats, and every path (explicit indices to
/// every item, and all-`#` lists) extracts identical decoded values from
/// both, equal to the tree's own values, in `Full` and `Skim` alike.
pub fn same_in_both_formats(tree: &Tree) {
    let mut tree = tree.clone();
    tree.normalize();
    let x = tree.to_xml();
    let j = tree.to_json();
    let expected = tree.expected();
    let paths: Vec<&str> = expected.iter().map(|(p, _)| p.as_str()).collect();
    for options in [
        Options::default(),
        Options::new().validation(Validation::Skim),
    ] {
        for (doc, format) in [(&x, "XML"), (&j, "JSON")] {
            let got = extract_many(doc.as_bytes(), &paths, &options).unwrap_or_else(|e| {
                panic!("{format} rendering rejected: {e}\nXML:  {x}\nJSON: {j}")
            });
            for ((path, want), got) in expected.iter().zip(got) {
                let shape: Vec<Option<String>> = got
                    .iter()
                    .map(|(k, v)| (*k != Kind::Container).then(|| v.clone()))
                    .collect();
                assert_eq!(
                    &shape,
                    want,
                    "{format} gives other values for {path} ({:?})\nXML:  {x}\nJSON: {j}",
                    options.get_validation()
                );
            }
        }
    }
}

/// A model of a JSON document, for [`same_in_both_formats`] over the corpus:
/// `None` when the value holds something XML cannot carry in the same shape
/// (arrays in arrays, `null`, empty arrays), which are dropped.
pub fn tree_from_json(v: &Value, style: u64) -> Tree {
    fn name_of(k: &str) -> usize {
        match NAMES.iter().position(|n| *n == k) {
            Some(i) => i,
            None => k.len() % NAMES.len(),
        }
    }
    fn item(v: &Value, style: u64) -> Option<Item> {
        Some(match v {
            Value::String(s) => Item::Text(s.clone(), style),
            Value::Number(n) => Item::Literal(n.to_string()),
            Value::Bool(b) => Item::Literal(b.to_string()),
            Value::Object(m) => Item::Object(members(m, style)),
            Value::Null | Value::Array(_) => return None,
        })
    }
    fn members(m: &serde_json::Map<String, Value>, style: u64) -> Vec<Member> {
        let mut out = Vec::new();
        for (i, (k, v)) in m.iter().enumerate() {
            let s = style.wrapping_add(i as u64);
            let (array, items) = match v {
                Value::Array(a) => (true, a.iter().filter_map(|x| item(x, s)).collect()),
                v => (false, item(v, s).into_iter().collect()),
            };
            out.push(Member {
                name: name_of(k),
                array,
                escape_key: s % 5 == 0,
                items,
            });
        }
        out
    }
    let members = match v {
        Value::Object(m) => members(m, style),
        _ => Vec::new(),
    };
    Tree {
        members,
        root: style as usize,
        wrap: style % 2 == 1,
        pretty: style % 3 != 0,
    }
}

// ---------------------------------------------------------------------------
// chunked_and_prefix
// ---------------------------------------------------------------------------

/// Where the root ends: the offset after the root element's end tag (XML) or
/// after the top-level object or array (JSON), by our own reader. `None` when
/// the document is not accepted or its top-level JSON value is a scalar (a
/// prefix of `123` is the number `12`, so the prefix property does not apply).
fn root_end(input: &[u8]) -> Option<usize> {
    match wanxiang::sniff(input).ok()? {
        Format::Xml => {
            let mut r = xml::Reader::new(input).ok()?;
            loop {
                match r.next().ok()? {
                    xml::Event::End(_) | xml::Event::Empty(_) if r.depth() == 0 => {
                        return Some(r.offset())
                    }
                    xml::Event::Eof => return None,
                    _ => {}
                }
            }
        }
        Format::Json => {
            let mut r = json::Reader::new(input).ok()?;
            match r.next().ok()? {
                json::Event::StartObject | json::Event::StartArray => {}
                _ => return None,
            }
            loop {
                match r.next().ok()? {
                    json::Event::EndObject | json::Event::EndArray if r.depth() == 0 => {
                        return Some(r.offset())
                    }
                    json::Event::Eof => return None,
                    _ => {}
                }
            }
        }
    }
}

/// Prefix lengths to check: all of them for short documents; otherwise every
/// length around the end of the root and `samples` lengths spread over the
/// document, shifted by `seed`.
pub fn prefix_lengths(len: usize, end: usize, samples: usize, seed: usize) -> Vec<usize> {
    if len <= samples {
        return (0..len).collect();
    }
    let mut v: Vec<usize> = (0..samples)
        .map(|i| (i * len / samples + seed % (len / samples).max(1)) % len)
        .collect();
    v.extend(end.saturating_sub(8)..len.min(end + 8));
    v.extend(len.saturating_sub(4)..len);
    v.sort_unstable();
    v.dedup();
    v
}

/// **prefix** (`chunked_and_prefix`): for a document accepted in `Full` mode,
/// every strict prefix that ends before the root is closed (the root
/// element's end tag, the top-level JSON object's or array's last bracket) is
/// an error, never a success with values; every prefix that keeps the whole
/// root and cuts only trailing whitespace gives the same values as the whole.
/// `lengths` chooses which prefixes to check (see [`prefix_lengths`]). The
/// two-chunk half (feeding the document in two pieces gives the same result)
/// waits for the stream module (issue 7).
pub fn prefixes(input: &[u8], lengths: impl Fn(usize, usize) -> Vec<usize>) {
    let set = paths();
    let options = Options::default();
    let Ok(whole) = extract(&set, input, &options) else {
        return;
    };
    let Some(end) = root_end(input) else {
        return;
    };
    assert!(end <= input.len());
    for p in lengths(input.len(), end) {
        let prefix = &input[..p];
        let got = extract(&set, prefix, &options);
        if p < end {
            if let Ok(v) = got {
                panic!(
                    "the {p}-byte prefix of a {}-byte document (root ends at {end}) is accepted with {} values: {:?}",
                    input.len(),
                    v.len(),
                    String::from_utf8_lossy(prefix)
                );
            }
        } else if input[end..p].iter().all(|b| b" \t\r\n".contains(b)) {
            let v = got.unwrap_or_else(|e| {
                panic!("the {p}-byte prefix (whole root, then whitespace) is rejected: {e}")
            });
            assert_eq!(
                v, whole,
                "the {p}-byte prefix gives other values than the whole"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// no_alloc
// ---------------------------------------------------------------------------

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

/// A global allocator that counts allocations and reallocations made by the
/// current thread while counting is on (so other threads, such as the test
/// harness, are not counted). Install it with
/// `#[global_allocator] static A: CountingAlloc = CountingAlloc;`.
pub struct CountingAlloc;

fn note() {
    // `try_with`: the thread-locals may already be gone during thread exit.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees are ours; counting touches only
// const-initialised thread-locals without destructors, which never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `f` and returns how many allocations this thread made meanwhile.
pub fn allocations(f: impl FnOnce()) -> u64 {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    COUNT.with(Cell::get)
}

/// A `fmt::Write` into a fixed buffer: decoding without allocating.
struct Fixed {
    buf: [u8; 256],
    len: usize,
    total: usize,
}

impl std::fmt::Write for Fixed {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        self.total += s.len();
        Ok(())
    }
}

/// Everything the borrowed API does with one document: extraction in every
/// mode (into slots and through `visit`), both readers to the end with
/// skips, and every allocation-free access to the values.
fn borrowed_work(set: &PathSet, input: &[u8]) -> u64 {
    let mut sum = 0u64;
    let touch = |t: wanxiang::Text<'_>, sum: &mut u64| {
        let mut w = Fixed {
            buf: [0; 256],
            len: 0,
            total: 0,
        };
        let _ = t.write_to(&mut w);
        *sum +=
            w.total as u64 + u64::from(t.eq_str("Success")) + t.as_str().map_or(0, str::len) as u64;
        let _ = write!(w, "{t}");
    };
    for options in reader_options() {
        let mut slots = [Hit::EMPTY; 32];
        match set.extract_with(input, &options, &mut slots) {
            Ok(found) => {
                for h in found.hits() {
                    touch(h.text(), &mut sum);
                }
                sum += found.first(0).map_or(0, |h| h.offset() as u64);
                sum += found.all(1).count() as u64;
            }
            Err(e) => {
                let mut w = Fixed {
                    buf: [0; 256],
                    len: 0,
                    total: 0,
                };
                let _ = write!(w, "{e}");
                sum += w.total as u64 + e.offset() as u64 + u64::from(e.line() + e.column());
            }
        }
        let _ = set.visit(input, &options, |h| touch(h.text(), &mut sum));
        if let Ok(mut r) = xml::Reader::with_options(input, &options) {
            let mut n = 0u32;
            loop {
                match r.next() {
                    Ok(xml::Event::Eof) | Err(_) => break,
                    Ok(xml::Event::Start(t)) => {
                        for a in t.attributes() {
                            touch(a.value, &mut sum);
                        }
                        n += 1;
                        if n % 3 == 0 && r.depth() > 1 && r.skip_element().is_err() {
                            break;
                        }
                    }
                    Ok(xml::Event::Text(t)) => touch(t, &mut sum),
                    Ok(_) => {}
                }
            }
        }
        if let Ok(mut r) = json::Reader::with_options(input, &options) {
            let mut n = 0u32;
            loop {
                match r.next() {
                    Ok(json::Event::Eof) | Err(_) => break,
                    Ok(json::Event::Key(t)) => {
                        touch(t, &mut sum);
                        n += 1;
                        if n % 3 == 0 && r.skip_value().is_err() {
                            break;
                        }
                    }
                    Ok(json::Event::String(t)) => touch(t, &mut sum),
                    Ok(_) => {}
                }
            }
        }
    }
    let _ = wanxiang::sniff(input);
    sum
}

/// **no_alloc**: reading and extracting any input allocates nothing: every
/// extraction mode, both readers (with skips), errors with their line and
/// column, and the decoding-free accessors (`write_to`, `eq_str`, `as_str`,
/// `Display`). `set` is compiled beforehand (compiling may allocate).
/// Needs [`CountingAlloc`] installed as the global allocator; it checks that
/// it is, so the property cannot pass vacuously.
pub fn no_alloc(set: &PathSet, input: &[u8]) {
    let probe = allocations(|| drop(std::hint::black_box(Box::new(1u64))));
    assert_eq!(probe, 1, "CountingAlloc is not the global allocator");
    let mut sum = 0;
    let n = allocations(|| sum = borrowed_work(set, input));
    std::hint::black_box(sum);
    assert_eq!(n, 0, "{n} allocations while reading and extracting");
}

/// Property (`chunked_and_prefix`, second half): feeding `input` to a
/// [`wanxiang::stream::Framer`] in two pieces, cut at `at`, gives the same
/// frames (absolute ranges) and, for each frame, the same extracted values or
/// the same error as feeding it whole.
pub fn two_chunks(input: &[u8], at: usize) {
    let whole = framed(input, &[input.len()]);
    let split = framed(input, &[at.min(input.len()), input.len()]);
    assert_eq!(whole, split, "two chunks cut at {at} differ from one");
}

/// What a stream of frames read from `input`, fed up to each cut in turn, gives:
/// each frame's absolute range with its values (or error kind), and a final
/// framing error if any.
fn framed(input: &[u8], cuts: &[usize]) -> Vec<(usize, usize, Result<Vec<String>, String>)> {
    use wanxiang::stream::{Framer, Status};
    let paths = wanxiang::PathSet::compile([
        "EventName",
        "JobsDetail.#.JobId",
        "JobsDetail.#.State",
        "WorkflowExecution.Tasks.#.JobId",
    ])
    .expect("paths");
    let values = |doc: &[u8]| -> Result<Vec<String>, String> {
        let mut v = Vec::new();
        paths
            .visit(doc, &wanxiang::Options::default(), |h| {
                v.push(h.text().to_cow().into_owned())
            })
            .map(|_| v)
            .map_err(|e| format!("{:?}", e.kind()))
    };
    let mut framer = Framer::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let (mut fed, mut dropped) = (0usize, 0usize);
    for &cut in cuts {
        buf.extend_from_slice(&input[fed..cut]);
        fed = cut;
        loop {
            match framer.frame(&buf) {
                Ok(Status::Complete(f)) => {
                    let doc = f.document(&buf);
                    out.push((dropped + f.start(), dropped + f.end(), values(doc)));
                    dropped += f.consumed();
                    buf.drain(..f.consumed());
                }
                Ok(Status::Partial) => break,
                Err(e) => {
                    out.push((usize::MAX, 0, Err(format!("framing {:?}", e.kind()))));
                    return out;
                }
            }
        }
    }
    match framer.finish(&buf) {
        Ok(Some(f)) => {
            let doc = f.document(&buf);
            out.push((dropped + f.start(), dropped + f.end(), values(doc)));
        }
        Ok(None) => {}
        Err(e) => out.push((usize::MAX, 0, Err(format!("finish {:?}", e.kind())))),
    }
    out
}

// ---------------------------------------------------------------------------
// The typed view against the path layer
// ---------------------------------------------------------------------------

/// The paths [`typed_view`] compares with: 0 `JobsDetail.#`, 1 its `JobId`,
/// 2 its `State`, 3 the tasks' `State`, 4 `EventName`.
pub const TYPED_PATHS: &[&str] = &[
    "JobsDetail.#",
    "JobsDetail.#.JobId",
    "JobsDetail.#.State",
    "WorkflowExecution.Tasks.#.State",
    "EventName",
];

/// The compiled [`TYPED_PATHS`].
pub fn typed_paths() -> PathSet {
    PathSet::compile(TYPED_PATHS).expect("the fixed paths compile")
}

/// A typed field as (kind, offset, decoded text).
fn shape(h: &Hit<'_>) -> (Kind, usize, String) {
    (h.kind(), h.offset(), h.text().to_cow().into_owned())
}

/// Property: on any input the typed view (`Callback`, and `OwnedCallback`
/// over a `Bytes` copy) accepts exactly what the path layer accepts, with the
/// same error kind and offset otherwise. When it accepts, it has one job per
/// `JobsDetail.#` item and one task per `WorkflowExecution.Tasks.#` item, whose
/// `JobId` and `State` fields are the path layer's values (kind, offset and
/// decoded text), the event name is the first `EventName`, and the owned form
/// gives the same jobs. The jobs are read whole, then again one by one from a
/// clone of a part-consumed iterator (the first job comes from the checking
/// pass, the others from a later walk).
pub fn typed_view(set: &PathSet, input: &[u8]) {
    use wanxiang::{Callback, JobField, OwnedCallback, TaskField};
    let mut hits: Vec<(usize, (Kind, usize, String))> = Vec::new();
    let reference = set.visit(input, &Options::default(), |h| {
        hits.push((h.path(), shape(&h)))
    });
    let ours = Callback::parse(input);
    // The one-pass form: the same answer, and the same jobs as `jobs()`.
    let mut each = Vec::new();
    let visited = Callback::parse_each_job(input, &Options::default(), |j| each.push(j));
    match (&ours, &visited) {
        (Ok(a), Ok(b)) => {
            assert!(a == b, "parse_each_job gave another view");
            assert_eq!(each, a.jobs().collect::<Vec<_>>(), "parse_each_job's jobs");
            assert_eq!(b.jobs().collect::<Vec<_>>(), each, "its view's jobs");
        }
        (Err(a), Err(b)) => assert_eq!(
            (a.kind(), a.offset()),
            (b.kind(), b.offset()),
            "parse_each_job reports another error"
        ),
        _ => panic!("parse says {ours:?}, parse_each_job {visited:?}"),
    }
    let owned = OwnedCallback::parse(bytes::Bytes::copy_from_slice(input));
    let cb = match (&reference, &ours) {
        (Ok(_), Ok(cb)) => cb,
        (Err(a), Err(b)) => {
            assert_eq!(
                (a.kind(), a.offset()),
                (b.kind(), b.offset()),
                "the typed view and the path layer report different errors"
            );
            let o = owned.expect_err("the owned form accepted what the typed view refused");
            assert_eq!(
                (o.kind(), o.offset()),
                (b.kind(), b.offset()),
                "owned form error"
            );
            return;
        }
        _ => panic!(
            "the path layer says {:?}, the typed view {:?}",
            reference.err(),
            ours.as_ref().err()
        ),
    };
    let of = |path: usize| -> Vec<(Kind, usize, String)> {
        hits.iter()
            .filter(|h| h.0 == path)
            .map(|h| h.1.clone())
            .collect()
    };
    let jobs: Vec<_> = cb.jobs().collect();
    assert_eq!(jobs.len(), of(0).len(), "one job per JobsDetail item");
    assert_eq!(cb.job_count(), jobs.len(), "job_count");
    for (field, path) in [(JobField::JobId, 1), (JobField::State, 2)] {
        let typed: Vec<_> = jobs
            .iter()
            .filter_map(|j| j.field(field))
            .map(|h| shape(&h))
            .collect();
        assert_eq!(typed, of(path), "job field {field:?}");
    }
    let tasks: Vec<_> = cb
        .workflow()
        .map(|w| {
            w.tasks()
                .filter_map(|t| t.field(TaskField::State))
                .map(|h| shape(&h))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(tasks, of(3), "task State");
    let event = of(4)
        .into_iter()
        .next()
        .filter(|e| e.0 != Kind::Null)
        .map(|e| e.2);
    assert_eq!(
        cb.event_name().map(|t| t.to_cow().into_owned()),
        event,
        "EventName"
    );
    // The same jobs from a clone of a part-consumed iterator.
    let ids = |j: &wanxiang::Job<'_>| j.field(JobField::JobId).map(|h| shape(&h));
    let mut it = cb.jobs();
    if it.next().is_some() {
        let rest: Vec<_> = it.clone().map(|j| ids(&j)).collect();
        let want: Vec<_> = jobs.iter().skip(1).map(ids).collect();
        assert_eq!(rest, want, "the jobs after the first, from a clone");
    }
    // The owned form: the same answers, and a view equal to the borrowed one.
    let owned = owned.expect("the owned form refused what the typed view accepted");
    assert!(owned.view() == *cb, "the owned form's view differs");
    let owned_ids: Vec<_> = owned.jobs().map(|j| ids(&j.view())).collect();
    let want: Vec<_> = jobs.iter().map(ids).collect();
    assert_eq!(owned_ids, want, "owned jobs");
    // The accessors that parse values answer (no panic) on any job.
    for j in &jobs {
        let _ = (
            j.creation_time(),
            j.job_level(),
            j.state(),
            j.cos_headers().count(),
            j.get("Operation.@x"),
        );
    }
}

// ---------------------------------------------------------------------------
// Records, and paths over a top-level JSON array: paths generated from the
// document itself
// ---------------------------------------------------------------------------

/// The shape of a document as the path layer sees it: per node, its members
/// (a name, and the items a step of that name lists: the items of a JSON
/// array, the one value of any other member, every XML child element of that
/// name) and, for XML, its attribute names.
#[derive(Debug, Default)]
struct Shape {
    members: Vec<(String, Vec<Shape>)>,
    attrs: Vec<String>,
}

impl Shape {
    /// Adds `items` to the member `name` (made if new: an empty JSON array
    /// is a member without items).
    fn add(&mut self, name: String, items: Vec<Shape>) {
        match self.members.iter_mut().find(|(n, _)| *n == name) {
            Some((_, have)) => have.extend(items),
            None => self.members.push((name, items)),
        }
    }

    /// `{"Response": {...}}` read as its inside, as paths read it.
    fn unwrapped(mut self) -> Shape {
        if self.members.len() == 1
            && self.members[0].0 == "Response"
            && self.members[0].1.len() == 1
        {
            return self.members.remove(0).1.remove(0);
        }
        self
    }
}

/// What a document's paths start from: the root element or top JSON object,
/// or the items of a top-level JSON array.
enum Top {
    Node(Shape),
    Array(Vec<Shape>),
}

/// The shape of `input` as far as it can be read (to the end, or to the
/// first error: a broken document still has names to generate paths from),
/// and the deepest nesting read.
fn shape_of(input: &[u8]) -> (Top, usize) {
    match wanxiang::sniff(input) {
        Ok(Format::Xml) => xml_shape(input),
        Ok(Format::Json) => json_shape(input),
        Err(_) => (Top::Node(Shape::default()), 0),
    }
}

fn xml_shape(input: &[u8]) -> (Top, usize) {
    let Ok(mut r) = xml::Reader::new(input) else {
        return (Top::Node(Shape::default()), 0);
    };
    let node = |t: &xml::Tag<'_>| {
        let attrs = t
            .attributes()
            .map(|a| String::from_utf8_lossy(a.name).into_owned())
            .collect();
        let name = String::from_utf8_lossy(t.name()).into_owned();
        (
            name,
            Shape {
                members: Vec::new(),
                attrs,
            },
        )
    };
    // The document node holds the root element.
    let mut stack: Vec<(String, Shape)> = vec![(String::new(), Shape::default())];
    let mut deepest = 0;
    loop {
        match r.next() {
            Ok(xml::Event::Start(t)) => {
                stack.push(node(&t));
                deepest = deepest.max(stack.len() - 1);
            }
            Ok(xml::Event::Empty(t)) => {
                let (name, s) = node(&t);
                deepest = deepest.max(stack.len());
                if let Some(parent) = stack.last_mut() {
                    parent.1.add(name, vec![s]);
                }
            }
            Ok(xml::Event::End(_)) if stack.len() > 1 => {
                let (name, s) = stack.pop().expect("an open element");
                if let Some(parent) = stack.last_mut() {
                    parent.1.add(name, vec![s]);
                }
            }
            Ok(xml::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    // Close what a cut document left open.
    while stack.len() > 1 {
        let (name, s) = stack.pop().expect("an open element");
        if let Some(parent) = stack.last_mut() {
            parent.1.add(name, vec![s]);
        }
    }
    let doc = stack.pop().map(|d| d.1).unwrap_or_default();
    // Paths start inside the (first) root element.
    let root = doc
        .members
        .into_iter()
        .next()
        .and_then(|(_, items)| items.into_iter().next())
        .unwrap_or_default();
    (Top::Node(root), deepest)
}

fn json_shape(input: &[u8]) -> (Top, usize) {
    let Ok(mut r) = json::Reader::new(input) else {
        return (Top::Node(Shape::default()), 0);
    };
    let mut deepest = 0;
    let top = match r.next() {
        Ok(json::Event::StartObject) => {
            let mut s = Shape::default();
            json_object(&mut r, &mut s, &mut deepest);
            Top::Node(s.unwrapped())
        }
        Ok(json::Event::StartArray) => {
            let mut items = Vec::new();
            json_items(&mut r, &mut items, &mut deepest);
            Top::Array(items.into_iter().map(Shape::unwrapped).collect())
        }
        _ => Top::Node(Shape::default()),
    };
    (top, deepest.max(1))
}

/// Reads the members of an object (its `{` read) into `s`; `false` at an
/// error or the end of the input.
fn json_object(r: &mut json::Reader<'_>, s: &mut Shape, deepest: &mut usize) -> bool {
    *deepest = (*deepest).max(r.depth());
    loop {
        match r.next() {
            Ok(json::Event::Key(k)) => {
                let name = k.to_cow().into_owned();
                let Ok(first) = r.next() else {
                    return false;
                };
                let mut items = Vec::new();
                let ok = match first {
                    // An array member lists its items.
                    json::Event::StartArray => json_items(r, &mut items, deepest),
                    e => json_value(r, e, &mut items, deepest),
                };
                s.add(name, items);
                if !ok {
                    return false;
                }
            }
            Ok(json::Event::EndObject) => return true,
            _ => return false,
        }
    }
}

/// Reads the items of an array (its `[` read) into `out`.
fn json_items(r: &mut json::Reader<'_>, out: &mut Vec<Shape>, deepest: &mut usize) -> bool {
    *deepest = (*deepest).max(r.depth());
    loop {
        match r.next() {
            Ok(json::Event::EndArray) => return true,
            Ok(json::Event::Eof) | Err(_) => return false,
            Ok(e) => {
                if !json_value(r, e, out, deepest) {
                    return false;
                }
            }
        }
    }
}

/// Reads one value whose first event is `first` as one item of `out` (an
/// array inside an array is an item without names).
fn json_value(
    r: &mut json::Reader<'_>,
    first: json::Event<'_>,
    out: &mut Vec<Shape>,
    deepest: &mut usize,
) -> bool {
    let mut s = Shape::default();
    let ok = match first {
        json::Event::StartObject => json_object(r, &mut s, deepest),
        json::Event::StartArray => json_items(r, &mut Vec::new(), deepest),
        json::Event::Eof => false,
        _ => true,
    };
    out.push(s);
    ok
}

/// A small deterministic generator (an LCG), seeded from the input, to
/// pick among the ways into each container instead of taking them all.
struct Gen(u64);

impl Gen {
    /// Seeded with the FNV-1a hash of `input`.
    fn of(input: &[u8]) -> Gen {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in input {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Gen(h)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    /// At most `n` of `all`, picked at random (in their order).
    fn pick(&mut self, all: Vec<String>, n: usize) -> Vec<String> {
        let mut all = all;
        while all.len() > n {
            let k = self.below(all.len());
            all.remove(k);
        }
        all
    }
}

/// A member name as a path step: `.` and `\` escaped anywhere, and a first
/// `#`, `@` or digit (which would read as a selector or an attribute).
fn name_step(name: &str) -> String {
    let mut s = String::new();
    for (i, c) in name.chars().enumerate() {
        if matches!(c, '.' | '\\') || (i == 0 && (matches!(c, '#' | '@') || c.is_ascii_digit())) {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// Paths into `s`, each starting with `prefix`: every member name as reached
/// with no selector, with `#`, with the index of (up to three) items and one
/// past the last, and every attribute; each item entered one of those ways,
/// picked by `g`. At most about `cap` paths.
fn collect(s: &Shape, prefix: &str, depth: usize, g: &mut Gen, cap: usize, out: &mut Vec<String>) {
    if depth > 8 || out.len() >= cap {
        return;
    }
    for a in &s.attrs {
        if !a.is_empty() && !a.contains(['.', '\\']) {
            out.push(format!("{prefix}@{a}"));
        }
    }
    for (name, items) in &s.members {
        if name.is_empty() {
            continue;
        }
        let base = format!("{prefix}{}", name_step(name));
        out.push(base.clone());
        out.push(format!("{base}.#"));
        for (k, item) in items.iter().enumerate().take(3) {
            out.push(format!("{base}.{k}"));
            let way = match g.below(3) {
                0 => format!("{base}.{k}."),
                1 => format!("{base}.#."),
                _ => format!("{base}."),
            };
            collect(item, &way, depth + 1, g, cap, out);
        }
        out.push(format!("{base}.{}", items.len()));
    }
}

/// Sorted, without repeats, each compiling alone.
fn tidy(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths.dedup();
    paths.retain(|p| PathSet::compile([p]).is_ok());
    paths
}

/// Whether a step is a selector (`#` or an index).
fn is_selector(step: &str) -> bool {
    step == "#" || (!step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()))
}

/// Plain paths that name items of a record prefix by index, when that is
/// possible (no `#` before the prefix's last step): `LIST.k.FIELD` for each
/// field and each `k` below `items` (`k.FIELD` for the top-level array), or
/// for a prefix that ends on an index, `PREFIX.FIELD` (one item).
struct ByIndex {
    set: PathSet,
    items: usize,
}

/// A record prefix and its fields, compiled: the records, the plain paths
/// `PREFIX.#.FIELD` (or `PREFIX.FIELD` for a prefix that ends on a
/// selector) they must equal, the items themselves (`PREFIX.#`), and how to
/// name each item by index.
pub struct RecordCase {
    prefix: String,
    fields: Vec<String>,
    set: wanxiang::RecordSet,
    plain: PathSet,
    items: PathSet,
    by_index: Option<ByIndex>,
}

impl RecordCase {
    /// Compiles a case from the fields the record set accepts for this
    /// prefix (it refuses, for example, an attribute under a leading
    /// selector: `#.@id` could match nothing); `None` when it accepts none.
    /// Panics when the records compile but the equivalent plain paths do not.
    pub fn new(prefix: &str, fields: &[String]) -> Option<RecordCase> {
        let fields: Vec<String> = fields
            .iter()
            .filter(|f| wanxiang::RecordSet::compile(prefix, [f]).is_ok())
            .cloned()
            .collect();
        let fields = &fields[..];
        let set = wanxiang::RecordSet::compile(prefix, fields).ok()?;
        let steps = split_path(prefix);
        let last = steps.last().map_or("", String::as_str);
        let item = if is_selector(last) {
            prefix.to_string()
        } else {
            format!("{prefix}.#")
        };
        let plain: Vec<String> = fields.iter().map(|f| format!("{item}.{f}")).collect();
        let plain = PathSet::compile(&plain).unwrap_or_else(|e| {
            panic!("records compile for {prefix:?} {fields:?}, the plain paths do not: {e}")
        });
        let items = PathSet::compile([&item]).expect("the item path compiles");
        let before = &steps[..steps.len() - 1];
        let (list, count) = if before.iter().any(|s| s == "#") {
            (None, 0)
        } else if last == "#" {
            (Some(before.join(".")), (128 / fields.len()).min(8))
        } else if is_selector(last) {
            (None, 1)
        } else {
            (Some(prefix.to_string()), (128 / fields.len()).min(8))
        };
        let by_index = (count > 0).then(|| {
            let paths: Vec<String> = (0..count)
                .flat_map(|k| {
                    let list = list.as_deref();
                    fields.iter().map(move |f| match list {
                        None => format!("{prefix}.{f}"),
                        Some("") => format!("{k}.{f}"),
                        Some(l) => format!("{l}.{k}.{f}"),
                    })
                })
                .collect();
            let set = PathSet::compile(&paths).unwrap_or_else(|e| {
                panic!("records compile for {prefix:?} {fields:?}, the by-index paths do not: {e}")
            });
            ByIndex { set, items: count }
        });
        Some(RecordCase {
            prefix: prefix.to_string(),
            fields: fields.to_vec(),
            set,
            plain,
            items,
            by_index,
        })
    }
}

/// Callback-shaped record prefixes [`records`] always checks, beside the
/// ones generated from the document.
pub const RECORD_PREFIXES: &[&str] = &[
    "JobsDetail",
    "WorkflowExecution.Tasks",
    "JobsDetail.#.Input.CosHeaders",
    "JobsDetail.1",
    "#",
    "#.JobsDetail",
    "a",
    "a.#.b",
];

/// The fields of every [`RECORD_PREFIXES`] record set.
pub const RECORD_FIELDS: &[&str] = &[
    "JobId",
    "State",
    "Operation.Output.Object",
    "Key",
    "Value",
    "Input.CosHeaders.#.Key",
    "Input.CosHeaders.1.Value",
    "Code",
    "@id",
    "a",
    "b.#",
    "b.#.c",
    "#",
];

/// The compiled fixed cases of [`records`].
pub fn record_cases() -> Vec<RecordCase> {
    // `#` alone is not a field (a field starts with a name): the set must
    // refuse it, and the fixed cases take the others.
    let fields: Vec<String> = RECORD_FIELDS
        .iter()
        .filter(|f| !f.starts_with('#'))
        .map(|f| f.to_string())
        .collect();
    assert!(wanxiang::RecordSet::compile("JobsDetail", ["#"]).is_err());
    RECORD_PREFIXES
        .iter()
        .map(|p| {
            let case = RecordCase::new(p, &fields).expect("the fixed record sets compile");
            assert!(
                case.fields.len() + 1 >= fields.len(),
                "{p}: {:?}",
                case.fields
            );
            case
        })
        .collect()
}

/// Record cases generated from the document: for (up to `n`) lists it has,
/// the list as prefix (every item, or `#`, or an index), with fields
/// generated from the list's own items.
fn generated_cases(top: &Top, g: &mut Gen, n: usize) -> Vec<RecordCase> {
    let mut lists: Vec<(String, &[Shape])> = Vec::new();
    fn lists_in<'s>(
        s: &'s Shape,
        prefix: &str,
        depth: usize,
        g: &mut Gen,
        out: &mut Vec<(String, &'s [Shape])>,
    ) {
        if depth > 6 || out.len() > 64 {
            return;
        }
        for (name, items) in &s.members {
            if name.is_empty() {
                continue;
            }
            let base = format!("{prefix}{}", name_step(name));
            out.push((base.clone(), items));
            for (k, item) in items.iter().enumerate().take(2) {
                let way = match g.below(3) {
                    0 => format!("{base}.{k}."),
                    1 => format!("{base}.#."),
                    _ => format!("{base}."),
                };
                lists_in(item, &way, depth + 1, g, out);
            }
        }
    }
    match top {
        Top::Node(s) => lists_in(s, "", 0, g, &mut lists),
        Top::Array(items) => {
            lists.push((String::new(), items));
            for (k, item) in items.iter().enumerate().take(2) {
                let way = match g.below(3) {
                    0 => format!("{k}."),
                    1 => "#.".to_string(),
                    _ => String::new(),
                };
                lists_in(item, &way, 0, g, &mut lists);
            }
        }
    }
    // Most lists are of leaves (no names inside): take lists of items with
    // names or attributes first, and one list of any kind.
    let rich = |items: &[Shape]| {
        items
            .iter()
            .take(3)
            .any(|s| !s.members.is_empty() || !s.attrs.is_empty())
    };
    let (mut inner, mut leaves): (Vec<_>, Vec<_>) = lists.into_iter().partition(|l| rich(l.1));
    let mut out = Vec::new();
    for round in 0..n {
        let from = if (round + 1 < n && !inner.is_empty()) || leaves.is_empty() {
            &mut inner
        } else {
            &mut leaves
        };
        if from.is_empty() {
            break;
        }
        let (list, items) = from.swap_remove(g.below(from.len()));
        let mut fields = Vec::new();
        for item in items.iter().take(3) {
            collect(item, "", 0, g, 48, &mut fields);
        }
        let mut fields = g.pick(tidy(fields), 16);
        if fields.is_empty() {
            // Items without names: the records still count them.
            fields.push("x".to_string());
        }
        // The list as a whole, with `#`, or one item by index.
        let prefix = match (list.is_empty(), g.below(4)) {
            (true, 0) => format!("{}", g.below(items.len() + 1)),
            (true, _) => "#".to_string(),
            (false, 0) => format!("{list}.#"),
            (false, 1) => format!("{list}.{}", g.below(items.len() + 1)),
            (false, _) => list,
        };
        out.extend(RecordCase::new(&prefix, &fields));
    }
    out
}

/// What [`records`] compared, to show a corpus run is not vacuous.
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordStats {
    /// Record sets extracted (per validation mode).
    pub sets: usize,
    /// Records checked.
    pub records: usize,
    /// Values checked inside records.
    pub values: usize,
    /// Records also checked against plain paths that name the item by index.
    pub by_index: usize,
    /// Rejected documents where records and plain paths gave the same error.
    pub errors: usize,
}

impl std::ops::AddAssign for RecordStats {
    fn add_assign(&mut self, o: RecordStats) {
        self.sets += o.sets;
        self.records += o.records;
        self.values += o.values;
        self.by_index += o.by_index;
        self.errors += o.errors;
    }
}

/// **records**: for any input, and every record set of `fixed` (see
/// [`record_cases`]) and a few generated from the input itself (a list it
/// holds as prefix, fields from that list's items), in `Full` and `Skim`:
///
/// - records fail exactly when the plain paths `PREFIX.#.FIELD` fail, with
///   the same error; when they succeed, their values, in order, are the plain
///   paths' values (kind, offset, text), cut into items;
/// - there is one record per item the prefix lists (`PREFIX.#`), numbered in
///   order, at strictly growing offsets; every value of a record lies inside
///   its item (at or after the record's offset, before the next record's; for
///   an item that is a container, within its raw text); a field without a `#`
///   of its own has at most one value per record; `first`, `all`, `get`,
///   `len` and the `*_by_path` forms agree;
/// - where the items can be named by index (no `#` before the prefix's last
///   step), record `k`'s values are those of the plain paths `LIST.k.FIELD`
///   (for the first eight items), and those paths find nothing for an index
///   past the last record: no value is given to another item's record;
/// - into too few slots: a `Capacity` error that counts every value, or the
///   document's own error; never a cut answer;
/// - what `Full` accepts, `Skim` accepts with the same records.
pub fn records(fixed: &[RecordCase], input: &[u8]) -> RecordStats {
    let (top, _) = shape_of(input);
    let mut g = Gen::of(input);
    let generated = generated_cases(&top, &mut g, 4);
    let mut stats = RecordStats::default();
    for case in fixed.iter().chain(&generated) {
        check_records(case, input, &mut stats);
    }
    stats
}

fn check_records(case: &RecordCase, input: &[u8], stats: &mut RecordStats) {
    let ctx = |mode: &str| format!("prefix {:?}, fields {:?}, {mode}", case.prefix, case.fields);
    let mut full: Option<Vec<Hit<'_>>> = None;
    for (mode, options) in [
        ("Full", Options::new().validation(Validation::Full)),
        ("Skim", Options::new().validation(Validation::Skim)),
    ] {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let got = case.set.extract_vec_with(input, &options, &mut a);
        let plain = case
            .plain
            .extract_vec_with(input, &options, &mut b)
            .map(|f| f.hits().to_vec());
        // Too few slots: the document's error, or a Capacity error that counts.
        let mut slots = [Hit::EMPTY; 12];
        let small = case
            .set
            .extract_with(input, &options, &mut slots)
            .map(|r| r.iter().flat_map(|r| r.hits().to_vec()).count());
        let records = match (got, plain) {
            (Err(e), Err(p)) => {
                assert_eq!(
                    e,
                    p,
                    "records and plain paths fail differently: {}",
                    ctx(mode)
                );
                // The same error for every case of one input: its position (a
                // recount of lines, costly) is checked for the first two.
                if stats.errors < 2 {
                    check_error(input, &e);
                }
                assert_eq!(small, Err(e), "records into slots: {}", ctx(mode));
                assert!(
                    full.is_none(),
                    "Skim refuses what Full accepts: {e}, {}",
                    ctx(mode)
                );
                stats.errors += 1;
                continue;
            }
            (Ok(r), Ok(p)) => {
                let flat: Vec<Hit<'_>> = r.iter().flat_map(|r| r.hits().iter().copied()).collect();
                assert_eq!(flat, p, "records are not the plain values: {}", ctx(mode));
                let n = flat.len() + r.len();
                if n <= slots.len() {
                    assert_eq!(small, Ok(flat.len()), "records into slots: {}", ctx(mode));
                } else {
                    let e = small.expect_err("more values than slots must be an error");
                    assert_eq!(
                        (e.kind(), e.needed(), e.offset()),
                        (wanxiang::ErrorKind::Capacity, Some(n), 0),
                        "too few slots gives {e}: {}",
                        ctx(mode)
                    );
                }
                if let Some(want) = &full {
                    assert_eq!(&flat, want, "Skim and Full records differ: {}", ctx(mode));
                } else if mode == "Full" {
                    full = Some(flat);
                }
                r
            }
            (r, p) => panic!(
                "records say {:?}, plain paths {:?}: {}",
                r.err(),
                p.err(),
                ctx(mode)
            ),
        };
        stats.sets += 1;
        // `Skim` may answer on a document `Full` refuses (it stops once
        // every value is known): other paths over the same document, such
        // as the items or the by-index paths, may then fail or stop
        // elsewhere, so they are compared only on accepted documents.
        let valid = mode == "Full" || full.is_some();
        check_record_shape(case, input, &options, records, valid, stats, &ctx(mode));
    }
}

/// The invariants of one successful extraction (see [`records`]).
fn check_record_shape(
    case: &RecordCase,
    input: &[u8],
    options: &Options,
    records: wanxiang::Records<'_, '_>,
    valid: bool,
    stats: &mut RecordStats,
    ctx: &str,
) {
    let n = records.len();
    assert_eq!(records.iter().count(), n, "len and iter differ: {ctx}");
    assert_eq!(records.is_empty(), n == 0, "is_empty: {ctx}");
    let mut b = Vec::new();
    let items: Option<Vec<Hit<'_>>> = match case.items.extract_vec_with(input, options, &mut b) {
        Ok(found) => Some(found.hits().to_vec()),
        Err(_) if !valid => None,
        Err(e) => panic!("the items fail where records succeed: {e}: {ctx}"),
    };
    if let Some(items) = &items {
        if valid {
            assert_eq!(items.len(), n, "one record per item of the prefix: {ctx}");
        }
    }
    let all: Vec<wanxiang::Record<'_, '_>> = records.iter().collect();
    for (k, r) in all.iter().enumerate() {
        assert_eq!(r.index(), k, "record numbering: {ctx}");
        let again = records.get(k).expect("get(k) below len");
        assert_eq!(
            (again.offset(), again.hits()),
            (r.offset(), r.hits()),
            "get({k}): {ctx}"
        );
        let next = all.get(k + 1).map(|r| r.offset());
        if let Some(next) = next {
            assert!(next > r.offset(), "record offsets do not grow: {ctx}");
        }
        assert!(
            r.offset() < input.len(),
            "record offset past the input: {ctx}"
        );
        let item = items.as_ref().filter(|_| valid).map(|items| &items[k]);
        let end = if let Some(item) = item.filter(|i| i.kind() == Kind::Container) {
            assert_eq!(
                r.offset(),
                item.offset(),
                "record {k} is not at its item: {ctx}"
            );
            Some(item.offset() + item.text().raw().len())
        } else {
            if let Some(item) = item {
                assert!(
                    r.offset() <= item.offset(),
                    "record {k} starts after its item's value: {ctx}"
                );
            }
            None
        };
        for h in r.hits() {
            check_hit(input, &case.plain, h);
            assert!(
                h.offset() >= r.offset() && next.is_none_or_gt(h.offset()),
                "record {k} (at {}) holds a value at {}, outside it (next record at {next:?}): {ctx}",
                r.offset(),
                h.offset()
            );
            if let Some(end) = end {
                assert!(
                    h.offset() + h.text().raw().len() <= end,
                    "record {k} holds a value past its item's end {end}: {ctx}"
                );
            }
        }
        for (i, field) in case.fields.iter().enumerate() {
            let values: Vec<&Hit<'_>> = r.all(i).collect();
            if !case.set.is_multi(i) {
                assert!(
                    values.len() <= 1,
                    "record {k} has {} values of the single field {field:?}: {ctx}",
                    values.len()
                );
            }
            assert_eq!(r.first(i), values.first().copied(), "first/all: {ctx}");
            assert_eq!(r.first_by_path(field), r.first(i), "first_by_path: {ctx}");
            assert_eq!(
                r.all_by_path(field).count(),
                values.len(),
                "all_by_path: {ctx}"
            );
            stats.values += values.len();
        }
        stats.records += 1;
    }
    // By index: record k holds what the plain paths naming item k find,
    // and the items past the last record hold nothing.
    let (Some(by_index), true) = (&case.by_index, valid) else {
        return;
    };
    let fields = case.fields.len();
    let mut c = Vec::new();
    let found = by_index
        .set
        .extract_vec_with(input, options, &mut c)
        .unwrap_or_else(|e| panic!("by-index paths fail where records succeed: {e}: {ctx}"));
    for k in 0..by_index.items {
        for i in 0..fields {
            let got: Vec<(Kind, usize, &str)> = all
                .get(k)
                .map(|r| {
                    r.all(i)
                        .map(|h| (h.kind(), h.offset(), h.text().raw()))
                        .collect()
                })
                .unwrap_or_default();
            let want: Vec<(Kind, usize, &str)> = found
                .all(k * fields + i)
                .map(|h| (h.kind(), h.offset(), h.text().raw()))
                .collect();
            assert_eq!(
                got,
                want,
                "record {k} of {n}, field {:?}, differs from {:?}: {ctx}",
                case.fields[i],
                by_index.set.path(k * fields + i)
            );
        }
        stats.by_index += usize::from(k < n);
    }
}

/// `Option::is_none_or(|n| n > x)` (not in the MSRV's std).
trait NoneOrGt {
    fn is_none_or_gt(&self, x: usize) -> bool;
}

impl NoneOrGt for Option<usize> {
    fn is_none_or_gt(&self, x: usize) -> bool {
        self.map_or(true, |n| n > x)
    }
}

// ---------------------------------------------------------------------------
// A document D and the arrays [D], [D, D]
// ---------------------------------------------------------------------------

/// What [`top_array`] compared.
#[derive(Debug, Default, Clone, Copy)]
pub struct TopArrayStats {
    /// Documents the property applied to (accepted, with an object on top).
    pub documents: usize,
    /// Paths compared (per validation mode).
    pub paths: usize,
    /// Of those, paths that found something in D.
    pub found: usize,
    /// Documents as deep as the depth limit (the arrays must be refused).
    pub at_limit: usize,
}

impl std::ops::AddAssign for TopArrayStats {
    fn add_assign(&mut self, o: TopArrayStats) {
        self.documents += o.documents;
        self.paths += o.paths;
        self.found += o.found;
        self.at_limit += o.at_limit;
    }
}

/// A value as the top-array property compares it: kind and decoded text
/// (offsets move when D is wrapped).
type Val = (Kind, String);

/// Every value of every path of `set`, per path in document order.
fn per_path(set: &PathSet, doc: &[u8], options: &Options) -> Result<Vec<Vec<Val>>, Error> {
    let mut out = vec![Vec::new(); set.len()];
    set.visit(doc, options, |h| {
        out[h.path()].push((h.kind(), h.text().to_cow().into_owned()))
    })?;
    Ok(out)
}

/// **top_array**: for an input D accepted (in `Full` mode) whose top value
/// is a JSON object, and paths p generated from D's own names (none with a
/// leading selector), in `Full` and `Skim`: the arrays `[D]` and `[D, D]`
/// (D without its byte order mark) give p the values D gives it (kind and
/// decoded text); `0.p` on `[D]` and `1.p` on `[D, D]` give them too, `1.p`
/// on `[D]` nothing, `#.p` on `[D, D]` them twice; and `0.p`, `1.p`, `#.p`
/// give nothing on D itself. When D nests as deep as the depth limit, the
/// arrays (one deeper) are refused with `DepthLimit`.
pub fn top_array(input: &[u8]) -> TopArrayStats {
    let mut stats = TopArrayStats::default();
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if body.iter().find(|b| !b" \t\r\n".contains(b)) != Some(&b'{') {
        return stats;
    }
    let (top, deepest) = json_shape(input);
    let Top::Node(shape) = top else {
        return stats;
    };
    let mut g = Gen::of(input);
    let mut paths = Vec::new();
    collect(&shape, "", 0, &mut g, 96, &mut paths);
    paths.extend(
        [
            "Response",
            "NoSuchName",
            "EventName.Deeper",
            "JobsDetail.#.JobId",
        ]
        .map(String::from),
    );
    let paths = g.pick(tidy(paths), 64);
    let one = [&b"["[..], body, b"]"].concat();
    let two = [&b"[\n"[..], body, b",\n", body, b"\n]"].concat();
    let full = Options::new().validation(Validation::Full);
    let skim = Options::new().validation(Validation::Skim);
    let mut applied = false;
    for chunk in paths.chunks(32) {
        let mut all: Vec<String> = Vec::new();
        for p in chunk {
            all.extend([
                p.clone(),
                format!("0.{p}"),
                format!("1.{p}"),
                format!("#.{p}"),
            ]);
        }
        let set = PathSet::compile(&all).unwrap_or_else(|e| panic!("{all:?}: {e}"));
        if per_path(&set, input, &full).is_err() {
            // D is not accepted: the property does not apply.
            return stats;
        }
        applied = true;
        for (mode, options) in [("Full", &full), ("Skim", &skim)] {
            let on_d = per_path(&set, input, options)
                .unwrap_or_else(|e| panic!("Skim refuses what Full accepts: {e}"));
            if deepest >= wanxiang::Limits::default().max_depth() {
                for (name, doc) in [("[D]", &one), ("[D, D]", &two)] {
                    let e = per_path(&set, doc, options)
                        .expect_err("an array one deeper than the limit is accepted");
                    assert_eq!(
                        e.kind(),
                        wanxiang::ErrorKind::DepthLimit,
                        "{name} of a document {deepest} deep: {e} ({mode})"
                    );
                }
                stats.at_limit += 1;
                continue;
            }
            let on_one = per_path(&set, &one, options)
                .unwrap_or_else(|e| panic!("[D] refused where D is accepted: {e} ({mode})"));
            let on_two = per_path(&set, &two, options)
                .unwrap_or_else(|e| panic!("[D, D] refused where D is accepted: {e} ({mode})"));
            for (k, p) in chunk.iter().enumerate() {
                let at = |i: usize| 4 * k + i;
                let want = &on_d[at(0)];
                let ctx = format!("path {p:?} ({mode})");
                assert_eq!(&on_one[at(0)], want, "[D] and D differ: {ctx}");
                assert_eq!(&on_two[at(0)], want, "[D, D] and D differ: {ctx}");
                assert_eq!(&on_one[at(1)], want, "0.p on [D] and p on D differ: {ctx}");
                assert!(
                    on_one[at(2)].is_empty(),
                    "1.p finds something in [D]: {ctx}"
                );
                assert_eq!(
                    &on_two[at(2)],
                    want,
                    "1.p on [D, D] and p on D differ: {ctx}"
                );
                let twice: Vec<Val> = want.iter().chain(want).cloned().collect();
                assert_eq!(
                    on_two[at(3)],
                    twice,
                    "#.p on [D, D] is not p on D twice: {ctx}"
                );
                for i in 1..4 {
                    assert!(
                        on_d[at(i)].is_empty(),
                        "{} finds something in D, which is not an array: {ctx}",
                        all[at(i)]
                    );
                }
                stats.paths += 1;
                stats.found += usize::from(!want.is_empty());
            }
        }
    }
    stats.documents += usize::from(applied);
    stats
}
