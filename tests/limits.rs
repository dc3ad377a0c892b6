//! Limits (issue 6, point 4): each one exactly at the limit parses, and one
//! more fails with the limit's kind at the construct that crossed it.
//!
//! | limit | where the error points |
//! |---|---|
//! | `max_input` | the first byte past the limit |
//! | `max_depth` | the `<`, `{` or `[` that opens the first level past the limit |
//! | `max_attributes` | the first byte of the name of the first attribute past the limit |
//! | `max_items` | the first byte of the first item past the limit (its `<` in XML) |
//!
//! Depth and attributes are checked every way a document can be read:
//! extraction with paths that descend and with a path that skips everything,
//! in `Full` and `Skim`, and the pull readers event by event and skipping.
//! Items are a property of the lists a path walks, so only extraction has them.

use wanxiang::{
    json, sniff, xml, Category, Error, ErrorKind, Format, Hit, Limits, Options, PathSet,
    Validation, MAX_DEPTH,
};

const SLOTS: usize = 64;

fn pos(e: &Error) -> (ErrorKind, usize) {
    (e.kind(), e.offset())
}

fn with(limits: Limits) -> Options {
    Options::new().limits(limits)
}

/// The whole document through the pull reader, event by event (`skip` false)
/// or skipping the root (`skip` true).
fn read(input: &[u8], options: &Options, skip: bool) -> Result<(), Error> {
    match sniff(input)? {
        Format::Xml => {
            let mut r = xml::Reader::with_options(input, options)?;
            loop {
                match r.next()? {
                    xml::Event::Start(_) if skip && r.depth() == 1 => r.skip_element()?,
                    xml::Event::Eof => break,
                    _ => {}
                }
            }
        }
        Format::Json => {
            let mut r = json::Reader::with_options(input, options)?;
            if skip {
                r.skip_value()?;
            }
            while r.next()? != json::Event::Eof {}
        }
    }
    Ok(())
}

fn extract(paths: &[&str], input: &[u8], options: &Options) -> Result<usize, Error> {
    let set = PathSet::compile(paths).unwrap();
    let mut slots = [Hit::EMPTY; SLOTS];
    set.extract_with(input, options, &mut slots)
        .map(|f| f.hits().len())
}

/// Reads `input` every way with `limits` and returns the one answer.
fn every_way(input: impl AsRef<[u8]>, limits: Limits) -> Result<(), (ErrorKind, usize)> {
    let input = input.as_ref();
    let full = with(limits);
    let skim = with(limits).validation(Validation::Skim);
    let descend = ["a.a.a.#", "a.#", "k.k.#", "R.#", "@a", "a.@a"];
    let skip = ["NoSuchName"];
    let answers = [
        (
            "extract, descending",
            extract(&descend, input, &full).map(|_| ()),
        ),
        (
            "extract, skipping",
            extract(&skip, input, &full).map(|_| ()),
        ),
        ("extract, skim", extract(&skip, input, &skim).map(|_| ())),
        ("reader", read(input, &full, false)),
        ("reader, skipping", read(input, &full, true)),
        ("reader, skim", read(input, &skim, true)),
    ];
    let first = answers[0].1.as_ref().map_err(pos).copied();
    for (way, answer) in &answers[1..] {
        let answer = answer.as_ref().map_err(pos).copied();
        // `Skim` does not look inside the tags of what it skips (attributes),
        // so it may accept what `Full` rejects; when it rejects, it agrees.
        if way.ends_with("skim") && answer.is_ok() {
            continue;
        }
        assert_eq!(
            answer,
            first,
            "{way} differs on {:?}",
            String::from_utf8_lossy(&input[..input.len().min(120)])
        );
    }
    first
}

// ---- max_input --------------------------------------------------------------------

