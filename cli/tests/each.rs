//! `wanxiang extract --each PREFIX`: one line per item of a list, fields read
//! inside that item only, through the real binary.

mod support;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use support::*;

/// Two jobs, the first without `Operation.Output.Object`: pairing the lists
/// of plain paths by position gives j2's output to j1.
const TWO_JOBS_XML: &[u8] = b"<Response><EventName>TaskFinish</EventName>\
    <JobsDetail><JobId>j1</JobId><State>Failed</State></JobsDetail>\
    <JobsDetail><JobId>j2</JobId><State>Success</State>\
    <Operation><Output><Object>out/j2.pdf</Object></Output></Operation></JobsDetail></Response>";
const TWO_JOBS_JSON: &[u8] = br#"{"EventName": "TaskFinish", "JobsDetail": [
    {"JobId": "j1", "State": "Failed"},
    {"JobId": "j2", "State": "Success", "Operation": {"Output": {"Object": "out/j2.pdf"}}}]}"#;

#[test]
fn an_item_without_a_field_gets_null_not_the_next_items_value() {
    for (body, format) in [(TWO_JOBS_XML, "xml"), (TWO_JOBS_JSON, "json")] {
        // The plain lists: one JobId too many for the outputs.
        let plain = wanxiang(
            &[
                "extract",
                "-f",
                "JobsDetail.#.JobId,JobsDetail.#.Operation.Output.Object",
            ],
            Some(body),
        );
        assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
        assert_eq!(
            lines(&plain)[0]["fields"],
            json!({"JobsDetail.#.JobId": ["j1", "j2"],
                   "JobsDetail.#.Operation.Output.Object": ["out/j2.pdf"]})
        );
        let out = wanxiang(
            &[
                "extract",
                "--each",
                "JobsDetail",
                "-f",
                "JobId,State,Operation.Output.Object",
            ],
            Some(body),
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{format}: {}", stderr(&out));
        assert_eq!(
            lines(&out),
            [
                json!({"source": "-", "format": format, "item": 0, "fields":
                    {"JobId": "j1", "State": "Failed", "Operation.Output.Object": null}}),
                json!({"source": "-", "format": format, "item": 1, "fields":
                    {"JobId": "j2", "State": "Success", "Operation.Output.Object": "out/j2.pdf"}}),
            ],
            "{format}"
        );
        // The keys come out in a fixed order, the fields in the order given.
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!(
                r#"{{"source": "-", "format": "{format}", "item": 0, "fields": {{"JobId": "j1", "State": "Failed", "#
            )),
            "{text}"
        );
    }
}

#[test]
fn a_nested_prefix_gives_one_line_per_item_of_every_list() {
    // Two jobs with two and one headers; the second header has no Value.
    let body = br#"{"JobsDetail": [
        {"JobId": "a", "Input": {"CosHeaders": [{"Key": "k1", "Value": "v1"}, {"Key": "k2"}]}},
        {"JobId": "b"},
        {"JobId": "c", "Input": {"CosHeaders": [{"Key": "k3", "Value": "v3"}]}}]}"#;
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "JobsDetail.#.Input.CosHeaders",
            "-f",
            "Key,Value",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Vec<(Value, Value)> = lines(&out)
        .iter()
        .map(|l| (l["item"].clone(), l["fields"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (json!(0), json!({"Key": "k1", "Value": "v1"})),
            (json!(1), json!({"Key": "k2", "Value": null})),
            (json!(2), json!({"Key": "k3", "Value": "v3"})),
        ]
    );
    // The same over a corpus document in both formats (children unordered).
    for doc in [
        "corpus/xml/valid/unordered-children.xml",
        "corpus/json/valid/unordered-children.json",
    ] {
        let out = wanxiang(
            &[
                "extract",
                "--each",
                "JobsDetail.#.Input.CosHeaders",
                "-f",
                "Key,Value",
                doc,
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{doc}: {}", stderr(&out));
        let got: Vec<Value> = lines(&out).iter().map(|l| l["fields"].clone()).collect();
        assert_eq!(
            got,
            [
                json!({"Key": "k-b", "Value": "v-b"}),
                json!({"Key": "k-a", "Value": "v-a"})
            ],
            "{doc}"
        );
    }
}

#[test]
fn a_hash_field_gives_an_array_per_item() {
    let body = b"<R><JobsDetail><JobId>a</JobId><Input><CosHeaders><Key>k1</Key></CosHeaders>\
        <CosHeaders><Key>k2</Key></CosHeaders></Input></JobsDetail>\
        <JobsDetail><JobId>b</JobId></JobsDetail></R>";
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "JobsDetail",
            "-f",
            "JobId,Input.CosHeaders.#.Key",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Vec<Value> = lines(&out).iter().map(|l| l["fields"].clone()).collect();
    assert_eq!(
        got,
        [
            json!({"JobId": "a", "Input.CosHeaders.#.Key": ["k1", "k2"]}),
            json!({"JobId": "b", "Input.CosHeaders.#.Key": []}),
        ]
    );
}

#[test]
fn values_are_printed_as_plain_extract_prints_them() {
    // JSON null, a number, a container (raw text), an escaped string.
    let body = br#"{"JobsDetail": [{"JobId": null, "Code": 7, "Operation": {"A": [1, 2]}, "Message": "a\"b\u00e9"}]}"#;
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "JobsDetail",
            "-f",
            "JobId,Code,Operation,Message",
        ],
        Some(body),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&out)[0]["fields"],
        json!({"JobId": null, "Code": "7", "Operation": "{\"A\": [1, 2]}", "Message": "a\"bé"})
    );
}

