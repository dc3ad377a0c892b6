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
//! `quick-xml-events` and `quick-xml-serde` (XML), `simd-json-tape`,
//! `serde-json-struct` and `sonic-rs-struct` (JSON), `from-utf8`.
//!
//! The standard XML documents (`bench/data/xml/`, the rows of the paired
//! example's `standard` set): workload `std-xml:NAME` (a file name there,
//! e.g. `std-xml:players.xml`) with the implementations `ours-raw` (every
//! event, attributes iterated, nothing decoded), `ours-check` (the
//! whole-document check) and `quick-xml-raw` (its `read_event` loop). Each
//! call's counts are checked against the setup's, as the paired example does.

use wanxiang_bench as support;

use support::standard::{self, XmlSetup};
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
    if let Some(name) = args[1].strip_prefix("std-xml:") {
        standard_xml(name, &args[2], n);
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

/// One row of the standard XML set, `n` times.
fn standard_xml(name: &str, imp: &str, n: usize) {
    let Some(&doc) = standard::XML_DOCS.iter().find(|d| d.name == name) else {
        let all: Vec<&str> = standard::XML_DOCS.iter().map(|d| d.name).collect();
        eprintln!("unknown document {name} (one of {})", all.join(", "));
        std::process::exit(2);
    };
    let setup = XmlSetup::new(doc);
    let (options, _) = setup.ours.clone().expect("ours accepts the document");
    let input = doc.bytes;
    match imp {
        "ours-raw" => {
            for _ in 0..n {
                let c = standard::ours_xml_events(std::hint::black_box(input), &options);
                assert!(c.expect("ours") == setup.ours_count);
            }
        }
        "ours-check" => {
            let check = setup.check.as_ref().expect("the check");
            for _ in 0..n {
                check.run(std::hint::black_box(input)).expect("ours");
            }
        }
        "quick-xml-raw" => {
            for _ in 0..n {
                let c = standard::quick_xml_raw(std::hint::black_box(input));
                assert!(c == setup.raw_count);
            }
        }
        _ => {
            eprintln!("unknown implementation {imp} (ours-raw, ours-check, quick-xml-raw)");
            std::process::exit(2);
        }
    }
    println!("{imp} x {n} on {name}, {} bytes", input.len());
}
