//! The typed view (`Callback`, `Job`, `Workflow`, `Task`, `OwnedCallback`)
//! against the path layer: every corpus document through both, field by
//! field, job by job and task by task; plus the `.expected` files as an
//! independent referee for JobId and State, the invalid corpus (same error
//! as the path layer), timestamps, `JobLevel`, events, the JSON wrapper rule,
//! limits, raw paths, and the owned form crossing a thread.

mod support;

use std::path::Path;

use bytes::Bytes;
use serde_json::Value;
use support::*;
use wanxiang::{
    Callback, ErrorKind, Event, Format, Hit, JobField, Kind, Limits, Options, OwnedCallback,
    PathSet, State, TaskField, Text, Timestamp, Validation, ValueErrorKind, WorkflowField,
};
use wanxiang_properties as properties;

/// What the path layer gives for one path: the first value, as (kind, offset, text).
fn first(doc: &[u8], path: &str) -> Option<(Kind, usize, String, bool)> {
    let set = PathSet::compile([path]).unwrap();
    let mut out = None;
    set.visit(doc, &Options::default(), |h| {
        if out.is_none() {
            out = Some(shape(&h));
        }
    })
    .unwrap();
    out
}

/// How many values the path layer gives for a path.
fn count(doc: &[u8], path: &str) -> usize {
    let set = PathSet::compile([path]).unwrap();
    let mut n = 0;
    set.visit(doc, &Options::default(), |_| n += 1).unwrap();
    n
}

fn shape(h: &Hit<'_>) -> (Kind, usize, String, bool) {
    (
        h.kind(),
        h.offset(),
        h.text().raw().to_string(),
        h.text().needs_decoding(),
    )
}

/// The valid documents (regression directories may also hold invalid ones,
/// whose `.expected` is an error line rather than a JSON object).
fn typed_documents() -> Vec<std::path::PathBuf> {
    valid_documents()
        .into_iter()
        .filter(|d| {
            let spec = std::fs::read(expected_of(d)).unwrap_or_default();
            serde_json::from_slice::<Value>(&spec).is_ok_and(|v| v.is_object())
        })
        .collect()
}

fn name(doc: &Path) -> String {
    doc.display().to_string()
}

/// Extra raw paths tried through `get` on every job (relative to the job).
const JOB_PATHS: &[&str] = &[
    "JobId",
    "Operation",
    "Operation.MediaInfo.Format.Duration",
    "Operation.MediaResult.OutputFile.ObjectName",
    "Operation.MediaResult.OutputFile.ObjectName.1",
    "Operation.MediaResult.OutputFile.Md5Info.#.Md5",
    "Input.CosHeaders.#.Key",
    "Input.CosHeaders.1.Value",
    "Input.CosHeaders.#.Nope",
    "@id",
    "@note",
    "JobId.@type",
    "Operation.Output.@region",
    "Progress",
    "Operation.Output.Size",
    "Operation.Flags",
    "Operation.Flags.2",
    "Label",
    "AdsInfo.OcrResults.#.Keywords.1",
    "UserInfo.Nickname",
    "Note",
    "WordsGeneralizeLable",
    "Operation.WordsGeneralizeResult.WordsGeneralizeLable.#.Category",
];

