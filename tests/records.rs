//! Records (`RecordSet`): fields per item of a list, never another item's
//! value; path handles; slots sized from the capacity error.

mod support;

use wanxiang::{Callback, ErrorKind, Hit, Options, PathSet, Record, RecordSet, Validation};

fn modes() -> [Options; 2] {
    [
        Options::new().validation(Validation::Full),
        Options::new().validation(Validation::Skim),
    ]
}

/// A record as (index, [first value of each field as decoded text]).
fn rows(set: &RecordSet, doc: &[u8], options: &Options) -> Vec<Vec<Option<String>>> {
    let mut hits = Vec::new();
    let records = set
        .extract_vec_with(doc, options, &mut hits)
        .unwrap_or_else(|e| panic!("{e}"));
    records
        .iter()
        .map(|r| {
            (0..set.len())
                .map(|i| r.first(i).map(|h| h.text().to_cow().into_owned()))
                .collect()
        })
        .collect()
}

fn some(v: &[Option<&str>]) -> Vec<Option<String>> {
    v.iter().map(|s| s.map(String::from)).collect()
}

// The inputs of the zip pattern that misattributed (issue 17): two jobs, the
// first without `Output`.
const TWO_JOBS_XML: &str = "<Response><EventName>TaskFinish</EventName>
  <JobsDetail><JobId>j1</JobId><State>Failed</State></JobsDetail>
  <JobsDetail><JobId>j2</JobId><State>Success</State>
    <Operation><Output><Object>out/j2.pdf</Object></Output></Operation></JobsDetail>
</Response>";
const TWO_JOBS_JSON: &str = r#"{"EventName": "TaskFinish", "JobsDetail": [
  {"JobId": "j1", "State": "Failed"},
  {"JobId": "j2", "State": "Success", "Operation": {"Output": {"Object": "out/j2.pdf"}}}]}"#;

#[test]
fn zipping_per_path_lists_misattributes_and_records_do_not() {
    for doc in [TWO_JOBS_XML, TWO_JOBS_JSON] {
        for options in modes() {
            // The old pattern: one list per path, zipped by position.
            let paths =
                PathSet::compile(["JobsDetail.#.JobId", "JobsDetail.#.Operation.Output.Object"])
                    .unwrap();
            let mut slots = [Hit::EMPTY; 16];
            let found = paths
                .extract_with(doc.as_bytes(), &options, &mut slots)
                .unwrap();
            let zipped: Vec<(&str, &str)> = found
                .all(0)
                .zip(found.all(1))
                .map(|(id, out)| (id.text().raw(), out.text().raw()))
                .collect();
            // j1 gets j2's output, and j2 disappears: this is the bug.
            assert_eq!(zipped, [("j1", "out/j2.pdf")], "{doc}");

            // Records keep each job's fields apart.
            let jobs =
                RecordSet::compile("JobsDetail", ["JobId", "Operation.Output.Object"]).unwrap();
            let mut slots = [Hit::EMPTY; 16];
            let records = jobs
                .extract_with(doc.as_bytes(), &options, &mut slots)
                .unwrap();
            let got: Vec<(&str, Option<&str>)> = records
                .iter()
                .map(|r| {
                    (
                        r.first(0).unwrap().text().raw(),
                        r.first(1).map(|h| h.text().raw()),
                    )
                })
                .collect();
            assert_eq!(got, [("j1", None), ("j2", Some("out/j2.pdf"))], "{doc}");
            // `JobsDetail` and `JobsDetail.#` are the same prefix.
            let hash =
                RecordSet::compile("JobsDetail.#", ["JobId", "Operation.Output.Object"]).unwrap();
            assert_eq!(
                rows(&hash, doc.as_bytes(), &options),
                rows(&jobs, doc.as_bytes(), &options)
            );
        }
    }
}

const NESTED_XML: &str = "<Response>
  <JobsDetail id='1'><JobId>a</JobId>
    <Input><CosHeaders><Key>k1</Key><Value>v1</Value></CosHeaders>
           <CosHeaders><Key>k2</Key></CosHeaders></Input></JobsDetail>
  <Other><JobsDetail><JobId>decoy</JobId></JobsDetail></Other>
  <JobsDetail/>
  <JobsDetail><JobId>c</JobId><JobId>c-again</JobId>
    <Input><CosHeaders><Value>v3</Value></CosHeaders></Input></JobsDetail>
</Response>";
const NESTED_JSON: &str = r#"{"JobsDetail": [
    {"JobId": "a", "Input": {"CosHeaders": [{"Key": "k1", "Value": "v1"}, {"Key": "k2"}]}},
    {},
    {"JobId": "c", "Input": {"CosHeaders": {"Value": "v3"}}}],
  "Other": {"JobsDetail": {"JobId": "decoy"}}}"#;

