//! Golden tests over `corpus/`: every valid document gives the hand-written
//! values of its `.expected` file (in `Full` and `Skim` mode), XML and JSON
//! twins give the same values, and every invalid document gives its error
//! kind at its offset. Every failing file is reported, not just the first.

mod support;

use serde_json::Value;
use support::*;
use wanxiang::{Options, Validation};

#[test]
fn valid_documents_give_their_expected_values() {
    let docs = valid_documents();
    assert!(
        docs.len() >= 40,
        "corpus is missing: {} valid documents",
        docs.len()
    );
    let mut failures = Vec::new();
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        let expected: Value =
            serde_json::from_slice(&std::fs::read(expected_of(doc)).unwrap()).unwrap();
        let paths: Vec<String> = expected.as_object().unwrap().keys().cloned().collect();
        for mode in [Validation::Full, Validation::Skim] {
            let options = Options::new().validation(mode);
            match fields(&paths, &input, &options) {
                Ok(got) if got == expected => {}
                Ok(got) => {
                    for p in &paths {
                        if got[p] != expected[p] {
                            failures.push(format!(
                                "{} ({mode:?}): {p}: got {} want {}",
                                doc.display(),
                                got[p],
                                expected[p]
                            ));
                        }
                    }
                }
                Err(e) => failures.push(format!("{} ({mode:?}): error {e}", doc.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn xml_and_json_twins_agree_on_every_standard_path() {
    let paths: Vec<String> = STANDARD.iter().map(|s| s.to_string()).collect();
    let mut pairs = 0;
    let mut failures = Vec::new();
    for xml in documents("xml", "valid") {
        let name = xml.file_stem().unwrap().to_owned();
        let json = corpus()
            .join("json/valid")
            .join(&name)
            .with_extension("json");
        if !json.exists() {
            continue;
        }
        pairs += 1;
        let o = Options::default();
        let a = fields(&paths, &std::fs::read(&xml).unwrap(), &o).unwrap();
        let b = fields(&paths, &std::fs::read(&json).unwrap(), &o).unwrap();
        if a != b {
            failures.push(format!("{name:?}:\n  xml  {a}\n  json {b}"));
        }
    }
    assert!(pairs >= 10, "only {pairs} twin pairs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_documents_give_their_error_kind_and_offset() {
    let mut docs = documents("xml", "invalid");
    docs.extend(documents("json", "invalid"));
    assert!(
        docs.len() >= 40,
        "corpus is missing: {} invalid documents",
        docs.len()
    );
    let mut failures = Vec::new();
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        let spec = std::fs::read_to_string(expected_of(doc)).unwrap();
        let mut words = spec.split_whitespace();
        let kind = words.next().unwrap();
        let offset: usize = words.next().unwrap().parse().unwrap();
        let strict = words.next() == Some("strict");
        let options = Options::new().strict(strict);
        let paths = vec!["EventName".to_string()];
        match fields(&paths, &input, &options) {
            Ok(v) => failures.push(format!("{}: accepted, gave {v}", doc.display())),
            Err(e) => {
                let got = kind_name(e.kind());
                if got != kind || e.offset() != offset {
                    failures.push(format!(
                        "{}: got {got} at {} ({e}), want {kind} at {offset}",
                        doc.display(),
                        e.offset()
                    ));
                }
                // Line and column agree with a slow recount of the offset.
                let before = &input[..e.offset()];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let col = before.len()
                    - before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |i| i + 1)
                    + 1;
                assert_eq!(
                    (e.line() as usize, e.column() as usize),
                    (line, col),
                    "{}",
                    doc.display()
                );
            }
        }
        if strict {
            // The same document is accepted by default: the only error is the comma.
            if let Err(e) = fields(&paths, &input, &Options::default()) {
                failures.push(format!("{}: not accepted by default: {e}", doc.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