#[test]
fn max_input_at_the_limit_parses_and_one_more_byte_fails() {
    for doc in [&b"<R><a>1</a></R>"[..], b"{\"a\": [1, 2]}  "] {
        let n = doc.len();
        assert_eq!(every_way(doc, Limits::default().with_max_input(n)), Ok(()));
        let padded = [doc, b" "].concat();
        assert_eq!(
            every_way(&padded, Limits::default().with_max_input(n)),
            Err((ErrorKind::SizeLimit, n))
        );
        assert_eq!(
            every_way(doc, Limits::default().with_max_input(n - 1)),
            Err((ErrorKind::SizeLimit, n - 1))
        );
    }
    // Zero: only the empty input fits.
    assert_eq!(
        every_way(b"", Limits::default().with_max_input(0)),
        Err((ErrorKind::Empty, 0))
    );
    assert_eq!(
        every_way(b"{}", Limits::default().with_max_input(0)),
        Err((ErrorKind::SizeLimit, 0))
    );
}

/// The size limit bounds all work, so it is checked before anything else:
/// the pull readers do, extraction sniffs the format first and so scans an
/// oversized all-whitespace body to the end and reports `Empty` instead.
#[test]

fn max_input_is_checked_before_the_format_is_sniffed() {
    let limits = Limits::default().with_max_input(4);
    let doc = " ".repeat(10);
    let e = xml::Reader::with_options(doc.as_bytes(), &with(limits)).unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::SizeLimit, 4));
    let e = extract(&["a"], doc.as_bytes(), &with(limits)).unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::SizeLimit, 4));
    let e = extract(&["a"], b"  \xFF\xFE<R/>", &with(limits)).unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::SizeLimit, 4));
}

#[test]
fn max_input_default_is_16_mib_and_clamps_to_u32() {
    assert_eq!(Limits::default().max_input(), 16 << 20);
    assert_eq!(
        Limits::default().with_max_input(usize::MAX).max_input(),
        u32::MAX as usize
    );
    // A document of exactly 16 MiB parses with the defaults; one more byte does not.
    let mut doc = vec![b' '; 16 << 20];
    doc[..4].copy_from_slice(b"<R/>");
    assert_eq!(extract(&["a"], &doc, &Options::default()), Ok(0));
    doc.push(b' ');
    let e = extract(&["a"], &doc, &Options::default()).unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::SizeLimit, 16 << 20));
    assert_eq!(e.category(), Category::Limit);
    let e = xml::Reader::new(&doc).unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::SizeLimit, 16 << 20));
}

// ---- max_depth ------------------------------------------------------------------------

/// `depth` nested XML elements, closed, the innermost empty when `empty`.
fn xml_nest(depth: usize, empty: bool) -> String {
    if empty {
        format!(
            "{}<a/>{}",
            "<a>".repeat(depth - 1),
            "</a>".repeat(depth - 1)
        )
    } else {
        format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth))
    }
}

#[test]
fn xml_max_depth_at_the_limit_parses_and_one_more_level_fails() {
    for limit in [1, 2, 3, 7, 128, 200] {
        let limits = Limits::default().with_max_depth(limit);
        for empty in [false, true] {
            assert_eq!(every_way(xml_nest(limit, empty), limits), Ok(()), "{limit}");
            assert_eq!(
                every_way(xml_nest(limit + 1, empty), limits),
                Err((ErrorKind::DepthLimit, 3 * limit)),
                "{limit}"
            );
        }
        // With attributes, text and siblings on the way.
        let deep = |d: usize| format!("{}{}", "<a a='1'>x<b/>".repeat(d), "</a>".repeat(d));
        // Each level's `<b/>` is one level deeper than its `<a>`.
        if limit > 1 {
            assert_eq!(every_way(deep(limit - 1), limits), Ok(()), "{limit}");
        }
        assert_eq!(
            every_way(deep(limit), limits),
            Err((ErrorKind::DepthLimit, 14 * (limit - 1) + 10)),
            "{limit}"
        );
    }
}

#[test]
fn xml_max_depth_default_is_128() {
    assert_eq!(Limits::default().max_depth(), 128);
    assert_eq!(every_way(xml_nest(128, false), Limits::default()), Ok(()));
    assert_eq!(
        every_way(xml_nest(129, true), Limits::default()),
        Err((ErrorKind::DepthLimit, 3 * 128))
    );
}

