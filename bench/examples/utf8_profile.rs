//! UTF-8 validation alone: our kernel (`simd::utf8`, through the hidden
//! probe), `simdutf8` (basic, compat, and its AVX2 and SSE4.2 kernels called
//! directly) and `std::str::from_utf8`, on the bench documents and on short
//! values. For the "UTF-8 validation" section of BENCHMARKS.md.
//!
//! ```text
//! cargo build --profile bench -p wanxiang-bench --example utf8_profile
//! B=target/release/examples/utf8_profile
//! # instructions per call = (Ir(N2) - Ir(N1)) / (N2 - N1), under callgrind:
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/u.1 $B run twitter ours 20
//! # wall time, interleaved bursts, median ns per call over the rounds:
//! $B time twitter,canada 200
//! ```
//!
//! Our portable level: build with `--features wanxiang/force-portable`.
//!
//! Inputs: `seed-xml`, `seed-json`, `userdata64k-xml`, `userdata64k-json`,
//! `userdata64k-cjk` (the strict seed JSON with a 64 KiB Chinese UserData),
//! `big-userdata-chinese` (corpus/json/valid), `twitter`, `canada`, and
//! `ascii-N`, `cjk-N` (an N-byte value: plain words, or Chinese text cut at a
//! character boundary at or below N).
//! Implementations: `ours`, `simdutf8-basic`, `simdutf8-compat`,
//! `simdutf8-avx2`, `simdutf8-sse42`, `std`.

use std::hint::black_box;
use std::time::Instant;

use wanxiang::__simd_probe as probe;
use wanxiang_bench as support;

const IMPLS: &[&str] = &[
    "ours",
    "simdutf8-basic",
    "simdutf8-compat",
    "simdutf8-avx2",
    "simdutf8-sse42",
    "std",
];

const CJK: &str = "数据万象回调测试：翻译任务完成，第一段。UserData 透传字段；中文标点「」、《》。";

fn cjk(len: usize) -> String {
    let mut s = String::new();
    'outer: loop {
        for c in CJK.chars() {
            if s.len() + c.len_utf8() > len {
                break 'outer;
            }
            s.push(c);
        }
    }
    s
}

fn input(name: &str) -> Option<Vec<u8>> {
    let data = |p: &str| std::fs::read(format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))).ok();
    Some(match name {
        "seed-xml" => support::SEED_XML.to_vec(),
        "seed-json" => support::SEED_JSON.to_vec(),
        "userdata64k-xml" => support::userdata_xml(64 << 10),
        "userdata64k-json" => support::userdata_json(64 << 10),
        "userdata64k-cjk" => {
            let seed = String::from_utf8(support::seed_json_strict()).ok()?;
            let at = seed.find("\"UserData\": \"")? + "\"UserData\": \"".len();
            let end = at + seed.get(at..)?.find('"')?;
            format!("{}{}{}", &seed[..at], cjk(64 << 10), &seed[end..]).into_bytes()
        }
        "big-userdata-chinese" => data("../corpus/json/valid/big-userdata-chinese.json")?,
        "twitter" => data("data/json/twitter.json")?,
        "canada" => data("data/json/canada.json")?,
        _ => {
            let (kind, n) = name.split_once('-')?;
            let n: usize = n.parse().ok()?;
            match kind {
                "ascii" => support::user_data(n).into_bytes(),
                "cjk" => cjk(n).into_bytes(),
                _ => return None,
            }
        }
    })
}

/// One implementation: `Ok(len)` or `Err(offset)` (0 where it gives none).
type Check = fn(&[u8]) -> Result<usize, usize>;

fn implementation(name: &str) -> Option<Check> {
    Some(match name {
        "ours" => |b| probe::utf8(b).map(str::len),
        "simdutf8-basic" => |b| simdutf8::basic::from_utf8(b).map(str::len).map_err(|_| 0),
        "simdutf8-compat" => |b| {
            simdutf8::compat::from_utf8(b)
                .map(str::len)
                .map_err(|e| e.valid_up_to())
        },
        "simdutf8-avx2" => {
            if !std::is_x86_feature_detected!("avx2") {
                return None;
            }
            // SAFETY: AVX2 was detected just above.
            |b| {
                unsafe { simdutf8::basic::imp::x86::avx2::validate_utf8(b) }
                    .map(|()| b.len())
                    .map_err(|_| 0)
            }
        }
        "simdutf8-sse42" => {
            if !std::is_x86_feature_detected!("sse4.2") {
                return None;
            }
            // SAFETY: SSE4.2 was detected just above.
            |b| {
                unsafe { simdutf8::basic::imp::x86::sse42::validate_utf8(b) }
                    .map(|()| b.len())
                    .map_err(|_| 0)
            }
        }
        "std" => |b| {
            std::str::from_utf8(b)
                .map(str::len)
                .map_err(|e| e.valid_up_to())
        },
        _ => return None,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Choose the SIMD level now, so `WANXIANG_SIMD` applies to our check.
    eprintln!("simd level {}", wanxiang::simd_level());
    let usage = || -> ! {
        eprintln!("usage: utf8_profile run INPUT IMPL N | time INPUT[,INPUT...] ROUNDS");
        std::process::exit(2)
    };
    match args.get(1).map(String::as_str) {
        Some("run") if args.len() == 5 => {
            let doc = input(&args[2]).unwrap_or_else(|| usage());
            let f = implementation(&args[3]).unwrap_or_else(|| usage());
            let n: usize = args[4].parse().unwrap_or_else(|_| usage());
            let want = std::str::from_utf8(&doc).map(str::len).ok();
            assert_eq!(f(&doc).ok(), want, "{} disagrees with std", args[3]);
            let mut sum = 0usize;
            for _ in 0..n {
                sum = sum.wrapping_add(f(black_box(&doc)).unwrap_or(1));
            }
            println!("{} x {n} on {} bytes: {sum}", args[3], doc.len());
        }
        Some("time") if args.len() == 4 => {
            let rounds: usize = args[3].parse().unwrap_or_else(|_| usage());
            for name in args[2].split(',') {
                time(name, &input(name).unwrap_or_else(|| usage()), rounds);
            }
        }
        _ => usage(),
    }
}

/// Interleaved timing: each round runs a ~1 ms burst of every implementation
/// in turn; prints the median ns per call and the median of the per-round
/// ratios to ours.
fn time(name: &str, doc: &[u8], rounds: usize) {
    let imps: Vec<(&str, Check)> = IMPLS
        .iter()
        .filter_map(|&n| implementation(n).map(|f| (n, f)))
        .collect();
    let want = std::str::from_utf8(doc).map(str::len).ok();
    for (n, f) in &imps {
        assert_eq!(f(doc).ok(), want, "{n} disagrees with std");
    }
    // Calls per burst: about 1 ms of std.
    let start = Instant::now();
    let mut calls = 0usize;
    while start.elapsed().as_micros() < 1000 {
        black_box(std::str::from_utf8(black_box(doc)).is_ok());
        calls += 1;
    }
    let mut ns: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); imps.len()];
    for _ in 0..rounds {
        for (k, (_, f)) in imps.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..calls {
                black_box(f(black_box(doc)).is_ok());
            }
            ns[k].push(t.elapsed().as_nanos() as f64 / calls as f64);
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let ours = ns[0].clone();
    print!("{name} ({} B):", doc.len());
    for (k, (n, _)) in imps.iter().enumerate() {
        let ratio = median(ns[k].iter().zip(&ours).map(|(t, o)| t / o).collect());
        print!(" {n} {:.1} ns ({ratio:.2}x ours);", median(ns[k].clone()));
    }
    println!();
}
