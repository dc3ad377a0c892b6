//! The `wanxiang extract` contract (DESIGN.md), through the real binary.

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
    let doc = std::fs::read("corpus/json/valid/seed.json").unwrap();
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
    let second = err_lines.next().unwrap();
    assert!(
        second.starts_with("corpus/no-such-file.xml: error: cannot read"),
        "{second}"
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
    let doc = std::fs::read("corpus/json/valid/seed.json").unwrap();
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

/// DESIGN.md: long runs show progress on stderr when it is a terminal. The
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
    let seed = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/json/valid/seed.json"),
    )
    .unwrap();
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
    // Erased at the end: the last thing written is a carriage return after
    // blanks, so the terminal is left on a clean line.
    assert!(err.ends_with('\r'), "progress not erased: {err:?}");
    assert!(
        !err.contains('\n'),
        "progress must stay on one line: {err:?}"
    );
}
