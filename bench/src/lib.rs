//! Inputs, path sets and the peer implementations shared by the benches.
//!
//! Every implementation (ours and each peer) returns a [`Digest`] of what it
//! extracted: how many values, and how many bytes of string values. The
//! benches compute the expected digest once with our `Full` mode, check every
//! peer against it before measuring (so all of them provably do the same
//! work), and `assert!` it again inside every measured iteration so nothing
//! can be optimised away.
//!
//! Inputs are the seed documents from `corpus/` (`include_bytes!`) and large
//! documents generated from them here, deterministically (no file under
//! `corpus/bench/`: the 1000-job documents are ~1 MB each).
#![allow(dead_code)] // each bench file uses a different part

use std::borrow::Cow;

use criterion::Criterion;
use serde::Deserialize;
use wanxiang::{Hit, Kind, Options, PathSet, Validation};

pub mod limit;
pub mod standard;

// ---- criterion configuration ------------------------------------------------

/// Short defaults so that `cargo bench -p wanxiang-bench` finishes in a few minutes on a shared
/// 2-core machine; the standard criterion flags (`--warm-up-time`,
/// `--measurement-time`, `--sample-size`, a filter) override them.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_millis(1500))
        .sample_size(30)
        .configure_from_args()
}

// ---- inputs -------------------------------------------------------------------

/// `corpus/xml/valid/seed.xml` (1121 bytes).
pub const SEED_XML: &[u8] = include_bytes!("../../corpus/xml/valid/seed.xml");
/// `corpus/json/valid/seed.json` (975 bytes), with a trailing comma after
/// `"JobLevel": 0` that strict parsers reject.
pub const SEED_JSON: &[u8] = include_bytes!("../../corpus/json/valid/seed.json");

const TRAILING_COMMA: &str = "\"JobLevel\": 0,\n        }";
const NO_TRAILING_COMMA: &str = "\"JobLevel\": 0\n        }";

/// The seed JSON with its one trailing comma removed (974 bytes): every JSON
/// peer is strict, so all JSON benches, ours included, run on this copy.
pub fn seed_json_strict() -> Vec<u8> {
    let text = std::str::from_utf8(SEED_JSON).expect("seed.json is UTF-8");
    assert_eq!(text.matches(TRAILING_COMMA).count(), 1, "seed.json changed");
    text.replacen(TRAILING_COMMA, NO_TRAILING_COMMA, 1)
        .into_bytes()
}

fn seed_xml_str() -> &'static str {
    std::str::from_utf8(SEED_XML).expect("seed.xml is UTF-8")
}

/// The text between the first `start` and the end of the last `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let a = text.find(start).expect("start marker");
    let b = text.rfind(end).expect("end marker") + end.len();
    &text[a..b]
}

const SEED_JOB_ID: &str = "ac34be3aa0bf411ed9ce39d7cc972e427";
const SEED_USER_DATA: &str = "This is my Translation job.";

/// One job of the seed with a distinct JobId of the seed's length (33 bytes)
/// and State alternating `Success` / `Running` (same length), so every job
/// has the same size and the documents grow exactly linearly.
fn job(template: &str, i: usize) -> String {
    assert_eq!(template.matches(SEED_JOB_ID).count(), 1);
    let id = format!("ac{i:031}");
    let state = if i.is_multiple_of(2) {
        "Success"
    } else {
        "Running"
    };
    let j = template.replacen(SEED_JOB_ID, &id, 1);
    // The State value follows the `State` name in both formats; Code,
    // Message are also "Success", so replace only the State occurrence.
    let xml_state = "<State>Success</State>";
    let json_state = "\"State\": \"Success\"";
    if j.contains(xml_state) {
        j.replacen(xml_state, &format!("<State>{state}</State>"), 1)
    } else {
        assert!(j.contains(json_state));
        j.replacen(json_state, &format!("\"State\": \"{state}\""), 1)
    }
}

/// An XML callback with `n` `JobsDetail` elements (the seed's job, ids varied).
pub fn jobs_xml(n: usize) -> Vec<u8> {
    let seed = seed_xml_str();
    let template = between(seed, "    <JobsDetail>", "</JobsDetail>\n");
    let mut out = String::from("<Response>\n    <EventName>TaskFinish</EventName>\n");
    for i in 0..n {
        out.push_str(&job(template, i));
    }
    out.push_str("</Response>\n");
    out.into_bytes()
}

/// A strict JSON callback with `n` items in `JobsDetail` (the seed's job, ids varied).
pub fn jobs_json(n: usize) -> Vec<u8> {
    let seed = String::from_utf8(seed_json_strict()).expect("UTF-8");
    let template = between(&seed, "{\n        \"Code\"", "\"Translation\"\n    }");
    let mut out = String::from("{\n    \"EventName\": \"TaskFinish\",\n    \"JobsDetail\": [");
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&job(template, i));
    }
    out.push_str("]\n}\n");
    out.into_bytes()
}

