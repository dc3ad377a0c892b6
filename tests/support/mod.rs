//! Helpers shared by the integration tests: walking `corpus/` and turning an
//! extraction into the same JSON shape `wanxiang extract` prints (the CLI's
//! own tests are in `cli/tests/`).
#![allow(dead_code)] // each test file uses a different part

pub mod counting;

use std::path::{Path, PathBuf};

use serde_json::Value;
use wanxiang::{Error, JobField, JobFields, Kind, Options, PathSet};

/// The seven job fields of the benchmarks' "callback" row, for the tests of
/// a view that records only some fields.
pub const SEVEN: JobFields = JobFields::of(&[
    JobField::JobId,
    JobField::State,
    JobField::Code,
    JobField::OutputObject,
    JobField::EndTime,
    JobField::UserData,
    JobField::InputObject,
]);

/// The corpus root.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The document files (not `.expected`) of `corpus/<format>/<class>/`, sorted.
pub fn documents(format: &str, class: &str) -> Vec<PathBuf> {
    let dir = corpus().join(format).join(class);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == format))
        .collect();
    v.sort();
    v
}

/// Whether a regression document must be accepted: its `.expected` holds a
/// JSON object of values (an invalid one holds `KIND OFFSET`).
fn expected_valid(doc: &Path) -> bool {
    std::fs::read(expected_of(doc)).is_ok_and(|e| e.trim_ascii_start().starts_with(b"{"))
}

/// Every valid document of both formats (regressions included).
pub fn valid_documents() -> Vec<PathBuf> {
    let mut v = documents("xml", "valid");
    v.extend(documents("json", "valid"));
    for format in ["xml", "json"] {
        v.extend(
            documents(format, "regressions")
                .into_iter()
                .filter(|d| expected_valid(d)),
        );
    }
    v
}

/// Every invalid document of both formats (regressions included).
pub fn invalid_documents() -> Vec<PathBuf> {
    let mut v = documents("xml", "invalid");
    v.extend(documents("json", "invalid"));
    for format in ["xml", "json"] {
        v.extend(
            documents(format, "regressions")
                .into_iter()
                .filter(|d| !expected_valid(d)),
        );
    }
    v
}

/// The `.expected` file beside a document.
pub fn expected_of(doc: &Path) -> PathBuf {
    doc.with_extension("expected")
}

/// The standard paths every valid `.expected` pins.
pub const STANDARD: &[&str] = &[
    "EventName",
    "JobsDetail.#.JobId",
    "JobsDetail.#.State",
    "JobsDetail.#.Code",
    "JobsDetail.#.Tag",
    "JobsDetail.#.Operation.Output.Object",
    "JobsDetail.#.Operation.UserData",
    "JobsDetail.#.Input.CosHeaders.#.Key",
    "JobsDetail.#.Input.CosHeaders.#.Value",
    "JobsDetail.Workflow.WorkflowId",
    "WorkflowExecution.RunId",
    "WorkflowExecution.Tasks.#.JobId",
    "WorkflowExecution.Tasks.#.State",
    "JobsDetail.JobId",
    "JobsDetail.Message",
    "JobsDetail.Operation.JobLevel",
];

/// One value as the CLI prints it: `null` for JSON null, else the decoded string.
pub fn value_of(hit: &wanxiang::Hit<'_>) -> Value {
    if hit.kind() == Kind::Null {
        Value::Null
    } else {
        Value::String(hit.text().to_cow().into_owned())
    }
}

/// Extracts `paths` from `input` and shapes the result like the CLI's `"fields"` object.
pub fn fields(paths: &[String], input: &[u8], options: &Options) -> Result<Value, Error> {
    let set = PathSet::compile(paths).expect("paths compile");
    let mut hits = Vec::new();
    set.visit(input, options, |h| hits.push(h))?;
    let mut map = serde_json::Map::new();
    for (i, p) in paths.iter().enumerate() {
        let mut of = hits.iter().filter(|h| h.path() == i);
        let v = if set.is_multi(i) {
            Value::Array(of.map(value_of).collect())
        } else {
            of.next().map_or(Value::Null, value_of)
        };
        map.insert(p.clone(), v);
    }
    Ok(Value::Object(map))
}

/// The name of an error kind as written in `.expected` files (its variant name).
pub fn kind_name(kind: wanxiang::ErrorKind) -> String {
    let dbg = format!("{kind:?}");
    dbg.split([' ', '{', '(']).next().unwrap_or("").to_string()
}
