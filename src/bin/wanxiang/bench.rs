//! `wanxiang bench`: extraction speed on the user's own documents.
//!
//! The documents are read once (a bad one is reported and left out) and held
//! in memory, then extracted from repeatedly: whole rounds timed together
//! give the throughput, rounds timed document by document give the median
//! and 90th percentile per document (those include the clock's own cost,
//! tens of nanoseconds). Timing is wall clock on a possibly busy machine:
//! compare runs made close together.

use std::io;
use std::time::{Duration, Instant};

use wanxiang::{Format, Validation};

use crate::{compile, input, Args};

/// The seven fields of the README's performance table.
const DEFAULT_PATHS: [&str; 7] = [
    "EventName",
    "JobsDetail.JobId",
    "JobsDetail.State",
    "JobsDetail.Code",
    "JobsDetail.Tag",
    "JobsDetail.Operation.Output.Object",
    "JobsDetail.Operation.UserData",
];

/// At most this many bytes of documents are held for repeating.
const MAX_HELD: usize = 256 << 20;

/// How long each of the two phases runs when `--rounds` is not given.
const PHASE: Duration = Duration::from_millis(500);

pub fn run(args: &Args) -> io::Result<bool> {
    let paths: Vec<String> = if args.paths.is_empty() {
        DEFAULT_PATHS.iter().map(|p| p.to_string()).collect()
    } else {
        args.paths.clone()
    };
    let set = compile(&paths);
    let max = args.options.get_limits().max_input();
    let mut docs: Vec<Vec<u8>> = Vec::new();
    let (mut xml, mut held) = (0usize, 0usize);
    let mut truncated = false;
    let ok = input::documents(&args.files, args.stream, max, |place, body| {
        match set.visit(body, &args.options, |_| ()) {
            Ok(format) => {
                if held + body.len() > MAX_HELD {
                    truncated = true;
                    return Ok(true);
                }
                held += body.len();
                xml += usize::from(format == Format::Xml);
                docs.push(body.to_vec());
                Ok(true)
            }
            Err(e) => {
                place.error(&e, None);
                Ok(false)
            }
        }
    })?;
    if docs.is_empty() {
        eprintln!("wanxiang: bench: no document to measure");
        return Ok(false);
    }
    let mode = match args.options.get_validation() {
        Validation::Full => "Full",
        Validation::Skim => "Skim",
    };
    println!(
        "wanxiang bench: {} documents ({xml} xml, {} json), {} bytes; {} paths, {mode}",
        docs.len(),
        docs.len() - xml,
        held,
        set.len()
    );
    if truncated {
        println!(
            "  (only the first {} MiB of documents are held)",
            MAX_HELD >> 20
        );
    }

    // Phase 1: throughput, whole rounds timed together.
    let mut values = 0usize;
    let mut rounds = 0u64;
    let started = Instant::now();
    loop {
        for d in &docs {
            // Every document was read once above, so this cannot fail.
            let _ = set.visit(std::hint::black_box(d), &args.options, |_| values += 1);
        }
        rounds += 1;
        if done(args.rounds, rounds, started) {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    let total = rounds as f64 * held as f64;
    let count = rounds as f64 * docs.len() as f64;
    println!(
        "  throughput   {:.3} GB/s   {:.0} documents/s   ({rounds} rounds, {values} values)",
        total / elapsed / 1e9,
        count / elapsed
    );

    // Phase 2: time per document.
    let mut times: Vec<Duration> = Vec::new();
    let mut rounds = 0u64;
    let started = Instant::now();
    loop {
        for d in &docs {
            let t = Instant::now();
            let _ = set.visit(std::hint::black_box(d), &args.options, |_| ());
            times.push(t.elapsed());
        }
        rounds += 1;
        if done(args.rounds, rounds, started) {
            break;
        }
    }
    times.sort_unstable();
    let at = |q: f64| {
        let i = ((times.len() - 1) as f64 * q).round() as usize;
        times.get(i).copied().unwrap_or_default()
    };
    println!(
        "  per document median {:?}, p90 {:?}, max {:?}   ({rounds} rounds)",
        at(0.5),
        at(0.9),
        at(1.0)
    );
    Ok(ok)
}

/// Whether a phase has run long enough.
fn done(wanted: Option<u32>, rounds: u64, started: Instant) -> bool {
    match wanted {
        Some(n) => rounds >= u64::from(n),
        None => started.elapsed() >= PHASE,
    }
}
