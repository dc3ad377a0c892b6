use super::*;
use crate::config::{Options, Validation};
use crate::ErrorKind;
use alloc::string::String;
use alloc::vec::Vec;

fn events(input: &[u8], options: &Options) -> Result<Vec<String>, (ErrorKind, usize)> {
    let mut r = Reader::with_options(input, options).map_err(|e| (e.kind(), e.offset()))?;
    let mut out = Vec::new();
    loop {
        let ev = r.next().map_err(|e| (e.kind(), e.offset()))?;
        out.push(match ev {
            Event::StartObject => "{".into(),
            Event::EndObject => "}".into(),
            Event::StartArray => "[".into(),
            Event::EndArray => "]".into(),
            Event::Key(k) => alloc::format!("{k}:"),
            Event::String(s) => alloc::format!("'{s}'"),
            Event::Number(n) => n.into(),
            Event::Bool(b) => alloc::format!("{b}"),
            Event::Null => "null".into(),
            Event::Eof => break,
        });
    }
    Ok(out)
}

#[test]
fn events_in_order() {
    let o = Options::default();
    assert_eq!(
        events(
            br#" {"a\u0041": [1, -2.5e+3, true, false, null, "x\"y"], "b": {}} "#,
            &o
        )
        .unwrap(),
        [
            "{", "aA:", "[", "1", "-2.5e+3", "true", "false", "null", "'x\"y'", "]", "b:", "{",
            "}", "}"
        ]
    );
    assert_eq!(events(b"\"top\"", &o).unwrap(), ["'top'"]);
    assert_eq!(events(b"0", &o).unwrap(), ["0"]);
}

#[test]
fn trailing_commas_default_and_strict() {
    let lenient = Options::default();
    let strict = Options::new().strict(true);
    assert_eq!(events(b"[1,]", &lenient).unwrap(), ["[", "1", "]"]);
    assert_eq!(
        events(b"{\"a\":1,}", &lenient).unwrap(),
        ["{", "a:", "1", "}"]
    );
    assert_eq!(events(b"[1,]", &strict), Err((ErrorKind::TrailingComma, 2)));
    assert_eq!(
        events(b"{\"a\":1 , }", &strict),
        Err((ErrorKind::TrailingComma, 7))
    );
    // Only one trailing comma, and never in an empty container.
    assert!(events(b"[1,,]", &lenient).is_err());
    assert!(events(b"[,]", &lenient).is_err());
    assert!(events(b"{,}", &lenient).is_err());
}

#[test]
fn syntax_errors() {
    let o = Options::default();
    let byte = |expected| ErrorKind::UnexpectedByte { expected };
    let cases: &[(&[u8], ErrorKind, usize)] = &[
        (b"", ErrorKind::Empty, 0),
        (b"{\"a\" 1}", byte("`:`"), 5),
        (b"{'a': 1}", byte("a string key or `}`"), 1),
        (b"[1 2]", byte("`,` or `]`"), 3),
        (b"[01]", ErrorKind::BadNumber, 1),
        (b"[1.]", ErrorKind::BadNumber, 1),
        (b"[-]", ErrorKind::BadNumber, 1),
        (b"[1e]", ErrorKind::BadNumber, 1),
        (b"[.1]", byte("a value"), 1),
        (b"[tru]", ErrorKind::BadLiteral, 1),
        (b"[NaN]", byte("a value"), 1),
        (b"[\"a\\x\"]", ErrorKind::BadEscape, 3),
        (b"[\"\\ud800\"]", ErrorKind::BadSurrogate, 2),
        (b"[\"\\ud800\\u0041\"]", ErrorKind::BadSurrogate, 2),
        (b"[\"\\udc00\\ud800\"]", ErrorKind::BadSurrogate, 2),
        (b"[\"a\nb\"]", ErrorKind::ControlInString, 3),
        (b"[\"ab", ErrorKind::UnclosedString, 1),
        (b"[\"a\\u12", ErrorKind::UnclosedString, 1),
        (b"{\"a\": [1", ErrorKind::UnclosedArray, 6),
        (b"{\"a\": 1", ErrorKind::UnclosedObject, 0),
        (b"{} {}", ErrorKind::TrailingData, 3),
        (b"1 2", ErrorKind::TrailingData, 2),
        (b"[\"\xC0\x80\"]", ErrorKind::InvalidUtf8, 2),
    ];
    for &(doc, kind, at) in cases {
        assert_eq!(
            events(doc, &o).err(),
            Some((kind, at)),
            "{:?}",
            String::from_utf8_lossy(doc)
        );
    }
}

