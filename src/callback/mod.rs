//! The typed view: what happened to my jobs, without paths and without allocating.
//!
//! [`Callback::parse`] checks a whole callback body (XML or JSON, sniffed; a
//! JSON `{"Response": {…}}` wrapper unwrapped exactly as the path layer does)
//! and hands back a small `Copy` view that borrows the body:
//!
//! - [`Callback::event`]: `TaskFinish`, `WorkflowFinish`, anything else as
//!   [`Event::Other`] (moderation callbacks, future kinds), or `None` for the
//!   older callbacks that carry no `EventName`;
//! - [`Callback::jobs`]: a lazy iterator over the `JobsDetail` items (one or
//!   many; a JSON object or array; XML siblings adjacent or not);
//! - [`Callback::workflow`]: the `WorkflowExecution`, with a lazy iterator
//!   over its `Tasks`.
//!
//! Each [`Job`], [`Task`] and [`Workflow`] is read in **one walk over its own
//! subtree** (the first job during `parse`, the others when the iterator
//! yields them): the positions of every known field
//! go into a fixed table inside the value (no heap), so every accessor is
//! O(1) and nothing rescans the document. Accessors return the value as
//! [`Text`] (`None` when the node is absent or JSON `null`; an empty element
//! is `Some("")`, not `None`) or a typed value: [`State`], [`Timestamp`],
//! `JobLevel` as `u32`. For job types not modelled here,
//! [`Job::get`] takes a raw path relative to the job.
//!
//! # Example
//! ```
//! use wanxiang::{Callback, Event, State};
//!
//! let body = br#"{"EventName": "TaskFinish", "JobsDetail": [
//!     {"JobId": "j1", "State": "Success", "EndTime": "2022-07-25T16:35:43+0800",
//!      "Operation": {"Output": {"Object": "out/zh.pdf"}, "JobLevel": 0}},
//!     {"JobId": "j2", "State": "Failed", "Code": "InternalError", "EndTime": "-"}]}"#;
//! let cb = Callback::parse(body)?; // checks the whole body; no allocation
//! assert_eq!(cb.event(), Some(Event::TaskFinish));
//! assert_eq!(cb.jobs().len(), 2);
//! for job in cb.jobs() {
//!     match job.state() {
//!         Some(State::Success) => {
//!             assert!(job.output_object().unwrap() == "out/zh.pdf");
//!             assert_eq!(job.end_time()?.unwrap().unix(), 1_658_738_143);
//!             assert_eq!(job.job_level()?, Some(0));
//!         }
//!         Some(State::Failed) => {
//!             assert!(job.code().unwrap() == "InternalError");
//!             assert_eq!(job.end_time()?, None); // `-`: not set
//!             assert_eq!(job.message(), None); // absent
//!         }
//!         other => panic!("unexpected state {other:?}"),
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Validation
//! Parsing always checks the whole document, as [`Validation::Full`](crate::Validation::Full) does,
//! whatever [`Options::validation`] says: a `Callback` is never handed out
//! for an ill-formed body, and that is what lets the iterators and
//! accessors be infallible. The limits and the JSON strictness of the
//! [`Options`] apply, and [`Limits::max_items`](crate::Limits::max_items)
//! bounds the number of jobs and of tasks ([`ErrorKind::ItemLimit`](crate::ErrorKind::ItemLimit)).
//!
//! # Cost
//! `parse` is one checking pass over the document, which also fills the
//! first job's table, so a one-job callback is read once. Iterating past the
//! first job (or over the tasks) is one more pass over the part of the
//! document that holds them, reading each further subtree once and skipping
//! everything else by its structure only. [`Job::cos_headers`] and [`Job::get`] walk the job's own
//! subtree again when called. [`Callback::parse_each_job`] reads every job
//! in the checking pass itself and hands each to a closure, so no job is
//! read twice (see its docs for what that means when the body is ill-formed).

use core::fmt;
use core::iter::FusedIterator;

use crate::config::Options;
use crate::error::ValueErrorKind;
use crate::path::schema::{schema, Entry, Schema};
use crate::path::Hit;
use crate::text::Text;
use crate::time::{self, value_error, Timestamp};
use crate::{Error, Format};

