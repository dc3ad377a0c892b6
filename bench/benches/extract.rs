//! Our extraction against every peer, same group, same work (issue 4).
//!
//! One `benchmark_group` per workload and format, `Throughput::Bytes`, ids
//! `BenchmarkId::new(implementation, workload)`:
//!
//! | group | input | fields |
//! |---|---|---|
//! | `seed-xml`, `seed-json` | `corpus/*/valid/seed.*` (JSON: trailing comma removed) | the 7 of [`SEVEN`] |
//! | `jobs100-xml`, `jobs100-json` | 100 `JobsDetail` (~100 KB), generated | JobId and State of every job |
//! | `userdata64k-xml`, `userdata64k-json` | the seed with a 64 KiB UserData, generated | the 7 of [`SEVEN`] |
//!
//! Every implementation's [`Digest`] (values found, string bytes) is checked
//! against ours before measuring and asserted inside every iteration.
//! `cargo run -p wanxiang-bench --example ratios` prints the ratio table from the results.

use wanxiang_bench as support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use support::*;
use wanxiang::{Hit, PathSet};

/// A peer: input in, digest out.
type Peer = fn(&[u8]) -> Digest;

fn seven_quick_xml_serde(input: &[u8]) -> Digest {
    quick_xml_serde::<Seven>(input).digest()
}
fn every_job_quick_xml_serde(input: &[u8]) -> Digest {
    quick_xml_serde::<EveryJob>(input).digest()
}
fn seven_serde_json(input: &[u8]) -> Digest {
    serde_json_struct::<Seven>(input).digest()
}
fn every_job_serde_json(input: &[u8]) -> Digest {
    serde_json_struct::<EveryJob>(input).digest()
}
fn seven_sonic(input: &[u8]) -> Digest {
    sonic_struct::<Seven>(input).digest()
}
fn every_job_sonic(input: &[u8]) -> Digest {
    sonic_struct::<EveryJob>(input).digest()
}

/// Ours in `Full` and `Skim`, the slots reused across iterations.
fn bench_ours(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    workload: &str,
    input: &[u8],
    set: &PathSet,
    slots: usize,
    expected: Digest,
) {
    let mut slots = vec![Hit::EMPTY; slots];
    for (id, options) in [("ours-full", full()), ("ours-skim", skim())] {
        assert_eq!(ours(set, input, &options, &mut slots), expected, "{id}");
        group.bench_function(BenchmarkId::new(id, workload), |b| {
            b.iter(|| {
                let d = ours(set, black_box(input), &options, &mut slots);
                assert!(d == expected);
                d
            })
        });
    }
}

/// `from_utf8` and a memchr count over the same bytes: the physical floor.
fn bench_limits(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    workload: &str,
    input: &[u8],
    needle: u8,
) {
    let len = input.len();
    group.bench_function(BenchmarkId::new("from-utf8", workload), |b| {
        b.iter(|| {
            let n = utf8(black_box(input));
            assert!(n == len);
            n
        })
    });
    let count = memchr_count(needle, input);
    group.bench_function(BenchmarkId::new("memchr", workload), |b| {
        b.iter(|| {
            let n = memchr_count(needle, black_box(input));
            assert!(n == count);
            n
        })
    });
}

/// The hand-written non-validating scan for the seven fields (issue 16's
/// "limit" row), checked against our `Full` and `Skim` values first.
fn bench_limit_scan(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    workload: &str,
    input: &[u8],
    scan: limit::Limit,
    expected: Digest,
) {
    limit::assert_matches_ours(&scan, input);
    bench_peer(group, "limit-scan", workload, input, expected, |i| {
        scan.digest(i)
    });
}

fn bench_peer(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    workload: &str,
    input: &[u8],
    expected: Digest,
    mut peer: impl FnMut(&[u8]) -> Digest,
) {
    assert_eq!(peer(input), expected, "{id} on {workload}");
    group.bench_function(BenchmarkId::new(id, workload), |b| {
        b.iter(|| {
            let d = peer(black_box(input));
            assert!(d == expected);
            d
        })
    });
}

