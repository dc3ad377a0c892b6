//! `JobsDetail` items: [`Job`], [`JobField`] and the [`Jobs`] iterator.

use core::fmt;
use core::iter::FusedIterator;

use super::{leaf, Fields, Headers, Span, State};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::{Hit, Mask};
use crate::text::Text;
use crate::time::Timestamp;
use crate::Error;

// ---- jobs --------------------------------------------------------------------

/// `Job`'s fields, handed to `$gen`: `field_enum` makes [`JobField`] of them,
/// `texts` the text accessors of [`Job`] and `owned_texts` those of its owned
/// form. Each field is written once: variant, path, text accessor if any.
macro_rules! job_fields {
    ($gen:ident) => {
        $gen! {
            /// The known nodes of a `JobsDetail` item (translation schema of the seed,
            /// plus the nodes media jobs add). Each reads like a path with
            /// no selector: the first item of each step.
            ///
            /// # Examples
            /// ```
            /// use wanxiang::JobField;
            /// assert_eq!(JobField::OutputObject.path(), "Operation.Output.Object");
            /// assert_eq!(JobField::ALL.len(), 29);
            /// ```
            Job, JobField {
                /// (meaningful when the job failed)
                Code = "Code" => code,
                /// (meaningful when the job failed)
                Message = "Message" => message,
                JobId = "JobId" => job_id,
                /// (the job type: `Translation`, `Transcode`, …)
                Tag = "Tag" => tag,
                State = "State",
                CreationTime = "CreationTime",
                StartTime = "StartTime",
                EndTime = "EndTime",
                QueueId = "QueueId" => queue_id,
                InputObject = "Input.Object" => input_object,
                InputLang = "Input.Lang" => input_lang,
                InputType = "Input.Type" => input_type,
                InputBasicType = "Input.BasicType" => input_basic_type,
                InputBucketId = "Input.BucketId" => input_bucket_id,
                InputRegion = "Input.Region" => input_region,
                TranslationLang = "Operation.Translation.Lang" => translation_lang,
                TranslationType = "Operation.Translation.Type" => translation_type,
                OutputRegion = "Operation.Output.Region" => output_region,
                OutputBucket = "Operation.Output.Bucket" => output_bucket,
                OutputObject = "Operation.Output.Object" => output_object,
                /// (the submitter's own pass-through string)
                UserData = "Operation.UserData" => user_data,
                JobLevel = "Operation.JobLevel",
                TemplateId = "Operation.TemplateId" => template_id,
                TemplateName = "Operation.TemplateName" => template_name,
                AiTranslateResult = "Operation.AITranslateResult.Result" => ai_translate_result,
                /// (jobs a workflow started)
                WorkflowRunId = "Workflow.RunId" => workflow_run_id,
                WorkflowId = "Workflow.WorkflowId" => workflow_id,
                WorkflowName = "Workflow.WorkflowName" => workflow_name,
                /// (the workflow node that ran the job)
                WorkflowNode = "Workflow.Name" => workflow_node,
            }
        }
    };
}
pub(crate) use job_fields;

job_fields!(field_enum);

/// A set of [`JobField`]s: the job fields a parse records
/// ([`Callback::parse_fields`](crate::Callback::parse_fields)).
///
/// A parse that asks for fewer fields does less work: the fields not asked
/// for are skipped inside each job exactly as the nodes the view does not
/// model are (the document is still checked whole). In the [`Job`]s it
/// gives, a field not asked for reads as absent: `None` from its accessor,
/// from [`Job::text`] and [`Job::field`], `Ok(None)` from the typed ones.
/// [`Job::requested_fields`] says which were asked; [`Job::get`] reads any
/// path, asked or not.
///
/// `Copy`, one word; [`ALL`](JobFields::ALL) is what
/// [`Callback::parse`](crate::Callback::parse) records.
///
/// # Examples
/// ```
/// use wanxiang::{Callback, JobField, JobFields, Options};
/// const WANTED: JobFields = JobFields::of(&[JobField::JobId, JobField::State]);
/// let body = br#"{"JobsDetail": {"JobId": "j1", "State": "Success", "Tag": "Translation"}}"#;
/// let cb = Callback::parse_fields(body, &Options::default(), WANTED)?;
/// let job = cb.jobs().next().unwrap();
/// assert!(job.job_id().unwrap() == "j1");
/// assert_eq!(job.tag(), None); // not asked for
/// assert!(job.get("Tag")?.unwrap().text() == "Translation"); // a raw path still reads it
/// assert_eq!(job.requested_fields(), WANTED);
/// assert!(WANTED.contains(JobField::State) && !WANTED.contains(JobField::Tag));
/// assert_eq!(WANTED.with(JobField::Tag).len(), 3);
/// # Ok::<(), wanxiang::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobFields(u32);

