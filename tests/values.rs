//! Ergonomic values (issue 17): the snippets a new user tried, compiled and
//! asserted, and the owned accessors checked against the borrowed ones over
//! the whole corpus.

mod support;

use std::collections::HashSet;
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use wanxiang::{
    Callback, ErrorKind, Format, JobField, Limits, Options, OwnedCallback, State, TaskField, Text,
    Timestamp, Validation, WorkflowField,
};

const TWO_JOBS_XML: &[u8] = b"<Response><EventName>TaskFinish</EventName>\
    <JobsDetail><JobId>j1</JobId><State>Success</State><Code>Success</Code>\
    <EndTime>2022-07-25T16:35:43+0800</EndTime></JobsDetail>\
    <JobsDetail><JobId>j&#x32;</JobId><State>Paused&amp;Odd</State>\
    <EndTime>2022-07-25T08:35:44Z</EndTime></JobsDetail></Response>";

const TWO_JOBS_JSON: &[u8] = br#"{"EventName": "TaskFinish", "JobsDetail": [
    {"JobId": "j1", "State": "Success", "Code": "Success", "EndTime": "2022-07-25T16:35:43+0800"},
    {"JobId": "j\u0032", "State": "Paused&Odd", "EndTime": "2022-07-25T08:35:44Z"}]}"#;

