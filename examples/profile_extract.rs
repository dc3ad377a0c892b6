//! Runs one bench workload N times, for instruction counts under callgrind
//! (stable on noisy machines, unlike wall time).
//!
//! ```text
//! cargo build --profile bench --example profile_extract
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

#[path = "../benches/support/mod.rs"]
mod support;

use std::hint::black_box;

use support::*;
use wanxiang::{Hit, PathSet};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: profile_extract WORKLOAD IMPLEMENTATION N");
        std::process::exit(2);
    }
    let n: usize = args[3].parse().expect("N");
    let (input, paths): (Vec<u8>, &[&str]) = match args[1].as_str() {
        "seed-xml" => (SEED_XML.to_vec(), SEVEN),
        "seed-json" => (seed_json_strict(), SEVEN),
        "jobs100-xml" => (jobs_xml(100), EVERY_JOB),
        "jobs100-json" => (jobs_json(100), EVERY_JOB),
        "userdata64k-xml" => (userdata_xml(64 << 10), SEVEN),
        "userdata64k-json" => (userdata_json(64 << 10), SEVEN),
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2);
        }
    };
    let set = PathSet::compile(paths).expect("paths");
    let mut slots = vec![Hit::EMPTY; 256];
    let expected = ours(&set, &input, &full(), &mut slots);
    let trie = Trie::new(paths);
    let steps = parse_all(paths);
    let mut simd = SimdJson::new(input.len());
    let which = args[2].as_str();
    if ![
        "ours-full",
        "ours-skim",
        "ours-typed",
        "quick-xml-events",
        "simd-json-tape",
        "quick-xml-serde",
        "serde-json-struct",
        "sonic-rs-struct",
        "from-utf8",
    ]
    .contains(&which)
    {
        eprintln!("unknown implementation {which}");
        std::process::exit(2);
    }
    let (full, skim) = (full(), skim());
    let every = paths == EVERY_JOB;
    for _ in 0..n {
        let i: &[u8] = black_box(&input);
        let d = match which {
            "ours-full" => ours(&set, i, &full, &mut slots),
            "ours-skim" => ours(&set, i, &skim, &mut slots),
            "ours-typed" => typed(i, paths),
            "quick-xml-events" => quick_xml_events(i, &trie),
            "simd-json-tape" => simd.tape(i, &steps),
            // The structs of `benches/extract.rs`: `Seven` for the seven
            // paths, `EveryJob` for JobId and State of every job.
            "quick-xml-serde" if every => quick_xml_serde::<EveryJob>(i).digest(),
            "quick-xml-serde" => quick_xml_serde::<Seven>(i).digest(),
            "serde-json-struct" if every => serde_json_struct::<EveryJob>(i).digest(),
            "serde-json-struct" => serde_json_struct::<Seven>(i).digest(),
            "sonic-rs-struct" if every => sonic_struct::<EveryJob>(i).digest(),
            "sonic-rs-struct" => sonic_struct::<Seven>(i).digest(),
            _ => {
                utf8(i);
                expected
            }
        };
        assert!(d == expected);
    }
    println!("{} x {} on {} bytes", args[2], n, input.len());
}
