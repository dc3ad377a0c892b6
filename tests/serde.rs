//! The `serde` feature: `Serialize` for values, errors and whole callbacks.
//!
//! Run with `cargo test --features serde --test serde` (without the feature
//! this file compiles to nothing).
//!
//! - Every XML/JSON twin of the corpus serializes to the same JSON, through
//!   `Callback` and through `OwnedCallback`.
//! - The serialized callback agrees with the hand-written `.expected` golden
//!   of every valid document on the standard paths (independent of the
//!   serializer's own code).
//! - Serializing allocates nothing (serde_json into a fixed buffer).
//! - An error serializes with its kind name, message and position.
#![cfg(feature = "serde")]

mod support;

use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde_json::{json, Value};
use support::counting::{measure, Counting};
use wanxiang::{Callback, Event, Format, Options, OwnedCallback, State, Text, Timestamp};

#[global_allocator]
static GLOBAL: Counting = Counting;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn to_json(cb: &Callback<'_>) -> String {
    serde_json::to_string(cb).unwrap()
}

/// The (XML, JSON) pairs of `corpus/{xml,json}/valid` with the same stem.
fn twins() -> Vec<(PathBuf, PathBuf)> {
    let json: Vec<PathBuf> = support::documents("json", "valid");
    support::documents("xml", "valid")
        .into_iter()
        .filter_map(|x| {
            let stem = x.file_stem()?.to_owned();
            let j = json.iter().find(|j| j.file_stem() == Some(&*stem))?;
            Some((x, j.clone()))
        })
        .collect()
}