#[test]
fn json_max_depth_at_the_limit_parses_and_one_more_level_fails() {
    let arrays = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
    let objects = |d: usize| format!("{}1{}", "{\"k\":".repeat(d), "}".repeat(d));
    let mixed = |d: usize| {
        let mut s = String::new();
        for i in 0..d {
            s += if i % 2 == 0 { "{\"k\":" } else { "[" };
        }
        s += "0";
        for i in (0..d).rev() {
            s += if i % 2 == 0 { "}" } else { "]" };
        }
        s
    };
    // The offset of the opener of level `d + 1` in `mixed(d + 1)`.
    let mixed_at = |d: usize| (d / 2) * 6 + (d % 2) * 5;
    for limit in [1, 2, 3, 7, 128, 200] {
        let limits = Limits::default().with_max_depth(limit);
        assert_eq!(every_way(arrays(limit), limits), Ok(()), "{limit}");
        assert_eq!(
            every_way(arrays(limit + 1), limits),
            Err((ErrorKind::DepthLimit, limit)),
            "{limit}"
        );
        assert_eq!(every_way(objects(limit), limits), Ok(()), "{limit}");
        assert_eq!(
            every_way(objects(limit + 1), limits),
            Err((ErrorKind::DepthLimit, 5 * limit)),
            "{limit}"
        );
        assert_eq!(every_way(mixed(limit), limits), Ok(()), "{limit}");
        assert_eq!(
            every_way(mixed(limit + 1), limits),
            Err((ErrorKind::DepthLimit, mixed_at(limit))),
            "{limit}"
        );
        // Empty containers count as a level too.
        let empty_inside = format!("{}{{}}{}", "[".repeat(limit - 1), "]".repeat(limit - 1));
        assert_eq!(every_way(&empty_inside, limits), Ok(()), "{limit}");
        let too_deep = format!("{}{{}}{}", "[".repeat(limit), "]".repeat(limit));
        assert_eq!(
            every_way(&too_deep, limits),
            Err((ErrorKind::DepthLimit, limit)),
            "{limit}"
        );
    }
}

#[test]
fn json_response_wrapper_counts_as_a_level() {
    let limits = Limits::default().with_max_depth(3);
    let ok = br#"{"Response": {"k": {"k": 1}}}"#;
    assert_eq!(every_way(ok, limits), Ok(()));
    let deep = br#"{"Response": {"k": {"k": [1]}}}"#;
    assert_eq!(every_way(deep, limits), Err((ErrorKind::DepthLimit, 25)));
    let opts = with(limits);
    assert_eq!(extract(&["k.k"], ok, &opts), Ok(1));
    assert_eq!(
        extract(&["k.k.#"], deep, &opts).map_err(|e| pos(&e)),
        Err((ErrorKind::DepthLimit, 25))
    );
}

#[test]
fn max_depth_clamps_to_max_depth_and_a_max_depth_document_parses() {
    assert_eq!(MAX_DEPTH, 256);
    assert_eq!(Limits::default().with_max_depth(0).max_depth(), 1);
    assert_eq!(
        Limits::default().with_max_depth(MAX_DEPTH).max_depth(),
        MAX_DEPTH
    );
    assert_eq!(
        Limits::default().with_max_depth(MAX_DEPTH + 1).max_depth(),
        MAX_DEPTH
    );
    assert_eq!(
        Limits::default().with_max_depth(usize::MAX).max_depth(),
        MAX_DEPTH
    );
    for limits in [
        Limits::default().with_max_depth(MAX_DEPTH),
        Limits::default().with_max_depth(usize::MAX),
    ] {
        assert_eq!(every_way(xml_nest(MAX_DEPTH, false), limits), Ok(()));
        assert_eq!(every_way(xml_nest(MAX_DEPTH, true), limits), Ok(()));
        assert_eq!(
            every_way(xml_nest(MAX_DEPTH + 1, false), limits),
            Err((ErrorKind::DepthLimit, 3 * MAX_DEPTH))
        );
        assert_eq!(
            every_way(xml_nest(MAX_DEPTH + 1, true), limits),
            Err((ErrorKind::DepthLimit, 3 * MAX_DEPTH))
        );
        let arrays = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
        assert_eq!(every_way(arrays(MAX_DEPTH), limits), Ok(()));
        assert_eq!(
            every_way(arrays(MAX_DEPTH + 1), limits),
            Err((ErrorKind::DepthLimit, MAX_DEPTH))
        );
    }
    // The minimum, 1: the root alone.
    let one = Limits::default().with_max_depth(0);
    assert_eq!(every_way("<a x='1'>text</a>", one), Ok(()));
    assert_eq!(every_way("[1, 2]", one), Ok(()));
    assert_eq!(every_way("{}", one), Ok(()));
    assert_eq!(
        every_way("<a><b/></a>", one),
        Err((ErrorKind::DepthLimit, 3))
    );
    assert_eq!(every_way("[[]]", one), Err((ErrorKind::DepthLimit, 1)));
}