impl JobFields {
    /// Every field.
    pub const ALL: JobFields = JobFields(u32::MAX >> (32 - JobField::ALL.len()));

    /// No field: the jobs are still counted, checked and can be read by
    /// [`Job::get`].
    pub const NONE: JobFields = JobFields(0);

    /// The set of `fields`.
    // A constant-evaluable loop: `i < fields.len()`.
    #[allow(clippy::indexing_slicing)]
    pub const fn of(fields: &[JobField]) -> JobFields {
        let mut set = JobFields::NONE;
        let mut i = 0;
        while i < fields.len() {
            set = set.with(fields[i]);
            i += 1;
        }
        set
    }

    /// This set and `field`.
    pub const fn with(self, field: JobField) -> JobFields {
        JobFields(self.0 | 1 << field as u32)
    }

    /// This set without `field`.
    pub const fn without(self, field: JobField) -> JobFields {
        JobFields(self.0 & !(1 << field as u32))
    }

    /// Whether `field` is in the set.
    pub const fn contains(self, field: JobField) -> bool {
        self.0 & 1 << field as u32 != 0
    }

    /// Number of fields in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields of the set, in [`JobField::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = JobField> + Clone {
        JobField::ALL
            .iter()
            .copied()
            .filter(move |&f| self.contains(f))
    }

    /// The table slots of the checking schemas this set leaves out: the job
    /// fields not asked for, and the whole `Input` unless every field is
    /// (only [`Job::cos_headers`] uses it, and reads it by path otherwise).
    pub(crate) fn dropped(self) -> Mask {
        let missing = Mask::from(!self.0 & JobFields::ALL.0);
        match self == JobFields::ALL {
            true => 0,
            false => missing | 1 << INPUT,
        }
    }
}

impl Default for JobFields {
    /// [`ALL`](JobFields::ALL), as [`Callback::parse`](crate::Callback::parse) records.
    fn default() -> Self {
        JobFields::ALL
    }
}

impl From<JobField> for JobFields {
    fn from(field: JobField) -> Self {
        JobFields::NONE.with(field)
    }
}

impl FromIterator<JobField> for JobFields {
    fn from_iter<I: IntoIterator<Item = JobField>>(fields: I) -> Self {
        fields.into_iter().fold(JobFields::NONE, JobFields::with)
    }
}

impl core::ops::BitOr for JobFields {
    type Output = JobFields;

    fn bitor(self, other: JobFields) -> JobFields {
        JobFields(self.0 | other.0)
    }
}

impl fmt::Debug for JobFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Table slot of the whole `Input` container (for `CosHeaders`).
pub(super) const INPUT: usize = JobField::ALL.len();

/// The job schema, laid out for the path engine.
pub(super) const JOB_SCHEMA: Schema = schema!(None, JOB);