/// Generates the `Option<Text>` accessors of a view from its list of fields
/// (`job_fields!` and the like): one per field that names a method.
macro_rules! texts {
    (@one $name:ident::$variant:ident, $path:literal, [$(#[$vdoc:meta])*]) => {};
    (@one $name:ident::$variant:ident, $path:literal, [$(#[$vdoc:meta])*] $method:ident) => {
        #[doc = concat!("`", $path, "`")]
        $(#[$vdoc])*
        pub fn $method(&self) -> Option<Text<'buf>> {
            self.fields.text($name::$variant as usize)
        }
    };
    (
        $(#[$doc:meta])* $view:ident, $name:ident $(schema $schema:ident)? {
            $($(#[$vdoc:meta])* $variant:ident = $path:literal $(=> $method:ident)?,)*
        }
    ) => {
        $(texts!(@one $name::$variant, $path, [$(#[$vdoc])*] $($method)?);)*
    };
}

/// Generates a view's field enum from its list of fields (`job_fields!` and
/// the like): one variant per known node, documented by its path, the path
/// itself, and the list of all of them; with `schema NAME`, also the view's
/// schema when every path is one step (a leaf per variant, in table order).
macro_rules! field_enum {
    (
        $(#[$doc:meta])* $view:ident, $name:ident schema $schema:ident {
            $($(#[$vdoc:meta])* $variant:ident = $path:literal $(=> $method:ident)?,)*
        }
    ) => {
        field_enum! { $(#[$doc])* $view, $name { $($(#[$vdoc])* $variant = $path,)* } }

        pub(super) const $schema: &[Entry] = &[$(leaf($path, $name::$variant as usize),)*];
    };
    (
        $(#[$doc:meta])* $view:ident, $name:ident {
            $($(#[$vdoc:meta])* $variant:ident = $path:literal $(=> $method:ident)?,)*
        }
    ) => {
        $(#[$doc])*
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = concat!("`", $path, "`")] $(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every field, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The field's path relative to its item (syntax: crate docs, *Paths*).
            pub fn path(self) -> &'static str {
                match self {
                    $($name::$variant => $path,)*
                }
            }
        }
    };
}

/// Generates the accessors every item view (`Job`, `Task`, `Workflow`) has
/// over its `fields`; `$what` names the item in the docs.
macro_rules! item_accessors {
    ($field:ident, $what:literal) => {
        pub(crate) fn fields(&self) -> &Fields<'buf> {
            &self.fields
        }

        #[doc = concat!("`State` of the ", $what, ".")]
        pub fn state(&self) -> Option<State<'buf>> {
            self.fields.state($field::State as usize)
        }

        /// Any field by name, as text (`None` when absent or JSON `null`).
        pub fn text(&self, field: $field) -> Option<Text<'buf>> {
            self.fields.text(field as usize)
        }

        /// Any field as the path layer reports it (kind, offset, text); `None`
        /// only when absent. Equal to what [`PathSet`](crate::PathSet) gives
        /// for the field's path below the item.
        pub fn field(&self, field: $field) -> Option<Hit<'buf>> {
            self.fields.hit(field as usize)
        }

        #[doc = concat!("The first value of a raw path relative to the ", $what, " (for nodes")]
        /// not modelled here), as the path layer would give it.
        ///
        /// # Errors
        /// [`ErrorKind::BadPath`](crate::ErrorKind::BadPath) or
        /// [`ErrorKind::PathLimit`](crate::ErrorKind::PathLimit) for a path that
        /// does not compile (offset into `path`).
        ///
        /// # Complexity
        #[doc = concat!("Walks the ", $what, "'s subtree up to the first match; never allocates.")]
        pub fn get(&self, path: &str) -> Result<Option<Hit<'buf>>, Error> {
            self.fields.get(path)
        }

        #[doc = concat!("The ", $what, "'s raw bytes: the whole element, or the JSON value.")]
        pub fn raw(&self) -> &'buf [u8] {
            self.fields.raw()
        }

        #[doc = concat!("Byte offset of the ", $what, " in the document.")]
        pub fn offset(&self) -> usize {
            self.fields.start as usize
        }
    };
}

/// Generates `Debug` for an item view: its offset and the text of every
/// present field, by path, then `$extra` fields of the view.
macro_rules! debug_item {
    ($view:ident, $field:ident $(, $extra:ident)*) => {
        impl fmt::Debug for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = f.debug_struct(stringify!($view));
                d.field("offset", &self.offset());
                for &field in $field::ALL {
                    if let Some(t) = self.text(field) {
                        d.field(field.path(), &t.raw());
                    }
                }
                $(d.field(stringify!($extra), &self.$extra);)*
                d.finish()
            }
        }
    };
}

/// Generates a public iterator over [`Items`] that yields `$item`s, each
/// read with `$schema`.
macro_rules! items_iter {
    ($(#[$doc:meta])* $name:ident => $item:ident, $schema:expr) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name<'buf> {
            pub(super) items: super::Items<'buf>,
        }

        impl<'buf> Iterator for $name<'buf> {
            type Item = $item<'buf>;

            fn next(&mut self) -> Option<$item<'buf>> {
                self.items.next(&$schema, $item::from_fields)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                (self.items.remaining, Some(self.items.remaining))
            }
        }

        impl ExactSizeIterator for $name<'_> {}
        impl FusedIterator for $name<'_> {}

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("remaining", &self.items.remaining)
                    .finish()
            }
        }
    };
}

mod check;
mod job;
mod list;
#[cfg(feature = "serde")]
pub(crate) mod ser;
mod table;
mod workflow;

pub(crate) use check::Head;
pub(crate) use job::job_fields;
use list::List;
pub(crate) use table::{narrow, Span, Table};
pub(crate) use workflow::{task_fields, workflow_fields};

pub use job::{Job, JobField, JobFields, Jobs};
pub use workflow::{Task, TaskField, Tasks, Workflow, WorkflowField};

/// A schema leaf (shorthand for the schemas of the submodules).
const fn leaf(name: &'static str, slot: usize) -> Entry {
    Entry::leaf(name, slot)
}

// ---- the callback ----------------------------------------------------------

/// A checked callback body, viewed without copying or allocating.
///
/// `'buf` is the lifetime of the body: every value borrows from it. The view
/// is `Copy`. It holds what the checking pass learnt, including the first
/// job's field table (so [`jobs`](Callback::jobs) does not walk that job
/// again): 376 bytes on 64-bit targets, so pass it by reference in hot code.
/// See the [module docs](self) for an example.
#[derive(Clone, Copy)]
pub struct Callback<'buf> {
    input: &'buf [u8],
    /// The first job's raw bytes as checked UTF-8, when the checking pass
    /// gave them (see [`Fields`]).
    first_job: Option<&'buf str>,
    /// The event's raw bytes as checked UTF-8, when the checking pass gave
    /// them: [`event_name`](Callback::event_name) reads them with no UTF-8
    /// check.
    event: Option<&'buf str>,
    head: Head,
}

/// Views of the same body are equal whether or not they kept the first job's
/// table, a cache of what the body holds
/// ([`OwnedCallback::view`](crate::OwnedCallback::view) does not keep it).
impl PartialEq for Callback<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.input == other.input && self.head.without_first_job() == other.head.without_first_job()
    }
}

impl Eq for Callback<'_> {}

impl<'buf> Callback<'buf> {
    /// Checks `input` with the default [`Options`] and returns the view.
    ///
    /// # Errors
    /// Every [`Error`] the readers report for an ill-formed document (the
    /// whole document is checked), and [`ErrorKind::ItemLimit`](crate::ErrorKind::ItemLimit) for more jobs
    /// or tasks than [`Limits::max_items`](crate::Limits::max_items).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Callback, ErrorKind};
    /// let cb = Callback::parse(b"<Response><JobsDetail><JobId>a</JobId></JobsDetail></Response>")?;
    /// assert_eq!(cb.event(), None); // an older callback without EventName
    /// assert!(cb.jobs().next().unwrap().job_id().unwrap() == "a");
    /// // Ill-formed anywhere, even in parts no accessor reads: no view.
    /// let e = Callback::parse(b"<Response><X><Y></X></Response>").unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::MismatchedEndTag);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// One pass over the document, linear in its size.
    pub fn parse(input: &'buf [u8]) -> Result<Self, Error> {
        Self::parse_with(input, &Options::default())
    }

    /// [`parse`](Callback::parse) with explicit options. The limits and the
    /// JSON strictness apply; the validation mode does not: the typed view
    /// always checks the whole document (see the [module docs](self#validation)).
    ///
    /// # Errors
    /// As for [`parse`](Callback::parse).
    pub fn parse_with(input: &'buf [u8], options: &Options) -> Result<Self, Error> {
        Self::parse_fields(input, options, JobFields::ALL)
    }

    /// [`parse_with`](Callback::parse_with), recording only the job fields
    /// in `fields`: the others read as absent in every [`Job`] of the view
    /// (see [`JobFields`]). The document is checked whole all the same,
    /// the jobs are counted, and the event, the workflow and its tasks are
    /// read as by `parse_with`; only the work of finding and recording the
    /// fields left out is saved, in this pass and in [`jobs`](Callback::jobs).
    ///
    /// # Errors
    /// As for [`parse`](Callback::parse): the same errors at the same
    /// offsets, whatever `fields` holds.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Callback, JobField, JobFields, Options, State};
    /// const WANTED: JobFields = JobFields::of(&[JobField::JobId, JobField::State]);
    /// let body = b"<Response><JobsDetail><JobId>a</JobId><State>Failed</State>\
    ///     <Code>E1</Code></JobsDetail></Response>";
    /// let cb = Callback::parse_fields(body, &Options::default(), WANTED)?;
    /// let job = cb.jobs().next().unwrap();
    /// assert_eq!(job.state(), Some(State::Failed));
    /// assert_eq!(job.code(), None); // not asked for
    /// assert!(Callback::parse(body)?.jobs().next().unwrap().code().unwrap() == "E1");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// As for [`parse`](Callback::parse), with less work per job the fewer
    /// fields are asked for.
    pub fn parse_fields(
        input: &'buf [u8],
        options: &Options,
        fields: JobFields,
    ) -> Result<Self, Error> {
        // The head is filled aside and moved into the view returned: at
        // 376 bytes, one table copy less per parse than filling the view
        // inside an `Ok` (whose own copy out came on top; callgrind).
        let mut head = Head::EMPTY;
        head.fields = fields;
        let texts = check::scan(input, options, &mut head)?;
        Ok(Callback {
            input,
            first_job: texts.first_job,
            event: texts.event,
            head,
        })
    }

    /// The job fields this view records (see [`JobFields`]):
    /// [`JobFields::ALL`] unless it was made by
    /// [`parse_fields`](Callback::parse_fields) or
    /// [`parse_each_job_fields`](Callback::parse_each_job_fields).
    pub fn requested_fields(&self) -> JobFields {
        self.head.fields
    }

    /// [`parse_with`](Callback::parse_with), handing each job to `each` as
    /// the checking pass reads it: every job is read in that one pass,
    /// where [`jobs`](Callback::jobs) reads the jobs after the first again
    /// after it. The jobs are the same, in the same order, as `jobs` gives.
    ///
    /// # Errors
    /// As for [`parse`](Callback::parse). A job is given to `each` as soon
    /// as it is read, before the rest of the document is checked: when this
    /// returns an error, `each` may have been given the jobs before the
    /// error's position, from a document that is not well-formed. Use them
    /// only once this returns `Ok`.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Callback, Options};
    /// let body = br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#;
    /// let mut ids = Vec::new();
    /// let cb = Callback::parse_each_job(body, &Options::default(), |job| {
    ///     ids.push(job.job_id().unwrap().raw());
    /// })?;
    /// assert_eq!(ids, ["a", "b"]);
    /// assert_eq!(cb.job_count(), 2);
    /// // Ill-formed after the first job: it was given, the parse fails.
    /// let mut seen = 0;
    /// let bad = Callback::parse_each_job(br#"{"JobsDetail": [{}, {"#, &Options::default(), |_| seen += 1);
    /// assert!(bad.is_err() && seen == 1);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// One pass over the document, linear in its size; never allocates.
    pub fn parse_each_job(
        input: &'buf [u8],
        options: &Options,
        each: impl FnMut(Job<'buf>),
    ) -> Result<Self, Error> {
        Self::parse_each_job_fields(input, options, JobFields::ALL, each)
    }

    /// [`parse_each_job`](Callback::parse_each_job), recording only the job
    /// fields in `fields`, as [`parse_fields`](Callback::parse_fields) does:
    /// the jobs given to `each` and those of the view read the fields left
    /// out as absent.
    ///
    /// # Errors
    /// As for [`parse_each_job`](Callback::parse_each_job).
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Callback, JobField, JobFields, Options};
    /// let body = br#"{"JobsDetail": [{"JobId": "a", "Tag": "T"}, {"JobId": "b"}]}"#;
    /// let mut ids = Vec::new();
    /// let only_id = JobFields::of(&[JobField::JobId]);
    /// Callback::parse_each_job_fields(body, &Options::default(), only_id, |job| {
    ///     assert_eq!(job.tag(), None);
    ///     ids.push(job.job_id().unwrap().raw());
    /// })?;
    /// assert_eq!(ids, ["a", "b"]);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// As for [`parse_each_job`](Callback::parse_each_job), with less work
    /// per job the fewer fields are asked for.
    pub fn parse_each_job_fields(
        input: &'buf [u8],
        options: &Options,
        fields: JobFields,
        mut each: impl FnMut(Job<'buf>),
    ) -> Result<Self, Error> {
        let mut cb = Callback {
            input,
            first_job: None,
            event: None,
            head: Head {
                fields,
                ..Head::EMPTY
            },
        };
        let texts = check::scan_each(input, options, &mut cb.head, |f| {
            each(Job::from_fields(f));
        })?;
        (cb.first_job, cb.event) = (texts.first_job, texts.event);
        Ok(cb)
    }

    pub(crate) fn from_head(input: &'buf [u8], head: Head) -> Self {
        Callback {
            input,
            first_job: None,
            event: None,
            head,
        }
    }

    pub(crate) fn head(&self) -> Head {
        self.head
    }

    /// The format the body was read as.
    pub fn format(&self) -> Format {
        self.head.format
    }

    /// The whole body.
    pub fn input(&self) -> &'buf [u8] {
        self.input
    }

    /// The event kind; `None` when there is no `EventName` (or it is JSON `null`).
    pub fn event(&self) -> Option<Event<'buf>> {
        self.event_name().map(Event::from_text)
    }

    /// The `EventName` as written.
    pub fn event_name(&self) -> Option<Text<'buf>> {
        let event = self.head.event;
        // The event's own checked text, when the checking pass kept it.
        match self.event {
            Some(raw) => event.text_of(raw),
            None => event.text(self.input),
        }
    }

    /// Number of `JobsDetail` items (known from the checking pass).
    pub fn job_count(&self) -> usize {
        self.head.jobs
    }

    /// The `JobsDetail` items, in document order.
    ///
    /// # Complexity
    /// The first job was read by the checking pass: it costs nothing here.
    /// The jobs after it come from one walk over the root container, opened
    /// when the second job is asked for.
    pub fn jobs(&self) -> Jobs<'buf> {
        let head = &self.head;
        // Without a first job, `head.first` is the empty table.
        let (start, end) = head.first_job.unwrap_or((0, 0));
        Jobs {
            items: Items {
                // The table is copied once, into the iterator.
                first: head.first,
                first_span: (start, end),
                first_valid: self.first_job,
                has_first: head.first_job.is_some(),
                skip_first: head.first_job.is_some(),
                rest: None,
                within: None,
                in_root: head.jobs > 1,
                name: "JobsDetail",
                input: self.input,
                format: head.format,
                remaining: head.jobs,
                asked: head.fields,
            },
        }
    }

    /// The first `WorkflowExecution`, read in one walk over it.
    pub fn workflow(&self) -> Option<Workflow<'buf>> {
        let span = self.head.workflow?;
        let fields = Fields::read(
            self.input,
            self.head.format,
            span,
            &workflow::WORKFLOW_SCHEMA,
        );
        Some(Workflow::from_fields(fields, self.head.tasks))
    }

    /// The first value of a raw path (syntax: crate docs, *Paths*) read from the root,
    /// as [`PathSet::extract`](crate::PathSet::extract) would give it.
    ///
    /// # Errors
    /// [`ErrorKind::BadPath`](crate::ErrorKind::BadPath) or [`ErrorKind::PathLimit`](crate::ErrorKind::PathLimit), with the offset
    /// into `path`, for a path that does not compile.
    ///
    /// # Examples
    /// ```
    /// let cb = wanxiang::Callback::parse(br#"{"Response": {"RequestId": "r-1"}}"#)?;
    /// assert!(cb.get("RequestId")?.unwrap().text() == "r-1");
    /// assert_eq!(cb.get("Nope")?, None);
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    ///
    /// # Complexity
    /// Walks the document up to the first match; never allocates.
    pub fn get(&self, path: &str) -> Result<Option<Hit<'buf>>, Error> {
        list::get_doc(self.input, path)
    }
}

