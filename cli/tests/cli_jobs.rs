//! `wanxiang jobs` and `wanxiang check` through the real binary.

mod support;

use std::path::PathBuf;

use serde_json::{json, Value};
use support::*;

/// Valid corpus documents (regression directories may hold invalid ones too),
/// as paths relative to the repository root.
fn valid() -> Vec<PathBuf> {
    valid_documents()
        .into_iter()
        .filter(|d| {
            let spec = std::fs::read(expected_of(d)).unwrap_or_default();
            serde_json::from_slice::<Value>(&spec).is_ok_and(|v| v.is_object())
        })
        .map(|d| PathBuf::from(relative(&d)))
        .collect()
}

#[test]
fn seed_job_line_has_every_field() {
    let out = wanxiang(
        &[
            "jobs",
            "corpus/xml/valid/seed.xml",
            "corpus/json/valid/seed.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty());
    let job = json!({
        "event": "TaskFinish", "kind": "job", "index": 0,
        "JobId": "ac34be3aa0bf411ed9ce39d7cc972e427", "Tag": "Translation", "State": "Success",
        "Code": "Success", "Message": "Success",
        "CreationTime": "2022-07-25T16:35:39+0800", "CreationTimeUnix": 1_658_738_139,
        "StartTime": "2022-07-25T16:35:39+0800", "StartTimeUnix": 1_658_738_139,
        "EndTime": "2022-07-25T16:35:43+0800", "EndTimeUnix": 1_658_738_143,
        "InputObject": "input/en.pdf", "OutputObject": "output/zh.pdf",
        "UserData": "This is my Translation job.", "QueueId": "pbde29b842b1b4e2ea4f0b20d264fcec2",
        "WorkflowId": null, "RunId": null, "WorkflowName": null, "WorkflowNode": null,
    });
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    for (line, (source, format)) in got.iter().zip([
        ("corpus/xml/valid/seed.xml", "xml"),
        ("corpus/json/valid/seed.json", "json"),
    ]) {
        let mut want = job.clone();
        want["source"] = json!(source);
        want["format"] = json!(format);
        assert_eq!(line, &want);
    }
    // Keys keep a fixed order.
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(r#"{"source": "corpus/xml/valid/seed.xml", "format": "xml", "event": "TaskFinish", "kind": "job", "index": 0, "JobId": "#));
}

#[test]
fn every_document_gives_its_expected_job_ids_and_states() {
    let docs = valid();
    assert!(docs.len() >= 40);
    let args: Vec<&str> = std::iter::once("jobs")
        .chain(docs.iter().map(|d| d.to_str().unwrap()))
        .collect();
    let out = wanxiang(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = lines(&out);
    let mut failures = Vec::new();
    for doc in &docs {
        let source = doc.to_str().unwrap();
        let expected: Value =
            serde_json::from_slice(&std::fs::read(root().join(expected_of(doc))).unwrap()).unwrap();
        let of = |kind: &str, key: &str| -> Value {
            Value::Array(
                all.iter()
                    .filter(|l| l["source"] == source && l["kind"] == kind && !l[key].is_null())
                    .map(|l| l[key].clone())
                    .collect(),
            )
        };
        for (kind, key, path) in [
            ("job", "JobId", "JobsDetail.#.JobId"),
            ("job", "State", "JobsDetail.#.State"),
            ("job", "Code", "JobsDetail.#.Code"),
            ("job", "Tag", "JobsDetail.#.Tag"),
            (
                "job",
                "OutputObject",
                "JobsDetail.#.Operation.Output.Object",
            ),
            ("job", "UserData", "JobsDetail.#.Operation.UserData"),
            ("task", "JobId", "WorkflowExecution.Tasks.#.JobId"),
            ("task", "State", "WorkflowExecution.Tasks.#.State"),
        ] {
            // Regression files pin only the paths their bug was about.
            if expected.get(path).is_none() {
                continue;
            }
            if of(kind, key) != expected[path] {
                failures.push(format!(
                    "{source}: {path}: got {} want {}",
                    of(kind, key),
                    expected[path]
                ));
            }
        }
        // Every line names the document's event.
        for l in all.iter().filter(|l| l["source"] == source) {
            if expected.get("EventName").is_some() && l["event"] != expected["EventName"] {
                failures.push(format!(
                    "{source}: event {} want {}",
                    l["event"], expected["EventName"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn xml_and_json_twins_print_the_same_records() {
    let mut pairs = 0;
    for xml in documents("xml", "valid") {
        let json = xml.with_extension("json");
        let json = corpus().join("json/valid").join(json.file_name().unwrap());
        if !json.exists() {
            continue;
        }
        pairs += 1;
        let run = |p: &PathBuf| {
            let out = wanxiang(&["jobs", "-"], Some(&std::fs::read(p).unwrap()));
            assert_eq!(out.status.code(), Some(0));
            let mut v = lines(&out);
            for l in &mut v {
                l.as_object_mut().unwrap().remove("format");
            }
            v
        };
        assert_eq!(run(&xml), run(&json), "{}", xml.display());
    }
    assert!(pairs >= 10);
}

#[test]
fn workflow_tasks_get_one_line_each() {
    let out = wanxiang(
        &["jobs", "corpus/xml/valid/workflow-finish-tasks.xml"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let got = lines(&out);
    let summary: Vec<_> = got
        .iter()
        .map(|l| {
            (
                l["kind"].clone(),
                l["index"].clone(),
                l["JobId"].clone(),
                l["State"].clone(),
                l["Tag"].clone(),
                l["EndTimeUnix"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                json!("task"),
                json!(0),
                json!("j1aaaaaaa152911ecb1935254002d7f1a"),
                json!("Success"),
                json!("Snapshot"),
                json!(1_660_089_609)
            ),
            (
                json!("task"),
                json!(1),
                json!("j2bbbbbbb152911ecb1935254002d7f1a"),
                json!("Failed"),
                json!("Transcode"),
                json!(1_660_089_700)
            ),
            (
                json!("task"),
                json!(2),
                json!("j3ccccccc152911ecb1935254002d7f1a"),
                json!("Cancel"),
                json!("Animation"),
                json!(null)
            ),
        ]
    );
    assert_eq!(got[2]["EndTime"], "-");
    assert_eq!(got[0]["WorkflowId"], "w0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    assert_eq!(got[0]["RunId"], "i11111111152911ecb1935254002d7f1a");
    assert_eq!(got[0]["WorkflowNode"], "Snapshot_1581665960001");
    assert_eq!(got[0]["InputObject"], "uploads/clip.mov");
    // A job a workflow started carries the workflow ids.
    let out = wanxiang(&["jobs", "corpus/json/valid/workflow-two-jobs.json"], None);
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1]["RunId"], "ief9d4b8a179b11ed8ecb525400e26999");
    assert_eq!(got[1]["WorkflowNode"], "Translation_1581665960538");
}

#[test]
fn stdin_is_the_default_and_dash() {
    let doc = std::fs::read(corpus().join("json/valid/seed.json")).unwrap();
    for args in [&["jobs"][..], &["jobs", "-"]] {
        let out = wanxiang(args, Some(&doc));
        assert_eq!(out.status.code(), Some(0));
        let got = lines(&out);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["source"], "-");
        assert_eq!(got[0]["JobId"], "ac34be3aa0bf411ed9ce39d7cc972e427");
    }
}

#[test]
fn a_bad_document_fails_and_the_others_still_print() {
    let out = wanxiang(
        &[
            "jobs",
            "corpus/xml/valid/seed.xml",
            "corpus/xml/invalid/mismatched-end-tag.xml",
            "corpus/no-such-file.xml",
            "corpus/json/valid/three-jobs.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 4);
    let err = stderr(&out);
    let mut err_lines = err.lines();
    assert_eq!(
        err_lines.next().unwrap(),
        "corpus/xml/invalid/mismatched-end-tag.xml:1:52: error: end tag does not match the open element"
    );
    assert!(err_lines.next().unwrap().starts_with("  <Response>"));
    assert!(err_lines.next().unwrap().trim_end().ends_with('^'));
    assert!(err_lines
        .next()
        .unwrap()
        .starts_with("corpus/no-such-file.xml: error: cannot read"));
}

#[test]
fn an_invalid_timestamp_prints_null_and_a_warning() {
    let doc = b"<Response><JobsDetail><JobId>a</JobId>\n<EndTime>2022-02-30T00:00:00+0800</EndTime></JobsDetail></Response>";
    let out = wanxiang(&["jobs"], Some(doc));
    assert_eq!(out.status.code(), Some(0));
    let got = lines(&out);
    assert_eq!(got[0]["EndTime"], "2022-02-30T00:00:00+0800");
    assert_eq!(got[0]["EndTimeUnix"], Value::Null);
    assert_eq!(
        stderr(&out),
        "-:2:18: warning: timestamp day out of range (expected a day of that month)\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["jobs", "-f", "JobId"][..],
        &["jobs", "--skim"],
        &["check", "--skim"],
        &["check", "-f", "a"],
        &["jobs", "--bogus"],
    ] {
        let out = wanxiang(args, Some(b"{}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn check_passes_every_valid_document_silently() {
    let docs = valid();
    let args: Vec<&str> = std::iter::once("check")
        .chain(docs.iter().map(|d| d.to_str().unwrap()))
        .collect();
    let out = wanxiang(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn check_reports_every_invalid_document_with_its_position() {
    let mut docs = documents("xml", "invalid");
    docs.extend(documents("json", "invalid"));
    let mut failures = Vec::new();
    for doc in docs {
        let spec = std::fs::read_to_string(expected_of(&doc)).unwrap();
        let strict = spec.split_whitespace().nth(2) == Some("strict");
        let rel = relative(&doc);
        let mut args = vec!["check", "corpus/xml/valid/seed.xml", &rel];
        if strict {
            args.insert(1, "--strict");
        }
        let out = wanxiang(&args, None);
        let input = std::fs::read(&doc).unwrap();
        let e = wanxiang::Callback::parse_with(&input, &wanxiang::Options::new().strict(strict))
            .unwrap_err();
        let want = format!("{rel}:{}:{}: error: {}", e.line(), e.column(), e.kind());
        let err = stderr(&out);
        if out.status.code() != Some(1) || err.lines().next() != Some(want.as_str()) {
            failures.push(format!(
                "{rel}: got {:?} {err:?}, want {want:?}",
                out.status.code()
            ));
        }
        // What follows is the excerpt: indented, with one caret.
        for l in err.lines().skip(1) {
            if !l.starts_with("  ") {
                failures.push(format!("{rel}: stray line {l:?}"));
            }
        }
        if err.lines().count() == 3 && err.lines().nth(2).unwrap().matches('^').count() != 1 {
            failures.push(format!("{rel}: caret line {err:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_excerpts_place_the_caret_under_the_error() {
    // A short line: shown whole.
    let out = wanxiang(&["check"], Some(b"{\n  \"a\": tru\n}"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "-:2:8: error: invalid literal (expected true, false or null)\n    \"a\": tru\n         ^\n"
    );
    // A long line: a window around the error, marked as cut on both sides.
    let mut doc = String::from("{\"EventName\": \"TaskFinish\", \"UserData\": \"");
    doc.push_str(&"x".repeat(200));
    doc.push_str("\", \"Bad\": 01, \"More\": \"");
    doc.push_str(&"y".repeat(200));
    doc.push_str("\"}");
    let out = wanxiang(&["check"], Some(doc.as_bytes()));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    let col = doc.find("01").unwrap() + 1;
    assert_eq!(lines[0], format!("-:1:{col}: error: invalid number"));
    assert!(
        lines[1].starts_with("  …") && lines[1].ends_with('…'),
        "{err}"
    );
    assert!(lines[1].chars().count() <= 80, "{err}");
    let caret = lines[2].chars().count() - 1;
    assert_eq!(lines[1].chars().nth(caret), Some('0'), "{err}");
    // Wide characters before the error take two columns.
    let out = wanxiang(&["check"], Some("{\"a\": \"中文\" x}".as_bytes()));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[2], format!("  {}^", " ".repeat(13)), "{err}");
}
