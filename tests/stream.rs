//! Framing (`wanxiang::stream`): streams built from `corpus/` give, whatever the
//! chunking, the same frames as the unsplit stream, and those frames give the
//! same values as the documents read one by one. Bad documents inside a
//! stream are reported with their index and the documents after them are
//! still framed. Limits, `finish`, locations, the `BytesMut` codec and the
//! `io::Read` adapter are checked here too.

mod support;

use std::path::{Path, PathBuf};

use bytes::BytesMut;
use serde_json::Value;
use support::*;
use wanxiang::stream::{Frame, FrameCodec, FrameReader, Framer, Location, Status};
use wanxiang::{Category, Error, ErrorKind, Format, Options, PathSet};

/// One frame as a test compares it: index, stream location, format and
/// length (the location's offset and the length place its bytes in the stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rec {
    index: u64,
    at: Location,
    format: Format,
    len: usize,
}

impl Rec {
    fn doc<'s>(&self, stream: &'s [u8]) -> &'s [u8] {
        let start = self.at.offset as usize;
        &stream[start..start + self.len]
    }
}

fn rec(f: &Frame) -> Rec {
    Rec {
        index: f.index(),
        at: f.location(),
        format: f.format(),
        len: f.end() - f.start(),
    }
}

/// Feeds `stream` cut at `cuts` (ascending) the way a network reader would:
/// the buffer grows by each chunk, `frame` is called until `Partial`, the
/// consumed bytes are dropped, and `finish` runs at the end.
fn run_chunks(framer: Framer, stream: &[u8], cuts: &[usize]) -> (Vec<Rec>, Option<Error>) {
    let mut framer = framer;
    let mut out = Vec::new();
    let mut off = 0; // consumed bytes of `stream`
    let mut ends: Vec<usize> = cuts.to_vec();
    ends.push(stream.len());
    for &end in &ends {
        loop {
            let buf = &stream[off..end];
            match framer.frame(buf) {
                Ok(Status::Complete(f)) => {
                    out.push(rec(&f));
                    off += f.consumed();
                }
                Ok(Status::Partial) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    loop {
        let buf = &stream[off..];
        match framer.finish(buf) {
            Ok(Some(f)) => {
                out.push(rec(&f));
                off += f.consumed();
            }
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

/// The unsplit result, through [`Framer::frames`].
fn unsplit(stream: &[u8]) -> (Vec<Rec>, Option<Error>) {
    let mut out = Vec::new();
    for r in Framer::new().frames(stream) {
        match r {
            Ok((f, doc)) => {
                assert_eq!(doc.len(), f.end() - f.start());
                out.push(rec(&f));
            }
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

fn standard() -> Vec<String> {
    STANDARD.iter().map(|s| s.to_string()).collect()
}

/// The values of one document, or its error.
fn values(doc: &[u8]) -> Result<Value, Error> {
    fields(&standard(), doc, &Options::default())
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// Valid documents of one format (regressions included).
fn valid(ext: &str) -> Vec<PathBuf> {
    valid_documents()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// What goes between two documents; cycles through the kinds a stream has.
const SEPARATORS: &[&[u8]] = &[b"\n", b"", b" \r\n\t ", b"\n\n"];
const XML_SEPARATORS: &[&[u8]] = &[b"\n", b"", b"\n<!-- between -->\n<?pi x?>", b"\r\n"];

/// A named stream and the documents it was built from, in order.
struct Stream {
    name: String,
    bytes: Vec<u8>,
    docs: Vec<Vec<u8>>,
}

fn join(name: String, docs: Vec<Vec<u8>>, seps: &[&[u8]]) -> Stream {
    let mut bytes = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(seps[i % seps.len()]);
        }
        bytes.extend_from_slice(d);
    }
    Stream { name, bytes, docs }
}

/// JSON documents on one line each, minified with serde_json (only the
/// strictly valid ones: serde_json rejects the seed's trailing comma and BOMs).
fn ndjson_lines() -> Vec<Vec<u8>> {
    valid("json")
        .iter()
        .filter_map(|p| serde_json::from_slice::<Value>(&read(p)).ok())
        .map(|v| serde_json::to_vec(&v).unwrap())
        .collect()
}

/// The whole-corpus streams: all XML, all JSON (concatenated), NDJSON, and
/// XML and JSON interleaved.
fn corpus_streams() -> Vec<Stream> {
    let xml: Vec<Vec<u8>> = valid("xml").iter().map(|p| read(p)).collect();
    let json: Vec<Vec<u8>> = valid("json").iter().map(|p| read(p)).collect();
    let mut mixed = Vec::new();
    for (x, j) in xml.iter().zip(&json) {
        mixed.push(x.clone());
        mixed.push(j.clone());
    }
    let lines = ndjson_lines();
    assert!(lines.len() >= 20, "only {} NDJSON lines", lines.len());
    vec![
        join("xml".into(), xml, XML_SEPARATORS),
        join("json".into(), json, SEPARATORS),
        join("ndjson".into(), lines, &[b"\n"]),
        join("mixed".into(), mixed, SEPARATORS),
    ]
}

/// One stream per document of each whole-corpus stream: the document between
/// two tiny ones (of the other format in the mixed stream), so that every
/// split of every stream is affordable in a debug build while every byte of
/// every document, and both a document before and after a boundary, is a
/// split point somewhere.
fn single_streams() -> Vec<Stream> {
    let mut out = Vec::new();
    for s in corpus_streams() {
        let seps: &[&[u8]] = match s.name.as_str() {
            "xml" => XML_SEPARATORS,
            "ndjson" => &[b"\n"],
            _ => SEPARATORS,
        };
        for (i, doc) in s.docs.iter().enumerate() {
            let xml = doc.trim_ascii_start().starts_with(b"<") || doc.starts_with(b"\xEF\xBB\xBF<");
            let tiny: &[u8] = match (s.name.as_str(), xml) {
                ("mixed", true) | ("json", _) => b"{\"a\":[1]}",
                ("ndjson", _) => b"{}",
                _ => b"<a/>",
            };
            let docs = vec![tiny.to_vec(), doc.clone(), tiny.to_vec()];
            let sep = &[seps[i % seps.len()], seps[(i + 1) % seps.len()]];
            out.push(join(format!("{}[{i}]", s.name), docs, sep));
        }
    }
    out
}

/// Unsplit, each corpus stream gives one frame per document, located where
/// the document is, with the document's values.
#[test]
fn corpus_streams_give_the_one_by_one_values() {
    for s in corpus_streams() {
        let (frames, err) = unsplit(&s.bytes);
        assert!(err.is_none(), "{}: {err:?}", s.name);
        assert_eq!(frames.len(), s.docs.len(), "{}: frame count", s.name);
        for (i, (f, doc)) in frames.iter().zip(&s.docs).enumerate() {
            assert_eq!(f.index, i as u64, "{}", s.name);
            let want = values(doc).unwrap();
            let fdoc = f.doc(&s.bytes);
            let got = values(fdoc).unwrap_or_else(|e| panic!("{}[{i}]: {e}", s.name));
            assert_eq!(got, want, "{}[{i}] values", s.name);
            // The frame is the document's bytes, less surrounding whitespace
            // (and, for XML, less comments and PIs outside a declared prolog).
            let trimmed = doc.trim_ascii();
            assert!(
                trimmed.windows(fdoc.len()).any(|w| w == fdoc),
                "{}[{i}]: frame is not inside the document",
                s.name
            );
            if f.format == Format::Json {
                assert_eq!(fdoc, trimmed, "{}[{i}]: JSON frame", s.name);
            }
            // The location is that of the frame's first byte in the stream.
            let off = f.at.offset as usize;
            let e = Error::at(ErrorKind::Empty, off, &s.bytes);
            assert_eq!(
                (f.at.line, f.at.column),
                (u64::from(e.line()), u64::from(e.column())),
                "{}[{i}] location",
                s.name
            );
        }
    }
}

/// Every split of every single-document stream into two chunks gives the unsplit frames.
/// (Equal frames are equal bytes, so the values are those checked above.)
#[test]
fn every_two_chunk_split_gives_the_unsplit_frames() {
    let streams = single_streams();
    let mut runs = 0usize;
    for s in &streams {
        let want = unsplit(&s.bytes);
        assert!(want.1.is_none(), "{}: {:?}", s.name, want.1);
        assert_eq!(want.0.len(), 3, "{}", s.name);
        for cut in 0..=s.bytes.len() {
            let got = run_chunks(Framer::new(), &s.bytes, &[cut]);
            assert!(got == want, "{}: split at {cut}: {got:?}", s.name);
            runs += 1;
        }
    }
    println!("{} streams, {runs} two-chunk runs", streams.len());
}

/// A sample of three-chunk splits of every stream (the whole-corpus ones too)
/// gives the unsplit frames, and each frame's values are the document's.
#[test]
fn sampled_three_chunk_splits_give_the_unsplit_frames_and_values() {
    let mut rng = Rng(0x5EED_0007);
    let mut streams = corpus_streams();
    streams.extend(single_streams());
    for s in &streams {
        let want = unsplit(&s.bytes);
        let expected: Vec<Value> = s.docs.iter().map(|d| values(d).unwrap()).collect();
        let samples = if s.name.contains('[') { 10 } else { 100 };
        for _ in 0..samples {
            let mut cuts = [rng.below(s.bytes.len() + 1), rng.below(s.bytes.len() + 1)];
            cuts.sort();
            let got = run_chunks(Framer::new(), &s.bytes, &cuts);
            assert!(got == want, "{}: cuts {cuts:?}", s.name);
            for (f, v) in got.0.iter().zip(&expected) {
                assert_eq!(
                    &values(f.doc(&s.bytes)).unwrap(),
                    v,
                    "{}: cuts {cuts:?}",
                    s.name
                );
            }
        }
    }
}

/// One byte at a time (the worst chunking, and the resumable scan's best
/// test) gives the unsplit frames for every whole-corpus stream.
#[test]
fn one_byte_at_a_time_gives_the_unsplit_frames() {
    for s in corpus_streams() {
        let cuts: Vec<usize> = (1..s.bytes.len()).collect();
        assert!(
            run_chunks(Framer::new(), &s.bytes, &cuts) == unsplit(&s.bytes),
            "{}",
            s.name
        );
    }
}

/// Every proper prefix of every valid document's frame is `Partial` (fed
/// byte by byte to one framer, which resumes), and for a stride of them (about
/// 150 per document) a fresh framer says `Partial` too and `finish` reports the
/// error the extractor reports for that prefix.
#[test]
fn proper_prefixes_are_partial_and_finish_reports_the_readers_error() {
    let set = PathSet::compile(STANDARD).unwrap();
    for doc in valid_documents() {
        let bytes = read(&doc);
        let (mut frames, _) = unsplit(&bytes);
        let frame = frames.swap_remove(0).doc(&bytes);
        let mut framer = Framer::new();
        for n in 1..frame.len() {
            assert_eq!(
                framer.frame(&frame[..n]).unwrap(),
                Status::Partial,
                "{} prefix {n}",
                doc.display()
            );
        }
        let whole = framer.frame(frame).unwrap().complete();
        assert_eq!(
            whole.map(|f| f.range()),
            Some(0..frame.len()),
            "{}",
            doc.display()
        );

        for n in (1..frame.len()).step_by((frame.len() / 150).max(1)) {
            let prefix = &frame[..n];
            let mut framer = Framer::new();
            assert_eq!(
                framer.frame(prefix).unwrap(),
                Status::Partial,
                "{} prefix {n}",
                doc.display()
            );
            // Every corpus document is an object or an element, never
            // complete before its end. (A byte-order mark cut short is a
            // garbage frame of its own, which the reader rejects.)
            let got = match framer.finish(prefix) {
                Err(e) => e,
                Ok(frame) => {
                    assert_eq!(frame.map(|f| f.range()), Some(0..n), "{}", doc.display());
                    values(prefix).unwrap_err()
                }
            };
            let mut slots = vec![wanxiang::Hit::EMPTY; 4096];
            let want = set.extract(prefix, &mut slots).unwrap_err();
            assert_eq!(
                (got.kind(), got.offset()),
                (want.kind(), want.offset()),
                "{} prefix {n}",
                doc.display()
            );
        }
    }
}

/// An invalid document between two valid ones: the first is framed and read;
/// the bad one is reported with its index and, when its frame is the whole
/// document, with its own error kind and offset, and the one after it is
/// still framed and read. A bad document that never closes swallows the next
/// one, which only `finish` can tell; one that the stream cannot tell from
/// valid documents (`{…}{…}`, leading whitespace before a declaration, an
/// empty one) is listed.
#[test]
fn bad_documents_are_reported_with_their_index_and_the_rest_is_framed() {
    // Neighbours without comments or CDATA, so that an unclosed one in the bad
    // document is not closed by them.
    let (before_xml, after_xml) = (
        read(&corpus().join("xml/valid/seed.xml")),
        read(&corpus().join("xml/valid/failed-job.xml")),
    );
    let (before_json, after_json) = (
        read(&corpus().join("json/valid/seed.json")),
        read(&corpus().join("json/valid/failed-job.json")),
    );
    let (mut same_error, mut other_frames, mut swallowed, mut accepted) = (0, 0, 0, Vec::new());
    let all = invalid_documents();
    for doc in &all {
        let bad = read(doc);
        let name = doc.file_name().unwrap().to_string_lossy().into_owned();
        let (before, after) = if doc.extension().unwrap() == "xml" {
            (&before_xml, &after_xml)
        } else {
            (&before_json, &after_json)
        };
        let mut stream = before.clone();
        stream.push(b'\n');
        stream.extend_from_slice(&bad);
        stream.push(b'\n');
        stream.extend_from_slice(after);
        let (frames, err) = unsplit(&stream);
        // Chunking never changes the answer, for broken streams too.
        for cut in (0..=stream.len()).step_by(7) {
            assert!(
                run_chunks(Framer::new(), &stream, &[cut]) == (frames.clone(), err),
                "{name}: cut {cut}"
            );
        }
        assert_eq!(frames[0].index, 0);
        assert_eq!(
            values(frames[0].doc(&stream)).unwrap(),
            values(before).unwrap(),
            "{name}"
        );
        if let Some(e) = err {
            // `finish` read what was left (the bad document and the one it
            // swallowed) and reports the reader's first error in it: an
            // unclosed construct, or a syntax error in the swallowed text.
            assert_eq!(frames.len(), 1, "{name}");
            assert!(
                matches!(e.category(), Category::Eof | Category::Syntax),
                "{name}: {e}"
            );
            swallowed += 1;
            continue;
        }
        let last = frames.last().unwrap();
        assert_eq!(
            values(last.doc(&stream)).map_err(|e| format!("{name}: {e}")),
            Ok(values(after).unwrap()),
            "{name}: the next document"
        );
        let middle = &frames[1..frames.len() - 1];
        let failing: Vec<&Rec> = middle
            .iter()
            .filter(|f| values(f.doc(&stream)).is_err())
            .collect();
        if failing.is_empty() {
            accepted.push(name);
            continue;
        }
        // The bad document is reported under its own index, or under the index
        // of the part of it that the stream tells apart (`<a/> text`: 2).
        assert!((1..last.index).contains(&failing[0].index), "{name}");
        if middle.len() == 1 {
            assert_eq!(failing[0].index, 1, "{name}");
        }
        if middle.len() == 1 && middle[0].doc(&stream) == bad.trim_ascii() {
            // One frame, the whole document: the same error at the same place.
            let want = values(&bad).unwrap_err();
            let got = values(middle[0].doc(&stream)).unwrap_err();
            let lead = bad.len() - bad.trim_ascii_start().len();
            assert_eq!(
                (got.kind(), got.offset() + lead),
                (want.kind(), want.offset()),
                "{name}"
            );
            // And its stream position is where it is in the stream.
            let at = middle[0].at.of(&got);
            let direct = Error::at(got.kind(), at.offset as usize, &stream);
            assert_eq!(
                (at.line, at.column),
                (u64::from(direct.line()), u64::from(direct.column())),
                "{name}"
            );
            same_error += 1;
        } else {
            other_frames += 1;
        }
    }
    println!(
        "{} invalid documents: {same_error} same error, {other_frames} reported in other frames, \
         {swallowed} swallowed the next document, accepted in a stream: {accepted:?}",
        all.len()
    );
    // Only these are valid inside a stream: nothing at all (empty,
    // whitespace-only), two documents (multiple roots, a second object), a
    // declaration that is at the start of its frame once the whitespace or
    // comment before it is between documents, a prolog without a root that
    // the next document completes, and trailing commas (strict mode only).
    accepted.sort();
    assert_eq!(
        accepted,
        [
            "decl-after-comment.xml",
            "decl-after-whitespace.xml",
            "empty.json",
            "empty.xml",
            "multiple-roots.xml",
            "no-root.xml",
            "strict-trailing-comma-array.json",
            "strict-trailing-comma.json",
            "trailing-data-second-object.json",
            "whitespace-only.json",
            "whitespace-only.xml",
        ]
    );
}

/// A broken NDJSON line (a raw line feed ends its string) or a mismatched
/// bracket costs one frame; the lines after it are framed and read.
#[test]
fn a_broken_ndjson_line_costs_one_frame() {
    let stream = b"{\"EventName\":\"A\"}\n{\"EventName\":\"B\n{\"EventName\":\"C\"}\n{\"a\":[1}\n{\"EventName\":\"D\"}\n";
    let (frames, err) = unsplit(stream);
    assert!(err.is_none());
    let names: Vec<Result<Value, ErrorKind>> = frames
        .iter()
        .map(|f| {
            values(f.doc(stream))
                .map(|v| v["EventName"].clone())
                .map_err(|e| e.kind())
        })
        .collect();
    assert_eq!(
        names,
        [
            Ok(Value::from("A")),
            Err(ErrorKind::ControlInString),
            Ok(Value::from("C")),
            Err(ErrorKind::UnexpectedByte {
                expected: "`,` or `]`"
            }),
            Ok(Value::from("D")),
        ]
    );
    assert_eq!(frames[3].index, 3);
    assert_eq!((frames[3].at.line, frames[3].at.column), (4, 1));
}

/// A frame of exactly the maximum length is accepted, one byte more is a
/// `SizeLimit` at the document's start, chunked or not, and the framer is
/// fused afterwards.
#[test]
fn max_frame_is_inclusive_and_fused() {
    let doc = br#"{"EventName":"TaskFinish"}"#;
    let mut stream = b"  ".to_vec();
    stream.extend_from_slice(doc);
    let exact = stream.len();
    let (frames, err) = run_chunks(Framer::new().with_max_frame(exact), &stream, &[5]);
    assert!(err.is_none() && frames.len() == 1);

    let mut framer = Framer::new().with_max_frame(exact - 1);
    assert_eq!(framer.frame(&stream[..exact - 1]).unwrap(), Status::Partial);
    let e = framer.frame(&stream).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::SizeLimit, 2));
    assert_eq!(framer.frame(b"{}").unwrap_err(), e, "fused");
    assert_eq!(framer.finish(b"").unwrap_err(), e, "fused");

    // A top-level number needs the byte after it to end, but not in the count.
    let mut framer = Framer::new().with_max_frame(3);
    assert_eq!(
        framer
            .frame(b"123 4")
            .unwrap()
            .complete()
            .unwrap()
            .consumed(),
        3
    );
    let mut framer = Framer::new().with_max_frame(3);
    assert_eq!(
        framer.frame(b"1234 ").unwrap_err().kind(),
        ErrorKind::SizeLimit
    );
    // XML: an element of exactly the limit, then one over it.
    let x = b"<Response><a/></Response>";
    let mut framer = Framer::new().with_max_frame(x.len());
    assert!(framer.frame(x).unwrap().is_complete());
    let mut framer = Framer::new().with_max_frame(x.len() - 1);
    assert_eq!(framer.frame(x).unwrap_err().kind(), ErrorKind::SizeLimit);
}

/// What `finish` says about what is left at the end of the input.
#[test]
fn finish_reports_trailing_partial_documents() {
    /// The input left at the end, and the error (kind, offset) or `None`.
    type Case = (&'static [u8], Option<(ErrorKind, usize)>);
    let cases: &[Case] = &[
        (b"", None),
        (b" \n\t", None),
        (b"<!-- trailing comment -->\n", None),
        (b"{\"a\": [1, {", Some((ErrorKind::UnclosedObject, 10))),
        (b"  [\"x", Some((ErrorKind::UnclosedString, 3))),
        (b"<Response><a>", Some((ErrorKind::UnclosedElement, 10))),
        (b"<Response a='1", Some((ErrorKind::UnclosedAttribute, 12))),
        (b"<Response><!-- x", Some((ErrorKind::UnclosedComment, 10))),
        (
            b"<Response><![CDATA[x",
            Some((ErrorKind::UnclosedCdata, 10)),
        ),
        (b"\n<!-- x", Some((ErrorKind::UnclosedComment, 1))),
        (b"<?pi x", Some((ErrorKind::UnclosedPi, 0))),
        (b"<?xml version=\"1.0\"?>", Some((ErrorKind::NoRoot, 21))),
    ];
    for &(input, want) in cases {
        let got = Framer::new()
            .finish(input)
            .map_err(|e| (e.kind(), e.offset()));
        match want {
            None => assert_eq!(got, Ok(None), "{:?}", String::from_utf8_lossy(input)),
            Some(w) => assert_eq!(got, Err(w), "{:?}", String::from_utf8_lossy(input)),
        }
    }
}

/// Between XML documents, comments and PIs belong to no document (and are
/// skipped if well-formed); after a declaration they are the document's
/// prolog. A BOM starts a document.
#[test]
fn comments_between_documents_are_checked_and_skipped_and_declarations_start_documents() {
    let stream = b"<a/><!-- c --><?p?>\n<?xml version=\"1.0\"?><!-- mine --><b/>\xEF\xBB\xBF <c/> <?xml-stylesheet x?><d/>";
    let docs: Vec<&[u8]> = Framer::new().frames(stream).map(|r| r.unwrap().1).collect();
    assert_eq!(
        docs,
        [
            &b"<a/>"[..],
            b"<?xml version=\"1.0\"?><!-- mine --><b/>",
            b"\xEF\xBB\xBF <c/>",
            b"<d/>"
        ]
    );
    // A malformed comment or PI between documents is not skipped: it is a
    // frame of its own, with the reader's error.
    let stream = b"<a/><!-- a -- b --><b/><?pi`x?><c/>";
    let frames: Vec<&[u8]> = Framer::new().frames(stream).map(|r| r.unwrap().1).collect();
    assert_eq!(
        frames,
        [
            &b"<a/>"[..],
            b"<!-- a -- b -->",
            b"<b/>",
            b"<?pi`x?>",
            b"<c/>"
        ]
    );
    let kinds: Vec<Option<ErrorKind>> = frames
        .iter()
        .map(|f| values(f).err().map(|e| e.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            None,
            Some(ErrorKind::BadComment),
            None,
            Some(ErrorKind::UnexpectedByte {
                expected: "whitespace or `?>`"
            }),
            None
        ]
    );
    // Quoted `>` and `/>` inside attribute values, a DOCTYPE's internal subset.
    let stream = b"<a x='>' y=\"/>\"><b/></a><!DOCTYPE d [ <!ENTITY e \">\"> ]><d/>";
    let docs: Vec<&[u8]> = Framer::new().frames(stream).map(|r| r.unwrap().1).collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        values(docs[1]).unwrap_err().kind(),
        ErrorKind::Doctype,
        "framed, then refused by the reader"
    );
}

/// The `BytesMut` codec splits documents off without copying them, and the
/// `io::Read` adapter gives the same documents for any read size.
#[test]
fn codec_and_reader_give_the_same_frames_without_copying() {
    for s in corpus_streams() {
        let want = unsplit(&s.bytes).0;
        let mut buf = BytesMut::with_capacity(s.bytes.len());
        buf.extend_from_slice(&s.bytes);
        let region = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
        let mut codec = FrameCodec::default();
        let mut got = Vec::new();
        while let Some((f, doc)) = codec.finish(&mut buf).unwrap() {
            assert!(
                region.contains(&(doc.as_ptr() as usize)),
                "{}: copied",
                s.name
            );
            got.push((f.index(), f.location(), doc.to_vec()));
        }
        assert!(buf.is_empty());
        let want: Vec<_> = want
            .iter()
            .map(|r| (r.index, r.at, r.doc(&s.bytes).to_vec()))
            .collect();
        assert_eq!(got, want, "{}: codec", s.name);
        for chunk in [1, 7, 4096, 1 << 20] {
            let got: Vec<_> = FrameReader::new(&s.bytes[..], Framer::new())
                .with_chunk(chunk)
                .map(|r| {
                    let (f, doc) = r.unwrap();
                    (f.index(), f.location(), doc.to_vec())
                })
                .collect();
            assert_eq!(got, want, "{}: reader, chunk {chunk}", s.name);
        }
    }
}

/// The reader stops at a runaway document with the limit error and says where.
#[test]
fn reader_reports_a_runaway_document() {
    let mut input = b"{\"a\":1}\n{\"a\":2}\n{\"a\":\"".to_vec();
    input.extend(std::iter::repeat(b'x').take(10_000));
    let mut r = FrameReader::new(&input[..], Framer::new().with_max_frame(1000)).with_chunk(300);
    assert_eq!(&r.next().unwrap().unwrap().1[..], b"{\"a\":1}");
    assert_eq!(&r.next().unwrap().unwrap().1[..], b"{\"a\":2}");
    let Err(wanxiang::stream::ReadError::Frame(e)) = r.next().unwrap() else {
        panic!("expected a framing error")
    };
    assert_eq!((e.kind(), e.offset()), (ErrorKind::SizeLimit, 1));
    let at = r.framer().location().of(&e);
    assert_eq!((at.offset, at.line, at.column), (16, 3, 1));
    assert!(r.next().is_none());
}

#[cfg(feature = "tokio-codec")]
#[test]
fn tokio_decoder_frames_like_the_codec() {
    use tokio_util::codec::Decoder;
    let s = &corpus_streams()[3];
    let want = unsplit(&s.bytes).0;
    let mut codec = FrameCodec::default();
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    for chunk in s.bytes.chunks(1000) {
        buf.extend_from_slice(chunk);
        while let Some((_, doc)) = codec.decode(&mut buf).unwrap() {
            got.push(doc.to_vec());
        }
    }
    while let Some((_, doc)) = codec.decode_eof(&mut buf).unwrap() {
        got.push(doc.to_vec());
    }
    assert!(buf.is_empty(), "decode_eof leaves no bytes behind");
    let want: Vec<Vec<u8>> = want.iter().map(|r| r.doc(&s.bytes).to_vec()).collect();
    assert_eq!(got, want);
}
