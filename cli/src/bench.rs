//! `wanxiang bench`: extraction speed on the user's own documents.
//!
//! The documents are read once (a bad one is reported and left out) and held
//! in memory, then extracted from repeatedly: whole rounds timed together
//! give the throughput, rounds timed document by document give the median
//! and 90th percentile per document (those include the clock's own cost,
//! tens of nanoseconds). Timing is wall clock on a possibly busy machine:
//! compare runs made close together.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use wanxiang::{Format, Validation};

use crate::report::Report;
use crate::{compile, flatten, input, validation, BenchArgs};

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

pub fn run(args: &BenchArgs, report: &Report) -> io::Result<()> {
    let paths: Vec<String> = if args.fields.is_empty() {
        DEFAULT_PATHS.iter().map(|p| p.to_string()).collect()
    } else {
        flatten(&args.fields)
    };
    let set = compile(&paths);
    let options = args.input.options(validation(args.skim));
    let mut docs: Vec<Vec<u8>> = Vec::new();
    let (mut xml, mut held) = (0usize, 0usize);
    let mut truncated = false;
    input::documents(
        &args.input.files(),
        args.input.stream,
        args.input.max_size,
        report,
        |place, body| match set.visit(body, &options, |_| ()) {
            Ok(format) => {
                if held + body.len() > MAX_HELD {
                    truncated = true;
                    return Ok(());
                }
                held += body.len();
                xml += usize::from(format == Format::Xml);
                docs.push(body.to_vec());
                Ok(())
            }
            Err(e) => report.error(place, &e, Some(body)),
        },
    )?;
    if docs.is_empty() {
        report.fail();
        return report.note("bench: no document to measure");
    }
    let mode = match options.get_validation() {
        Validation::Full => "Full",
        Validation::Skim => "Skim",
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "wanxiang bench: {} ({xml} xml, {} json), {}; {}, {mode}",
        count(docs.len() as u64, "document"),
        docs.len() - xml,
        count(held as u64, "byte"),
        count(set.len() as u64, "path"),
    )?;
    if truncated {
        writeln!(
            out,
            "  (only the first {} MiB of documents are held)",
            MAX_HELD >> 20
        )?;
    }

    // Phase 1: throughput, whole rounds timed together.
    let mut values = 0usize;
    let mut rounds = 0u64;
    let started = Instant::now();
    loop {
        for d in &docs {
            // Every document was read once above, so this cannot fail.
            let _ = set.visit(std::hint::black_box(d), &options, |_| values += 1);
        }
        rounds += 1;
        if done(args.rounds, rounds, started) {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    let total = rounds as f64 * held as f64;
    let per_round = rounds as f64 * docs.len() as f64;
    writeln!(
        out,
        "  throughput   {:.3} GB/s   {:.0} documents/s   ({}, {})",
        total / elapsed / 1e9,
        per_round / elapsed,
        count(rounds, "round"),
        count(values as u64, "value"),
    )?;

    // Phase 2: time per document.
    let mut times: Vec<Duration> = Vec::new();
    let mut rounds = 0u64;
    let started = Instant::now();
    loop {
        for d in &docs {
            let t = Instant::now();
            let _ = set.visit(std::hint::black_box(d), &options, |_| ());
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
    writeln!(
        out,
        "  per document median {:?}, p90 {:?}, max {:?}   ({})",
        at(0.5),
        at(0.9),
        at(1.0),
        count(rounds, "round"),
    )?;
    out.flush()
}

/// `1 document`, `2 documents`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether a phase has run long enough.
fn done(wanted: Option<u32>, rounds: u64, started: Instant) -> bool {
    match wanted {
        Some(n) => rounds >= u64::from(n),
        None => started.elapsed() >= PHASE,
    }
}
