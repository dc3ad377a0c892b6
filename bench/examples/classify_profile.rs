//! Runs one block-classification or skip workload N times on a file, for
//! instruction counts under callgrind.
//!
//! ```text
//! cargo build --release -p wanxiang-bench --example classify_profile
//! B=target/release/examples/classify_profile
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.1 $B doc.json json-avx2 100
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.2 $B doc.json json-avx2 200
//! # instructions per run = (Ir of run 2 - Ir of run 1) / 100
//! ```
//!
//! Modes (LEVEL is `portable`, `sse2` or `avx2`):
//! - `json-LEVEL`, `xml-LEVEL`: classify every 64-byte block of the file;
//! - `skip-masks-LEVEL`: skip the first container of the file by counting
//!   brackets in the masks (the prototype of the structural stage);
//! - `skip-skim`, `skip-full`: the JSON reader's `Skim` and `Full` skips of it;
//! - `simd-json-tape`: simd-json's whole parse to a tape, from a fresh copy
//!   each time (its stage 1 alone: `--toggle-collect='*find_structural_bits*'`;
//!   it runs whole even where stage 2 then rejects the seed's trailing comma).
//!
//! The file is read from the path given, so large documents need not live in
//! the repository.

use std::hint::black_box;

use wanxiang::__simd_probe as probe;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: classify_profile FILE MODE N");
        std::process::exit(2);
    }
    let doc = std::fs::read(&args[1]).expect("readable file");
    let mode = args[2].as_str();
    let n: usize = args[3].parse().expect("N");
    let open = doc
        .iter()
        .position(|&b| b == b'{' || b == b'[')
        .unwrap_or(0);
    let room = wanxiang::MAX_DEPTH;
    eprintln!(
        "{} bytes, level in use {}, levels here {:?}",
        doc.len(),
        wanxiang::simd_level(),
        probe::levels().collect::<Vec<_>>()
    );
    let want = probe::skip_skim(&doc, open, room);
    let mut out = 0u64;
    for _ in 0..n {
        let d = black_box(&doc[..]);
        out ^= if let Some(level) = mode.strip_prefix("json-") {
            probe::json_fold(d, 0, level).expect("level")
        } else if let Some(level) = mode.strip_prefix("xml-") {
            probe::xml_fold(d, 0, level).expect("level")
        } else if let Some(level) = mode.strip_prefix("skip-masks-") {
            let got = probe::skip_masks(d, open, room, level).expect("level");
            assert_eq!(got, want);
            1
        } else if mode == "skip-skim" {
            assert_eq!(probe::skip_skim(d, open, room), want);
            1
        } else if mode == "skip-full" {
            let end = probe::skip_full(d, open, room);
            assert_eq!(end.map(probe::SkipEnd::End), Some(want));
            1
        } else if mode == "simd-json-tape" {
            // Stage 1 runs whole even when stage 2 then rejects the document
            // (simd-json refuses the seed's trailing comma).
            let mut copy = d.to_vec();
            simd_json::to_tape(&mut copy).map_or(0, |tape| tape.0.len() as u64)
        } else {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        };
    }
    println!("{out}");
}