/// `Skim` follows the nesting of what it skips and applies the depth limit
/// there too (JSON `[]` and non-empty XML elements count), but an XML empty
/// element `<a/>` one level past the limit is not counted, while `Full`
/// counts it (and so does the `Full` reader): the same document is too deep
/// in one mode and fine in the other.
#[test]

fn skim_counts_empty_xml_elements_towards_the_depth_limit() {
    for limit in [1, 2, 7, 128, MAX_DEPTH] {
        let limits = Limits::default().with_max_depth(limit);
        let doc = xml_nest(limit + 1, true);
        let skim = with(limits).validation(Validation::Skim);
        let e = extract(&["Z"], doc.as_bytes(), &skim).unwrap_err();
        assert_eq!(pos(&e), (ErrorKind::DepthLimit, 3 * limit), "{limit}");
        let e = read(doc.as_bytes(), &skim, true).unwrap_err();
        assert_eq!(pos(&e), (ErrorKind::DepthLimit, 3 * limit), "{limit}");
    }
}

// ---- max_attributes ---------------------------------------------------------------------

/// A root element with `n` attributes; also the offset of the last one's name.
fn attrs(n: usize) -> (String, usize) {
    let mut s = String::from("<R");
    let mut last = 0;
    for i in 0..n {
        s.push(' ');
        last = s.len();
        s += &format!("a{i}='{i}'");
    }
    s += "><a/></R>";
    (s, last)
}

#[test]
fn max_attributes_at_the_limit_parses_and_one_more_fails() {
    assert_eq!(Limits::default().max_attributes(), 256);
    // Real documents pass: quick-xml's `linescore.xml` has 65 on one element.
    assert_eq!(every_way(attrs(65).0, Limits::default()), Ok(()));
    for (limits, n) in [
        (Limits::default(), 256),
        (Limits::default().with_max_attributes(0), 0),
        (Limits::default().with_max_attributes(1), 1),
        (Limits::default().with_max_attributes(1000), 1000),
    ] {
        assert_eq!(every_way(attrs(n).0, limits), Ok(()), "{n}");
        let (doc, last) = attrs(n + 1);
        assert_eq!(
            every_way(&doc, limits),
            Err((ErrorKind::AttributeLimit, last)),
            "{n}"
        );
        // The same on an element below the root.
        let inner = format!(
            "<R><x/>{}</R>",
            attrs(n + 1)
                .0
                .replacen("<R", "<a", 1)
                .replace("</R>", "</a>")
        );
        assert_eq!(
            every_way(&inner, limits),
            Err((ErrorKind::AttributeLimit, last + 7)),
            "{n}"
        );
    }
    // Namespace declarations are attributes too.
    let limits = Limits::default().with_max_attributes(2);
    assert_eq!(every_way("<R xmlns='u' xmlns:x='v'/>", limits), Ok(()));
    assert_eq!(
        every_way("<R xmlns='u' xmlns:x='v' x:a='1'/>", limits),
        Err((ErrorKind::AttributeLimit, 25))
    );
}

/// Above 256 attributes (a raised limit) the duplicate check re-reads the
/// names past the 256th: duplicates are still found on either side.
#[test]
fn duplicates_are_found_past_the_default_attribute_limit() {
    let limits = Limits::default().with_max_attributes(400);
    for again in [0, 17, 255, 256, 300, 398] {
        let (doc, _) = attrs(399);
        let at = doc.find("><a/>").unwrap() + 1;
        let doc = doc.replacen("><a/>", &format!(" a{again}='x'><a/>"), 1);
        assert_eq!(
            every_way(&doc, limits),
            Err((ErrorKind::DuplicateAttribute, at)),
            "a{again}"
        );
    }
    assert_eq!(every_way(attrs(400).0, limits), Ok(()));
}