/// `len` bytes of deterministic ASCII prose (no `<`, `&`, `"`, `\`, so the
/// value needs no decoding in either format), from a fixed-seed LCG.
pub fn user_data(len: usize) -> String {
    const WORDS: &[&str] = &[
        "translation",
        "job",
        "bucket",
        "object",
        "output",
        "region",
        "ap-chongqing",
        "pdf",
        "queue",
        "2022-07-25T16:35:39+0800",
        "state",
        "success",
        "user",
        "data",
        "callback",
        "media",
        "workflow",
        "id=42;",
        "(retry)",
        "x/y/z.txt",
    ];
    let mut s = String::with_capacity(len + 32);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    while s.len() < len {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        s.push_str(WORDS[(x >> 33) as usize % WORDS.len()]);
        s.push(if (x >> 20).is_multiple_of(11) {
            '.'
        } else {
            ' '
        });
    }
    s.truncate(len);
    s
}

/// The seed XML with a `len`-byte UserData.
pub fn userdata_xml(len: usize) -> Vec<u8> {
    let seed = seed_xml_str();
    assert_eq!(seed.matches(SEED_USER_DATA).count(), 1);
    seed.replacen(SEED_USER_DATA, &user_data(len), 1)
        .into_bytes()
}

/// The strict seed JSON with a `len`-byte UserData.
pub fn userdata_json(len: usize) -> Vec<u8> {
    let seed = String::from_utf8(seed_json_strict()).expect("UTF-8");
    assert_eq!(seed.matches(SEED_USER_DATA).count(), 1);
    seed.replacen(SEED_USER_DATA, &user_data(len), 1)
        .into_bytes()
}

// ---- path sets --------------------------------------------------------------

/// The seven fields of the seed workloads (issue 4).
pub const SEVEN: &[&str] = &[
    "EventName",
    "JobsDetail.JobId",
    "JobsDetail.State",
    "JobsDetail.Code",
    "JobsDetail.Tag",
    "JobsDetail.Operation.Output.Object",
    "JobsDetail.Operation.UserData",
];

/// JobId and State of every job (the 100-jobs workload and the jobs sweep).
pub const EVERY_JOB: &[&str] = &["JobsDetail.#.JobId", "JobsDetail.#.State"];

/// The fields sweep, 1 path.
pub const FIELDS_1: &[&str] = &["JobsDetail.JobId"];

/// The fields sweep, 25 paths: all 21 leaves of the seed job plus 4 fields a
/// real callback may carry that the seed lacks (workflow-triggered jobs):
/// every implementation looks for them and finds nothing.
pub const FIELDS_25: &[&str] = &[
    "EventName",
    "JobsDetail.Code",
    "JobsDetail.CreationTime",
    "JobsDetail.EndTime",
    "JobsDetail.Input.Object",
    "JobsDetail.Input.Lang",
    "JobsDetail.Input.Type",
    "JobsDetail.Input.BasicType",
    "JobsDetail.JobId",
    "JobsDetail.Message",
    "JobsDetail.Operation.Output.Region",
    "JobsDetail.Operation.Output.Bucket",
    "JobsDetail.Operation.Output.Object",
    "JobsDetail.Operation.Translation.Lang",
    "JobsDetail.Operation.Translation.Type",
    "JobsDetail.Operation.UserData",
    "JobsDetail.Operation.JobLevel",
    "JobsDetail.QueueId",
    "JobsDetail.StartTime",
    "JobsDetail.State",
    "JobsDetail.Tag",
    "JobsDetail.Input.CosHeaders.#.Key",
    "JobsDetail.Input.CosHeaders.#.Value",
    "JobsDetail.Workflow.WorkflowId",
    "WorkflowExecution.RunId",
];

/// One parsed dot path for the generic peers (names and `#` only: the bench
/// paths use no index selectors and no attributes).
#[derive(Debug, Clone)]
pub struct Steps(pub Vec<(String, bool)>);

impl Steps {
    pub fn parse(path: &str) -> Steps {
        let mut steps: Vec<(String, bool)> = Vec::new();
        for seg in path.split('.') {
            if seg == "#" {
                steps.last_mut().expect("# after a name").1 = true;
            } else {
                steps.push((seg.to_string(), false));
            }
        }
        Steps(steps)
    }

    pub fn multi(&self) -> bool {
        self.0.iter().any(|s| s.1)
    }
}

pub fn parse_all(paths: &[&str]) -> Vec<Steps> {
    paths.iter().map(|p| Steps::parse(p)).collect()
}

// ---- digest -------------------------------------------------------------------

/// What an implementation extracted: the number of values, and the total
/// length of string values (JSON numbers count as values but add no bytes,
/// because the tape and DOM peers cannot give their literal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Digest {
    pub values: usize,
    pub bytes: usize,
}