impl fmt::Debug for Callback<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("format", &self.head.format)
            .field("event", &self.event())
            .field("jobs", &self.head.jobs)
            .field("workflow", &self.head.workflow.is_some())
            .field("tasks", &self.head.tasks)
            .finish()
    }
}

// ---- event and state -------------------------------------------------------

/// The kind of callback (`EventName`).
///
/// # Examples
/// ```
/// use wanxiang::{Event, Text};
/// assert_eq!(Event::from_text(Text::plain("WorkflowFinish")), Event::WorkflowFinish);
/// let other = Event::from_text(Text::plain("ReviewImage"));
/// assert!(matches!(other, Event::Other(t) if t == "ReviewImage"));
/// assert_eq!(other.to_string(), "ReviewImage");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event<'buf> {
    /// `TaskFinish`: jobs finished; see [`Callback::jobs`].
    TaskFinish,
    /// `WorkflowFinish`: a workflow run finished; see [`Callback::workflow`].
    WorkflowFinish,
    /// Any other name (content moderation's `ReviewImage`, …), as written.
    Other(Text<'buf>),
}

impl<'buf> Event<'buf> {
    /// Classifies an event name (compared decoded, so `Task\u0046inish` is `TaskFinish`).
    pub fn from_text(name: Text<'buf>) -> Self {
        if name == "TaskFinish" {
            Event::TaskFinish
        } else if name == "WorkflowFinish" {
            Event::WorkflowFinish
        } else {
            Event::Other(name)
        }
    }
}

