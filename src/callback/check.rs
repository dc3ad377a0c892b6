//! The checking pass behind [`Callback::parse`](super::Callback::parse):
//! the path engine over the whole document, in `Full` mode, with a schema
//! that also records what the typed view needs later (where the
//! event and the workflow are; how many jobs and tasks there are; the first
//! job's fields) in a small [`Head`].

use crate::config::{Options, Validation};
use crate::path::schema::{schema, Entry, Schema};
use crate::path::{self, Hit, Kind, OfTrie, Sink};
use crate::text::{Escape, Text};
use crate::{Error, Format};

use super::job::{JobFields, JOB};
use super::table::{narrow, Span, Table, SLOTS};
use super::Fields;

/// What one checking pass over a document records: the event, and where
/// the jobs and the workflow are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub format: Format,
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
    /// The job fields recorded (the others are left out of every table).
    pub fields: JobFields,
}

impl Head {
    /// Before the checking pass: nothing found yet, no job field recorded
    /// yet. All zeros, so that making a view clears its head with `memset`
    /// (a constant with other bytes was copied in by `memcpy`, twice the
    /// instructions; callgrind); the pass sets `format` and `fields`.
    pub(crate) const EMPTY: Head = Head {
        format: Format::Xml,
        event: Span::ABSENT,
        jobs: 0,
        first_job: None,
        first: Table::EMPTY,
        workflow: None,
        tasks: 0,
        fields: JobFields::NONE,
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
const JOBS: usize = SLOTS + 1;
const WORKFLOW: usize = SLOTS + 2;
const TASKS: usize = SLOTS + 3;

/// The `WorkflowExecution` entry of the checking schemas: the first item,
/// and every one of its `Tasks`.
const WORKFLOW_ENTRY: Entry = Entry {
    name: "WorkflowExecution",
    slot: Some(WORKFLOW),
    children: &[Entry {
        name: "Tasks",
        slot: Some(TASKS),
        children: &[],
        every: true,
        inside: false,
    }],
    every: false,
    inside: false,
};

/// The checking schema: `EventName`, every
/// `JobsDetail` item (the first one's fields too, or every one's when
/// `inside`), the first `WorkflowExecution` and every one of its `Tasks`.
const fn checking(inside: bool) -> [Entry; 3] {
    [
        Entry::leaf("EventName", EVENT),
        Entry {
            name: "JobsDetail",
            slot: Some(JOBS),
            children: JOB,
            every: true,
            inside,
        },
        WORKFLOW_ENTRY,
    ]
}

const CHECK: &[Entry] = &checking(false);

const CHECK_SCHEMA: Schema = schema!(None, CHECK);

/// [`CHECK`], reading the fields of every job (for [`scan_each`]).
const EACH: &[Entry] = &checking(true);

const EACH_SCHEMA: Schema = schema!(None, EACH);

/// What the checking pass does with the jobs' fields: [`First`] keeps the
/// first job's, [`Each`] hands every job to a visitor.
trait Jobs<'buf> {
    /// The table the fields of the job being read go to.
    fn table<'t>(&'t mut self, head: &'t mut Head) -> &'t mut Table;
    /// The job at `span` is read (its own value comes after its fields);
    /// `text` is its raw bytes as checked UTF-8, when the engine gave them.
    fn job(
        &mut self,
        input: &'buf [u8],
        span: (usize, usize),
        text: Option<&'buf str>,
        head: &mut Head,
    );
}

/// The first job's fields go into the head's table as they come (only the
/// first job is read inside, so no later one writes there).
struct First;

impl<'buf> Jobs<'buf> for First {
    #[inline(always)]
    fn table<'t>(&'t mut self, head: &'t mut Head) -> &'t mut Table {
        &mut head.first
    }