#[test]
fn every_valid_document_agrees_with_the_path_layer() {
    let docs = typed_documents();
    assert!(docs.len() >= 40, "corpus is missing");
    let mut checked_jobs = 0;
    let mut checked_tasks = 0;
    for path in &docs {
        let doc = std::fs::read(path).unwrap();
        let cb = Callback::parse(&doc).unwrap_or_else(|e| panic!("{}: {e}", name(path)));
        let ctx = name(path);

        // The event.
        let event = first(&doc, "EventName");
        assert_eq!(
            cb.get("EventName").unwrap().map(|h| shape(&h)),
            event,
            "{ctx}"
        );
        let want = event
            .as_ref()
            .filter(|e| e.0 != Kind::Null)
            .map(|_| cb.event_name().unwrap());
        assert_eq!(cb.event_name(), want, "{ctx}");

        // The jobs: as many as `JobsDetail.#` items, each at its item's offset.
        let n = count(&doc, "JobsDetail.#");
        assert_eq!(cb.job_count(), n, "{ctx}");
        assert_eq!(cb.jobs().len(), n, "{ctx}");
        let jobs: Vec<_> = cb.jobs().collect();
        assert_eq!(jobs.len(), n, "{ctx}");
        for (k, job) in jobs.iter().enumerate() {
            let at = |p: &str| first(&doc, &format!("JobsDetail.{k}.{p}"));
            let item = first(&doc, &format!("JobsDetail.{k}")).unwrap();
            if item.0 == Kind::Container {
                assert_eq!(job.offset(), item.1, "{ctx} job {k}");
                assert_eq!(job.raw(), item.2.as_bytes(), "{ctx} job {k}");
            }
            for &f in JobField::ALL {
                let want = at(f.path());
                assert_eq!(
                    job.field(f).map(|h| shape(&h)),
                    want,
                    "{ctx} job {k} {}",
                    f.path()
                );
                let want_text = want.filter(|w| w.0 != Kind::Null);
                assert_eq!(
                    job.text(f).map(|t| t.raw().to_string()),
                    want_text.map(|w| w.2),
                    "{ctx} job {k} {}",
                    f.path()
                );
            }
            assert_eq!(
                job.state(),
                job.text(JobField::State).map(State::from_text),
                "{ctx}"
            );
            for p in JOB_PATHS {
                assert_eq!(
                    job.get(p).unwrap().map(|h| shape(&h)),
                    at(p),
                    "{ctx} job {k} get({p})"
                );
            }
            // CosHeaders: one header per `Input.CosHeaders` item of the first Input.
            let headers: Vec<_> = job.cos_headers().collect();
            assert_eq!(
                headers.len(),
                count(&doc, &format!("JobsDetail.{k}.Input.CosHeaders.#")),
                "{ctx} job {k}"
            );
            for (h, header) in headers.iter().enumerate() {
                for (part, got) in [("Key", header.key), ("Value", header.value)] {
                    let want = at(&format!("Input.CosHeaders.{h}.{part}"))
                        .filter(|w| w.0 != Kind::Null)
                        .map(|w| w.2);
                    assert_eq!(
                        got.map(|t| t.raw().to_string()),
                        want,
                        "{ctx} job {k} header {h}"
                    );
                }
            }
            checked_jobs += 1;
        }

        // The workflow and its tasks.
        let wf_item = first(&doc, "WorkflowExecution");
        assert_eq!(cb.workflow().is_some(), wf_item.is_some(), "{ctx}");
        if let Some(wf) = cb.workflow() {
            for &f in WorkflowField::ALL {
                assert_eq!(
                    wf.field(f).map(|h| shape(&h)),
                    first(&doc, &format!("WorkflowExecution.{}", f.path())),
                    "{ctx} workflow {}",
                    f.path()
                );
            }
            let n = count(&doc, "WorkflowExecution.Tasks.#");
            assert_eq!(wf.task_count(), n, "{ctx}");
            let tasks: Vec<_> = wf.tasks().collect();
            assert_eq!(tasks.len(), n, "{ctx}");
            for (t, task) in tasks.iter().enumerate() {
                for &f in TaskField::ALL {
                    assert_eq!(
                        task.field(f).map(|h| shape(&h)),
                        first(&doc, &format!("WorkflowExecution.Tasks.{t}.{}", f.path())),
                        "{ctx} task {t} {}",
                        f.path()
                    );
                }
                checked_tasks += 1;
            }
            let headers: Vec<_> = wf.cos_headers().collect();
            assert_eq!(
                headers.len(),
                count(&doc, "WorkflowExecution.CosHeaders.#"),
                "{ctx}"
            );
            for (h, header) in headers.iter().enumerate() {
                let want = first(&doc, &format!("WorkflowExecution.CosHeaders.{h}.Key"));
                assert_eq!(
                    header.key.map(|t| t.raw().to_string()),
                    want.map(|w| w.2),
                    "{ctx}"
                );
            }
        }
    }
    assert!(
        checked_jobs >= 40 && checked_tasks >= 8,
        "{checked_jobs} jobs, {checked_tasks} tasks"
    );
}

/// Decoded values of a typed-view listing, as the `.expected` files write them.
fn decoded<'a>(texts: impl Iterator<Item = Option<Text<'a>>>) -> Value {
    Value::Array(
        texts
            .flatten()
            .map(|t| Value::String(t.to_cow().into_owned()))
            .collect(),
    )
}

#[test]
fn job_ids_and_states_match_the_hand_written_expected_files() {
    for path in typed_documents() {
        let doc = std::fs::read(&path).unwrap();
        let expected: Value =
            serde_json::from_slice(&std::fs::read(expected_of(&path)).unwrap()).unwrap();
        // Regression files pin only the paths their bug was about.
        if expected.get("JobsDetail.#.JobId").is_none() {
            continue;
        }
        let cb = Callback::parse(&doc).unwrap();
        let ctx = name(&path);
        let jobs: Vec<_> = cb.jobs().collect();
        // `JobsDetail.#.X` lists the X of every job that has one.
        let texts = |f: JobField| decoded(jobs.iter().map(|j| j.text(f)).filter(Option::is_some));
        assert_eq!(
            texts(JobField::JobId),
            expected["JobsDetail.#.JobId"],
            "{ctx}"
        );
        assert_eq!(
            texts(JobField::State),
            expected["JobsDetail.#.State"],
            "{ctx}"
        );
        assert_eq!(
            texts(JobField::Code),
            expected["JobsDetail.#.Code"],
            "{ctx}"
        );
        assert_eq!(texts(JobField::Tag), expected["JobsDetail.#.Tag"], "{ctx}");
        assert_eq!(
            texts(JobField::UserData),
            expected["JobsDetail.#.Operation.UserData"],
            "{ctx}"
        );
        let event = cb
            .event_name()
            .map(|t| Value::String(t.to_cow().into_owned()));
        assert_eq!(event.unwrap_or(Value::Null), expected["EventName"], "{ctx}");
        let tasks: Vec<_> = cb
            .workflow()
            .map(|w| w.tasks().collect())
            .unwrap_or_default();
        let task_texts = |f: TaskField| decoded(tasks.iter().map(|t| t.text(f)));
        assert_eq!(
            task_texts(TaskField::JobId),
            expected["WorkflowExecution.Tasks.#.JobId"],
            "{ctx}"
        );
        assert_eq!(
            task_texts(TaskField::State),
            expected["WorkflowExecution.Tasks.#.State"],
            "{ctx}"
        );
    }
}