impl<'buf> Event<'buf> {
    /// The event's name: the document's own text for [`Event::Other`], a plain
    /// text for the known events.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{Event, Text};
    /// assert_eq!(Event::TaskFinish.name(), "TaskFinish");
    /// assert_eq!(Event::from_text(Text::plain("ReviewImage")).name(), "ReviewImage");
    /// ```
    pub fn name(&self) -> Text<'buf> {
        match self {
            Event::TaskFinish => Text::plain("TaskFinish"),
            Event::WorkflowFinish => Text::plain("WorkflowFinish"),
            Event::Other(t) => *t,
        }
    }
}

impl fmt::Display for Event<'_> {
    /// The decoded name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::TaskFinish => f.write_str("TaskFinish"),
            Event::WorkflowFinish => f.write_str("WorkflowFinish"),
            Event::Other(t) => t.write_to(f),
        }
    }
}

/// The state of a job, task or workflow (`State`).
///
/// Unknown states are kept, never an error.
///
/// # Examples
/// ```
/// use wanxiang::{State, Text};
/// assert_eq!(State::from_text(Text::plain("Success")), State::Success);
/// assert!(matches!(State::from_text(Text::plain("Paused?")), State::Other(t) if t == "Paused?"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State<'buf> {
    /// `Submitted`
    Submitted,
    /// `Running`
    Running,
    /// `Success`
    Success,
    /// `Failed`
    Failed,
    /// `Pause`
    Pause,
    /// `Cancel`
    Cancel,
    /// Anything else, as written.
    Other(Text<'buf>),
}