#[test]
fn xml_and_json_twins_serialize_alike() {
    let twins = twins();
    // corpus/README.md lists 18 twins; a missing corpus must fail, not pass empty.
    assert!(twins.len() >= 18, "only {} twins found", twins.len());
    let mut failures = Vec::new();
    for (x, j) in &twins {
        let (xb, jb) = (read(x), read(j));
        let xs = to_json(&Callback::parse(&xb).unwrap());
        let js = to_json(&Callback::parse(&jb).unwrap());
        // Something was written: every twin has jobs or a workflow.
        let v: Value = serde_json::from_str(&xs).unwrap();
        assert!(
            v.get("JobsDetail").is_some() || v.get("WorkflowExecution").is_some(),
            "{}: {xs}",
            x.display()
        );
        if xs != js {
            failures.push(format!("{}\n  xml:  {xs}\n  json: {js}", x.display()));
        }
        // The owned form writes the same bytes.
        for (path, body) in [(x, xb), (j, jb)] {
            let owned = OwnedCallback::parse(Bytes::from(body)).unwrap();
            let os = serde_json::to_string(&owned).unwrap();
            if os != xs {
                failures.push(format!("{}: owned differs\n  {os}\n  {xs}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `JobsDetail[*].<field path>` of a serialized callback, like `JobsDetail.#.<path>`.
fn per_job(v: &Value, path: &[&str]) -> Value {
    let jobs = v.get("JobsDetail").and_then(Value::as_array);
    Value::Array(
        jobs.into_iter()
            .flatten()
            .filter_map(|job| path.iter().try_fold(job, |node, step| node.get(step)))
            .cloned()
            .collect(),
    )
}

#[test]
fn serialized_callbacks_agree_with_the_goldens() {
    // The goldens of `valid/` pin the standard paths (regressions pin their own).
    let mut docs = support::documents("xml", "valid");
    docs.extend(support::documents("json", "valid"));
    assert!(docs.len() >= 40, "only {} valid documents", docs.len());
    let mut failures = Vec::new();
    let mut compared = 0;
    for doc in &docs {
        let input = read(doc);
        let golden: Value = serde_json::from_slice(&read(&support::expected_of(doc))).unwrap();
        let v: Value = serde_json::from_str(&to_json(&Callback::parse(&input).unwrap())).unwrap();
        let headers = |field: &str| {
            Value::Array(
                per_job(&v, &["Input", "CosHeaders"])
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|hs| hs.as_array().unwrap().iter())
                    .filter_map(|h| h.get(field).cloned())
                    .collect(),
            )
        };
        let tasks = |field: &str| {
            let tasks = v
                .pointer("/WorkflowExecution/Tasks")
                .and_then(Value::as_array);
            Value::Array(
                tasks
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.get(field).cloned())
                    .collect(),
            )
        };
        let ours = [
            (
                "EventName",
                v.get("EventName").cloned().unwrap_or(Value::Null),
            ),
            ("JobsDetail.#.JobId", per_job(&v, &["JobId"])),
            ("JobsDetail.#.State", per_job(&v, &["State"])),
            ("JobsDetail.#.Code", per_job(&v, &["Code"])),
            ("JobsDetail.#.Tag", per_job(&v, &["Tag"])),
            (
                "JobsDetail.#.Operation.Output.Object",
                per_job(&v, &["Operation", "Output", "Object"]),
            ),
            (
                "JobsDetail.#.Operation.UserData",
                per_job(&v, &["Operation", "UserData"]),
            ),
            ("JobsDetail.#.Input.CosHeaders.#.Key", headers("Key")),
            ("JobsDetail.#.Input.CosHeaders.#.Value", headers("Value")),
            (
                "WorkflowExecution.RunId",
                v.pointer("/WorkflowExecution/RunId")
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
            ("WorkflowExecution.Tasks.#.JobId", tasks("JobId")),
            ("WorkflowExecution.Tasks.#.State", tasks("State")),
        ];
        for (path, got) in ours {
            let want = golden
                .get(path)
                .unwrap_or_else(|| panic!("{}: golden lacks {path}", doc.display()));
            compared += 1;
            if &got != want {
                failures.push(format!(
                    "{}: {path}: serialized {got}, golden {want}",
                    doc.display()
                ));
            }
        }
    }
    assert!(compared >= 12 * 40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A `std::io::Write` into a fixed buffer (never grows).
fn write_into(buf: &mut [u8], value: &impl serde::Serialize) -> usize {
    let total = buf.len();
    let mut rest = &mut buf[..];
    serde_json::to_writer(&mut rest, value).unwrap();
    total - rest.len()
}

#[test]
fn serializing_allocates_nothing() {
    // A counter that cannot count is no proof: check it sees an allocation.
    assert_eq!(measure(|| drop(std::hint::black_box(vec![1u8; 10]))).1, 1);
    let mut buf = vec![0u8; 1 << 20];
    let mut checked = 0;
    for doc in support::valid_documents() {
        let input = read(&doc);
        let cb = Callback::parse(&input).unwrap();
        let (len, allocations, _) = measure(|| write_into(&mut buf, &cb));
        assert_eq!(allocations, 0, "{}", doc.display());
        assert_eq!(&buf[..len], to_json(&cb).as_bytes(), "{}", doc.display());

        // The owned form: clone the body once first, so `bytes` has made
        // its shared header (documented on `OwnedCallback`).
        let owned = OwnedCallback::parse(Bytes::from(input.clone())).unwrap();
        drop(owned.clone());
        let (olen, allocations, _) = measure(|| write_into(&mut buf, &owned));
        assert_eq!(allocations, 0, "owned {}", doc.display());
        assert_eq!(olen, len, "{}", doc.display());
        checked += 1;
    }
    assert!(checked >= 40);
}

#[test]
fn errors_serialize_with_kind_message_and_position() {
    let docs = support::invalid_documents();
    assert!(docs.len() >= 40, "only {} invalid documents", docs.len());
    for doc in docs {
        let input = read(&doc);
        let expected = std::fs::read_to_string(support::expected_of(&doc)).unwrap();
        // `KIND OFFSET [strict]`: some documents are only rejected in strict mode.
        let strict = expected.split_whitespace().nth(2) == Some("strict");
        let options = Options::new().with_strict(strict);
        let e = Callback::parse_with(&input, &options).unwrap_err();
        let v: Value = serde_json::to_value(e).unwrap();
        assert_eq!(
            v,
            json!({
                "kind": e.kind().name(),
                "message": e.kind().to_string(),
                "offset": e.offset(),
                "line": e.line(),
                "column": e.column(),
            }),
            "{}",
            doc.display()
        );
        // The kind name is the `.expected` variant name in snake_case.
        let variant = expected.split_whitespace().next().unwrap();
        let snake: String = variant
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                sep.into_iter().chain([c.to_ascii_lowercase()])
            })
            .collect();
        if e.kind() == wanxiang::ErrorKind::ItemLimit || variant.starts_with("Value") {
            continue;
        }
        assert_eq!(v["kind"], snake.as_str(), "{}", doc.display());
    }
    // A typed-value error and a JSON error, spelled out.
    let e = Timestamp::parse("2022-13-01T00:00:00Z").unwrap_err();
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"kind": "value_month", "message": "timestamp month out of range (expected 01 to 12)",
               "offset": 5, "line": 1, "column": 6})
    );
    let e = Callback::parse(b"{\n  \"a\" 1}").unwrap_err();
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"kind": "unexpected_byte", "message": "unexpected character (expected `:`)",
               "offset": 8, "line": 2, "column": 7})
    );
}

