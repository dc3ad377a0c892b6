//! The fuzz targets' properties (the `wanxiang-properties` crate in
//! `fuzz/properties/`, a path dev-dependency) over every file of
//! `corpus/`, so CI checks them without libFuzzer. Each test reports every
//! failing file, not just the first.
//!
//! This binary installs a counting global allocator for the `no_alloc`
//! property; it counts per thread, so the harness's own threads do not
//! disturb it.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use wanxiang_properties as properties;
use wanxiang_properties::CountingAlloc;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Every document of `corpus/{xml,json}/{valid,invalid,regressions}/`, sorted.
fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    for format in ["xml", "json"] {
        for class in ["valid", "invalid", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(format).join(class)) else {
                continue;
            };
            out.extend(
                entries
                    .map(|e| e.expect("readable corpus directory").path())
                    .filter(|p| p.extension().is_some_and(|e| e != "expected")),
            );
        }
    }
    out.sort();
    assert!(out.len() >= 80, "corpus is missing: {} files", out.len());
    out
}

/// Runs `property` on every corpus file and fails with the list of files
/// (and messages) that violate it.
fn over_corpus(name: &str, filter: impl Fn(&Path) -> bool, property: impl Fn(&[u8])) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in corpus_files().iter().filter(|p| filter(p)) {
        let input = std::fs::read(file).expect("readable corpus file");
        ran += 1;
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| property(&input))) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", file.display()));
        }
    }
    assert!(ran > 0, "{name}: no corpus file");
    assert!(
        failures.is_empty(),
        "{name}: {} of {ran} files fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn any(_: &Path) -> bool {
    true
}

fn is_xml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "xml")
}

fn is_json(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "json")
}

#[test]
fn xml_reader_property_holds_on_every_corpus_file() {
    // Both formats: the XML reader must also fail cleanly on JSON.
    over_corpus("xml_reader", any, properties::xml_reader);
}

#[test]
fn json_reader_property_holds_on_every_corpus_file() {
    over_corpus("json_reader", any, properties::json_reader);
}

#[test]
fn xml_vs_reference_property_holds_on_every_xml_corpus_file() {
    over_corpus("xml_vs_reference", is_xml, properties::xml_vs_reference);
}

#[test]
fn two_chunks_frame_like_one_for_every_corpus_document() {
    over_corpus("two chunks", any, |input| {
        for at in (0..=input.len()).step_by(7).chain([input.len()]) {
            properties::two_chunks(input, at);
        }
    });
}

#[test]
fn every_prefix_of_every_accepted_corpus_document_is_an_error() {
    // Every prefix length, not a sample: the corpus is small enough.
    over_corpus("prefix", any, |input| {
        properties::prefixes(input, |len, _| (0..len).collect())
    });
}

#[test]
fn typed_view_agrees_with_the_path_layer_on_every_corpus_file() {
    let set = properties::typed_paths();
    over_corpus("typed_view", any, |input| {
        properties::typed_view(&set, input)
    });
}

#[test]
fn no_allocation_on_any_corpus_file() {
    let set = properties::paths();
    over_corpus("no_alloc", any, |input| properties::no_alloc(&set, input));
}

/// Record sets (fixed callback-shaped ones and ones generated from each
/// document's own lists) equal plain extraction cut into items, on every
/// corpus file (rejected ones give the plain paths' error), and on cut
/// copies of the valid ones.
#[test]
fn records_equal_plain_extraction_on_every_corpus_file() {
    use std::cell::Cell;
    let fixed = properties::record_cases();
    let total = Cell::new(properties::RecordStats::default());
    over_corpus("records", any, |input| {
        let mut t = total.get();
        t += properties::records(&fixed, input);
        total.set(t);
    });
    // The batches of tests/data/top-level-array (prefix `#` and friends).
    let batches = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/top-level-array");
    for name in ["event-batch.json", "scalars.json", "wrapped-items.json"] {
        let input = std::fs::read(batches.join(name)).expect("a top-level array document");
        let got = properties::records(&fixed, &input);
        // At least the three items of each batch under prefix `#`, twice.
        assert!(got.records >= 6 && got.by_index >= 6, "{name}: {got:?}");
        let mut t = total.get();
        t += got;
        total.set(t);
    }
    let t = total.get();
    // Not vacuous: many records, values, records named by index, errors.
    assert!(
        t.records >= 400 && t.values >= 2000 && t.by_index >= 250 && t.errors >= 800,
        "{t:?}"
    );
    // Cut documents: the error half of the property on broken inputs whose
    // generated fields come from what could be read.
    let cut = Cell::new(properties::RecordStats::default());
    over_corpus("records, cut", any, |input| {
        let mut t = cut.get();
        for n in (0..input.len()).step_by(61) {
            t += properties::records(&fixed, &input[..n]);
        }
        cut.set(t);
    });
    assert!(cut.get().errors >= 5000, "{:?}", cut.get());
}

