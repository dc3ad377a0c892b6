//! The reader reads the common shapes (`<name>`, `</name>`, a short leaf's
//! text up to `</`) from whole 16-byte blocks when the input has them, and
//! byte by byte near its end. Every element shape below, at every
//! indentation (so at every lane of a block), gives the same events, values
//! and errors (kind and offset) whether the document ends right after its
//! root or 40 bytes of whitespace later, where every block is whole.

use wanxiang::xml::{Event, Reader};
use wanxiang::{Hit, PathSet};

type Answer = Result<Vec<String>, (wanxiang::ErrorKind, usize)>;

fn events(input: &[u8]) -> Answer {
    let mut r = Reader::new(input).map_err(|e| (e.kind(), e.offset()))?;
    let mut out = Vec::new();
    loop {
        let ev = r.next().map_err(|e| (e.kind(), e.offset()))?;
        out.push(match ev {
            Event::Start(t) => format!("<{:?} {}", t.name(), t.offset()),
            Event::Empty(t) => format!("<{:?}/ {}", t.name(), t.offset()),
            Event::End(t) => format!("</{:?} {}", t.name(), t.offset()),
            Event::Text(t) => format!("{:?}", t.to_cow()),
            Event::CData(t) => format!("[{t}]"),
            Event::Eof => break,
        });
    }
    Ok(out)
}

fn values(set: &PathSet, input: &[u8]) -> Answer {
    let mut slots = [Hit::EMPTY; 8];
    let found = set
        .extract(input, &mut slots)
        .map_err(|e| (e.kind(), e.offset()))?;
    Ok(found
        .hits()
        .iter()
        .map(|h| format!("{} {} {:?}", h.path(), h.offset(), h.text().to_cow()))
        .collect())
}

#[test]
fn shapes_read_the_same_with_whole_blocks_and_without() {
    let names: Vec<String> = (1..=20)
        .map(|n| "abcdefghijklmnopqrst"[..n].to_string())
        .chain(["aé".to_string(), "é".to_string(), "a.b-c:d_9".to_string()])
        .collect();
    let mut checked = 0;
    for name in &names {
        let set = PathSet::compile([format!("r.{name}"), "r.z".to_string()]).unwrap();
        let shapes = [
            format!("<{name}>v</{name}>"),
            format!("<{name}></{name}>"),
            format!("<{name}>a longer value, over a block</{name}>"),
            format!("<{name} >v</{name} >"),
            format!("<{name} a=\"1\">v</{name}>"),
            format!("<{name}/>"),
            format!("<{name}>a&amp;b</{name}>"),
            format!("<{name}>sixteen bytes, then &amp; and more</{name}>"),
            format!("<{name}>sixteen bytes, then \r\n</{name}>"),
            format!("<{name}>sixteen bytes, then ]]></{name}>"),
            format!("<{name}>sixteen bytes, then <z>w</z></{name}>"),
            format!("<{name}>a\r\nb</{name}>"),
            format!("<{name}><z>w</z></{name}>"),
            format!("<{name}>v</{name}x>"),
            format!("<{name}>v</x{name}>"),
            format!("<{name}>v</{name}"),
            format!("<{name}>v<{name}>"),
            format!("<{name}>v</>"),
            format!("<{name}>v]]></{name}>"),
            format!("<{name}>\u{1}</{name}>"),
            format!("<{name}\u{1}>v</{name}>"),
        ];
        for shape in &shapes {
            for indent in 0..20 {
                let doc = format!("<r>\n{}{shape}\n<z>w</z></r>", " ".repeat(indent));
                let padded = format!("{doc}{}", " ".repeat(40));
                let cut = &doc.as_bytes()[..doc.len() - 4];
                let padded_cut = format!("{}{}", &doc[..doc.len() - 4], "\n".repeat(40));
                assert_eq!(events(doc.as_bytes()), events(padded.as_bytes()), "{doc:?}");
                assert_eq!(
                    values(&set, doc.as_bytes()),
                    values(&set, padded.as_bytes()),
                    "{doc:?}"
                );
                // Cut before the root's end tag: the same error (the root
                // left open, or an error before it) wherever the input ends.
                assert_eq!(events(cut), events(padded_cut.as_bytes()), "{doc:?}");
                assert_eq!(
                    values(&set, cut),
                    values(&set, padded_cut.as_bytes()),
                    "{doc:?}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 23 * 21 * 20);
}

/// After the root, extraction checks the rest of the document with a short
/// whitespace tail read at once and anything else step by step: every
/// tail (blanks of every length up to and past a block, then nothing, text,
/// markup, a second root) ends it as the event loop ends, with the same
/// error kind and offset.
#[test]
fn after_the_root_extraction_ends_as_the_event_loop() {
    let set = PathSet::compile(["a"]).unwrap();
    let blanks = [" ", "\n", "\r\n", "\t"];
    let mut checked = 0;
    for root in ["<r><a>v</a></r>", "<r/>"] {
        for tail in [
            "", "x", "<!--c-->", "<?p?>", "<r/>", "</r>", "<", "&amp;", "\u{1}",
        ] {
            for n in 0..40 {
                let blank: String = (0..n).map(|i| blanks[i % blanks.len()]).collect();
                let doc = format!("{root}{blank}{tail}");
                let want = events(doc.as_bytes()).err();
                let got = values(&set, doc.as_bytes());
                assert_eq!(got.as_ref().err().copied(), want, "{doc:?}");
                if let Ok(hits) = got {
                    assert_eq!(hits.len(), usize::from(root.contains("<a>")), "{doc:?}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 9 * 40);
}