impl Digest {
    #[inline]
    pub fn add(&mut self, len: usize) {
        self.values += 1;
        self.bytes += len;
    }
    #[inline]
    pub fn add_non_string(&mut self) {
        self.values += 1;
    }
}

// ---- ours -------------------------------------------------------------------------

pub fn full() -> Options {
    Options::new().validation(Validation::Full)
}

pub fn skim() -> Options {
    Options::new().validation(Validation::Skim)
}

/// Our extraction through `PathSet::extract_with` into the caller's slots.
#[inline]
pub fn ours<'b>(
    set: &PathSet,
    input: &'b [u8],
    options: &Options,
    slots: &mut [Hit<'b>],
) -> Digest {
    let found = set
        .extract_with(input, options, slots)
        .expect("our extraction");
    let mut d = Digest::default();
    for h in found.hits() {
        match h.kind() {
            Kind::Text | Kind::String => d.add(h.text().raw().len()),
            _ => d.add_non_string(),
        }
    }
    d
}

/// The job fields of [`SEVEN`] (all but `EventName`), as the typed view names them.
const SEVEN_JOB_FIELDS: [wanxiang::JobField; 6] = {
    use wanxiang::JobField::*;
    [JobId, State, Code, Tag, OutputObject, UserData]
};

/// Ours through the typed view (`Callback`), reading the same fields as
/// [`SEVEN`] or [`EVERY_JOB`] and counting them the same way.
pub fn typed(input: &[u8], paths: &[&str]) -> Digest {
    let seven = paths == SEVEN;
    assert!(
        seven || paths == EVERY_JOB,
        "no typed reading for {paths:?}"
    );
    typed_for(input, seven, wanxiang::JobFields::ALL)
}

/// The job fields [`typed`] reads: those of [`SEVEN`] when `seven`, else
/// those of [`EVERY_JOB`].
pub const fn typed_job_fields(seven: bool) -> wanxiang::JobFields {
    use wanxiang::{JobField, JobFields};
    if seven {
        JobFields::of(&SEVEN_JOB_FIELDS)
    } else {
        JobFields::of(&[JobField::JobId, JobField::State])
    }
}

/// [`typed`] for [`SEVEN`] when `seven` (else [`EVERY_JOB`]), parsing with
/// `Callback::parse_fields` for just the job fields it reads.
#[inline]
pub fn typed_fields(input: &[u8], seven: bool) -> Digest {
    typed_for(input, seven, typed_job_fields(seven))
}

/// [`typed`] over a view that records the job fields `fields`.
fn typed_for(input: &[u8], seven: bool, fields: wanxiang::JobFields) -> Digest {
    use wanxiang::{Callback, JobField, Text};
    let cb = Callback::parse_fields(input, &Options::default(), fields).expect("typed view");
    let mut d = Digest::default();
    let mut add = |t: Option<Text<'_>>| {
        if let Some(t) = t {
            d.add(t.raw().len());
        }
    };
    if seven {
        add(cb.event_name());
        if let Some(job) = cb.jobs().next() {
            for field in SEVEN_JOB_FIELDS {
                add(job.text(field));
            }
        }
    } else {
        for job in cb.jobs() {
            add(job.text(JobField::JobId));
            add(job.text(JobField::State));
        }
    }
    d
}

/// [`typed`] through `Callback::parse_each_job`: every job read in the
/// checking pass, none read again.
pub fn typed_each(input: &[u8], paths: &[&str]) -> Digest {
    let seven = paths == SEVEN;
    assert!(
        seven || paths == EVERY_JOB,
        "no typed reading for {paths:?}"
    );
    typed_each_for(input, seven, wanxiang::JobFields::ALL)
}

/// [`typed_each`] through `Callback::parse_each_job_fields`, for just the
/// job fields it reads ([`typed_fields`]).
#[inline]
pub fn typed_each_fields(input: &[u8], seven: bool) -> Digest {
    typed_each_for(input, seven, typed_job_fields(seven))
}

/// [`typed_each`] recording the job fields `fields`.
fn typed_each_for(input: &[u8], seven: bool, fields: wanxiang::JobFields) -> Digest {
    use wanxiang::{Callback, JobField, Text};
    let mut d = Digest::default();
    let mut add = |t: Option<Text<'_>>| {
        if let Some(t) = t {
            d.add(t.raw().len());
        }
    };
    let mut first = true;
    let mut event = None;
    let cb = Callback::parse_each_job_fields(input, &Options::default(), fields, |job| {
        let fields: &[JobField] = match (seven, first) {
            (true, true) => &SEVEN_JOB_FIELDS,
            (true, false) => &[],
            (false, _) => &[JobField::JobId, JobField::State],
        };
        first = false;
        for &f in fields {
            add(job.text(f));
        }
    })
    .expect("typed view");
    if seven {
        event = cb.event_name();
    }
    if let Some(t) = event {
        d.add(t.raw().len());
    }
    d
}