/// `[D]` and `[D, D]` read like D for paths without a leading selector, on
/// every JSON corpus document with an object on top.
#[test]
fn a_document_and_the_arrays_of_it_agree_on_every_corpus_file() {
    use std::cell::Cell;
    let total = Cell::new(properties::TopArrayStats::default());
    over_corpus("top_array", is_json, |input| {
        let mut t = total.get();
        t += properties::top_array(input);
        total.set(t);
    });
    let t = total.get();
    assert!(
        t.documents >= 25 && t.paths >= 2000 && t.found * 2 > t.paths,
        "{t:?}"
    );
}

/// At the depth limit: a document one level below it wraps fine; one as
/// deep as the limit makes `[D]` one too deep, which must be a `DepthLimit`
/// error. Both run the property (its depth bookkeeping is checked here).
#[test]
fn a_document_at_the_depth_limit_makes_arrays_too_deep() {
    let limit = wanxiang::Limits::default().max_depth();
    let nested = |depth: usize| {
        // `{"a": {"a": ... {"a": 1} ... }}`: `depth` objects.
        let mut d = "{\"a\": ".repeat(depth - 1);
        d.push_str("{\"a\": 1}");
        d.push_str(&"}".repeat(depth - 1));
        d
    };
    let below = properties::top_array(nested(limit - 1).as_bytes());
    assert_eq!((below.documents, below.at_limit), (1, 0), "{below:?}");
    assert!(below.found > 0, "{below:?}");
    let at = properties::top_array(nested(limit).as_bytes());
    // Refused in both modes for every chunk of paths; nothing compared.
    assert!(
        at.documents == 1 && at.at_limit >= 2 && at.paths == 0,
        "{at:?}"
    );
    // Arrays in D count too: `[[[...]]]` as a member value.
    let mut d = String::from("{\"a\": ");
    d.push_str(&"[".repeat(limit - 1));
    d.push_str(&"]".repeat(limit - 1));
    d.push('}');
    let arrays = properties::top_array(d.as_bytes());
    assert!(arrays.at_limit >= 2 && arrays.paths == 0, "{arrays:?}");
    // And records over the same documents.
    let fixed = properties::record_cases();
    for depth in [limit - 1, limit] {
        properties::records(&fixed, nested(depth).as_bytes());
    }
}

#[test]
fn json_corpus_documents_rendered_as_xml_extract_the_same_values() {
    // Each valid JSON document, as a tree, rendered in both formats with
    // several escaping styles (plain, every character as a reference or
    // `\u` escape, mixed).
    over_corpus("same_in_both_formats", is_json, |input| {
        let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return;
        };
        let value = match value.get("Response") {
            Some(inner) if value.as_object().is_some_and(|m| m.len() == 1) && inner.is_object() => {
                inner.clone()
            }
            _ => value,
        };
        for style in [0, 1, 2, 3, 0x9E37_79B9_7F4A_7C15] {
            properties::same_in_both_formats(&properties::tree_from_json(&value, style));
        }
    });
}

