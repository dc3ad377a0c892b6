//! Hostile input (issue 6, point 2): one test per class of attack or
//! malformation a callback body from the internet may carry.
//!
//! Every ill-formed document is checked four ways, which must all report the
//! same [`ErrorKind`] at the same byte offset:
//! - [`PathSet::extract`] with paths that descend into the document's names,
//! - [`PathSet::extract`] with a path that matches nothing (everything skipped),
//! - the pull reader looping `next()` to `Eof`,
//! - the pull reader skipping the root with `skip_element` / `skip_value`.
//!
//! A counting global allocator checks that none of them allocates: the paths
//! are compiled, and the hostile inputs built, outside the counted region.
//! Nothing here measures time (see `scripts/linear-time.sh` for that).

mod support;

use support::counting::{measure, Counting};

use std::sync::OnceLock;

use wanxiang::{json, sniff, xml, Error, ErrorKind, Format, Hit, Options, PathSet, Validation};

// ---- counting allocator ----------------------------------------------------

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result and how many allocations it made on this thread.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let (t, n, _) = measure(f);
    (t, n)
}

// ---- the four ways through a document ----------------------------------------

/// Paths that walk into the names the hostile documents below use, so the
/// engines match and descend instead of only skipping.
const DESCEND: &[&str] = &[
    "Code",
    "Code.#",
    "a.#",
    "a.a.a.#",
    "R.#",
    "A.#.B",
    "@a",
    "k.#",
    "JobsDetail.#.JobId",
];

/// A path no document below uses: every subtree is skipped.
const SKIP: &[&str] = &["NoSuchName.#"];

const SLOTS: usize = 64;

/// Position of an error, for comparing.
fn pos(e: &Error) -> (ErrorKind, usize) {
    (e.kind(), e.offset())
}

/// The whole document through the pull reader, event by event.
fn read_all(input: &[u8]) -> Result<(), Error> {
    match sniff(input)? {
        Format::Xml => {
            let mut r = xml::Reader::new(input)?;
            while r.next()? != xml::Event::Eof {}
        }
        Format::Json => {
            let mut r = json::Reader::new(input)?;
            while r.next()? != json::Event::Eof {}
        }
    }
    Ok(())
}

/// The whole document through the pull reader, skipping the root.
fn skip_all(input: &[u8]) -> Result<(), Error> {
    match sniff(input)? {
        Format::Xml => {
            let mut r = xml::Reader::new(input)?;
            loop {
                match r.next()? {
                    xml::Event::Start(_) if r.depth() == 1 => r.skip_element()?,
                    xml::Event::Eof => break,
                    _ => {}
                }
            }
        }
        Format::Json => {
            let mut r = json::Reader::new(input)?;
            r.skip_value()?;
            while r.next()? != json::Event::Eof {}
        }
    }
    Ok(())
}

/// Runs `input` the four ways, asserting no allocation in any of them and one
/// answer from all; returns that answer.
fn run(input: &[u8]) -> Result<(), Error> {
    static SET: OnceLock<PathSet> = OnceLock::new();
    run_with(
        SET.get_or_init(|| PathSet::compile(DESCEND).unwrap()),
        input,
    )
}

/// [`run`] with `descend` as the descending paths.
fn run_with(descend: &PathSet, input: &[u8]) -> Result<(), Error> {
    static SKIP_SET: OnceLock<PathSet> = OnceLock::new();
    // Compiled (and allocated) once, before anything is counted.
    let skip = SKIP_SET.get_or_init(|| PathSet::compile(SKIP).unwrap());
    let mut slots = [Hit::EMPTY; SLOTS];
    let (a, n) = counted(|| descend.extract(input, &mut slots).map(|_| ()));
    assert_eq!(n, 0, "extract (descending) allocated {n} times");
    let (b, n) = counted(|| skip.extract(input, &mut slots).map(|_| ()));
    assert_eq!(n, 0, "extract (skipping) allocated {n} times");
    let (c, n) = counted(|| read_all(input));
    assert_eq!(n, 0, "the pull reader allocated {n} times");
    let (d, n) = counted(|| skip_all(input));
    assert_eq!(n, 0, "the pull reader (skipping) allocated {n} times");
    let show = |r: &Result<(), Error>| r.as_ref().map_err(pos).copied();
    let short = String::from_utf8_lossy(&input[..input.len().min(80)]).into_owned();
    assert_eq!(
        show(&a),
        show(&b),
        "descending vs skipping extract on {short:?}"
    );
    assert_eq!(show(&a), show(&c), "extract vs pull reader on {short:?}");
    assert_eq!(
        show(&a),
        show(&d),
        "extract vs skipping pull reader on {short:?}"
    );
    a
}

/// Asserts that `input` fails with `kind` at `offset`, every way, without allocating.
#[track_caller]
fn err(input: impl AsRef<[u8]>, kind: ErrorKind, offset: usize) -> Error {
    let input = input.as_ref();
    match run(input) {
        Ok(()) => panic!(
            "accepted, expected {kind:?} at {offset}: {:?}",
            String::from_utf8_lossy(&input[..input.len().min(200)])
        ),
        Err(e) => {
            assert_eq!(
                pos(&e),
                (kind, offset),
                "on {:?}",
                String::from_utf8_lossy(&input[..input.len().min(200)])
            );
            e
        }
    }
}

/// Asserts that `input` is accepted every way, without allocating.
#[track_caller]
fn ok(input: impl AsRef<[u8]>) {
    let input = input.as_ref();
    if let Err(e) = run(input) {
        panic!(
            "rejected with {e} ({:?}): {:?}",
            e.kind(),
            String::from_utf8_lossy(&input[..input.len().min(200)])
        );
    }
}