// ---- max_items ----------------------------------------------------------------------------

fn items(paths: &[&str], input: impl AsRef<[u8]>, max: usize) -> Result<usize, (ErrorKind, usize)> {
    let input = input.as_ref();
    let limits = Limits::default().with_max_items(max);
    let full = extract(paths, input, &with(limits)).map_err(|e| pos(&e));
    // `Skim` reads a `#` list to its end; a single item may stop it early.
    if paths.iter().all(|p| p.contains('#')) {
        let skim =
            extract(paths, input, &with(limits).validation(Validation::Skim)).map_err(|e| pos(&e));
        assert_eq!(full, skim, "Full and Skim differ");
    }
    full
}

/// `{"A": [1, 1, …]}` with `n` items; also the offset of the last item.
fn json_list(n: usize) -> (String, usize) {
    let mut s = String::from("{\"A\": [");
    let mut last = 0;
    for i in 0..n {
        if i > 0 {
            s += ", ";
        }
        last = s.len();
        s.push('1');
    }
    s += "]}";
    (s, last)
}

/// `<R><A>1</A><B/><A>1</A>…</R>` with `n` `A` siblings (a `B` between
/// each); also the offset of the last `A`.
fn xml_list(n: usize) -> (String, usize) {
    let mut s = String::from("<R>");
    let mut last = 0;
    for i in 0..n {
        if i > 0 {
            s += "<B/>";
        }
        last = s.len();
        s += "<A>1</A>";
    }
    s += "</R>";
    (s, last)
}

#[test]
fn json_max_items_at_the_limit_parses_and_one_more_fails() {
    for max in [0, 1, 2, 10] {
        let (at, _) = json_list(max);
        let (over, last) = json_list(max + 1);
        for paths in [&["A.#"][..], &["A"], &["A.0"], &["A.#", "B"]] {
            let expect = if paths[0] == "A.#" { max } else { max.min(1) };
            assert_eq!(items(paths, &at, max), Ok(expect), "{max} {paths:?}");
            assert_eq!(
                items(paths, &over, max),
                Err((ErrorKind::ItemLimit, last)),
                "{max} {paths:?}"
            );
        }
    }
    // Objects as items, with a path into them.
    let objs = |n: usize| format!("{{\"A\": [{}{{\"B\": 1}}]}}", "{\"B\": 1}, ".repeat(n - 1));
    assert_eq!(items(&["A.#.B"], objs(3), 3), Ok(3));
    assert_eq!(
        items(&["A.#.B"], objs(4), 3),
        Err((ErrorKind::ItemLimit, 7 + 3 * 10))
    );
}

#[test]
fn json_max_items_default_is_100_000() {
    assert_eq!(Limits::default().max_items(), 100_000);
    let (at, _) = json_list(100_000);
    let (over, last) = json_list(100_001);
    let set = PathSet::compile(["A.#"]).unwrap();
    let mut found = 0;
    let r = set.visit(at.as_bytes(), &Options::default(), |_| found += 1);
    assert!(r.is_ok());
    assert_eq!(found, 100_000);
    let e = set
        .visit(over.as_bytes(), &Options::default(), |_| {})
        .unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::ItemLimit, last));
    assert_eq!(e.category(), Category::Limit);
}

#[test]
fn json_duplicate_keys_add_to_the_same_list() {
    let doc = r#"{"A": [1, 1], "B": 0, "A": 1}"#;
    assert_eq!(items(&["A.#"], doc, 3), Ok(3));
    assert_eq!(items(&["A.#"], doc, 2), Err((ErrorKind::ItemLimit, 27)));
}

