//! Paired timing of the speed floors of issue 4, for machines too noisy for
//! ratios of criterion medians.
//!
//! criterion measures one implementation for a few seconds, then the next:
//! when the load of a shared machine changes between the two, their ratio
//! moves with it (by 2× on the machine this was written on). Here the two
//! sides of a floor take turns in short bursts (about 0.5 ms each, the order
//! swapped every round), and each round gives one ratio of the two bursts'
//! times per call. A change of load slower than a round hits both sides of
//! it alike, so the median of the rounds' ratios stays put where the ratio of
//! medians does not. The 10th and 90th percentiles show the spread.
//!
//! ```text
//! cargo run --release --example paired            # 300 rounds a floor, ~10 s
//! cargo run --release --example paired -- 1000    # more rounds
//! ```
//!
//! Every call's result is checked against our `Full` extraction, as in the
//! benches (`benches/support/mod.rs` holds the inputs and the peers).

#[path = "../benches/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Instant;

use support::*;
use wanxiang::{Hit, PathSet};

/// One side of a floor: what runs, on which workload.
#[derive(Clone, Copy, PartialEq)]
enum Imp {
    OursFull,
    OursSkim,
    QuickXmlEvents,
    QuickXmlSerde,
    SimdJsonTape,
    SerdeJsonStruct,
    SonicRsStruct,
    FromUtf8,
}

impl Imp {
    fn name(self) -> &'static str {
        match self {
            Imp::OursFull => "ours Full",
            Imp::OursSkim => "ours Skim",
            Imp::QuickXmlEvents => "quick-xml-events",
            Imp::QuickXmlSerde => "quick-xml-serde",
            Imp::SimdJsonTape => "simd-json-tape",
            Imp::SerdeJsonStruct => "serde-json-struct",
            Imp::SonicRsStruct => "sonic-rs-struct",
            Imp::FromUtf8 => "from-utf8",
        }
    }
}

/// A floor: `slow / fast` must be at least `at_least` (or, for the `from_utf8`
/// rows, at most `at_most`).
struct Floor {
    workload: &'static str,
    slow: Imp,
    fast: Imp,
    at_least: Option<f64>,
    at_most: Option<f64>,
}

const fn min(workload: &'static str, slow: Imp, fast: Imp, x: f64) -> Floor {
    Floor {
        workload,
        slow,
        fast,
        at_least: Some(x),
        at_most: None,
    }
}

const fn max(workload: &'static str, slow: Imp, fast: Imp, x: f64) -> Floor {
    Floor {
        workload,
        slow,
        fast,
        at_least: None,
        at_most: Some(x),
    }
}

/// The floors of issue 4 but the sweep's linear scaling (a property of one
/// implementation across sizes, not a ratio of two).
const FLOORS: &[Floor] = &[
    min("seed-xml", Imp::QuickXmlEvents, Imp::OursFull, 6.0),
    min("seed-xml", Imp::QuickXmlSerde, Imp::OursFull, 15.0),
    min("seed-json", Imp::SimdJsonTape, Imp::OursFull, 2.0),
    min("seed-json", Imp::SerdeJsonStruct, Imp::OursFull, 3.0),
    min("seed-json", Imp::SonicRsStruct, Imp::OursFull, 3.0),
    min("jobs100-xml", Imp::QuickXmlEvents, Imp::OursFull, 6.0),
    min("jobs100-json", Imp::SimdJsonTape, Imp::OursFull, 2.0),
    max("userdata64k-xml", Imp::OursFull, Imp::FromUtf8, 2.5),
    max("userdata64k-json", Imp::OursFull, Imp::FromUtf8, 2.5),
    min("seed-xml", Imp::OursFull, Imp::OursSkim, 1.5),
    min("seed-json", Imp::OursFull, Imp::OursSkim, 1.5),
];

fn workload(name: &str) -> (Vec<u8>, &'static [&'static str]) {
    match name {
        "seed-xml" => (SEED_XML.to_vec(), SEVEN),
        "seed-json" => (seed_json_strict(), SEVEN),
        "jobs100-xml" => (jobs_xml(100), EVERY_JOB),
        "jobs100-json" => (jobs_json(100), EVERY_JOB),
        "userdata64k-xml" => (userdata_xml(64 << 10), SEVEN),
        "userdata64k-json" => (userdata_json(64 << 10), SEVEN),
        other => panic!("unknown workload {other}"),
    }
}

