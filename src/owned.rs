//! `OwnedCallback`: the typed view for code that cannot keep a borrow, such
//! as an async handler that was handed the body as `bytes::Bytes`.
//!
//! It holds the body (`Bytes`: a reference count, never a copy) and a span
//! table: for every job, every workflow task and the workflow, the positions
//! of its known fields, read once when the callback is parsed. There is no
//! self-reference and no `unsafe`: a field is turned back into a value by
//! slicing the body with the stored offsets, either as a `Bytes`
//! ([`Bytes::slice`], O(1), no copy) or as a borrowed [`Text`].

use alloc::sync::Arc;
use core::fmt;

use bytes::Bytes;

use crate::callback::{
    narrow, Callback, Event, Fields, Head, Headers, Job, JobField, JobFields, Span, State, Table,
    Task, TaskField, Workflow, WorkflowField,
};
use crate::path::Hit;
use crate::text::Text;
use crate::time::Timestamp;
use crate::{Error, Format, Options};

/// Named accessors that read through the borrowed view, with the view's
/// return types: `$view::$name` documents each.
macro_rules! named {
    ($view:ident { $($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)* }) => {
        $(
            #[doc = concat!("As [`", stringify!($view), "::", stringify!($name), "`]: borrows from `self`, copies nothing.")]
            pub fn $name(&self, $($arg: $ty),*) -> $ret {
                self.view().$name($($arg),*)
            }
        )*
    };
}

/// Generates an owned item's text accessors from the view's list of them
/// (`job_fields!` and the like).
macro_rules! owned_texts {
    (
        $(#[$doc:meta])* $view:ident, $name:ident $(schema $schema:ident)? {
            $($(#[$vdoc:meta])* $variant:ident = $path:literal $(=> $method:ident)?,)*
        }
    ) => {
        named!($view { $($($method() -> Option<Text<'_>>;)?)* });
    };
}

/// Generates what every owned item has: the accessors every view has (through
/// the view), the field as `Bytes` or [`Text`], the raw item, the callback,
/// and `Debug`; `$what` names the item in the docs.
macro_rules! owned_item {
    ($owned:ident, $view:ident, $field:ident, $what:literal) => {
        impl $owned {
            named!($view {
                state() -> Option<State<'_>>;
                value_error() -> Option<Error>;
                field(field: $field) -> Option<Hit<'_>>;
                get(path: &str) -> Result<Option<Hit<'_>>, Error>;
                offset() -> usize;
            });

            /// A field's raw bytes, as written in the body (escapes not decoded;
            #[doc = concat!("see [`text`](", stringify!($owned), "::text) for the decoded value).")]
            /// `None` when absent or JSON `null`.
            pub fn bytes(&self, field: $field) -> Option<Bytes> {
                self.cb.bytes_at(self.index, field as usize)
            }

            /// A field as borrowed [`Text`].
            pub fn text(&self, field: $field) -> Option<Text<'_>> {
                self.view().text(field)
            }

            #[doc = concat!("The whole ", $what, "'s raw bytes.")]
            pub fn raw(&self) -> Bytes {
                self.cb.raw_at(self.index)
            }

            #[doc = concat!("The callback the ", $what, " belongs to.")]
            pub fn callback(&self) -> &OwnedCallback {
                &self.cb
            }
        }

        impl fmt::Debug for $owned {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($owned))
                    .field(&self.view())
                    .finish()
            }
        }
    };
}

/// The positions of one item's fields (a job, a task or the workflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    start: u32,
    end: u32,
    table: Table,
}

impl Record {
    const EMPTY: Record = Record {
        start: 0,
        end: 0,
        table: Table::EMPTY,
    };

    fn of(fields: &Fields<'_>) -> Record {
        let (start, end) = fields.span();
        Record {
            start: narrow(start),
            end: narrow(end),
            table: *fields.table(),
        }
    }

    fn span(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }
}

/// A checked callback that owns its body: `Send + Sync + 'static`, cheap to
/// clone (two reference counts), fields as [`Bytes`] slices or borrowed
/// [`Text`].
///
/// # Memory
/// Parsing makes exactly one allocation: the span table, shared by every
/// clone. It holds one record per job, per workflow task and for the
/// workflow, each `size_of::<Record>()` = 264 bytes on 64-bit targets (two
/// `u32` offsets and 30 spans of 8 bytes and four bits), plus the 16-byte reference-count
/// header; [`index_size`](OwnedCallback::index_size) gives the table's size.
/// The body is never copied. (Cloning a `Bytes` that was made from a
/// `Vec<u8>` makes the `bytes` crate allocate its shared header once, on the
/// first clone; `Bytes` from hyper, axum or `Bytes::from_static` are shared
/// already.)
///
/// # Examples
/// An async-style handler: the body arrives as `Bytes`, the jobs leave for
/// other threads or tasks with no borrow attached.
/// ```
/// use bytes::Bytes;
/// use wanxiang::{JobField, OwnedCallback, OwnedJob, State};
///
/// async fn on_callback(body: Bytes) -> Result<Vec<OwnedJob>, wanxiang::Error> {
///     let cb = OwnedCallback::parse(body)?; // checks the whole body
///     let mut failed = Vec::new();
///     for job in cb.jobs() {
///         // The typed view borrows from `job`; nothing is copied.
///         if job.view().state() == Some(State::Failed) {
///             failed.push(job); // 'static: can be moved to a queue or thread
///         }
///     }
///     Ok(failed)
/// }
///
/// let body = Bytes::from_static(br#"{"EventName": "TaskFinish", "JobsDetail": [
///     {"JobId": "j1", "State": "Success"},
///     {"JobId": "j2", "State": "Failed", "Code": "InternalError",
///      "Operation": {"UserData": "batch=42"}}]}"#);
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     struct Noop;
/// #     impl std::task::Wake for Noop { fn wake(self: std::sync::Arc<Self>) {} }
/// #     let waker = std::sync::Arc::new(Noop).into();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut f = std::pin::pin!(f);
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
/// let failed = block_on(on_callback(body))?;
/// let worker = std::thread::spawn(move || {
///     let job = &failed[0];
///     let id: Bytes = job.bytes(JobField::JobId).unwrap(); // a slice of the body
///     assert_eq!(id, "j2");
///     assert!(job.view().code().unwrap() == "InternalError");
///     assert!(job.text(JobField::UserData).unwrap() == "batch=42");
/// });
/// worker.join().unwrap();
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone)]
pub struct OwnedCallback {
    body: Bytes,
    head: Head,
    /// Jobs, then tasks, then the workflow.
    records: Arc<[Record]>,
}

