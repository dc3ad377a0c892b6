//! Scaling sweeps (issue 4): ours against the fastest peer of each format.
//!
//! | group | inputs | ids |
//! |---|---|---|
//! | `jobs-xml`, `jobs-json` | 1, 10, 100, 1000 `JobsDetail` (generated), JobId and State of every job | `<impl>/<jobs>` |
//! | `fields-xml`, `fields-json` | the seed (JSON: trailing comma removed), 1, 7 and 25 paths | `<impl>/<paths>` |
//!
//! Time per byte of ours across the jobs sweep should stay within ±30%
//! (`cargo run -p wanxiang-bench --example ratios` checks it). The fields sweep has only the
//! peers that take arbitrary paths (no serde structs).

use wanxiang_bench as support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use support::*;
use wanxiang::{Hit, PathSet};

type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

fn bench<F: FnMut(&[u8]) -> Digest>(
    group: &mut Group<'_>,
    id: &str,
    param: &str,
    input: &[u8],
    expected: Digest,
    mut f: F,
) {
    assert_eq!(f(input), expected, "{id}/{param}");
    group.bench_function(BenchmarkId::new(id, param), |b| {
        b.iter(|| {
            let d = f(black_box(input));
            assert!(d == expected);
            d
        })
    });
}

/// Ours in both modes, slots reused; returns the expected digest.
fn bench_ours(
    group: &mut Group<'_>,
    param: &str,
    input: &[u8],
    set: &PathSet,
    slots: usize,
) -> Digest {
    let mut slots = vec![Hit::EMPTY; slots];
    let expected = ours(set, input, &full(), &mut slots);
    for (id, options) in [("ours-full", full()), ("ours-skim", skim())] {
        assert_eq!(
            ours(set, input, &options, &mut slots),
            expected,
            "{id}/{param}"
        );
        group.bench_function(BenchmarkId::new(id, param), |b| {
            b.iter(|| {
                let d = ours(set, black_box(input), &options, &mut slots);
                assert!(d == expected);
                d
            })
        });
    }
    // The typed view reads a fixed set of fields, so it is benchmarked in
    // benches/extract.rs (seed, 100 jobs, 64 KiB) and not in these sweeps.
    expected
}

fn bench_utf8(group: &mut Group<'_>, param: &str, input: &[u8]) {
    let len = input.len();
    group.bench_function(BenchmarkId::new("from-utf8", param), |b| {
        b.iter(|| {
            let n = utf8(black_box(input));
            assert!(n == len);
            n
        })
    });
}

const JOBS: [usize; 4] = [1, 10, 100, 1000];

fn jobs(c: &mut Criterion) {
    let set = PathSet::compile(EVERY_JOB).expect("paths");
    let trie = Trie::new(EVERY_JOB);
    let mut group = c.benchmark_group("jobs-xml");
    for n in JOBS {
        let input = jobs_xml(n);
        let param = n.to_string();
        group.throughput(Throughput::Bytes(input.len() as u64));
        let expected = bench_ours(&mut group, &param, &input, &set, 2 * n);
        assert_eq!(expected.values, 2 * n);
        bench(
            &mut group,
            "quick-xml-events",
            &param,
            &input,
            expected,
            |i| quick_xml_events(i, &trie),
        );
        bench_utf8(&mut group, &param, &input);
    }
    group.finish();

    let steps = parse_all(EVERY_JOB);
    let mut group = c.benchmark_group("jobs-json");
    for n in JOBS {
        let input = jobs_json(n);
        let param = n.to_string();
        group.throughput(Throughput::Bytes(input.len() as u64));
        let expected = bench_ours(&mut group, &param, &input, &set, 2 * n);
        assert_eq!(expected.values, 2 * n);
        let mut simd = SimdJson::new(input.len());
        bench(
            &mut group,
            "simd-json-tape",
            &param,
            &input,
            expected,
            |i| simd.tape(i, &steps),
        );
        bench_utf8(&mut group, &param, &input);
    }
    group.finish();
}

fn fields(c: &mut Criterion) {
    let sets: [&[&str]; 3] = [FIELDS_1, SEVEN, FIELDS_25];
    let absent = &FIELDS_25[21..];

    let input = SEED_XML;
    let mut group = c.benchmark_group("fields-xml");
    group.throughput(Throughput::Bytes(input.len() as u64));
    for paths in sets {
        let param = paths.len().to_string();
        let set = PathSet::compile(paths).expect("paths");
        let trie = Trie::new(paths);
        let steps = parse_all(paths);
        let expected = bench_ours(&mut group, &param, input, &set, 64);
        assert_eq!(expected.values, paths.len().min(21));
        bench(
            &mut group,
            "quick-xml-events",
            &param,
            input,
            expected,
            |i| quick_xml_events(i, &trie),
        );
        bench(&mut group, "xmlparser", &param, input, expected, |i| {
            xmlparser_tokens(i, &trie)
        });
        bench(&mut group, "roxmltree", &param, input, expected, |i| {
            roxmltree_lookup(i, &steps)
        });
    }
    group.finish();

    let input = seed_json_strict();
    let mut group = c.benchmark_group("fields-json");
    group.throughput(Throughput::Bytes(input.len() as u64));
    for paths in sets {
        let param = paths.len().to_string();
        let set = PathSet::compile(paths).expect("paths");
        let steps = parse_all(paths);
        let tree = sonic_tree(paths, 1, absent);
        let expected = bench_ours(&mut group, &param, &input, &set, 64);
        assert_eq!(expected.values, paths.len().min(21));
        let mut simd = SimdJson::new(input.len());
        bench(
            &mut group,
            "simd-json-tape",
            &param,
            &input,
            expected,
            |i| simd.tape(i, &steps),
        );
        let mut simd = SimdJson::new(input.len());
        bench(
            &mut group,
            "simd-json-borrowed",
            &param,
            &input,
            expected,
            |i| simd.borrowed(i, &steps),
        );
        bench(
            &mut group,
            "sonic-rs-get-many",
            &param,
            &input,
            expected,
            |i| sonic_get_many(i, &tree),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = jobs, fields
}
criterion_main!(benches);