impl<'buf> State<'buf> {
    /// Classifies a state name (exact, case-sensitive, compared decoded).
    pub fn from_text(name: Text<'buf>) -> Self {
        const KNOWN: [(&str, State<'static>); 6] = [
            ("Success", State::Success),
            ("Failed", State::Failed),
            ("Running", State::Running),
            ("Submitted", State::Submitted),
            ("Cancel", State::Cancel),
            ("Pause", State::Pause),
        ];
        KNOWN
            .iter()
            .find(|(s, _)| name == *s)
            .map_or(State::Other(name), |&(_, st)| st)
    }

    /// The name of every state, unknown ones included: the document's own
    /// text for [`State::Other`], a plain text for the known states.
    ///
    /// # Examples
    /// ```
    /// use wanxiang::{State, Text};
    /// assert_eq!(State::Success.name(), "Success");
    /// let odd = State::from_text(Text::plain("Paused?"));
    /// assert_eq!(odd.name(), "Paused?");
    /// assert_eq!(odd.name().as_str(), Some("Paused?")); // borrowed: no escapes
    /// ```
    pub fn name(&self) -> Text<'buf> {
        match self {
            State::Other(t) => *t,
            known => Text::plain(known.known_name().unwrap_or("")),
        }
    }

    /// The name of a known state; `None` for [`State::Other`].
    #[deprecated(
        note = "gives None for unknown states; use `State::name`, which names every state"
    )]
    pub fn as_str(&self) -> Option<&'static str> {
        self.known_name()
    }

    fn known_name(&self) -> Option<&'static str> {
        Some(match self {
            State::Submitted => "Submitted",
            State::Running => "Running",
            State::Success => "Success",
            State::Failed => "Failed",
            State::Pause => "Pause",
            State::Cancel => "Cancel",
            State::Other(_) => return None,
        })
    }
}

impl fmt::Display for State<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.known_name()) {
            (_, Some(s)) => f.write_str(s),
            (State::Other(t), None) => t.write_to(f),
            _ => Ok(()),
        }
    }
}

// ---- one item's fields -------------------------------------------------------

/// The fields of one item (job, task, workflow, header): where it is and the
/// spans of its known fields.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'buf> {
    input: &'buf [u8],
    /// The item's raw bytes (`start..end`) as checked UTF-8, when known:
    /// its values are cut out of it without a UTF-8 check of their own.
    valid: Option<&'buf str>,
    format: Format,
    start: u32,
    end: u32,
    /// For a job: the fields the parse recorded (the others are absent
    /// from `table`). [`JobFields::ALL`] for other items.
    asked: JobFields,
    table: Table,
}

/// Equal whether or not they kept the item's text (`valid`), a cache of
/// what the input holds.
impl PartialEq for Fields<'_> {
    fn eq(&self, other: &Self) -> bool {
        let key = |f: &Self| (f.input, f.format, f.start, f.end, f.asked);
        key(self) == key(other) && self.table == other.table
    }
}

impl Eq for Fields<'_> {}

impl<'buf> Fields<'buf> {
    pub(crate) fn new(
        input: &'buf [u8],
        format: Format,
        span: (usize, usize),
        table: Table,
    ) -> Self {
        Fields {
            input,
            valid: None,
            format,
            start: narrow(span.0),
            end: narrow(span.1),
            asked: JobFields::ALL,
            table,
        }
    }

    /// The same job's fields, recorded for the set `asked`.
    pub(crate) fn asking(self, asked: JobFields) -> Self {
        Fields { asked, ..self }
    }

    /// The same item, whose raw bytes are `valid` (checked UTF-8).
    pub(crate) fn valid(self, valid: Option<&'buf str>) -> Self {
        Fields { valid, ..self }
    }

    /// The item's text and offset, for [`Span::text_in`].
    fn item(&self) -> Option<(&'buf str, u32)> {
        Some((self.valid?, self.start))
    }

    /// The job fields recorded.
    pub(crate) fn asked(&self) -> JobFields {
        self.asked
    }

    /// The next item of `list`, read with `schema` straight into the view's
    /// table.
    pub(crate) fn next_in(list: &mut List<'buf>, schema: &Schema) -> Option<Self> {
        let mut fields = Fields::new(list.input(), list.format(), (0, 0), Table::EMPTY);
        let (a, b) = list.next(schema, &mut fields.table)?;
        fields.start = narrow(a);
        fields.end = narrow(b);
        fields.valid = list.text(a, b);
        Some(fields)
    }