/// The job schema; [`tests::schemas_match_field_paths`] checks it against [`JobField::path`].
pub(super) const JOB: &[Entry] = {
    use JobField as F;
    &[
        leaf("Code", F::Code as usize),
        leaf("Message", F::Message as usize),
        leaf("JobId", F::JobId as usize),
        leaf("Tag", F::Tag as usize),
        leaf("State", F::State as usize),
        leaf("CreationTime", F::CreationTime as usize),
        leaf("StartTime", F::StartTime as usize),
        leaf("EndTime", F::EndTime as usize),
        leaf("QueueId", F::QueueId as usize),
        Entry {
            name: "Input",
            slot: Some(INPUT),
            every: false,
            inside: false,
            children: &[
                leaf("Object", F::InputObject as usize),
                leaf("Lang", F::InputLang as usize),
                leaf("Type", F::InputType as usize),
                leaf("BasicType", F::InputBasicType as usize),
                leaf("BucketId", F::InputBucketId as usize),
                leaf("Region", F::InputRegion as usize),
            ],
        },
        Entry::group(
            "Operation",
            &[
                Entry::group(
                    "Translation",
                    &[
                        leaf("Lang", F::TranslationLang as usize),
                        leaf("Type", F::TranslationType as usize),
                    ],
                ),
                Entry::group(
                    "Output",
                    &[
                        leaf("Region", F::OutputRegion as usize),
                        leaf("Bucket", F::OutputBucket as usize),
                        leaf("Object", F::OutputObject as usize),
                    ],
                ),
                leaf("UserData", F::UserData as usize),
                leaf("JobLevel", F::JobLevel as usize),
                leaf("TemplateId", F::TemplateId as usize),
                leaf("TemplateName", F::TemplateName as usize),
                Entry::group(
                    "AITranslateResult",
                    &[leaf("Result", F::AiTranslateResult as usize)],
                ),
            ],
        ),
        Entry::group(
            "Workflow",
            &[
                leaf("RunId", F::WorkflowRunId as usize),
                leaf("WorkflowId", F::WorkflowId as usize),
                leaf("WorkflowName", F::WorkflowName as usize),
                leaf("Name", F::WorkflowNode as usize),
            ],
        ),
    ]
};

/// One `JobsDetail` item, read in one walk over its subtree.
///
/// `Copy`, about 400 bytes, no heap. Text accessors give `None` when the node
/// is absent (or JSON `null`) and the value otherwise, empty included; the
/// typed ones also say when a present value is invalid.
/// A job read for some [`JobFields`] only
/// ([`Callback::parse_fields`](crate::Callback::parse_fields)) gives `None`
/// (`Ok(None)` for the typed accessors) for every field left out, as if
/// absent: see [`requested_fields`](Job::requested_fields).
///
/// # Examples
/// ```
/// use wanxiang::{Callback, JobField, State};
/// let body = b"<Response><JobsDetail><JobId>j1</JobId><State>Success</State>\
///     <Input><Object>in.pdf</Object><CosHeaders><Key>k</Key><Value>v</Value></CosHeaders></Input>\
///     <Operation><MediaInfo><Format><Duration>7.5</Duration></Format></MediaInfo>\
///     <JobLevel>2</JobLevel><UserData/></Operation></JobsDetail></Response>";
/// let cb = Callback::parse(body)?;
/// let job = cb.jobs().next().unwrap();
/// assert!(job.job_id().unwrap() == "j1");
/// assert_eq!(job.state(), Some(State::Success));
/// assert!(job.input_object().unwrap() == "in.pdf");
/// assert!(job.user_data().unwrap() == ""); // present but empty
/// assert_eq!(job.tag(), None); // absent
/// assert_eq!(job.job_level()?, Some(2));
/// let h = job.cos_headers().next().unwrap();
/// assert!(h.key.unwrap() == "k" && h.value.unwrap() == "v");
/// // Nodes the schema does not model: a raw path relative to the job.
/// let d = job.get("Operation.MediaInfo.Format.Duration")?.unwrap();
/// assert!(d.text() == "7.5");
/// assert!(job.text(JobField::InputObject).unwrap() == "in.pdf");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Job<'buf> {
    fields: Fields<'buf>,
}

impl<'buf> Job<'buf> {
    pub(crate) fn from_fields(fields: Fields<'buf>) -> Self {
        Job { fields }
    }

    item_accessors!(JobField, "job");

    job_fields!(texts);