/// The decoded values of each path (extraction counted: no allocation).
fn values(paths: &[&str], input: impl AsRef<[u8]>) -> Vec<Vec<String>> {
    let input = input.as_ref();
    ok(input);
    let set = PathSet::compile(paths).unwrap();
    let mut slots = [Hit::EMPTY; SLOTS];
    let (found, n) = counted(|| set.extract(input, &mut slots).map(|f| f.hits().len()));
    assert_eq!(n, 0, "extract allocated {n} times");
    let len = found.unwrap();
    (0..paths.len())
        .map(|p| {
            slots[..len]
                .iter()
                .filter(|h| h.path() == p)
                .map(|h| h.text().to_cow().into_owned())
                .collect()
        })
        .collect()
}

/// Byte offset of the first `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

/// Runs `f` on a thread with a 64 KiB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    on_stack(64 * 1024, f);
}

/// Runs `f` on a thread with a stack of `bytes`.
fn on_stack(bytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

// ---- DTDs ------------------------------------------------------------------------

#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc += &format!(" <!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10));
    }
    doc += "]>\n<lolz>&lol9;</lolz>\n";
    let e = err(&doc, ErrorKind::Doctype, 22);
    assert_eq!((e.line(), e.column()), (2, 1));
}

#[test]
fn quadratic_blowup_is_refused_at_the_doctype() {
    let big = "a".repeat(100_000);
    let refs = "&a;".repeat(10_000);
    let doc = format!("<!DOCTYPE r [<!ENTITY a \"{big}\">]><r>{refs}</r>");
    err(&doc, ErrorKind::Doctype, 0);
    // Without the DTD the references name no entity: the first one is refused.
    err(format!("<r>{refs}</r>"), ErrorKind::UnknownEntity, 3);
}

#[test]
fn external_entities_are_refused_at_the_doctype() {
    let e = err(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
        ErrorKind::Doctype,
        21,
    );
    assert_eq!((e.line(), e.column()), (1, 22));
    err(
        "<!DOCTYPE r PUBLIC \"-//X//DTD X//EN\" \"http://example.com/x.dtd\"><r/>",
        ErrorKind::Doctype,
        0,
    );
    // A parameter entity pulled in from outside.
    err(
        "\u{FEFF}<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://example.com/p\"> %p;]><r/>",
        ErrorKind::Doctype,
        3,
    );
    // Behind a comment, after the root, inside the root: refused wherever it is.
    err(
        "<!-- hi -->\n<!DOCTYPE r SYSTEM \"x\"><r/>",
        ErrorKind::Doctype,
        12,
    );
    err("<r/><!DOCTYPE r SYSTEM \"x\">", ErrorKind::Doctype, 4);
    err(
        "<r><a><!DOCTYPE r SYSTEM \"x\"></a></r>",
        ErrorKind::Doctype,
        6,
    );
    // Names are case-sensitive: `<!doctype` is no DOCTYPE, just bad markup.
    err("<!doctype r><r/>", ErrorKind::BadMarkup, 0);
}

// ---- nesting -----------------------------------------------------------------------

/// 100 000 nested elements / containers: the 129th opener exceeds the
/// default limit of 128, on a normal and on a 64 KiB stack.
fn deep_xml() {
    let doc = "<a>".repeat(100_000);
    err(&doc, ErrorKind::DepthLimit, 128 * 3);
    let closed = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    err(&closed, ErrorKind::DepthLimit, 128 * 3);
    let lines = "<a>\n".repeat(100_000);
    let e = err(&lines, ErrorKind::DepthLimit, 128 * 4);
    assert_eq!((e.line(), e.column()), (129, 1));
    // An empty element inside 128 open ones is level 129 too.
    let mixed = "<a a='1'><b/>".repeat(100_000);
    err(&mixed, ErrorKind::DepthLimit, 127 * 13 + 9);
}

fn deep_json() {
    err("[".repeat(100_000), ErrorKind::DepthLimit, 128);
    let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    err(&closed, ErrorKind::DepthLimit, 128);
    err("{\"a\":".repeat(100_000), ErrorKind::DepthLimit, 128 * 5);
    err("{\"k\":[".repeat(100_000), ErrorKind::DepthLimit, 64 * 6);
    let e = err("[\n".repeat(100_000), ErrorKind::DepthLimit, 128 * 2);
    assert_eq!((e.line(), e.column()), (129, 1));
}

#[test]
fn deep_xml_nesting_hits_the_depth_limit() {
    deep_xml();
}

#[test]
fn deep_xml_nesting_hits_the_depth_limit_on_a_small_stack() {
    on_small_stack(deep_xml);
}

#[test]
fn deep_json_nesting_hits_the_depth_limit() {
    deep_json();
}

#[test]
fn deep_json_nesting_hits_the_depth_limit_on_a_small_stack() {
    on_small_stack(deep_json);
}

