//! Outside referees: JSONTestSuite and the W3C XML Conformance Test Suite,
//! vendored under `tests/data/conformance/` (see its README for sources and
//! licences).
//!
//! - JSONTestSuite, strict mode, whole document through [`json::Reader`]:
//!   every `y_` accepted, every `n_` rejected, every `i_` answered without a
//!   panic.
//! - W3C suite (extracted from the unmodified zip at test time into cargo's
//!   scratch folder, never into the repository): a document containing
//!   `<!DOCTYPE` is rejected with [`ErrorKind::Doctype`]; a `not-wf` document
//!   without one is rejected; a `valid`/`invalid` document without one is
//!   accepted (validity is not our job, well-formedness is); an `error`
//!   document only must not panic. [`xml::Reader`] and [`PathSet::extract`]
//!   must agree on every document. Mismatches left are listed, with a reason
//!   each, in `tests/known-failures/w3c.txt`; the list may only shrink.
//!
//! A missing suite, or one with fewer cases than it has, fails the tests:
//! they never pass by skipping. The tallies are printed on failure, or on
//! success when `WANXIANG_VERBOSE` is set
//! (`WANXIANG_VERBOSE=1 cargo test --test conformance -- --nocapture`).

use std::collections::{BTreeMap, BTreeSet};
use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

use wanxiang::{json, xml, Error, ErrorKind, Hit, Options, PathSet};

/// The vendored suites. Panics (fails the test) when the folder is missing.
fn suites() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conformance");
    assert!(
        dir.is_dir(),
        "conformance suites not found at {}: they are part of the repository",
        dir.display()
    );
    dir
}