#[test]
fn invalid_documents_give_the_path_layers_error() {
    let mut docs = documents("xml", "invalid");
    docs.extend(documents("json", "invalid"));
    assert!(docs.len() >= 40);
    let typed = typed_documents();
    docs.extend(valid_documents().into_iter().filter(|d| !typed.contains(d)));
    for path in docs {
        let doc = std::fs::read(&path).unwrap();
        let spec = std::fs::read_to_string(expected_of(&path)).unwrap();
        let mut words = spec.split_whitespace();
        let kind = words.next().unwrap();
        let offset: usize = words.next().unwrap().parse().unwrap();
        let strict = words.next() == Some("strict");
        let options = Options::new().strict(strict);
        let e = Callback::parse_with(&doc, &options).unwrap_err();
        assert_eq!(
            (kind_name(e.kind()), e.offset()),
            (kind.to_string(), offset),
            "{}",
            name(&path)
        );
        // Skim is not a way around the check.
        let skim = options.validation(Validation::Skim);
        assert_eq!(
            Callback::parse_with(&doc, &skim).unwrap_err(),
            e,
            "{}",
            name(&path)
        );
        assert_eq!(
            OwnedCallback::parse_with(Bytes::from(doc.clone()), &options).unwrap_err(),
            e
        );
    }
}

#[test]
fn the_owned_form_gives_the_borrowed_answers() {
    for path in typed_documents() {
        let doc = std::fs::read(&path).unwrap();
        let cb = Callback::parse(&doc).unwrap();
        let owned = OwnedCallback::parse(Bytes::from(doc.clone())).unwrap();
        let ctx = name(&path);
        assert_eq!(owned.format(), cb.format());
        assert_eq!(owned.event(), cb.event(), "{ctx}");
        assert_eq!(owned.view(), cb, "{ctx}");
        assert_eq!(
            owned.event_bytes().as_deref(),
            cb.event_name().map(|t| t.raw().as_bytes()),
            "{ctx}"
        );
        assert_eq!(owned.job_count(), cb.job_count());
        for (job, owned_job) in cb.jobs().zip(owned.jobs()) {
            assert_eq!(owned_job.view(), job, "{ctx}");
            assert_eq!(&owned_job.raw()[..], job.raw(), "{ctx}");
            for &f in JobField::ALL {
                assert_eq!(
                    owned_job.bytes(f).as_deref(),
                    job.text(f).map(|t| t.raw().as_bytes()),
                    "{ctx} {f:?}"
                );
                assert_eq!(owned_job.text(f), job.text(f));
            }
        }
        let tasks: Vec<_> = cb
            .workflow()
            .map(|w| w.tasks().collect())
            .unwrap_or_default();
        assert_eq!(owned.task_count(), tasks.len(), "{ctx}");
        for (task, owned_task) in tasks.iter().zip(owned.tasks()) {
            assert_eq!(owned_task.view(), *task, "{ctx}");
            assert_eq!(
                owned_task.bytes(TaskField::JobId).as_deref(),
                task.job_id().map(|t| t.raw().as_bytes())
            );
        }
        let owned_wf = owned.workflow();
        assert_eq!(owned_wf.as_ref().map(|w| w.view()), cb.workflow(), "{ctx}");
        // The index is the records of jobs, tasks and the workflow.
        let records = owned.job_count() + owned.task_count() + usize::from(cb.workflow().is_some());
        assert_eq!(owned.index_size(), records * 264, "{ctx}");
    }
}

#[test]
fn owned_jobs_cross_a_thread_boundary() {
    let body = Bytes::from(std::fs::read("corpus/xml/valid/workflow-two-jobs.xml").unwrap());
    let cb = OwnedCallback::parse(body.clone()).unwrap();
    let workers: Vec<_> = cb
        .jobs()
        .map(|job| {
            std::thread::spawn(move || {
                let view = job.view();
                let id = job.bytes(JobField::JobId).unwrap();
                (
                    job.index(),
                    id,
                    view.state().map(|s| s.to_string()),
                    view.workflow_id().map(|t| t.to_string()),
                )
            })
        })
        .collect();
    let got: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1, "t1a2b3c4d5e6f11ed9ce39d7cc972e001");
    assert_eq!(got[1].2.as_deref(), Some("Failed"));
    assert_eq!(
        got[1].3.as_deref(),
        Some("w8b7a6c5d4e3f4a2b9c1d0e1f2a3b4c5d")
    );
    // The slices point into the one body: no copy was made.
    let range = body.as_ptr_range();
    assert!(range.contains(&got[0].1.as_ptr()));
    // The whole callback moves too, and clones share the body.
    let clone = cb.clone();
    let t = std::thread::spawn(move || clone.body().as_ptr() as usize);
    assert_eq!(t.join().unwrap(), body.as_ptr() as usize);
}

// ---- timestamps --------------------------------------------------------------

fn ts(s: &str) -> Result<Option<i64>, (ValueErrorKind, usize)> {
    Timestamp::parse(s)
        .map(|t| t.map(|t| t.unix()))
        .map_err(|e| match e.kind() {
            wanxiang::ErrorKind::Value(k) => (k, e.offset()),
            other => panic!("not a value error: {other:?}"),
        })
}

