//! `Serialize` for the typed view (the `serde` feature).
//!
//! A callback is written as a map in the shape of Tencent's own JSON
//! callbacks, limited to the fields the typed view models (the rules are on
//! the `Serialize` impl of `Callback`):
//!
//! ```text
//! {"EventName": "TaskFinish",
//!  "JobsDetail": [{"Code": …, "JobId": …, "State": …, "EndTime": …,
//!                  "Input": {"Object": …, "CosHeaders": [{"Key": …, "Value": …}]},
//!                  "Operation": {"Output": {"Object": …}, "UserData": …, "JobLevel": …},
//!                  "Workflow": {…}}],
//!  "WorkflowExecution": {"RunId": …, "State": …, "CosHeaders": […], "Tasks": [{…}]}}
//! ```
//!
//! Nothing is copied into an intermediate string: values go to the
//! serializer as `&str` slices of the body, or, when they need decoding,
//! through `Serializer::collect_str` with a `Display` that decodes on the fly.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::job::{INPUT, JOB};
use super::workflow::{TASK, WORKFLOW};
use super::{Callback, Event, Fields, Header, Headers, Job, State, Task, Tasks, Workflow};
use crate::path::schema::Entry;
use crate::text::Kind;
use crate::text::Text;

/// One level of an item: `entries` of `fields`, plus the `CosHeaders`
/// (inside the group named `headers.0`, or here when it is empty) and the
/// `Tasks`.
struct Node<'a, 'buf> {
    fields: &'a Fields<'buf>,
    entries: &'static [Entry],
    headers: Option<(&'static str, Headers<'buf>)>,
    tasks: Option<Tasks<'buf>>,
}

impl<'buf> Node<'_, 'buf> {
    /// A leaf's value: present, not `null`, not a container.
    fn leaf(&self, entry: &Entry) -> Option<Text<'buf>> {
        let slot = entry.slot?;
        let span = self.fields.table.get(slot);
        match span.kind() {
            Some(Kind::Container) => None,
            _ => span.text(self.fields.input),
        }
    }

    /// The headers for the group called `name` ("" for this level), when there are any.
    fn headers_in(&self, name: &str) -> Option<Headers<'buf>> {
        let (at, headers) = self.headers.as_ref()?;
        (*at == name && headers.clone().next().is_some()).then(|| headers.clone())
    }

    fn child(&self, entry: &Entry) -> Node<'_, 'buf> {
        Node {
            fields: self.fields,
            entries: entry.children,
            headers: self.headers_in(entry.name).map(|h| ("", h)),
            tasks: None,
        }
    }

    fn has(&self, entry: &Entry) -> bool {
        if entry.children.is_empty() {
            self.leaf(entry).is_some()
        } else {
            self.child(entry).len() > 0
        }
    }

    fn tasks(&self) -> Option<Tasks<'buf>> {
        self.tasks.clone().filter(|t| t.len() > 0)
    }

    fn len(&self) -> usize {
        self.entries.iter().filter(|e| self.has(e)).count()
            + usize::from(self.headers_in("").is_some())
            + usize::from(self.tasks().is_some())
    }
}

impl Serialize for Node<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for entry in self.entries {
            if entry.children.is_empty() {
                if let Some(text) = self.leaf(entry) {
                    map.serialize_entry(entry.name, &text)?;
                }
            } else {
                let child = self.child(entry);
                if child.len() > 0 {
                    map.serialize_entry(entry.name, &child)?;
                }
            }
        }
        if let Some(headers) = self.headers_in("") {
            map.serialize_entry("CosHeaders", &Seq(headers))?;
        }
        if let Some(tasks) = self.tasks() {
            map.serialize_entry("Tasks", &Seq(tasks))?;
        }
        map.end()
    }
}