/// Whether to print tallies on success.
fn verbose() -> bool {
    std::env::var_os("WANXIANG_VERBOSE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The W3C archive; panics when it is missing.
fn w3c_zip() -> PathBuf {
    let zip = suites().join("xml/xmlts20130923.zip");
    assert!(
        zip.is_file(),
        "{} not found: it is part of the repository",
        zip.display()
    );
    zip
}

/// Fewest cases the W3C catalogues may list: the 2013-09-23 edition lists
/// 2,585. Fewer means a damaged or substituted archive.
const W3C_MIN_CASES: usize = 2_585;
/// Fewest of them `w3c_xml_suite` may run (the rest are XML 1.1, namespace or
/// older-edition cases): 1,977 with this edition.
const W3C_MIN_RUN: usize = 1_977;
/// Fewest `valid`/`invalid` documents the DOCTYPE-stripping test may run:
/// 790 with this edition.
const W3C_MIN_STRIPPED: usize = 790;

/// The whole document through the JSON reader, in strict mode.
fn read_json(input: &[u8]) -> Result<(), Error> {
    let options = Options::new().strict(true);
    let mut r = json::Reader::with_options(input, &options)?;
    while r.next()? != json::Event::Eof {}
    Ok(())
}

#[test]
fn json_test_suite_in_strict_mode() {
    let dir = suites().join("json/test_parsing");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        318,
        "{}: JSONTestSuite has 318 parsing cases",
        dir.display()
    );
    let (mut y, mut y_ok, mut n, mut n_ok, mut i, mut i_ok, mut i_accepted) = (0, 0, 0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(file).unwrap();
        let result = catch_unwind(|| read_json(&input));
        match (name.get(..2), result) {
            (_, Err(_)) => failures.push(format!("{name}: panicked")),
            (Some("y_"), Ok(r)) => {
                y += 1;
                match r {
                    Ok(()) => y_ok += 1,
                    Err(e) => failures.push(format!("{name}: rejected: {e}")),
                }
            }
            (Some("n_"), Ok(r)) => {
                n += 1;
                match r {
                    Err(_) => n_ok += 1,
                    Ok(()) => failures.push(format!("{name}: accepted")),
                }
            }
            (Some("i_"), Ok(r)) => {
                i += 1;
                i_ok += 1;
                i_accepted += usize::from(r.is_ok());
            }
            (_, Ok(_)) => failures.push(format!("{name}: unknown class")),
        }
    }
    // Panics in the cases above also count as not answered.
    let panicked = failures.iter().filter(|f| f.ends_with("panicked")).count();
    let tally = format!(
        "JSONTestSuite (strict): y accepted {y_ok}/{y}, n rejected {n_ok}/{n}, \
         i answered without panic {i_ok}/{i} ({i_accepted} accepted, {} rejected), panics {panicked}",
        i_ok - i_accepted
    );
    if verbose() {
        println!("{tally}");
    }
    assert!(
        failures.is_empty(),
        "{tally}\n{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!((y, n, i), (95, 188, 35), "{tally}\nthe suite changed");
}

// ---- W3C XML Conformance Test Suite ------------------------------------------

/// One `TEST` of a catalogue.
struct Case {
    id: String,
    /// Path of the document relative to `xmlconf/`.
    uri: String,
    kind: String,
    /// Why the case is not run, when it is not.
    skip: Option<&'static str>,
}

/// Extracts the zip once into cargo's scratch folder for integration tests
/// (never into the repository) and returns the `xmlconf/` folder.
fn xmlconf(zip: &Path) -> PathBuf {
    // Tests of this file run on several threads of one process: the first one
    // extracts, the others wait for it here instead of racing on the folder.
    static CONF: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CONF.get_or_init(|| extract_xmlconf(zip)).clone()
}

fn extract_xmlconf(zip: &Path) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xmlts20130923");
    let conf = dir.join("xmlconf");
    if conf.join("xmlconf.xml").is_file() {
        return conf;
    }
    // Extract beside the final folder and rename, so that a concurrent run
    // never sees a half-extracted suite.
    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    let status = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(zip)
        .arg(&partial)
        .status()
        .expect("python3 is needed to extract the W3C suite (python3 -m zipfile -e)");
    assert!(status.success(), "extracting {} failed", zip.display());
    if std::fs::rename(&partial, &dir).is_err() {
        // Another run got there first.
        let _ = std::fs::remove_dir_all(&partial);
    }
    assert!(
        conf.join("xmlconf.xml").is_file(),
        "no xmlconf/xmlconf.xml in {}",
        zip.display()
    );
    conf
}

/// The catalogues named by `xmlconf.xml` (its `<!ENTITY name SYSTEM "file">`
/// declarations), relative to `xmlconf/`.
fn catalogues(conf: &Path) -> Vec<String> {
    let master = std::fs::read_to_string(conf.join("xmlconf.xml")).unwrap();
    let mut out = Vec::new();
    for decl in master.split("<!ENTITY").skip(1) {
        let decl = decl.split('>').next().unwrap_or("");
        if let Some(file) = decl
            .split("SYSTEM")
            .nth(1)
            .and_then(|s| s.split('"').nth(1))
        {
            out.push(file.to_string());
        }
    }
    out
}

/// The cases of one catalogue. Catalogues are external-entity fragments (some
/// with several top-level `TEST`s), so the text is wrapped in one element
/// before roxmltree reads it. `URI`s are relative to the catalogue's folder.
fn cases(conf: &Path, catalogue: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(conf.join(catalogue)).unwrap();
    let body = match text.trim_start().strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, b)| b),
        None => &text,
    };
    let wrapped = format!("<CATALOGUE>{body}</CATALOGUE>");
    let doc = roxmltree::Document::parse(&wrapped)
        .unwrap_or_else(|e| panic!("catalogue {catalogue}: {e}"));
    let base = Path::new(catalogue).parent().unwrap_or(Path::new(""));
    doc.descendants()
        .filter(|n| n.has_tag_name("TEST"))
        .map(|t| {
            let attr = |a: &str| t.attribute(a).unwrap_or("");
            let version = attr("VERSION");
            let recommendation = attr("RECOMMENDATION");
            let edition = attr("EDITION");
            let kind = attr("TYPE").to_string();
            let skip = if version == "1.1"
                || recommendation == "XML1.1"
                || recommendation == "NS1.1"
            {
                Some("XML 1.1 (only XML 1.0 is read)")
            } else if !edition.is_empty() && !edition.split_whitespace().any(|e| e == "5") {
                Some("not in the XML 1.0 fifth edition (whose name rules the reader implements)")
            } else if recommendation.starts_with("NS") && kind == "not-wf" {
                Some("namespace well-formedness (the reader is not namespace-aware)")
            } else {
                None
            };
            Case {
                id: attr("ID").to_string(),
                uri: base.join(attr("URI")).to_string_lossy().into_owned(),
                kind,
                skip,
            }
        })
        .collect()
}