/// `imp` on `input` as a closure that owns its state (slots, buffers) and
/// checks its result against `expected` on every call.
fn runner<'b>(
    imp: Imp,
    input: &'b [u8],
    paths: &'static [&'static str],
    expected: Digest,
) -> impl FnMut() + 'b {
    let set = PathSet::compile(paths).expect("paths");
    let mut slots = vec![Hit::EMPTY; 256];
    let trie = Trie::new(paths);
    let steps = parse_all(paths);
    let mut simd = SimdJson::new(input.len());
    let every = paths == EVERY_JOB;
    let (full, skim) = (full(), skim());
    move || {
        let i = black_box(input);
        let d = match imp {
            Imp::OursFull => ours(&set, i, &full, &mut slots),
            Imp::OursSkim => ours(&set, i, &skim, &mut slots),
            Imp::QuickXmlEvents => quick_xml_events(i, &trie),
            Imp::QuickXmlSerde if every => quick_xml_serde::<EveryJob>(i).digest(),
            Imp::QuickXmlSerde => quick_xml_serde::<Seven>(i).digest(),
            Imp::SimdJsonTape => simd.tape(i, &steps),
            Imp::SerdeJsonStruct if every => serde_json_struct::<EveryJob>(i).digest(),
            Imp::SerdeJsonStruct => serde_json_struct::<Seven>(i).digest(),
            Imp::SonicRsStruct if every => sonic_struct::<EveryJob>(i).digest(),
            Imp::SonicRsStruct => sonic_struct::<Seven>(i).digest(),
            Imp::FromUtf8 => {
                utf8(i);
                expected
            }
        };
        assert!(d == expected, "{} extracted {d:?}", imp.name());
    }
}

/// Seconds per call over `n` calls.
fn burst(f: &mut impl FnMut(), n: usize) -> f64 {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    t.elapsed().as_secs_f64() / n as f64
}

/// Calls per burst so that one burst of `f` takes about `target` seconds.
fn calls_for(f: &mut impl FnMut(), target: f64) -> usize {
    let mut n = 1;
    loop {
        let t = burst(f, n) * n as f64;
        if t >= target / 4.0 || n >= 1 << 24 {
            return ((target / t * n as f64).ceil() as usize).max(1);
        }
        n *= 2;
    }
}

/// The `q`-quantile of sorted `xs` (nearest rank).
fn quantile(xs: &[f64], q: f64) -> f64 {
    let k = ((xs.len() - 1) as f64 * q).round() as usize;
    xs[k]
}

fn main() {
    let rounds: usize = match std::env::args().nth(1) {
        Some(a) => a.parse().expect("usage: paired [ROUNDS]"),
        None => 300,
    };
    println!("| floor | median of {rounds} paired ratios | p10 – p90 | target | |");
    println!("|---|---:|---:|---:|---|");
    for floor in FLOORS {
        let (input, paths) = workload(floor.workload);
        let set = PathSet::compile(paths).expect("paths");
        let mut slots = vec![Hit::EMPTY; 256];
        let expected = ours(&set, &input, &full(), &mut slots);
        let mut slow = runner(floor.slow, &input, paths, expected);
        let mut fast = runner(floor.fast, &input, paths, expected);
        // Warm up both, then size each side's burst to ~2 ms.
        burst(&mut slow, 3);
        burst(&mut fast, 3);
        let (ns, nf) = (calls_for(&mut slow, 2e-3), calls_for(&mut fast, 2e-3));
        let mut ratios: Vec<f64> = (0..rounds)
            .map(|r| {
                let (s, f) = if r % 2 == 0 {
                    let s = burst(&mut slow, ns);
                    (s, burst(&mut fast, nf))
                } else {
                    let f = burst(&mut fast, nf);
                    (burst(&mut slow, ns), f)
                };
                s / f
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        let median = quantile(&ratios, 0.5);
        let (target, pass) = match (floor.at_least, floor.at_most) {
            (Some(x), _) => (format!("≥ {x}×"), median >= x),
            (_, Some(x)) => (format!("≤ {x}×"), median <= x),
            _ => unreachable!("a floor has a bound"),
        };
        println!(
            "| `{}`: {} / {} | {:.2}× | {:.2}–{:.2}× | {} | {} |",
            floor.workload,
            floor.slow.name(),
            floor.fast.name(),
            median,
            quantile(&ratios, 0.1),
            quantile(&ratios, 0.9),
            target,
            if pass { "pass" } else { "**FAIL**" },
        );
    }
}
