//! Path semantics (crate docs, *Paths*): the same answers for XML and JSON, selectors,
//! the `Response` wrapper, raw containers, attributes, decoys that must not
//! match, and `Skim` stopping early with the same values as `Full`.

mod support;

use serde_json::{json, Value};
use wanxiang::{ErrorKind, Hit, Kind, Options, PathSet, Validation};

fn get(paths: &[&str], doc: &str) -> Value {
    let paths: Vec<String> = paths.iter().map(|s| s.to_string()).collect();
    let full = support::fields(&paths, doc.as_bytes(), &Options::default()).unwrap();
    let skim = support::fields(
        &paths,
        doc.as_bytes(),
        &Options::new().validation(Validation::Skim),
    )
    .unwrap();
    assert_eq!(full, skim, "Skim and Full differ on {doc}");
    full
}

const XML: &str = "<Response>
  <EventName>TaskFinish</EventName>
  <JobsDetail><JobId>a</JobId><State>Success</State>
    <Input><CosHeaders><Key>k1</Key><Value>v1</Value></CosHeaders>
           <CosHeaders><Key>EventName</Key><Value>fake</Value></CosHeaders></Input></JobsDetail>
  <Other><JobsDetail><JobId>decoy</JobId></JobsDetail></Other>
  <JobsDetail><JobId>b</JobId><State>Failed</State><Message/></JobsDetail>
  <JobsDetail><JobId>c</JobId></JobsDetail>
</Response>";

const JSON: &str = r#"{"EventName": "TaskFinish",
  "JobsDetail": [
    {"JobId": "a", "State": "Success",
     "Input": {"CosHeaders": [{"Key": "k1", "Value": "v1"}, {"Key": "EventName", "Value": "fake"}]}},
    {"JobId": "b", "State": "Failed", "Message": ""},
    {"JobId": "c"}],
  "Other": {"JobsDetail": {"JobId": "decoy"}}}"#;

#[test]
fn selectors_read_the_same_in_both_formats() {
    let paths = [
        "EventName",
        "JobsDetail.JobId",
        "JobsDetail.0.JobId",
        "JobsDetail.1.JobId",
        "JobsDetail.2.JobId",
        "JobsDetail.3.JobId",
        "JobsDetail.#.JobId",
        "JobsDetail.#.State",
        "JobsDetail.1.Message",
        "JobsDetail.0.Message",
        "JobsDetail.#.Input.CosHeaders.#.Key",
        "JobsDetail.Input.CosHeaders.1.Value",
        "JobId",
        "Other.JobsDetail.JobId",
    ];
    let want = json!({
        "EventName": "TaskFinish",
        "JobsDetail.JobId": "a",
        "JobsDetail.0.JobId": "a",
        "JobsDetail.1.JobId": "b",
        "JobsDetail.2.JobId": "c",
        "JobsDetail.3.JobId": null,
        "JobsDetail.#.JobId": ["a", "b", "c"],
        "JobsDetail.#.State": ["Success", "Failed"],
        "JobsDetail.1.Message": "",
        "JobsDetail.0.Message": null,
        "JobsDetail.#.Input.CosHeaders.#.Key": ["k1", "EventName"],
        "JobsDetail.Input.CosHeaders.1.Value": "fake",
        "JobId": null,
        "Other.JobsDetail.JobId": "decoy",
    });
    assert_eq!(get(&paths, XML), want);
    assert_eq!(get(&paths, JSON), want);
}

