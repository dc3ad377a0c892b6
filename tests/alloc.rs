//! Zero allocations: reading, extracting and decoding-free access allocate
//! nothing, on every valid corpus document, in both validation modes.
//!
//! A counting global allocator (`support::counting`) wraps the system one.
//! Counting is per thread (the test harness allocates on its own threads),
//! and only inside `measure`.

mod support;

use support::counting::{measure, Counting};
use wanxiang::{json, xml, Format, Hit, Options, PathSet, RecordSet, Validation};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    measure(f).1
}

/// A fixed buffer that `Text::write_to` can decode into without allocating.
struct Fixed {
    buf: [u8; 1 << 16],
    len: usize,
}

impl std::fmt::Write for Fixed {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            // Drop what does not fit: only the absence of allocation is tested.
            return Ok(());
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[test]
fn reading_and_extracting_allocate_nothing() {
    // A counter that cannot count is no proof: check it sees an allocation.
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 10]))), 1);

    let mut paths: Vec<String> = support::STANDARD.iter().map(|s| s.to_string()).collect();
    paths.extend(
        [
            "JobsDetail",
            "JobsDetail.#.Input",
            "JobsDetail.#.Operation.MediaInfo.Format.Duration",
            "JobsDetail.@id",
            "@version",
        ]
        .map(String::from),
    );
    let set = PathSet::compile(&paths).unwrap();
    let docs = support::valid_documents();
    assert!(docs.len() >= 40);
    let mut checked = 0;
    let mut with_values = 0;
    let mut decoded = Box::new(Fixed {
        buf: [0; 1 << 16],
        len: 0,
    });
    for doc in &docs {
        let input = std::fs::read(doc).unwrap();
        for mode in [Validation::Full, Validation::Skim] {
            let options = Options::new().validation(mode);
            let mut values = 0usize;
            let n = allocations(|| {
                let mut slots = [Hit::EMPTY; 256];
                let found = set
                    .extract_with(&input, &options, &mut slots)
                    .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
                for hit in found.hits() {
                    let text = hit.text();
                    // Decoding-free access.
                    values += text.raw().len();
                    if let Some(s) = text.as_str() {
                        values += s.len();
                    }
                    values += usize::from(text.eq_str("TaskFinish"));
                    decoded.len = 0;
                    text.write_to(&mut *decoded).unwrap();
                }
                for i in 0..set.len() {
                    values += found.all(i).count();
                    let _ = found.first(i);
                }
                // The pull readers on their own.
                match found.format() {
                    Format::Xml => {
                        let mut r = xml::Reader::with_options(&input, &options).unwrap();
                        while r.next().unwrap() != xml::Event::Eof {}
                    }
                    Format::Json => {
                        let mut r = json::Reader::with_options(&input, &options).unwrap();
                        while r.next().unwrap() != json::Event::Eof {}
                    }
                }
            });
            assert_eq!(n, 0, "{} ({mode:?}) allocated {n} times", doc.display());
            checked += 1;
            if values > 0 {
                with_values += 1;
            }
        }
    }
    assert_eq!(checked, docs.len() * 2);
    // Not vacuous: nearly every document yields values for these paths (the
    // exceptions are the JSON-only shapes that are deliberately not unwrapped).
    assert!(
        with_values >= checked - 8,
        "{with_values} of {checked} runs found values"
    );
}

#[test]
fn records_allocate_nothing() {
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 10]))), 1);
    let jobs = RecordSet::compile(
        "JobsDetail",
        [
            "JobId",
            "State",
            "Operation.Output.Object",
            "Input.CosHeaders.#.Key",
            "@id",
        ],
    )
    .unwrap();
    let headers = RecordSet::compile("JobsDetail.#.Input.CosHeaders", ["Key", "Value"]).unwrap();
    let tasks = RecordSet::compile("WorkflowExecution.Tasks", ["JobId", "State"]).unwrap();
    let docs = support::valid_documents();
    assert!(docs.len() >= 40);
    let (mut records, mut values) = (0usize, 0usize);
    let inputs: Vec<Vec<u8>> = docs.iter().map(|d| std::fs::read(d).unwrap()).collect();
    // A `Vec` grown once, then reused: extract_vec allocates no more.
    let mut grown: Vec<Hit> = Vec::with_capacity(1024);
    for (doc, input) in docs.iter().zip(&inputs) {
        for mode in [Validation::Full, Validation::Skim] {
            let options = Options::new().validation(mode);
            let n = allocations(|| {
                let mut slots = [Hit::EMPTY; 256];
                for set in [&jobs, &headers, &tasks] {
                    let found = set
                        .extract_with(input, &options, &mut slots)
                        .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
                    for record in found.iter() {
                        records += 1;
                        for i in 0..set.len() {
                            values += record.all(i).count();
                            values += usize::from(record.first(i).is_some());
                        }
                        values += usize::from(record.first_by_path("State").is_some());
                    }
                    let again = set
                        .extract_vec_with(input, &options, &mut grown)
                        .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
                    assert_eq!(again.len(), found.len());
                }
            });
            assert_eq!(n, 0, "{} ({mode:?}) allocated {n} times", doc.display());
        }
    }
    // Not vacuous.
    assert!(records >= 150, "{records} records");
    assert!(values >= 500, "{values} values");
}

#[test]
fn recycling_a_hit_vec_keeps_its_allocation() {
    let set = PathSet::compile(["JobsDetail.#.JobId", "JobsDetail.#.State"]).unwrap();
    let inputs: Vec<Vec<u8>> = support::valid_documents()
        .iter()
        .map(|d| std::fs::read(d).unwrap())
        .collect();
    let mut spare: Vec<Hit<'static>> = Vec::with_capacity(4096);
    let mut found = 0;
    let n = allocations(|| {
        for input in &inputs {
            // A buffer of its own per document, as a receiver has.
            let body = input.as_slice();
            let mut hits = Hit::recycle(std::mem::take(&mut spare));
            found += set.extract_vec(body, &mut hits).unwrap().hits().len();
            spare = Hit::recycle(hits);
        }
    });
    assert_eq!(n, 0, "recycling allocated {n} times");
    assert!(spare.capacity() >= 4096);
    assert!(found >= 80, "{found} values");
}