impl OwnedCallback {
    /// Checks `body` with the default [`Options`] and indexes it.
    ///
    /// # Errors
    /// As for [`Callback::parse`].
    pub fn parse(body: Bytes) -> Result<Self, Error> {
        Self::parse_with(body, &Options::default())
    }

    /// [`parse`](OwnedCallback::parse) with explicit options (as for
    /// [`Callback::parse_with`]: the whole body is always checked).
    ///
    /// # Errors
    /// As for [`Callback::parse`].
    ///
    /// # Complexity
    /// The checking pass of [`Callback::parse`] (which reads the first job),
    /// then one walk over the other jobs and one over the workflow; one allocation (see [Memory](OwnedCallback#memory)).
    pub fn parse_with(body: Bytes, options: &Options) -> Result<Self, Error> {
        Self::parse_fields(body, options, JobFields::ALL)
    }

    /// [`parse_with`](OwnedCallback::parse_with), recording only the job
    /// fields in `fields`, as [`Callback::parse_fields`] does: the others
    /// read as absent in every job (see [`JobFields`]).
    ///
    /// # Errors
    /// As for [`Callback::parse`].
    ///
    /// # Examples
    /// ```
    /// use bytes::Bytes;
    /// use wanxiang::{JobField, JobFields, Options, OwnedCallback};
    /// let body = Bytes::from_static(br#"{"JobsDetail": {"JobId": "j1", "Tag": "T"}}"#);
    /// let only_id = JobFields::of(&[JobField::JobId]);
    /// let cb = OwnedCallback::parse_fields(body, &Options::default(), only_id)?;
    /// let job = cb.job(0).unwrap();
    /// assert_eq!(job.job_id(), Some("j1".into()));
    /// assert_eq!(job.bytes(JobField::Tag), None); // not asked for
    /// assert_eq!(job.requested_fields(), only_id);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// As for [`parse_with`](OwnedCallback::parse_with).
    pub fn parse_fields(body: Bytes, options: &Options, fields: JobFields) -> Result<Self, Error> {
        let cb = Callback::parse_fields(&body, options, fields)?;
        let head = cb.head();
        let workflow = cb.workflow();
        let mut jobs = cb.jobs();
        let mut tasks = workflow.map(|w| w.tasks());
        let n = head.jobs + head.tasks + usize::from(workflow.is_some());
        // A `Range` mapped is an exact-size iterator: `collect` allocates the
        // shared slice once, at its final size.
        let records: Arc<[Record]> = (0..n)
            .map(|i| {
                let fields = if i < head.jobs {
                    jobs.next().map(|j| *j.fields())
                } else if i < head.jobs + head.tasks {
                    tasks.as_mut().and_then(Iterator::next).map(|t| *t.fields())
                } else {
                    workflow.map(|w| *w.fields())
                };
                fields.map_or(Record::EMPTY, |f| Record::of(&f))
            })
            .collect();
        Ok(OwnedCallback {
            body,
            // The records hold the first job too: the copy in the head would
            // only make every clone bigger. `view().jobs()` walks for it.
            head: head.without_first_job(),
            records,
        })
    }