#[test]
fn a_top_level_array_gives_one_line_per_item_and_other_documents_none() {
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "#",
            "-f",
            "id,eventType,data.api,data.tags.#,Missing",
            "tests/data/top-level-array/event-batch.json",
            "corpus/json/valid/seed.json",
            "corpus/xml/valid/seed.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 3, "{got:?}");
    let want = [
        ("5e1f0c2a-0001", "Storage.BlobCreated", "PutBlob", json!([])),
        (
            "5e1f0c2a-0002",
            "Storage.BlobDeleted",
            "DeleteBlob",
            json!([]),
        ),
        (
            "5e1f0c2a-0003",
            "Storage.BlobCreated",
            "PutBlob",
            json!(["x", "y"]),
        ),
    ];
    for (k, (line, (id, event, api, tags))) in got.iter().zip(want).enumerate() {
        assert_eq!(
            line,
            &json!({"source": "tests/data/top-level-array/event-batch.json", "format": "json",
                "item": k, "fields": {"id": id, "eventType": event, "data.api": api,
                "data.tags.#": tags, "Missing": null}})
        );
    }
    // A document that is not a top-level array on its own: no line, status 0.
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "#",
            "-f",
            "id",
            "corpus/json/valid/seed.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn a_prefix_that_matches_nothing_prints_no_line() {
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "WorkflowExecution.Tasks",
            "-f",
            "JobId",
            "corpus/xml/valid/seed.xml",
            "corpus/json/valid/workflow-finish-tasks.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out);
    assert!(!got.is_empty());
    assert!(
        got.iter()
            .all(|l| l["source"] == "corpus/json/valid/workflow-finish-tasks.json"),
        "{got:?}"
    );
}

#[test]
fn stream_lines_carry_the_document_index() {
    // Document 1 has no job: no line, but document 2 keeps its index.
    let stream = [
        &br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#[..],
        br#"{"EventName": "X"}"#,
        b"<R><JobsDetail><JobId>c</JobId></JobsDetail></R>",
    ]
    .join(&b'\n');
    let out = wanxiang(
        &["extract", "--stream", "--each", "JobsDetail", "-f", "JobId"],
        Some(&stream),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&out),
        [
            json!({"source": "-", "document": 0, "format": "json", "item": 0, "fields": {"JobId": "a"}}),
            json!({"source": "-", "document": 0, "format": "json", "item": 1, "fields": {"JobId": "b"}}),
            json!({"source": "-", "document": 2, "format": "xml", "item": 0, "fields": {"JobId": "c"}}),
        ]
    );
    // "document" sits where plain extract puts it: right after "source".
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(r#"{"source": "-", "document": 0, "format": "json", "item": 0, "#),
        "{text}"
    );
    let plain = wanxiang(&["extract", "--stream", "-f", "EventName"], Some(&stream));
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.starts_with(r#"{"source": "-", "document": 0, "format": "json", "#),
        "{plain}"
    );
}

