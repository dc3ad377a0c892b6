//! Zero-allocation readers for Tencent Cloud Infinite (数据万象) job callbacks.
//!
//! When a CI job finishes, Tencent POSTs a small XML or JSON document to the
//! job's callback URL. `wanxiang` pulls only the fields you ask for out of it,
//! as slices of your own buffer, without allocating and without parsing what
//! you did not ask for.
//!
//! ```
//! use wanxiang::{Hit, PathSet};
//!
//! // Compile the paths once (this allocates), reuse them for every callback.
//! let paths = PathSet::compile(["EventName", "JobsDetail.#.JobId", "JobsDetail.#.State"])?;
//!
//! let body = br#"{"EventName": "TaskFinish",
//!                 "JobsDetail": [{"JobId": "j1", "State": "Success"},
//!                                {"JobId": "j2", "State": "Failed"}]}"#;
//! let mut slots = [Hit::EMPTY; 16]; // the caller owns the output
//! let found = paths.extract(body, &mut slots)?; // no allocation from here on
//! assert!(found.first(0).unwrap().text() == "TaskFinish");
//! let states: Vec<&str> = found.all(2).map(|h| h.text().raw()).collect();
//! assert_eq!(states, ["Success", "Failed"]);
//! # Ok::<(), wanxiang::Error>(())
//! ```
//!
//! # Layers
//! - [`xml::Reader`] and [`json::Reader`]: borrowed pull readers that validate
//!   what they read and can skip a whole element or value cheaply.
//! - [`Text`]: a raw value that decodes (entities, escapes, CDATA) only on request.
//! - [`PathSet`]: dot paths (`JobsDetail.#.Input.CosHeaders.#.Key`) compiled once
//!   and matched over either format, skipping every subtree no path needs.
//! - [`Callback`]: the typed view (event, jobs, workflow and tasks, typed
//!   states and timestamps) over one checked document, without allocating;
//!   [`OwnedCallback`] is the same over a [`bytes::Bytes`] body, `'static` for
//!   async handlers and queues.
//! - [`stream`]: finds the documents in NDJSON, concatenated JSON or XML and
//!   message batches, without copying, in bounded memory.
//!
//! # Guarantees
//! - **No allocation** in reading, extracting, and every decoding-free access
//!   ([`Text::as_str`], [`Text::eq_str`], [`Text::write_to`]); a test with a
//!   counting global allocator checks it over the whole corpus.
//! - **No panics, bounded work**: every input gives values or an [`Error`] with
//!   a matchable [`ErrorKind`], a byte offset and line/column; time is linear in
//!   the input; nesting, size, attributes and list items are bounded by [`Limits`].
//! - **`unsafe` in one module only**: `#![deny(unsafe_code)]`, allowed only in
//!   the private `simd` module: SSE2 (part of the x86-64 baseline) on 16-byte
//!   blocks, and AVX2 kernels (with PCLMULQDQ, POPCNT) for 64-byte blocks, reachable
//!   only after run-time detection ([`simd_level`]). Every kernel is tested
//!   against its scalar definition for every byte value in every lane, fuzzed
//!   against it, and the portable version runs under Miri; other targets use
//!   the portable version.
//!
//! # Paths
//! ```text
//! path   = [select "."] step *("." step) ["." "@" name]   ; "@name": an XML attribute, last step only
//!        | select                                         ; items of a top-level JSON array
//! step   = name ["." select]
//! select = "#" | index                                    ; "#": every item; index: 0-based
//! ```
//! - A path starts **inside** the document: inside the XML root element, at
//!   the top-level JSON object. A JSON object whose only member is `Response`
//!   with an object value (`{"Response": {…}}`) is unwrapped first, so the
//!   same path reads both shapes Tencent sends. A top-level JSON array (a
//!   batch of events) is a list like any other: a leading `#.` or `k.` picks
//!   its items (a bare `#` or `k` gives the items themselves), each read like
//!   a document of its own, and a path without one reads the first item, so
//!   `D` and `[D]` give the same values. In any other document (XML, a JSON
//!   object) a path with a leading selector is valid and finds nothing.
//! - **Every name step gives a list**: in XML, the direct children with that
//!   name in document order, adjacent or not; in JSON, the items when the
//!   value is an array, else a one-item list. `JobsDetail.JobId` therefore
//!   means the same whether `JobsDetail` holds one job as an object or several
//!   as an array. A key that occurs twice in one JSON object adds its items
//!   after the first's, like repeated XML siblings.
//! - No selector takes the first item, `k` the k-th, `#` all of them,
//!   flattened in document order: `JobsDetail.#.Input.CosHeaders.#.Key` lists
//!   every header key of every job.
//! - Names match exactly and case-sensitively (`WordsGeneralizeLable`, a real
//!   misspelling, is not `WordsGeneralizeLabel`), direct children only. A `\`
//!   escapes `.`, `#`, `@`, `\` or a digit inside a name. A lone `@name` is an
//!   attribute of the XML root; `@` never matches in JSON. A JSON key written
//!   with escapes matches by its decoded name.
//! - A path that ends on a container gives its raw text (the whole XML
//!   element, or the JSON `{…}` / `[…]`). JSON numbers and literals give their
//!   literal text (`0`, `true`), so `JobLevel` reads the same as `0` or `"0"`.
//!
//! # Policies
//! - **Validation.** [`Validation::Full`] (default) checks the whole document,
//!   also the parts no path needs, so values only come out of a well-formed
//!   document. [`Validation::Skim`] stops as soon as every requested value is
//!   known and only follows the structure of what it skips: on a valid
//!   document it gives exactly `Full`'s values, on an invalid one it may give
//!   values where `Full` fails. The typed view ([`Callback::parse`]) always
//!   checks the whole document.
//! - **JSON** is RFC 8259 with one leniency, on by default because Tencent's
//!   own example has it: a trailing comma before `}` or `]`.
//!   [`Options::strict`] rejects it. Comments, single quotes, `NaN` and
//!   leading zeros are always errors. A UTF-8 byte-order mark is skipped.
//! - **XML** 1.0, UTF-8 only: `<!DOCTYPE` is refused, so there is no DTD, no
//!   entity expansion and nothing external is ever read. The five predefined
//!   entities and character references decode, any other entity is an error;
//!   CDATA is text; comments and processing instructions are checked and
//!   skipped; attributes and namespace prefixes are accepted (names match as
//!   written, prefix included). Decoded line ends are normalised to `\n`.
//! - **Limits** ([`Limits`], passed in [`Options::limits`]): input size
//!   (16 MiB), nesting depth (128, at most [`MAX_DEPTH`]), attributes per
//!   element (256) and items per list (100 000). Going past one is an error of
//!   [`Category::Limit`], never a panic or an allocation.
//! - **Errors** are one type, [`Error`]: a matchable [`ErrorKind`], its
//!   [`Category`], the byte offset of the construct that failed (where it
//!   opened, for an unclosed one) and the 1-based line and column (in bytes).
//!
//! # Callback variants
//! Tencent Cloud Infinite POSTs one document per finished job or workflow to
//! the callback URL: XML by default, JSON when the job or queue asks for it.
//! The same body may arrive through a message queue. It carries no signature,
//! so treat it as untrusted input; deliveries may repeat or arrive out of
//! order (`JobId` plus `State` is a natural idempotency key).
//!
//! | `EventName` | content | read with |
//! |---|---|---|
//! | `TaskFinish` | one or more `JobsDetail` (translation, speech recognition, OCR, media jobs, …) | [`Callback::jobs`] |
//! | `WorkflowFinish` | `WorkflowExecution` with one or more `Tasks` | [`Callback::workflow`] |
//! | absent | `JobsDetail` (older media callbacks) | [`Callback::jobs`]; [`Callback::event`] is `None` |
//! | other (`ReviewImage`, …) | content moderation, JSON, its own schema | [`Event::Other`]; `JobsDetail` is still iterated |
//!
//! Shapes seen in Tencent's own examples, all read by every layer:
//! - a list with one item is often not a list in JSON: `JobsDetail`,
//!   `CosHeaders`, `Tasks`, `Md5Info` come as a bare object or as an array;
//!   in XML repeated nodes are repeated siblings, not always adjacent;
//! - JSON may be wrapped in `{"Response": {…}}`; XML always has a root;
//! - numbers are usually strings, but `JobLevel` comes as `0` and as `"0"`;
//! - an empty XML element (`<Message/>`) has no key at all in the JSON twin:
//!   the typed view gives `Some("")` for the first and `None` for the second;
//! - a trailing comma in Tencent's documented JSON example;
//! - children in any order, the same name at several depths (`Object`,
//!   `State`, a `CosHeaders` entry whose `Key` is `EventName`), and real
//!   misspellings (`WordsGeneralizeLable`, `Angel`): match by full path;
//! - three timestamp layouts, `2022-07-25T16:35:39+0800` (jobs),
//!   `2022-08-09 14:54:17+0800` (workflows) and `2021-08-10T21:01:10+08:00`
//!   (moderation), with `-` or empty for "not set" (see [`Timestamp`]);
//! - an optional BOM and `<?xml …?>` declaration, CRLF line ends, entities,
//!   character references, CDATA and comments in XML; every JSON escape,
//!   surrogate pairs included;
//! - `UserData` echoes the caller's own text and media or OCR results can be
//!   many kilobytes: the body size is bounded, not single fields.
//!
//! # Crate features
//! - `std` (default): implies `memchr/std`, builds the `wanxiang` CLI and adds
//!   [`stream::FrameReader`] over `std::io::Read`. Without it the library is
//!   `no_std` + `alloc`.
//! - `tokio-codec` (off): [`stream::FrameCodec`] implements
//!   `tokio_util::codec::Decoder`, for `FramedRead` over any `AsyncRead`. It
//!   adds tokio-util and tokio's I/O traits (no runtime) to the build.
//! - `axum` (off): [`OwnedCallback`] is an axum 0.8 extractor with its own
//!   body limit, and errors answer 400/413 JSON (see the `axum` module).
//!   It adds axum-core, http and http-body-util (not axum itself).
//! - `serde` (off): `serde::Serialize` for [`Text`] (the decoded string),
//!   [`Timestamp`] (an RFC 3339 string), [`State`], [`Event`], [`Format`],
//!   [`ErrorKind`] (its [`name`](ErrorKind::name)), [`Error`] (`kind`,
//!   `message`, `offset`, `line`, `column`) and whole callbacks ([`Callback`],
//!   [`OwnedCallback`], their jobs, tasks and workflow), so an XML callback
//!   can be logged or forwarded as JSON; an XML callback and its JSON twin
//!   serialize alike. Hand-written impls: serde without its derive macros.
//! - `chrono` (off): `From<Timestamp>` for `chrono::DateTime<FixedOffset>`.
//! - `jiff` (off): `TryFrom<Timestamp>` for `jiff::Timestamp` and `jiff::Zoned`
//!   (jiff's range ends on 9999-12-30, UTC).
#![no_std]
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc
)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[doc(hidden)]
#[path = "probe.rs"]
pub mod __simd_probe;
#[cfg(feature = "axum")]
pub mod axum;
pub mod callback;
mod config;
mod error;
mod input;
pub mod json;
mod named;
mod owned;
pub mod path;
#[cfg(doctest)]
mod readme;
mod records;
mod scan;
#[cfg(feature = "serde")]
mod ser;
mod simd;
pub mod stream;
mod text;
mod time;
pub mod xml;

pub use config::{Limits, Options, Validation, MAX_DEPTH};
pub use error::{Category, Error, ErrorKind, ValueErrorKind};
pub use input::{sniff, Format};
pub use named::PathSetBuilder;
pub use path::{Found, Hit, PathId, PathIndex, PathSet};
pub use records::{Record, RecordIter, RecordSet, RecordSetBuilder, Records};
pub use simd::simd_level;
pub use stream::Status;
pub use text::{Kind, Text};

pub use callback::{
    Callback, Event, Header, Headers, Job, JobField, JobFields, Jobs, State, Task, TaskField,
    Tasks, Workflow, WorkflowField,
};
pub use owned::{OwnedCallback, OwnedJob, OwnedTask, OwnedWorkflow};
pub use time::Timestamp;