    /// The body, as given.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Gives the body back.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The format the body was read as.
    pub fn format(&self) -> Format {
        self.head.format
    }

    /// The borrowed view of the same callback (no second check).
    pub fn view(&self) -> Callback<'_> {
        Callback::from_head(&self.body, self.head)
    }

    /// The event kind; see [`Callback::event`].
    pub fn event(&self) -> Option<Event<'_>> {
        self.view().event()
    }

    /// The raw `EventName` as a slice of the body.
    pub fn event_bytes(&self) -> Option<Bytes> {
        slice(&self.body, self.head.event)
    }

    /// Number of jobs.
    pub fn job_count(&self) -> usize {
        self.head.jobs
    }

    /// The job fields recorded (see [`Callback::requested_fields`]).
    pub fn requested_fields(&self) -> JobFields {
        self.head.fields
    }

    /// Job `index` (in document order).
    pub fn job(&self, index: usize) -> Option<OwnedJob> {
        (index < self.head.jobs).then(|| OwnedJob {
            cb: self.clone(),
            index,
        })
    }

    /// Every job, in document order.
    pub fn jobs(&self) -> impl ExactSizeIterator<Item = OwnedJob> + Clone + '_ {
        (0..self.head.jobs).map(|index| OwnedJob {
            cb: self.clone(),
            index,
        })
    }

    /// Number of workflow tasks.
    pub fn task_count(&self) -> usize {
        self.head.tasks
    }

    /// Workflow task `index` (in document order).
    pub fn task(&self, index: usize) -> Option<OwnedTask> {
        (index < self.head.tasks).then(|| OwnedTask {
            cb: self.clone(),
            index: self.head.jobs + index,
        })
    }

    /// Every workflow task, in document order.
    pub fn tasks(&self) -> impl ExactSizeIterator<Item = OwnedTask> + Clone + '_ {
        (0..self.head.tasks).map(|index| OwnedTask {
            cb: self.clone(),
            index: self.head.jobs + index,
        })
    }

    /// The `WorkflowExecution`, if any.
    pub fn workflow(&self) -> Option<OwnedWorkflow> {
        self.head.workflow.map(|_| OwnedWorkflow {
            cb: self.clone(),
            index: self.head.jobs + self.head.tasks,
        })
    }

    /// Size in bytes of the span table (without the 16-byte reference-count
    /// header of its one allocation).
    pub fn index_size(&self) -> usize {
        core::mem::size_of_val(&*self.records)
    }

    fn record(&self, index: usize) -> Record {
        self.records.get(index).copied().unwrap_or(Record::EMPTY)
    }

    fn fields(&self, index: usize) -> Fields<'_> {
        let r = self.record(index);
        let fields = Fields::new(&self.body, self.head.format, r.span(), r.table);
        match index < self.head.jobs {
            true => fields.asking(self.head.fields),
            false => fields,
        }
    }

    fn bytes_at(&self, index: usize, slot: usize) -> Option<Bytes> {
        slice(&self.body, self.record(index).table.get(slot))
    }

    fn raw_at(&self, index: usize) -> Bytes {
        let (a, b) = self.record(index).span();
        if a <= b && b <= self.body.len() {
            self.body.slice(a..b)
        } else {
            Bytes::new()
        }
    }
}

/// The bytes of a value, as written (escapes not decoded): `None` when
/// absent or JSON `null`.
fn slice(body: &Bytes, span: Span) -> Option<Bytes> {
    span.text(body)?;
    let (a, b) = span.range();
    (a <= b && b <= body.len()).then(|| body.slice(a..b))
}

impl fmt::Debug for OwnedCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedCallback").field(&self.view()).finish()
    }
}

/// One job of an [`OwnedCallback`]: `Send + Sync + 'static`, cheap to clone.
///
/// It has the named accessors of [`Job`] with the same return types
/// (`Option<Text>`, `Option<State>`, `Result<Option<Timestamp>>`), borrowing
/// from the `OwnedJob`: decoded on request, never copied. For a value that
/// must outlive it, take [`bytes`](OwnedJob::bytes) (a slice of the body, as
/// written) or convert the text (`String::from`).
///
/// # Examples
/// ```
/// use bytes::Bytes;
/// use wanxiang::{JobField, OwnedCallback, State};
/// let cb = OwnedCallback::parse(Bytes::from_static(
///     b"<Response><JobsDetail><JobId>j1</JobId><State>Failed</State>\
///       <Code>E&amp;1</Code><EndTime>2022-07-25T16:35:43+0800</EndTime></JobsDetail></Response>",
/// ))?;
/// let job = cb.job(0).unwrap();
/// assert_eq!(job.job_id(), Some("j1".into()));
/// assert_eq!(job.state(), Some(State::Failed));
/// assert_eq!(job.code().unwrap(), "E&1"); // decoded
/// assert_eq!(job.bytes(JobField::Code).unwrap(), "E&amp;1"); // as written
/// assert_eq!(job.end_time()?.unwrap().unix(), 1_658_738_143);
/// let code: String = job.code().map(String::from).unwrap_or_default();
/// drop(cb);
/// assert_eq!(code, "E&1");
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone)]
pub struct OwnedJob {
    cb: OwnedCallback,
    index: usize,
}