#[test]
fn xml_max_items_at_the_limit_parses_and_one_more_fails() {
    for max in [0, 1, 2, 10] {
        let (at, _) = xml_list(max);
        let (over, last) = xml_list(max + 1);
        for paths in [&["A.#"][..], &["A"], &["A.0"], &["A.#", "B"]] {
            let a = if paths[0] == "A.#" { max } else { max.min(1) };
            // `B` (a single item) is found once there are two `A`s.
            let expect = a + usize::from(paths.contains(&"B") && max >= 2);
            assert_eq!(items(paths, &at, max), Ok(expect), "{max} {paths:?}");
            assert_eq!(
                items(paths, &over, max),
                Err((ErrorKind::ItemLimit, last)),
                "{max} {paths:?}"
            );
        }
    }
}

#[test]
fn xml_max_items_default_is_100_000() {
    let doc = |n: usize| format!("<R>{}</R>", "<A/>".repeat(n));
    let set = PathSet::compile(["A.#"]).unwrap();
    let mut found = 0;
    assert!(set
        .visit(doc(100_000).as_bytes(), &Options::default(), |_| found += 1)
        .is_ok());
    assert_eq!(found, 100_000);
    let e = set
        .visit(doc(100_001).as_bytes(), &Options::default(), |_| {})
        .unwrap_err();
    assert_eq!(pos(&e), (ErrorKind::ItemLimit, 3 + 4 * 100_000));
}

#[test]
fn item_counts_restart_for_each_parent() {
    let limits = 2;
    let xml = "<R><P><A/><A/></P><P><A/><A/></P></R>";
    assert_eq!(items(&["P.#.A.#"], xml, limits), Ok(4));
    let xml = "<R><P><A/><A/></P><P><A/><A/><A/></P></R>";
    assert_eq!(
        items(&["P.#.A.#"], xml, limits),
        Err((ErrorKind::ItemLimit, 29))
    );
    let json = r#"{"P": [{"A": [1, 1]}, {"A": [1, 1]}]}"#;
    assert_eq!(items(&["P.#.A.#"], json, limits), Ok(4));
    let json = r#"{"P": [{"A": [1, 1]}, {"A": [1, 1, 1]}]}"#;
    assert_eq!(
        items(&["P.#.A.#"], json, limits),
        Err((ErrorKind::ItemLimit, json.rfind('1').unwrap()))
    );
}

/// The documented scope (README, `Limits`): the limit bounds the lists a path
/// walks. A list no path walks is skipped without counting.
#[test]
fn lists_no_path_walks_are_not_counted() {
    let (json, _) = json_list(5);
    assert_eq!(items(&["Z.#"], &json, 2), Ok(0));
    let (xml, _) = xml_list(5);
    assert_eq!(items(&["Z.#"], &xml, 2), Ok(0));
    // Repeated siblings of another name do not count towards `A`.
    assert_eq!(items(&["A.#"], "<R><B/><B/><B/><A/><B/></R>", 1), Ok(1));
}

/// Plain paths (no `#`, no index: `Skim`'s lean route, which counts only
/// first items) meet the item limit as `Full` does: a limit of none refuses
/// the first item a path enters, and a name repeated past the limit is
/// refused there too, before `Skim` has every value.
#[test]
fn plain_paths_meet_the_item_limit_in_skim_as_in_full() {
    let xml = b"<R><A><B>1</B></A><A><B>2</B></A><C>3</C></R>";
    let json = br#"{"A": {"B": 1}, "C": 3}"#;
    let paths = ["A.B", "C"];
    // The offset of the first item: the XML element's `<`, the JSON value.
    for (doc, first) in [(&xml[..], 3), (&json[..], 6)] {
        let mut answers = Vec::new();
        for max in [0, 1, 2] {
            let limits = Limits::default().with_max_items(max);
            let full = extract(&paths, doc, &with(limits)).map_err(|e| pos(&e));
            let skim = extract(&paths, doc, &with(limits).validation(Validation::Skim))
                .map_err(|e| pos(&e));
            assert_eq!(full, skim, "max {max}: {}", String::from_utf8_lossy(doc));
            answers.push(full);
        }
        // None allowed: refused at the first item a path enters.
        assert_eq!(answers[0], Err((ErrorKind::ItemLimit, first)));
        assert_eq!(answers[2], Ok(2));
    }
}
