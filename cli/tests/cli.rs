//! The `wanxiang extract` contract, and what every command shares (usage
//! errors, help, closed pipes, file names), through the real binary.

mod support;

use support::{lines, wanxiang};

use std::process::Command;

use serde_json::{json, Value};

const SEED_FIELDS: &str = "EventName,JobsDetail.JobId,JobsDetail.Operation.JobLevel,JobsDetail.Operation.UserData,JobsDetail.#.State,Missing,Missing.#.X";

#[test]
fn seed_examples_give_the_documented_values() {
    let out = wanxiang(
        &[
            "extract",
            "-f",
            SEED_FIELDS,
            "corpus/xml/valid/seed.xml",
            "corpus/json/valid/seed.json",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fields = json!({
        "EventName": "TaskFinish",
        "JobsDetail.JobId": "ac34be3aa0bf411ed9ce39d7cc972e427",
        "JobsDetail.Operation.JobLevel": "0",
        "JobsDetail.Operation.UserData": "This is my Translation job.",
        "JobsDetail.#.State": ["Success"],
        "Missing": null,
        "Missing.#.X": [],
    });
    assert_eq!(
        lines(&out),
        [
            json!({"source": "corpus/xml/valid/seed.xml", "format": "xml", "fields": fields}),
            json!({"source": "corpus/json/valid/seed.json", "format": "json", "fields": fields}),
        ]
    );
    // Keys come out in the order the paths were given.
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.find("\"EventName\"").unwrap() < first.find("\"Missing\"").unwrap());
}

#[test]
fn stdin_is_the_default_and_dash() {
    let doc = std::fs::read(support::corpus().join("json/valid/seed.json")).unwrap();
    for args in [
        &["extract", "-f", "EventName"][..],
        &["extract", "-f", "EventName", "-"],
    ] {
        let out = wanxiang(args, Some(&doc));
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            lines(&out),
            [json!({"source": "-", "format": "json", "fields": {"EventName": "TaskFinish"}})]
        );
    }
}