#[test]
fn fields_with_their_own_lists_and_nested_prefixes() {
    for doc in [NESTED_XML, NESTED_JSON] {
        for options in modes() {
            let jobs = RecordSet::compile(
                "JobsDetail",
                [
                    "JobId",
                    "Input.CosHeaders.#.Key",
                    "Input.CosHeaders.1.Key",
                    "Input.CosHeaders.#.Value",
                ],
            )
            .unwrap();
            assert!(!jobs.is_multi(0) && jobs.is_multi(1) && !jobs.is_multi(2));
            let mut hits = Vec::new();
            let records = jobs
                .extract_vec_with(doc.as_bytes(), &options, &mut hits)
                .unwrap();
            assert_eq!(records.len(), 3, "{doc}");
            let all = |r: &Record, i: usize| -> Vec<String> {
                r.all(i).map(|h| h.text().raw().to_string()).collect()
            };
            let per: Vec<_> = records
                .iter()
                .map(|r| {
                    (
                        r.index(),
                        r.first(0).map(|h| h.text().raw().to_string()),
                        all(&r, 1),
                        r.first(2).map(|h| h.text().raw().to_string()),
                        all(&r, 3),
                    )
                })
                .collect();
            let s = |v: &str| v.to_string();
            assert_eq!(
                per,
                [
                    (
                        0,
                        Some(s("a")),
                        vec![s("k1"), s("k2")],
                        Some(s("k2")),
                        vec![s("v1")]
                    ),
                    (1, None, vec![], None, vec![]),
                    (2, Some(s("c")), vec![], None, vec![s("v3")]),
                ],
                "{doc}"
            );
            // Offsets point at each item.
            for r in records.iter() {
                let at = &doc.as_bytes()[r.offset()..];
                assert!(
                    at.starts_with(b"<JobsDetail") || at.starts_with(b"{"),
                    "{doc}"
                );
            }

            // A nested prefix: every CosHeaders item of every job, numbered
            // across jobs.
            let headers =
                RecordSet::compile("JobsDetail.#.Input.CosHeaders", ["Key", "Value"]).unwrap();
            assert_eq!(
                rows(&headers, doc.as_bytes(), &options),
                [
                    some(&[Some("k1"), Some("v1")]),
                    some(&[Some("k2"), None]),
                    some(&[None, Some("v3")]),
                ],
                "{doc}"
            );
            // Earlier steps select as in any path: the first job's headers only.
            let first = RecordSet::compile("JobsDetail.Input.CosHeaders", ["Key"]).unwrap();
            assert_eq!(
                rows(&first, doc.as_bytes(), &options),
                [some(&[Some("k1")]), some(&[Some("k2")])]
            );
            // An index in the prefix picks one item.
            let third = RecordSet::compile("JobsDetail.2", ["JobId"]).unwrap();
            let one = rows(&third, doc.as_bytes(), &options);
            assert_eq!(one, [some(&[Some("c")])]);
            let none = RecordSet::compile("JobsDetail.5", ["JobId"]).unwrap();
            assert!(rows(&none, doc.as_bytes(), &options).is_empty());
        }
    }
    // Attributes of the item itself, in XML.
    let ids = RecordSet::compile("JobsDetail", ["@id", "JobId"]).unwrap();
    assert_eq!(
        rows(&ids, NESTED_XML.as_bytes(), &Options::default()),
        [
            some(&[Some("1"), Some("a")]),
            some(&[None, None]),
            some(&[None, Some("c")])
        ]
    );
}

