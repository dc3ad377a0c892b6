//! `WorkflowExecution`: [`Workflow`], its [`Task`]s and their fields.

use core::fmt;
use core::iter::FusedIterator;

use super::{leaf, Fields, Headers, List, State};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::Hit;
use crate::text::Text;
use crate::time::Timestamp;
use crate::Error;

// ---- workflows -------------------------------------------------------------------

field_enum! {
    /// The known nodes of a `WorkflowExecution` (besides `CosHeaders` and `Tasks`).
    WorkflowField {
        /// `WorkflowId`
        WorkflowId = "WorkflowId",
        /// `WorkflowName`
        WorkflowName = "WorkflowName",
        /// `RunId`
        RunId = "RunId",
        /// `State`
        State = "State",
        /// `BucketId`
        BucketId = "BucketId",
        /// `Object`: the object that started the run.
        Object = "Object",
        /// `CreateTime`
        CreateTime = "CreateTime",
    }
}

pub(super) const WORKFLOW_SCHEMA: Schema = schema!(None, WORKFLOW);

pub(super) const WORKFLOW: &[Entry] = {
    use WorkflowField as F;
    &[
        leaf("WorkflowId", F::WorkflowId as usize),
        leaf("WorkflowName", F::WorkflowName as usize),
        leaf("RunId", F::RunId as usize),
        leaf("State", F::State as usize),
        leaf("BucketId", F::BucketId as usize),
        leaf("Object", F::Object as usize),
        leaf("CreateTime", F::CreateTime as usize),
    ]
};

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

    pub(crate) fn fields(&self) -> &Fields<'buf> {
        &self.fields
    }

    texts!(WorkflowField {
        /// `WorkflowId`.
        workflow_id: WorkflowId,
        /// `WorkflowName`.
        workflow_name: WorkflowName,
        /// `RunId`.
        run_id: RunId,
        /// `BucketId`.
        bucket_id: BucketId,
        /// `Object`: the object that started the run.
        object: Object,
    });

    /// `State` of the whole run.
    pub fn state(&self) -> Option<State<'buf>> {
        self.fields.state(WorkflowField::State as usize)
    }

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
        Tasks {
            list: List::open(self.fields.input, self.fields.format, span, "Tasks"),
            remaining: self.tasks,
        }
    }

    /// The workflow's `CosHeaders` items, lazily.
    pub fn cos_headers(&self) -> Headers<'buf> {
        self.fields.headers_in(Some(self.fields.span()))
    }

    /// Any field by name, as text (`None` when absent or JSON `null`).
    pub fn text(&self, field: WorkflowField) -> Option<Text<'buf>> {
        self.fields.text(field as usize)
    }

    /// Any field as the path layer reports it; `None` only when absent.
    pub fn field(&self, field: WorkflowField) -> Option<Hit<'buf>> {
        self.fields.hit(field as usize)
    }

    /// The first value of a raw path relative to the `WorkflowExecution`.
    ///
    /// # Errors
    /// As for [`Job::get`](crate::Job::get).
    pub fn get(&self, path: &str) -> Result<Option<Hit<'buf>>, Error> {
        self.fields.get(path)
    }

    /// The raw bytes of the `WorkflowExecution`.
    pub fn raw(&self) -> &'buf [u8] {
        self.fields.raw()
    }
}

impl fmt::Debug for Workflow<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Workflow");
        for &field in WorkflowField::ALL {
            if let Some(t) = self.text(field) {
                d.field(field.path(), &t.raw());
            }
        }
        d.field("tasks", &self.tasks).finish()
    }
}

field_enum! {
    /// The known nodes of one `WorkflowExecution.Tasks` item.
    TaskField {
        /// `Type`: the kind of task (`Snapshot`, `Transcode`, …).
        Type = "Type",
        /// `CreateTime`
        CreateTime = "CreateTime",
        /// `StartTime`
        StartTime = "StartTime",
        /// `EndTime`
        EndTime = "EndTime",
        /// `State`
        State = "State",
        /// `JobId`
        JobId = "JobId",
        /// `Name`: the workflow node.
        Name = "Name",
        /// `TemplateId`
        TemplateId = "TemplateId",
        /// `TemplateName`
        TemplateName = "TemplateName",
        /// `ResultInfo` (a container: its raw text).
        ResultInfo = "ResultInfo",
        /// `Code` (not in the documented schema; read when present)
        Code = "Code",
        /// `Message` (not in the documented schema; read when present)
        Message = "Message",
    }
}