/// The outcome of one case.
enum Verdict {
    Pass,
    /// A DOCTYPE document rejected for an earlier error (see the match below).
    Earlier,
    Fail(String),
}

/// Counts for one class of cases: (TYPE, with a DOCTYPE or not).
#[derive(Default)]
struct Tally {
    run: usize,
    pass: usize,
    earlier: usize,
    known: usize,
}

/// A document through the event reader, to `Eof`.
fn read_xml(input: &[u8]) -> Result<(), Error> {
    let mut r = xml::Reader::new(input)?;
    while r.next()? != xml::Event::Eof {}
    Ok(())
}

/// A document through path extraction (default options, so `Full`).
fn extract_xml(paths: &PathSet, input: &[u8]) -> Result<(), Error> {
    let mut slots = [Hit::EMPTY; 8];
    paths.extract(input, &mut slots).map(|_| ())
}

/// The known failures: `ID FILE REASON…` per line, `#` comments.
fn known_failures() -> BTreeMap<String, String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/known-failures/w3c.txt");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let (Some(id), Some(uri), Some(reason)) = (words.next(), words.next(), words.next()) else {
            panic!(
                "{}: malformed line {line:?} (want: ID FILE REASON)",
                file.display()
            );
        };
        assert!(
            !reason.trim().is_empty(),
            "{}: no reason for {id}",
            file.display()
        );
        out.insert(format!("{id} {uri}"), reason.trim().to_string());
    }
    out
}