// ---- physical limits ----------------------------------------------------------

#[inline]
pub fn utf8(input: &[u8]) -> usize {
    std::str::from_utf8(input).expect("UTF-8").len()
}

#[inline]
pub fn memchr_count(needle: u8, input: &[u8]) -> usize {
    memchr::memchr_iter(needle, input).count()
}

// ---- XML peers: a tiny trie over element names ---------------------------------

/// The paths merged into a trie keyed by element name, for the event-loop
/// peers. A state is a node id; [`Trie::DEAD`] means no path goes below.
#[derive(Debug, Clone)]
pub struct Trie {
    names: Vec<Vec<u8>>,
    children: Vec<Vec<u16>>,
    /// Paths ending at each node: (path id, has a `#` step).
    ends: Vec<Vec<(u8, bool)>>,
}

impl Trie {
    pub const DEAD: u16 = u16::MAX;
    pub const ROOT: u16 = 0;

    pub fn new(paths: &[&str]) -> Trie {
        assert!(paths.len() <= 64, "the done mask is a u64");
        let mut t = Trie {
            names: vec![Vec::new()],
            children: vec![Vec::new()],
            ends: vec![Vec::new()],
        };
        for (p, path) in paths.iter().enumerate() {
            let steps = Steps::parse(path);
            let mut cur = 0usize;
            for (name, _) in &steps.0 {
                let found = t.children[cur]
                    .iter()
                    .copied()
                    .find(|&c| t.names[c as usize] == name.as_bytes());
                cur = match found {
                    Some(c) => c as usize,
                    None => {
                        let id = t.names.len();
                        t.names.push(name.as_bytes().to_vec());
                        t.children.push(Vec::new());
                        t.ends.push(Vec::new());
                        t.children[cur].push(id as u16);
                        id
                    }
                };
            }
            t.ends[cur].push((p as u8, steps.multi()));
        }
        t
    }

    #[inline]
    pub fn child(&self, state: u16, name: &[u8]) -> u16 {
        if state == Self::DEAD {
            return Self::DEAD;
        }
        for &c in &self.children[state as usize] {
            if self.names[c as usize] == name {
                return c;
            }
        }
        Self::DEAD
    }

    #[inline]
    pub fn wants_value(&self, state: u16) -> bool {
        state != Self::DEAD && !self.ends[state as usize].is_empty()
    }

    /// Records a value found at `state`: every `#` path takes it, a path
    /// without `#` only its first value. (For the generated documents, where
    /// every job has every field, "first in document order" is exactly the
    /// "first item of each step" the path grammar defines.)
    #[inline]
    pub fn value(&self, state: u16, len: usize, done: &mut u64, d: &mut Digest) {
        for &(p, multi) in &self.ends[state as usize] {
            let bit = 1u64 << p;
            if multi || *done & bit == 0 {
                *done |= bit;
                d.add(len);
            }
        }
    }
}

const STACK: usize = 64;

/// The state of the innermost open element (`DEAD` outside the root).
#[inline]
fn top(stack: &[u16; STACK], depth: usize) -> u16 {
    if depth == 0 {
        Trie::DEAD
    } else {
        stack[depth - 1]
    }
}