/// The longest path (32 steps, the most `PathSet::compile` takes) over a
/// document nested deeper than it: extraction recurses once per step, so this
/// is its deepest stack, in both modes and formats.
fn longest_path() {
    const STEPS: usize = 32;
    let steps = vec!["a"; STEPS + 1];
    assert!(
        PathSet::compile([steps.join(".")]).is_err(),
        "the step limit moved: update STEPS"
    );
    let set = PathSet::compile([steps[..STEPS].join(".")]).unwrap();
    let depth = STEPS + 8;
    let xml = format!("{}v{}", "<a>\n".repeat(depth), "</a>\n".repeat(depth));
    let json = format!("{}\"v\"{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    for doc in [xml, json] {
        for validation in [Validation::Full, Validation::Skim] {
            let options = Options::new().validation(validation);
            let mut slots = [Hit::EMPTY; 4];
            let found = set
                .extract_with(doc.as_bytes(), &options, &mut slots)
                .unwrap();
            let values: Vec<_> = found.hits().iter().map(|h| h.text().raw()).collect();
            // The value of the 32nd `a` is the rest of the nesting, raw.
            let inner = if doc.starts_with('<') {
                format!(
                    "{}v{}",
                    "<a>\n".repeat(depth - STEPS),
                    "</a>\n".repeat(depth - STEPS)
                )
            } else {
                format!(
                    "{}\"v\"{}",
                    "{\"a\": ".repeat(depth - STEPS),
                    "}".repeat(depth - STEPS)
                )
            };
            assert_eq!(values, [inner.trim_end()], "{validation:?} on {:.10}", doc);
        }
    }
}

/// On a 64 KiB stack with optimisations (`.ci/run` runs this file with
/// `--release` too). Unoptimised frames are bigger: without optimisations the
/// four runs need 256–320 KiB (measured by bisecting the stack size, since
/// the XML `Skim` element loop got its lean name match), so debug builds get
/// 384 KiB. With `--release` XML fits in 24 KiB and JSON in 32 KiB.
#[test]
fn the_longest_path_on_a_small_stack() {
    if cfg!(debug_assertions) {
        on_stack(384 * 1024, longest_path);
    } else {
        on_small_stack(longest_path);
    }
}

// ---- attributes ----------------------------------------------------------------------

#[test]
fn many_attributes_hit_the_attribute_limit() {
    let max = wanxiang::Limits::default().max_attributes();
    let mut doc = String::from("<R");
    let mut past = 0;
    for i in 0..100_000 {
        doc.push(' ');
        if i == max {
            past = doc.len();
        }
        doc += &format!("a{i}=\"\"");
    }
    doc += "/>";
    err(&doc, ErrorKind::AttributeLimit, past);
    // The same on an element below the root, which a path walks into.
    let inner = format!(
        "<R><Code>x</Code><a>{}</a></R>",
        doc.replacen("<R", "<a", 1)
    );
    err(&inner, ErrorKind::AttributeLimit, past + 20);
}

#[test]
fn duplicate_attributes_are_rejected() {
    err("<R a=\"1\" a=\"2\"/>", ErrorKind::DuplicateAttribute, 9);
    err(
        "<R a='1' b='2' a='3'></R>",
        ErrorKind::DuplicateAttribute,
        15,
    );
    err(
        "<R a = \"1\"\n  a=\"1\"/>",
        ErrorKind::DuplicateAttribute,
        13,
    );
    err(
        "<R><Code x='1' x='1'>v</Code></R>",
        ErrorKind::DuplicateAttribute,
        15,
    );
    // The last allowed attribute repeats the first, and names repeat on
    // each side of where the check's table of earlier names grows (8, 16,
    // 32, 64: its sizes now and before) and of where it is full (256, the
    // default limit).
    let max = wanxiang::Limits::default().max_attributes();
    for (n, again) in [
        (max - 1, "a0"),
        (max - 1, &*format!("a{}", max - 2)),
        (7, "a0"),
        (8, "a7"),
        (9, "a0"),
        (9, "a8"),
        (15, "a0"),
        (15, "a14"),
        (16, "a15"),
        (17, "a0"),
        (17, "a16"),
        (31, "a0"),
        (32, "a31"),
        (33, "a0"),
        (33, "a32"),
        (63, "a0"),
        (64, "a63"),
        (65, "a0"),
        (65, "a64"),
        (100, "a70"),
    ] {
        let mut doc = String::from("<R");
        for i in 0..n {
            doc += &format!(" a{i}='{i}'");
        }
        let at = doc.len() + 1;
        doc += &format!(" {again}='again'/>");
        err(&doc, ErrorKind::DuplicateAttribute, at);
        // Without the repeat, the same tag is fine.
        ok(doc.replace(&format!(" {again}='again'"), " fresh='x'"));
    }
    // Long names that agree on their first eight bytes and length.
    let long = |i: usize| format!("same-prefix-{i:04}");
    let mut doc = String::from("<R");
    for i in 0..40 {
        doc += &format!(" {}='v'", long(i));
    }
    ok(format!("{doc}/>"));
    let at = doc.len() + 1;
    err(
        format!("{doc} {}='v'/>", long(33)),
        ErrorKind::DuplicateAttribute,
        at,
    );
    // Names are compared as written: case and prefix make them different.
    ok("<R a='1' A='2' x:a='3' xmlns:x='u'/>");
}

// ---- encodings --------------------------------------------------------------------

#[test]
fn invalid_utf8_is_rejected_in_xml() {
    err(b"<R>\xFF\xFE</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>\xC0\x80</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>\xED\xA0\x80</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>\xF4\x90\x80\x80</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>\xF5</R>", ErrorKind::InvalidUtf8, 3);
    // Truncated sequences: before markup and at the end of the input.
    err(b"<R>\xE4\xB8</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>\xF0\x9F\x98</R>", ErrorKind::InvalidUtf8, 3);
    err(b"<R>x</R>\xE4", ErrorKind::InvalidUtf8, 8);
    // In a name, an attribute, a comment, CDATA; after valid multi-byte text.
    err(b"<R\xFF/>", ErrorKind::InvalidUtf8, 2);
    err(b"<R a=\"\xC0\x80\"/>", ErrorKind::InvalidUtf8, 6);
    err(b"<R><!--\xED\xA0\x80--></R>", ErrorKind::InvalidUtf8, 7);
    err(b"<R><![CDATA[\xFF]]></R>", ErrorKind::InvalidUtf8, 12);
    let e = err(
        "<R>\n<Code>中\u{FF}</Code></R>".replace('\u{FF}', "\u{1}"),
        ErrorKind::IllegalChar,
        13,
    );
    assert_eq!((e.line(), e.column()), (2, 10));
    let e = err(
        b"<R>\n<Code>\xE4\xB8\xAD\xFF</Code></R>",
        ErrorKind::InvalidUtf8,
        13,
    );
    assert_eq!((e.line(), e.column()), (2, 10));
}