#[test]
fn depth_is_bounded_by_the_limit() {
    let opts = |d| Options::new().limits(crate::Limits::default().with_max_depth(d));
    assert!(events(b"[[[]]]", &opts(3)).is_ok());
    assert_eq!(events(b"[[[]]]", &opts(2)), Err((ErrorKind::DepthLimit, 2)));
    assert_eq!(
        events(b"[{\"a\":[]}]", &opts(2)),
        Err((ErrorKind::DepthLimit, 6))
    );
}

#[test]
fn skip_value_in_both_modes() {
    let doc = br#"{"a": {"b": ["}", "\"]", {"c": [1, {}]}]}, "d": 2}"#;
    for mode in [Validation::Full, Validation::Skim] {
        let mut r = Reader::with_options(doc, &Options::new().validation(mode)).unwrap();
        assert_eq!(r.next().unwrap(), Event::StartObject);
        assert!(matches!(r.next().unwrap(), Event::Key(k) if k == "a"));
        r.skip_value().unwrap();
        assert!(
            matches!(r.next().unwrap(), Event::Key(k) if k == "d"),
            "{mode:?}"
        );
        assert_eq!(r.next().unwrap(), Event::Number("2"));
        assert_eq!(r.next().unwrap(), Event::EndObject);
        assert_eq!(r.next().unwrap(), Event::Eof);
    }
}

/// The number lexer with its digit runs read a byte at a time: the
/// definition [`number`] is compared with.
fn number_bytewise(input: &[u8], i: usize) -> Result<usize, (ErrorKind, usize)> {
    let digits = |input: &[u8], mut k: usize| {
        while input.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        k
    };
    lex::number_by(input, i, digits).map_err(|f| (f.kind(), f.at()))
}

#[test]
fn numbers_agree_with_the_bytewise_lexer() {
    // Every string up to five bytes over number bytes and a few others, each
    // also with runs of digits (around the eight-byte step and the 32-byte
    // block) spliced in at every position, and every byte value after a long
    // run; each case also followed by 32 spaces (the block path) and by
    // `]` and 32 digits (a block that ends inside the next run).
    let bytes = b"019-+.eE\x80";
    let mut cases: Vec<Vec<u8>> = Vec::new();
    let mut short: Vec<Vec<u8>> = strings::<5>(bytes);
    short.push(Vec::new());
    for s in &short {
        cases.push(s.clone());
        for run in [7usize, 8, 9, 15, 16, 17, 29, 30, 31, 32, 33] {
            for at in 0..=s.len() {
                let mut c = s[..at].to_vec();
                c.extend(core::iter::repeat(b'5').take(run));
                c.extend_from_slice(&s[at..]);
                cases.push(c);
            }
        }
    }
    for b in 0..=255u8 {
        for run in 1..20 {
            let mut c: Vec<u8> = core::iter::repeat(b'7').take(run).collect();
            c.push(b);
            cases.push(c.clone());
            c.extend_from_slice(b"123456789");
            cases.push(c);
        }
    }
    let padded: Vec<Vec<u8>> = cases
        .iter()
        .flat_map(|c| {
            let mut spaces = c.clone();
            spaces.extend_from_slice(&[b' '; 32]);
            let mut digits = c.clone();
            digits.push(b']');
            digits.extend_from_slice(&[b'3'; 32]);
            [spaces, digits]
        })
        .collect();
    cases.extend(padded);
    for c in &cases {
        for i in 0..c.len().min(2) {
            let got = crate::json::number(c, i).map_err(|f| (f.kind(), f.at()));
            assert_eq!(got, number_bytewise(c, i), "{c:?} at {i}");
        }
    }
}

/// Every string of 1 to `N` bytes over `alphabet`.
fn strings<const N: usize>(alphabet: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = alphabet.iter().map(|&b| alloc::vec![b]).collect();
    let mut last = out.clone();
    for _ in 1..N {
        let mut next = Vec::new();
        for s in &last {
            for &b in alphabet {
                let mut t = s.clone();
                t.push(b);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        last = next;
    }
    out
}

#[test]
fn unicode_escapes_of_every_shape() {
    // `"\uXXXX"` for every four bytes over hex digits at the surrogate
    // edges and a few non-digits: accepted, a lone surrogate, or a bad escape.
    let bytes = b"08bcCdDfFg \"";
    let o = Options::default();
    for &a in bytes {
        for &b in bytes {
            for &c in bytes {
                for &d in bytes {
                    let doc = [b'"', b'\\', b'u', a, b, c, d, b'"'];
                    let digits = [a, b, c, d];
                    let want = if digits.iter().all(u8::is_ascii_hexdigit) {
                        let v = digits.iter().fold(0u32, |v, &h| {
                            v * 16 + char::from(h).to_digit(16).unwrap_or(0)
                        });
                        if (0xD800..=0xDFFF).contains(&v) {
                            Err((ErrorKind::BadSurrogate, 1))
                        } else {
                            Ok(1)
                        }
                    } else {
                        Err((ErrorKind::BadEscape, 1))
                    };
                    let got = events(&doc, &o).map(|e| e.len());
                    assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&doc));
                }
            }
        }
    }
}