#[test]
fn a_bad_document_fails_with_its_position_and_the_others_still_print() {
    let out = wanxiang(
        &[
            "extract",
            "--each",
            "JobsDetail",
            "-f",
            "JobId",
            "corpus/xml/valid/three-jobs.xml",
            "corpus/xml/invalid/mismatched-end-tag.xml",
            "corpus/json/valid/seed.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let sources: Vec<Value> = lines(&out).iter().map(|l| l["source"].clone()).collect();
    assert_eq!(
        sources,
        [
            "corpus/xml/valid/three-jobs.xml",
            "corpus/xml/valid/three-jobs.xml",
            "corpus/xml/valid/three-jobs.xml",
            "corpus/json/valid/seed.json",
        ]
    );
    let err = stderr(&out);
    let mut err_lines = err.lines();
    let first = err_lines.next().unwrap();
    assert!(
        first.starts_with(
            "corpus/xml/invalid/mismatched-end-tag.xml:1:52: error: end tag does not match"
        ),
        "{err}"
    );
    assert!(
        err_lines.next().unwrap().starts_with("  <Response>"),
        "{err}"
    );
    assert!(err_lines.next().unwrap().trim_end().ends_with('^'), "{err}");
    // In a stream: the bad document is placed, the others printed.
    let stream = b"{\"JobsDetail\": {\"JobId\": \"a\"}}\n{\"JobsDetail\": [tru]}\n{\"JobsDetail\": {\"JobId\": \"c\"}}\n";
    let out = wanxiang(
        &["extract", "--stream", "--each", "JobsDetail", "-f", "JobId"],
        Some(stream),
    );
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<(Value, Value)> = lines(&out)
        .iter()
        .map(|l| (l["document"].clone(), l["fields"]["JobId"].clone()))
        .collect();
    assert_eq!(got, [(json!(0), json!("a")), (json!(2), json!("c"))]);
    let err = stderr(&out);
    assert!(
        err.starts_with("-:2:17: error: document 1: invalid literal"),
        "{err}"
    );
}

#[test]
fn skim_strict_and_max_size_behave_as_for_plain_extract() {
    // An error after the first job: unseen with --skim and a one-item prefix.
    let broken = br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}], "X": [}"#;
    for (args, code) in [
        (
            &["extract", "--skim", "--each", "JobsDetail.0", "-f", "JobId"][..],
            0,
        ),
        (&["extract", "--each", "JobsDetail.0", "-f", "JobId"], 1),
        (&["extract", "--skim", "-f", "JobsDetail.0.JobId"], 0),
        (&["extract", "-f", "JobsDetail.0.JobId"], 1),
    ] {
        let out = wanxiang(args, Some(broken));
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    }
    let out = wanxiang(
        &["extract", "--skim", "--each", "JobsDetail.0", "-f", "JobId"],
        Some(broken),
    );
    assert_eq!(
        lines(&out),
        [json!({"source": "-", "format": "json", "item": 0, "fields": {"JobId": "a"}})]
    );
    // The seed's trailing comma.
    let seed = "corpus/json/valid/seed.json";
    let each = ["extract", "--each", "JobsDetail", "-f", "JobId"];
    let out = wanxiang(&[&each[..], &["--strict", seed]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).starts_with(&format!("{seed}:26:26: error: trailing comma")),
        "{}",
        stderr(&out)
    );
    let out = wanxiang(&[&each[..], &["--max-size", "100", seed]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("document too large"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_prefixes_and_relative_paths_are_usage_errors() {
    for (args, says) in [
        (
            &["extract", "--each", "a..b", "-f", "JobId"][..],
            "bad prefix `a..b` at column 3",
        ),
        (
            &["extract", "--each", "JobsDetail.@id", "-f", "JobId"],
            "bad prefix `JobsDetail.@id` at column 12",
        ),
        (&["extract", "--each", "", "-f", "JobId"], "bad prefix ``"),
        (
            &["extract", "--each", "JobsDetail", "-f", "JobId,#.State"],
            "bad path `#.State` at column 1",
        ),
        (
            &["extract", "--each", "JobsDetail", "-f", "0"],
            "bad path `0` at column 1",
        ),
        (
            &["extract", "--each", "JobsDetail", "-f", "a..b"],
            "bad path `a..b` at column 3",
        ),
        (&["extract", "--each", "JobsDetail"], "--fields"),
        (&["extract", "-f", "JobId", "--each"], "--each"),
    ] {
        let out = wanxiang(args, Some(b"{\"JobsDetail\": {\"JobId\": \"a\"}}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("--help"), "{args:?}: {err}");
        assert!(err.lines().count() <= 6, "{args:?}: {err}");
    }
    // Too many steps once the prefix is put before the field.
    let deep = vec!["a"; 20].join(".");
    let out = wanxiang(
        &[
            "extract",
            "--each",
            &format!("JobsDetail.{deep}"),
            "-f",
            &deep,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("steps with the prefix"),
        "{}",
        stderr(&out)
    );
}

/// For every valid corpus document, item k's fields are exactly what plain
/// `extract` gives for the same paths under `JobsDetail.k`, and the items are
/// the jobs the `jobs` command lists (same index, JobId and State).
#[test]
fn every_valid_document_agrees_with_plain_extract_and_with_jobs() {
    const RELATIVE: &[&str] = &[
        "JobId",
        "State",
        "Code",
        "Tag",
        "Operation.Output.Object",
        "Operation.UserData",
        "Operation",
        "Input.CosHeaders.#.Key",
        "Input.CosHeaders.#.Value",
        "Missing",
        "Missing.#.X",
    ];
    let docs = valid_documents();
    assert!(docs.len() >= 40, "{}", docs.len());
    let names: Vec<String> = docs.iter().map(|d| relative(d)).collect();
    let mut args = vec!["extract", "--each", "JobsDetail", "-f"];
    let list = RELATIVE.join(",");
    args.push(&list);
    args.extend(names.iter().map(String::as_str));
    let out = wanxiang(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let each = lines(&out);
    let jobs_args: Vec<&str> = std::iter::once("jobs")
        .chain(names.iter().map(String::as_str))
        .collect();
    let jobs = wanxiang(&jobs_args, None);
    assert_eq!(jobs.status.code(), Some(0), "{}", stderr(&jobs));
    let jobs = lines(&jobs);

    let mut by_doc: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for line in &each {
        by_doc
            .entry(line["source"].as_str().unwrap())
            .or_default()
            .push(line);
    }
    let mut items = 0;
    let mut failures = Vec::new();
    for name in &names {
        let got = by_doc.remove(name.as_str()).unwrap_or_default();
        items += got.len();
        // Items count from 0 in order.
        for (k, line) in got.iter().enumerate() {
            if line["item"] != k {
                failures.push(format!("{name}: line {k} has item {}", line["item"]));
            }
        }
        // The jobs command's jobs, in order.
        let want: Vec<(Value, Value, Value)> = jobs
            .iter()
            .filter(|l| l["source"] == name.as_str() && l["kind"] == "job")
            .map(|l| (l["index"].clone(), l["JobId"].clone(), l["State"].clone()))
            .collect();
        let have: Vec<(Value, Value, Value)> = got
            .iter()
            .map(|l| {
                (
                    l["item"].clone(),
                    l["fields"]["JobId"].clone(),
                    l["fields"]["State"].clone(),
                )
            })
            .collect();
        if have != want {
            failures.push(format!("{name}: --each {have:?}, jobs {want:?}"));
        }
        // Plain extract of the same paths under JobsDetail.k, one run for
        // every ten items of the document (a run takes at most 128 paths).
        for (chunk, lines_of) in got.chunks(10).enumerate() {
            let first = chunk * 10;
            let mut plain = Vec::new();
            for k in first..first + lines_of.len() {
                for rel in RELATIVE {
                    plain.push(format!("JobsDetail.{k}.{rel}"));
                }
            }
            let plain_list = plain.join(",");
            let out = wanxiang(&["extract", "-f", &plain_list, name], None);
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
            let fields = lines(&out).remove(0)["fields"].clone();
            for (k, line) in (first..).zip(lines_of) {
                for rel in RELATIVE {
                    let want = &fields[format!("JobsDetail.{k}.{rel}")];
                    let have = &line["fields"][*rel];
                    if have != want {
                        failures.push(format!("{name} item {k} {rel}: {have} want {want}"));
                    }
                }
            }
        }
    }
    assert!(by_doc.is_empty(), "lines of unknown sources: {by_doc:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most documents have jobs: the comparison is not vacuous.
    assert!(
        items >= docs.len(),
        "{items} items in {} documents",
        docs.len()
    );
}

#[test]
fn extract_help_describes_each() {
    let out = wanxiang(&["extract", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--each <PREFIX>",
        r#""item": K"#,
        "never\nanother item's value",
        "matches nothing prints\nno line",
        "every item of a top-level JSON array",
    ] {
        assert!(help.contains(needle), "{needle:?} not in:\n{help}");
    }
    let out = wanxiang(&["extract", "-h"], None);
    let short = String::from_utf8(out.stdout).unwrap();
    assert!(short.contains("--each <PREFIX>"), "{short}");
}
