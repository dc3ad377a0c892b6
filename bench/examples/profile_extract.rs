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