#[test]
fn timestamps_in_all_three_layouts_and_offsets() {
    let noon_utc = 1_658_750_400; // 2022-07-25T12:00:00Z
    for s in [
        "2022-07-25T20:00:00+0800",
        "2022-07-25 20:00:00+0800",
        "2022-07-25T20:00:00+08:00",
        "2022-07-25 20:00:00+08:00",
        "2022-07-25T12:00:00Z",
        "2022-07-25T12:00:00+0000",
        "2022-07-25T12:00:00-00:00",
        "2022-07-25T06:30:00-0530",
        "2022-07-25T06:30:00-05:30",
        "2022-07-26T01:45:00+13:45",
        "2022-07-24T12:01:00-23:59",
    ] {
        assert_eq!(ts(s), Ok(Some(noon_utc)), "{s}");
    }
    let t = Timestamp::parse("2022-07-25T06:30:00-0530")
        .unwrap()
        .unwrap();
    assert_eq!(t.offset_seconds(), -(5 * 3600 + 30 * 60));
    assert_eq!(t.to_string(), "2022-07-25T06:30:00-05:30");
    assert_eq!((t.hour(), t.minute(), t.second()), (6, 30, 0));
    // Not set.
    assert_eq!(ts("-"), Ok(None));
    assert_eq!(ts(""), Ok(None));
}

#[test]
fn timestamp_calendar_edges() {
    // Leap days: every 4 years, not every 100, but every 400.
    assert!(ts("2024-02-29T00:00:00+0800").unwrap().is_some());
    assert!(ts("2000-02-29T00:00:00+0800").unwrap().is_some());
    assert_eq!(
        ts("2023-02-29T00:00:00+0800"),
        Err((ValueErrorKind::Day, 8))
    );
    assert_eq!(
        ts("1900-02-29T00:00:00+0800"),
        Err((ValueErrorKind::Day, 8))
    );
    assert_eq!(
        ts("2022-04-31T00:00:00+0800"),
        Err((ValueErrorKind::Day, 8))
    );
    assert_eq!(
        ts("2022-01-00T00:00:00+0800"),
        Err((ValueErrorKind::Day, 8))
    );
    assert_eq!(
        ts("2022-01-32T00:00:00+0800"),
        Err((ValueErrorKind::Day, 8))
    );
    assert!(ts("2022-12-31T23:59:59+0800").unwrap().is_some());
    // Bad month and out-of-range fields.
    assert_eq!(
        ts("2022-13-01T00:00:00+0800"),
        Err((ValueErrorKind::Month, 5))
    );
    assert_eq!(
        ts("2022-00-01T00:00:00+0800"),
        Err((ValueErrorKind::Month, 5))
    );
    assert_eq!(
        ts("2022-07-25T24:00:00+0800"),
        Err((ValueErrorKind::Hour, 11))
    );
    assert_eq!(
        ts("2022-07-25T23:60:00+0800"),
        Err((ValueErrorKind::Minute, 14))
    );
    assert_eq!(
        ts("2022-07-25T23:59:60+0800"),
        Err((ValueErrorKind::Second, 17))
    );
    assert_eq!(
        ts("2022-07-25T00:00:00+2400"),
        Err((ValueErrorKind::Offset, 20))
    );
    assert_eq!(
        ts("2022-07-25T00:00:00+0860"),
        Err((ValueErrorKind::Offset, 22))
    );
    assert_eq!(
        ts("2022-07-25T00:00:00+08:60"),
        Err((ValueErrorKind::Offset, 23))
    );
}

#[test]
fn timestamp_layout_errors_say_what_was_expected() {
    let syntax = |s: &str| match Timestamp::parse(s).unwrap_err().kind() {
        wanxiang::ErrorKind::Value(ValueErrorKind::Syntax { expected }) => {
            (expected, Timestamp::parse(s).unwrap_err().offset())
        }
        k => panic!("{s}: {k:?}"),
    };
    assert_eq!(
        syntax("2022-07-25T16:35:39"),
        ("a UTC offset (`+hhmm`, `+hh:mm` or `Z`)", 19)
    );
    assert_eq!(syntax("2022-07-25t16:35:39+0800"), ("`T` or a space", 10));
    assert_eq!(syntax("2022/07/25T16:35:39+0800"), ("`-`", 4));
    assert_eq!(syntax("2022-7-25T16:35:39+0800"), ("a digit", 6));
    assert_eq!(
        syntax("2022-07-25T16:35:39.123+0800"),
        ("a UTC offset (`+hhmm`, `+hh:mm` or `Z`)", 19)
    );
    assert_eq!(
        syntax("2022-07-25T16:35:39+0800 "),
        ("the end of the timestamp", 24)
    );
    assert_eq!(syntax("2022-07-25T16:35:39+08"), ("a digit", 22));
    assert_eq!(syntax("2022-07-25T16:35:39+08:0"), ("a digit", 24));
    assert_eq!(syntax(" 2022-07-25T16:35:39+0800"), ("a digit", 0));
    assert_eq!(syntax("--"), ("a digit", 0));
    assert_eq!(syntax("2022-07-25"), ("`T` or a space", 10));
    let e = Timestamp::parse("2022-13-01T00:00:00+0800").unwrap_err();
    assert_eq!(
        e.to_string(),
        "timestamp month out of range (expected 01 to 12) at line 1, column 6 (byte 5)"
    );
}