/// quick-xml's borrowed `Reader<&[u8]>` event loop to `Eof`: tracks the trie
/// state per open element, skips subtrees no path needs with `read_to_end`
/// (quick-xml's own fastest skip, still checking end names), and takes each
/// wanted value through `BytesText::unescape` (borrowed when no entity).
pub fn quick_xml_events(input: &[u8], trie: &Trie) -> Digest {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(input);
    let mut stack = [Trie::DEAD; STACK];
    let mut depth = 0usize;
    let mut done = 0u64;
    let mut d = Digest::default();
    loop {
        match r.read_event().expect("quick-xml") {
            Event::Start(e) => {
                let state = if depth == 0 {
                    Trie::ROOT
                } else {
                    trie.child(top(&stack, depth), e.name().as_ref())
                };
                if state == Trie::DEAD {
                    r.read_to_end(e.name()).expect("quick-xml skip");
                } else {
                    stack[depth] = state;
                    depth += 1;
                }
            }
            Event::End(_) => depth -= 1,
            Event::Empty(e) => {
                let state = trie.child(top(&stack, depth), e.name().as_ref());
                if trie.wants_value(state) {
                    trie.value(state, 0, &mut done, &mut d);
                }
            }
            Event::Text(t) if trie.wants_value(top(&stack, depth)) => {
                let text = t.unescape().expect("quick-xml unescape");
                trie.value(top(&stack, depth), text.len(), &mut done, &mut d);
            }
            Event::CData(t) if trie.wants_value(top(&stack, depth)) => {
                trie.value(top(&stack, depth), t.len(), &mut done, &mut d);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    d
}

/// xmlparser's tokenizer loop (it takes `&str`, so `from_utf8` first, as a
/// caller holding a request body must). The tokenizer does not match end tags
/// to start tags, so the loop does, on a fixed stack of names.
pub fn xmlparser_tokens(input: &[u8], trie: &Trie) -> Digest {
    use xmlparser::{ElementEnd, Token, Tokenizer};
    let text = std::str::from_utf8(input).expect("UTF-8");
    let mut names: [&str; STACK] = [""; STACK];
    let mut stack = [Trie::DEAD; STACK];
    let mut depth = 0usize;
    let mut pending: (&str, u16) = ("", Trie::DEAD);
    let mut done = 0u64;
    let mut d = Digest::default();
    for token in Tokenizer::from(text) {
        match token.expect("xmlparser") {
            Token::ElementStart { local, prefix, .. } => {
                assert!(prefix.is_empty());
                let state = if depth == 0 {
                    Trie::ROOT
                } else {
                    trie.child(stack[depth - 1], local.as_bytes())
                };
                pending = (local.as_str(), state);
            }
            Token::ElementEnd { end, .. } => match end {
                ElementEnd::Open => {
                    names[depth] = pending.0;
                    stack[depth] = pending.1;
                    depth += 1;
                }
                ElementEnd::Empty if trie.wants_value(pending.1) => {
                    trie.value(pending.1, 0, &mut done, &mut d);
                }
                ElementEnd::Empty => {}
                ElementEnd::Close(_, local) => {
                    depth -= 1;
                    assert!(names[depth] == local.as_str(), "mismatched end tag");
                }
            },
            Token::Text { text } if trie.wants_value(top(&stack, depth)) => {
                trie.value(top(&stack, depth), text.len(), &mut done, &mut d);
            }
            Token::Cdata { text, .. } if trie.wants_value(top(&stack, depth)) => {
                trie.value(top(&stack, depth), text.len(), &mut done, &mut d);
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    d
}

/// roxmltree: `from_utf8`, parse the whole tree, then walk each path.
pub fn roxmltree_lookup(input: &[u8], paths: &[Steps]) -> Digest {
    let text = std::str::from_utf8(input).expect("UTF-8");
    let doc = roxmltree::Document::parse(text).expect("roxmltree");
    let root = doc.root_element();
    let mut d = Digest::default();
    for p in paths {
        rox_walk(root, &p.0, &mut d);
    }
    d
}

fn rox_walk(node: roxmltree::Node<'_, '_>, steps: &[(String, bool)], d: &mut Digest) {
    let Some(((name, all), rest)) = steps.split_first() else {
        d.add(node.text().map_or(0, str::len));
        return;
    };
    let mut items = node
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == name);
    if *all {
        for item in items {
            rox_walk(item, rest, d);
        }
    } else if let Some(item) = items.next() {
        rox_walk(item, rest, d);
    }
}

/// The seven seed fields as a borrowed serde struct (quick-xml serde,
/// serde_json, sonic-rs). `JobsDetail` is a `Vec` because it is a JSON array
/// and a repeated XML element.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Seven<'a> {
    #[serde(borrow)]
    pub event_name: Cow<'a, str>,
    #[serde(borrow)]
    pub jobs_detail: Vec<SevenJob<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SevenJob<'a> {
    #[serde(borrow)]
    pub job_id: Cow<'a, str>,
    #[serde(borrow)]
    pub state: Cow<'a, str>,
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    #[serde(borrow)]
    pub tag: Cow<'a, str>,
    #[serde(borrow)]
    pub operation: SevenOperation<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SevenOperation<'a> {
    #[serde(borrow)]
    pub output: SevenOutput<'a>,
    #[serde(borrow)]
    pub user_data: Cow<'a, str>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SevenOutput<'a> {
    #[serde(borrow)]
    pub object: Cow<'a, str>,
}

impl Seven<'_> {
    #[inline]
    pub fn digest(&self) -> Digest {
        let mut d = Digest::default();
        d.add(self.event_name.len());
        let j = &self.jobs_detail[0];
        d.add(j.job_id.len());
        d.add(j.state.len());
        d.add(j.code.len());
        d.add(j.tag.len());
        d.add(j.operation.output.object.len());
        d.add(j.operation.user_data.len());
        d
    }
}

/// JobId and State of every job as a borrowed serde struct.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EveryJob<'a> {
    #[serde(borrow)]
    pub jobs_detail: Vec<IdState<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdState<'a> {
    #[serde(borrow)]
    pub job_id: Cow<'a, str>,
    #[serde(borrow)]
    pub state: Cow<'a, str>,
}

impl EveryJob<'_> {
    #[inline]
    pub fn digest(&self) -> Digest {
        let mut d = Digest::default();
        for j in &self.jobs_detail {
            d.add(j.job_id.len());
        }
        for j in &self.jobs_detail {
            d.add(j.state.len());
        }
        d
    }
}

/// quick-xml serde (`from_str`, so `from_utf8` first) into a borrowed struct.
pub fn quick_xml_serde<'a, T: Deserialize<'a>>(input: &'a [u8]) -> T {
    let text = std::str::from_utf8(input).expect("UTF-8");
    quick_xml::de::from_str(text).expect("quick-xml serde")
}

// ---- JSON peers ---------------------------------------------------------------

/// simd-json needs a mutable copy of the input: the buffers below are reused
/// across iterations, the copy is part of every iteration.
pub struct SimdJson {
    pub copy: Vec<u8>,
    pub buffers: simd_json::Buffers,
    tape: Option<simd_json::Tape<'static>>,
}

impl SimdJson {
    pub fn new(input_len: usize) -> SimdJson {
        SimdJson {
            copy: Vec::with_capacity(input_len),
            buffers: simd_json::Buffers::new(input_len),
            tape: Some(simd_json::Tape::null().reset()),
        }
    }

    /// simd-json tape with reused buffers and a reused tape (`fill_tape`),
    /// then each path looked up on the tape.
    pub fn tape(&mut self, input: &[u8], paths: &[Steps]) -> Digest {
        self.copy.clear();
        self.copy.extend_from_slice(input);
        let mut tape = self.tape.take().expect("tape").reset();
        simd_json::fill_tape(&mut self.copy, &mut self.buffers, &mut tape).expect("simd-json");
        let root = tape.as_value();
        let mut d = Digest::default();
        for p in paths {
            tape_walk(root, &p.0, &mut d);
        }
        self.tape = Some(tape.reset());
        d
    }

    /// simd-json borrowed value (a DOM) with reused buffers, then each path.
    pub fn borrowed(&mut self, input: &[u8], paths: &[Steps]) -> Digest {
        self.copy.clear();
        self.copy.extend_from_slice(input);
        let v = simd_json::to_borrowed_value_with_buffers(&mut self.copy, &mut self.buffers)
            .expect("simd-json");
        let mut d = Digest::default();
        for p in paths {
            borrowed_walk(&v, &p.0, &mut d);
        }
        d
    }
}

fn tape_walk(v: simd_json::tape::Value<'_, '_>, steps: &[(String, bool)], d: &mut Digest) {
    use simd_json::prelude::*;
    let Some(((name, all), rest)) = steps.split_first() else {
        match v.as_str() {
            Some(s) => d.add(s.len()),
            None => d.add_non_string(),
        }
        return;
    };
    let Some(child) = v.get(name.as_str()) else {
        return;
    };
    match child.as_array() {
        Some(items) if *all => {
            for item in items.iter() {
                tape_walk(item, rest, d);
            }
        }
        Some(items) => {
            if let Some(item) = items.get(0) {
                tape_walk(item, rest, d);
            }
        }
        None => tape_walk(child, rest, d),
    }
}

fn borrowed_walk(v: &simd_json::BorrowedValue<'_>, steps: &[(String, bool)], d: &mut Digest) {
    use simd_json::prelude::*;
    let Some(((name, all), rest)) = steps.split_first() else {
        match v.as_str() {
            Some(s) => d.add(s.len()),
            None => d.add_non_string(),
        }
        return;
    };
    let Some(child) = v.get(name.as_str()) else {
        return;
    };
    match child.as_array() {
        Some(items) if *all => {
            for item in items {
                borrowed_walk(item, rest, d);
            }
        }
        Some(items) => {
            if let Some(item) = items.first() {
                borrowed_walk(item, rest, d);
            }
        }
        None => borrowed_walk(child, rest, d),
    }
}

/// serde_json into a borrowed struct.
pub fn serde_json_struct<'a, T: Deserialize<'a>>(input: &'a [u8]) -> T {
    serde_json::from_slice(input).expect("serde_json")
}

/// sonic-rs `from_slice` into a borrowed struct.
pub fn sonic_struct<'a, T: Deserialize<'a>>(input: &'a [u8]) -> T {
    sonic_rs::from_slice(input).expect("sonic-rs")
}

/// A sonic-rs `PointerTree` for the paths. sonic-rs pointers have no
/// wildcard, so a `#` step is expanded to indexes `0..items` (the caller must
/// know the count: an advantage the other implementations do not get), and a
/// step without selector becomes index 0 when the document's value there is
/// an array (`JobsDetail`). `get_many` fails on a missing path, so paths
/// absent from the document are left out of the tree (less work for sonic-rs).
pub fn sonic_tree(paths: &[&str], items: usize, absent: &[&str]) -> sonic_rs::PointerTree {
    let mut tree = sonic_rs::PointerTree::new();
    // Two passes so the result order is "per path, in document order", as ours.
    for path in paths {
        if absent.contains(path) {
            continue;
        }
        let steps = Steps::parse(path);
        let count = if steps.multi() { items } else { 1 };
        for i in 0..count {
            let mut ptr: Vec<sonic_rs::PointerNode> = Vec::new();
            for (k, (name, _)) in steps.0.iter().enumerate() {
                ptr.push(name.as_str().into());
                if k == 0 && name == "JobsDetail" {
                    ptr.push(i.into());
                }
            }
            tree.add_path(ptr);
        }
    }
    tree
}

/// sonic-rs `get_many` (validating; not `get_many_unchecked`) over the tree.
pub fn sonic_get_many(input: &[u8], tree: &sonic_rs::PointerTree) -> Digest {
    use sonic_rs::JsonValueTrait;
    let values = sonic_rs::get_many(input, tree).expect("sonic-rs get_many");
    let mut d = Digest::default();
    for v in &values {
        match v.as_str() {
            Some(s) => d.add(s.len()),
            None => d.add_non_string(),
        }
    }
    d
}

// ---- one implementation by name, outside criterion ---------------------------

/// The input and paths of a group of `benches/extract.rs` by its name, for
/// the examples that run one workload outside criterion.
pub fn workload(name: &str) -> Option<(Vec<u8>, &'static [&'static str])> {
    Some(match name {
        "seed-xml" => (SEED_XML.to_vec(), SEVEN),
        "seed-json" => (seed_json_strict(), SEVEN),
        "jobs100-xml" => (jobs_xml(100), EVERY_JOB),
        "jobs100-json" => (jobs_json(100), EVERY_JOB),
        "userdata64k-xml" => (userdata_xml(64 << 10), SEVEN),
        "userdata64k-json" => (userdata_json(64 << 10), SEVEN),
        _ => return None,
    })
}

/// The implementations [`Named`] knows, by their bench names.
const IMPS: [(&str, Imp); 13] = [
    ("ours-full", Imp::OursFull),
    ("ours-skim", Imp::OursSkim),
    ("ours-typed", Imp::OursTyped),
    ("ours-typed-each", Imp::OursTypedEach),
    ("ours-typed-fields", Imp::OursTypedFields),
    ("ours-typed-fields-each", Imp::OursTypedFieldsEach),
    ("quick-xml-events", Imp::QuickXmlEvents),
    ("quick-xml-serde", Imp::QuickXmlSerde),
    ("simd-json-tape", Imp::SimdJsonTape),
    ("serde-json-struct", Imp::SerdeJsonStruct),
    ("sonic-rs-struct", Imp::SonicRsStruct),
    ("from-utf8", Imp::FromUtf8),
    ("limit-scan", Imp::LimitScan),
];

#[derive(Clone, Copy)]
enum Imp {
    OursFull,
    OursSkim,
    OursTyped,
    OursTypedEach,
    OursTypedFields,
    OursTypedFieldsEach,
    QuickXmlEvents,
    QuickXmlSerde,
    SimdJsonTape,
    SerdeJsonStruct,
    SonicRsStruct,
    FromUtf8,
    LimitScan,
}

/// The bench names [`Named::new`] takes.
pub fn names() -> impl Iterator<Item = &'static str> {
    IMPS.iter().map(|&(name, _)| name)
}