    /// Reads the item at `span` (of a checked document) with `schema`.
    fn read(input: &'buf [u8], format: Format, span: (usize, usize), schema: &Schema) -> Self {
        let table = list::read(input, format, span, schema);
        Fields::new(input, format, span, table)
    }

    pub(crate) fn span(&self) -> (usize, usize) {
        (self.start as usize, self.end as usize)
    }

    pub(crate) fn table(&self) -> &Table {
        &self.table
    }

    fn raw(&self) -> &'buf [u8] {
        self.input
            .get(self.start as usize..self.end as usize)
            .unwrap_or(&[])
    }

    fn text(&self, slot: usize) -> Option<Text<'buf>> {
        self.table.get(slot).text_in(self.input, self.item())
    }

    fn hit(&self, slot: usize) -> Option<Hit<'buf>> {
        self.table.get(slot).hit(self.input, self.item())
    }

    fn state(&self, slot: usize) -> Option<State<'buf>> {
        self.text(slot).map(State::from_text)
    }

    fn time(&self, slot: usize) -> Result<Option<Timestamp>, Error> {
        self.typed(
            slot,
            time::parse_at,
            ValueErrorKind::Syntax {
                expected: "the end of the timestamp",
            },
        )
    }

    fn level(&self, slot: usize) -> Result<Option<u32>, Error> {
        self.typed(slot, time::parse_level, ValueErrorKind::Number)
    }

    /// Parses the text at `slot`, decoding it into a small stack buffer first
    /// when it holds escapes (typed values are short; a longer one is invalid).
    fn typed<T>(
        &self,
        slot: usize,
        parse: fn(&[u8]) -> Result<Option<T>, time::ValueFail>,
        too_long: ValueErrorKind,
    ) -> Result<Option<T>, Error> {
        let span = self.table.get(slot);
        let Some(text) = span.text_in(self.input, self.item()) else {
            return Ok(None);
        };
        let at = span.start as usize;
        if let Some(s) = text.as_str() {
            return parse(s.as_bytes()).map_err(|(k, i)| value_error(k, at + i, self.input));
        }
        let mut buf = Small {
            bytes: [0; 32],
            len: 0,
        };
        if text.write_to(&mut buf).is_err() {
            return Err(value_error(too_long, at, self.input));
        }
        parse(buf.bytes.get(..buf.len).unwrap_or(&[]))
            .map_err(|(k, _)| value_error(k, at, self.input))
    }

    fn get(&self, path: &str) -> Result<Option<Hit<'buf>>, Error> {
        list::get_in(self.input, self.format, self.span(), path)
    }

    /// The `CosHeaders` items of the container at `span` (none when `None`).
    fn headers_in(&self, span: Option<(usize, usize)>) -> Headers<'buf> {
        Headers {
            list: List::open(self.input, self.format, span, "CosHeaders"),
        }
    }
}

/// A fixed buffer for decoding short typed values.
struct Small {
    bytes: [u8; 32],
    len: usize,
}

impl fmt::Write for Small {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fields")
            .field("span", &self.span())
            .field("format", &self.format)
            .finish()
    }
}

// ---- lists of items -------------------------------------------------------------

/// The items named `name` of one container of a checked document, as many
/// as the checking pass counted: `first` when that pass read it already
/// (the first job), then the others from a walk over the container, opened
/// when the first of them is asked for.
#[derive(Clone)]
pub(crate) struct Items<'buf> {
    /// The first item's table, span and checked text, when `has_first`
    /// (kept in place, not as `Fields` in an `Option` taken out: the table
    /// is copied once, into the view returned, as one block of 256 bytes).
    first: Table,
    first_span: (u32, u32),
    first_valid: Option<&'buf str>,
    has_first: bool,
    rest: Option<List<'buf>>,
    /// The container (`None` when there are no items, or when `in_root`).
    within: Option<(usize, usize)>,
    /// The items are in the document's root container (the jobs).
    in_root: bool,
    /// Whether `first` was given (so the walk must step over it).
    skip_first: bool,
    name: &'static str,
    input: &'buf [u8],
    format: Format,
    remaining: usize,
    /// The job fields read ([`JobFields::ALL`] for other items).
    asked: JobFields,
}

impl<'buf> Items<'buf> {
    #[inline]
    fn new(
        input: &'buf [u8],
        format: Format,
        within: Option<(usize, usize)>,
        name: &'static str,
        count: usize,
    ) -> Self {
        Items {
            skip_first: false,
            has_first: false,
            first: Table::EMPTY,
            first_span: (0, 0),
            first_valid: None,
            rest: None,
            within,
            in_root: false,
            name,
            input,
            format,
            remaining: count,
            asked: JobFields::ALL,
        }
    }

    /// The next item, read with `schema` and made into a view by `item`; a
    /// list that ends before its count ends the iteration.
    #[inline]
    fn next<T>(&mut self, schema: &Schema, item: fn(Fields<'buf>) -> T) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        if self.has_first {
            self.has_first = false;
            self.remaining -= 1;
            return Some(item(Fields {
                input: self.input,
                valid: self.first_valid,
                format: self.format,
                start: self.first_span.0,
                end: self.first_span.1,
                asked: self.asked,
                table: self.first,
            }));
        }
        // Not `item` in `next_read`: the view returned here then has no
        // address given to a call, and the compiler keeps its fields in
        // registers (the first one's table is not copied whole; callgrind).
        self.next_read(schema).map(item)
    }

    /// [`next`](Items::next) past the first item, read from the walk. Out
    /// of line: its frame (the walk's, several KiB) is not set up for the
    /// first item, which is already read (callgrind).
    #[inline(never)]
    fn next_read(&mut self, schema: &Schema) -> Option<Fields<'buf>> {
        let list = match &mut self.rest {
            Some(list) => list,
            rest => {
                let mut list = match self.in_root {
                    true => List::root(self.input, self.format, self.name),
                    false => List::open(self.input, self.format, self.within, self.name),
                };
                if self.skip_first {
                    list.pass();
                }
                rest.insert(list)
            }
        };
        let schema = schema.keeping(!self.asked.dropped());
        let fields = Fields::next_in(list, &schema).map(|f| f.asking(self.asked));
        self.remaining = if fields.is_some() {
            self.remaining - 1
        } else {
            0
        };
        fields
    }
}

