//! The JSON lines on stdout: records of borrowed strings, serialized by
//! serde_json straight into a buffered stdout, one line per record.
//!
//! Strings are borrowed from the document; one is copied only when it has
//! escapes to decode (entities, `\u` escapes). Lines are written as
//! `{"key": value, "key": value}`, with a space after each colon and comma,
//! as they always were.

use std::borrow::Cow;
use std::io::{self, BufWriter, StdoutLock, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use wanxiang::{
    Callback, Error, Hit, Job, Kind, PathSet, RecordSet, Task, Text, Timestamp, Workflow,
};

use crate::input::Place;

/// Buffered stdout that takes one record per line.
pub struct Lines {
    out: BufWriter<StdoutLock<'static>>,
}

impl Lines {
    pub fn stdout() -> Self {
        Lines {
            out: BufWriter::with_capacity(64 << 10, io::stdout().lock()),
        }
    }

    /// Writes `record` and a newline.
    pub fn write(&mut self, record: &impl Serialize) -> io::Result<()> {
        let mut ser = serde_json::Serializer::with_formatter(&mut self.out, Spaced);
        record.serialize(&mut ser)?;
        self.out.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// serde_json's compact layout with a space after `:` and `,`.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

/// One `extract` line.
#[derive(Serialize)]
pub struct ExtractLine<'a, 'b> {
    pub source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<u64>,
    pub format: &'static str,
    pub fields: Fields<'a, 'b>,
}

/// One `extract --each` line: one item of the prefix's list. `item` counts
/// the items of one document from 0.
#[derive(Serialize)]
pub struct EachLine<'a, 'b> {
    pub source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<u64>,
    pub format: &'static str,
    pub item: usize,
    pub fields: Fields<'a, 'b, RecordSet>,
}

/// What the `"fields"` object needs of a compiled set: which paths have a
/// `#` step of their own (their value is an array).
pub trait Arity {
    fn is_multi(&self, path: usize) -> bool;
}

impl Arity for PathSet {
    fn is_multi(&self, path: usize) -> bool {
        PathSet::is_multi(self, path)
    }
}

impl Arity for RecordSet {
    fn is_multi(&self, path: usize) -> bool {
        RecordSet::is_multi(self, path)
    }
}

/// The `"fields"` object: each path with its value, in the order given.
/// `hits` are those of a whole document (`extract`) or of one item
/// (`extract --each`); a hit's path index is the path's position in `paths`.
pub struct Fields<'a, 'b, P = PathSet> {
    pub set: &'a P,
    pub paths: &'a [String],
    pub hits: &'a [Hit<'b>],
}

impl<P: Arity> Serialize for Fields<'_, '_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.paths.len()))?;
        for (i, path) in self.paths.iter().enumerate() {
            if self.set.is_multi(i) {
                map.serialize_entry(
                    path,
                    &Every {
                        hits: self.hits,
                        path: i,
                    },
                )?;
            } else {
                let first = self.hits.iter().find(|h| h.path() == i).map(Value);
                map.serialize_entry(path, &first)?;
            }
        }
        map.end()
    }
}

/// The values of a `#` path: an array, empty when there are none.
struct Every<'a, 'b> {
    hits: &'a [Hit<'b>],
    path: usize,
}

impl Serialize for Every<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.hits
                .iter()
                .filter(|h| h.path() == self.path)
                .map(Value),
        )
    }
}

/// One value: `null` for a JSON null, else the decoded text as a string.
struct Value<'a, 'b>(&'a Hit<'b>);

impl Serialize for Value<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.kind() == Kind::Null {
            return s.serialize_unit();
        }
        let text = self.0.text();
        match text.as_str() {
            Some(plain) => s.serialize_str(plain),
            None => s.serialize_str(&text.to_cow()),
        }
    }
}

/// The three timestamps of a job or task, parsed (for the warnings).
pub type Times = [Result<Option<Timestamp>, Error>; 3];