/// One implementation, by its bench name, on one input, with the state it
/// reuses between calls (slots, simd-json's buffers): `call` runs it once and
/// asserts its digest equals our `Full` extraction's, as the benches do.
pub struct Named<'b> {
    name: &'static str,
    imp: Imp,
    input: &'b [u8],
    paths: &'static [&'static str],
    /// The structs of `benches/extract.rs`: `Seven` for the seven paths,
    /// `EveryJob` for JobId and State of every job.
    every: bool,
    expected: Digest,
    set: PathSet,
    slots: Vec<Hit<'b>>,
    trie: Trie,
    steps: Vec<Steps>,
    simd: SimdJson,
    full: Options,
    skim: Options,
    limit: limit::Limit,
}

impl<'b> Named<'b> {
    /// `None` for a name not in [`names`].
    pub fn new(name: &str, input: &'b [u8], paths: &'static [&'static str]) -> Option<Self> {
        let &(name, imp) = IMPS.iter().find(|&&(n, _)| n == name)?;
        let set = PathSet::compile(paths).expect("paths");
        let mut slots = vec![Hit::EMPTY; 256];
        let expected = ours(&set, input, &full(), &mut slots);
        let limit = match wanxiang::sniff(input) {
            Ok(wanxiang::Format::Json) => limit::Limit::json(),
            _ => limit::Limit::xml(),
        };
        if let Imp::LimitScan = imp {
            assert!(
                paths == SEVEN,
                "the limit scan reads the seven seed fields only"
            );
            limit::assert_matches_ours(&limit, input);
        }
        Some(Named {
            name,
            imp,
            input,
            paths,
            every: paths == EVERY_JOB,
            expected,
            set,
            slots,
            trie: Trie::new(paths),
            steps: parse_all(paths),
            simd: SimdJson::new(input.len()),
            full: full(),
            skim: skim(),
            limit,
        })
    }

    /// One run on the input (through `black_box`), checked.
    #[inline]
    pub fn call(&mut self) {
        let i = std::hint::black_box(self.input);
        let every = self.every;
        let d = match self.imp {
            Imp::OursFull => ours(&self.set, i, &self.full, &mut self.slots),
            Imp::OursSkim => ours(&self.set, i, &self.skim, &mut self.slots),
            Imp::OursTyped => typed(i, self.paths),
            Imp::OursTypedEach => typed_each(i, self.paths),
            Imp::OursTypedFields => typed_fields(i, !every),
            Imp::OursTypedFieldsEach => typed_each_fields(i, !every),
            Imp::QuickXmlEvents => quick_xml_events(i, &self.trie),
            Imp::QuickXmlSerde if every => quick_xml_serde::<EveryJob>(i).digest(),
            Imp::QuickXmlSerde => quick_xml_serde::<Seven>(i).digest(),
            Imp::SimdJsonTape => self.simd.tape(i, &self.steps),
            Imp::SerdeJsonStruct if every => serde_json_struct::<EveryJob>(i).digest(),
            Imp::SerdeJsonStruct => serde_json_struct::<Seven>(i).digest(),
            Imp::SonicRsStruct if every => sonic_struct::<EveryJob>(i).digest(),
            Imp::SonicRsStruct => sonic_struct::<Seven>(i).digest(),
            Imp::FromUtf8 => {
                utf8(i);
                self.expected
            }
            Imp::LimitScan => self.limit.digest(i),
        };
        assert!(d == self.expected, "{} extracted {d:?}", self.name);
    }
}

// ---- the floors of issue 4 ------------------------------------------------------

/// A bound on a ratio of times.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    AtLeast(f64),
    AtMost(f64),
}

