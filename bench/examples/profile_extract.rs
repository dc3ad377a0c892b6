//! Runs one bench workload N times, for instruction counts under callgrind
//! (stable on noisy machines, unlike wall time).
//!
//! ```text
//! cargo build --profile bench -p wanxiang-bench --example profile_extract
//! B=$CARGO_TARGET_DIR/release/examples/profile_extract   # bench profile output dir is `release`
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.1 $B seed-xml ours-full 1000
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.2 $B seed-xml ours-full 2000
//! # instructions per document = (Ir of run 2 - Ir of run 1) / 1000
//! ```
//!
//! Workloads: `seed-xml`, `seed-json`, `jobs100-xml`, `jobs100-json`,
//! `userdata64k-xml`, `userdata64k-json` (the inputs and paths of
//! `benches/extract.rs`). Implementations: `ours-full`, `ours-skim`, `ours-typed`,
//! `ours-typed-each` (`parse_each_job`), `ours-typed-fields` and
//! `ours-typed-fields-each` (the view parsed for just the fields read),
//! `quick-xml-events` and `quick-xml-serde` (XML), `simd-json-tape`,
//! `serde-json-struct` and `sonic-rs-struct` (JSON), `from-utf8`, `limit-scan`.
//!
//! A standard document (`bench/data/`) as the workload: `std:NAME` (the file
//! name, e.g. `std:twitter.json`), with the rows of `examples/paired`'s
//! standard table as implementations: `ours-raw` (every event, nothing
//! decoded), `ours-check` (the whole-document check) for both formats;
//! `simd-json-tape`, `serde-json-ignored`, `sonic-rs-ignored` (JSON);
//! `quick-xml-raw` (XML). Each call is checked against the counts of the
//! setup, as in `examples/paired`.

use wanxiang_bench as support;

use support::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: profile_extract WORKLOAD IMPLEMENTATION N");
        std::process::exit(2);
    }
    let n: usize = args[3].parse().expect("N");
    // Choose the SIMD level now, so `WANXIANG_SIMD` applies to every check
    // (the UTF-8 check of `Full` does not read the environment itself).
    eprintln!("simd level {}", wanxiang::simd_level());
    if let Some(doc) = args[1]
        .strip_prefix("std:")
        .or_else(|| args[1].strip_prefix("std-xml:"))
    {
        standard(doc, &args[2], n);
        return;
    }
    let Some((input, paths)) = workload(&args[1]) else {
        eprintln!("unknown workload {}", args[1]);
        std::process::exit(2);
    };
    let Some(mut imp) = Named::new(&args[2], &input, paths) else {
        let all: Vec<&str> = names().collect();
        eprintln!(
            "unknown implementation {} (one of {})",
            args[2],
            all.join(", ")
        );
        std::process::exit(2);
    };
    for _ in 0..n {
        imp.call();
    }
    println!("{} x {} on {} bytes", args[2], n, input.len());
}

/// A standard document's row `imp`, `n` times.
fn standard(name: &str, imp: &str, n: usize) {
    use std::hint::black_box;
    use support::standard::{self, JsonSetup, XmlSetup};
    let unknown = |what: &str| -> ! {
        eprintln!("unknown {what} for std:{name}");
        std::process::exit(2);
    };
    if let Some(&doc) = standard::JSON_DOCS.iter().find(|d| d.name == name) {
        let setup = JsonSetup::new(doc);
        let (options, _) = setup.ours.clone().expect("ours accepts it");
        let check = setup.check.as_ref().expect("ours accepts it");
        let mut simd = SimdJson::new(doc.bytes.len());
        for _ in 0..n {
            let input = black_box(doc.bytes);
            match imp {
                "ours-raw" => assert!(
                    standard::ours_json_events(input, &options).expect("ours") == setup.ours_count
                ),
                "ours-check" => check.run(input).expect("ours"),
                "simd-json-tape" => assert!(simd.tape_nodes(input) == setup.tape_nodes),
                "serde-json-ignored" => standard::serde_json_ignored(input),
                "sonic-rs-ignored" => standard::sonic_ignored(input),
                _ => unknown("implementation"),
            }
        }
    } else if let Some(&doc) = standard::XML_DOCS.iter().find(|d| d.name == name) {
        let setup = XmlSetup::new(doc);
        let (options, _) = setup.ours.clone().expect("ours accepts it");
        let check = setup.check.as_ref().expect("ours accepts it");
        for _ in 0..n {
            let input = black_box(doc.bytes);
            match imp {
                "ours-raw" => assert!(
                    standard::ours_xml_events(input, &options).expect("ours") == setup.ours_count
                ),
                "ours-check" => check.run(input).expect("ours"),
                "quick-xml-raw" => assert!(standard::quick_xml_raw(input) == setup.raw_count),
                _ => unknown("implementation"),
            }
        }
    } else {
        unknown("document");
    }
    println!("{imp} x {n} on {name}");
}
