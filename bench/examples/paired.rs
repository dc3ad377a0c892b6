//! Paired timing of the speed floors of issues 4 and 16, for machines too
//! noisy for ratios of criterion medians.
//!
//! criterion measures one implementation for a few seconds, then the next:
//! when the load of a shared machine changes between the two, their ratio
//! moves with it (by 2× on the machine this was written on). Here the sides
//! of a floor take turns in short bursts (about 2 ms each, the order rotated
//! every round), and each round gives one ratio of two bursts' times per
//! call. A change of load slower than a round hits every side of it alike,
//! so the median of the rounds' ratios stays put where the ratio of medians
//! does not. The 10th and 90th percentiles show the spread.
//!
//! ```text
//! cargo run --release -p wanxiang-bench --example paired                 # the callback floors (issue 4), 300 rounds each
//! cargo run --release -p wanxiang-bench --example paired -- 1000         # the same, more rounds
//! cargo run --release -p wanxiang-bench --example paired -- skim         # Skim vs the limit scan on the seeds (issue 16)
//! cargo run --release -p wanxiang-bench --example paired -- standard     # the standard corpora (issue 16), every document
//! cargo run --release -p wanxiang-bench --example paired -- standard players 500   # documents whose name contains "players"
//! cargo run --release -p wanxiang-bench --example paired -- all          # callbacks, skim, standard
//! ```
//!
//! Every call's result is checked: the callback rows against our `Full`
//! extraction, as in the benches; the limit scan against ours on the seed;
//! the standard rows against the counts `bench/src/standard.rs` checks once
//! (our reader sees what quick-xml / serde_json see).
//!
//! The standard rows, per document (ratio = peer's time / ours, above 1 we
//! are faster; the floors are issue 16's):
//! - XML: ours raw events and ours whole-document check, each against
//!   quick-xml's raw `read_event` loop (floors 1.0× and 1.5×);
//! - JSON: ours check against serde_json → `IgnoredAny`, sonic-rs →
//!   `IgnoredAny`, and the faster of the two (lower median time over the
//!   run; floor 1.0×); ours raw events against simd-json's tape (floor 1.0×).
//!
//! GB/s come from each side's median time per call; "ratio of p10 times"
//! is the peer's 10th-percentile time per call over ours, the least
//! disturbed calls of each side (on a loaded machine the per-round ratios
//! of documents that take a millisecond or more per call spread widely).

use wanxiang_bench as support;

use std::time::Instant;

use support::standard::{self, JsonSetup, XmlSetup};
use support::{workload, Named, RatioFloor, SimdJson, RATIO_FLOORS, SKIM_FLOORS};

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

/// One side of an interleaved measurement: runs a burst of `n` calls and
/// gives the seconds per call (the call is inlined into the burst's loop).
type Side<'a> = Box<dyn FnMut(usize) -> f64 + 'a>;

fn side<'a>(mut f: impl FnMut() + 'a) -> (Side<'a>, usize) {
    // Warm up, then size the burst to ~2 ms.
    burst(&mut f, 3);
    let n = calls_for(&mut f, 2e-3);
    (Box::new(move |n| burst(&mut f, n)), n)
}

/// `rounds` rounds of one burst of each side, the order rotated every round;
/// `times[side][round]` in seconds per call.
fn interleave(sides: &mut [(Side<'_>, usize)], rounds: usize) -> Vec<Vec<f64>> {
    let k = sides.len();
    let mut times = vec![Vec::with_capacity(rounds); k];
    for r in 0..rounds {
        let mut round = vec![0.0; k];
        for j in 0..k {
            let s = (r + j) % k;
            let (f, n) = &mut sides[s];
            round[s] = f(*n);
        }
        for (t, x) in times.iter_mut().zip(round) {
            t.push(x);
        }
    }
    times
}

/// The `q`-quantile of sorted `xs` (nearest rank).
fn quantile(xs: &[f64], q: f64) -> f64 {
    let k = ((xs.len() - 1) as f64 * q).round() as usize;
    xs[k]
}

/// Median, p10 and p90 of `xs`.
fn spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    (quantile(&xs, 0.5), quantile(&xs, 0.1), quantile(&xs, 0.9))
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**FAIL**"
    }
}