#[test]
fn hand_made_trees_extract_the_same_values_in_both_formats() {
    use properties::{Item, Member, Tree};
    let text = |s: &str, style| Item::Text(s.to_string(), style);
    let member = |name, array, items| Member {
        name,
        array,
        escape_key: name % 2 == 0,
        items,
    };
    let job = |id: &str, style| {
        Item::Object(vec![
            member(1, false, vec![text(id, style)]),
            member(2, false, vec![Item::Literal("-1.5e3".into())]),
            member(
                7,
                true,
                vec![
                    Item::Object(vec![member(8, false, vec![text("k\r\n]]>&<\"'", style)])]),
                    Item::Object(vec![member(9, false, vec![text("", style)])]),
                ],
            ),
            member(4, false, vec![text("中文 😀 \u{7f} \t", style)]),
        ])
    };
    for style in 0..16u64 {
        let tree = Tree {
            members: vec![
                member(0, style % 2 == 0, vec![job("a.b", style)]),
                member(17, false, vec![text("dotted name", style)]),
                member(
                    0,
                    false,
                    vec![job("second", style + 1), job("third", style + 2)],
                ),
                member(18, true, vec![Item::Literal("true".into())]),
            ],
            root: style as usize,
            wrap: style % 3 == 0,
            pretty: style % 2 == 1,
        };
        properties::same_in_both_formats(&tree);
    }
}