#[test]
fn a_control_byte_between_tokens_is_no_blank() {
    // Each control byte below 0x20 that is not JSON whitespace, alone or
    // after a blank, between tokens: rejected where it stands, by the
    // reader and by the skip (the whole-document check: a path that
    // matches nothing, so every value is skipped).
    let check = crate::PathSet::compile(["nothing"]).unwrap();
    for c in (0u8..0x20).filter(|c| !matches!(c, b' ' | b'\n' | b'\t' | b'\r')) {
        for blank in ["", " ", "\n"] {
            for (a, b) in [
                ("[1", "]"),
                ("[[1", "]]"),
                ("{\"a\": [1", "]}"),
                ("{\"a\": {\"b\": 1", "}}"),
                ("[[\"x\"", ", 2]]"),
                ("[[", "1]]"),
                ("[[1,", "2]]"),
            ] {
                let doc = alloc::format!("{a}{blank}{}{b}", c as char);
                let at = a.len() + blank.len();
                let read = events(doc.as_bytes(), &Options::new());
                assert_eq!(read.map_err(|e| e.1), Err(at), "reader: {doc:?}");
                let checked = check.visit(doc.as_bytes(), &Options::new(), |_| {});
                assert_eq!(checked.map_err(|e| e.offset()), Err(at), "check: {doc:?}");
            }
        }
    }
}

#[test]
fn items_no_path_ends_on_still_count_against_the_item_limit() {
    use crate::Limits;
    // Arrays whose items no path ends on (numbers, strings, literals and
    // arrays, with objects among them that a path goes into): every item
    // counts, and the one over the limit is the error, where it starts.
    let run = |path: &str, doc: &str, max: usize| {
        let set = crate::PathSet::compile([path]).unwrap();
        let options = Options::new().limits(Limits::new().with_max_items(max));
        let mut hits = 0;
        set.visit(doc.as_bytes(), &options, |_| hits += 1)
            .map(|_| hits)
            .map_err(|e| (e.kind(), e.offset()))
    };
    let items = [
        "1",
        "-2.5",
        "\"s\"",
        "true",
        "[3, 4]",
        "{\"B\": 5}",
        "null",
        "{\"C\": 6}",
        "7",
    ];
    for n in 0..=items.len() {
        let list = items[..n].join(", ");
        for (path, doc) in [
            ("A.#.B", alloc::format!("{{\"A\": [{list}]}}")),
            ("nothing", alloc::format!("[{list}]")),
        ] {
            let found = usize::from(path != "nothing" && n > 5);
            assert_eq!(run(path, &doc, n), Ok(found), "{path} {doc}");
            if n > 0 {
                let last = doc.rfind(items[n - 1]).unwrap();
                assert_eq!(
                    run(path, &doc, n - 1),
                    Err((ErrorKind::ItemLimit, last)),
                    "{path} {doc}"
                );
            }
        }
    }
}

/// A small deterministic generator for the tests below (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What the item loop reads from the item at `i` of an array of numbers:
/// for each item after the first that it reaches through a valid number, a
/// comma and blanks, its offset and how many items came before it.
fn items_reached(input: &[u8], i: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = i;
    let mut n = 0;
    loop {
        let Ok(end) = crate::json::number(input, k) else {
            return out;
        };
        let j = crate::scan::skip_ws(input, end);
        if input.get(j) != Some(&b',') {
            return out;
        }
        let j = crate::scan::skip_ws(input, j + 1);
        if !matches!(input.get(j), Some(b'-' | b'0'..=b'9')) {
            return out;
        }
        n += 1;
        k = j;
        out.push((k, n));
    }
}