#[test]
fn job_timestamps_are_positioned_in_the_document() {
    let doc = b"<Response><JobsDetail>\n  <CreationTime>2022-02-30T00:00:00+0800</CreationTime>\n  \
        <StartTime>2022&#45;07-25T16:35:39+0800</StartTime>\n  <EndTime></EndTime>\n</JobsDetail></Response>";
    let cb = Callback::parse(doc).unwrap();
    let job = cb.jobs().next().unwrap();
    let e = job.creation_time().unwrap_err();
    assert_eq!(e.kind(), wanxiang::ErrorKind::Value(ValueErrorKind::Day));
    assert_eq!((e.line(), e.column()), (2, 25));
    assert_eq!(&doc[e.offset()..e.offset() + 2], b"30");
    // A value with a reference is decoded first.
    assert_eq!(job.start_time().unwrap().unwrap().unix(), 1_658_738_139);
    assert_eq!(job.end_time().unwrap(), None);
    assert!(job.text(JobField::EndTime).unwrap() == "");
    // JSON: same, with an escape.
    let doc =
        br#"{"JobsDetail": {"StartTime": "2022\u002d07-25T16:35:39+0800", "EndTime": "soon"}}"#;
    let cb = Callback::parse(doc).unwrap();
    let job = cb.jobs().next().unwrap();
    assert_eq!(job.start_time().unwrap().unwrap().unix(), 1_658_738_139);
    let e = job.end_time().unwrap_err();
    assert!(matches!(
        e.kind(),
        wanxiang::ErrorKind::Value(ValueErrorKind::Syntax { .. })
    ));
    assert_eq!(&doc[e.offset()..e.offset() + 4], b"soon");
    assert_eq!(job.creation_time().unwrap(), None);
}