/// Every file of `corpus/*/regressions/` (where the fuzz crashes go) gives
/// what its `.expected` says: the `path → value` object for a document that
/// must be accepted, `KIND OFFSET` for one that must be rejected.
/// (`tests/corpus.rs` checks the accepted ones too, but not the rejected ones.)
#[test]
fn regressions_give_their_expected_result() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for format in ["xml", "json"] {
        for doc in support::documents(format, "regressions") {
            ran += 1;
            let input = std::fs::read(&doc).expect("readable regression");
            let spec =
                std::fs::read_to_string(support::expected_of(&doc)).expect("an .expected file");
            if spec.trim_start().starts_with('{') {
                let want: serde_json::Value =
                    serde_json::from_str(&spec).expect("a JSON .expected");
                let paths: Vec<String> = want
                    .as_object()
                    .expect("an object")
                    .keys()
                    .cloned()
                    .collect();
                match support::fields(&paths, &input, &wanxiang::Options::default()) {
                    Ok(got) if got == want => {}
                    Ok(got) => failures.push(format!("{}: got {got}, want {want}", doc.display())),
                    Err(e) => failures.push(format!("{}: rejected: {e}", doc.display())),
                }
            } else {
                let mut words = spec.split_whitespace();
                let kind = words.next().expect("a kind");
                let offset: usize = words.next().expect("an offset").parse().expect("a number");
                let strict = words.next() == Some("strict");
                let options = wanxiang::Options::new().strict(strict);
                match support::fields(&["EventName".to_string()], &input, &options) {
                    Ok(v) => failures.push(format!("{}: accepted, gave {v}", doc.display())),
                    Err(e) if support::kind_name(e.kind()) == kind && e.offset() == offset => {}
                    Err(e) => failures.push(format!(
                        "{}: got {} at {}, want {kind} at {offset}",
                        doc.display(),
                        support::kind_name(e.kind()),
                        e.offset()
                    )),
                }
            }
        }
    }
    assert!(ran > 0, "no regression files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The JSON properties (termination, values inside the input, `Skim`
/// accepting and extracting what `Full` does) on documents whose numbers are
/// broken byte by byte: `Skim` steps over the numbers no path returns without
/// checking them, so each byte in and around every number of the seed
/// callback and of a document of numbers of every shape is replaced by each
/// byte a number, its neighbours or a mistake may hold.
#[test]
fn json_reader_property_holds_around_broken_numbers() {
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/json/valid/seed.json"))
            .expect("the seed callback");
    let shapes =
        br#"{"JobsDetail": [{"JobId": -0.5e+10, "N": [1E5,2e-3 ,0], "State": 12345678901234567890,
        "Code": 7, "Tag": {"x": -1.0e-0}, "Operation": {"JobLevel": 0}}], "EventName": 1.5E+2}"#;
    let bytes = b"-+.eE09x,}] \"/";
    let mut runs = 0;
    for doc in [&seed[..], &shapes[..]] {
        let near_number = |p: usize| {
            doc[p.saturating_sub(2)..(p + 3).min(doc.len())]
                .iter()
                .any(u8::is_ascii_digit)
        };
        for p in (0..doc.len()).filter(|&p| near_number(p)) {
            for &b in bytes {
                let mut broken = doc.to_vec();
                broken[p] = b;
                properties::json_reader(&broken);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "only {runs} broken documents");
}

/// The JSON oracle on numbers beyond serde_json's range (RFC 8259 §9 lets a
/// parser limit it): a bare 1,096-digit integer (the shape of the input,
/// derived from simd-json's `crash000026.json`, that once made the oracle
/// panic; `corpus/json/regressions/integer-with-1096-digits.json` holds it
/// inside a callback), and exponents past `f64`. The reader accepts each and
/// the property must hold; a malformed number beside them is still rejected.
#[test]
fn json_reader_property_holds_on_numbers_beyond_f64() {
    let digits = |n: usize| {
        let mut s = String::from("-611");
        s.extend(std::iter::repeat('0').take(n - 3));
        s
    };
    let bare = digits(1096);
    let inputs = [
        bare.clone(),
        format!("{bare}\n"),
        format!("[{bare}, 1]"),
        digits(400),
        "1e400".to_string(),
        "-1.5E+400".to_string(),
        "1e-400".to_string(),
        format!("{{\"a\": {bare}}}"),
    ];
    for input in &inputs {
        properties::json_reader(input.as_bytes());
        let options = wanxiang::Options::new().strict(true);
        let mut r = wanxiang::json::Reader::with_options(input.as_bytes(), &options).unwrap();
        while r.next().unwrap() != wanxiang::json::Event::Eof {}
    }
    for bad in ["-0611", "1.e5", "1e", "--1"] {
        properties::json_reader(bad.as_bytes());
        let mut r = wanxiang::json::Reader::new(bad.as_bytes()).unwrap();
        let verdict = std::iter::from_fn(|| match r.next() {
            Ok(wanxiang::json::Event::Eof) => None,
            other => Some(other.is_ok()),
        })
        .all(|ok| ok);
        assert!(!verdict, "{bad:?} accepted");
    }
}

/// Extracts `group` from the valid `doc` in `full` and in `skim` mode and
/// asserts the same hits (path, kind, offset, decoded text) in the same
/// order. False when the group does not compile (over a limit).
fn assert_skim_equals_full(
    doc: &[u8],
    group: &[String],
    full: &wanxiang::Options,
    skim: &wanxiang::Options,
) -> bool {
    let Ok(set) = wanxiang::PathSet::compile(group) else {
        return false;
    };
    let run = |options: &wanxiang::Options| {
        let mut hits = Vec::new();
        set.visit(doc, options, |h| {
            hits.push((
                h.path(),
                h.kind(),
                h.offset(),
                h.text().to_cow().into_owned(),
            ))
        })
        .map(|_| hits)
    };
    let want = run(full).expect("Full extracts a valid document");
    let got = run(skim).expect("Skim rejects a valid document");
    assert_eq!(
        got,
        want,
        "Skim and Full differ on {:?} for {group:?}",
        String::from_utf8_lossy(&doc[..doc.len().min(200)])
    );
    // A set whose paths all take first items is read by a lean matcher
    // (a child's cursor and facts from its parent's table, first items
    // only); a path with a leading `#` (which finds nothing here) makes the
    // same set take the general one: both ways, in both modes, give the
    // same values.
    let mut counted = group.to_vec();
    counted.push(r"#.no\.such\.name".to_string());
    if let Ok(other) = wanxiang::PathSet::compile(&counted) {
        for options in [full, skim] {
            let mut hits = Vec::new();
            other
                .visit(doc, options, |h| {
                    hits.push((
                        h.path(),
                        h.kind(),
                        h.offset(),
                        h.text().to_cow().into_owned(),
                    ))
                })
                .expect("a valid document");
            hits.retain(|h| h.0 < group.len());
            assert_eq!(hits, want, "item counters change {group:?}");
        }
    }
    true
}

/// `Skim` XML extraction trusts the structure it does not return (end-tag
/// names, text between elements, comments, PIs, whatever lies inside an
/// element no path needs). On valid documents that must change nothing: for
/// every valid XML corpus file and a set of documents built to trap a
/// structure-only reader (tags inside comments, CDATA and PIs, `>` and `/>`
/// inside quoted attribute values, references, CRLF line ends, mixed
/// content), the document's own element and attribute paths (every name
/// step with `#`, and again with first-item steps, so `Skim` both reads
/// whole lists and stops early) give in `Skim` exactly the values of `Full`.
#[test]
fn skim_equals_full_on_every_valid_xml_document_for_its_own_paths() {
    use wanxiang::{xml, Options, Validation};
    let traps: &[&[u8]] = &[
        b"<R><!-- <A>x</A> --><A>1</A><B><![CDATA[</B><A>2</A>]]></B><A>3</A></R>",
        b"<R><?pi <A>no</A> ?><A k='a>b' j=\"/>\">v</A><C x=\"'\"/><A>w</A></R>",
        b"<R><S><A>in</A><T q='>'><A/></T></S><A>x &amp; y&#65;</A></R>",
        b"<R>\r\n  <A>a\r\nb</A>\r\n  <B>t<!--c-->u<![CDATA[<v>]]>w<?p x?></B>\r\n</R>",
        b"<?xml version=\"1.0\"?><!-- head --><R a=\"1\"><A b=\"2\">x</A ><A >y</A></R><!-- tail -->",
        b"<R><A><A><A>deep</A></A></A><B/><B></B><B> </B></R>",
        b"<R><U>\xE4\xB8\xAD\xE6\x96\x87</U><V>]</V><W>a]b</W><X>tab\there</X></R>",
        // End tags inside markup, `>` in quoted values, wanted elements
        // empty, a name the prefix of a sibling's, the same leaf twice.
        b"<R><A><!--</A>--><?p </A>?><![CDATA[</A>]]>a</A><AB q='>'>b</AB><AB/><A>c</A></R>",
        b"<R><P><Q/></P><X>v</X><P><Q w=\"/>\">q</Q><Q/></P><X/><Xy>1</Xy><X>2</X></R>",
    ];
    let mut docs: Vec<Vec<u8>> = traps.iter().map(|d| d.to_vec()).collect();
    for file in corpus_files() {
        let valid = file.components().any(|c| c.as_os_str() == "valid");
        if valid && is_xml(&file) {
            docs.push(std::fs::read(&file).expect("readable corpus file"));
        }
    }
    let full = Options::new();
    let skim = Options::new().validation(Validation::Skim);
    let mut checked = 0;
    for doc in &docs {
        let mut r = xml::Reader::new(doc).expect("a valid document");
        let mut stack: Vec<String> = Vec::new();
        let mut paths: Vec<String> = Vec::new();
        let escape = |n: &[u8]| {
            String::from_utf8_lossy(n)
                .chars()
                .flat_map(|c| match c {
                    '.' | '\\' | '#' | '@' => vec!['\\', c],
                    c => vec![c],
                })
                .collect::<String>()
        };
        loop {
            let ev = r.next().expect("a valid document");
            match ev {
                xml::Event::Start(t) | xml::Event::Empty(t) => {
                    let empty = matches!(ev, xml::Event::Empty(_));
                    if !stack.is_empty() {
                        let mut all = stack[1..]
                            .iter()
                            .map(|s| format!("{s}.#."))
                            .collect::<String>();
                        all += &escape(t.name());
                        let first = stack[1..]
                            .iter()
                            .map(|s| format!("{s}."))
                            .collect::<String>()
                            + &escape(t.name());
                        for a in t.attributes() {
                            paths.push(format!("{all}.@{}", escape(a.name)));
                        }
                        paths.push(all);
                        paths.push(first);
                    } else {
                        for a in t.attributes() {
                            paths.push(format!("@{}", escape(a.name)));
                        }
                    }
                    if !empty {
                        stack.push(escape(t.name()));
                    }
                }
                xml::Event::End(_) => {
                    stack.pop();
                }
                xml::Event::Eof => break,
                _ => {}
            }
        }
        paths.sort();
        paths.dedup();
        // A few groups, each within the path and trie-node limits.
        for group in paths.chunks(40) {
            if assert_skim_equals_full(doc, group, &full, &skim) {
                checked += 1;
            }
        }
    }
    assert!(checked >= docs.len(), "only {checked} path groups checked");
}

/// `Skim` steps over a child whose name's first two bytes no path's name
/// has without reading the name. Names that share one or both of those
/// bytes with a path's, one-byte names ended by whitespace, `/` or `>`,
/// empty-element children just before their parent's end tag, and quoted
/// `>` and `/>` in the tags it steps over must change nothing: each path
/// alone, and each pair, gives in `Skim` exactly the values of `Full`.
#[test]
fn skim_steps_over_children_by_their_first_two_bytes_as_full_reads_them() {
    use wanxiang::{Options, Validation};
    let docs: &[&[u8]] = &[
        b"<R><A>1</A><AB>2</AB><A\t>3</A><A\n/><B x='>'>4</B><BA a=\"/>\"/><C>5</C><A/></R>",
        b"<R><D><E>1</E><EF/><F><E>no</E></F><E>2</E></D><D><X/><E>3</E><Ex q='/>'/></D></R>",
        b"<R><a>1</a><a/><b\r\n>2</b><ab>3</ab><ba>4</ba><c/></R>",
        b"<R><Code>1</Code><CreationTime>t</CreationTime><Co>2</Co><Cr/><State>s</State><St>x</St></R>",
    ];
    let paths = [
        "A",
        "#.A",
        "AB",
        "B",
        "BA",
        "C",
        "B.@x",
        "BA.@a",
        "D.E",
        "D.#.E",
        "#.D.#.E",
        "D.F.E",
        "D.EF",
        "D.Ex.@q",
        "E",
        "a",
        "#.a",
        "ab",
        "b",
        "ba",
        "c",
        "Code",
        "Co",
        "Cr",
        "State",
        "St",
        "CreationTime",
    ];
    let full = Options::new();
    let skim = Options::new().validation(Validation::Skim);
    let mut checked = 0;
    for doc in docs {
        for (n, p) in paths.iter().enumerate() {
            let one = vec![p.to_string()];
            if assert_skim_equals_full(doc, &one, &full, &skim) {
                checked += 1;
            }
            for q in &paths[n + 1..] {
                let two = vec![p.to_string(), q.to_string()];
                if assert_skim_equals_full(doc, &two, &full, &skim) {
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked >= docs.len() * paths.len(),
        "only {checked} path sets checked"
    );
}

/// `Skim` JSON extraction trusts what it does not return (the contents of
/// values no path needs). On valid documents that must change nothing: for
/// every valid JSON corpus file and a set of documents built to trap a
/// reader that follows brackets and quotes only (brackets, quotes and
/// escaped quotes inside strings, `\\` before a closing quote, nested arrays
/// of objects, keys equal to wanted ones at the wrong depth, escaped keys,
/// strings across 64-byte blocks, the `Response` wrapper, top-level arrays,
/// numbers of every shape, which `Skim` steps over unchecked),
/// the document's own key paths (every key step with `#`, and again with
/// plain steps, so `Skim` both reads whole lists and stops early; in groups
/// and one at a time) give in `Skim` exactly the values, kinds, offsets and
/// order of `Full`.
#[test]
fn skim_equals_full_on_every_valid_json_document_for_its_own_paths() {
    use wanxiang::{json, Options, Validation};
    let long = format!(
        "{{\"pad\": \"{}\\\"}}]\", \"a\": {{\"b\": \"{}\", \"c\": [\"]\", {{\"d\": \"{{\"}}]}}, \"e\": \"x\"}}",
        "}]\\\\".repeat(40),
        "[{".repeat(50)
    );
    let traps: Vec<Vec<u8>> = [
        r#"{"a": "x}]{[\"", "b": {"c": "}", "a": "no"}, "c": 1, "a2": "\\"}"#,
        r#"{"k\"ey": 1, "a": "\\", "b": "\\\"}", "c": "d", "e": "\\\\\"{"}"#,
        r#"{"a": [[{"b": 1}, {"b": 2}], [{"b": 3}]], "b": [1, [2, {"b": 4}]], "c": {"b": 5}}"#,
        r#"{"x": {"a": 1, "b": {"a": 2}}, "a": 3, "y": [{"a": 4}, {"x": {"a": 5}}], "b": "a"}"#,
        r#"{"\u0061": 1, "a\u002eb": 2, "\"": 3, "a": {"\u0062": "\ud83d\ude00"}}"#,
        r#"[{"a": 1}, {"Response": {"a": 2, "b": [3]}}, 3, "s", [{"a": 4}], {"a": {"a": 5}}]"#,
        r#"{"Response": {"a": {"b": "}"}, "c": [1, 2], "d": {"e": [{"f": "]"}]}}}"#,
        r#"{"Respons\u0065": {"a": {"b": "}"}, "c": [1]}}"#,
        r#"{"Respo": {"a": 1}, "Response": {"a": 2}}"#,
        r#"{"abcdefghijklmno": 1, "abcdefghijklmnop": 2, "abcdefgh": 3, "abcdefghi": {"": 4}, "": 5, "abcdefghijklmn\"": 6}"#,
        r#"{"a": {}, "b": [], "c": [{}], "d": "", "e": [[]], "f": {"g": {}}}"#,
        r#"{"t": true, "f": false, "n": null, "x": -1.5e3, "y": [0, 1e-2, true], "z": {"n": null}}"#,
        "{\r\n\t\"a\" :\t[ 1 ,\r\n 2 ] ,\n \"b\" : { \"c\" : \"d\" } , \"c\" : \"\u{4e2d}\u{6587}\" }",
        r#"{"a": 1, "a": 2, "b": {"c": 1}, "b": {"c": 2}, "d": [1], "d": [2, 3]}"#,
        // Numbers of every shape, ended by each byte that can end one, some
        // of 16 bytes or more, one within the last 16 bytes of the input.
        concat!(
            r#"{"n": -0.000123456789012345e+100,"a":[1E5,2e-3 ,0],"b":{"c":12345678901234567890},"#,
            r#""d": 1	, "e": -0, "f": 1.5E+2
, "g": {"h": 0.5}, "i": [-1.0e-0], "j": 7}"#
        ),
        long.as_str(),
        // Blanks after `{` longer than one 16-byte look, and none; returned
        // strings with escapes, non-ASCII and control escapes, empty ones.
        concat!(
            "{                    \n\t\t\t\t\t\t\"a\": \"x\\\"y\", \"b\": {\"c\": \"\u{e9}t\u{e9}\\n\"},",
            "\"d\": {                                 }, \"e\": {\"f\": \"\", \"g\": \"\\u0001\"}}"
        ),
    ]
    .iter()
    .map(|d| d.as_bytes().to_vec())
    .collect();
    let mut docs = traps;
    for file in corpus_files() {
        let valid = file.components().any(|c| c.as_os_str() == "valid");
        if valid && is_json(&file) {
            docs.push(std::fs::read(&file).expect("readable corpus file"));
        }
    }
    let full = Options::new();
    let skim = Options::new().validation(Validation::Skim);
    let escape = |n: &str| {
        n.chars()
            .flat_map(|c| match c {
                '.' | '\\' | '#' | '@' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let mut checked = 0;
    for doc in &docs {
        let mut r = json::Reader::new(doc).expect("a valid document");
        // The key of each open container (`None` for an array or the root).
        let mut stack: Vec<Option<String>> = Vec::new();
        let mut key: Option<String> = None;
        let mut paths: Vec<String> = Vec::new();
        loop {
            let ev = r.next().expect("a valid document");
            let names: Vec<&String> = stack.iter().flatten().collect();
            match ev {
                json::Event::Key(k) => {
                    let k = escape(&k.to_cow());
                    let all = names.iter().map(|s| format!("{s}.#.")).collect::<String>() + &k;
                    let first = names.iter().map(|s| format!("{s}.")).collect::<String>() + &k;
                    paths.push(all);
                    // Without a leading `Response` too (the wrapper is unwrapped).
                    if let Some(rest) = first.strip_prefix("Response.") {
                        paths.push(rest.to_string());
                    }
                    paths.push(first);
                    key = Some(k);
                    continue;
                }
                json::Event::StartObject | json::Event::StartArray => stack.push(key.take()),
                json::Event::EndObject | json::Event::EndArray => {
                    stack.pop();
                }
                json::Event::Eof => break,
                _ => {}
            }
            key = None;
        }
        paths.sort();
        paths.dedup();
        let groups = paths.chunks(40).chain(paths.chunks(1).take(300));
        for group in groups {
            if assert_skim_equals_full(doc, group, &full, &skim) {
                checked += 1;
            }
        }
    }
    assert!(checked >= docs.len(), "only {checked} path groups checked");
}