    #[inline(always)]
    fn job(&mut self, _: &'buf [u8], _: (usize, usize), _: Option<&'buf str>, _: &mut Head) {}
}

/// Every job is read inside, into `table`, and handed to `f` when done.
struct Each<F> {
    format: Format,
    table: Table,
    f: F,
}

impl<'buf, F: FnMut(Fields<'buf>)> Jobs<'buf> for Each<F> {
    #[inline(always)]
    fn table<'t>(&'t mut self, _: &'t mut Head) -> &'t mut Table {
        &mut self.table
    }

    #[inline]
    fn job(
        &mut self,
        input: &'buf [u8],
        span: (usize, usize),
        text: Option<&'buf str>,
        head: &mut Head,
    ) {
        if head.jobs == 1 {
            head.first = self.table;
        }
        let fields = Fields::new(input, self.format, span, self.table);
        (self.f)(fields.asking(head.fields).valid(text));
        self.table = Table::EMPTY;
    }
}

/// The sink of the checking pass: writes straight into the view's head.
/// `CUT`: the schema filters the names of the fields not asked for
/// ([`Schema`]'s).
struct Check<'buf, 'h, J, const CUT: bool> {
    input: &'buf [u8],
    head: &'h mut Head,
    jobs: J,
    /// What the pass hands back to the view.
    texts: Texts<'buf>,
}

/// Raw bytes the checking pass had as checked UTF-8, which the view keeps
/// so that it reads values out of them with no UTF-8 check of their own.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Texts<'buf> {
    /// The first job's (when it is a container).
    pub first_job: Option<&'buf str>,
    /// The event's (`EventName`'s value).
    pub event: Option<&'buf str>,
}

impl<J, const CUT: bool> OfTrie for Check<'_, '_, J, CUT> {
    type Trie = Schema<CUT>;
}

impl<'buf, J: Jobs<'buf>, const CUT: bool> Sink<'buf> for Check<'buf, '_, J, CUT> {
    /// Every value comes through [`value`](Sink::value).
    #[inline(always)]
    fn hit(&mut self, hit: Hit<'buf>) -> bool {
        let text = hit.text();
        self.value(
            hit.path(),
            hit.kind(),
            hit.offset(),
            text.raw(),
            text.escape(),
        )
    }

    /// A job field (most hits) is written in place; the checking schema's
    /// own slots go to [`other`](Check::other), out of line, so that this
    /// path saves no registers. Never inlined: the engine's loop is
    /// smaller without it (fewer instructions in all, callgrind). The value
    /// comes in parts, in registers: a `Hit` built for this call cost more
    /// than the write.
    #[inline(never)]
    fn value(
        &mut self,
        slot: usize,
        kind: Kind,
        offset: usize,
        raw: &'buf str,
        escape: Escape,
    ) -> bool {
        if slot >= SLOTS {
            // The same arguments: a jump, with no frame here.
            return self.other(slot, kind, offset, raw, escape);
        }
        let span = Span::new(offset, raw.len(), kind, escape);
        self.jobs.table(self.head).set(slot, span);
        true
    }
}

impl<'buf, J: Jobs<'buf>, const CUT: bool> Check<'buf, '_, J, CUT> {
    /// A hit of the checking schema's own slots: the event, a
    /// job, the workflow, a task. Takes the arguments of
    /// [`value`](Sink::value), which jumps here (true: go on). The event
    /// and the tasks are written here, with no frame; a job or the
    /// workflow, whose span may be searched for (calls), in
    /// [`item`](Check::item), which this jumps to (callgrind).
    #[cold]
    #[inline(never)]
    fn other(
        &mut self,
        slot: usize,
        kind: Kind,
        offset: usize,
        raw: &'buf str,
        escape: Escape,
    ) -> bool {
        match slot {
            EVENT => {
                self.head.event = Span::new(offset, raw.len(), kind, escape);
                self.texts.event = Some(raw);
            }
            TASKS => self.head.tasks += 1,
            _ => return self.item(slot, kind, offset, raw, escape),
        }
        true
    }

