//! The field's standard corpora (issue 16): one group per document of
//! `bench/data/xml/` (quick-xml's macrobench documents) and
//! `bench/data/json/` (simdjson's corpus), `Throughput::Bytes`.
//!
//! | group | rows |
//! |---|---|
//! | `std-xml/<document>` | `ours-raw` (every `xml::Reader` event, attributes iterated, nothing decoded), `ours-check` (a path that matches nothing, `Validation::Full`), `quick-xml-raw` (`read_event` loop, attributes iterated), `quick-xml-decoded` (text and attribute values unescaped) |
//! | `std-json/<document>` | `ours-raw` (every `json::Reader` event), `ours-check`, `simd-json-tape` (reused buffers, input copied each call), `serde-json-ignored` (`IgnoredAny`), `serde-json-value` (`serde_json::Value`), `sonic-rs-ignored` |
//!
//! Before anything is timed, every row runs once and its counts are checked
//! (`bench/src/standard.rs`): our reader sees the same elements and
//! attributes as quick-xml and the same values and keys as
//! `serde_json::Value`, and our check rejects the document with its last
//! byte removed. Every timed call asserts its counts again. A document that
//! ours rejects with the default limits is printed to stderr and measured
//! with the raised limit named in the row (`ours-raw-attrs128`), or its rows
//! are skipped (also printed).
//!
//! The rows do not all check the same things: quick-xml's raw loop checks
//! tag syntax and end names but not characters, UTF-8 or references (the
//! decoded loop checks references); serde_json into `IgnoredAny` skips the
//! contents of strings without checking their UTF-8 (a test in
//! `bench/src/standard.rs` holds it to that). Ours checks all of it.
//!
//! Short times by default, so the whole set takes a few minutes:
//! `cargo bench -p wanxiang-bench --bench standard` (criterion's flags
//! override: `-- --measurement-time 5 players`).

use wanxiang_bench as support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use support::standard::*;
use support::SimdJson;

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20)
        .configure_from_args()
}

fn xml(c: &mut Criterion) {
    for &doc in XML_DOCS {
        let s = XmlSetup::new(doc);
        let input = doc.bytes;
        let mut group = c.benchmark_group(format!("std-xml/{}", doc.name));
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.sampling_mode(SamplingMode::Flat);
        if let (Some((options, label)), Some(check)) = (&s.ours, &s.check) {
            let expected = s.ours_count;
            group.bench_function(format!("ours-raw{label}"), |b| {
                b.iter(|| {
                    let n = ours_xml_events(black_box(input), options).expect("ours");
                    assert!(n == expected);
                    n
                })
            });
            group.bench_function(format!("ours-check{label}"), |b| {
                b.iter(|| check.run(black_box(input)).expect("ours"))
            });
        }
        let raw = s.raw_count;
        group.bench_function("quick-xml-raw", |b| {
            b.iter(|| {
                let n = quick_xml_raw(black_box(input));
                assert!(n == raw);
                n
            })
        });
        let decoded = s.decoded_count;
        group.bench_function("quick-xml-decoded", |b| {
            b.iter(|| {
                let n = quick_xml_decoded(black_box(input));
                assert!(n == decoded);
                n
            })
        });
        group.finish();
    }
}

fn json(c: &mut Criterion) {
    for &doc in JSON_DOCS {
        let s = JsonSetup::new(doc);
        let input = doc.bytes;
        let mut group = c.benchmark_group(format!("std-json/{}", doc.name));
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.sampling_mode(SamplingMode::Flat);
        if let (Some((options, label)), Some(check)) = (&s.ours, &s.check) {
            let expected = s.ours_count;
            group.bench_function(format!("ours-raw{label}"), |b| {
                b.iter(|| {
                    let n = ours_json_events(black_box(input), options).expect("ours");
                    assert!(n == expected);
                    n
                })
            });
            group.bench_function(format!("ours-check{label}"), |b| {
                b.iter(|| check.run(black_box(input)).expect("ours"))
            });
        }
        let mut simd = SimdJson::new(input.len());
        let nodes = s.tape_nodes;
        group.bench_function("simd-json-tape", |b| {
            b.iter(|| {
                let n = simd.tape_nodes(black_box(input));
                assert!(n == nodes);
                n
            })
        });
        group.bench_function("serde-json-ignored", |b| {
            b.iter(|| serde_json_ignored(black_box(input)))
        });
        let len = s.value_len;
        group.bench_function("serde-json-value", |b| {
            b.iter(|| {
                let n = serde_json_value(black_box(input));
                assert!(n == len);
                n
            })
        });
        group.bench_function("sonic-rs-ignored", |b| {
            b.iter(|| sonic_ignored(black_box(input)))
        });
        group.finish();
    }
}

fn announce(_: &mut Criterion) {
    eprintln!("standard: CPU SIMD: {}", cpu_simd());
}

criterion_group! {
    name = benches;
    config = config();
    targets = announce, xml, json
}
criterion_main!(benches);