#[test]
fn number_items_take_what_the_item_loop_would() {
    // Windows of numbers and separators, valid ones only or with some
    // invalid or unusual piece among them: every run taken is one the item
    // loop reads too, item for item, to the same offset; on windows of plain
    // numbers and separators only, the run goes to the last item that starts
    // in the window.
    let good = [
        "0",
        "7",
        "-0",
        "-3",
        "12",
        "0.5",
        "-0.25",
        "10.0",
        "123456789",
        "3.14159265358979",
        "0.000001",
        "-98765.4321",
    ];
    let seps = [",", ", ", " ,", ",\n", "\n,\n  ", "\t,\r\n", ",   "];
    let odd = [
        "1e5", "2E-3", "1.5e+7", "01", "-", "1.", ".5", "1.2.3", "--1", "1-2", "+1", "00", "-01",
        "0x1", "]", "\"a\"", "true", ",,", " ", "\x0b", "[", "{}", "1..2", "-.5", "0-", "5.-1",
        "\u{e9}",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..20_000 {
        let plain = round % 2 == 0;
        let mut doc = String::from(good[rng.below(good.len())]);
        while doc.len() < 100 {
            let sep = seps[rng.below(seps.len())];
            let item = good[rng.below(good.len())];
            if !plain && rng.below(6) == 0 {
                // An odd piece in place of the separator, the item, or beside them.
                let piece = odd[rng.below(odd.len())];
                match rng.below(3) {
                    0 => doc.push_str(piece),
                    1 => {
                        doc.push_str(sep);
                        doc.push_str(piece);
                    }
                    _ => {
                        doc.push_str(sep);
                        doc.push_str(item);
                        doc.push_str(piece);
                    }
                }
                continue;
            }
            doc.push_str(sep);
            doc.push_str(item);
        }
        let input = doc.as_bytes();
        let reached = items_reached(input, 0);
        let got = crate::json::number_items(input, 0);
        if let Some(taken) = got {
            assert!(
                reached.contains(&taken),
                "{doc:?}: {taken:?} not in {reached:?}"
            );
            assert!(taken.0 < 64, "{doc:?}");
        }
        if plain {
            let want = reached.iter().rev().find(|&&(k, _)| k < 64).copied();
            assert_eq!(got, want, "{doc:?}");
        }
        // Fewer than 64 bytes: nothing taken.
        assert_eq!(crate::json::number_items(&input[..63], 0), None);
    }
}

#[test]
fn arrays_of_numbers_are_checked_like_the_reader_reads_them() {
    // Long arrays of numbers (read a window at a time by the check), each
    // also with one byte replaced, removed or added, and cut short: the
    // check fails where and as the reader fails, or accepts what it accepts.
    let check = crate::PathSet::compile(["nothing"]).unwrap();
    let nums = [
        "0.696468466152",
        "-12",
        "0",
        "3.5",
        "100",
        "0.1",
        "-0.0",
        "42.125",
    ];
    let seps = [",", ", ", ",\n  "];
    let bytes = b"0159-.,eE+ \n]x[\"";
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..3000 {
        let mut doc = String::from("[");
        doc.push_str(nums[rng.below(nums.len())]);
        let len = 60 + rng.below(200);
        while doc.len() < len {
            doc.push_str(seps[rng.below(seps.len())]);
            doc.push_str(nums[rng.below(nums.len())]);
        }
        doc.push(']');
        let mut doc = doc.into_bytes();
        let at = 1 + rng.below(doc.len() - 1);
        match rng.below(4) {
            0 => doc[at] = bytes[rng.below(bytes.len())],
            1 => {
                doc.remove(at);
            }
            2 => doc.insert(at, bytes[rng.below(bytes.len())]),
            _ => doc.truncate(at),
        }
        // Under an item limit, the item past it is the error if the items
        // before it are read without one (nested values aside: the walk
        // below follows numbers only).
        let starts = item_starts(&doc);
        let nested = doc[1..].iter().any(|&b| b == b'[' || b == b'"');
        for limit in [None, Some(rng.below(40)).filter(|_| !nested)] {
            let mut options = Options::new();
            if let Some(max) = limit {
                options = options.limits(crate::Limits::new().with_max_items(max));
            }
            let read = match limit.and_then(|max| starts.get(max)) {
                Some(&at) => Err((ErrorKind::ItemLimit, at)),
                None => events(&doc, &options).map(|_| ()),
            };
            let checked = check
                .visit(&doc, &options, |_| {})
                .map(|_| ())
                .map_err(|e| (e.kind(), e.offset()));
            assert_eq!(
                checked,
                read,
                "{:?} (limit {limit:?})",
                String::from_utf8_lossy(&doc)
            );
        }
    }
}

/// The offsets of the items of the top-level array `doc` that the check
/// reaches while they are numbers: each item after a valid number, a comma
/// and blanks (also where the input ends after the comma).
fn item_starts(doc: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = crate::scan::skip_ws(doc, 1);
    if doc.get(k) == Some(&b']') {
        return out;
    }
    loop {
        out.push(k);
        let Ok(end) = crate::json::number(doc, k) else {
            return out;
        };
        let j = crate::scan::skip_ws(doc, end);
        if doc.get(j) != Some(&b',') {
            return out;
        }
        k = crate::scan::skip_ws(doc, j + 1);
        if doc.get(k) == Some(&b']') {
            return out;
        }
    }
}