pub(super) const TASK_SCHEMA: Schema = schema!(None, TASK);

pub(super) const TASK: &[Entry] = {
    use TaskField as F;
    &[
        leaf("Type", F::Type as usize),
        leaf("CreateTime", F::CreateTime as usize),
        leaf("StartTime", F::StartTime as usize),
        leaf("EndTime", F::EndTime as usize),
        leaf("State", F::State as usize),
        leaf("JobId", F::JobId as usize),
        leaf("Name", F::Name as usize),
        leaf("TemplateId", F::TemplateId as usize),
        leaf("TemplateName", F::TemplateName as usize),
        leaf("ResultInfo", F::ResultInfo as usize),
        leaf("Code", F::Code as usize),
        leaf("Message", F::Message as usize),
    ]
};

/// One `WorkflowExecution.Tasks` item, read in one walk over its subtree.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Task<'buf> {
    fields: Fields<'buf>,
}

impl<'buf> Task<'buf> {
    pub(crate) fn from_fields(fields: Fields<'buf>) -> Self {
        Task { fields }
    }

    pub(crate) fn fields(&self) -> &Fields<'buf> {
        &self.fields
    }

    texts!(TaskField {
        /// `Type`: the kind of task (`Snapshot`, `Transcode`, …).
        task_type: Type,
        /// `JobId`.
        job_id: JobId,
        /// `Name`: the workflow node.
        name: Name,
        /// `TemplateId`.
        template_id: TemplateId,
        /// `TemplateName`.
        template_name: TemplateName,
        /// `ResultInfo`, raw (a container).
        result_info: ResultInfo,
        /// `Code`, when present.
        code: Code,
        /// `Message`, when present.
        message: Message,
    });

    /// `State`.
    pub fn state(&self) -> Option<State<'buf>> {
        self.fields.state(TaskField::State as usize)
    }

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

    /// Any field by name, as text (`None` when absent or JSON `null`).
    pub fn text(&self, field: TaskField) -> Option<Text<'buf>> {
        self.fields.text(field as usize)
    }

    /// Any field as the path layer reports it; `None` only when absent.
    pub fn field(&self, field: TaskField) -> Option<Hit<'buf>> {
        self.fields.hit(field as usize)
    }

    /// The first value of a raw path relative to the task.
    ///
    /// # Errors
    /// As for [`Job::get`](crate::Job::get).
    pub fn get(&self, path: &str) -> Result<Option<Hit<'buf>>, Error> {
        self.fields.get(path)
    }

    /// The task's raw bytes.
    pub fn raw(&self) -> &'buf [u8] {
        self.fields.raw()
    }

    /// Byte offset of the task in the document.
    pub fn offset(&self) -> usize {
        self.fields.start as usize
    }
}

impl fmt::Debug for Task<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Task");
        d.field("offset", &self.offset());
        for &field in TaskField::ALL {
            if let Some(t) = self.text(field) {
                d.field(field.path(), &t.raw());
            }
        }
        d.finish()
    }
}

/// The tasks of a workflow, lazily; see [`Workflow::tasks`].
#[derive(Clone)]
pub struct Tasks<'buf> {
    list: List<'buf>,
    remaining: usize,
}

impl<'buf> Iterator for Tasks<'buf> {
    type Item = Task<'buf>;

    fn next(&mut self) -> Option<Task<'buf>> {
        if self.remaining == 0 {
            return None;
        }
        let fields = Fields::next_in(&mut self.list, &TASK_SCHEMA);
        self.remaining = if fields.is_some() {
            self.remaining - 1
        } else {
            0
        };
        fields.map(Task::from_fields)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Tasks<'_> {}
impl FusedIterator for Tasks<'_> {}

impl fmt::Debug for Tasks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tasks")
            .field("remaining", &self.remaining)
            .finish()
    }
}