#[test]
fn lists_of_every_shape() {
    let jobs = RecordSet::compile("JobsDetail", ["JobId"]).unwrap();
    let cases: &[(&str, &[Option<&str>])] = &[
        // No list, an empty list: no records.
        (r#"{"EventName": "X"}"#, &[]),
        (r#"{"JobsDetail": []}"#, &[]),
        ("<R><EventName>X</EventName></R>", &[]),
        // An object is a one-item list.
        (r#"{"JobsDetail": {"JobId": "a"}}"#, &[Some("a")]),
        // Items that are not objects are items without fields.
        (
            r#"{"JobsDetail": [1, null, "s", [], {"JobId": "b"}]}"#,
            &[None, None, None, None, Some("b")],
        ),
        (
            "<R><JobsDetail>text</JobsDetail><JobsDetail><JobId>b</JobId></JobsDetail></R>",
            &[None, Some("b")],
        ),
        // The wrapper is unwrapped; repeated keys add items, like repeated elements.
        (
            r#"{"Response": {"JobsDetail": [{"JobId": "a"}]}}"#,
            &[Some("a")],
        ),
        (
            r#"{"JobsDetail": {"JobId": "a"}, "X": 1, "JobsDetail": [{}, {"JobId": "c"}]}"#,
            &[Some("a"), None, Some("c")],
        ),
        (
            "<R><JobsDetail><JobId>a</JobId></JobsDetail><X/><JobsDetail/></R>",
            &[Some("a"), None],
        ),
        // A field nested deeper under another name of the same spelling is not the field.
        (
            r#"{"JobsDetail": [{"X": {"JobId": "deep"}}, {"JobId": "b"}]}"#,
            &[None, Some("b")],
        ),
    ];
    for (doc, want) in cases {
        for options in modes() {
            let got = rows(&jobs, doc.as_bytes(), &options);
            let want: Vec<_> = want.iter().map(|v| some(&[*v])).collect();
            assert_eq!(got, want, "{doc} {options:?}");
        }
    }
}

#[test]
fn compile_refuses_what_is_not_a_list_of_fields() {
    let err = |prefix: &str, fields: &[&str]| {
        let e = RecordSet::compile(prefix, fields).unwrap_err();
        (e.kind(), e.offset())
    };
    // Malformed prefix or field: the offset is into the text at fault.
    assert_eq!(err("JobsDetail..X", &["JobId"]), (ErrorKind::BadPath, 11));
    assert_eq!(
        err("JobsDetail", &["JobId", "Input..Object"]),
        (ErrorKind::BadPath, 6)
    );
    // A prefix that ends on an attribute is not a list.
    assert_eq!(err("JobsDetail.@id", &["JobId"]), (ErrorKind::BadPath, 11));
    assert_eq!(err("@id", &["JobId"]), (ErrorKind::BadPath, 0));
    // A field starts with a name.
    assert_eq!(err("JobsDetail", &["#"]), (ErrorKind::BadPath, 0));
    assert_eq!(err("JobsDetail", &["0.JobId"]), (ErrorKind::BadPath, 0));
    // At least one field.
    assert_eq!(err("JobsDetail", &[]), (ErrorKind::BadPath, 10));
    // Too many steps together, too many fields.
    // (Selectors are not steps: `JobsDetail.#` is one.)
    let deep = vec!["a"; wanxiang::path::MAX_STEPS].join(".");
    assert!(PathSet::compile([&deep]).is_ok());
    assert_eq!(err("JobsDetail", &[&deep]).0, ErrorKind::PathLimit);
    assert!(RecordSet::compile("JobsDetail.#", [&deep[2..]]).is_ok());
    let many: Vec<String> = (0..=wanxiang::path::MAX_PATHS)
        .map(|i| format!("f{i}"))
        .collect();
    assert_eq!(
        RecordSet::compile("J", &many).unwrap_err().kind(),
        ErrorKind::PathLimit
    );
    assert!(RecordSet::compile("J", &many[1..]).is_ok());
    // Escaped names are names, not selectors.
    let set = RecordSet::compile(r"A\.B", [r"\#"]).unwrap();
    assert_eq!(
        rows(&set, br##"{"A.B": [{"#": "h"}, {}]}"##, &Options::default()),
        [some(&[Some("h")]), some(&[None])]
    );
}

#[test]
fn handles_and_names_survive_reordering() {
    let doc = TWO_JOBS_JSON.as_bytes();
    for order in [["JobId", "State"], ["State", "JobId"]] {
        let mut b = RecordSet::builder("JobsDetail");
        let mut job_id = None;
        let mut state = None;
        for f in order {
            let id = b.field(f).unwrap();
            match f {
                "JobId" => job_id = Some(id),
                _ => state = Some(id),
            }
        }
        assert_eq!(
            b.field("JobId").unwrap(),
            job_id.unwrap(),
            "same text, same handle"
        );
        let set = b.build().unwrap();
        let mut slots = [Hit::EMPTY; 8];
        let records = set.extract(doc, &mut slots).unwrap();
        let second = records.get(1).unwrap();
        assert!(second.first(job_id.unwrap()).unwrap().text() == "j2");
        assert!(second.first(state.unwrap()).unwrap().text() == "Success");
        assert!(second.first_by_path("State").unwrap().text() == "Success");
        assert_eq!(second.all_by_path("JobId").count(), 1);
        assert_eq!(second.first_by_path("Nope"), None);
        assert_eq!(set.id("State"), state);
        assert_eq!(set.field(state.unwrap()), Some("State"));
        assert!(records.get(2).is_none());

        let mut p = PathSet::builder();
        let ids: Vec<_> = order
            .iter()
            .map(|f| p.add(&format!("JobsDetail.#.{f}")).unwrap())
            .collect();
        let paths = p.build().unwrap();
        let mut slots = [Hit::EMPTY; 8];
        let found = paths.extract(doc, &mut slots).unwrap();
        for (f, id) in order.iter().zip(&ids) {
            let want = if *f == "JobId" { "j1" } else { "Failed" };
            assert!(found.first(*id).unwrap().text() == want);
            assert_eq!(paths.id(&format!("JobsDetail.#.{f}")), Some(*id));
            // The index still works, and means the same path.
            assert_eq!(found.first(id.index()), found.first(*id));
        }
    }
    // A builder refuses a bad path when it is added, pointing into it.
    let mut b = RecordSet::builder("JobsDetail");
    assert_eq!(b.field("A..B").unwrap_err().offset(), 2);
    let mut p = PathSet::builder();
    assert_eq!(p.add("A.#.#").unwrap_err().offset(), 4);
}

#[test]
fn record_slots_are_sized_from_the_capacity_error() {
    let jobs = RecordSet::compile("JobsDetail", ["JobId", "State"]).unwrap();
    for doc in [TWO_JOBS_XML, TWO_JOBS_JSON] {
        // Two markers and four values.
        let mut slots = vec![Hit::EMPTY; 3];
        let e = jobs.extract(doc.as_bytes(), &mut slots).unwrap_err();
        assert_eq!(
            (e.kind(), e.needed(), e.offset()),
            (ErrorKind::Capacity, Some(6), 0)
        );
        slots.resize(e.needed().unwrap(), Hit::EMPTY);
        let records = jobs.extract(doc.as_bytes(), &mut slots).unwrap();
        assert_eq!(records.len(), 2);
        let mut grown = Vec::new();
        let again = jobs.extract_vec(doc.as_bytes(), &mut grown).unwrap();
        assert_eq!(format!("{again:?}"), format!("{records:?}"));
        assert_eq!(grown.len(), 6);
    }
}

/// The relative paths the corpus check reads per job.
const JOB_FIELDS: &[&str] = &[
    "JobId",
    "State",
    "Code",
    "Message",
    "Tag",
    "CreationTime",
    "EndTime",
    "Input.Object",
    "Operation.Output.Object",
    "Operation.UserData",
    "Operation.JobLevel",
    "Operation.MediaInfo.Format.Duration",
    "Workflow.WorkflowId",
    "Input.CosHeaders.#.Key",
    "Input.CosHeaders.#.Value",
    "@id",
];

fn same(a: Option<&Hit>, b: Option<Hit>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a.kind(), a.offset(), a.text()) == (b.kind(), b.offset(), b.text()),
        (None, None) => true,
        _ => false,
    }
}

/// Records over every valid corpus document agree with the typed view
/// (`Callback::jobs`, `Job::get`) and with plain paths that pick item `k`
/// by index, in both modes.
#[test]
fn records_agree_with_the_typed_view_over_the_corpus() {
    let mut docs = support::documents("xml", "valid");
    docs.extend(support::documents("json", "valid"));
    assert!(docs.len() >= 40, "corpus missing: {} documents", docs.len());
    let jobs = RecordSet::compile("JobsDetail", JOB_FIELDS).unwrap();
    let mut total_jobs = 0;
    let mut total_values = 0;
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        let cb = Callback::parse(&input).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        for options in modes() {
            let mut hits = Vec::new();
            let records = jobs
                .extract_vec_with(&input, &options, &mut hits)
                .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
            assert_eq!(records.len(), cb.job_count(), "{}", doc.display());
            // Plain paths that name each item by index: the engine's own answer.
            let by_index: Vec<String> = (0..records.len())
                .flat_map(|k| {
                    JOB_FIELDS
                        .iter()
                        .map(move |f| format!("JobsDetail.{k}.{f}"))
                })
                .collect();
            let mut plain_hits = Vec::new();
            let plain = if by_index.is_empty() {
                None
            } else {
                Some(PathSet::compile(by_index.chunks(128).next().unwrap()).unwrap())
            };
            let plain = plain.as_ref().map(|p| {
                p.extract_vec_with(&input, &options, &mut plain_hits)
                    .unwrap()
            });
            for (record, job) in records.iter().zip(cb.jobs()) {
                assert_eq!(record.offset(), job.offset(), "{}", doc.display());
                total_jobs += 1;
                for (i, field) in JOB_FIELDS.iter().enumerate() {
                    if jobs.is_multi(i) {
                        // Every value, against the typed view item by item.
                        let got: Vec<&Hit> = record.all(i).collect();
                        let plural = field.replace(".#.", ".{}.");
                        for (k, hit) in got.iter().enumerate() {
                            let want = job.get(&plural.replace("{}", &k.to_string())).unwrap();
                            assert!(
                                same(Some(hit), want),
                                "{} job {} {field} #{k}",
                                doc.display(),
                                record.index()
                            );
                        }
                        let past = job
                            .get(&plural.replace("{}", &got.len().to_string()))
                            .unwrap();
                        assert!(
                            past.is_none(),
                            "{} job {} {field}: values missing",
                            doc.display(),
                            record.index()
                        );
                        total_values += got.len();
                    } else {
                        let got = record.first(i);
                        assert!(
                            same(got, job.get(field).unwrap()),
                            "{} job {} {field}: {got:?}",
                            doc.display(),
                            record.index()
                        );
                        total_values += usize::from(got.is_some());
                        if let (Some(plain), true) =
                            (&plain, (record.index() + 1) * JOB_FIELDS.len() <= 128)
                        {
                            let want = plain.first(record.index() * JOB_FIELDS.len() + i).copied();
                            assert!(
                                same(got, want),
                                "{} job {} {field} by index",
                                doc.display(),
                                record.index()
                            );
                        }
                    }
                }
            }
            // Every workflow task, against the typed view.
            let tasks =
                RecordSet::compile("WorkflowExecution.Tasks", ["JobId", "State", "Tag"]).unwrap();
            let mut slots = [Hit::EMPTY; 256];
            let records = tasks.extract_with(&input, &options, &mut slots).unwrap();
            let typed: Vec<_> = cb
                .workflow()
                .map(|w| w.tasks().collect())
                .unwrap_or_default();
            assert_eq!(records.len(), typed.len(), "{}", doc.display());
            for (record, task) in records.iter().zip(&typed) {
                for (i, field) in ["JobId", "State", "Tag"].iter().enumerate() {
                    assert!(
                        same(record.first(i), task.get(field).unwrap()),
                        "{} task {field}",
                        doc.display()
                    );
                }
            }
            // Nested: the headers of every job, flattened in document order.
            let headers =
                RecordSet::compile("JobsDetail.#.Input.CosHeaders", ["Key", "Value"]).unwrap();
            let got = rows(&headers, &input, &options);
            let want: Vec<Vec<Option<String>>> = cb
                .jobs()
                .flat_map(|j| j.cos_headers().collect::<Vec<_>>())
                .map(|h| {
                    vec![
                        h.key.map(|t| t.to_cow().into_owned()),
                        h.value.map(|t| t.to_cow().into_owned()),
                    ]
                })
                .collect();
            assert_eq!(got, want, "{}", doc.display());
        }
    }
    // Not vacuous.
    assert!(total_jobs >= 80, "{total_jobs} jobs");
    assert!(total_values >= 400, "{total_values} values");
}

/// Records hold exactly what a plain `PathSet` of `PREFIX.#.FIELD` finds, in
/// the same order, cut into items; and on every proper prefix of a document
/// (all invalid) records fail with the same error as plain extraction.
#[test]
fn records_are_plain_extraction_cut_into_items_and_fail_alike() {
    let docs = support::valid_documents();
    assert!(docs.len() >= 40);
    let jobs = RecordSet::compile("JobsDetail", JOB_FIELDS).unwrap();
    let plain: Vec<String> = JOB_FIELDS
        .iter()
        .map(|f| format!("JobsDetail.#.{f}"))
        .collect();
    let plain = PathSet::compile(&plain).unwrap();
    let (mut cut, mut errors) = (0, 0);
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        for options in modes() {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let records = jobs.extract_vec_with(&input, &options, &mut a).unwrap();
            let found = plain.extract_vec_with(&input, &options, &mut b).unwrap();
            let flat: Vec<Hit> = records
                .iter()
                .flat_map(|r| r.hits().iter().copied())
                .collect();
            assert_eq!(flat, found.hits(), "{}", doc.display());
            cut += usize::from(records.len() > 1);
            // Truncated: the same verdict, error for error.
            for n in (0..input.len()).step_by(7) {
                let r = jobs
                    .extract_vec_with(&input[..n], &options, &mut a)
                    .map(|_| ());
                let p = plain
                    .extract_vec_with(&input[..n], &options, &mut b)
                    .map(|_| ());
                assert_eq!(r, p, "{} cut at {n}", doc.display());
                errors += usize::from(r.is_err());
            }
        }
    }
    assert!(cut >= 8, "{cut} runs with several records");
    assert!(errors >= 5000, "{errors} truncated inputs refused");
}