// ---- CosHeaders ----------------------------------------------------------------

/// One `CosHeaders` item: a custom header of the input object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'buf> {
    /// `Key`.
    pub key: Option<Text<'buf>>,
    /// `Value`.
    pub value: Option<Text<'buf>>,
}

const HEADER: Schema = schema!(None, &[leaf("Key", 0), leaf("Value", 1)]);

/// `CosHeaders` items, lazily; see [`Job::cos_headers`] and [`Workflow::cos_headers`].
#[derive(Clone)]
pub struct Headers<'buf> {
    list: List<'buf>,
}

impl<'buf> Iterator for Headers<'buf> {
    type Item = Header<'buf>;

    fn next(&mut self) -> Option<Header<'buf>> {
        let f = Fields::next_in(&mut self.list, &HEADER)?;
        Some(Header {
            key: f.text(0),
            value: f.text(1),
        })
    }
}

impl FusedIterator for Headers<'_> {}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Headers").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::job::{INPUT, JOB};
    use super::workflow::{TASK, WORKFLOW};
    use super::*;

    /// Follows `path` through `schema` to its leaf slot.
    fn slot_of(schema: &[Entry], path: &str) -> Option<usize> {
        let mut level = schema;
        let mut slot = None;
        for step in path.split('.') {
            let e = level.iter().find(|e| e.name == step)?;
            slot = e.slot;
            level = e.children;
        }
        slot
    }

    /// The event read from the text the checking pass kept is the one
    /// read from the span alone (as a view rebuilt from its head, which
    /// keeps no text, reads it): escaped, non-ASCII, empty, `null`, a
    /// number, an object, absent, a second `EventName`, at every length.
    #[test]
    fn the_kept_event_text_reads_as_the_span() {
        use alloc::format;
        use alloc::string::String;
        use alloc::vec::Vec;
        let mut bodies: Vec<String> = Vec::new();
        for n in 0..20 {
            let name: String = "TaskFinishé".chars().cycle().take(n).collect();
            bodies.push(format!(
                "<Response><EventName>{name}</EventName></Response>"
            ));
            bodies.push(format!(
                "<Response><EventName>a&amp;{name}</EventName></Response>"
            ));
            bodies.push(format!(r#"{{"EventName": "{name}"}}"#));
            bodies.push(format!(r#"{{"EventName": "\u00e9{name}\n"}}"#));
        }
        bodies.extend(
            [
                "<Response><EventName/></Response>",
                "<Response><EventName><![CDATA[x<y]]></EventName></Response>",
                "<Response><JobsDetail><JobId>j</JobId></JobsDetail><EventName>b</EventName><EventName>c</EventName></Response>",
                "<Response/>",
                r#"{"EventName": null}"#,
                r#"{"EventName": 12}"#,
                r#"{"EventName": {"a": 1}}"#,
                r#"{"JobsDetail": [{"JobId": "j"}], "EventName": "e"}"#,
                r#"{}"#,
            ]
            .map(String::from),
        );
        for body in &bodies {
            let input = body.as_bytes();
            for fields in [JobFields::ALL, JobFields::NONE] {
                let each =
                    Callback::parse_each_job_fields(input, &Options::default(), fields, |_| {});
                for cb in [
                    Callback::parse_fields(input, &Options::default(), fields),
                    each,
                ] {
                    let cb = cb.unwrap_or_else(|e| panic!("{body}: {e}"));
                    let rebuilt = Callback::from_head(input, cb.head());
                    assert_eq!(rebuilt.event, None);
                    // The pass keeps the text of every event it found.
                    assert_eq!(cb.event.is_some(), cb.head.event.kind().is_some(), "{body}");
                    let (kept, span) = (cb.event_name(), rebuilt.event_name());
                    assert_eq!(
                        kept.map(|t| (t.raw(), t.escape())),
                        span.map(|t| (t.raw(), t.escape())),
                        "{body}"
                    );
                }
            }
        }
    }

    #[test]
    fn schemas_match_field_paths() {
        for &f in JobField::ALL {
            assert_eq!(slot_of(JOB, f.path()), Some(f as usize), "{f:?}");
        }
        for &f in TaskField::ALL {
            assert_eq!(slot_of(TASK, f.path()), Some(f as usize), "{f:?}");
        }
        for &f in WorkflowField::ALL {
            assert_eq!(slot_of(WORKFLOW, f.path()), Some(f as usize), "{f:?}");
        }
        assert_eq!(slot_of(JOB, "Input"), Some(INPUT));
        const { assert!(INPUT < table::SLOTS) };
    }

    /// Items are read as items, not as documents: a job is never unwrapped
    /// from `{"Response": …}`, and a job that is an array has no fields, as
    /// the path layer reads `JobsDetail.k.…`.
    #[test]
    fn items_are_not_read_as_documents() {
        let doc =
            br#"{"JobsDetail": [{"Response": {"JobId": "x"}}, [{"JobId": "y"}], {"JobId": "z"}]}"#;
        let cb = Callback::parse(doc).unwrap();
        let set =
            crate::PathSet::compile(["JobsDetail.#.JobId", "JobsDetail.#.Response.JobId"]).unwrap();
        let mut slots = [Hit::EMPTY; 8];
        let found = set.extract(doc, &mut slots).unwrap();
        let ids: alloc::vec::Vec<_> = found.all(0).map(|h| h.text().raw()).collect();
        assert_eq!(ids, ["z"]);
        let jobs: alloc::vec::Vec<_> = cb.jobs().collect();
        assert_eq!(jobs.len(), 3);
        let typed: alloc::vec::Vec<_> = jobs
            .iter()
            .filter_map(|j| j.job_id())
            .map(|t| t.raw())
            .collect();
        assert_eq!(typed, ids);
        let inner = jobs[0].get("Response.JobId").unwrap().unwrap();
        let theirs = found.first(1).unwrap();
        assert_eq!(
            (inner.kind(), inner.offset(), inner.text()),
            (theirs.kind(), theirs.offset(), theirs.text())
        );
        assert_eq!(jobs[1].raw(), br#"[{"JobId": "y"}]"#);
        assert_eq!(jobs[0].get("JobId").unwrap(), None);
    }

    /// The jobs after the first are found in the root container the path
    /// layer reads: around a prolog, a byte-order mark and trailing markup,
    /// inside a `{"Response": {…}}` wrapper (escaped or with a trailing
    /// comma), and not inside an object that only starts like one.
    #[test]
    fn later_jobs_are_read_from_the_paths_root() {
        let docs: [&[u8]; 9] = [
            b"<R><JobsDetail><JobId>a</JobId></JobsDetail><X/><JobsDetail><JobId>b</JobId></JobsDetail></R>",
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><R>\n<JobsDetail><JobId>a</JobId></JobsDetail>\
              <JobsDetail><JobId>b</JobId></JobsDetail><JobsDetail/></R><!-- d -->\n",
            br#"{"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}], "JobsDetail": {"JobId": "c"}}"#,
            br#"  {"Response": {"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}}  "#,
            b"\xEF\xBB\xBF{\"Response\": {\"JobsDetail\": [{\"JobId\": \"a\"}, {\"JobId\": \"b\"}]}}",
            br#"{"Respons\u0065": {"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}}"#,
            br#"{"Response": {"JobsDetail": [{"JobId": "a"}, {"JobId": "b"}],}, }"#,
            br#"{"Response": {"JobsDetail": [{"JobId": "x"}, {"JobId": "y"}]},
                 "JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#,
            br#"{"Response": [{"JobsDetail": {"JobId": "x"}}], "JobsDetail": [{"JobId": "a"}, {"JobId": "b"}]}"#,
        ];
        let set = crate::PathSet::compile(["JobsDetail.#.JobId", "JobsDetail.#"]).unwrap();
        for doc in docs {
            let mut slots = [Hit::EMPTY; 8];
            let found = set.extract(doc, &mut slots).unwrap();
            let want: alloc::vec::Vec<_> = found.all(0).map(|h| h.text().raw()).collect();
            assert!(want.len() >= 2, "{want:?}");
            let cb = Callback::parse(doc).unwrap();
            assert_eq!(cb.job_count(), found.all(1).count());
            let got: alloc::vec::Vec<_> = cb
                .jobs()
                .filter_map(|j| j.job_id())
                .map(|t| t.raw())
                .collect();
            assert_eq!(got, want, "{}", alloc::string::String::from_utf8_lossy(doc));
            assert_eq!(cb.jobs().count(), cb.job_count());
        }
    }

    /// Values cut out of the job's checked text (the first job, every job of
    /// `parse_each_job`, the later JSON jobs) are the path layer's, with
    /// multi-byte characters and escapes, as are those of a view that
    /// checks each value (as the owned form's does).
    #[test]
    fn values_cut_from_a_jobs_text_are_the_path_layers() {
        let docs: [&[u8]; 2] = [
            "{\"JobsDetail\": [{\"JobId\": \"é1\", \"Code\": \"a\\\"β\", \"Operation\": {\"UserData\": \"中文\"}},
              {\"JobId\": \"ü2\", \"Tag\": \"\\u4e2d\"}, {\"JobId\": 3, \"Message\": null}]}"
                .as_bytes(),
            "<R><JobsDetail><JobId>é1</JobId><Code>a&amp;β</Code><Operation><UserData>中<![CDATA[文]]></UserData>\
              </Operation></JobsDetail><JobsDetail><JobId>ü2</JobId></JobsDetail></R>"
                .as_bytes(),
        ];
        let paths = JobField::ALL
            .iter()
            .map(|f| alloc::format!("JobsDetail.#.{}", f.path()));
        let set = crate::PathSet::compile(paths).unwrap();
        for doc in docs {
            let mut slots = [Hit::EMPTY; 64];
            let found = set.extract(doc, &mut slots).unwrap();
            let cb = Callback::parse(doc).unwrap();
            let mut each = alloc::vec::Vec::new();
            Callback::parse_each_job(doc, &Options::default(), |j| each.push(j)).unwrap();
            // As the owned form makes it: no first job's text.
            let again = Callback::from_head(doc, cb.head());
            let views = [cb.jobs().collect(), each, again.jobs().collect()];
            for (k, &f) in JobField::ALL.iter().enumerate() {
                let want: alloc::vec::Vec<_> =
                    found.all(k).map(|h| (h.offset(), h.text())).collect();
                for jobs in &views {
                    let got: alloc::vec::Vec<_> = jobs
                        .iter()
                        .filter_map(|j| j.field(f))
                        .map(|h| (h.offset(), h.text()))
                        .collect();
                    assert_eq!(got, want, "{f:?}");
                }
            }
        }
    }

    #[test]
    fn states_and_events_round_trip() {
        for s in [
            "Submitted",
            "Running",
            "Success",
            "Failed",
            "Pause",
            "Cancel",
        ] {
            let st = State::from_text(Text::plain(s));
            assert_eq!(st.known_name(), Some(s));
            assert_eq!(st.name(), s);
            assert_eq!(alloc::format!("{st}"), s);
        }
        let other = State::from_text(Text::plain("success"));
        assert!(matches!(other, State::Other(t) if t == "success"));
        assert_eq!(alloc::format!("{other}"), "success");
        assert_eq!(other.name(), "success");
    }
}