/// The 1-minute load average, for the report.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// The ratio floors of one table ([`RATIO_FLOORS`] or [`SKIM_FLOORS`]),
/// each a pair of bench implementations on one workload.
fn floors(title: &str, table: &[RatioFloor], rounds: usize) {
    println!("\n{title}\n");
    println!("| floor | median of {rounds} paired ratios | p10 – p90 | target | |");
    println!("|---|---:|---:|---:|---|");
    for floor in table {
        let (input, paths) = workload(floor.group).expect("a bench workload");
        let named = |name| Named::new(name, &input, paths).expect("a bench implementation");
        let (mut slow, mut fast) = (named(floor.slow), named(floor.fast));
        let mut sides = [side(|| slow.call()), side(|| fast.call())];
        let times = interleave(&mut sides, rounds);
        let ratios = times[0].iter().zip(&times[1]).map(|(s, f)| s / f).collect();
        let (median, p10, p90) = spread(ratios);
        println!(
            "| {} | {median:.2}× | {p10:.2}–{p90:.2}× | {} | {} |",
            floor.name(),
            floor.bound,
            pass(floor.bound.holds(median)),
        );
    }
}

/// One row of the standard table: ours (side `ours`) against the peer
/// time `peer(round)`.
struct Row<'a> {
    doc: &'a standard::Doc,
    what: String,
    floor: f64,
    note: &'a str,
}

impl Row<'_> {
    fn print(&self, ours: &[f64], peer: &[f64]) {
        let bytes = self.doc.bytes.len() as f64;
        let gbs = |t: &[f64]| bytes / spread(t.to_vec()).0 / 1e9;
        let fastest = |t: &[f64]| spread(t.to_vec()).1;
        let ratios = ours.iter().zip(peer).map(|(o, p)| p / o).collect();
        let (median, p10, p90) = spread(ratios);
        println!(
            "| {} | {:.1} | {} | {:.3} | {:.3} | {median:.2}× | {p10:.2}–{p90:.2}× | {:.2}× | {} | {}{} |",
            self.doc.name,
            bytes / 1024.0,
            self.what,
            gbs(ours),
            gbs(peer),
            fastest(peer) / fastest(ours),
            if self.floor > 0.0 {
                format!("≥ {}×", self.floor)
            } else {
                "–".into()
            },
            if self.floor > 0.0 {
                pass(median >= self.floor)
            } else {
                ""
            },
            self.note,
        );
    }
}

/// The index of the side with the lower median time (the faster peer over
/// the whole run; a per-round minimum would pick whichever burst the
/// machine's noise spared, which biases the ratio against ours).
fn faster(times: &[Vec<f64>], a: usize, b: usize) -> usize {
    if spread(times[a].clone()).0 <= spread(times[b].clone()).0 {
        a
    } else {
        b
    }
}

fn standard_xml(rounds: usize, filter: Option<&str>) {
    for doc in standard::XML_DOCS {
        if filter.is_some_and(|f| !doc.name.contains(f)) {
            continue;
        }
        let s = XmlSetup::new(*doc);
        let input = doc.bytes;
        let (Some((options, label)), Some(check)) = (&s.ours, &s.check) else {
            println!(
                "| {} | {:.1} | **rejected by ours, rows skipped** | | | | | | | **FAIL** |",
                doc.name,
                input.len() as f64 / 1024.0
            );
            continue;
        };
        let note = if label.is_empty() {
            ""
        } else {
            " (rejected by default: ours measured with a raised attribute limit)"
        };
        let (ours_count, raw_count) = (s.ours_count, s.raw_count);
        let mut sides = [
            side(|| {
                let n = standard::ours_xml_events(input, options).expect("ours");
                assert!(n == ours_count);
            }),
            side(|| check.run(input).expect("ours")),
            side(|| assert!(standard::quick_xml_raw(input) == raw_count)),
        ];
        let t = interleave(&mut sides, rounds);
        let row = |what: &str, floor| Row {
            doc,
            what: format!("xml: ours{label} {what} vs quick-xml raw loop"),
            floor,
            note,
        };
        row("raw events", 1.0).print(&t[0], &t[2]);
        row("check", 1.5).print(&t[1], &t[2]);
    }
}