/// An iterator written as a sequence (cloned, so `serialize` can take `&self`).
pub(crate) struct Seq<I>(pub(crate) I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// Writes a whole callback from its parts, so that [`Callback`] and
/// [`OwnedCallback`](crate::OwnedCallback) give the same output.
pub(crate) fn callback<S, J, W>(
    serializer: S,
    event: Option<Text<'_>>,
    jobs: J,
    workflow: Option<W>,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    J: ExactSizeIterator + Clone,
    J::Item: Serialize,
    W: Serialize,
{
    let len = usize::from(event.is_some())
        + usize::from(jobs.len() > 0)
        + usize::from(workflow.is_some());
    let mut map = serializer.serialize_map(Some(len))?;
    if let Some(event) = event {
        map.serialize_entry("EventName", &event)?;
    }
    if jobs.len() > 0 {
        map.serialize_entry("JobsDetail", &Seq(jobs))?;
    }
    if let Some(workflow) = workflow {
        map.serialize_entry("WorkflowExecution", &workflow)?;
    }
    map.end()
}

/// The whole callback as a map in the shape of Tencent's JSON callbacks:
/// `EventName`, `JobsDetail` (each job's fields nested as in the document:
/// `Input` with its `CosHeaders`, `Operation`, `Workflow`), and
/// `WorkflowExecution` with its `CosHeaders` and `Tasks`, limited to the
/// fields the typed view models.
///
/// The rules, chosen so that an XML callback and its JSON twin give the same
/// output:
/// - keys come in the order of [`JobField::ALL`](crate::JobField::ALL) (and
///   its task and workflow counterparts), whatever the document's order;
/// - every value is its **decoded text as written**: timestamps are not
///   reformatted, and a JSON number or boolean becomes the string of its
///   literal (`"JobLevel": "0"`), as XML has no other kind of value;
/// - a field that is absent, JSON `null`, or a container (an element with
///   children, a JSON object or array, such as a task's `ResultInfo`) is left
///   out, and so is a group (`Input`, `Operation`, …) with nothing in it;
///   `JobsDetail`, `CosHeaders` and `Tasks` are left out when they have no items;
/// - nodes the view does not model are not written.
///
/// Values go to the serializer as slices of the body, or through
/// `collect_str` with a decoding `Display` when they hold escapes: no
/// intermediate string is built here.
///
/// # Examples
/// ```
/// let xml = wanxiang::Callback::parse(b"<Response><EventName>TaskFinish</EventName>\
///     <JobsDetail><State>Success</State><JobId>j1</JobId>\
///     <Operation><Output><Object>a&amp;b.pdf</Object></Output><JobLevel>0</JobLevel></Operation>\
///     </JobsDetail></Response>")?;
/// let json = wanxiang::Callback::parse(br#"{"EventName": "TaskFinish", "JobsDetail": [{
///     "JobId": "j1", "State": "Success",
///     "Operation": {"JobLevel": 0, "Output": {"Object": "a&b.pdf"}}}]}"#)?;
/// let out = serde_json::to_string(&xml).unwrap();
/// assert_eq!(out, r#"{"EventName":"TaskFinish","JobsDetail":[{"JobId":"j1","State":"Success","Operation":{"Output":{"Object":"a&b.pdf"},"JobLevel":"0"}}]}"#);
/// assert_eq!(serde_json::to_string(&json).unwrap(), out);
/// # Ok::<(), wanxiang::Error>(())
/// ```
impl Serialize for Callback<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        callback(serializer, self.event_name(), self.jobs(), self.workflow())
    }
}

/// A job's modelled fields, nested as in the document (`Input`, `Operation`, `Workflow`),
/// with `Input.CosHeaders`.
impl Serialize for Job<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        debug_assert!(JOB
            .iter()
            .any(|e| e.slot == Some(INPUT) && e.name == "Input"));
        Node {
            fields: self.fields(),
            entries: JOB,
            headers: Some(("Input", self.cos_headers())),
            tasks: None,
        }
        .serialize(serializer)
    }
}

/// A task's modelled fields (`ResultInfo`, a container, is left out).
impl Serialize for Task<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Node {
            fields: self.fields(),
            entries: TASK,
            headers: None,
            tasks: None,
        }
        .serialize(serializer)
    }
}

/// The `WorkflowExecution`'s modelled fields, its `CosHeaders` and its `Tasks`.
impl Serialize for Workflow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Node {
            fields: self.fields(),
            entries: WORKFLOW,
            headers: Some(("", self.cos_headers())),
            tasks: Some(self.tasks()),
        }
        .serialize(serializer)
    }
}

/// `{"Key": …, "Value": …}`, each left out when absent.
impl Serialize for Header<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.key.is_some()) + usize::from(self.value.is_some());
        let mut map = serializer.serialize_map(Some(len))?;
        if let Some(key) = &self.key {
            map.serialize_entry("Key", key)?;
        }
        if let Some(value) = &self.value {
            map.serialize_entry("Value", value)?;
        }
        map.end()
    }
}

/// The state's name as a string (`"Success"`, or an unknown state's text).
impl Serialize for State<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.name().serialize(serializer)
    }
}

/// The event's name as a string (`"TaskFinish"`, or an unknown event's text).
impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.name().serialize(serializer)
    }
}
