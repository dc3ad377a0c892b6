//! Helpers shared by the CLI tests: running the binary from the repository
//! root (so `corpus/...` names are what a user would type there), and
//! walking the repository's `corpus/`.
#![allow(dead_code)] // each test file uses a different part

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The repository root (the library's package, one level up from `cli/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ is inside the repository")
        .to_path_buf()
}

/// The corpus root.
pub fn corpus() -> PathBuf {
    root().join("corpus")
}

/// The document files (not `.expected`) of `corpus/<format>/<class>/`,
/// sorted. A missing directory fails the test.
pub fn documents(format: &str, class: &str) -> Vec<PathBuf> {
    let dir = corpus().join(format).join(class);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
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

/// The `.expected` file beside a document.
pub fn expected_of(doc: &Path) -> PathBuf {
    doc.with_extension("expected")
}

/// A corpus document's name relative to the repository root, as the tests
/// pass it to the binary.
pub fn relative(doc: &Path) -> String {
    doc.strip_prefix(root())
        .expect("a file under the repository")
        .to_str()
        .expect("corpus names are UTF-8")
        .to_string()
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

/// Runs the `wanxiang` binary with `args` from the repository root, `stdin`
/// on its standard input (nothing when `None`).
pub fn wanxiang(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wanxiang"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // The binary may exit (usage error) before reading: a broken pipe is fine.
    let _ = pipe.write_all(stdin.unwrap_or(b""));
    drop(pipe);
    child.wait_with_output().unwrap()
}

/// The JSON lines of a run's standard output.
pub fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A run's standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}
