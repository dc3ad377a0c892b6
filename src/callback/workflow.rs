//! `WorkflowExecution`: [`Workflow`], its [`Task`]s and their fields.

use core::fmt;
use core::iter::FusedIterator;

use super::{leaf, Fields, Headers, Items, State};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::Hit;
use crate::text::Text;
use crate::time::Timestamp;
use crate::Error;

// ---- workflows -------------------------------------------------------------------

/// `Workflow`'s fields, handed to `$gen`: `field_enum` makes [`WorkflowField`] of them,
/// `texts` the text accessors of [`Workflow`] and `owned_texts` those of its owned
/// form. Each field is written once: variant, path, text accessor if any.
macro_rules! workflow_fields {
    ($gen:ident) => {
        $gen! {
            /// The known nodes of a `WorkflowExecution` (besides `CosHeaders` and `Tasks`).
            Workflow, WorkflowField schema WORKFLOW {
                WorkflowId = "WorkflowId" => workflow_id,
                WorkflowName = "WorkflowName" => workflow_name,
                RunId = "RunId" => run_id,
                State = "State",
                BucketId = "BucketId" => bucket_id,
                /// (the object that started the run)
                Object = "Object" => object,
                CreateTime = "CreateTime",
            }
        }
    };
}
pub(crate) use workflow_fields;

workflow_fields!(field_enum);

pub(super) const WORKFLOW_SCHEMA: Schema = schema!(None, WORKFLOW);

/// The `WorkflowExecution` of a `WorkflowFinish` callback.
///
/// # Examples
/// ```
/// use wanxiang::{Callback, Event, State};
/// let body = br#"{"EventName": "WorkflowFinish", "WorkflowExecution": {
///     "RunId": "r1", "State": "Failed", "CreateTime": "2022-08-09 14:54:17+0800",
///     "Tasks": [{"JobId": "t1", "State": "Success", "Type": "Snapshot"},
///               {"JobId": "t2", "State": "Failed", "Type": "Transcode"}]}}"#;
/// let cb = Callback::parse(body)?;
/// assert_eq!(cb.event(), Some(Event::WorkflowFinish));
/// let wf = cb.workflow().unwrap();
/// assert!(wf.run_id().unwrap() == "r1");
/// assert_eq!(wf.create_time()?.unwrap().unix(), 1_660_028_057);
/// let failed: Vec<_> = wf.tasks().filter(|t| t.state() == Some(State::Failed)).collect();
/// assert!(failed.len() == 1 && failed[0].job_id().unwrap() == "t2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Workflow<'buf> {
    fields: Fields<'buf>,
    tasks: usize,
}

impl<'buf> Workflow<'buf> {
    pub(crate) fn from_fields(fields: Fields<'buf>, tasks: usize) -> Self {
        Workflow { fields, tasks }
    }

    item_accessors!(WorkflowField, "`WorkflowExecution`");

    workflow_fields!(texts);

    /// `CreateTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// An [`Error`] of kind [`ErrorKind::Value`](crate::ErrorKind::Value) when present and not a timestamp.
    pub fn create_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(WorkflowField::CreateTime as usize)
    }

    /// The `CreateTime` error, if it is present and invalid; `None` otherwise.
    /// As [`Job::value_error`](crate::Job::value_error).
    ///
    /// # Examples
    /// ```
    /// let cb = wanxiang::Callback::parse(br#"{"WorkflowExecution": {"CreateTime": "2022-08-09"}}"#)?;
    /// let e = cb.workflow().unwrap().value_error().unwrap();
    /// assert_eq!(e.kind().name(), "value_syntax");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn value_error(&self) -> Option<Error> {
        self.create_time().err()
    }

    /// Number of `Tasks` items.
    pub fn task_count(&self) -> usize {
        self.tasks
    }

    /// The `Tasks` items, lazily, in document order.
    ///
    /// # Complexity
    /// Walks the workflow once over the iterator's life.
    pub fn tasks(&self) -> Tasks<'buf> {
        let span = (self.tasks > 0).then(|| self.fields.span());
        let (input, format) = (self.fields.input, self.fields.format);
        Tasks {
            items: Items::new(input, format, span, "Tasks", self.tasks),
        }
    }

    /// The workflow's `CosHeaders` items, lazily.
    pub fn cos_headers(&self) -> Headers<'buf> {
        self.fields.headers_in(Some(self.fields.span()))
    }
}

debug_item!(Workflow, WorkflowField, tasks);

/// `Task`'s fields, handed to `$gen`: `field_enum` makes [`TaskField`] of them,
/// `texts` the text accessors of [`Task`] and `owned_texts` those of its owned
/// form. Each field is written once: variant, path, text accessor if any.
macro_rules! task_fields {
    ($gen:ident) => {
        $gen! {
            /// The known nodes of one `WorkflowExecution.Tasks` item.
            Task, TaskField schema TASK {
                /// (the kind of task: `Snapshot`, `Transcode`, …)
                Type = "Type" => task_type,
                CreateTime = "CreateTime",
                StartTime = "StartTime",
                EndTime = "EndTime",
                State = "State",
                JobId = "JobId" => job_id,
                /// (the workflow node)
                Name = "Name" => name,
                TemplateId = "TemplateId" => template_id,
                TemplateName = "TemplateName" => template_name,
                /// (a container: its raw text)
                ResultInfo = "ResultInfo" => result_info,
                /// (not in the documented schema; read when present)
                Code = "Code" => code,
                /// (not in the documented schema; read when present)
                Message = "Message" => message,
            }
        }
    };
}
pub(crate) use task_fields;

task_fields!(field_enum);

pub(super) const TASK_SCHEMA: Schema = schema!(None, TASK);

/// One `WorkflowExecution.Tasks` item, read in one walk over its subtree.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Task<'buf> {
    fields: Fields<'buf>,
}

impl<'buf> Task<'buf> {
    pub(crate) fn from_fields(fields: Fields<'buf>) -> Self {
        Task { fields }
    }

    item_accessors!(TaskField, "task");

    task_fields!(texts);

    /// `CreateTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// An [`Error`] of kind [`ErrorKind::Value`](crate::ErrorKind::Value) when present and not a timestamp.
    pub fn create_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(TaskField::CreateTime as usize)
    }

    /// `StartTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// As for [`create_time`](Task::create_time).
    pub fn start_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(TaskField::StartTime as usize)
    }

    /// `EndTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// As for [`create_time`](Task::create_time).
    pub fn end_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(TaskField::EndTime as usize)
    }

    /// The first time field that is present but invalid (`CreateTime`,
    /// `StartTime`, then `EndTime`), as its accessor reports it; `None` when
    /// all are absent or valid. As [`Job::value_error`](crate::Job::value_error).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::Callback;
    /// let cb = Callback::parse(br#"{"WorkflowExecution": {"Tasks": [
    ///     {"JobId": "t1", "EndTime": "2022-08-09 14:54:18+0800"},
    ///     {"JobId": "t2", "StartTime": "2022-13-09 14:54:17+0800"}]}}"#)?;
    /// let tasks: Vec<_> = cb.workflow().unwrap().tasks().collect();
    /// assert_eq!(tasks[0].value_error(), None);
    /// assert_eq!(tasks[1].value_error().unwrap().kind().name(), "value_month");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn value_error(&self) -> Option<Error> {
        self.create_time()
            .and(self.start_time())
            .and(self.end_time())
            .err()
    }
}

debug_item!(Task, TaskField);

items_iter! {
    /// The tasks of a workflow, lazily; see [`Workflow::tasks`].
    Tasks => Task, TASK_SCHEMA
}