impl OwnedJob {
    /// The borrowed [`Job`], with every typed accessor (no walk: the table is stored).
    pub fn view(&self) -> Job<'_> {
        Job::from_fields(self.cb.fields(self.index))
    }

    crate::callback::job_fields!(owned_texts);

    named!(Job {
        creation_time() -> Result<Option<Timestamp>, Error>;
        start_time() -> Result<Option<Timestamp>, Error>;
        end_time() -> Result<Option<Timestamp>, Error>;
        job_level() -> Result<Option<u32>, Error>;
        cos_headers() -> Headers<'_>;
        requested_fields() -> JobFields;
    });

    /// Position of the job among the callback's jobs.
    pub fn index(&self) -> usize {
        self.index
    }
}

owned_item!(OwnedJob, Job, JobField, "job");

/// One workflow task of an [`OwnedCallback`]: `Send + Sync + 'static`, cheap to clone.
///
/// It has the named accessors of [`Task`], with the same return types,
/// borrowing from the `OwnedTask` (as for [`OwnedJob`]).
///
/// # Examples
/// ```
/// use bytes::Bytes;
/// use wanxiang::{OwnedCallback, State};
/// let cb = OwnedCallback::parse(Bytes::from_static(br#"{"EventName": "WorkflowFinish",
///     "WorkflowExecution": {"RunId": "r1", "State": "Success",
///         "Tasks": [{"JobId": "t1", "Type": "Snapshot", "State": "Success"}]}}"#))?;
/// let wf = cb.workflow().unwrap();
/// assert_eq!(wf.run_id().unwrap(), "r1");
/// assert_eq!(wf.task_count(), 1);
/// let task = cb.task(0).unwrap();
/// assert_eq!((task.job_id(), task.task_type()), (Some("t1".into()), Some("Snapshot".into())));
/// assert_eq!(task.state(), Some(State::Success));
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone)]
pub struct OwnedTask {
    cb: OwnedCallback,
    /// Index into the records (after the jobs).
    index: usize,
}

impl OwnedTask {
    /// The borrowed [`Task`], with every typed accessor.
    pub fn view(&self) -> Task<'_> {
        Task::from_fields(self.cb.fields(self.index))
    }

    crate::callback::task_fields!(owned_texts);

    named!(Task {
        create_time() -> Result<Option<Timestamp>, Error>;
        start_time() -> Result<Option<Timestamp>, Error>;
        end_time() -> Result<Option<Timestamp>, Error>;
    });

    /// Position of the task among the workflow's tasks.
    pub fn index(&self) -> usize {
        self.index - self.cb.head.jobs
    }
}

owned_item!(OwnedTask, Task, TaskField, "task");

/// The `WorkflowExecution` of an [`OwnedCallback`], with the named accessors
/// of [`Workflow`] (see [`OwnedTask`] for an example).
#[derive(Clone)]
pub struct OwnedWorkflow {
    cb: OwnedCallback,
    index: usize,
}

impl OwnedWorkflow {
    /// The borrowed [`Workflow`] (its [`tasks`](Workflow::tasks) iterator
    /// walks the body; [`OwnedCallback::tasks`] uses the stored table).
    pub fn view(&self) -> Workflow<'_> {
        Workflow::from_fields(self.cb.fields(self.index), self.cb.head.tasks)
    }

    crate::callback::workflow_fields!(owned_texts);

    named!(Workflow {
        create_time() -> Result<Option<Timestamp>, Error>;
        task_count() -> usize;
        cos_headers() -> Headers<'_>;
    });
}

owned_item!(
    OwnedWorkflow,
    Workflow,
    WorkflowField,
    "`WorkflowExecution`"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_types_are_send_sync_static() {
        fn check<T: Send + Sync + 'static>() {}
        check::<OwnedCallback>();
        check::<OwnedJob>();
        check::<OwnedTask>();
        check::<OwnedWorkflow>();
    }

    #[test]
    fn record_size_is_as_documented() {
        if cfg!(target_pointer_width = "64") {
            assert_eq!(core::mem::size_of::<Record>(), 264);
            // Documented on `Callback`.
            assert_eq!(core::mem::size_of::<Callback<'_>>(), 376);
        }
    }
}
