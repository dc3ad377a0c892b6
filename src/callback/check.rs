//! The checking pass behind [`Callback::parse`](super::Callback::parse):
//! one walk over the whole document, in `Full` mode, that also records what
//! the typed view needs later (where the root, the event and the workflow
//! are; how many jobs and tasks there are) in a small [`Head`].

use crate::config::{Options, Validation};
use crate::scan::{fail, PResult};
use crate::tree::{self, Item, Level, Span, Table, Walk};
use crate::{ErrorKind, Format};

/// What one checking pass over a document records: where the paths start,
/// the event, and where the jobs and the workflow are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub format: Format,
    /// The container paths start in: the XML root element, or the top JSON
    /// object (the inner one when wrapped), or the top JSON value when it is
    /// not an object (a top-level array's items are what paths read).
    pub root: Option<(usize, usize)>,
    pub event: Span,
    pub jobs: usize,
    /// The first job, read in this pass (most callbacks have one): its span
    /// and its fields, so that the typed view does not walk it again.
    pub first_job: Option<((usize, usize), Table)>,
    /// The first `WorkflowExecution` item.
    pub workflow: Option<(usize, usize)>,
    pub tasks: usize,
    /// The first job or task past `max_items`, when its error is deferred.
    over: Option<usize>,
}

impl Head {
    /// The same head without the first job's table (whoever reads the
    /// jobs then walks for the first one too).
    pub(crate) fn without_first_job(self) -> Head {
        Head {
            first_job: None,
            ..self
        }
    }

    fn new(format: Format) -> Head {
        Head {
            format,
            root: None,
            event: Span::ABSENT,
            jobs: 0,
            first_job: None,
            workflow: None,
            tasks: 0,
            over: None,
        }
    }
}

/// The checking pass behind [`Callback::parse_with`].
pub(super) fn scan(input: &[u8], options: &Options) -> PResult<Head> {
    let format = crate::input::sniff_at(input)?;
    let options = Options {
        validation: Validation::Full,
        ..*options
    };
    let max = options.limits.max_items();
    let mut walk = Walk::blank(input, 0, format, &options);
    let top = walk.begin(&options)?;
    let mut head = Head::new(format);
    if format == Format::Xml {
        let end = if walk.enter(&top)? {
            root_children(&mut walk, &mut head, max, false)?;
            walk.offset()
        } else {
            walk.skip(&top)?
        };
        head.root = Some((top.start, end));
    } else if walk.enter(&top)? {
        // A top object whose only member is `"Response": {…}` is a wrapper.
        // That is known only at its end, so the first member, when it could
        // be the wrapper, is read both ways: as the root's content (`inner`)
        // and, for the outer head, as a member named `Response`.
        let mut level = Level::default();
        let mut inner = None;
        while let Some(item) = walk.next_item(&mut level)? {
            if level.members == 1
                && !item.from_array
                && item.is_object()
                && item.name.is("Response")
            {
                walk.enter(&item)?;
                let mut h = Head::new(format);
                root_children(&mut walk, &mut h, max, true)?;
                h.root = Some((item.start, walk.offset()));
                inner = Some(h);
            } else {
                root_child(&mut walk, &item, &mut head, max, false)?;
            }
        }
        head.root = Some((top.start, walk.offset()));
        if let (1, Some(h)) = (level.members, inner) {
            head = h;
        }
    } else {
        // A top-level array (or scalar): no callback fields, but raw paths
        // read it as the path layer does (items of a top-level array).
        let end = walk.skip(&top)?;
        head.root = Some((top.start, end));
    }
    walk.finish()?;
    match head.over {
        Some(at) => fail(ErrorKind::ItemLimit, at),
        None => Ok(head),
    }
}

fn root_children(walk: &mut Walk<'_>, head: &mut Head, max: usize, defer: bool) -> PResult<()> {
    let mut level = Level::default();
    while let Some(item) = walk.next_item(&mut level)? {
        root_child(walk, &item, head, max, defer)?;
    }
    Ok(())
}

/// Counts one more job or task; past `max` it is an item-limit error, now or
/// (inside a JSON object that may turn out not to be a wrapper) at the end.
fn count(
    n: &mut usize,
    at: usize,
    max: usize,
    head_over: &mut Option<usize>,
    defer: bool,
) -> PResult<()> {
    if *n >= max {
        if !defer {
            return fail(ErrorKind::ItemLimit, at);
        }
        head_over.get_or_insert(at);
    }
    *n += 1;
    Ok(())
}

/// One child of the root container, during the checking pass.
fn root_child<'buf>(
    walk: &mut Walk<'buf>,
    item: &Item<'buf>,
    head: &mut Head,
    max: usize,
    defer: bool,
) -> PResult<()> {
    if item.name.is("EventName") && head.event.kind.is_none() {
        head.event = walk.value(item)?;
    } else if item.name.is("JobsDetail") {
        count(&mut head.jobs, item.start, max, &mut head.over, defer)?;
        if head.first_job.is_none() {
            // Read with the job schema while it is being checked anyway.
            let mut table = Table::EMPTY;
            let end = tree::fill_item(walk, item, super::job::JOB, &mut table)?;
            head.first_job = Some(((item.start, end), table));
        } else {
            walk.skip(item)?;
        }
    } else if item.name.is("WorkflowExecution") && head.workflow.is_none() {
        let end = if walk.enter(item)? {
            let mut level = Level::default();
            while let Some(child) = walk.next_item(&mut level)? {
                if child.name.is("Tasks") {
                    count(&mut head.tasks, child.start, max, &mut head.over, defer)?;
                }
                walk.skip(&child)?;
            }
            walk.offset()
        } else {
            walk.skip(item)?
        };
        head.workflow = Some((item.start, end));
    } else {
        walk.skip(item)?;
    }
    Ok(())
}