#[test]
fn invalid_utf8_is_rejected_in_json() {
    err(b"{\"a\": \"\xFF\xFE\"}", ErrorKind::InvalidUtf8, 7);
    err(b"{\"\xC0\x80\": 1}", ErrorKind::InvalidUtf8, 2);
    err(b"{\"Code\": \"\xED\xA0\x80\"}", ErrorKind::InvalidUtf8, 10);
    err(b"[1, \xED\xA0\x80]", ErrorKind::InvalidUtf8, 4);
    err(b"[\"\xF0\x9F\x98\"]", ErrorKind::InvalidUtf8, 2);
    err(b"\"ab\xE4", ErrorKind::InvalidUtf8, 3);
    err(b"{}\xC0", ErrorKind::InvalidUtf8, 2);
}

#[test]
fn utf16_and_foreign_encodings_are_refused() {
    err(b"\xFF\xFE<\0R\0/\0>\0", ErrorKind::UnsupportedEncoding, 0);
    err(b"\xFE\xFF\0<\0R\0/\0>", ErrorKind::UnsupportedEncoding, 0);
    err(b"\xFF\xFE{\0}\0", ErrorKind::UnsupportedEncoding, 0);
    let decl = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<R/>";
    let e = err(decl, ErrorKind::UnsupportedEncoding, 0);
    assert_eq!((e.line(), e.column()), (1, 1));
    err(format!("\u{FEFF}{decl}"), ErrorKind::UnsupportedEncoding, 3);
    err(
        "<?xml version='1.0' encoding='UTF-16'?><R/>",
        ErrorKind::UnsupportedEncoding,
        0,
    );
    err(
        "<?xml version='1.0' encoding='GB2312'?><R/>",
        ErrorKind::UnsupportedEncoding,
        0,
    );
    // UTF-8 in any case is fine, with or without a BOM.
    ok("<?xml version='1.0' encoding='UTF-8'?><R/>");
    ok("\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><R/>");
}

// ---- characters ---------------------------------------------------------------------

#[test]
fn nul_and_control_characters_in_xml_are_illegal() {
    err(b"<R>a\0b</R>", ErrorKind::IllegalChar, 4);
    for c in [0x01u8, 0x08, 0x0B, 0x0C, 0x1B, 0x1F] {
        err(
            [&b"<R>ab"[..], &[c], b"</R>"].concat(),
            ErrorKind::IllegalChar,
            5,
        );
        err(
            [&b"<R a='"[..], &[c], b"'/>"].concat(),
            ErrorKind::IllegalChar,
            6,
        );
        err(
            [&b"<R><!-- "[..], &[c], b" --></R>"].concat(),
            ErrorKind::IllegalChar,
            8,
        );
        err(
            [&b"<R><![CDATA["[..], &[c], b"]]></R>"].concat(),
            ErrorKind::IllegalChar,
            12,
        );
        err(
            [&b"<R><?pi "[..], &[c], b"?></R>"].concat(),
            ErrorKind::IllegalChar,
            8,
        );
        err(
            [&b"<R><Code>"[..], &[c], b"</Code></R>"].concat(),
            ErrorKind::IllegalChar,
            9,
        );
    }
    // U+FFFE and U+FFFF are not XML characters either.
    err("<R>\u{FFFE}</R>", ErrorKind::IllegalChar, 3);
    err("<R><Code>x\u{FFFF}</Code></R>", ErrorKind::IllegalChar, 10);
    // Tab, newline, carriage return, DEL and C1 controls are.
    ok("<R>\t\n\r\u{7F}\u{80}\u{9F}</R>");
}

#[test]
fn raw_control_characters_in_json_strings_are_rejected() {
    err(b"\"a\0b\"", ErrorKind::ControlInString, 2);
    for c in [0x00u8, 0x01, 0x08, b'\t', b'\n', b'\r', 0x1F] {
        err(
            [&b"{\"Code\": \"x"[..], &[c], b"\"}"].concat(),
            ErrorKind::ControlInString,
            11,
        );
        err(
            [&b"{\"a"[..], &[c], b"\": 1}"].concat(),
            ErrorKind::ControlInString,
            3,
        );
        err(
            [&b"{\"z\": [\""[..], &[c], b"\"]}"].concat(),
            ErrorKind::ControlInString,
            8,
        );
    }
    let e = err(
        "{\n  \"a\": 1,\n  \"Code\": \"x\u{1}\"\n}",
        ErrorKind::ControlInString,
        24,
    );
    assert_eq!((e.line(), e.column()), (3, 13));
    // DEL and C1 controls are not JSON control characters.
    ok("[\"\u{7F}\u{80}\u{9F}\"]");
}

