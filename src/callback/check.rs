//! The checking pass behind [`Callback::parse`](super::Callback::parse):
//! the path engine over the whole document, in `Full` mode, with a schema
//! that also records what the typed view needs later (where the root, the
//! event and the workflow are; how many jobs and tasks there are; the first
//! job's fields) in a small [`Head`].

use crate::config::{Options, Validation};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::{self, Hit, Kind, OfTrie, Sink};
use crate::{Error, Format};

use super::job::JOB;
use super::table::{narrow, Span, Table, SLOTS};

/// What one checking pass over a document records: where the paths start,
/// the event, and where the jobs and the workflow are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub format: Format,
    /// The container paths start in: the XML root element, or the top JSON
    /// object (the inner one when wrapped); `None` for any other top value.
    pub root: Option<(usize, usize)>,
    pub event: Span,
    pub jobs: usize,
    /// The first job's span, when this pass read it (most callbacks have
    /// one): its fields are in `first`, so that the typed view does not
    /// read it again.
    /// (Narrow, as the views keep it: the head stays 8 bytes smaller.)
    pub first_job: Option<(u32, u32)>,
    /// The first job's fields (empty when `first_job` is `None`).
    pub first: Table,
    /// The first `WorkflowExecution` item.
    pub workflow: Option<(usize, usize)>,
    pub tasks: usize,
}

impl Head {
    /// Before the checking pass: nothing found yet.
    pub(crate) const EMPTY: Head = Head {
        format: Format::Json,
        root: None,
        event: Span::ABSENT,
        jobs: 0,
        first_job: None,
        first: Table::EMPTY,
        workflow: None,
        tasks: 0,
    };

    /// The same head without the first job's table (whoever reads the
    /// jobs then reads the first one too).
    pub(crate) fn without_first_job(self) -> Head {
        Head {
            first_job: None,
            first: Table::EMPTY,
            ..self
        }
    }
}

// The slots of the checking schema: the job's fields (`0..SLOTS`), then these.
const EVENT: usize = SLOTS;
const ROOT: usize = SLOTS + 1;
const JOBS: usize = SLOTS + 2;
const WORKFLOW: usize = SLOTS + 3;
const TASKS: usize = SLOTS + 4;

/// The checking schema: the root container itself, `EventName`, every
/// `JobsDetail` item (the first one's fields too), the first
/// `WorkflowExecution` and every one of its `Tasks`.
const CHECK: &[Entry] = &[
    Entry::leaf("EventName", EVENT),
    Entry {
        name: "JobsDetail",
        slot: Some(JOBS),
        children: JOB,
        every: true,
    },
    Entry {
        name: "WorkflowExecution",
        slot: Some(WORKFLOW),
        children: &[Entry {
            name: "Tasks",
            slot: Some(TASKS),
            children: &[],
            every: true,
        }],
        every: false,
    },
];

pub(super) const CHECK_SCHEMA: Schema = schema!(Some(ROOT), CHECK);

/// The sink of the checking pass: writes straight into the view's head
/// (the first job's fields into its table, as they come: only the first
/// job is read inside, so no later one writes there).
struct Check<'buf, 'h> {
    input: &'buf [u8],
    head: &'h mut Head,
}

impl OfTrie for Check<'_, '_> {
    type Trie = Schema;
}

impl<'buf> Sink<'buf> for Check<'buf, '_> {
    #[inline]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        let head = &mut *self.head;
        match hit.path() {
            slot if slot < SLOTS => {
                if let Some(s) = head.first.0.get_mut(slot) {
                    *s = Span::of(&hit, 0);
                }
            }
            EVENT => head.event = Span::of(&hit, 0),
            ROOT => head.root = item_span(self.input, &hit),
            JOBS => {
                head.jobs += 1;
                if head.first_job.is_none() {
                    let (a, b) = item_span(self.input, &hit).unwrap_or_default();
                    head.first_job = Some((narrow(a), narrow(b)));
                }
            }
            WORKFLOW if head.workflow.is_none() => head.workflow = item_span(self.input, &hit),
            TASKS => head.tasks += 1,
            _ => {}
        }
        true
    }
}

/// The whole item whose value the engine gave as `hit`: for a JSON string,
/// with its quotes; for an XML element without child elements (whose value
/// is its text), from its `<` through its end tag. `<` cannot occur inside a
/// start tag, and the first `>` after the text closes the end tag.
fn item_span(input: &[u8], hit: &Hit<'_>) -> Option<(usize, usize)> {
    let a = hit.offset();
    let b = a + hit.text().raw().len();
    match hit.kind() {
        Kind::String => Some((a.checked_sub(1)?, b + 1)),
        Kind::Text => {
            let before = input.get(..a)?;
            let start = memchr::memrchr(b'<', before)?;
            let end = if before.ends_with(b"/>") {
                a
            } else {
                b + memchr::memchr(b'>', input.get(b..)?)? + 1
            };
            Some((start, end))
        }
        _ => Some((a, b)),
    }
}

/// The checking pass behind [`Callback::parse_with`](super::Callback::parse_with),
/// into `head` (which starts as [`Head::EMPTY`]).
pub(super) fn scan(input: &[u8], options: &Options, head: &mut Head) -> Result<(), Error> {
    let options = Options {
        validation: Validation::Full,
        ..*options
    };
    let mut check = Check { input, head };
    let format = path::select(&CHECK_SCHEMA, input, &options, &mut check)?;
    check.head.format = format;
    Ok(())
}