#[allow(clippy::too_many_arguments)]
fn xml_group(
    c: &mut Criterion,
    name: &str,
    workload: &str,
    input: &[u8],
    paths: &[&str],
    values: usize,
    serde: Peer,
) {
    let set = PathSet::compile(paths).expect("paths");
    let mut slots = vec![Hit::EMPTY; 256];
    let expected = ours(&set, input, &full(), &mut slots);
    assert_eq!(expected.values, values, "{name}: values found");
    let trie = Trie::new(paths);
    let steps = parse_all(paths);

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    bench_ours(&mut group, workload, input, &set, 256, expected);
    bench_peer(&mut group, "ours-typed", workload, input, expected, |i| {
        typed(i, paths)
    });
    bench_peer(
        &mut group,
        "quick-xml-events",
        workload,
        input,
        expected,
        |i| quick_xml_events(i, &trie),
    );
    bench_peer(
        &mut group,
        "quick-xml-serde",
        workload,
        input,
        expected,
        serde,
    );
    bench_peer(&mut group, "xmlparser", workload, input, expected, |i| {
        xmlparser_tokens(i, &trie)
    });
    bench_peer(&mut group, "roxmltree", workload, input, expected, |i| {
        roxmltree_lookup(i, &steps)
    });
    if paths == SEVEN {
        bench_limit_scan(&mut group, workload, input, limit::Limit::xml(), expected);
    }
    bench_limits(&mut group, workload, input, b'<');
    group.finish();
}

#[allow(clippy::too_many_arguments)]
fn json_group(
    c: &mut Criterion,
    name: &str,
    workload: &str,
    input: &[u8],
    paths: &[&str],
    jobs: usize,
    values: usize,
    serde: Peer,
    sonic: Peer,
) {
    let set = PathSet::compile(paths).expect("paths");
    let mut slots = vec![Hit::EMPTY; 256];
    let expected = ours(&set, input, &full(), &mut slots);
    assert_eq!(expected.values, values, "{name}: values found");
    let steps = parse_all(paths);
    let tree = sonic_tree(paths, jobs, &[]);

    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    bench_ours(&mut group, workload, input, &set, 256, expected);
    bench_peer(&mut group, "ours-typed", workload, input, expected, |i| {
        typed(i, paths)
    });
    let mut simd = SimdJson::new(input.len());
    bench_peer(
        &mut group,
        "simd-json-tape",
        workload,
        input,
        expected,
        |i| simd.tape(i, &steps),
    );
    let mut simd = SimdJson::new(input.len());
    bench_peer(
        &mut group,
        "simd-json-borrowed",
        workload,
        input,
        expected,
        |i| simd.borrowed(i, &steps),
    );
    bench_peer(
        &mut group,
        "serde-json-struct",
        workload,
        input,
        expected,
        serde,
    );
    bench_peer(
        &mut group,
        "sonic-rs-struct",
        workload,
        input,
        expected,
        sonic,
    );
    bench_peer(
        &mut group,
        "sonic-rs-get-many",
        workload,
        input,
        expected,
        |i| sonic_get_many(i, &tree),
    );
    if paths == SEVEN {
        bench_limit_scan(&mut group, workload, input, limit::Limit::json(), expected);
    }
    bench_limits(&mut group, workload, input, b'"');
    group.finish();
}

fn seed(c: &mut Criterion) {
    xml_group(
        c,
        "seed-xml",
        "seed",
        SEED_XML,
        SEVEN,
        7,
        seven_quick_xml_serde,
    );
    let json = seed_json_strict();
    json_group(
        c,
        "seed-json",
        "seed",
        &json,
        SEVEN,
        1,
        7,
        seven_serde_json,
        seven_sonic,
    );
}

fn jobs100(c: &mut Criterion) {
    let xml = jobs_xml(100);
    xml_group(
        c,
        "jobs100-xml",
        "jobs100",
        &xml,
        EVERY_JOB,
        200,
        every_job_quick_xml_serde,
    );
    let json = jobs_json(100);
    json_group(
        c,
        "jobs100-json",
        "jobs100",
        &json,
        EVERY_JOB,
        100,
        200,
        every_job_serde_json,
        every_job_sonic,
    );
}

fn userdata64k(c: &mut Criterion) {
    let xml = userdata_xml(64 << 10);
    xml_group(
        c,
        "userdata64k-xml",
        "userdata64k",
        &xml,
        SEVEN,
        7,
        seven_quick_xml_serde,
    );
    let json = userdata_json(64 << 10);
    json_group(
        c,
        "userdata64k-json",
        "userdata64k",
        &json,
        SEVEN,
        1,
        7,
        seven_serde_json,
        seven_sonic,
    );
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = seed, jobs100, userdata64k
}
criterion_main!(benches);