#[test]
fn lone_and_inverted_surrogate_escapes_are_rejected() {
    err(r#""\uD800""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uDBFF""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uDC00""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uDFFF""#, ErrorKind::BadSurrogate, 1);
    // Inverted: low then high. Doubled high. High then a non-surrogate.
    err(r#""\uDC00\uD800""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uD800\uD800""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uD800\u0041""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uD800x""#, ErrorKind::BadSurrogate, 1);
    err(r#""\uD800\n""#, ErrorKind::BadSurrogate, 1);
    // After a valid pair; in a key; in a value a path selects; in a skipped value.
    err(r#"["\uD83D\uDE00\uDE00"]"#, ErrorKind::BadSurrogate, 14);
    err(r#"{"a\uD800": 1}"#, ErrorKind::BadSurrogate, 3);
    err(r#"{"Code": "x\uDC00y"}"#, ErrorKind::BadSurrogate, 11);
    err(r#"{"z": {"y": ["\uD800"]}}"#, ErrorKind::BadSurrogate, 14);
    assert_eq!(values(&["Code"], r#"{"Code": "\uD83D\uDE00"}"#), [["😀"]]);
}

#[test]
fn bad_character_references_are_rejected() {
    for r in [
        "&#0;",
        "&#x0;",
        "&#1;",
        "&#x1F;",
        "&#xD800;",
        "&#xDFFF;",
        "&#xFFFE;",
        "&#xFFFF;",
        "&#x110000;",
        "&#1114112;",
        "&#12345678901234567890;",
        "&#x12345678901234567890;",
        "&#;",
        "&#x;",
        "&#X41;",
        "&#12a;",
        "&#x1G;",
        "&# 65;",
        "&#65",
    ] {
        err(format!("<R>{r}</R>"), ErrorKind::BadCharRef, 3);
        err(format!("<R a='x{r}'/>"), ErrorKind::BadCharRef, 7);
        err(format!("<R><Code>{r}</Code></R>"), ErrorKind::BadCharRef, 9);
    }
    // Legal ones, leading zeros included.
    assert_eq!(
        values(
            &["Code"],
            "<R><Code>&#9;&#x41;&#x1F600;&#000000000000000000066;&#x10FFFF;</Code></R>"
        ),
        [["\tA😀B\u{10FFFF}"]]
    );
}

#[test]
fn unknown_entities_are_rejected() {
    for r in ["&foo;", "&Amp;", "&nbsp;", "&lol9;", "&x:y;"] {
        err(format!("<R>{r}</R>"), ErrorKind::UnknownEntity, 3);
        err(format!("<R a=\"{r}\"/>"), ErrorKind::UnknownEntity, 6);
        err(
            format!("<R><Code>{r}</Code></R>"),
            ErrorKind::UnknownEntity,
            9,
        );
    }
    // A `&` that starts no reference at all.
    for r in ["& ", "&;", "&amp", "&lt <", "&1;"] {
        err(format!("<R>{r}</R>"), ErrorKind::BadEntityRef, 3);
    }
    assert_eq!(
        values(&["Code"], "<R><Code>&lt;&gt;&amp;&apos;&quot;</Code></R>"),
        [["<>&'\""]]
    );
}

// ---- JSON numbers ------------------------------------------------------------------------

#[test]
fn bad_json_numbers_are_rejected() {
    for n in [
        "01",
        "00",
        "-01",
        "1.",
        "-",
        "-.1",
        "1.e5",
        "1e",
        "1e+",
        "1E-",
        "-Infinity",
        "1e5.0",
        "1.2.3",
        "--1",
    ] {
        err(format!("[{n}]"), ErrorKind::BadNumber, 1);
        err(format!("{{\"Code\": {n}}}"), ErrorKind::BadNumber, 9);
        err(format!("{{\"z\": [{n}]}}"), ErrorKind::BadNumber, 7);
        // As a whole document, a number whose missing digit would come after
        // the last byte is cut by the end of input, not malformed.
        if ["1.", "-", "1e", "1e+", "1E-"].contains(&n) {
            err(n, ErrorKind::UnexpectedEof, n.len());
        } else {
            err(n, ErrorKind::BadNumber, 0);
        }
    }
    // Not the start of any value.
    let value = ErrorKind::UnexpectedByte {
        expected: "a value",
    };
    for n in [".1", "NaN", "Infinity", "+1", ".", "nan"] {
        let kind = if n == "nan" {
            ErrorKind::BadLiteral
        } else {
            value
        };
        err(format!("[{n}]"), kind, 1);
        err(format!("{{\"Code\": {n}}}"), kind, 9);
    }
    err(
        "[0x10]",
        ErrorKind::UnexpectedByte {
            expected: "`,` or `]`",
        },
        2,
    );
}

#[test]
fn long_and_huge_json_numbers_are_literal_text() {
    let digits: String = (0..100_000)
        .map(|i| char::from(b'1' + (i % 9) as u8))
        .collect();
    ok(&digits);
    ok(format!("[{digits}, -{digits}.{digits}e-{digits}]"));
    assert_eq!(
        values(&["Code"], format!("{{\"Code\": {digits}}}")),
        [[digits.clone()]]
    );
    for n in ["1e999999", "-1E+999999", "1e-999999", "-0", "0.0e0", "0E00"] {
        assert_eq!(
            values(&["Code"], format!("{{\"Code\": {n}}}")),
            [[n]],
            "{n}"
        );
    }
}

// ---- structure -----------------------------------------------------------------------------

#[test]
fn mismatched_and_stray_end_tags_are_rejected() {
    err("<a></b>", ErrorKind::MismatchedEndTag, 3);
    err("<a><b></a></b>", ErrorKind::MismatchedEndTag, 6);
    err("<a></ab>", ErrorKind::MismatchedEndTag, 3);
    err("<ab></a>", ErrorKind::MismatchedEndTag, 4);
    err("<R><Code>x</code></R>", ErrorKind::MismatchedEndTag, 10);
    let e = err("<R>\n  <a>\n  </R>", ErrorKind::MismatchedEndTag, 12);
    assert_eq!((e.line(), e.column()), (3, 3));
    err("<a></a></a>", ErrorKind::UnexpectedEndTag, 7);
    err("</a>", ErrorKind::UnexpectedEndTag, 0);
    err("\n</a><a/>", ErrorKind::UnexpectedEndTag, 1);
    ok("<a></a \n>");
    // The JSON equivalents: a closer of the wrong kind, a closer with nothing open.
    err(
        "[}",
        ErrorKind::UnexpectedByte {
            expected: "a value",
        },
        1,
    );
    err(
        "{\"a\": 1]",
        ErrorKind::UnexpectedByte {
            expected: "`,` or `}`",
        },
        7,
    );
    err(
        "]",
        ErrorKind::UnexpectedByte {
            expected: "a value",
        },
        0,
    );
}

#[test]
fn two_roots_and_trailing_data_are_rejected() {
    err("<a/><b/>", ErrorKind::MultipleRoots, 4);
    err("<a></a>\n<a></a>", ErrorKind::MultipleRoots, 8);
    err("<R><Code>1</Code></R><R/>", ErrorKind::MultipleRoots, 21);
    err("<a/>text", ErrorKind::TextOutsideRoot, 4);
    err("<a/>  \n x", ErrorKind::TextOutsideRoot, 8);
    err("<!-- c -->text<a/>", ErrorKind::TextOutsideRoot, 10);
    // Text first is no XML at all: the input is read as JSON (`t` of `true`).
    err("text<a/>", ErrorKind::BadLiteral, 0);
    err("<a/><![CDATA[x]]>", ErrorKind::TextOutsideRoot, 4);
    ok("<a/>  <!-- fine --> <?pi fine?>\n");
    err("{} {}", ErrorKind::TrailingData, 3);
    err("{}{}", ErrorKind::TrailingData, 2);
    err("[] x", ErrorKind::TrailingData, 3);
    err("{\"Code\": 1}}", ErrorKind::TrailingData, 11);
    err("1 2", ErrorKind::TrailingData, 2);
    err("\"a\" \"b\"", ErrorKind::TrailingData, 4);
    err("{}\n,", ErrorKind::TrailingData, 3);
    err("{}\0", ErrorKind::TrailingData, 2);
}

#[test]
fn unclosed_constructs_point_at_their_opener() {
    err("<R><![CDATA[abc", ErrorKind::UnclosedCdata, 3);
    err("<R><![CDATA[abc]]", ErrorKind::UnclosedCdata, 3);
    err("<R><!-- abc", ErrorKind::UnclosedComment, 3);
    err("<R><!-- abc --", ErrorKind::UnclosedComment, 3);
    err("<!-- abc", ErrorKind::UnclosedComment, 0);
    err("<R><?pi abc", ErrorKind::UnclosedPi, 3);
    err("<R><?pi abc?", ErrorKind::UnclosedPi, 3);
    err("<?xml version=\"1.0\"", ErrorKind::UnclosedPi, 0);
    err("<R><a", ErrorKind::UnclosedTag, 3);
    err("<R><a x='1'", ErrorKind::UnclosedTag, 3);
    err("<R></R", ErrorKind::UnclosedTag, 3);
    err("<R a=\"1", ErrorKind::UnclosedAttribute, 5);
    err("<R a='1>x", ErrorKind::UnclosedAttribute, 5);
    // A `<` met first is reported first.
    err("<R a='1></R>", ErrorKind::LtInAttribute, 8);
    err("<R>", ErrorKind::UnclosedElement, 0);
    err("<R><a><b/>text", ErrorKind::UnclosedElement, 3);
    let e = err(
        "<R>\n  <Code>\n<![CDATA[ x ]]",
        ErrorKind::UnclosedCdata,
        13,
    );
    assert_eq!((e.line(), e.column()), (3, 1));
    err("\"abc", ErrorKind::UnclosedString, 0);
    err("{\"a\": \"b", ErrorKind::UnclosedString, 6);
    err("{\"ab", ErrorKind::UnclosedString, 1);
    err("[\"a\\\"]", ErrorKind::UnclosedString, 1);
    err("{\"a\":1", ErrorKind::UnclosedObject, 0);
    err("{\"a\":{\"b\":[1]", ErrorKind::UnclosedObject, 5);
    err("[1,2", ErrorKind::UnclosedArray, 0);
    let e = err("{\n \"Code\": [\n  1,", ErrorKind::UnclosedArray, 11);
    assert_eq!((e.line(), e.column()), (2, 10));
}

#[test]

fn truncated_comment_opener_is_an_end_of_input_error() {
    err("<R><!", ErrorKind::UnclosedTag, 3);
    err("<R><![CD", ErrorKind::UnclosedTag, 3);
    err("<R><!-", ErrorKind::UnclosedTag, 3);
}

#[test]
fn lt_in_attribute_values_is_rejected() {
    err("<R a=\"x<y\"/>", ErrorKind::LtInAttribute, 7);
    err("<R a='<'></R>", ErrorKind::LtInAttribute, 6);
    err(
        "<R><Code a=\"1\" b='<Code>'/></R>",
        ErrorKind::LtInAttribute,
        18,
    );
    // `>` is allowed, and `&lt;` is the way to write `<`.
    assert_eq!(values(&["@a"], "<R a='&lt;&gt;>'/>"), [["<>>"]]);
}

// ---- paths that must not match, and must -----------------------------------------------

const CODE: &[&str] = &["Code", "Code.#"];

#[test]
fn fake_code_in_comments_cdata_pis_and_strings_does_not_match() {
    let fake = "<R><!-- <Code>c</Code> --><X><![CDATA[<Code>d</Code>]]></X>\
        <?pi <Code>p</Code>?><Y a='&lt;Code>'>&lt;Code&gt;e&lt;/Code&gt;</Y></R>";
    assert_eq!(values(CODE, fake), [vec![], vec![]] as [Vec<String>; 2]);
    let real = fake.replace("</R>", "<Code>real</Code></R>");
    assert_eq!(values(CODE, &real), [["real"], ["real"]]);
    let fake = r#"{"S": "\"Code\": \"x\"", "T": "{\"Code\": 1}", "U": ["Code", {"V": "Code"}],
        "W": "<Code>w</Code>"}"#;
    assert_eq!(values(CODE, fake), [vec![], vec![]] as [Vec<String>; 2]);
    let real = fake.replacen('{', "{\"Code\": \"real\", ", 1);
    assert_eq!(values(CODE, &real), [["real"], ["real"]]);
}

#[test]
fn near_miss_names_and_wrong_depths_do_not_match() {
    let xml = "<R><CodeX>1</CodeX><code>2</code><Cod>3</Cod><CODE>4</CODE><ns:Code>5</ns:Code>\
        <X><Code>6</Code></X><CodeCode>7</CodeCode><Code\n>8</Code\n></R>";
    assert_eq!(values(CODE, xml), [["8"], ["8"]]);
    // The root itself is not inside the root.
    assert_eq!(
        values(CODE, "<Code><X>1</X></Code>"),
        [vec![], vec![]] as [Vec<String>; 2]
    );
    let json = r#"{"CodeX": 1, "code": 2, "Cod": 3, "Code ": 4, " Code": 5, "X": {"Code": 6},
        "C\u006fdeX": 7, "Code\u0000": 8, "A": [{"Code": 9}], "Code": 10}"#;
    assert_eq!(values(CODE, json), [["10"], ["10"]]);
}

#[test]
fn json_keys_with_escapes_match_by_their_decoded_name() {
    assert_eq!(values(CODE, r#"{"Co\u0064e": "x"}"#), [["x"], ["x"]]);
    assert_eq!(
        values(CODE, r#"{"\u0043\u006F\u0064\u0065": "y"}"#),
        [["y"], ["y"]]
    );
    assert_eq!(
        values(
            &["A/B", "名", "😀"],
            r#"{"A\/B": 1, "\u540D": 2, "\uD83D\uDE00": 3}"#
        ),
        [["1"], ["2"], ["3"]]
    );
    // The `Response` wrapper is recognised by its decoded name too.
    assert_eq!(
        values(CODE, r#"{"R\u0065sponse": {"Code": "w"}}"#),
        [["w"], ["w"]]
    );
}

/// Duplicate JSON keys, the one documented behaviour (`path.rs`, README):
/// every occurrence is kept, and a later one adds its items after the
/// first's, exactly like repeated XML siblings. Nothing is overwritten.
#[test]
fn duplicate_json_keys_add_items_after_the_first() {
    let paths = ["Code", "Code.#", "Code.3", "A.B", "A.#.B"];
    let json = r#"{"Code": "1", "X": 0, "Code": "2", "Code": ["3", "4"],
        "A": {"B": "b1"}, "A": [{"B": "b2"}, {"C": 0}], "A": {"B": "b3", "B": "b4"}}"#;
    let xml = "<R><Code>1</Code><X>0</X><Code>2</Code><Code>3</Code><Code>4</Code>\
        <A><B>b1</B></A><A><B>b2</B></A><A><C>0</C></A><A><B>b3</B><B>b4</B></A></R>";
    let want = [
        vec!["1"],
        vec!["1", "2", "3", "4"],
        vec!["4"],
        vec!["b1"],
        vec!["b1", "b2", "b3"],
    ];
    assert_eq!(values(&paths, json), want);
    assert_eq!(values(&paths, xml), want);
}

// ---- every prefix ------------------------------------------------------------------------------

/// Offsets `q` past the end of the XML root element at `root_end` such that
/// `input[..q]` is still a whole document (only whitespace, comments and PIs
/// follow the root), found by a scanner written for this test.
fn complete_epilog_ends(input: &[u8], root_end: usize) -> Vec<usize> {
    let mut ends = vec![root_end];
    let mut k = root_end;
    while k < input.len() {
        let rest = &input[k..];
        if rest[0].is_ascii_whitespace() {
            k += 1;
        } else if rest.starts_with(b"<!--") {
            k += 4 + find(&rest[4..], b"-->") + 3;
        } else if rest.starts_with(b"<?") {
            k += 2 + find(&rest[2..], b"?>") + 2;
        } else {
            panic!("unexpected epilog byte at {k}");
        }
        ends.push(k);
    }
    ends
}

/// Where each valid document's content ends: prefixes at least this long may
/// be whole documents (trailing whitespace, comments or PIs cut off).
fn whole_prefixes(input: &[u8]) -> Vec<usize> {
    match sniff(input).unwrap() {
        Format::Json => {
            let end = input.len()
                - input
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            (end..input.len()).collect()
        }
        Format::Xml => {
            let mut r = xml::Reader::new(input).unwrap();
            loop {
                match r.next().unwrap() {
                    xml::Event::End(_) if r.depth() == 0 => break,
                    xml::Event::Empty(_) if r.depth() == 0 => break,
                    xml::Event::Eof => panic!("no root"),
                    _ => {}
                }
            }
            complete_epilog_ends(input, r.offset())
        }
    }
}

/// Calls `f` with every strict prefix of every valid corpus document, and
/// whether that prefix is still a whole document (only trailing whitespace,
/// comments or PIs cut off).
fn for_each_prefix(mut f: impl FnMut(&str, &[u8], usize, bool)) -> usize {
    let docs = support::valid_documents();
    assert!(docs.len() > 40, "corpus missing: {} documents", docs.len());
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        let name = doc.file_name().unwrap().to_string_lossy().into_owned();
        let whole = whole_prefixes(&input);
        for len in 0..input.len() {
            f(&name, &input, len, whole.contains(&len));
        }
    }
    docs.len()
}

#[test]
fn every_strict_prefix_of_every_valid_document_is_an_error() {
    let standard = PathSet::compile(support::STANDARD).unwrap();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    let mut prefixes = 0usize;
    let docs = for_each_prefix(|name, input, len, whole| {
        let prefix = &input[..len];
        if whole {
            // Only trailing whitespace, comments or PIs are missing: the same values.
            let mut full = [Hit::EMPTY; SLOTS];
            let n = standard.extract(input, &mut full).unwrap().hits().len();
            let mut slots = [Hit::EMPTY; SLOTS];
            let got = standard.extract(prefix, &mut slots).map(|f| f.hits().len());
            assert_eq!(got, Ok(n), "{name}[..{len}]");
            assert_eq!(slots[..n], full[..n], "{name}[..{len}]");
            assert!(run(prefix).is_ok(), "{name}[..{len}]");
            return;
        }
        prefixes += 1;
        // Extraction of the standard paths and of nothing, the reader event by
        // event and skipping: one error, no allocation.
        match run_with(&standard, prefix) {
            Ok(()) => panic!("{name}[..{len}] accepted"),
            Err(e) => {
                assert!(
                    e.offset() <= len,
                    "{name}[..{len}]: error past the cut: {e:?}"
                );
                *kinds.entry(support::kind_name(e.kind())).or_default() += 1;
            }
        }
    });
    println!("{prefixes} strict prefixes of {docs} valid documents rejected: {kinds:?}");
}

/// [`Category::Eof`](wanxiang::Category::Eof) means "more bytes might have
/// made it valid": for a strict prefix of a valid document they would, so the
/// error must say so. The one documented exception is a multi-byte character
/// cut in two (`InvalidUtf8`, "truncated").
#[test]

fn strict_prefixes_fail_with_end_of_input_errors() {
    let standard = PathSet::compile(support::STANDARD).unwrap();
    let mut wrong = Vec::new();
    for_each_prefix(|name, input, len, whole| {
        if whole {
            return;
        }
        let mut slots = [Hit::EMPTY; SLOTS];
        let e = standard.extract(&input[..len], &mut slots).unwrap_err();
        let cut_char = (0x80..0xC0).contains(&input[len]);
        if e.category() == wanxiang::Category::Eof
            || (e.kind() == ErrorKind::InvalidUtf8 && cut_char && len - e.offset() < 4)
        {
            return;
        }
        let from = e.offset().saturating_sub(12);
        wrong.push(format!(
            "{name}[..{len}]: {:?} at {}: {:?}",
            e.kind(),
            e.offset(),
            String::from_utf8_lossy(&input[from..len])
        ));
    });
    assert!(
        wrong.is_empty(),
        "{} prefixes, e.g.\n{}",
        wrong.len(),
        wrong[..wrong.len().min(30)].join("\n")
    );
}

// ---- nothing, and noise ---------------------------------------------------------------------------

#[test]
fn empty_whitespace_and_random_text_are_rejected() {
    let e = err("", ErrorKind::Empty, 0);
    assert_eq!((e.line(), e.column()), (1, 1));
    let e = err(" \t\r\n  ", ErrorKind::Empty, 6);
    assert_eq!((e.line(), e.column()), (2, 3));
    err("\u{FEFF}", ErrorKind::Empty, 3);
    err("\u{FEFF}\n\n", ErrorKind::Empty, 5);
    let value = ErrorKind::UnexpectedByte {
        expected: "a value",
    };
    err("hello world", value, 0);
    err("  Lorem <b>ipsum</b>", value, 2);
    err("# title\n", value, 0);
    err("<<<", ErrorKind::BadName, 1);
    err("<>", ErrorKind::BadName, 1);
    err("< R/>", ErrorKind::BadName, 1);
    err("<1/>", ErrorKind::BadName, 1);
    err("tru", ErrorKind::UnexpectedEof, 3); // cut by the end of input
    err("trux", ErrorKind::BadLiteral, 0);
    err("nulll", ErrorKind::TrailingData, 4);

    // Noise: deterministic pseudo-random strings over an alphabet rich in
    // markup. Whatever the answer, it is the same every way, never a panic or
    // an allocation, and an error lies inside the input.
    let alphabet = b"<>/=\"'&;#![]{}:,-.0123456789eE+aRbCDATxlmnu \n\t\\?\xC3\xA9\xFF";
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut accepted = 0;
    for _ in 0..20_000 {
        let len = (next() % 48) as usize;
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        match run(&text) {
            Ok(()) => accepted += 1,
            Err(e) => assert!(e.offset() <= text.len(), "{e:?} on {text:?}"),
        }
    }
    println!("random texts accepted: {accepted} of 20000");
}

#[test]
fn hostile_limits_errors_are_of_the_limit_category() {
    let e = err("[".repeat(1000), ErrorKind::DepthLimit, 128);
    assert_eq!(e.category(), wanxiang::Category::Limit);
    let small = Options::new().limits(wanxiang::Limits::default().with_max_input(8));
    let e = PathSet::compile(["Code"])
        .unwrap()
        .extract_with(b"{\"Code\": 1}", &small, &mut [Hit::EMPTY; 1])
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.offset(), e.category()),
        (ErrorKind::SizeLimit, 8, wanxiang::Category::Limit)
    );
}
