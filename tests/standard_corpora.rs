//! The field's standard documents (`bench/data/`: quick-xml's macrobench set
//! and simdjson's JSON corpus) are accepted with the default options: every
//! event read by the pull readers (XML attributes iterated), and the whole
//! document checked by the path layer, in both validation modes. A missing
//! folder or document fails the test.

use std::path::{Path, PathBuf};

use wanxiang::{json, xml, Format, Hit, Options, PathSet, Validation};

/// The documents of `bench/data/<folder>/` whose extension is one of `exts`, sorted.
fn documents(folder: &str, exts: &[&str]) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("bench/data")
        .join(folder);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut docs: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    docs.sort();
    docs
}

fn modes() -> [Options; 2] {
    [
        Options::default(),
        Options::new().validation(Validation::Skim),
    ]
}

/// A whole-document check: a path that matches nothing makes the path layer
/// read (in `Full`, check) everything.
fn check(doc: &[u8], options: &Options) -> Result<Format, wanxiang::Error> {
    let set = PathSet::compile(["NoSuchName.Anywhere"]).unwrap();
    let mut slots = [Hit::EMPTY; 1];
    let found = set.extract_with(doc, options, &mut slots)?;
    assert!(found.hits().is_empty());
    Ok(found.format())
}

#[test]
fn quick_xml_documents_are_accepted() {
    let docs = documents("xml", &["xml", "fodt"]);
    assert_eq!(docs.len(), 12, "{docs:?}");
    let mut most_attributes = 0;
    for path in &docs {
        let doc = std::fs::read(path).unwrap();
        let name = path.display();
        for options in modes() {
            let mut r =
                xml::Reader::with_options(&doc, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
            let (mut events, mut attributes) = (0usize, 0usize);
            loop {
                match r
                    .next()
                    .unwrap_or_else(|e| panic!("{name} ({options:?}): {e}"))
                {
                    xml::Event::Eof => break,
                    xml::Event::Start(tag) | xml::Event::Empty(tag) => {
                        let n = tag.attributes().count();
                        most_attributes = most_attributes.max(n);
                        attributes += n;
                    }
                    _ => {}
                }
                events += 1;
            }
            assert!(events > 10 && attributes > 0, "{name}: {events} events");
            let format =
                check(&doc, &options).unwrap_or_else(|e| panic!("{name} ({options:?}): {e}"));
            assert_eq!(format, Format::Xml);
        }
    }
    // linescore.xml has 65 attributes on one element.
    assert!(most_attributes >= 65, "{most_attributes}");
}

#[test]
fn simdjson_documents_are_accepted() {
    let docs = documents("json", &["json"]);
    assert_eq!(docs.len(), 11, "{docs:?}");
    for path in &docs {
        let doc = std::fs::read(path).unwrap();
        let name = path.display();
        for options in modes() {
            let mut r = json::Reader::with_options(&doc, &options)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut events = 0usize;
            while r
                .next()
                .unwrap_or_else(|e| panic!("{name} ({options:?}): {e}"))
                != json::Event::Eof
            {
                events += 1;
            }
            assert!(events > 10, "{name}: {events} events");
            let format =
                check(&doc, &options).unwrap_or_else(|e| panic!("{name} ({options:?}): {e}"));
            assert_eq!(format, Format::Json);
        }
    }
}

/// simd-json's fuzz crash inputs (mostly not JSON): every one gets an
/// answer, and the pull reader and the path layer's `Full` check agree on
/// whether it is a document.
#[test]
fn simd_json_crash_inputs_get_the_same_answer_from_both_layers() {
    let docs = documents("json-crash", &["json"]);
    assert!(docs.len() >= 30, "{docs:?}");
    for path in &docs {
        let doc = std::fs::read(path).unwrap();
        let read = json::Reader::new(&doc).and_then(|mut r| loop {
            if r.next()? == json::Event::Eof {
                break Ok(());
            }
        });
        let checked = check(&doc, &Options::default()).map(|_| ());
        assert_eq!(
            read.as_ref().map_err(|e| (e.kind(), e.offset())),
            checked.as_ref().map_err(|e| (e.kind(), e.offset())),
            "{}",
            path.display()
        );
    }
}
