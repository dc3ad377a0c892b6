//! `JobsDetail` items: [`Job`], [`JobField`] and the [`Jobs`] iterator.

use core::fmt;
use core::iter::FusedIterator;

use super::{leaf, Fields, Headers, State};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::Hit;
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
    pub fn cos_headers(&self) -> Headers<'buf> {
        let input = self.fields.table.get(INPUT);
        let span = (input.kind == Some(crate::Kind::Container)).then(|| input.range());
        self.fields.headers_in(span)
    }
}

debug_item!(Job, JobField);

items_iter! {
    /// The jobs of a callback, lazily; see [`Callback::jobs`](crate::Callback::jobs).
    Jobs => Job, JOB_SCHEMA
}