#[test]
fn a_bad_document_fails_with_its_position_and_the_others_still_print() {
    let out = wanxiang(
        &[
            "extract",
            "-f",
            "EventName",
            "corpus/xml/valid/seed.xml",
            "corpus/xml/invalid/mismatched-end-tag.xml",
            "corpus/json/valid/seed.json",
            "corpus/no-such-file.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 2);
    let err = String::from_utf8(out.stderr).unwrap();
    let mut err_lines = err.lines();
    let first = err_lines.next().unwrap();
    assert!(
        first.starts_with(
            "corpus/xml/invalid/mismatched-end-tag.xml:1:52: error: end tag does not match"
        ),
        "{first}"
    );
    // The place in the line, then the next file's error.
    assert!(
        err_lines.next().unwrap().starts_with("  <Response>"),
        "{err}"
    );
    assert!(err_lines.next().unwrap().trim_end().ends_with('^'), "{err}");
    let next = err_lines.next().unwrap();
    assert!(
        next.starts_with("corpus/no-such-file.xml: error: cannot read"),
        "{next}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["extract"][..],
        &["extract", "-f", "a..b"],
        &["extract", "-f", "#.#"],
        &["frobnicate"],
        &[],
        &["extract", "-f", "a", "--bogus"],
    ] {
        let out = wanxiang(args, Some(b"{}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn strings_are_escaped_and_values_decoded() {
    let doc = br#"<R><A>x &amp; "y" &#x1F600;</A><B><![CDATA[a
b]]></B><C>tab	end</C></R>"#;
    let out = wanxiang(&["extract", "-f", r"A,B,C"], Some(doc));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        lines(&out)[0]["fields"],
        json!({"A": "x & \"y\" 😀", "B": "a\nb", "C": "tab\tend"})
    );
}

#[test]
fn strict_and_skim_flags() {
    let doc = std::fs::read(support::corpus().join("json/valid/seed.json")).unwrap();
    let out = wanxiang(&["extract", "--strict", "-f", "EventName"], Some(&doc));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("-:26:26: error: trailing comma"), "{err}");
    let out = wanxiang(&["extract", "--skim", "-f", "EventName"], Some(&doc));
    assert_eq!(out.status.code(), Some(0));
    // Skim stops early: an error after the last needed value goes unseen.
    let broken = b"{\"EventName\": \"TaskFinish\", \"X\": [}".to_vec();
    let out = wanxiang(&["extract", "--skim", "-f", "EventName"], Some(&broken[..]));
    assert_eq!(out.status.code(), Some(0));
    let out = wanxiang(&["extract", "-f", "EventName"], Some(&broken[..]));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_whole_corpus_matches_its_expected_files_through_the_cli() {
    for doc in support::valid_documents() {
        let expected: Value =
            serde_json::from_slice(&std::fs::read(support::expected_of(&doc)).unwrap()).unwrap();
        let paths: Vec<&str> = expected
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let list = paths
            .iter()
            .map(|p| p.replace(',', "\\,"))
            .collect::<Vec<_>>()
            .join(",");
        let out = wanxiang(&["extract", "-f", &list, doc.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{}", doc.display());
        assert_eq!(lines(&out)[0]["fields"], expected, "{}", doc.display());
    }
}

#[test]
fn stream_on_stdin_gives_the_one_by_one_values() {
    let paths = support::STANDARD.join(",");
    for format in ["xml", "json"] {
        let docs = support::documents(format, "valid");
        assert!(docs.len() >= 20);
        let mut stream = Vec::new();
        let mut want = Vec::new();
        for doc in &docs {
            let body = std::fs::read(doc).unwrap();
            stream.extend_from_slice(&body);
            stream.push(b'\n');
            let out = wanxiang(&["extract", "-f", &paths, doc.to_str().unwrap()], None);
            assert_eq!(out.status.code(), Some(0), "{}", doc.display());
            want.push(lines(&out).remove(0)["fields"].clone());
        }
        let out = wanxiang(&["extract", "--stream", "-f", &paths], Some(&stream));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = lines(&out);
        assert_eq!(got.len(), docs.len(), "{format}");
        for (i, (line, want)) in got.iter().zip(&want).enumerate() {
            assert_eq!(line["document"], i, "{format}");
            assert_eq!(
                &line["fields"],
                want,
                "{format} document {i}: {}",
                docs[i].display()
            );
        }
    }
}

#[test]
fn a_bad_document_in_a_stream_is_placed_and_the_rest_still_printed() {
    let stream = b"{\"EventName\": \"A\"}\n{\"EventName\": tru}\n{\"EventName\": \"C\"}\n";
    let out = wanxiang(&["extract", "--stream", "-f", "EventName"], Some(stream));
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<Value> = lines(&out)
        .iter()
        .map(|l| l["fields"]["EventName"].clone())
        .collect();
    assert_eq!(got, [json!("A"), json!("C")]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("-:2:15: error: document 1: invalid literal"),
        "{err}"
    );
}

/// Long runs show progress on stderr when it is a terminal. The
/// binary runs with stderr on a pseudo-terminal (Python's `pty` module, as
/// CI has Python) over a stream long enough to outlast the first 250 ms:
/// stderr gets a progress line that is erased at the end, and stdout (a pipe)
/// still gets one clean JSON line per document. Without a terminal (every
/// other test here) stderr stays empty.
#[test]
fn progress_shows_on_a_terminal_and_is_erased() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIPPED: python3 is not installed; the progress line needs a pseudo-terminal");
        return;
    }
    let seed = std::fs::read(support::corpus().join("json/valid/seed.json")).unwrap();
    let one_line: Vec<u8> = seed
        .iter()
        .copied()
        .filter(|&b| b != b'\n' && b != b'\r')
        .collect();
    let n = 40_000;
    let dir = std::env::temp_dir().join(format!("wanxiang-progress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stream.ndjson");
    let mut stream = Vec::with_capacity(n * (one_line.len() + 1));
    for _ in 0..n {
        stream.extend_from_slice(&one_line);
        stream.push(b'\n');
    }
    std::fs::write(&file, &stream).unwrap();
    // Python runs the binary with stderr on a pty, stdout on a pipe, and
    // prints what each got, hex-encoded, on two lines.
    let script = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
out = p.stdout.read()
p.wait()
err = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    err += chunk
print(p.returncode)
print(out.hex())
print(err.hex())
"#;
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_wanxiang"))
        .args(["extract", "--stream", "-f", "JobsDetail.JobId"])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = String::from_utf8(run.stdout).unwrap();
    let mut parts = text.lines();
    let code = parts.next().unwrap();
    let hex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let out = hex(parts.next().unwrap_or(""));
    let err = String::from_utf8(hex(parts.next().unwrap_or(""))).unwrap();
    assert_eq!(code, "0", "exit status; stderr: {err:?}");
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), n, "one line per document on stdout");
    assert!(out
        .lines()
        .all(|l| l.contains("ac34be3aa0bf411ed9ce39d7cc972e427")));
    assert!(
        err.contains(" documents, ") && err.contains(" documents/s"),
        "no progress line on the terminal: {err:?}"
    );
    // Erased at the end: the last thing written goes back to the start of
    // the line and clears it (ANSI "erase line"), so the terminal is left on
    // a clean line.
    let last = err.rsplit('\r').next().unwrap_or_default();
    assert!(
        last.trim().is_empty() || last == "\u{1b}[2K",
        "progress not erased: {err:?}"
    );
    assert!(
        !err.contains('\n'),
        "progress must stay on one line: {err:?}"
    );
}

#[test]
fn usage_errors_are_one_line_and_a_hint() {
    // A misspelled flag: the error, a suggestion, the usage line, a pointer
    // to --help; not the whole help.
    let out = wanxiang(&["extract", "--feilds", "EventName"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = support::stderr(&out);
    assert!(
        err.starts_with("error: unexpected argument '--feilds' found"),
        "{err}"
    );
    assert!(err.contains("'--fields'"), "no suggestion: {err}");
    assert!(err.contains("--help"), "{err}");
    assert!(err.lines().count() <= 8, "{err}");
    // A bad path names the path and where it goes wrong.
    let out = wanxiang(&["extract", "-f", "EventName,a..b"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = support::stderr(&out);
    assert!(err.contains("bad path `a..b` at column 3"), "{err}");
    assert!(err.lines().count() <= 4, "{err}");
    // No command at all, and an unknown one.
    for args in [&[][..], &["frobnicate"]] {
        let out = wanxiang(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = support::stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.lines().count() <= 8, "{args:?}: {err}");
    }
}

#[test]
fn every_command_has_its_own_help() {
    let help = |args: &[&str]| {
        let out = wanxiang(args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let extract = help(&["extract", "--help"]);
    assert!(extract.contains("--fields <PATHS>"), "{extract}");
    assert!(extract.contains("--skim"), "{extract}");
    assert!(
        extract.contains(r#""fields": {PATH: VALUE, ...}"#),
        "{extract}"
    );
    let jobs = help(&["jobs", "--help"]);
    assert!(jobs.contains("WorkflowNode"), "{jobs}");
    assert!(!jobs.contains("--fields"), "{jobs}");
    let check = help(&["help", "check"]);
    assert!(
        check.contains("--stream") && !check.contains("--skim"),
        "{check}"
    );
    let bench = help(&["bench", "-h"]);
    assert!(bench.contains("--rounds <N>"), "{bench}");
    let top = help(&["--help"]);
    for command in ["extract", "jobs", "check", "bench", "completions"] {
        assert!(top.contains(command), "{command}: {top}");
    }
    let version = help(&["--version"]);
    assert_eq!(
        version.trim(),
        format!("wanxiang {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = wanxiang(&["completions", shell], None);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("wanxiang") && script.contains("extract") && script.contains("fields"),
            "{shell}: {script}"
        );
    }
    let out = wanxiang(&["completions", "tcsh"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn several_documents_without_stream_get_a_hint() {
    let seed = std::fs::read(support::corpus().join("json/valid/seed.json")).unwrap();
    let mut two = seed.clone();
    two.extend_from_slice(&seed);
    let out = wanxiang(&["extract", "-f", "EventName"], Some(&two));
    assert_eq!(out.status.code(), Some(1));
    let err = support::stderr(&out);
    assert!(
        err.starts_with("-:34:1: error: trailing data after the document"),
        "{err}"
    );
    assert!(
        err.contains("hint: ") && err.contains("use --stream"),
        "{err}"
    );
    // The same input with --stream: two documents, no error.
    let out = wanxiang(&["extract", "--stream", "-f", "EventName"], Some(&two));
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    assert_eq!(lines(&out).len(), 2);
    // Trailing data that cannot start a document: no hint.
    let out = wanxiang(&["check"], Some(b"{\"a\": 1} x"));
    assert_eq!(out.status.code(), Some(1));
    let err = support::stderr(&out);
    assert!(err.contains("trailing data"), "{err}");
    assert!(!err.contains("--stream"), "{err}");
}

#[test]
fn bench_counts_documents_in_the_singular_and_plural() {
    let out = wanxiang(
        &["bench", "--rounds", "1", "corpus/json/valid/seed.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("wanxiang bench: 1 document (0 xml, 1 json), "),
        "{text}"
    );
    assert!(text.contains("; 7 paths, Full"), "{text}");
    assert!(text.contains("(1 round, "), "{text}");
    let out = wanxiang(
        &[
            "bench",
            "--rounds",
            "2",
            "-f",
            "EventName",
            "corpus/json/valid/seed.json",
            "corpus/xml/valid/seed.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("wanxiang bench: 2 documents (1 xml, 1 json), "),
        "{text}"
    );
    assert!(text.contains("; 1 path, Full"), "{text}");
    // Nothing to measure is a failure.
    let out = wanxiang(&["bench", "corpus/no-such-file.xml"], None);
    assert_eq!(out.status.code(), Some(1));
}

/// Runs the binary with `args`, reads the first line of `which` (stdout or
/// stderr) and closes that pipe, as `| head -1` does, then waits. The run
/// writes far more than a pipe holds, so it meets the closed pipe.
fn first_line_then_close(args: &[String], which: Stream) -> (Option<i32>, String, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wanxiang"))
        .args(args)
        .current_dir(support::root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (closed, mut other): (Box<dyn Read>, Box<dyn Read + Send>) = match which {
        Stream::Out => (Box::new(stdout), Box::new(stderr)),
        Stream::Err => (Box::new(stderr), Box::new(stdout)),
    };
    // The other pipe is drained on a thread so the run never blocks on it.
    let drain = std::thread::spawn(move || {
        let mut rest = String::new();
        other.read_to_string(&mut rest).unwrap();
        rest
    });
    let mut first = String::new();
    BufReader::new(closed).read_line(&mut first).unwrap();
    // Dropping the reader closes the pipe.
    let status = child.wait().unwrap();
    (status.code(), first, drain.join().unwrap())
}

enum Stream {
    Out,
    Err,
}

#[test]
fn a_closed_stderr_ends_the_run_quietly_with_status_1() {
    // `wanxiang check corpus/json/invalid/*.json 2>&1 | head -1`, with
    // enough bad documents that the errors overflow the pipe.
    let bad: Vec<String> = support::documents("json", "invalid")
        .iter()
        .map(|d| support::relative(d))
        .collect();
    assert!(bad.len() >= 10);
    let mut args = vec!["check".to_string()];
    while args.len() < 4000 {
        args.extend(bad.iter().cloned());
    }
    let (code, first, stdout) = first_line_then_close(&args, Stream::Err);
    assert_eq!(code, Some(1), "a document failed; no panic (101)");
    assert!(first.starts_with("corpus/json/invalid/"), "{first}");
    assert!(first.contains(": error: "), "{first}");
    assert!(stdout.is_empty());
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let seed = support::relative(&support::corpus().join("json/valid/seed.json"));
    let mut args = vec!["extract".to_string(), "-f".into(), "EventName".into()];
    args.extend(std::iter::repeat_n(seed.clone(), 3000));
    let (code, first, stderr) = first_line_then_close(&args, Stream::Out);
    assert_eq!(code, Some(0), "every document read was fine: {stderr}");
    assert!(first.contains("TaskFinish"), "{first}");
    assert!(stderr.is_empty(), "nothing said about the pipe: {stderr}");
    // With a bad document among them, the status says so.
    let mut args = vec![
        "jobs".to_string(),
        "corpus/xml/invalid/mismatched-end-tag.xml".into(),
    ];
    args.extend(std::iter::repeat_n(seed, 3000));
    let (code, first, stderr) = first_line_then_close(&args, Stream::Out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        first.contains("ac34be3aa0bf411ed9ce39d7cc972e427"),
        "{first}"
    );
    assert!(stderr.starts_with("corpus/xml/invalid/mismatched-end-tag.xml:1:52: error: "));
}

/// A file name that is not UTF-8 is read, and shown with U+FFFD.
#[cfg(unix)]
#[test]
fn file_names_need_not_be_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = std::env::temp_dir().join(format!("wanxiang-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let name = dir.join(OsStr::from_bytes(b"seed-\xff.json"));
    std::fs::copy(support::corpus().join("json/valid/seed.json"), &name).unwrap();
    let missing = dir.join(OsStr::from_bytes(b"gone-\xfe.json"));
    let out = Command::new(env!("CARGO_BIN_EXE_wanxiang"))
        .args([
            OsStr::new("extract"),
            OsStr::new("-f"),
            OsStr::new("EventName"),
        ])
        .arg(&name)
        .arg(&missing)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    let source = got[0]["source"].as_str().unwrap();
    assert!(source.ends_with("seed-\u{FFFD}.json"), "{source}");
    assert_eq!(got[0]["fields"]["EventName"], "TaskFinish");
    let err = support::stderr(&out);
    assert!(
        err.contains("gone-\u{FFFD}.json: error: cannot read"),
        "{err}"
    );
}