#[test]
fn json_object_or_array_read_the_same() {
    let one = r#"{"JobsDetail": {"JobId": "a"}}"#;
    let many = r#"{"JobsDetail": [{"JobId": "a"}]}"#;
    let p = ["JobsDetail.JobId", "JobsDetail.#.JobId"];
    assert_eq!(get(&p, one), get(&p, many));
    // An empty array has no items.
    assert_eq!(
        get(&p, r#"{"JobsDetail": []}"#),
        json!({"JobsDetail.JobId": null, "JobsDetail.#.JobId": []})
    );
}

#[test]
fn the_response_wrapper_is_unwrapped_only_when_alone() {
    let p = ["EventName", "Response.EventName"];
    assert_eq!(
        get(&p, r#"{"Response": {"EventName": "TaskFinish"}}"#),
        json!({"EventName": "TaskFinish", "Response.EventName": null})
    );
    assert_eq!(
        get(&p, r#" {"Respons\u0065" : {"EventName": "X"} , } "#),
        json!({"EventName": "X", "Response.EventName": null})
    );
    for doc in [
        r#"{"Response": {"EventName": "W"}, "EventName": "U"}"#,
        r#"{"EventName": "U", "Response": {"EventName": "W"}}"#,
    ] {
        assert_eq!(
            get(&p, doc),
            json!({"EventName": "U", "Response.EventName": "W"})
        );
    }
    assert_eq!(
        get(&p, r#"{"Response": [{"EventName": "W"}]}"#),
        json!({"EventName": null, "Response.EventName": "W"})
    );
}

#[test]
fn containers_yield_their_raw_text() {
    let xml = "<R><A><B>1</B></A><C x='1'/></R>";
    assert_eq!(
        get(&["A", "C", "A.B"], xml),
        json!({"A": "<A><B>1</B></A>", "C": "", "A.B": "1"})
    );
    let json = r#"{"A": {"B": [1, 2]}, "C": [[1], {}]}"#;
    assert_eq!(
        get(&["A", "A.B", "A.B.#", "C.#", "C"], json),
        json!({"A": "{\"B\": [1, 2]}", "A.B": "1", "A.B.#": ["1", "2"], "C.#": ["[1]", "{}"], "C": "[1]"})
    );
}

#[test]
fn decoys_do_not_match() {
    let xml = "<R><!-- <Code>c</Code> --><X><Code>deep</Code></X><?p <Code>p</Code>?>\
        <CodeX>x</CodeX><code>lower</code><Y><![CDATA[<Code>cdata</Code>]]></Y><Code>real</Code></R>";
    assert_eq!(
        get(&["Code", "Code.#"], xml),
        json!({"Code": "real", "Code.#": ["real"]})
    );
    let json = r#"{"X": {"Code": "deep"}, "S": "\"Code\": \"str\"", "CodeX": 1, "code": 2,
        "Co\u0064e": "real"}"#;
    assert_eq!(get(&["Code"], json), json!({"Code": "real"}));
}

/// Names are compared by length and first eight bytes before the rest: names
/// that agree on those must still be told apart, and prefixes must not match.
#[test]
fn names_sharing_their_first_eight_bytes_are_told_apart() {
    let paths = ["WorkflowId", "WorkflowName", "Workflow", "Workflo"];
    let want = json!({"WorkflowId": "i", "WorkflowName": "n", "Workflow": "w", "Workflo": null});
    let xml =
        "<R><WorkflowIx>x</WorkflowIx><WorkflowNamf>y</WorkflowNamf><WorkflowName>n</WorkflowName>\
        <Workflow>w</Workflow><WorkflowId>i</WorkflowId><Workflowe>z</Workflowe></R>";
    assert_eq!(get(&paths, xml), want);
    let json = r#"{"WorkflowIx": "x", "WorkflowNamf": "y", "WorkflowName": "n", "Workflow": "w",
        "WorkflowId": "i", "Workflowe": "z"}"#;
    assert_eq!(get(&paths, json), want);
}

#[test]
fn duplicate_json_keys_add_items_like_repeated_xml_siblings() {
    let json = r#"{"A": "1", "B": 0, "A": ["2", "3"]}"#;
    assert_eq!(
        get(&["A", "A.#", "A.2"], json),
        json!({"A": "1", "A.#": ["1", "2", "3"], "A.2": "3"})
    );
    let xml = "<R><A>1</A><B/><A>2</A><A>3</A></R>";
    assert_eq!(
        get(&["A", "A.#", "A.2"], xml),
        json!({"A": "1", "A.#": ["1", "2", "3"], "A.2": "3"})
    );
}

#[test]
fn attributes_and_escaped_names() {
    let xml = r#"<R v="2"><J id="a&amp;b"><a.b>dot</a.b></J><J id="c"/></R>"#;
    assert_eq!(
        get(&["@v", "J.@id", "J.#.@id", r"J.a\.b", "J.@missing"], xml),
        json!({"@v": "2", "J.@id": "a&b", "J.#.@id": ["a&b", "c"], r"J.a\.b": "dot", "J.@missing": null})
    );
    // Attributes never match in JSON.
    assert_eq!(
        get(&["J.@id"], r#"{"J": {"@id": "x"}}"#),
        json!({"J.@id": null})
    );
    assert_eq!(
        get(&[r"\#", r"\1"], r##"{"#": "h", "1": "one"}"##),
        json!({r"\#": "h", r"\1": "one"})
    );
}

#[test]
fn kinds_and_offsets_point_into_the_input() {
    let doc = br#"{"s": "a\nb", "n": -1.5e3, "t": true, "z": null, "o": {}}"#;
    let set = PathSet::compile(["s", "n", "t", "z", "o"]).unwrap();
    let mut slots = [Hit::EMPTY; 8];
    let found = set.extract(doc, &mut slots).unwrap();
    let kinds: Vec<Kind> = (0..5).map(|i| found.first(i).unwrap().kind()).collect();
    assert_eq!(
        kinds,
        [
            Kind::String,
            Kind::Number,
            Kind::Bool,
            Kind::Null,
            Kind::Container
        ]
    );
    for hit in found.hits() {
        let raw = hit.text().raw();
        assert_eq!(&doc[hit.offset()..hit.offset() + raw.len()], raw.as_bytes());
        // Zero copy: the slice is inside the input.
        let (p, d) = (raw.as_ptr() as usize, doc.as_ptr() as usize);
        assert!(p >= d && p + raw.len() <= d + doc.len());
    }
    assert!(found.first(0).unwrap().text().needs_decoding());
    assert_eq!(found.first(0).unwrap().text().to_cow(), "a\nb");
}

#[test]
fn slots_running_out_is_an_error() {
    let set = PathSet::compile(["A.#"]).unwrap();
    let mut slots = [Hit::EMPTY; 2];
    let e = set.extract(br#"{"A": [1, 2, 3]}"#, &mut slots).unwrap_err();
    // How many slots are needed, and no document position (the document is fine).
    assert_eq!(
        (e.kind(), e.needed(), e.offset(), e.line(), e.column()),
        (ErrorKind::Capacity, Some(3), 0, 0, 0)
    );
    assert_eq!(e.to_string(), "output slots full (3 needed)");
    // The count covers the whole document, XML too, with slots to spare or none.
    let xml = b"<R><A>1</A><A>2</A><A>3</A><A>4</A><A>5</A></R>";
    for n in [0, 1, 4] {
        let mut slots = vec![Hit::EMPTY; n];
        let e = set.extract(xml, &mut slots).unwrap_err();
        assert_eq!((e.kind(), e.needed()), (ErrorKind::Capacity, Some(5)));
    }
    // Only capacity errors carry a count.
    assert_eq!(set.extract(b"{", &mut slots).unwrap_err().needed(), None);
    // A document error after the slots ran out is the error reported.
    let e = set
        .extract(br#"{"A": [1, 2, 3, ]"#, &mut slots)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnclosedObject);
    let mut slots = [Hit::EMPTY; 3];
    assert_eq!(
        set.extract(br#"{"A": [1, 2, 3]}"#, &mut slots)
            .unwrap()
            .hits()
            .len(),
        3
    );
}

#[test]
fn skim_stops_early_and_full_checks_everything() {
    let set = PathSet::compile(["A", "B.C"]).unwrap();
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    // Everything after the values is garbage: Skim never reads it, Full does.
    for doc in [
        &br#"{"A": "1", "B": {"C": "2"}, "D": [}"#[..],
        &b"<R><A>1</A><B><C>2</C></B><D></E></R>"[..],
    ] {
        let found = set.extract_with(doc, &skim, &mut slots).unwrap();
        assert_eq!(found.hits().len(), 2);
        assert!(set.extract(doc, &mut slots).is_err());
    }
    // A `#` path needs the whole list, so Skim reads on (and finds the error).
    let set = PathSet::compile(["A.#"]).unwrap();
    assert!(set
        .extract_with(br#"{"A": 1, "D": [}"#, &skim, &mut slots)
        .is_err());
}

/// A JSON number no path returns is stepped over unchecked in `Skim` (the
/// run of bytes a number can hold), so a malformed one may pass where `Full`
/// refuses it; a number a path returns is checked as in `Full`, and the
/// bytes after a skipped one are read as usual.
#[test]
fn skim_trusts_the_numbers_it_does_not_return() {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    let set = PathSet::compile(["A", "B"]).unwrap();
    // Long and short runs, near the end and far from it.
    for bad in [
        "1-2",
        "--",
        "-",
        "0e",
        "1.2.3",
        "00",
        "1e+-5",
        "9/9",
        "1234567890-1234567890",
    ] {
        for tail in ["", "                "] {
            let doc = format!(r#"{{"N": {bad}, "A": "a",{tail} "B": 2}}"#);
            let mut slots = [Hit::EMPTY; 4];
            let found = set.extract_with(doc.as_bytes(), &skim, &mut slots).unwrap();
            let values: Vec<_> = found.hits().iter().map(|h| h.text().raw()).collect();
            assert_eq!(values, ["a", "2"], "{doc}");
            assert!(set.extract(doc.as_bytes(), &mut slots).is_err(), "{doc}");
        }
    }
    // A returned number is checked as in `Full`.
    let doc = br#"{"A": 1-2, "B": 2}"#;
    let full = set.extract(doc, &mut slots).unwrap_err();
    let e = set.extract_with(doc, &skim, &mut slots).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (full.kind(), full.offset()));
    // The byte after a skipped run is read as usual; an input that ends
    // in one is unclosed.
    for (doc, kind, offset) in [
        (&br#"{"N": 1x, "A": "a", "B": 2}"#[..], "UnexpectedByte", 7),
        (&br#"{"N": 1 x, "A": "a", "B": 2}"#[..], "UnexpectedByte", 8),
        (&br#"{"N": -"#[..], "UnclosedObject", 0),
        (&br#"{"N": 12345678901234567890"#[..], "UnclosedObject", 0),
    ] {
        let e = set.extract_with(doc, &skim, &mut slots).unwrap_err();
        let got = (format!("{:?}", e.kind()), e.offset());
        assert!(
            got.0.starts_with(kind),
            "{got:?} on {:?}",
            String::from_utf8_lossy(doc)
        );
        assert_eq!(got.1, offset, "{:?}", String::from_utf8_lossy(doc));
    }
}

/// Skim reads the attributes of the elements a path needs by structure, but
/// never gives one path two values from one element: a repeated attribute is
/// the error `Full` gives, at the same place (found by the `records` fuzz
/// target, on a mutated players.xml).
#[test]
fn skim_refuses_a_repeated_attribute_it_would_return() {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    let doc = b"<R><P s='1' a='2' s='3'/></R>";
    for paths in [&["P.@s"][..], &["P.#.@s"][..], &["P.@s", "P.@a"][..]] {
        let set = PathSet::compile(paths.iter().copied()).unwrap();
        let full = set.extract(doc, &mut slots).unwrap_err();
        let skim = set.extract_with(doc, &skim, &mut slots).unwrap_err();
        assert_eq!(
            (full.kind(), full.offset()),
            (ErrorKind::DuplicateAttribute, 18)
        );
        assert_eq!(
            (skim.kind(), skim.offset()),
            (full.kind(), full.offset()),
            "{paths:?}"
        );
    }
    // An attribute no path asks for is not read, so its repeat goes unseen.
    let set = PathSet::compile(["P.@a"]).unwrap();
    let found = set.extract_with(doc, &skim, &mut slots).unwrap();
    assert_eq!(found.hits().len(), 1);
}

/// `set` refuses `doc` in `Full` with `kind` at `offset`, and in `Skim` with
/// the same error.
fn full_and_skim_refuse(set: &PathSet, doc: &[u8], kind: ErrorKind, offset: usize) {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    let show = String::from_utf8_lossy(doc);
    let full = set.extract(doc, &mut slots).unwrap_err();
    assert_eq!((full.kind(), full.offset()), (kind, offset), "Full: {show}");
    let got = set.extract_with(doc, &skim, &mut slots).unwrap_err();
    assert_eq!((got.kind(), got.offset()), (kind, offset), "Skim: {show}");
}

/// Skim checks the characters of every attribute value it returns as `Full`
/// does (the same error at the same offset), and trusts those of attributes
/// no path asks for.
#[test]
fn skim_checks_the_attribute_values_it_returns() {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    let bad: [(&[u8], ErrorKind, usize); 6] = [
        (b"<R><P s='a\x01b'/></R>", ErrorKind::IllegalChar, 10),
        (b"<R><P s='a<b'/></R>", ErrorKind::LtInAttribute, 10),
        (b"<R><P s='a&bogus;b'/></R>", ErrorKind::UnknownEntity, 10),
        (b"<R><P s='a&#1;b'/></R>", ErrorKind::BadCharRef, 10),
        (
            b"<R><P s=\"&amp;\xEF\xBF\xBE\"/></R>",
            ErrorKind::IllegalChar,
            14,
        ),
        (b"<R><P t='' s='x&amp'/></R>", ErrorKind::BadEntityRef, 15),
    ];
    for (doc, kind, offset) in bad {
        // At the root, in a first item, and in every item of a list.
        for path in ["P.@s", "P.#.@s"] {
            full_and_skim_refuse(&PathSet::compile([path]).unwrap(), doc, kind, offset);
        }
        let root = [b"<P".as_slice(), doc.get(5..doc.len() - 4).unwrap()].concat();
        let set = PathSet::compile(["@s"]).unwrap();
        let got = set
            .extract_with(&root, &skim, &mut [Hit::EMPTY; 1])
            .unwrap_err();
        assert_eq!((got.kind(), got.offset()), (kind, offset - 3));
        // An attribute no path asks for is trusted.
        let set = PathSet::compile(["P.@t"]).unwrap();
        assert!(set.extract_with(doc, &skim, &mut slots).is_ok());
    }
    // What `Full` takes, `Skim` returns the same.
    let doc = b"<R><P s='a\tb&amp;&#x41;\xC3\xA9'/></R>";
    let set = PathSet::compile(["P.@s"]).unwrap();
    let full = set.extract(doc, &mut slots).unwrap().hits()[0]
        .text()
        .to_string();
    let got = set.extract_with(doc, &skim, &mut slots).unwrap().hits()[0]
        .text()
        .to_string();
    assert_eq!(
        (full.as_str(), got.as_str()),
        ("a b&A\u{e9}", "a b&A\u{e9}")
    );
}

/// An element or a JSON container that Skim returns whole is checked as
/// `Full` checks it (the same error at the same offset), although Skim reads
/// it by its structure; one it steps over is still trusted.
#[test]
fn skim_checks_the_containers_it_returns() {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    let bad: [(&[u8], ErrorKind, usize); 8] = [
        (b"<R><P><Q>a\x01b</Q></P></R>", ErrorKind::IllegalChar, 10),
        (
            b"<R><P><Q>a&bogus;b</Q></P></R>",
            ErrorKind::UnknownEntity,
            10,
        ),
        (
            b"<R><P><Q x='<'>ab</Q></P></R>",
            ErrorKind::LtInAttribute,
            12,
        ),
        (b"<R><P><Q>ab</X></P></R>", ErrorKind::MismatchedEndTag, 11),
        (
            b"<R><P><Q/><!-- a -- b --></P></R>",
            ErrorKind::BadComment,
            17,
        ),
        (b"{\"P\": {\"a\": [1, tru]}}", ErrorKind::BadLiteral, 16),
        (
            b"{\"P\": {\"a\": \"x\x01\"}, \"b\": 2}",
            ErrorKind::ControlInString,
            14,
        ),
        (b"{\"P\": {\"a\": [[], 01]}}", ErrorKind::BadNumber, 17),
    ];
    for (doc, kind, offset) in bad {
        let show = String::from_utf8_lossy(doc);
        // The container alone, and the container with a path inside it.
        for paths in [&["P"][..], &["P", "P.b"][..], &["P", "P.a"][..]] {
            let set = PathSet::compile(paths.iter().copied()).unwrap();
            full_and_skim_refuse(&set, doc, kind, offset);
        }
        // Stepped over, not returned: trusted.
        let set = PathSet::compile(["Z"]).unwrap();
        assert!(set.extract_with(doc, &skim, &mut slots).is_ok(), "{show}");
    }
    // An item of a top-level array, unwrapped from `{"Response": …}` for
    // `#.P` and returned whole for `#`.
    let doc = b"[{\"Response\": {\"P\": 1, \"Q\": [tru]}}]";
    let set = PathSet::compile(["#", "#.P"]).unwrap();
    full_and_skim_refuse(&set, doc, ErrorKind::BadLiteral, 29);
    // On valid containers, the values of `Full`.
    for doc in [
        &b"<R><P a='1'><Q>x&amp;y</Q><!--c--></P></R>"[..],
        b"{\"P\": {\"a\": [1, \"\\u00e9\"]}}",
    ] {
        let set = PathSet::compile(["P"]).unwrap();
        let full = set.extract(doc, &mut slots).unwrap().hits()[0].text().raw();
        let got = set.extract_with(doc, &skim, &mut slots).unwrap().hits()[0]
            .text()
            .raw();
        assert_eq!(full, got);
    }
}

#[test]
fn item_limit_applies_to_lists_a_path_walks() {
    let limits = wanxiang::Limits::default().with_max_items(3);
    let opts = Options::new().limits(limits);
    let set = PathSet::compile(["A.#"]).unwrap();
    let mut slots = [Hit::EMPTY; 8];
    assert!(set
        .extract_with(br#"{"A": [1, 2, 3]}"#, &opts, &mut slots)
        .is_ok());
    let e = set
        .extract_with(br#"{"A": [1, 2, 3, 4]}"#, &opts, &mut slots)
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::ItemLimit, 16));
    let e = set
        .extract_with(b"<R><A/><A/><A/><A/></R>", &opts, &mut slots)
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::ItemLimit, 15));
}

#[test]
fn leading_selectors_follow_the_grammar() {
    for ok in ["#", "0", "12", "#.a", "3.a.#.b", "0.a.b"] {
        assert!(PathSet::compile([ok]).is_ok(), "{ok:?}");
    }
    // One selector may lead, and a name must follow it; no attribute after
    // it (attributes are XML's, top-level arrays JSON's, so it would never match).
    for (bad, at) in [
        ("#.#", 2),
        ("0.1", 2),
        ("#.", 2),
        ("#..a", 2),
        ("#.@id", 2),
        ("1.a.@id", 4),
        ("99999999999.a", 0),
        ("4.#", 2),
    ] {
        let e = PathSet::compile([bad]).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::BadPath, at), "{bad:?}");
    }
    // Escaped, `#` and digits are names.
    assert_eq!(
        get(&[r"\#", r"\0.a"], r##"{"#": "h", "0": {"a": "x"}}"##),
        json!({r"\#": "h", r"\0.a": "x"})
    );
}

#[test]
fn a_leading_selector_finds_nothing_in_an_object_or_xml_document() {
    let paths = [
        "#",
        "0",
        "#.EventName",
        "0.EventName",
        "1.JobsDetail.JobId",
        "EventName",
    ];
    let want = json!({
        "#": [], "0": null, "#.EventName": [], "0.EventName": null,
        "1.JobsDetail.JobId": null, "EventName": "TaskFinish",
    });
    assert_eq!(get(&paths, XML), want);
    assert_eq!(get(&paths, JSON), want);
    assert_eq!(
        get(&paths, r#"{"Response": {"EventName": "TaskFinish"}}"#),
        want
    );
    // Nor in a top-level scalar.
    assert_eq!(
        get(&["#", "0", "a"], r#""text""#),
        json!({"#": [], "0": null, "a": null})
    );
    // They do not keep `Skim` reading: garbage after the values stays unread.
    let set = PathSet::compile(["#.A", "0.A", "A"]).unwrap();
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 4];
    for doc in [
        &br#"{"A": "1", "D": [}"#[..],
        &b"<R><A>1</A><D></E></R>"[..],
    ] {
        let found = set.extract_with(doc, &skim, &mut slots).unwrap();
        assert_eq!(found.hits().len(), 1);
        assert_eq!(found.first(2).unwrap().text().raw(), "1");
    }
}

#[test]
fn a_top_level_array_is_read_whole_in_full_and_as_needed_in_skim() {
    let skim = Options::new().validation(Validation::Skim);
    let mut slots = [Hit::EMPTY; 8];
    // Everything after the item a single path needs is garbage.
    let doc = br#"[{"A": 1}, {"A": 2}, {]"#;
    for p in ["A", "0.A", "1.A", "0", "1"] {
        let set = PathSet::compile([p]).unwrap();
        assert_eq!(
            set.extract_with(doc, &skim, &mut slots)
                .unwrap()
                .hits()
                .len(),
            1,
            "{p}"
        );
        let e = set.extract(doc, &mut slots).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (
                ErrorKind::UnexpectedByte {
                    expected: "a string key or `}`"
                },
                22
            ),
            "{p}"
        );
    }
    // `#` needs every item, so Skim reads on and finds the error too.
    let set = PathSet::compile(["#.A"]).unwrap();
    assert!(set.extract_with(doc, &skim, &mut slots).is_err());
    // Full checks what follows the array; trailing commas follow the options.
    let set = PathSet::compile(["#"]).unwrap();
    let e = set.extract(b"[1, 2] 3", &mut slots).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::TrailingData, 7));
    assert_eq!(
        set.extract(b"[1, 2, ]", &mut slots).unwrap().hits().len(),
        2
    );
    let strict = Options::new().strict(true);
    let e = set
        .extract_with(b"[1, 2, ]", &strict, &mut slots)
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::TrailingComma, 5));
    let e = set.extract(b"[1, 2", &mut slots).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnclosedArray, 0));
}

#[test]
fn limits_apply_to_a_top_level_array() {
    let opts = Options::new().limits(wanxiang::Limits::default().with_max_items(3));
    let mut slots = [Hit::EMPTY; 8];
    for p in ["#", "a"] {
        let set = PathSet::compile([p]).unwrap();
        assert!(set.extract_with(b"[1, 2, 3]", &opts, &mut slots).is_ok());
        let e = set
            .extract_with(b"[1, 2, 3, 4]", &opts, &mut slots)
            .unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::ItemLimit, 10), "{p}");
    }
    // The array is one level of nesting.
    let opts = Options::new().limits(wanxiang::Limits::default().with_max_depth(2));
    let set = PathSet::compile(["a.b", "#.a"]).unwrap();
    assert!(set
        .extract_with(br#"[{"a": 1}]"#, &opts, &mut slots)
        .is_ok());
    let e = set
        .extract_with(br#"[{"a": {"b": 1}}]"#, &opts, &mut slots)
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::DepthLimit, 7));
}

/// `Full` turns a child away by the first two bytes of its name
/// (`Trie::leads`) and, in a set of plain paths, takes a child's cursor
/// from its parent's table (`Trie::lean_child`) before anything else. Names
/// of 1 to 20 bytes that share none, one or both of those bytes with a
/// path's, or all but the last, in start tags ended by `>`, whitespace,
/// an attribute or `/>`, at every offset in a 16-byte block: each path
/// gets the value a walk with the reader's events finds (the first child
/// of that name, below the root or below `P`), in a lean set and in a
/// general one. And every prefix of the document fails as it does with a
/// set that reads no child.
#[test]
fn full_finds_children_by_name_as_a_reader_walk_does() {
    use wanxiang::xml::{Event, Reader};
    let base = "Nabcdefghijklmnopqrs";
    let mut names: Vec<String> = Vec::new();
    for len in 1..=20 {
        names.push(base[..len].to_string());
        if len >= 2 {
            names.push(format!("Nx{}", &base[2..len]));
            names.push(format!("{}Z", &base[..len - 1]));
            names.push(format!("M{}", &base[1..len]));
        }
    }
    let mut doc = String::from("<R>");
    let mut inner = String::from("<P>");
    for (i, name) in names.iter().enumerate() {
        let pad = " ".repeat(i % 17);
        let el = match i % 4 {
            0 => format!("{pad}<{name}>v{i}</{name}>"),
            1 => format!("{pad}<{name}\t>v{i}</{name} >"),
            2 => format!("{pad}<{name} a='/>'>v{i}</{name}>"),
            _ => format!("{pad}<{name}/>"),
        };
        doc.push_str(&el);
        inner.insert_str(3, &el);
    }
    inner.push_str("</P>");
    doc.push_str(&inner);
    doc.push_str("</R>");
    let doc = doc.as_bytes();

    // The reader's walk: the first child of each name below the root and
    // below `P`, with its text and where it starts.
    let mut want: Vec<(String, (String, usize))> = Vec::new();
    let mut r = Reader::new(doc).unwrap();
    let mut stack: Vec<String> = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    loop {
        let ev = r.next().unwrap();
        match ev {
            Event::Start(t) | Event::Empty(t) => {
                let name = t.name_str().unwrap().to_string();
                let path = match stack.len() {
                    1 => Some(name.clone()),
                    2 if stack[1] == "P" => Some(format!("P.{name}")),
                    _ => None,
                };
                if let Some(path) = path {
                    let value = (String::new(), r.offset());
                    if matches!(ev, Event::Empty(_)) {
                        if !want.iter().any(|(p, _)| *p == path) {
                            want.push((path, value));
                        }
                    } else {
                        open = Some((path, String::new(), r.offset()));
                    }
                }
                if matches!(ev, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::Text(t) => {
                if let Some((_, text, _)) = open.as_mut() {
                    text.push_str(t.raw());
                }
            }
            Event::End(_) => {
                if let Some((path, text, at)) = open.take() {
                    if !want.iter().any(|(p, _)| *p == path) {
                        want.push((path, (text, at)));
                    }
                }
                stack.pop();
            }
            Event::CData(_) => {}
            Event::Eof => break,
        }
    }

    let mut paths: Vec<String> = names.iter().take(60).cloned().collect();
    paths.extend(names.iter().skip(60).map(|n| format!("P.{n}")));
    for general in [false, true] {
        let mut set_paths = paths.clone();
        if general {
            // A leading selector: the set is no longer lean.
            set_paths.push("#.Q".to_string());
        }
        let set = PathSet::compile(&set_paths).unwrap();
        let mut slots = vec![Hit::EMPTY; 256];
        let found = set.extract(doc, &mut slots).unwrap();
        for (k, path) in paths.iter().enumerate() {
            let got = found
                .first(k)
                .map(|h| (h.text().raw().to_string(), h.offset()));
            let expected = want.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone());
            assert_eq!(got, expected, "{path} (general set: {general})");
        }
        let nothing = PathSet::compile(["@a"]).unwrap();
        for len in 0..doc.len() {
            let cut = &doc[..len];
            let got = set.extract(cut, &mut slots).map(|_| ()).unwrap_err();
            let want = nothing.extract(cut, &mut slots).map(|_| ()).unwrap_err();
            assert_eq!(
                (got.kind(), got.offset()),
                (want.kind(), want.offset()),
                "cut at {len} (general set: {general})"
            );
        }
    }
}
