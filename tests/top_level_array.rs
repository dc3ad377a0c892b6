//! Paths over a top-level JSON array (batched webhooks): a leading selector
//! picks items, no leading selector reads the first item, and each item reads
//! like a whole document (`{"Response": {…}}` unwrapped). Checked in both
//! validation modes, through the typed view's raw paths, without allocating,
//! and as a property over every JSON corpus document `D`: the array `[D]`
//! gives the same values as `D` for every path without a leading selector.
//!
//! The documents are in `tests/data/top-level-array/`; a missing one fails.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::counting::{measure, Counting};
use wanxiang::{json as pull, Callback, Hit, Kind, Options, PathSet, Validation};

#[global_allocator]
static GLOBAL: Counting = Counting;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/top-level-array")
}

fn data(name: &str) -> Vec<u8> {
    let path = data_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn modes() -> [Options; 2] {
    [
        Options::default(),
        Options::new().validation(Validation::Skim),
    ]
}

/// The CLI-shaped fields of `paths` in `doc`, the same in both modes.
fn get(paths: &[&str], doc: &[u8]) -> Value {
    let paths: Vec<String> = paths.iter().map(|s| s.to_string()).collect();
    let [full, skim] = modes().map(|o| support::fields(&paths, doc, &o).unwrap());
    assert_eq!(full, skim, "Skim and Full differ");
    full
}

/// One value as compared here: its kind and decoded text.
type Val = (Kind, String);

fn val(hit: &Hit<'_>) -> Val {
    (hit.kind(), hit.text().to_cow().into_owned())
}

/// Every value of every path, per path in document order.
fn values(set: &PathSet, doc: &[u8], options: &Options) -> Vec<Vec<Val>> {
    let mut out = vec![Vec::new(); set.len()];
    set.visit(doc, options, |h| out[h.path()].push(val(&h)))
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

/// The typed view's raw path: the first value, as `PathSet` gives it.
fn typed(doc: &[u8], path: &str) -> Option<Val> {
    let cb = Callback::parse(doc).unwrap();
    cb.get(path).unwrap().map(|h| val(&h))
}

#[test]
fn a_leading_selector_picks_items_and_none_reads_the_first() {
    let doc = data("event-batch.json");
    let paths = [
        "#.eventType",
        "1.eventType",
        "eventType",
        "3.eventType",
        "0.data.url",
        "data.url",
        "#.data.url",
        "#.data.contentLength",
        "2.data.tags.#",
        "#.data.tags.1",
        "2.subject",
        "data",
        "Response.eventType",
    ];
    let want = json!({
        "#.eventType": ["Storage.BlobCreated", "Storage.BlobDeleted", "Storage.BlobCreated"],
        "1.eventType": "Storage.BlobDeleted",
        "eventType": "Storage.BlobCreated",
        "3.eventType": null,
        "0.data.url": "https://demo.example/in/cat.jpg",
        "data.url": "https://demo.example/in/cat.jpg",
        "#.data.url": [
            "https://demo.example/in/cat.jpg",
            "https://demo.example/in/dog.png",
            "https://demo.example/in/a%20b.gif"
        ],
        "#.data.contentLength": ["52114"],
        "2.data.tags.#": ["x", "y"],
        "#.data.tags.1": ["y"],
        "2.subject": "/containers/in/blobs/a b.gif",
        "data": r#"{"api": "PutBlob", "url": "https://demo.example/in/cat.jpg", "contentLength": 52114}"#,
        "Response.eventType": null,
    });
    assert_eq!(get(&paths, &doc), want);
    for p in paths {
        let first = match &want[p] {
            Value::Array(v) => v.first().cloned(),
            Value::Null => None,
            v => Some(v.clone()),
        };
        let typed = typed(&doc, p).map(|(_, s)| Value::String(s));
        assert_eq!(typed, first, "typed view, {p}");
    }
}

#[test]
fn items_that_are_not_objects() {
    let doc = data("scalars.json");
    let paths = ["#", "0", "1", "2", "4", "5.a", "#.a", "a", "7"];
    assert_eq!(
        get(&paths, &doc),
        json!({
            "#": ["1", "two", null, "true", "[3, [4]]", r#"{"a": "five"}"#, "-6.5e1"],
            "0": "1",
            "1": "two",
            "2": null,
            "4": "[3, [4]]",
            "5.a": "five",
            "#.a": ["five"],
            // The first item is not an object.
            "a": null,
            "7": null,
        })
    );
    let set = PathSet::compile(["#"]).unwrap();
    let kinds: Vec<Kind> = values(&set, &doc, &Options::default())[0]
        .iter()
        .map(|v| v.0)
        .collect();
    use Kind::*;
    assert_eq!(
        kinds,
        [Number, String, Null, Bool, Container, Container, Number]
    );
    assert_eq!(typed(&doc, "2"), Some((Null, "null".into())));
    assert_eq!(typed(&doc, "5.a"), Some((String, "five".into())));
    assert_eq!(typed(&doc, "a"), None);
    assert_eq!(
        get(&["#", "0", "a"], b" [ ] "),
        json!({"#": [], "0": null, "a": null})
    );
}

#[test]
fn each_item_reads_like_a_document() {
    let doc = data("wrapped-items.json");
    let paths = [
        "#.EventName",
        "EventName",
        "#.Response.EventName",
        "#.JobsDetail.#.JobId",
        "JobsDetail.1.JobId",
        "1.JobsDetail.JobId",
        "Response.EventName",
    ];
    let want = json!({
        "#.EventName": ["TaskFinish", "WorkflowFinish", "Kept"],
        "EventName": "TaskFinish",
        "#.Response.EventName": ["NotUnwrapped", "InAnArray"],
        "#.JobsDetail.#.JobId": ["j1", "j2", "j3"],
        "JobsDetail.1.JobId": "j2",
        "1.JobsDetail.JobId": "j3",
        "Response.EventName": null,
    });
    assert_eq!(get(&paths, &doc), want);
    for p in paths {
        let first = match &want[p] {
            Value::Array(v) => v.first().cloned(),
            Value::Null => None,
            v => Some(v.clone()),
        };
        assert_eq!(typed(&doc, p).map(|(_, s)| Value::String(s)), first, "{p}");
    }
    // A path that ends on a wrapped item gets the whole item.
    let item = get(&["0"], &doc)["0"].as_str().unwrap().to_string();
    assert!(item.starts_with(r#"{"Response": {"EventName": "TaskFinish""#) && item.ends_with("}}"));
    assert_eq!(typed(&doc, "0").unwrap().1, item);
}

// ---- the property over the corpus ------------------------------------------

/// A JSON value's shape, read with the pull reader (serde_json rejects the
/// trailing commas some corpus documents have); keys decoded.
enum J {
    Obj(Vec<(String, J)>),
    Arr(Vec<J>),
    Leaf,
}

fn tree(r: &mut pull::Reader<'_>, first: pull::Event<'_>) -> J {
    match first {
        pull::Event::StartObject => {
            let mut members = Vec::new();
            loop {
                match r.next().unwrap() {
                    pull::Event::EndObject => return J::Obj(members),
                    pull::Event::Key(k) => {
                        let v = r.next().unwrap();
                        members.push((k.to_cow().into_owned(), tree(r, v)));
                    }
                    e => panic!("{e:?}"),
                }
            }
        }
        pull::Event::StartArray => {
            let mut items = Vec::new();
            loop {
                match r.next().unwrap() {
                    pull::Event::EndArray => return J::Arr(items),
                    e => items.push(tree(r, e)),
                }
            }
        }
        _ => J::Leaf,
    }
}

/// A name as a path step: `.` and `\` escaped anywhere, and a first `#`,
/// `@` or digit (which would read as a selector or an attribute).
fn step(name: &str) -> String {
    let mut s = String::new();
    for (i, c) in name.chars().enumerate() {
        if matches!(c, '.' | '\\') || (i == 0 && (matches!(c, '#' | '@') || c.is_ascii_digit())) {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// A small deterministic generator (an LCG), to pick one of the ways into
/// each container instead of all of them.
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Paths collected from the document itself: every member name as reached
/// with no selector, `#`, the indexes of (up to three) items and one past
/// the last; each container entered one of those ways, picked by `g`.
fn collect(j: &J, prefix: &str, depth: usize, g: &mut Gen, out: &mut BTreeSet<String>) {
    let J::Obj(members) = j else {
        return;
    };
    if depth > 10 {
        return;
    }
    for (name, v) in members {
        if name.is_empty() {
            continue;
        }
        let base = format!("{prefix}{}", step(name));
        out.insert(base.clone());
        out.insert(format!("{base}.#"));
        match v {
            J::Arr(items) => {
                for (k, item) in items.iter().enumerate().take(3) {
                    out.insert(format!("{base}.{k}"));
                    let way = match g.below(3) {
                        0 => format!("{base}.{k}."),
                        1 => format!("{base}.#."),
                        _ => format!("{base}."),
                    };
                    collect(item, &way, depth + 1, g, out);
                }
                out.insert(format!("{base}.{}", items.len()));
            }
            J::Obj(_) => {
                out.insert(format!("{base}.1"));
                let way = match g.below(3) {
                    0 => format!("{base}.0."),
                    1 => format!("{base}.#."),
                    _ => format!("{base}."),
                };
                collect(v, &way, depth + 1, g, out);
            }
            J::Leaf => {}
        }
    }
}

fn corpus_json() -> Vec<PathBuf> {
    let docs: Vec<PathBuf> = support::valid_documents()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert!(docs.len() >= 20, "the JSON corpus is missing");
    docs
}

/// `D` without a byte order mark (which may only open a document).
fn body(doc: &[u8]) -> &[u8] {
    doc.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(doc)
}

#[test]
fn a_document_and_the_one_item_array_of_it_agree_on_every_path() {
    let mut total = 0usize;
    let mut found = 0usize;
    for file in corpus_json() {
        let d = std::fs::read(&file).unwrap();
        let one = [&b"["[..], body(&d), b"]"].concat();
        let two = [&b"[\n"[..], body(&d), b",\n", body(&d), b"\n]"].concat();
        let mut r = pull::Reader::new(&d).unwrap();
        let first = r.next().unwrap();
        let mut paths = BTreeSet::new();
        let mut g = Gen(d.len() as u64);
        collect(&tree(&mut r, first), "", 0, &mut g, &mut paths);
        paths.extend(["NoSuchName".into(), "EventName.Deeper".into()]);
        let paths: Vec<String> = paths.into_iter().collect();
        for chunk in paths.chunks(30) {
            // Each path, then with every leading selector form.
            let mut all: Vec<String> = Vec::new();
            for p in chunk {
                all.extend([
                    p.clone(),
                    format!("0.{p}"),
                    format!("1.{p}"),
                    format!("#.{p}"),
                ]);
            }
            let set = PathSet::compile(&all).unwrap();
            for options in modes() {
                let on_d = values(&set, &d, &options);
                let on_one = values(&set, &one, &options);
                let on_two = values(&set, &two, &options);
                for (k, p) in chunk.iter().enumerate() {
                    let at = |i: usize| 4 * k + i;
                    let want = &on_d[at(0)];
                    let ctx = format!("{} ({options:?}): {p}", file.display());
                    // The property: no leading selector reads the first item.
                    assert_eq!(&on_one[at(0)], want, "[D] {ctx}");
                    assert_eq!(&on_two[at(0)], want, "[D, D] {ctx}");
                    // Leading selectors pick items.
                    assert_eq!(&on_one[at(1)], want, "0. on [D] {ctx}");
                    assert_eq!(on_one[at(2)], [], "1. on [D] {ctx}");
                    assert_eq!(&on_two[at(2)], want, "1. on [D, D] {ctx}");
                    let twice: Vec<Val> = want.iter().chain(want).cloned().collect();
                    assert_eq!(on_two[at(3)], twice, "#. on [D, D] {ctx}");
                    // ... and nothing in a document that is not an array.
                    for i in 1..4 {
                        assert_eq!(on_d[at(i)], [], "{} on D {ctx}", all[at(i)]);
                    }
                    total += 1;
                    found += usize::from(!want.is_empty());
                }
            }
        }
        // The typed view's raw paths give the first of those values.
        for chunk in paths.chunks(100) {
            let set = PathSet::compile(chunk).unwrap();
            let on_d = values(&set, &d, &Options::default());
            for (p, want) in chunk.iter().zip(&on_d) {
                let first = want.first().cloned();
                let ctx = format!("{}: {p}", file.display());
                assert_eq!(typed(&d, p), first, "{ctx}");
                assert_eq!(typed(&one, p), first, "[D] {ctx}");
                assert_eq!(typed(&two, &format!("1.{p}")), first, "1. on [D, D] {ctx}");
                assert_eq!(typed(&d, &format!("0.{p}")), None, "0. on D {ctx}");
            }
        }
    }
    // Not vacuous: most collected paths find something.
    assert!(total > 1000 && found * 2 > total, "{found} of {total}");
}

#[test]
fn extracting_from_a_top_level_array_allocates_nothing() {
    assert_eq!(measure(|| drop(std::hint::black_box(vec![1u8; 10]))).1, 1);
    let paths = [
        "#.eventType",
        "1.data.url",
        "eventType",
        "#",
        "#.EventName",
        "JobsDetail.#.JobId",
        "#.JobsDetail.#.JobId",
        "2.Response.EventName",
        "#.a",
        "0",
    ];
    let set = PathSet::compile(paths).unwrap();
    let mut docs: Vec<Vec<u8>> = ["event-batch.json", "scalars.json", "wrapped-items.json"]
        .into_iter()
        .map(data)
        .collect();
    for file in corpus_json() {
        let d = std::fs::read(&file).unwrap();
        docs.push([&b"["[..], body(&d), b",", body(&d), b"]"].concat());
    }
    let mut with_values = 0;
    for doc in &docs {
        let cb = Callback::parse(doc).unwrap();
        for options in modes() {
            let (n, allocs, _) = measure(|| {
                let mut slots = [Hit::EMPTY; 64];
                let found = set.extract_with(doc, &options, &mut slots).unwrap();
                let mut n = found.hits().len();
                for p in paths {
                    n += usize::from(cb.get(p).unwrap().is_some());
                }
                n
            });
            assert_eq!(allocs, 0, "{}", String::from_utf8_lossy(&doc[..40]));
            with_values += usize::from(n > 0);
        }
    }
    assert_eq!(with_values, docs.len() * 2);
}

#[test]
fn a_stream_of_batches_reads_each_like_the_document_alone() {
    let docs: Vec<Vec<u8>> = [
        data("event-batch.json"),
        br#"{"eventType": "single", "data": {"url": "u"}}"#.to_vec(),
        data("wrapped-items.json"),
        data("scalars.json"),
        b"<Response><eventType>xml</eventType></Response>".to_vec(),
    ]
    .into_iter()
    .collect();
    let stream: Vec<u8> = docs.join(&b"\n"[..]);
    let set =
        PathSet::compile(["#.eventType", "0.data.url", "eventType", "#", "#.EventName"]).unwrap();
    let mut framer = wanxiang::stream::Framer::new();
    let mut at = 0;
    let mut seen = 0;
    loop {
        let frame = match framer.frame(&stream[at..]).unwrap() {
            wanxiang::stream::Status::Complete(f) => Some(f),
            wanxiang::stream::Status::Partial => framer.finish(&stream[at..]).unwrap(),
        };
        let Some(frame) = frame else { break };
        let doc = frame.document(&stream[at..]);
        for options in modes() {
            assert_eq!(
                values(&set, doc, &options),
                values(&set, &docs[seen], &options)
            );
        }
        seen += 1;
        at += frame.consumed();
    }
    assert_eq!(seen, docs.len());
    // The first frame is the batch: every item's event type.
    let batch = values(&set, &docs[0], &Options::default());
    assert_eq!(batch[0].len(), 3);
}

#[test]
fn records_over_a_top_level_array() {
    use wanxiang::RecordSet;
    let rows = |prefix: &str, fields: &[&str], doc: &[u8]| -> Vec<Vec<Option<String>>> {
        let set = RecordSet::compile(prefix, fields).unwrap();
        let mut slots = [Hit::EMPTY; 64];
        let mut all = Vec::new();
        for options in modes() {
            let records = set.extract_with(doc, &options, &mut slots).unwrap();
            let got: Vec<Vec<Option<String>>> = records
                .iter()
                .map(|r| {
                    (0..fields.len())
                        .map(|i| r.first(i).map(|h| h.text().to_cow().into_owned()))
                        .collect()
                })
                .collect();
            all.push(got);
        }
        assert_eq!(all[0], all[1], "Skim and Full differ");
        all.swap_remove(0)
    };
    let s = |v: &str| Some(v.to_string());
    let batch = data("event-batch.json");
    // `#`: one record per top-level item; `k`: that item only.
    assert_eq!(
        rows("#", &["eventType", "data.url"], &batch),
        [
            [
                s("Storage.BlobCreated"),
                s("https://demo.example/in/cat.jpg")
            ],
            [
                s("Storage.BlobDeleted"),
                s("https://demo.example/in/dog.png")
            ],
            [
                s("Storage.BlobCreated"),
                s("https://demo.example/in/a%20b.gif")
            ],
        ]
    );
    assert_eq!(
        rows("1", &["eventType"], &batch),
        [[s("Storage.BlobDeleted")]]
    );
    // A list inside the items: of the first item, or of every item.
    let doc =
        br#"[{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}, {"JobsDetail": {"JobId": "c"}}]"#;
    assert_eq!(rows("JobsDetail", &["JobId"], doc), [[s("a")], [s("b")]]);
    assert_eq!(
        rows("#.JobsDetail", &["JobId"], doc),
        [[s("a")], [s("b")], [s("c")]]
    );
    // No top-level array, no records.
    assert!(rows("#", &["eventType"], br#"{"eventType": "x"}"#).is_empty());
    assert!(rows("0", &["JobId"], b"<R><JobId>x</JobId></R>").is_empty());
}