fn standard_json(rounds: usize, filter: Option<&str>) {
    for doc in standard::JSON_DOCS {
        if filter.is_some_and(|f| !doc.name.contains(f)) {
            continue;
        }
        let s = JsonSetup::new(*doc);
        let input = doc.bytes;
        let (Some((options, label)), Some(check)) = (&s.ours, &s.check) else {
            println!(
                "| {} | {:.1} | **rejected by ours, rows skipped** | | | | | | | **FAIL** |",
                doc.name,
                input.len() as f64 / 1024.0
            );
            continue;
        };
        let note = if label.is_empty() {
            ""
        } else {
            " (rejected by default: ours measured with a raised limit)"
        };
        let (ours_count, nodes) = (s.ours_count, s.tape_nodes);
        let mut simd = SimdJson::new(input.len());
        let mut sides = [
            side(|| {
                let n = standard::ours_json_events(input, options).expect("ours");
                assert!(n == ours_count);
            }),
            side(|| check.run(input).expect("ours")),
            side(|| assert!(simd.tape_nodes(input) == nodes)),
            side(|| standard::serde_json_ignored(input)),
            side(|| standard::sonic_ignored(input)),
        ];
        let t = interleave(&mut sides, rounds);
        let row = |what: &str, floor| Row {
            doc,
            what: format!(
                "json: {}",
                what.replacen("ours", &format!("ours{label}"), 1)
            ),
            floor,
            note,
        };
        row("ours raw events vs simd-json tape", 1.0).print(&t[0], &t[2]);
        row("ours check vs serde_json IgnoredAny", 0.0).print(&t[1], &t[3]);
        row("ours check vs sonic-rs IgnoredAny", 0.0).print(&t[1], &t[4]);
        let f = faster(&t, 3, 4);
        let name = if f == 3 { "serde_json" } else { "sonic-rs" };
        row(&format!("ours check vs the faster ({name})"), 1.0).print(&t[1], &t[f]);
    }
}

fn standard_set(rounds: usize, filter: Option<&str>) {
    println!("\nStandard corpora (issue 16), {rounds} rounds per document; ratio = peer time / ours (above 1: ours faster); GB/s from the median time per call; the floor applies to the median ratio\n");
    println!(
        "| document | KiB | row | ours GB/s | peer GB/s | median ratio | p10 – p90 | ratio of p10 times | floor | |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
    standard_xml(rounds, filter);
    standard_json(rounds, filter);
}

const USAGE: &str =
    "usage: paired [callbacks|skim|standard [NAME]|all] [ROUNDS]  (ROUNDS > 0, default 300)";

fn main() {
    let mut rounds = 300;
    let mut set = "callbacks".to_string();
    let mut filter: Option<String> = None;
    for a in std::env::args().skip(1) {
        match a.parse::<usize>() {
            Ok(n) if n > 0 => rounds = n,
            Ok(_) => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
            Err(_) if matches!(a.as_str(), "callbacks" | "skim" | "standard" | "all") => set = a,
            Err(_) if set == "standard" && filter.is_none() => filter = Some(a),
            Err(_) => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    println!(
        "paired: set `{set}`, {rounds} rounds, CPU SIMD {}, load average at start {}",
        standard::cpu_simd(),
        load()
    );
    if matches!(set.as_str(), "callbacks" | "all") {
        floors("Callback floors (issue 4)", RATIO_FLOORS, rounds);
    }
    if matches!(set.as_str(), "skim" | "all") {
        floors(
            "Skim vs the hand-written non-validating scan (issue 16; ratio = Skim's time / the scan's)",
            SKIM_FLOORS,
            rounds,
        );
    }
    if matches!(set.as_str(), "standard" | "all") {
        standard_set(rounds, filter.as_deref());
    }
    println!("\nload average at end {}", load());
}