    /// `CreationTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// An [`Error`] of kind [`ErrorKind::Value`](crate::ErrorKind::Value) (positioned in the document) when present and not a timestamp.
    pub fn creation_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(JobField::CreationTime as usize)
    }

    /// `StartTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// As for [`creation_time`](Job::creation_time).
    pub fn start_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(JobField::StartTime as usize)
    }

    /// `EndTime`; `Ok(None)` when absent, `-` or empty.
    ///
    /// # Errors
    /// As for [`creation_time`](Job::creation_time).
    ///
    /// # Examples
    /// In an iterator chain, `.ok().flatten()` gives an `Option<Timestamp>`
    /// that treats an invalid time as absent; [`value_error`](Job::value_error)
    /// tells whether anything was dropped that way.
    /// ```
    /// use wanxiang::Callback;
    /// let cb = Callback::parse(br#"{"JobsDetail": [
    ///     {"JobId": "a", "EndTime": "2022-07-25T16:35:43+0800"},
    ///     {"JobId": "b", "EndTime": "2022-07-25T16:40:00+0800"},
    ///     {"JobId": "c", "EndTime": "not a time"}]}"#)?;
    /// let last = cb.jobs().max_by_key(|j| j.end_time().ok().flatten()).unwrap();
    /// assert_eq!(last.job_id().unwrap(), "b");
    /// let bad: Vec<_> = cb.jobs().filter_map(|j| j.value_error()).collect();
    /// assert_eq!(bad.len(), 1);
    /// assert_eq!(bad[0].kind().name(), "value_syntax");
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn end_time(&self) -> Result<Option<Timestamp>, Error> {
        self.fields.time(JobField::EndTime as usize)
    }

    /// The first typed field that is present but invalid (`CreationTime`,
    /// `StartTime`, `EndTime`, then `Operation.JobLevel`), as the error its own
    /// accessor returns; `None` when every typed field is absent or valid.
    ///
    /// With it, iterator chains can use the typed accessors as `Option`s
    /// (`job.end_time().ok().flatten()`) and still report bad values once per
    /// job. See [`end_time`](Job::end_time) for a chain.
    ///
    /// # Examples
    /// ```
    /// let cb = wanxiang::Callback::parse(br#"{"JobsDetail": {"JobId": "a",
    ///     "EndTime": "2022-07-25T16:35:43+0800", "Operation": {"JobLevel": "high"}}}"#)?;
    /// let job = cb.jobs().next().unwrap();
    /// let e = job.value_error().unwrap(); // the times are fine, JobLevel is not
    /// assert_eq!(e.kind().name(), "value_number");
    /// assert_eq!(Some(e), job.job_level().err());
    /// # Ok::<(), wanxiang::Error>(())
    /// ```
    pub fn value_error(&self) -> Option<Error> {
        self.creation_time()
            .and(self.start_time())
            .and(self.end_time())
            .err()
            .or_else(|| self.job_level().err())
    }

    /// `Operation.JobLevel`, from a JSON number (`0`) or a string (`"0"`);
    /// `Ok(None)` when absent or empty.
    ///
    /// # Errors
    /// [`ValueErrorKind::Number`](crate::ValueErrorKind::Number) when present and not a non-negative integer.
    pub fn job_level(&self) -> Result<Option<u32>, Error> {
        self.fields.level(JobField::JobLevel as usize)
    }

    /// The `Input.CosHeaders` items (set when a workflow started the job), lazily.
    ///
    /// # Complexity
    /// Walks the job's first `Input` once over the iterator's life.
    /// Also when `Input.CosHeaders` is not a [`JobField`]: a job read for
    /// some [`JobFields`] finds its `Input` by path, when called.
    pub fn cos_headers(&self) -> Headers<'buf> {
        let input = match self.fields.asked() == JobFields::ALL {
            true => self.fields.table.get(INPUT),
            // The whole `Input` was recorded only with every field.
            false => match self.fields.get("Input") {
                Ok(Some(hit)) => Span::of(&hit, 0),
                _ => Span::ABSENT,
            },
        };
        let span = (input.kind() == Some(crate::Kind::Container)).then(|| input.range());
        self.fields.headers_in(span)
    }

    /// The job fields recorded for this job: [`JobFields::ALL`] unless the
    /// callback was parsed for fewer
    /// ([`Callback::parse_fields`](crate::Callback::parse_fields)). A field
    /// not in the set reads as absent from its accessor, [`text`](Job::text)
    /// and [`field`](Job::field), whatever the document holds; [`get`](Job::get)
    /// reads any path.
    pub fn requested_fields(&self) -> JobFields {
        self.fields.asked()
    }
}

debug_item!(Job, JobField);

items_iter! {
    /// The jobs of a callback, lazily; see [`Callback::jobs`](crate::Callback::jobs).
    Jobs => Job, JOB_SCHEMA
}
