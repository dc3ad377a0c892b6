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
//! cargo run --release -p wanxiang-bench --example paired            # 300 rounds a floor, ~15 s
//! cargo run --release -p wanxiang-bench --example paired -- 1000    # more rounds
//! ```
//!
//! Every call's result is checked against our `Full` extraction, as in the
//! benches (the package's library, `src/lib.rs`, holds the inputs and the peers).

use wanxiang_bench as support;

use std::time::Instant;

use support::{workload, Named, RATIO_FLOORS};

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
        Some(a) => match a.parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("usage: paired [ROUNDS]  (ROUNDS > 0, default 300)");
                std::process::exit(2);
            }
        },
        None => 300,
    };
    println!("| floor | median of {rounds} paired ratios | p10 – p90 | target | |");
    println!("|---|---:|---:|---:|---|");
    for floor in RATIO_FLOORS {
        let (input, paths) = workload(floor.group).expect("a bench workload");
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
        println!(
            "| {} | {:.2}× | {:.2}–{:.2}× | {} | {} |",
            floor.name(),
            median,
            quantile(&ratios, 0.1),
            quantile(&ratios, 0.9),
            floor.bound,
            if floor.bound.holds(median) {
                "pass"
            } else {
                "**FAIL**"
            },
        );
    }
}