#[test]
fn text_compares_with_literals_in_both_directions() {
    for body in [TWO_JOBS_XML, TWO_JOBS_JSON] {
        let cb = Callback::parse(body).unwrap();
        let jobs: Vec<_> = cb.jobs().collect();
        // The issue's `assert_eq!(job.job_id(), Some("j1"))`, with the literal made a Text.
        assert_eq!(jobs[0].job_id(), Some("j1".into()));
        assert_eq!(jobs[1].job_id(), Some(Text::plain("j2"))); // escaped in the document
        assert_ne!(jobs[1].job_id(), Some("j1".into()));
        assert_eq!(jobs[1].job_id().unwrap(), "j2");
        assert_eq!("j2", jobs[1].job_id().unwrap());
        assert_eq!(String::from("j2"), jobs[1].job_id().unwrap());
        assert_eq!(jobs[1].job_id().unwrap(), String::from("j2"));
        assert!(*"j2" == jobs[1].job_id().unwrap());
        // `unwrap_or("-")`, as a Text, and printed decoded.
        assert_eq!(jobs[1].code().unwrap_or("-".into()).to_string(), "-");
        assert_eq!(format!("{}", jobs[1].job_id().unwrap_or("-".into())), "j2");
        assert_eq!(format!("[{:>4}]", jobs[1].job_id().unwrap()), "[  j2]");
        // Owned strings.
        let ids: Vec<String> = cb
            .jobs()
            .filter_map(|j| j.job_id())
            .map(String::from)
            .collect();
        assert_eq!(ids, ["j1", "j2"]);
        let cow: std::borrow::Cow<'_, str> = jobs[1].state().unwrap().name().into();
        assert_eq!(cow, "Paused&Odd");
        // Debug shows the value, not the struct's insides.
        assert_eq!(format!("{:?}", jobs[0].job_id().unwrap()), r#"Text("j1")"#);
        assert!(format!("{:?}", jobs[1].job_id().unwrap()).contains(r#"decoded: "j2""#));
    }
    // The same value from XML and from JSON is one value: equal and hashed alike.
    let xml = Callback::parse(TWO_JOBS_XML).unwrap();
    let json = Callback::parse(TWO_JOBS_JSON).unwrap();
    let ids: HashSet<Text<'_>> = xml.jobs().filter_map(|j| j.job_id()).collect();
    assert!(json.jobs().all(|j| ids.contains(&j.job_id().unwrap())));
    assert_eq!(
        xml.jobs().nth(1).unwrap().state(),
        json.jobs().nth(1).unwrap().state()
    );
}

#[test]
fn timestamps_order_and_convert() {
    let cb = Callback::parse(TWO_JOBS_XML).unwrap();
    let latest = cb
        .jobs()
        .max_by_key(|j| j.end_time().ok().flatten())
        .unwrap();
    assert_eq!(latest.job_id().unwrap(), "j2"); // 08:35:44Z is one second after 16:35:43+0800
    let mut times: Vec<Timestamp> = cb
        .jobs()
        .filter_map(|j| j.end_time().ok().flatten())
        .collect();
    times.sort();
    assert_eq!(times[1].unix() - times[0].unix(), 1);
    assert_eq!(
        times[0].to_system_time().unwrap(),
        UNIX_EPOCH + Duration::from_secs(1_658_738_143)
    );
    assert!(cb.jobs().all(|j| j.value_error().is_none()));
}

#[test]
fn state_names_cover_unknown_states() {
    let cb = Callback::parse(TWO_JOBS_JSON).unwrap();
    let names: Vec<String> = cb
        .jobs()
        .filter_map(|j| j.state())
        .map(|s| s.name().to_string())
        .collect();
    assert_eq!(names, ["Success", "Paused&Odd"]);
    assert_eq!(State::Cancel.name(), "Cancel");
    #[allow(deprecated)] // the old accessor still answers for known states
    let old = (
        State::Cancel.as_str(),
        cb.jobs().nth(1).unwrap().state().unwrap().as_str(),
    );
    assert_eq!(old, (Some("Cancel"), None));
}

#[test]
fn error_kind_names_and_format_display() {
    let e = Callback::parse(b"<Response><A></B></Response>").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MismatchedEndTag);
    assert_eq!(e.kind().name(), "mismatched_end_tag");
    assert_eq!(format!("{} {}", Format::Xml, Format::Json), "xml json");
    assert_eq!(format!("{:>5}", Format::Xml), "  xml");
}

#[test]
fn builders_share_one_style() {
    let new_style = Options::new()
        .with_validation(Validation::Skim)
        .with_strict(true)
        .with_limits(Limits::new().with_max_depth(4).with_max_items(3));
    // The earlier setter names stay, as aliases.
    let old_style = Options::new()
        .validation(Validation::Skim)
        .strict(true)
        .limits(Limits::default().with_max_depth(4).with_max_items(3));
    assert_eq!(new_style, old_style);
    assert_eq!(Limits::new(), Limits::default());
    // The limits are in force: four jobs over a three-item limit.
    let body = br#"{"JobsDetail": [{}, {}, {}, {}]}"#;
    let e = Callback::parse_with(body, &new_style).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ItemLimit);
}

/// Every named accessor of the owned handles gives what the borrowed view gives.
#[test]
fn owned_accessors_match_the_borrowed_view_on_the_corpus() {
    let docs = support::valid_documents();
    assert!(
        docs.len() >= 40,
        "corpus is missing: {} documents",
        docs.len()
    );
    let (mut jobs, mut tasks, mut workflows) = (0, 0, 0);
    for doc in docs {
        let body = std::fs::read(&doc).unwrap();
        let Ok(owned) = OwnedCallback::parse(Bytes::from(body.clone())) else {
            panic!("{}: not accepted", doc.display());
        };
        let cb = Callback::parse(&body).unwrap();
        assert_eq!(owned.job_count(), cb.job_count());
        for (o, b) in owned.jobs().zip(cb.jobs()) {
            let d = doc.display();
            assert_eq!(o.job_id(), b.job_id(), "{d}");
            assert_eq!(o.code(), b.code(), "{d}");
            assert_eq!(o.message(), b.message(), "{d}");
            assert_eq!(o.tag(), b.tag(), "{d}");
            assert_eq!(o.state(), b.state(), "{d}");
            assert_eq!(o.output_object(), b.output_object(), "{d}");
            assert_eq!(o.user_data(), b.user_data(), "{d}");
            assert_eq!(o.input_object(), b.input_object(), "{d}");
            assert_eq!(o.workflow_id(), b.workflow_id(), "{d}");
            assert_eq!(o.creation_time(), b.creation_time(), "{d}");
            assert_eq!(o.start_time(), b.start_time(), "{d}");
            assert_eq!(o.end_time(), b.end_time(), "{d}");
            assert_eq!(o.job_level(), b.job_level(), "{d}");
            assert_eq!(o.value_error(), b.value_error(), "{d}");
            assert_eq!(o.offset(), b.offset(), "{d}");
            assert!(o.cos_headers().eq(b.cos_headers()), "{d}");
            for &f in JobField::ALL {
                assert_eq!(o.text(f), b.text(f), "{d} {f:?}");
                assert_eq!(o.field(f), b.field(f), "{d} {f:?}");
            }
            jobs += 1;
        }
        if let (Some(o), Some(b)) = (owned.workflow(), cb.workflow()) {
            assert_eq!(o.run_id(), b.run_id());
            assert_eq!(o.state(), b.state());
            assert_eq!(o.create_time(), b.create_time());
            assert_eq!(o.task_count(), b.task_count());
            assert!(o.cos_headers().eq(b.cos_headers()));
            for &f in WorkflowField::ALL {
                assert_eq!(o.text(f), b.text(f));
            }
            workflows += 1;
            for (o, b) in owned.tasks().zip(b.tasks()) {
                assert_eq!(o.job_id(), b.job_id());
                assert_eq!(o.task_type(), b.task_type());
                assert_eq!(o.state(), b.state());
                assert_eq!(o.end_time(), b.end_time());
                assert_eq!(o.value_error(), b.value_error());
                for &f in TaskField::ALL {
                    assert_eq!(o.field(f), b.field(f));
                }
                tasks += 1;
            }
        } else {
            assert!(owned.workflow().is_none() && cb.workflow().is_none());
        }
    }
    // The corpus has jobs, workflows and tasks: the loops above did run.
    assert!(
        jobs >= 40 && workflows >= 4 && tasks >= 4,
        "{jobs} {workflows} {tasks}"
    );
}