    /// [`other`](Check::other) for a job or the workflow.
    #[inline(never)]
    fn item(
        &mut self,
        slot: usize,
        kind: Kind,
        offset: usize,
        raw: &'buf str,
        escape: Escape,
    ) -> bool {
        let hit = &Hit::new(slot, kind, offset, Text::new(raw, escape));
        let head = &mut *self.head;
        match slot {
            JOBS => {
                head.jobs += 1;
                let span = item_span(self.input, hit).unwrap_or_default();
                let text = (hit.kind() == Kind::Container).then(|| hit.text().raw());
                if head.first_job.is_none() {
                    head.first_job = Some((narrow(span.0), narrow(span.1)));
                    self.texts.first_job = text;
                }
                self.jobs.job(self.input, span, text, head);
            }
            WORKFLOW if head.workflow.is_none() => head.workflow = item_span(self.input, hit),
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
        Kind::Text => text_span(input, a, b),
        _ => Some((a, b)),
    }
}

/// [`item_span`] of an XML element whose value is its text `a..b`. Out of
/// line: with its calls here, [`Check::other`] saves no registers for the
/// event and the jobs (containers) (callgrind).
#[inline(never)]
fn text_span(input: &[u8], a: usize, b: usize) -> Option<(usize, usize)> {
    let before = input.get(..a)?;
    let start = memchr::memrchr(b'<', before)?;
    let end = if before.ends_with(b"/>") {
        a
    } else {
        b + memchr::memchr(b'>', input.get(b..)?)? + 1
    };
    Some((start, end))
}

/// The checking pass behind [`Callback::parse_with`](super::Callback::parse_with),
/// into `head` (which starts as [`Head::EMPTY`] with the job fields to
/// record). Returns the raw bytes it had as checked UTF-8.
pub(super) fn scan<'buf>(
    input: &'buf [u8],
    options: &Options,
    head: &mut Head,
) -> Result<Texts<'buf>, Error> {
    run(&CHECK_SCHEMA, input, head, First, options)
}

/// The checking pass behind [`Callback::parse_each_job`](super::Callback::parse_each_job):
/// as [`scan`], reading every job inside and handing each to `each` as soon
/// as it is read.
pub(super) fn scan_each<'buf>(
    input: &'buf [u8],
    options: &Options,
    head: &mut Head,
    each: impl FnMut(Fields<'buf>),
) -> Result<Texts<'buf>, Error> {
    let jobs = Each {
        // Sniffed again by the engine, which reports any error.
        format: crate::sniff(input).unwrap_or(Format::Json),
        table: Table::EMPTY,
        f: each,
    };
    run(&EACH_SCHEMA, input, head, jobs, options)
}

/// The checking pass with `schema`, keeping the job fields asked for
/// (their names filtered when some are left out: [`Schema::cut`]).
fn run<'buf, J: Jobs<'buf>>(
    schema: &Schema,
    input: &'buf [u8],
    head: &mut Head,
    jobs: J,
    options: &Options,
) -> Result<Texts<'buf>, Error> {
    let options = Options {
        validation: Validation::Full,
        ..*options
    };
    // With every field, the schema as it is (a constant: no copy of it is
    // made for the pass; callgrind).
    match head.fields == JobFields::ALL {
        true => pass(schema, input, head, jobs, &options),
        false => {
            let schema = schema.keeping(!head.fields.dropped()).cut();
            pass(&schema, input, head, jobs, &options)
        }
    }
}

/// [`run`] with the schema ready.
fn pass<'buf, J: Jobs<'buf>, const CUT: bool>(
    schema: &Schema<CUT>,
    input: &'buf [u8],
    head: &mut Head,
    jobs: J,
    options: &Options,
) -> Result<Texts<'buf>, Error> {
    let mut check = Check::<J, CUT> {
        input,
        head,
        jobs,
        texts: Texts::default(),
    };
    let format = path::select(schema, input, options, &mut check)?;
    check.head.format = format;
    Ok(check.texts)
}