impl Bound {
    pub fn holds(self, ratio: f64) -> bool {
        match self {
            Bound::AtLeast(x) => ratio >= x,
            Bound::AtMost(x) => ratio <= x,
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::AtLeast(x) => write!(f, "≥ {x}×"),
            Bound::AtMost(x) => write!(f, "≤ {x}×"),
        }
    }
}

/// A floor of issue 4 that compares two implementations (bench names) on one
/// group of `benches/extract.rs`: the time of `slow` over the time of `fast`.
/// (The other floor, linear scaling over the jobs sweep, is one
/// implementation across sizes; `examples/ratios.rs` computes it.)
pub struct RatioFloor {
    pub group: &'static str,
    pub slow: &'static str,
    pub fast: &'static str,
    pub bound: Bound,
}

impl RatioFloor {
    /// As the floor tables name it: "`seed-xml`: quick-xml-events / ours Full".
    pub fn name(&self) -> String {
        let shown = |id: &'static str| match id {
            "ours-full" => "ours Full",
            "ours-skim" => "ours Skim",
            "limit-scan" => "limit scan",
            other => other,
        };
        format!(
            "`{}`: {} / {}",
            self.group,
            shown(self.slow),
            shown(self.fast)
        )
    }
}

const fn floor(
    group: &'static str,
    slow: &'static str,
    fast: &'static str,
    bound: Bound,
) -> RatioFloor {
    RatioFloor {
        group,
        slow,
        fast,
        bound,
    }
}