#[test]
fn w3c_xml_suite() {
    let conf = xmlconf(&w3c_zip());
    let paths = PathSet::compile(["doc", "@id", "a.b"]).unwrap();
    let known = known_failures();

    let mut tally: BTreeMap<(String, bool), Tally> = BTreeMap::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mismatches: BTreeMap<String, String> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for catalogue in catalogues(&conf) {
        for case in cases(&conf, &catalogue) {
            total += 1;
            let key = format!("{} {}", case.id, case.uri);
            assert!(seen.insert(key.clone()), "duplicate case {key}");
            if let Some(why) = case.skip {
                *skipped.entry(why).or_default() += 1;
                continue;
            }
            let input = std::fs::read(conf.join(&case.uri)).unwrap();
            let doctype = doctype_at(&input);
            let (Ok(by_events), Ok(by_paths)) = (
                catch_unwind(|| read_xml(&input)),
                catch_unwind(|| extract_xml(&paths, &input)),
            ) else {
                failures.push(format!("{key}: panicked"));
                continue;
            };
            // Both entry points give the same answer; the same error too,
            // unless `extract` sniffed the document as JSON (no `<` first).
            let agree = match (&by_events, &by_paths) {
                (Ok(()), Ok(())) => true,
                (Err(a), Err(b)) => {
                    wanxiang::sniff(&input) != Ok(wanxiang::Format::Xml)
                        || (a.kind(), a.offset()) == (b.kind(), b.offset())
                }
                _ => false,
            };
            if !agree {
                failures.push(format!(
                    "{key}: the reader ({by_events:?}) and extract ({by_paths:?}) disagree"
                ));
            }
            let class = case.kind.as_str();
            let verdict = match (doctype, class, &by_events) {
                (Some(_), _, Err(e)) if e.kind() == ErrorKind::Doctype => Verdict::Pass,
                // A not-wf document that breaks the grammar before its
                // DOCTYPE: the first error in reading order is reported, and
                // the DOCTYPE is never reached.
                (Some(at), "not-wf" | "error", Err(e)) if e.offset() < at => Verdict::Earlier,
                (Some(_), _, r) => Verdict::Fail(format!("has a DOCTYPE, got {r:?}")),
                (None, "not-wf", Err(_)) => Verdict::Pass,
                (None, "not-wf", Ok(())) => Verdict::Fail("not-wf, accepted".to_string()),
                (None, "valid" | "invalid", Ok(())) => Verdict::Pass,
                (None, "valid" | "invalid", Err(e)) => {
                    Verdict::Fail(format!("{class}, rejected: {e:?}"))
                }
                (None, "error", _) => Verdict::Pass,
                (None, other, _) => Verdict::Fail(format!("unknown TYPE {other:?}")),
            };
            let entry = tally
                .entry((case.kind.clone(), doctype.is_some()))
                .or_default();
            entry.run += 1;
            match verdict {
                Verdict::Pass => entry.pass += 1,
                Verdict::Earlier => entry.earlier += 1,
                Verdict::Fail(why) => {
                    entry.known += usize::from(known.contains_key(&key));
                    mismatches.insert(key, why);
                }
            }
        }
    }

    let mut report = format!("W3C XML Conformance Test Suite 2013-09-23: {total} cases\n");
    for ((class, doctype), t) in &tally {
        let (with, want) = match (*doctype, class.as_str()) {
            (true, _) => ("with DOCTYPE", "rejected with Doctype"),
            (false, "not-wf") => ("no DOCTYPE", "rejected"),
            (false, "error") => ("no DOCTYPE", "answered, no panic"),
            (false, _) => ("no DOCTYPE", "accepted"),
        };
        let earlier = if t.earlier > 0 {
            format!(
                " (+{} rejected at an earlier error, before the DOCTYPE)",
                t.earlier
            )
        } else {
            String::new()
        };
        report += &format!(
            "  {class:7} {with:12} {want:22} {:4}/{:<4}{earlier}, known failures {}\n",
            t.pass, t.run, t.known
        );
    }
    for (why, n) in &skipped {
        report += &format!("  skipped  {n:4}  {why}\n");
    }
    report += &format!(
        "  known failures {} (tests/known-failures/w3c.txt), panics {}",
        known.len(),
        failures.iter().filter(|f| f.ends_with("panicked")).count()
    );
    if verbose() {
        println!("{report}");
    }
    let run: usize = tally.values().map(|t| t.run).sum();
    assert!(
        total >= W3C_MIN_CASES && run >= W3C_MIN_RUN,
        "{report}\nonly {total} cases listed and {run} run: want at least \
         {W3C_MIN_CASES} and {W3C_MIN_RUN}; is the archive damaged?"
    );

    for (key, why) in &mismatches {
        if !known.contains_key(key) {
            failures.push(format!(
                "{key}: {why} (not in tests/known-failures/w3c.txt)"
            ));
        }
    }
    for key in known.keys() {
        if !mismatches.contains_key(key) {
            failures.push(format!(
                "{key}: listed in tests/known-failures/w3c.txt but no longer fails: remove the line"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{report}\n{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Offset of the document's `<!DOCTYPE`, if it has one: the first one outside
/// comments, processing instructions and CDATA sections (oasis p15pass1,
/// p16pass1 and p18pass1 hide the keyword in those, and have no DOCTYPE).
fn doctype_at(input: &[u8]) -> Option<usize> {
    let find = |from: usize, needle: &[u8]| {
        input
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| from + i)
    };
    let mut i = 0;
    loop {
        i = find(i, b"<")?;
        let rest = &input[i..];
        let skip_to = |open: usize, close: &[u8]| find(i + open, close).map(|e| e + close.len());
        i = if rest.starts_with(b"<!DOCTYPE") {
            return Some(i);
        } else if rest.starts_with(b"<!--") {
            skip_to(4, b"-->")?
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(9, b"]]>")?
        } else if rest.starts_with(b"<?") {
            skip_to(2, b"?>")?
        } else {
            i + 1
        };
    }
}

/// The byte after the DOCTYPE declaration at `at`: its `>`, found outside
/// quoted literals, comments, PIs and the `[…]` internal subset.
fn doctype_end(input: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at + 2;
    while let Some(&b) = input.get(i) {
        let rest = &input[i..];
        let skip = |open: usize, close: &[u8]| {
            rest.get(open..)?
                .windows(close.len())
                .position(|w| w == close)
                .map(|e| i + open + e + close.len())
        };
        i = match b {
            b'"' | b'\'' => i + 1 + input.get(i + 1..)?.iter().position(|&c| c == b)? + 1,
            b'<' if rest.starts_with(b"<!--") => skip(4, b"-->")?,
            b'<' if rest.starts_with(b"<?") => skip(2, b"?>")?,
            b'[' => {
                depth += 1;
                i + 1
            }
            b']' => {
                depth = depth.checked_sub(1)?;
                i + 1
            }
            b'>' if depth == 0 => return Some(i + 1),
            _ => i + 1,
        };
    }
    None
}

/// Whether every entity reference in `input` is one of the five predefined
/// ones (or a character reference): without its DTD, a document that uses a
/// declared entity is not well-formed (WFC: Entity Declared).
fn only_predefined_entities(input: &[u8]) -> bool {
    let mut rest = input;
    while let Some(i) = rest.iter().position(|&b| b == b'&') {
        rest = &rest[i + 1..];
        let name = rest.split(|&b| b == b';').next().unwrap_or(&[]);
        if !name.starts_with(b"#") && !matches!(name, b"lt" | b"gt" | b"amp" | b"apos" | b"quot") {
            return false;
        }
    }
    true
}

/// The suite's `valid` and `invalid` documents almost all carry a DOCTYPE, so
/// the main test only sees them rejected. This one removes the DOCTYPE
/// declaration from each (when it declares nothing the document uses: no
/// entity other than the five predefined ones, and UTF-8) and checks that the
/// rest is accepted by the reader and by extraction: the suite then also
/// shows that nothing well-formed is rejected.
#[test]
fn w3c_valid_documents_without_their_doctype_are_accepted() {
    let conf = xmlconf(&w3c_zip());
    let paths = PathSet::compile(["doc", "@id", "a.b"]).unwrap();
    let (mut run, mut accepted) = (0, 0);
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for catalogue in catalogues(&conf) {
        for case in cases(&conf, &catalogue) {
            if case.skip.is_some() || !matches!(case.kind.as_str(), "valid" | "invalid") {
                continue;
            }
            let input = std::fs::read(conf.join(&case.uri)).unwrap();
            let Some(at) = doctype_at(&input) else {
                continue;
            };
            let Some(end) = doctype_end(&input, at) else {
                failures.push(format!(
                    "{} {}: cannot find the DOCTYPE's end",
                    case.id, case.uri
                ));
                continue;
            };
            let mut doc = input[..at].to_vec();
            doc.extend_from_slice(&input[end..]);
            let head = String::from_utf8_lossy(&doc[..doc.len().min(100)]).to_ascii_lowercase();
            let declared = head.starts_with("<?xml") && head.contains("encoding");
            if declared && !head.contains("utf-8") {
                *skipped
                    .entry("declares an encoding other than UTF-8")
                    .or_default() += 1;
                continue;
            }
            if !only_predefined_entities(&doc) {
                *skipped
                    .entry("uses an entity declared in its DTD")
                    .or_default() += 1;
                continue;
            }
            run += 1;
            let by_events = read_xml(&doc);
            let by_paths = extract_xml(&paths, &doc);
            match (&by_events, &by_paths) {
                (Ok(()), Ok(())) => accepted += 1,
                _ => failures.push(format!(
                    "{} {} ({}): reader {by_events:?}, extract {by_paths:?}",
                    case.id, case.uri, case.kind
                )),
            }
        }
    }
    let mut report = format!(
        "W3C valid/invalid documents with their DOCTYPE removed: accepted {accepted}/{run}"
    );
    for (why, n) in &skipped {
        report += &format!("\n  skipped {n:4}  {why}");
    }
    if verbose() {
        println!("{report}");
    }
    assert!(
        run >= W3C_MIN_STRIPPED,
        "{report}\nonly {run} documents run, want at least {W3C_MIN_STRIPPED}: is the archive damaged?"
    );
    assert!(
        failures.is_empty(),
        "{report}\n{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