#[test]
fn values_serialize_as_strings() {
    let t = Timestamp::parse("2022-07-25T16:35:39+0800")
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::to_value(t).unwrap(),
        "2022-07-25T16:35:39+08:00"
    );
    let z = Timestamp::parse("2022-07-25 08:35:39Z").unwrap().unwrap();
    assert_eq!(
        serde_json::to_value(z).unwrap(),
        "2022-07-25T08:35:39+00:00"
    );
    assert_eq!(serde_json::to_value(Format::Xml).unwrap(), "xml");
    assert_eq!(serde_json::to_value(Format::Json).unwrap(), "json");
    assert_eq!(serde_json::to_value(State::Failed).unwrap(), "Failed");
    assert_eq!(
        serde_json::to_value(Event::WorkflowFinish).unwrap(),
        "WorkflowFinish"
    );

    // Decoded text, also for values that are not known names.
    let body = br#"<Response><EventName>Review&#x49;mage</EventName><JobsDetail>
        <State>Odd &amp; "new"</State><JobId><![CDATA[j<1>]]></JobId>
        <EndTime>2022-07-25T16:35:43+0800</EndTime></JobsDetail></Response>"#;
    let cb = Callback::parse(body).unwrap();
    assert_eq!(
        serde_json::to_value(cb.event().unwrap()).unwrap(),
        "ReviewImage"
    );
    let job = cb.jobs().next().unwrap();
    assert_eq!(
        serde_json::to_value(job.state().unwrap()).unwrap(),
        r#"Odd & "new""#
    );
    assert_eq!(serde_json::to_value(job.job_id().unwrap()).unwrap(), "j<1>");
    assert_eq!(serde_json::to_value(Text::plain("x")).unwrap(), "x");
    assert_eq!(
        serde_json::to_value(cb).unwrap(),
        json!({"EventName": "ReviewImage", "JobsDetail": [{
            "JobId": "j<1>", "State": "Odd & \"new\"", "EndTime": "2022-07-25T16:35:43+0800"}]})
    );
}

#[test]
fn workflow_headers_tasks_and_containers() {
    let body = br#"{"EventName": "WorkflowFinish", "WorkflowExecution": {
        "RunId": "r1", "Object": "in.mp4", "State": "Success",
        "CosHeaders": [{"Key": "k1", "Value": "v1"}, {"Key": "k2"}],
        "Tasks": [{"Type": "Snapshot", "JobId": "t1", "State": "Success", "JobLevel": null,
                   "ResultInfo": {"ObjectCount": 2}, "Code": ""}]},
        "JobsDetail": []}"#;
    let want = json!({"EventName": "WorkflowFinish", "WorkflowExecution": {
        "RunId": "r1", "State": "Success", "Object": "in.mp4",
        "CosHeaders": [{"Key": "k1", "Value": "v1"}, {"Key": "k2"}],
        "Tasks": [{"Type": "Snapshot", "State": "Success", "JobId": "t1", "Code": ""}]}});
    let cb = Callback::parse(body).unwrap();
    assert_eq!(serde_json::to_value(cb).unwrap(), want);
    let owned = OwnedCallback::parse(Bytes::from_static(body)).unwrap();
    assert_eq!(serde_json::to_value(&owned).unwrap(), want);
    assert_eq!(
        serde_json::to_value(owned.task(0).unwrap()).unwrap(),
        want["WorkflowExecution"]["Tasks"][0]
    );
    // Key order follows the schema, not the document.
    let s = serde_json::to_string(&cb).unwrap();
    assert!(s.find("\"RunId\"").unwrap() < s.find("\"State\"").unwrap());
}