/// Every ratio floor of issue 4, in its order.
pub const RATIO_FLOORS: &[RatioFloor] = {
    use Bound::{AtLeast, AtMost};
    &[
        floor("seed-xml", "quick-xml-events", "ours-full", AtLeast(6.0)),
        floor("seed-xml", "quick-xml-serde", "ours-full", AtLeast(15.0)),
        floor("seed-json", "simd-json-tape", "ours-full", AtLeast(2.0)),
        floor("seed-json", "serde-json-struct", "ours-full", AtLeast(3.0)),
        floor("seed-json", "sonic-rs-struct", "ours-full", AtLeast(3.0)),
        floor("jobs100-xml", "quick-xml-events", "ours-full", AtLeast(6.0)),
        floor("jobs100-json", "simd-json-tape", "ours-full", AtLeast(2.0)),
        floor("userdata64k-xml", "ours-full", "from-utf8", AtMost(2.5)),
        floor("userdata64k-json", "ours-full", "from-utf8", AtMost(2.5)),
        floor("seed-xml", "ours-full", "ours-skim", AtLeast(1.5)),
        floor("seed-json", "ours-full", "ours-skim", AtLeast(1.5)),
    ]
};

/// The Skim floor of issue 16: Skim within 2x of the hand-written
/// non-validating scan ([`limit::Limit`]) on the seeds.
pub const SKIM_FLOORS: &[RatioFloor] = {
    use Bound::AtMost;
    &[
        floor("seed-xml", "ours-skim", "limit-scan", AtMost(2.0)),
        floor("seed-json", "ours-skim", "limit-scan", AtMost(2.0)),
    ]
};