#[test]
fn job_level_from_number_or_string() {
    let level = |json: &str| {
        let doc = format!(r#"{{"JobsDetail": {{"Operation": {{"JobLevel": {json}}}}}}}"#);
        let cb = Callback::parse(doc.as_bytes()).unwrap();
        let job = cb.jobs().next().unwrap();
        job.job_level().map_err(|e| e.kind())
    };
    assert_eq!(level("0"), Ok(Some(0)));
    assert_eq!(level(r#""0""#), Ok(Some(0)));
    assert_eq!(level("2"), Ok(Some(2)));
    assert_eq!(level(r#""\u0031""#), Ok(Some(1)));
    assert_eq!(level("null"), Ok(None));
    assert_eq!(level(r#""""#), Ok(None));
    assert_eq!(
        level("-1"),
        Err(wanxiang::ErrorKind::Value(ValueErrorKind::Number))
    );
    assert_eq!(
        level("1.5"),
        Err(wanxiang::ErrorKind::Value(ValueErrorKind::Number))
    );
    assert_eq!(
        level("true"),
        Err(wanxiang::ErrorKind::Value(ValueErrorKind::Number))
    );
    // An array is a list of items: the first one is the value (as for a path).
    assert_eq!(level("[1, 2]"), Ok(Some(1)));
    assert_eq!(
        level(r#"{"a": 1}"#),
        Err(wanxiang::ErrorKind::Value(ValueErrorKind::Number))
    );
    assert_eq!(
        level(r#""4294967296""#),
        Err(wanxiang::ErrorKind::Value(ValueErrorKind::Number))
    );
    let cb =
        Callback::parse(b"<Response><JobsDetail><Operation/></JobsDetail></Response>").unwrap();
    assert_eq!(cb.jobs().next().unwrap().job_level(), Ok(None));
}

// ---- events, shapes, wrapper, limits -------------------------------------------

#[test]
fn event_kinds() {
    let event = |doc: &[u8]| Callback::parse(doc).unwrap().event().map(|e| e.to_string());
    let cb = Callback::parse(br#"{"EventName": "Task\u0046inish"}"#).unwrap();
    assert_eq!(cb.event(), Some(Event::TaskFinish));
    let cb =
        Callback::parse(b"<Response><EventName>WorkflowFinish</EventName></Response>").unwrap();
    assert_eq!(cb.event(), Some(Event::WorkflowFinish));
    let doc = std::fs::read("corpus/json/valid/review-image.json").unwrap();
    let cb = Callback::parse(&doc).unwrap();
    assert!(matches!(cb.event(), Some(Event::Other(t)) if t == "ReviewImage"));
    // The moderation job is still a job, with its own time layout.
    let job = cb.jobs().next().unwrap();
    assert_eq!(
        job.creation_time().unwrap().unwrap().offset_seconds(),
        8 * 3600
    );
    assert_eq!(
        job.get("Label").unwrap().unwrap().text(),
        Text::plain("Normal")
    );
    assert_eq!(event(b"<Response><JobsDetail/></Response>"), None);
    assert_eq!(event(br#"{"EventName": null}"#), None);
    assert_eq!(
        event(b"<Response><EventName/></Response>"),
        Some(String::new())
    );
    // Only the root's EventName counts; the first one wins.
    assert_eq!(
        event(b"<Response><X><EventName>A</EventName></X><EventName>B</EventName><EventName>C</EventName></Response>"),
        Some("B".into())
    );
}

#[test]
fn jobs_are_read_whatever_their_shape() {
    let ids = |doc: &[u8]| -> Vec<Option<String>> {
        Callback::parse(doc)
            .unwrap()
            .jobs()
            .map(|j| j.job_id().map(|t| t.to_string()))
            .collect()
    };
    let s = |v: &[&str]| v.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
    assert_eq!(ids(br#"{"JobsDetail": {"JobId": "a"}}"#), s(&["a"]));
    assert_eq!(
        ids(br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#),
        s(&["a", "b"])
    );
    assert_eq!(ids(br#"{"JobsDetail": []}"#), s(&[]));
    // A key given twice adds its items after the first's, like XML siblings.
    assert_eq!(
        ids(br#"{"JobsDetail": {"JobId": "a"}, "X": 1, "JobsDetail": [{"JobId": "b"}, {"JobId": "c"}]}"#),
        s(&["a", "b", "c"])
    );
    // Items that are not objects are jobs with no fields (the path layer's indexes stay aligned).
    assert_eq!(
        ids(br#"{"JobsDetail": ["x", null, [1], {"JobId": "d"}]}"#),
        vec![None, None, None, Some("d".to_string())]
    );
    assert_eq!(
        ids(b"<Response><JobsDetail>text</JobsDetail><JobsDetail/><JobsDetail><JobId>e</JobId></JobsDetail></Response>"),
        vec![None, None, Some("e".to_string())]
    );
    // Only direct children of the root.
    assert_eq!(
        ids(b"<Response><X><JobsDetail><JobId>no</JobId></JobsDetail></X></Response>"),
        s(&[])
    );
    // A top-level value that is not an object has no jobs; raw paths read a
    // top-level array's items, as the path layer does.
    let cb = Callback::parse(b"[{\"JobsDetail\": {}}]").unwrap();
    assert_eq!((cb.job_count(), cb.event()), (0, None));
    assert!(cb.get("JobsDetail").unwrap().unwrap().text() == "{}");
    assert_eq!(cb.get("1.JobsDetail").unwrap(), None);
    // First occurrence wins inside a job, as for a path with no selector.
    let cb = Callback::parse(
        b"<Response><JobsDetail><JobId>1</JobId><JobId>2</JobId><Input/><Input><Object>no</Object></Input></JobsDetail></Response>",
    )
    .unwrap();
    let job = cb.jobs().next().unwrap();
    assert!(job.job_id().unwrap() == "1");
    assert_eq!(job.input_object(), None);
}

#[test]
fn the_response_wrapper_is_unwrapped_as_the_path_layer_does() {
    let event = |doc: &str| {
        let cb = Callback::parse(doc.as_bytes()).unwrap();
        let via_paths = first(doc.as_bytes(), "EventName").map(|h| h.2);
        let typed = cb.event_name().map(|t| t.raw().to_string());
        assert_eq!(typed, via_paths, "{doc}");
        (typed, cb.job_count())
    };
    assert_eq!(
        event(r#"{"Response": {"EventName": "A", "JobsDetail": {}}}"#),
        (Some("A".into()), 1)
    );
    assert_eq!(
        event(r#"{"Response": {"EventName": "A"}, "EventName": "B"}"#),
        (Some("B".into()), 0)
    );
    assert_eq!(
        event(r#"{"Response": {"EventName": "A"}, "X": []}"#),
        (None, 0)
    );
    assert_eq!(event(r#"{"Response": [{"EventName": "A"}]}"#), (None, 0));
    assert_eq!(
        event(r#"{"Response": {"EventName": "A"}, "Response": {"EventName": "B"}}"#),
        (None, 0)
    );
    assert_eq!(event(r#"{"Response": "x"}"#), (None, 0));
    assert_eq!(
        event(r#"{"Respons\u0065": {"EventName": "A"}}"#),
        (Some("A".into()), 0)
    );
}

#[test]
fn item_limit_bounds_jobs_and_tasks() {
    let jobs = |n: usize| {
        let items = vec![r#"{"JobId": "x"}"#; n].join(",");
        format!(r#"{{"JobsDetail": [{items}]}}"#)
    };
    let limits = Limits::default().with_max_items(3);
    let options = Options::new().limits(limits);
    assert_eq!(
        Callback::parse_with(jobs(3).as_bytes(), &options)
            .unwrap()
            .job_count(),
        3
    );
    let doc = jobs(4);
    let e = Callback::parse_with(doc.as_bytes(), &options).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ItemLimit);
    assert_eq!(e.offset(), doc.rfind('{').unwrap());
    // Inside a wrapper, too; and for tasks.
    let wrapped = format!(r#"{{"Response": {}}}"#, jobs(4));
    let e = Callback::parse_with(wrapped.as_bytes(), &options).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::ItemLimit, wrapped.rfind('{').unwrap())
    );
    let tasks = "<Response><WorkflowExecution><Tasks/><Tasks/><Tasks/><Tasks/></WorkflowExecution></Response>";
    let e = Callback::parse_with(tasks.as_bytes(), &options).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::ItemLimit, tasks.rfind("<Tasks/>").unwrap())
    );
    // Not a wrapper after all: the inner items are not the root's and do not count.
    let not_wrapped = format!(r#"{{"Response": {}, "X": 1}}"#, jobs(4));
    assert_eq!(
        Callback::parse_with(not_wrapped.as_bytes(), &options)
            .unwrap()
            .job_count(),
        0
    );
}

#[test]
fn options_apply_to_the_check() {
    let seed = std::fs::read("corpus/json/valid/seed.json").unwrap();
    assert!(Callback::parse(&seed).is_ok());
    let e = Callback::parse_with(&seed, &Options::new().strict(true)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TrailingComma);
    let small = Options::new().limits(Limits::default().with_max_input(100));
    assert_eq!(
        Callback::parse_with(&seed, &small).unwrap_err().kind(),
        ErrorKind::SizeLimit
    );
    let shallow = Options::new().limits(Limits::default().with_max_depth(3));
    assert_eq!(
        Callback::parse_with(&seed, &shallow).unwrap_err().kind(),
        ErrorKind::DepthLimit
    );
    // Limits raised above the defaults still let the later walks through.
    let many_attrs: String = (0..100).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let doc = format!("<Response><JobsDetail{many_attrs}><JobId>x</JobId></JobsDetail></Response>");
    let wide = Options::new().limits(Limits::default().with_max_attributes(200));
    let cb = Callback::parse_with(doc.as_bytes(), &wide).unwrap();
    let job = cb.jobs().next().unwrap();
    assert!(job.job_id().unwrap() == "x");
    assert!(job.get("@a99").unwrap().unwrap().text() == "99");
}

/// The first job is read member by member while it is checked (straight
/// over the bytes for JSON); at every depth limit, and strict or not, the
/// check must fail or pass exactly as the path layer does, at the same place.
#[test]
fn limits_and_strictness_inside_the_first_job_match_the_path_layer() {
    let set =
        PathSet::compile(["JobsDetail.#.JobId", "JobsDetail.#.Operation.Output.Object"]).unwrap();
    let nested = br#"{"JobsDetail": [{"JobId": "a", "X": [[1, {"y": [2]}], []],
        "Operation": {"Output": {"Object": "o", "Deep": {"d": [[[0]]]}}}, "Tag": "t",},
        {"JobId": "b", "Operation": {"Output": {"Object": "p",},},}]}"#;
    let seed = std::fs::read("corpus/json/valid/seed.json").unwrap();
    let (mut refused, mut read) = (0, 0);
    for doc in [&nested[..], &seed] {
        for depth in 1..=9 {
            for strict in [false, true] {
                let options = Options::new()
                    .strict(strict)
                    .limits(Limits::default().with_max_depth(depth));
                let mut hits = Vec::new();
                let reference = set
                    .visit(doc, &options, |h| hits.push(shape(&h)))
                    .map_err(|e| (e.kind(), e.offset()));
                let typed = Callback::parse_with(doc, &options);
                let ctx = format!("depth {depth}, strict {strict}");
                match (&reference, &typed) {
                    (Err(r), Err(t)) => {
                        refused += 1;
                        assert_eq!(*r, (t.kind(), t.offset()), "{ctx}");
                    }
                    (Ok(_), Ok(cb)) => {
                        read += 1;
                        let typed: Vec<_> = cb
                            .jobs()
                            .flat_map(|j| {
                                [j.field(JobField::JobId), j.field(JobField::OutputObject)]
                            })
                            .flatten()
                            .map(|h| shape(&h))
                            .collect();
                        let mut want = hits.clone();
                        want.sort_by_key(|h| h.1);
                        assert_eq!(typed, want, "{ctx}");
                    }
                    _ => panic!(
                        "{ctx}: path layer {reference:?}, typed view {:?}",
                        typed.err()
                    ),
                }
            }
        }
    }
    // Depth limits below and above each document's depth; both strictnesses.
    assert!(refused > 10 && read > 4, "{refused} refused, {read} read");
}

/// Jobs after the first are read straight from the bytes of the checked
/// document (`tree::xml_fill`, `tree::json_fill`), which give up on what they
/// do not model and leave it to the general walk. Every field of every job
/// must match the path layer, whichever of the two read it (debug builds also
/// compare the two walks' tables inside the library).
#[test]
fn later_jobs_with_unusual_markup_match_the_path_layer() {
    let job = |body: &str| format!("<JobsDetail>{body}</JobsDetail>");
    let xml = [
        "<JobId>first</JobId><State>Success</State>",
        // Attributes, one holding `>` and `/>` inside quotes; an empty group.
        "<JobId a=\"x>y\" b='/>'>j2</JobId><Input/><State>Failed</State>",
        // References and a CR make the text need decoding; a wanted leaf twice.
        "<Code>A&amp;B</Code><Message>line\r\nnext</Message><Code>second</Code>",
        // A comment, a PI and CDATA: the fast walk gives up on each.
        "<JobId>c<!-- x --></JobId>",
        "<?pi x?><JobId>p</JobId>",
        "<Message><![CDATA[<raw>]]></Message><JobId>d</JobId>",
        // A wanted leaf with a child element; nested groups; unknown subtrees.
        "<Tag>t<b>bold</b>u</Tag><Operation><Output><Object>o</Object><Bucket/></Output>\
         <Other><Deep><Deeper x='1'/></Deep></Other><UserData>ud</UserData></Operation>",
        // Whitespace and text between children; a namespaced unknown element.
        "\n  <ns:Extra xmlns:ns=\"u\">e</ns:Extra>\n  <JobId>\n w \n</JobId> text <State/>",
    ];
    let doc = format!(
        "<Response><EventName>TaskFinish</EventName>{}</Response>",
        xml.iter().map(|b| job(b)).collect::<String>()
    );
    let json = br#"{"JobsDetail": [{"JobId": "first"},
        {"JobId": "j\u0032", "Input": {}, "State": ["a", "b"], "X": [[{}], {"y": null}]},
        {"Code": "A\"B", "Code": "second", "Operation": {"Output": [{"Object": 1}, {"Object": 2}]}},
        {"Operation": {"JobLevel": true, "UserData": {"a": [1, 2]}}, "Tag": -1.5e3}]}"#;
    for doc in [doc.as_bytes(), &json[..]] {
        let cb = Callback::parse(doc).unwrap();
        let n = count(doc, "JobsDetail.#");
        assert!(n >= 4, "{n}");
        assert_eq!(cb.jobs().count(), n);
        for (k, job) in cb.jobs().enumerate() {
            for &f in JobField::ALL {
                assert_eq!(
                    job.field(f).map(|h| shape(&h)),
                    first(doc, &format!("JobsDetail.{k}.{}", f.path())),
                    "job {k} {}",
                    f.path()
                );
            }
        }
    }
}

#[test]
fn raw_paths_check_their_grammar() {
    let doc = std::fs::read("corpus/xml/valid/seed.xml").unwrap();
    let cb = Callback::parse(&doc).unwrap();
    let job = cb.jobs().next().unwrap();
    for bad in ["", "a..b", "#.#", "a.#.#", "a.@x.b", r"a\x", "#.@x"] {
        let ours = job.get(bad).unwrap_err();
        let theirs = PathSet::compile([bad]).unwrap_err();
        assert_eq!(
            (ours.kind(), ours.offset()),
            (theirs.kind(), theirs.offset()),
            "{bad:?}"
        );
        assert_eq!(cb.get(bad).unwrap_err().kind(), theirs.kind());
    }
    assert!(job.get("Operation.Output.Object").unwrap().unwrap().text() == "output/zh.pdf");
    assert_eq!(
        cb.get("JobsDetail.Operation.Translation.Lang")
            .unwrap()
            .map(|h| h.text().raw()),
        Some("en")
    );
    let json = std::fs::read("corpus/json/valid/json-escapes.json").unwrap();
    let cb = Callback::parse(&json).unwrap();
    let job = cb.jobs().next().unwrap();
    let v = job.get(r"Input.CosHeaders.1.Value").unwrap().unwrap();
    assert_eq!(v.text().to_cow(), "C:\\dir\\file \u{2028} sep");
    assert_eq!(cb.format(), Format::Json);
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// About 14k truncated or mutated corpus documents through
/// `properties::typed_view` (the property the `typed_view` fuzz target
/// checks): accepted exactly when the path layer accepts them, with the same
/// error otherwise, and the same jobs, tasks and fields when accepted.
#[test]
fn damaged_documents_are_accepted_exactly_when_the_path_layer_accepts_them() {
    let paths = properties::typed_paths();
    let bytes: &[u8] = b"<>/\"'{}[],:&;#\\ \n\x00\xff\xc3-0aZ";
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tried = 0;
    for path in typed_documents() {
        let doc = std::fs::read(&path).unwrap();
        let step = (doc.len() / 150).max(1);
        let mut variants: Vec<Vec<u8>> = (0..doc.len())
            .step_by(step)
            .map(|n| doc[..n].to_vec())
            .collect();
        for _ in 0..150 {
            let mut d = doc.clone();
            let at = rng.below(d.len());
            match rng.below(3) {
                0 => d[at] = bytes[rng.below(bytes.len())],
                1 => {
                    d.remove(at);
                }
                _ => d.insert(at, bytes[rng.below(bytes.len())]),
            }
            variants.push(d);
        }
        for d in &variants {
            tried += 1;
            let run = std::panic::catch_unwind(|| properties::typed_view(&paths, d));
            assert!(
                run.is_ok(),
                "{}: the property failed on {:?}",
                name(&path),
                String::from_utf8_lossy(d)
            );
        }
    }
    assert!(tried > 5000, "{tried}");
}

/// The first job comes from the checking pass and the others from a later
/// walk that steps over it: the iterator must give every job once, in
/// document order, however it is consumed (partly, cloned midway, or from a
/// view that did not keep the first job's table).
#[test]
fn jobs_after_the_first_come_in_order_however_the_iterator_is_used() {
    let xml = b"<Response><JobsDetail><JobId>a</JobId></JobsDetail><EventName>TaskFinish</EventName>\
        <Other><JobsDetail><JobId>decoy</JobId></JobsDetail></Other>\
        <JobsDetail><JobId>b</JobId></JobsDetail><X/><JobsDetail><JobId>c</JobId></JobsDetail></Response>";
    let json = br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}], "EventName": "TaskFinish",
        "Other": {"JobsDetail": {"JobId": "decoy"}}, "JobsDetail": {"JobId": "c"}}"#;
    let ids = |jobs: wanxiang::Jobs<'_>| -> Vec<String> {
        jobs.map(|j| j.job_id().unwrap().to_string()).collect()
    };
    for doc in [&xml[..], &json[..]] {
        let cb = Callback::parse(doc).unwrap();
        assert_eq!(ids(cb.jobs()), ["a", "b", "c"]);
        let mut jobs = cb.jobs();
        assert_eq!(jobs.len(), 3);
        assert_eq!(jobs.next().unwrap().job_id().unwrap(), "a");
        let copy = jobs.clone();
        assert_eq!(jobs.len(), 2);
        assert_eq!(ids(jobs), ["b", "c"]);
        assert_eq!(ids(copy), ["b", "c"]);
        let mut jobs = cb.jobs();
        jobs.next();
        jobs.next();
        let copy = jobs.clone();
        assert_eq!(ids(copy), ["c"]);
        assert_eq!(cb.jobs().nth(2).unwrap().job_id().unwrap(), "c");
        assert!(cb.jobs().nth(3).is_none());
        // The owned form's view keeps no table for the first job.
        let owned = OwnedCallback::parse(Bytes::copy_from_slice(doc)).unwrap();
        assert_eq!(ids(owned.view().jobs()), ["a", "b", "c"]);
        assert_eq!(owned.view(), cb);
    }
}
