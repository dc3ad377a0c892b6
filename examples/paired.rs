//! Paired timing of the speed floors of issue 4, for machines too noisy for
//! ratios of criterion medians.
//!
//! criterion measures one implementation for a few seconds, then the next:
//! when the load of a shared machine changes between the two, their ratio
//! moves with it (by 2× on the machine this was written on). Here the two
//! sides of a floor take turns in short bursts (about 2 ms each, the order
//! swapped every round), and each round gives one ratio of the two bursts'
//! times per call. A change of load slower than a round hits both sides of
//! it alike, so the median of the rounds' ratios stays put where the ratio of
//! medians does not. The 10th and 90th percentiles show the spread.
//!
//! ```text
//! cargo run --release --example paired            # 300 rounds a floor, ~15 s
//! cargo run --release --example paired -- 1000    # more rounds
//! ```
//!
//! Every call's result is checked against our `Full` extraction, as in the
//! benches (`benches/support/mod.rs` holds the inputs and the peers).

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Instant;

use support::{workload, Named};

/// A floor: `slow / fast` (bench names) must be at least `at_least` (or, for
/// the `from_utf8` rows, at most `at_most`).
struct Floor {
    workload: &'static str,
    slow: &'static str,
    fast: &'static str,
    at_least: Option<f64>,
    at_most: Option<f64>,
}

const fn min(workload: &'static str, slow: &'static str, fast: &'static str, x: f64) -> Floor {
    Floor {
        workload,
        slow,
        fast,
        at_least: Some(x),
        at_most: None,
    }
}

const fn max(workload: &'static str, slow: &'static str, fast: &'static str, x: f64) -> Floor {
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
    min("seed-xml", "quick-xml-events", "ours-full", 6.0),
    min("seed-xml", "quick-xml-serde", "ours-full", 15.0),
    min("seed-json", "simd-json-tape", "ours-full", 2.0),
    min("seed-json", "serde-json-struct", "ours-full", 3.0),
    min("seed-json", "sonic-rs-struct", "ours-full", 3.0),
    min("jobs100-xml", "quick-xml-events", "ours-full", 6.0),
    min("jobs100-json", "simd-json-tape", "ours-full", 2.0),
    max("userdata64k-xml", "ours-full", "from-utf8", 2.5),
    max("userdata64k-json", "ours-full", "from-utf8", 2.5),
    min("seed-xml", "ours-full", "ours-skim", 1.5),
    min("seed-json", "ours-full", "ours-skim", 1.5),
];

/// A bench name as `examples/ratios.rs` prints it in its floor table.
fn shown(name: &str) -> &str {
    match name {
        "ours-full" => "ours Full",
        "ours-skim" => "ours Skim",
        other => other,
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
        let (input, paths) = workload(floor.workload).expect("a bench workload");
        let named = |name| Named::new(name, &input, paths).expect("a bench implementation");
        let (mut slow, mut fast) = (named(floor.slow), named(floor.fast));
        let mut slow = || slow.call();
        let mut fast = || fast.call();
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
            shown(floor.slow),
            shown(floor.fast),
            median,
            quantile(&ratios, 0.1),
            quantile(&ratios, 0.9),
            target,
            if pass { "pass" } else { "**FAIL**" },
        );
    }
}