/// One `jobs` line: a job (`JobsDetail` item) or a workflow task. The keys
/// come out in this order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JobLine<'a> {
    #[serde(rename = "source")]
    source: &'a str,
    #[serde(rename = "document", skip_serializing_if = "Option::is_none")]
    document: Option<u64>,
    #[serde(rename = "format")]
    format: &'static str,
    #[serde(rename = "event")]
    event: Option<Cow<'a, str>>,
    #[serde(rename = "kind")]
    kind: &'static str,
    #[serde(rename = "index")]
    index: usize,
    job_id: Option<Cow<'a, str>>,
    tag: Option<Cow<'a, str>>,
    state: Option<Cow<'a, str>>,
    code: Option<Cow<'a, str>>,
    message: Option<Cow<'a, str>>,
    creation_time: Option<Cow<'a, str>>,
    creation_time_unix: Option<i64>,
    start_time: Option<Cow<'a, str>>,
    start_time_unix: Option<i64>,
    end_time: Option<Cow<'a, str>>,
    end_time_unix: Option<i64>,
    input_object: Option<Cow<'a, str>>,
    output_object: Option<Cow<'a, str>>,
    user_data: Option<Cow<'a, str>>,
    queue_id: Option<Cow<'a, str>>,
    workflow_id: Option<Cow<'a, str>>,
    run_id: Option<Cow<'a, str>>,
    workflow_name: Option<Cow<'a, str>>,
    workflow_node: Option<Cow<'a, str>>,
}

/// A text as a string: borrowed unless it has escapes to decode.
fn text<'a>(t: Option<Text<'a>>) -> Option<Cow<'a, str>> {
    t.map(|t| t.to_cow())
}

/// Unix seconds of a valid timestamp, else `None` (printed as null).
fn unix(t: &Result<Option<Timestamp>, Error>) -> Option<i64> {
    t.as_ref()
        .ok()
        .and_then(|t| t.as_ref())
        .map(Timestamp::unix)
}

impl<'a> JobLine<'a> {
    /// The line of the `index`-th job of `cb`, and its parsed timestamps.
    pub fn job(place: &Place<'a>, cb: &Callback<'a>, index: usize, job: &Job<'a>) -> (Self, Times) {
        use wanxiang::JobField as F;
        let times = [job.creation_time(), job.start_time(), job.end_time()];
        let line = JobLine {
            source: place.source,
            document: place.index,
            format: cb.format().as_str(),
            event: text(cb.event_name()),
            kind: "job",
            index,
            job_id: text(job.job_id()),
            tag: text(job.tag()),
            state: text(job.text(F::State)),
            code: text(job.code()),
            message: text(job.message()),
            creation_time: text(job.text(F::CreationTime)),
            creation_time_unix: unix(&times[0]),
            start_time: text(job.text(F::StartTime)),
            start_time_unix: unix(&times[1]),
            end_time: text(job.text(F::EndTime)),
            end_time_unix: unix(&times[2]),
            input_object: text(job.input_object()),
            output_object: text(job.output_object()),
            user_data: text(job.user_data()),
            queue_id: text(job.queue_id()),
            workflow_id: text(job.workflow_id()),
            run_id: text(job.workflow_run_id()),
            workflow_name: text(job.workflow_name()),
            workflow_node: text(job.workflow_node()),
        };
        (line, times)
    }

    /// The line of the `index`-th task of the workflow `wf` of `cb`: Tag is
    /// the task's Type, CreationTime its CreateTime, InputObject the
    /// workflow's Object.
    pub fn task(
        place: &Place<'a>,
        cb: &Callback<'a>,
        index: usize,
        task: &Task<'a>,
        wf: &Workflow<'a>,
    ) -> (Self, Times) {
        use wanxiang::TaskField as F;
        let times = [task.create_time(), task.start_time(), task.end_time()];
        let line = JobLine {
            source: place.source,
            document: place.index,
            format: cb.format().as_str(),
            event: text(cb.event_name()),
            kind: "task",
            index,
            job_id: text(task.job_id()),
            tag: text(task.task_type()),
            state: text(task.text(F::State)),
            code: text(task.code()),
            message: text(task.message()),
            creation_time: text(task.text(F::CreateTime)),
            creation_time_unix: unix(&times[0]),
            start_time: text(task.text(F::StartTime)),
            start_time_unix: unix(&times[1]),
            end_time: text(task.text(F::EndTime)),
            end_time_unix: unix(&times[2]),
            input_object: text(wf.object()),
            output_object: None,
            user_data: None,
            queue_id: None,
            workflow_id: text(wf.workflow_id()),
            run_id: text(wf.run_id()),
            workflow_name: text(wf.workflow_name()),
            workflow_node: text(task.name()),
        };
        (line, times)
    }
}
